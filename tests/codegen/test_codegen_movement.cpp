// rule.movement_channel in generated C: the program reads the raw window and appends the
// "|gyro| > threshold" channel itself. On hand-made windows (values on both sides of the threshold)
// the C channel is the engine's (symbolic::MovementChannel) exactly; a trained classifier trial with
// the channel, lowered as export lowers it, built on the host, computes the engine's trained
// program on real windows of its data (int8 bit-exact, float within 1e-5 relative).
#include "codegen/CandidateBuilder.h"
#include "codegen/HostRunner.h"
#include "codegen/Reference.h"
#include "codegen/TrialPrograms.h"
#include "learn/DatasetCache.h"
#include "learn/Features.h"
#include "learn/ProgramCompiler.h"
#include "learn/RuleChecks.h"
#include "../support/ProjectFixtures.h"
#include "../support/OutputComparison.h"
#include <QtTest>
#include <cmath>
#include <cstring>

using namespace nesy;
using nesy::testing::block;
using nesy::testing::projectOf;

namespace {

// Generated IMU -> movement channel -> [features] -> small MLP -> sink.classification.
Project movementProject(const std::string& precision, bool features)
{
    Json blocks = Json::array(
        {block("imu", "source.synthetic_imu",
               {{"subjects", 6}, {"seconds_per_activity", 10}, {"window", 50}, {"stride", 50}, {"seed", 3}}),
         block("moving", "rule.movement_channel", {{"threshold", 8.0}}),
         block("mlp", "backbone.mlp", {{"layers", 1}, {"units", 12}, {"epochs", 6}, {"precision", precision}}),
         block("objective", "sink.classification", {{"metric", "accuracy"}})});
    Json connections = Json::array({{{"from", "imu.windows"}, {"to", "moving.window"}},
                                    {{"from", "mlp.scores"}, {"to", "objective.decision"}}});
    if (features) {
        blocks.push_back(block("features", "features.statistics", Json::object()));
        connections.push_back({{"from", "moving.window"}, {"to", "features.window"}});
        connections.push_back({{"from", "features.features"}, {"to", "mlp.input"}});
    } else {
        connections.push_back({{"from", "moving.window"}, {"to", "mlp.input"}});
    }
    return projectOf(blocks, connections);
}

// The engine's trained program on one raw window: the movement channel, features, normalisation,
// the model.
std::vector<float> engineOutput(const learn::CandidateModel& m, const float* raw)
{
    std::vector<float> x = m.movementChannel->apply(raw, m.window.length, m.window.channels - 1);
    if (m.features) {
        const learn::FeatureExtractor fx(*m.features, m.window.length, m.window.channels, m.sampleRateHz);
        std::vector<float> f(std::size_t(fx.outputSize()));
        fx.extract(x.data(), f.data());
        x = std::move(f);
    }
    const std::size_t c = m.normMean.size();
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = (x[i] - m.normMean[i % c]) / m.normStddev[i % c];
    return m.model.quantized ? learn::runInt8Dequantized(m.model, x.data()) : learn::runFloat(m.model, x.data());
}

void checkTrainedTrial(const std::string& precision, bool features)
{
    const Project p = movementProject(precision, features);
    const codegen::TrainedTrial trained = codegen::retrainTrial(p, p.graph, 2);
    const learn::CandidateModel& m = *trained.program.classifier;
    QVERIFY(m.movementChannel);
    QCOMPARE(m.window.channels, 7); // six raw axes and the flag
    const codegen::ProgramIR ir = codegen::lowerTrainedClassifier(trained.program);
    QVERIFY(ir.movement);
    QCOMPARE(ir.input.channels, 6); // the program reads the raw window
    QCOMPARE(ir.windowShape().channels, 7);
    const CandidateProgram c = codegen::candidateProgramFor(trained.program);
    QVERIFY(c.sources.at("nesy_program.c").find("nesy_movement") != std::string::npos);
    QVERIFY(c.summary["movement_channel"].get<bool>());

    // Raw validation windows of the project's data; the flag must take both values on them.
    const learn::PipelineSpec spec = learn::compileProgram(p.graph, p, BlockRegistry::builtin());
    const learn::SplitData data = learn::loadSource(spec.source);
    const std::size_t windowSize = std::size_t(data.validation.windowSize()), count = std::min<std::size_t>(30, data.validation.size());
    const std::vector<float> windows(data.validation.values.begin(),
                                     data.validation.values.begin() + std::ptrdiff_t(count * windowSize));
    int moving = 0, still = 0;
    for (std::size_t w = 0; w < count; ++w) {
        const std::vector<float> x = m.movementChannel->apply(windows.data() + w * windowSize, 50, 6);
        for (std::size_t k = 6; k < x.size(); k += 7)
            (x[k] > 0.5f ? moving : still) += 1;
    }
    QVERIFY2(moving > 0 && still > 0, qPrintable(QString("moving %1, still %2").arg(moving).arg(still)));

    const codegen::HostRunResult host = codegen::runOnHost(c.sources, windows);
    const std::size_t outs = host.output.size() / count;
    QCOMPARE(host.output.size(), count * outs);
    for (std::size_t w = 0; w < count; ++w) {
        const std::vector<float> want = engineOutput(m, windows.data() + w * windowSize);
        QCOMPARE(want.size(), outs);
        const float* got = host.output.data() + w * outs;
        nesy::testing::requireSameOutputs(got, want.data(), outs, m.model.quantized, QString("window %1").arg(w));
    }
}

} // namespace

