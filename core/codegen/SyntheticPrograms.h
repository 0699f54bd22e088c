#pragma once
// Random but well-formed programs of every shape the code generator supports (features + MLP,
// 1D CNN, TCN with residual blocks, float or int8, optionally with a decision stage; Kalman
// steps): the fixtures of the equivalence tests and the candidates of the simulated-vs-emulated
// calibration.
#include "codegen/FilterIR.h"
#include "codegen/ProgramIR.h"
#include <cstdint>

namespace nesy::codegen {

enum class SyntheticShape { FeaturesMlp, Cnn, Tcn };

struct SyntheticOptions {
    SyntheticShape shape = SyntheticShape::FeaturesMlp;
    bool int8 = false;
    int windowLength = 64;
    int channels = 3;
    int classes = 5;
    int width = 16;   // units or filters
    int depth = 2;    // hidden layers, conv layers or residual blocks
    int kernel = 3;
    bool softmax = true;
    bool magnitudes = false; // 6-axis window reduced to |acc|, |gyro| first (needs channels == 6)
    bool magnitudesKeepAxes = false; // with magnitudes: the 6 axes kept, |acc|, |gyro| appended
    bool normalize = false;  // per-channel normalisation of the network input
    bool movement = false;   // rule.movement_channel on the last (up to 3) channels (not with magnitudes)
    bool pooling = true;     // Cnn: a max-pool after each convolution
    bool features = true;    // FeaturesMlp: false gives a plain MLP on the raw window
    int featureCount = 0;    // FeaturesMlp: 0 enables each feature with probability 2/3, else this many at random
    bool linearFeatures = false; // with featureCount: only features of linear work (no sort, no spectrum)
    int featureTail = 0;     // FeaturesMlp with features: tail_rows (the features again over the last N samples)
    int decisionTrees = 0;   // > 0: a decision stage of this many random trees over the scores
    int decisionDepth = 2;   // if-then-else depth of each tree
};

ProgramIR syntheticProgram(const SyntheticOptions& options, std::uint64_t seed);

// Options drawn at random within sizes that keep one emulated run well under a second.
// varyStructure also draws pooling, features and the movement channel (the calibration's wider design: it separates
// costs that always come together in the default shapes, e.g. a convolution and its pooling).
SyntheticOptions randomSyntheticOptions(std::uint64_t seed, bool varyStructure = false);

// A Kalman step of the given kind with random sizes (linear: 1..8 states; neural: 2..6 states,
// 2..10 network inputs, 1..3 hidden layers of 4..32 units; GPS/INS EKF and body-velocity step:
// 4 states, 1..4 measurements, the latter a window of 4..64 samples x 1..6 channels and 1..3
// hidden layers of 4..32 units) and well-conditioned matrices.
FilterIR randomSyntheticFilter(FilterKind kind, std::uint64_t seed);

} // namespace nesy::codegen
