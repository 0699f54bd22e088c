#pragma once
// C99 for a decision stage (core/symbolic expressions over the network's scores): one function per
// tree and the vote, all in double with the engine's operator semantics (division by zero is 0,
// min/max as std::min/std::max, each tree's value rounded to the nearest class).
#include "codegen/ProgramIR.h"
#include <string>

namespace nesy::codegen {

// Defines `static int nesy_decide(const float *scores)`. Throws std::invalid_argument for a tree
// reading an input that is not one of the stage's inputs.
std::string decisionSource(const DecisionStage& stage);

// One expression as a C expression over `const float *scores` (numbers: double, conditions: int).
std::string expressionToC(const symbolic::Expr& e, const std::vector<std::string>& inputs);

} // namespace nesy::codegen
