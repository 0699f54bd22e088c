#pragma once
// The rule blocks of a classification program, run on one trial's predictions: the movement
// channel (physics metadata appended to each window) and the rules whose violation rates become
// the trial's "rule:<name>" terms. Rules on sequences are judged on ordered decisions, one stream
// per recording (the windows of one subject doing one activity, in time order), never on the
// shuffled windows of a whole split.
#include "Dataset.h"
#include "Network.h"
#include "ProgramCompiler.h"
#include "symbolic/Rules.h"
#include <cstddef>
#include <vector>

namespace nesy::learn {

// `d` with the movement-detected channel ("moving", 1/0) appended to every sample.
Dataset withMovementChannel(const Dataset& d, const symbolic::MovementChannel& channel);

// The windows of each recording, in time order: loaders and makeWindows emit one recording's
// windows consecutively and splitting keeps that order, and no loader emits two adjacent
// recordings of the same subject and activity, so a run of equal (subject, label) is a recording.
std::vector<std::vector<std::size_t>> recordingStreams(const Dataset& d);

// What one trial's rules saw on one split.
struct RuleOutcome {
    const RuleSpec* rule = nullptr;
    symbolic::ViolationCount count;
};

// The rules checked on one split. `modelDecisions` and `scores` are the backbone's (argmax and
// raw outputs), `programDecisions` the symbolic program's (empty without one); `strideSeconds` is
// the time between consecutive windows of a recording.
std::vector<RuleOutcome> checkRules(const std::vector<RuleSpec>& rules, const Dataset& d,
                                    const std::vector<int>& modelDecisions, const std::vector<int>& programDecisions,
                                    const Matrix& scores, double strideSeconds);

} // namespace nesy::learn
