#include "Specs.h"

namespace nesy::builtin {

void addRules(BlockRegistry& r)
{
    r.add({"rule.sequence", "Sequence rule", BlockCategory::Rule,
           "Checks that an event is followed by another within a time limit, for example a fall is "
           "followed by lying within t seconds. Each violation is counted; the count becomes an "
           "objective term.",
           {port("decisions", PortType::Decision, "the stream of decisions to check")},
           {port("violations", PortType::Scalar, "violations per window checked")},
           {textParam("first", "Event", "falling", "Class that starts the rule."),
            textParam("then", "Must follow", "lying", "Class that must follow."),
            realParam("within_s", "Within (s)", 3.0, 0.1, 60.0, "Time limit.")}});

    r.add({"rule.bound", "Bound rule", BlockCategory::Rule,
           "Checks that a scalar stays within physical bounds (for example speed <= vmax, or an "
           "orientation change within the gyroscope's range).",
           {port("value", PortType::Features, "the value to check")},
           {port("violations", PortType::Scalar, "fraction of samples out of bounds")},
           {realParam("min", "Minimum", -1e9, -1e12, 1e12, "Lowest allowed value."),
            realParam("max", "Maximum", 1e9, -1e12, 1e12, "Highest allowed value.")}});

    r.add({"rule.movement_channel", "Movement-detected channel", BlockCategory::Rule,
           "Adds a physics metadata channel to each window: 1 where the gyroscope magnitude exceeds a "
           "threshold (the body is moving), else 0. The model then sees what physics already knows.",
           {port("window", PortType::Window, "windows")},
           {port("window", PortType::Window, "windows with one more channel")},
           {realParam("threshold", "Threshold", 0.5, 0.0, 10.0, "Normalised gyroscope magnitude threshold.")}});
}

} // namespace nesy::builtin
