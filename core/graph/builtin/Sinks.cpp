#include "Specs.h"

namespace nesy::builtin {

void addSinks(BlockRegistry& r)
{
    r.add({"sink.classification", "Classification objective", BlockCategory::Sink,
           "Scores the program's decisions against the labels: the error term the search minimises.",
           {port("decision", PortType::Decision, "class scores or decisions")},
           {},
           {choiceParam("metric", "Metric", "accuracy", {"accuracy", "balanced_accuracy", "macro_f1"},
                        "Error = 1 - metric on the validation subjects.")}});

    r.add({"sink.tracking", "Tracking objective", BlockCategory::Sink,
           "Scores a filter's state against the ground truth (trajectory error in metres, or orientation "
           "error in degrees).",
           {port("state", PortType::StateVector, "estimated state")},
           {},
           {choiceParam("metric", "Metric", "median_position_error", {"median_position_error", "azimuth_elevation_error"},
                        "Which error to minimise.")}});

    r.add({"sink.term", "Objective term", BlockCategory::Sink,
           "Names a rule's violation rate in the objective (term \"rule:<name>\") and scales its "
           "weight: the objective adds rule weight x this weight x violation rate.",
           {port("value", PortType::Scalar, "the scalar to minimise")},
           {},
           {textParam("name", "Term name", "rule", "Name of the term in trials and plots."),
            notSearched(realParam("weight", "Weight", 1.0, 0.0, 1000.0, "Weight in the objective (times the rule's)."))}});
}

} // namespace nesy::builtin
