#pragma once
// What the search engine asks of the rest of the engine: evaluate one candidate program.
// The learning engine implements it by training on real data; boards add flash, SRAM and latency.
#include "graph/ProgramGraph.h"
#include <atomic>
#include <map>
#include <string>

namespace nesy {

// Set by the engine to ask a long evaluation to stop early; evaluators poll it between steps.
class StopToken {
public:
    void requestStop() { stop_.store(true); }
    bool stopRequested() const { return stop_.load(); }
private:
    std::atomic<bool> stop_{false};
};

enum class TrialStatus {
    Ok,        // trained and measured
    Infeasible, // cannot be deployed (overflow, unsupported op, fault): never trained, hard penalty
    Failed,    // the evaluation itself failed (bad data, exception); reported with its reason
    Cancelled, // stopped on request; not journalled as a result
};

std::string trialStatusName(TrialStatus s);

struct TrialResult {
    TrialStatus status = TrialStatus::Ok;
    std::string fault;  // fault kind ("flash-overflow", "ram-overflow", ...) when not Ok
    std::string detail; // human-readable reason
    // Every raw term, unnormalised: "error", "flash_bytes", "sram_bytes", "latency_ms", "rule:<name>" ...
    std::map<std::string, double> terms;
    Json details; // per-board measurements, confusion matrix, the synthesised program's text ...
};

class Evaluator {
public:
    virtual ~Evaluator() = default;
    // Called from engine worker threads, possibly several at once: implementations are thread-safe.
    virtual TrialResult evaluate(const ProgramGraph& candidate, const StopToken& stop) = 0;
};

} // namespace nesy
