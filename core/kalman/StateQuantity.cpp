#include "StateQuantity.h"
#include "OrientationEkf.h"
#include <cmath>
#include <stdexcept>

namespace nesy::kalman {

namespace {

using Kind = StateQuantity::Kind;

std::vector<StateQuantity> quantitiesOf(const std::string& filterType)
{
    if (filterType == "kalman.linear" || filterType == "kalman.neural")
        return {{"x", {0}}, {"y", {1}}, {"vx", {2}}, {"vy", {3}}, {"speed", {2, 3}, Kind::Norm}};
    if (filterType == "kalman.ekf")
        return {{"x", {0}}, {"y", {1}}, {"speed", {2}, Kind::Norm}, {"heading", {3}}};
    if (filterType == "kalman.orientation_ekf")
        return {{"azimuth", {0, 1, 2, 3}, Kind::AzimuthDeg, 360.0}, {"elevation", {0, 1, 2, 3}, Kind::ElevationDeg}};
    return {};
}

} // namespace

double StateQuantity::of(const Eigen::VectorXd& state) const
{
    for (Eigen::Index c : components)
        if (c >= state.size())
            throw std::invalid_argument("state quantity \"" + name + "\": component " + std::to_string(c) +
                                        " is not in a state of " + std::to_string(state.size()));
    switch (kind) {
    case Kind::Component:
        return state[components.front()];
    case Kind::Norm: {
        double sum = 0.0;
        for (Eigen::Index c : components)
            sum += state[c] * state[c];
        return std::sqrt(sum);
    }
    case Kind::AzimuthDeg:
    case Kind::ElevationDeg: {
        const Eigen::Vector4d q(state[components[0]], state[components[1]], state[components[2]], state[components[3]]);
        return azimuthElevationDeg(q.normalized())[kind == Kind::AzimuthDeg ? 0 : 1];
    }
    }
    throw std::logic_error("state quantity \"" + name + "\": unknown kind");
}

Eigen::VectorXd StateQuantity::along(const std::vector<Eigen::VectorXd>& states, bool continuous) const
{
    Eigen::VectorXd values(Eigen::Index(states.size()));
    for (std::size_t k = 0; k < states.size(); ++k) {
        const double v = of(states[k]);
        const Eigen::Index i = Eigen::Index(k);
        // Shortest step from the previous (already unwrapped) value: remainder() is in [-period/2, period/2].
        values[i] = (continuous && period > 0 && k > 0) ? values[i - 1] + std::remainder(v - values[i - 1], period) : v;
    }
    return values;
}

std::vector<std::string> stateQuantityNames(const std::string& filterType)
{
    std::vector<std::string> names;
    for (const StateQuantity& q : quantitiesOf(filterType))
        names.push_back(q.name);
    return names;
}

StateQuantity stateQuantity(const std::string& filterType, const std::string& name)
{
    const std::vector<StateQuantity> all = quantitiesOf(filterType);
    if (all.empty())
        throw std::invalid_argument(filterType + " has no state quantities a rule can read");
    std::string known;
    for (const StateQuantity& q : all) {
        if (q.name == name)
            return q;
        known += (known.empty() ? "" : ", ") + q.name;
    }
    throw std::invalid_argument("\"" + name + "\" is not a quantity of " + filterType + "'s state (it has " + known + ")");
}

} // namespace nesy::kalman
