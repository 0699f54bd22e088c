#pragma once
// Where the GNU Arm toolchain, QEMU and the instruction-counting plugin are, and the compiler
// flags for a board's core. Emulated boards are unavailable (with this reason) when any is missing.
#include "boards/BoardProfile.h"
#include <filesystem>
#include <string>
#include <vector>

namespace nesy {

struct ArmToolchain {
    std::filesystem::path gcc;    // arm-none-eabi-gcc
    std::filesystem::path size;   // arm-none-eabi-size
    std::filesystem::path qemu;   // qemu-system-arm
    std::filesystem::path plugin; // the nesy instruction-counting TCG plugin (shared library)
    std::string problem;          // empty when everything was found; else what is missing

    bool available() const { return problem.empty(); }

    // Looks on PATH; the plugin at $NESY_QEMU_PLUGIN, beside the installed binaries, or in the build tree.
    static ArmToolchain locate();
};

// -mcpu/-mfpu/-mfloat-abi for the profile's core; throws std::invalid_argument for cores gcc cannot target.
std::vector<std::string> armCpuFlags(const BoardProfile& profile);

} // namespace nesy
