#pragma once
// One trial of a search as the engine reports it and the journal stores it: a plain, copyable value
// so that an observer (the GUI) can queue it to another thread without touching engine state.
#include "engine/Evaluator.h"
#include "graph/JsonReader.h"
#include "graph/ProgramGraph.h"
#include <cstdint>
#include <limits>
#include <map>
#include <string>

namespace nesy {

// How a candidate came to be proposed (shown in the GUI and the journal).
enum class ProposalKind {
    Initial, // one of the initial random points
    Random,  // the decaying random-proposal coin came up
    Ucb,     // the UCB maximiser (or one member of a batch)
};
std::string proposalKindName(ProposalKind k);

struct TrialRecord {
    int id = 0;                    // 0, 1, 2 ... in proposal order, stable across resume
    Assignment assignment;         // "block.param" -> value
    TrialStatus status = TrialStatus::Ok;
    std::string fault;             // fault kind when not Ok ("flash-overflow" ...)
    std::string detail;            // human-readable reason when not Ok
    std::map<std::string, double> terms; // every raw term the evaluator returned
    // The minimised objective (weighted normalised terms, or the penalty when infeasible);
    // NaN while running and for failed or cancelled trials.
    double objective = std::numeric_limits<double>::quiet_NaN();
    ProposalKind proposedBy = ProposalKind::Initial;
    double suggestMs = 0;          // wall time the optimizer took to propose it (its batch)
    std::int64_t startedMs = 0;    // Unix epoch milliseconds
    std::int64_t finishedMs = 0;   // 0 while running
    Json details = Json::object(); // the evaluator's details (per-board measurements ...)

    bool finished() const { return finishedMs != 0; }
    bool hasObjective() const { return objective == objective; } // not NaN

    Json toJson() const;
    // Throws FormatError naming the JSON path of the first problem.
    static TrialRecord fromJson(const JsonReader& r);
};

// The term a Pareto objective name refers to: "flash" -> "flash_bytes", "sram" -> "sram_bytes",
// "latency" -> "latency_ms"; "objective" is the scalar objective; anything else is a term name.
std::string termForObjectiveName(const std::string& name);
// The value of that objective for a trial, or nullopt when the trial lacks it.
std::optional<double> objectiveValue(const TrialRecord& t, const std::string& name);

} // namespace nesy
