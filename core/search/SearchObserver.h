#pragma once
// What the search engine tells the outside world while it runs. All callbacks come from the engine's
// own thread, one at a time (never concurrently), never from the caller's thread: a GUI must marshal
// them to its own thread (for example with a queued signal carrying the TrialRecord by value).
// Callbacks must return quickly and must not call SearchEngine::wait() (that would deadlock).
#include "TrialRecord.h"
#include <optional>
#include <string>

namespace nesy {

struct SearchProgress {
    int finished = 0;  // trials with a result (incl. resumed ones)
    int running = 0;   // evaluations in flight
    int total = 0;     // the trial budget
    bool paused = false;
    std::optional<int> bestTrial; // id of the best trial so far
    double bestObjective = std::numeric_limits<double>::quiet_NaN();
};

enum class SearchOutcome {
    Completed, // the trial budget was used up
    Cancelled, // cancel() was called
    Exhausted, // every point of a finite search space was evaluated
    Failed,    // the engine itself failed (journal unwritable ...); see SearchSummary::error
};
std::string searchOutcomeName(SearchOutcome o);

struct SearchSummary {
    SearchOutcome outcome = SearchOutcome::Completed;
    int trials = 0;                  // finished trials incl. resumed ones
    std::optional<TrialRecord> best; // lowest objective
    std::string error;               // when Failed
};

class SearchObserver {
public:
    virtual ~SearchObserver() = default;
    virtual void trialStarted(const TrialRecord&) {}
    // Called after the trial is safely in the journal.
    virtual void trialFinished(const TrialRecord&) {}
    virtual void progress(const SearchProgress&) {}
    // A line worth showing the user (journal resumed, truncated line ignored ...).
    virtual void message(const std::string&) {}
    virtual void searchFinished(const SearchSummary&) {}
};

} // namespace nesy
