#include "GroundRobotFilters.h"
#include "ExtendedKalman.h"
#include "LinearKalman.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nesy::kalman {

using sim::GroundRobotTrajectory;

double median(std::vector<double> v)
{
    if (v.empty()) throw std::invalid_argument("median of an empty list");
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (v.size() % 2) return *mid;
    return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

namespace {

void requireGps(const GroundRobotTrajectory& t)
{
    if (t.gps.size() < 2) throw std::invalid_argument("ground-robot filters: the trajectory has fewer than 2 GPS fixes");
}

double positionError(const GroundRobotTrajectory& t, Eigen::Index sample, const Eigen::Vector2d& estimate)
{
    return (t.position.row(sample).transpose() - estimate).norm();
}

} // namespace

Eigen::VectorXd integratedHeading(const GroundRobotTrajectory& t)
{
    Eigen::VectorXd psi(t.size());
    psi[0] = t.heading[0];
    const double dt = 1.0 / t.imuRateHz;
    for (Eigen::Index k = 1; k < t.size(); ++k) psi[k] = psi[k - 1] + t.imu(k - 1, 5) * dt;
    return psi;
}

Eigen::VectorXd velocityWindow(const GroundRobotTrajectory& t, Eigen::Index start, Eigen::Index samples)
{
    Eigen::VectorXd w(samples * velocityWindowChannels);
    for (Eigen::Index s = 0; s < samples; ++s) {
        const auto row = t.imu.row(start + s);
        w.segment(s * velocityWindowChannels, velocityWindowChannels) << row[0], row[1], row[2], row[5];
    }
    return w;
}

namespace {

Eigen::Matrix2d rotation(double psi)
{
    Eigen::Matrix2d R;
    R << std::cos(psi), -std::sin(psi), std::sin(psi), std::cos(psi);
    return R;
}

} // namespace

std::vector<double> gpsOnlyErrors(const GroundRobotTrajectory& t)
{
    requireGps(t);
    std::vector<double> e;
    for (std::size_t i = 1; i < t.gps.size(); ++i) e.push_back(positionError(t, t.gps[i].sample, t.gps[i].position));
    return e;
}

void FilterRun::record(const GroundRobotTrajectory& t, const sim::GpsFix& fix, const Eigen::VectorXd& state)
{
    errors.push_back(positionError(t, fix.sample, state.head<2>()));
    states.push_back(state);
    times.push_back(fix.time);
}

FilterRun linearKalmanRun(const GroundRobotTrajectory& t, const LinearKalmanSettings& s)
{
    requireGps(t);
    if (!(s.processNoise > 0) || !(s.measurementSigmaM > 0))
        throw std::invalid_argument("linear KF: the process and measurement noise must be positive");
    const double g2 = s.measurementSigmaM * s.measurementSigmaM, v2 = s.initialSpeedSigma * s.initialSpeedSigma;
    LinearKalmanFilter kf(Eigen::Vector4d(t.gps[0].position.x(), t.gps[0].position.y(), 0, 0),
                          Eigen::Vector4d(g2, g2, v2, v2).asDiagonal());
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(2, 4);
    H(0, 0) = H(1, 1) = 1.0;
    const Eigen::MatrixXd R = g2 * Eigen::Matrix2d::Identity();
    FilterRun run;
    for (std::size_t i = 1; i < t.gps.size(); ++i) {
        const double dt = t.gps[i].time - t.gps[i - 1].time;
        kf.predict(constantVelocityTransition(2, dt), constantVelocityProcessNoise(2, dt, s.processNoise));
        kf.update(t.gps[i].position, H, R);
        run.record(t, t.gps[i], kf.state());
    }
    return run;
}

double headingVariance(const sim::AllanParameters& g, double seconds)
{
    return g.whiteNoiseDensity * g.whiteNoiseDensity * seconds + std::pow(g.turnOnBias * seconds, 2) +
           g.biasRandomWalk * g.biasRandomWalk * seconds * seconds * seconds / 3.0;
}

GpsInsEkfModel::GpsInsEkfModel(const GpsInsEkfSettings& s, double imuRateHz) : dt(1.0 / imuRateHz)
{
    const double g2 = s.gpsSigmaM * s.gpsSigmaM;
    P0 = Eigen::Vector4d(g2, g2, 0.01, 0.01).asDiagonal();
    const auto& an = s.noise.acc;
    const auto& gn = s.noise.gyro;
    const double speedVar =
        (an.sampleVariance(imuRateHz) + an.turnOnBias * an.turnOnBias + s.unmodelledAcceleration * s.unmodelledAcceleration) *
        dt * dt;
    const double headingVar = (gn.sampleVariance(imuRateHz) + gn.turnOnBias * gn.turnOnBias) * dt * dt;
    Q = Eigen::Vector4d(1e-8, 1e-8, speedVar, headingVar).asDiagonal();
    H = Eigen::MatrixXd::Zero(2, 4);
    H(0, 0) = H(1, 1) = 1.0;
    R = g2 * Eigen::Matrix2d::Identity();
}

Eigen::VectorXd GpsInsEkfModel::propagate(const Eigen::VectorXd& x, double a, double w) const
{
    Eigen::VectorXd n(4);
    n << x[0] + x[2] * std::cos(x[3]) * dt, x[1] + x[2] * std::sin(x[3]) * dt, x[2] + a * dt, x[3] + w * dt;
    return n;
}

Eigen::MatrixXd GpsInsEkfModel::jacobian(const Eigen::VectorXd& x) const
{
    Eigen::MatrixXd J = Eigen::MatrixXd::Identity(4, 4);
    J(0, 2) = std::cos(x[3]) * dt;
    J(0, 3) = -x[2] * std::sin(x[3]) * dt;
    J(1, 2) = std::sin(x[3]) * dt;
    J(1, 3) = x[2] * std::cos(x[3]) * dt;
    return J;
}

std::vector<double> ekfGpsInsErrors(const GroundRobotTrajectory& t, const GpsInsEkfSettings& s)
{
    return ekfGpsInsRun(t, s).errors;
}

FilterRun ekfGpsInsRun(const GroundRobotTrajectory& t, const GpsInsEkfSettings& s)
{
    requireGps(t);
    const GpsInsEkfModel model(s, t.imuRateHz);
    ExtendedKalmanFilter ekf(Eigen::Vector4d(t.gps[0].position.x(), t.gps[0].position.y(), 0.0, t.heading[0]), model.P0);
    FilterRun run;
    for (std::size_t i = 1; i < t.gps.size(); ++i) {
        for (Eigen::Index k = t.gps[i - 1].sample; k < t.gps[i].sample; ++k) {
            const double a = t.imu(k, 0), w = t.imu(k, 5);
            ekf.predict([&](const Eigen::VectorXd& x) { return model.propagate(x, a, w); },
                        [&](const Eigen::VectorXd& x) { return model.jacobian(x); }, model.Q);
        }
        ekf.update(t.gps[i].position, [&](const Eigen::VectorXd& x) -> Eigen::VectorXd { return model.H * x; },
                   [&](const Eigen::VectorXd&) -> Eigen::MatrixXd { return model.H; }, model.R);
        run.record(t, t.gps[i], ekf.state());
    }
    return run;
}

void VelocityWindows::append(const VelocityWindows& more)
{
    if (features.rows() == 0) {
        *this = more;
        return;
    }
    if (more.features.cols() != features.cols() || more.targets.cols() != targets.cols())
        throw std::invalid_argument("velocity windows: appending windows of a different layout");
    features.conservativeResize(features.rows() + more.features.rows(), Eigen::NoChange);
    features.bottomRows(more.features.rows()) = more.features;
    targets.conservativeResize(targets.rows() + more.targets.rows(), Eigen::NoChange);
    targets.bottomRows(more.targets.rows()) = more.targets;
}

VelocityWindows velocityWindows(const GroundRobotTrajectory& t, Eigen::Index w)
{
    if (w < 2) throw std::invalid_argument("velocity windows: a window needs at least 2 samples");
    const Eigen::Index count = (t.size() - 1) / w;
    const WindowFeatures features(w, velocityWindowChannels);
    const double seconds = static_cast<double>(w) / t.imuRateHz;
    VelocityWindows out{Eigen::MatrixXd(count, features.outputSize()), Eigen::MatrixXd(count, 2)};
    for (Eigen::Index i = 0; i < count; ++i) {
        const Eigen::Index start = i * w;
        out.features.row(i) = features.features(velocityWindow(t, start, w)).transpose();
        const Eigen::Vector2d displacement = (t.position.row(start + w) - t.position.row(start)).transpose();
        out.targets.row(i) = (rotation(t.heading[start + w / 2]).transpose() * displacement / seconds).transpose();
    }
    return out;
}

std::vector<double> neuralKalmanErrors(const GroundRobotTrajectory& t, const ProcessNetwork& net,
                                       const NeuralKalmanSettings& s)
{
    return neuralKalmanRun(t, net, s).errors;
}

FilterRun neuralKalmanRun(const GroundRobotTrajectory& t, const ProcessNetwork& net, const NeuralKalmanSettings& s)
{
    requireGps(t);
    const Eigen::Index w = s.windowSamples;
    const Eigen::Index gpsInterval = t.gps[1].sample - t.gps[0].sample;
    if (w < 2 || gpsInterval % w != 0)
        throw std::invalid_argument("neural-Kalman: the window (" + std::to_string(w) +
                                    " samples) must divide the GPS interval (" + std::to_string(gpsInterval) + " samples)");
    const double dt = static_cast<double>(w) / t.imuRateHz;
    const BodyVelocityProcess process(net, WindowFeatures(w, velocityWindowChannels), dt);
    const Eigen::VectorXd psi = integratedHeading(t);

    // U: each raw sample's white noise (acc x, y, z, gyro z), then the heading's accumulated drift.
    Eigen::VectorXd variances(process.inputSize());
    const double accVar = s.noise.acc.sampleVariance(t.imuRateHz);
    const double gyroVar = s.noise.gyro.sampleVariance(t.imuRateHz);
    for (Eigen::Index k = 0; k < w; ++k)
        variances.segment(k * velocityWindowChannels, velocityWindowChannels) << accVar, accVar, accVar, gyroVar;
    const double m2 = s.modelVelocitySigma * s.modelVelocitySigma;
    const Eigen::MatrixXd modelNoise = Eigen::Vector4d(m2 * dt * dt, m2 * dt * dt, m2, m2).asDiagonal();

    const double g2 = s.gpsSigmaM * s.gpsSigmaM;
    NeuralKalmanFilter filter(Eigen::Vector4d(t.gps[0].position.x(), t.gps[0].position.y(), 0, 0),
                              Eigen::Vector4d(g2, g2, 0.01, 0.01).asDiagonal(), BodyVelocityProcess::transition());
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(2, 4);
    H(0, 0) = H(1, 1) = 1.0;
    const Eigen::MatrixXd R = g2 * Eigen::Matrix2d::Identity();

    FilterRun run;
    Eigen::VectorXd u(process.inputSize());
    for (std::size_t i = 1; i < t.gps.size(); ++i) {
        for (Eigen::Index start = t.gps[i - 1].sample; start + w <= t.gps[i].sample; start += w) {
            const Eigen::Index mid = start + w / 2;
            u << velocityWindow(t, start, w), psi[mid];
            variances[process.inputSize() - 1] = headingVariance(s.noise.gyro, static_cast<double>(mid) / t.imuRateHz);
            filter.predictIndependent(process, u, variances, modelNoise);
        }
        filter.update(t.gps[i].position, H, R);
        run.record(t, t.gps[i], filter.state());
    }
    return run;
}

} // namespace nesy::kalman
