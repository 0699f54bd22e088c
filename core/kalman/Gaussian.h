#pragma once
// The state every Kalman filter here carries, and the measurement update they all share.
#include <Eigen/Dense>

namespace nesy::kalman {

struct GaussianState {
    Eigen::VectorXd x; // mean
    Eigen::MatrixXd P; // covariance
};

// Corrects `s` with the innovation y = z - h(x) of a measurement with Jacobian H and noise R.
// Joseph form, then symmetrised: P stays symmetric positive definite over long runs in floating
// point, which the short form (I - K H) P does not guarantee. Returns the innovation covariance S.
Eigen::MatrixXd applyMeasurement(GaussianState& s, const Eigen::VectorXd& innovation, const Eigen::MatrixXd& H,
                                 const Eigen::MatrixXd& R);

// Throws std::invalid_argument naming `what` when a matrix has the wrong shape.
void requireShape(const Eigen::MatrixXd& m, Eigen::Index rows, Eigen::Index cols, const char* what);

} // namespace nesy::kalman
