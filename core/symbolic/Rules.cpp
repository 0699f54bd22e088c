#include "Rules.h"
#include <cmath>
#include <stdexcept>

namespace nesy::symbolic {

ViolationCount SequenceRule::count(const TimedDecisions& s) const
{
    if (s.times.size() != s.decisions.size())
        throw std::invalid_argument("sequence rule: " + std::to_string(s.times.size()) + " times for " +
                                    std::to_string(s.decisions.size()) + " decisions");
    for (std::size_t i = 1; i < s.times.size(); ++i)
        if (s.times[i] < s.times[i - 1])
            throw std::invalid_argument("sequence rule: time goes back at decision " + std::to_string(i));
    ViolationCount c;
    const std::size_t n = s.decisions.size();
    std::size_t i = 0;
    while (i < n) {
        if (s.decisions[i] != first) {
            ++i;
            continue;
        }
        std::size_t last = i;
        while (last + 1 < n && s.decisions[last + 1] == first) ++last;
        const double deadline = s.times[last] + withinSeconds;
        bool satisfied = false;
        std::size_t j = last + 1;
        for (; j < n && s.times[j] <= deadline; ++j)
            if (s.decisions[j] == then) {
                satisfied = true;
                break;
            }
        // Judged when satisfied, or when the stream runs past the deadline without `then`.
        const bool judged = satisfied || (n > 0 && s.times[n - 1] > deadline);
        if (judged) {
            ++c.checked;
            c.violations += !satisfied;
        }
        i = last + 1;
    }
    return c;
}

ViolationCount BoundRule::count(const Eigen::VectorXd& values) const
{
    ViolationCount c;
    c.checked = static_cast<int>(values.size());
    for (double v : values) c.violations += !(v >= min && v <= max); // NaN violates
    return c;
}

ViolationCount RateBoundRule::count(const Eigen::VectorXd& values, const std::vector<double>& times) const
{
    if (static_cast<std::size_t>(values.size()) != times.size())
        throw std::invalid_argument("rate bound rule: " + std::to_string(times.size()) + " times for " +
                                    std::to_string(values.size()) + " values");
    ViolationCount c;
    for (std::size_t i = 1; i < times.size(); ++i) {
        const double dt = times[i] - times[i - 1];
        if (dt <= 0) throw std::invalid_argument("rate bound rule: time does not advance at sample " + std::to_string(i));
        const double rate = std::abs(values[static_cast<Eigen::Index>(i)] - values[static_cast<Eigen::Index>(i - 1)]) / dt;
        ++c.checked;
        c.violations += !(rate <= maxRate);
    }
    return c;
}

Eigen::MatrixXd MovementChannel::apply(const Eigen::MatrixXd& window) const
{
    for (int col : gyroColumns)
        if (col < 0 || col >= window.cols())
            throw std::invalid_argument("movement channel: gyroscope column " + std::to_string(col) +
                                        " is not in a window of " + std::to_string(window.cols()) + " channels");
    Eigen::MatrixXd out(window.rows(), window.cols() + 1);
    out.leftCols(window.cols()) = window;
    for (Eigen::Index r = 0; r < window.rows(); ++r) {
        double sq = 0.0;
        for (int col : gyroColumns) sq += window(r, col) * window(r, col);
        out(r, window.cols()) = std::sqrt(sq) > threshold ? 1.0 : 0.0;
    }
    return out;
}

std::vector<float> MovementChannel::apply(const float* window, int length, int channels) const
{
    const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> w(window, length, channels);
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> extended = apply(w.cast<double>()).cast<float>();
    return {extended.data(), extended.data() + extended.size()};
}

int classIndex(const std::vector<std::string>& classNames, const std::string& name)
{
    for (std::size_t i = 0; i < classNames.size(); ++i)
        if (classNames[i] == name) return static_cast<int>(i);
    std::string known;
    for (const auto& c : classNames) known += (known.empty() ? "" : ", ") + c;
    throw std::invalid_argument("rule: no class named '" + name + "' (classes: " + known + ")");
}

} // namespace nesy::symbolic
