// The learning engine's Evaluator: compile the candidate graph, then run the runner for its shape.
// Classification: build the model untrained, size it, let the resource check veto it (hard
// thresholding), train and score it on the validation subjects, optionally through a symbolic
// program over its class scores; rule blocks add their violation rates as terms. Orientation: run
// the EKF over the recording with the trial's noise. Trajectory: the neural-Kalman filter (or the
// EKF baseline) on simulated robot runs (TrajectoryRunner). Every shape passes the resource check
// first: a refused filter is never trained nor run.
#include "engine/ProjectEvaluator.h"
#include "CandidateModel.h"
#include "DatasetCache.h"
#include "Metrics.h"
#include "ProgramCompiler.h"
#include "Quantizer.h"
#include "RuleChecks.h"
#include "ThreadPool.h"
#include "TrainedProgram.h"
#include "Trainer.h"
#include "TrajectoryRunner.h"
#include "graph/BlockRegistry.h"
#include "kalman/BlockSettings.h"
#include "symbolic/BlockSettings.h"
#include <cmath>
#include <iostream>

namespace nesy {

namespace {

using namespace nesy::learn;

struct PreparedData {
    Dataset train, validation, test;
    Normalizer normalizer;
};

PreparedData prepare(const PipelineSpec& p, const SplitData& raw, int threads)
{
    PreparedData d{raw.train, raw.validation, raw.test, {}};
    if (d.train.size() == 0 || d.validation.size() == 0)
        throw DataError("block \"" + p.source.block + "\": the training or validation subjects have no windows");
    if (p.movementChannel) {
        const auto channel = symbolic::movementChannelFromParams(p.movementChannel->params, p.movementChannel->block);
        try {
            d.train = withMovementChannel(d.train, channel);
            d.validation = withMovementChannel(d.validation, channel);
            d.test = withMovementChannel(d.test, channel);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("block \"" + p.movementChannel->block + "\" (rule.movement_channel): " + e.what());
        }
    }
    if (p.magnitudes) {
        d.train = magnitudes(d.train, p.magnitudesKeepAxes);
        d.validation = magnitudes(d.validation, p.magnitudesKeepAxes);
        d.test = magnitudes(d.test, p.magnitudesKeepAxes);
    }
    if (p.features) {
        const FeatureExtractor fx(*p.features, d.train.length, d.train.channels, d.train.sampleRateHz);
        d.train = fx.extract(d.train, threads);
        d.validation = fx.extract(d.validation, threads);
        d.test = fx.extract(d.test, threads);
    }
    d.normalizer = Normalizer::fit(d.train);
    d.normalizer.apply(d.train);
    d.normalizer.apply(d.validation);
    d.normalizer.apply(d.test);
    return d;
}

double metricOf(const std::string& metric, const ConfusionMatrix& c)
{
    if (metric == "balanced_accuracy")
        return balancedAccuracy(c);
    if (metric == "macro_f1")
        return macroF1(c);
    return accuracy(c);
}

Json confusionToJson(const ConfusionMatrix& c)
{
    Json j = Json::array();
    for (const auto& row : c)
        j.push_back(row);
    return j;
}

// The symbolic stage's inputs: one column per class score, named p_<class> so that a synthesised
// program reads as text ("if p_fall > p_lying then ..."); a fixed template reads x0, x1, ...
symbolic::NamedColumns scoreColumns(const SymbolicStageSpec& s, const Matrix& scores,
                                    const std::vector<std::string>& classNames)
{
    // Named as the generated C names them (decisionInputNames), so engine and export agree.
    const Eigen::MatrixXd rows = scores.cast<double>();
    const std::vector<std::string> names = decisionInputNames(s.type, classNames);
    symbolic::NamedColumns columns;
    for (int c = 0; c < int(rows.cols()); ++c)
        columns[names.at(std::size_t(c))] = rows.col(c);
    return columns;
}

// The decision program for the stage: synthesised on the validation scores (the brief of the
// block: the program is fitted where the search measures it), or the template with its constants.
symbolic::DecisionProgram buildProgram(const SymbolicStageSpec& s, const symbolic::NamedColumns& validation,
                                       const std::vector<int>& labels)
{
    if (s.type == "symbolic.threshold_tree")
        return symbolic::thresholdTreeFromParams(s.params, s.block);
    try {
        return symbolic::synthesizeDecisionProgram(validation, labels, symbolic::synthesisSettingsFromParams(s.params, s.block))
            .program;
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error("block \"" + s.block + "\": " + e.what());
    }
}

// Seconds between consecutive windows of a recording: the source's stride at its rate.
double strideSeconds(const DataSourceSpec& source)
{
    const double stride = source.params.value("stride", 0.0);
    const double rate = source.params.value("rate_hz", 0.0);
    if (!(stride > 0 && rate > 0))
        throw std::runtime_error("block \"" + source.block + "\": rules need the source's stride and rate_hz");
    return stride / rate;
}

void addSizeTerms(TrialResult& r, const CandidateModel& m)
{
    r.terms["weights_bytes"] = double(m.weightBytes);
    r.terms["activation_bytes"] = double(m.activationBytes);
    r.terms["flash_bytes"] = double(m.flashBytes);
    r.terms["sram_bytes"] = double(m.sramBytes);
    r.details["model"] = m.sizesToJson();
}

class LearningEvaluator : public Evaluator {
public:
    LearningEvaluator(Project project, EvaluatorOptions options)
        : project_(std::move(project)), options_(std::move(options)), registry_(BlockRegistry::builtin())
    {
    }

