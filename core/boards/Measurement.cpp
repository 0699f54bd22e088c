#include "Measurement.h"
#include "graph/JsonReader.h"

namespace nesy {

namespace {
const std::pair<FaultKind, const char*> kFaults[] = {
    {FaultKind::None, "none"},
    {FaultKind::FlashOverflow, "flash-overflow"},
    {FaultKind::RamOverflow, "ram-overflow"},
    {FaultKind::UnsupportedOperation, "unsupported-operation"},
    {FaultKind::RuntimeFault, "runtime-fault"},
    {FaultKind::Timeout, "timeout"},
    {FaultKind::Disconnected, "disconnected"},
    {FaultKind::Cancelled, "cancelled"},
};
}

std::string faultKindName(FaultKind k)
{
    for (auto& [kind, name] : kFaults)
        if (kind == k) return name;
    return "?";
}

std::optional<FaultKind> faultKindFromName(const std::string& name)
{
    for (auto& [kind, n] : kFaults)
        if (name == n) return kind;
    return std::nullopt;
}

Json Measurement::toJson() const
{
    return Json{{"board", boardId},       {"fault", faultKindName(fault)},     {"detail", detail},
                {"flash_bytes", flashBytes}, {"sram_static_bytes", sramStaticBytes}, {"peak_stack_bytes", peakStackBytes},
                {"latency_ms", latencyMs},  {"cycles", cycles}};
}

Measurement Measurement::fromJson(const Json& j)
{
    JsonReader r(j);
    Measurement m;
    m.boardId = r.at("board").asString();
    auto f = r.at("fault");
    auto kind = faultKindFromName(f.asString());
    if (!kind)
        f.fail("unknown fault kind \"" + f.asString() + "\"");
    m.fault = *kind;
    m.detail = r.optString("detail", "");
    m.flashBytes = r.optInteger("flash_bytes", -1);
    m.sramStaticBytes = r.optInteger("sram_static_bytes", -1);
    m.peakStackBytes = r.optInteger("peak_stack_bytes", -1);
    m.latencyMs = r.optNumber("latency_ms", -1);
    m.cycles = r.optInteger("cycles", -1);
    return m;
}

} // namespace nesy
