#pragma once
// The trajectory shape of the project evaluator: source.gps_ins_sim -> kalman.linear | kalman.neural | kalman.ekf
// -> sink.tracking. The simulator's runs are split by run (never by window): the first 60% train
// the neural-Kalman filter's velocity network, the next 20% pick its best epoch, give its model
// noise and the searched error (median absolute trajectory error), the rest the test error.
#include "CandidateModel.h"
#include "ProgramCompiler.h"
#include "TrainedProgram.h"
#include "TrajectoryFilter.h"
#include "engine/Evaluator.h"
#include <functional>

namespace nesy::learn {

// The trial's filter before training: its settings and, for kalman.neural, the velocity network of
// the trial's architecture with initial weights (identity standardisation). Throws
// std::runtime_error naming the block for a configuration the filters cannot run (a window that
// does not divide the GPS interval).
TrajectoryFilter untrainedTrajectoryFilter(const TrajectorySpec& spec);

// The candidate the resource check measures before training: the untrained filter, with the
// velocity network's sizes (kalman.neural).
CandidateModel trajectoryCandidate(const TrajectorySpec& spec);

// Throws std::runtime_error naming the block for a configuration the filters cannot run.
// `onTrained` (may be empty) receives the filter as scored: the trained network and its model noise.
TrialResult runTrajectory(const TrajectorySpec& spec, const StopToken& stop,
                          const std::function<void(const TrainedProgram&)>& onTrained = {});

} // namespace nesy::learn
