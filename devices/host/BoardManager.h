#pragma once
// The one place that knows every board: simulated and emulated boards the application adds, and
// USB boards it discovers itself (hotplug). The search engine and the GUI use only this class.
//
// Threads: a libusb event thread (transfers, hotplug), a discovery thread (opens arriving boards,
// removes leaving ones: the handshake may take a while and must not stall the event thread), and a
// dispatch thread that calls subscribers. Subscribers therefore never run on the caller's thread:
// a GUI forwards to its own thread (e.g. a queued Qt signal). Telemetry queues are bounded: when a
// consumer is slow the oldest samples are dropped and counted, so a flooding board cannot grow
// memory or block anyone.
#include "boards/Board.h"
#include "host/ProtocolClient.h"
#include "host/UsbBoard.h"
#include "host/UsbDeviceIds.h"
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace nesy {

struct BoardManagerOptions {
    std::vector<UsbDeviceId> usbIds = defaultUsbDeviceIds();
    std::vector<BoardProfile> knownProfiles; // gives USB boards their modelling figures by profile id
    UsbBoardOptions usb;
    std::size_t telemetryQueueCapacity = 8192; // per queue: the polled one and the dispatch one
};

enum class BoardEventKind { Added, Removed, ConnectFailed };

struct BoardEvent {
    BoardEventKind kind = BoardEventKind::Added;
    std::string boardId;
    BoardKind boardKind = BoardKind::Simulated;
    std::string detail; // why removed / why the connection failed
};

struct BoardManagerStatistics {
    std::uint64_t telemetryReceived = 0;
    std::uint64_t telemetryDroppedPolled = 0;   // polled queue overflowed (nobody called takeTelemetry)
    std::uint64_t telemetryDroppedDispatch = 0; // subscribers slower than the boards
    std::uint64_t usbArrivals = 0, usbDepartures = 0, connectFailures = 0;
};

class BoardManager {
public:
    using SubscriptionId = std::uint64_t;

    explicit BoardManager(BoardManagerOptions options = {});
    ~BoardManager(); // stops discovery, closes every USB board, joins its threads
    BoardManager(const BoardManager&) = delete;
    BoardManager& operator=(const BoardManager&) = delete;

    // Starts libusb and hotplug: boards present now and later appear as Added events.
    // Throws UsbError when libusb is unusable (the rest of the manager keeps working without it).
    void startUsbDiscovery();
    bool usbDiscoveryRunning() const;

    // Simulated / emulated boards. Throws std::invalid_argument when the id is taken.
    void addBoard(std::shared_ptr<Board> board);
    bool removeBoard(const std::string& id);

    std::vector<std::shared_ptr<Board>> boards() const;
    std::shared_ptr<Board> board(const std::string& id) const; // null when unknown
    std::vector<std::string> boardIds() const;

    // Measures on one board. A board that is unknown or leaves during the trial yields a
    // Disconnected fault; the other boards are unaffected. Non-USB boards get a telemetry sample
    // from each measurement so the GUI's bars move for every kind.
    Measurement measure(const std::string& boardId, const CandidateProgram& program, const StopToken& stop);

    SubscriptionId subscribeBoardEvents(std::function<void(const BoardEvent&)> handler);
    SubscriptionId subscribeTelemetry(std::function<void(const TelemetrySample&)> handler);
    // After it returns the handler is neither running nor called again (when called from inside a
    // handler, the running call finishes first, naturally).
    void unsubscribe(SubscriptionId id);

    // The polled alternative to subscribing: oldest first, at most `max`.
    std::vector<TelemetrySample> takeTelemetry(std::size_t max = SIZE_MAX);

    // Waits until pred(boardIds()) holds or the timeout passes; for CLIs and tests.
    bool waitFor(const std::function<bool(const std::vector<std::string>&)>& pred, std::chrono::milliseconds timeout) const;

    // Waits until every USB device reported so far has been opened (or refused) or the timeout
    // passes. Devices present when discovery starts are reported at once, so after this a CLI
    // lists every attached board without guessing a delay. True when idle (or not discovering).
    bool waitUntilDiscoveryIdle(std::chrono::milliseconds timeout);

    std::optional<LinkStatistics> linkStatistics(const std::string& usbBoardId) const;
    BoardManagerStatistics statistics() const;

private:
    struct HotplugEvent {
        libusb_device* device; // referenced until handled
        bool arrived;
    };
    struct Dispatch {
        std::optional<BoardEvent> event;
        std::optional<TelemetrySample> telemetry;
    };

    void discoveryLoop();
    void handleArrival(libusb_device* device);
    void handleDeparture(libusb_device* device);
    void dispatchLoop();
    void publish(BoardEvent event);
    void publishTelemetry(const TelemetrySample& sample);
    std::shared_ptr<UsbBoard> usbBoard(const std::string& id) const;
    void count(std::uint64_t BoardManagerStatistics::*field);

    BoardManagerOptions options_;

    mutable std::mutex boardsMutex_;
    mutable std::condition_variable boardsChanged_;
    std::map<std::string, std::shared_ptr<Board>> boards_;
    std::map<std::string, std::shared_ptr<UsbBoard>> usbBoards_;

    std::mutex hotplugMutex_;
    std::condition_variable hotplugWake_;
    std::deque<HotplugEvent> hotplugQueue_;
    bool handlingHotplug_ = false; // the discovery thread is opening or closing a device
    std::condition_variable discoveryIdle_;
    bool stopDiscovery_ = false;
    std::thread discoveryThread_;

    std::mutex dispatchMutex_;
    std::condition_variable dispatchWake_;
    std::deque<Dispatch> dispatchQueue_;
    std::size_t queuedTelemetry_ = 0;
    bool stopDispatch_ = false;
    std::thread dispatchThread_;

    std::mutex deliveringMutex_; // held while the dispatch thread runs handlers
    mutable std::mutex subscribersMutex_;
    SubscriptionId nextSubscription_ = 1;
    std::map<SubscriptionId, std::function<void(const BoardEvent&)>> eventSubscribers_;
    std::map<SubscriptionId, std::function<void(const TelemetrySample&)>> telemetrySubscribers_;

    mutable std::mutex telemetryMutex_; // also guards stats_
    std::deque<TelemetrySample> polled_;
    BoardManagerStatistics stats_;

    std::unique_ptr<UsbContext> usb_; // last member constructed, first destroyed after boards close
};

} // namespace nesy