class TestCodegenMovement : public QObject {
    Q_OBJECT
private slots:
    // A program of the channel alone: its output is the extended window, compared bit for bit.
    void channelIsTheEnginesExactly()
    {
        codegen::ProgramIR ir;
        ir.name = "movement";
        ir.input = {8, 6};
        ir.movement = symbolic::MovementChannel{{3, 4, 5}, 0.5};
        std::vector<float> x = codegen::syntheticInput(ir.input, 11);
        // Gyroscope magnitudes about, exactly at, just above and just below the threshold.
        const float edge[4][3] = {{0.3f, 0.4f, 0.0f}, {0.0f, 0.0f, 0.5f}, {0.0f, 0.0f, 0.50001f}, {0.0f, 0.0f, 0.49999f}};
        for (int t = 0; t < 4; ++t)
            std::memcpy(&x[std::size_t(t) * 6 + 3], edge[t], sizeof edge[t]);
        const std::vector<float> want = ir.movement->apply(x.data(), 8, 6);
        QCOMPARE(codegen::runReference(ir, x.data()).output, want);
        const codegen::HostRunResult host = codegen::runOnHost(codegen::buildCandidateProgram(ir, x).sources, x);
        QCOMPARE(host.output.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            QVERIFY2(std::memcmp(&host.output[i], &want[i], 4) == 0,
                     qPrintable(QString("element %1: C %2, engine %3").arg(i).arg(host.output[i]).arg(want[i])));
        auto flag = [&](int t) { return want[std::size_t(t) * 7 + 6]; };
        QCOMPARE(flag(1), 0.0f); // exactly at the threshold is not moving
        QCOMPARE(flag(2), 1.0f);
        QCOMPARE(flag(3), 0.0f);
        QCOMPARE(want[7], x[6]); // the raw channels are copied through

        // A gyroscope column outside the window, or magnitudes on top, is refused by name.
        ir.movement->gyroColumns = {3, 4, 6};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ir.validate());
        ir.movement->gyroColumns = {3, 4, 5};
        ir.magnitudes = true;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ir.validate());
    }

    // Before training (the hard-threshold check): the architecture with the channel.
    void untrainedCandidateHasTheChannel()
    {
        const Project p = movementProject("int8", true);
        const CandidateProgram c = codegen::candidateProgramForGraph(p.graph, p, BlockRegistry::builtin());
        QVERIFY(c.summary["movement_channel"].get<bool>());
        QCOMPARE(int(c.testInput.size()), 50 * 6);
        const codegen::HostRunResult host = codegen::runOnHost(c.sources, c.testInput);
        QCOMPARE(host.output.size(), c.expectedOutput.size());
        for (std::size_t i = 0; i < host.output.size(); ++i)
            QVERIFY(std::memcmp(&host.output[i], &c.expectedOutput[i], 4) == 0);
    }

    void trainedInt8TrialWithFeatures() { checkTrainedTrial("int8", true); }
    void trainedFloatTrialOnTheRawWindow() { checkTrainedTrial("float32", false); }
};

QTEST_APPLESS_MAIN(TestCodegenMovement)
#include "test_codegen_movement.moc"
