#include "Network.h"
#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace nesy::learn {

namespace {

using ConstMap = Eigen::Map<const Matrix>;
using MutMap = Eigen::Map<Matrix>;

int padBefore(const LayerSpec& l)
{
    const int total = (l.kernel - 1) * l.dilation;
    return l.padding == Padding::Causal ? total : total / 2;
}

ConstMap inputOf(const ModelSpec& m, const float* input, const Workspace& ws, int index)
{
    if (index < 0)
        return ConstMap(input, Eigen::Index(ws.batch) * m.input.length, m.input.channels);
    const Matrix& o = ws.outputs[index];
    return ConstMap(o.data(), o.rows(), o.cols());
}

// Adds the column sums of `m` to `out`. The sums go through an Eigen-allocated (so fully aligned)
// row first: Eigen sums the columns it vectorises in another order than the ones it peels off to
// reach an aligned destination, so summing straight into a std::vector would make the bits depend
// on where its buffer happens to lie once the packets are wider than malloc's 16-byte alignment.
void addColumnSums(const Matrix& m, std::vector<float>& out)
{
    const Eigen::RowVectorXf sums = m.colwise().sum();
    Eigen::Map<Eigen::RowVectorXf>(out.data(), Eigen::Index(out.size())) += sums;
}

} // namespace

ParameterSet ParameterSet::zerosLike(const ModelSpec& m)
{
    ParameterSet p;
    for (const LayerSpec& l : m.layers) {
        p.weights.emplace_back(l.weights.size(), 0.0f);
        p.bias.emplace_back(l.bias.size(), 0.0f);
    }
    return p;
}

void ParameterSet::setZero()
{
    for (auto& w : weights)
        std::fill(w.begin(), w.end(), 0.0f);
    for (auto& b : bias)
        std::fill(b.begin(), b.end(), 0.0f);
}

void ParameterSet::add(const ParameterSet& o)
{
    for (std::size_t i = 0; i < weights.size(); ++i) {
        for (std::size_t j = 0; j < weights[i].size(); ++j)
            weights[i][j] += o.weights[i][j];
        for (std::size_t j = 0; j < bias[i].size(); ++j)
            bias[i][j] += o.bias[i][j];
    }
}

const Matrix& forward(const ModelSpec& m, const float* input, int batch, Workspace& ws)
{
    const std::size_t n = m.layers.size();
    ws.batch = batch;
    ws.outputs.resize(n);
    ws.columns.resize(n);
    ws.argmax.resize(n);
    for (std::size_t li = 0; li < n; ++li) {
        const LayerSpec& l = m.layers[li];
        const ConstMap x = inputOf(m, input, ws, l.inputs.at(0));
        Matrix& y = ws.outputs[li];
        const int cin = l.in.channels, cout = l.out.channels, lin = l.in.length, lout = l.out.length;
        switch (l.kind) {
        case LayerKind::Conv1D: {
            Matrix& col = ws.columns[li];
            const int width = l.kernel * cin;
            col.setZero(Eigen::Index(batch) * lout, width);
            const int pad = padBefore(l);
            for (int b = 0; b < batch; ++b)
                for (int t = 0; t < lout; ++t) {
                    float* row = col.data() + (std::size_t(b) * lout + t) * width;
                    for (int k = 0; k < l.kernel; ++k) {
                        const int src = t + k * l.dilation - pad;
                        if (src >= 0 && src < lin)
                            std::memcpy(row + k * cin, x.data() + (std::size_t(b) * lin + src) * cin, sizeof(float) * cin);
                    }
                }
            const ConstMap w(l.weights.data(), cout, width);
            y.noalias() = col * w.transpose();
            y.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(l.bias.data(), cout);
            break;
        }
        case LayerKind::Dense: {
            const ConstMap flat(x.data(), batch, l.in.size());
            const ConstMap w(l.weights.data(), cout, l.in.size());
            y.noalias() = flat * w.transpose();
            y.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(l.bias.data(), cout);
            break;
        }
        case LayerKind::MaxPool1D: {
            y.resize(Eigen::Index(batch) * lout, cin);
            auto& idx = ws.argmax[li];
            idx.assign(std::size_t(batch) * lout * cin, 0);
            for (int b = 0; b < batch; ++b)
                for (int t = 0; t < lout; ++t)
                    for (int c = 0; c < cin; ++c) {
                        int best = b * lin + t * l.pool;
                        for (int p = 1; p < l.pool; ++p)
                            if (x(b * lin + t * l.pool + p, c) > x(best, c))
                                best = b * lin + t * l.pool + p;
                        y(b * lout + t, c) = x(best, c);
                        idx[(std::size_t(b) * lout + t) * cin + c] = best;
                    }
            break;
        }
        case LayerKind::GlobalAvgPool:
            y.resize(batch, cin);
            for (int b = 0; b < batch; ++b)
                y.row(b) = x.middleRows(Eigen::Index(b) * lin, lin).colwise().sum() / float(lin);
            break;
        case LayerKind::Add:
            y = x;
            for (std::size_t j = 1; j < l.inputs.size(); ++j)
                y += inputOf(m, input, ws, l.inputs[j]);
            break;
        }
        if (l.activation == Activation::ReLU)
            y = y.cwiseMax(0.0f);
    }
    return ws.outputs.back();
}

