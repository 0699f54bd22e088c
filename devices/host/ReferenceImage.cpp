#include "host/ReferenceImage.h"
#include "host/LittleEndian.h"
#include "firmware/nesy_image.h"
#include <cstring>
#include <stdexcept>
#include <string>

namespace nesy {

namespace {

void putF32(std::vector<std::uint8_t>& out, float f)
{
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    putU32(out, bits);
}

} // namespace

std::vector<std::uint8_t> ReferenceProgram::image() const
{
    if (inputs <= 0 || inputs > static_cast<int>(NESY_IMAGE_MAX_INPUTS))
        throw std::invalid_argument("reference program: inputs must be 1.." + std::to_string(NESY_IMAGE_MAX_INPUTS));
    if (outputs <= 0 || outputs > static_cast<int>(NESY_IMAGE_MAX_OUTPUTS))
        throw std::invalid_argument("reference program: outputs must be 1.." + std::to_string(NESY_IMAGE_MAX_OUTPUTS));
    if (weights.size() != static_cast<std::size_t>(inputs * outputs) || bias.size() != static_cast<std::size_t>(outputs))
        throw std::invalid_argument("reference program: weights or bias do not match the shape");
    if (testVectors.size() > 255)
        throw std::invalid_argument("reference program: at most 255 test vectors");
    std::vector<std::uint8_t> out{'N', 'S', 'Y', '1'};
    putU16(out, static_cast<std::uint32_t>(inputs));
    putU16(out, static_cast<std::uint32_t>(outputs));
    putU32(out, flashBytes);
    putU32(out, sramStaticBytes);
    putU32(out, arenaBytes);
    putU32(out, stackBytes);
    out.push_back(relu ? NESY_ACT_RELU : NESY_ACT_NONE);
    out.push_back(static_cast<std::uint8_t>(testVectors.size()));
    putU16(out, 0);
    for (float w : weights)
        putF32(out, w);
    for (float b : bias)
        putF32(out, b);
    for (const auto& v : testVectors) {
        if (v.size() != static_cast<std::size_t>(inputs))
            throw std::invalid_argument("reference program: a test vector has the wrong length");
        for (float x : v)
            putF32(out, x);
    }
    return out;
}

std::vector<float> ReferenceProgram::run(const std::vector<float>& input) const
{
    std::vector<float> y(static_cast<std::size_t>(outputs));
    for (int o = 0; o < outputs; ++o) {
        float acc = bias[o]; // same order of operations as the firmware: results match bit for bit
        for (int i = 0; i < inputs; ++i)
            acc += weights[static_cast<std::size_t>(o * inputs + i)] * input[static_cast<std::size_t>(i)];
        y[static_cast<std::size_t>(o)] = relu && acc < 0.0f ? 0.0f : acc;
    }
    return y;
}

ReferenceProgram makeReferenceProgram(int inputs, int outputs, std::uint32_t seed)
{
    ReferenceProgram p;
    p.inputs = inputs;
    p.outputs = outputs;
    std::uint32_t state = seed * 2654435761u + 1u;
    auto next = [&state] { // xorshift: reproducible on every platform, unlike std distributions
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return static_cast<float>(state % 2001u) / 1000.0f - 1.0f;
    };
    for (int k = 0; k < inputs * outputs; ++k)
        p.weights.push_back(next());
    for (int k = 0; k < outputs; ++k)
        p.bias.push_back(next());
    std::vector<float> v;
    for (int i = 0; i < inputs; ++i)
        v.push_back(next());
    p.testVectors.push_back(v);
    const std::uint32_t weightBytes = 4u * static_cast<std::uint32_t>(inputs * outputs + outputs);
    p.flashBytes = 2048 + weightBytes; // code of the layer plus its constants
    p.sramStaticBytes = 4u * static_cast<std::uint32_t>(inputs + outputs) + 64;
    p.arenaBytes = 4u * static_cast<std::uint32_t>(inputs + outputs);
    p.stackBytes = 256;
    return p;
}

} // namespace nesy
