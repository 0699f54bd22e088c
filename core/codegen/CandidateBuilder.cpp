#include "CandidateBuilder.h"
#include "codegen/CGenerator.h"
#include "codegen/FilterC.h"
#include "codegen/FilterReference.h"
#include "codegen/Reference.h"
#include <cmath>
#include <random>

namespace nesy::codegen {

std::vector<float> syntheticInput(const Shape& shape, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
    std::vector<float> x(shape.size());
    // A few sinusoids plus noise per channel: features such as the spectrum see real structure.
    for (int c = 0; c < shape.channels; ++c) {
        float freq = 0.02f + 0.05f * static_cast<float>(c % 5), amp = 1.0f + 0.2f * static_cast<float>(c % 3);
        for (int t = 0; t < shape.length; ++t)
            x[std::size_t(t) * shape.channels + c] =
                amp * std::sin(6.2831853f * freq * static_cast<float>(t)) + noise(rng);
    }
    return x;
}

CandidateProgram buildCandidateProgram(const ProgramIR& program, std::vector<float> testInput)
{
    if (testInput.empty())
        testInput = syntheticInput(program.input, 12345);
    GeneratedProgram generated = generateC(program);
    CandidateProgram c;
    c.name = program.name;
    c.sources = generated.sources;
    c.expectedOutput = runReference(program, testInput.data()).output;
    c.testInput = std::move(testInput);
    c.summary = program.summary();
    c.summary["arena_bytes"] = generated.arenaBytes();
    c.summary["state_bytes"] = 0; // filters and trackers add theirs when they are generated
    c.summary["io_bytes"] = 4LL * (program.input.size() + program.outputSize());
    return c;
}

CandidateProgram buildCandidateProgram(const FilterIR& filter, std::vector<float> testInput)
{
    if (testInput.empty())
        testInput = syntheticInput(Shape{1, filter.inputSize()}, 12345);
    GeneratedProgram generated = generateFilterC(filter);
    CandidateProgram c;
    c.name = filter.name;
    c.sources = generated.sources;
    c.expectedOutput = runFilterReference(filter, testInput, 1);
    c.testInput = std::move(testInput);
    c.summary = filter.summary();
    c.summary["arena_bytes"] = 0;
    c.summary["state_bytes"] = filter.stateBytes();
    c.summary["io_bytes"] = 4LL * (filter.inputSize() + filter.outputSize());
    return c;
}

} // namespace nesy::codegen
