#include "TrajectoryRunner.h"
#include "CandidateModel.h"
#include "MlpProcessNetwork.h"
#include "RuleChecks.h"
#include "graph/JsonReader.h"
#include "kalman/BlockSettings.h"
#include "kalman/LinearProcessNetwork.h"
#include <cmath>
#include <memory>
#include <stdexcept>

namespace nesy::learn {

namespace {


struct Runs {
    std::vector<sim::GroundRobotTrajectory> train, validation, test;
};

Runs simulate(const TrajectorySpec& s)
{
    const JsonReader r = JsonReader::object(s.sourceParams, s.sourceBlock);
    sim::GroundRobotConfig config;
    config.durationS = r.optNumber("seconds", config.durationS);
    config.imuRateHz = r.optNumber("imu_rate_hz", config.imuRateHz);
    config.gpsRateHz = r.optNumber("gps_rate_hz", config.gpsRateHz);
    config.gpsSigmaM = r.optNumber("gps_sigma_m", config.gpsSigmaM);
    const int count = int(r.optInteger("trajectories", 20));
    const std::uint64_t seed = std::uint64_t(r.optInteger("seed", 1));
    if (count < 3)
        r.at("trajectories").fail("needs at least 3 runs (training, validation and test runs)");
    // 60% / 20% / 20% by run, at least one each.
    const int validationRuns = std::max(1, count / 5);
    const int trainRuns = std::max(1, count - 2 * validationRuns);
    Runs runs;
    for (int i = 0; i < count; ++i) {
        auto t = sim::simulateGroundRobot(config, seed + std::uint64_t(i));
        (i < trainRuns ? runs.train : i < trainRuns + validationRuns ? runs.validation : runs.test).push_back(std::move(t));
    }
    return runs;
}

kalman::VelocityWindows windowsOf(const std::vector<sim::GroundRobotTrajectory>& runs, Eigen::Index window)
{
    kalman::VelocityWindows all;
    for (const auto& t : runs)
        all.append(kalman::velocityWindows(t, window));
    return all;
}

// Median over every GPS epoch of every run.
template <class Errors>
double medianError(const std::vector<sim::GroundRobotTrajectory>& runs, Errors errorsOf)
{
    std::vector<double> all;
    for (const auto& t : runs) {
        const std::vector<double> e = errorsOf(t);
        all.insert(all.end(), e.begin(), e.end());
    }
    return kalman::median(std::move(all));
}

// The filter over every run of a split: the median error over every GPS epoch, and the runs (their
// states) for the rules.
struct SplitRuns {
    std::vector<kalman::FilterRun> runs;
    double medianError = 0;
};

template <class Filter>
SplitRuns filterSplit(const std::vector<sim::GroundRobotTrajectory>& runs, Filter filterRun)
{
    SplitRuns out;
    std::vector<double> all;
    for (const auto& t : runs) {
        out.runs.push_back(filterRun(t));
        all.insert(all.end(), out.runs.back().errors.begin(), out.runs.back().errors.end());
    }
    out.medianError = kalman::median(std::move(all));
    return out;
}

// The filter's error terms, and its rules' terms (TrajectorySpec::rules) on the validation runs.
void addFilterTerms(TrialResult& result, const TrajectorySpec& s, const SplitRuns& validation, const SplitRuns& test)
{
    if (!std::isfinite(validation.medianError))
        throw std::runtime_error("block \"" + s.filterBlock + "\": the filter diverged (non-finite error)");
    result.terms["error"] = validation.medianError;
    result.terms["test_error"] = test.medianError;
    if (!s.rules.empty())
        addRuleTerms(result, checkStateRules(s.rules, s.filterType, validation.runs),
                     checkStateRules(s.rules, s.filterType, test.runs));
}

// The velocity network the filter uses, with its sizes.
struct VelocityModel {
    std::unique_ptr<kalman::ProcessNetwork> network;
    double validationRmse = 0;
    Json details;
    std::map<std::string, double> sizeTerms;
};

VelocityModel trainVelocityModel(const TrajectorySpec& s, const Runs& runs, Eigen::Index window, const StopToken& stop)
{
    const JsonReader r = JsonReader::object(s.filterParams, s.filterBlock);
    const kalman::VelocityWindows train = windowsOf(runs.train, window);
    const kalman::VelocityWindows validation = windowsOf(runs.validation, window);
    VelocityModel v;
    if (r.optString("velocity_model", "mlp") == "linear") {
        auto linear = std::make_unique<kalman::LinearProcessNetwork>(
            kalman::LinearProcessNetwork::fit(train.features, train.targets));
        v.validationRmse = kalman::rmsError(*linear, validation.features, validation.targets);
        v.sizeTerms["weights_bytes"] = 4.0 * double((train.features.cols() + 1) * train.targets.cols());
        v.details = {{"velocity_model", "linear"}};
        v.network = std::move(linear);
        return v;
    }
    TrainOptions options;
    options.epochs = int(r.optInteger("epochs", 30));
    options.patience = std::max(5, options.epochs / 5);
    options.batchSize = 32;
    options.learningRate = 3e-3;
    options.seed = 1;
    options.shouldStop = [&stop] { return stop.stopRequested(); };
    const MlpConfig config{int(r.optInteger("layers", 2)), int(r.optInteger("units", 32))};
    kalman::TrainedVelocityNetwork trained = kalman::trainVelocityMlp(train.features, train.targets, validation.features,
                                                                      validation.targets, config, options);
    // Sizes as for a classification candidate (docs/learning.md): float32 weights, the input's
    // standardisation, the raw IMU window; the filter's own few constants are not counted.
    CandidateModel m;
    m.backboneBlock = s.filterBlock;
    m.backboneType = s.filterType;
    m.int8 = false;
    m.model = trained.network.model();
    m.window = {int(window), int(kalman::velocityWindowChannels)};
    m.normMean.assign(std::size_t(train.features.cols()), 0.0f);
    m.normStddev.assign(std::size_t(train.features.cols()), 1.0f);
    m.computeSizes();
    v.sizeTerms = {{"weights_bytes", double(m.weightBytes)}, {"activation_bytes", double(m.activationBytes)},
                   {"flash_bytes", double(m.flashBytes)}, {"sram_bytes", double(m.sramBytes)}};
    v.details = {{"velocity_model", "mlp"}, {"layers", config.layers}, {"units", config.units},
                 {"epochs_run", trained.report.epochsRun}, {"best_epoch", trained.report.bestEpoch},
                 {"seconds", trained.report.seconds}, {"model", m.sizesToJson()}};
    v.validationRmse = trained.validationRmse;
    v.network = std::make_unique<kalman::MlpProcessNetwork>(std::move(trained.network));
    return v;
}

} // namespace

TrialResult runTrajectory(const TrajectorySpec& s, const StopToken& stop)
{
    TrialResult result;
    result.details = Json::object();
    const Runs runs = simulate(s);
    if (stop.stopRequested()) {
        result.status = TrialStatus::Cancelled;
        result.detail = "stopped before filtering";
        return result;
    }
    Json scores = {{"metric", "median_position_error"},
                   {"train_runs", runs.train.size()},
                   {"validation_runs", runs.validation.size()},
                   {"test_runs", runs.test.size()}};
    // Baseline on the validation runs, for reading the error against GPS alone.
    scores["gps_only_m"] = medianError(runs.validation, [](const auto& t) { return kalman::gpsOnlyErrors(t); });

    if (s.filterType == "kalman.ekf") {
        const kalman::GpsInsEkfSettings settings = kalman::gpsInsEkfSettingsFromParams(s.filterParams, s.filterBlock);
        auto filter = [&](const auto& t) { return kalman::ekfGpsInsRun(t, settings); };
        addFilterTerms(result, s, filterSplit(runs.validation, filter), filterSplit(runs.test, filter));
        result.details["scores"] = scores;
        return result;
    }
    if (s.filterType == "kalman.linear") {
        const kalman::LinearKalmanSettings settings = kalman::linearKalmanSettingsFromParams(s.filterParams, s.filterBlock);
        auto filter = [&](const auto& t) { return kalman::linearKalmanRun(t, settings); };
        addFilterTerms(result, s, filterSplit(runs.validation, filter), filterSplit(runs.test, filter));
        scores["process_noise"] = settings.processNoise;
        scores["measurement_noise"] = settings.measurementSigmaM;
        result.details["scores"] = scores;
        return result;
    }

    // The EKF GPS/INS baseline at its defaults on the same runs, for reading the filter against it.
    scores["ekf_gps_ins_m"] = medianError(runs.validation, [](const auto& t) {
        return kalman::ekfGpsInsErrors(t, kalman::GpsInsEkfSettings{});
    });
    kalman::NeuralKalmanSettings settings = kalman::neuralKalmanSettingsFromParams(s.filterParams, s.filterBlock);
    const auto& first = runs.train.front();
    const double gpsInterval = first.imuRateHz / JsonReader::object(s.sourceParams, s.sourceBlock).optNumber("gps_rate_hz", 1.0);
    if (settings.windowSamples < 2 || std::fmod(gpsInterval, double(settings.windowSamples)) != 0.0)
        throw std::runtime_error("block \"" + s.filterBlock + "\" (kalman.neural) parameter \"window\": " +
                                 std::to_string(settings.windowSamples) + " samples must divide the GPS interval of " +
                                 std::to_string(gpsInterval) + " IMU samples");
    VelocityModel model = trainVelocityModel(s, runs, settings.windowSamples, stop);
    if (stop.stopRequested()) {
        result.status = TrialStatus::Cancelled;
        result.detail = "stopped during training";
        return result;
    }
    settings.modelVelocitySigma = model.validationRmse;
    auto filter = [&](const auto& t) { return kalman::neuralKalmanRun(t, *model.network, settings); };
    addFilterTerms(result, s, filterSplit(runs.validation, filter), filterSplit(runs.test, filter));
    for (const auto& [name, value] : model.sizeTerms)
        result.terms[name] = value;
    scores["velocity_rmse"] = model.validationRmse;
    scores["window"] = settings.windowSamples;
    result.details["scores"] = scores;
    result.details["training"] = model.details;
    return result;
}

} // namespace nesy::learn
