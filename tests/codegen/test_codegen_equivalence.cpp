// The generated C, compiled for the host with the system C compiler, computes what the host
// reference computes: bit-exact for int8 programs, within 1e-5 relative for float programs.
// One case per block type (every layer kind, ReLU, softmax, every feature), in float and int8.
#include "codegen/CandidateBuilder.h"
#include "codegen/HostRunner.h"
#include "codegen/Reference.h"
#include "codegen/SyntheticPrograms.h"
#include "../support/OutputComparison.h"
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace nesy::codegen;
using nesy::CandidateProgram;

namespace {

std::vector<float> randomWeights(std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> d(0.0f, 0.4f);
    std::vector<float> w(n);
    for (float& v : w) v = d(rng);
    return w;
}

Layer weighted(LayerKind kind, Shape in, Shape out, int kernel, int fanIn, std::uint64_t seed)
{
    Layer l;
    l.kind = kind;
    l.name = layerKindName(kind);
    l.inputs = {-1};
    l.in = in;
    l.out = out;
    l.kernel = kernel;
    l.weights = randomWeights(std::size_t(fanIn) * out.channels, seed);
    l.bias = randomWeights(out.channels, seed + 1);
    return l;
}

// Float program -> the float case and its quantized twin, both checked against the reference.
void checkBoth(const ProgramIR& fp)
{
    std::vector<std::vector<float>> calibration;
    for (std::uint64_t i = 0; i < 3; ++i)
        calibration.push_back(syntheticInput(fp.input, 100 + i));
    for (const ProgramIR& p : {fp, quantizeProgram(fp, calibration)}) {
        CandidateProgram c = buildCandidateProgram(p);
        HostRunResult host = runOnHost(c.sources, c.testInput);
        nesy::testing::requireSameOutputs(host.output, c.expectedOutput, p.quantized, QString::fromStdString(p.name));
    }
}

// Every feature, 4 FFT bins, at 50 Hz, on a [50 x 2] window, with no network: the program's
// output is the feature vector itself.
ProgramIR allFeaturesOf50x2(const char* name)
{
    ProgramIR p;
    p.name = name;
    p.input = {50, 2};
    p.hasFeatures = true;
    for (int f = 0; f < kFeatureCount; ++f)
        p.features.enabled.push_back(static_cast<Feature>(f));
    p.features.fftBins = 4;
    p.features.sampleRateHz = 50.0;
    return p;
}

ProgramIR single(const char* name, Shape input, Layer l)
{
    ProgramIR p;
    p.name = name;
    p.input = input;
    p.layers.push_back(std::move(l));
    p.validate();
    return p;
}

} // namespace

class TestCodegenEquivalence : public QObject {
    Q_OBJECT
private slots:
    void dense()
    {
        Layer l = weighted(LayerKind::Dense, {1, 12}, {1, 7}, 1, 12, 1);
        checkBoth(single("dense", {1, 12}, l));
    }

    void denseReluOnAWindow()
    {
        // A window flattened into a dense layer, with ReLU.
        Layer l = weighted(LayerKind::Dense, {6, 2}, {1, 5}, 1, 12, 2);
        l.relu = true;
        checkBoth(single("dense_relu", {6, 2}, l));
    }

    void conv1dDilatedCausal()
    {
        Layer l = weighted(LayerKind::Conv1D, {20, 3}, {20, 4}, 3, 9, 3);
        l.dilation = 2;
        l.relu = true;
        checkBoth(single("conv_causal", {20, 3}, l));
    }

    void conv1dSame()
    {
        Layer l = weighted(LayerKind::Conv1D, {16, 2}, {16, 3}, 4, 8, 4);
        l.padding = Padding::Same;
        l.dilation = 3;
        checkBoth(single("conv_same", {16, 2}, l));
    }

