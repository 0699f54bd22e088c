#include "Reference.h"
#include "codegen/FeatureMath.h"
#include "symbolic/DecisionProgram.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace nesy::codegen {

using learn::quantizeMultiplier;
using learn::requantize;
using learn::roundingShift;

namespace {

int paddingBefore(const Layer& l)
{
    int span = (l.kernel - 1) * l.dilation;
    return l.padding == Padding::Causal ? span : span / 2;
}

std::vector<float> runFloatLayer(const Layer& l, const std::vector<const std::vector<float>*>& xs)
{
    const auto& x = *xs[0];
    std::vector<float> y(l.out.size());
    switch (l.kind) {
    case LayerKind::Conv1D: {
        const int L = l.in.length, ci = l.in.channels, co = l.out.channels, P = paddingBefore(l);
        for (int t = 0; t < L; ++t)
            for (int o = 0; o < co; ++o) {
                float acc = l.bias[o];
                for (int k = 0; k < l.kernel; ++k) {
                    int src = t + k * l.dilation - P;
                    if (src < 0 || src >= L) continue;
                    for (int i = 0; i < ci; ++i)
                        acc += l.weights[(std::size_t(o) * l.kernel + k) * ci + i] * x[std::size_t(src) * ci + i];
                }
                y[std::size_t(t) * co + o] = acc;
            }
        break;
    }
    case LayerKind::Dense: {
        const int n = l.in.size();
        for (int o = 0; o < l.out.channels; ++o) {
            float acc = l.bias[o];
            for (int i = 0; i < n; ++i)
                acc += l.weights[std::size_t(o) * n + i] * x[i];
            y[o] = acc;
        }
        break;
    }
    case LayerKind::MaxPool1D: {
        const int c = l.in.channels;
        for (int t = 0; t < l.out.length; ++t)
            for (int ch = 0; ch < c; ++ch) {
                float m = x[std::size_t(t) * l.pool * c + ch];
                for (int j = 1; j < l.pool; ++j)
                    m = std::max(m, x[(std::size_t(t) * l.pool + j) * c + ch]);
                y[std::size_t(t) * c + ch] = m;
            }
        break;
    }
    case LayerKind::GlobalAvgPool: {
        const int c = l.in.channels;
        for (int ch = 0; ch < c; ++ch) {
            float s = 0.0f;
            for (int t = 0; t < l.in.length; ++t)
                s += x[std::size_t(t) * c + ch];
            y[ch] = s / static_cast<float>(l.in.length);
        }
        break;
    }
    case LayerKind::Add:
        for (std::size_t e = 0; e < y.size(); ++e) {
            float s = (*xs[0])[e];
            for (std::size_t j = 1; j < xs.size(); ++j)
                s += (*xs[j])[e];
            y[e] = s;
        }
        break;
    }
    if (l.relu)
        for (float& v : y)
            v = v > 0.0f ? v : 0.0f;
    return y;
}

std::vector<std::int8_t> runInt8Layer(const Layer& l, const std::vector<const std::vector<std::int8_t>*>& xs,
                                      const std::vector<QuantParams>& inQuant)
{
    const auto& x = *xs[0];
    const std::int32_t zin = inQuant[0].zeroPoint, zout = l.outQuant.zeroPoint;
    const std::int32_t lo = l.relu ? std::max(zout, -128) : -128;
    std::vector<std::int8_t> y(l.out.size());
    switch (l.kind) {
    case LayerKind::Conv1D: {
        const int L = l.in.length, ci = l.in.channels, co = l.out.channels, P = paddingBefore(l);
        for (int t = 0; t < L; ++t)
            for (int o = 0; o < co; ++o) {
                std::int32_t acc = l.qBias[o];
                for (int k = 0; k < l.kernel; ++k) {
                    int src = t + k * l.dilation - P;
                    if (src < 0 || src >= L) continue;
                    for (int i = 0; i < ci; ++i)
                        acc += (x[std::size_t(src) * ci + i] - zin) * l.qWeights[(std::size_t(o) * l.kernel + k) * ci + i];
                }
                y[std::size_t(t) * co + o] = requantize(acc, l.multipliers[o], zout, lo);
            }
        break;
    }
    case LayerKind::Dense: {
        const int n = l.in.size();
        for (int o = 0; o < l.out.channels; ++o) {
            std::int32_t acc = l.qBias[o];
            for (int i = 0; i < n; ++i)
                acc += (x[i] - zin) * l.qWeights[std::size_t(o) * n + i];
            y[o] = requantize(acc, l.multipliers[o], zout, lo);
        }
        break;
    }
    case LayerKind::MaxPool1D: {
        const int c = l.in.channels;
        for (int t = 0; t < l.out.length; ++t)
            for (int ch = 0; ch < c; ++ch) {
                std::int8_t m = x[std::size_t(t) * l.pool * c + ch];
                for (int j = 1; j < l.pool; ++j)
                    m = std::max(m, x[(std::size_t(t) * l.pool + j) * c + ch]);
                y[std::size_t(t) * c + ch] = static_cast<std::int8_t>(std::max<std::int32_t>(m, lo));
            }
        break;
    }
    case LayerKind::GlobalAvgPool: {
        const int c = l.in.channels;
        for (int ch = 0; ch < c; ++ch) {
            std::int32_t acc = 0;
            for (int t = 0; t < l.in.length; ++t)
                acc += x[std::size_t(t) * c + ch] - zin;
            y[ch] = requantize(acc, l.multipliers[0], zout, lo);
        }
        break;
    }
    case LayerKind::Add: {
        const int shift = l.multipliers[0].shift;
        for (std::size_t e = 0; e < y.size(); ++e) {
            std::int64_t p = 0;
            for (std::size_t j = 0; j < xs.size(); ++j)
                p += std::int64_t((*xs[j])[e] - inQuant[j].zeroPoint) * l.multipliers[j].multiplier;
            std::int64_t v = zout + roundingShift(p, shift);
            y[e] = static_cast<std::int8_t>(std::clamp<std::int64_t>(v, lo, 127));
        }
        break;
    }
    }
    return y;
}

void softmaxInPlace(std::vector<float>& v)
{
    if (v.empty()) return;
    float m = v[0];
    for (float x : v) m = x > m ? x : m;
    float s = 0.0f;
    for (float& x : v) {
        x = std::exp(x - m);
        s += x;
    }
    for (float& x : v) x = x / s;
}

} // namespace

