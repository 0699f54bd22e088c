#pragma once
// A candidate program graph (a trial's values fixed in) as a ProgramIR with the architecture it
// describes and deterministic placeholder weights: enough to measure flash, SRAM and latency
// before training, so that undeployable candidates are never trained (hard thresholding).
// After training, the trained learn::ModelSpec is lowered instead (ModelSpecLowering.h).
#include "codegen/ProgramIR.h"
#include "graph/BlockRegistry.h"
#include "graph/ProgramGraph.h"
#include <stdexcept>

namespace nesy::codegen {

// A block the code generator cannot (yet) turn into C; the candidate is UnsupportedOperation.
class UnsupportedBlock : public std::runtime_error {
public:
    UnsupportedBlock(const std::string& block, const std::string& why)
        : std::runtime_error("block " + block + ": " + why), block_(block) {}
    const std::string& block() const { return block_; }
private:
    std::string block_;
};

struct GraphLoweringOptions {
    int classes = 9;        // outputs of a classifier (the earable data's nine activities)
    int csvChannels = 6;    // source.csv does not declare its channel count
    std::uint64_t seed = 1; // of the placeholder weights
};

// Follows the chain source -> [features.magnitude] -> [features.statistics] -> backbone.
// Throws UnsupportedBlock for blocks without code generation, GraphError for a graph it cannot follow.
ProgramIR lowerGraph(const ProgramGraph& graph, const BlockRegistry& registry, const GraphLoweringOptions& options = {});

} // namespace nesy::codegen
