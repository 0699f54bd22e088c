#pragma once
// The search's resource check on boards of the board manager: every candidate is measured through
// BoardManager::measure on each target board still present (simulated, emulated, USB alike). A
// board that leaves mid-search faults that one trial (Disconnected) and is dropped; the following
// candidates are measured on the boards that remain. The verdict itself is built by
// codegen::measureOnBoards, as for boards measured directly.
#include "codegen/BoardResourceCheck.h"
#include "engine/ProjectEvaluator.h"
#include "host/BoardManager.h"
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace nesy {

class ManagedResourceCheck {
public:
    // Told once per board that leaves, with the reason (a CLI prints it, the GUI shows it).
    using DropHandler = std::function<void(const std::string& boardId, const std::string& why)>;

    // Throws std::invalid_argument when boardIds is empty.
    ManagedResourceCheck(std::shared_ptr<BoardManager> manager, std::vector<std::string> boardIds, DropHandler onDropped = {});

    // Measures one program on every remaining target board. Thread-safe (the evaluator may check
    // several candidates at once). When no target board is left the verdict is a Disconnected fault.
    ResourceVerdict check(const CandidateProgram& program);

    // Stops the measurements in flight and every later one (they fault as Cancelled).
    void cancel() { stop_.requestStop(); }

    std::vector<std::string> remainingBoards() const;
    std::vector<std::string> droppedBoards() const;

    // The evaluator's hook: generates each candidate's program (codegen::candidateProgramFor) and
    // checks it; `synthesis` (codegen::synthesisBound of the graph) sizes a synthesised decision
    // stage. The hook shares ownership of this check and of the manager.
    static ResourceCheck hook(std::shared_ptr<ManagedResourceCheck> check, codegen::SynthesisBound synthesis = std::nullopt);

private:
    std::shared_ptr<BoardManager> manager_;
    DropHandler onDropped_;
    StopToken stop_;
    mutable std::mutex mutex_;
    std::vector<std::string> remaining_, dropped_;
};

} // namespace nesy
