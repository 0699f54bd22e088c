#include "CGenerator.h"
#include "codegen/CSource.h"
#include "codegen/DecisionC.h"
#include "codegen/FeatureMath.h"
#include <cstdio>
#include <set>
#include <sstream>

namespace nesy::codegen {

namespace {

// stem + number, spelled with append: GCC 12 warns falsely (-Wrestrict) on "y" + std::to_string(i).
std::string indexed(const char* stem, std::size_t i)
{
    std::string s(stem);
    s.append(std::to_string(i));
    return s;
}

// ---- kernels: each emitted once, only when used ----

const char* kRequantize = R"C(
/* docs/learning.md: clamp(z + ((acc * m + 2^(s-1)) >> s), lo, 127), arithmetic shift. */
static int8_t nesy_requantize(int32_t acc, int32_t m, int32_t s, int32_t z, int32_t lo)
{
    int64_t p = (int64_t)acc * m;
    int64_t v = z + ((p + ((int64_t)1 << (s - 1))) >> s);
    return (int8_t)(v < lo ? lo : (v > 127 ? 127 : v));
}
)C";

const char* kQuantize = R"C(
static void nesy_quantize(const float *x, int n, float scale, int32_t z, int8_t *q)
{
    int i;
    for (i = 0; i < n; ++i) {
        float r = floorf(x[i] / scale + 0.5f) + (float)z;
        q[i] = (int8_t)(r < -128.0f ? -128.0f : (r > 127.0f ? 127.0f : r));
    }
}
)C";

const char* kMagnitudes = R"C(
/* |acc| and |gyro| per sample of a 6-axis window (features.magnitude). */
static void nesy_magnitudes(const float *x, int len, float *y)
{
    int t;
    for (t = 0; t < len; ++t) {
        const float *s = x + t * 6;
        y[t * 2] = sqrtf(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
        y[t * 2 + 1] = sqrtf(s[3] * s[3] + s[4] * s[4] + s[5] * s[5]);
    }
}
)C";

const char* kMagnitudesKeepAxes = R"C(
/* The 6 axes followed by |acc| and |gyro| per sample (features.magnitude, keep_axes). */
static void nesy_magnitudes(const float *x, int len, float *y)
{
    int t, c;
    for (t = 0; t < len; ++t) {
        const float *s = x + t * 6;
        float *o = y + t * 8;
        for (c = 0; c < 6; ++c)
            o[c] = s[c];
        o[6] = sqrtf(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
        o[7] = sqrtf(s[3] * s[3] + s[4] * s[4] + s[5] * s[5]);
    }
}
)C";
// rule.movement_channel for this program's window (its channel count, gyroscope columns and
// threshold are constants): symbolic::MovementChannel::apply, the engine's definition, step by step.
std::string movementSource(const symbolic::MovementChannel& m, int channels)
{
    std::ostringstream os;
    os << "\n/* rule.movement_channel: the window with one more channel, 1 where |gyro| > threshold, else 0\n"
       << " * (in double, squares summed in column order, as the engine's MovementChannel). */\n"
       << "static void nesy_movement(const float *x, int len, float *y)\n{\n"
       << "    int t, c;\n"
       << "    for (t = 0; t < len; ++t) {\n"
       << "        const float *s = x + t * " << channels << ";\n"
       << "        float *o = y + t * " << channels + 1 << ";\n"
       << "        double sq = 0.0;\n"
       << "        for (c = 0; c < " << channels << "; ++c)\n"
       << "            o[c] = s[c];\n";
    for (int col : m.gyroColumns)
        os << "        sq += (double)s[" << col << "] * (double)s[" << col << "];\n";
    os << "        o[" << channels << "] = sqrt(sq) > " << doubleLiteral(m.threshold) << " ? 1.0f : 0.0f;\n"
       << "    }\n}\n";
    return os.str();
}

const char* kNormalize = R"C(
/* x' = (x - mean[c]) / stddev[c] per channel, as the training data was normalised. */
static void nesy_normalize(const float *x, int n, int c, const float *mean, const float *stddev, float *y)
{
    int i;
    for (i = 0; i < n; ++i)
        y[i] = (x[i] - mean[i % c]) / stddev[i % c];
}
)C";

