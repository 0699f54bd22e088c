#include "FeatureMath.h"
#include <cmath>

namespace nesy::codegen {

namespace {
const double kTwoPi = 6.283185307179586476925; // as in learn::FeatureExtractor
}

std::vector<float> twiddleCos(int n)
{
    std::vector<float> t(n);
    for (int m = 0; m < n; ++m)
        t[m] = float(std::cos(kTwoPi * m / n));
    return t;
}

std::vector<float> twiddleSin(int n)
{
    std::vector<float> t(n);
    for (int m = 0; m < n; ++m)
        t[m] = float(std::sin(kTwoPi * m / n));
    return t;
}

learn::FeatureOptions featureOptions(const FeatureSpec& spec)
{
    learn::FeatureOptions o;
    for (Feature f : spec.enabled)
        o.enabled[static_cast<int>(f)] = true;
    o.fftBins = spec.fftBins;
    o.tailRows = spec.tailRows;
    return o;
}

std::vector<float> computeFeatures(const FeatureSpec& spec, const float* window, int length, int channels)
{
    learn::FeatureExtractor extractor(featureOptions(spec), length, channels, spec.sampleRateHz);
    std::vector<float> out(extractor.outputSize());
    extractor.extract(window, out.data());
    return out;
}

} // namespace nesy::codegen
