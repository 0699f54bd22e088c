#pragma once
// The evaluator's resource-check hook (EvaluatorOptions::resourceCheck) backed by boards: each
// candidate the learning engine builds is generated as C and measured on every target board
// before it is trained; a fault on any board makes it infeasible (hard thresholding).
//
// The verdict is built in one place (measureOnBoards) from a measure function, so the boards can
// come from anywhere: a list of Board objects here, or the board manager (devices/host/
// ManagedResourceCheck.h), which is what the CLI and the workbench use.
#include "boards/Board.h"
#include "engine/ProjectEvaluator.h"
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nesy::codegen {

// (max depth, max trees) of a synthesised decision stage (synthesisBound in TrialPrograms.h), or none.
using SynthesisBound = std::optional<std::pair<int, int>>;

// The candidate as a board measures it (generated C, summary, test input, expected output). With a
// synthesis bound the program has a decision stage as large as the synthesised one can be (it is
// synthesised after training; see decisionBound in TrialPrograms.h). A tracking candidate (orientation
// EKF, trajectory filter) is its filter step (trackingCandidateProgram in TrialPrograms.h).
CandidateProgram candidateProgramFor(const learn::CandidateModel& candidate, const SynthesisBound& synthesis = std::nullopt);

// Measures one program on the board with that id.
using BoardMeasureFn = std::function<Measurement(const std::string& boardId, const CandidateProgram& program)>;

// Measures `program` on each board in order. Terms (flash_bytes, sram_bytes, latency_ms) come from
// the first board that reports them (the primary target); details list every board's measurement;
// the first fault, named with its board, makes the verdict undeployable.
ResourceVerdict measureOnBoards(const CandidateProgram& program, const std::vector<std::string>& boardIds,
                                const BoardMeasureFn& measure);

// candidateProgramFor + measureOnBoards. Throws std::invalid_argument when boardIds is empty.
ResourceCheck makeBoardResourceCheck(std::vector<std::string> boardIds, BoardMeasureFn measure,
                                     SynthesisBound synthesis = std::nullopt);

// Boards shared with their owner, measured directly.
ResourceCheck makeBoardResourceCheck(std::vector<std::shared_ptr<Board>> boards, SynthesisBound synthesis = std::nullopt);

// The project's target boards (Project::boards ids such as "sim:nucleo-f446re", "emu:...") from
// the local boards; empty (sizes estimated from the model) when the project names no board.
// Throws std::runtime_error naming an id that is not a local board.
ResourceCheck makeBoardResourceCheck(const Project& project);

} // namespace nesy::codegen