int decide(const DecisionStage& stage, const std::vector<float>& scores)
{
    // The engine's own evaluation: one row of named columns through DecisionProgram::decide.
    symbolic::NamedColumns columns;
    for (std::size_t i = 0; i < stage.inputs.size(); ++i)
        columns[stage.inputs[i]] = Eigen::VectorXd::Constant(1, static_cast<double>(scores.at(i)));
    return symbolic::DecisionProgram{stage.trees}.decide(columns).front();
}

std::vector<float> preprocess(const ProgramIR& p, const float* input)
{
    std::vector<float> w(input, input + p.input.size());
    if (p.movement)
        w = p.movement->apply(input, p.input.length, p.input.channels);
    if (p.magnitudes) {
        const std::size_t axes = p.magnitudesKeepAxes ? 6 : 0, width = axes + 2;
        std::vector<float> m(std::size_t(p.input.length) * width);
        for (int t = 0; t < p.input.length; ++t) {
            const float* s = input + std::size_t(t) * 6;
            float* o = m.data() + std::size_t(t) * width;
            std::copy(s, s + axes, o);
            o[axes] = std::sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
            o[axes + 1] = std::sqrt(s[3] * s[3] + s[4] * s[4] + s[5] * s[5]);
        }
        w = std::move(m);
    }
    if (p.hasFeatures)
        w = computeFeatures(p.features, w.data(), p.input.length, p.windowShape().channels);
    if (!p.normMean.empty()) {
        const std::size_t c = p.normMean.size();
        for (std::size_t i = 0; i < w.size(); ++i)
            w[i] = (w[i] - p.normMean[i % c]) / p.normStddev[i % c];
    }
    return w;
}

ReferenceRun runReference(const ProgramIR& p, const float* input)
{
    ReferenceRun run;
    std::vector<float> netIn = preprocess(p, input);
    if (!p.quantized) {
        std::vector<std::vector<float>>& outs = run.layerOutputs;
        for (const Layer& l : p.layers) {
            std::vector<const std::vector<float>*> xs;
            for (int src : l.inputs) xs.push_back(src < 0 ? &netIn : &outs[src]);
            outs.push_back(runFloatLayer(l, xs));
        }
        run.output = outs.empty() ? netIn : outs.back();
    } else {
        std::vector<std::int8_t> qIn(netIn.size());
        for (std::size_t i = 0; i < netIn.size(); ++i) qIn[i] = learn::quantizeInput(netIn[i], p.inputQuant);
        std::vector<std::vector<std::int8_t>> outs;
        for (const Layer& l : p.layers) {
            std::vector<const std::vector<std::int8_t>*> xs;
            std::vector<QuantParams> qs;
            for (int src : l.inputs) {
                xs.push_back(src < 0 ? &qIn : &outs[src]);
                qs.push_back(src < 0 ? p.inputQuant : p.layers[src].outQuant);
            }
            outs.push_back(runInt8Layer(l, xs, qs));
        }
        run.int8Output = outs.empty() ? qIn : outs.back();
        QuantParams q = p.layers.empty() ? p.inputQuant : p.layers.back().outQuant;
        for (std::int8_t v : run.int8Output)
            run.output.push_back(q.scale * static_cast<float>(v - q.zeroPoint));
    }
    if (p.softmax)
        softmaxInPlace(run.output);
    if (p.decision)
        run.output.push_back(static_cast<float>(decide(*p.decision, run.output)));
    return run;
}

