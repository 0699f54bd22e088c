#include "NeuralKalman.h"
#include <cmath>
#include <stdexcept>
#include <string>

namespace nesy::kalman {

NeuralKalmanFilter::NeuralKalmanFilter(Eigen::VectorXd x0, Eigen::MatrixXd P0, Eigen::MatrixXd A)
    : A_(std::move(A)), s_{std::move(x0), std::move(P0)}
{
    requireShape(s_.P, s_.x.size(), s_.x.size(), "initial covariance P0");
    requireShape(A_, s_.x.size(), s_.x.size(), "transition A");
}

void NeuralKalmanFilter::checkNetwork(const ProcessNetwork& g, const Eigen::VectorXd& u) const
{
    if (g.outputSize() != s_.x.size())
        throw std::invalid_argument("neural-Kalman: the network has " + std::to_string(g.outputSize()) +
                                    " outputs, the state " + std::to_string(s_.x.size()));
    if (u.size() != g.inputSize())
        throw std::invalid_argument("neural-Kalman: input of size " + std::to_string(u.size()) +
                                    ", the network takes " + std::to_string(g.inputSize()));
}

void NeuralKalmanFilter::predict(const ProcessNetwork& g, const Eigen::VectorXd& u, const Eigen::MatrixXd& U,
                                 const Eigen::MatrixXd& modelNoise)
{
    checkNetwork(g, u);
    requireShape(U, u.size(), u.size(), "input covariance U");
    const Eigen::MatrixXd B = g.jacobian(u);
    propagate(g, u, B * U * B.transpose(), modelNoise);
}

void NeuralKalmanFilter::predictIndependent(const ProcessNetwork& g, const Eigen::VectorXd& u,
                                            const Eigen::VectorXd& inputVariances, const Eigen::MatrixXd& modelNoise)
{
    checkNetwork(g, u);
    requireShape(inputVariances, u.size(), 1, "input variances diag(U)");
    const Eigen::MatrixXd B = g.jacobian(u);
    propagate(g, u, B * inputVariances.asDiagonal() * B.transpose(), modelNoise);
}

void NeuralKalmanFilter::propagate(const ProcessNetwork& g, const Eigen::VectorXd& u,
                                   const Eigen::MatrixXd& inputNoiseInState, const Eigen::MatrixXd& modelNoise)
{
    requireShape(modelNoise, s_.x.size(), s_.x.size(), "model noise");
    s_.x = A_ * s_.x + g.output(u);
    s_.P = A_ * s_.P * A_.transpose() + inputNoiseInState + modelNoise;
    s_.P = 0.5 * (s_.P + s_.P.transpose()).eval();
}

void NeuralKalmanFilter::update(const Eigen::VectorXd& z, const Eigen::MatrixXd& H, const Eigen::MatrixXd& R)
{
    requireShape(H, z.size(), s_.x.size(), "measurement matrix H");
    applyMeasurement(s_, z - H * s_.x, H, R);
}

// ---------------------------------------------------------------- window features

Eigen::VectorXd WindowFeatures::features(const Eigen::VectorXd& window) const
{
    if (window.size() != inputSize())
        throw std::invalid_argument("window features: window of " + std::to_string(window.size()) + " values, expected " +
                                    std::to_string(samples_) + " samples x " + std::to_string(channels_) + " channels");
    const auto w = window.reshaped<Eigen::RowMajor>(samples_, channels_);
    Eigen::VectorXd f(outputSize());
    for (Eigen::Index c = 0; c < channels_; ++c) {
        const double mean = w.col(c).mean();
        f[c] = mean;
        f[channels_ + c] = (w.col(c).array() - mean).square().mean();
    }
    return f;
}

Eigen::MatrixXd WindowFeatures::jacobian(const Eigen::VectorXd& window) const
{
    const Eigen::VectorXd f = features(window);
    const double n = static_cast<double>(samples_);
    Eigen::MatrixXd J = Eigen::MatrixXd::Zero(outputSize(), inputSize());
    for (Eigen::Index s = 0; s < samples_; ++s)
        for (Eigen::Index c = 0; c < channels_; ++c) {
            const Eigen::Index i = s * channels_ + c;
            J(c, i) = 1.0 / n;
            // d/dx_i of mean((x - m)^2) = 2 (x_i - m) / n; the mean's own change sums to zero.
            J(channels_ + c, i) = 2.0 * (window[i] - f[c]) / n;
        }
    return J;
}

// ---------------------------------------------------------------- ground-robot process

BodyVelocityProcess::BodyVelocityProcess(const ProcessNetwork& velocityNetwork, WindowFeatures features, double dt)
    : net_(velocityNetwork), features_(features), dt_(dt)
{
    if (net_.inputSize() != features_.outputSize() || net_.outputSize() != 2)
        throw std::invalid_argument("body-velocity process: the network must map " +
                                    std::to_string(features_.outputSize()) + " window features to 2 velocities, it maps " +
                                    std::to_string(net_.inputSize()) + " to " + std::to_string(net_.outputSize()));
    if (!(dt > 0)) throw std::invalid_argument("body-velocity process: dt must be positive");
}

Eigen::MatrixXd BodyVelocityProcess::transition()
{
    return Eigen::Vector4d(1, 1, 0, 0).asDiagonal();
}

Eigen::VectorXd BodyVelocityProcess::output(const Eigen::VectorXd& u) const
{
    const Eigen::Index n = features_.inputSize();
    const Eigen::Vector2d vb = net_.output(features_.features(u.head(n)));
    const double psi = u[n];
    const Eigen::Vector2d vw(std::cos(psi) * vb.x() - std::sin(psi) * vb.y(), std::sin(psi) * vb.x() + std::cos(psi) * vb.y());
    Eigen::VectorXd g(4);
    g << dt_ * vw, vw;
    return g;
}

Eigen::MatrixXd BodyVelocityProcess::jacobian(const Eigen::VectorXd& u) const
{
    const Eigen::Index n = features_.inputSize();
    const Eigen::VectorXd window = u.head(n);
    const Eigen::VectorXd f = features_.features(window);
    const Eigen::Vector2d vb = net_.output(f);
    const double psi = u[n], c = std::cos(psi), s = std::sin(psi);
    Eigen::Matrix2d R, dR;
    R << c, -s, s, c;
    dR << -s, -c, c, -s;
    // Chain rule: rotation, the network (backpropagated), the window features.
    const Eigen::MatrixXd dVw = R * net_.jacobian(f) * features_.jacobian(window); // 2 x n
    Eigen::MatrixXd J(4, n + 1);
    J.block(0, 0, 2, n) = dt_ * dVw;
    J.block(2, 0, 2, n) = dVw;
    const Eigen::Vector2d dPsi = dR * vb;
    J.block(0, n, 2, 1) = dt_ * dPsi;
    J.block(2, n, 2, 1) = dPsi;
    return J;
}

} // namespace nesy::kalman
