#include "ProgramCompiler.h"
#include "graph/Validation.h"
#include <algorithm>

namespace nesy::learn {

std::string DataSourceSpec::cacheKey() const
{
    return type + "|" + path.string() + "|" + params.dump();
}

namespace {

// A block's effective parameters with messages naming the block.
class BlockParams {
public:
    BlockParams(const Block& b, const BlockType& t) : block_(b), type_(t) {}

    Value get(const std::string& name) const
    {
        const ParamSpec* spec = type_.param(name);
        if (!spec)
            fail(name, "is not a parameter of " + type_.id);
        return effectiveValue(block_, *spec);
    }
    std::int64_t integer(const std::string& name) const
    {
        const Value v = get(name);
        if (!v.is_number())
            fail(name, "expected a number, got " + describeValue(v));
        return v.get<std::int64_t>();
    }
    double real(const std::string& name) const
    {
        const Value v = get(name);
        if (!v.is_number())
            fail(name, "expected a number, got " + describeValue(v));
        return v.get<double>();
    }
    bool flag(const std::string& name) const
    {
        const Value v = get(name);
        if (!v.is_boolean())
            fail(name, "expected true or false, got " + describeValue(v));
        return v.get<bool>();
    }
    std::string text(const std::string& name) const
    {
        const Value v = get(name);
        if (v.is_string())
            return v.get<std::string>();
        if (v.is_number())
            return v.dump();
        fail(name, "expected text, got " + describeValue(v));
    }
    std::vector<int> integers(const std::string& name) const
    {
        const Value v = get(name);
        if (!v.is_array())
            fail(name, "expected a list, got " + describeValue(v));
        std::vector<int> out;
        for (const Value& e : v) {
            if (!e.is_number_integer())
                fail(name, "expected a list of integers, got " + describeValue(v));
            out.push_back(e.get<int>());
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    Json all() const
    {
        Json j = Json::object();
        for (const ParamSpec& p : type_.params)
            j[p.name] = effectiveValue(block_, p);
        return j;
    }
    [[noreturn]] void fail(const std::string& param, const std::string& problem) const
    {
        throw CompileError("block \"" + block_.id + "\" (" + type_.id + ") parameter \"" + param + "\": " + problem);
    }

private:
    const Block& block_;
    const BlockType& type_;
};

const Block& upstream(const ProgramGraph& g, const Block& b, const BlockType& t)
{
    for (const PortSpec& in : t.inputs)
        if (auto c = g.connectionInto({b.id, in.name}))
            return *g.block(c->from.block);
    throw CompileError("block \"" + b.id + "\" (" + t.id + ") has no input connected");
}

} // namespace

PipelineSpec compileProgram(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry)
{
    auto typeOf = [&](const Block& b) -> const BlockType& {
        const BlockType* t = registry.find(b.type);
        if (!t)
            throw CompileError("block \"" + b.id + "\": unknown block type \"" + b.type + "\"");
        return *t;
    };
    const Block* sink = nullptr;
    for (const Block& b : graph.blocks())
        if (b.type == "sink.classification") {
            if (sink)
                throw CompileError("block \"" + b.id + "\": the learning evaluator scores one sink.classification, found two");
            sink = &b;
        }
    if (!sink)
        throw CompileError("the program has no sink.classification block: the learning evaluator has nothing to score");

    PipelineSpec p;
    p.sinkBlock = sink->id;
    p.metric = BlockParams(*sink, typeOf(*sink)).text("metric");
    if (p.metric != "accuracy" && p.metric != "balanced_accuracy" && p.metric != "macro_f1")
        throw CompileError("block \"" + sink->id + "\": unknown metric \"" + p.metric + "\"");

    std::vector<std::string> chain{sink->id};
    const Block* b = &upstream(graph, *sink, typeOf(*sink));
    // The backbone
    {
        const BlockType& t = typeOf(*b);
        if (t.category != BlockCategory::Backbone)
            throw CompileError("block \"" + b->id + "\" (" + t.id + ") feeding \"" + sink->id +
                               "\" is not a backbone the learning engine can train");
        BlockParams bp(*b, t);
        p.backboneBlock = b->id;
        p.backboneType = t.id;
        if (t.id == "backbone.mlp")
            p.backbone = MlpConfig{int(bp.integer("layers")), int(bp.integer("units"))};
        else if (t.id == "backbone.cnn1d")
            p.backbone = Cnn1dConfig{int(bp.integer("layers")), int(bp.integer("filters")), int(bp.integer("kernel")),
                                     int(bp.integer("pool"))};
        else if (t.id == "backbone.tcn")
            p.backbone = TcnConfig{int(bp.integer("filters")), int(bp.integer("kernel")), int(bp.integer("stacks")),
                                   bp.integers("dilations"), bp.flag("skip")};
        else
            throw CompileError("block \"" + b->id + "\": backbone type " + t.id + " is not implemented");
        p.training.epochs = int(bp.integer("epochs"));
        p.training.learningRate = bp.real("learning_rate");
        p.training.batchSize = int(bp.integer("batch_size"));
        p.training.patience = int(bp.integer("patience"));
        p.training.seed = std::uint64_t(bp.integer("seed"));
        const std::string precision = bp.text("precision");
        if (precision != "int8" && precision != "float32")
            bp.fail("precision", "expected int8 or float32");
        p.int8 = precision == "int8";
        chain.push_back(b->id);
        b = &upstream(graph, *b, t);
    }
    // Feature blocks, then the source
    while (true) {
        const BlockType& t = typeOf(*b);
        chain.push_back(b->id);
        if (t.category == BlockCategory::Source) {
            if (t.id != "source.synthetic_imu" && t.id != "source.earable" && t.id != "source.csv")
                throw CompileError("block \"" + b->id + "\" (" + t.id + ") is not a source of labelled windows");
            BlockParams bp(*b, t);
            p.source.block = b->id;
            p.source.type = t.id;
            p.source.params = bp.all();
            if (t.id != "source.synthetic_imu") {
                const std::string id = bp.text("dataset");
                const DatasetRef* ref = project.dataset(id);
                if (!ref)
                    bp.fail("dataset", "the project has no dataset \"" + id + "\"");
                p.source.path = project.resolveDatasetPath(*ref);
            }
            break;
        }
        if (t.id == "features.statistics") {
            if (p.features)
                throw CompileError("block \"" + b->id + "\": features.statistics appears twice in the chain");
            BlockParams bp(*b, t);
            FeatureOptions fo;
            for (int f = 0; f < kFeatureCount; ++f)
                fo.enabled[f] = bp.flag(featureNames()[f]);
            fo.fftBins = int(bp.integer("fft_bins"));
            if (fo.valuesPerChannel() == 0)
                throw CompileError("block \"" + b->id + "\": every feature is switched off");
            p.features = fo;
        } else if (t.id == "features.magnitude") {
            if (p.features)
                throw CompileError("block \"" + b->id + "\": vector magnitudes must come before features.statistics");
            p.magnitudes = true;
        } else {
            throw CompileError("block \"" + b->id + "\" (" + t.id + ") is not supported by the learning evaluator");
        }
        b = &upstream(graph, *b, t);
    }
    for (const Block& other : graph.blocks())
        if (std::find(chain.begin(), chain.end(), other.id) == chain.end())
            throw CompileError("block \"" + other.id + "\" (" + other.type +
                               ") is outside the source -> features -> backbone -> sink chain the learning evaluator runs");
    return p;
}

ModelSpec buildBackbone(const PipelineSpec& p, Shape input, int classes)
{
    try {
        if (const auto* mlp = std::get_if<MlpConfig>(&p.backbone))
            return buildMlp(input, classes, *mlp, p.training.seed);
        // Convolutions over a feature vector treat the features as a sequence of one channel.
        const Shape seq = input.length == 1 ? Shape{input.channels, 1} : input;
        if (const auto* cnn = std::get_if<Cnn1dConfig>(&p.backbone))
            return buildCnn1d(seq, classes, *cnn, p.training.seed);
        return buildTcn(seq, classes, std::get<TcnConfig>(p.backbone), p.training.seed);
    } catch (const std::invalid_argument& e) {
        throw CompileError("block \"" + p.backboneBlock + "\" (" + p.backboneType + "): " + e.what());
    }
}

} // namespace nesy::learn
