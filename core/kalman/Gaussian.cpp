#include "Gaussian.h"
#include <stdexcept>
#include <string>

namespace nesy::kalman {

void requireShape(const Eigen::MatrixXd& m, Eigen::Index rows, Eigen::Index cols, const char* what)
{
    if (m.rows() != rows || m.cols() != cols)
        throw std::invalid_argument(std::string(what) + " is " + std::to_string(m.rows()) + "x" +
                                    std::to_string(m.cols()) + ", expected " + std::to_string(rows) + "x" +
                                    std::to_string(cols));
}

Eigen::MatrixXd applyMeasurement(GaussianState& s, const Eigen::VectorXd& innovation, const Eigen::MatrixXd& H,
                                 const Eigen::MatrixXd& R)
{
    const Eigen::Index n = s.x.size();
    const Eigen::Index m = innovation.size();
    requireShape(H, m, n, "measurement Jacobian H");
    requireShape(R, m, m, "measurement noise R");
    const Eigen::MatrixXd PHt = s.P * H.transpose();
    const Eigen::MatrixXd S = H * PHt + R;
    const Eigen::LDLT<Eigen::MatrixXd> solver(S);
    if (solver.info() != Eigen::Success) throw std::runtime_error("Kalman update: innovation covariance is singular");
    const Eigen::MatrixXd K = solver.solve(PHt.transpose()).transpose();
    s.x += K * innovation;
    const Eigen::MatrixXd IKH = Eigen::MatrixXd::Identity(n, n) - K * H;
    s.P = IKH * s.P * IKH.transpose() + K * R * K.transpose();
    s.P = 0.5 * (s.P + s.P.transpose()).eval();
    return S;
}

} // namespace nesy::kalman
