#pragma once
// How messages move between the coordinator and the workers. The scheduling (WorkerPool) and the
// worker loop (serveCandidates) only see these interfaces: MPI implements them for a cluster
// (mpi/MpiTransport.h), InProcessNetwork for tests. Messages travel as encoded text so every
// transport exercises the same codec.
#include "Messages.h"
#include <chrono>
#include <optional>
#include <stdexcept>
#include <vector>

namespace nesy::distributed {

// A message and the worker it came from.
struct Envelope {
    int worker = 0;
    Message message;
};

// The coordinator's end: one link to every worker. Used from one thread at a time.
class CoordinatorLink {
public:
    virtual ~CoordinatorLink() = default;
    virtual std::vector<int> workers() const = 0; // worker ids, fixed for the job's life
    // Must not block on a worker that died: a lost worker is noticed by its silence, not here.
    virtual void send(int worker, const Message& m) = 0;
    // The next message from any worker, waiting at most `wait`; nullopt when none arrived.
    virtual std::optional<Envelope> receive(std::chrono::milliseconds wait) = 0;
};

// A worker's end: its link to the coordinator. Used from one thread (the worker's main thread).
class WorkerLink {
public:
    virtual ~WorkerLink() = default;
    virtual void send(const Message& m) = 0;
    virtual std::optional<Message> receive(std::chrono::milliseconds wait) = 0;
};

// Thrown by a link whose peer can no longer be reached (the in-process network's killed worker).
class LinkClosed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace nesy::distributed