const char* kConvF32 = R"C(
static void nesy_conv1d_f32(const float *x, int len, int ci, const float *w, const float *b, int co, int kernel,
                            int dilation, int pad, int relu, float *y)
{
    int t, o, k, i;
    for (t = 0; t < len; ++t)
        for (o = 0; o < co; ++o) {
            float acc = b[o];
            for (k = 0; k < kernel; ++k) {
                int src = t + k * dilation - pad;
                const float *xs = x + src * ci;
                const float *ws = w + (o * kernel + k) * ci;
                if (src < 0 || src >= len)
                    continue;
                for (i = 0; i < ci; ++i)
                    acc += ws[i] * xs[i];
            }
            y[t * co + o] = relu ? (acc > 0.0f ? acc : 0.0f) : acc;
        }
}
)C";

const char* kConvS8 = R"C(
static void nesy_conv1d_s8(const int8_t *x, int len, int ci, int32_t zin, const int8_t *w, const int32_t *b,
                           const int32_t *mult, const int32_t *shift, int co, int kernel, int dilation, int pad,
                           int32_t zout, int32_t lo, int8_t *y)
{
    int t, o, k, i;
    for (t = 0; t < len; ++t)
        for (o = 0; o < co; ++o) {
            int32_t acc = b[o];
            for (k = 0; k < kernel; ++k) {
                int src = t + k * dilation - pad;
                const int8_t *xs = x + src * ci;
                const int8_t *ws = w + (o * kernel + k) * ci;
                if (src < 0 || src >= len)
                    continue;
                for (i = 0; i < ci; ++i)
                    acc += (xs[i] - zin) * ws[i];
            }
            y[t * co + o] = nesy_requantize(acc, mult[o], shift[o], zout, lo);
        }
}
)C";

const char* kDenseF32 = R"C(
static void nesy_dense_f32(const float *x, int n, const float *w, const float *b, int co, int relu, float *y)
{
    int o, i;
    for (o = 0; o < co; ++o) {
        const float *ws = w + o * n;
        float acc = b[o];
        for (i = 0; i < n; ++i)
            acc += ws[i] * x[i];
        y[o] = relu ? (acc > 0.0f ? acc : 0.0f) : acc;
    }
}
)C";

const char* kDenseS8 = R"C(
static void nesy_dense_s8(const int8_t *x, int n, int32_t zin, const int8_t *w, const int32_t *b,
                          const int32_t *mult, const int32_t *shift, int co, int32_t zout, int32_t lo, int8_t *y)
{
    int o, i;
    for (o = 0; o < co; ++o) {
        const int8_t *ws = w + o * n;
        int32_t acc = b[o];
        for (i = 0; i < n; ++i)
            acc += (x[i] - zin) * ws[i];
        y[o] = nesy_requantize(acc, mult[o], shift[o], zout, lo);
    }
}
)C";

const char* kMaxPoolF32 = R"C(
static void nesy_maxpool_f32(const float *x, int out_len, int c, int pool, int relu, float *y)
{
    int t, ch, j;
    for (t = 0; t < out_len; ++t)
        for (ch = 0; ch < c; ++ch) {
            float m = x[t * pool * c + ch];
            for (j = 1; j < pool; ++j) {
                float v = x[(t * pool + j) * c + ch];
                m = m < v ? v : m;
            }
            y[t * c + ch] = relu ? (m > 0.0f ? m : 0.0f) : m;
        }
}
)C";

const char* kMaxPoolS8 = R"C(
static void nesy_maxpool_s8(const int8_t *x, int out_len, int c, int pool, int32_t lo, int8_t *y)
{
    int t, ch, j;
    for (t = 0; t < out_len; ++t)
        for (ch = 0; ch < c; ++ch) {
            int8_t m = x[t * pool * c + ch];
            for (j = 1; j < pool; ++j) {
                int8_t v = x[(t * pool + j) * c + ch];
                m = m < v ? v : m;
            }
            y[t * c + ch] = (int8_t)(m < lo ? lo : m);
        }
}
)C";

const char* kGapF32 = R"C(
static void nesy_gap_f32(const float *x, int len, int c, int relu, float *y)
{
    int t, ch;
    for (ch = 0; ch < c; ++ch) {
        float s = 0.0f;
        for (t = 0; t < len; ++t)
            s += x[t * c + ch];
        s = s / (float)len;
        y[ch] = relu ? (s > 0.0f ? s : 0.0f) : s;
    }
}
)C";

