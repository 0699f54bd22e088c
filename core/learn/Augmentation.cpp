#include "Augmentation.h"
#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace nesy::learn {

Dataset withTurnedCopies(const Dataset& imu, int copies, const std::function<Eigen::Matrix3f()>& nextTurn)
{
    if (imu.channels < 6)
        throw std::invalid_argument("turning windows needs the 6 IMU axes (acc x, y, z, gyro x, y, z); these have " +
                                    std::to_string(imu.channels) + " channels");
    if (!imu.targets.empty()) // a regression target may itself be a vector in the sensor's frame
        throw std::invalid_argument("turning windows with regression targets is not defined");
    Dataset out = imu;
    out.values.reserve(imu.values.size() * std::size_t(1 + std::max(copies, 0)));
    std::vector<float> turned(std::size_t(imu.windowSize()));
    for (int c = 0; c < copies; ++c)
        for (std::size_t i = 0; i < imu.size(); ++i) {
            const Eigen::Matrix3f r = nextTurn();
            const float* x = imu.window(i);
            std::copy(x, x + imu.windowSize(), turned.begin());
            for (int t = 0; t < imu.length; ++t)
                for (int sensor = 0; sensor < 2; ++sensor) {
                    float* v = turned.data() + std::size_t(t * imu.channels + 3 * sensor);
                    const Eigen::Vector3f s = r * Eigen::Vector3f(v[0], v[1], v[2]);
                    v[0] = s.x(), v[1] = s.y(), v[2] = s.z();
                }
            out.append(turned.data(), imu.labels[i], imu.subjects[i]);
        }
    return out;
}

Dataset withTwistedCopies(const Dataset& imu, int copies, std::uint64_t seed, double maxDegrees)
{
    std::mt19937_64 rng(seed);
    const double maxRadians = maxDegrees * M_PI / 180.0;
    std::uniform_real_distribution<double> angle(-maxRadians, maxRadians);
    return withTurnedCopies(imu, copies, [&] {
        const double a = angle(rng);
        Eigen::Matrix3f about;
        about << float(std::cos(a)), float(-std::sin(a)), 0.f, //
            float(std::sin(a)), float(std::cos(a)), 0.f,        //
            0.f, 0.f, 1.f;
        return about;
    });
}

} // namespace nesy::learn
