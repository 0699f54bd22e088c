#pragma once
// Hand-crafted features per channel of a window (definitions, exact to the float32 operation, in
// docs/features.md). Each feature is switched on or off on its own: the symbolic mask the search
// explores.
#include "Dataset.h"
#include <array>
#include <string>
#include <vector>

namespace nesy::learn {

enum class Feature {
    Mean,
    Iqr,
    Max,
    Median,
    Variance,
    Mad,
    AbsEnergy,
    Entropy,
    PeakToPeak,
    FftMean,
    FundamentalFrequency,
    MaxPower,
};
inline constexpr int kFeatureCount = 12;
// Parameter names of the features.statistics block, in catalogue (= output) order.
const std::array<const char*, kFeatureCount>& featureNames();

inline constexpr int kEntropyBins = 10;

struct FeatureOptions {
    std::array<bool, kFeatureCount> enabled{}; // all off
    int fftBins = 8;
    // > 0: the same features again over the window's last tailRows samples, appended after those
    // of the whole window (a long window's slow context plus its recent part, docs/features.md).
    int tailRows = 0;
    static FeatureOptions all(int fftBins = 8);
    bool on(Feature f) const { return enabled[int(f)]; }
    int valuesPerChannel() const; // per channel and span; fft_mean counts fftBins
    // Values of one window of `channels` channels: per span (the window, then its tail), per channel.
    int outputSize(int channels) const { return channels * valuesPerChannel() * (tailRows > 0 ? 2 : 1); }
    // Why these options cannot summarise windows of `windowLength` samples; empty when they can.
    std::string problemWith(int windowLength) const;
};

class FeatureExtractor {
public:
    FeatureExtractor(FeatureOptions options, int windowLength, int channels, double sampleRateHz);

    int outputSize() const { return options_.outputSize(channels_); }
    // Output index s * channels * valuesPerChannel + c * valuesPerChannel + j: per span (the whole
    // window, then its tail), channel-major, features in catalogue order.
    void extract(const float* window, float* out) const;
    // Every window of `d` -> a dataset of feature vectors (length 1). Splits the work over threads.
    Dataset extract(const Dataset& d, int threads = 1) const;
    std::vector<std::string> outputNames(const std::vector<std::string>& channelNames) const;
    // Floating-point operations per window, roughly (for latency estimates).
    double operationsPerWindow() const;

private:
    // The samples one set of features summarises: the whole window, or its tail.
    struct Span {
        int first = 0;  // first sample
        int length = 0; // N
        std::vector<float> cosTable; // cos(2 pi m / N), m = 0..N-1
        std::vector<float> sinTable;
    };
    Span makeSpan(int first, int length) const;
    void extractSpan(const Span& span, const float* window, float* out) const;
    void spectrum(const Span& span, const float* x, float* magnitudes) const; // |X_k|, k = 0..N/2

    FeatureOptions options_;
    int length_;
    int channels_;
    double rateHz_;
    std::vector<Span> spans_;
};

// |acc| and |gyro| from 6-channel windows: sqrtf(x*x + y*y + z*z) per sample. With `keepAxes`
// the six axes stay and the two magnitudes follow them (8 channels per sample).
Dataset magnitudes(const Dataset& d, bool keepAxes = false);

// Orientation-free channels from 6-channel windows: with g = the unit mean acceleration of the
// window (gravity's direction in the sensor frame, however the device is worn), per sample
// acc_vertical = acc . g, acc_horizontal = |acc - (acc . g) g|, gyro_vertical = gyro . g (the
// signed turn rate about the vertical) and gyro_horizontal = |gyro - (gyro . g) g|.
Dataset gravityAligned(const Dataset& d);

} // namespace nesy::learn
