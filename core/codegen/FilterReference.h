#pragma once
// What a generated filter step must compute, by the engine's own filters (core/kalman):
// LinearKalmanFilter, OrientationEkf, NeuralKalmanFilter with the learning engine's MLP (also with
// the ground robot's BodyVelocityProcess) and the GPS/INS EKF (ExtendedKalmanFilter, GpsInsEkfModel).
#include "codegen/FilterIR.h"
#include <vector>

namespace nesy::codegen {

// Runs `steps` steps from the initial state on inputs laid out step after step
// (steps x inputSize()); returns the state after each step (steps x outputSize()), as float.
std::vector<float> runFilterReference(const FilterIR& filter, const std::vector<float>& inputs, int steps);

} // namespace nesy::codegen
