// bench_kalman: the figures of docs/kalman.md.
//  1. Median absolute trajectory error on simulated ground-robot runs (1 Hz GPS, 1.5 m noise):
//     GPS only, an EKF GPS/INS baseline and the neural-Kalman filter, beside the published figures.
//  2. The orientation EKF on the real ahrs-ekf recording: untuned (block defaults) and after a
//     search over its accelerometer and gyroscope noise (GP-UCB from core/search, 50 evaluations
//     with 5 random as published; a random search and a grid for comparison).
// Usage: bench_kalman [--data <shared data folder>] [--train N] [--test N] [--seconds S]
#include "kalman/GroundRobotFilters.h"
#include "kalman/LinearProcessNetwork.h"
#include "kalman/OrientationEkf.h"
#include "learn/MlpProcessNetwork.h"
#include "search/BayesOptimizer.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace nesy;
using namespace nesy::kalman;

namespace {

struct Options {
    std::string data = std::getenv("NESY_SHARED_DATA") ? std::getenv("NESY_SHARED_DATA") : NESY_SHARED_DATA_DEFAULT;
    int trainRuns = 20;
    int testRuns = 10;
    double seconds = 120;
};

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--data") o.data = argv[i + 1];
        else if (key == "--train") o.trainRuns = std::stoi(argv[i + 1]);
        else if (key == "--test") o.testRuns = std::stoi(argv[i + 1]);
        else if (key == "--seconds") o.seconds = std::stod(argv[i + 1]);
        else {
            std::fprintf(stderr, "bench_kalman: unknown option %s\n", key.c_str());
            std::exit(2);
        }
    }
    return o;
}

void append(std::vector<double>& all, const std::vector<double>& part) { all.insert(all.end(), part.begin(), part.end()); }

VelocityWindows windowsOf(int firstSeed, int runs, const sim::GroundRobotConfig& config)
{
    VelocityWindows all;
    for (int i = 0; i < runs; ++i)
        all.append(velocityWindows(sim::simulateGroundRobot(config, static_cast<std::uint64_t>(firstSeed + i)), 100));
    return all;
}

void trajectoryBench(const Options& o)
{
    sim::GroundRobotConfig config;
    config.durationS = o.seconds;
    // Training and validation windows from seeds disjoint from the test seeds.
    const VelocityWindows train = windowsOf(1000, o.trainRuns, config);
    const VelocityWindows validation = windowsOf(2000, std::max(1, o.trainRuns / 4), config);
    const LinearProcessNetwork linear = LinearProcessNetwork::fit(train.features, train.targets);
    NeuralKalmanSettings linearSettings;
    linearSettings.modelVelocitySigma = rmsError(linear, validation.features, validation.targets);

    learn::TrainOptions options;
    options.epochs = 150;
    options.patience = 20;
    options.batchSize = 32;
    options.learningRate = 3e-3;
    options.seed = 1;
    const learn::MlpConfig mlpConfig{2, 32};
    const TrainedVelocityNetwork mlp =
        trainVelocityMlp(train.features, train.targets, validation.features, validation.targets, mlpConfig, options);
    NeuralKalmanSettings mlpSettings;
    mlpSettings.modelVelocitySigma = mlp.validationRmse;

    std::vector<double> gps, ekf, neuralLinear, neuralMlp;
    for (int i = 0; i < o.testRuns; ++i) {
        const sim::GroundRobotTrajectory t = sim::simulateGroundRobot(config, static_cast<std::uint64_t>(1 + i));
        append(gps, gpsOnlyErrors(t));
        append(ekf, ekfGpsInsErrors(t, {}));
        append(neuralLinear, neuralKalmanErrors(t, linear, linearSettings));
        append(neuralMlp, neuralKalmanErrors(t, mlp.network, mlpSettings));
    }
    std::printf("Simulated ground robot: %d test runs x %.0f s (seeds 1..%d), 1 Hz GPS, sigma 1.5 m; velocity "
                "models fitted on %d runs (seeds 1000..%d, %ld windows of 1 s), validated on seeds 2000..%d\n",
                o.testRuns, o.seconds, o.testRuns, o.trainRuns, 999 + o.trainRuns,
                static_cast<long>(train.features.rows()), 1999 + std::max(1, o.trainRuns / 4));
    std::printf("%-48s %14s %14s\n", "method", "median ATE (m)", "published (m)");
    std::printf("%-48s %14.2f %14.2f\n", "GPS only", median(gps), 1.89);
    std::printf("%-48s %14.2f %14.2f\n", "EKF GPS/INS (unicycle, IMU at 100 Hz)", median(ekf), 2.24);
    std::printf("%-48s %14.2f %14.2f\n", "neural-Kalman, MLP 2x32 velocity net (core/learn)", median(neuralMlp), 1.36);
    std::printf("%-48s %14.2f %14s\n", "neural-Kalman, linear velocity model", median(neuralLinear), "-");
    std::printf("(validation RMSE of the window velocity: MLP %.3f m/s after %d epochs, linear %.3f m/s)\n\n",
                mlp.validationRmse, mlp.report.epochsRun, linearSettings.modelVelocitySigma);
}

