#pragma once
// A fixed set of worker threads that run the tasks of one parallelFor at a time. The training loop
// calls it for every mini-batch, so threads are started once, not per batch.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nesy::learn {

class ThreadPool {
public:
    explicit ThreadPool(int threads); // threads <= 1: everything runs on the caller
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return int(workers_.size()) + 1; }
    // Runs task(0..count-1), each exactly once, on the workers and the caller; returns when all are
    // done. The first exception thrown by a task is rethrown here.
    void parallelFor(int count, const std::function<void(int)>& task);

private:
    void workerLoop();
    void runTasks(std::unique_lock<std::mutex>& lock);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    const std::function<void(int)>* task_ = nullptr;
    int count_ = 0;
    int next_ = 0;
    int running_ = 0;
    long generation_ = 0;
    bool stopping_ = false;
    std::exception_ptr error_;
};

// Threads to use for `requested` (0: the machine's cores).
int resolveThreads(int requested);

} // namespace nesy::learn
