// The tracking shape beyond the neural-Kalman filter: the constant-velocity linear KF
// (kalman.linear) on the simulator, scored like the other trajectory filters, and rule.bound
// reading a quantity of a filter's state ("speed <= vmax") as a weighted objective term. Graphs
// are built in code with small settings.
#include "engine/ProjectEvaluator.h"
#include "graph/BlockRegistry.h"
#include "graph/Validation.h"
#include "kalman/GroundRobotFilters.h"
#include "kalman/StateQuantity.h"
#include "learn/RuleChecks.h"
#include "symbolic/RuleTerms.h"
#include "../support/ProjectFixtures.h"
#include <QtTest>
#include <cmath>

using namespace nesy;
using nesy::testing::block;
using nesy::testing::evaluatorRefusal;
using nesy::testing::evaluateOnce;
using nesy::testing::projectOf;

namespace {

// source.gps_ins_sim -> kalman.linear -> sink.tracking, plus extra blocks and connections.
Project linearProject(const Json& filterValues, const Json& extraBlocks = Json::array(),
                      const Json& extraConnections = Json::array())
{
    Json blocks = Json::array({block("robot", "source.gps_ins_sim", {{"trajectories", 5}, {"seconds", 60}, {"seed", 7}}),
                               block("filter", "kalman.linear", filterValues),
                               block("objective", "sink.tracking", {{"metric", "median_position_error"}})});
    Json connections = Json::array({{{"from", "robot.gps"}, {"to", "filter.measurements"}},
                                    {{"from", "filter.state"}, {"to", "objective.state"}}});
    for (const Json& b : extraBlocks)
        blocks.push_back(b);
    for (const Json& c : extraConnections)
        connections.push_back(c);
    return projectOf(blocks, connections);
}

// A filter run whose states are given by hand, one second apart.
kalman::FilterRun runOf(const std::vector<Eigen::Vector4d>& states)
{
    kalman::FilterRun r;
    for (std::size_t k = 0; k < states.size(); ++k) {
        r.states.push_back(states[k]);
        r.times.push_back(double(k));
        r.errors.push_back(0.0);
    }
    return r;
}

learn::RuleSpec boundRule(const std::string& id, const Json& params)
{
    learn::RuleSpec r;
    r.term = {id, "rule.bound", "", "rule:" + id, 1.0};
    r.params = params;
    r.reads = "filter";
    return r;
}

} // namespace

