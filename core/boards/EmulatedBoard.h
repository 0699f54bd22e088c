#pragma once
// A board measured by building the candidate's C code with arm-none-eabi-gcc for the board's core
// and memory map, and running one inference on qemu-system-arm: flash and static SRAM from the
// linked image, peak stack by stack painting, latency from the instructions counted by a TCG
// plugin between two markers times the core's cycles per instruction over the clock.
#include "boards/ArmToolchain.h"
#include "boards/Board.h"
#include "boards/TempDirectory.h"
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

namespace nesy {

struct EmulatorOptions {
    std::chrono::milliseconds compileTimeout{60000};
    std::chrono::milliseconds runTimeout{20000};
    std::string optimization = "-O2";
    bool keepBuildDirectory = false; // leave the firmware folder in the temp directory (debugging)
    // Outputs must match the host's within this relative tolerance (float kernels may round
    // differently on the FPU; int8 outputs are dequantized from identical integers).
    double outputTolerance = 1e-4;
};

// What one firmware build and run produced, before it is turned into a Measurement.
struct EmulationReport {
    std::int64_t instructions = -1;
    std::vector<float> outputs;
    std::string log; // compiler and emulator output, for details
    // Where the time went (seconds): compiling, linking and sizing, running on the emulator.
    double compileSeconds = 0, linkSeconds = 0, runSeconds = 0;
};

class EmulatedBoard final : public Board {
public:
    EmulatedBoard(BoardProfile profile, ArmToolchain toolchain, EmulatorOptions options = {});

    std::string id() const override { return "emu:" + profile_.id; }
    BoardKind kind() const override { return BoardKind::Emulated; }
    const BoardProfile& profile() const override { return profile_; }
    BoardState state() const override;
    std::string stateDetail() const override { return unavailableReason_; }

    // Throws std::runtime_error when the board is unavailable or the generated code does not compile
    // (a bug, not a property of the candidate); every property of the candidate is a Measurement.
    Measurement measure(const CandidateProgram& program, const StopToken& stop) override;

    // The same, also returning the raw instruction count and outputs (for calibration and tests).
    Measurement measure(const CandidateProgram& program, const StopToken& stop, EmulationReport& report);

private:
    std::vector<std::string> compileCommand(const std::vector<std::string>& files) const;
    // startup.o and harness.o do not depend on the candidate: compiled once per board, on first use.
    // Their folder; nullptr when cancelled or timed out.
    const std::filesystem::path* harnessObjects(const StopToken& stop);

    BoardProfile profile_;
    ArmToolchain toolchain_;
    EmulatorOptions options_;
    std::string unavailableReason_;
    std::atomic<int> busy_{0};
    std::mutex harnessMutex_;
    std::unique_ptr<TempDirectory> harnessDir_; // set once its objects are built
};

} // namespace nesy
