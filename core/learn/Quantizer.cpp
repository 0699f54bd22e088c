#include "Quantizer.h"
#include "Network.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace nesy::learn {

QuantParams chooseQuantParams(float lo, float hi)
{
    lo = std::min(lo, 0.0f);
    hi = std::max(hi, 0.0f);
    if (hi - lo < 1e-8f)
        hi = lo + 1e-3f; // a constant-zero tensor still needs a usable scale
    QuantParams q;
    q.scale = (hi - lo) / 255.0f;
    q.zeroPoint = std::clamp<std::int32_t>(std::int32_t(std::lround(-128.0 - double(lo) / double(q.scale))), -128, 127);
    return q;
}

std::pair<float, float> mseOptimalRange(float lo, float hi, const std::vector<double>& bins)
{
    lo = std::min(lo, 0.0f);
    hi = std::max(hi, 0.0f);
    const int n = int(bins.size());
    if (n == 0 || hi - lo < 1e-8f)
        return {lo, hi};
    const double width = (double(hi) - double(lo)) / n;
    // Prefix sums of count, count*v and count*v^2 (v = bin centre) give the clipping error of
    // any cut in O(1): sum c (a - v)^2 = a^2 C - 2 a S1 + S2.
    std::vector<double> c0(n + 1, 0.0), c1(n + 1, 0.0), c2(n + 1, 0.0);
    for (int k = 0; k < n; ++k) {
        const double v = double(lo) + (k + 0.5) * width;
        c0[k + 1] = c0[k] + bins[k];
        c1[k + 1] = c1[k] + bins[k] * v;
        c2[k + 1] = c2[k] + bins[k] * v * v;
    }
    if (c0[n] <= 0)
        return {lo, hi};
    const int zeroBin = std::clamp(int(std::lround(-double(lo) / width)), 0, n); // edge index of 0
    // Cut at edges i (low side, i <= zeroBin) and j (high side, j >= zeroBin): bins below i and
    // from j on are clipped, the rest rounded with error step^2 / 12.
    auto errorOf = [&](int i, int j) {
        const double a = double(lo) + i * width, b = double(lo) + j * width;
        const double below = a * a * c0[i] - 2 * a * c1[i] + c2[i];
        const double above = b * b * (c0[n] - c0[j]) - 2 * b * (c1[n] - c1[j]) + (c2[n] - c2[j]);
        const double step = (b - a) / 255.0;
        return below + above + (c0[j] - c0[i]) * step * step / 12.0;
    };
    int bestI = 0, bestJ = n;
    double best = errorOf(0, n);
    for (int i = 0; i <= zeroBin; ++i)
        for (int j = std::max(zeroBin, i + 1); j <= n; ++j) {
            const double e = errorOf(i, j);
            if (e < best) {
                best = e;
                bestI = i;
                bestJ = j;
            }
        }
    // The edge nearest zero may lie a fraction of a bin on the wrong side of it.
    return {std::min(0.0f, float(double(lo) + bestI * width)), std::max(0.0f, float(double(lo) + bestJ * width))};
}

namespace {

constexpr int kHistogramBins = 1024;

// Value range and, once the range is known, a histogram over it.
struct TensorStats {
    float lo = std::numeric_limits<float>::max();
    float hi = std::numeric_limits<float>::lowest();
    std::vector<double> bins;

    void include(const float* v, std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i) {
            lo = std::min(lo, v[i]);
            hi = std::max(hi, v[i]);
        }
    }
    void count(const float* v, std::size_t n)
    {
        const float a = std::min(lo, 0.0f), b = std::max(hi, 0.0f);
        bins.resize(kHistogramBins);
        if (b - a < 1e-8f)
            return;
        const float perUnit = kHistogramBins / (b - a);
        for (std::size_t i = 0; i < n; ++i)
            bins[std::clamp(int((v[i] - a) * perUnit), 0, kHistogramBins - 1)] += 1;
    }
    QuantParams choose(Calibration c) const
    {
        if (c == Calibration::MinMax)
            return chooseQuantParams(lo, hi);
        const auto [a, b] = mseOptimalRange(lo, hi, bins);
        return chooseQuantParams(a, b);
    }
};

