// Tracking trials as C: a kalman.neural trial of the ground-robot project is exported with
// `nesy export` (retrained with its seed) and the exported step, built on the host, computes the
// engine's filter over several windows (the generated-code reference within 1e-5 relative, and the
// engine's own trajectory errors); `nesy measure` measures it and an orientation-EKF trial on the
// simulated board; the GPS/INS EKF step matches the engine's baseline; the evaluator's resource check
// refuses a filter whose network cannot fit the ISPU before training it, and never runs a refused
// orientation filter; one emulated measurement runs the trained neural-Kalman step end to end.
#include "Commands.h"
#include "boards/LocalBoards.h"
#include "codegen/BoardResourceCheck.h"
#include "codegen/FilterC.h"
#include "codegen/FilterReference.h"
#include "codegen/HostRunner.h"
#include "codegen/TrialPrograms.h"
#include "kalman/GroundRobotFilters.h"
#include "learn/MlpProcessNetwork.h"
#include "learn/TrainedProgram.h"
#include "sim/GroundRobotSimulator.h"
#include "../support/ProjectFixtures.h"
#include <QTemporaryDir>
#include "../support/OutputComparison.h"
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace nesy;
using namespace nesy::codegen;
using nesy::testing::block;
using nesy::testing::projectOf;
using nesy::testing::requireClose;
using nesy::testing::sharedData;

namespace {

// The neural-Kalman robot project, small enough to train in a second or two.
Project robotProject(int units, int layers, int epochs, const std::string& filterType = "kalman.neural",
                     const std::string& velocityModel = "mlp")
{
    Json filter = filterType == "kalman.neural"
                      ? block("filter", filterType,
                              {{"units", units}, {"layers", layers}, {"window", 50}, {"epochs", epochs},
                               {"velocity_model", velocityModel}})
                      : block("filter", filterType, Json::object());
    return projectOf(Json::array({block("robot", "source.gps_ins_sim", {{"trajectories", 3}, {"seconds", 20}, {"seed", 11}}),
                                  filter,
                                  block("objective", "sink.tracking", {{"metric", "median_position_error"}})}),
                     Json::array({{{"from", "robot.imu"}, {"to", "filter.imu"}},
                                  {{"from", "robot.gps"}, {"to", "filter.gps"}},
                                  {{"from", "filter.state"}, {"to", "objective.state"}}}));
}

// The orientation-EKF example, its data read in place from the shared folder.
Project orientationProject()
{
    const char* src = std::getenv("NESY_SOURCE_DIR");
    Project p = loadProject(std::filesystem::path(src ? src : ".") / "resources/examples/orientation-ekf-ahrs.nesy.json");
    for (auto& d : p.datasets)
        d.path = sharedData("ahrs-ekf").string();
    return p;
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int runCli(int (*command)(const cli::Args&, std::ostream&, std::ostream&), const cli::Args& args, std::string& out)
{
    std::ostringstream o, e;
    const int code = command(args, o, e);
    out = o.str();
    if (code != 0)
        qWarning() << "nesy" << args.front().c_str() << "failed:" << e.str().c_str();
    return code;
}

// The run trajectoryStepInputs takes its steps from (same config, same seed).
sim::GroundRobotTrajectory runOf(const learn::TrajectoryFilter& f, int steps, std::uint64_t seed)
{
    sim::GroundRobotConfig config;
    config.imuRateHz = f.imuRateHz;
    config.gpsRateHz = f.gpsRateHz;
    config.durationS = trajectoryStepSeconds(f, steps);
    return sim::simulateGroundRobot(config, seed);
}

// The generated step from the engine's starting state (the first fix, at rest; for the EKF the true
// heading), run on the host over `steps` steps: its position error at each later fix, as the engine
// scores the filter.
std::vector<double> hostErrors(FilterIR f, const sim::GroundRobotTrajectory& run, int steps, int stepsPerFix,
                               const std::vector<float>& inputs)
{
    f.x0[0] = run.gps[0].position.x();
    f.x0[1] = run.gps[0].position.y();
    if (f.kind == FilterKind::GpsInsEkf)
        f.x0[3] = run.heading[0];
    const std::vector<float> states = runOnHost(generateFilterC(f).sources, inputs).output;
    std::vector<double> errors;
    for (int s = stepsPerFix - 1; s < steps; s += stepsPerFix) {
        const Eigen::Index sample = run.gps[std::size_t((s + 1) / stepsPerFix)].sample;
        const Eigen::Vector2d estimate(states[std::size_t(s) * 4], states[std::size_t(s) * 4 + 1]);
        errors.push_back((run.position.row(sample).transpose() - estimate).norm());
    }
    return errors;
}

void requireSameErrors(const std::vector<double>& host, const std::vector<double>& engine)
{
    QCOMPARE(host.size(), engine.size());
    for (std::size_t i = 0; i < host.size(); ++i)
        QVERIFY2(std::fabs(host[i] - engine[i]) <= 1e-5 * std::max(1.0, engine[i]),
                 qPrintable(QString("fix %1: C %2 m, engine %3 m").arg(i + 1).arg(host[i]).arg(engine[i])));
}

} // namespace

class TestCodegenTrackingTrials : public QObject {
    Q_OBJECT

private slots:
    void exportedNeuralKalmanTrialRunsAsTheEngine()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = std::filesystem::path(dir.path().toStdString()) / "robot.nesy.json";
        saveProject(robotProject(8, 1, 4), file);
        const std::filesystem::path out = std::filesystem::path(dir.path().toStdString()) / "export";
        std::string log;
        QCOMPARE(runCli(cli::runExport, {file.string(), "--trial", "default", "--out", out.string()}, log), 0);
        const std::map<std::string, std::string> exported = {{"nesy_program.c", readFile(out / "nesy_program.c")},
                                                             {"nesy_program.h", readFile(out / "nesy_program.h")}};
        QVERIFY(exported.at("nesy_program.c").find("neural_kalman_body_velocity") != std::string::npos);
        const std::string readme = readFile(out / "README.md");
        QVERIFY(readme.find("validation median_position_error ") != std::string::npos);
        QVERIFY(readme.find("(median_position_error") == std::string::npos); // an error, not a score
        QVERIFY(readme.find("heading integrated from the gyro") != std::string::npos);

