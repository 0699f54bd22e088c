#include "BoundedMinimizer.h"
#include <cmath>
#include <deque>
#include <limits>

namespace nesy {

namespace {

// Zeroes the components of d that would leave the box at once.
void cutAtBounds(Eigen::VectorXd& d, const Eigen::VectorXd& x, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi)
{
    for (Eigen::Index i = 0; i < d.size(); ++i)
        if ((x[i] <= lo[i] && d[i] < 0) || (x[i] >= hi[i] && d[i] > 0))
            d[i] = 0;
}

} // namespace

MinimizeResult minimizeInBox(const GradientFunction& f, Eigen::VectorXd x0, const Eigen::VectorXd& lower,
                             const Eigen::VectorXd& upper, int maxIterations, int memory)
{
    MinimizeResult r;
    Eigen::VectorXd x = x0.cwiseMax(lower).cwiseMin(upper);
    Eigen::VectorXd g(x.size());
    double fx = f(x, g);
    r.evaluations = 1;
    if (!std::isfinite(fx))
        return {x, std::numeric_limits<double>::infinity(), 1};
    std::deque<std::pair<Eigen::VectorXd, Eigen::VectorXd>> history; // (s, y)

    for (int it = 0; it < maxIterations; ++it) {
        // Two-loop recursion for d = -H g.
        Eigen::VectorXd q = g;
        std::vector<double> a(history.size());
        for (int i = int(history.size()) - 1; i >= 0; --i) {
            const auto& [s, y] = history[std::size_t(i)];
            a[std::size_t(i)] = s.dot(q) / y.dot(s);
            q -= a[std::size_t(i)] * y;
        }
        if (!history.empty()) {
            const auto& [s, y] = history.back();
            q *= s.dot(y) / y.dot(y);
        } else {
            q *= 1.0 / std::max(1.0, g.lpNorm<Eigen::Infinity>()); // first step of at most 1 per unit
        }
        for (std::size_t i = 0; i < history.size(); ++i) {
            const auto& [s, y] = history[i];
            double b = y.dot(q) / y.dot(s);
            q += s * (a[i] - b);
        }
        Eigen::VectorXd d = -q;
        cutAtBounds(d, x, lower, upper);
        if (g.dot(d) >= 0) { // not a descent direction once projected: fall back to steepest descent
            history.clear();
            d = -g / std::max(1.0, g.lpNorm<Eigen::Infinity>());
            cutAtBounds(d, x, lower, upper);
            if (g.dot(d) >= 0)
                break; // stationary on the box
        }
        double t = 1;
        Eigen::VectorXd xNew, gNew(x.size());
        double fNew = 0;
        bool accepted = false;
        for (int back = 0; back < 20; ++back, t *= 0.5) {
            xNew = (x + t * d).cwiseMax(lower).cwiseMin(upper);
            fNew = f(xNew, gNew);
            ++r.evaluations;
            if (std::isfinite(fNew) && fNew <= fx + 1e-4 * g.dot(xNew - x)) {
                accepted = true;
                break;
            }
        }
        if (!accepted)
            break;
        Eigen::VectorXd s = xNew - x, y = gNew - g;
        double improvement = fx - fNew;
        x = xNew;
        g = gNew;
        fx = fNew;
        if (s.dot(y) > 1e-10) {
            history.emplace_back(s, y);
            if (int(history.size()) > memory)
                history.pop_front();
        }
        if (improvement < 1e-9 * (1 + std::abs(fx)) && s.lpNorm<Eigen::Infinity>() < 1e-6)
            break;
    }
    r.x = x;
    r.value = fx;
    return r;
}

} // namespace nesy
