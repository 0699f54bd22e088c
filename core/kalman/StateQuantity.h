#pragma once
// A named quantity of a tracking filter's state, for rules over it ("speed <= vmax"): one state
// component, or the Euclidean norm of several (speed = |[vx, vy]|). The names follow each filter's
// state layout: kalman.linear and kalman.neural [x, y, vx, vy]; kalman.ekf [x, y, speed, heading].
#include <Eigen/Core>
#include <string>
#include <vector>

namespace nesy::kalman {

struct StateQuantity {
    std::string name;
    std::vector<Eigen::Index> components;
    bool norm = false; // |components| rather than the single component's signed value

    double of(const Eigen::VectorXd& state) const;
};

// The quantities `filterType`'s state offers, in a fixed order (empty for a filter without one).
std::vector<std::string> stateQuantityNames(const std::string& filterType);

// Throws std::invalid_argument naming the filter and the quantities it has for an unknown name.
StateQuantity stateQuantity(const std::string& filterType, const std::string& name);

} // namespace nesy::kalman
