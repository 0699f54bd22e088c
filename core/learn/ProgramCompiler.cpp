#include "ProgramCompiler.h"
#include "graph/Validation.h"
#include "kalman/StateQuantity.h"
#include <algorithm>
#include <functional>

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

const BlockType& typeOf(const BlockRegistry& registry, const Block& b)
{
    const BlockType* t = registry.find(b.type);
    if (!t)
        throw CompileError("block \"" + b.id + "\": unknown block type \"" + b.type + "\"");
    return *t;
}

// The folder or file a source block's "dataset" parameter names, resolved against the project.
std::filesystem::path datasetPath(const BlockParams& bp, const Project& project)
{
    const std::string id = bp.text("dataset");
    const DatasetRef* ref = project.dataset(id);
    if (!ref)
        bp.fail("dataset", "the project has no dataset \"" + id + "\"");
    const std::filesystem::path path = project.resolveDatasetPath(*ref);
    // Real data lives outside the project: say which folder is missing and where it is set.
    if (!std::filesystem::exists(path))
        bp.fail("dataset", "the data folder " + path.string() + " of dataset \"" + id +
                               "\" does not exist (set the dataset's path in the project to where the data is)");
    return path;
}

void requireOnlyChain(const ProgramGraph& graph, const std::vector<std::string>& chain, const std::string& shape)
{
    for (const Block& other : graph.blocks())
        if (std::find(chain.begin(), chain.end(), other.id) == chain.end())
            throw CompileError("block \"" + other.id + "\" (" + other.type + ") is outside the " + shape +
                               " chain the evaluator runs");
}

const Block* onlySinkOfType(const ProgramGraph& graph, const std::string& type)
{
    const Block* sink = nullptr;
    for (const Block& b : graph.blocks())
        if (b.type == type) {
            if (sink)
                throw CompileError("block \"" + b.id + "\": the evaluator scores one " + type + ", found two");
            sink = &b;
        }
    return sink;
}

// The rule blocks (rule.sequence, rule.bound), each optionally into a sink.term; `check` fills in or
// refuses what one rule reads (`from`, the block upstream of it).
using RuleReadCheck = std::function<void(const Block& rule, const BlockType& type, const Block& from, RuleSpec& spec)>;

std::vector<RuleSpec> compileRules(const ProgramGraph& graph, const BlockRegistry& registry,
                                   std::vector<std::string>& chain, const RuleReadCheck& check)
{
    std::vector<symbolic::RuleTermSpec> terms;
    try {
        terms = symbolic::ruleTerms(graph, registry);
    } catch (const std::runtime_error& e) {
        throw CompileError(e.what());
    }
    std::vector<RuleSpec> rules;
    for (const symbolic::RuleTermSpec& term : terms) {
        const Block& rule = *graph.block(term.ruleBlock);
        const BlockType& t = typeOf(registry, rule);
        const Block& from = upstream(graph, rule, t);
        RuleSpec spec{term, BlockParams(rule, t).all(), from.id, false};
        check(rule, t, from, spec);
        rules.push_back(std::move(spec));
        chain.push_back(rule.id);
        if (!term.termBlock.empty())
            chain.push_back(term.termBlock);
    }
    return rules;
}

// A tracking program's rules bound a named quantity of the filter's state (kalman/StateQuantity.h).
std::vector<RuleSpec> compileStateRules(const ProgramGraph& graph, const BlockRegistry& registry,
                                        std::vector<std::string>& chain, const Block& filter)
{
    return compileRules(graph, registry, chain, [&](const Block& rule, const BlockType& t, const Block& from, RuleSpec& spec) {
        if (from.id != filter.id)
            throw CompileError("block \"" + rule.id + "\" (" + t.id + ") reads \"" + from.id +
                               "\": the evaluator checks a tracking program's rules on the filter's state (\"" + filter.id + "\")");
        if (t.id != "rule.bound")
            throw CompileError("block \"" + rule.id + "\" (" + t.id + ") judges decisions, and a filter's state has none: "
                               "bound a state quantity with rule.bound");
        const BlockParams bp(rule, t);
        try {
            kalman::stateQuantity(filter.type, bp.text("quantity"));
        } catch (const std::invalid_argument& e) {
            bp.fail("quantity", e.what());
        }
        spec.readsProgram = false;
    });
}

// A sink.tracking block's metric and the filter feeding it.
struct TrackingSink {
    std::string metric;
    const Block& filter;
    const BlockType& filterType;
};

