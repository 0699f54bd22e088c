#pragma once
// The learning engine's trained model (learn::ModelSpec) as the code generator's ProgramIR.
// Layer kinds, layouts and int8 fields map one to one (docs/learning.md "int8 arithmetic").
#include "codegen/ProgramIR.h"
#include "learn/CandidateModel.h"
#include "learn/ModelSpec.h"
#include <optional>

namespace nesy::codegen {

// What runs before the model, from the raw window (as learn::CandidateModel describes it).
struct Preprocessing {
    Shape window{0, 0}; // raw input; {0, 0}: the model's input itself
    std::optional<symbolic::MovementChannel> movement; // appended to the raw window first
    bool magnitudes = false;
    bool magnitudesKeepAxes = false;
    std::optional<FeatureSpec> features;
    std::vector<float> normMean, normStddev;
};

// Throws std::invalid_argument naming what does not fit (the model's input must be the
// preprocessing's output).
ProgramIR lowerModelSpec(const learn::ModelSpec& model, const std::string& name, const Preprocessing& pre = {});

// The whole candidate: preprocessing and model. An int8 candidate whose model is not quantized
// yet (before training) is quantized on synthetic windows, so that its code, sizes and work are
// those of the deployed int8 program (its values are placeholders until training).
ProgramIR lowerCandidateModel(const learn::CandidateModel& candidate);

} // namespace nesy::codegen
