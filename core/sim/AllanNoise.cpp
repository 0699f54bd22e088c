#include "AllanNoise.h"
#include <cmath>
#include <stdexcept>

namespace nesy::sim {

SensorNoise::SensorNoise(const AllanParameters& p, double rateHz, std::mt19937_64& rng) : p_(p), rateHz_(rateHz)
{
    if (!(rateHz > 0)) throw std::invalid_argument("IMU noise: the sample rate must be positive");
    if (p.whiteNoiseDensity < 0 || p.biasRandomWalk < 0 || p.turnOnBias < 0)
        throw std::invalid_argument("IMU noise: Allan parameters must not be negative");
    for (int i = 0; i < 3; ++i) bias_[i] = p.turnOnBias * unit_(rng);
}

Eigen::Vector3d SensorNoise::next(std::mt19937_64& rng)
{
    const double white = std::sqrt(p_.sampleVariance(rateHz_));
    const double walk = p_.biasRandomWalk / std::sqrt(rateHz_);
    Eigen::Vector3d e;
    for (int i = 0; i < 3; ++i) {
        bias_[i] += walk * unit_(rng);
        e[i] = bias_[i] + white * unit_(rng);
    }
    return e;
}

} // namespace nesy::sim
