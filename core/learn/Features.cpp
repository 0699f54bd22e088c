#include "Features.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace nesy::learn {

const std::array<const char*, kFeatureCount>& featureNames()
{
    static const std::array<const char*, kFeatureCount> names{
        "mean",         "iqr",     "max",      "median",  "variance", "mad", "abs_energy", "entropy",
        "peak_to_peak", "fft_mean", "fundamental_frequency", "max_power"};
    return names;
}

FeatureOptions FeatureOptions::all(int fftBins)
{
    FeatureOptions o;
    o.enabled.fill(true);
    o.fftBins = fftBins;
    return o;
}

int FeatureOptions::valuesPerChannel() const
{
    int n = 0;
    for (int f = 0; f < kFeatureCount; ++f)
        if (enabled[f])
            n += f == int(Feature::FftMean) ? fftBins : 1;
    return n;
}

std::string FeatureOptions::problemWith(int windowLength) const
{
    if (windowLength < 2)
        return "feature extraction needs windows of at least 2 samples";
    if (fftBins < 1)
        return "fft_bins must be at least 1";
    if (valuesPerChannel() == 0)
        return "every feature is switched off: the feature vector would be empty";
    if (tailRows < 0 || tailRows == 1 || tailRows >= windowLength)
        return "tail_rows " + std::to_string(tailRows) + " must be 0 (no tail) or from 2 to " +
               std::to_string(windowLength - 1) + ", less than the window's " + std::to_string(windowLength) + " samples";
    return {};
}

FeatureExtractor::FeatureExtractor(FeatureOptions options, int windowLength, int channels, double sampleRateHz)
    : options_(options), length_(windowLength), channels_(channels), rateHz_(sampleRateHz)
{
    if (const std::string problem = options_.problemWith(length_); !problem.empty())
        throw std::invalid_argument(problem);
    spans_.push_back(makeSpan(0, length_));
    if (options_.tailRows > 0)
        spans_.push_back(makeSpan(length_ - options_.tailRows, options_.tailRows));
}

FeatureExtractor::Span FeatureExtractor::makeSpan(int first, int length) const
{
    Span s{first, length, std::vector<float>(length), std::vector<float>(length)};
    const double twoPi = 6.283185307179586476925;
    for (int m = 0; m < length; ++m) {
        s.cosTable[m] = float(std::cos(twoPi * m / length));
        s.sinTable[m] = float(std::sin(twoPi * m / length));
    }
    return s;
}

void FeatureExtractor::spectrum(const Span& span, const float* x, float* mag) const
{
    const int n = span.length, stride = channels_;
    for (int k = 0; k <= n / 2; ++k) {
        float re = 0.0f, im = 0.0f;
        int m = 0; // (k * t) mod n, stepped instead of divided
        for (int t = 0; t < n; ++t) {
            re += x[t * stride] * span.cosTable[m];
            im -= x[t * stride] * span.sinTable[m];
            m += k;
            if (m >= n)
                m -= n;
        }
        mag[k] = std::sqrt(re * re + im * im);
    }
}

namespace {
// Linear interpolation between order statistics (numpy's default): pos = p * (N - 1).
float percentile(const std::vector<float>& sorted, float p)
{
    const float pos = p * float(sorted.size() - 1);
    const int i = int(pos);
    const float frac = pos - float(i);
    if (i + 1 >= int(sorted.size()))
        return sorted.back();
    return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}
} // namespace

void FeatureExtractor::extract(const float* window, float* out) const
{
    const int perSpan = channels_ * options_.valuesPerChannel();
    for (std::size_t s = 0; s < spans_.size(); ++s)
        extractSpan(spans_[s], window, out + s * std::size_t(perSpan));
}

