#include "SearchEngine.h"
#include <chrono>
#include <stdexcept>

namespace nesy {

namespace {

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

std::string searchOutcomeName(SearchOutcome o)
{
    switch (o) {
    case SearchOutcome::Completed: return "completed";
    case SearchOutcome::Cancelled: return "cancelled";
    case SearchOutcome::Exhausted: return "exhausted";
    case SearchOutcome::Failed: return "failed";
    }
    return "?";
}

SearchProblem makeProjectProblem(const Project& project, std::shared_ptr<Evaluator> evaluator)
{
    if (!evaluator)
        throw std::invalid_argument("a project search needs an evaluator");
    SearchProblem problem;
    problem.space = SearchSpace::fromProject(project, BlockRegistry::builtin());
    problem.objective = Objective::fromProject(project);
    problem.evaluate = [graph = project.graph, evaluator](const Assignment& a, const StopToken& stop) {
        return evaluator->evaluate(graph.withAssignment(a), stop);
    };
    return problem;
}

SearchOptions SearchOptions::fromProject(const Project& p)
{
    SearchOptions o;
    o.trials = p.search.trials;
    o.parallel = p.search.batch;
    o.optimizer.initialRandom = p.search.initialRandom;
    o.optimizer.seed = p.search.seed;
    return o;
}

// One evaluation in flight: its record, its stop request and the worker thread running it.
struct SearchEngine::Running {
    TrialRecord record;
    StopToken stop;
    std::thread worker;
    bool done = false; // guarded by the engine mutex
    TrialResult result;
};

SearchEngine::SearchEngine(SearchProblem problem, SearchOptions options, SearchObserver* observer)
    : problem_(std::move(problem)), options_(std::move(options)), observer_(observer),
      optimizer_(problem_.space, options_.optimizer)
{
    if (problem_.space.empty())
        throw std::invalid_argument("the program has no searchable parameter: mark at least one as searched");
    if (!problem_.evaluate)
        throw std::invalid_argument("the search problem has no evaluator");
    if (options_.trials < 1 || options_.parallel < 1)
        throw std::invalid_argument("the search needs at least one trial and one evaluation at a time");
}

SearchEngine::~SearchEngine()
{
    cancel();
    wait();
}

void SearchEngine::start()
{
    std::lock_guard lock(mutex_);
    if (started_)
        throw std::logic_error("the search engine was already started");
    started_ = true;
    thread_ = std::thread([this] { run(); });
}

void SearchEngine::pause()
{
    std::lock_guard lock(mutex_);
    paused_ = true;
    wake_.notify_all();
}

void SearchEngine::resume()
{
    std::lock_guard lock(mutex_);
    paused_ = false;
    wake_.notify_all();
}

void SearchEngine::cancel()
{
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    for (auto& r : running_)
        r->stop.requestStop();
    wake_.notify_all();
}

void SearchEngine::wait()
{
    if (thread_.joinable())
        thread_.join();
}

bool SearchEngine::finished() const
{
    std::lock_guard lock(mutex_);
    return finished_;
}

std::vector<TrialRecord> SearchEngine::trials() const
{
    std::lock_guard lock(mutex_);
    return finishedTrials_;
}

std::optional<TrialRecord> SearchEngine::best() const
{
    std::lock_guard lock(mutex_);
    std::optional<TrialRecord> best;
    for (const auto& t : finishedTrials_)
        if (t.status == TrialStatus::Ok && t.hasObjective() && (!best || t.objective < best->objective))
            best = t;
    return best;
}

SearchSummary SearchEngine::summary() const
{
    std::lock_guard lock(mutex_);
    return summary_;
}

SearchProgress SearchEngine::progressLocked() const
{
    SearchProgress p;
    p.finished = int(finishedTrials_.size());
    p.running = int(running_.size());
    p.total = options_.trials;
    p.paused = paused_;
    for (const auto& t : finishedTrials_)
        if (t.status == TrialStatus::Ok && t.hasObjective() && (!p.bestTrial || t.objective < p.bestObjective)) {
            p.bestTrial = t.id;
            p.bestObjective = t.objective;
        }
    return p;
}

void SearchEngine::run()
{
    SearchOutcome outcome = SearchOutcome::Completed;
    std::string error;
    try {
        runLoop();
        std::lock_guard lock(mutex_);
        outcome = summary_.outcome;
    } catch (const std::exception& e) {
        outcome = SearchOutcome::Failed;
        error = e.what();
        // Stop and collect whatever is still running before reporting the failure.
        std::unique_lock lock(mutex_);
        for (auto& r : running_)
            r->stop.requestStop();
        auto running = std::move(running_);
        lock.unlock();
        for (auto& r : running)
            if (r->worker.joinable())
                r->worker.join();
    }
    SearchSummary s;
    s.outcome = outcome;
    s.error = error;
    s.best = best();
    {
        std::lock_guard lock(mutex_);
        s.trials = int(finishedTrials_.size());
        summary_ = s;
        finished_ = true;
    }
    if (observer_)
        observer_->searchFinished(s);
}

void SearchEngine::resumeFromJournal()
{
    JournalContents journal = readJournal(options_.journal);
    for (const auto& w : journal.warnings)
        if (observer_)
            observer_->message("warning: " + w);
    if (journal.header.contains("space") && journal.header["space"] != problem_.space.toJson())
        throw std::runtime_error("the journal " + options_.journal.string() +
                                 " was written for a different search space; start a new journal");
    int maxId = -1;
    for (const auto& t : journal.trials) {
        bool feasible = t.status != TrialStatus::Infeasible;
        optimizer_.tell(t.assignment, t.hasObjective() ? t.objective : std::nan(""), feasible);
        maxId = std::max(maxId, t.id);
    }
    optimizer_.advanceRandomSchedule(int(journal.trials.size()) - options_.optimizer.initialRandom);
    journal_ = std::make_unique<JournalWriter>(JournalWriter::resume(options_.journal, journal.validBytes));
    {
        std::lock_guard lock(mutex_);
        finishedTrials_ = journal.trials;
        nextId_ = maxId + 1;
    }
    if (observer_)
        observer_->message("resumed " + std::to_string(journal.trials.size()) + " trials from " +
                           options_.journal.string());
}

void SearchEngine::launch(Proposal p, double suggestMs)
{
    auto r = std::make_unique<Running>();
    r->record.id = nextId_++;
    r->record.assignment = std::move(p.assignment);
    r->record.proposedBy = p.kind;
    r->record.suggestMs = suggestMs;
    r->record.startedMs = nowMs();
    Running* raw = r.get();
    {
        std::lock_guard lock(mutex_);
        if (cancelled_)
            r->stop.requestStop(); // cancelled while it was being proposed
        running_.push_back(std::move(r));
    }
    if (observer_)
        observer_->trialStarted(raw->record);
    raw->worker = std::thread([this, raw] {
        TrialResult result;
        try {
            result = problem_.evaluate(raw->record.assignment, raw->stop);
        } catch (const std::exception& e) {
            result.status = TrialStatus::Failed;
            result.fault = "evaluation-error";
            result.detail = e.what();
        }
        std::lock_guard lock(mutex_);
        raw->result = std::move(result);
        raw->done = true;
        wake_.notify_all();
    });
}

void SearchEngine::complete(Running& r)
{
    TrialRecord& t = r.record;
    const TrialResult& res = r.result;
    t.finishedMs = nowMs();
    t.status = res.status;
    t.fault = res.fault;
    t.detail = res.detail;
    t.terms = res.terms;
    t.details = res.details.is_null() ? Json::object() : res.details;
    if (auto v = problem_.objective.value(res))
        t.objective = *v;
    if (t.status == TrialStatus::Cancelled) {
        optimizer_.forget(t.assignment); // never journalled: a resumed search may propose it again
    } else {
        if (journal_)
            journal_->append(t); // on disk before anyone hears of it
        optimizer_.tell(t.assignment, t.hasObjective() ? t.objective : std::nan(""),
                        t.status != TrialStatus::Infeasible);
        std::lock_guard lock(mutex_);
        finishedTrials_.push_back(t);
    }
    if (observer_)
        observer_->trialFinished(t);
}

void SearchEngine::runLoop()
{
    if (!options_.journal.empty()) {
        if (options_.resume && std::filesystem::exists(options_.journal))
            resumeFromJournal();
        else
            journal_ = std::make_unique<JournalWriter>(JournalWriter::create(
                options_.journal, Json{{"journal", "nesy-search"},
                                       {"version", kJournalVersion},
                                       {"seed", options_.optimizer.seed},
                                       {"space", problem_.space.toJson()}}));
    }
    bool exhausted = false;
    for (;;) {
        std::vector<std::unique_ptr<Running>> done;
        int toPropose = 0;
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            auto budgetLeft = [&] { return options_.trials - int(finishedTrials_.size() + running_.size()); };
            auto freeSlots = [&] {
                return std::min(options_.parallel - int(running_.size()), budgetLeft());
            };
            wake_.wait(lock, [&] {
                for (auto& r : running_)
                    if (r->done)
                        return true;
                if (cancelled_)
                    return running_.empty(); // otherwise wait for the stopped evaluations to return
                if (running_.empty() && (exhausted || budgetLeft() <= 0))
                    return true;
                return !paused_ && !exhausted && freeSlots() > 0;
            });
            for (auto it = running_.begin(); it != running_.end();)
                if ((*it)->done) {
                    done.push_back(std::move(*it));
                    it = running_.erase(it);
                } else {
                    ++it;
                }
            if (cancelled_) {
                for (auto& r : running_)
                    r->stop.requestStop();
                if (running_.empty() && done.empty()) {
                    summary_.outcome = SearchOutcome::Cancelled;
                    stop = true;
                }
            } else if (running_.empty() && done.empty() && (exhausted || budgetLeft() <= 0)) {
                summary_.outcome = exhausted ? SearchOutcome::Exhausted : SearchOutcome::Completed;
                stop = true;
            } else if (!paused_ && !exhausted && done.empty()) {
                toPropose = std::max(0, freeSlots());
            }
        }
        if (stop)
            return;
        for (auto& r : done) {
            r->worker.join();
            complete(*r);
        }
        if (!done.empty() && observer_) {
            SearchProgress p;
            {
                std::lock_guard lock(mutex_);
                p = progressLocked();
            }
            observer_->progress(p);
        }
        if (toPropose > 0) {
            auto t0 = std::chrono::steady_clock::now();
            auto proposals = optimizer_.ask(toPropose);
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (int(proposals.size()) < toPropose)
                exhausted = true;
            for (auto& p : proposals)
                launch(std::move(p), ms);
        }
    }
}

} // namespace nesy