    void maxPoolAndGlobalAveragePool()
    {
        ProgramIR p;
        p.name = "pools";
        p.input = {17, 3};
        Layer c = weighted(LayerKind::Conv1D, {17, 3}, {17, 4}, 2, 6, 5);
        p.layers.push_back(c);
        Layer m;
        m.kind = LayerKind::MaxPool1D;
        m.name = "pool";
        m.inputs = {0};
        m.in = {17, 4};
        m.out = {5, 4};
        m.pool = 3;
        p.layers.push_back(m);
        Layer g;
        g.kind = LayerKind::GlobalAvgPool;
        g.name = "gap";
        g.inputs = {1};
        g.in = {5, 4};
        g.out = {1, 4};
        g.relu = true;
        p.layers.push_back(g);
        p.validate();
        checkBoth(p);
    }

    void residualAdd()
    {
        ProgramIR p;
        p.name = "residual";
        p.input = {12, 4};
        Layer a = weighted(LayerKind::Conv1D, {12, 4}, {12, 4}, 3, 12, 6);
        a.relu = true;
        p.layers.push_back(a);
        Layer add;
        add.kind = LayerKind::Add;
        add.name = "add";
        add.inputs = {-1, 0};
        add.in = add.out = {12, 4};
        add.relu = true;
        p.layers.push_back(add);
        p.validate();
        checkBoth(p);
    }

    void softmax()
    {
        Layer l = weighted(LayerKind::Dense, {1, 10}, {1, 6}, 1, 10, 7);
        ProgramIR p = single("softmax", {1, 10}, l);
        p.softmax = true;
        checkBoth(p);
    }

    void everyFeature()
    {
        // All twelve features on an even and an odd window length, into a small dense layer.
        for (int length : {64, 37}) {
            ProgramIR p;
            p.name = "features" + std::to_string(length);
            p.input = {length, 3};
            p.hasFeatures = true;
            for (int f = 0; f < kFeatureCount; ++f)
                p.features.enabled.push_back(static_cast<Feature>(f));
            p.features.fftBins = 5;
            p.features.sampleRateHz = 100.0;
            int n = p.networkInput().size();
            p.layers.push_back(weighted(LayerKind::Dense, {1, n}, {1, 4}, 1, n, 8));
            p.validate();
            checkBoth(p);
        }
    }

    void featuresAloneMatchTheReference()
    {
        // Without a network the program's output is the feature vector itself: every value compared.
        const ProgramIR p = allFeaturesOf50x2("raw_features");
        CandidateProgram c = buildCandidateProgram(p);
        QCOMPARE(int(c.expectedOutput.size()), 2 * (kFeatureCount - 1 + 4));
        // The reference is the learning engine's feature extractor itself.
        nesy::learn::FeatureExtractor engine(nesy::learn::FeatureOptions::all(4), 50, 2, 50.0);
        std::vector<float> direct(engine.outputSize());
        engine.extract(c.testInput.data(), direct.data());
        QVERIFY(direct == c.expectedOutput);
        HostRunResult host = runOnHost(c.sources, c.testInput);
        nesy::testing::requireClose(host.output, c.expectedOutput, "feature values");
    }