void FeatureExtractor::extractSpan(const Span& span, const float* window, float* out) const
{
    window += std::size_t(span.first) * std::size_t(channels_);
    const int n = span.length;
    const float fn = float(n);
    const bool spectral = options_.on(Feature::FftMean) || options_.on(Feature::FundamentalFrequency) ||
                          options_.on(Feature::MaxPower);
    const bool needSorted = options_.on(Feature::Iqr) || options_.on(Feature::Median);
    std::vector<float> sorted(n), mag(n / 2 + 1);
    int o = 0;
    for (int c = 0; c < channels_; ++c) {
        const float* x = window + c;
        auto at = [&](int t) { return x[t * channels_]; };
        float sum = 0.0f, mx = at(0), mn = at(0), energy = 0.0f;
        for (int t = 0; t < n; ++t) {
            const float v = at(t);
            sum += v;
            mx = std::max(mx, v);
            mn = std::min(mn, v);
            energy += v * v;
        }
        const float mean = sum / fn;
        float sq = 0.0f, absDev = 0.0f;
        for (int t = 0; t < n; ++t) {
            const float d = at(t) - mean;
            sq += d * d;
            absDev += std::fabs(d);
        }
        if (needSorted) {
            for (int t = 0; t < n; ++t)
                sorted[t] = at(t);
            std::sort(sorted.begin(), sorted.end());
        }
        if (spectral)
            spectrum(span, x, mag.data());
        for (int f = 0; f < kFeatureCount; ++f) {
            if (!options_.enabled[f])
                continue;
            switch (Feature(f)) {
            case Feature::Mean: out[o++] = mean; break;
            case Feature::Iqr: out[o++] = percentile(sorted, 0.75f) - percentile(sorted, 0.25f); break;
            case Feature::Max: out[o++] = mx; break;
            case Feature::Median: out[o++] = percentile(sorted, 0.5f); break;
            case Feature::Variance: out[o++] = sq / fn; break;
            case Feature::Mad: out[o++] = absDev / fn; break;
            case Feature::AbsEnergy: out[o++] = energy; break;
            case Feature::Entropy: {
                float h = 0.0f;
                if (mx > mn) {
                    int counts[kEntropyBins] = {};
                    const float range = mx - mn;
                    for (int t = 0; t < n; ++t) {
                        const int b = std::min(kEntropyBins - 1, int((at(t) - mn) / range * float(kEntropyBins)));
                        ++counts[b];
                    }
                    for (int b = 0; b < kEntropyBins; ++b)
                        if (counts[b] > 0) {
                            const float p = float(counts[b]) / fn;
                            h -= p * std::log(p);
                        }
                }
                out[o++] = h;
                break;
            }
            case Feature::PeakToPeak: out[o++] = mx - mn; break;
            case Feature::FftMean: {
                const int m = n / 2; // bins 1..N/2 (the mean is a feature of its own)
                for (int g = 0; g < options_.fftBins; ++g) {
                    const int lo = 1 + int((long(g) * m) / options_.fftBins);
                    const int hi = 1 + int((long(g + 1) * m) / options_.fftBins);
                    float s = 0.0f;
                    for (int k = lo; k < hi; ++k)
                        s += mag[k];
                    out[o++] = hi > lo ? s / float(hi - lo) : 0.0f;
                }
                break;
            }
            case Feature::FundamentalFrequency:
            case Feature::MaxPower: {
                int best = 1;
                for (int k = 2; k <= n / 2; ++k)
                    if (mag[k] > mag[best])
                        best = k;
                if (Feature(f) == Feature::FundamentalFrequency)
                    out[o++] = float(best) * float(rateHz_) / fn;
                else
                    out[o++] = mag[best] * mag[best] / fn;
                break;
            }
            }
        }
    }
}

Dataset FeatureExtractor::extract(const Dataset& d, int threads) const
{
    if (d.length != length_ || d.channels != channels_)
        throw std::invalid_argument("feature extractor built for " + std::to_string(length_) + "x" +
                                    std::to_string(channels_) + " windows got " + std::to_string(d.length) + "x" +
                                    std::to_string(d.channels));
    Dataset out;
    out.classNames = d.classNames;
    out.channelNames = outputNames(d.channelNames);
    out.sampleRateHz = d.sampleRateHz;
    out.length = 1;
    out.channels = outputSize();
    out.labels = d.labels;
    out.subjects = d.subjects;
    out.values.resize(d.size() * std::size_t(outputSize()));
    const std::size_t n = d.size();
    threads = std::max(1, std::min<int>(threads, int(n / 64) + 1));
    auto work = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i)
            extract(d.window(i), out.values.data() + i * std::size_t(outputSize()));
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work, n * t / threads, n * (t + 1) / threads);
    work(0, n / threads);
    for (auto& th : pool)
        th.join();
    return out;
}

