#pragma once
// int8 post-training quantization (docs/learning.md, "int8 arithmetic"): per-output-channel
// symmetric weights, per-tensor asymmetric activations calibrated on training windows.
#include "Dataset.h"
#include "ModelSpec.h"

namespace nesy::learn {

// The affine int8 quantization covering [min(lo, 0), max(hi, 0)].
QuantParams chooseQuantParams(float lo, float hi);

// Fills the int8 fields of `model` from its float weights and the ranges its tensors take on up
// to `maxWindows` windows of `calibration` (evenly spread). Sets model.quantized.
void quantize(ModelSpec& model, const Dataset& calibration, int maxWindows = 512);

} // namespace nesy::learn
