#pragma once
// The coordinator's scheduler for a distributed search: it hands each candidate to a free worker
// and returns the worker's result, so that SearchEngine (optimizer, journal, resume) runs unchanged
// with `evaluate` routed here and `parallel` = the number of workers. Results return as they
// finish, in any order; a new candidate goes out as soon as a worker is free (no batch barrier).
//
// Liveness: every worker sends a heartbeat at least every WorkerOptions::heartbeat. A worker silent
// for `workerTimeout` is lost for good: its trial (if any) returns as Failed with the fault
// "worker-lost" (journalled like any fault) and the search goes on with the others. When no worker
// is left, the pool calls `onAllWorkersLost` (the CLI cancels the search) and returns Cancelled.
//
// One dispatcher thread owns the CoordinatorLink (an MPI link needs MPI_THREAD_SERIALIZED);
// evaluate() may be called from any number of threads.
#include "Transport.h"
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace nesy::distributed {

inline const char* const kWorkerLostFault = "worker-lost";

struct PoolOptions {
    std::chrono::milliseconds workerTimeout{10000};
    std::chrono::milliseconds poll{5}; // longest wait for a message between scheduling rounds
    std::function<void()> onAllWorkersLost; // called once, from the dispatcher thread
};

struct WorkerStats {
    int worker = 0;
    bool alive = true;
    int tasks = 0; // tasks sent to it
};

class WorkerPool {
public:
    // The link must outlive the pool. The dispatcher starts at once.
    WorkerPool(CoordinatorLink& link, PoolOptions options = {});
    ~WorkerPool(); // shutdown()
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Evaluates one candidate on the next free worker and waits for its result. A stop request is
    // passed on to the worker (cancel); the call then returns as soon as the worker answers.
    TrialResult evaluate(const Assignment& a, const StopToken& stop);

    // Tells every worker to stop and ends the dispatcher. Evaluations still waiting return Cancelled.
    void shutdown();

    int workerCount() const { return int(workers_.size()); }
    int liveWorkers() const;
    bool anyWorkerLost() const { return liveWorkers() < workerCount(); }
    std::vector<WorkerStats> stats() const;

private:
    struct Job;
    struct Worker {
        int id = 0;
        bool alive = true;
        std::shared_ptr<Job> job; // the task it is running, if any
        std::chrono::steady_clock::time_point lastHeard;
        int tasks = 0;
    };
    void dispatch();
    void assignWaitingJobs(std::vector<std::pair<int, Message>>& outbox);
    void handle(const Envelope& e);
    void loseSilentWorkers();
    void finish(Job& job, TrialResult r);
    Worker* findWorker(int id);

    CoordinatorLink& link_;
    PoolOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable finished_;
    std::vector<Worker> workers_;
    std::deque<std::shared_ptr<Job>> waiting_;
    int nextJob_ = 0;
    bool shuttingDown_ = false;
    bool allLostReported_ = false;
    std::thread dispatcher_;
};

} // namespace nesy::distributed
