// The project Evaluator on the bundled example: real training, the terms the search needs, the
// resource-check hook (an undeployable candidate is never trained) and clear refusals.
#include "engine/ProjectEvaluator.h"
#include "engine/Resources.h"
#include "learn/CandidateModel.h"
#include <QtTest>
#include <atomic>
#include <cstdlib>

using namespace nesy;

namespace {
Project example()
{
    const char* src = std::getenv("NESY_SOURCE_DIR");
    const std::filesystem::path dir = src ? std::filesystem::path(src) / "resources" / "examples" : exampleDir();
    return loadProject(dir / "activity-features-mlp.nesy.json");
}
} // namespace

class TestLearnEvaluator : public QObject {
    Q_OBJECT
private slots:
    void evaluatesTheBundledExample()
    {
        const Project p = example();
        EvaluatorOptions o;
        o.threads = 2;
        auto ev = makeProjectEvaluator(p, o);
        StopToken stop;
        QElapsedTimer timer;
        timer.start();
        const TrialResult r = ev->evaluate(p.graph, stop);
        qInfo() << "one trial of the example took" << timer.elapsed() << "ms";
        if (r.terms.count("error"))
            qInfo() << "validation error" << r.terms.at("error") << "test error" << r.terms.at("test_error");
        QVERIFY2(r.status == TrialStatus::Ok, r.detail.c_str());
        for (const char* term : {"error", "test_error", "flash_bytes", "sram_bytes", "weights_bytes", "activation_bytes"})
            QVERIFY2(r.terms.count(term), term);
        QVERIFY(!r.terms.count("latency_ms"));
        const double chance = 1.0 - 1.0 / 7.0;
        QVERIFY2(r.terms.at("error") < chance - 0.3, qPrintable(QString::number(r.terms.at("error"))));
        QVERIFY(r.terms.at("flash_bytes") > r.terms.at("weights_bytes"));
        QVERIFY(r.details["scores"]["validation_confusion"].size() == 7);
        QVERIFY(r.details["model"]["layers"].size() == 2);
    }
    void resourceCheckVetoesBeforeTraining()
    {
        const Project p = example();
        EvaluatorOptions o;
        std::atomic<int> calls{0};
        int features = 0;
        o.resourceCheck = [&](const learn::CandidateModel& m) {
            ++calls;
            features = m.featureCount();
            ResourceVerdict v;
            v.fault = "flash-overflow";
            v.detail = "needs more flash than the board has";
            v.terms["flash_bytes"] = 1e9;
            return v;
        };
        auto ev = makeProjectEvaluator(p, o);
        StopToken stop;
        const TrialResult r = ev->evaluate(p.graph, stop);
        QCOMPARE(calls.load(), 1);
        QCOMPARE(r.status, TrialStatus::Infeasible);
        QCOMPARE(QString::fromStdString(r.fault), QString("flash-overflow"));
        QCOMPARE(r.terms.at("flash_bytes"), 1e9);
        QVERIFY(!r.terms.count("error")); // never trained
        // 6 channels x (mean iqr max variance abs_energy peak_to_peak fundamental + 4 fft bins)
        QCOMPARE(features, 6 * 11);
    }
    void magnitudesKeepTheAxesWhenAsked()
    {
        // imu -> features.magnitude -> features: |acc|, |gyro| replace the 6 axes (2 channels) or,
        // with keep_axes, follow them (8 channels), both in the evaluator and the candidate.
        for (const bool keep : {false, true}) {
            Project p = example();
            p.graph.disconnect({{"imu", "windows"}, {"features", "window"}});
            Block mag;
            mag.id = "mag";
            mag.type = "features.magnitude";
            mag.params["keep_axes"] = Parameter{Value(keep), std::nullopt};
            p.graph.addBlock(mag);
            p.graph.connect({{"imu", "windows"}, {"mag", "window"}});
            p.graph.connect({{"mag", "window"}, {"features", "window"}});
            EvaluatorOptions o;
            int features = 0;
            bool keptAxes = !keep;
            o.resourceCheck = [&](const learn::CandidateModel& m) {
                features = m.featureCount();
                keptAxes = m.magnitudes && m.magnitudesKeepAxes;
                ResourceVerdict v;
                v.fault = "flash-overflow";
                return v;
            };
            auto ev = makeProjectEvaluator(p, o);
            StopToken stop;
            const TrialResult r = ev->evaluate(p.graph, stop);
            QCOMPARE(r.status, TrialStatus::Infeasible);
            QCOMPARE(keptAxes, keep);
            QCOMPARE(features, (keep ? 8 : 2) * 11); // 7 statistics + 4 fft bins per channel
        }
    }
    void featureTailDoublesTheFeaturesAndMustFitTheWindow()
    {
        // tail_rows: the statistics again over the window's last samples, so twice the inputs; a tail
        // as long as the window is refused before training, naming the block.
        Project p = example();
        const std::int64_t window = p.graph.block("imu")->params.at("window").value.get<std::int64_t>();
        int features = 0;
        EvaluatorOptions o;
        o.resourceCheck = [&](const learn::CandidateModel& m) {
            features = m.featureCount();
            ResourceVerdict v;
            v.fault = "flash-overflow";
            return v;
        };
        p.graph.setParameter("features", "tail_rows", Parameter{Value(window / 2), std::nullopt});
        StopToken stop;
        QCOMPARE(makeProjectEvaluator(p, o)->evaluate(p.graph, stop).status, TrialStatus::Infeasible);
        QCOMPARE(features, 2 * 6 * 11);

        p.graph.setParameter("features", "tail_rows", Parameter{Value(window), std::nullopt});
        features = 0;
        const TrialResult r = makeProjectEvaluator(p, o)->evaluate(p.graph, stop);
        QCOMPARE(r.status, TrialStatus::Infeasible);
        QCOMPARE(QString::fromStdString(r.fault), QString("unbuildable"));
        QCOMPARE(features, 0); // refused before the resource check
        QVERIFY2(QString::fromStdString(r.detail).contains("\"features\"") &&
                     QString::fromStdString(r.detail).contains("tail_rows"),
                 r.detail.c_str());
    }
    void refusesWhatItCannotRunNamingTheBlock()
    {
        Project p = example();
        Block extra;
        extra.id = "kf";
        extra.type = "sink.term";
        p.graph.addBlock(extra);
        try {
            makeProjectEvaluator(p, {});
            QFAIL("expected a refusal");
        } catch (const std::exception& e) {
            QVERIFY2(QString(e.what()).contains("\"kf\""), e.what());
        }
        // an unbuildable candidate fails fast with a reason
        Project q = example();
        q.graph.setParameter("mlp", "units", Parameter{Value(0), std::nullopt});
        auto ev = makeProjectEvaluator(q, {});
        StopToken stop;
        const TrialResult r = ev->evaluate(q.graph, stop);
        QCOMPARE(r.status, TrialStatus::Infeasible);
        QVERIFY2(QString::fromStdString(r.detail).contains("mlp"), r.detail.c_str());
    }
    void stopTokenCancels()
    {
        const Project p = example();
        auto ev = makeProjectEvaluator(p, {});
        StopToken stop;
        stop.requestStop();
        QCOMPARE(ev->evaluate(p.graph, stop).status, TrialStatus::Cancelled);
    }
};

QTEST_APPLESS_MAIN(TestLearnEvaluator)
#include "test_learn_evaluator.moc"
