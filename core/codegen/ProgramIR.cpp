#include "ProgramIR.h"
#include "FeatureMath.h"
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace nesy::codegen {

std::string featureName(Feature f)
{
    return learn::featureNames()[static_cast<int>(f)];
}

int FeatureSpec::valuesPerChannel() const
{
    int n = 0;
    for (Feature f : enabled)
        n += f == Feature::FftMean ? fftBins : 1;
    return n;
}

bool FeatureSpec::needsSpectrum() const
{
    for (Feature f : enabled)
        if (f == Feature::FftMean || f == Feature::FundamentalFrequency || f == Feature::MaxPower)
            return true;
    return false;
}

bool FeatureSpec::needsSorting() const
{
    for (Feature f : enabled)
        if (f == Feature::Iqr || f == Feature::Median)
            return true;
    return false;
}

std::string layerKindName(LayerKind k)
{
    switch (k) {
    case LayerKind::Conv1D: return "conv1d";
    case LayerKind::Dense: return "dense";
    case LayerKind::MaxPool1D: return "maxpool1d";
    case LayerKind::GlobalAvgPool: return "global_avg_pool";
    case LayerKind::Add: return "add";
    }
    return "?";
}

std::int64_t Layer::multiplyAccumulates() const
{
    switch (kind) {
    case LayerKind::Conv1D: return std::int64_t(out.length) * out.channels * kernel * in.channels;
    case LayerKind::Dense: return std::int64_t(out.size()) * in.size();
    default: return 0;
    }
}

namespace {

// Whether GCC compares the value in float: a score, a constant that float holds exactly (also
// negated: GCC folds the sign into the constant), or the magnitude or min/max of one such value
// (GCC narrows fabs((double)s) and nesy_min(x, x) back to float; not -(double)s: checked with
// arm-none-eabi-gcc 12.2 -O2).
bool exactInFloat(const symbolic::Expr& e)
{
    using symbolic::Op;
    const auto& o = e.operands();
    switch (e.op()) {
    case Op::Input: return true;
    case Op::Constant: return double(float(e.value())) == e.value();
    case Op::Negate: return o[0].op() == Op::Constant && exactInFloat(o[0]);
    case Op::Abs: return exactInFloat(o[0]);
    case Op::Min:
    case Op::Max: return o[0] == o[1] && exactInFloat(o[0]);
    default: return false;
    }
}

// The soft-float routines a decision tree's C pulls in (the cores' FPUs are single precision):
// named by the operator groups that need them. Operators GCC folds back to float need none.
void collectRoutines(const symbolic::Expr& e, std::set<std::string>& out)
{
    using symbolic::Op;
    const auto& operands = e.operands();
    if (e.op() == Op::IfThenElse && operands[1] == operands[2]) {
        collectRoutines(operands[1], out); // GCC drops the condition (as countNodes)
        return;
    }
    const bool folded = exactInFloat(e);
    switch (e.op()) {
    case Op::Add:
    case Op::Subtract: out.insert("add_subtract"); break;
    case Op::Multiply: out.insert("multiply"); break;
    case Op::Divide: out.insert("divide"); break;
    case Op::Min: if (!folded) out.insert("min"); break; // a helper function each (core/codegen/DecisionC.cpp)
    case Op::Max: if (!folded) out.insert("max"); break;
    default: break; // comparisons every tree has
    }
    for (const symbolic::Expr& o : operands)
        collectRoutines(o, out);
}

// A decision tree's nodes by the code each compiles to. Comparisons of scores and float-exact
// constants are float comparisons (the FPU; converting to double first is exact, and GCC drops
// it); arithmetic, and comparisons with its results, are soft-float double calls whose score
// operands need a float-to-double conversion each. Logical operators and if-then-else are
// branches; an if-then-else whose branches are equal compiles to its branch alone (the condition
// has no side effects).
void countNodes(const symbolic::Expr& e, std::map<std::string, int>& out, bool inDouble = false)
{
    using symbolic::Op;
    const auto& operands = e.operands();
    if (e.op() == Op::IfThenElse && operands[1] == operands[2]) {
        countNodes(operands[1], out, inDouble);
        return;
    }
    bool operandsInDouble = false;
    switch (e.op()) {
    case Op::Input: ++out[inDouble ? "double_inputs" : "inputs"]; break;
    case Op::Constant: ++out["constants"]; break;
    case Op::Less:
    case Op::LessEqual:
    case Op::Greater:
    case Op::GreaterEqual:
    case Op::Equal:
        operandsInDouble = !(exactInFloat(operands[0]) && exactInFloat(operands[1]));
        ++out[operandsInDouble ? "comparisons" : "float_comparisons"];
        break;
    case Op::Not:
    case Op::And:
    case Op::Or: ++out["logic"]; break;
    case Op::IfThenElse: ++out["branches"]; break;
    case Op::Negate:
    case Op::Abs:
    case Op::Min:
    case Op::Max:
        if (exactInFloat(e)) { // folded to float: a sign or bit operation, or nothing
            ++out["float_arithmetic"];
            break;
        }
        [[fallthrough]];
    default:
        ++out["arithmetic"];
        operandsInDouble = true;
        break;
    }
    for (const symbolic::Expr& o : operands)
        countNodes(o, out, operandsInDouble);
}

} // namespace

int Layer::padBefore() const
{
    return padding == Padding::Causal ? (kernel - 1) * dilation : (kernel - 1) * dilation / 2;
}

std::int64_t Layer::executedTaps() const
{
    if (kind != LayerKind::Conv1D)
        return 0;
    // The generated kernel skips the taps that fall outside the window.
    std::int64_t taps = 0;
    for (int k = 0; k < kernel; ++k) {
        const int first = std::max(0, padBefore() - k * dilation);
        const int last = std::min(out.length, in.length + padBefore() - k * dilation);
        taps += std::max(0, last - first);
    }
    return taps * out.channels;
}

Shape ProgramIR::windowShape() const
{
    if (magnitudes)
        return Shape{input.length, magnitudesKeepAxes ? 8 : 2};
    return movement ? Shape{input.length, input.channels + 1} : input;
}

Shape ProgramIR::networkInput() const
{
    if (!hasFeatures)
        return windowShape();
    return Shape{1, featureOptions(features).outputSize(windowShape().channels)};
}

bool ProgramIR::networkInputReadableAs(Shape read) const
{
    const Shape produced = networkInput();
    return read == produced || (hasFeatures && read == Shape{produced.channels, 1});
}

Shape ProgramIR::scoresShape() const
{
    return layers.empty() ? networkInput() : layers.back().out;
}

Shape ProgramIR::outputShape() const
{
    if (!decision)
        return scoresShape();
    return Shape{1, scoresShape().size() + 1};
}

void ProgramIR::validate() const
{
    auto fail = [&](std::size_t i, const std::string& what) {
        throw std::invalid_argument("program " + name + ", layer " + std::to_string(i) + " (" + layers[i].name +
                                    "): " + what);
    };
    if (input.length <= 0 || input.channels <= 0)
        throw std::invalid_argument("program " + name + ": the input shape must be positive");
    if (hasFeatures) {
        if (features.sampleRateHz <= 0)
            throw std::invalid_argument("program " + name + ": features need a sample rate");
        if (const std::string problem = featureOptions(features).problemWith(input.length); !problem.empty())
            throw std::invalid_argument("program " + name + ": " + problem);
    }
    if (magnitudes && input.channels != 6)
        throw std::invalid_argument("program " + name + ": vector magnitudes need 6 input channels");
    if (magnitudesKeepAxes && !magnitudes)
        throw std::invalid_argument("program " + name + ": keeping the axes beside the magnitudes needs the magnitudes");
    if (movement && magnitudes)
        throw std::invalid_argument("program " + name + ": the movement channel reads the raw gyroscope axes, so it "
                                    "cannot be combined with vector magnitudes");
    if (movement)
        for (int col : movement->gyroColumns)
            if (col < 0 || col >= input.channels)
                throw std::invalid_argument("program " + name + ": the movement channel's gyroscope column " +
                                            std::to_string(col) + " is not in an input of " +
                                            std::to_string(input.channels) + " channels");
    if (normMean.size() != normStddev.size() ||
        (!normMean.empty() && normMean.size() != std::size_t(networkInput().channels)))
        throw std::invalid_argument("program " + name + ": normalisation needs a mean and a stddev per input channel");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& l = layers[i];
        if (l.inputs.empty())
            fail(i, "has no input");
        for (int src : l.inputs) {
            if (src < -1 || src >= static_cast<int>(i))
                fail(i, "reads layer " + std::to_string(src) + ", which does not run before it");
            const Shape s = src < 0 ? networkInput() : layers[src].out;
            const bool readable = src < 0 ? networkInputReadableAs(l.in) : s == l.in;
            if (!readable && !(l.kind == LayerKind::Dense && s.size() == l.in.size()))
                fail(i, "input shape does not match the producing layer");
        }
        const int oc = l.out.channels;
        switch (l.kind) {
        case LayerKind::Conv1D:
            if (l.kernel < 1 || l.dilation < 1 || l.out.length != l.in.length)
                fail(i, "bad kernel, dilation or output length");
            if (l.weights.size() != std::size_t(oc) * l.kernel * l.in.channels || l.bias.size() != std::size_t(oc))
                fail(i, "weights must be [out][kernel][in] and bias [out]");
            break;
        case LayerKind::Dense:
            if (l.out.length != 1 || l.weights.size() != std::size_t(oc) * l.in.size() || l.bias.size() != std::size_t(oc))
                fail(i, "weights must be [out][in] and bias [out]");
            break;
        case LayerKind::MaxPool1D:
            if (l.pool < 1 || l.out.length != l.in.length / l.pool || l.out.channels != l.in.channels ||
                l.out.length < 1)
                fail(i, "pool size does not give the output length");
            break;
        case LayerKind::GlobalAvgPool:
            if (l.out.length != 1 || l.out.channels != l.in.channels)
                fail(i, "output must be [1 x channels]");
            break;
        case LayerKind::Add:
            if (l.inputs.size() < 2 || !(l.out == l.in))
                fail(i, "needs two or more inputs of the output's shape");
            break;
        }
        if (quantized) {
            bool weighted = l.kind == LayerKind::Conv1D || l.kind == LayerKind::Dense;
            if (weighted && (l.qWeights.size() != l.weights.size() || l.qBias.size() != l.bias.size() ||
                             l.multipliers.size() != std::size_t(oc)))
                fail(i, "int8 weights, biases or multipliers are missing");
            if (l.kind == LayerKind::GlobalAvgPool && l.multipliers.size() != 1)
                fail(i, "needs one output multiplier");
            if (l.kind == LayerKind::Add && l.multipliers.size() != l.inputs.size())
                fail(i, "needs one multiplier per input");
            for (const auto& m : l.multipliers)
                if (m.shift < 1 || m.shift > 62)
                    fail(i, "multiplier shift outside 1..62");
        }
    }
    if (decision) {
        if (decision->trees.empty())
            throw std::invalid_argument("program " + name + ": a decision stage needs at least one tree");
        if (decision->inputs.size() != std::size_t(scoresShape().size()))
            throw std::invalid_argument("program " + name + ": the decision stage names " +
                                        std::to_string(decision->inputs.size()) + " inputs for " +
                                        std::to_string(scoresShape().size()) + " scores");
        for (const symbolic::Expr& t : decision->trees) {
            if (t.type() != symbolic::Type::Number)
                throw std::invalid_argument("program " + name + ": decision tree '" + symbolic::toText(t) +
                                            "' computes a condition, not a class");
            for (const std::string& in : t.inputNames())
                if (std::find(decision->inputs.begin(), decision->inputs.end(), in) == decision->inputs.end())
                    throw std::invalid_argument("program " + name + ": decision tree '" + symbolic::toText(t) +
                                                "' reads \"" + in + "\", which is not one of the scores");
        }
    }
}

