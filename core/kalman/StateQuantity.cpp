#include "StateQuantity.h"
#include <cmath>
#include <stdexcept>

namespace nesy::kalman {

namespace {

std::vector<StateQuantity> quantitiesOf(const std::string& filterType)
{
    if (filterType == "kalman.linear" || filterType == "kalman.neural")
        return {{"x", {0}}, {"y", {1}}, {"vx", {2}}, {"vy", {3}}, {"speed", {2, 3}, true}};
    if (filterType == "kalman.ekf")
        return {{"x", {0}}, {"y", {1}}, {"speed", {2}, true}, {"heading", {3}}};
    return {};
}

} // namespace

double StateQuantity::of(const Eigen::VectorXd& state) const
{
    double sum = 0.0;
    for (Eigen::Index c : components) {
        if (c >= state.size())
            throw std::invalid_argument("state quantity \"" + name + "\": component " + std::to_string(c) +
                                        " is not in a state of " + std::to_string(state.size()));
        sum += state[c] * state[c];
    }
    return norm ? std::sqrt(sum) : state[components.front()];
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
