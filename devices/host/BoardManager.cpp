#include "host/BoardManager.h"
#include <libusb.h>
#include <stdexcept>

namespace nesy {

BoardManager::BoardManager(BoardManagerOptions options) : options_(std::move(options))
{
    dispatchThread_ = std::thread([this] { dispatchLoop(); });
}

BoardManager::~BoardManager()
{
    if (usb_)
        usb_->stopWatching(); // no new hotplug events from here on
    {
        std::lock_guard lock(hotplugMutex_);
        stopDiscovery_ = true;
    }
    hotplugWake_.notify_all();
    if (discoveryThread_.joinable())
        discoveryThread_.join();
    std::map<std::string, std::shared_ptr<UsbBoard>> usbBoards;
    {
        std::lock_guard lock(boardsMutex_);
        usbBoards.swap(usbBoards_);
        boards_.clear();
    }
    for (auto& [id, board] : usbBoards)
        board->disconnect("the board manager shut down");
    usbBoards.clear(); // links closed while the event thread still runs
    for (const HotplugEvent& e : hotplugQueue_)
        libusb_unref_device(e.device); // queued but never handled
    hotplugQueue_.clear();
    usb_.reset();
    {
        std::lock_guard lock(dispatchMutex_);
        stopDispatch_ = true;
    }
    dispatchWake_.notify_all();
    dispatchThread_.join();
}

void BoardManager::startUsbDiscovery()
{
    if (usb_)
        return;
    usb_ = std::make_unique<UsbContext>();
    try {
        // Boards present now are reported right here (ENUMERATE) and wait in the queue for the
        // discovery thread started below.
        usb_->watchHotplug([this](libusb_device* device, bool arrived) {
            libusb_device_descriptor d{};
            if (libusb_get_device_descriptor(device, &d) != LIBUSB_SUCCESS || !containsUsbId(options_.usbIds, d.idVendor, d.idProduct))
                return;
            libusb_ref_device(device);
            {
                std::lock_guard lock(hotplugMutex_);
                hotplugQueue_.push_back({device, arrived});
            }
            hotplugWake_.notify_all();
        });
    } catch (...) {
        for (const HotplugEvent& e : hotplugQueue_)
            libusb_unref_device(e.device);
        hotplugQueue_.clear();
        usb_.reset();
        throw;
    }
    discoveryThread_ = std::thread([this] { discoveryLoop(); });
}

bool BoardManager::usbDiscoveryRunning() const
{
    return usb_ && usb_->eventThreadRunning();
}

void BoardManager::discoveryLoop()
{
    for (;;) {
        std::optional<HotplugEvent> event;
        {
            std::unique_lock lock(hotplugMutex_);
            hotplugWake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopDiscovery_ || !hotplugQueue_.empty(); });
            if (stopDiscovery_)
                return;
            if (!hotplugQueue_.empty()) {
                event = hotplugQueue_.front();
                hotplugQueue_.pop_front();
                handlingHotplug_ = true;
            }
        }
        if (event) {
            if (event->arrived)
                handleArrival(event->device);
            else
                handleDeparture(event->device);
            libusb_unref_device(event->device);
            {
                std::lock_guard lock(hotplugMutex_);
                handlingHotplug_ = false;
            }
            discoveryIdle_.notify_all();
        }
        // A link can die (transfer error) without a departure event, e.g. a device that resets
        // itself: drop such boards too, so the list only shows boards that can measure.
        std::vector<std::shared_ptr<UsbBoard>> dead;
        {
            std::lock_guard lock(boardsMutex_);
            for (auto it = usbBoards_.begin(); it != usbBoards_.end();) {
                if (it->second->state() == BoardState::Disconnected) {
                    dead.push_back(it->second);
                    boards_.erase(it->first);
                    it = usbBoards_.erase(it);
                } else {
                    ++it;
                }
            }
        }
        if (!dead.empty())
            boardsChanged_.notify_all();
        for (auto& b : dead) {
            std::string why = b->stateDetail().empty() ? "link lost" : b->stateDetail();
            b->disconnect(why);
            publish({BoardEventKind::Removed, b->id(), BoardKind::Usb, why});
        }
    }
}

void BoardManager::handleArrival(libusb_device* device)
{
    const std::string id = usbBoardId(device);
    count(&BoardManagerStatistics::usbArrivals);
    if (usbBoard(id))
        return; // enumeration and a hotplug event can report the same device
    std::optional<UsbEndpoints> endpoints = findBoardInterface(device);
    if (!endpoints) {
        count(&BoardManagerStatistics::connectFailures);
        publish({BoardEventKind::ConnectFailed, id, BoardKind::Usb, "no vendor-specific or CDC data interface with bulk IN and OUT"});
        return;
    }
    std::shared_ptr<UsbBoard> board;
    try {
        board = UsbBoard::connect(*usb_, device, *endpoints, options_.usb, options_.knownProfiles,
                                  [this](const TelemetrySample& s) { publishTelemetry(s); });
    } catch (const std::exception& e) {
        count(&BoardManagerStatistics::connectFailures);
        publish({BoardEventKind::ConnectFailed, id, BoardKind::Usb, e.what()});
        return;
    }
    {
        std::lock_guard lock(boardsMutex_);
        boards_[id] = board;
        usbBoards_[id] = board;
    }
    boardsChanged_.notify_all();
    publish({BoardEventKind::Added, id, BoardKind::Usb, board->profile().id + ", firmware " + board->firmwareVersion()});
}

