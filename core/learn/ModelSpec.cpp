#include "ModelSpec.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace nesy::learn {

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

FixedMultiplier quantizeMultiplier(double realMultiplier)
{
    if (!(realMultiplier > 0.0) || !std::isfinite(realMultiplier))
        return {0, 31};
    int exponent = 0;
    const double q = std::frexp(realMultiplier, &exponent); // realMultiplier = q * 2^exponent, q in [0.5, 1)
    auto m = static_cast<std::int64_t>(std::llround(q * double(1LL << 31)));
    if (m == (1LL << 31)) {
        m /= 2;
        ++exponent;
    }
    int shift = 31 - exponent;
    // Keep the shift in the range an int64 product can use; tiny multipliers lose low bits.
    while (shift > 62) {
        m >>= 1;
        --shift;
    }
    if (shift < 1)
        throw std::runtime_error("requantization multiplier " + std::to_string(realMultiplier) + " is too large");
    return {static_cast<std::int32_t>(m), shift};
}

std::int64_t roundingShift(std::int64_t product, int shift)
{
    return (product + (std::int64_t(1) << (shift - 1))) >> shift;
}

std::int8_t requantize(std::int64_t acc, FixedMultiplier m, std::int32_t zeroPoint, std::int32_t lo)
{
    const std::int64_t v = zeroPoint + roundingShift(acc * m.multiplier, m.shift);
    return static_cast<std::int8_t>(std::clamp<std::int64_t>(v, lo, 127));
}

std::size_t ModelSpec::layerWeightBytes(int layer, bool int8) const
{
    const LayerSpec& l = layers.at(layer);
    if (l.kind != LayerKind::Conv1D && l.kind != LayerKind::Dense)
        return 0;
    if (!int8)
        return 4 * (l.weights.size() + l.bias.size());
    return l.weights.size() + 4 * l.bias.size() + 8 * l.bias.size();
}

std::size_t ModelSpec::weightBytes(bool int8) const
{
    std::size_t sum = 0;
    for (int i = 0; i < int(layers.size()); ++i)
        sum += layerWeightBytes(i, int8);
    return sum;
}

std::size_t ModelSpec::layerActivationBytes(int layer, bool int8) const
{
    return std::size_t(layers.at(layer).out.size()) * (int8 ? 1 : 4);
}

std::size_t ModelSpec::arenaBytes(bool int8) const
{
    const int n = int(layers.size());
    // lastUse[i + 1] = index of the last layer reading tensor i (-1 = model input).
    std::vector<int> lastUse(n + 1, -1);
    for (int i = 0; i < n; ++i)
        for (int in : layers[i].inputs)
            lastUse[in + 1] = std::max(lastUse[in + 1], i);
    lastUse[n] = std::max(lastUse[n], n); // the output stays live
    const std::size_t elem = int8 ? 1 : 4;
    auto bytesOf = [&](int t) { return std::size_t(t < 0 ? input.size() : layers[t].out.size()) * elem; };
    std::size_t peak = 0;
    for (int i = 0; i < n; ++i) {
        // While layer i runs: its output plus every tensor produced before it and read at i or later.
        std::size_t live = bytesOf(i);
        for (int t = -1; t < i; ++t)
            if (lastUse[t + 1] >= i)
                live += bytesOf(t);
        peak = std::max(peak, live);
    }
    return peak;
}

std::size_t ModelSpec::multiplyAccumulates() const
{
    std::size_t macs = 0;
    for (const LayerSpec& l : layers)
        if (l.kind == LayerKind::Conv1D || l.kind == LayerKind::Dense)
            macs += l.weights.size() * std::size_t(l.kind == LayerKind::Conv1D ? l.out.length : 1);
    return macs;
}

namespace {

int padBefore(const LayerSpec& l)
{
    const int total = (l.kernel - 1) * l.dilation;
    return l.padding == Padding::Causal ? total : total / 2;
}

const float* floatInput(const std::vector<std::vector<float>>& outs, const float* input, int index)
{
    return index < 0 ? input : outs[index].data();
}

} // namespace

std::vector<float> runFloat(const ModelSpec& m, const float* input)
{
    std::vector<std::vector<float>> outs(m.layers.size());
    for (std::size_t li = 0; li < m.layers.size(); ++li) {
        const LayerSpec& l = m.layers[li];
        const float* x = floatInput(outs, input, l.inputs.at(0));
        std::vector<float>& y = outs[li];
        y.assign(l.out.size(), 0.0f);
        const int cin = l.in.channels, cout = l.out.channels;
        switch (l.kind) {
        case LayerKind::Conv1D: {
            const int pad = padBefore(l);
            for (int t = 0; t < l.out.length; ++t)
                for (int co = 0; co < cout; ++co) {
                    float acc = l.bias[co];
                    for (int k = 0; k < l.kernel; ++k) {
                        const int src = t + k * l.dilation - pad;
                        if (src < 0 || src >= l.in.length)
                            continue;
                        for (int ci = 0; ci < cin; ++ci)
                            acc += l.weights[(std::size_t(co) * l.kernel + k) * cin + ci] * x[src * cin + ci];
                    }
                    y[t * cout + co] = acc;
                }
            break;
        }
        case LayerKind::Dense: {
            const int n = l.in.size();
            for (int o = 0; o < cout; ++o) {
                float acc = l.bias[o];
                for (int i = 0; i < n; ++i)
                    acc += l.weights[std::size_t(o) * n + i] * x[i];
                y[o] = acc;
            }
            break;
        }
        case LayerKind::MaxPool1D:
            for (int t = 0; t < l.out.length; ++t)
                for (int c = 0; c < cin; ++c) {
                    float best = x[(t * l.pool) * cin + c];
                    for (int p = 1; p < l.pool; ++p)
                        best = std::max(best, x[(t * l.pool + p) * cin + c]);
                    y[t * cin + c] = best;
                }
            break;
        case LayerKind::GlobalAvgPool:
            for (int c = 0; c < cin; ++c) {
                float sum = 0.0f;
                for (int t = 0; t < l.in.length; ++t)
                    sum += x[t * cin + c];
                y[c] = sum / float(l.in.length);
            }
            break;
        case LayerKind::Add:
            for (int in : l.inputs) {
                const float* xi = floatInput(outs, input, in);
                for (int i = 0; i < l.out.size(); ++i)
                    y[i] += xi[i];
            }
            break;
        }
        if (l.activation == Activation::ReLU)
            for (float& v : y)
                v = std::max(v, 0.0f);
    }
    return outs.back();
}

