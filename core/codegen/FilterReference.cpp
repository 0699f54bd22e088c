#include "FilterReference.h"
#include "kalman/ExtendedKalman.h"
#include "kalman/GroundRobotFilters.h"
#include "kalman/LinearKalman.h"
#include "kalman/NeuralKalman.h"
#include "kalman/OrientationEkf.h"
#include "learn/MlpProcessNetwork.h"
#include <stdexcept>

namespace nesy::codegen {

namespace {

Eigen::MatrixXd matrix(const std::vector<double>& v, int rows, int cols)
{
    return Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(v.data(), rows, cols);
}

Eigen::VectorXd vectorOf(const float* v, int n)
{
    Eigen::VectorXd x(n);
    for (int i = 0; i < n; ++i)
        x[i] = v[i];
    return x;
}

void append(std::vector<float>& out, const Eigen::VectorXd& x)
{
    for (Eigen::Index i = 0; i < x.size(); ++i)
        out.push_back(static_cast<float>(x[i]));
}

} // namespace

std::vector<float> runFilterReference(const FilterIR& f, const std::vector<float>& inputs, int steps)
{
    f.validate();
    const int in = f.inputSize(), n = f.stateSize, m = f.measurementSize;
    if (inputs.size() != std::size_t(steps) * std::size_t(in))
        throw std::invalid_argument("filter " + f.name + ": " + std::to_string(inputs.size()) + " input values for " +
                                    std::to_string(steps) + " steps of " + std::to_string(in));
    const Eigen::VectorXd x0 = Eigen::Map<const Eigen::VectorXd>(f.x0.data(), n);
    const Eigen::MatrixXd P0 = matrix(f.P0, n, n);
    std::vector<float> out;
    switch (f.kind) {
    case FilterKind::Linear: {
        kalman::LinearKalmanFilter kf(x0, P0);
        const Eigen::MatrixXd F = matrix(f.F, n, n), Q = matrix(f.Q, n, n), H = matrix(f.H, m, n), R = matrix(f.R, m, m);
        for (int s = 0; s < steps; ++s) {
            kf.predict(F, Q);
            kf.update(vectorOf(inputs.data() + std::size_t(s) * in, m), H, R);
            append(out, kf.state());
        }
        break;
    }
    case FilterKind::OrientationEkf: {
        kalman::OrientationEkfSettings settings;
        settings.accNoise = f.accNoise;
        settings.gyroNoise = f.gyroNoise;
        kalman::OrientationEkf ekf(x0, settings);
        for (int s = 0; s < steps; ++s) {
            const float* step = inputs.data() + std::size_t(s) * in;
            ekf.predict(vectorOf(step, 3), f.dt);
            ekf.correct(vectorOf(step + 3, 3));
            append(out, ekf.quaternion());
        }
        break;
    }
    case FilterKind::NeuralKalman: {
        const learn::Normalizer norm{f.inputMean, f.inputStddev};
        const kalman::MlpProcessNetwork net(f.network, norm);
        kalman::NeuralKalmanFilter kf(x0, P0, matrix(f.F, n, n));
        const int p = f.network.input.size();
        const Eigen::VectorXd U = Eigen::Map<const Eigen::VectorXd>(f.inputVariances.data(), p);
        const Eigen::MatrixXd Qm = matrix(f.Q, n, n), H = matrix(f.H, m, n), R = matrix(f.R, m, m);
        for (int s = 0; s < steps; ++s) {
            const float* step = inputs.data() + std::size_t(s) * in;
            kf.predictIndependent(net, vectorOf(step, p), U, Qm);
            if (step[p + m] != 0.0f)
                kf.update(vectorOf(step + p, m), H, R);
            append(out, kf.state());
        }
        break;
    }
    case FilterKind::BodyVelocityKalman: {
        const kalman::MlpProcessNetwork net(f.network, learn::Normalizer{f.inputMean, f.inputStddev});
        const kalman::BodyVelocityProcess process(net, kalman::WindowFeatures(f.windowSamples, f.windowChannels), f.dt);
        kalman::NeuralKalmanFilter kf(x0, P0, matrix(f.F, n, n));
        const int window = f.windowSamples * f.windowChannels;
        Eigen::VectorXd U(window + 1);
        for (int i = 0; i < window; ++i)
            U[i] = f.inputVariances[std::size_t(i % f.windowChannels)];
        const Eigen::MatrixXd Qm = matrix(f.Q, n, n), H = matrix(f.H, m, n), R = matrix(f.R, m, m);
        for (int s = 0; s < steps; ++s) {
            const float* step = inputs.data() + std::size_t(s) * in;
            // As neuralKalmanErrors: the heading's variance at the window's middle sample.
            const double mid = double(s * f.windowSamples + f.windowSamples / 2) / f.sampleRateHz;
            U[window] = kalman::headingVariance(f.headingNoise, mid);
            kf.predictIndependent(process, vectorOf(step, window + 1), U, Qm);
            if (step[window + 1 + m] != 0.0f)
                kf.update(vectorOf(step + window + 1, m), H, R);
            append(out, kf.state());
        }
        break;
    }
    case FilterKind::GpsInsEkf: {
        kalman::ExtendedKalmanFilter ekf(x0, P0);
        // The model with these constants: GpsInsEkfModel's propagation, the IR's Q, H, R.
        kalman::GpsInsEkfModel model(kalman::GpsInsEkfSettings{}, 1.0 / f.dt);
        model.dt = f.dt;
        model.Q = matrix(f.Q, n, n);
        const Eigen::MatrixXd H = matrix(f.H, m, n), R = matrix(f.R, m, m);
        for (int s = 0; s < steps; ++s) {
            const float* step = inputs.data() + std::size_t(s) * in;
            const double a = step[0], w = step[1];
            ekf.predict([&](const Eigen::VectorXd& x) { return model.propagate(x, a, w); },
                        [&](const Eigen::VectorXd& x) { return model.jacobian(x); }, model.Q);
            if (step[2 + m] != 0.0f)
                ekf.update(vectorOf(step + 2, m), [&](const Eigen::VectorXd& x) -> Eigen::VectorXd { return H * x; },
                           [&](const Eigen::VectorXd&) -> Eigen::MatrixXd { return H; }, R);
            append(out, ekf.state());
        }
        break;
    }
    }
    return out;
}

} // namespace nesy::codegen
