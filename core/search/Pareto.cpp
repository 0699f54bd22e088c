#include "Pareto.h"
#include <algorithm>
#include <numeric>

namespace nesy {

namespace {

bool dominates(const ObjectivePoint& a, const ObjectivePoint& b)
{
    bool strictly = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] > b[i]) return false;
        if (a[i] < b[i]) strictly = true;
    }
    return strictly;
}

// Recursive slicing on the last objective (HSO): exact, fine for the front sizes a search produces.
double volume(std::vector<ObjectivePoint> pts, const ObjectivePoint& ref)
{
    const std::size_t d = ref.size();
    if (pts.empty()) return 0;
    if (d == 1) {
        double best = ref[0];
        for (const auto& p : pts) best = std::min(best, p[0]);
        return ref[0] - best;
    }
    std::sort(pts.begin(), pts.end(), [&](const auto& a, const auto& b) { return a[d - 1] < b[d - 1]; });
    double total = 0;
    std::vector<ObjectivePoint> slice;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        slice.push_back(ObjectivePoint(pts[i].begin(), pts[i].end() - 1));
        double top = i + 1 < pts.size() ? pts[i + 1][d - 1] : ref[d - 1];
        double depth = top - pts[i][d - 1];
        if (depth > 0)
            total += depth * volume(slice, ObjectivePoint(ref.begin(), ref.end() - 1));
    }
    return total;
}

} // namespace

std::vector<std::vector<int>> nonDominatedSort(const std::vector<ObjectivePoint>& points)
{
    const int n = int(points.size());
    std::vector<std::vector<int>> dominated(static_cast<std::size_t>(n));
    std::vector<int> count(std::size_t(n), 0);
    std::vector<std::vector<int>> fronts(1);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            if (dominates(points[std::size_t(i)], points[std::size_t(j)])) dominated[std::size_t(i)].push_back(j);
            else if (dominates(points[std::size_t(j)], points[std::size_t(i)])) ++count[std::size_t(i)];
        }
        if (count[std::size_t(i)] == 0)
            fronts[0].push_back(i);
    }
    for (std::size_t f = 0; !fronts[f].empty(); ++f) {
        std::vector<int> next;
        for (int i : fronts[f])
            for (int j : dominated[std::size_t(i)])
                if (--count[std::size_t(j)] == 0)
                    next.push_back(j);
        std::sort(next.begin(), next.end());
        fronts.push_back(next);
    }
    fronts.pop_back(); // the empty sentinel
    return fronts;
}

double hypervolume(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference)
{
    std::vector<ObjectivePoint> inside;
    for (const auto& p : points) {
        ObjectivePoint c(p.size());
        bool contributes = true;
        for (std::size_t i = 0; i < p.size(); ++i) {
            c[i] = std::min(p[i], reference[i]);
            if (p[i] >= reference[i]) contributes = false;
        }
        if (contributes)
            inside.push_back(c);
    }
    return volume(inside, reference);
}

ParetoFront paretoFront(const std::vector<TrialRecord>& trials, const std::vector<std::string>& objectives)
{
    ParetoFront front;
    front.objectives = objectives;
    std::vector<const TrialRecord*> considered;
    std::vector<ObjectivePoint> points;
    for (const auto& t : trials) {
        if (t.status != TrialStatus::Ok)
            continue;
        ObjectivePoint p;
        for (const auto& o : objectives)
            if (auto v = objectiveValue(t, o))
                p.push_back(*v);
        if (p.size() != objectives.size())
            continue;
        considered.push_back(&t);
        points.push_back(p);
    }
    if (points.empty())
        return front;
    // Reference: the worst value plus a tenth of the range, so the extreme points count too.
    ObjectivePoint lo = points[0], hi = points[0];
    for (const auto& p : points)
        for (std::size_t i = 0; i < p.size(); ++i) {
            lo[i] = std::min(lo[i], p[i]);
            hi[i] = std::max(hi[i], p[i]);
        }
    front.reference.resize(hi.size());
    for (std::size_t i = 0; i < hi.size(); ++i) {
        double range = hi[i] - lo[i];
        front.reference[i] = hi[i] + (range > 0 ? 0.1 * range : std::max(0.1 * std::abs(hi[i]), 1e-9));
    }
    auto fronts = nonDominatedSort(points);
    std::vector<int> best = fronts.front();
    std::sort(best.begin(), best.end(), [&](int a, int b) {
        return points[std::size_t(a)] < points[std::size_t(b)];
    });
    for (int i : best) {
        front.trials.push_back(*considered[std::size_t(i)]);
        front.points.push_back(points[std::size_t(i)]);
    }
    front.hypervolume = hypervolume(front.points, front.reference);
    return front;
}

} // namespace nesy
