#pragma once
// Builds the Evaluator that runs a project's program for the search: compile the graph with the
// trial's values, measure it on the target boards (hard threshold: an undeployable candidate is
// never trained), then train and score it on the project's data.
#include "engine/Evaluator.h"
#include "graph/Project.h"
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace nesy {

namespace learn {
struct CandidateModel; // core/learn/CandidateModel.h: the built, untrained model with its exact sizes
struct TrainedProgram; // core/learn/TrainedProgram.h: the trained, scored program of a trial
}

// What a resource check says about a candidate before it is trained.
struct ResourceVerdict {
    std::string fault;                   // empty: deployable; else "flash-overflow", "ram-overflow", ...
    std::string detail;                  // human-readable reason
    std::map<std::string, double> terms; // measured terms replacing the estimates (flash_bytes, sram_bytes, latency_ms ...)
    Json details;                        // per-board measurements, stored in TrialResult::details["resources"]
    bool deployable() const { return fault.empty(); }
};

// Called once per candidate after it is built and before it is trained (hard thresholding: a
// candidate with a fault is never trained). May be called from several threads at once.
using ResourceCheck = std::function<ResourceVerdict(const learn::CandidateModel&)>;

struct EvaluatorOptions {
    int threads = 0; // 0: the machine's cores
    bool verbose = false;
    ResourceCheck resourceCheck; // empty: sizes are estimated from the model alone
    // Called with each successfully scored trial's program (the trained, quantized model and any
    // decision program, or the tuned filter), from the evaluating thread: how export, measure and
    // eval get the trial's trained program by retraining it with the trial's seed.
    std::function<void(const learn::TrainedProgram&)> onTrained;
};

// Throws std::runtime_error naming the block that cannot be evaluated in this build.
std::unique_ptr<Evaluator> makeProjectEvaluator(const Project& project, const EvaluatorOptions& options = {});

} // namespace nesy
