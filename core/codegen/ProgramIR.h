#pragma once
// The code generator's input: one candidate program as plain data. Optional feature extraction on
// the raw window, then a network of layers (the same kinds and arithmetic as the learning engine's
// ModelSpec, docs/learning.md "int8 arithmetic"), then an optional softmax on the float output.
//
// Tensors are [length x channels], time-major: element (t, c) at t * channels + c.
#include "graph/Value.h"
#include "learn/Features.h"
#include "learn/ModelSpec.h"
#include "symbolic/Expression.h"
#include "symbolic/Rules.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nesy::codegen {

struct Shape {
    int length = 1;
    int channels = 1;
    int size() const { return length * channels; }
    bool operator==(const Shape&) const = default;
};

// The hand-crafted features of features.statistics, in catalogue order: the learning engine's
// (core/learn/Features.h, docs/features.md).
using learn::Feature;
using learn::kFeatureCount;
std::string featureName(Feature f); // the features.statistics parameter name: "mean", "iqr", ...

struct FeatureSpec {
    std::vector<Feature> enabled; // in catalogue order
    int fftBins = 8;              // values produced by FftMean
    double sampleRateHz = 1.0;    // FundamentalFrequency is reported in Hz
    int tailRows = 0;             // > 0: the same features again over the window's last tailRows samples

    int valuesPerChannel() const; // per channel and span (the whole window, then its tail)
    bool needsSpectrum() const;
    bool needsSorting() const;
};

enum class LayerKind { Conv1D, Dense, MaxPool1D, GlobalAvgPool, Add };
enum class Padding { Causal, Same };
std::string layerKindName(LayerKind k);

// The learning engine's quantization types: one definition of the int8 arithmetic.
using learn::FixedMultiplier; // real multiplier ~= multiplier * 2^-shift
using learn::QuantParams;     // real = scale * (q - zeroPoint)

struct Layer {
    std::string name;
    LayerKind kind = LayerKind::Dense;
    std::vector<int> inputs; // earlier layer indices; -1 is the network input
    Shape in;
    Shape out;
    int kernel = 1;
    int dilation = 1;
    int pool = 1;
    Padding padding = Padding::Causal;
    bool relu = false;

    std::vector<float> weights; // Conv1D [out][k][in], Dense [out][in]
    std::vector<float> bias;

    std::vector<std::int8_t> qWeights;
    std::vector<std::int32_t> qBias;
    std::vector<FixedMultiplier> multipliers; // per output channel; GAP: one; Add: one per input (shared shift)
    QuantParams outQuant;

    std::int64_t multiplyAccumulates() const;
    int padBefore() const;            // Conv1D: input positions before the window (causal or same)
    std::int64_t executedTaps() const; // Conv1D: (t, o, k) triples whose input lies inside the window
};

// A decision program (core/symbolic) over the network's float outputs (dequantized for int8
// programs): its trees, combined by majority vote (ties: the earliest tree), each tree's value
// rounded to the nearest class. Evaluated in double, as the engine does.
struct DecisionStage {
    std::vector<symbolic::Expr> trees;
    std::vector<std::string> inputs; // the name the trees read network output i by
};

struct ProgramIR {
    std::string name = "program";
    Shape input;                // the raw input of one inference
    // Preprocessing, in order (as the learning engine's CandidateModel): raw window ->
    // [movement channel: one more channel, |gyro| > threshold] -> [magnitudes: 6 IMU axes ->
    // |acc|, |gyro|, or with magnitudesKeepAxes the 6 axes followed by |acc|, |gyro|] -> [features]
    // -> [normalise] -> network.
    std::optional<symbolic::MovementChannel> movement; // rule.movement_channel (the engine's definition)
    bool magnitudes = false;
    bool magnitudesKeepAxes = false;
    bool hasFeatures = false;
    FeatureSpec features;
    std::vector<float> normMean;   // per network-input channel; empty: no normalisation
    std::vector<float> normStddev; // x' = (x - mean) / stddev
    bool quantized = false;
    QuantParams inputQuant;     // network input quantization (int8 programs)
    std::vector<Layer> layers;  // execution order; the last one is the output
    bool softmax = false;       // softmax over the (dequantized) output
    // Optional decision after the scores: the entry function then writes the decided class as one
    // more output, after the scores (output[scoresShape().size()]).
    std::optional<DecisionStage> decision;

    Shape windowShape() const;  // the raw input after the optional movement channel or magnitudes
    Shape networkInput() const; // features' output or the window
    // Whether a layer may read the network input as `read`: its own shape, or the feature vector
    // [1 x F] as a sequence of one channel [F x 1] (convolutions over features; same values, same order).
    bool networkInputReadableAs(Shape read) const;
    Shape scoresShape() const;  // the network's output (or its input without layers)
    Shape outputShape() const;  // the scores, plus one value (the class) with a decision stage
    int outputSize() const { return outputShape().size(); }

    // Throws std::invalid_argument naming the layer whose shapes or parameters are inconsistent.
    void validate() const;

    std::int64_t weightBytes() const;       // constants as deployed (see ModelSpec::layerWeightBytes)
    std::int64_t multiplyAccumulates() const;
    int decisionNodes() const;              // expression nodes over all decision trees
    Json summary() const;                   // op counts and sizes for resource models
};

} // namespace nesy::codegen