void BoardManager::handleDeparture(libusb_device* device)
{
    const std::string id = usbBoardId(device);
    std::shared_ptr<UsbBoard> board;
    {
        count(&BoardManagerStatistics::usbDepartures);
        std::lock_guard lock(boardsMutex_);
        auto it = usbBoards_.find(id);
        if (it == usbBoards_.end())
            return;
        board = it->second;
        usbBoards_.erase(it);
        boards_.erase(id);
    }
    boardsChanged_.notify_all();
    board->disconnect("unplugged");
    publish({BoardEventKind::Removed, id, BoardKind::Usb, "unplugged"});
}

void BoardManager::addBoard(std::shared_ptr<Board> board)
{
    if (!board)
        throw std::invalid_argument("BoardManager::addBoard: null board");
    const std::string id = board->id();
    const BoardKind kind = board->kind();
    {
        std::lock_guard lock(boardsMutex_);
        if (boards_.count(id))
            throw std::invalid_argument("BoardManager::addBoard: a board with id \"" + id + "\" is already known");
        boards_[id] = std::move(board);
    }
    boardsChanged_.notify_all();
    publish({BoardEventKind::Added, id, kind, {}});
}

bool BoardManager::removeBoard(const std::string& id)
{
    std::shared_ptr<Board> board;
    std::shared_ptr<UsbBoard> usb;
    {
        std::lock_guard lock(boardsMutex_);
        auto it = boards_.find(id);
        if (it == boards_.end())
            return false;
        board = it->second;
        boards_.erase(it);
        auto u = usbBoards_.find(id);
        if (u != usbBoards_.end()) {
            usb = u->second;
            usbBoards_.erase(u);
        }
    }
    boardsChanged_.notify_all();
    if (usb)
        usb->disconnect("removed by the application");
    publish({BoardEventKind::Removed, id, board->kind(), "removed by the application"});
    return true;
}

std::vector<std::shared_ptr<Board>> BoardManager::boards() const
{
    std::lock_guard lock(boardsMutex_);
    std::vector<std::shared_ptr<Board>> out;
    for (const auto& [id, b] : boards_)
        out.push_back(b);
    return out;
}

std::shared_ptr<Board> BoardManager::board(const std::string& id) const
{
    std::lock_guard lock(boardsMutex_);
    auto it = boards_.find(id);
    return it == boards_.end() ? nullptr : it->second;
}

std::vector<std::string> BoardManager::boardIds() const
{
    std::lock_guard lock(boardsMutex_);
    std::vector<std::string> ids;
    for (const auto& [id, b] : boards_)
        ids.push_back(id);
    return ids;
}

std::shared_ptr<UsbBoard> BoardManager::usbBoard(const std::string& id) const
{
    std::lock_guard lock(boardsMutex_);
    auto it = usbBoards_.find(id);
    return it == usbBoards_.end() ? nullptr : it->second;
}

Measurement BoardManager::measure(const std::string& boardId, const CandidateProgram& program, const StopToken& stop)
{
    std::shared_ptr<Board> b = board(boardId);
    if (!b) {
        Measurement m;
        m.boardId = boardId;
        m.fault = FaultKind::Disconnected;
        m.detail = "no board \"" + boardId + "\" (removed or never added)";
        return m;
    }
    Measurement m = b->measure(program, stop);
    if (b->kind() != BoardKind::Usb) {
        TelemetrySample s;
        s.boardId = boardId;
        s.time = std::chrono::steady_clock::now();
        s.flashUsedBytes = std::max<std::int64_t>(m.flashBytes, 0);
        s.sramUsedBytes = std::max<std::int64_t>(m.sramBytes(), 0);
        s.lastLatencyMs = std::max(m.latencyMs, 0.0);
        s.state = b->state();
        publishTelemetry(s);
    }
    return m;
}

BoardManager::SubscriptionId BoardManager::subscribeBoardEvents(std::function<void(const BoardEvent&)> handler)
{
    std::lock_guard lock(subscribersMutex_);
    SubscriptionId id = nextSubscription_++;
    eventSubscribers_[id] = std::move(handler);
    return id;
}

BoardManager::SubscriptionId BoardManager::subscribeTelemetry(std::function<void(const TelemetrySample&)> handler)
{
    std::lock_guard lock(subscribersMutex_);
    SubscriptionId id = nextSubscription_++;
    telemetrySubscribers_[id] = std::move(handler);
    return id;
}

