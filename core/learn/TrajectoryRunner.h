#pragma once
// The trajectory shape of the project evaluator: source.gps_ins_sim -> kalman.linear | kalman.neural | kalman.ekf
// -> sink.tracking. The simulator's runs are split by run (never by window): the first 60% train
// the neural-Kalman filter's velocity network, the next 20% pick its best epoch, give its model
// noise and the searched error (median absolute trajectory error), the rest the test error.
#include "ProgramCompiler.h"
#include "engine/Evaluator.h"

namespace nesy::learn {

// Throws std::runtime_error naming the block for a configuration the filters cannot run.
TrialResult runTrajectory(const TrajectorySpec& spec, const StopToken& stop);

} // namespace nesy::learn
