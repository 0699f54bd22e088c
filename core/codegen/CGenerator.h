#pragma once
// Turns a ProgramIR into portable C99: static memory only (one arena placed by the memory
// planner, constants in flash), only the kernels the program uses, one entry function
//   void nesy_program_run(const float *input, float *output);
// declared in nesy_program.h with NESY_PROGRAM_INPUT_SIZE / NESY_PROGRAM_OUTPUT_SIZE.
#include "codegen/MemoryPlanner.h"
#include "codegen/ProgramIR.h"
#include <map>
#include <string>

namespace nesy::codegen {

struct GeneratedProgram {
    std::map<std::string, std::string> sources; // "nesy_program.h", "nesy_program.c"
    std::vector<BufferRequest> buffers;         // what the planner placed
    MemoryPlan plan;
    std::int64_t arenaBytes() const { return plan.arenaBytes; }
};

// Throws std::invalid_argument (from ProgramIR::validate) for inconsistent programs.
GeneratedProgram generateC(const ProgramIR& program);

} // namespace nesy::codegen
