// The optimizer: schedule of random proposals, no re-proposals, distinct batches, hard penalty,
// learned feasibility model and soft penalty, and the Pareto front with its hypervolume.
#include "search/BayesOptimizer.h"
#include "search/Objective.h"
#include "search/Pareto.h"
#include "search/TestFunctions.h"
#include <QtTest>
#include <set>

using namespace nesy;

namespace {

OptimizerSettings fastSettings(std::uint64_t seed = 1)
{
    OptimizerSettings s;
    s.seed = seed;
    s.monteCarlo = 300; // small samples keep the test quick, also under the sanitizers
    s.refineSteps = 8;
    s.gp.iterations = 12;
    s.gp.starts = 1;
    return s;
}

double value(const SearchProblem& p, const Assignment& a)
{
    StopToken stop;
    return p.objective.value(p.evaluate(a, stop)).value();
}

std::string text(const Assignment& a)
{
    std::string s;
    for (const auto& [k, v] : a)
        s += k + "=" + v.dump() + ";";
    return s;
}

// Branin where x1 > 2.5 "overflows the board": the right half of the domain, where two of the three
// global minima lie, cannot be deployed.
bool overflows(const Assignment& a) { return a.at("f.x1").get<double>() > 2.5; }

} // namespace

class TestSearchOptimizer : public QObject {
    Q_OBJECT
private slots:
    void randomProposalProbabilityDecays()
    {
        auto p = makeTestProblem("branin");
        OptimizerSettings s = fastSettings();
        s.initialRandom = 2;
        BayesOptimizer opt(p.space, s);
        QCOMPARE(opt.randomProbability(), 1.0);
        for (int i = 0; i < 2; ++i) { // initial points do not age the schedule
            auto pr = opt.ask(1).at(0);
            QCOMPARE(int(pr.kind), int(ProposalKind::Initial));
            opt.tell(pr.assignment, value(p, pr.assignment), true);
        }
        QCOMPARE(opt.randomProbability(), 1.0);
        auto first = opt.ask(1).at(0); // probability 1: certainly random
        QCOMPARE(int(first.kind), int(ProposalKind::Random));
        QVERIFY(std::abs(opt.randomProbability() - 0.9) < 1e-12);
        opt.advanceRandomSchedule(100);
        QVERIFY(std::abs(opt.randomProbability() - 0.1) < 1e-12); // the floor

        s.randomProposals = false; // switched off: never random after the initial points
        BayesOptimizer off(p.space, s);
        for (int i = 0; i < 6; ++i) {
            auto pr = off.ask(1).at(0);
            if (i >= 2)
                QCOMPARE(int(pr.kind), int(ProposalKind::Ucb));
            off.tell(pr.assignment, value(p, pr.assignment), true);
        }
    }

    void neverReproposesAndReportsExhaustion()
    {
        // 3 x 2 = 6 points in all.
        SearchSpace space({{"a.c", Domain::categorical({"x", "y", "z"}), nullptr, std::nullopt, 0, 0},
                           {"a.b", Domain::boolean(), nullptr, std::nullopt, 0, 0}});
        OptimizerSettings s = fastSettings();
        s.initialRandom = 2;
        BayesOptimizer opt(space, s);
        std::set<std::string> seen;
        for (int i = 0; i < 6; ++i) {
            auto batch = opt.ask(1);
            QCOMPARE(int(batch.size()), 1);
            QVERIFY2(seen.insert(text(batch[0].assignment)).second, "a point was proposed twice");
            opt.tell(batch[0].assignment, double(i % 3), true);
        }
        QVERIFY(opt.ask(1).empty()); // nothing unseen is left
    }

    void batchProposalsAreDistinct_data()
    {
        QTest::addColumn<int>("method");
        QTest::newRow("clustering") << int(BatchMethod::Clustering);
        QTest::newRow("kriging believer") << int(BatchMethod::KrigingBeliever);
    }
    void batchProposalsAreDistinct()
    {
        QFETCH(int, method);
        auto p = makeTestProblem("mixed");
        OptimizerSettings s = fastSettings(4);
        s.batch = BatchMethod(method);
        s.randomProposals = false;
        BayesOptimizer opt(p.space, s);
        std::set<std::string> seen;
        for (int round = 0; round < 4; ++round) {
            auto batch = opt.ask(4);
            QCOMPARE(int(batch.size()), 4);
            for (const auto& pr : batch) {
                QVERIFY2(seen.insert(text(pr.assignment)).second, "duplicate proposal in or across batches");
                if (round > 1)
                    QCOMPARE(int(pr.kind), int(ProposalKind::Ucb));
            }
            for (const auto& pr : batch)
                opt.tell(pr.assignment, value(p, pr.assignment), true);
        }
        // Points still in flight are not proposed again either.
        auto pending = opt.ask(3);
        auto more = opt.ask(3);
        for (const auto& pr : pending)
            QVERIFY(seen.insert(text(pr.assignment)).second);
        for (const auto& pr : more)
            QVERIFY(seen.insert(text(pr.assignment)).second);
    }

