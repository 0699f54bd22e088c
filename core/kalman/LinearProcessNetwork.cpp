#include "LinearProcessNetwork.h"
#include <cmath>
#include <stdexcept>
#include <string>

namespace nesy::kalman {

LinearProcessNetwork::LinearProcessNetwork(Eigen::MatrixXd W, Eigen::VectorXd b) : W_(std::move(W)), b_(std::move(b))
{
    if (b_.size() != W_.rows())
        throw std::invalid_argument("linear network: bias of size " + std::to_string(b_.size()) + " for " +
                                    std::to_string(W_.rows()) + " outputs");
}

LinearProcessNetwork LinearProcessNetwork::fit(const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& targets, double ridge)
{
    if (inputs.rows() != targets.rows() || inputs.rows() == 0)
        throw std::invalid_argument("linear network fit: " + std::to_string(inputs.rows()) + " input rows for " +
                                    std::to_string(targets.rows()) + " target rows");
    Eigen::MatrixXd X(inputs.rows(), inputs.cols() + 1);
    X << inputs, Eigen::VectorXd::Ones(inputs.rows());
    Eigen::MatrixXd XtX = X.transpose() * X;
    XtX.diagonal().array() += ridge * (1.0 + XtX.diagonal().array());
    const Eigen::MatrixXd coef = XtX.ldlt().solve(X.transpose() * targets); // (cols + 1) x outputs
    return {coef.topRows(inputs.cols()).transpose(), coef.bottomRows(1).transpose()};
}

double rmsError(const ProcessNetwork& net, const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& targets)
{
    double sum = 0.0;
    for (Eigen::Index i = 0; i < inputs.rows(); ++i)
        sum += (net.output(inputs.row(i).transpose()) - targets.row(i).transpose()).squaredNorm();
    return std::sqrt(sum / static_cast<double>(targets.size()));
}

} // namespace nesy::kalman
