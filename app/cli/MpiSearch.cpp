#include "MpiSearch.h"
#include "Commands.h"
#include <ostream>
#ifdef NESY_MPI_AVAILABLE
#include "distributed/WorkerLoop.h"
#include "distributed/WorkerPool.h"
#include "distributed/mpi/MpiTransport.h"
#include <atomic>
#include <cmath>
#endif

namespace nesy::cli {

#ifdef NESY_MPI_AVAILABLE

using namespace nesy::distributed;

// One whole line per write: the ranks share the terminal and pieces would interleave.
void say(std::ostream& err, const std::string& line) { err << (line + "\n") << std::flush; }

struct MpiSearchSession::Impl {
    std::ostream& err;
    std::chrono::milliseconds workerTimeout{10000};
    MpiRuntime mpi; // declared before the link and the pool: it outlives them
    std::unique_ptr<MpiCoordinatorLink> link;
    std::unique_ptr<WorkerPool> pool;
    std::atomic<SearchEngine*> engine{nullptr};
    explicit Impl(std::ostream& e) : err(e) {}
    ~Impl();
};

MpiSearchSession::MpiSearchSession(const CliArgs& args, std::ostream& err)
{
    std::chrono::milliseconds timeout{10000};
    if (auto t = args.option("worker-timeout")) {
        double seconds = 0;
        try {
            seconds = std::stod(*t);
        } catch (const std::exception&) {
            seconds = -1;
        }
        if (!(seconds >= 0.2) || !std::isfinite(seconds))
            throw UsageError("--worker-timeout must be a number of seconds, at least 0.2 (got \"" + *t + "\")");
        timeout = std::chrono::milliseconds(std::llround(seconds * 1000));
    }
    impl_ = std::make_unique<Impl>(err);
    impl_->workerTimeout = timeout;
}

MpiSearchSession::~MpiSearchSession() = default;

bool MpiSearchSession::isCoordinator() const { return impl_->mpi.rank() == 0; }

int MpiSearchSession::serve(const SearchProblem& problem)
{
    Impl& s = *impl_;
    const std::string me = "nesy search: worker rank " + std::to_string(s.mpi.rank());
    say(s.err, me + " of " + std::to_string(s.mpi.size()) + " (" + s.mpi.processName() + ") ready");
    MpiWorkerLink link(s.mpi);
    WorkerOptions options;
    options.heartbeat = s.workerTimeout / 5; // several heartbeats fit in one timeout
    try {
        const ServeSummary summary = serveCandidates(link, problem.evaluate, options);
        if (summary.peerLost)
            s.mpi.skipFinalize();
        say(s.err, me + " evaluated " + std::to_string(summary.served) + " candidates");
        return kExitOk;
    } catch (const LinkClosed& e) {
        say(s.err, me + ": " + e.what());
        return kExitInvalid;
    }
}

void MpiSearchSession::distribute(SearchProblem& problem, SearchOptions& options)
{
    Impl& s = *impl_;
    if (!MpiRuntime::launcherSurvivesRankLoss())
        say(s.err, "nesy search: warning: mpirun runs without --enable-recovery, so Open MPI ends the whole job "
                   "if a worker dies (the journal keeps every finished trial: rerun with --resume)");
    s.link = std::make_unique<MpiCoordinatorLink>(s.mpi);
    PoolOptions pool;
    pool.workerTimeout = s.workerTimeout;
    pool.onAllWorkersLost = [&s] {
        say(s.err, "nesy search: every worker is lost; the search stops");
        if (SearchEngine* e = s.engine.load())
            e->cancel();
    };
    s.pool = std::make_unique<WorkerPool>(*s.link, pool);
    problem.evaluate = [p = s.pool.get()](const Assignment& a, const StopToken& stop) { return p->evaluate(a, stop); };
    options.parallel = s.pool->workerCount();
    say(s.err, "nesy search: coordinator on " + s.mpi.processName() + ", " + std::to_string(options.parallel) +
                   " worker(s), one trial in flight each");
}

void MpiSearchSession::watch(SearchEngine& engine) { impl_->engine.store(&engine); }

MpiSearchSession::Impl::~Impl()
{
    // The pool goes first (it tells the workers to stop); a lost worker means no MPI_Finalize.
    if (pool) {
        pool->shutdown();
        if (pool->anyWorkerLost())
            mpi.skipFinalize();
    }
}

#else

struct MpiSearchSession::Impl {};

MpiSearchSession::MpiSearchSession(const CliArgs&, std::ostream&)
{
    throw UsageError("--mpi is not available: this nesy was built without MPI "
                     "(install libopenmpi-dev and openmpi-bin, then reconfigure and rebuild)");
}
MpiSearchSession::~MpiSearchSession() = default;
bool MpiSearchSession::isCoordinator() const { return true; }
int MpiSearchSession::serve(const SearchProblem&) { return kExitUnavailable; }
void MpiSearchSession::distribute(SearchProblem&, SearchOptions&) {}
void MpiSearchSession::watch(SearchEngine&) {}

#endif

} // namespace nesy::cli
