#pragma once
// A trial's program as code, trained or not:
// - retrainTrial: the trial's graph trained again on the project's data through the project
//   evaluator, which hands out the trained program (EvaluatorOptions::onTrained). Training is
//   deterministic for the seed in the graph (the backbone's `seed` parameter, fixed by the trial),
//   whatever the thread count, so this is the program the search scored.
// - candidateProgramFor(TrainedProgram): its generated C, summary and expected output.
// - candidateProgramForGraph: the architecture before training (what the search measures for the
//   hard threshold), for every shape the evaluator runs.
#include "boards/Board.h"
#include "codegen/FilterIR.h"
#include "codegen/ProgramIR.h"
#include "engine/Evaluator.h"
#include "graph/BlockRegistry.h"
#include "graph/Project.h"
#include "learn/TrainedProgram.h"
#include <optional>

namespace nesy::codegen {

struct TrainedTrial {
    learn::TrainedProgram program;
    TrialResult result; // the evaluator's result of the retraining (terms, scores, details)
};

// Throws std::runtime_error naming the trial's fault when it cannot be trained (infeasible,
// unsupported, failed).
TrainedTrial retrainTrial(const Project& project, const ProgramGraph& graph, int threads = 0);

// The trained classifier (preprocessing, trained model, decision stage) as the generator's IR.
ProgramIR lowerTrainedClassifier(const learn::TrainedProgram& trained);
// The orientation EKF step with the trial's noise levels, from the identity orientation.
FilterIR orientationEkfFilter(const kalman::OrientationEkfSettings& settings, double sampleRateHz,
                              const std::string& name);

// The trajectory filter's step (kalman.neural: the ground robot's neural-Kalman step with the
// filter's network; kalman.ekf: the GPS/INS EKF step; kalman.linear: the constant-velocity KF
// stepped from fix to fix) from the origin, at rest, heading 0.
FilterIR trajectoryFilterIR(const learn::TrajectoryFilter& filter);

// Inputs of `steps` consecutive steps of the trajectory filter (steps x inputSize, step after step)
// taken from a simulated robot run (sim::simulateGroundRobot with `seed`, trajectoryStepSeconds
// long), laid out as the engine feeds its filter (neuralKalmanErrors, ekfGpsInsErrors,
// linearKalmanRun): each step's IMU samples, the integrated heading, and the GPS fix on the step
// that ends at one; for kalman.linear the fixes after the first. The run starts at the origin, so
// the generated step's initial state holds.
std::vector<float> trajectoryStepInputs(const learn::TrajectoryFilter& filter, int steps, std::uint64_t seed = 1);
double trajectoryStepSeconds(const learn::TrajectoryFilter& filter, int steps);

// A tracking candidate (CandidateModel::orientationEkf or ::trajectory set) as its filter step; the
// test input is one step of trajectoryStepInputs for a trajectory filter. Throws
// std::invalid_argument for a classifier.
CandidateProgram trackingCandidateProgram(const learn::CandidateModel& candidate);

// Throws std::invalid_argument when the program holds nothing the generator knows.
CandidateProgram candidateProgramFor(const learn::TrainedProgram& trained);

// A stand-in decision stage as large as the synthesised program can be: complete trees of the
// block's max_depth (or its search domain's largest value), max_trees of them, every split a score
// against a threshold compared in double. The resource check runs before training, so the real
// program is not known yet; this bounds its size and work (for the default predicate pool: splits
// on arithmetic terms, the block's `arithmetic` option, can cost more).
DecisionStage decisionBound(int maxDepth, int maxTrees, const std::vector<std::string>& inputs);

// The largest (max_depth, max_trees) the graph's synthesised decision block can take, or nullopt
// when it has none.
std::optional<std::pair<int, int>> synthesisBound(const ProgramGraph& graph);

// Before training: any shape the evaluator runs (classification with an optional decision stage,
// the orientation EKF, the trajectory filters with an untrained network of the trial's architecture). Throws learn::CompileError naming a block the generator cannot contain.
CandidateProgram candidateProgramForGraph(const ProgramGraph& graph, const Project& project,
                                          const BlockRegistry& registry);

} // namespace nesy::codegen
