#pragma once
// `nesy search ... --mpi`: the same search spread over the ranks of an MPI job. Every rank loads
// the project and builds its evaluator exactly as a local search does; then rank 0 runs the
// search engine (optimizer, journal, resume) with its evaluations routed to the other ranks, which
// serve candidates until the search ends. Options: --worker-timeout SECONDS (default 10): a worker
// silent that long is lost, its trial journalled as the fault "worker-lost".
#include "CliArgs.h"
#include "search/SearchEngine.h"
#include <iosfwd>
#include <memory>

namespace nesy::cli {

class MpiSearchSession {
public:
    // Joins the MPI job. Throws UsageError when this build has no MPI or the options are wrong.
    MpiSearchSession(const CliArgs& args, std::ostream& err);
    ~MpiSearchSession(); // stops the workers (rank 0) and leaves the MPI job
    MpiSearchSession(const MpiSearchSession&) = delete;
    MpiSearchSession& operator=(const MpiSearchSession&) = delete;

    bool isCoordinator() const;
    // A worker rank: evaluates the coordinator's candidates with `problem.evaluate` until told to
    // stop; returns the process exit code.
    int serve(const SearchProblem& problem);
    // Rank 0: the problem's evaluations go to the workers, one in flight per worker.
    void distribute(SearchProblem& problem, SearchOptions& options);
    // Rank 0, once the engine exists: when every worker is lost the search is cancelled.
    void watch(SearchEngine& engine);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace nesy::cli
