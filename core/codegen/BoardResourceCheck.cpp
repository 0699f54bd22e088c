#include "BoardResourceCheck.h"
#include "boards/LocalBoards.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/ModelSpecLowering.h"
#include "codegen/TrialPrograms.h"
#include <algorithm>
#include <map>
#include <stdexcept>

namespace nesy::codegen {

CandidateProgram candidateProgramFor(const learn::CandidateModel& candidate, const SynthesisBound& synthesis)
{
    if (candidate.orientationEkf || candidate.trajectory)
        return trackingCandidateProgram(candidate); // a filter step: no decision stage
    ProgramIR ir = lowerCandidateModel(candidate);
    if (synthesis) {
        std::vector<std::string> classes = candidate.classNames;
        for (int c = int(classes.size()); c < ir.scoresShape().size(); ++c)
            classes.push_back(std::string("class").append(std::to_string(c)));
        ir.decision = decisionBound(synthesis->first, synthesis->second,
                                    learn::decisionInputNames("symbolic.synthesized_tree", classes));
    }
    return buildCandidateProgram(ir);
}

ResourceVerdict measureOnBoards(const CandidateProgram& program, const std::vector<std::string>& boardIds,
                                const BoardMeasureFn& measure)
{
    ResourceVerdict v;
    v.details = Json::array();
    for (const std::string& id : boardIds) {
        Measurement m = measure(id, program);
        v.details.push_back(m.toJson());
        // A board that faulted or left reports no figures: the next board's stand in.
        if (m.flashBytes >= 0) v.terms.try_emplace("flash_bytes", double(m.flashBytes));
        if (m.sramBytes() >= 0) v.terms.try_emplace("sram_bytes", double(m.sramBytes()));
        if (m.latencyMs >= 0) v.terms.try_emplace("latency_ms", m.latencyMs);
        if (!m.ok() && v.fault.empty()) {
            v.fault = faultKindName(m.fault);
            v.detail = m.boardId + ": " + m.detail;
        }
    }
    return v;
}

ResourceCheck makeBoardResourceCheck(std::vector<std::string> boardIds, BoardMeasureFn measure, SynthesisBound synthesis)
{
    if (boardIds.empty())
        throw std::invalid_argument("a board resource check needs at least one board");
    return [boardIds = std::move(boardIds), measure = std::move(measure), synthesis](const learn::CandidateModel& candidate) {
        return measureOnBoards(candidateProgramFor(candidate, synthesis), boardIds, measure);
    };
}

ResourceCheck makeBoardResourceCheck(std::vector<std::shared_ptr<Board>> boards, SynthesisBound synthesis)
{
    std::vector<std::string> ids;
    std::map<std::string, std::shared_ptr<Board>> byId;
    for (auto& b : boards) {
        ids.push_back(b->id());
        byId[b->id()] = std::move(b);
    }
    return makeBoardResourceCheck(std::move(ids), [byId = std::move(byId)](const std::string& id, const CandidateProgram& p) {
        StopToken never; // a measurement is short; the evaluator checks its own token around it
        return byId.at(id)->measure(p, never);
    }, synthesis);
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
