#pragma once
// Turns a FilterIR into portable C99 (static memory only): the state x and covariance P in static
// arrays, the constant matrices and network weights in flash, one step per nesy_program_run.
#include "codegen/CGenerator.h"
#include "codegen/FilterIR.h"

namespace nesy::codegen {

// Throws std::invalid_argument (from FilterIR::validate) for inconsistent filters.
GeneratedProgram generateFilterC(const FilterIR& filter);

} // namespace nesy::codegen
