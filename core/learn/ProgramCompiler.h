#pragma once
// Turns a program graph (a trial's values fixed in) into the learning pipeline it describes:
// source -> [features.magnitude] -> [features.statistics] -> backbone -> sink.classification.
// Anything else fails with a CompileError naming the block.
#include "Architectures.h"
#include "Features.h"
#include "Trainer.h"
#include "graph/BlockRegistry.h"
#include "graph/Project.h"
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

struct PipelineSpec {
    DataSourceSpec source;
    bool magnitudes = false;
    std::optional<FeatureOptions> features;
    std::string backboneBlock;
    std::string backboneType;
    std::variant<MlpConfig, Cnn1dConfig, TcnConfig> backbone;
    TrainOptions training;
    bool int8 = true;
    std::string sinkBlock;
    std::string metric = "accuracy";
};

PipelineSpec compileProgram(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry);

// Builds the backbone's untrained model for inputs of `input` shape and `classes` outputs.
ModelSpec buildBackbone(const PipelineSpec& p, Shape input, int classes);

} // namespace nesy::learn
