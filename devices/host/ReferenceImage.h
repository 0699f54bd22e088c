#pragma once
// Builds the reference firmware's program image (NSY1, devices/firmware/nesy_image.h): one dense
// layer with the resource figures the program declares. Tests, benchmarks and the CLI use it to
// exercise a board without a cross toolchain.
#include <cstdint>
#include <vector>

namespace nesy {

struct ReferenceProgram {
    int inputs = 0, outputs = 0;
    std::vector<float> weights; // outputs x inputs, row-major
    std::vector<float> bias;    // outputs
    bool relu = false;
    std::vector<std::vector<float>> testVectors; // each of `inputs` values, at most 255
    std::uint32_t flashBytes = 0, sramStaticBytes = 0, arenaBytes = 0, stackBytes = 0;

    std::vector<std::uint8_t> image() const;            // throws std::invalid_argument on bad shapes
    std::vector<float> run(const std::vector<float>& input) const; // what the board must answer
};

// A deterministic program of the given shape (weights from a fixed pseudo-random sequence).
ReferenceProgram makeReferenceProgram(int inputs, int outputs, std::uint32_t seed = 1);

} // namespace nesy