    TrialResult evaluate(const ProgramGraph& candidate, const StopToken& stop) override
    {
        CompiledProgram program;
        try {
            program = compile(candidate, project_, registry_);
        } catch (const std::exception& e) {
            return failed(TrialStatus::Failed, "unsupported-program", e.what());
        }
        try {
            return std::visit([&](const auto& spec) { return run(spec, stop); }, program);
        } catch (const std::exception& e) {
            return failed(TrialStatus::Failed, "evaluation-error", e.what());
        }
    }

private:
    // Hard thresholding: the resource check's terms and per-board details go to r; false when the
    // candidate is refused (r then carries the fault) and must be neither trained nor run.
    bool passesResourceCheck(const CandidateModel& m, TrialResult& r) const
    {
        if (!options_.resourceCheck)
            return true;
        const ResourceVerdict v = options_.resourceCheck(m);
        for (const auto& [name, value] : v.terms)
            r.terms[name] = value;
        if (!v.details.is_null())
            r.details["resources"] = v.details;
        if (v.deployable())
            return true;
        // A measurement stopped on request says nothing about the candidate.
        r.status = v.fault == "cancelled" ? TrialStatus::Cancelled : TrialStatus::Infeasible;
        r.fault = v.fault;
        r.detail = v.detail;
        return false;
    }

    // The measured terms replace the runner's estimates, as for classifiers.
    static TrialResult withResources(TrialResult run, const TrialResult& checked)
    {
        for (const auto& [name, value] : checked.terms)
            run.terms[name] = value;
        if (checked.details.contains("resources"))
            run.details["resources"] = checked.details["resources"];
        return run;
    }

