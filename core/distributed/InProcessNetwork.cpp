#include "InProcessNetwork.h"

namespace nesy::distributed {

class InProcessNetwork::CoordinatorEnd : public CoordinatorLink {
public:
    explicit CoordinatorEnd(InProcessNetwork& net) : net_(net) {}
    std::vector<int> workers() const override
    {
        std::vector<int> ids;
        for (int i = 1; i <= net_.workers_; ++i)
            ids.push_back(i);
        return ids;
    }
    void send(int worker, const Message& m) override { net_.post(worker, 0, m.encode()); }
    std::optional<Envelope> receive(std::chrono::milliseconds wait) override
    {
        auto got = net_.take(0, wait);
        if (!got)
            return std::nullopt;
        return Envelope{got->first, Message::decode(got->second, "message from worker " + std::to_string(got->first))};
    }

private:
    InProcessNetwork& net_;
};

class InProcessNetwork::WorkerEnd : public WorkerLink {
public:
    WorkerEnd(InProcessNetwork& net, int id) : net_(net), id_(id) {}
    void send(const Message& m) override
    {
        throwIfKilled();
        net_.post(0, id_, m.encode());
    }
    std::optional<Message> receive(std::chrono::milliseconds wait) override
    {
        throwIfKilled();
        auto got = net_.take(id_, wait);
        throwIfKilled();
        if (!got)
            return std::nullopt;
        return Message::decode(got->second, "message to worker " + std::to_string(id_));
    }

private:
    void throwIfKilled() const
    {
        if (net_.killed(id_))
            throw LinkClosed("worker " + std::to_string(id_) + " was killed");
    }
    InProcessNetwork& net_;
    int id_;
};

InProcessNetwork::InProcessNetwork(int workers)
    : workers_(workers), boxes_(std::size_t(workers) + 1), sentTo_(std::size_t(workers) + 1, 0),
      coordinator_(std::make_unique<CoordinatorEnd>(*this))
{
    if (workers < 1)
        throw std::invalid_argument("an in-process network needs at least one worker");
    for (int i = 1; i <= workers; ++i)
        workerEnds_.push_back(std::make_unique<WorkerEnd>(*this, i));
}

InProcessNetwork::~InProcessNetwork() = default;

CoordinatorLink& InProcessNetwork::coordinator() { return *coordinator_; }

WorkerLink& InProcessNetwork::worker(int id)
{
    if (id < 1 || id > workers_)
        throw std::out_of_range("no worker " + std::to_string(id) + " in this network");
    return *workerEnds_[std::size_t(id) - 1];
}

void InProcessNetwork::kill(int id)
{
    std::lock_guard lock(mutex_);
    killed_.insert(id);
    boxes_[std::size_t(id)].queue.clear();
    arrived_.notify_all(); // wakes the killed worker's receive
}

bool InProcessNetwork::killed(int id) const
{
    std::lock_guard lock(mutex_);
    return killed_.count(id) > 0;
}

int InProcessNetwork::messagesTo(int worker) const
{
    std::lock_guard lock(mutex_);
    return sentTo_.at(std::size_t(worker));
}

void InProcessNetwork::post(int to, int from, const std::string& text)
{
    std::lock_guard lock(mutex_);
    if (from == 0)
        ++sentTo_[std::size_t(to)];
    if (killed_.count(to) || killed_.count(from))
        return; // a dead process neither receives nor sends
    boxes_[std::size_t(to)].queue.emplace_back(from, text);
    arrived_.notify_all();
}

std::optional<std::pair<int, std::string>> InProcessNetwork::take(int who, std::chrono::milliseconds wait)
{
    std::unique_lock lock(mutex_);
    auto& box = boxes_[std::size_t(who)].queue;
    arrived_.wait_for(lock, wait, [&] { return !box.empty() || killed_.count(who) > 0; });
    if (box.empty())
        return std::nullopt;
    auto front = std::move(box.front());
    box.pop_front();
    return front;
}

} // namespace nesy::distributed
