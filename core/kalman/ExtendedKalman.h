#pragma once
// Extended Kalman filter: x(k+1) = f(x(k)) + w, z = h(x) + v, linearised with Jacobians that are
// either given or computed numerically (central differences).
#include "Gaussian.h"
#include <functional>

namespace nesy::kalman {

using VectorFunction = std::function<Eigen::VectorXd(const Eigen::VectorXd&)>;
using JacobianFunction = std::function<Eigen::MatrixXd(const Eigen::VectorXd&)>;

// d fn / d x at x by central differences, with a step scaled to each coordinate's size.
Eigen::MatrixXd numericalJacobian(const VectorFunction& fn, const Eigen::VectorXd& x, double relativeStep = 1e-6);

class ExtendedKalmanFilter {
public:
    ExtendedKalmanFilter(Eigen::VectorXd x0, Eigen::MatrixXd P0);

    // An empty `jacobian` means: compute it numerically.
    void predict(const VectorFunction& f, const JacobianFunction& jacobian, const Eigen::MatrixXd& Q);
    void update(const Eigen::VectorXd& z, const VectorFunction& h, const JacobianFunction& jacobian,
                const Eigen::MatrixXd& R);

    const Eigen::VectorXd& state() const { return s_.x; }
    const Eigen::MatrixXd& covariance() const { return s_.P; }
    // For filters whose state lives on a manifold (a unit quaternion): re-project after a step.
    GaussianState& mutableState() { return s_; }

private:
    GaussianState s_;
};

} // namespace nesy::kalman