const char* kGapS8 = R"C(
static void nesy_gap_s8(const int8_t *x, int len, int c, int32_t zin, int32_t mult, int32_t shift, int32_t zout,
                        int32_t lo, int8_t *y)
{
    int t, ch;
    for (ch = 0; ch < c; ++ch) {
        int32_t acc = 0;
        for (t = 0; t < len; ++t)
            acc += x[t * c + ch] - zin;
        y[ch] = nesy_requantize(acc, mult, shift, zout, lo);
    }
}
)C";

const char* kAddF32 = R"C(
static void nesy_add_f32(const float *const *xs, int inputs, int n, int relu, float *y)
{
    int e, j;
    for (e = 0; e < n; ++e) {
        float s = xs[0][e];
        for (j = 1; j < inputs; ++j)
            s += xs[j][e];
        y[e] = relu ? (s > 0.0f ? s : 0.0f) : s;
    }
}
)C";

const char* kAddS8 = R"C(
static void nesy_add_s8(const int8_t *const *xs, const int32_t *zs, const int32_t *mult, int inputs, int n,
                        int32_t shift, int32_t zout, int32_t lo, int8_t *y)
{
    int e, j;
    for (e = 0; e < n; ++e) {
        int64_t p = 0, v;
        for (j = 0; j < inputs; ++j)
            p += (int64_t)(xs[j][e] - zs[j]) * mult[j];
        v = zout + ((p + ((int64_t)1 << (shift - 1))) >> shift);
        y[e] = (int8_t)(v < lo ? lo : (v > 127 ? 127 : v));
    }
}
)C";

const char* kSoftmax = R"C(
static void nesy_softmax(float *v, int n)
{
    int i;
    float m = v[0], s = 0.0f;
    for (i = 0; i < n; ++i)
        m = v[i] > m ? v[i] : m;
    for (i = 0; i < n; ++i) {
        v[i] = expf(v[i] - m);
        s += v[i];
    }
    for (i = 0; i < n; ++i)
        v[i] = v[i] / s;
}
)C";

const char* kPercentile = R"C(
static float nesy_percentile(const float *sorted, int n, float p)
{
    float pos = p * (float)(n - 1);
    int i = (int)pos;
    float frac = pos - (float)i;
    if (i + 1 >= n)
        return sorted[n - 1];
    return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}
)C";

// The name of the feature function of span `s` (0: the whole window, 1: its tail).
std::string featureFunction(int s)
{
    return s == 0 ? "nesy_features" : "nesy_features_tail";
}

