#pragma once
// `nesy eval`: a trial's program, retrained with the trial's seed (TrialPrograms.h), scored on other
// data: other subjects of the same recordings, or another folder in the same format.
#include "graph/Project.h"
#include <filesystem>
#include <string>

namespace nesy::codegen {

struct TrialEvaluationOptions {
    std::filesystem::path data;   // a folder (earable, AHRS) or a file (CSV) in the trial's source format
    std::string subjects;         // "31-36,40": the subjects to score; empty: every subject in the data
    int threads = 0;
};

// One JSON object: the trial's validation error from the retraining, the data, the windows and
// subjects scored, and the metrics: accuracy, balanced_accuracy, macro_f1, classes and the
// confusion matrix (rows: truth) for classifiers; azimuth_deg, elevation_deg and error (their
// sum) for the orientation EKF. Throws std::runtime_error naming the missing path, the unknown
// subjects or the trial that cannot be trained.
Json evaluateTrialOnData(const Project& project, const ProgramGraph& trialGraph, const TrialEvaluationOptions& options);

} // namespace nesy::codegen
