#include "ThreadPool.h"
#include <algorithm>

namespace nesy::learn {

int resolveThreads(int requested)
{
    if (requested > 0)
        return requested;
    return std::max(1u, std::thread::hardware_concurrency());
}

ThreadPool::ThreadPool(int threads)
{
    for (int i = 1; i < threads; ++i)
        workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_)
        w.join();
}

void ThreadPool::runTasks(std::unique_lock<std::mutex>& lock)
{
    // Called with the lock held; releases it while a task runs.
    while (next_ < count_) {
        const int i = next_++;
        ++running_;
        lock.unlock();
        try {
            (*task_)(i);
        } catch (...) {
            std::lock_guard g(mutex_);
            if (!error_)
                error_ = std::current_exception();
        }
        lock.lock();
        if (--running_ == 0 && next_ >= count_)
            done_.notify_all();
    }
}

void ThreadPool::workerLoop()
{
    long seen = 0;
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_)
            return;
        seen = generation_;
        runTasks(lock);
    }
}

void ThreadPool::parallelFor(int count, const std::function<void(int)>& task)
{
    if (workers_.empty() || count <= 1) {
        for (int i = 0; i < count; ++i)
            task(i);
        return;
    }
    std::unique_lock lock(mutex_);
    task_ = &task;
    count_ = count;
    next_ = 0;
    running_ = 0;
    error_ = nullptr;
    ++generation_;
    wake_.notify_all();
    runTasks(lock);
    done_.wait(lock, [&] { return next_ >= count_ && running_ == 0; });
    task_ = nullptr;
    if (error_) {
        auto e = error_;
        error_ = nullptr;
        std::rethrow_exception(e);
    }
}

} // namespace nesy::learn
