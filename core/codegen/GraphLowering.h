#pragma once
// A candidate program graph (a trial's values fixed in) as the learning engine would build it
// (learn::compileProgram + learn::buildBackbone), without its data: the architecture with
// untrained weights and identity normalisation. Enough to measure flash, SRAM and latency before
// training (hard thresholding) from the CLI; the search's evaluator hands the resource check the
// CandidateModel it built from the data instead (BoardResourceCheck.h).
#include "graph/BlockRegistry.h"
#include "graph/Project.h"
#include "learn/CandidateModel.h"

namespace nesy::codegen {

struct GraphLoweringOptions {
    int csvChannels = 6; // source.csv does not declare its channel count
};

// Throws learn::CompileError naming a block the pipeline cannot contain.
learn::CandidateModel candidateModelForGraph(const ProgramGraph& graph, const Project& project,
                                             const BlockRegistry& registry, const GraphLoweringOptions& options = {});

} // namespace nesy::codegen
