#pragma once
// A target board's limits and core, read from resources/boards/*.json or a user's profile file.
#include "graph/JsonReader.h"
#include <filesystem>
#include <string>
#include <vector>

namespace nesy {

struct BoardProfile {
    std::string id;          // "nucleo-f446re"
    std::string name;        // "NUCLEO-F446RE"
    std::string mcu;         // "STM32F446RE"
    std::string core;        // "cortex-m4", "cortex-m7", "ispu"
    bool fpu = false;
    double clockHz = 0;
    std::int64_t flashBytes = 0;
    std::int64_t sramBytes = 0;
    std::int64_t reservedFlashBytes = 0; // taken by the runtime before any program
    std::int64_t reservedSramBytes = 0;
    std::string emulatorMachine;         // qemu-system-arm -M value, empty when none models it
    double cyclesPerInstruction = 1.0;   // documented average for latency = instructions * CPI / clock

    std::int64_t usableFlashBytes() const { return flashBytes - reservedFlashBytes; }
    std::int64_t usableSramBytes() const { return sramBytes - reservedSramBytes; }

    Json toJson() const;
    static BoardProfile fromJson(const JsonReader& r);
    bool operator==(const BoardProfile&) const = default;
};

// Every *.json profile in a folder, sorted by id; throws FormatError naming a bad file.
std::vector<BoardProfile> loadBoardProfiles(const std::filesystem::path& folder);

// The profile with this id, or nullptr.
const BoardProfile* findBoardProfile(const std::vector<BoardProfile>& profiles, const std::string& id);

// The built-in profile (boardProfileDir()) with this id; throws std::runtime_error naming the id
// and the folder when there is none.
BoardProfile builtinBoardProfile(const std::string& id);

} // namespace nesy
