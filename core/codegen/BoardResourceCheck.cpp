#include "BoardResourceCheck.h"
#include "boards/LocalBoards.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/ModelSpecLowering.h"
#include "codegen/TrialPrograms.h"
#include <algorithm>
#include <stdexcept>

namespace nesy::codegen {

CandidateProgram candidateProgramFor(const learn::CandidateModel& candidate)
{
    return buildCandidateProgram(lowerCandidateModel(candidate));
}

ResourceCheck makeBoardResourceCheck(std::vector<std::shared_ptr<Board>> boards,
                                     std::optional<std::pair<int, int>> synthesis)
{
    if (boards.empty())
        throw std::invalid_argument("a board resource check needs at least one board");
    return [boards = std::move(boards), synthesis](const learn::CandidateModel& candidate) {
        ResourceVerdict v;
        v.details = Json::array();
        CandidateProgram program;
        if (synthesis) {
            ProgramIR ir = lowerCandidateModel(candidate);
            std::vector<std::string> classes = candidate.classNames;
            for (int c = int(classes.size()); c < ir.scoresShape().size(); ++c)
                classes.push_back(std::string("class").append(std::to_string(c)));
            ir.decision = decisionBound(synthesis->first, synthesis->second,
                                        learn::decisionInputNames("symbolic.synthesized_tree", classes));
            program = buildCandidateProgram(ir);
        } else {
            program = candidateProgramFor(candidate);
        }
        StopToken never; // a measurement is short; the evaluator checks its own token around it
        for (std::size_t i = 0; i < boards.size(); ++i) {
            Measurement m = boards[i]->measure(program, never);
            v.details.push_back(m.toJson());
            if (i == 0) {
                if (m.flashBytes >= 0) v.terms["flash_bytes"] = double(m.flashBytes);
                if (m.sramBytes() >= 0) v.terms["sram_bytes"] = double(m.sramBytes());
                if (m.latencyMs >= 0) v.terms["latency_ms"] = m.latencyMs;
            }
            if (!m.ok() && v.fault.empty()) {
                v.fault = faultKindName(m.fault);
                v.detail = m.boardId + ": " + m.detail;
            }
        }
        return v;
    };
}

ResourceCheck makeBoardResourceCheck(const Project& project)
{
    if (project.boards.empty())
        return {}; // no target board: the evaluator estimates the sizes from the model alone
    auto local = makeLocalBoards();
    std::vector<std::shared_ptr<Board>> chosen;
    for (const auto& id : project.boards) {
        auto it = std::find_if(local.begin(), local.end(), [&](const auto& b) { return b && b->id() == id; });
        if (it == local.end())
            throw std::runtime_error("project board \"" + id + "\" is not a simulated or emulated board of this "
                                     "machine (attached boards come from the board manager)");
        if ((*it)->state() == BoardState::Unavailable)
            throw std::runtime_error("project board " + id + " is unavailable: " + (*it)->stateDetail());
        chosen.push_back(std::shared_ptr<Board>(std::move(*it)));
    }
    return makeBoardResourceCheck(std::move(chosen), synthesisBound(project.graph));
}

} // namespace nesy::codegen
