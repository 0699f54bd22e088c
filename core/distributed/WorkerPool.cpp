#include "WorkerPool.h"
#include <algorithm>

namespace nesy::distributed {

using Clock = std::chrono::steady_clock;

// One evaluation request: the caller waits on it, the dispatcher fills it.
struct WorkerPool::Job {
    int id = 0;
    Assignment assignment;
    const StopToken* stop = nullptr;
    bool cancelSent = false;
    bool done = false;
    TrialResult result;
};

WorkerPool::WorkerPool(CoordinatorLink& link, PoolOptions options) : link_(link), options_(std::move(options))
{
    const auto now = Clock::now();
    for (int id : link_.workers())
        workers_.push_back(Worker{id, true, nullptr, now, 0});
    if (workers_.empty())
        throw std::invalid_argument("a distributed search needs at least one worker (start it with mpirun -np 2 or more)");
    dispatcher_ = std::thread([this] { dispatch(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::shutdown()
{
    {
        std::lock_guard lock(mutex_);
        shuttingDown_ = true;
    }
    if (dispatcher_.joinable())
        dispatcher_.join();
}

int WorkerPool::liveWorkers() const
{
    std::lock_guard lock(mutex_);
    return int(std::count_if(workers_.begin(), workers_.end(), [](const Worker& w) { return w.alive; }));
}

std::vector<WorkerStats> WorkerPool::stats() const
{
    std::lock_guard lock(mutex_);
    std::vector<WorkerStats> out;
    for (const auto& w : workers_)
        out.push_back(WorkerStats{w.id, w.alive, w.tasks});
    return out;
}

TrialResult WorkerPool::evaluate(const Assignment& a, const StopToken& stop)
{
    auto job = std::make_shared<Job>();
    job->assignment = a;
    job->stop = &stop;
    std::unique_lock lock(mutex_);
    job->id = nextJob_++;
    if (shuttingDown_ || allLostReported_) {
        TrialResult r;
        r.status = TrialStatus::Cancelled;
        r.detail = shuttingDown_ ? "the distributed search is shutting down" : "no worker is left";
        return r;
    }
    waiting_.push_back(job);
    finished_.wait(lock, [&] { return job->done; });
    return std::move(job->result);
}

void WorkerPool::finish(Job& job, TrialResult r)
{
    job.result = std::move(r);
    job.done = true;
    finished_.notify_all();
}

WorkerPool::Worker* WorkerPool::findWorker(int id)
{
    for (auto& w : workers_)
        if (w.id == id)
            return &w;
    return nullptr;
}

void WorkerPool::assignWaitingJobs(std::vector<std::pair<int, Message>>& outbox)
{
    // Stopped before they started: never sent anywhere.
    for (auto it = waiting_.begin(); it != waiting_.end();)
        if ((*it)->stop->stopRequested()) {
            TrialResult r;
            r.status = TrialStatus::Cancelled;
            finish(**it, std::move(r));
            it = waiting_.erase(it);
        } else {
            ++it;
        }
    for (auto& w : workers_) {
        if (waiting_.empty())
            break;
        if (!w.alive || w.job)
            continue;
        w.job = waiting_.front();
        waiting_.pop_front();
        ++w.tasks;
        outbox.emplace_back(w.id, Message::task(w.job->id, w.job->assignment));
    }
    for (auto& w : workers_)
        if (w.alive && w.job && !w.job->cancelSent && w.job->stop->stopRequested()) {
            w.job->cancelSent = true;
            outbox.emplace_back(w.id, Message::cancel(w.job->id));
        }
}

void WorkerPool::handle(const Envelope& e)
{
    Worker* w = findWorker(e.worker);
    if (!w || !w->alive)
        return; // a worker declared lost stays lost; what it still says is ignored
    w->lastHeard = Clock::now();
    if (e.message.kind == MessageKind::Result && w->job && w->job->id == e.message.job) {
        finish(*w->job, e.message.result);
        w->job.reset();
    }
}

void WorkerPool::loseSilentWorkers()
{
    const auto now = Clock::now();
    for (auto& w : workers_) {
        if (!w.alive || now - w.lastHeard <= options_.workerTimeout)
            continue;
        w.alive = false;
        if (w.job) {
            TrialResult r;
            r.status = TrialStatus::Failed;
            r.fault = kWorkerLostFault;
            r.detail = "worker " + std::to_string(w.id) + " stopped answering for " +
                       std::to_string(options_.workerTimeout.count()) +
                       " ms (the process died or its network failed); the trial is lost";
            finish(*w.job, std::move(r));
            w.job.reset();
        }
    }
}

void WorkerPool::dispatch()
{
    for (;;) {
        std::vector<std::pair<int, Message>> outbox;
        bool stop = false, allLost = false;
        {
            std::lock_guard lock(mutex_);
            if (shuttingDown_) {
                stop = true;
            } else {
                loseSilentWorkers();
                const bool anyAlive = std::any_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.alive; });
                if (!anyAlive && !allLostReported_) {
                    allLostReported_ = allLost = true;
                }
                if (!anyAlive) {
                    for (auto& job : waiting_) {
                        TrialResult r;
                        r.status = TrialStatus::Cancelled;
                        r.detail = "no worker is left";
                        finish(*job, std::move(r));
                    }
                    waiting_.clear();
                } else {
                    assignWaitingJobs(outbox);
                }
            }
        }
        if (stop)
            break;
        if (allLost && options_.onAllWorkersLost)
            options_.onAllWorkersLost();
        for (const auto& [worker, message] : outbox)
            link_.send(worker, message);
        // Everything that has arrived is handled before silence is judged, so a coordinator that
        // stalled for a while does not mistake its own backlog of heartbeats for dead workers.
        std::vector<Envelope> inbox;
        for (auto wait = options_.poll; inbox.size() < 1000; wait = std::chrono::milliseconds(0)) {
            auto e = link_.receive(wait);
            if (!e)
                break;
            inbox.push_back(std::move(*e));
        }
        std::lock_guard lock(mutex_);
        for (const auto& e : inbox)
            handle(e);
    }
    // Shutting down: every worker (lost ones too, in case one is only slow) is told to stop, and
    // whoever still waits for a result gets Cancelled.
    const bool lost = std::any_of(workers_.begin(), workers_.end(), [](const Worker& w) { return !w.alive; });
    for (const auto& w : workers_)
        link_.send(w.id, Message::stop(lost));
    std::lock_guard lock(mutex_);
    for (auto& w : workers_)
        if (w.job) {
            TrialResult r;
            r.status = TrialStatus::Cancelled;
            finish(*w.job, std::move(r));
            w.job.reset();
        }
    for (auto& job : waiting_) {
        TrialResult r;
        r.status = TrialStatus::Cancelled;
        finish(*job, std::move(r));
    }
    waiting_.clear();
}

} // namespace nesy::distributed
