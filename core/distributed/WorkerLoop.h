#pragma once
// A worker's side of a distributed search: wait for a task, evaluate it on its own thread while
// answering the coordinator (heartbeats, cancel), send the result, repeat until told to stop.
#include "Transport.h"
#include <functional>

namespace nesy::distributed {

using EvaluateFn = std::function<TrialResult(const Assignment&, const StopToken&)>;

struct WorkerOptions {
    // How often the worker says it is alive, busy or idle (the coordinator's loss timeout is a
    // multiple of it).
    std::chrono::milliseconds heartbeat{2000};
    std::chrono::milliseconds poll{20}; // longest wait for a message between checks
};

struct ServeSummary {
    int served = 0;        // tasks evaluated
    bool peerLost = false; // the coordinator lost some worker (see Message::peerLost)
};

// Serves tasks until a stop message arrives. An exception of the evaluation becomes a failed
// result; one of the link (LinkClosed ...) stops the running evaluation and propagates.
ServeSummary serveCandidates(WorkerLink& link, const EvaluateFn& evaluate, const WorkerOptions& options = {});

} // namespace nesy::distributed