namespace {

Matrix backwardImpl(const ModelSpec& m, const float* input, Workspace& ws, const Matrix& outputGradient,
                    ParameterSet& grads, bool wantInputGradient)
{
    const int n = int(m.layers.size());
    const int batch = ws.batch;
    ws.gradients.resize(n);
    for (int li = 0; li < n; ++li)
        ws.gradients[li].setZero(ws.outputs[li].rows(), ws.outputs[li].cols());
    ws.gradients[n - 1] = outputGradient;
    Matrix inputGradient;
    if (wantInputGradient)
        inputGradient.setZero(Eigen::Index(batch) * m.input.length, m.input.channels);
    auto gradOf = [&](int index) -> Matrix* {
        if (index < 0)
            return wantInputGradient ? &inputGradient : nullptr;
        return &ws.gradients[index];
    };

    for (int li = n - 1; li >= 0; --li) {
        const LayerSpec& l = m.layers[li];
        Matrix& dy = ws.gradients[li];
        if (l.activation == Activation::ReLU)
            dy = (ws.outputs[li].array() > 0.0f).select(dy, 0.0f);
        Matrix* dx = gradOf(l.inputs.at(0));
        const int cin = l.in.channels, cout = l.out.channels, lin = l.in.length, lout = l.out.length;
        switch (l.kind) {
        case LayerKind::Conv1D: {
            const Matrix& col = ws.columns[li];
            const int width = l.kernel * cin;
            MutMap dw(grads.weights[li].data(), cout, width);
            dw.noalias() += dy.transpose() * col;
            addColumnSums(dy, grads.bias[li]);
            if (dx) {
                const ConstMap w(l.weights.data(), cout, width);
                const Matrix dcol = dy * w;
                const int pad = padBefore(l);
                for (int b = 0; b < batch; ++b)
                    for (int t = 0; t < lout; ++t) {
                        const float* row = dcol.data() + (std::size_t(b) * lout + t) * width;
                        for (int k = 0; k < l.kernel; ++k) {
                            const int src = t + k * l.dilation - pad;
                            if (src < 0 || src >= lin)
                                continue;
                            float* dst = dx->data() + (std::size_t(b) * lin + src) * cin;
                            for (int c = 0; c < cin; ++c)
                                dst[c] += row[k * cin + c];
                        }
                    }
            }
            break;
        }
        case LayerKind::Dense: {
            const ConstMap x = inputOf(m, input, ws, l.inputs[0]);
            const ConstMap flat(x.data(), batch, l.in.size());
            MutMap dw(grads.weights[li].data(), cout, l.in.size());
            dw.noalias() += dy.transpose() * flat;
            addColumnSums(dy, grads.bias[li]);
            if (dx) {
                const ConstMap w(l.weights.data(), cout, l.in.size());
                MutMap dflat(dx->data(), batch, l.in.size());
                dflat.noalias() += dy * w;
            }
            break;
        }
        case LayerKind::MaxPool1D:
            if (dx) {
                const auto& idx = ws.argmax[li];
                for (int r = 0; r < batch * lout; ++r)
                    for (int c = 0; c < cin; ++c)
                        (*dx)(idx[std::size_t(r) * cin + c], c) += dy(r, c);
            }
            break;
        case LayerKind::GlobalAvgPool:
            if (dx)
                for (int b = 0; b < batch; ++b)
                    dx->middleRows(Eigen::Index(b) * lin, lin).rowwise() += dy.row(b) / float(lin);
            break;
        case LayerKind::Add:
            for (int in : l.inputs)
                if (Matrix* d = gradOf(in))
                    *d += dy;
            break;
        }
    }
    return inputGradient;
}

} // namespace

void backward(const ModelSpec& m, const float* input, Workspace& ws, const Matrix& outputGradient, ParameterSet& grads)
{
    backwardImpl(m, input, ws, outputGradient, grads, false);
}

Matrix backwardToInput(const ModelSpec& m, const float* input, Workspace& ws, const Matrix& outputGradient,
                       ParameterSet& grads)
{
    return backwardImpl(m, input, ws, outputGradient, grads, true);
}

} // namespace nesy::learn