TrackingSink trackingSink(const ProgramGraph& graph, const BlockRegistry& registry, const Block& sink)
{
    const BlockType& sinkType = typeOf(registry, sink);
    const Block& filter = upstream(graph, sink, sinkType);
    return {BlockParams(sink, sinkType).text("metric"), filter, typeOf(registry, filter)};
}

OrientationEkfSpec compileOrientationEkf(const ProgramGraph& graph, const Project& project,
                                         const BlockRegistry& registry, const Block& sink)
{
    OrientationEkfSpec spec;
    spec.sinkBlock = sink.id;
    const auto [metric, filter, filterType] = trackingSink(graph, registry, sink);
    if (filterType.id != "kalman.orientation_ekf")
        throw CompileError("block \"" + filter.id + "\" (" + filterType.id + ") feeding \"" + sink.id +
                           "\" is not a filter this evaluator can run (it runs kalman.orientation_ekf)");
    if (metric != "azimuth_elevation_error")
        throw CompileError("block \"" + sink.id + "\": kalman.orientation_ekf is scored by azimuth_elevation_error, not \"" +
                           metric + "\"");
    spec.filterBlock = filter.id;
    spec.filterParams = BlockParams(filter, filterType).all();
    const Block& source = upstream(graph, filter, filterType);
    const BlockType& sourceType = typeOf(registry, source);
    if (sourceType.id != "source.ahrs")
        throw CompileError("block \"" + source.id + "\" (" + sourceType.id + ") feeding \"" + filter.id +
                           "\" is not a source.ahrs recording");
    const BlockParams sp(source, sourceType);
    spec.sourceBlock = source.id;
    spec.folder = datasetPath(sp, project);
    spec.sampleRateHz = double(sp.integer("rate_hz"));
    std::vector<std::string> chain{sink.id, filter.id, source.id};
    spec.rules = compileStateRules(graph, registry, chain, filter);
    requireOnlyChain(graph, chain, "source.ahrs -> kalman.orientation_ekf -> sink.tracking (+ rules)");
    return spec;
}

TrajectorySpec compileTrajectory(const ProgramGraph& graph, const BlockRegistry& registry, const Block& sink)
{
    TrajectorySpec spec;
    spec.sinkBlock = sink.id;
    const auto [metric, filter, filterType] = trackingSink(graph, registry, sink);
    if (metric != "median_position_error")
        throw CompileError("block \"" + sink.id + "\": " + filterType.id + " is scored by median_position_error, not \"" +
                           metric + "\"");
    spec.filterBlock = filter.id;
    spec.filterType = filterType.id;
    spec.filterParams = BlockParams(filter, filterType).all();
    std::vector<std::string> chain{sink.id, filter.id};
    // Both inputs (IMU and GPS) must come from the one simulator.
    for (const PortSpec& in : filterType.inputs) {
        const auto c = graph.connectionInto({filter.id, in.name});
        if (!c)
            throw CompileError("block \"" + filter.id + "\" (" + filterType.id + ") input \"" + in.name + "\" is not connected");
        const Block& source = *graph.block(c->from.block);
        if (source.type != "source.gps_ins_sim")
            throw CompileError("block \"" + source.id + "\" (" + source.type + ") feeding \"" + filter.id +
                               "\" is not a source.gps_ins_sim simulator");
        if (!spec.sourceBlock.empty() && spec.sourceBlock != source.id)
            throw CompileError("block \"" + filter.id + "\": its IMU and GPS come from two simulators (\"" +
                               spec.sourceBlock + "\", \"" + source.id + "\")");
        spec.sourceBlock = source.id;
        spec.sourceParams = BlockParams(source, typeOf(registry, source)).all();
    }
    chain.push_back(spec.sourceBlock);
    spec.rules = compileStateRules(graph, registry, chain, filter);
    requireOnlyChain(graph, chain, "source.gps_ins_sim -> " + filterType.id + " -> sink.tracking (+ rules)");
    return spec;
}

} // namespace

CompiledProgram compile(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry)
{
    if (const Block* tracking = onlySinkOfType(graph, "sink.tracking")) {
        if (const Block* other = onlySinkOfType(graph, "sink.classification"))
            throw CompileError("block \"" + other->id + "\": a program with a sink.tracking (\"" + tracking->id +
                               "\") cannot also have a sink.classification");
        const Block& filter = upstream(graph, *tracking, typeOf(registry, *tracking));
        if (filter.type == "kalman.linear" || filter.type == "kalman.neural" || filter.type == "kalman.ekf")
            return compileTrajectory(graph, registry, *tracking);
        return compileOrientationEkf(graph, project, registry, *tracking);
    }
    return compileProgram(graph, project, registry);
}

