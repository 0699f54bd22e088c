#pragma once
// Linear Kalman filter: x(k+1) = F x(k) + w, z = H x + v, with w ~ N(0, Q), v ~ N(0, R).
#include "Gaussian.h"

namespace nesy::kalman {

class LinearKalmanFilter {
public:
    LinearKalmanFilter(Eigen::VectorXd x0, Eigen::MatrixXd P0);

    void predict(const Eigen::MatrixXd& F, const Eigen::MatrixXd& Q);
    // With a known input's effect added to the mean (B u).
    void predict(const Eigen::MatrixXd& F, const Eigen::MatrixXd& Q, const Eigen::VectorXd& controlEffect);
    void update(const Eigen::VectorXd& z, const Eigen::MatrixXd& H, const Eigen::MatrixXd& R);

    const Eigen::VectorXd& state() const { return s_.x; }
    const Eigen::MatrixXd& covariance() const { return s_.P; }

private:
    GaussianState s_;
};

// A constant-velocity model per axis (state: positions then velocities), the `kalman.linear` block:
// F = [I dt I; 0 I], Q from a white acceleration of density q (m^2/s^3).
Eigen::MatrixXd constantVelocityTransition(int axes, double dt);
Eigen::MatrixXd constantVelocityProcessNoise(int axes, double dt, double accelerationDensity);

} // namespace nesy::kalman
