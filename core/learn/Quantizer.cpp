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

namespace {

struct Range {
    float lo = std::numeric_limits<float>::max();
    float hi = std::numeric_limits<float>::lowest();
    void include(const float* v, std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i) {
            lo = std::min(lo, v[i]);
            hi = std::max(hi, v[i]);
        }
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

void quantize(ModelSpec& model, const Dataset& calibration, int maxWindows)
{
    if (calibration.size() == 0)
        throw std::invalid_argument("quantization needs calibration windows");
    const std::size_t n = std::min<std::size_t>(calibration.size(), std::size_t(std::max(1, maxWindows)));
    std::vector<float> input;
    input.reserve(n * calibration.windowSize());
    for (std::size_t k = 0; k < n; ++k) {
        const float* w = calibration.window(k * calibration.size() / n);
        input.insert(input.end(), w, w + calibration.windowSize());
    }
    Range inRange;
    inRange.include(input.data(), input.size());
    std::vector<Range> ranges(model.layers.size());
    constexpr std::size_t kChunk = 64;
    for (std::size_t from = 0; from < n; from += kChunk) {
        const int count = int(std::min(kChunk, n - from));
        Workspace ws;
        forward(model, input.data() + from * calibration.windowSize(), count, ws);
        for (std::size_t li = 0; li < model.layers.size(); ++li)
            ranges[li].include(ws.outputs[li].data(), std::size_t(ws.outputs[li].size()));
    }

    model.inputQuant = chooseQuantParams(inRange.lo, inRange.hi);
    auto quantOf = [&](int index) { return index < 0 ? model.inputQuant : model.layers[index].outQuant; };
    for (std::size_t li = 0; li < model.layers.size(); ++li) {
        LayerSpec& l = model.layers[li];
        const QuantParams in = quantOf(l.inputs.at(0));
        if (l.kind == LayerKind::MaxPool1D)
            l.outQuant = in;
        else
            l.outQuant = chooseQuantParams(ranges[li].lo, ranges[li].hi);
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
