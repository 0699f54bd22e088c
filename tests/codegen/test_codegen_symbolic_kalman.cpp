// Decision programs and Kalman steps as generated C, compiled for the host, against the engine:
// every operator of the decision language (decisions equal core/symbolic's, on float and int8
// networks), the linear Kalman filter, the orientation EKF on the real AHRS recording and the
// neural-Kalman step with its MLP Jacobian (states within 1e-5 relative of core/kalman's over
// many steps). Graphs with these blocks are measured, not refused as unsupported.
#include "boards/LocalBoards.h"
#include "codegen/BoardResourceCheck.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/GraphLowering.h"
#include "codegen/FilterC.h"
#include "codegen/FilterReference.h"
#include "codegen/HostRunner.h"
#include "codegen/Reference.h"
#include "codegen/TrialPrograms.h"
#include "kalman/ImuDataset.h"
#include "kalman/LinearKalman.h"
#include "learn/Architectures.h"
#include "symbolic/DecisionProgram.h"
#include "../support/ProjectFixtures.h"
#include "../support/OutputComparison.h"
#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <random>
#include <set>

using namespace nesy;
using namespace nesy::codegen;

namespace {

using nesy::testing::sharedData;
using nesy::testing::block;
using nesy::testing::projectOf;
using nesy::testing::requireClose;

std::vector<float> randomValues(std::size_t n, std::uint64_t seed, float sigma)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> d(0.0f, sigma);
    std::vector<float> v(n);
    for (float& x : v)
        x = d(rng);
    return v;
}

// A dense network of 12 inputs -> 4 scores ("p_a" .. "p_d") with a decision stage.
ProgramIR decisionProgram(const std::vector<std::string>& trees)
{
    Layer l;
    l.name = "scores";
    l.kind = LayerKind::Dense;
    l.inputs = {-1};
    l.in = {1, 12};
    l.out = {1, 4};
    l.weights = randomValues(48, 7, 0.5f);
    l.bias = randomValues(4, 8, 0.2f);
    ProgramIR p;
    p.name = "decision";
    p.input = {1, 12};
    p.layers = {l};
    DecisionStage stage;
    stage.inputs = {"p_a", "p_b", "p_c", "p_d"};
    for (const std::string& t : trees)
        stage.trees.push_back(symbolic::parseExpression(t));
    p.decision = stage;
    p.validate();
    return p;
}

} // namespace

class TestCodegenSymbolicKalman : public QObject {
    Q_OBJECT
private slots:
    void decisionProgramsDecideAsTheEngine()
    {
        // Every operator: logical, relational, arithmetic, abs/min/max, division by zero, if-then-else,
        // negative constants, and a vote of three trees.
        const std::vector<std::string> trees = {
            "if p_a > p_b and not p_c < -0.25 then 1 else if abs(p_a - p_d) <= 0.5 or p_b == p_c then 2 else 3",
            "if min(p_a, p_b) * 2 >= max(p_c, p_d) / p_b then 0 else -p_a + 4",
            "if p_a / (p_b - p_b) == 0 then (if p_d < p_c then 1 else 0) else 3",
        };
        ProgramIR fp = decisionProgram(trees);
        std::vector<std::vector<float>> calibration;
        std::vector<float> inputs;
        for (std::uint64_t s = 0; s < 24; ++s) {
            calibration.push_back(randomValues(12, 100 + s, 1.0f));
            inputs.insert(inputs.end(), calibration.back().begin(), calibration.back().end());
        }
        std::set<int> seen;
        for (const ProgramIR& p : {fp, quantizeProgram(fp, calibration)}) {
            const CandidateProgram c = buildCandidateProgram(p);
            QVERIFY(c.sources.at("nesy_program.h").find("NESY_PROGRAM_DECISION_INDEX 4") != std::string::npos);
            const HostRunResult host = runOnHost(c.sources, inputs);
            QCOMPARE(host.output.size(), calibration.size() * 5);
            for (std::size_t w = 0; w < calibration.size(); ++w) {
                const ReferenceRun ref = runReference(p, calibration[w].data());
                // The engine's own decision on the reference scores.
                symbolic::NamedColumns columns;
                for (int i = 0; i < 4; ++i)
                    columns[p.decision->inputs[std::size_t(i)]] = Eigen::VectorXd::Constant(1, ref.output[std::size_t(i)]);
                const int engine = symbolic::DecisionProgram{p.decision->trees}.decide(columns).front();
                const float decided = host.output[w * 5 + 4];
                QVERIFY2(decided == float(engine), qPrintable(QString("%1 window %2: C decides %3, engine %4")
                                                                  .arg(p.quantized ? "int8" : "float")
                                                                  .arg(w).arg(decided).arg(engine)));
                for (int i = 0; i < 4; ++i)
                    QVERIFY(std::fabs(host.output[w * 5 + std::size_t(i)] - ref.output[std::size_t(i)]) <=
                            1e-5f * std::max(1.0f, std::fabs(ref.output[std::size_t(i)])));
                seen.insert(engine);
            }
        }
        QVERIFY2(seen.size() >= 3, "the test inputs should reach several branches");
    }