// The feature extractor of one span of n samples, specialised to the enabled features (fewer
// features: less code) and to n (constant loop bounds and twiddle tables).
void emitFeatureSpan(std::ostream& os, const FeatureSpec& f, int n, int channels, int span)
{
    const int bins = n / 2 + 1;
    const int entropyBins = learn::kEntropyBins;
    const std::string twiddles = span == 0 ? "nesy_twiddle" : "nesy_tail_twiddle";
    if (f.needsSpectrum()) {
        emitFloats(os, twiddles + "_cos", twiddleCos(n));
        emitFloats(os, twiddles + "_sin", twiddleSin(n));
    }
    os << "\n/* features.statistics (docs/features.md) over " << (span == 0 ? "the window" : "the window's tail")
       << " (" << n << " samples), channel-major output. */\n"
       << "static void " << featureFunction(span) << "(const float *w, float *out, float *sorted, float *mag)\n{\n"
       << "    int c, t, n = 0;\n"
       << "    (void)sorted;\n    (void)mag;\n"
       << "    for (c = 0; c < " << channels << "; ++c) {\n"
       << "        float sum = 0.0f, mn = w[c], mx = w[c], mean;\n"
       << "        for (t = 0; t < " << n << "; ++t) {\n"
       << "            float v = w[t * " << channels << " + c];\n"
       << "            sum += v;\n            if (v < mn)\n                mn = v;\n"
       << "            if (v > mx)\n                mx = v;\n        }\n"
       << "        mean = sum / (float)" << n << ";\n        (void)mean;\n";
    if (f.needsSorting())
        os << "        for (t = 0; t < " << n << "; ++t) {\n"
           << "            float v = w[t * " << channels << " + c];\n"
           << "            int j = t - 1;\n"
           << "            while (j >= 0 && sorted[j] > v) {\n"
           << "                sorted[j + 1] = sorted[j];\n                --j;\n            }\n"
           << "            sorted[j + 1] = v;\n        }\n";
    if (f.needsSpectrum())
        os << "        {\n            int k;\n"
           << "            for (k = 0; k < " << bins << "; ++k) {\n"
           << "                float re = 0.0f, im = 0.0f;\n"
           << "                for (t = 0; t < " << n << "; ++t) {\n"
           << "                    int j = (int)(((long)k * t) % " << n << ");\n"
           << "                    float v = w[t * " << channels << " + c];\n"
           << "                    re += v * " << twiddles << "_cos[j];\n"
           << "                    im -= v * " << twiddles << "_sin[j];\n                }\n"
           << "                mag[k] = sqrtf(re * re + im * im);\n            }\n        }\n";
    for (Feature feature : f.enabled) {
        os << "        /* " << featureName(feature) << " */\n";
        switch (feature) {
        case Feature::Mean: os << "        out[n++] = mean;\n"; break;
        case Feature::Max: os << "        out[n++] = mx;\n"; break;
        case Feature::PeakToPeak: os << "        out[n++] = mx - mn;\n"; break;
        case Feature::Median: os << "        out[n++] = nesy_percentile(sorted, " << n << ", 0.5f);\n"; break;
        case Feature::Iqr:
            os << "        out[n++] = nesy_percentile(sorted, " << n << ", 0.75f) - nesy_percentile(sorted, " << n
               << ", 0.25f);\n";
            break;
        case Feature::Variance:
        case Feature::Mad:
        case Feature::AbsEnergy: {
            os << "        {\n            float s = 0.0f;\n"
               << "            for (t = 0; t < " << n << "; ++t) {\n"
               << "                float v = w[t * " << channels << " + c];\n";
            if (feature == Feature::Variance)
                os << "                float d = v - mean;\n                s += d * d;\n            }\n"
                   << "            out[n++] = s / (float)" << n << ";\n";
            else if (feature == Feature::Mad)
                os << "                s += fabsf(v - mean);\n            }\n"
                   << "            out[n++] = s / (float)" << n << ";\n";
            else
                os << "                s += v * v;\n            }\n            out[n++] = s;\n";
            os << "        }\n";
            break;
        }
        case Feature::Entropy:
            os << "        {\n            float h = 0.0f;\n"
               << "            if (mx > mn) {\n"
               << "                int counts[" << entropyBins << "] = {0};\n                int b;\n"
               << "                for (t = 0; t < " << n << "; ++t) {\n"
               << "                    b = (int)((w[t * " << channels << " + c] - mn) / (mx - mn) * (float)"
               << entropyBins << ");\n"
               << "                    if (b >= " << entropyBins << ")\n                        b = "
               << entropyBins - 1 << ";\n"
               << "                    counts[b] += 1;\n                }\n"
               << "                for (b = 0; b < " << entropyBins << "; ++b) {\n"
               << "                    float pr;\n"
               << "                    if (counts[b] == 0)\n                        continue;\n"
               << "                    pr = (float)counts[b] / (float)" << n << ";\n"
               << "                    h -= pr * logf(pr);\n                }\n            }\n"
               << "            out[n++] = h;\n        }\n";
            break;
        case Feature::FftMean: {
            const int m = n / 2; // bins 1..N/2, as learn::FeatureExtractor
            for (int g = 0; g < f.fftBins; ++g) {
                const int lo = 1 + int((long(g) * m) / f.fftBins), hi = 1 + int((long(g + 1) * m) / f.fftBins);
                if (hi <= lo) {
                    os << "        out[n++] = 0.0f;\n";
                    continue;
                }
                os << "        {\n            float s = 0.0f;\n            int k;\n"
                   << "            for (k = " << lo << "; k < " << hi << "; ++k)\n                s += mag[k];\n"
                   << "            out[n++] = s / (float)" << (hi - lo) << ";\n        }\n";
            }
            break;
        }
        case Feature::FundamentalFrequency:
        case Feature::MaxPower:
            os << "        {\n            int k, best = 1;\n"
               << "            for (k = 2; k < " << bins << "; ++k)\n"
               << "                if (mag[k] > mag[best])\n                    best = k;\n";
            if (feature == Feature::FundamentalFrequency)
                os << "            out[n++] = (float)best * " << floatLiteral(float(f.sampleRateHz)) << " / (float)" << n
                   << ";\n";
            else
                os << "            out[n++] = mag[best] * mag[best] / (float)" << n << ";\n";
            os << "        }\n";
            break;
        }
    }
    os << "    }\n}\n";
}

