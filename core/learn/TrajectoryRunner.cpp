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

MlpConfig velocityMlpConfig(const TrajectorySpec& s)
{
    const JsonReader r = JsonReader::object(s.filterParams, s.filterBlock);
    return MlpConfig{int(r.optInteger("layers", 2)), int(r.optInteger("units", 32))};
}

bool linearVelocityModel(const TrajectorySpec& s)
{
    return JsonReader::object(s.filterParams, s.filterBlock).optString("velocity_model", "mlp") == "linear";
}

// The velocity network the filter uses: the engine's own (double for the linear model) for scoring,
// and the filter as exported, with its sizes.
struct VelocityModel {
    std::unique_ptr<kalman::ProcessNetwork> network;
    double validationRmse = 0;
    Json details;
};

// y = W u + b as the one dense layer of the exported network (float32 weights).
ModelSpec linearAsDense(const kalman::LinearProcessNetwork& linear)
{
    const Eigen::MatrixXd& W = linear.weights();
    ModelSpec m = buildMlp({1, int(W.cols())}, int(W.rows()), MlpConfig{0, 1}, 1);
    LayerSpec& dense = m.layers.back();
    for (Eigen::Index o = 0; o < W.rows(); ++o) {
        for (Eigen::Index i = 0; i < W.cols(); ++i)
            dense.weights[std::size_t(o * W.cols() + i)] = float(W(o, i));
        dense.bias[std::size_t(o)] = float(linear.bias()[o]);
    }
    return m;
}

// Trains the velocity network of `filter` (kalman.neural) and stores it, trained, in `filter`.
VelocityModel trainVelocityModel(const TrajectorySpec& s, const Runs& runs, TrajectoryFilter& filter, const StopToken& stop)
{
    const JsonReader r = JsonReader::object(s.filterParams, s.filterBlock);
    const Eigen::Index window = filter.neural.windowSamples;
    const kalman::VelocityWindows train = windowsOf(runs.train, window);
    const kalman::VelocityWindows validation = windowsOf(runs.validation, window);
    VelocityModel v;
    if (linearVelocityModel(s)) {
        auto linear = std::make_unique<kalman::LinearProcessNetwork>(
            kalman::LinearProcessNetwork::fit(train.features, train.targets));
        v.validationRmse = kalman::rmsError(*linear, validation.features, validation.targets);
        v.details = {{"velocity_model", "linear"}};
        filter.velocityNetwork = linearAsDense(*linear);
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
    const MlpConfig config = velocityMlpConfig(s);
    kalman::TrainedVelocityNetwork trained = kalman::trainVelocityMlp(train.features, train.targets, validation.features,
                                                                      validation.targets, config, options);
    filter.velocityNetwork = trained.network.model();
    filter.velocityStandardisation = trained.network.normalizer();
    v.details = {{"velocity_model", "mlp"}, {"layers", config.layers}, {"units", config.units},
                 {"epochs_run", trained.report.epochsRun}, {"best_epoch", trained.report.bestEpoch},
                 {"seconds", trained.report.seconds}};
    v.validationRmse = trained.validationRmse;
    v.network = std::make_unique<kalman::MlpProcessNetwork>(std::move(trained.network));
    return v;
}

// Sizes as for a classification candidate (docs/learning.md): float32 weights, the input's
// standardisation, the raw IMU window; the filter's own few constants are not counted.
CandidateModel candidateOf(const TrajectoryFilter& f)
{
    CandidateModel m;
    m.backboneBlock = f.block;
    m.backboneType = f.type;
    m.int8 = false;
    m.sampleRateHz = f.imuRateHz;
    m.trajectory = f;
    if (f.type == "kalman.neural") {
        m.model = f.velocityNetwork;
        m.window = {int(f.neural.windowSamples), int(kalman::velocityWindowChannels)};
        m.normMean = f.velocityStandardisation.mean;
        m.normStddev = f.velocityStandardisation.stddev;
        m.computeSizes();
    }
    return m;
}

} // namespace