namespace {

QuantParams activationQuant(float lo, float hi)
{
    lo = std::min(0.0f, lo);
    hi = std::max(0.0f, hi);
    QuantParams q;
    q.scale = hi > lo ? (hi - lo) / 255.0f : 1.0f;
    q.zeroPoint = static_cast<std::int32_t>(std::clamp<long>(std::lround(-128.0 - lo / q.scale), -128, 127));
    return q;
}

} // namespace

ProgramIR quantizeProgram(const ProgramIR& fp, const std::vector<std::vector<float>>& calibration)
{
    if (fp.quantized)
        throw std::invalid_argument("program " + fp.name + " is already quantized");
    if (calibration.empty())
        throw std::invalid_argument("quantizing " + fp.name + " needs at least one calibration input");
    const std::size_t nl = fp.layers.size();
    const float inf = std::numeric_limits<float>::infinity();
    std::vector<float> lo(nl + 1, inf), hi(nl + 1, -inf); // [nl] is the network input
    for (const auto& in : calibration) {
        std::vector<float> netIn = preprocess(fp, in.data());
        for (float v : netIn) lo[nl] = std::min(lo[nl], v), hi[nl] = std::max(hi[nl], v);
        auto run = runReference(fp, in.data());
        for (std::size_t i = 0; i < nl; ++i)
            for (float v : run.layerOutputs[i]) lo[i] = std::min(lo[i], v), hi[i] = std::max(hi[i], v);
    }
    ProgramIR q = fp;
    q.quantized = true;
    q.inputQuant = activationQuant(lo[nl], hi[nl]);
    auto quantOf = [&](int src) { return src < 0 ? q.inputQuant : q.layers[src].outQuant; };
    for (std::size_t i = 0; i < nl; ++i) {
        Layer& l = q.layers[i];
        const QuantParams in = quantOf(l.inputs[0]);
        l.outQuant = l.kind == LayerKind::MaxPool1D ? in : activationQuant(lo[i], hi[i]);
        l.multipliers.clear();
        if (l.kind == LayerKind::Conv1D || l.kind == LayerKind::Dense) {
            const int co = l.out.channels;
            const std::size_t per = l.weights.size() / co;
            l.qWeights.resize(l.weights.size());
            l.qBias.resize(co);
            for (int o = 0; o < co; ++o) {
                float m = 0.0f;
                for (std::size_t j = 0; j < per; ++j) m = std::max(m, std::fabs(l.weights[o * per + j]));
                float sw = m > 0.0f ? m / 127.0f : 1.0f;
                for (std::size_t j = 0; j < per; ++j)
                    l.qWeights[o * per + j] = static_cast<std::int8_t>(
                        std::clamp<long>(std::lround(l.weights[o * per + j] / sw), -127, 127));
                l.qBias[o] = static_cast<std::int32_t>(std::lround(l.bias[o] / (double(in.scale) * sw)));
                l.multipliers.push_back(quantizeMultiplier(double(in.scale) * sw / l.outQuant.scale));
            }
        } else if (l.kind == LayerKind::GlobalAvgPool) {
            l.multipliers.push_back(quantizeMultiplier(double(in.scale) / (double(l.outQuant.scale) * l.in.length)));
        } else if (l.kind == LayerKind::Add) {
            double maxScale = 0;
            for (int src : l.inputs) maxScale = std::max(maxScale, double(quantOf(src).scale));
            int shift = quantizeMultiplier(maxScale / l.outQuant.scale).shift;
            for (int src : l.inputs) {
                FixedMultiplier m;
                m.shift = shift;
                m.multiplier = static_cast<std::int32_t>(
                    std::llround(double(quantOf(src).scale) / l.outQuant.scale * std::ldexp(1.0, shift)));
                l.multipliers.push_back(m);
            }
        }
    }
    q.validate();
    return q;
}

} // namespace nesy::codegen