std::int8_t quantizeInput(float x, QuantParams q)
{
    const float v = std::floor(x / q.scale + 0.5f);
    const float clamped = std::clamp(v + float(q.zeroPoint), -128.0f, 127.0f);
    return static_cast<std::int8_t>(clamped);
}

std::vector<std::int8_t> runInt8(const ModelSpec& m, const std::int8_t* input)
{
    if (!m.quantized)
        throw std::runtime_error("runInt8: the model is not quantized");
    std::vector<std::vector<std::int8_t>> outs(m.layers.size());
    auto tensor = [&](int index) { return index < 0 ? input : outs[index].data(); };
    auto quantOf = [&](int index) { return index < 0 ? m.inputQuant : m.layers[index].outQuant; };
    for (std::size_t li = 0; li < m.layers.size(); ++li) {
        const LayerSpec& l = m.layers[li];
        const std::int8_t* x = tensor(l.inputs.at(0));
        const std::int32_t zin = quantOf(l.inputs.at(0)).zeroPoint;
        const std::int32_t zout = l.outQuant.zeroPoint;
        const std::int32_t lo = l.activation == Activation::ReLU ? std::max(zout, -128) : -128;
        std::vector<std::int8_t>& y = outs[li];
        y.assign(l.out.size(), 0);
        const int cin = l.in.channels, cout = l.out.channels;
        switch (l.kind) {
        case LayerKind::Conv1D: {
            const int pad = padBefore(l);
            for (int t = 0; t < l.out.length; ++t)
                for (int co = 0; co < cout; ++co) {
                    std::int32_t acc = l.qBias[co];
                    for (int k = 0; k < l.kernel; ++k) {
                        const int src = t + k * l.dilation - pad;
                        if (src < 0 || src >= l.in.length)
                            continue; // padding holds the zero point: (z - z) * w = 0
                        for (int ci = 0; ci < cin; ++ci)
                            acc += (std::int32_t(x[src * cin + ci]) - zin) *
                                   std::int32_t(l.qWeights[(std::size_t(co) * l.kernel + k) * cin + ci]);
                    }
                    y[t * cout + co] = requantize(acc, l.outMultipliers[co], zout, lo);
                }
            break;
        }
        case LayerKind::Dense: {
            const int n = l.in.size();
            for (int o = 0; o < cout; ++o) {
                std::int32_t acc = l.qBias[o];
                for (int i = 0; i < n; ++i)
                    acc += (std::int32_t(x[i]) - zin) * std::int32_t(l.qWeights[std::size_t(o) * n + i]);
                y[o] = requantize(acc, l.outMultipliers[o], zout, lo);
            }
            break;
        }
        case LayerKind::MaxPool1D: // output quantization = input quantization
            for (int t = 0; t < l.out.length; ++t)
                for (int c = 0; c < cin; ++c) {
                    std::int8_t best = x[(t * l.pool) * cin + c];
                    for (int p = 1; p < l.pool; ++p)
                        best = std::max(best, x[(t * l.pool + p) * cin + c]);
                    y[t * cin + c] = std::max<std::int8_t>(best, std::int8_t(lo));
                }
            break;
        case LayerKind::GlobalAvgPool:
            for (int c = 0; c < cin; ++c) {
                std::int32_t acc = 0;
                for (int t = 0; t < l.in.length; ++t)
                    acc += std::int32_t(x[t * cin + c]) - zin;
                y[c] = requantize(acc, l.outMultipliers[0], zout, lo);
            }
            break;
        case LayerKind::Add: {
            const int shift = l.outMultipliers.at(0).shift;
            for (int i = 0; i < l.out.size(); ++i) {
                std::int64_t p = 0;
                for (std::size_t j = 0; j < l.inputs.size(); ++j) {
                    const int in = l.inputs[j];
                    p += std::int64_t(std::int32_t(tensor(in)[i]) - quantOf(in).zeroPoint) *
                         l.outMultipliers[j].multiplier;
                }
                y[i] = static_cast<std::int8_t>(std::clamp<std::int64_t>(zout + roundingShift(p, shift), lo, 127));
            }
            break;
        }
        }
    }
    return outs.back();
}

std::vector<float> runInt8Dequantized(const ModelSpec& m, const float* input)
{
    std::vector<std::int8_t> q(m.input.size());
    for (int i = 0; i < m.input.size(); ++i)
        q[i] = quantizeInput(input[i], m.inputQuant);
    const std::vector<std::int8_t> out = runInt8(m, q.data());
    const QuantParams oq = m.layers.back().outQuant;
    std::vector<float> y(out.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        y[i] = oq.scale * float(std::int32_t(out[i]) - oq.zeroPoint);
    return y;
}

} // namespace nesy::learn
