#pragma once
// Small learnable problems shared by the backbone and quantization tests.
#include "learn/Dataset.h"
#include <cmath>
#include <random>

namespace tiny {

// Windows [32 x 2] of sines: class = which of three frequencies (random phase, noise).
inline nesy::learn::Dataset frequencies(int perClass, std::uint64_t seed)
{
    nesy::learn::Dataset d;
    d.classNames = {"slow", "medium", "fast"};
    d.channelNames = {"a", "b"};
    d.length = 32;
    d.channels = 2;
    d.sampleRateHz = 32;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> phase(0.0f, 6.2832f);
    std::normal_distribution<float> noise(0.0f, 0.2f);
    const float cycles[3] = {2, 5, 9};
    for (int i = 0; i < perClass; ++i)
        for (int c = 0; c < 3; ++c) {
            float w[64];
            const float p = phase(rng);
            for (int t = 0; t < 32; ++t) {
                w[2 * t] = std::sin(6.2832f * cycles[c] * t / 32.0f + p) + noise(rng);
                w[2 * t + 1] = 0.5f * std::cos(6.2832f * cycles[c] * t / 32.0f + p) + noise(rng);
            }
            d.append(w, c, i);
        }
    return d;
}

// Feature vectors [1 x 6]: three Gaussian blobs.
inline nesy::learn::Dataset blobs(int perClass, std::uint64_t seed)
{
    nesy::learn::Dataset d;
    d.classNames = {"a", "b", "c"};
    d.length = 1;
    d.channels = 6;
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, 0.7f);
    for (int i = 0; i < perClass; ++i)
        for (int c = 0; c < 3; ++c) {
            float v[6];
            for (int k = 0; k < 6; ++k)
                v[k] = g(rng) + (k % 3 == c ? 2.0f : 0.0f);
            d.append(v, c, i);
        }
    return d;
}

} // namespace tiny
