#pragma once
// The simplest process network: y = W u + b, fitted by least squares. A baseline for the
// neural-Kalman filter (a network without hidden layers) and a reference in tests; the trained
// networks come from the learning engine.
#include "NeuralKalman.h"

namespace nesy::kalman {

class LinearProcessNetwork : public ProcessNetwork {
public:
    LinearProcessNetwork(Eigen::MatrixXd W, Eigen::VectorXd b);
    // Least squares on rows of inputs and targets, with a small ridge for ill-conditioned features.
    static LinearProcessNetwork fit(const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& targets, double ridge = 1e-6);

    Eigen::Index inputSize() const override { return W_.cols(); }
    Eigen::Index outputSize() const override { return W_.rows(); }
    Eigen::VectorXd output(const Eigen::VectorXd& u) const override { return W_ * u + b_; }
    Eigen::MatrixXd jacobian(const Eigen::VectorXd&) const override { return W_; }

    const Eigen::MatrixXd& weights() const { return W_; }
    const Eigen::VectorXd& bias() const { return b_; }

private:
    Eigen::MatrixXd W_;
    Eigen::VectorXd b_;
};

// Root-mean-square error of a network over rows of inputs and targets (all outputs pooled).
double rmsError(const ProcessNetwork& net, const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& targets);

} // namespace nesy::kalman
