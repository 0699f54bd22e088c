#include "GroundRobotSimulator.h"
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace nesy::sim {

namespace {

constexpr double gravity = 9.80665;

void validate(const GroundRobotConfig& c)
{
    auto positive = [](double v, const char* what) {
        if (!(v > 0)) throw std::invalid_argument(std::string("ground-robot simulator: ") + what + " must be positive");
    };
    positive(c.durationS, "durationS");
    positive(c.imuRateHz, "imuRateHz");
    positive(c.gpsRateHz, "gpsRateHz");
    positive(c.responseTimeS, "responseTimeS");
    positive(c.wheelCircumferenceM, "wheelCircumferenceM");
    if (c.gpsRateHz > c.imuRateHz) throw std::invalid_argument("ground-robot simulator: GPS faster than the IMU");
    if (c.segmentMinS <= 0 || c.segmentMaxS < c.segmentMinS)
        throw std::invalid_argument("ground-robot simulator: need 0 < segmentMinS <= segmentMaxS");
    if (c.gpsSigmaM < 0 || c.maxSpeed < 0 || c.maxYawRate < 0 || c.vibrationPerSpeed < 0)
        throw std::invalid_argument("ground-robot simulator: negative noise, speed or rate");
}

} // namespace

GroundRobotTrajectory simulateGroundRobot(const GroundRobotConfig& c, std::uint64_t seed)
{
    validate(c);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    SensorNoise accNoise(c.noise.acc, c.imuRateHz, rng);
    SensorNoise gyroNoise(c.noise.gyro, c.imuRateHz, rng);

    const double dt = 1.0 / c.imuRateHz;
    const auto n = static_cast<Eigen::Index>(std::llround(c.durationS * c.imuRateHz)) + 1;
    const auto gpsEvery = static_cast<Eigen::Index>(std::llround(c.imuRateHz / c.gpsRateHz));

    GroundRobotTrajectory t;
    t.imuRateHz = c.imuRateHz;
    t.position.resize(n, 2);
    t.velocity.resize(n, 2);
    t.heading.resize(n);
    t.speed.resize(n);
    t.imu.resize(n, 6);

    double x = 0, y = 0, psi = uniform(rng) * 2 * std::numbers::pi, v = 0, w = 0, wheelPhase = 0;
    double targetV = 0, targetW = 0, segmentLeft = 0;
    for (Eigen::Index k = 0; k < n; ++k) {
        if (segmentLeft <= 0) {
            targetV = c.maxSpeed * uniform(rng);
            targetW = c.maxYawRate * (2 * uniform(rng) - 1);
            segmentLeft = c.segmentMinS + (c.segmentMaxS - c.segmentMinS) * uniform(rng);
        }
        segmentLeft -= dt;
        // First-order response to the commands; the derivatives are what the IMU feels now.
        const double dv = (targetV - v) / c.responseTimeS;
        const double dw = (targetW - w) / c.responseTimeS;

        t.position.row(k) << x, y;
        t.velocity.row(k) << v * std::cos(psi), v * std::sin(psi);
        t.heading[k] = psi;
        t.speed[k] = v;

        // Specific force in the body frame: forward acceleration, centripetal v*w, gravity, plus
        // wheel vibration whose amplitude grows with speed and whose period is one wheel turn.
        const double vibration = c.vibrationPerSpeed * v * std::sin(wheelPhase);
        const Eigen::Vector3d acc(dv + 0.3 * vibration, v * w, gravity + vibration);
        const Eigen::Vector3d gyro(0.0, 0.0, w);
        t.imu.row(k).head<3>() = (acc + accNoise.next(rng)).transpose();
        t.imu.row(k).tail<3>() = (gyro + gyroNoise.next(rng)).transpose();

        if (k % gpsEvery == 0)
            t.gps.push_back({k, static_cast<double>(k) * dt,
                             Eigen::Vector2d(x + c.gpsSigmaM * normal(rng), y + c.gpsSigmaM * normal(rng))});

        // Midpoint integration of the unicycle to the next sample.
        const double psiMid = psi + 0.5 * w * dt;
        const double vMid = v + 0.5 * dv * dt;
        x += vMid * std::cos(psiMid) * dt;
        y += vMid * std::sin(psiMid) * dt;
        psi += w * dt + 0.5 * dw * dt * dt;
        wheelPhase += 2 * std::numbers::pi * vMid * dt / c.wheelCircumferenceM;
        v += dv * dt;
        w += dw * dt;
    }
    return t;
}

} // namespace nesy::sim
