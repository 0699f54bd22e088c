#pragma once
// Builds the Evaluator that runs a project's program for the search: compile the graph with the
// trial's values, measure it on the target boards (hard threshold: an undeployable candidate is
// never trained), then train and score it on the project's data.
#include "engine/Evaluator.h"
#include "graph/Project.h"
#include <memory>

namespace nesy {

struct EvaluatorOptions {
    int threads = 0; // 0: the machine's cores
    bool verbose = false;
};

// Throws std::runtime_error naming the block that cannot be evaluated in this build.
std::unique_ptr<Evaluator> makeProjectEvaluator(const Project& project, const EvaluatorOptions& options = {});

} // namespace nesy
