#include "Specs.h"

namespace nesy::builtin {

// Evaluated by core/symbolic/Rules.h: SequenceRule, BoundRule, RateBoundRule, MovementChannel.
// A rule's violation rate is the trial's term "rule:<name>" (<name>: the sink.term's name, or the
// block id); the objective weights it by the rule's weight times the sink.term's (symbolic/RuleTerms.h).
void addRules(BlockRegistry& r)
{
    r.add({"rule.sequence", "Sequence rule", BlockCategory::Rule,
           "Checks that an event is followed by another within a time limit, for example a fall is "
           "followed by lying within t seconds (counted from the end of the run of events). Each "
           "violation is counted; the rate becomes an objective term. The evaluator judges the decisions of each "
           "recording in time order (a run of windows of one subject and activity).",
           {port("decisions", PortType::Decision, "the stream of decisions to check")},
           {port("violations", PortType::Scalar, "violations per event checked")},
           {textParam("first", "Event", "falling", "Class that starts the rule."),
            textParam("then", "Must follow", "lying", "Class that must follow."),
            realParam("within_s", "Within (s)", 3.0, 0.1, 60.0, "Time limit."),
            notSearched(realParam("weight", "Weight", 1.0, 0.0, 100.0, "Weight of the violation rate in the objective."))}});

    r.add({"rule.bound", "Bound rule", BlockCategory::Rule,
           "Checks that a scalar stays within physical bounds (for example speed <= vmax), or, on its "
           "rate of change, that it changes no faster than a limit (an orientation change within the "
           "gyroscope's range). Fed by a model's class scores, it bounds every class probability; fed by a "
           "tracking filter's state, it bounds the named state quantity at every GPS epoch (or every "
           "sample of an orientation filter's recording).",
           {port("value", PortType::Features, "the value to check")},
           {port("violations", PortType::Scalar, "fraction of samples (or steps) out of bounds")},
           {realParam("min", "Minimum", -1e9, -1e12, 1e12, "Lowest allowed value."),
            realParam("max", "Maximum", 1e9, -1e12, 1e12, "Highest allowed value (or rate, per second)."),
            boolParam("on_rate", "Bound the rate", false, "Check |change per second| <= max instead of the value."),
            textParam("quantity", "State quantity", "speed",
                      "What a filter's state gives the rule: x, y, vx, vy or speed (|[vx, vy]|) for kalman.linear "
                      "and kalman.neural; x, y, speed or heading for kalman.ekf; azimuth or elevation (degrees) for "
                      "kalman.orientation_ekf. Unused on class scores."),
            notSearched(realParam("weight", "Weight", 1.0, 0.0, 100.0, "Weight of the violation rate in the objective."))}});

    r.add({"rule.movement_channel", "Movement-detected channel", BlockCategory::Rule,
           "Adds a physics metadata channel to each window: 1 where the gyroscope magnitude exceeds a "
           "threshold (the body is moving), else 0. The model then sees what physics already knows.",
           {port("window", PortType::Window, "windows")},
           {port("window", PortType::Window, "windows with one more channel")},
           {realParam("threshold", "Threshold", 0.5, 0.0, 10.0, "Gyroscope magnitude threshold, in the window's units.")}});
}

} // namespace nesy::builtin
