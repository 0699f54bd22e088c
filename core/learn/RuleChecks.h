#pragma once
// The rule blocks of a program, run on one trial's outputs: the movement channel (physics metadata
// appended to each window) and the rules whose violation rates become the trial's "rule:<name>"
// terms, on a classifier's predictions or on a tracking filter's state. Rules on sequences are judged on ordered decisions, one stream
// per recording (the windows of one subject doing one activity, in time order), never on the
// shuffled windows of a whole split.
#include "Dataset.h"
#include "Network.h"
#include "ProgramCompiler.h"
#include "engine/Evaluator.h"
#include "kalman/GroundRobotFilters.h"
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

// The rule.bound rules over a tracking filter's state: each rule's "quantity" of every state of
// every run (one stream per run, in time order; on_rate bounds its change per second between
// consecutive states, an angle's unwrapped: kalman/StateQuantity.h).
std::vector<RuleOutcome> checkStateRules(const std::vector<RuleSpec>& rules, const std::string& filterType,
                                         const std::vector<kalman::FilterRun>& runs);

// Each rule's violation rate on the validation split is the trial's "rule:<name>" term (the
// objective weights it); the counts on both splits go to details["rules"]. `test` may be empty.
void addRuleTerms(TrialResult& r, const std::vector<RuleOutcome>& validation, const std::vector<RuleOutcome>& test);

} // namespace nesy::learn
