#include "BoardManagerBridge.h"
#include "GraphModel.h"

namespace nesy::gui {

BoardManagerBridge::BoardManagerBridge(std::shared_ptr<BoardManager> manager, QObject* parent)
    : QObject(parent), manager_(std::move(manager))
{
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, &BoardManagerBridge::flush);
    events_ = manager_->subscribeBoardEvents([this](const BoardEvent& e) { onEvent(e); });
    samples_ = manager_->subscribeTelemetry([this](const TelemetrySample& s) { onTelemetry(s); });
}

BoardManagerBridge::~BoardManagerBridge()
{
    manager_->unsubscribe(events_);
    manager_->unsubscribe(samples_);
}

std::vector<BoardRow> BoardManagerBridge::snapshot() const
{
    std::vector<BoardRow> rows;
    for (const auto& b : manager_->boards())
        rows.push_back(boardRowFor(*b));
    return rows;
}

BoardManagerBridge::Statistics BoardManagerBridge::statistics() const
{
    std::lock_guard lock(mutex_);
    return stats_;
}

void BoardManagerBridge::connectModel(BoardTableModel& model)
{
    connect(this, &BoardManagerBridge::boardAdded, &model, [&model](const BoardRow& row) { model.upsertBoard(row); });
    connect(this, &BoardManagerBridge::boardRemoved, &model, [&model](const QString& id) { model.removeBoard(sstr(id)); });
    connect(this, &BoardManagerBridge::telemetry, &model, [&model](const TelemetrySample& s) { model.applyTelemetry(s); });
    model.setBoards(snapshot());
}

void BoardManagerBridge::onEvent(const BoardEvent& e)
{
    Pending p{e.kind, e.boardId, e.detail, std::nullopt};
    if (e.kind == BoardEventKind::Added) {
        std::shared_ptr<Board> board = manager_->board(e.boardId);
        if (!board)
            return; // already gone again: its Removed event follows
        p.row = boardRowFor(*board);
    }
    std::lock_guard lock(mutex_);
    pendingEvents_.push_back(std::move(p));
    post(true);
}

void BoardManagerBridge::onTelemetry(const TelemetrySample& s)
{
    std::lock_guard lock(mutex_);
    ++stats_.samplesReceived;
    latest_[s.boardId] = s;
    post(false);
}

void BoardManagerBridge::post(bool urgent)
{
    // One queued call covers everything recorded until the flush; an event may add one more so it
    // does not wait behind the telemetry interval.
    if (urgent ? urgentPosted_ : posted_)
        return;
    (urgent ? urgentPosted_ : posted_) = true;
    ++stats_.posts;
    QMetaObject::invokeMethod(this, &BoardManagerBridge::arm, Qt::QueuedConnection);
}

void BoardManagerBridge::arm()
{
    bool urgent;
    {
        std::lock_guard lock(mutex_);
        urgent = !pendingEvents_.empty();
    }
    const auto due = lastFlush_ + kMinInterval;
    const auto now = std::chrono::steady_clock::now();
    const auto wait = urgent || now >= due ? std::chrono::milliseconds(0)
                                           : std::chrono::ceil<std::chrono::milliseconds>(due - now);
    if (timer_.isActive() && timer_.remainingTime() <= int(wait.count()))
        return;
    timer_.start(int(wait.count()));
}

void BoardManagerBridge::flush()
{
    std::vector<Pending> events;
    std::map<std::string, TelemetrySample> latest;
    {
        std::lock_guard lock(mutex_);
        events.swap(pendingEvents_);
        latest.swap(latest_);
        posted_ = urgentPosted_ = false;
        ++stats_.flushes;
        stats_.samplesDelivered += latest.size();
    }
    lastFlush_ = std::chrono::steady_clock::now();
    // Events first, in order: a board's row exists before its telemetry arrives.
    for (const Pending& e : events) {
        switch (e.kind) {
        case BoardEventKind::Added: emit boardAdded(*e.row); break;
        case BoardEventKind::Removed: emit boardRemoved(qstr(e.id), qstr(e.detail)); break;
        case BoardEventKind::ConnectFailed: emit connectFailed(qstr(e.id), qstr(e.detail)); break;
        }
    }
    for (const auto& [id, sample] : latest)
        emit telemetry(sample);
}

} // namespace nesy::gui
