#pragma once
// The evaluator's resource-check hook (EvaluatorOptions::resourceCheck) backed by boards: each
// candidate the learning engine builds is generated as C and measured on every target board
// before it is trained; a fault on any board makes it infeasible (hard thresholding).
#include "boards/Board.h"
#include "engine/ProjectEvaluator.h"
#include <memory>
#include <optional>
#include <vector>

namespace nesy::codegen {

// The candidate as a board measures it (generated C, summary, test input, expected output).
CandidateProgram candidateProgramFor(const learn::CandidateModel& candidate);

// Boards are shared with their owner (e.g. the board manager); terms come from the first board
// (the primary target), details list every board's measurement. `synthesis` (max depth, max trees):
// the program has a synthesised decision stage, measured as its largest possible size (it is
// synthesised after training; see decisionBound in TrialPrograms.h).
ResourceCheck makeBoardResourceCheck(std::vector<std::shared_ptr<Board>> boards,
                                     std::optional<std::pair<int, int>> synthesis = std::nullopt);

// The project's target boards (Project::boards ids such as "sim:nucleo-f446re", "emu:...") from
// the local boards; empty (sizes estimated from the model) when the project names no board.
// Throws std::runtime_error naming an id that is not a local board.
ResourceCheck makeBoardResourceCheck(const Project& project);

} // namespace nesy::codegen
