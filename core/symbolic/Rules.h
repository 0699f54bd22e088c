#pragma once
// Rules that constrain a model's outputs: each counts its violations in one trial, and the count
// becomes an objective term with its own weight ("rule:<name>"), or, for the movement channel,
// physics knowledge is handed to the model as an extra input channel.
#include <Eigen/Core>
#include <cmath>
#include <string>
#include <vector>

namespace nesy::symbolic {

// A stream of decisions (class indices) with the time of each, in seconds, non-decreasing.
struct TimedDecisions {
    std::vector<double> times;
    std::vector<int> decisions;
};

struct ViolationCount {
    int violations = 0;
    int checked = 0; // events or samples the rule judged
    double rate() const { return checked ? static_cast<double>(violations) / checked : 0.0; }
};

// "An event `first` is followed by `then` within `withinSeconds`." An event is a run of consecutive
// `first` decisions; it is satisfied when a `then` decision occurs at most `withinSeconds` after the
// run's last sample. An event too close to the end of the stream to be judged is not counted.
struct SequenceRule {
    int first = 0;
    int then = 0;
    double withinSeconds = 3.0;

    ViolationCount count(const TimedDecisions& stream) const; // throws on mismatched lengths or time going back
};

// "The value stays within [min, max]" (for example speed <= vmax). Every sample is checked.
struct BoundRule {
    double min = -INFINITY;
    double max = INFINITY;

    ViolationCount count(const Eigen::VectorXd& values) const;
};

// "The value changes no faster than maxRate per second" (for example an orientation change bounded
// by the gyroscope's range). Each step between consecutive samples is checked.
struct RateBoundRule {
    double maxRate = INFINITY;

    ViolationCount count(const Eigen::VectorXd& values, const std::vector<double>& times) const;
};

// The movement-detected physics channel: appends a column that is 1 where the magnitude of the
// gyroscope columns exceeds `threshold`, else 0. Window layout: rows = samples, columns = channels.
// The one definition of its math: the engine, the code generator's reference and (through
// codegen's equivalence tests) the generated C follow apply(): in double, the squares summed in
// gyroColumns order, sqrt(sum) > threshold.
struct MovementChannel {
    std::vector<int> gyroColumns{3, 4, 5};
    double threshold = 0.5;

    Eigen::MatrixXd apply(const Eigen::MatrixXd& window) const; // throws if a gyro column is missing
    // A float window [length x channels], time-major, as [length x (channels + 1)].
    std::vector<float> apply(const float* window, int length, int channels) const;
};

// Maps class names to indices for rules written with names ("falling", "lying").
int classIndex(const std::vector<std::string>& classNames, const std::string& name);

} // namespace nesy::symbolic
