#include "ResourceModel.h"
#include "graph/JsonReader.h"
#include "graph/Project.h"
#include "engine/Resources.h"
#include "learn/Features.h"
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <set>

namespace nesy {

namespace {

bool needsSpectrum(const std::string& f)
{
    return f == "fft_mean" || f == "fundamental_frequency" || f == "max_power";
}

} // namespace

namespace {

// The library functions the generated C calls (core/codegen/CGenerator.cpp, DecisionC.cpp), by
// what calls them. Soft-float (the FPUs are single precision): every float-to-double conversion
// links __aeabi_f2d (with the double add and subtract in libgcc's object), a double comparison
// the comparison object; multiplication and division their own.
const char* const kFloatToDouble = "__aeabi_f2d";
const char* const kDoubleAdd = "__aeabi_dadd";
const char* const kDoubleCompare = "__aeabi_dcmplt";
const char* const kDoubleMultiply = "__aeabi_dmul";
const char* const kDoubleDivide = "__aeabi_ddiv";

} // namespace

const std::vector<std::string>& modelledLibraryFunctions()
{
    static const std::vector<std::string> all{"floorf", "expf", "sqrtf", "logf", "memset", "sqrt",
                                              kFloatToDouble, kDoubleAdd, kDoubleCompare, kDoubleMultiply,
                                              kDoubleDivide};
    return all;
}

LibraryCode::Section LibraryCode::linked(const std::set<std::string>& functions) const
{
    std::set<std::string> names;
    for (const auto& f : functions)
        if (auto it = functionSections.find(f); it != functionSections.end())
            names.insert(it->second.begin(), it->second.end());
    Section total;
    for (const auto& n : names)
        if (auto it = sections.find(n); it != sections.end()) {
            total.flashBytes += it->second.flashBytes;
            total.ramBytes += it->second.ramBytes;
        }
    return total;
}

Json LibraryCode::toJson() const
{
    Json s = Json::object();
    for (const auto& [name, size] : sections)
        s[name] = Json{{"flash", size.flashBytes}, {"ram", size.ramBytes}};
    return Json{{"functions", functionSections}, {"sections", s}};
}

LibraryCode LibraryCode::fromJson(const JsonReader& r)
{
    r.allowOnly({"functions", "sections"});
    LibraryCode c;
    auto functions = r.at("functions");
    functions.requireObject();
    for (const auto& [f, list] : functions.node().items())
        for (const auto& name : functions.at(f).items())
            c.functionSections[f].push_back(name.asString());
    auto sections = r.at("sections");
    sections.requireObject();
    for (const auto& [name, j] : sections.node().items()) {
        auto one = sections.at(name);
        one.allowOnly({"flash", "ram"});
        c.sections[name] = Section{one.at("flash").asNumber(), one.at("ram").asNumber()};
    }
    return c;
}

namespace {

// The layers of a network program: per-kernel work in the loops the generated C runs.
void addNetworkTerms(const JsonReader& r, const std::string& suffix, ResourceTerms& t, std::set<std::string>& kernels,
                     std::set<std::string>& inlined)
{
    auto& ins = t.instructions;
    int layers = 0;
    // A kernel that only one layer calls is inlined with that layer's sizes as constants, and GCC
    // compiles it to tighter loops (a channel loop of one disappears): such layers get their own
    // coefficients ("_inlined").
    std::map<std::string, int> calls;
    for (const auto& op : r.at("ops").items())
        ++calls[op.at("kind").asString()];
    for (const auto& op : r.at("ops").items()) {
        const std::string kind = op.at("kind").asString();
        if (kind == "decision")
            continue; // its own terms (addDecisionTerms)
        const double inE = static_cast<double>(op.at("in_elements").asInteger());
        const double outE = static_cast<double>(op.at("out_elements").asInteger());
        const double macs = static_cast<double>(op.at("macs").asInteger());
        const double kernel = static_cast<double>(op.optInteger("kernel", 1));
        const double inputs = static_cast<double>(op.optInteger("inputs", 1));
        kernels.insert(kind + suffix);
        if (calls[kind] == 1)
            inlined.insert(kind + suffix); // its code is specialised for that layer's sizes
        ++layers;
        const std::string variant = suffix + (calls[kind] == 1 ? "_inlined" : "");
        if (kind == "conv1d") {
            // Taps outside the window are skipped after the bounds check; the rest run the
            // channel loop: executed taps x input channels multiply-accumulates.
            const double taps = static_cast<double>(op.optInteger("executed_taps", static_cast<std::int64_t>(outE * kernel)));
            const double channels = static_cast<double>(op.optInteger("in_channels", static_cast<std::int64_t>(macs / std::max(1.0, outE * kernel))));
            ins["macs_conv1d" + variant] += taps * channels;
            ins["taps_conv1d" + variant] += taps;
            ins["skipped_taps_conv1d"] += outE * kernel - taps;
            ins["outputs_conv1d" + variant] += outE;
        } else if (kind == "dense") {
            ins["macs_dense" + variant] += macs;
            ins["outputs_dense" + variant] += outE;
        } else if (kind == "maxpool1d") {
            ins["pool_elements"] += inE;
            ins[calls[kind] == 1 ? "maxpool_outputs_inlined" : "maxpool_outputs"] += outE;
        } else if (kind == "global_avg_pool") {
            ins["pool_elements"] += inE;
            ins["gap_outputs" + suffix] += outE; // int8: requantized
        } else if (kind == "add") {
            ins["add_terms" + suffix] += outE * inputs;
            ins["add_outputs" + suffix] += outE;
        }
    }
    t.code["layers"] = layers;
}

// features.statistics (core/codegen/CGenerator.cpp): per channel one min/max/mean pass, one more
// pass per variance/MAD/energy/entropy, an insertion sort for median/IQR, a DFT for the spectral
// features, and per-channel work (entropy's logf per bin, sqrtf per spectrum bin, bin scans).
// With tail_rows the extractor runs twice (the whole window, then its tail): one function each, so
// code and work add up over the two spans.
// Returns the number of feature values (the network's input).
double addFeatureTerms(const JsonReader& f, ResourceTerms& t, std::set<std::string>& kernels)
{
    auto& ins = t.instructions;
    const double channels = static_cast<double>(f.at("channels").asInteger());
    std::vector<double> lengths{static_cast<double>(f.at("length").asInteger())};
    if (const std::int64_t tail = f.optInteger("tail_rows", 0); tail > 0)
        lengths.push_back(static_cast<double>(tail));
    const double spans = static_cast<double>(lengths.size());
    // Sums over the spans of the per-span quantities below.
    double n = 0, squares = 0, halves = 0, bins = 0, binTerms = 0;
    for (double length : lengths) {
        n += length;
        squares += length * length;
        halves += std::floor(length / 2);
        bins += std::floor(length / 2) + 1;
        binTerms += (std::floor(length / 2) + 1) * length;
    }
    bool sorting = false, spectrum = false, usesMean = false, usesMinMax = false;
    double values = 0, passes = 0, scans = 0;
    for (const auto& name : f.at("enabled").items()) {
        const std::string s = name.asString();
        t.code["feature:" + s] = spans;
        usesMean = usesMean || s == "mean" || s == "variance" || s == "mad";
        usesMinMax = usesMinMax || s == "max" || s == "peak_to_peak" || s == "entropy";
        sorting = sorting || s == "median" || s == "iqr";
        spectrum = spectrum || needsSpectrum(s);
        if (s == "variance" || s == "mad" || s == "abs_energy")
            passes += 1;
        if (s == "entropy") {
            t.libraryFunctions.insert({"logf", "memset"}); // the bin counts are zeroed by memset
            // The bin counts are a local array, on the stack of the function the extractor is inlined into.
            t.localStackBytes += 4.0 * learn::kEntropyBins;
            ins["entropy_samples"] = channels * n;      // binning: a float division per sample
            ins["entropy_channels"] = channels * spans; // logf over the occupied bins
        }
        if (s == "fft_mean")
            ins["fft_mean_terms"] = channels * halves;
        if (s == "fundamental_frequency" || s == "max_power")
            scans += 1;
        values += s == "fft_mean" ? static_cast<double>(f.at("fft_bins").asInteger()) : 1;
    }
    kernels.insert("features");
    // The generated C always writes the min/max/mean pass, but GCC drops what no enabled feature
    // reads (the extractor is inlined into its one caller): the whole pass when none reads the
    // mean, min or max (abs_energy, median, iqr, the spectral features), the comparisons when
    // only the mean is read.
    if (usesMean || usesMinMax) {
        ins["feature_samples"] = channels * n;
        t.code["feature_first_pass"] = spans;
    }
    if (usesMinMax) {
        ins["feature_minmax_samples"] = channels * n;
        t.code["feature_minmax"] = spans;
    }
    ins["feature_pass_samples"] = channels * n * passes;
    ins["feature_channels"] = channels * spans;
    ins["feature_values"] = channels * values * spans;
    if (sorting) {
        ins["sort_steps"] = channels * squares / 4; // insertion sort: ~n^2/4 moves on unsorted data
        kernels.insert("sort");
    }
    if (spectrum) {
        ins["dft_terms"] = channels * binTerms;
        ins["dft_bins"] = channels * bins; // sqrtf per bin
        ins["bin_scans"] = channels * bins * scans;
        t.constantBytes += 8 * n; // cos and sin twiddle tables, per span
        kernels.insert("spectrum");
        t.libraryFunctions.insert("sqrtf");
    }
    return channels * values * spans;
}

// A decision stage: each tree is a chain of if-then-else in double (soft-float on these cores),
// one call and lround per tree, and a majority vote over the trees.
void addDecisionTerms(const JsonReader& d, ResourceTerms& t, std::set<std::string>& kernels)
{
    // The trees whose code and work remain (the summary's node counts are theirs).
    const double trees = static_cast<double>(d.optInteger("live_trees", d.at("trees").asInteger()));
    const double nodes = static_cast<double>(d.at("nodes").asInteger());
    const double depths = static_cast<double>(d.optInteger("depths", 0));
    t.instructions["decision_trees"] = trees;
    t.instructions["decision_path_nodes"] = depths; // the conditions evaluated on one path
    t.instructions["decision_votes"] = trees * trees;
    // Code per node by what it compiles to (older summaries: one cost per node). Trees that only
    // compare scores and float-exact constants compile to float comparisons: no soft-float code.
    // The soft-float routines are library functions (libraryFunctions).
    bool oldSummary = true;
    if (auto kinds = d.find("node_kinds")) {
        kinds->requireObject();
        oldSummary = false;
        const auto& k = kinds->node();
        for (const auto& [kind, count] : k.items())
            t.code["decision_nodes:" + kind] = count.get<double>();
        if (k.contains("arithmetic") || k.contains("comparisons"))
            t.libraryFunctions.insert(kFloatToDouble); // the scores' conversions
        if (k.contains("comparisons"))
            t.libraryFunctions.insert(kDoubleCompare);
    } else {
        t.code["decision_nodes"] = nodes;
    }
    t.code["decision_trees"] = trees;
    if (auto routines = d.find("routines"))
        for (const auto& name : routines->items()) {
            const std::string r = name.asString();
            if (oldSummary || r == "min" || r == "max")
                t.code["decision_routine:" + r] = 1; // min and max: a helper function of their own
            if (r == "min" || r == "max" || r == "divide") // the helpers compare in double
                t.libraryFunctions.insert(kDoubleCompare);
            if (r == "add_subtract")
                t.libraryFunctions.insert(kDoubleAdd);
            if (r == "multiply")
                t.libraryFunctions.insert(kDoubleMultiply);
            if (r == "divide")
                t.libraryFunctions.insert(kDoubleDivide);
            t.libraryFunctions.insert(kFloatToDouble);
        }
    kernels.insert("decision");
    if (oldSummary)
        kernels.insert("soft_double");
}

// rule.movement_channel (core/codegen/CGenerator.cpp, nesy_movement): per sample the raw channels
// copied, a double square summed per gyroscope column, sqrt(double) and one double comparison.
// Returns the network's input size (one more channel).
double addMovementTerms(const JsonReader& m, ResourceTerms& t, std::set<std::string>& kernels)
{
    const double n = static_cast<double>(m.at("length").asInteger());
    const double c = static_cast<double>(m.at("channels").asInteger());
    const double gyro = static_cast<double>(m.at("gyro_columns").asInteger());
    t.instructions["movement_samples"] = n;
    t.instructions["movement_copies"] = n * c;
    t.instructions["movement_gyro_terms"] = n * gyro;
    kernels.insert("movement");
    t.libraryFunctions.insert({kFloatToDouble, kDoubleMultiply, kDoubleAdd, "sqrt", kDoubleCompare});
    return n * (c + 1);
}

// The stack bytes of local arrays in one frame when GCC overlays those whose lifetimes are
// disjoint (cfgexpand.c, partition_stack_vars): arrays sorted by size, largest first; each array
// not yet placed opens a slot, and every smaller unplaced array that conflicts with none in the
// slot joins it; the frame holds one slot per group of arrays that overlap. Arrays conflict when
// they are in the same group (live at once), e.g. the update's matrices, the network's buffers.
double overlaidStackBytes(const std::vector<std::vector<double>>& groups)
{
    std::vector<std::pair<double, std::size_t>> arrays; // size, group
    for (std::size_t g = 0; g < groups.size(); ++g)
        for (double size : groups[g])
            arrays.emplace_back(size, g);
    std::stable_sort(arrays.begin(), arrays.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<bool> placed(arrays.size(), false);
    double bytes = 0;
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        if (placed[i])
            continue;
        placed[i] = true;
        bytes += arrays[i].first;
        std::set<std::size_t> inSlot{arrays[i].second};
        for (std::size_t j = i + 1; j < arrays.size(); ++j)
            if (!placed[j] && !inSlot.count(arrays[j].second)) {
                placed[j] = true;
                inSlot.insert(arrays[j].second);
            }
    }
    return bytes;
}

// A Kalman step in double (soft-float): counts of the generated C's double multiply-adds,
// divisions and square roots, and dot-product loops (core/codegen/FilterC.cpp), plus the float
// network of a neural step (one forward pass, and one backward pass per network output for B = dg/du).
void addFilterTerms(const JsonReader& f, ResourceTerms& t, std::set<std::string>& kernels)
{
    const std::string kind = f.at("kind").asString();
    const double n = static_cast<double>(f.at("state").asInteger());
    const double m = static_cast<double>(f.at("measurement").asInteger());
    auto& ins = t.instructions;
    kernels.insert("filter_" + kind);
    kernels.insert("soft_double");
    ins["filter:" + kind] = 1;
    t.code["filter_state"] = n;
    t.code["filter_measurement"] = m;
    // GCC removes the loops over a dimension of one (constant trip counts): their code only
    // exists for two or more states / measurements.
    t.code["filter_state_loops"] = n > 1 ? 1 : 0;
    t.code["filter_measurement_loops"] = m > 1 ? 1 : 0;
    if (kind == "orientation_ekf")
        return; // fixed sizes (4 states, 3 measurements): the step's cost is one constant
    // Update (Joseph form): P H^T, H P H^T, Cholesky, two triangular solves per state, K H, two n^3
    // products, K R, K R K^T, symmetrise.
    double dmacs = 3 * n * n * m + 2 * n * m * m + 2 * n * n * n + m * m * m / 6 + n * m * (m - 1) + n * m +
                   2 * n * n + m * m + n * (n - 1) / 2;
    double dots = n * m + m * m + 3 * n * n + n * m + n * n + m * (m + 1) / 2 + 2 * n * m;
    double divs = m * (m - 1) / 2 + m + 2 * n * m;
    // Predict: F x (the GPS/INS EKF moves its 4 states directly), F P F^T, + Q, symmetrise, H x.
    const bool jacobianPerStep = kind == "gps_ins_ekf";
    dmacs += (jacobianPerStep ? 0 : n * n) + 2 * n * n * n + n * n + n * (n - 1) / 2 + n * m;
    dots += (jacobianPerStep ? 0 : n) + 2 * n * n + m;
    // Stack: the local matrices (double) of the update and of P's propagation, inlined into the step.
    const double update = 8 * (3 * n * n + 3 * n * m + 2 * m * m + m), propagate = 8 * n * n;
    double local = 0;
    if (const double layers = static_cast<double>(f.optInteger("network_layers", 0));
        layers > 0 && (kind == "neural_kalman" || kind == "neural_kalman_body_velocity")) {
        const bool bodyVelocity = kind == "neural_kalman_body_velocity";
        const double p = static_cast<double>(f.at("network_inputs").asInteger());
        const double width = static_cast<double>(f.at("network_width").asInteger());
        // One backward pass per network output: the states (neural_kalman) or the 2 velocities.
        const double outputs = bodyVelocity ? 2 : n;
        ins["filter_net_macs"] = static_cast<double>(f.at("network_macs").asInteger()) * (1 + outputs);
        ins["filter_net_passes"] = layers * (1 + outputs); // per layer and pass: loop set-up, activation
        divs += p + outputs * p; // input normalisation and B's scaling, in double
        if (bodyVelocity) {
            // The window's mean and variance per channel, then per window value its two entries of
            // B (through the mean and the variance: a division and a few multiply-adds each) into the
            // 2 x 2 S; the chain rule through the rotation per feature; P gets S scaled per state.
            const double c = static_cast<double>(f.at("window_channels").asInteger());
            const double window = c * static_cast<double>(f.at("window_samples").asInteger());
            ins["filter_window_elements"] = window;
            ins["filter_window_channels"] = c;
            // Two of each window value's three divisions (RJ / samples) do not depend on the
            // sample: GCC unrolls the channel loop completely for up to 2 channels and hoists
            // them out of the sample loop (measured: ~1,800 instructions per window value with
            // 1-2 channels, ~2,900 with 3-6).
            divs += c <= 2 ? 2 * c : 2 * window;
            dmacs += 4 * p + 2 * n * n;
            dots += n * n;
            // Measured (bench_boards' samples): here the network's activations do not share
            // slots with the update's matrices; its gradient buffers do.
            const double activations = 4 * (layers + 1) * width;
            local = 8 * (5 * p + 8 + 2 * n + 2 * m) + std::max(update, propagate) + activations;
        } else {
            dmacs += 2 * n * n * p; // B diag(U) B^T
            dots += n * n;
            // The step's own arrays (u, g, B, x, Hx, y) stay live throughout; the update's
            // (PHt, S, L, K, I - KH, T, KR, KRK, z), the propagation's T and the network's (act,
            // grad, back) are each live in one phase, so GCC overlays them array by array.
            const std::vector<double> updateArrays{8 * n * m, 8 * m * m, 8 * m * m, 8 * n * m, 8 * n * n,
                                                   8 * n * n, 8 * n * m, 8 * n * n, 8 * m};
            const std::vector<double> networkArrays{4 * (layers + 1) * width, 4 * width, 4 * width};
            local = 8 * (p + 2 * n + n * p + 2 * m) + overlaidStackBytes({updateArrays, {8 * n * n}, networkArrays});
        }
    } else if (jacobianPerStep) {
        local = 8 * (n * n + 2 * m) + update + propagate; // F is a local of the step
    } else {
        local = 8 * (n + 2 * m) + update + propagate;
    }
    ins["filter_dmacs"] = dmacs;
    ins["filter_dots"] = dots;
    ins["filter_ddivs"] = divs;
    t.localStackBytes = local;
}

} // namespace

ResourceTerms resourceTerms(const Json& summary)
{
    JsonReader r(summary);
    ResourceTerms t;
    const bool q = r.at("quantized").asBool();
    const std::string suffix = q ? "_s8" : "_f32";
    auto& ins = t.instructions;
    auto& code = t.code;
    std::set<std::string> kernels, inlined;
    ins["const"] = 1;
    code["const"] = 1;
    t.constantBytes = static_cast<double>(r.at("weight_bytes").asInteger());
    t.arenaBytes = static_cast<double>(r.at("arena_bytes").asInteger());
    t.stateBytes = static_cast<double>(r.optInteger("state_bytes", 0));
    const double inSize = static_cast<double>(r.at("input_size").asInteger());
    const double outSize = static_cast<double>(r.at("output_size").asInteger());

    if (auto f = r.find("filter")) {
        addFilterTerms(*f, t, kernels);
    } else {
        double networkInput = inSize;
        if (auto m = r.find("movement"))
            networkInput = addMovementTerms(*m, t, kernels);
        if (r.optBool("magnitudes", false)) {
            // |acc|, |gyro| per sample; keep_axes copies the 6 axes beside them (8 channels out).
            const bool keepAxes = r.optBool("magnitudes_keep_axes", false);
            ins["magnitude_samples"] = inSize / 6;
            if (keepAxes)
                ins["magnitude_kept_samples"] = inSize / 6;
            kernels.insert(keepAxes ? "magnitudes_keep_axes" : "magnitudes");
            t.libraryFunctions.insert("sqrtf");
            networkInput = keepAxes ? inSize * 8 / 6 : inSize / 3;
        }
        if (auto f = r.find("features"))
            networkInput = addFeatureTerms(*f, t, kernels);
        if (double normalized = static_cast<double>(r.optInteger("normalized_elements", 0)); normalized > 0) {
            ins["normalized_elements"] = normalized;
            kernels.insert("normalize");
            t.constantBytes += 8 * static_cast<double>(r.at("normalized_channels").asInteger()); // mean and stddev
        }
        if (q) {
            ins["quantize_elements"] = networkInput;
            kernels.insert("quantize"); // the input's quantisation loop: code of its own
            t.libraryFunctions.insert("floorf");
        }
        addNetworkTerms(r, suffix, t, kernels, inlined);
        ins["output_elements"] = outSize;
        if (r.at("softmax").asBool()) {
            ins["softmax_elements"] = outSize;
            kernels.insert("softmax");
            t.libraryFunctions.insert("expf");
        }
        if (auto d = r.find("decision"))
            addDecisionTerms(*d, t, kernels);
    }
    // An inlined kernel has neither a call nor a frame of its own: its code and stack are those
    // of a different function than the called kernel's, so the names differ.
    for (const auto& k : kernels) {
        const std::string name = k + (inlined.count(k) ? "_inlined" : "");
        code["kernel:" + name] = 1;
        t.kernels.push_back(name);
    }
    // libgcc's division object also defines the multiplication, and the linker takes both from it
    // when the program divides (or calls sqrt, which divides): the multiplication's own object
    // only comes without a division (checked by linking).
    auto& lib = t.libraryFunctions;
    if (lib.count(kDoubleDivide) || lib.count("sqrt"))
        lib.erase(kDoubleMultiply);
    return t;
}

ResourceEstimate CoreResourceModel::estimate(const ResourceTerms& t) const
{
    auto dot = [](const std::map<std::string, double>& coef, const std::map<std::string, double>& x) {
        double s = 0;
        for (const auto& [k, v] : x)
            if (auto it = coef.find(k); it != coef.end())
                s += it->second * v;
        return s;
    };
    ResourceEstimate e;
    e.instructions = std::max(0.0, dot(instructionCoefficients, t.instructions));
    const LibraryCode::Section linked = library.linked(t.libraryFunctions);
    e.flashBytes = std::llround(t.constantBytes + linked.flashBytes + std::max(0.0, dot(codeCoefficients, t.code)));
    double otherData = staticRamBytes; // the C library's data beyond the modelled functions'
    for (const auto& k : t.kernels)
        if (auto it = kernelStaticRamBytes.find(k); it != kernelStaticRamBytes.end())
            otherData = std::max(otherData, it->second);
    e.sramStaticBytes = std::llround(t.arenaBytes + t.stateBytes + linked.ramBytes + otherData);
    double stack = baseStackBytes;
    for (const auto& k : t.kernels)
        if (auto it = kernelStackBytes.find(k); it != kernelStackBytes.end())
            stack = std::max(stack, it->second);
    e.peakStackBytes = std::llround(stack + t.localStackBytes);
    return e;
}

Json CoreResourceModel::toJson() const
{
    return Json{{"instructions", instructionCoefficients},
                {"code_bytes", codeCoefficients},
                {"static_ram_bytes", staticRamBytes},
                {"kernel_static_ram_bytes", kernelStaticRamBytes},
                {"base_stack_bytes", baseStackBytes},
                {"kernel_stack_bytes", kernelStackBytes},
                {"library", library.toJson()},
                {"fit", fit}};
}

CoreResourceModel CoreResourceModel::fromJson(const Json& j)
{
    JsonReader r(j);
    r.allowOnly({"instructions", "code_bytes", "static_ram_bytes", "kernel_static_ram_bytes", "base_stack_bytes",
                 "kernel_stack_bytes", "library", "fit"});
    auto numbers = [&](const char* key) {
        std::map<std::string, double> m;
        auto node = r.at(key);
        node.requireObject();
        for (const auto& [k, v] : node.node().items())
            m[k] = JsonReader(v, node.path() + "." + k).asNumber();
        return m;
    };
    CoreResourceModel m;
    m.instructionCoefficients = numbers("instructions");
    m.codeCoefficients = numbers("code_bytes");
    m.staticRamBytes = r.at("static_ram_bytes").asNumber();
    if (r.find("kernel_static_ram_bytes"))
        m.kernelStaticRamBytes = numbers("kernel_static_ram_bytes");
    m.baseStackBytes = r.at("base_stack_bytes").asNumber();
    m.kernelStackBytes = numbers("kernel_stack_bytes");
    if (auto l = r.find("library"))
        m.library = LibraryCode::fromJson(*l);
    if (auto f = r.find("fit"))
        m.fit = f->node();
    return m;
}

namespace {

using Row = std::map<std::string, double>;

// A fitting problem: rows of terms, the part of each observation they must explain (target), and
// the whole observation that relative errors are measured against (scale).
struct FitProblem {
    std::vector<Row> rows;
    std::vector<double> target, scale;
};

// Non-negative least squares on relative residuals, each row weighted by weights[i] (squared residual).
Row leastSquares(const FitProblem& p, const std::vector<double>& weights)
{
    std::set<std::string> names;
    for (const auto& r : p.rows)
        for (const auto& [k, v] : r)
            names.insert(k);
    std::vector<std::string> cols(names.begin(), names.end());
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p.rows.size()), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t i = 0; i < p.rows.size(); ++i)
        for (std::size_t c = 0; c < cols.size(); ++c)
            if (auto it = p.rows[i].find(cols[c]); it != p.rows[i].end())
                x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = it->second;
    Eigen::VectorXd target = Eigen::Map<const Eigen::VectorXd>(p.target.data(), static_cast<Eigen::Index>(p.target.size()));
    // Relative residuals: small programs count as much as big ones (the targets are relative errors).
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        double w = std::sqrt(weights[k]) / std::max(1.0, std::fabs(p.scale[k]));
        x.row(i) *= w;
        target(i) *= w;
    }
    // Scale columns to unit norm so that the ridge term treats every term alike.
    Eigen::VectorXd norms = x.colwise().norm().transpose();
    for (Eigen::Index c = 0; c < norms.size(); ++c)
        if (norms(c) > 0)
            x.col(c) /= norms(c);
    // Non-negative (every term costs instructions or bytes): cyclic coordinate descent on the
    // normal equations, which converges to the exact non-negative least-squares solution (the
    // problem is convex); the light ridge keeps collinear terms (kernels that always come
    // together) from drifting.
    Eigen::MatrixXd gram = x.transpose() * x;
    gram.diagonal().array() += 1e-6;
    const Eigen::VectorXd xty = x.transpose() * target;
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(cols.size()));
    Eigen::VectorXd gradient = -xty; // gram * beta - xty
    for (int sweep = 0; sweep < 20000; ++sweep) {
        double largestStep = 0;
        for (Eigen::Index j = 0; j < beta.size(); ++j) {
            const double next = std::max(0.0, beta(j) - gradient(j) / gram(j, j));
            const double step = next - beta(j);
            if (step != 0) {
                gradient += step * gram.col(j);
                beta(j) = next;
                largestStep = std::max(largestStep, std::fabs(step));
            }
        }
        if (largestStep < 1e-10)
            break;
    }
    Row out;
    for (std::size_t c = 0; c < cols.size(); ++c)
        out[cols[c]] = norms(static_cast<Eigen::Index>(c)) > 0 ? beta(static_cast<Eigen::Index>(c)) / norms(static_cast<Eigen::Index>(c)) : 0.0;
    return out;
}

