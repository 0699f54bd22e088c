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
    case FilterKind::BodyVelocityKalman: return "neural_kalman_body_velocity";
    case FilterKind::GpsInsEkf: return "gps_ins_ekf";
    }
    return "?";
}

int FilterIR::inputSize() const
{
    switch (kind) {
    case FilterKind::Linear: return measurementSize;
    case FilterKind::OrientationEkf: return 6;
    case FilterKind::NeuralKalman: return network.input.size() + measurementSize + 1;
    case FilterKind::BodyVelocityKalman: return windowSamples * windowChannels + 1 + measurementSize + 1;
    case FilterKind::GpsInsEkf: return 2 + measurementSize + 1;
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
    if (kind != FilterKind::GpsInsEkf)
        need(F, n * n, kind == FilterKind::Linear ? "transition F" : "transition A");
    need(Q, n * n, kind == FilterKind::Linear || kind == FilterKind::GpsInsEkf ? "process noise Q" : "model noise Qm");
    need(H, m * n, "measurement matrix H");
    need(R, m * m, "measurement noise R");
    if (kind == FilterKind::GpsInsEkf) {
        if (n != 4 || !(dt > 0))
            throw std::invalid_argument("filter " + name + ": the GPS/INS EKF has 4 states and a positive time step");
        return;
    }
    if (kind == FilterKind::BodyVelocityKalman) {
        if (n != 4 || windowSamples < 2 || windowChannels < 1 || !(dt > 0) || !(sampleRateHz > 0))
            throw std::invalid_argument("filter " + name + ": the body-velocity step has 4 states, a window of at "
                                        "least 2 samples, a positive time step and sample rate");
        if (network.input.size() != 2 * windowChannels || network.outputs != 2)
            throw std::invalid_argument("filter " + name + ": the velocity network must map " +
                                        std::to_string(2 * windowChannels) + " window features to 2 velocities");
        need(inputVariances, std::size_t(windowChannels), "window channel variances");
    }
    if (kind == FilterKind::NeuralKalman || kind == FilterKind::BodyVelocityKalman) {
        const std::size_t p = std::size_t(network.input.size());
        if (kind == FilterKind::NeuralKalman && network.outputs != stateSize)
            throw std::invalid_argument("filter " + name + ": the process network must have one output per state");
        if (network.layers.empty())
            throw std::invalid_argument("filter " + name + ": the process network has no layers");
        for (const learn::LayerSpec& l : network.layers)
            if (l.kind != learn::LayerKind::Dense || l.inputs.size() != 1)
                throw std::invalid_argument("filter " + name + ": layer " + l.name +
                                            " is not a dense layer (the process network is an MLP)");
        if (inputMean.size() != p || inputStddev.size() != p)
            throw std::invalid_argument("filter " + name + ": the network's input needs a mean and stddev per input");
        if (kind == FilterKind::NeuralKalman)
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
    if (kind != FilterKind::NeuralKalman && kind != FilterKind::BodyVelocityKalman)
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
    if (kind == FilterKind::BodyVelocityKalman) {
        // The network and one backward pass per velocity, the window's features and their chain
        // rule into the 2 velocities, the 2 x 2 input noise product.
        const std::int64_t window = std::int64_t(windowSamples) * windowChannels;
        macs += netMacs * 3 + 2 * window + 2 * 2 * window + 4 * (window + 1);
    } else {
        macs += netMacs * (1 + n);
    }
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
                                {"network_inputs", networkWidth() > 0 ? network.input.size() : 0},
                                {"network_outputs", networkWidth() > 0 ? network.outputs : 0},
                                {"network_layers", static_cast<std::int64_t>(network.layers.size())},
                                {"network_macs", netMacs},
                                {"network_width", networkWidth()},
                                {"window_samples", windowSamples},
                                {"window_channels", windowChannels}}}};
}

} // namespace nesy::codegen