// One feature function per span: the whole window, then (tail_rows) its last samples.
void emitFeatures(std::ostream& os, const ProgramIR& p)
{
    if (p.features.needsSorting())
        os << kPercentile;
    const int channels = p.windowShape().channels;
    emitFeatureSpan(os, p.features, p.input.length, channels, 0);
    if (p.features.tailRows > 0)
        emitFeatureSpan(os, p.features, p.features.tailRows, channels, 1);
}

struct Plan {
    std::vector<BufferRequest> buffers;
    int movementOut = -1, magnitudesOut = -1, featuresOut = -1, sortScratch = -1, magScratch = -1, normOut = -1, quantIn = -1;
    std::vector<int> layerOut;
};

// Steps: 0 movement channel, 1 magnitudes, 2 features, 3 normalisation, 4 quantisation, 5 + i layer i,
// then the output.
constexpr int kMovementStep = 0, kMagnitudesStep = 1, kFeaturesStep = 2, kNormStep = 3, kQuantStep = 4,
              kFirstLayerStep = 5;

Plan planBuffers(const ProgramIR& p)
{
    Plan plan;
    const int nl = static_cast<int>(p.layers.size());
    const int outputStep = kFirstLayerStep + nl;
    auto add = [&](std::string name, std::int64_t bytes, int first) {
        plan.buffers.push_back({std::move(name), bytes, first, first});
        return static_cast<int>(plan.buffers.size()) - 1;
    };
    // The preprocessing chain: each stage's buffer is read by the next stage.
    int current = -1; // buffer holding the float data so far (-1: the caller's input)
    auto readAt = [&](int step) {
        if (current >= 0)
            plan.buffers[current].lastStep = std::max(plan.buffers[current].lastStep, step);
    };
    if (p.movement) {
        plan.movementOut = add("movement", 4LL * p.windowShape().size(), kMovementStep);
        current = plan.movementOut;
    }
    if (p.magnitudes) {
        plan.magnitudesOut = add("magnitudes", 4LL * p.windowShape().size(), kMagnitudesStep);
        current = plan.magnitudesOut;
    }
    if (p.hasFeatures) {
        readAt(kFeaturesStep);
        plan.featuresOut = add("features", 4LL * p.networkInput().size(), kFeaturesStep);
        if (p.features.needsSorting())
            plan.sortScratch = add("sort_scratch", 4LL * p.input.length, kFeaturesStep);
        if (p.features.needsSpectrum())
            plan.magScratch = add("spectrum_scratch", 4LL * (p.input.length / 2 + 1), kFeaturesStep);
        current = plan.featuresOut;
    }
    if (!p.normMean.empty()) {
        readAt(kNormStep);
        plan.normOut = add("normalized", 4LL * p.networkInput().size(), kNormStep);
        current = plan.normOut;
    }
    if (p.quantized) {
        readAt(kQuantStep);
        plan.quantIn = add("input_q", p.networkInput().size(), kQuantStep);
        current = plan.quantIn;
    }
    // The network input is read by every layer that takes -1, or by the output when there are none.
    for (int i = 0; i < nl; ++i)
        for (int src : p.layers[i].inputs)
            if (src < 0)
                readAt(kFirstLayerStep + i);
    if (nl == 0)
        readAt(outputStep);
    const std::int64_t elem = p.quantized ? 1 : 4;
    for (int i = 0; i < nl; ++i)
        plan.layerOut.push_back(add(p.layers[i].name.empty() ? indexed("layer", i) : p.layers[i].name,
                                    elem * p.layers[i].out.size(), kFirstLayerStep + i));
    for (int i = 0; i < nl; ++i)
        for (int src : p.layers[i].inputs)
            if (src >= 0)
                plan.buffers[plan.layerOut[src]].lastStep =
                    std::max(plan.buffers[plan.layerOut[src]].lastStep, kFirstLayerStep + i);
    if (nl > 0)
        plan.buffers[plan.layerOut.back()].lastStep = outputStep;
    return plan;
}

} // namespace