        // The exported program is the trial's trained filter: the retrained trial lowers to the same C.
        const Project project = loadProject(file);
        const TrainedTrial trained = retrainTrial(project, project.graph);
        QVERIFY(trained.program.trajectory);
        const learn::TrajectoryFilter& filter = *trained.program.trajectory;
        QVERIFY(filter.neural.modelVelocitySigma > 0 && filter.neural.modelVelocitySigma != 0.1); // trained
        const FilterIR ir = trajectoryFilterIR(filter);
        QCOMPARE(generateFilterC(ir).sources.at("nesy_program.c"), exported.at("nesy_program.c"));

        // Six windows of a simulated run (three GPS fixes): the exported C against the reference.
        const int steps = 6;
        const std::vector<float> inputs = trajectoryStepInputs(filter, steps, 5);
        requireClose(runOnHost(exported, inputs).output, runFilterReference(ir, inputs, steps), "exported step");

        // And against the engine's own evaluation of the trained filter on that run.
        const sim::GroundRobotTrajectory run = runOf(filter, steps, 5);
        const kalman::MlpProcessNetwork network(filter.velocityNetwork, filter.velocityStandardisation);
        requireSameErrors(hostErrors(ir, run, steps, 2, inputs), kalman::neuralKalmanErrors(run, network, filter.neural));

        // The IMU noise terms of P (window samples through the features, the heading's drift) are
        // tiny for a consumer IMU; made large, each one moves the states, and still C = engine.
        learn::TrajectoryFilter noisy = filter;
        noisy.neural.noise.acc.whiteNoiseDensity = 0.2;
        noisy.neural.noise.gyro = {0.05, 0.01, 0.3};
        const FilterIR noisyIr = trajectoryFilterIR(noisy);
        const std::vector<float> quiet = runFilterReference(ir, inputs, steps);
        const std::vector<float> loud = runFilterReference(noisyIr, inputs, steps);
        QVERIFY(std::fabs(loud.back() - quiet.back()) > 1e-3f * std::fabs(quiet.back()));
        requireSameErrors(hostErrors(noisyIr, run, steps, 2, inputs), kalman::neuralKalmanErrors(run, network, noisy.neural));
    }

    void linearVelocityModelExportsAsOneDenseLayer()
    {
        const Project project = robotProject(8, 1, 4, "kalman.neural", "linear");
        const TrainedTrial trained = retrainTrial(project, project.graph);
        QVERIFY(trained.program.trajectory);
        const learn::TrajectoryFilter& filter = *trained.program.trajectory;
        QCOMPARE(filter.velocityNetwork.layers.size(), std::size_t(1));
        const FilterIR ir = trajectoryFilterIR(filter);
        const std::vector<float> inputs = trajectoryStepInputs(filter, 4, 3);
        requireClose(runOnHost(generateFilterC(ir).sources, inputs).output, runFilterReference(ir, inputs, 4),
                     "linear velocity model");
    }

