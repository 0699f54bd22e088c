// Generated C against the learning engine's own reference (learn::runFloat / runInt8): models
// described as learn::ModelSpec are lowered into the IR, generated, compiled for the host and run.
// int8: bit-exact; float: within 1e-5 relative.
#include "codegen/CandidateBuilder.h"
#include "codegen/HostRunner.h"
#include "codegen/ModelSpecLowering.h"
#include "codegen/Reference.h"
#include "codegen/SyntheticPrograms.h"
#include "../support/OutputComparison.h"
#include <QtTest>
#include <cmath>
#include <cstring>

using namespace nesy::codegen;
namespace learn = nesy::learn;

namespace {

// An IR network as a learn::ModelSpec (the fixture side: plausible weights and int8 fields).
learn::ModelSpec toSpec(const ProgramIR& p)
{
    learn::ModelSpec m;
    m.input = {p.networkInput().length, p.networkInput().channels};
    m.outputs = p.outputSize();
    m.quantized = p.quantized;
    m.inputQuant = {p.inputQuant.scale, p.inputQuant.zeroPoint};
    for (const Layer& l : p.layers) {
        learn::LayerSpec s;
        s.name = l.name;
        s.kind = l.kind == LayerKind::Conv1D      ? learn::LayerKind::Conv1D
                 : l.kind == LayerKind::Dense     ? learn::LayerKind::Dense
                 : l.kind == LayerKind::MaxPool1D ? learn::LayerKind::MaxPool1D
                 : l.kind == LayerKind::Add       ? learn::LayerKind::Add
                                                  : learn::LayerKind::GlobalAvgPool;
        s.inputs = l.inputs;
        s.in = {l.in.length, l.in.channels};
        s.out = {l.out.length, l.out.channels};
        s.kernel = l.kernel;
        s.dilation = l.dilation;
        s.pool = l.pool;
        s.padding = l.padding == Padding::Same ? learn::Padding::Same : learn::Padding::Causal;
        s.activation = l.relu ? learn::Activation::ReLU : learn::Activation::None;
        s.weights = l.weights;
        s.bias = l.bias;
        s.qWeights = l.qWeights;
        s.qBias = l.qBias;
        for (const auto& fm : l.multipliers)
            s.outMultipliers.push_back({fm.multiplier, fm.shift});
        s.outQuant = {l.outQuant.scale, l.outQuant.zeroPoint};
        m.layers.push_back(s);
    }
    return m;
}

void checkAgainstLearn(const learn::ModelSpec& spec, const std::string& name)
{
    ProgramIR ir = lowerModelSpec(spec, name);
    QCOMPARE(ir.weightBytes(), static_cast<std::int64_t>(spec.weightBytes(spec.quantized)));
    std::vector<float> input = syntheticInput(ir.input, 77);
    std::vector<float> expected = spec.quantized ? learn::runInt8Dequantized(spec, input.data())
                                                 : learn::runFloat(spec, input.data());
    nesy::CandidateProgram c = buildCandidateProgram(ir, input);
    HostRunResult host = runOnHost(c.sources, input);
    nesy::testing::requireSameOutputs(host.output, expected, spec.quantized, QString::fromStdString(name));
}

} // namespace

class TestCodegenModelSpec : public QObject {
    Q_OBJECT
private slots:
    void everyShapeFloatAndInt8()
    {
        for (SyntheticShape shape : {SyntheticShape::Cnn, SyntheticShape::Tcn}) {
            for (bool int8 : {false, true}) {
                SyntheticOptions o;
                o.shape = shape;
                o.int8 = int8;
                o.width = 6;
                o.depth = 2;
                o.softmax = false; // learn models end in logits
                ProgramIR ir = syntheticProgram(o, 21);
                checkAgainstLearn(toSpec(ir), ir.name);
            }
        }
    }

    void samePaddingAndAnMlp()
    {
        ProgramIR p;
        p.name = "same_mlp";
        p.input = {10, 3};
        Layer c;
        c.kind = LayerKind::Conv1D;
        c.name = "conv";
        c.inputs = {-1};
        c.in = {10, 3};
        c.out = {10, 4};
        c.kernel = 4;
        c.dilation = 2;
        c.padding = Padding::Same;
        c.relu = true;
        for (int i = 0; i < 48; ++i) c.weights.push_back(std::sin(0.7f * i));
        c.bias = {0.1f, -0.2f, 0.05f, 0.0f};
        p.layers.push_back(c);
        Layer d;
        d.kind = LayerKind::Dense;
        d.name = "dense";
        d.inputs = {0};
        d.in = {10, 4};
        d.out = {1, 3};
        for (int i = 0; i < 120; ++i) d.weights.push_back(std::cos(0.3f * i) * 0.2f);
        d.bias = {0.0f, 0.1f, -0.1f};
        p.layers.push_back(d);
        p.validate();
        checkAgainstLearn(toSpec(p), "same_mlp");
        checkAgainstLearn(toSpec(quantizeProgram(p, {syntheticInput(p.input, 1), syntheticInput(p.input, 2)})),
                          "same_mlp_int8");
    }

    void loweringRejectsAMismatchedFeatureInput()
    {
        SyntheticOptions o;
        o.shape = SyntheticShape::Cnn;
        ProgramIR ir = syntheticProgram(o, 3);
        FeatureSpec f;
        f.enabled = {Feature::Mean};
        Preprocessing pre;
        pre.window = Shape{64, 3};
        pre.features = f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, lowerModelSpec(toSpec(ir), "x", pre));
    }
};

QTEST_APPLESS_MAIN(TestCodegenModelSpec)
#include "test_codegen_modelspec.moc"
