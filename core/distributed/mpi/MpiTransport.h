#pragma once
// The distributed search's messages over MPI (Open MPI 4.1 on Debian). Rank 0 is the coordinator,
// ranks 1..size-1 are the workers; a message is one encoded text on MPI_COMM_WORLD with one tag.
//
// Surviving a dead worker: errors return instead of aborting (MPI_ERRORS_RETURN), the coordinator
// never blocks on a worker (MPI_Isend, polled MPI_Improbe), and loss is detected by silence (the
// WorkerPool's heartbeat timeout). Open MPI's launcher still kills the whole job when a rank dies
// unless it runs with `mpirun --enable-recovery` (MCA orte_enable_recovery=1); see docs/mpi.md.
#include "distributed/Transport.h"
#include <list>
#include <string>

namespace nesy::distributed {

// MPI_Init_thread (MPI_THREAD_SERIALIZED: the pool's dispatcher thread talks, not main) on
// construction, MPI_Finalize on destruction. One per process.
class MpiRuntime {
public:
    MpiRuntime(int* argc = nullptr, char*** argv = nullptr);
    ~MpiRuntime();
    MpiRuntime(const MpiRuntime&) = delete;
    MpiRuntime& operator=(const MpiRuntime&) = delete;

    // After a rank died, MPI_Finalize (a fence over every rank, the dead one too) can wait forever
    // in Open MPI 4.1: such a process leaves without it (mpirun --enable-recovery accepts that).
    void skipFinalize() { finalize_ = false; }
    int rank() const { return rank_; }
    int size() const { return size_; }
    // False when Open MPI's launcher will end the whole job if one rank dies (no --enable-recovery).
    static bool launcherSurvivesRankLoss();
    // Where this process runs, for messages ("host pid N").
    std::string processName() const;

private:
    int rank_ = 0;
    int size_ = 1;
    bool finalize_ = true;
};

class MpiCoordinatorLink : public CoordinatorLink {
public:
    explicit MpiCoordinatorLink(const MpiRuntime& mpi);
    ~MpiCoordinatorLink() override;
    std::vector<int> workers() const override;
    void send(int worker, const Message& m) override;
    std::optional<Envelope> receive(std::chrono::milliseconds wait) override;

private:
    struct PendingSend;
    void reapSends();
    int size_;
    std::list<PendingSend> sends_; // buffers stay alive until MPI is done with them
};

class MpiWorkerLink : public WorkerLink {
public:
    explicit MpiWorkerLink(const MpiRuntime& mpi);
    void send(const Message& m) override;
    std::optional<Message> receive(std::chrono::milliseconds wait) override;

private:
    int rank_;
};

} // namespace nesy::distributed
