#pragma once
// Host reference of a ProgramIR: what the generated C must compute. The layer arithmetic follows
// docs/learning.md ("int8 arithmetic") to the letter; once the learning engine's ModelSpec is
// lowered into the IR, its runFloat/runInt8 are the authority and this must agree with them.
#include "codegen/ProgramIR.h"
#include <cstdint>
#include <vector>

namespace nesy::codegen {

// The fixed-point helpers are the learning engine's (learn::quantizeMultiplier, roundingShift,
// requantize, quantizeInput): one definition of the int8 arithmetic.

struct ReferenceRun {
    std::vector<float> output;           // what nesy_program_run writes
    std::vector<std::int8_t> int8Output; // the last layer's int8 values (quantized programs)
    std::vector<std::vector<float>> layerOutputs; // float programs: every layer's output (calibration)
};

ReferenceRun runReference(const ProgramIR& program, const float* input);

// The class a decision stage picks for the network's scores (the engine's DecisionProgram).
int decide(const DecisionStage& stage, const std::vector<float>& scores);

// The network's input for a raw input: magnitudes, features and normalisation applied.
std::vector<float> preprocess(const ProgramIR& program, const float* input);

// Post-training quantization of a float program, calibrated on the given inputs (as the
// learning engine does it): fills every int8 field and sets quantized = true.
ProgramIR quantizeProgram(const ProgramIR& floatProgram, const std::vector<std::vector<float>>& calibrationInputs);

} // namespace nesy::codegen
