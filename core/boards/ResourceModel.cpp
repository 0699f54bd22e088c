#include "ResourceModel.h"
#include "graph/JsonReader.h"
#include "graph/Project.h"
#include "engine/Resources.h"
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

ResourceTerms resourceTerms(const Json& summary)
{
    JsonReader r(summary);
    ResourceTerms t;
    const bool q = r.at("quantized").asBool();
    const std::string suffix = q ? "_s8" : "_f32";
    auto& ins = t.instructions;
    auto& code = t.code;
    std::set<std::string> kernels;
    ins["const"] = 1;
    code["const"] = 1;
    t.constantBytes = static_cast<double>(r.at("weight_bytes").asInteger());
    t.arenaBytes = static_cast<double>(r.at("arena_bytes").asInteger());
    t.stateBytes = static_cast<double>(r.optInteger("state_bytes", 0));
    const double inSize = static_cast<double>(r.at("input_size").asInteger());
    const double outSize = static_cast<double>(r.at("output_size").asInteger());

    double networkInput = inSize;
    if (r.optBool("magnitudes", false)) {
        ins["magnitude_samples"] = inSize / 6;
        kernels.insert("magnitudes");
        networkInput = inSize / 3;
    }
    if (auto f = r.find("features")) {
        const double n = static_cast<double>(f->at("length").asInteger());
        const double channels = static_cast<double>(f->at("channels").asInteger());
        const double bins = std::floor(n / 2) + 1;
        bool sorting = false, spectrum = false;
        double perSample = 1; // the mean/min/max pass
        double values = 0;
        for (const auto& name : f->at("enabled").items()) {
            std::string s = name.asString();
            code["feature:" + s] = 1;
            sorting = sorting || s == "median" || s == "iqr";
            spectrum = spectrum || needsSpectrum(s);
            if (s == "variance" || s == "mad" || s == "abs_energy" || s == "entropy")
                perSample += 1;
            values += s == "fft_mean" ? static_cast<double>(f->at("fft_bins").asInteger()) : 1;
        }
        kernels.insert("features");
        code["kernel:features"] = 1;
        ins["feature_samples"] = channels * n * perSample;
        ins["feature_values"] = channels * values;
        if (sorting) {
            ins["sort_steps"] = channels * n * n / 4; // insertion sort: ~n^2/4 moves on unsorted data
            kernels.insert("sort");
        }
        if (spectrum) {
            ins["dft_terms"] = channels * bins * n;
            t.constantBytes += 8 * n; // cos and sin twiddle tables
            kernels.insert("spectrum");
        }
        networkInput = channels * values;
    }
    if (double normalized = static_cast<double>(r.optInteger("normalized_elements", 0)); normalized > 0) {
        ins["normalized_elements"] = normalized;
        kernels.insert("normalize");
        t.constantBytes += 8 * static_cast<double>(r.at("normalized_channels").asInteger()); // mean and stddev
    }
    if (q)
        ins["quantize_elements"] = networkInput;

    int layers = 0;
    for (const auto& op : r.at("ops").items()) {
        const std::string kind = op.at("kind").asString();
        const double inE = static_cast<double>(op.at("in_elements").asInteger());
        const double outE = static_cast<double>(op.at("out_elements").asInteger());
        const double macs = static_cast<double>(op.at("macs").asInteger());
        const double kernel = static_cast<double>(op.optInteger("kernel", 1));
        const double inputs = static_cast<double>(op.optInteger("inputs", 1));
        kernels.insert(kind + suffix);
        ++layers;
        if (kind == "conv1d" || kind == "dense") {
            // Convolutions check bounds per tap and reload per output; dense rows stream: separate terms.
            ins["macs_" + kind + suffix] += macs;
            ins["loops_" + kind] += kind == "conv1d" ? outE * kernel : outE;
            ins["outputs" + suffix] += outE;
        } else if (kind == "maxpool1d" || kind == "global_avg_pool") {
            ins["pool_elements"] += inE;
            if (q && kind == "global_avg_pool")
                ins["outputs_s8"] += outE;
        } else if (kind == "add") {
            ins["add_terms" + suffix] += outE * inputs;
        }
    }
    code["layers"] = layers;
    ins["output_elements"] = outSize;
    if (r.at("softmax").asBool()) {
        ins["softmax_elements"] = outSize;
        kernels.insert("softmax");
    }
    for (const auto& k : kernels)
        code["kernel:" + k] = 1;
    t.kernels.assign(kernels.begin(), kernels.end());
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
    e.flashBytes = std::llround(t.constantBytes + std::max(0.0, dot(codeCoefficients, t.code)));
    e.sramStaticBytes = std::llround(t.arenaBytes + t.stateBytes + staticRamBytes);
    double stack = baseStackBytes;
    for (const auto& k : t.kernels)
        if (auto it = kernelStackBytes.find(k); it != kernelStackBytes.end())
            stack = std::max(stack, it->second);
    e.peakStackBytes = std::llround(stack);
    return e;
}

