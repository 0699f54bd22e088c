#include "FeatureMath.h"
#include <cmath>
#include <numbers>

namespace nesy::codegen {

std::vector<float> twiddleCos(int n)
{
    std::vector<float> t(n);
    for (int j = 0; j < n; ++j)
        t[j] = static_cast<float>(std::cos(2.0 * std::numbers::pi * j / n));
    return t;
}

std::vector<float> twiddleSin(int n)
{
    std::vector<float> t(n);
    for (int j = 0; j < n; ++j)
        t[j] = static_cast<float>(std::sin(2.0 * std::numbers::pi * j / n));
    return t;
}

namespace {

float percentile(const std::vector<float>& sorted, float p)
{
    const int n = static_cast<int>(sorted.size());
    float pos = p * static_cast<float>(n - 1);
    int i = static_cast<int>(pos);
    float frac = pos - static_cast<float>(i);
    float v = sorted[i];
    if (i + 1 < n)
        v = v + (sorted[i + 1] - sorted[i]) * frac;
    return v;
}

} // namespace

std::vector<float> computeFeatures(const FeatureSpec& spec, const float* window, int length, int channels)
{
    std::vector<float> out;
    const int n = length;
    const int bins = n / 2 + 1; // magnitudes of the real DFT
    const auto cosT = twiddleCos(n), sinT = twiddleSin(n);
    for (int c = 0; c < channels; ++c) {
        std::vector<float> x(n);
        for (int t = 0; t < n; ++t)
            x[t] = window[t * channels + c];
        float sum = 0.0f, mn = x[0], mx = x[0];
        for (int t = 0; t < n; ++t) {
            sum += x[t];
            if (x[t] < mn) mn = x[t];
            if (x[t] > mx) mx = x[t];
        }
        const float mean = sum / static_cast<float>(n);

        std::vector<float> sorted;
        if (spec.needsSorting()) {
            sorted = x;
            for (int i = 1; i < n; ++i) { // insertion sort, as in the generated C
                float v = sorted[i];
                int j = i - 1;
                while (j >= 0 && sorted[j] > v) {
                    sorted[j + 1] = sorted[j];
                    --j;
                }
                sorted[j + 1] = v;
            }
        }
        std::vector<float> mag;
        if (spec.needsSpectrum()) {
            mag.resize(bins);
            for (int k = 0; k < bins; ++k) {
                float re = 0.0f, im = 0.0f;
                for (int t = 0; t < n; ++t) {
                    int j = static_cast<int>((static_cast<long long>(k) * t) % n);
                    re += x[t] * cosT[j];
                    im -= x[t] * sinT[j];
                }
                mag[k] = std::sqrt(re * re + im * im);
            }
        }
        for (Feature f : spec.enabled) {
            switch (f) {
            case Feature::Mean: out.push_back(mean); break;
            case Feature::Max: out.push_back(mx); break;
            case Feature::PeakToPeak: out.push_back(mx - mn); break;
            case Feature::Median: out.push_back(percentile(sorted, 0.5f)); break;
            case Feature::Iqr: out.push_back(percentile(sorted, 0.75f) - percentile(sorted, 0.25f)); break;
            case Feature::Variance: {
                float s = 0.0f;
                for (int t = 0; t < n; ++t) {
                    float d = x[t] - mean;
                    s += d * d;
                }
                out.push_back(s / static_cast<float>(n));
                break;
            }
            case Feature::Mad: {
                float s = 0.0f;
                for (int t = 0; t < n; ++t)
                    s += std::fabs(x[t] - mean);
                out.push_back(s / static_cast<float>(n));
                break;
            }
            case Feature::AbsEnergy: {
                float s = 0.0f;
                for (int t = 0; t < n; ++t)
                    s += x[t] * x[t];
                out.push_back(s);
                break;
            }
            case Feature::Entropy: {
                float h = 0.0f;
                if (mx > mn) {
                    std::vector<int> counts(spec.entropyBins, 0);
                    for (int t = 0; t < n; ++t) {
                        int b = static_cast<int>((x[t] - mn) / (mx - mn) * static_cast<float>(spec.entropyBins));
                        if (b >= spec.entropyBins) b = spec.entropyBins - 1;
                        counts[b] += 1;
                    }
                    for (int b = 0; b < spec.entropyBins; ++b) {
                        if (counts[b] == 0) continue;
                        float p = static_cast<float>(counts[b]) / static_cast<float>(n);
                        h -= p * std::log(p);
                    }
                }
                out.push_back(h);
                break;
            }
            case Feature::FftMean:
                for (int b = 0; b < spec.fftBins; ++b) {
                    int lo = b * bins / spec.fftBins, hi = (b + 1) * bins / spec.fftBins;
                    float s = 0.0f;
                    for (int k = lo; k < hi; ++k)
                        s += mag[k];
                    out.push_back(hi > lo ? s / static_cast<float>(hi - lo) : 0.0f);
                }
                break;
            case Feature::FundamentalFrequency:
            case Feature::MaxPower: {
                int best = 0;
                for (int k = 1; k < bins; ++k)
                    if (best == 0 || mag[k] > mag[best]) best = k;
                if (f == Feature::FundamentalFrequency)
                    out.push_back(static_cast<float>(best) / static_cast<float>(n));
                else
                    out.push_back(best == 0 ? 0.0f : mag[best] * mag[best] / static_cast<float>(n));
                break;
            }
            }
        }
    }
    return out;
}

} // namespace nesy::codegen
