#pragma once
// The features of features.statistics as the learning engine computes them (learn::FeatureExtractor,
// docs/features.md): the host reference the generated C is checked against.
#include "codegen/ProgramIR.h"
#include "learn/Features.h"
#include <vector>

namespace nesy::codegen {

learn::FeatureOptions featureOptions(const FeatureSpec& spec);

// window: [length x channels]; returns [spans * channels * valuesPerChannel]: per span (the whole
// window, then its tail), channel-major.
std::vector<float> computeFeatures(const FeatureSpec& spec, const float* window, int length, int channels);

// The DFT twiddle factors the generated code stores as constants: cos and sin of 2*pi*m/n, m < n,
// computed exactly as learn::FeatureExtractor does.
std::vector<float> twiddleCos(int n);
std::vector<float> twiddleSin(int n);

} // namespace nesy::codegen
