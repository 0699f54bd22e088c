#include "MemoryPlanner.h"
#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace nesy::codegen {

namespace {
bool livesOverlap(const BufferRequest& a, const BufferRequest& b)
{
    return a.firstStep <= b.lastStep && b.firstStep <= a.lastStep;
}

std::int64_t alignUp(std::int64_t v, std::int64_t a)
{
    return (v + a - 1) / a * a;
}
} // namespace

MemoryPlan planMemory(const std::vector<BufferRequest>& buffers, std::int64_t alignment)
{
    for (const auto& b : buffers)
        if (b.bytes < 0 || b.lastStep < b.firstStep)
            throw std::invalid_argument("buffer " + b.name + ": negative size or a lifetime that ends before it starts");
    std::vector<std::size_t> order(buffers.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return buffers[a].bytes > buffers[b].bytes; });

    MemoryPlan plan;
    plan.offsets.assign(buffers.size(), 0);
    std::vector<std::size_t> placed;
    for (std::size_t i : order) {
        // Intervals taken by already placed buffers that are live at the same time, by offset.
        std::vector<std::pair<std::int64_t, std::int64_t>> taken;
        for (std::size_t j : placed)
            if (livesOverlap(buffers[i], buffers[j]) && buffers[j].bytes > 0)
                taken.emplace_back(plan.offsets[j], plan.offsets[j] + buffers[j].bytes);
        std::sort(taken.begin(), taken.end());
        std::int64_t offset = 0;
        for (const auto& [start, end] : taken) {
            if (offset + buffers[i].bytes <= start)
                break;
            offset = std::max(offset, alignUp(end, alignment));
        }
        plan.offsets[i] = offset;
        plan.arenaBytes = std::max(plan.arenaBytes, alignUp(offset + buffers[i].bytes, alignment));
        placed.push_back(i);
    }
    return plan;
}

std::string findPlanConflict(const std::vector<BufferRequest>& buffers, const MemoryPlan& plan)
{
    for (std::size_t i = 0; i < buffers.size(); ++i) {
        if (plan.offsets[i] < 0 || plan.offsets[i] + buffers[i].bytes > plan.arenaBytes)
            return buffers[i].name + " lies outside the arena";
        for (std::size_t j = i + 1; j < buffers.size(); ++j) {
            if (!livesOverlap(buffers[i], buffers[j]) || buffers[i].bytes == 0 || buffers[j].bytes == 0)
                continue;
            bool disjoint = plan.offsets[i] + buffers[i].bytes <= plan.offsets[j] ||
                            plan.offsets[j] + buffers[j].bytes <= plan.offsets[i];
            if (!disjoint)
                return buffers[i].name + " and " + buffers[j].name + " are live together but share bytes";
        }
    }
    return {};
}

} // namespace nesy::codegen
