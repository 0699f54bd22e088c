#pragma once
// int8 post-training quantization (docs/learning.md, "int8 arithmetic"): per-output-channel
// symmetric weights, per-tensor asymmetric activations calibrated on training windows.
#include "Dataset.h"
#include "ModelSpec.h"
#include <utility>
#include <vector>

namespace nesy::learn {

// The affine int8 quantization covering [min(lo, 0), max(hi, 0)].
QuantParams chooseQuantParams(float lo, float hi);

// How a tensor's int8 range is chosen from the values it takes on the calibration windows.
enum class Calibration {
    MinMax, // the full observed range: no value is clipped, rare outliers coarsen the step
    Mse,    // the clipping range with the least expected squared quantization error (histogram)
};

struct QuantizeOptions {
    int maxWindows = 512; // calibration windows, evenly spread over the set
    Calibration calibration = Calibration::Mse;
};

// Fills the int8 fields of `model` from its float weights and the ranges its tensors take on the
// calibration windows. The model output always keeps its full range (clipped logits would tie).
// Sets model.quantized.
void quantize(ModelSpec& model, const Dataset& calibration, const QuantizeOptions& options = {});

// The range [lo', hi'] within [min(lo,0), max(hi,0)] minimising the expected squared error of
// int8 quantization (clipping plus rounding, step^2/12) over a histogram of the values on
// `bins` equal bins spanning [min(lo,0), max(hi,0)].
std::pair<float, float> mseOptimalRange(float lo, float hi, const std::vector<double>& bins);

} // namespace nesy::learn
