#include "TrialPrograms.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/GraphLowering.h"
#include "codegen/ModelSpecLowering.h"
#include "engine/ProjectEvaluator.h"
#include "kalman/BlockSettings.h"
#include "kalman/LinearKalman.h"
#include "learn/ProgramCompiler.h"
#include "learn/TrajectoryRunner.h"
#include "sim/GroundRobotSimulator.h"
#include "symbolic/BlockSettings.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nesy::codegen {

TrainedTrial retrainTrial(const Project& project, const ProgramGraph& graph, int threads)
{
    EvaluatorOptions options;
    options.threads = threads;
    std::optional<learn::TrainedProgram> trained;
    options.onTrained = [&](const learn::TrainedProgram& t) { trained = t; };
    auto evaluator = makeProjectEvaluator(project, options);
    StopToken stop;
    TrainedTrial out;
    out.result = evaluator->evaluate(graph, stop);
    if (out.result.status != TrialStatus::Ok || !trained)
        throw std::runtime_error("the trial's program could not be retrained (" +
                                 (out.result.fault.empty() ? std::string("failed") : out.result.fault) +
                                 "): " + out.result.detail);
    out.program = std::move(*trained);
    return out;
}

ProgramIR lowerTrainedClassifier(const learn::TrainedProgram& t)
{
    if (!t.classifier)
        throw std::invalid_argument("the trained program has no classifier");
    ProgramIR ir = lowerCandidateModel(*t.classifier);
    if (t.decision)
        ir.decision = DecisionStage{t.decision->trees, t.decisionInputs};
    ir.validate();
    return ir;
}

FilterIR orientationEkfFilter(const kalman::OrientationEkfSettings& s, double sampleRateHz, const std::string& name)
{
    FilterIR f;
    f.name = name;
    f.kind = FilterKind::OrientationEkf;
    f.stateSize = 4;
    f.measurementSize = 3;
    f.x0 = {1.0, 0.0, 0.0, 0.0};
    f.P0.assign(16, 0.0);
    for (int i = 0; i < 4; ++i)
        f.P0[std::size_t(i) * 5] = s.initialVariance;
    f.accNoise = s.accNoise;
    f.gyroNoise = s.gyroNoise;
    f.dt = 1.0 / sampleRateHz;
    return f;
}

namespace {

std::vector<double> diagonal(const std::vector<double>& d)
{
    std::vector<double> m(d.size() * d.size(), 0.0);
    for (std::size_t i = 0; i < d.size(); ++i)
        m[i * d.size() + i] = d[i];
    return m;
}

std::vector<double> rowMajor(const Eigen::MatrixXd& m)
{
    std::vector<double> v;
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            v.push_back(m(r, c));
    return v;
}

// The ground robot's GPS: x and y measured with the filter's GPS noise.
void gpsMeasurement(FilterIR& f, double gpsSigmaM)
{
    f.measurementSize = 2;
    f.H = {1, 0, 0, 0, 0, 1, 0, 0};
    f.R = diagonal({gpsSigmaM * gpsSigmaM, gpsSigmaM * gpsSigmaM});
}

} // namespace