TrajectoryFilter untrainedTrajectoryFilter(const TrajectorySpec& s)
{
    const JsonReader source = JsonReader::object(s.sourceParams, s.sourceBlock);
    TrajectoryFilter f;
    f.block = s.filterBlock;
    f.type = s.filterType;
    f.imuRateHz = source.optNumber("imu_rate_hz", sim::GroundRobotConfig{}.imuRateHz);
    f.gpsRateHz = source.optNumber("gps_rate_hz", sim::GroundRobotConfig{}.gpsRateHz);
    if (s.filterType == "kalman.ekf") {
        f.ekf = kalman::gpsInsEkfSettingsFromParams(s.filterParams, s.filterBlock);
        return f;
    }
    if (s.filterType == "kalman.linear") {
        f.linear = kalman::linearKalmanSettingsFromParams(s.filterParams, s.filterBlock);
        return f;
    }
    f.neural = kalman::neuralKalmanSettingsFromParams(s.filterParams, s.filterBlock);
    const double gpsInterval = f.imuRateHz / f.gpsRateHz;
    if (f.neural.windowSamples < 2 || std::fmod(gpsInterval, double(f.neural.windowSamples)) != 0.0)
        throw std::runtime_error("block \"" + s.filterBlock + "\" (kalman.neural) parameter \"window\": " +
                                 std::to_string(f.neural.windowSamples) + " samples must divide the GPS interval of " +
                                 std::to_string(gpsInterval) + " IMU samples");
    const int features = int(2 * kalman::velocityWindowChannels); // WindowFeatures: means, variances
    f.velocityNetwork = buildMlp({1, features}, 2, linearVelocityModel(s) ? MlpConfig{0, 1} : velocityMlpConfig(s), 1);
    f.velocityStandardisation = {std::vector<float>(std::size_t(features), 0.0f),
                                 std::vector<float>(std::size_t(features), 1.0f)};
    return f;
}

CandidateModel trajectoryCandidate(const TrajectorySpec& s)
{
    return candidateOf(untrainedTrajectoryFilter(s));
}

TrialResult runTrajectory(const TrajectorySpec& s, const StopToken& stop,
                          const std::function<void(const TrainedProgram&)>& onTrained)
{
    TrajectoryFilter filter = untrainedTrajectoryFilter(s);
    auto handOut = [&](double error) {
        if (!onTrained)
            return;
        TrainedProgram t;
        t.trajectory = filter;
        t.filterBlock = s.filterBlock;
        t.sampleRateHz = filter.imuRateHz;
        t.metric = "median_position_error";
        t.validationError = error;
        onTrained(t);
    };
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

    if (s.filterType == "kalman.ekf" || s.filterType == "kalman.linear") {
        auto run = [&](const auto& t) {
            return s.filterType == "kalman.ekf" ? kalman::ekfGpsInsRun(t, filter.ekf) : kalman::linearKalmanRun(t, filter.linear);
        };
        addFilterTerms(result, s, filterSplit(runs.validation, run), filterSplit(runs.test, run));
        if (s.filterType == "kalman.linear") {
            scores["process_noise"] = filter.linear.processNoise;
            scores["measurement_noise"] = filter.linear.measurementSigmaM;
        }
        result.details["scores"] = scores;
        handOut(result.terms["error"]);
        return result;
    }

    // The EKF GPS/INS baseline at its defaults on the same runs, for reading the filter against it.
    scores["ekf_gps_ins_m"] = medianError(runs.validation, [](const auto& t) {
        return kalman::ekfGpsInsErrors(t, kalman::GpsInsEkfSettings{});
    });
    VelocityModel model = trainVelocityModel(s, runs, filter, stop);
    if (stop.stopRequested()) {
        result.status = TrialStatus::Cancelled;
        result.detail = "stopped during training";
        return result;
    }
    filter.neural.modelVelocitySigma = model.validationRmse;
    auto run = [&](const auto& t) { return kalman::neuralKalmanRun(t, *model.network, filter.neural); };
    addFilterTerms(result, s, filterSplit(runs.validation, run), filterSplit(runs.test, run));
    const double error = result.terms["error"];
    const CandidateModel sized = candidateOf(filter);
    result.terms["weights_bytes"] = double(sized.weightBytes);
    result.terms["activation_bytes"] = double(sized.activationBytes);
    result.terms["flash_bytes"] = double(sized.flashBytes);
    result.terms["sram_bytes"] = double(sized.sramBytes);
    model.details["model"] = sized.sizesToJson();
    scores["velocity_rmse"] = model.validationRmse;
    scores["window"] = filter.neural.windowSamples;
    result.details["scores"] = scores;
    result.details["training"] = model.details;
    handOut(error);
    return result;
}

} // namespace nesy::learn