void orientationBench(const Options& o)
{
    const std::filesystem::path folder = (std::filesystem::path(o.data) / "ahrs-ekf").lexically_normal();
    const OrientationDataset data = loadAhrsEkfDataset(folder);
    const OrientationEkfSettings defaults;
    const OrientationErrors untuned = evaluateOrientationEkf(defaults, data);

    // GP-UCB over (0, 1) x (0, 1) with the published budget: 50 evaluations, 5 of them random.
    const auto gpStart = std::chrono::steady_clock::now();
    auto noiseParameter = [](std::string key, double value) {
        SearchParameter p;
        p.key = std::move(key);
        p.domain = Domain::real(1e-3, 1.0);
        p.inactiveValue = value;
        return p;
    };
    SearchSpace space({noiseParameter("ekf.acc_noise", defaults.accNoise), noiseParameter("ekf.gyro_noise", defaults.gyroNoise)});
    OptimizerSettings optimizerSettings;
    optimizerSettings.initialRandom = 5;
    optimizerSettings.seed = 1;
    BayesOptimizer optimizer(space, optimizerSettings);
    OrientationEkfSettings gpBest = defaults;
    OrientationErrors gpErr = untuned;
    int gpBestAt = 0;
    for (int i = 1; i <= 50; ++i) {
        const Proposal p = optimizer.ask(1).at(0);
        OrientationEkfSettings s = defaults;
        s.accNoise = p.assignment.at("ekf.acc_noise").get<double>();
        s.gyroNoise = p.assignment.at("ekf.gyro_noise").get<double>();
        const OrientationErrors e = evaluateOrientationEkf(s, data);
        optimizer.tell(p.assignment, e.objective(), true);
        if (e.objective() < gpErr.objective()) {
            gpBest = s;
            gpErr = e;
            gpBestAt = i;
        }
    }
    const double gpSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - gpStart).count();

    // A random search with the same budget, and a grid, for comparison.
    auto search = [&](auto&& nextCandidate, int evaluations) {
        OrientationEkfSettings best = defaults;
        OrientationErrors bestErr = untuned;
        for (int i = 0; i < evaluations; ++i) {
            OrientationEkfSettings s = defaults;
            std::tie(s.accNoise, s.gyroNoise) = nextCandidate(i);
            const OrientationErrors e = evaluateOrientationEkf(s, data);
            if (e.objective() < bestErr.objective()) {
                best = s;
                bestErr = e;
            }
        }
        return std::make_pair(best, bestErr);
    };
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(1e-3, 1.0);
    const auto start = std::chrono::steady_clock::now();
    const auto [randomBest, randomErr] = search([&](int) { return std::make_pair(u(rng), u(rng)); }, 50);
    const auto [gridBest, gridErr] =
        search([](int i) { return std::make_pair(0.025 + 0.05 * (i / 20), 0.025 + 0.05 * (i % 20)); }, 400);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::printf("Orientation EKF on %s (%ld samples at 100 Hz); objective = mean |azimuth error| + mean "
                "|elevation error| (deg)\n",
                folder.string().c_str(), static_cast<long>(data.size()));
    std::printf("%-38s %9s %9s %10s %10s %10s\n", "run", "acc", "gyro", "azimuth", "elevation", "objective");
    auto row = [](const char* name, const OrientationEkfSettings& s, const OrientationErrors& e) {
        std::printf("%-38s %9.3f %9.3f %10.2f %10.2f %10.2f\n", name, s.accNoise, s.gyroNoise, e.azimuthDeg,
                    e.elevationDeg, e.objective());
    };
    row("untuned (block defaults)", defaults, untuned);
    row("GP-UCB (core/search), 50 evaluations", gpBest, gpErr);
    row("random search, 50 evaluations", randomBest, randomErr);
    row("grid 20 x 20, 400 evaluations", gridBest, gridErr);
    std::printf("(GP-UCB found its best at evaluation %d, %.1f s; random search and grid %.1f s for 450 runs)\n",
                gpBestAt, gpSeconds, seconds);
}

} // namespace

int main(int argc, char** argv)
{
    const Options o = parse(argc, argv);
    try {
        trajectoryBench(o);
        orientationBench(o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_kalman: %s\n", e.what());
        return 1;
    }
    return 0;
}