FilterIR trajectoryFilterIR(const learn::TrajectoryFilter& t)
{
    FilterIR f;
    f.name = t.block.empty() ? "filter" : t.block;
    f.stateSize = 4;
    f.x0.assign(4, 0.0);
    if (t.type == "kalman.ekf") {
        // As ekfGpsInsErrors: GpsInsEkfModel's constants.
        const kalman::GpsInsEkfModel model(t.ekf, t.imuRateHz);
        f.kind = FilterKind::GpsInsEkf;
        f.dt = model.dt;
        f.sampleRateHz = t.imuRateHz;
        f.P0 = rowMajor(model.P0);
        f.Q = rowMajor(model.Q);
        gpsMeasurement(f, t.ekf.gpsSigmaM);
        f.validate();
        return f;
    }
    if (t.type == "kalman.linear") {
        // As linearKalmanRun: the constant-velocity model stepped from one fix to the next.
        const kalman::LinearKalmanSettings& s = t.linear;
        const double dt = 1.0 / t.gpsRateHz;
        const double g2 = s.measurementSigmaM * s.measurementSigmaM, v2 = s.initialSpeedSigma * s.initialSpeedSigma;
        f.kind = FilterKind::Linear;
        f.dt = dt;
        f.sampleRateHz = t.gpsRateHz;
        f.P0 = diagonal({g2, g2, v2, v2});
        f.F = rowMajor(kalman::constantVelocityTransition(2, dt));
        f.Q = rowMajor(kalman::constantVelocityProcessNoise(2, dt, s.processNoise));
        gpsMeasurement(f, s.measurementSigmaM);
        f.validate();
        return f;
    }
    if (t.type != "kalman.neural")
        throw std::invalid_argument("block \"" + t.block + "\": no filter step for type " + t.type);
    // As neuralKalmanErrors: A = diag(1, 1, 0, 0), the model noise from the network's regression
    // error, U per raw sample from the IMU's white noise, the heading's from its drift.
    const kalman::NeuralKalmanSettings& s = t.neural;
    const double dt = double(s.windowSamples) / t.imuRateHz;
    const double g2 = s.gpsSigmaM * s.gpsSigmaM, m2 = s.modelVelocitySigma * s.modelVelocitySigma;
    f.kind = FilterKind::BodyVelocityKalman;
    f.dt = dt;
    f.sampleRateHz = t.imuRateHz;
    f.windowSamples = int(s.windowSamples);
    f.windowChannels = int(kalman::velocityWindowChannels);
    f.P0 = diagonal({g2, g2, 0.01, 0.01});
    f.F = diagonal({1, 1, 0, 0});
    f.Q = diagonal({m2 * dt * dt, m2 * dt * dt, m2, m2});
    gpsMeasurement(f, s.gpsSigmaM);
    f.network = t.velocityNetwork;
    f.inputMean = t.velocityStandardisation.mean;
    f.inputStddev = t.velocityStandardisation.stddev;
    const double accVar = s.noise.acc.sampleVariance(t.imuRateHz), gyroVar = s.noise.gyro.sampleVariance(t.imuRateHz);
    f.inputVariances = {accVar, accVar, accVar, gyroVar};
    f.headingNoise = s.noise.gyro;
    f.validate();
    return f;
}

double trajectoryStepSeconds(const learn::TrajectoryFilter& t, int steps)
{
    if (t.type == "kalman.linear")
        return double(steps + 1) / t.gpsRateHz + 1.0 / t.imuRateHz; // steps + 2 fixes
    const Eigen::Index samples = t.type == "kalman.neural" ? t.neural.windowSamples : 1;
    return double(steps * samples + 1) / t.imuRateHz;
}

std::vector<float> trajectoryStepInputs(const learn::TrajectoryFilter& t, int steps, std::uint64_t seed)
{
    const bool neural = t.type == "kalman.neural";
    const Eigen::Index samples = neural ? t.neural.windowSamples : 1;
    sim::GroundRobotConfig config;
    config.imuRateHz = t.imuRateHz;
    config.gpsRateHz = t.gpsRateHz;
    config.durationS = trajectoryStepSeconds(t, steps);
    const sim::GroundRobotTrajectory run = sim::simulateGroundRobot(config, seed);
    std::vector<float> inputs;
    if (t.type == "kalman.linear") { // a step per fix after the first: z = the fix
        for (int step = 0; step < steps; ++step) {
            const sim::GpsFix& fix = run.gps.at(std::size_t(step) + 1);
            inputs.push_back(float(fix.position.x()));
            inputs.push_back(float(fix.position.y()));
        }
        return inputs;
    }
    const Eigen::VectorXd psi = kalman::integratedHeading(run);
    for (int step = 0; step < steps; ++step) {
        const Eigen::Index start = step * samples, end = start + samples;
        if (neural) {
            const Eigen::VectorXd window = kalman::velocityWindow(run, start, samples);
            for (Eigen::Index i = 0; i < window.size(); ++i)
                inputs.push_back(float(window[i]));
            inputs.push_back(float(psi[start + samples / 2]));
        } else {
            inputs.push_back(float(run.imu(start, 0)));
            inputs.push_back(float(run.imu(start, 5)));
        }
        // The fix at the sample the step ends on (fixes after the first one).
        auto fix = std::find_if(run.gps.begin() + 1, run.gps.end(), [&](const auto& g) { return g.sample == end; });
        const bool hasFix = fix != run.gps.end();
        inputs.push_back(hasFix ? float(fix->position.x()) : 0.0f);
        inputs.push_back(hasFix ? float(fix->position.y()) : 0.0f);
        inputs.push_back(hasFix ? 1.0f : 0.0f);
    }
    return inputs;
}

CandidateProgram trackingCandidateProgram(const learn::CandidateModel& m)
{
    if (m.orientationEkf)
        return buildCandidateProgram(orientationEkfFilter(*m.orientationEkf, m.sampleRateHz,
                                                          m.backboneBlock.empty() ? "filter" : m.backboneBlock));
    if (m.trajectory)
        return buildCandidateProgram(trajectoryFilterIR(*m.trajectory), trajectoryStepInputs(*m.trajectory, 1));
    throw std::invalid_argument("candidate " + m.backboneBlock + " is not a tracking filter");
}

