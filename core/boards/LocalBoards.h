#pragma once
// The boards this machine offers without hardware: one simulated board per profile, and one
// emulated board per profile that a QEMU machine models (unavailable, with the reason, when the
// toolchain is missing). The devices work adds attached USB boards beside these.
#include "boards/Board.h"
#include <memory>
#include <vector>

namespace nesy {

// Profiles from boardProfileDir() plus any *.json in extraProfileDirs (users' own profiles).
std::vector<std::unique_ptr<Board>> makeLocalBoards(const std::vector<std::filesystem::path>& extraProfileDirs = {});

// nullptr when no board has that id.
Board* findBoard(const std::vector<std::unique_ptr<Board>>& boards, const std::string& id);

} // namespace nesy