    void decisionBoundIsAsLargeAsTheDeepestProgram()
    {
        const DecisionStage stage = decisionBound(3, 2, {"p_a", "p_b", "p_c"});
        QCOMPARE(int(stage.trees.size()), 2);
        for (const auto& t : stage.trees) {
            QCOMPARE(t.depth(), 3);
            QCOMPARE(t.size(), 7 * 4 + 8); // 7 splits (if, >, input, threshold), 8 leaves
        }
        // Every split compares in double (a threshold float cannot hold), as a trained tree's
        // thresholds do, so the stand-in is charged the soft-float routines they link.
        int splits = 0;
        auto visit = [&](const symbolic::Expr& e, auto&& self) -> void {
            if (e.op() == symbolic::Op::Greater) {
                ++splits;
                const symbolic::Expr& threshold = e.operands()[1];
                QCOMPARE(int(threshold.op()), int(symbolic::Op::Constant));
                QVERIFY(double(float(threshold.value())) != threshold.value());
            }
            for (const symbolic::Expr& o : e.operands())
                self(o, self);
        };
        for (const auto& t : stage.trees)
            visit(t, visit);
        QCOMPARE(splits, 2 * 7);
    }

    void resourceCheckMeasuresTheLargestSearchedProgram()
    {
        Project p = projectOf(
            Json::array({block("imu", "source.synthetic_imu", {{"subjects", 4}, {"window", 50}, {"stride", 50}}),
                         block("features", "features.statistics", Json::object()),
                         block("mlp", "backbone.mlp", {{"layers", 1}, {"units", 8}, {"precision", "float32"}}),
                         block("program", "symbolic.synthesized_tree", {{"max_depth", 2}, {"max_trees", 2}}),
                         block("objective", "sink.classification", {{"metric", "accuracy"}})}),
            Json::array({{{"from", "imu.windows"}, {"to", "features.window"}},
                         {{"from", "features.features"}, {"to", "mlp.input"}},
                         {{"from", "mlp.scores"}, {"to", "program.scores"}},
                         {{"from", "program.decision"}, {"to", "objective.decision"}}}));
        Parameter depth;
        depth.value = 2;
        depth.search = Domain::integer(1, 5);
        p.graph.setParameter("program", "max_depth", depth);
        const auto bound = synthesisBound(p.graph);
        QVERIFY(bound);
        QCOMPARE(bound->first, 5); // the searched domain's largest depth, not the current value
        QCOMPARE(bound->second, 2);

        // The emulated board compiles and runs the generated code: the stand-in trees are measured
        // physically (the simulated board's resource model has no term for decision nodes).
        auto local = makeLocalBoards();
        std::shared_ptr<Board> board(std::move(*std::find_if(local.begin(), local.end(), [](const auto& b) {
            return b->id() == "emu:nucleo-f446re";
        })));
        QVERIFY2(board->state() != BoardState::Unavailable, board->stateDetail().c_str());
        const learn::CandidateModel model = candidateModelForGraph(p.graph, p, BlockRegistry::builtin());
        const ResourceVerdict plain = makeBoardResourceCheck({board})(model);
        const ResourceVerdict bounded = makeBoardResourceCheck({board}, bound)(model);
        QVERIFY2(plain.deployable() && bounded.deployable(), bounded.detail.c_str());
        qInfo() << "flash without / with the depth-5 stand-in:" << plain.terms.at("flash_bytes")
                << bounded.terms.at("flash_bytes") << "latency" << plain.terms.at("latency_ms")
                << bounded.terms.at("latency_ms");
        QVERIFY(bounded.terms.at("flash_bytes") > plain.terms.at("flash_bytes") + 200);
        QCOMPARE(bounded.details[0]["fault"].get<std::string>(), std::string("none"));
    }

