// rule.bound over the orientation EKF's state: "the orientation changes no faster than the
// gyroscope's range", as |d azimuth / dt| (or elevation) checked at every sample of the AHRS
// recording, a weighted "rule:<name>" term with its counts in details["rules"].
#include "engine/ProjectEvaluator.h"
#include "graph/BlockRegistry.h"
#include "graph/Validation.h"
#include "kalman/GroundRobotFilters.h"
#include "kalman/StateQuantity.h"
#include "learn/RuleChecks.h"
#include "symbolic/RuleTerms.h"
#include "../support/ProjectFixtures.h"
#include <Eigen/Geometry>
#include <QtTest>
#include <cmath>
#include <numbers>

using namespace nesy;
using nesy::testing::block;
using nesy::testing::evaluatorRefusal;
using nesy::testing::evaluateOnce;
using nesy::testing::projectOf;
using nesy::testing::sharedData;

namespace {

// The quaternion [w, x, y, z] of a yaw of `azimuthDeg` then a pitch up of `elevationDeg`.
Eigen::VectorXd pointing(double azimuthDeg, double elevationDeg)
{
    const double toRad = std::numbers::pi / 180.0;
    const Eigen::Quaterniond q = Eigen::AngleAxisd(azimuthDeg * toRad, Eigen::Vector3d::UnitZ()) *
                                 Eigen::AngleAxisd(-elevationDeg * toRad, Eigen::Vector3d::UnitY());
    return Eigen::Vector4d(q.w(), q.x(), q.y(), q.z());
}

learn::RuleSpec boundRule(const std::string& id, const Json& params)
{
    learn::RuleSpec r;
    r.term = {id, "rule.bound", "", "rule:" + id, 1.0};
    r.params = params;
    r.reads = "ekf";
    return r;
}

// source.ahrs -> kalman.orientation_ekf -> sink.tracking on the real recording, plus extra blocks
// and connections.
Project orientationProject(const Json& extraBlocks, const Json& extraConnections)
{
    Json blocks = Json::array({block("imu", "source.ahrs", {{"dataset", "ahrs"}, {"rate_hz", 100}}),
                               block("ekf", "kalman.orientation_ekf", {{"acc_noise", 0.5}, {"gyro_noise", 0.3}}),
                               block("objective", "sink.tracking", {{"metric", "azimuth_elevation_error"}})});
    Json connections = Json::array({{{"from", "imu.imu"}, {"to", "ekf.imu"}}, {{"from", "ekf.state"}, {"to", "objective.state"}}});
    for (const Json& b : extraBlocks)
        blocks.push_back(b);
    for (const Json& c : extraConnections)
        connections.push_back(c);
    const Json datasets = Json::array({{{"id", "ahrs"}, {"kind", "ahrs"}, {"path", sharedData("ahrs-ekf").string()}}});
    return projectOf(blocks, connections, datasets);
}

} // namespace

class TestLearnOrientationRules : public QObject {
    Q_OBJECT
private slots:
    // The quantities are the orientation error metric's azimuth and elevation of the quaternion.
    void azimuthAndElevationOfAQuaternion()
    {
        const kalman::StateQuantity az = kalman::stateQuantity("kalman.orientation_ekf", "azimuth");
        const kalman::StateQuantity el = kalman::stateQuantity("kalman.orientation_ekf", "elevation");
        QVERIFY(std::abs(az.of(pointing(120.0, 20.0)) - 120.0) < 1e-9);
        QVERIFY(std::abs(el.of(pointing(120.0, 20.0)) - 20.0) < 1e-9);
        QVERIFY(std::abs(az.of(pointing(-170.0, 0.0)) + 170.0) < 1e-9);
        // A quaternion that is not quite unit (as a state may drift) reads the same.
        QVERIFY(std::abs(az.of(2.0 * pointing(45.0, 10.0)) - 45.0) < 1e-9);
    }

    // A hand-made sequence, 0.1 s apart, crossing +-180 deg: azimuths 170, 178, -176, -150 step by
    // 8, 6 and 26 deg, rates 80, 60, 260 deg/s (not the 3540 deg/s a naive difference gives at the
    // wrap). Elevations 0, 5, 5, -10: rates 50, 0, 150 deg/s.
    void rateOfAHandMadeSequence()
    {
        kalman::FilterRun run;
        const double azimuths[] = {170.0, 178.0, -176.0, -150.0}, elevations[] = {0.0, 5.0, 5.0, -10.0};
        for (int k = 0; k < 4; ++k) {
            run.states.push_back(pointing(azimuths[k], elevations[k]));
            run.times.push_back(0.1 * k);
        }
        const kalman::StateQuantity az = kalman::stateQuantity("kalman.orientation_ekf", "azimuth");
        const Eigen::VectorXd unwrapped = az.along(run.states, true);
        QVERIFY(std::abs(unwrapped[2] - 184.0) < 1e-9 && std::abs(unwrapped[3] - 210.0) < 1e-9);
        QVERIFY(std::abs(az.along(run.states, false)[2] + 176.0) < 1e-9); // the value itself stays in +-180

        const std::vector<learn::RuleSpec> rules = {
            boundRule("az100", {{"quantity", "azimuth"}, {"on_rate", true}, {"max", 100.0}}),
            boundRule("az70", {{"quantity", "azimuth"}, {"on_rate", true}, {"max", 70.0}}),
            boundRule("el40", {{"quantity", "elevation"}, {"on_rate", true}, {"max", 40.0}}),
            boundRule("azValue", {{"quantity", "azimuth"}, {"min", -160.0}, {"max", 175.0}}),
        };
        const auto out = learn::checkStateRules(rules, "kalman.orientation_ekf", {run});
        QCOMPARE(out[0].count.checked, 3);
        QCOMPARE(out[0].count.violations, 1); // 260 > 100
        QCOMPARE(out[1].count.violations, 2); // 80 and 260 > 70
        QCOMPARE(out[2].count.violations, 2); // 50 and 150 > 40
        QCOMPARE(out[3].count.checked, 4);
        QCOMPARE(out[3].count.violations, 2); // 178 > 175, -176 < -160
    }

