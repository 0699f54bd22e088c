#pragma once
// A named quantity of a tracking filter's state, for rules over it ("speed <= vmax"): one state
// component, the Euclidean norm of several (speed = |[vx, vy]|), or an angle of an orientation
// quaternion. The names follow each filter's state layout: kalman.linear and kalman.neural
// [x, y, vx, vy]; kalman.ekf [x, y, speed, heading]; kalman.orientation_ekf the quaternion
// [w, x, y, z], read as the azimuth and elevation (degrees) its error metric scores.
#include <Eigen/Core>
#include <string>
#include <vector>

namespace nesy::kalman {

struct StateQuantity {
    enum class Kind {
        Component,    // the single component's signed value
        Norm,         // |components|
        AzimuthDeg,   // azimuthElevationDeg of the quaternion in components [w, x, y, z]
        ElevationDeg,
    };

    std::string name;
    std::vector<Eigen::Index> components;
    Kind kind = Kind::Component;
    // > 0 for an angle that wraps at this period (azimuth, 360 deg): a rate is taken on the
    // unwrapped sequence, so crossing +-180 is a small step, not a jump of 360.
    double period = 0.0;

    double of(const Eigen::VectorXd& state) const;

    // The quantity along a run of states; with `continuous`, a periodic one is unwrapped (each step
    // taken as the shortest way round), which is what a bound on its rate needs.
    Eigen::VectorXd along(const std::vector<Eigen::VectorXd>& states, bool continuous) const;
};

// The quantities `filterType`'s state offers, in a fixed order (empty for a filter without one).
std::vector<std::string> stateQuantityNames(const std::string& filterType);

// Throws std::invalid_argument naming the filter and the quantities it has for an unknown name.
StateQuantity stateQuantity(const std::string& filterType, const std::string& name);

} // namespace nesy::kalman
