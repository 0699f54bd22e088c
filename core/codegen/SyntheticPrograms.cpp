#include "SyntheticPrograms.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/Reference.h"
#include "learn/Architectures.h"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace nesy::codegen {

namespace {

class Builder {
public:
    Builder(ProgramIR& p, std::uint64_t seed) : p_(p), rng_(seed) {}

    Shape shapeOf(int src) const { return src < 0 ? p_.networkInput() : p_.layers[src].out; }

    int dense(int src, int units, bool relu)
    {
        Layer l = base(LayerKind::Dense, src, relu);
        l.out = {1, units};
        fill(l, l.in.size(), units);
        return push(l);
    }
    int conv(int src, int filters, int kernel, int dilation, bool relu)
    {
        Layer l = base(LayerKind::Conv1D, src, relu);
        l.kernel = kernel;
        l.dilation = dilation;
        l.out = {l.in.length, filters};
        fill(l, kernel * l.in.channels, filters);
        return push(l);
    }
    int maxpool(int src, int pool)
    {
        Layer l = base(LayerKind::MaxPool1D, src, false);
        l.pool = pool;
        l.out = {l.in.length / pool, l.in.channels};
        return push(l);
    }
    int gap(int src)
    {
        Layer l = base(LayerKind::GlobalAvgPool, src, false);
        l.out = {1, l.in.channels};
        return push(l);
    }
    int add(int a, int b, bool relu)
    {
        Layer l = base(LayerKind::Add, a, relu);
        l.inputs.push_back(b);
        l.out = l.in;
        return push(l);
    }

private:
    Layer base(LayerKind kind, int src, bool relu)
    {
        Layer l;
        l.kind = kind;
        l.name = layerKindName(kind) + std::to_string(p_.layers.size());
        l.inputs = {src};
        l.in = shapeOf(src);
        l.relu = relu;
        return l;
    }
    void fill(Layer& l, int fanIn, int outs)
    {
        std::normal_distribution<float> w(0.0f, std::sqrt(2.0f / static_cast<float>(fanIn)));
        std::uniform_real_distribution<float> b(-0.1f, 0.1f);
        l.weights.resize(std::size_t(fanIn) * outs);
        for (float& v : l.weights) v = w(rng_);
        l.bias.resize(outs);
        for (float& v : l.bias) v = b(rng_);
    }
    int push(Layer l)
    {
        p_.layers.push_back(std::move(l));
        return static_cast<int>(p_.layers.size()) - 1;
    }

    ProgramIR& p_;
    std::mt19937_64 rng_;
};

// Random if-then-else trees over the scores: comparisons of scores, of a score with a
// constant, and of arithmetic on scores (every operator the decision C generator emits).
class TreeBuilder {
public:
    TreeBuilder(int classes, std::uint64_t seed) : classes_(classes), rng_(seed)
    {
        for (int i = 0; i < classes; ++i) {
            std::string name = std::to_string(i);
            inputs_.push_back(name.insert(0, 1, 's')); // not "s" + ...: GCC 12 warns falsely (-Wrestrict)
        }
    }
    const std::vector<std::string>& inputs() const { return inputs_; }

    symbolic::Expr tree(int depth)
    {
        using symbolic::Expr;
        if (depth == 0)
            return Expr::constant(double(pick(0, classes_ - 1)));
        Expr left = tree(depth - 1);
        Expr right = tree(depth - 1);
        return Expr::ifThenElse(condition(), left, right);
    }

private:
    symbolic::Expr score() { return symbolic::Expr::input(inputs_[std::size_t(pick(0, classes_ - 1))]); }
    symbolic::Expr number()
    {
        using symbolic::Op;
        static const Op arithmetic[] = {Op::Add, Op::Subtract, Op::Multiply, Op::Divide, Op::Min, Op::Max};
        switch (pick(0, 3)) {
        case 0: return symbolic::Expr::binary(arithmetic[pick(0, 5)], score(), score());
        case 1: return symbolic::Expr::unary(pick(0, 1) ? Op::Abs : Op::Negate, score());
        case 2: return symbolic::Expr::constant(0.25 * pick(-4, 4));
        default: return score();
        }
    }
    symbolic::Expr condition()
    {
        using symbolic::Op;
        static const Op relations[] = {Op::Less, Op::LessEqual, Op::Greater, Op::GreaterEqual};
        symbolic::Expr c = symbolic::Expr::binary(relations[pick(0, 3)], score(), number());
        if (pick(0, 3) == 0)
            c = symbolic::Expr::binary(pick(0, 1) ? Op::And : Op::Or, c,
                                       symbolic::Expr::binary(Op::Greater, score(), number()));
        return c;
    }
    int pick(int lo, int hi) { return lo + static_cast<int>(rng_() % std::uint64_t(hi - lo + 1)); }

