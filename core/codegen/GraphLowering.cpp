#include "GraphLowering.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/Reference.h"
#include <random>

namespace nesy::codegen {

namespace {

// A block's parameter as set in the graph, else the block type's default.
class Params {
public:
    Params(const Block& b, const BlockRegistry& registry) : block_(b), type_(registry.find(b.type))
    {
        if (!type_)
            throw GraphError("block " + b.id + ": unknown type " + b.type);
    }
    Value get(const std::string& name) const
    {
        if (auto it = block_.params.find(name); it != block_.params.end())
            return it->second.value;
        if (const ParamSpec* spec = type_->param(name))
            return spec->defaultValue;
        throw GraphError("block " + block_.id + ": no parameter " + name);
    }
    int integer(const std::string& name) const { return get(name).get<int>(); }
    bool boolean(const std::string& name) const { return get(name).get<bool>(); }
    std::string text(const std::string& name) const { return get(name).get<std::string>(); }

private:
    const Block& block_;
    const BlockType* type_;
};

class NetworkBuilder {
public:
    NetworkBuilder(ProgramIR& p, std::uint64_t seed) : p_(p), rng_(seed) {}

    Shape shapeOf(int src) const { return src < 0 ? p_.networkInput() : p_.layers[src].out; }
    int dense(int src, int units, bool relu)
    {
        Layer l = base(LayerKind::Dense, src, relu);
        l.out = {1, units};
        fill(l, l.in.size(), units);
        return push(std::move(l));
    }
    int conv(int src, int filters, int kernel, int dilation, bool relu, Padding padding)
    {
        Layer l = base(LayerKind::Conv1D, src, relu);
        l.kernel = kernel;
        l.dilation = dilation;
        l.padding = padding;
        l.out = {l.in.length, filters};
        fill(l, kernel * l.in.channels, filters);
        return push(std::move(l));
    }
    int maxpool(int src, int pool)
    {
        Layer l = base(LayerKind::MaxPool1D, src, false);
        l.pool = pool;
        l.out = {l.in.length / pool, l.in.channels};
        return push(std::move(l));
    }
    int gap(int src)
    {
        Layer l = base(LayerKind::GlobalAvgPool, src, false);
        l.out = {1, l.in.channels};
        return push(std::move(l));
    }
    int add(std::vector<int> srcs, bool relu)
    {
        Layer l = base(LayerKind::Add, srcs[0], relu);
        l.inputs = std::move(srcs);
        l.out = l.in;
        return push(std::move(l));
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
        l.weights.resize(std::size_t(fanIn) * outs);
        for (float& v : l.weights) v = w(rng_);
        l.bias.assign(outs, 0.01f);
    }
    int push(Layer l)
    {
        p_.layers.push_back(std::move(l));
        return static_cast<int>(p_.layers.size()) - 1;
    }
    ProgramIR& p_;
    std::mt19937_64 rng_;
};

const Block* follow(const ProgramGraph& g, const Block& from)
{
    for (const auto& c : g.connectionsFrom(from.id))
        if (const Block* b = g.block(c.to.block); b && b->type.rfind("sink.", 0) != 0)
            return b;
    return nullptr;
}

} // namespace

ProgramIR lowerGraph(const ProgramGraph& graph, const BlockRegistry& registry, const GraphLoweringOptions& options)
{
    const Block* source = nullptr;
    for (const auto& b : graph.blocks())
        if (b.type.rfind("source.", 0) == 0) {
            if (source)
                throw UnsupportedBlock(b.id, "programs with more than one source are not generated yet");
            source = &b;
        }
    if (!source)
        throw GraphError("the program has no source block");

    ProgramIR p;
    p.name = "program";
    Params sp(*source, registry);
    if (source->type == "source.synthetic_imu")
        p.input = {sp.integer("window"), 6};
    else if (source->type == "source.earable")
        p.input = {sp.integer("window"), sp.text("channels") == "magnitudes" ? 2 : 6};
    else if (source->type == "source.csv")
        p.input = {sp.integer("window"), options.csvChannels};
    else
        throw UnsupportedBlock(source->id, "no code generation for source " + source->type + " yet");

    const Block* b = follow(graph, *source);
    if (b && b->type == "features.magnitude") {
        if (p.input.channels != 6)
            throw UnsupportedBlock(b->id, "vector magnitudes need the 6 raw IMU channels");
        throw UnsupportedBlock(b->id, "no code generation for vector magnitudes yet");
    }
    if (b && b->type == "features.statistics") {
        Params fp(*b, registry);
        p.hasFeatures = true;
        for (int f = 0; f < kFeatureCount; ++f)
            if (fp.boolean(featureName(static_cast<Feature>(f))))
                p.features.enabled.push_back(static_cast<Feature>(f));
        if (p.features.enabled.empty())
            throw UnsupportedBlock(b->id, "every feature is switched off");
        p.features.fftBins = fp.integer("fft_bins");
        b = follow(graph, *b);
    }
    if (!b)
        throw GraphError("the program has no backbone after its source");

    Params bp(*b, registry);
    NetworkBuilder n(p, options.seed);
    int x = -1;
    if (b->type == "backbone.mlp") {
        for (int i = 0; i < bp.integer("layers"); ++i)
            x = n.dense(x, bp.integer("units"), true);
    } else if (b->type == "backbone.cnn1d") {
        for (int i = 0; i < bp.integer("layers"); ++i) {
            x = n.conv(x, bp.integer("filters"), bp.integer("kernel"), 1, true, Padding::Same);
            if (bp.integer("pool") > 1 && n.shapeOf(x).length >= bp.integer("pool"))
                x = n.maxpool(x, bp.integer("pool"));
        }
        x = n.gap(x);
    } else if (b->type == "backbone.tcn") {
        // Residual blocks of two dilated causal convolutions; a 1x1 projection matches the channels.
        const int filters = bp.integer("filters"), kernel = bp.integer("kernel");
        std::vector<int> dilations = bp.get("dilations").get<std::vector<int>>();
        std::vector<int> skips;
        x = n.conv(x, filters, 1, 1, false, Padding::Causal);
        for (int s = 0; s < bp.integer("stacks"); ++s)
            for (int d : dilations) {
                int h = n.conv(x, filters, kernel, d, true, Padding::Causal);
                h = n.conv(h, filters, kernel, d, true, Padding::Causal);
                x = n.add({x, h}, true);
                skips.push_back(h);
            }
        if (bp.boolean("skip") && skips.size() > 1)
            x = n.add(skips, true);
        x = n.gap(x);
    } else {
        throw UnsupportedBlock(b->id, "no code generation for " + b->type + " yet");
    }
    n.dense(x, options.classes, false);
    p.softmax = true;
    p.validate();

    const bool int8 = bp.text("precision") == "int8";
    if (int8) {
        std::vector<std::vector<float>> calibration;
        for (std::uint64_t i = 0; i < 3; ++i)
            calibration.push_back(syntheticInput(p.input, options.seed + i));
        p = quantizeProgram(p, calibration);
    }
    p.name = b->id + (int8 ? "_int8" : "_f32");
    return p;
}

} // namespace nesy::codegen