    void linearKalmanStepMatchesTheEngine()
    {
        const double dt = 0.1;
        FilterIR f;
        f.name = "cv";
        f.kind = FilterKind::Linear;
        f.stateSize = 4;
        f.measurementSize = 2;
        auto flat = [](const Eigen::MatrixXd& m) {
            std::vector<double> v;
            for (Eigen::Index r = 0; r < m.rows(); ++r)
                for (Eigen::Index c = 0; c < m.cols(); ++c)
                    v.push_back(m(r, c));
            return v;
        };
        f.x0 = {0, 0, 1, -1};
        f.P0 = flat(Eigen::MatrixXd::Identity(4, 4) * 2.0);
        f.F = flat(kalman::constantVelocityTransition(2, dt));
        f.Q = flat(kalman::constantVelocityProcessNoise(2, dt, 0.3));
        Eigen::MatrixXd H = Eigen::MatrixXd::Zero(2, 4);
        H(0, 0) = H(1, 1) = 1;
        f.H = flat(H);
        f.R = flat(Eigen::MatrixXd::Identity(2, 2) * 2.25);
        const int steps = 60;
        std::vector<float> z = randomValues(std::size_t(steps) * 2, 5, 1.5f);
        for (int s = 0; s < steps; ++s) {
            z[std::size_t(s) * 2] += float(0.1 * s);
            z[std::size_t(s) * 2 + 1] -= float(0.1 * s);
        }
        const CandidateProgram c = buildCandidateProgram(f);
        requireClose(runOnHost(c.sources, z).output, runFilterReference(f, z, steps), "linear Kalman");
    }

    void orientationEkfStepMatchesTheEngineOnRealData()
    {
        const kalman::OrientationDataset data = kalman::loadAhrsEkfDataset(sharedData("ahrs-ekf"));
        kalman::OrientationEkfSettings s;
        s.accNoise = 0.3;
        s.gyroNoise = 0.05;
        FilterIR f = orientationEkfFilter(s, 100.0, "ekf");
        const int steps = 300;
        std::vector<float> inputs;
        for (int k = 0; k < steps; ++k) {
            for (int i = 0; i < 3; ++i)
                inputs.push_back(float(data.gyro(k, i)));
            for (int i = 0; i < 3; ++i)
                inputs.push_back(float(data.acc(k + 1, i)));
        }
        const CandidateProgram c = buildCandidateProgram(f);
        requireClose(runOnHost(c.sources, inputs).output, runFilterReference(f, inputs, steps), "orientation EKF");
    }

