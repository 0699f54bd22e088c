#include "SearchController.h"
#include "GraphModel.h"
#include <stdexcept>

namespace nesy::gui {

TrialRow trialRowFrom(const TrialRecord& r)
{
    TrialRow t;
    t.id = r.id;
    t.status = r.status;
    t.fault = r.fault;
    t.detail = r.detail;
    t.terms = r.terms;
    t.objective = r.objective;
    t.assignment = r.assignment;
    t.proposedBy = proposalKindName(r.proposedBy);
    t.details = r.details;
    return t;
}

void SearchController::Inbox::trialFinished(const TrialRecord& t)
{
    std::lock_guard lock(mutex_);
    pending_.trials.push_back(t);
}

void SearchController::Inbox::progress(const SearchProgress& p)
{
    std::lock_guard lock(mutex_);
    pending_.progress = p;
}

void SearchController::Inbox::message(const std::string& m)
{
    std::lock_guard lock(mutex_);
    pending_.messages.push_back(m);
}

void SearchController::Inbox::searchFinished(const SearchSummary& s)
{
    std::lock_guard lock(mutex_);
    pending_.summary = s;
}

SearchController::Inbox::Batch SearchController::Inbox::take()
{
    std::lock_guard lock(mutex_);
    return std::exchange(pending_, {});
}

SearchController::SearchController(TrialStore& store, QObject* parent) : QObject(parent), store_(store)
{
    drainTimer_.setInterval(kDrainInterval);
    connect(&drainTimer_, &QTimer::timeout, this, &SearchController::drain);
}

SearchController::~SearchController()
{
    engine_.reset(); // the engine's destructor cancels and joins before the inbox goes
}

void SearchController::start(SearchProblem problem, SearchOptions options)
{
    if (running())
        throw std::logic_error("a search is already running");
    engine_.reset();
    store_.clear();
    inbox_ = std::make_unique<Inbox>();
    total_ = options.trials;
    resumedAtStart_ = -1;
    paused_ = false;
    finished_ = false;
    engine_ = std::make_unique<SearchEngine>(std::move(problem), std::move(options), inbox_.get());
    clock_.start();
    engine_->start();
    drainTimer_.start();
    emit progressChanged(0, total_, 0, -1);
}

void SearchController::pause()
{
    if (running()) {
        engine_->pause();
        paused_ = true;
    }
}

void SearchController::resume()
{
    if (running()) {
        engine_->resume();
        paused_ = false;
    }
}

void SearchController::stop()
{
    if (running())
        engine_->cancel(); // returns at once; the summary arrives through the inbox
}

void SearchController::drain()
{
    if (!inbox_)
        return;
    Inbox::Batch batch = inbox_->take();
    if (!batch.trials.empty()) {
        std::vector<TrialRow> rows;
        rows.reserve(batch.trials.size());
        for (const auto& t : batch.trials)
            rows.push_back(trialRowFrom(t));
        store_.append(std::move(rows));
    }
    for (const auto& m : batch.messages)
        emit message(qstr(m));
    if (batch.progress) {
        const SearchProgress& p = *batch.progress;
        if (resumedAtStart_ < 0)
            resumedAtStart_ = p.finished - int(store_.trials().size()); // trials read back from a journal
        const int done = p.finished - std::max(0, resumedAtStart_);
        const double elapsed = double(clock_.elapsed()) / 1000.0;
        const double left = done > 0 ? elapsed / done * std::max(0, p.total - p.finished) : -1;
        emit progressChanged(p.finished, p.total, p.running, left);
    }
    if (batch.summary) {
        finished_ = true;
        drainTimer_.stop();
        QString outcome = qstr(searchOutcomeName(batch.summary->outcome));
        if (!batch.summary->error.empty())
            outcome += QStringLiteral(": ") + qstr(batch.summary->error);
        emit searchFinished(outcome);
    }
}

} // namespace nesy::gui
