#pragma once
// Writes one trial's program as a self-contained C project (sources, host example, expected output,
// Makefile, README). Shared by `nesy export` and the workbench's "Export C code" action.
#include "graph/Project.h"
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nesy::codegen {

struct TrialExportOptions {
    std::string trialId = "default";    // "default": the project's current values; else a journal trial id
    std::filesystem::path journal;      // empty: journalPathFor(projectFile)
    std::filesystem::path projectFile;  // where the project was loaded from (names the default journal)
    std::filesystem::path outDir;
    int threads = 0;                    // for retraining the trial's program; 0: the machine's cores
    bool retrain = true;                // false: the architecture with placeholder weights (no training)
};

struct TrialExportResult {
    std::string programName;
    std::int64_t weightBytes = 0;
    std::int64_t arenaBytes = 0;
    bool trainedWeights = false;        // false: the architecture with placeholder weights
    std::string metric;                 // trained: the trial's metric and its validation error
    double validationError = 0;
    // The error the search journal recorded for the trial (none for "default"). It differs from
    // validationError when the journal was written by a build that rounds differently (another
    // NESY_CPU_LEVEL or compiler): the weights are then a retraining, not the ones the search scored.
    std::optional<double> searchedError;
    bool retrainedAsSearched() const { return !searchedError || *searchedError == validationError; }
    std::vector<std::filesystem::path> files; // every file written, in outDir
};

// Retrains the trial's program with the trial's seed (TrialPrograms.h) unless options.retrain is false.
// Throws std::runtime_error naming what is wrong (unknown trial, unwritable folder, unsupported block,
// a trial that cannot be trained).
TrialExportResult exportTrial(const Project& project, const TrialExportOptions& options);

// Why a retrained trial's error is not the journal's (when !r.retrainedAsSearched()), for the
// export's README and the CLI.
std::string retrainedDifferentlyText(const TrialExportResult& r);

} // namespace nesy::codegen
