#pragma once
// The features of features.statistics computed on the host in float32, in exactly the operation
// order of the generated C (CGenerator), so that the two agree to the last bit or ulp of libm.
#include "codegen/ProgramIR.h"
#include <vector>

namespace nesy::codegen {

// window: [length x channels]; returns [channels * valuesPerChannel], channel-major:
// all of channel 0's features in catalogue order, then channel 1's ...
std::vector<float> computeFeatures(const FeatureSpec& spec, const float* window, int length, int channels);

// The DFT twiddle factors the generated code stores as constants: cos and sin of 2*pi*j/n, j < n.
std::vector<float> twiddleCos(int n);
std::vector<float> twiddleSin(int n);

} // namespace nesy::codegen
