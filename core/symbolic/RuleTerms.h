#pragma once
// The objective terms a program's rule blocks add. One rule block (rule.sequence, rule.bound) gives
// the term "rule:<name>": its violation rate, weighted in the objective by the rule's own weight.
// <name> is the name of the sink.term that takes the rule's violations, or else the rule's block
// id; the sink.term's weight multiplies the rule's. Shared by the evaluator (which reports the
// rates) and the objective (which weights them), so the two always agree on names and weights.
#include "graph/BlockRegistry.h"
#include "graph/ProgramGraph.h"
#include <map>
#include <string>
#include <vector>

namespace nesy::symbolic {

struct RuleTermSpec {
    std::string ruleBlock; // the rule.* block id
    std::string ruleType;  // "rule.sequence" or "rule.bound"
    std::string termBlock; // the sink.term block id, empty when the rule has none
    std::string term;      // "rule:<name>"
    double weight = 1.0;   // rule weight x sink.term weight
};

// Every rule block's term, in graph order. Throws std::runtime_error naming the block when two
// rules would report the same term name.
std::vector<RuleTermSpec> ruleTerms(const ProgramGraph& graph, const BlockRegistry& registry);

// "rule:<name>" -> weight, for the objective.
std::map<std::string, double> ruleTermWeights(const ProgramGraph& graph, const BlockRegistry& registry);

bool isRuleTermBlock(const std::string& type); // rule.sequence, rule.bound

} // namespace nesy::symbolic