Json CoreResourceModel::toJson() const
{
    return Json{{"instructions", instructionCoefficients},
                {"code_bytes", codeCoefficients},
                {"static_ram_bytes", staticRamBytes},
                {"base_stack_bytes", baseStackBytes},
                {"kernel_stack_bytes", kernelStackBytes},
                {"fit", fit}};
}

CoreResourceModel CoreResourceModel::fromJson(const Json& j)
{
    JsonReader r(j);
    r.allowOnly({"instructions", "code_bytes", "static_ram_bytes", "base_stack_bytes", "kernel_stack_bytes", "fit"});
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
    m.baseStackBytes = r.at("base_stack_bytes").asNumber();
    m.kernelStackBytes = numbers("kernel_stack_bytes");
    if (auto f = r.find("fit"))
        m.fit = f->node();
    return m;
}

namespace {

std::map<std::string, double> leastSquares(const std::vector<std::map<std::string, double>>& rows,
                                           const std::vector<double>& y)
{
    std::set<std::string> names;
    for (const auto& r : rows)
        for (const auto& [k, v] : r)
            names.insert(k);
    std::vector<std::string> cols(names.begin(), names.end());
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t c = 0; c < cols.size(); ++c)
            if (auto it = rows[i].find(cols[c]); it != rows[i].end())
                x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = it->second;
    Eigen::VectorXd target = Eigen::Map<const Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
    // Relative residuals: small programs count as much as big ones (the targets are relative errors).
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        double w = 1.0 / std::max(1.0, std::fabs(target(i)));
        x.row(i) *= w;
        target(i) *= w;
    }
    // Scale columns to unit norm so that the ridge term treats every term alike.
    Eigen::VectorXd norms = x.colwise().norm().transpose();
    for (Eigen::Index c = 0; c < norms.size(); ++c)
        if (norms(c) > 0)
            x.col(c) /= norms(c);
    // Non-negative: every term costs instructions or bytes. Terms whose coefficient comes out
    // negative (collinear with others) are dropped and the rest refitted (an active-set loop).
    std::vector<bool> active(cols.size(), true);
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(cols.size()));
    for (std::size_t round = 0; round <= cols.size(); ++round) {
        std::vector<Eigen::Index> idx;
        for (std::size_t c = 0; c < cols.size(); ++c)
            if (active[c])
                idx.push_back(static_cast<Eigen::Index>(c));
        Eigen::MatrixXd sub(x.rows(), static_cast<Eigen::Index>(idx.size()));
        for (std::size_t k = 0; k < idx.size(); ++k)
            sub.col(static_cast<Eigen::Index>(k)) = x.col(idx[k]);
        Eigen::MatrixXd gram = sub.transpose() * sub;
        gram.diagonal().array() += 1e-6;
        Eigen::VectorXd b = gram.ldlt().solve(sub.transpose() * target);
        beta.setZero();
        bool negative = false;
        Eigen::Index worst = -1;
        for (std::size_t k = 0; k < idx.size(); ++k) {
            beta(idx[k]) = b(static_cast<Eigen::Index>(k));
            if (b(static_cast<Eigen::Index>(k)) < 0 && (worst < 0 || b(static_cast<Eigen::Index>(k)) < beta(worst))) {
                worst = idx[k];
                negative = true;
            }
        }
        if (!negative)
            break;
        active[static_cast<std::size_t>(worst)] = false;
        beta(worst) = 0;
    }
    std::map<std::string, double> out;
    for (std::size_t c = 0; c < cols.size(); ++c)
        out[cols[c]] = norms(static_cast<Eigen::Index>(c)) > 0 ? beta(static_cast<Eigen::Index>(c)) / norms(static_cast<Eigen::Index>(c)) : 0.0;
    return out;
}

} // namespace

CoreResourceModel fitResourceModel(const std::vector<CalibrationSample>& samples)
{
    CoreResourceModel m;
    if (samples.empty())
        return m;
    std::vector<std::map<std::string, double>> insRows, codeRows;
    std::vector<double> insY, codeY;
    double staticExtra = 0;
    for (const auto& s : samples) {
        insRows.push_back(s.terms.instructions);
        insY.push_back(s.instructions);
        codeRows.push_back(s.terms.code);
        codeY.push_back(s.flashBytes - s.terms.constantBytes);
        staticExtra = std::max(staticExtra, s.sramStaticBytes - s.terms.arenaBytes - s.terms.stateBytes);
    }
    m.instructionCoefficients = leastSquares(insRows, insY);
    m.codeCoefficients = leastSquares(codeRows, codeY);
    m.staticRamBytes = staticExtra;
    // Stack: a program's peak is its deepest kernel's, so each kernel's depth is at most the smallest
    // peak among programs that use it.
    std::map<std::string, double> depth;
    double base = 1e18;
    for (const auto& s : samples) {
        base = std::min(base, s.peakStackBytes);
        for (const auto& k : s.terms.kernels)
            depth[k] = depth.count(k) ? std::min(depth[k], s.peakStackBytes) : s.peakStackBytes;
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
