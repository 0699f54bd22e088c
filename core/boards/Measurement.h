#pragma once
// What a board reports for one candidate program. A fault means the candidate cannot be deployed
// there: the search gives it the hard penalty and never trains it.
#include "graph/Value.h"
#include <cstdint>
#include <optional>
#include <string>

namespace nesy {

// Cancelled: the measurement was stopped on request, which says nothing about the candidate
// (unlike Timeout: the board did not answer in time).
enum class FaultKind { None, FlashOverflow, RamOverflow, UnsupportedOperation, RuntimeFault, Timeout, Disconnected, Cancelled };

std::string faultKindName(FaultKind k); // "flash-overflow", ...
std::optional<FaultKind> faultKindFromName(const std::string& name);

struct Measurement {
    std::string boardId;
    FaultKind fault = FaultKind::None;
    std::string detail;
    std::int64_t flashBytes = -1;       // program + constants
    std::int64_t sramStaticBytes = -1;  // .data + .bss (arena, state)
    std::int64_t peakStackBytes = -1;
    double latencyMs = -1;
    std::int64_t cycles = -1;

    bool ok() const { return fault == FaultKind::None; }
    std::int64_t sramBytes() const { return sramStaticBytes < 0 ? -1 : sramStaticBytes + std::max<std::int64_t>(peakStackBytes, 0); }
    Json toJson() const;
    static Measurement fromJson(const Json& j);
};

} // namespace nesy
