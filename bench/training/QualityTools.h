#pragma once
// What bench_training's quality section and bench_training_explore share: the feature sets of the
// earable windows, the accuracies they print, and the int8 ensemble of small MLPs
// (docs/learning.md, "Quality on unseen subjects").
#include "learn/Dataset.h"
#include "learn/Features.h"
#include "learn/Metrics.h"
#include "learn/ModelSpec.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace nesy::bench {

using learn::Dataset;

// Which channels the statistics are taken over; the same blocks as a project's
// features.magnitude (keep_axes) -> features.statistics chain.
struct FeatureSet {
    bool axes = true;        // the 6 raw axes
    bool magnitudes = false; // |acc|, |gyro| as extra channels
    bool gravity = false;    // gravity-aligned channels (learn::gravityAligned)
    int fftBins = 8;         // fft_mean with this many bins
    std::vector<std::string> without; // statistics left out (names as learn::featureNames()); none: all 12
    int tailRows = 0;        // > 0: the same statistics again over the window's last tailRows rows
    int decimate = 0;        // > 1: the same statistics again over the means of every `decimate` samples
};

// The last `rows` samples of every window.
inline Dataset lastRows(const Dataset& d, int rows)
{
    if (rows < 1 || rows > d.length)
        throw std::invalid_argument("tail of " + std::to_string(rows) + " rows does not fit windows of " +
                                    std::to_string(d.length));
    Dataset out = d.emptyLike();
    out.length = rows;
    const std::size_t skip = std::size_t(d.length - rows) * std::size_t(d.channels);
    for (std::size_t i = 0; i < d.size(); ++i)
        out.append(d.window(i) + skip, d.labels[i], d.subjects[i]);
    return out;
}

// All 12 statistics but those named in `without`; throws std::invalid_argument on an unknown name.
inline learn::FeatureOptions statisticsOf(const FeatureSet& set)
{
    learn::FeatureOptions o = learn::FeatureOptions::all(set.fftBins);
    const auto& names = learn::featureNames();
    for (const std::string& name : set.without) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end())
            throw std::invalid_argument("unknown statistic " + name);
        o.enabled[std::size_t(it - names.begin())] = false;
    }
    return o;
}

// Every window as the means of consecutive blocks of `factor` samples (a leftover shorter block is
// dropped), at sampleRate / factor: a low-pass view in which slow sway fills the FFT bins.
inline Dataset blockMeans(const Dataset& d, int factor)
{
    if (factor < 2 || d.length / factor < 2)
        throw std::invalid_argument("cannot decimate windows of " + std::to_string(d.length) + " samples by " +
                                    std::to_string(factor));
    Dataset out = d.emptyLike();
    out.length = d.length / factor;
    out.sampleRateHz = d.sampleRateHz / factor;
    std::vector<float> w(std::size_t(out.windowSize()));
    for (std::size_t i = 0; i < d.size(); ++i) {
        const float* x = d.window(i);
        for (int t = 0; t < out.length; ++t)
            for (int c = 0; c < d.channels; ++c) {
                double sum = 0;
                for (int k = 0; k < factor; ++k)
                    sum += x[(t * factor + k) * d.channels + c];
                w[std::size_t(t * d.channels + c)] = float(sum / factor);
            }
        out.append(w.data(), d.labels[i], d.subjects[i]);
    }
    return out;
}

// Feature vectors (length 1) of 6-channel windows: per chosen channel group, the chosen statistics.
inline Dataset featuresOf(const Dataset& windows, const FeatureSet& set, int threads)
{
    const learn::FeatureOptions options = statisticsOf(set);
    auto statistics = [&](const Dataset& w) {
        std::vector<Dataset> parts;
        if (set.axes)
            parts.push_back(w);
        if (set.magnitudes)
            parts.push_back(learn::magnitudes(w));
        if (set.gravity)
            parts.push_back(learn::gravityAligned(w));
        Dataset f;
        for (const Dataset& p : parts) {
            const learn::FeatureExtractor fx(options, p.length, p.channels, p.sampleRateHz);
            Dataset one = fx.extract(p, threads);
            f = f.size() == 0 ? std::move(one) : learn::concatChannels(f, one);
        }
        return f;
    };
    Dataset f = statistics(windows);
    // Not FeatureOptions::tailRows: per channel group that would interleave window and tail
    // ([axes, axes tail, magnitudes, ...]) and change the column order docs/learning.md's figures
    // were measured with. For axes + magnitudes this order is the project's tail_rows order.
    if (set.tailRows > 0)
        f = learn::concatChannels(f, statistics(lastRows(windows, set.tailRows)));
    if (set.decimate > 1)
        f = learn::concatChannels(f, statistics(blockMeans(windows, set.decimate)));
    return f;
}

inline double accuracyOf(const Dataset& d, const std::vector<int>& predicted)
{
    return learn::accuracy(learn::confusionMatrix(d.labels, predicted, d.classes()));
}

// Falling against every other class, balanced (mean of the two recalls): the fall detector's figure.
inline double fallBalancedAccuracy(const Dataset& d, const std::vector<int>& predicted)
{
    const auto it = std::find(d.classNames.begin(), d.classNames.end(), "falling");
    if (it == d.classNames.end())
        throw std::invalid_argument("no class named falling");
    const int fall = int(it - d.classNames.begin());
    std::vector<int> truth, guess;
    for (std::size_t i = 0; i < predicted.size(); ++i) {
        truth.push_back(d.labels[i] == fall);
        guess.push_back(predicted[i] == fall);
    }
    return learn::balancedAccuracy(learn::confusionMatrix(truth, guess, 2));
}

// The class with the highest mean softmax over the members' int8 outputs (dequantized), per window.
// Every member must be quantized and read the same feature vectors.
inline std::vector<int> predictEnsembleInt8(const std::vector<learn::ModelSpec>& members, const Dataset& d)
{
    std::vector<int> out(d.size());
    for (std::size_t i = 0; i < d.size(); ++i) {
        std::vector<double> mean;
        for (const learn::ModelSpec& m : members) {
            const std::vector<float> logits = learn::runInt8Dequantized(m, d.window(i));
            mean.resize(logits.size(), 0.0);
            const float top = *std::max_element(logits.begin(), logits.end());
            double sum = 0;
            for (float z : logits)
                sum += std::exp(double(z - top));
            for (std::size_t k = 0; k < logits.size(); ++k)
                mean[k] += std::exp(double(logits[k] - top)) / sum;
        }
        out[i] = int(std::max_element(mean.begin(), mean.end()) - mean.begin());
    }
    return out;
}

} // namespace nesy::bench
