#pragma once
// Runs a search for the GUI. The engine works on its own thread; its observer callbacks only put
// what they report into a locked inbox, and a timer on the GUI thread empties that inbox every
// kDrainInterval into the TrialStore in one batch. So the GUI never waits on the engine, and a
// fast search costs the event loop one short batch per interval, however many trials it finishes.
#include "TrialStore.h"
#include "search/SearchEngine.h"
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <memory>
#include <mutex>

namespace nesy::gui {

TrialRow trialRowFrom(const TrialRecord& r);

class SearchController : public QObject {
    Q_OBJECT
public:
    static constexpr int kDrainInterval = 50; // ms

    explicit SearchController(TrialStore& store, QObject* parent = nullptr);
    ~SearchController() override; // cancels a running search and waits for its thread

    // Starts a new search (clearing the store). Throws std::logic_error while one runs.
    void start(SearchProblem problem, SearchOptions options);
    void pause();
    void resume();
    void stop();
    bool running() const { return engine_ && !finished_; }
    bool paused() const { return paused_; }

signals:
    void progressChanged(int finished, int total, int running, double secondsLeft);
    void message(const QString& text);
    void searchFinished(const QString& outcome);

private:
    // The engine's observer: called on the engine thread, so it only records.
    class Inbox : public SearchObserver {
    public:
        void trialFinished(const TrialRecord& t) override;
        void progress(const SearchProgress& p) override;
        void message(const std::string& m) override;
        void searchFinished(const SearchSummary& s) override;

        struct Batch {
            std::vector<TrialRecord> trials;
            std::optional<SearchProgress> progress;
            std::vector<std::string> messages;
            std::optional<SearchSummary> summary;
        };
        Batch take();

    private:
        std::mutex mutex_;
        Batch pending_;
    };

    void drain();

    TrialStore& store_;
    std::unique_ptr<Inbox> inbox_;        // outlives the engine that reports into it
    std::unique_ptr<SearchEngine> engine_;
    QTimer drainTimer_;
    QElapsedTimer clock_;
    int total_ = 0;
    int resumedAtStart_ = -1;
    bool paused_ = false;
    bool finished_ = false;
};

} // namespace nesy::gui