    int classes_;
    std::mt19937_64 rng_;
    std::vector<std::string> inputs_;
};

std::vector<double> identity(int n, double scale)
{
    std::vector<double> m(std::size_t(n) * n, 0.0);
    for (int i = 0; i < n; ++i)
        m[std::size_t(i) * (n + 1)] = scale;
    return m;
}

} // namespace

ProgramIR syntheticProgram(const SyntheticOptions& o, std::uint64_t seed)
{
    ProgramIR p;
    p.input = {o.windowLength, o.magnitudes ? 6 : o.channels};
    p.softmax = o.softmax;
    p.magnitudes = o.magnitudes;
    p.magnitudesKeepAxes = o.magnitudes && o.magnitudesKeepAxes;
    if (o.movement && !o.magnitudes) {
        symbolic::MovementChannel m;
        m.gyroColumns.clear();
        for (int c = std::max(0, o.channels - 3); c < o.channels; ++c)
            m.gyroColumns.push_back(c);
        p.movement = m;
    }
    Builder b(p, seed);
    int x = -1;
    auto normalizeInput = [&] {
        if (!o.normalize)
            return;
        const int c = p.networkInput().channels;
        for (int i = 0; i < c; ++i) {
            p.normMean.push_back(0.1f * static_cast<float>(i % 7) - 0.3f);
            p.normStddev.push_back(0.5f + 0.25f * static_cast<float>(i % 5));
        }
    };
    switch (o.shape) {
    case SyntheticShape::FeaturesMlp: {
        p.name = o.features ? "features_mlp" : "mlp";
        p.hasFeatures = o.features;
        std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
        if (o.featureCount > 0) {
            // A few features, as searches that prune them pick (which decides the passes GCC keeps).
            std::vector<int> order;
            for (int f = 0; f < kFeatureCount; ++f) {
                const FeatureSpec one{{static_cast<Feature>(f)}};
                if (!o.linearFeatures || (!one.needsSorting() && !one.needsSpectrum()))
                    order.push_back(f);
            }
            for (std::size_t i = order.size() - 1; i > 0; --i) // Fisher-Yates: the same on every library
                std::swap(order[i], order[rng() % (i + 1)]);
            order.resize(std::min(static_cast<std::size_t>(o.featureCount), order.size()));
            std::sort(order.begin(), order.end()); // catalogue (= output) order
            for (int f : order)
                p.features.enabled.push_back(static_cast<Feature>(f));
        } else {
            for (int f = 0; f < kFeatureCount; ++f)
                if (rng() % 3 != 0)
                    p.features.enabled.push_back(static_cast<Feature>(f));
        }
        if (p.features.enabled.empty())
            p.features.enabled.push_back(Feature::Mean);
        if (!o.features)
            p.features = FeatureSpec{};
        p.features.fftBins = 2 + static_cast<int>(rng() % 7);
        p.features.sampleRateHz = 50.0;
        if (o.features)
            p.features.tailRows = o.featureTail;
        normalizeInput();
        for (int i = 0; i < o.depth; ++i)
            x = b.dense(x, o.width, true);
        break;
    }
    case SyntheticShape::Cnn:
        p.name = "cnn1d";
        normalizeInput();
        for (int i = 0; i < o.depth; ++i) {
            x = b.conv(x, o.width, o.kernel, 1, true);
            if (o.pooling && b.shapeOf(x).length >= 4)
                x = b.maxpool(x, 2);
        }
        x = b.gap(x);
        break;
    case SyntheticShape::Tcn: {
        p.name = "tcn";
        normalizeInput();
        x = b.conv(x, o.width, 1, 1, false); // projection so that residual shapes match
        for (int i = 0; i < o.depth; ++i) {
            int h = b.conv(x, o.width, o.kernel, 1 << i, true);
            h = b.conv(h, o.width, o.kernel, 1 << i, false);
            x = b.add(x, h, true);
        }
        x = b.gap(x);
        break;
    }
    }
    b.dense(x, o.classes, false);
    p.validate();
    if (o.int8) {
        std::vector<std::vector<float>> calibration;
        for (std::uint64_t i = 0; i < 4; ++i)
            calibration.push_back(syntheticInput(p.input, seed * 31 + i));
        p = quantizeProgram(p, calibration);
        p.name += "_int8";
    }
    if (o.decisionTrees > 0) {
        TreeBuilder trees(o.classes, seed ^ 0x5851f42d4c957f2dULL);
        DecisionStage stage;
        stage.inputs = trees.inputs();
        for (int i = 0; i < o.decisionTrees; ++i)
            stage.trees.push_back(trees.tree(o.decisionDepth));
        p.decision = stage;
        p.name += "_decision";
        p.validate();
    }
    return p;
}

