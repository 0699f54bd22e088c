#include "LocalBoards.h"
#include "boards/EmulatedBoard.h"
#include "boards/SimulatedBoard.h"
#include "engine/Resources.h"

namespace nesy {

std::vector<std::unique_ptr<Board>> makeLocalBoards(const std::vector<std::filesystem::path>& extraProfileDirs)
{
    std::vector<BoardProfile> profiles = loadBoardProfiles(boardProfileDir());
    for (const auto& dir : extraProfileDirs) {
        auto more = loadBoardProfiles(dir);
        profiles.insert(profiles.end(), more.begin(), more.end());
    }
    auto models = loadResourceModels(defaultResourceModelFile());
    ArmToolchain toolchain = ArmToolchain::locate();
    std::vector<std::unique_ptr<Board>> boards;
    for (const auto& p : profiles)
        boards.push_back(std::make_unique<SimulatedBoard>(p, resourceModelFor(p, models)));
    for (const auto& p : profiles)
        boards.push_back(std::make_unique<EmulatedBoard>(p, toolchain));
    return boards;
}

Board* findBoard(const std::vector<std::unique_ptr<Board>>& boards, const std::string& id)
{
    for (const auto& b : boards)
        if (b->id() == id)
            return b.get();
    return nullptr;
}

} // namespace nesy
