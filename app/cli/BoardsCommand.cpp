#include "CliArgs.h"
#include "Commands.h"
#include "boards/LocalBoards.h"
#include <iomanip>
#include <ostream>

namespace nesy::cli {

int runBoards(const Args& args, std::ostream& out, std::ostream&)
{
    CliArgs a(args, {"json"}, {});
    auto boards = makeLocalBoards();
    if (a.flag("json")) {
        Json list = Json::array();
        for (const auto& b : boards)
            list.push_back(Json{{"id", b->id()},
                                {"kind", boardKindName(b->kind())},
                                {"state", boardStateName(b->state())},
                                {"detail", b->stateDetail()},
                                {"profile", b->profile().toJson()}});
        out << list.dump(2) << "\n";
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
        if (b->state() == BoardState::Unavailable && !b->stateDetail().empty())
            out << "    unavailable: " << b->stateDetail() << "\n";
    }
    out << "(flash and SRAM: usable after the runtime's reserve; attached USB boards appear when connected)\n";
    return kExitOk;
}

} // namespace nesy::cli
