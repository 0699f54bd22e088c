#pragma once
// A built model as plain data: the contract between the learning engine (which trains and
// quantizes it) and the C code generator (which must reproduce its inference: bit-exactly in
// int8, within 1e-5 in float32). The arithmetic is specified in docs/learning.md ("int8
// arithmetic"); runFloat and runInt8 below are the reference implementations of that text.
//
// Tensors are [length x channels], time-major: element (t, c) sits at t * channels + c.
// Dense layers read their input flattened in that order.
#include <cstdint>
#include <string>
#include <vector>

namespace nesy::learn {

struct Shape {
    int length = 1;   // time steps (1 for vectors)
    int channels = 1; // channels (features for vectors)
    int size() const { return length * channels; }
    bool operator==(const Shape&) const = default;
};

enum class LayerKind {
    Conv1D,        // dilated convolution, stride 1; weights [out][k][in], bias [out]
    Dense,         // fully connected on the flattened input; weights [out][in], bias [out]
    MaxPool1D,     // non-overlapping max over `pool` steps per channel (floor(length/pool) outputs)
    GlobalAvgPool, // mean over time per channel -> [1 x channels]
    Add,           // elementwise sum of all inputs (same shape), then the activation
};
enum class Activation { None, ReLU };
enum class Padding {
    Causal, // (kernel-1)*dilation zeros before the first step; output length = input length
    Same,   // (kernel-1)*dilation/2 zeros before, the rest after; output length = input length
};

std::string layerKindName(LayerKind k); // "conv1d", "dense", "maxpool1d", "global_avg_pool", "add"

// Affine int8 quantization of a tensor: real = scale * (q - zeroPoint).
struct QuantParams {
    float scale = 1.0f;
    std::int32_t zeroPoint = 0;
};

// A real multiplier M > 0 as M ~= multiplier * 2^-shift, multiplier an int32 (Q31 when normalised
// in [2^30, 2^31)), shift the total right shift (31 + exponent), 1 <= shift <= 62.
struct FixedMultiplier {
    std::int32_t multiplier = 0;
    int shift = 31;
};
FixedMultiplier quantizeMultiplier(double realMultiplier);
// Round half up: (p + 2^(shift-1)) >> shift with an arithmetic (flooring) shift on int64.
std::int64_t roundingShift(std::int64_t product, int shift);
// clamp(zeroPoint + roundingShift(acc * m.multiplier, m.shift), lo, 127)
std::int8_t requantize(std::int64_t acc, FixedMultiplier m, std::int32_t zeroPoint, std::int32_t lo = -128);

struct LayerSpec {
    std::string name;
    LayerKind kind = LayerKind::Dense;
    std::vector<int> inputs; // indices of earlier layers; -1 is the model input
    Shape in;                // shape of the first input
    Shape out;
    int kernel = 1;
    int dilation = 1;
    int pool = 1;
    Padding padding = Padding::Causal;
    Activation activation = Activation::None;

    // float32 parameters (Conv1D: [out][k][in]; Dense: [out][in])
    std::vector<float> weights;
    std::vector<float> bias;

    // int8 parameters, filled by quantization (see docs/learning.md)
    std::vector<std::int8_t> qWeights;          // same layout as weights, symmetric per output channel
    std::vector<float> weightScales;            // per output channel
    std::vector<std::int32_t> qBias;            // round(bias / (inScale * weightScale[c]))
    std::vector<FixedMultiplier> outMultipliers; // Conv/Dense: per output channel inScale*wScale[c]/outScale;
                                                 // GlobalAvgPool: one, inScale/(outScale*length);
                                                 // Add: one per input, sharing one shift
    QuantParams outQuant;                        // quantization of this layer's output

    std::size_t parameterCount() const { return weights.size() + bias.size(); }
};

struct ModelSpec {
    Shape input;
    int outputs = 0;               // classes (or regression targets): the last layer's output size
    std::vector<LayerSpec> layers; // in execution order; the last one is the output
    bool quantized = false;
    QuantParams inputQuant; // quantization of the model input (float -> int8 at the entry)

    // Bytes of parameters as deployed: float32 = 4 per weight and bias; int8 = 1 per weight,
    // 4 per bias, 8 per output channel for the requantization multiplier and shift.
    std::size_t layerWeightBytes(int layer, bool int8) const;
    std::size_t weightBytes(bool int8) const;
    // Bytes of a layer's output tensor (1 or 4 per element).
    std::size_t layerActivationBytes(int layer, bool int8) const;
    // Peak bytes of simultaneously live tensors (model input included) when the layers run in
    // order and each output is freed after its last reader: the tensor arena a runtime needs.
    std::size_t arenaBytes(bool int8) const;
    std::size_t multiplyAccumulates() const; // per inference, for latency estimates
};

// Reference inference. Input: input.size() values in [length x channels] order.
std::vector<float> runFloat(const ModelSpec& m, const float* input);
std::int8_t quantizeInput(float x, QuantParams q); // clamp(floor(x / scale + 0.5f) + zeroPoint)
std::vector<std::int8_t> runInt8(const ModelSpec& m, const std::int8_t* input);
// Quantizes the float input, runs int8 and dequantizes the output: real = scale * (q - zeroPoint).
std::vector<float> runInt8Dequantized(const ModelSpec& m, const float* input);

} // namespace nesy::learn
