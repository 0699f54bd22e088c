#pragma once
// The neural-Kalman filter: a Kalman filter whose process model is a network g of the input u:
//   x(k+1|k) = A x(k) + g(u),   P(k+1|k) = A P A^T + B U B^T + Q_model,   B = dg/du at u,
// with U the covariance of u (from the IMU's Allan-variance parameters) and Q_model the network's
// own regression error. Measurements (GPS fixes) correct the state as in any Kalman filter.
#include "Gaussian.h"

namespace nesy::kalman {

// What the filter needs of a network: its output and its Jacobian with respect to its input (the
// learning engine's MLP provides both, the Jacobian by backpropagation).
class ProcessNetwork {
public:
    virtual ~ProcessNetwork() = default;
    virtual Eigen::Index inputSize() const = 0;
    virtual Eigen::Index outputSize() const = 0;
    virtual Eigen::VectorXd output(const Eigen::VectorXd& u) const = 0;
    virtual Eigen::MatrixXd jacobian(const Eigen::VectorXd& u) const = 0; // outputSize x inputSize
};

class NeuralKalmanFilter {
public:
    NeuralKalmanFilter(Eigen::VectorXd x0, Eigen::MatrixXd P0, Eigen::MatrixXd A);

    // U as a full covariance, or as the variances of independent inputs (the common, cheaper case).
    void predict(const ProcessNetwork& g, const Eigen::VectorXd& u, const Eigen::MatrixXd& U,
                 const Eigen::MatrixXd& modelNoise);
    void predictIndependent(const ProcessNetwork& g, const Eigen::VectorXd& u, const Eigen::VectorXd& inputVariances,
                            const Eigen::MatrixXd& modelNoise);
    void update(const Eigen::VectorXd& z, const Eigen::MatrixXd& H, const Eigen::MatrixXd& R);

    const Eigen::VectorXd& state() const { return s_.x; }
    const Eigen::MatrixXd& covariance() const { return s_.P; }

private:
    void propagate(const ProcessNetwork& g, const Eigen::VectorXd& u, const Eigen::MatrixXd& inputNoiseInState,
                   const Eigen::MatrixXd& modelNoise);
    void checkNetwork(const ProcessNetwork& g, const Eigen::VectorXd& u) const;

    Eigen::MatrixXd A_;
    GaussianState s_;
};

// Per-channel mean and variance of an IMU window, with their Jacobian: the network's input features.
// The window is flattened sample by sample: u = [s0c0, s0c1, ..., s1c0, ...].
class WindowFeatures {
public:
    WindowFeatures(Eigen::Index samples, Eigen::Index channels) : samples_(samples), channels_(channels) {}
    Eigen::Index inputSize() const { return samples_ * channels_; }
    Eigen::Index outputSize() const { return 2 * channels_; } // means, then variances
    Eigen::VectorXd features(const Eigen::VectorXd& window) const;
    Eigen::MatrixXd jacobian(const Eigen::VectorXd& window) const;

private:
    Eigen::Index samples_;
    Eigen::Index channels_;
};

// The ground robot's process model g(u) for the state [x, y, vx, vy]: u = [IMU window, heading];
// a network maps the window's features to the mean body-frame velocity (forward, left) over the
// window; g rotates it by the heading: g = [dt R(psi) v_b ; R(psi) v_b]. With A = diag(1, 1, 0, 0),
// the position advances by the window's displacement and the velocity becomes the window's.
class BodyVelocityProcess : public ProcessNetwork {
public:
    // `velocityNetwork` maps WindowFeatures to 2 outputs; it must outlive this object.
    BodyVelocityProcess(const ProcessNetwork& velocityNetwork, WindowFeatures features, double dt);

    Eigen::Index inputSize() const override { return features_.inputSize() + 1; }
    Eigen::Index outputSize() const override { return 4; }
    Eigen::VectorXd output(const Eigen::VectorXd& u) const override;
    Eigen::MatrixXd jacobian(const Eigen::VectorXd& u) const override;

    static Eigen::MatrixXd transition(); // A = diag(1, 1, 0, 0)

private:
    const ProcessNetwork& net_;
    WindowFeatures features_;
    double dt_;
};

} // namespace nesy::kalman
