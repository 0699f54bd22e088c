#pragma once
// The learning engine's trained model (learn::ModelSpec) as the code generator's ProgramIR.
// Layer kinds, layouts and int8 fields map one to one (docs/learning.md "int8 arithmetic").
#include "codegen/ProgramIR.h"
#include "learn/ModelSpec.h"
#include <optional>

namespace nesy::codegen {

// features: when the model reads the features.statistics output of a raw window of `window`
// shape; the model's input must then be [1 x channels * valuesPerChannel].
// Throws std::invalid_argument naming the layer that does not fit.
ProgramIR lowerModelSpec(const learn::ModelSpec& model, const std::string& name,
                         const std::optional<FeatureSpec>& features = std::nullopt, Shape window = {});

} // namespace nesy::codegen
