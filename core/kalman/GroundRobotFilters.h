#pragma once
// Position estimators for the simulated ground robot, each scored by the absolute trajectory error
// (distance to the true position) at every GPS epoch after the first: GPS alone, a constant-velocity
// linear KF over the fixes, an EKF GPS/INS baseline, and the neural-Kalman filter. These are the
// `kalman.linear`, `kalman.ekf` and `kalman.neural` blocks' evaluations.
#include "NeuralKalman.h"
#include "sim/GroundRobotSimulator.h"
#include <vector>

namespace nesy::kalman {

// Window layout the velocity network reads: acc x, y, z and gyro z, sample by sample.
inline constexpr Eigen::Index velocityWindowChannels = 4;

double median(std::vector<double> values); // throws on an empty list

std::vector<double> gpsOnlyErrors(const sim::GroundRobotTrajectory& t);

// One filter over one trajectory, at every GPS epoch after the first: the position error, the
// filtered state after the fix, and the fix's time (s). Rules over the state read `states`.
struct FilterRun {
    std::vector<double> errors;
    std::vector<Eigen::VectorXd> states;
    std::vector<double> times;
    void record(const sim::GroundRobotTrajectory& t, const sim::GpsFix& fix, const Eigen::VectorXd& state);
};

struct LinearKalmanSettings {
    double processNoise = 0.1;      // white acceleration density q (m^2/s^3) of the constant-velocity model
    double measurementSigmaM = 1.5; // GPS std per axis
    double initialSpeedSigma = 1.0; // m/s per axis at the first fix: the filter does not know the robot's speed
};

// The `kalman.linear` block: a constant-velocity KF on [x, y, vx, vy] (constantVelocityTransition)
// stepped from fix to fix and corrected by each; starts at the first fix with zero velocity.
FilterRun linearKalmanRun(const sim::GroundRobotTrajectory& t, const LinearKalmanSettings& settings);

struct GpsInsEkfSettings {
    sim::ImuNoiseModel noise; // Q from the IMU's Allan parameters
    double gpsSigmaM = 1.5;
    double unmodelledAcceleration = 0.3; // m/s^2 std the IMU model leaves out (wheel vibration, slip)
};

// The GPS/INS EKF's model on the unicycle state [x, y, speed, heading] at the IMU rate: one
// definition for the evaluation below and for the generated filter step's reference.
struct GpsInsEkfModel {
    GpsInsEkfModel(const GpsInsEkfSettings& settings, double imuRateHz);
    double dt;
    Eigen::MatrixXd P0, Q, H, R; // P0 without the position: at the first fix, at rest
    // The state after one IMU sample of forward acceleration `a` and yaw rate `w`, and its Jacobian.
    Eigen::VectorXd propagate(const Eigen::VectorXd& x, double a, double w) const;
    Eigen::MatrixXd jacobian(const Eigen::VectorXd& x) const;
};

// EKF on the unicycle state [x, y, speed, heading], propagated at the IMU rate with the forward
// acceleration and the yaw rate, corrected by each GPS fix. Starts at the first fix, at rest, with
// the true initial heading (an aligned start).
FilterRun ekfGpsInsRun(const sim::GroundRobotTrajectory& t, const GpsInsEkfSettings& settings);
std::vector<double> ekfGpsInsErrors(const sim::GroundRobotTrajectory& t, const GpsInsEkfSettings& settings);

// Variance of the heading integrated from the yaw-rate gyro after `seconds`: angle random walk,
// the turn-on bias and the bias random walk integrated.
double headingVariance(const sim::AllanParameters& gyro, double seconds);

struct NeuralKalmanSettings {
    Eigen::Index windowSamples = 100; // IMU samples per filter step; must divide the GPS interval
    sim::ImuNoiseModel noise;         // U: per-sample white noise, heading drift
    double gpsSigmaM = 1.5;
    double modelVelocitySigma = 0.1;  // the network's regression error (m/s), e.g. its validation RMSE
};

// Features (WindowFeatures of each window) and targets (the true mean body-frame velocity over the
// window, forward and left, in the frame of the mid-window heading) for training the network.
struct VelocityWindows {
    Eigen::MatrixXd features; // windows x 8
    Eigen::MatrixXd targets;  // windows x 2
    void append(const VelocityWindows& more); // stacks the rows of `more` below these
};
VelocityWindows velocityWindows(const sim::GroundRobotTrajectory& t, Eigen::Index windowSamples);

// The heading integrated from the yaw-rate gyro, from the true initial heading (an aligned start).
Eigen::VectorXd integratedHeading(const sim::GroundRobotTrajectory& t);
// The IMU window the velocity network reads from `start`: acc x, y, z, gyro z, sample by sample.
Eigen::VectorXd velocityWindow(const sim::GroundRobotTrajectory& t, Eigen::Index start, Eigen::Index samples);

// The filter with `velocityNetwork` (8 window features -> 2 body velocities) as its process model.
// Steps of `windowSamples` from the first fix; the heading input is integratedHeading at each
// window's middle sample; each fix corrects the state after the window that ends at it.
FilterRun neuralKalmanRun(const sim::GroundRobotTrajectory& t, const ProcessNetwork& velocityNetwork,
                          const NeuralKalmanSettings& settings);
std::vector<double> neuralKalmanErrors(const sim::GroundRobotTrajectory& t, const ProcessNetwork& velocityNetwork,
                                       const NeuralKalmanSettings& settings);

} // namespace nesy::kalman
