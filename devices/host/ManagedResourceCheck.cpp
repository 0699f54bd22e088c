#include "host/ManagedResourceCheck.h"
#include "codegen/BoardResourceCheck.h"
#include <algorithm>
#include <stdexcept>

namespace nesy {

ManagedResourceCheck::ManagedResourceCheck(std::shared_ptr<BoardManager> manager, std::vector<std::string> boardIds,
                                           DropHandler onDropped)
    : manager_(std::move(manager)), onDropped_(std::move(onDropped)), remaining_(std::move(boardIds))
{
    if (!manager_)
        throw std::invalid_argument("ManagedResourceCheck: no board manager");
    if (remaining_.empty())
        throw std::invalid_argument("a board resource check needs at least one target board");
}

ResourceVerdict ManagedResourceCheck::check(const CandidateProgram& program)
{
    const std::vector<std::string> targets = remainingBoards();
    if (targets.empty()) {
        ResourceVerdict v;
        v.fault = faultKindName(FaultKind::Disconnected);
        v.detail = "every target board has left (" + [this] {
            std::string ids;
            for (const auto& id : droppedBoards())
                ids += (ids.empty() ? "" : ", ") + id;
            return ids;
        }() + ")";
        v.details = Json::array();
        return v;
    }
    std::vector<std::pair<std::string, std::string>> left; // board, why
    ResourceVerdict v = codegen::measureOnBoards(program, targets, [&](const std::string& id, const CandidateProgram& p) {
        Measurement m = manager_->measure(id, p, stop_);
        if (m.fault == FaultKind::Disconnected)
            left.emplace_back(id, m.detail);
        return m;
    });
    for (const auto& [id, why] : left) {
        {
            std::lock_guard lock(mutex_);
            auto it = std::ranges::find(remaining_, id);
            if (it == remaining_.end())
                continue; // a concurrent check dropped it already
            remaining_.erase(it);
            dropped_.push_back(id);
        }
        if (onDropped_)
            onDropped_(id, why);
    }
    return v;
}

std::vector<std::string> ManagedResourceCheck::remainingBoards() const
{
    std::lock_guard lock(mutex_);
    return remaining_;
}

std::vector<std::string> ManagedResourceCheck::droppedBoards() const
{
    std::lock_guard lock(mutex_);
    return dropped_;
}

ResourceCheck ManagedResourceCheck::hook(std::shared_ptr<ManagedResourceCheck> check, codegen::SynthesisBound synthesis)
{
    return [check = std::move(check), synthesis](const learn::CandidateModel& candidate) {
        return check->check(codegen::candidateProgramFor(candidate, synthesis));
    };
}

} // namespace nesy