    void gpsInsEkfStepMatchesTheEngine()
    {
        const Project project = robotProject(0, 0, 0, "kalman.ekf");
        const CandidateProgram c = candidateProgramForGraph(project.graph, project, BlockRegistry::builtin());
        QCOMPARE(c.summary["filter"]["kind"].get<std::string>(), std::string("gps_ins_ekf"));
        requireClose(runOnHost(c.sources, c.testInput).output, c.expectedOutput, "one step");

        learn::TrajectoryFilter filter;
        filter.type = "kalman.ekf";
        filter.block = "ekf";
        const int steps = 300; // three GPS intervals at 100 Hz
        const std::vector<float> inputs = trajectoryStepInputs(filter, steps, 7);
        const FilterIR ir = trajectoryFilterIR(filter);
        requireClose(runOnHost(generateFilterC(ir).sources, inputs).output, runFilterReference(ir, inputs, steps),
                     "300 steps");
        const sim::GroundRobotTrajectory run = runOf(filter, steps, 7);
        requireSameErrors(hostErrors(ir, run, steps, 100, inputs), kalman::ekfGpsInsErrors(run, filter.ekf));
    }

    void linearKalmanStepMatchesTheEngine()
    {
        const Project project = projectOf(
            Json::array({block("robot", "source.gps_ins_sim", {{"trajectories", 3}, {"seconds", 20}, {"seed", 11}}),
                         block("filter", "kalman.linear", {{"process_noise", 0.05}, {"measurement_noise", 1.2}}),
                         block("objective", "sink.tracking", {{"metric", "median_position_error"}})}),
            Json::array({{{"from", "robot.gps"}, {"to", "filter.measurements"}},
                         {{"from", "filter.state"}, {"to", "objective.state"}}}));
        const CandidateProgram c = candidateProgramForGraph(project.graph, project, BlockRegistry::builtin());
        QCOMPARE(c.summary["filter"]["kind"].get<std::string>(), std::string("kalman_linear"));
        requireClose(runOnHost(c.sources, c.testInput).output, c.expectedOutput, "one step");
        const TrainedTrial trained = retrainTrial(project, project.graph);
        QVERIFY(trained.program.trajectory);
        QCOMPARE(trained.program.trajectory->linear.processNoise, 0.05);
        QVERIFY(candidateProgramFor(trained.program).sources == c.sources); // nothing trained: the same step

        const learn::TrajectoryFilter& filter = *trained.program.trajectory;
        const int steps = 15; // one per GPS fix at 1 Hz
        const std::vector<float> inputs = trajectoryStepInputs(filter, steps, 7);
        const FilterIR ir = trajectoryFilterIR(filter);
        requireClose(runOnHost(generateFilterC(ir).sources, inputs).output, runFilterReference(ir, inputs, steps),
                     "15 steps");
        const sim::GroundRobotTrajectory run = runOf(filter, steps, 7);
        std::vector<double> engine = kalman::linearKalmanRun(run, filter.linear).errors;
        QVERIFY(engine.size() >= std::size_t(steps));
        engine.resize(std::size_t(steps));
        requireSameErrors(hostErrors(ir, run, steps, 1, inputs), engine);
    }

