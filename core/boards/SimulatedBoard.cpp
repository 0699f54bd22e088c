#include "SimulatedBoard.h"
#include <cmath>
#include <stdexcept>

namespace nesy {

SimulatedBoard::SimulatedBoard(BoardProfile profile, CoreResourceModel model)
    : profile_(std::move(profile)), model_(std::move(model))
{
    if (model_.fit.is_object() && model_.fit.contains("core"))
        detail_ = "resource model calibrated on " + model_.fit["core"].get<std::string>();
}

Measurement SimulatedBoard::measure(const CandidateProgram& program, const StopToken&)
{
    ResourceEstimate e = model_.estimate(resourceTerms(program.summary));
    Measurement m;
    m.boardId = id();
    m.flashBytes = e.flashBytes;
    m.sramStaticBytes = e.sramStaticBytes;
    m.peakStackBytes = e.peakStackBytes;
    m.cycles = std::llround(e.instructions * profile_.cyclesPerInstruction);
    m.latencyMs = static_cast<double>(m.cycles) / profile_.clockHz * 1000.0;
    if (m.flashBytes > profile_.usableFlashBytes()) {
        m.fault = FaultKind::FlashOverflow;
        m.detail = "estimated flash " + std::to_string(m.flashBytes) + " bytes exceeds the " +
                   std::to_string(profile_.usableFlashBytes()) + " usable";
    } else if (m.sramBytes() > profile_.usableSramBytes()) {
        m.fault = FaultKind::RamOverflow;
        m.detail = "estimated SRAM " + std::to_string(m.sramBytes()) + " bytes exceeds the " +
                   std::to_string(profile_.usableSramBytes()) + " usable";
    } else {
        m.detail = "estimated by the " + profile_.core + " resource model";
    }
    return m;
}

CoreResourceModel resourceModelFor(const BoardProfile& profile, const std::map<std::string, CoreResourceModel>& models)
{
    if (auto it = models.find(profile.core); it != models.end())
        return it->second;
    if (auto it = models.find("cortex-m4"); it != models.end())
        return it->second;
    throw std::runtime_error("no resource model for core " + profile.core + " of board " + profile.id);
}

} // namespace nesy
