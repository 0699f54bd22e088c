#include "ExtendedKalman.h"
#include <algorithm>
#include <cmath>

namespace nesy::kalman {

Eigen::MatrixXd numericalJacobian(const VectorFunction& fn, const Eigen::VectorXd& x, double relativeStep)
{
    Eigen::MatrixXd J;
    for (Eigen::Index j = 0; j < x.size(); ++j) {
        const double h = relativeStep * std::max(1.0, std::abs(x[j]));
        Eigen::VectorXd up = x, down = x;
        up[j] += h;
        down[j] -= h;
        Eigen::VectorXd column = (fn(up) - fn(down)) / (2 * h);
        if (j == 0) J.resize(column.size(), x.size());
        J.col(j) = column;
    }
    return J;
}

ExtendedKalmanFilter::ExtendedKalmanFilter(Eigen::VectorXd x0, Eigen::MatrixXd P0) : s_{std::move(x0), std::move(P0)}
{
    requireShape(s_.P, s_.x.size(), s_.x.size(), "initial covariance P0");
}

void ExtendedKalmanFilter::predict(const VectorFunction& f, const JacobianFunction& jacobian, const Eigen::MatrixXd& Q)
{
    const Eigen::Index n = s_.x.size();
    const Eigen::MatrixXd F = jacobian ? jacobian(s_.x) : numericalJacobian(f, s_.x);
    requireShape(F, n, n, "process Jacobian F");
    requireShape(Q, n, n, "process noise Q");
    s_.x = f(s_.x);
    s_.P = F * s_.P * F.transpose() + Q;
    s_.P = 0.5 * (s_.P + s_.P.transpose()).eval();
}

void ExtendedKalmanFilter::update(const Eigen::VectorXd& z, const VectorFunction& h, const JacobianFunction& jacobian,
                                  const Eigen::MatrixXd& R)
{
    const Eigen::MatrixXd H = jacobian ? jacobian(s_.x) : numericalJacobian(h, s_.x);
    applyMeasurement(s_, z - h(s_.x), H, R);
}

} // namespace nesy::kalman
