#pragma once
// Minimises a smooth function inside a box with projected L-BFGS (the L-BFGS-B idea without its
// Cauchy-point machinery: directions that push into an active bound are cut, steps are projected,
// Armijo backtracking). Small and dependable for the GP's handful of log-hyperparameters.
#include <Eigen/Dense>
#include <functional>

namespace nesy {

// f returns the value and writes the gradient; a non-finite value means "not allowed here".
using GradientFunction = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& gradient)>;

struct MinimizeResult {
    Eigen::VectorXd x;
    double value = 0;
    int evaluations = 0;
};

MinimizeResult minimizeInBox(const GradientFunction& f, Eigen::VectorXd x0, const Eigen::VectorXd& lower,
                             const Eigen::VectorXd& upper, int maxIterations, int memory = 6);

} // namespace nesy
