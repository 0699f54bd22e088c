#include "BoardProfile.h"
#include "engine/Resources.h"
#include "graph/Project.h"
#include <algorithm>
#include <stdexcept>

namespace nesy {

Json BoardProfile::toJson() const
{
    return Json{{"id", id},
                {"name", name},
                {"mcu", mcu},
                {"core", core},
                {"fpu", fpu},
                {"clockHz", clockHz},
                {"flashBytes", flashBytes},
                {"sramBytes", sramBytes},
                {"reservedFlashBytes", reservedFlashBytes},
                {"reservedSramBytes", reservedSramBytes},
                {"emulatorMachine", emulatorMachine},
                {"cyclesPerInstruction", cyclesPerInstruction}};
}

BoardProfile BoardProfile::fromJson(const JsonReader& r)
{
    r.allowOnly({"id", "name", "mcu", "core", "fpu", "clockHz", "flashBytes", "sramBytes", "reservedFlashBytes",
                 "reservedSramBytes", "emulatorMachine", "cyclesPerInstruction", "notes"});
    BoardProfile b;
    b.id = r.at("id").asString();
    b.name = r.at("name").asString();
    b.mcu = r.optString("mcu", "");
    b.core = r.at("core").asString();
    b.fpu = r.optBool("fpu", false);
    b.clockHz = r.at("clockHz").asNumber();
    b.flashBytes = r.at("flashBytes").asInteger();
    b.sramBytes = r.at("sramBytes").asInteger();
    b.reservedFlashBytes = r.optInteger("reservedFlashBytes", 0);
    b.reservedSramBytes = r.optInteger("reservedSramBytes", 0);
    b.emulatorMachine = r.optString("emulatorMachine", "");
    b.cyclesPerInstruction = r.optNumber("cyclesPerInstruction", 1.0);
    if (b.clockHz <= 0)
        r.at("clockHz").fail("clock must be positive");
    if (b.flashBytes <= 0 || b.sramBytes <= 0)
        r.fail("flash and SRAM capacities must be positive");
    if (b.reservedFlashBytes >= b.flashBytes)
        r.at("reservedFlashBytes").fail("the runtime cannot reserve all the flash");
    if (b.reservedSramBytes >= b.sramBytes)
        r.at("reservedSramBytes").fail("the runtime cannot reserve all the SRAM");
    return b;
}

std::vector<BoardProfile> loadBoardProfiles(const std::filesystem::path& folder)
{
    std::vector<BoardProfile> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        if (entry.path().extension() != ".json")
            continue;
        std::string text = readTextFile(entry.path());
        Json doc = parseJsonText(text, entry.path().string());
        try {
            out.push_back(BoardProfile::fromJson(JsonReader(doc)));
        } catch (const FormatError& e) {
            throw FormatError(entry.path().string() + ": " + e.path(), e.problem());
        }
    }
    if (ec)
        throw FormatError(folder.string(), "cannot list board profiles: " + ec.message());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

const BoardProfile* findBoardProfile(const std::vector<BoardProfile>& profiles, const std::string& id)
{
    auto it = std::find_if(profiles.begin(), profiles.end(), [&](const BoardProfile& p) { return p.id == id; });
    return it == profiles.end() ? nullptr : &*it;
}

BoardProfile builtinBoardProfile(const std::string& id)
{
    const auto profiles = loadBoardProfiles(boardProfileDir());
    if (const BoardProfile* p = findBoardProfile(profiles, id))
        return *p;
    throw std::runtime_error("no board profile \"" + id + "\" in " + boardProfileDir().string());
}

} // namespace nesy
