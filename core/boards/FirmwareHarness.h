#pragma once
// The fixed parts of an emulated board's firmware around a generated program: startup code and
// vector table, the measuring harness (stack painting, marker calls, semihosting output) and the
// linker script for the board's memory map.
//
// Contract with the generated program (see docs/codegen.md): nesy_program.h defines
// NESY_PROGRAM_INPUT_SIZE and NESY_PROGRAM_OUTPUT_SIZE and declares
// void nesy_program_run(const float* input, float* output).
#include "boards/BoardProfile.h"
#include <cstdint>
#include <string>
#include <vector>

namespace nesy {

// Where the emulated machine's RAM is split up. The board's flash and SRAM are regions of exactly
// the usable size, so a link overflow is the board's overflow; the harness and the test vectors
// live in separate regions that the board's budget does not pay for.
struct EmulatedMemoryMap {
    std::uint32_t harnessOrigin = 0x00000000, harnessLength = 0x00100000;
    std::uint32_t flashOrigin = 0x00100000, flashLimit = 0x00400000;  // ZBT SSRAM1 ends at 4 MB
    std::uint32_t ramOrigin = 0x20000000, ramLimit = 0x20200000;
    std::uint32_t harnessRamOrigin = 0x20200000, harnessRamLength = 0x00200000; // SSRAM2/3 ends at 0x20400000
};

// Empty when the profile fits the emulated machine; otherwise why not.
std::string emulatedMemoryProblem(const BoardProfile& profile, const EmulatedMemoryMap& map = {});

std::string harnessStartupSource();
std::string harnessMainSource();
std::string harnessTestDataHeader(const std::vector<float>& input);
// testdata.c: the candidate-dependent part of the harness (test input, output buffer), so that
// startup.c and harness.c compile once per board.
std::string harnessTestDataSource();
std::string harnessLinkerScript(const BoardProfile& profile, const EmulatedMemoryMap& map = {});

// Names of the marker functions the instruction counter watches (placed at fixed addresses).
inline constexpr std::uint32_t kMarkerBeginAddress = 0x000FFF00;
inline constexpr std::uint32_t kMarkerEndAddress = 0x000FFF40;

} // namespace nesy
