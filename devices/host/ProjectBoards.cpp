#include "host/ProjectBoards.h"
#include "boards/LocalBoards.h"
#include "engine/Resources.h"
#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace nesy {

BoardManagerOptions defaultBoardManagerOptions()
{
    BoardManagerOptions options;
    options.knownProfiles = loadBoardProfiles(boardProfileDir());
    const auto ids = resourceDir() / "usb" / "usb-ids.json";
    if (std::filesystem::exists(ids))
        options.usbIds = loadUsbDeviceIds(ids);
    return options;
}

void addLocalBoards(BoardManager& manager)
{
    for (auto& board : makeLocalBoards())
        manager.addBoard(std::shared_ptr<Board>(std::move(board)));
}

bool isUsbBoardId(const std::string& id) { return id.rfind("usb:", 0) == 0; }

void requireBoards(const BoardManager& manager, const std::vector<std::string>& ids, std::chrono::milliseconds usbWait)
{
    std::vector<std::string> usb;
    std::copy_if(ids.begin(), ids.end(), std::back_inserter(usb), isUsbBoardId);
    if (!usb.empty())
        manager.waitFor([&](const std::vector<std::string>& known) {
            return std::ranges::all_of(usb, [&](const std::string& id) { return std::ranges::find(known, id) != known.end(); });
        }, usbWait);
    for (const std::string& id : ids) {
        std::shared_ptr<Board> board = manager.board(id);
        if (!board) {
            if (isUsbBoardId(id))
                throw std::runtime_error("target board " + id + " is not attached (no USB board with that id appeared within " +
                                         std::to_string(usbWait.count()) + " ms)");
            throw std::runtime_error("target board \"" + id + "\" is not a board of this machine (see nesy boards)");
        }
        if (board->state() == BoardState::Unavailable)
            throw std::runtime_error("target board " + id + " is unavailable: " + board->stateDetail());
    }
}

} // namespace nesy