double predict(const Row& coef, const Row& x)
{
    double s = 0;
    for (const auto& [k, v] : x)
        if (auto it = coef.find(k); it != coef.end())
            s += it->second * v;
    return s;
}

// The targets are worst-case relative errors, so after the plain relative fit, Lawson's algorithm
// (iteratively reweighted least squares, each sample's weight multiplied by its relative error)
// moves the fit towards the smallest maximum relative error. Keeps the round with the smallest
// maximum.
Row minimaxFit(const FitProblem& p, int rounds)
{
    const std::size_t n = p.rows.size();
    std::vector<double> w(n, 1.0);
    Row best;
    double bestMax = 1e300;
    for (int round = 0; round <= rounds; ++round) {
        Row coef = leastSquares(p, w);
        std::vector<double> rel(n);
        double worst = 0, total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            rel[i] = std::fabs(predict(coef, p.rows[i]) - p.target[i]) / std::max(1.0, std::fabs(p.scale[i]));
            worst = std::max(worst, rel[i]);
        }
        if (worst < bestMax) {
            bestMax = worst;
            best = coef;
        }
        for (std::size_t i = 0; i < n; ++i)
            total += w[i] * rel[i];
        if (total <= 0)
            break;
        for (std::size_t i = 0; i < n; ++i)
            w[i] = std::max(1e-6, w[i] * rel[i] * static_cast<double>(n) / total);
    }
    return best;
}

