#pragma once
// The built-in board that needs no toolchain: flash, SRAM and latency estimated from the
// candidate's summary with the core's calibrated ResourceModel, checked against the profile's
// usable flash and SRAM. Latency = estimated instructions x the core's CPI / clock, as on the
// emulated boards it is calibrated against.
#include "boards/Board.h"
#include "boards/ResourceModel.h"

namespace nesy {

class SimulatedBoard final : public Board {
public:
    SimulatedBoard(BoardProfile profile, CoreResourceModel model);

    std::string id() const override { return "sim:" + profile_.id; }
    BoardKind kind() const override { return BoardKind::Simulated; }
    const BoardProfile& profile() const override { return profile_; }
    BoardState state() const override { return BoardState::Ready; }
    std::string stateDetail() const override { return detail_; }
    Measurement measure(const CandidateProgram& program, const StopToken& stop) override;

private:
    BoardProfile profile_;
    CoreResourceModel model_;
    std::string detail_;
};

// The model for a profile's core from the bundled calibration: its own core's, else the
// Cortex-M4's (documented approximation for cores no emulator models, e.g. the ISPU).
CoreResourceModel resourceModelFor(const BoardProfile& profile, const std::map<std::string, CoreResourceModel>& models);

} // namespace nesy
