#pragma once
// Filling a BoardManager the way the CLI and the workbench do, and finding a project's target
// boards in it: the machine's simulated and emulated boards are added by hand, attached USB boards
// arrive through discovery (possibly a little after it starts).
#include "host/BoardManager.h"
#include <chrono>
#include <string>
#include <vector>

namespace nesy {

// Known profiles from boardProfileDir(), USB ids from resources/usb/usb-ids.json (the built-in
// defaults when that file is missing).
BoardManagerOptions defaultBoardManagerOptions();

// The machine's simulated and emulated boards (makeLocalBoards), each added to the manager.
void addLocalBoards(BoardManager& manager);

bool isUsbBoardId(const std::string& id); // "usb:..."

// Checks that every id names a board the manager knows and that can measure. USB ids get up to
// `usbWait` to be discovered (arrivals take a handshake). Throws std::runtime_error naming the
// first missing or unavailable board.
void requireBoards(const BoardManager& manager, const std::vector<std::string>& ids, std::chrono::milliseconds usbWait);

} // namespace nesy
