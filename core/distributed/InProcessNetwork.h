#pragma once
// A coordinator and N workers in one process, linked by message queues: the scheduler's tests run
// without MPI. kill(id) makes a worker behave like a crashed process: its link throws LinkClosed,
// what it would send is lost and messages to it vanish.
#include "Transport.h"
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace nesy::distributed {

class InProcessNetwork {
public:
    explicit InProcessNetwork(int workers);
    ~InProcessNetwork();
    InProcessNetwork(const InProcessNetwork&) = delete;
    InProcessNetwork& operator=(const InProcessNetwork&) = delete;

    CoordinatorLink& coordinator();
    WorkerLink& worker(int id); // ids 1..workers
    void kill(int id);
    bool killed(int id) const;
    int messagesTo(int worker) const; // how many messages the coordinator sent that worker

private:
    struct Mailbox {
        std::deque<std::pair<int, std::string>> queue; // sender id (0: coordinator), encoded text
    };
    class CoordinatorEnd;
    class WorkerEnd;
    friend class CoordinatorEnd;
    friend class WorkerEnd;

    void post(int to, int from, const std::string& text);
    std::optional<std::pair<int, std::string>> take(int who, std::chrono::milliseconds wait);

    int workers_;
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<Mailbox> boxes_; // index 0: the coordinator, i: worker i
    std::vector<int> sentTo_;
    std::set<int> killed_;
    std::unique_ptr<CoordinatorEnd> coordinator_;
    std::vector<std::unique_ptr<WorkerEnd>> workerEnds_;
};

} // namespace nesy::distributed