PipelineSpec compileProgram(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry)
{
    auto typeOf = [&](const Block& b) -> const BlockType& { return learn::typeOf(registry, b); };
    const Block* sink = onlySinkOfType(graph, "sink.classification");
    if (!sink)
        throw CompileError("the program has no sink.classification block: the learning evaluator has nothing to score");

    PipelineSpec p;
    p.sinkBlock = sink->id;
    p.metric = BlockParams(*sink, typeOf(*sink)).text("metric");
    if (p.metric != "accuracy" && p.metric != "balanced_accuracy" && p.metric != "macro_f1")
        throw CompileError("block \"" + sink->id + "\": unknown metric \"" + p.metric + "\"");

    std::vector<std::string> chain{sink->id};
    const Block* b = &upstream(graph, *sink, typeOf(*sink));
    // An optional symbolic program over the backbone's class scores
    if (b->type == "symbolic.synthesized_tree" || b->type == "symbolic.threshold_tree") {
        const BlockType& t = typeOf(*b);
        if (graph.connectionInto({b->id, "extra"}))
            throw CompileError("block \"" + b->id + "\": extra inputs besides the backbone's scores are not supported by the evaluator");
        p.symbolic = SymbolicStageSpec{b->id, t.id, BlockParams(*b, t).all()};
        chain.push_back(b->id);
        b = &upstream(graph, *b, t);
    }
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
        {
            const std::string head = bp.text("head");
            if (head != "average" && head != "flatten")
                bp.fail("head", "expected average or flatten");
            p.backbone = TcnConfig{int(bp.integer("filters")), int(bp.integer("kernel")), int(bp.integer("stacks")),
                                   bp.integers("dilations"), bp.flag("skip"),
                                   head == "flatten" ? TcnHead::Flatten : TcnHead::Average};
        }
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
            if (t.id != "source.synthetic_imu")
                p.source.path = datasetPath(bp, project);
            break;
        }
        if (t.id == "features.statistics") {
            if (p.features)
                throw CompileError("block \"" + b->id + "\": features.statistics appears twice in the chain");
            // Walking upstream: a magnitude block already seen sits after the statistics.
            if (p.magnitudes)
                throw CompileError("block \"" + b->id + "\": vector magnitudes must come before features.statistics");
            if (p.movementChannel)
                throw CompileError("block \"" + b->id + "\": the movement channel reads raw windows, so it must come "
                                   "before features.statistics");
            BlockParams bp(*b, t);
            FeatureOptions fo;
            for (int f = 0; f < kFeatureCount; ++f)
                fo.enabled[f] = bp.flag(featureNames()[f]);
            fo.fftBins = int(bp.integer("fft_bins"));
            fo.tailRows = int(bp.integer("tail_rows"));
            if (fo.valuesPerChannel() == 0)
                throw CompileError("block \"" + b->id + "\": every feature is switched off");
            p.features = fo;
            p.featuresBlock = b->id;
        } else if (t.id == "rule.movement_channel") {
            if (p.magnitudes)
                throw CompileError("block \"" + b->id + "\": the movement channel reads the raw gyroscope axes, so it "
                                   "cannot be combined with features.magnitude");
            if (p.movementChannel)
                throw CompileError("block \"" + b->id + "\": rule.movement_channel appears twice in the chain");
            p.movementChannel = MovementChannelSpec{b->id, BlockParams(*b, t).all()};
        } else if (t.id == "features.magnitude") {
            if (p.movementChannel)
                throw CompileError("block \"" + b->id + "\": the movement channel reads the raw gyroscope axes, so it "
                                   "cannot be combined with features.magnitude");
            p.magnitudes = true;
            p.magnitudesKeepAxes = BlockParams(*b, t).flag("keep_axes");
        } else {
            throw CompileError("block \"" + b->id + "\" (" + t.id + ") is not supported by the learning evaluator");
        }
        b = &upstream(graph, *b, t);
    }
    // Rules read the backbone's scores or the program's decisions.
    p.rules = compileRules(graph, registry, chain, [&](const Block& rule, const BlockType& t, const Block& from, RuleSpec& spec) {
        spec.readsProgram = p.symbolic && from.id == p.symbolic->block;
        if (from.id != p.backboneBlock && !spec.readsProgram)
            throw CompileError("block \"" + rule.id + "\" (" + t.id + ") reads \"" + from.id +
                               "\": the evaluator checks rules on the backbone's scores or the program's decisions");
    });
    requireOnlyChain(graph, chain, "source -> features -> backbone -> [symbolic] -> sink (+ rules)");
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
