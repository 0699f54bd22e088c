#pragma once
// A seeded ground-robot GPS/INS simulator: a unicycle driven by random speed and turn-rate
// commands, a body-mounted IMU with wheel vibration and Allan-variance noise, and GPS fixes with
// Gaussian noise. The kinematics are documented in docs/kalman.md.
#include "AllanNoise.h"
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace nesy::sim {

struct GroundRobotConfig {
    double durationS = 120.0;
    double imuRateHz = 100.0;
    double gpsRateHz = 1.0;
    double gpsSigmaM = 1.5;          // per horizontal axis
    double maxSpeed = 2.0;           // m/s
    double maxYawRate = 0.5;         // rad/s
    double segmentMinS = 3.0;        // commands hold for a random time in [min, max]
    double segmentMaxS = 10.0;
    double responseTimeS = 0.8;      // first-order lag from command to motion
    double vibrationPerSpeed = 0.6;  // m/s^2 of wheel vibration per m/s of speed
    double wheelCircumferenceM = 0.5; // vibration is periodic in wheel turns
    ImuNoiseModel noise;
};

struct GpsFix {
    Eigen::Index sample = 0; // IMU sample index the fix belongs to
    double time = 0.0;
    Eigen::Vector2d position;
};

// Per IMU sample k (time k / imuRateHz): the true state, and the IMU reading taken then.
struct GroundRobotTrajectory {
    double imuRateHz = 100.0;
    Eigen::MatrixX2d position;  // world x east, y north (m)
    Eigen::MatrixX2d velocity;  // world (m/s)
    Eigen::VectorXd heading;    // rad, from the x axis, counter-clockwise
    Eigen::VectorXd speed;      // m/s along the body x axis
    Eigen::MatrixXd imu;        // columns: acc x, y, z (m/s^2), gyro x, y, z (rad/s); body x forward, z up
    std::vector<GpsFix> gps;
    Eigen::Index size() const { return position.rows(); }
};

// Deterministic for a given config and seed. Throws std::invalid_argument for a bad config.
GroundRobotTrajectory simulateGroundRobot(const GroundRobotConfig& config, std::uint64_t seed);

} // namespace nesy::sim
