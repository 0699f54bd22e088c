#include "CliArgs.h"
#include "Commands.h"
#include "host/ProjectBoards.h"
#include "host/UsbContext.h"
#include <iomanip>
#include <mutex>
#include <ostream>

namespace nesy::cli {

namespace {

// Attached devices the manager could not open (wrong interface, no HELLO answer ...).
class ConnectFailures {
public:
    explicit ConnectFailures(BoardManager& manager) : manager_(manager)
    {
        subscription_ = manager.subscribeBoardEvents([this](const BoardEvent& e) {
            if (e.kind != BoardEventKind::ConnectFailed)
                return;
            std::lock_guard lock(mutex_);
            failures_.push_back(e);
        });
    }
    ~ConnectFailures() { manager_.unsubscribe(subscription_); }
    std::vector<BoardEvent> events() const
    {
        std::lock_guard lock(mutex_);
        return failures_;
    }

private:
    BoardManager& manager_;
    BoardManager::SubscriptionId subscription_;
    mutable std::mutex mutex_;
    std::vector<BoardEvent> failures_;
};

} // namespace

int runBoards(const Args& args, std::ostream& out, std::ostream& err)
{
    CliArgs a(args, {"json"}, {"usb-wait"});
    const auto usbWait = std::chrono::milliseconds(a.integerOption("usb-wait", 2000));
    BoardManager manager(defaultBoardManagerOptions());
    addLocalBoards(manager);
    ConnectFailures failures(manager);
    std::string usbProblem;
    try {
        // Boards attached now are reported at once; wait until each has been opened (or refused).
        manager.startUsbDiscovery();
        if (!manager.waitUntilDiscoveryIdle(usbWait))
            usbProblem = "some attached boards did not finish connecting within " + std::to_string(usbWait.count()) + " ms";
    } catch (const UsbError& e) {
        usbProblem = std::string("libusb is unusable (") + e.what() + "); listing the local boards only";
    }
    const auto boards = manager.boards();

    if (a.flag("json")) {
        Json list = Json::array();
        for (const auto& b : boards) {
            Json j{{"id", b->id()},
                   {"kind", boardKindName(b->kind())},
                   {"state", boardStateName(b->state())},
                   {"detail", b->stateDetail()},
                   {"profile", b->profile().toJson()}};
            if (auto usb = std::dynamic_pointer_cast<UsbBoard>(b)) {
                j["serial"] = usb->serial();
                j["firmware"] = usb->firmwareVersion();
            }
            list.push_back(std::move(j));
        }
        for (const BoardEvent& e : failures.events())
            list.push_back(Json{{"id", e.boardId}, {"kind", "usb"}, {"state", "unavailable"}, {"detail", e.detail}});
        out << list.dump(2) << "\n";
        if (!usbProblem.empty())
            err << "nesy boards: USB: " << usbProblem << "\n";
        return kExitOk;
    }
    out << std::left << std::setw(26) << "board" << std::setw(11) << "kind" << std::setw(13) << "state"
        << std::setw(11) << "core" << std::right << std::setw(9) << "MHz" << std::setw(12) << "flash KB"
        << std::setw(10) << "SRAM KB" << "\n";
    for (const auto& b : boards) {
        const BoardProfile& p = b->profile();
        out << std::left << std::setw(26) << b->id() << std::setw(11) << boardKindName(b->kind()) << std::setw(13)
            << boardStateName(b->state()) << std::setw(11) << p.core << std::right << std::setw(9)
            << p.clockHz / 1e6 << std::setw(12) << p.usableFlashBytes() / 1024 << std::setw(10)
            << p.usableSramBytes() / 1024 << "\n";
        if (auto usb = std::dynamic_pointer_cast<UsbBoard>(b))
            out << "    " << p.name << ", serial " << usb->serial() << ", firmware " << usb->firmwareVersion() << "\n";
        if (b->state() == BoardState::Unavailable && !b->stateDetail().empty())
            out << "    unavailable: " << b->stateDetail() << "\n";
    }
    for (const BoardEvent& e : failures.events())
        out << std::left << std::setw(26) << e.boardId << std::setw(11) << "usb" << "unavailable: " << e.detail << "\n";
    out << "(flash and SRAM: usable after the runtime's reserve)\n";
    if (!usbProblem.empty())
        out << "USB: " << usbProblem << "\n";
    return kExitOk;
}

} // namespace nesy::cli
