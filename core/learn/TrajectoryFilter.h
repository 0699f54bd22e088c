#pragma once
// The trajectory shape's filter as the engine runs it (source.gps_ins_sim -> kalman.neural |
// kalman.ekf | kalman.linear): what code generation lowers to one filter step. The trajectory runner hands it to
// the resource check before training (CandidateModel::trajectory, the network untrained) and to
// onTrained after (TrainedProgram::trajectory, the trained network and its model noise).
#include "Dataset.h"
#include "ModelSpec.h"
#include "kalman/GroundRobotFilters.h"
#include <string>

namespace nesy::learn {

struct TrajectoryFilter {
    std::string block;
    std::string type;        // "kalman.neural", "kalman.ekf" or "kalman.linear"
    double imuRateHz = 100.0;
    double gpsRateHz = 1.0; // kalman.linear steps from fix to fix

    // kalman.neural: the filter's settings (window, IMU noise, GPS noise, the network's regression
    // error) and its velocity network: WindowFeatures of the IMU window, standardised, to the body
    // velocity (forward, left). A linear velocity model is a network of one dense layer.
    kalman::NeuralKalmanSettings neural;
    ModelSpec velocityNetwork;
    Normalizer velocityStandardisation;

    // kalman.ekf: the GPS/INS baseline's settings.
    kalman::GpsInsEkfSettings ekf;

    // kalman.linear: the constant-velocity KF's noise.
    kalman::LinearKalmanSettings linear;
};

} // namespace nesy::learn
