// A search end to end in the main window against a fast evaluator: the engine runs on its own
// thread, trials reach the table and the Pareto plot in batches, the board bars move, and the GUI
// thread keeps serving events throughout.
#include "BoardPanel.h"
#include "MainWindow.h"
#include "ParetoPlot.h"
#include "ResultPanels.h"
#include "engine/Resources.h"
#include <QElapsedTimer>
#include <QtTest>

using namespace nesy;
using namespace nesy::gui;

namespace {
// Scores a candidate from its MLP size alone, in microseconds: bigger is more accurate and larger.
class FastEvaluator : public Evaluator {
public:
    TrialResult evaluate(const ProgramGraph& g, const StopToken&) override
    {
        const Block& mlp = *g.block("mlp");
        const double units = mlp.params.at("units").value.get<double>();
        const double layers = mlp.params.at("layers").value.get<double>();
        TrialResult r;
        const double weights = units * (40 + layers * units) + units * 6;
        r.terms["flash_bytes"] = 6000 + weights;
        r.terms["sram_bytes"] = 2000 + units * 8;
        r.terms["latency_ms"] = weights / 20000.0;
        r.terms["error"] = 0.08 + 0.5 / (1.0 + weights / 3000.0);
        Measurement m; // as the board resource check stores it
        m.boardId = "sim:nucleo-f446re";
        m.flashBytes = std::int64_t(r.terms["flash_bytes"]);
        m.sramStaticBytes = std::int64_t(r.terms["sram_bytes"]);
        m.peakStackBytes = 0;
        m.latencyMs = r.terms["latency_ms"];
        r.details["resources"] = Json::array({m.toJson()});
        return r;
    }
};
} // namespace

class GuiSearchTest : public QObject {
    Q_OBJECT
private slots:
    void searchUpdatesPlotTableAndBoards()
    {
        MainWindow window;
        window.resize(1280, 800);
        window.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.boards().rowCount() >= 1);
        QCOMPARE(window.boards().boards().front().flashUsed, std::int64_t(0));

        SearchOptions options = SearchOptions::fromProject(window.model().project());
        options.trials = 24;
        const Project project = window.model().project();
        window.startSearchWith(makeProjectProblem(project, std::make_shared<FastEvaluator>()), options);
        QVERIFY(window.searchController().running());

        // The GUI thread stays responsive: a 10 ms timer keeps firing while the search runs.
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, longestGap = 0;
        QTimer probe;
        connect(&probe, &QTimer::timeout, [&] {
            longestGap = std::max(longestGap, clock.elapsed() - last);
            last = clock.elapsed();
        });
        probe.start(10);
        QTRY_VERIFY_WITH_TIMEOUT(!window.searchController().running(), 90000);
        probe.stop();
        qInfo("longest event-loop gap during the search: %lld ms", longestGap);

        QCOMPARE(window.trials().trials().size(), std::size_t(24));
        ParetoPlot* plot = window.pareto().plot();
        QTRY_COMPARE(plot->feasiblePointCount() + plot->infeasiblePointCount(), 24);
        QVERIFY(plot->frontPointCount() >= 1);
        QVERIFY(window.trials().bestTrial());
        // The Boards panel shows the last measured candidate on its target board.
        const auto& shown = window.boardPanel().trialMeasurements().measurements();
        QCOMPARE(shown.size(), std::size_t(1));
        QVERIFY(shown.front().flashBytes > 6000);
        QVERIFY(shown.front().latencyMs > 0);
        // Clicking the best trial in the table shows its details.
        window.trials().select(window.trials().bestTrial());
        QVERIFY(window.trialDetails().text().contains("mlp.units"));
    }

    void stopEndsTheSearchEarly()
    {
        MainWindow window;
        window.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        SearchOptions options = SearchOptions::fromProject(window.model().project());
        options.trials = 100000;
        window.startSearchWith(makeProjectProblem(window.model().project(), std::make_shared<FastEvaluator>()), options);
        QTRY_VERIFY(window.trials().trials().size() >= 3);
        window.searchController().stop();
        QTRY_VERIFY_WITH_TIMEOUT(!window.searchController().running(), 30000);
        QVERIFY(window.trials().trials().size() < 100000);
    }
};

QTEST_MAIN(GuiSearchTest)
#include "test_gui_search.moc"