int ProgramIR::decisionNodes() const
{
    int nodes = 0;
    if (decision)
        for (const symbolic::Expr& t : decision->trees)
            nodes += t.size();
    return nodes;
}

std::int64_t ProgramIR::weightBytes() const
{
    std::int64_t bytes = 0;
    for (const Layer& l : layers) {
        if (l.kind != LayerKind::Conv1D && l.kind != LayerKind::Dense)
            continue;
        if (quantized)
            bytes += std::int64_t(l.weights.size()) + 4 * std::int64_t(l.bias.size()) + 8 * std::int64_t(l.out.channels);
        else
            bytes += 4 * std::int64_t(l.weights.size() + l.bias.size());
    }
    return bytes;
}

std::int64_t ProgramIR::multiplyAccumulates() const
{
    std::int64_t n = 0;
    for (const Layer& l : layers)
        n += l.multiplyAccumulates();
    return n;
}

Json ProgramIR::summary() const
{
    Json ops = Json::array();
    for (const Layer& l : layers) {
        ops.push_back(Json{{"kind", layerKindName(l.kind)},
                           {"name", l.name},
                           {"inputs", static_cast<std::int64_t>(l.inputs.size())},
                           {"in_elements", l.in.size()},
                           {"in_channels", l.in.channels},
                           {"out_elements", l.out.size()},
                           {"out_channels", l.out.channels},
                           {"kernel", l.kernel},
                           {"macs", l.multiplyAccumulates()},
                           {"relu", l.relu}});
        if (l.kind == LayerKind::Conv1D)
            ops.back()["executed_taps"] = l.executedTaps(); // the rest fall into the padding
    }
    Json j{{"entry", "nesy_program_run"},
           {"quantized", quantized},
           {"input_size", input.size()},
           {"output_size", outputSize()},
           {"softmax", softmax},
           {"weight_bytes", weightBytes()},
           {"macs", multiplyAccumulates()},
           {"ops", ops}};
    if (decision) {
        // One more step for resource models: the trees read the scores and write one class.
        j["ops"].push_back(Json{{"kind", "decision"},
                                {"name", "decision"},
                                {"inputs", 1},
                                {"in_elements", scoresShape().size()},
                                {"out_elements", 1},
                                {"out_channels", 1},
                                {"kernel", 1},
                                {"macs", decisionNodes()},
                                {"relu", false}});
        int depths = 0;
        std::set<std::string> routines;
        std::map<std::string, int> nodeKinds;
        // The vote's ties go to the earlier tree, so of two trees the first always decides and
        // GCC drops the second (its code and its work): the live trees are all but that one.
        const std::size_t live = decision->trees.size() == 2 ? 1 : decision->trees.size();
        for (std::size_t i = 0; i < live; ++i) {
            const symbolic::Expr& t = decision->trees[i];
            depths += t.depth();
            collectRoutines(t, routines);
            countNodes(t, nodeKinds);
        }
        j["decision"] = Json{{"trees", static_cast<std::int64_t>(decision->trees.size())},
                             {"live_trees", static_cast<std::int64_t>(live)},
                             {"nodes", decisionNodes()},
                             {"node_kinds", nodeKinds},
                             {"depths", depths}, // if-then-else levels summed over the trees
                             {"routines", routines}};
    }
    if (hasFeatures) {
        Json names = Json::array();
        for (Feature f : features.enabled)
            names.push_back(featureName(f));
        j["features"] = Json{{"length", input.length},
                             {"channels", windowShape().channels},
                             {"enabled", names},
                             {"fft_bins", features.fftBins},
                             {"tail_rows", features.tailRows}};
    }
    j["magnitudes"] = magnitudes;
    j["magnitudes_keep_axes"] = magnitudesKeepAxes;
    j["movement_channel"] = movement.has_value();
    if (movement) // per sample: the raw channels copied, a double square per gyroscope column, one sqrt
        j["movement"] = Json{{"length", input.length},
                             {"channels", input.channels},
                             {"gyro_columns", static_cast<std::int64_t>(movement->gyroColumns.size())}};
    j["normalized_elements"] = normMean.empty() ? 0 : networkInput().size();
    j["normalized_channels"] = static_cast<std::int64_t>(normMean.size());
    return j;
}

} // namespace nesy::codegen
