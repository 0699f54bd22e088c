#pragma once
// IMU noise described by Allan-variance parameters, the way IMU datasheets state it, and a seeded
// generator of that noise. Units: `unit` is m/s^2 for an accelerometer, rad/s for a gyroscope.
#include <Eigen/Core>
#include <random>

namespace nesy::sim {

struct AllanParameters {
    double whiteNoiseDensity = 0.0; // unit/sqrt(Hz): velocity / angle random walk (Allan slope -1/2)
    double biasRandomWalk = 0.0;    // unit/sqrt(s): rate random walk (Allan slope +1/2)
    double turnOnBias = 0.0;        // unit: std of the constant bias left after start-up calibration

    // Variance of one white-noise sample at `rateHz`: N^2 * fs.
    double sampleVariance(double rateHz) const { return whiteNoiseDensity * whiteNoiseDensity * rateHz; }
};

struct ImuNoiseModel {
    AllanParameters acc{0.002, 1e-4, 0.02};   // consumer MEMS accelerometer
    AllanParameters gyro{3e-4, 2e-6, 2e-4};   // consumer MEMS gyroscope, bias calibrated at standstill
};

// Three-axis noise of one sensor: a constant turn-on bias, a random-walk bias and white noise.
class SensorNoise {
public:
    SensorNoise(const AllanParameters& p, double rateHz, std::mt19937_64& rng);
    Eigen::Vector3d next(std::mt19937_64& rng); // one sample's additive error

private:
    AllanParameters p_;
    double rateHz_;
    Eigen::Vector3d bias_;
    std::normal_distribution<double> unit_{0.0, 1.0};
};

} // namespace nesy::sim