// Fits family by family (stage 0 first): each stage fits only the terms no earlier stage has
// settled, with the settled terms' share subtracted from its observations. A term is settled by
// the first stage in which it explains at least kSettledShare of some observation; terms that
// matter nowhere stay open for later stages (e.g. the small last dense layer of a CNN leaves the
// dense kernels to the feature + MLP programs). So the kernels' costs come from the programs that
// exercise them, and a poorly modelled family cannot pull another family's terms.
Row stagedFit(const std::vector<Row>& rows, const std::vector<double>& y, const std::vector<int>& stage, int rounds)
{
    constexpr double kSettledShare = 0.05;
    Row settled;
    const int last = stage.empty() ? -1 : *std::max_element(stage.begin(), stage.end());
    for (int st = 0; st <= last; ++st) {
        FitProblem p;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (stage[i] != st)
                continue;
            Row open;
            double known = 0;
            for (const auto& [k, v] : rows[i]) {
                if (auto it = settled.find(k); it != settled.end())
                    known += it->second * v;
                else
                    open[k] = v;
            }
            p.rows.push_back(std::move(open));
            p.target.push_back(y[i] - known);
            p.scale.push_back(y[i]);
        }
        if (p.rows.empty())
            continue;
        Row coef = minimaxFit(p, rounds);
        for (const auto& [k, c] : coef) {
            double share = 0;
            for (std::size_t i = 0; i < p.rows.size(); ++i)
                if (auto it = p.rows[i].find(k); it != p.rows[i].end())
                    share = std::max(share, c * it->second / std::max(1.0, std::fabs(p.scale[i])));
            if (share >= kSettledShare || st == last)
                settled[k] = c;
        }
        // Terms that never settled keep the last stage's estimate.
        for (const auto& [k, c] : coef)
            settled.emplace(k, c);
    }
    return settled;
}