    // On the real recording: a 1 deg/s bound on the azimuth's rate is violated at many samples, a
    // 2000 deg/s one (the usual gyroscope range) at none; each is a weighted "rule:<name>" term.
    void azimuthRateRuleIsATrialTerm()
    {
        const Json rules = Json::array(
            {block("tight", "rule.bound", {{"quantity", "azimuth"}, {"on_rate", true}, {"max", 1.0}, {"weight", 2.0}}),
             block("gyro_range", "rule.bound", {{"quantity", "azimuth"}, {"on_rate", true}, {"max", 2000.0}}),
             block("range_term", "sink.term", {{"name", "within_gyro_range"}, {"weight", 0.5}})});
        const Json wires = Json::array({{{"from", "ekf.state"}, {"to", "tight.value"}},
                                        {{"from", "ekf.state"}, {"to", "gyro_range.value"}},
                                        {{"from", "gyro_range.violations"}, {"to", "range_term.value"}}});
        const Project p = orientationProject(rules, wires);
        const BlockRegistry& registry = BlockRegistry::builtin();
        for (const Problem& problem : validate(p.graph, registry))
            QVERIFY2(problem.kind != ProblemKind::TypeMismatch, problem.toString().c_str());
        const auto weights = symbolic::ruleTermWeights(p.graph, registry);
        QCOMPARE(weights.at("rule:tight"), 2.0);
        QCOMPARE(weights.at("rule:within_gyro_range"), 0.5);

        const TrialResult r = evaluateOnce(p);
        QVERIFY2(r.status == TrialStatus::Ok, r.detail.c_str());
        QVERIFY(r.terms.at("error") > 0);
        const double tight = r.terms.at("rule:tight"), loose = r.terms.at("rule:within_gyro_range");
        qInfo() << "|d azimuth/dt| > 1 deg/s at" << tight << "of the steps, > 2000 deg/s at" << loose;
        QVERIFY(tight > 0.1 && tight <= 1.0);
        QCOMPARE(loose, 0.0);
        const Json& details = r.details["rules"];
        QCOMPARE(int(details.size()), 2);
        QCOMPARE(details[0]["block"].get<std::string>(), std::string("tight"));
        QCOMPARE(details[0]["reads"].get<std::string>(), std::string("ekf"));
        QCOMPARE(details[0]["weight"].get<double>(), 2.0);
        // Every step between consecutive samples of the recording is checked.
        const int samples = r.details["scores"]["samples"].get<int>();
        QCOMPARE(details[0]["checked"].get<int>(), samples - 1);
        QCOMPARE(details[0]["violations"].get<int>(), int(std::lround(tight * (samples - 1))));
        QCOMPARE(details[1]["term"].get<std::string>(), std::string("rule:within_gyro_range"));
        QCOMPARE(details[1]["violations"].get<int>(), 0);
        QVERIFY(!details[0].contains("test")); // one recording, no held-out split
    }

    void badOrientationRulesAreRefusedNamingTheBlock()
    {
        const Json wire = Json::array({{{"from", "ekf.state"}, {"to", "limit.value"}}});
        QString why = evaluatorRefusal(
            orientationProject(Json::array({block("limit", "rule.bound", {{"quantity", "speed"}})}), wire));
        QVERIFY2(why.contains("\"limit\"") && why.contains("quantity") && why.contains("speed") &&
                     why.contains("azimuth") && why.contains("elevation"),
                 qPrintable(why));
        why = evaluatorRefusal(orientationProject(Json::array({block("limit", "rule.sequence", Json::object())}),
                                                  Json::array({{{"from", "ekf.state"}, {"to", "limit.decisions"}}})));
        QVERIFY2(why.contains("\"limit\""), qPrintable(why));
        QVERIFY(evaluatorRefusal(orientationProject(Json::array(), Json::array())).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestLearnOrientationRules)
#include "test_learn_orientation_rules.moc"