SyntheticOptions randomSyntheticOptions(std::uint64_t seed, bool varyStructure)
{
    std::mt19937_64 rng(seed);
    auto pick = [&](int lo, int hi) { return lo + static_cast<int>(rng() % std::uint64_t(hi - lo + 1)); };
    SyntheticOptions o;
    o.shape = static_cast<SyntheticShape>(pick(0, 2));
    o.int8 = pick(0, 1) == 1;
    o.channels = pick(1, 6);
    o.classes = pick(2, 9);
    o.softmax = pick(0, 1) == 1;
    o.magnitudes = pick(0, 3) == 0;
    o.normalize = pick(0, 1) == 1;
    switch (o.shape) {
    case SyntheticShape::FeaturesMlp:
        o.windowLength = pick(32, 128);
        o.width = pick(8, 128);
        o.depth = pick(1, 3);
        break;
    case SyntheticShape::Cnn:
        o.windowLength = pick(32, 128);
        o.width = pick(4, 32);
        o.depth = pick(1, 3);
        o.kernel = pick(2, 7);
        break;
    case SyntheticShape::Tcn:
        o.windowLength = pick(32, 100);
        o.width = pick(4, 24);
        o.depth = pick(1, 3);
        o.kernel = pick(2, 5);
        break;
    }
    if (varyStructure) {
        o.pooling = pick(0, 1) == 1;
        o.features = pick(0, 2) != 0;
        if (!o.features && o.shape == SyntheticShape::FeaturesMlp)
            o.windowLength = pick(8, 48); // the raw window is the first dense layer's input
    }
    // Drawn last so that the fields above stay what they were for every seed.
    o.magnitudesKeepAxes = o.magnitudes && pick(0, 1) == 1;
    if (varyStructure) {
        o.movement = !o.magnitudes && pick(0, 3) == 0;
        o.featureCount = pick(0, 1) == 1 ? pick(1, 4) : 0;
    }
    return o;
}

FilterIR randomSyntheticFilter(FilterKind kind, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    auto pick = [&](int lo, int hi) { return lo + static_cast<int>(rng() % std::uint64_t(hi - lo + 1)); };
    std::uniform_real_distribution<double> small(-0.1, 0.1);
    FilterIR f;
    f.kind = kind;
    f.name = filterKindName(kind);
    if (kind == FilterKind::OrientationEkf) {
        f.stateSize = 4;
        f.measurementSize = 3;
        f.x0 = {1.0, 0.0, 0.0, 0.0};
        f.P0 = identity(4, 0.01);
        f.accNoise = 0.05 + 0.9 * std::uniform_real_distribution<double>(0, 1)(rng);
        f.gyroNoise = 0.05 + 0.9 * std::uniform_real_distribution<double>(0, 1)(rng);
        return f;
    }
    // The ground robot's steps have 4 states ([x, y, and speed, heading or velocity]).
    const bool groundRobot = kind == FilterKind::GpsInsEkf || kind == FilterKind::BodyVelocityKalman;
    const int n = groundRobot ? 4 : kind == FilterKind::Linear ? pick(1, 8) : pick(2, 6);
    const int m = pick(1, n);
    f.stateSize = n;
    f.measurementSize = m;
    f.x0.resize(std::size_t(n));
    for (double& v : f.x0) v = small(rng);
    f.P0 = identity(n, 1.0);
    f.F = identity(n, 0.95); // a stable transition with small couplings
    for (double& v : f.F) v += small(rng);
    f.Q = identity(n, 0.01);
    f.H.assign(std::size_t(m) * n, 0.0);
    for (int i = 0; i < m; ++i)
        f.H[std::size_t(i) * n + std::size_t(i)] = 1.0;
    f.R = identity(m, 0.5);
    if (kind == FilterKind::NeuralKalman) {
        const int p = pick(2, 10);
        f.network = learn::buildMlp({1, p}, n, learn::MlpConfig{pick(1, 3), pick(4, 32)}, seed);
        f.inputMean.assign(std::size_t(p), 0.1f);
        f.inputStddev.assign(std::size_t(p), 1.5f);
        f.inputVariances.assign(std::size_t(p), 0.01);
    }
    if (kind == FilterKind::GpsInsEkf) {
        f.F.clear(); // the EKF's Jacobian is computed per step
        f.sampleRateHz = 50.0 * pick(1, 4);
        f.dt = 1.0 / f.sampleRateHz;
    }
    if (kind == FilterKind::BodyVelocityKalman) {
        f.windowSamples = pick(4, 64);
        f.windowChannels = pick(1, 6);
        f.sampleRateHz = 100.0;
        f.dt = f.windowSamples / f.sampleRateHz;
        f.F = identity(n, 1.0);
        f.F[10] = f.F[15] = 0.0; // A = diag(1, 1, 0, 0): the velocity comes from the network alone
        const int features = 2 * f.windowChannels;
        f.network = learn::buildMlp({1, features}, 2, learn::MlpConfig{pick(1, 3), pick(4, 32)}, seed);
        f.inputMean.assign(std::size_t(features), 0.1f);
        f.inputStddev.assign(std::size_t(features), 1.5f);
        f.inputVariances.assign(std::size_t(f.windowChannels), 0.01);
        f.headingNoise = sim::AllanParameters{0.005, 1e-4, 0.01};
    }
    f.validate();
    return f;
}

} // namespace nesy::codegen
