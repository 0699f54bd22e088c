#pragma once
// Orientation EKF on a unit quaternion q = (w, x, y, z), body to world, world z up: the gyroscope
// propagates q, the accelerometer (taken as the direction of gravity) corrects tilt. The two noise
// levels are what a search tunes. State and covariance are 4-dimensional, as in the published
// filter; see docs/kalman.md for the equations.
#include "ImuDataset.h"
#include <Eigen/Dense>
#include <vector>

namespace nesy::kalman {

struct OrientationEkfSettings {
    double accNoise = 0.5;  // std of the normalised accelerometer (units of g) -> R = accNoise^2 I3
    double gyroNoise = 0.3; // std of each gyroscope axis (rad/s) -> Q = (dt/2)^2 gyroNoise^2 Xi Xi^T
    double initialVariance = 1e-4;
};

class OrientationEkf {
public:
    OrientationEkf(const Eigen::Vector4d& q0, const OrientationEkfSettings& settings);

    void predict(const Eigen::Vector3d& gyro, double dt);   // body rates, rad/s
    void correct(const Eigen::Vector3d& acc);               // any unit: only its direction is used

    const Eigen::Vector4d& quaternion() const { return q_; }
    const Eigen::Matrix4d& covariance() const { return P_; }

    // The model's parts, public so tests can check them against finite differences.
    static Eigen::Matrix4d transition(const Eigen::Vector3d& gyro, double dt); // exact for constant rate
    static Eigen::Vector3d expectedGravity(const Eigen::Vector4d& q);          // R(q)^T e_z
    static Eigen::Matrix<double, 3, 4> gravityJacobian(const Eigen::Vector4d& q);
    static Eigen::Matrix<double, 4, 3> rateJacobian(const Eigen::Vector4d& q); // d(q * (0, w)) / dw

private:
    void renormalise();

    OrientationEkfSettings settings_;
    Eigen::Vector4d q_;
    Eigen::Matrix4d P_;
};

// Azimuth and elevation (degrees) of the body's x axis in the world frame: the heading and the
// pitch of where the device points.
Eigen::Vector2d azimuthElevationDeg(const Eigen::Vector4d& q);

struct OrientationErrors {
    double azimuthDeg = 0.0;   // mean absolute azimuth error (wrapped to +-180)
    double elevationDeg = 0.0; // mean absolute elevation error
    double objective() const { return azimuthDeg + elevationDeg; }
};

// Runs the filter over a recording, starting from the ground truth's first orientation, and
// compares every later sample with the ground truth. This is the `kalman.orientation_ekf` block's
// evaluation.
OrientationErrors evaluateOrientationEkf(const OrientationEkfSettings& settings, const OrientationDataset& data);

// The same run, keeping the filter's quaternion at every sample (the first is the starting one)
// and its time in seconds: what rules over the orientation read.
struct OrientationEkfRun {
    OrientationErrors errors;
    std::vector<Eigen::VectorXd> states; // [w, x, y, z]
    std::vector<double> times;
};
OrientationEkfRun runOrientationEkf(const OrientationEkfSettings& settings, const OrientationDataset& data);

} // namespace nesy::kalman
