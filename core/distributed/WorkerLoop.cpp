#include "WorkerLoop.h"
#include <atomic>
#include <memory>
#include <thread>

namespace nesy::distributed {

namespace {

// One evaluation on its own thread, so the worker's main thread keeps talking to the coordinator.
class RunningTask {
public:
    RunningTask(int job, Assignment assignment, const EvaluateFn& evaluate) : job_(job)
    {
        thread_ = std::thread([this, a = std::move(assignment), &evaluate] {
            try {
                result_ = evaluate(a, stop_);
            } catch (const std::exception& e) {
                result_.status = TrialStatus::Failed;
                result_.fault = "evaluation-error";
                result_.detail = e.what();
            }
            done_.store(true);
        });
    }
    ~RunningTask()
    {
        stop_.requestStop();
        if (thread_.joinable())
            thread_.join();
    }
    RunningTask(const RunningTask&) = delete;
    RunningTask& operator=(const RunningTask&) = delete;

    int job() const { return job_; }
    bool done() const { return done_.load(); }
    void requestStop() { stop_.requestStop(); }
    TrialResult takeResult()
    {
        thread_.join();
        return std::move(result_);
    }

private:
    int job_;
    StopToken stop_;
    std::atomic<bool> done_{false};
    TrialResult result_;
    std::thread thread_;
};

} // namespace

ServeSummary serveCandidates(WorkerLink& link, const EvaluateFn& evaluate, const WorkerOptions& options)
{
    using Clock = std::chrono::steady_clock;
    std::unique_ptr<RunningTask> running;
    int served = 0;
    auto lastSent = Clock::now();
    link.send(Message::heartbeat()); // "ready": the coordinator starts watching this worker
    for (;;) {
        if (running && running->done()) {
            link.send(Message::resultOf(running->job(), running->takeResult()));
            lastSent = Clock::now();
            running.reset();
            ++served;
        }
        if (auto m = link.receive(options.poll)) {
            switch (m->kind) {
            case MessageKind::Task:
                if (running)
                    throw std::logic_error("the coordinator sent job " + std::to_string(m->job) +
                                           " while job " + std::to_string(running->job()) + " is running");
                running = std::make_unique<RunningTask>(m->job, std::move(m->assignment), evaluate);
                break;
            case MessageKind::Cancel:
                if (running && running->job() == m->job)
                    running->requestStop();
                break;
            case MessageKind::Stop:
                return ServeSummary{served, m->peerLost}; // ~RunningTask stops and joins a running evaluation
            default:
                throw std::logic_error("a worker cannot handle a " + messageKindName(m->kind) + " message");
            }
        }
        if (Clock::now() - lastSent >= options.heartbeat) {
            link.send(Message::heartbeat());
            lastSent = Clock::now();
        }
    }
}

} // namespace nesy::distributed
