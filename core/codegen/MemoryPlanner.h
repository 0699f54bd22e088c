#pragma once
// Places the activation buffers of a program in one static arena. A buffer is live from the step
// that writes it to the last step that reads it; buffers whose lifetimes overlap never share
// bytes, others may reuse the same bytes. Greedy: largest first, lowest offset that fits.
#include <cstdint>
#include <string>
#include <vector>

namespace nesy::codegen {

struct BufferRequest {
    std::string name;
    std::int64_t bytes = 0;
    int firstStep = 0; // written here
    int lastStep = 0;  // last read here (>= firstStep)
};

struct MemoryPlan {
    std::vector<std::int64_t> offsets; // per request, in request order
    std::int64_t arenaBytes = 0;
};

MemoryPlan planMemory(const std::vector<BufferRequest>& buffers, std::int64_t alignment = 8);

// Empty when no two buffers that are live at the same step share a byte; else the first clash.
std::string findPlanConflict(const std::vector<BufferRequest>& buffers, const MemoryPlan& plan);

} // namespace nesy::codegen
