#include "Specs.h"

namespace nesy::builtin {

// Evaluated by core/symbolic: synthesizeDecisionProgram (Synthesis.h) and instantiateTemplate
// (DecisionProgram.h); the parameters below map one to one onto SynthesisSettings.
void addSymbolic(BlockRegistry& r)
{
    r.add({"symbolic.synthesized_tree", "Synthesised decision program", BlockCategory::Symbolic,
           "Enumerates decision trees over its inputs up to a depth (splits: input > constant, input > "
           "input, optionally arithmetic terms such as a - b or abs(a)), prunes programs that behave the "
           "same on the data, and keeps the best by error plus a small cost per node. The result prints "
           "as readable text, for example 'if p_fall > 0.7 and gyro > 2 then 8 else 3'.",
           {port("scores", PortType::Features, "class scores or features the program reads"),
            port("extra", PortType::Features, "further named inputs (features, scalars)", false)},
           {port("decision", PortType::Decision, "the program's decision")},
           {intParam("max_depth", "Maximum depth", 2, 0, 6,
                     "Deepest if-then-else nesting. The search is exact, so its cost grows quickly past 3."),
            intParam("max_trees", "Trees", 1, 1, 8,
                     "Trees combined by majority vote; later trees focus on rows the vote gets wrong."),
            intParam("thresholds", "Thresholds per input", 8, 2, 64, "Candidate constants tried per input (quantiles)."),
            boolParam("compare_inputs", "Compare inputs", true, "Also split on one input against another (argmax-like rules)."),
            boolParam("arithmetic", "Arithmetic terms", false, "Also split on a - b, a + b, a * b and abs(a)."),
            realParam("complexity_weight", "Cost per node", 1e-4, 1e-7, 0.1,
                      "Added to the error rate per program node, so equally good smaller programs win.", true)}});

    r.add({"symbolic.threshold_tree", "Fixed-template decision tree", BlockCategory::Symbolic,
           "A decision program written by hand whose constants t0..t3 are parameters, usually "
           "searched (for example a tracker's confidence thresholds).",
           {port("scores", PortType::Features, "inputs named x0, x1, ... in the program")},
           {port("decision", PortType::Decision, "the program's decision")},
           {textParam("program", "Program", "if x0 > t0 then 1 else 0", "The template, with thresholds t0..t3."),
            realParam("t0", "t0", 0.5, 0.0, 1.0, "Threshold t0."),
            realParam("t1", "t1", 0.5, 0.0, 1.0, "Threshold t1."),
            realParam("t2", "t2", 0.5, 0.0, 1.0, "Threshold t2."),
            realParam("t3", "t3", 0.5, 0.0, 1.0, "Threshold t3.")}});
}

} // namespace nesy::builtin
