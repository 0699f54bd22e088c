#include "LinearKalman.h"
#include <stdexcept>

namespace nesy::kalman {

LinearKalmanFilter::LinearKalmanFilter(Eigen::VectorXd x0, Eigen::MatrixXd P0) : s_{std::move(x0), std::move(P0)}
{
    requireShape(s_.P, s_.x.size(), s_.x.size(), "initial covariance P0");
}

void LinearKalmanFilter::predict(const Eigen::MatrixXd& F, const Eigen::MatrixXd& Q)
{
    predict(F, Q, Eigen::VectorXd::Zero(s_.x.size()));
}

void LinearKalmanFilter::predict(const Eigen::MatrixXd& F, const Eigen::MatrixXd& Q, const Eigen::VectorXd& controlEffect)
{
    const Eigen::Index n = s_.x.size();
    requireShape(F, n, n, "transition F");
    requireShape(Q, n, n, "process noise Q");
    requireShape(controlEffect, n, 1, "control effect B u");
    s_.x = F * s_.x + controlEffect;
    s_.P = F * s_.P * F.transpose() + Q;
    s_.P = 0.5 * (s_.P + s_.P.transpose()).eval();
}

void LinearKalmanFilter::update(const Eigen::VectorXd& z, const Eigen::MatrixXd& H, const Eigen::MatrixXd& R)
{
    requireShape(H, z.size(), s_.x.size(), "measurement matrix H");
    applyMeasurement(s_, z - H * s_.x, H, R);
}

Eigen::MatrixXd constantVelocityTransition(int axes, double dt)
{
    Eigen::MatrixXd F = Eigen::MatrixXd::Identity(2 * axes, 2 * axes);
    F.topRightCorner(axes, axes) = dt * Eigen::MatrixXd::Identity(axes, axes);
    return F;
}

Eigen::MatrixXd constantVelocityProcessNoise(int axes, double dt, double q)
{
    const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(axes, axes);
    Eigen::MatrixXd Q(2 * axes, 2 * axes);
    Q << q * dt * dt * dt / 3 * I, q * dt * dt / 2 * I, q * dt * dt / 2 * I, q * dt * I;
    return Q;
}

} // namespace nesy::kalman
