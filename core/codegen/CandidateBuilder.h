#pragma once
// Turns a built candidate (its ProgramIR) into what a board measures: the generated C, a summary
// of sizes and work for resource models, one test input and the host's expected output.
#include "boards/Board.h"
#include "codegen/FilterIR.h"
#include "codegen/ProgramIR.h"

namespace nesy::codegen {

// testInput empty: a deterministic pseudo-random window of the program's input size.
CandidateProgram buildCandidateProgram(const ProgramIR& program, std::vector<float> testInput = {});

// A filter step: the test input is one step's input (testInput empty: synthetic), the expected
// output the engine's filter state after that step from the initial state.
CandidateProgram buildCandidateProgram(const FilterIR& filter, std::vector<float> testInput = {});

// A reproducible input window with values in [-2, 2] (IMU-like magnitudes).
std::vector<float> syntheticInput(const Shape& shape, std::uint64_t seed);

} // namespace nesy::codegen