GeneratedProgram generateC(const ProgramIR& p)
{
    p.validate();
    Plan bufs = planBuffers(p);
    GeneratedProgram g;
    g.buffers = bufs.buffers;
    g.plan = planMemory(g.buffers);

    const int inSize = p.input.size(), outSize = p.outputSize(), scoresSize = p.scoresShape().size();
    std::ostringstream h;
    h << "/* Generated by NeSy Workbench: program \"" << p.name << "\". Portable C99, static memory only. */\n"
      << "#ifndef NESY_PROGRAM_H\n#define NESY_PROGRAM_H\n\n"
      << "#define NESY_PROGRAM_INPUT_SIZE " << inSize << "\n"
      << "#define NESY_PROGRAM_OUTPUT_SIZE " << outSize << "\n"
      << "#define NESY_PROGRAM_ARENA_BYTES " << g.plan.arenaBytes << "\n";
    if (p.decision)
        h << "#define NESY_PROGRAM_DECISION_INDEX " << scoresSize << " /* output[this]: the decided class */\n";
    h << "\n/* One inference: input[NESY_PROGRAM_INPUT_SIZE] ([length x channels], time-major) to\n"
      << " * output[NESY_PROGRAM_OUTPUT_SIZE]. Not reentrant: the activations live in one static arena. */\n"
      << "void nesy_program_run(const float *input, float *output);\n\n#endif\n";
    g.sources["nesy_program.h"] = h.str();

    std::ostringstream c;
    c << "/* Generated by NeSy Workbench: program \"" << p.name << "\" (" << (p.quantized ? "int8" : "float32")
      << ", " << p.layers.size() << " layers, " << p.weightBytes() << " bytes of parameters). */\n"
      << "#include \"nesy_program.h\"\n#include <math.h>\n#include <stdint.h>\n\n"
      << "/* Activations, placed by the liveness-based memory planner. */\n"
      << "static union {\n    int64_t align;\n    uint8_t bytes[" << std::max<std::int64_t>(g.plan.arenaBytes, 1)
      << "];\n} nesy_arena;\n\n";

    // Constants.
    for (std::size_t i = 0; i < p.layers.size(); ++i) {
        const Layer& l = p.layers[i];
        std::string stem = indexed("nesy_l", i);
        if (l.kind == LayerKind::Conv1D || l.kind == LayerKind::Dense) {
            if (p.quantized) {
                emitInts(c, "int8_t", stem + "_w", l.qWeights);
                emitInts(c, "int32_t", stem + "_b", l.qBias);
            } else {
                emitFloats(c, stem + "_w", l.weights);
                emitFloats(c, stem + "_b", l.bias);
            }
        }
        if (p.quantized && (l.kind == LayerKind::Conv1D || l.kind == LayerKind::Dense || l.kind == LayerKind::Add)) {
            std::vector<std::int32_t> m, s;
            for (const auto& fm : l.multipliers) {
                m.push_back(fm.multiplier);
                s.push_back(fm.shift);
            }
            emitInts(c, "int32_t", stem + "_m", m);
            if (l.kind != LayerKind::Add)
                emitInts(c, "int32_t", stem + "_s", s);
        }
    }

    // Kernels.
    std::set<std::string> used;
    for (const Layer& l : p.layers)
        used.insert(layerKindName(l.kind));
    if (p.quantized) {
        if (used.count("conv1d") || used.count("dense") || used.count("global_avg_pool"))
            c << kRequantize;
        c << kQuantize;
    }
    auto pick = [&](const char* kind, const char* f32, const char* s8) {
        if (used.count(kind))
            c << (p.quantized ? s8 : f32);
    };
    pick("conv1d", kConvF32, kConvS8);
    pick("dense", kDenseF32, kDenseS8);
    pick("maxpool1d", kMaxPoolF32, kMaxPoolS8);
    pick("global_avg_pool", kGapF32, kGapS8);
    pick("add", kAddF32, kAddS8);
    if (p.softmax)
        c << kSoftmax;
    if (p.movement)
        c << movementSource(*p.movement, p.input.channels);
    if (p.magnitudes)
        c << (p.magnitudesKeepAxes ? kMagnitudesKeepAxes : kMagnitudes);
    if (p.hasFeatures)
        emitFeatures(c, p);
    if (p.decision)
        c << decisionSource(*p.decision);
    if (!p.normMean.empty()) {
        emitFloats(c, "nesy_norm_mean", p.normMean);
        emitFloats(c, "nesy_norm_stddev", p.normStddev);
        c << kNormalize;
    }

    // The entry function.
    const char* t = p.quantized ? "int8_t" : "float";
    auto ptr = [&](int buffer, const char* type) {
        return std::string("(") + type + " *)(nesy_arena.bytes + " + std::to_string(g.plan.offsets[buffer]) + ")";
    };
    c << "\nvoid nesy_program_run(const float *input, float *output)\n{\n";
    std::string netIn = "input";
    if (p.movement) {
        c << "    float *movement = " << ptr(bufs.movementOut, "float") << ";\n"
          << "    nesy_movement(input, " << p.input.length << ", movement);\n";
        netIn = "movement";
    }
    if (p.magnitudes) {
        c << "    float *magnitudes = " << ptr(bufs.magnitudesOut, "float") << ";\n"
          << "    nesy_magnitudes(input, " << p.input.length << ", magnitudes);\n";
        netIn = "magnitudes";
    }
    if (p.hasFeatures) {
        const std::string scratch = (bufs.sortScratch >= 0 ? ptr(bufs.sortScratch, "float") : std::string("0")) + ", " +
                                    (bufs.magScratch >= 0 ? ptr(bufs.magScratch, "float") : std::string("0"));
        c << "    float *features = " << ptr(bufs.featuresOut, "float") << ";\n"
          << "    nesy_features(" << netIn << ", features, " << scratch << ");\n";
        if (p.features.tailRows > 0) // the tail's features follow the window's (the scratch fits the longer span)
            c << "    " << featureFunction(1) << "(" << netIn << " + "
              << (p.input.length - p.features.tailRows) * p.windowShape().channels << ", features + "
              << p.windowShape().channels * p.features.valuesPerChannel() << ", " << scratch << ");\n";
        netIn = "features";
    }
    if (!p.normMean.empty()) {
        c << "    float *normalized = " << ptr(bufs.normOut, "float") << ";\n"
          << "    nesy_normalize(" << netIn << ", " << p.networkInput().size() << ", " << p.normMean.size()
          << ", nesy_norm_mean, nesy_norm_stddev, normalized);\n";
        netIn = "normalized";
    }
    if (p.quantized) {
        c << "    int8_t *input_q = " << ptr(bufs.quantIn, "int8_t") << ";\n"
          << "    nesy_quantize(" << netIn << ", " << p.networkInput().size() << ", "
          << floatLiteral(p.inputQuant.scale) << ", " << p.inputQuant.zeroPoint << ", input_q);\n";
        netIn = "input_q";
    }
    auto src = [&](int s) { return s < 0 ? netIn : indexed("y", static_cast<std::size_t>(s)); };
    auto zeroOf = [&](int s) { return s < 0 ? p.inputQuant.zeroPoint : p.layers[s].outQuant.zeroPoint; };
    for (std::size_t i = 0; i < p.layers.size(); ++i) {
        const Layer& l = p.layers[i];
        const std::string y = indexed("y", i), stem = indexed("nesy_l", i);
        const std::string x = src(l.inputs[0]);
        const std::int32_t zout = l.outQuant.zeroPoint, lo = l.relu ? std::max(zout, -128) : -128;
        const int pad = l.padBefore();
        c << "    " << t << " *" << y << " = " << ptr(bufs.layerOut[i], t) << "; /* " << l.name << ": "
          << layerKindName(l.kind) << " */\n";
        switch (l.kind) {
        case LayerKind::Conv1D:
            if (p.quantized)
                c << "    nesy_conv1d_s8(" << x << ", " << l.in.length << ", " << l.in.channels << ", "
                  << zeroOf(l.inputs[0]) << ", " << stem << "_w, " << stem << "_b, " << stem << "_m, " << stem
                  << "_s, " << l.out.channels << ", " << l.kernel << ", " << l.dilation << ", " << pad << ", "
                  << zout << ", " << lo << ", " << y << ");\n";
            else
                c << "    nesy_conv1d_f32(" << x << ", " << l.in.length << ", " << l.in.channels << ", " << stem
                  << "_w, " << stem << "_b, " << l.out.channels << ", " << l.kernel << ", " << l.dilation << ", "
                  << pad << ", " << int(l.relu) << ", " << y << ");\n";
            break;
        case LayerKind::Dense:
            if (p.quantized)
                c << "    nesy_dense_s8(" << x << ", " << l.in.size() << ", " << zeroOf(l.inputs[0]) << ", " << stem
                  << "_w, " << stem << "_b, " << stem << "_m, " << stem << "_s, " << l.out.channels << ", "
                  << zout << ", " << lo << ", " << y << ");\n";
            else
                c << "    nesy_dense_f32(" << x << ", " << l.in.size() << ", " << stem << "_w, " << stem << "_b, "
                  << l.out.channels << ", " << int(l.relu) << ", " << y << ");\n";
            break;
        case LayerKind::MaxPool1D:
            if (p.quantized)
                c << "    nesy_maxpool_s8(" << x << ", " << l.out.length << ", " << l.out.channels << ", " << l.pool
                  << ", " << lo << ", " << y << ");\n";
            else
                c << "    nesy_maxpool_f32(" << x << ", " << l.out.length << ", " << l.out.channels << ", "
                  << l.pool << ", " << int(l.relu) << ", " << y << ");\n";
            break;
        case LayerKind::GlobalAvgPool:
            if (p.quantized)
                c << "    nesy_gap_s8(" << x << ", " << l.in.length << ", " << l.in.channels << ", "
                  << zeroOf(l.inputs[0]) << ", " << l.multipliers[0].multiplier << ", " << l.multipliers[0].shift
                  << ", " << zout << ", " << lo << ", " << y << ");\n";
            else
                c << "    nesy_gap_f32(" << x << ", " << l.in.length << ", " << l.in.channels << ", "
                  << int(l.relu) << ", " << y << ");\n";
            break;
        case LayerKind::Add: {
            c << "    {\n        const " << t << " *const xs[" << l.inputs.size() << "] = {";
            for (std::size_t j = 0; j < l.inputs.size(); ++j)
                c << (j ? ", " : "") << src(l.inputs[j]);
            c << "};\n";
            if (p.quantized) {
                c << "        static const int32_t zs[" << l.inputs.size() << "] = {";
                for (std::size_t j = 0; j < l.inputs.size(); ++j)
                    c << (j ? ", " : "") << zeroOf(l.inputs[j]);
                c << "};\n        nesy_add_s8(xs, zs, " << stem << "_m, " << l.inputs.size() << ", " << l.out.size()
                  << ", " << l.multipliers[0].shift << ", " << zout << ", " << lo << ", " << y << ");\n";
            } else {
                c << "        nesy_add_f32(xs, " << l.inputs.size() << ", " << l.out.size() << ", " << int(l.relu)
                  << ", " << y << ");\n";
            }
            c << "    }\n";
            break;
        }
        }
    }
    // The output: dequantized (int8) or copied (float), then the optional softmax.
    const std::string last = p.layers.empty() ? netIn : indexed("y", p.layers.size() - 1);
    c << "    {\n        int i;\n        for (i = 0; i < " << scoresSize << "; ++i)\n";
    if (p.quantized) {
        QuantParams q = p.layers.empty() ? p.inputQuant : p.layers.back().outQuant;
        c << "            output[i] = " << floatLiteral(q.scale) << " * (float)(" << last << "[i] - (" << q.zeroPoint
          << "));\n";
    } else {
        c << "            output[i] = " << last << "[i];\n";
    }
    c << "    }\n";
    if (p.softmax)
        c << "    nesy_softmax(output, " << scoresSize << ");\n";
    if (p.decision)
        c << "    output[" << scoresSize << "] = (float)nesy_decide(output);\n";
    c << "}\n";
    g.sources["nesy_program.c"] = c.str();
    return g;
}

} // namespace nesy::codegen