    void featuresWithATailMatchTheReference()
    {
        // tail_rows: the window's features, then the same features over its last 21 samples (an odd
        // length: its own twiddle tables and bins), every value compared; then into a network.
        ProgramIR p = allFeaturesOf50x2("tail_features");
        p.features.tailRows = 21;
        CandidateProgram c = buildCandidateProgram(p);
        const int perSpan = 2 * (kFeatureCount - 1 + 4);
        QCOMPARE(int(c.expectedOutput.size()), 2 * perSpan);
        // The tail's half is the extractor's output on the last 21 samples alone.
        nesy::learn::FeatureExtractor tail(nesy::learn::FeatureOptions::all(4), 21, 2, 50.0);
        std::vector<float> direct(tail.outputSize());
        tail.extract(c.testInput.data() + (50 - 21) * 2, direct.data());
        QVERIFY(std::equal(direct.begin(), direct.end(), c.expectedOutput.begin() + perSpan));
        HostRunResult host = runOnHost(c.sources, c.testInput);
        nesy::testing::requireClose(host.output, c.expectedOutput, "feature values with a tail");

        SyntheticOptions o;
        o.shape = SyntheticShape::FeaturesMlp;
        o.windowLength = 48;
        o.featureTail = 30;
        o.normalize = true;
        ProgramIR withNetwork = syntheticProgram(o, 5);
        QCOMPARE(withNetwork.features.tailRows, 30);
        checkBoth(withNetwork);

        ProgramIR tooLong = p;
        tooLong.features.tailRows = 50; // the whole window is not a tail
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tooLong.validate());
    }

    void magnitudesAndNormalisation()
    {
        // 6-axis window -> |acc|, |gyro| -> features -> normalised -> dense, and a normalised raw window.
        ProgramIR p;
        p.name = "magnitudes_features";
        p.input = {40, 6};
        p.magnitudes = true;
        p.hasFeatures = true;
        p.features.enabled = {Feature::Mean, Feature::Variance, Feature::FftMean, Feature::MaxPower};
        p.features.fftBins = 3;
        p.features.sampleRateHz = 25.0;
        const int n = p.networkInput().size();
        for (int i = 0; i < n; ++i) {
            p.normMean.push_back(0.2f * float(i));
            p.normStddev.push_back(1.0f + 0.5f * float(i));
        }
        p.layers.push_back(weighted(LayerKind::Dense, {1, n}, {1, 3}, 1, n, 12));
        p.validate();
        checkBoth(p);

        Layer c = weighted(LayerKind::Conv1D, {16, 2}, {16, 3}, 3, 6, 13);
        ProgramIR q = single("normalized_window", {16, 2}, c);
        q.normMean = {0.5f, -0.25f};
        q.normStddev = {2.0f, 0.75f};
        checkBoth(q);
    }

    void magnitudesKeepingTheAxes()
    {
        // 6-axis window -> the axes and |acc|, |gyro| (8 channels) -> features -> normalised -> dense.
        ProgramIR p;
        p.name = "magnitudes_keep_axes_features";
        p.input = {40, 6};
        p.magnitudes = true;
        p.magnitudesKeepAxes = true;
        p.hasFeatures = true;
        p.features.enabled = {Feature::Mean, Feature::Iqr, Feature::Variance, Feature::FftMean};
        p.features.fftBins = 3;
        p.features.sampleRateHz = 25.0;
        QCOMPARE(p.windowShape().channels, 8);
        const int n = p.networkInput().size();
        QCOMPARE(n, 8 * 6);
        for (int i = 0; i < n; ++i) {
            p.normMean.push_back(0.1f * float(i));
            p.normStddev.push_back(1.0f + 0.25f * float(i));
        }
        p.layers.push_back(weighted(LayerKind::Dense, {1, n}, {1, 4}, 1, n, 14));
        p.validate();
        checkBoth(p);

        // The 8-channel window straight into a convolution (no features).
        ProgramIR q;
        q.name = "magnitudes_keep_axes_conv";
        q.input = {16, 6};
        q.magnitudes = true;
        q.magnitudesKeepAxes = true;
        q.layers.push_back(weighted(LayerKind::Conv1D, {16, 8}, {16, 3}, 3, 8 * 3, 15));
        q.validate();
        checkBoth(q);

        ProgramIR r = q;
        r.magnitudes = false;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.validate());
    }

    void wholeSyntheticPrograms()
    {
        for (SyntheticShape shape : {SyntheticShape::FeaturesMlp, SyntheticShape::Cnn, SyntheticShape::Tcn}) {
            SyntheticOptions o;
            o.shape = shape;
            o.depth = 2;
            o.width = 8;
            checkBoth(syntheticProgram(o, 11));
        }
    }

    void rejectsInconsistentPrograms()
    {
        Layer l = weighted(LayerKind::Dense, {1, 12}, {1, 7}, 1, 12, 1);
        l.weights.pop_back();
        ProgramIR p;
        p.name = "broken";
        p.input = {1, 12};
        p.layers.push_back(l);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, p.validate());
    }
};

QTEST_APPLESS_MAIN(TestCodegenEquivalence)
#include "test_codegen_equivalence.moc"