    void trackingTrialsAreMeasuredOnTheSimulatedBoard()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        saveProject(robotProject(8, 1, 4), root / "robot.nesy.json");
        saveProject(orientationProject(), root / "ahrs.nesy.json");
        for (const char* name : {"robot.nesy.json", "ahrs.nesy.json"}) {
            std::string out;
            QCOMPARE(runCli(cli::runMeasure,
                            {(root / name).string(), "--trial", "default", "--board", "sim:nucleo-f446re", "--json"}, out),
                     0);
            const Json m = Json::parse(out.substr(out.find('{')));
            qInfo() << name << "flash" << m["flash_bytes"].get<double>() << "SRAM" << m["sram_bytes"].get<double>()
                    << "latency ms" << m["latency_ms"].get<double>();
            QCOMPARE(m["weights"].get<std::string>(), std::string("trained"));
            QVERIFY(m["flash_bytes"].get<double>() > 0);
            QVERIFY(m["sram_bytes"].get<double>() > 0);
            QVERIFY(m["latency_ms"].get<double>() > 0);
        }
        // The orientation trial exports as C too, its README naming the trial's error.
        std::string log;
        QCOMPARE(runCli(cli::runExport,
                        {(root / "ahrs.nesy.json").string(), "--trial", "default", "--out", (root / "ahrs").string()}, log),
                 0);
        QVERIFY(readFile(root / "ahrs" / "nesy_program.c").find("orientation_ekf") != std::string::npos);
    }

    void resourceCheckRefusesAnOversizedFilterBeforeTraining()
    {
        auto local = makeLocalBoards();
        std::vector<std::shared_ptr<Board>> ispu;
        for (auto& b : local)
            if (b->id() == "sim:ispu")
                ispu.push_back(std::shared_ptr<Board>(std::move(b)));
        QCOMPARE(ispu.size(), std::size_t(1));
        EvaluatorOptions options;
        options.resourceCheck = makeBoardResourceCheck(ispu);
        int trained = 0;
        options.onTrained = [&](const learn::TrainedProgram&) { ++trained; };

        // 8 -> 256 -> 256 -> 2 float32 weights: about 270 KB, for a sensor core of 32 KB of flash.
        // Ten thousand epochs: trained, the test would time out.
        const Project huge = robotProject(256, 2, 10000);
        StopToken stop;
        const TrialResult refused = makeProjectEvaluator(huge, options)->evaluate(huge.graph, stop);
        QCOMPARE(refused.status, TrialStatus::Infeasible);
        QVERIFY2(!refused.fault.empty(), refused.detail.c_str());
        QVERIFY(refused.details.contains("resources"));
        QVERIFY(!refused.details.contains("training"));
        QVERIFY(!refused.terms.contains("error"));
        QCOMPARE(trained, 0);

        // A small filter passes, is trained, and carries the board's figures in place of the estimates.
        const Project small = robotProject(4, 1, 2);
        const TrialResult ok = makeProjectEvaluator(small, options)->evaluate(small.graph, stop);
        QVERIFY2(ok.status == TrialStatus::Ok, ok.detail.c_str());
        QCOMPARE(trained, 1);
        QCOMPARE(ok.terms.at("flash_bytes"), ok.details["resources"][0]["flash_bytes"].get<double>());
        QVERIFY(ok.terms.contains("latency_ms"));

        // A refused orientation filter is never run: its recording is empty (run, it would fail to load).
        QTemporaryDir empty;
        for (const char* name : {"Acc.csv", "Gyro.csv", "Or_GT.csv"})
            std::ofstream(std::filesystem::path(empty.path().toStdString()) / name);
        Project ahrs = orientationProject();
        for (auto& d : ahrs.datasets)
            d.path = empty.path().toStdString();
        EvaluatorOptions refuseAll;
        int checked = 0;
        refuseAll.resourceCheck = [&](const learn::CandidateModel& m) {
            ++checked;
            ResourceVerdict v;
            if (m.orientationEkf) {
                v.fault = "flash-overflow";
                v.detail = "test board refuses every filter";
            }
            return v;
        };
        const TrialResult orientation = makeProjectEvaluator(ahrs, refuseAll)->evaluate(ahrs.graph, stop);
        QCOMPARE(checked, 1);
        QCOMPARE(orientation.status, TrialStatus::Infeasible);
        QCOMPARE(orientation.fault, std::string("flash-overflow"));
    }

    void emulatedBoardRunsTheTrainedNeuralKalmanStep()
    {
        auto local = makeLocalBoards();
        auto it = std::find_if(local.begin(), local.end(), [](const auto& b) { return b->id() == "emu:nucleo-f446re"; });
        QVERIFY(it != local.end());
        Board& board = **it;
        QVERIFY2(board.state() != BoardState::Unavailable, board.stateDetail().c_str());
        const Project project = robotProject(8, 1, 4);
        const CandidateProgram c = candidateProgramFor(retrainTrial(project, project.graph).program);
        StopToken stop;
        // The emulated board checks the step's output against the engine's (expectedOutput).
        const Measurement m = board.measure(c, stop);
        QVERIFY2(m.ok(), m.detail.c_str());
        qInfo() << "emu:nucleo-f446re neural-Kalman step: flash" << m.flashBytes << "SRAM" << m.sramBytes()
                << "latency ms" << m.latencyMs;
        QVERIFY(m.flashBytes > 0 && m.sramBytes() > 0 && m.latencyMs > 0);
    }
};

QTEST_APPLESS_MAIN(TestCodegenTrackingTrials)
#include "test_codegen_tracking_trials.moc"
