#pragma once
// A trial's program as the evaluator trained and scored it: what `nesy export`, `nesy measure` and
// `nesy eval` rebuild by retraining the trial (training is deterministic for the trial's seed,
// whatever the thread count), handed out through EvaluatorOptions::onTrained.
#include "CandidateModel.h"
#include "TrajectoryFilter.h"
#include "kalman/OrientationEkf.h"
#include "symbolic/DecisionProgram.h"
#include <optional>
#include <string>
#include <vector>

namespace nesy::learn {

struct TrainedProgram {
    // Classification: the trained model with its preprocessing (normalisation fitted on the training
    // subjects). Quantized when candidate.int8; a decision program reads the float model's scores,
    // as the evaluator scores it, so then candidate.int8 is false.
    std::optional<CandidateModel> classifier;
    std::optional<symbolic::DecisionProgram> decision;
    std::vector<std::string> decisionInputs; // the decision program's input name of each model output
    std::string decisionBlock;
    // Orientation: the filter's settings (the trial's noise levels) and the recording's rate.
    std::optional<kalman::OrientationEkfSettings> orientationEkf;
    double sampleRateHz = 0;
    std::string filterBlock;
    // Trajectory: the filter with its trained velocity network (kalman.neural) or its settings (kalman.ekf).
    std::optional<TrajectoryFilter> trajectory;

    std::string metric;           // "accuracy", "balanced_accuracy", "macro_f1", "azimuth_elevation_error",
                                  // "median_position_error"
    double validationError = 0;   // the trial's "error" term (1 - metric for classification)
};

// True for the tracking metrics, which are errors themselves (degrees, metres); the classification
// metrics are scores whose error is 1 - metric.
inline bool metricIsError(const std::string& metric)
{
    return metric == "azimuth_elevation_error" || metric == "median_position_error";
}

// The names a decision program reads the model's outputs by: "x0", "x1", ... for a fixed template
// (symbolic.threshold_tree), "p_<class>" for a synthesised program.
inline std::vector<std::string> decisionInputNames(const std::string& stageType,
                                                   const std::vector<std::string>& classNames)
{
    std::vector<std::string> names;
    for (std::size_t c = 0; c < classNames.size(); ++c) {
        // Spelled with append: GCC 12 warns falsely (-Wrestrict) on "x" + std::string.
        std::string name = stageType == "symbolic.threshold_tree" ? "x" : "p_";
        name.append(stageType == "symbolic.threshold_tree" ? std::to_string(c) : classNames[c]);
        names.push_back(std::move(name));
    }
    return names;
}

} // namespace nesy::learn
