#pragma once
// Turns a program graph (a trial's values fixed in) into the pipeline it describes. Shapes:
//   classification: source -> [rule.movement_channel] -> [features.magnitude] -> [features.statistics]
//                   -> backbone -> [symbolic.synthesized_tree | symbolic.threshold_tree] -> sink.classification,
//                   plus rule.sequence / rule.bound blocks (each optionally into a sink.term) reading
//                   the backbone's scores or the program's decisions
//   orientation:    source.ahrs -> kalman.orientation_ekf -> sink.tracking (azimuth_elevation_error),
//                   plus rule.bound blocks reading a quantity of the filter's state
//   trajectory:     source.gps_ins_sim -> kalman.linear | kalman.neural | kalman.ekf -> sink.tracking
//                   (median_position_error), plus rule.bound blocks reading a quantity of the filter's state
// Anything else fails with a CompileError naming the block.
#include "Architectures.h"
#include "Features.h"
#include "Trainer.h"
#include "graph/BlockRegistry.h"
#include "graph/Project.h"
#include "symbolic/RuleTerms.h"
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

namespace nesy::learn {

class CompileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Where the windows come from; equal keys mean equal data (the dataset cache's key).
struct DataSourceSpec {
    std::string block;
    std::string type;          // "source.synthetic_imu", "source.earable", "source.csv"
    Json params;               // the block's effective parameter values
    std::filesystem::path path; // resolved dataset path (empty for generated data)
    std::string cacheKey() const;
};

// A symbolic program reading the backbone's class scores and making the final decision.
struct SymbolicStageSpec {
    std::string block;
    std::string type; // "symbolic.synthesized_tree" or "symbolic.threshold_tree"
    Json params;      // the block's effective parameter values
};

// rule.movement_channel: a physics channel appended to every raw window before the model sees it.
struct MovementChannelSpec {
    std::string block;
    Json params; // the block's effective parameter values
};

// A rule checked on every trial: its term, and what it reads.
struct RuleSpec {
    symbolic::RuleTermSpec term;
    Json params;            // the rule block's effective parameter values
    std::string reads;      // the block whose output it checks
    bool readsProgram = false; // the symbolic program's decisions, else the backbone's scores
};

struct PipelineSpec {
    DataSourceSpec source;
    bool magnitudes = false;
    bool magnitudesKeepAxes = false; // features.magnitude keep_axes: |acc|, |gyro| appended to the 6 axes
    std::optional<FeatureOptions> features;
    std::string featuresBlock; // the features.statistics block
    std::string backboneBlock;
    std::string backboneType;
    std::variant<MlpConfig, Cnn1dConfig, TcnConfig> backbone;
    TrainOptions training;
    bool int8 = true;
    std::optional<SymbolicStageSpec> symbolic;
    std::string sinkBlock;
    std::string metric = "accuracy";
    std::optional<MovementChannelSpec> movementChannel;
    std::vector<RuleSpec> rules;
};

// source.ahrs -> kalman.orientation_ekf -> sink.tracking (+ rule.bound blocks on its state).
struct OrientationEkfSpec {
    std::string sourceBlock;
    std::filesystem::path folder; // resolved dataset folder (Acc.csv, Gyro.csv, Or_GT.csv)
    double sampleRateHz = 100.0;
    std::string filterBlock;
    Json filterParams; // the filter block's effective parameter values
    std::string sinkBlock;
    std::vector<RuleSpec> rules; // rule.bound blocks on the orientation ("azimuth", "elevation"), checked every sample
};

// source.gps_ins_sim -> kalman.linear | kalman.neural | kalman.ekf -> sink.tracking: filters on
// simulated robot runs.
struct TrajectorySpec {
    std::string sourceBlock;
    Json sourceParams; // the simulator block's effective parameter values
    std::string filterBlock;
    std::string filterType; // "kalman.linear", "kalman.neural" or "kalman.ekf"
    Json filterParams;
    std::string sinkBlock;
    std::vector<RuleSpec> rules; // rule.bound blocks on a quantity of the filter's state ("quantity")
};

using CompiledProgram = std::variant<PipelineSpec, OrientationEkfSpec, TrajectorySpec>;

// Any supported shape; the evaluator runs one runner per alternative.
CompiledProgram compile(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry);

// The classification shape only (code generation lowers it); a tracking graph throws CompileError.
PipelineSpec compileProgram(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry);

// Builds the backbone's untrained model for inputs of `input` shape and `classes` outputs.
ModelSpec buildBackbone(const PipelineSpec& p, Shape input, int classes);

} // namespace nesy::learn
