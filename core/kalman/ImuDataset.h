#pragma once
// IMU recordings with ground-truth orientation, read in place from CSV files (never copied).
#include <Eigen/Core>
#include <filesystem>
#include <string>

namespace nesy::kalman {

// A headerless numeric CSV file as a matrix (rows = lines). Throws std::runtime_error naming the
// file, line and column of anything that is not a number, and ragged rows.
Eigen::MatrixXd readNumericCsv(const std::filesystem::path& file);

struct OrientationDataset {
    Eigen::MatrixX3d acc;      // m/s^2, body frame
    Eigen::MatrixX3d gyro;     // rad/s, body frame
    Eigen::MatrixX4d truth;    // ground-truth quaternion w, x, y, z (body to world)
    double sampleRateHz = 100.0;
    Eigen::Index size() const { return acc.rows(); }
};

// The ahrs-ekf folder layout: Acc.csv, Gyro.csv, Or_GT.csv, 100 Hz. Throws naming the missing file
// or the length mismatch.
OrientationDataset loadAhrsEkfDataset(const std::filesystem::path& folder);

} // namespace nesy::kalman
