#pragma once
// Multi-objective views of a search: non-dominated sorting (all objectives minimised) and the
// hypervolume a front dominates up to a reference point.
#include "TrialRecord.h"
#include <vector>

namespace nesy {

using ObjectivePoint = std::vector<double>;

// Fronts of indices into `points`: front 0 is non-dominated, front 1 is non-dominated once front 0
// is removed, and so on. Every point must have the same number of objectives.
std::vector<std::vector<int>> nonDominatedSort(const std::vector<ObjectivePoint>& points);

// Volume dominated by `points` and bounded by `reference` (points not below it in every objective
// contribute only their part inside the box).
double hypervolume(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference);

struct ParetoFront {
    std::vector<std::string> objectives; // as asked: "error", "flash" ...
    std::vector<TrialRecord> trials;     // the non-dominated trials, sorted by the first objective
    std::vector<ObjectivePoint> points;  // their objective values
    ObjectivePoint reference;            // per objective: worst value + 10% of the range
    double hypervolume = 0;
};

// The front among finished Ok trials that have every objective (see objectiveValue()).
ParetoFront paretoFront(const std::vector<TrialRecord>& trials, const std::vector<std::string>& objectives);

} // namespace nesy
