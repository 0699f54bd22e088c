#pragma once
// The code generator's input for a Kalman step: one filter whose state lives in static memory and
// advances by one step per call of the entry function
//   void nesy_program_run(const float *input, float *output);   (one step; output = the state)
//   void nesy_program_reset(void);                               (back to the initial state)
// Filter arithmetic is double (nesy_real), as the engine computes it; networks inside a step run
// in float32, as the learning engine's float forward pass.
#include "graph/Value.h"
#include "learn/ModelSpec.h"
#include "sim/AllanNoise.h"
#include <cstdint>
#include <string>
#include <vector>

namespace nesy::codegen {

enum class FilterKind {
    Linear,         // input z[m]:                   x = F x, P = F P F^T + Q; then the update with z
    OrientationEkf, // input gyro[3] (rad/s), acc[3]: predict with the gyro, correct with the acc direction
    NeuralKalman,   // input u[p], z[m], has_z:      x = A x + g(u), P = A P A^T + B diag(U) B^T + Qm, B = dg/du;
                    //                                then the update with z when has_z != 0
    BodyVelocityKalman, // the ground robot's neural-Kalman step (core/kalman/NeuralKalman.h BodyVelocityProcess):
                        // input window[w x c] (acc x, y, z, gyro z per sample), heading psi, z[m], has_z;
                        // g(u) = [dt R(psi) v ; R(psi) v], v = network(WindowFeatures(window)), then as NeuralKalman
    GpsInsEkf,      // input a (forward acc), w (yaw rate), z[m], has_z: the unicycle EKF on [x, y, speed, heading]
                    // (core/kalman/GroundRobotFilters.h), one IMU sample per step, then the GPS update when has_z != 0
};
std::string filterKindName(FilterKind k);

// Matrices are row-major.
struct FilterIR {
    std::string name = "filter";
    FilterKind kind = FilterKind::Linear;
    int stateSize = 0;       // n
    int measurementSize = 0; // m (3 for the orientation EKF: the accelerometer direction)
    std::vector<double> x0;  // n
    std::vector<double> P0;  // n x n

    // Linear: F, Q; NeuralKalman: A (as F), Qm (as Q). Both: H (m x n), R (m x m).
    std::vector<double> F, Q, H, R;

    // OrientationEkf (core/kalman/OrientationEkf.h): the tuned noise levels. dt: one step's seconds
    // (OrientationEkf and GpsInsEkf: one sample; BodyVelocityKalman: one window).
    double accNoise = 0.5, gyroNoise = 0.3, dt = 0.01;

    // NeuralKalman: g(u) = network((u - mean) / stddev), a float MLP (Dense layers, ReLU or linear)
    // with stateSize outputs; U = diag(inputVariances).
    // BodyVelocityKalman: the network maps the window's features (2 c) to the body velocity (2);
    // inputVariances are per window channel (c), the heading's variance grows with the time since
    // reset as the integrated gyro's (headingNoise, at the window's middle sample).
    learn::ModelSpec network;
    std::vector<float> inputMean, inputStddev;
    std::vector<double> inputVariances;
    int windowSamples = 0, windowChannels = 0;
    double sampleRateHz = 0;
    sim::AllanParameters headingNoise;

    int inputSize() const;
    int outputSize() const { return stateSize; }
    // Throws std::invalid_argument naming the matrix whose shape is wrong.
    void validate() const;
    std::int64_t constantBytes() const; // matrices and weights as deployed
    std::int64_t stateBytes() const;    // x and P (double)
    int networkWidth() const;           // steps with a network: the widest layer (or input); else 0
    Json summary() const;               // sizes and work for resource models
};

} // namespace nesy::codegen