    TrialResult run(const OrientationEkfSpec& s, const StopToken& stop) const
    {
        if (stop.stopRequested())
            return failed(TrialStatus::Cancelled, "", "stopped before filtering");
        const kalman::OrientationEkfSettings settings = kalman::orientationEkfSettingsFromParams(s.filterParams, s.filterBlock);
        TrialResult r;
        r.details = Json::object();
        CandidateModel candidate;
        candidate.backboneBlock = s.filterBlock;
        candidate.backboneType = "kalman.orientation_ekf";
        candidate.int8 = false;
        candidate.sampleRateHz = s.sampleRateHz;
        candidate.orientationEkf = settings;
        if (!passesResourceCheck(candidate, r))
            return r;
        kalman::OrientationDataset data;
        try {
            data = kalman::loadAhrsEkfDataset(s.folder);
        } catch (const std::exception& e) {
            throw std::runtime_error("block \"" + s.sourceBlock + "\" (source.ahrs): " + e.what());
        }
        data.sampleRateHz = s.sampleRateHz;
        const kalman::OrientationEkfRun run = kalman::runOrientationEkf(settings, data);
        const kalman::OrientationErrors& e = run.errors;
        if (!std::isfinite(e.objective()))
            throw std::runtime_error("block \"" + s.filterBlock + "\": the filter diverged (non-finite error)");
        r.terms["error"] = e.objective();
        r.details["scores"] = {{"metric", "azimuth_elevation_error"}, {"azimuth_deg", e.azimuthDeg},
                               {"elevation_deg", e.elevationDeg}, {"samples", data.size()},
                               {"acc_noise", settings.accNoise}, {"gyro_noise", settings.gyroNoise}};
        // One recording, no held-out split: the rules are judged on the run that is scored.
        if (!s.rules.empty())
            addRuleTerms(r, checkStateRules(s.rules, "kalman.orientation_ekf", {kalman::FilterRun{{}, run.states, run.times}}), {});
        if (options_.onTrained) {
            TrainedProgram t;
            t.orientationEkf = settings;
            t.sampleRateHz = data.sampleRateHz;
            t.filterBlock = s.filterBlock;
            t.metric = "azimuth_elevation_error";
            t.validationError = e.objective();
            options_.onTrained(t);
        }
        return r;
    }

    TrialResult run(const TrajectorySpec& s, const StopToken& stop) const
    {
        TrialResult checked;
        checked.details = Json::object();
        if (!passesResourceCheck(trajectoryCandidate(s), checked))
            return checked;
        TrialResult r = runTrajectory(s, stop, options_.onTrained);
        return r.status == TrialStatus::Ok ? withResources(std::move(r), checked) : r;
    }

