#pragma once
// Builds the linked program image (NSY2, devices/firmware/nesy_image.h, docs/protocol.md) of a
// candidate for the architecture a USB board reports in BOARD_INFO, from its generated C
// (CandidateProgram::sources):
// - armv7em: arm-none-eabi-gcc links the program at the board's program area (code) and program
//   RAM (.data, .bss) with the entry table first; the firmware copies .data, zeroes .bss and calls
//   the entry.
// - host-so (the emulated board of the tests): the host C compiler builds a shared object that the
//   emulated firmware's port dlopens; the declared figures still come from an arm-none-eabi-gcc
//   build for the board's core when that toolchain is installed (the board's numbers, not the
//   host's), else from the shared object.
// The header also carries the candidate's test input as the on-device test vector.
#include "boards/Board.h"
#include "boards/BoardProfile.h"
#include "boards/Measurement.h"
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nesy {

// Where the board puts a linked program (BOARD_INFO's image fields).
struct ProgramImageTarget {
    std::uint8_t arch = 0;                  // nesy_image_arch
    std::uint32_t programAreaAddress = 0;   // the image's first byte once deployed
    std::uint32_t programAreaBytes = 0;
    std::uint32_t ramAddress = 0, ramBytes = 0; // .data and .bss (0 bytes: the port places them)
};

struct ProgramImageOptions {
    std::chrono::milliseconds compileTimeout{60000};
    std::string optimization = "-O2";  // as the emulated boards compile
    std::string hostCompiler;          // empty: $CC, else "cc"
};

struct ProgramImage {
    std::vector<std::uint8_t> bytes;
    std::uint32_t flashBytes = 0, sramStaticBytes = 0, arenaBytes = 0, stackBytes = 0; // declared
    std::string figuresFrom; // which build the declared figures come from (for logs and docs)
};

// An image, or why none was built: cancelled, timed out, or the program needs a function the
// board's C library lacks (UnsupportedOperation).
struct ProgramImageBuild {
    std::optional<ProgramImage> image;
    FaultKind fault = FaultKind::None;
    std::string detail;
};

// "armv7em", "host-so", "none", or "arch <n>".
std::string imageArchName(std::uint8_t arch);

// Throws std::runtime_error when the sources lack nesy_program.c/.h, do not compile (a generator
// bug, with the compiler's output), or the architecture is not one this host can build for.
ProgramImageBuild buildProgramImage(const CandidateProgram& program, const BoardProfile& board,
                                    const ProgramImageTarget& target, const StopToken* stop = nullptr,
                                    const ProgramImageOptions& options = {});

// The NSY2 header and test vectors in front of code (exposed for tests that craft images).
struct LinkedLayout {
    std::uint8_t arch = 0;
    std::uint16_t inputs = 0, outputs = 0;
    std::vector<float> testVector; // empty or `inputs` values
    std::uint32_t loadAddress = 0, entryOffset = 0;
    std::uint32_t dataOffset = 0, dataBytes = 0, dataAddress = 0, bssBytes = 0, bssAddress = 0;
    std::uint32_t flashBytes = 0, sramStaticBytes = 0, arenaBytes = 0, stackBytes = 0;
};
std::uint32_t linkedCodeOffset(std::uint16_t inputs, std::size_t vectors); // 8-aligned, after the vectors
std::vector<std::uint8_t> assembleLinkedImage(const LinkedLayout& layout, const std::vector<std::uint8_t>& code);

} // namespace nesy
