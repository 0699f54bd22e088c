#include "Specs.h"

namespace nesy::builtin {

void addSymbolic(BlockRegistry& r)
{
    r.add({"symbolic.synthesized_tree", "Synthesised decision program", BlockCategory::Symbolic,
           "Enumerates small decision programs (logical, relational, arithmetic and if-then-else "
           "operators) over its inputs up to a depth and a number of trees, prunes programs that behave "
           "the same on the data, and keeps the best. The result prints as readable text.",
           {port("scores", PortType::Features, "class scores or features the program reads"),
            port("extra", PortType::Features, "further named inputs (features, scalars)", false)},
           {port("decision", PortType::Decision, "the program's decision")},
           {intParam("max_depth", "Maximum depth", 2, 1, 6, "Deepest if-then-else nesting."),
            intParam("max_trees", "Trees", 1, 1, 8, "Trees combined by vote."),
            intParam("thresholds", "Thresholds per input", 8, 2, 64, "Candidate constants tried per input.")}});

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