class TestLearnTrackingRules : public QObject {
    Q_OBJECT
private slots:
    // A straight track at constant velocity, fixed without noise: the constant-velocity model is
    // exact, so the filter's velocity converges to the track's and its error to zero.
    void linearKalmanTracksAConstantVelocity()
    {
        sim::GroundRobotTrajectory t;
        const int seconds = 30;
        t.position.resize(seconds + 1, 2);
        for (int k = 0; k <= seconds; ++k) {
            t.position.row(k) << 3.0 + 1.2 * k, -2.0 - 0.5 * k;
            t.gps.push_back({Eigen::Index(k), double(k), t.position.row(k).transpose()});
        }
        t.imuRateHz = 1.0;
        const kalman::FilterRun run = kalman::linearKalmanRun(t, {1e-4, 1.5, 1.0});
        QCOMPARE(int(run.errors.size()), seconds);
        QVERIFY2(run.errors.back() < 0.05, qPrintable(QString::number(run.errors.back())));
        const Eigen::VectorXd& x = run.states.back();
        QVERIFY(std::abs(x[2] - 1.2) < 0.02 && std::abs(x[3] + 0.5) < 0.02);
        QVERIFY(std::abs(kalman::stateQuantity("kalman.linear", "speed").of(x) - 1.3) < 0.02);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kalman::linearKalmanRun(t, {0.0, 1.5, 1.0}));
    }

    // On the simulator the linear KF smooths the 1.5 m GPS noise: below GPS alone on the same runs.
    void linearKalmanRunsATrial()
    {
        const TrialResult r = evaluateOnce(linearProject({{"process_noise", 0.05}, {"measurement_noise", 1.5}}));
        QVERIFY2(r.status == TrialStatus::Ok, r.detail.c_str());
        const double error = r.terms.at("error"), gpsOnly = r.details["scores"]["gps_only_m"].get<double>();
        qInfo() << "linear KF median position error" << error << "m, GPS only" << gpsOnly << "m";
        QVERIFY(std::isfinite(error) && error > 0);
        QVERIFY(error < 0.9 * gpsOnly);
        QVERIFY(std::isfinite(r.terms.at("test_error")));
        QCOMPARE(r.details["scores"]["process_noise"].get<double>(), 0.05);
        // Trusting the constant velocity far too little is GPS alone again, roughly.
        const TrialResult loose = evaluateOnce(linearProject({{"process_noise", 100.0}, {"measurement_noise", 1.5}}));
        QVERIFY2(loose.status == TrialStatus::Ok, loose.detail.c_str());
        QVERIFY(loose.terms.at("error") > error);
    }

    // Speeds 5, 1, 2 (and vx 3, 1, 0) one second apart, checked by hand.
    void speedBoundCountsByHand()
    {
        const std::vector<kalman::FilterRun> runs{
            runOf({Eigen::Vector4d(0, 0, 3, 4), Eigen::Vector4d(1, 0, 1, 0), Eigen::Vector4d(2, 0, 0, 2)})};
        const std::vector<learn::RuleSpec> rules{
            boundRule("speed", {{"quantity", "speed"}, {"min", -1e9}, {"max", 2.0}, {"on_rate", false}}),
            boundRule("vx", {{"quantity", "vx"}, {"min", -1e9}, {"max", 0.5}, {"on_rate", false}}),
            boundRule("speed_rate", {{"quantity", "speed"}, {"max", 2.0}, {"on_rate", true}})};
        const auto out = learn::checkStateRules(rules, "kalman.linear", runs);
        QCOMPARE(out.size(), std::size_t(3));
        QCOMPARE(out[0].count.violations, 1); // 5 > 2
        QCOMPARE(out[0].count.checked, 3);
        QCOMPARE(out[1].count.violations, 2); // 3 and 1 > 0.5
        QCOMPARE(out[2].count.violations, 1); // |1 - 5| / 1 s > 2, |2 - 1| is not
        QCOMPARE(out[2].count.checked, 2);
        // kalman.ekf's state is [x, y, speed, heading]: its speed is |state[2]|.
        const auto ekf = learn::checkStateRules({rules[0]}, "kalman.ekf", runs);
        QCOMPARE(ekf[0].count.violations, 1); // the third components 3, 1, 0: one above 2

        TrialResult r;
        r.details = Json::object();
        learn::addRuleTerms(r, out, {});
        QCOMPARE(r.terms.at("rule:speed"), 1.0 / 3.0);
        QCOMPARE(r.details["rules"][1]["violations"].get<int>(), 2);
        QCOMPARE(r.details["rules"][1]["reads"].get<std::string>(), std::string("filter"));
    }

    // "speed <= vmax" on the filter's state in a real trial: its rate is the "rule:<name>" term
    // with its weight, its counts in details["rules"]; a tighter bound is violated more often.
    void speedRuleIsATrialTerm()
    {
        const Json rules = Json::array(
            {block("tight", "rule.bound", {{"quantity", "speed"}, {"max", 0.3}, {"weight", 2.0}}),
             block("loose", "rule.bound", {{"quantity", "speed"}, {"max", 50.0}})});
        const Json wires = Json::array({{{"from", "filter.state"}, {"to", "tight.value"}},
                                        {{"from", "filter.state"}, {"to", "loose.value"}}});
        const Project p = linearProject({{"process_noise", 0.05}}, rules, wires);
        // The state port feeds the rule's value port: the graph is valid as drawn.
        const BlockRegistry& registry = BlockRegistry::builtin();
        for (const Problem& problem : validate(p.graph, registry))
            QVERIFY2(problem.kind != ProblemKind::TypeMismatch, problem.toString().c_str());
        QCOMPARE(symbolic::ruleTermWeights(p.graph, registry).at("rule:tight"), 2.0);

        const TrialResult r = evaluateOnce(p);
        QVERIFY2(r.status == TrialStatus::Ok, r.detail.c_str());
        const double tight = r.terms.at("rule:tight"), loose = r.terms.at("rule:loose");
        qInfo() << "speed > 0.3 m/s at" << tight << "of the epochs, > 50 m/s at" << loose;
        QVERIFY(tight > 0.3 && tight <= 1.0);
        QCOMPARE(loose, 0.0);
        const Json& details = r.details["rules"];
        QCOMPARE(int(details.size()), 2);
        QCOMPARE(details[0]["block"].get<std::string>(), std::string("tight"));
        QCOMPARE(details[0]["reads"].get<std::string>(), std::string("filter"));
        QCOMPARE(details[0]["weight"].get<double>(), 2.0);
        // One validation run of 60 s at 1 Hz: every epoch after the first fix is checked.
        const int checked = details[0]["checked"].get<int>();
        QVERIFY(checked >= 59 && checked <= 60);
        QCOMPARE(details[0]["violations"].get<int>(), int(std::lround(tight * checked)));
        QVERIFY(details[0].contains("test"));
    }

    void badStateRulesAreRefusedNamingTheBlock()
    {
        const Json wire = Json::array({{{"from", "filter.state"}, {"to", "limit.value"}}});
        QString why = evaluatorRefusal(
            linearProject(Json::object(), Json::array({block("limit", "rule.bound", {{"quantity", "heading"}})}), wire));
        QVERIFY2(why.contains("\"limit\"") && why.contains("quantity") && why.contains("heading") && why.contains("vx"),
                 qPrintable(why));
        why = evaluatorRefusal(linearProject(Json::object(), Json::array({block("limit", "rule.sequence", Json::object())}),
                                             Json::array({{{"from", "filter.state"}, {"to", "limit.decisions"}}})));
        QVERIFY2(why.contains("\"limit\""), qPrintable(why));
        QVERIFY(evaluatorRefusal(linearProject(Json::object())).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestLearnTrackingRules)
#include "test_learn_tracking_rules.moc"
