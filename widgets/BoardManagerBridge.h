#pragma once
// Carries the board manager's events and telemetry to the GUI thread. The manager calls its
// subscribers on its own dispatch thread; this bridge only records there (latest sample per board,
// pending add/remove events) and posts at most one queued call until the GUI thread has taken
// them, so a board streaming 1 kHz telemetry costs the event loop one flush per kMinInterval
// (about 20 per second), never a queued call per sample. Board events are flushed at once.
#include "BoardTableModel.h"
#include "host/BoardManager.h"
#include <QObject>
#include <QTimer>
#include <chrono>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <vector>

namespace nesy::gui {

class BoardManagerBridge : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kMinInterval{50};

    struct Statistics {
        std::uint64_t samplesReceived = 0;  // on the dispatch thread
        std::uint64_t samplesDelivered = 0; // emitted as telemetry() on the GUI thread
        std::uint64_t posts = 0;            // queued calls posted to the GUI thread
        std::uint64_t flushes = 0;
    };

    explicit BoardManagerBridge(std::shared_ptr<BoardManager> manager, QObject* parent = nullptr);
    ~BoardManagerBridge() override; // unsubscribes; no handler runs after it

    // Rows for the boards the manager knows now (events after the bridge exists keep them current).
    std::vector<BoardRow> snapshot() const;
    Statistics statistics() const;
    const std::shared_ptr<BoardManager>& manager() const { return manager_; }

    // Feeds a table model: rows appear and disappear with the boards, telemetry moves the bars.
    void connectModel(BoardTableModel& model);

signals:
    void boardAdded(const nesy::gui::BoardRow& row);
    void boardRemoved(const QString& id, const QString& why);
    void connectFailed(const QString& id, const QString& why);
    void telemetry(const nesy::TelemetrySample& sample); // the newest of each board since the last flush

private:
    struct Pending {
        BoardEventKind kind;
        std::string id;
        std::string detail;
        std::optional<BoardRow> row; // Added
    };
    void onEvent(const BoardEvent& e);        // dispatch thread
    void onTelemetry(const TelemetrySample& s); // dispatch thread
    void post(bool urgent);                    // dispatch thread, mutex_ held
    void arm();                                // GUI thread: start the flush timer
    void flush();                              // GUI thread

    std::shared_ptr<BoardManager> manager_;
    BoardManager::SubscriptionId events_ = 0, samples_ = 0;
    QTimer timer_;
    std::chrono::steady_clock::time_point lastFlush_{};

    mutable std::mutex mutex_;
    std::vector<Pending> pendingEvents_;
    std::map<std::string, TelemetrySample> latest_;
    bool posted_ = false, urgentPosted_ = false;
    Statistics stats_;
};

} // namespace nesy::gui