// The fitting stage of a program: networks (with or without features), decision programs, filters.
int familyStage(const ResourceTerms& t)
{
    if (t.instructions.count("filter_dmacs") || t.code.count("filter_state"))
        return 3;
    if (t.instructions.count("decision_trees"))
        return 2;
    // Networks with and without features together: the steps before the network (magnitudes,
    // normalisation, quantisation) are the same code in both, and a plain network's magnitudes
    // (a few percent of a CNN's work) must not settle a cost the feature programs show better.
    return 0;
}

} // namespace

CoreResourceModel fitResourceModel(const std::vector<CalibrationSample>& samples, int minimaxRounds,
                                   const LibraryCode& library)
{
    CoreResourceModel m;
    m.library = library;
    if (samples.empty())
        return m;
    std::vector<std::map<std::string, double>> insRows, codeRows;
    std::vector<double> insY, codeY;
    std::vector<int> stages;
    double staticExtra = 1e18;
    std::map<std::string, double> kernelStatic;
    for (const auto& s : samples) {
        stages.push_back(familyStage(s.terms));
        insRows.push_back(s.terms.instructions);
        insY.push_back(s.instructions);
        codeRows.push_back(s.terms.code);
        const LibraryCode::Section linked = library.linked(s.terms.libraryFunctions);
        codeY.push_back(s.flashBytes - s.terms.constantBytes - linked.flashBytes);
        // The library's static data: the least any program has, and per kernel the least any
        // program using it has (so an estimate never exceeds what some program showed).
        const double extra = s.sramStaticBytes - s.terms.arenaBytes - s.terms.stateBytes - linked.ramBytes;
        staticExtra = std::min(staticExtra, extra);
        for (const auto& k : s.terms.kernels)
            kernelStatic[k] = kernelStatic.count(k) ? std::min(kernelStatic[k], extra) : extra;
    }
    m.instructionCoefficients = stagedFit(insRows, insY, stages, minimaxRounds);
    m.codeCoefficients = stagedFit(codeRows, codeY, stages, minimaxRounds);
    m.staticRamBytes = staticExtra;
    m.kernelStaticRamBytes = kernelStatic;
    // Stack: a program's peak is its deepest kernel's, so each kernel's depth is at most the smallest
    // peak among programs that use it.
    std::map<std::string, double> depth;
    double base = 1e18;
    for (const auto& s : samples) {
        const double frames = s.peakStackBytes - s.terms.localStackBytes; // call frames beyond the known arrays
        base = std::min(base, frames);
        for (const auto& k : s.terms.kernels)
            depth[k] = depth.count(k) ? std::min(depth[k], frames) : frames;
    }
    m.baseStackBytes = base;
    m.kernelStackBytes = depth;
    return m;
}

std::map<std::string, CoreResourceModel> loadResourceModels(const std::filesystem::path& file)
{
    Json doc = parseJsonText(readTextFile(file), file.string());
    JsonReader r(doc);
    r.requireObject();
    std::map<std::string, CoreResourceModel> out;
    for (const auto& [core, j] : doc.items()) {
        try {
            out[core] = CoreResourceModel::fromJson(j);
        } catch (const FormatError& e) {
            throw FormatError(file.string() + ": $." + core + e.path().substr(1), e.problem());
        }
    }
    return out;
}

std::filesystem::path defaultResourceModelFile()
{
    return boardProfileDir() / "models" / "resource-model.json";
}

} // namespace nesy