void quantizeWeights(LayerSpec& l, float inScale)
{
    const int outs = l.out.channels;
    const std::size_t per = l.weights.size() / std::size_t(outs);
    l.qWeights.resize(l.weights.size());
    l.weightScales.resize(outs);
    l.qBias.resize(outs);
    l.outMultipliers.resize(outs);
    for (int o = 0; o < outs; ++o) {
        float mx = 0.0f;
        for (std::size_t i = 0; i < per; ++i)
            mx = std::max(mx, std::fabs(l.weights[o * per + i]));
        const float s = mx > 0.0f ? mx / 127.0f : 1.0f;
        l.weightScales[o] = s;
        for (std::size_t i = 0; i < per; ++i)
            l.qWeights[o * per + i] =
                std::int8_t(std::clamp<long>(std::lround(l.weights[o * per + i] / s), -127, 127));
        const double biasScale = double(inScale) * double(s);
        const double qb = std::round(double(l.bias[o]) / biasScale);
        l.qBias[o] = std::int32_t(std::clamp(qb, -2147483648.0, 2147483647.0));
        l.outMultipliers[o] = quantizeMultiplier(double(inScale) * double(s) / double(l.outQuant.scale));
    }
}

} // namespace

void quantize(ModelSpec& model, const Dataset& calibration, const QuantizeOptions& options)
{
    if (calibration.size() == 0)
        throw std::invalid_argument("quantization needs calibration windows");
    const std::size_t n = std::min<std::size_t>(calibration.size(), std::size_t(std::max(1, options.maxWindows)));
    std::vector<float> input;
    input.reserve(n * calibration.windowSize());
    for (std::size_t k = 0; k < n; ++k) {
        const float* w = calibration.window(k * calibration.size() / n);
        input.insert(input.end(), w, w + calibration.windowSize());
    }
    TensorStats inStats;
    std::vector<TensorStats> stats(model.layers.size());
    // Pass 1 finds each tensor's range, pass 2 (MSE only) its histogram over that range.
    const int passes = options.calibration == Calibration::MinMax ? 1 : 2;
    constexpr std::size_t kChunk = 64;
    for (int pass = 0; pass < passes; ++pass) {
        if (pass == 0)
            inStats.include(input.data(), input.size());
        else
            inStats.count(input.data(), input.size());
        for (std::size_t from = 0; from < n; from += kChunk) {
            const int count = int(std::min(kChunk, n - from));
            Workspace ws;
            forward(model, input.data() + from * calibration.windowSize(), count, ws);
            for (std::size_t li = 0; li < model.layers.size(); ++li) {
                const float* v = ws.outputs[li].data();
                const auto size = std::size_t(ws.outputs[li].size());
                if (pass == 0)
                    stats[li].include(v, size);
                else
                    stats[li].count(v, size);
            }
        }
    }

    model.inputQuant = inStats.choose(options.calibration);
    auto quantOf = [&](int index) { return index < 0 ? model.inputQuant : model.layers[index].outQuant; };
    for (std::size_t li = 0; li < model.layers.size(); ++li) {
        LayerSpec& l = model.layers[li];
        const QuantParams in = quantOf(l.inputs.at(0));
        const bool output = li + 1 == model.layers.size();
        if (l.kind == LayerKind::MaxPool1D)
            l.outQuant = in;
        else
            l.outQuant = stats[li].choose(output ? Calibration::MinMax : options.calibration);
        switch (l.kind) {
        case LayerKind::Conv1D:
        case LayerKind::Dense:
            quantizeWeights(l, in.scale);
            break;
        case LayerKind::MaxPool1D:
            l.outMultipliers.clear();
            break;
        case LayerKind::GlobalAvgPool:
            l.outMultipliers = {quantizeMultiplier(double(in.scale) / (double(l.outQuant.scale) * l.in.length))};
            break;
        case LayerKind::Add: {
            double largest = 0;
            for (int i : l.inputs)
                largest = std::max(largest, double(quantOf(i).scale) / double(l.outQuant.scale));
            const int shift = quantizeMultiplier(largest).shift;
            l.outMultipliers.clear();
            for (int i : l.inputs) {
                const double m = double(quantOf(i).scale) / double(l.outQuant.scale);
                l.outMultipliers.push_back({std::int32_t(std::llround(std::ldexp(m, shift))), shift});
            }
            break;
        }
        }
    }
    model.quantized = true;
}

} // namespace nesy::learn