CandidateProgram candidateProgramFor(const learn::TrainedProgram& t)
{
    if (t.classifier)
        return buildCandidateProgram(lowerTrainedClassifier(t));
    if (t.orientationEkf)
        return buildCandidateProgram(orientationEkfFilter(*t.orientationEkf, t.sampleRateHz,
                                                          t.filterBlock.empty() ? "filter" : t.filterBlock));
    if (t.trajectory)
        return buildCandidateProgram(trajectoryFilterIR(*t.trajectory), trajectoryStepInputs(*t.trajectory, 1));
    throw std::invalid_argument("the trained program holds neither a classifier nor a filter");
}

DecisionStage decisionBound(int maxDepth, int maxTrees, const std::vector<std::string>& inputs)
{
    using symbolic::Expr;
    using symbolic::Op;
    if (inputs.empty())
        throw std::invalid_argument("a decision stage needs at least one input");
    int next = 0; // cycles through inputs and classes so the stand-in reads every score
    auto tree = [&](int depth, auto&& self) -> Expr {
        const int k = next++;
        if (depth == 0)
            return Expr::constant(double(k % int(inputs.size())));
        // A score against a threshold that float cannot hold (k + 0.1) is the costliest split of the
        // default pool: a double comparison, which links the soft-float routines. Score against
        // score compares in float and would under-estimate a trained program with thresholds.
        Expr split = Expr::binary(Op::Greater, Expr::input(inputs[std::size_t(k) % inputs.size()]),
                                  Expr::constant(double(k) + 0.1));
        Expr left = self(depth - 1, self);
        Expr right = self(depth - 1, self);
        return Expr::ifThenElse(split, left, right);
    };
    DecisionStage stage;
    stage.inputs = inputs;
    for (int i = 0; i < std::max(1, maxTrees); ++i)
        stage.trees.push_back(tree(std::max(0, maxDepth), tree));
    return stage;
}

std::optional<std::pair<int, int>> synthesisBound(const ProgramGraph& graph)
{
    for (const Block& b : graph.blocks()) {
        if (b.type != "symbolic.synthesized_tree")
            continue;
        const symbolic::SynthesisSettings s = symbolic::synthesisSettingsFromParams(Json::object(), b.id);
        auto largest = [&](const char* name, int fallback) {
            auto it = b.params.find(name);
            if (it == b.params.end())
                return fallback;
            if (const auto& d = it->second.search) {
                if (d->choices.empty())
                    return static_cast<int>(std::floor(d->high));
                int most = fallback; // ordinal or categorical: the largest numeric choice
                for (const Value& c : d->choices)
                    if (c.is_number())
                        most = std::max(most, c.get<int>());
                return most;
            }
            return it->second.value.is_number() ? it->second.value.get<int>() : fallback;
        };
        return std::make_pair(largest("max_depth", s.maxDepth), largest("max_trees", s.maxTrees));
    }
    return std::nullopt;
}

CandidateProgram candidateProgramForGraph(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry)
{
    const learn::CompiledProgram compiled = learn::compile(graph, project, registry);
    if (const auto* ekf = std::get_if<learn::OrientationEkfSpec>(&compiled)) {
        const auto settings = kalman::orientationEkfSettingsFromParams(ekf->filterParams, ekf->filterBlock);
        return buildCandidateProgram(orientationEkfFilter(settings, ekf->sampleRateHz, ekf->filterBlock));
    }
    if (const auto* trajectory = std::get_if<learn::TrajectorySpec>(&compiled))
        return trackingCandidateProgram(learn::trajectoryCandidate(*trajectory));
    const auto& p = std::get<learn::PipelineSpec>(compiled);
    const learn::CandidateModel model = candidateModelForGraph(graph, project, registry);
    ProgramIR ir = lowerCandidateModel(model);
    if (p.symbolic) {
        std::vector<std::string> classes;
        for (int c = 0; c < ir.scoresShape().size(); ++c)
            classes.push_back(std::string("class").append(std::to_string(c)));
        const std::vector<std::string> inputs = learn::decisionInputNames(p.symbolic->type, classes);
        if (p.symbolic->type == "symbolic.threshold_tree") {
            ir.decision = DecisionStage{symbolic::thresholdTreeFromParams(p.symbolic->params, p.symbolic->block).trees,
                                        inputs};
        } else {
            const auto s = symbolic::synthesisSettingsFromParams(p.symbolic->params, p.symbolic->block);
            ir.decision = decisionBound(s.maxDepth, s.maxTrees, inputs);
        }
    }
    return buildCandidateProgram(ir);
}

} // namespace nesy::codegen