std::vector<std::string> FeatureExtractor::outputNames(const std::vector<std::string>& channelNames) const
{
    std::vector<std::string> names;
    for (const Span& span : spans_) {
        const std::string prefix = span.first > 0 ? "last" + std::to_string(span.length) + "." : "";
        for (int c = 0; c < channels_; ++c) {
            const std::string ch = prefix + (c < int(channelNames.size()) ? channelNames[c] : "ch" + std::to_string(c));
            for (int f = 0; f < kFeatureCount; ++f) {
                if (!options_.enabled[f])
                    continue;
                if (Feature(f) == Feature::FftMean)
                    for (int g = 0; g < options_.fftBins; ++g)
                        names.push_back(ch + ".fft_mean" + std::to_string(g));
                else
                    names.push_back(ch + "." + featureNames()[f]);
            }
        }
    }
    return names;
}

double FeatureExtractor::operationsPerWindow() const
{
    double ops = 0;
    for (const Span& span : spans_) {
        const double n = span.length;
        ops += 6 * n;
        if (options_.on(Feature::Iqr) || options_.on(Feature::Median))
            ops += n * std::log2(n) * 2;
        if (options_.on(Feature::Entropy))
            ops += 4 * n;
        if (options_.on(Feature::FftMean) || options_.on(Feature::FundamentalFrequency) || options_.on(Feature::MaxPower))
            ops += 4 * n * (n / 2 + 1);
    }
    return ops * channels_;
}

Dataset magnitudes(const Dataset& d, bool keepAxes)
{
    if (d.channels != 6)
        throw std::invalid_argument("vector magnitudes need 6-channel windows (acc x,y,z, gyro x,y,z), got " +
                                    std::to_string(d.channels) + " channels");
    Dataset out = d.emptyLike();
    const int axes = keepAxes ? 6 : 0;
    out.channels = axes + 2;
    if (keepAxes)
        out.channelNames = d.channelNames;
    out.channelNames.push_back("acc_norm");
    out.channelNames.push_back("gyro_norm");
    out.labels = d.labels;
    out.subjects = d.subjects;
    const std::size_t samples = d.size() * std::size_t(d.length);
    const std::size_t width = std::size_t(out.channels);
    out.values.resize(samples * width);
    for (std::size_t i = 0; i < samples; ++i) {
        const float* s = d.values.data() + i * 6;
        float* o = out.values.data() + i * width;
        std::copy(s, s + axes, o);
        o[axes] = std::sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
        o[axes + 1] = std::sqrt(s[3] * s[3] + s[4] * s[4] + s[5] * s[5]);
    }
    return out;
}

Dataset gravityAligned(const Dataset& d)
{
    if (d.channels != 6)
        throw std::invalid_argument("gravity-aligned channels need 6-channel windows (acc x,y,z, gyro x,y,z), got " +
                                    std::to_string(d.channels) + " channels");
    Dataset out = d.emptyLike();
    out.channels = 4;
    out.channelNames = {"acc_vertical", "acc_horizontal", "gyro_vertical", "gyro_horizontal"};
    out.labels = d.labels;
    out.subjects = d.subjects;
    out.values.resize(d.size() * std::size_t(d.length) * 4);
    for (std::size_t w = 0; w < d.size(); ++w) {
        const float* x = d.window(w);
        double g[3] = {0, 0, 0};
        for (int t = 0; t < d.length; ++t)
            for (int k = 0; k < 3; ++k)
                g[k] += x[t * 6 + k];
        const double norm = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        float u[3] = {1, 0, 0}; // no mean acceleration at all: any axis will do
        if (norm > 0)
            for (int k = 0; k < 3; ++k)
                u[k] = float(g[k] / norm);
        float* y = out.window(w);
        for (int t = 0; t < d.length; ++t) {
            const float* s = x + t * 6;
            for (int part = 0; part < 2; ++part) {
                const float* v = s + 3 * part;
                const float along = v[0] * u[0] + v[1] * u[1] + v[2] * u[2];
                const float a = v[0] - along * u[0], b = v[1] - along * u[1], c = v[2] - along * u[2];
                y[t * 4 + 2 * part] = along;
                y[t * 4 + 2 * part + 1] = std::sqrt(a * a + b * b + c * c);
            }
        }
    }
    return out;
}

} // namespace nesy::learn