    void neuralKalmanStepMatchesTheEngine()
    {
        const int p = 5, n = 4, m = 2;
        FilterIR f;
        f.name = "neural";
        f.kind = FilterKind::NeuralKalman;
        f.stateSize = n;
        f.measurementSize = m;
        f.network = learn::buildMlp({1, p}, n, learn::MlpConfig{2, 12}, 11);
        for (auto& l : f.network.layers)
            for (float& b : l.bias)
                b += 0.05f; // some ReLUs on, some off
        f.inputMean = {0.1f, -0.2f, 0.0f, 0.3f, 1.0f};
        f.inputStddev = {1.0f, 0.5f, 2.0f, 1.5f, 0.8f};
        f.inputVariances = {0.01, 0.02, 0.01, 0.05, 0.001};
        f.x0 = {0, 0, 0, 0};
        f.P0 = std::vector<double>(16, 0.0);
        f.F = std::vector<double>(16, 0.0);
        f.Q = std::vector<double>(16, 0.0);
        for (int i = 0; i < n; ++i) {
            f.P0[std::size_t(i) * 5] = 1.0;
            f.F[std::size_t(i) * 5] = i < 2 ? 1.0 : 0.0; // A = diag(1, 1, 0, 0), the ground robot's
            f.Q[std::size_t(i) * 5] = 0.01;
        }
        f.H = {1, 0, 0, 0, 0, 1, 0, 0};
        f.R = {2.25, 0, 0, 2.25};
        const int steps = 50;
        std::vector<float> inputs;
        const std::vector<float> noise = randomValues(std::size_t(steps) * (p + m), 21, 1.0f);
        for (int s = 0; s < steps; ++s) {
            inputs.insert(inputs.end(), noise.begin() + std::ptrdiff_t(s) * (p + m),
                          noise.begin() + std::ptrdiff_t(s + 1) * (p + m));
            inputs.push_back(s % 5 == 4 ? 1.0f : 0.0f); // a GPS fix every fifth step
        }
        const CandidateProgram c = buildCandidateProgram(f);
        QVERIFY(c.sources.at("nesy_program.c").find("nesy_network") != std::string::npos);
        requireClose(runOnHost(c.sources, inputs).output, runFilterReference(f, inputs, steps), "neural-Kalman");
    }

    void graphsWithTheseBlocksAreMeasured()
    {
        const Project ekf = projectOf(
            Json::array({block("imu", "source.ahrs", {{"dataset", "ahrs"}, {"rate_hz", 100}}),
                         block("ekf", "kalman.orientation_ekf", {{"acc_noise", 0.3}, {"gyro_noise", 0.05}}),
                         block("objective", "sink.tracking", {{"metric", "azimuth_elevation_error"}})}),
            Json::array({{{"from", "imu.imu"}, {"to", "ekf.imu"}}, {{"from", "ekf.state"}, {"to", "objective.state"}}}),
            Json::array({{{"id", "ahrs"}, {"kind", "ahrs"}, {"path", sharedData("ahrs-ekf").string()}}}));
        const Project symbolic = projectOf(
            Json::array({block("imu", "source.synthetic_imu", {{"subjects", 4}, {"window", 50}, {"stride", 50}}),
                         block("features", "features.statistics", Json::object()),
                         block("mlp", "backbone.mlp", {{"layers", 1}, {"units", 8}, {"precision", "int8"}}),
                         block("program", "symbolic.synthesized_tree", {{"max_depth", 3}}),
                         block("objective", "sink.classification", {{"metric", "accuracy"}})}),
            Json::array({{{"from", "imu.windows"}, {"to", "features.window"}},
                         {{"from", "features.features"}, {"to", "mlp.input"}},
                         {{"from", "mlp.scores"}, {"to", "program.scores"}},
                         {{"from", "program.decision"}, {"to", "objective.decision"}}}));
        auto boards = makeLocalBoards();
        Board* board = findBoard(boards, "sim:nucleo-f446re");
        QVERIFY(board);
        for (const Project* p : {&ekf, &symbolic}) {
            const CandidateProgram c = candidateProgramForGraph(p->graph, *p, BlockRegistry::builtin());
            StopToken stop;
            const Measurement m = board->measure(c, stop);
            QVERIFY2(m.ok(), m.detail.c_str());
            QVERIFY(m.flashBytes > 0);
            // The program built for the host gives the engine's output on its test input.
            requireClose(runOnHost(c.sources, c.testInput).output, c.expectedOutput, c.name.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestCodegenSymbolicKalman)
#include "test_codegen_symbolic_kalman.moc"
