#include "FilterIR.h"
#include <algorithm>
#include <stdexcept>

namespace nesy::codegen {

std::string filterKindName(FilterKind k)
{
    switch (k) {
    case FilterKind::Linear: return "kalman_linear";
    case FilterKind::OrientationEkf: return "orientation_ekf";
    case FilterKind::NeuralKalman: return "neural_kalman";
    }
    return "?";
}

int FilterIR::inputSize() const
{
    switch (kind) {
    case FilterKind::Linear: return measurementSize;
    case FilterKind::OrientationEkf: return 6;
    case FilterKind::NeuralKalman: return network.input.size() + measurementSize + 1;
    }
    return 0;
}

void FilterIR::validate() const
{
    auto need = [&](const std::vector<double>& v, std::size_t size, const char* what) {
        if (v.size() != size)
            throw std::invalid_argument("filter " + name + ": " + what + " has " + std::to_string(v.size()) +
                                        " values, expected " + std::to_string(size));
    };
    const std::size_t n = std::size_t(stateSize), m = std::size_t(measurementSize);
    if (n == 0 || m == 0)
        throw std::invalid_argument("filter " + name + ": state and measurement sizes must be positive");
    need(x0, n, "initial state x0");
    need(P0, n * n, "initial covariance P0");
    if (kind == FilterKind::OrientationEkf) {
        if (n != 4 || m != 3)
            throw std::invalid_argument("filter " + name + ": the orientation EKF has 4 states and 3 measurements");
        if (!(accNoise > 0) || !(gyroNoise > 0) || !(dt > 0))
            throw std::invalid_argument("filter " + name + ": noise levels and time step must be positive");
        return;
    }
    need(F, n * n, kind == FilterKind::Linear ? "transition F" : "transition A");
    need(Q, n * n, kind == FilterKind::Linear ? "process noise Q" : "model noise Qm");
    need(H, m * n, "measurement matrix H");
    need(R, m * m, "measurement noise R");
    if (kind == FilterKind::NeuralKalman) {
        const std::size_t p = std::size_t(network.input.size());
        if (network.outputs != stateSize || network.layers.empty())
            throw std::invalid_argument("filter " + name + ": the process network must have one output per state");
        for (const learn::LayerSpec& l : network.layers)
            if (l.kind != learn::LayerKind::Dense || l.inputs.size() != 1)
                throw std::invalid_argument("filter " + name + ": layer " + l.name +
                                            " is not a dense layer (the process network is an MLP)");
        if (inputMean.size() != p || inputStddev.size() != p)
            throw std::invalid_argument("filter " + name + ": the network's input needs a mean and stddev per input");
        need(inputVariances, p, "input variances diag(U)");
    }
}

std::int64_t FilterIR::constantBytes() const
{
    std::int64_t bytes = 8LL * std::int64_t(F.size() + Q.size() + H.size() + R.size() + inputVariances.size());
    bytes += 4LL * std::int64_t(inputMean.size() + inputStddev.size());
    for (const learn::LayerSpec& l : network.layers)
        bytes += 4LL * std::int64_t(l.parameterCount());
    return bytes;
}

std::int64_t FilterIR::stateBytes() const
{
    return 8LL * (stateSize + std::int64_t(stateSize) * stateSize);
}

int FilterIR::networkWidth() const
{
    if (kind != FilterKind::NeuralKalman)
        return 0;
    int width = network.input.size();
    for (const auto& l : network.layers)
        width = std::max(width, l.out.size());
    return width;
}

Json FilterIR::summary() const
{
    const std::int64_t n = stateSize, m = measurementSize;
    // Work per step in multiply-accumulates: covariance propagation (two n^3 products), the update
    // (P H^T, S, the Cholesky solve, the Joseph form) and, for the neural step, the network and its
    // Jacobian (one backward pass per state).
    std::int64_t macs = 2 * n * n * n + 2 * n * n * m + n * m * m + m * m * m / 3 + 4 * n * n * n;
    const std::int64_t netMacs = std::int64_t(network.multiplyAccumulates());
    macs += netMacs * (1 + n);
    Json ops = Json::array();
    ops.push_back(Json{{"kind", filterKindName(kind)},
                       {"name", name},
                       {"inputs", 1},
                       {"in_elements", inputSize()},
                       {"out_elements", outputSize()},
                       {"out_channels", outputSize()},
                       {"kernel", 1},
                       {"macs", macs},
                       {"relu", false}});
    return Json{{"entry", "nesy_program_run"},
                {"quantized", false},
                {"input_size", inputSize()},
                {"output_size", outputSize()},
                {"softmax", false},
                {"weight_bytes", constantBytes()},
                {"macs", macs},
                {"ops", ops},
                {"magnitudes", false},
                {"normalized_elements", 0},
                {"normalized_channels", 0},
                {"filter", Json{{"kind", filterKindName(kind)},
                                {"state", n},
                                {"measurement", m},
                                {"network_inputs", kind == FilterKind::NeuralKalman ? network.input.size() : 0},
                                {"network_layers", static_cast<std::int64_t>(network.layers.size())},
                                {"network_macs", netMacs},
                                {"network_width", networkWidth()}}}};
}

} // namespace nesy::codegen
