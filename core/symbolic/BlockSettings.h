#pragma once
// The symbolic and rule blocks' parameters (as stored in a project, after the trial's values are
// applied) turned into the settings of this library. Missing parameters take the catalogue's
// defaults; a value of the wrong type throws FormatError naming "<block id>.<param>".
#include "Rules.h"
#include "Synthesis.h"
#include "graph/Value.h"

namespace nesy::symbolic {

SynthesisSettings synthesisSettingsFromParams(const Json& params, const std::string& blockId);
// symbolic.threshold_tree: the template text and its constants t0..t3.
DecisionProgram thresholdTreeFromParams(const Json& params, const std::string& blockId);
// rule.sequence: the class names are resolved against the model's classes.
SequenceRule sequenceRuleFromParams(const Json& params, const std::vector<std::string>& classNames,
                                    const std::string& blockId);
// rule.bound with on_rate = false (a value bound).
BoundRule boundRuleFromParams(const Json& params, const std::string& blockId);
// rule.bound with on_rate = true: the rate limit is `max`.
RateBoundRule rateBoundRuleFromParams(const Json& params, const std::string& blockId);
MovementChannel movementChannelFromParams(const Json& params, const std::string& blockId);

// A rule's weighted objective term, "rule:<block id>" -> weight * violation rate.
double ruleTerm(const ViolationCount& count, double weight);

} // namespace nesy::symbolic