    void hardPenaltyAndSoftPenalty()
    {
        ObjectiveWeights w;
        w.error = 1;
        w.flash = 0.5;
        w.sram = 0.5;
        w.latency = 0;
        Objective hard(w, BoardLimits{"b", 1000, 100});
        TrialResult ok;
        ok.terms = {{"error", 0.2}, {"flash_bytes", 500}, {"sram_bytes", 50}};
        QVERIFY(std::abs(*hard.value(ok) - (0.2 + 0.25 + 0.25)) < 1e-12);
        TrialResult overflow;
        overflow.status = TrialStatus::Infeasible;
        overflow.fault = "flash-overflow";
        overflow.terms = {{"flash_bytes", 1500}, {"sram_bytes", 50}};
        QCOMPARE(*hard.value(overflow), hard.hardPenalty); // constant, whatever the overflow
        overflow.terms["flash_bytes"] = 3000;
        QCOMPARE(*hard.value(overflow), hard.hardPenalty);
        Objective soft(w, BoardLimits{"b", 1000, 100}, PenaltyMode::Soft);
        double small = *soft.value(TrialStatus::Infeasible, {{"flash_bytes", 1500}, {"sram_bytes", 50}});
        double large = *soft.value(TrialStatus::Infeasible, {{"flash_bytes", 3000}, {"sram_bytes", 50}});
        QVERIFY(small < large);                    // soft: grows with the overflow
        QVERIFY(large < hard.hardPenalty);
        QVERIFY(std::abs(small - (1 + 0.75 + 0.25 + 0.5)) < 1e-12);
        TrialResult failed;
        failed.status = TrialStatus::Failed;
        QVERIFY(!hard.value(failed));
    }

    void feasibilityModelStopsProposingOverflows()
    {
        auto p = makeTestProblem("branin");
        auto run = [&](FeasibilityHandling handling, std::uint64_t seed) {
            OptimizerSettings s = fastSettings(seed);
            s.feasibility = handling;
            s.randomProposals = false;
            BayesOptimizer opt(p.space, s);
            int lateInfeasible = 0;
            for (int i = 0; i < 24; ++i) {
                auto pr = opt.ask(1).at(0);
                bool bad = overflows(pr.assignment);
                if (i >= 12 && bad)
                    ++lateInfeasible;
                opt.tell(pr.assignment, bad ? 10.0 : value(p, pr.assignment), !bad);
            }
            Assignment inside{{"f.x1", 8.0}, {"f.x2", 3.0}};
            return std::make_pair(lateInfeasible, opt.feasibleProbability(inside));
        };
        int withModel = 0, penaltyOnly = 0;
        for (std::uint64_t seed : {1}) {
            auto [late, pInside] = run(FeasibilityHandling::LearnedModel, seed);
            withModel += late;
            QVERIFY2(pInside < 0.5, qPrintable(QString::number(pInside)));
            penaltyOnly += run(FeasibilityHandling::PenaltyOnly, seed).first;
        }
        QVERIFY2(withModel <= 2, qPrintable(QString("%1 late infeasible proposals").arg(withModel)));
        QVERIFY2(withModel <= penaltyOnly, qPrintable(QString("%1 vs %2").arg(withModel).arg(penaltyOnly)));
    }

    void findsTheBraninMinimum()
    {
        auto p = makeTestProblem("branin");
        OptimizerSettings s = fastSettings(3);
        s.randomProposals = false; // the surrogate path alone
        BayesOptimizer opt(p.space, s);
        double best = 1e9;
        for (int i = 0; i < 30; ++i) {
            auto pr = opt.ask(1).at(0);
            double v = value(p, pr.assignment);
            best = std::min(best, v);
            opt.tell(pr.assignment, v, true);
        }
        QVERIFY2(best < 0.6, qPrintable(QString::number(best)));
    }

    void nonDominatedSortAndHypervolume()
    {
        std::vector<ObjectivePoint> pts = {{1, 5}, {2, 3}, {3, 4}, {4, 1}, {2, 3}, {5, 5}};
        auto fronts = nonDominatedSort(pts);
        QCOMPARE(fronts[0], (std::vector<int>{0, 1, 3, 4}));
        QCOMPARE(fronts[1], (std::vector<int>{2}));
        QCOMPARE(fronts[2], (std::vector<int>{5}));
        // Staircase of (1,5), (2,3), (4,1) up to (6,6), by vertical strips: 1*1 + 2*3 + 2*5 = 17.
        QVERIFY(std::abs(hypervolume({{1, 5}, {2, 3}, {4, 1}}, {6, 6}) - (1 * 1 + 2 * 3 + 2 * 5)) < 1e-12);
        QVERIFY(std::abs(hypervolume({{0.5, 0.5, 0.5}}, {1, 1, 1}) - 0.125) < 1e-12);
        QVERIFY(std::abs(hypervolume({{0, 0, 0.5}, {0.5, 0.5, 0}}, {1, 1, 1}) - (0.5 + 0.25 - 0.125)) < 1e-12);

        std::vector<TrialRecord> trials(4);
        for (int i = 0; i < 4; ++i) {
            trials[std::size_t(i)].id = i;
            trials[std::size_t(i)].finishedMs = 1;
        }
        trials[0].terms = {{"error", 0.1}, {"flash_bytes", 900}};
        trials[1].terms = {{"error", 0.3}, {"flash_bytes", 200}};
        trials[2].terms = {{"error", 0.4}, {"flash_bytes", 950}}; // dominated
        trials[3].status = TrialStatus::Infeasible;               // never on the front
        trials[3].terms = {{"flash_bytes", 10}};
        auto front = paretoFront(trials, {"error", "flash"});
        QCOMPARE(int(front.trials.size()), 2);
        QCOMPARE(front.trials[0].id, 0);
        QCOMPARE(front.trials[1].id, 1);
        QVERIFY(front.hypervolume > 0);
    }
};

QTEST_APPLESS_MAIN(TestSearchOptimizer)
#include "test_search_optimizer.moc"
