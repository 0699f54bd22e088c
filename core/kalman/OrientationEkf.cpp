#include "OrientationEkf.h"
#include "Gaussian.h"
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace nesy::kalman {

namespace {

// The normalisation direction is not observable; it keeps this small variance so that P stays
// positive definite instead of collapsing onto the 3-D tangent space.
constexpr double normVariance = 1e-10;

// Omega(w) with q * (0, w) = Omega(w) q for body rates (Hamilton product).
Eigen::Matrix4d omega(const Eigen::Vector3d& w)
{
    Eigen::Matrix4d m;
    m << 0, -w.x(), -w.y(), -w.z(),
         w.x(), 0, w.z(), -w.y(),
         w.y(), -w.z(), 0, w.x(),
         w.z(), w.y(), -w.x(), 0;
    return m;
}

void requirePositive(double v, const char* what)
{
    if (!(v > 0.0) || !std::isfinite(v))
        throw std::invalid_argument(std::string("orientation EKF: ") + what + " must be positive, got " + std::to_string(v));
}

} // namespace

OrientationEkf::OrientationEkf(const Eigen::Vector4d& q0, const OrientationEkfSettings& settings)
    : settings_(settings), q_(q0.normalized()), P_(settings.initialVariance * Eigen::Matrix4d::Identity())
{
    requirePositive(settings.accNoise, "accelerometer noise");
    requirePositive(settings.gyroNoise, "gyroscope noise");
    requirePositive(settings.initialVariance, "initial variance");
}

Eigen::Matrix4d OrientationEkf::transition(const Eigen::Vector3d& w, double dt)
{
    const double angle = w.norm() * dt;
    if (angle < 1e-12) return Eigen::Matrix4d::Identity() + 0.5 * dt * omega(w);
    return std::cos(angle / 2) * Eigen::Matrix4d::Identity() + std::sin(angle / 2) / w.norm() * omega(w);
}

Eigen::Matrix<double, 4, 3> OrientationEkf::rateJacobian(const Eigen::Vector4d& q)
{
    const double w = q[0], x = q[1], y = q[2], z = q[3];
    Eigen::Matrix<double, 4, 3> m;
    m << -x, -y, -z,
          w, -z, y,
          z, w, -x,
         -y, x, w;
    return m;
}

Eigen::Vector3d OrientationEkf::expectedGravity(const Eigen::Vector4d& q)
{
    const double w = q[0], x = q[1], y = q[2], z = q[3];
    return {2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z};
}

Eigen::Matrix<double, 3, 4> OrientationEkf::gravityJacobian(const Eigen::Vector4d& q)
{
    const double w = q[0], x = q[1], y = q[2], z = q[3];
    Eigen::Matrix<double, 3, 4> H;
    H << -2 * y, 2 * z, -2 * w, 2 * x,
          2 * x, 2 * w, 2 * z, 2 * y,
          2 * w, -2 * x, -2 * y, 2 * z;
    return H;
}

void OrientationEkf::predict(const Eigen::Vector3d& gyro, double dt)
{
    requirePositive(dt, "time step");
    const Eigen::Matrix4d F = transition(gyro, dt);
    const Eigen::Matrix<double, 4, 3> W = 0.5 * dt * rateJacobian(q_);
    const double s2 = settings_.gyroNoise * settings_.gyroNoise;
    q_ = F * q_;
    P_ = F * P_ * F.transpose() + s2 * W * W.transpose();
    renormalise();
}

void OrientationEkf::correct(const Eigen::Vector3d& acc)
{
    const double norm = acc.norm();
    if (!(norm > 0.0) || !std::isfinite(norm)) return; // free fall or a dropped sample: nothing to correct with
    GaussianState s{q_, P_};
    const double r2 = settings_.accNoise * settings_.accNoise;
    applyMeasurement(s, acc / norm - expectedGravity(q_), gravityJacobian(q_), r2 * Eigen::Matrix3d::Identity());
    q_ = s.x;
    P_ = s.P;
    renormalise();
}

void OrientationEkf::renormalise()
{
    const double n = q_.norm();
    const Eigen::Vector4d u = q_ / n;
    const Eigen::Matrix4d J = (Eigen::Matrix4d::Identity() - u * u.transpose()) / n;
    q_ = u;
    P_ = J * P_ * J.transpose() + normVariance * u * u.transpose();
    P_ = 0.5 * (P_ + P_.transpose()).eval();
}

Eigen::Vector2d azimuthElevationDeg(const Eigen::Vector4d& q)
{
    const double w = q[0], x = q[1], y = q[2], z = q[3];
    const Eigen::Vector3d forward(1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y));
    const double toDeg = 180.0 / std::numbers::pi;
    return {std::atan2(forward.y(), forward.x()) * toDeg,
            std::atan2(forward.z(), std::hypot(forward.x(), forward.y())) * toDeg};
}

OrientationEkfRun runOrientationEkf(const OrientationEkfSettings& settings, const OrientationDataset& data)
{
    if (data.size() < 2) throw std::invalid_argument("orientation EKF: the recording has fewer than 2 samples");
    const double dt = 1.0 / data.sampleRateHz;
    OrientationEkf ekf(data.truth.row(0).transpose(), settings);
    OrientationEkfRun run;
    run.states.reserve(std::size_t(data.size()));
    run.times.reserve(std::size_t(data.size()));
    run.states.push_back(ekf.quaternion());
    run.times.push_back(0.0);
    OrientationErrors& e = run.errors;
    for (Eigen::Index k = 1; k < data.size(); ++k) {
        ekf.predict(data.gyro.row(k - 1).transpose(), dt);
        ekf.correct(data.acc.row(k).transpose());
        run.states.push_back(ekf.quaternion());
        run.times.push_back(double(k) * dt);
        const Eigen::Vector2d est = azimuthElevationDeg(ekf.quaternion());
        const Eigen::Vector2d truth = azimuthElevationDeg(data.truth.row(k).transpose().normalized());
        e.azimuthDeg += std::abs(std::remainder(est[0] - truth[0], 360.0));
        e.elevationDeg += std::abs(est[1] - truth[1]);
    }
    e.azimuthDeg /= static_cast<double>(data.size() - 1);
    e.elevationDeg /= static_cast<double>(data.size() - 1);
    return run;
}

OrientationErrors evaluateOrientationEkf(const OrientationEkfSettings& settings, const OrientationDataset& data)
{
    return runOrientationEkf(settings, data).errors;
}

} // namespace nesy::kalman
