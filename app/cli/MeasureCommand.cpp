#include "CliArgs.h"
#include "Commands.h"
#include "codegen/TrialPrograms.h"
#include "learn/ProgramCompiler.h"
#include "codegen/TrialSelection.h"
#include "graph/Project.h"
#include "host/ProjectBoards.h"
#include "host/UsbContext.h"
#include <iomanip>
#include <ostream>

namespace nesy::cli {

int runMeasure(const Args& args, std::ostream& out, std::ostream& err)
{
    CliArgs a(args, {"json", "untrained"}, {"trial", "board", "journal", "threads", "board-wait"});
    const std::string file = a.requirePositional(0, "project FILE");
    const auto trial = a.option("trial");
    const auto boardId = a.option("board");
    if (!trial || !boardId)
        throw UsageError("--trial and --board are required");
    Project project = loadProject(file);
    std::filesystem::path journal = a.option("journal") ? std::filesystem::path(*a.option("journal"))
                                                        : journalPathFor(file);
    ProgramGraph graph = codegen::trialGraph(project, *trial, journal);

    BoardManager boards(defaultBoardManagerOptions());
    addLocalBoards(boards);
    if (isUsbBoardId(*boardId)) {
        try {
            boards.startUsbDiscovery();
        } catch (const UsbError& e) {
            err << "nesy measure: USB is unusable: " << e.what() << "\n";
            return kExitUnavailable;
        }
        const auto wait = std::chrono::milliseconds(a.integerOption("board-wait", 3000));
        boards.waitFor([&](const auto& ids) { return std::ranges::find(ids, *boardId) != ids.end(); }, wait);
    }
    std::shared_ptr<Board> board = boards.board(*boardId);
    if (!board) {
        err << "nesy measure: no board \"" << *boardId << "\" (see nesy boards)\n";
        return kExitUsage;
    }
    if (board->state() == BoardState::Unavailable) {
        err << "nesy measure: " << board->id() << " is unavailable: " << board->stateDetail() << "\n";
        return kExitUnavailable;
    }

    Measurement m;
    m.boardId = board->id();
    std::string weights = "trained";
    try {
        // The trial's trained program (retrained with its seed), or with --untrained the architecture
        // with placeholder weights: what the search measures before training (docs/boards.md).
        CandidateProgram program;
        if (a.flag("untrained")) {
            program = codegen::candidateProgramForGraph(graph, project, BlockRegistry::builtin());
            weights = "placeholder";
        } else {
            program = codegen::candidateProgramFor(
                codegen::retrainTrial(project, graph, static_cast<int>(a.integerOption("threads", 0))).program);
        }
        StopToken stop;
        m = boards.measure(board->id(), program, stop);
    } catch (const learn::CompileError& e) {
        m.fault = FaultKind::UnsupportedOperation;
        m.detail = e.what();
    }
    if (a.flag("json")) {
        Json j = m.toJson();
        j["trial"] = *trial;
        j["weights"] = weights;
        j["sram_bytes"] = m.sramBytes();
        out << j.dump(2) << "\n";
    } else {
        out << "trial " << *trial << " (" << weights << " weights) on " << m.boardId << ": "
            << (m.ok() ? "ok" : faultKindName(m.fault)) << "\n";
        if (m.flashBytes >= 0)
            out << "  flash        " << m.flashBytes << " bytes\n";
        if (m.sramStaticBytes >= 0)
            out << "  SRAM static  " << m.sramStaticBytes << " bytes\n";
        if (m.peakStackBytes >= 0)
            out << "  peak stack   " << m.peakStackBytes << " bytes\n";
        if (m.latencyMs >= 0)
            out << "  latency      " << std::fixed << std::setprecision(3) << m.latencyMs << " ms (" << m.cycles
                << " cycles)\n";
        if (!m.detail.empty())
            out << "  " << m.detail << "\n";
    }
    return m.ok() ? kExitOk : kExitInvalid;
}

} // namespace nesy::cli
