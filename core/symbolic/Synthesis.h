#pragma once
// Enumerative synthesis of decision programs. Every decision tree up to `maxDepth` whose splits are
// drawn from a pool of predicates (input > threshold, input > input, and optionally arithmetic terms
// such as a - b or abs(a) against thresholds) is considered; programs that behave the same on the
// data are pruned (equal predicates, splits that divide the rows reaching a node the same way), and
// the best by the objective is returned. The search is exact over that space: the objective adds
// over the rows, so the best tree under a split is the best tree on each side, memoised per row set.
#include "DecisionProgram.h"

namespace nesy::symbolic {

struct SynthesisSettings {
    int maxDepth = 2;           // if-then-else nesting
    int maxTrees = 1;           // trees combined by vote (later trees focus on rows the vote gets wrong)
    int thresholdsPerInput = 8; // candidate constants per term, at quantiles of its values
    bool compareInputs = true;  // predicates a > b between inputs (argmax-like rules over class scores)
    bool arithmetic = false;    // terms a - b, a + b, a * b, abs(a) against thresholds
    double complexityWeight = 1e-4; // objective cost per program node, so equally good smaller programs win
};

struct SynthesisResult {
    DecisionProgram program;
    double error = 0.0;     // fraction of rows misclassified
    double objective = 0.0; // error + complexityWeight * program size
    long candidatesConsidered = 0; // (node, predicate) pairs scored
    long equivalentPruned = 0;     // candidates skipped as equivalent on the data
    int predicatePool = 0;         // distinct predicates after pruning
};

// Throws std::invalid_argument for empty data, mismatched lengths or bad settings.
SynthesisResult synthesizeDecisionProgram(const NamedColumns& inputs, const std::vector<int>& labels,
                                          const SynthesisSettings& settings = {});

} // namespace nesy::symbolic
