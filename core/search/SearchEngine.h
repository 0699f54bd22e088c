#pragma once
// Runs a search on its own thread: proposes candidates with the BayesOptimizer, evaluates up to
// `parallel` of them at once on worker threads, journals each finished trial (fsync'ed) and then
// reports it to the observer. Deterministic for a given seed when evaluations finish in the same
// order (always so with parallel = 1).
//
// Typical use:
//   SearchEngine engine(makeProjectProblem(project, makeProjectEvaluator(project)), options, &observer);
//   engine.start();  ... engine.pause(); engine.resume(); engine.cancel(); ...  engine.wait();
#include "BayesOptimizer.h"
#include "Journal.h"
#include "Objective.h"
#include "SearchObserver.h"
#include "engine/Evaluator.h"
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace nesy {

// What is searched and how one candidate is evaluated. `evaluate` is called from worker threads,
// several at once when parallel > 1, and must poll the StopToken.
struct SearchProblem {
    SearchSpace space;
    Objective objective;
    std::function<TrialResult(const Assignment&, const StopToken&)> evaluate;
};

// A project's problem: its space (graph + constraints), objective (weights + first board) and the
// given evaluator applied to graph.withAssignment(trial).
SearchProblem makeProjectProblem(const Project& project, std::shared_ptr<Evaluator> evaluator);

struct SearchOptions {
    int trials = 50;          // total budget, resumed trials included
    int parallel = 1;         // evaluations in flight (the batch size)
    OptimizerSettings optimizer;
    std::filesystem::path journal; // empty: no journal
    bool resume = false;           // continue from the journal instead of replacing it

    // trials, initialRandom, batch and seed from a project's settings.
    static SearchOptions fromProject(const Project& p);
};

class SearchEngine {
public:
    // The observer (may be null) must outlive the engine.
    SearchEngine(SearchProblem problem, SearchOptions options, SearchObserver* observer = nullptr);
    ~SearchEngine(); // cancels and joins
    SearchEngine(const SearchEngine&) = delete;
    SearchEngine& operator=(const SearchEngine&) = delete;

    // Starts the engine thread (once). With resume, the journal is read first; its problems are
    // reported through SearchObserver::message and a bad journal ends the search as Failed.
    void start();
    void pause();  // no new evaluations start; running ones finish
    void resume();
    // Asks running evaluations to stop (StopToken) and the engine to end; returns at once. The engine
    // ends as soon as the evaluations in flight return (within one evaluation step). Cancelled
    // trials are not journalled.
    void cancel();
    void wait(); // until the engine thread has ended (call from any thread but the observer's)
    bool finished() const;

    // Thread-safe snapshots.
    std::vector<TrialRecord> trials() const; // finished trials in finishing order
    std::optional<TrialRecord> best() const;
    SearchSummary summary() const; // meaningful once finished()
    const SearchSpace& space() const { return problem_.space; }

private:
    struct Running;
    void run();
    void runLoop();
    void resumeFromJournal();
    void launch(Proposal p, double suggestMs);
    void complete(Running& r);
    SearchProgress progressLocked() const;

    SearchProblem problem_;
    SearchOptions options_;
    SearchObserver* observer_;
    BayesOptimizer optimizer_;
    std::unique_ptr<JournalWriter> journal_;
    std::thread thread_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool started_ = false, paused_ = false, cancelled_ = false, finished_ = false;
    std::vector<std::unique_ptr<Running>> running_;
    std::vector<TrialRecord> finishedTrials_;
    SearchSummary summary_;
    int nextId_ = 0;
};

} // namespace nesy
