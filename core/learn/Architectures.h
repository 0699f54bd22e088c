#pragma once
// The backbones as ModelSpec layer lists with freshly initialised weights (He-uniform, zero bias,
// drawn from the seed so that the same seed gives the same model).
#include "ModelSpec.h"
#include <cstdint>
#include <vector>

namespace nesy::learn {

struct MlpConfig {
    int layers = 1;
    int units = 32;
};
struct Cnn1dConfig {
    int layers = 2;
    int filters = 16;
    int kernel = 5;
    int pool = 2;
};
// How the TCN's last sequence becomes class scores: averaged over time (windows: where an event
// happens does not matter), or flattened into the dense output (features read as a sequence:
// which feature sits where does matter, and averaging would lose it).
enum class TcnHead { Average, Flatten };

struct TcnConfig {
    int filters = 16;
    int kernel = 5;
    int stacks = 1;
    std::vector<int> dilations{1, 2, 4, 8};
    bool skip = false;
    TcnHead head = TcnHead::Average;
};

// Each throws std::invalid_argument naming the setting that cannot be built.
ModelSpec buildMlp(Shape input, int outputs, const MlpConfig& c, std::uint64_t seed);
ModelSpec buildCnn1d(Shape input, int outputs, const Cnn1dConfig& c, std::uint64_t seed);
ModelSpec buildTcn(Shape input, int outputs, const TcnConfig& c, std::uint64_t seed);

// Receptive field of a TCN in samples: 1 + 2 * stacks * (kernel - 1) * sum(dilations).
int tcnReceptiveField(const TcnConfig& c);

} // namespace nesy::learn