void BoardManager::unsubscribe(SubscriptionId id)
{
    {
        std::lock_guard lock(subscribersMutex_);
        eventSubscribers_.erase(id);
        telemetrySubscribers_.erase(id);
    }
    if (std::this_thread::get_id() != dispatchThread_.get_id()) {
        std::lock_guard wait(deliveringMutex_); // a delivery in progress may still hold a copy
    }
}

void BoardManager::publish(BoardEvent event)
{
    {
        std::lock_guard lock(dispatchMutex_);
        dispatchQueue_.push_back({std::move(event), std::nullopt}); // board events are never dropped
    }
    dispatchWake_.notify_one();
}

void BoardManager::publishTelemetry(const TelemetrySample& sample)
{
    {
        std::lock_guard lock(telemetryMutex_);
        ++stats_.telemetryReceived;
        if (polled_.size() >= options_.telemetryQueueCapacity) {
            polled_.pop_front();
            ++stats_.telemetryDroppedPolled;
        }
        polled_.push_back(sample);
    }
    bool anyone;
    {
        std::lock_guard lock(subscribersMutex_);
        anyone = !telemetrySubscribers_.empty();
    }
    if (!anyone)
        return;
    bool dropped = false;
    {
        std::lock_guard lock(dispatchMutex_);
        if (queuedTelemetry_ >= options_.telemetryQueueCapacity) {
            for (auto it = dispatchQueue_.begin(); it != dispatchQueue_.end(); ++it) {
                if (it->telemetry) {
                    dispatchQueue_.erase(it);
                    --queuedTelemetry_;
                    dropped = true;
                    break;
                }
            }
        }
        dispatchQueue_.push_back({std::nullopt, sample});
        ++queuedTelemetry_;
    }
    if (dropped) {
        std::lock_guard lock(telemetryMutex_);
        ++stats_.telemetryDroppedDispatch;
    }
    dispatchWake_.notify_one();
}

void BoardManager::dispatchLoop()
{
    for (;;) {
        Dispatch item;
        {
            std::unique_lock lock(dispatchMutex_);
            dispatchWake_.wait(lock, [this] { return stopDispatch_ || !dispatchQueue_.empty(); });
            if (dispatchQueue_.empty())
                return; // stopping, and everything published has been delivered
            item = std::move(dispatchQueue_.front());
            dispatchQueue_.pop_front();
            if (item.telemetry)
                --queuedTelemetry_;
        }
        // Copy the handlers so a handler may unsubscribe without deadlocking.
        std::lock_guard delivering(deliveringMutex_);
        std::vector<std::function<void(const BoardEvent&)>> events;
        std::vector<std::function<void(const TelemetrySample&)>> telemetry;
        {
            std::lock_guard lock(subscribersMutex_);
            if (item.event)
                for (auto& [id, h] : eventSubscribers_)
                    events.push_back(h);
            if (item.telemetry)
                for (auto& [id, h] : telemetrySubscribers_)
                    telemetry.push_back(h);
        }
        for (auto& h : events)
            h(*item.event);
        for (auto& h : telemetry)
            h(*item.telemetry);
    }
}

std::vector<TelemetrySample> BoardManager::takeTelemetry(std::size_t max)
{
    std::lock_guard lock(telemetryMutex_);
    std::vector<TelemetrySample> out;
    while (!polled_.empty() && out.size() < max) {
        out.push_back(std::move(polled_.front()));
        polled_.pop_front();
    }
    return out;
}

bool BoardManager::waitFor(const std::function<bool(const std::vector<std::string>&)>& pred, std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(boardsMutex_);
    for (;;) {
        std::vector<std::string> ids;
        for (const auto& [id, b] : boards_)
            ids.push_back(id);
        if (pred(ids))
            return true;
        if (boardsChanged_.wait_until(lock, deadline) == std::cv_status::timeout) {
            ids.clear();
            for (const auto& [id, b] : boards_)
                ids.push_back(id);
            return pred(ids);
        }
    }
}

bool BoardManager::waitUntilDiscoveryIdle(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(hotplugMutex_);
    if (!discoveryThread_.joinable())
        return true;
    return discoveryIdle_.wait_for(lock, timeout, [this] { return stopDiscovery_ || (hotplugQueue_.empty() && !handlingHotplug_); });
}

void BoardManager::count(std::uint64_t BoardManagerStatistics::*field)
{
    std::lock_guard lock(telemetryMutex_);
    ++(stats_.*field);
}

std::optional<LinkStatistics> BoardManager::linkStatistics(const std::string& id) const
{
    auto b = usbBoard(id);
    if (!b)
        return std::nullopt;
    return b->statistics();
}

BoardManagerStatistics BoardManager::statistics() const
{
    BoardManagerStatistics s;
    {
        std::lock_guard lock(telemetryMutex_);
        s = stats_;
    }
    return s;
}

} // namespace nesy
