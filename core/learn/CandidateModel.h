#pragma once
// A candidate program as the learning engine builds it: preprocessing (window, magnitudes,
// features, normalisation) plus the backbone's ModelSpec, with exact sizes. Handed to the
// resource check (boards, code generator) before training, and filled with trained weights after.
#include "Features.h"
#include "ModelSpec.h"
#include "TrajectoryFilter.h"
#include "kalman/OrientationEkf.h"
#include "graph/Value.h"
#include "symbolic/Rules.h"
#include <optional>
#include <string>
#include <vector>

namespace nesy::learn {

struct LayerBytes {
    std::string name;
    std::string kind;
    std::size_t weightBytes = 0;     // at the deployed precision
    std::size_t activationBytes = 0; // the layer's output tensor at the deployed precision
};

struct CandidateModel {
    std::string backboneBlock; // block id in the graph
    std::string backboneType;  // "backbone.tcn" ...
    bool int8 = true;          // deployed precision
    ModelSpec model;           // exact shapes; weights untrained before training

    // Preprocessing, in order: raw window -> (movement channel) -> (magnitudes) -> (features)
    // -> normalise -> model.
    Shape window;              // samples x channels of the window the program reads (raw, plus the movement channel)
    double sampleRateHz = 0;
    // rule.movement_channel: the channel "|gyro| > threshold" (1/0) appended to each raw sample,
    // already counted in `window`; the generated program reads the raw window (one channel fewer)
    // and appends it itself (codegen's ProgramIR::movement).
    std::optional<symbolic::MovementChannel> movementChannel;
    bool magnitudes = false;
    bool magnitudesKeepAxes = false; // the magnitudes appended to the 6 axes (8 channels), not replacing them
    std::optional<FeatureOptions> features;
    std::vector<float> normMean;   // per model-input channel (per feature for feature vectors)
    std::vector<float> normStddev; // x' = (x - mean) / stddev
    std::vector<std::string> classNames;

    // A tracking candidate: the program is this filter's step, not a classifier (backboneBlock is
    // the filter block; for kalman.neural, `model` is the velocity network, for the sizes).
    std::optional<kalman::OrientationEkfSettings> orientationEkf; // with sampleRateHz
    std::optional<TrajectoryFilter> trajectory;

    // Exact sizes of the model at the deployed precision.
    std::size_t weightBytes = 0;
    std::size_t activationBytes = 0; // peak tensor arena
    std::vector<LayerBytes> layers;
    // Estimates until a board measures them (see docs/learning.md, "Resource estimates").
    std::size_t flashBytes = 0;
    std::size_t sramBytes = 0;

    int featureCount() const { return features ? model.input.size() : 0; }
    // Recomputes the byte counts and estimates from the model and preprocessing.
    void computeSizes();
    Json sizesToJson() const;
};

} // namespace nesy::learn