    TrialResult run(const PipelineSpec& p, const StopToken& stop)
    {
        TrialResult r;
        r.details = Json::object();
        {
            const int threads = resolveThreads(options_.threads);
            const auto raw = cache_.get(p.source);
            if (stop.stopRequested())
                return failed(TrialStatus::Cancelled, "", "stopped before training");
            // Features that do not fit the window (a tail as long as it): refused before extraction, training
            // or the resource check. The window's length is the loaded data's, so this comes after loading.
            if (const std::string problem = p.features ? p.features->problemWith(raw->train.length) : "";
                !problem.empty())
                return failed(TrialStatus::Infeasible, "unbuildable",
                              "block \"" + p.featuresBlock + "\" (features.statistics): " + problem);
            const PreparedData d = prepare(p, *raw, threads);

            CandidateModel m;
            m.backboneBlock = p.backboneBlock;
            m.backboneType = p.backboneType;
            m.int8 = p.int8;
            // The window the generated program reads: with the movement channel appended (computed
            // from the raw gyroscope before the program; CandidateModel::movementChannel says how).
            m.window = {raw->train.length, raw->train.channels + (p.movementChannel ? 1 : 0)};
            m.sampleRateHz = raw->train.sampleRateHz;
            if (p.movementChannel)
                m.movementChannel = symbolic::movementChannelFromParams(p.movementChannel->params, p.movementChannel->block);
            m.magnitudes = p.magnitudes;
            m.magnitudesKeepAxes = p.magnitudesKeepAxes;
            m.features = p.features;
            m.normMean = d.normalizer.mean;
            m.normStddev = d.normalizer.stddev;
            m.classNames = d.train.classNames;
            try {
                m.model = buildBackbone(p, {d.train.length, d.train.channels}, d.train.classes());
            } catch (const CompileError& e) {
                return failed(TrialStatus::Infeasible, "unbuildable", e.what());
            }
            m.computeSizes();
            addSizeTerms(r, m);

            if (!passesResourceCheck(m, r))
                return r;

            ThreadPool pool(threads);
            TrainOptions to = p.training;
            to.shouldStop = [&stop] { return stop.stopRequested(); };
            if (options_.verbose)
                to.onEpoch = [&](int epoch, double loss, double score) {
                    std::cerr << p.backboneBlock << ": epoch " << epoch << " loss " << loss << " validation " << score
                              << "\n";
                };
            const TrainReport report = train(m.model, d.train, d.validation, to, &pool);
            if (report.stopped)
                return failed(TrialStatus::Cancelled, "", "stopped during training");

            std::vector<int> val, test;
            std::optional<symbolic::DecisionProgram> decision; // kept for onTrained
            if (p.symbolic) {
                // The program reads the float model's class scores.
                const Matrix valScores = predictScores(m.model, d.validation, &pool);
                const auto valColumns = scoreColumns(*p.symbolic, valScores, d.train.classNames);
                const symbolic::DecisionProgram program = buildProgram(*p.symbolic, valColumns, d.validation.labels);
                val = program.decide(valColumns);
                if (d.test.size() > 0)
                    test = program.decide(scoreColumns(*p.symbolic, predictScores(m.model, d.test, &pool), d.train.classNames));
                decision = program;
                r.details["program"] = program.text();
                r.details["program_block"] = p.symbolic->block;
            } else if (p.int8) {
                quantize(m.model, d.train);
                val = predictInt8(m.model, d.validation, &pool);
                test = predictInt8(m.model, d.test, &pool);
            } else {
                val = argmaxRows(predictScores(m.model, d.validation, &pool));
                test = argmaxRows(predictScores(m.model, d.test, &pool));
            }
            if (!p.rules.empty()) {
                // Rules judge the deployed decisions: the program's, and the backbone's as run.
                const double dt = strideSeconds(p.source);
                auto outcomes = [&](const Dataset& split, const std::vector<int>& decisions) {
                    const Matrix scores = predictScores(m.model, split, &pool);
                    const std::vector<int> model = p.symbolic ? argmaxRows(scores) : decisions;
                    return checkRules(p.rules, split, model, p.symbolic ? decisions : std::vector<int>{}, scores, dt);
                };
                addRuleTerms(r, outcomes(d.validation, val),
                             d.test.size() > 0 ? outcomes(d.test, test) : std::vector<RuleOutcome>{});
            }
            const int classes = d.train.classes();
            const ConfusionMatrix cv = confusionMatrix(d.validation.labels, val, classes);
            r.terms["error"] = 1.0 - metricOf(p.metric, cv);
            Json scores = {{"metric", p.metric}, {"classes", d.train.classNames}, {"validation_confusion", confusionToJson(cv)},
                           {"validation_windows", d.validation.size()}, {"train_windows", d.train.size()}};
            if (d.test.size() > 0) {
                const ConfusionMatrix ct = confusionMatrix(d.test.labels, test, classes);
                r.terms["test_error"] = 1.0 - metricOf(p.metric, ct);
                scores["test_confusion"] = confusionToJson(ct);
                scores["test_windows"] = d.test.size();
            }
            r.details["scores"] = scores;
            r.details["training"] = {{"epochs_run", report.epochsRun}, {"best_epoch", report.bestEpoch},
                                     {"seconds", report.seconds}};
            if (options_.onTrained) {
                TrainedProgram t;
                t.classifier = m;
                if (decision) {
                    t.classifier->int8 = false; // the program read the float model's scores
                    t.decision = decision;
                    t.decisionInputs = decisionInputNames(p.symbolic->type, d.train.classNames);
                    t.decisionBlock = p.symbolic->block;
                }
                t.metric = p.metric;
                t.validationError = r.terms["error"];
                options_.onTrained(t);
            }
            return r;
        }
    }

    static TrialResult failed(TrialStatus status, std::string fault, std::string detail)
    {
        TrialResult r;
        r.status = status;
        r.fault = std::move(fault);
        r.detail = std::move(detail);
        r.details = Json::object();
        return r;
    }

    Project project_;
    EvaluatorOptions options_;
    BlockRegistry registry_;
    DatasetCache cache_;
};

} // namespace

std::unique_ptr<Evaluator> makeProjectEvaluator(const Project& project, const EvaluatorOptions& options)
{
    // Fail fast on a program this engine cannot run, naming the block.
    learn::compile(project.graph, project, BlockRegistry::builtin());
    return std::make_unique<LearningEvaluator>(project, options);
}

} // namespace nesy
