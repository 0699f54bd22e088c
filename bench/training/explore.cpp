// bench_training_explore: small, time-boxed grids for the 9-class quality on unseen subjects
// (docs/learning.md, "Quality on unseen subjects"). Loads the earable data once with the given
// data handling, extracts the features once, then trains one features + MLP per grid entry and
// prints validation and test accuracy (float and int8) and the int8 weight bytes. Selection must
// go by the validation column; the test column is reported, not tuned on. Each row also prints the
// falling-vs-rest balanced accuracy of the int8 model on the test subjects.
//
//   bench_training_explore [--data DIR] [--timing rows|timestamps] [--rate HZ] [--window N] [--stride N]
//                          [--magnitudes] [--fft-bins N] [--mlp 1x64,2x32,...] [--lr X] [--epochs N]
//                          [--patience N] [--seeds N] [--threads N] [--balance] [--gravity] [--no-axes]
//                          [--subject-norm center|zscore] [--rotate N:DEGREES] [--label-smoothing E]
//                          [--upright-reference] [--train-stride N] [--tail N] [--ensemble] [--without a,b,...]
//                          [--decimate N] [--twist N] [--twist-degrees D]
// --without leaves the named statistics out (names as in docs/features.md). --decimate N adds the
// same statistics over the means of every N samples (a low-pass view at rate / N).
// --train-stride N cuts the TRAINING windows N rows apart (more, overlapping examples); validation
// and test keep --stride. --tail N adds the same statistics over the last N rows of each window
// (a second, shorter time scale). --ensemble trains every --mlp entry per seed (member k with seed
// seed + 1000 k) and also prints the ensemble that averages their int8 softmax outputs.
// --subject-norm standardises every feature per subject with that subject's own windows, labels
// unused (transductive: on a device it would be a calibration over the user's unlabelled data);
// "center" subtracts the subject's mean only. --rotate N:DEGREES adds N copies of every training
// window, each with the acc and gyro axes turned by one random rotation of up to DEGREES about a
// random axis (a differently worn earable). --upright-reference appends 4 features per window: its
// unit mean acceleration g minus the subject's upright reference r, and g . r (the cosine of the
// head's tilt from upright); r is the mean of g over the third of the subject's windows with the
// most |acc| variation (walking, running, jumping keep the head upright), labels unused
// (transductive, like --subject-norm: on a device, a calibration while the user walks).
// --twist N adds N copies of every training window, each turned by one uniformly random angle about
// the sensor's z axis (learn::withTwistedCopies; a project's source.earable train_twists), an angle
// within +-D degrees with --twist-degrees D (default 180: any).
#include "BenchArgs.h"
#include "QualityTools.h"
#include "learn/Architectures.h"
#include "learn/Augmentation.h"
#include "learn/Features.h"
#include "learn/Loaders.h"
#include "learn/Metrics.h"
#include "learn/Quantizer.h"
#include "learn/Trainer.h"
#include <Eigen/Geometry>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <cstdlib>
#include <sstream>
#include <string>

using namespace nesy::learn;

namespace {

struct Args {
    std::string data = std::string(NESY_SHARED_DATA_DIR) + "/earable-activity";
    Timing timing = Timing::Rows;
    double rate = 100.0;
    int window = 550, stride = 50;
    bool magnitudes = false;
    int fftBins = 8;
    std::vector<MlpConfig> mlps{{1, 64}};
    double lr = 1e-3;
    int epochs = 200, patience = 15, seeds = 1, threads = 2;
    bool balance = false;
    bool gravity = false; // features of the gravity-aligned channels as well
    bool axes = true;     // features of the 6 raw axes
    std::string subjectNorm; // "", "center" or "zscore"
    int rotations = 0;       // rotated copies of each training window
    double rotationDegrees = 0;
    double labelSmoothing = 0;
    bool uprightReference = false;
    int trainStride = 0; // 0: --stride
    int tailRows = 0;
    bool ensemble = false;
    std::vector<std::string> without; // statistics left out
    int decimate = 0;
    int twists = 0; // copies of each training window turned about the z axis
    double twistDegrees = 180;
};

std::vector<MlpConfig> parseMlps(const std::string& text)
{
    std::vector<MlpConfig> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto x = item.find('x');
        out.push_back({std::stoi(item.substr(0, x)), std::stoi(item.substr(x + 1))});
    }
    return out;
}

Args parse(int argc, char** argv)
{
    Args a;
    if (const std::string folder = nesy::bench::earableFolderFromEnvironment(); !folder.empty())
        a.data = folder;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        auto next = [&] { return nesy::bench::optionValue(argc, argv, i); };
        if (k == "--data") a.data = next();
        else if (k == "--timing") a.timing = next() == "timestamps" ? Timing::Timestamps : Timing::Rows;
        else if (k == "--rate") a.rate = std::stod(next());
        else if (k == "--window") a.window = std::stoi(next());
        else if (k == "--stride") a.stride = std::stoi(next());
        else if (k == "--magnitudes") a.magnitudes = true;
        else if (k == "--fft-bins") a.fftBins = std::stoi(next());
        else if (k == "--mlp") a.mlps = parseMlps(next());
        else if (k == "--lr") a.lr = std::stod(next());
        else if (k == "--epochs") a.epochs = std::stoi(next());
        else if (k == "--patience") a.patience = std::stoi(next());
        else if (k == "--seeds") a.seeds = std::stoi(next());
        else if (k == "--threads") a.threads = std::stoi(next());
        else if (k == "--balance") a.balance = true;
        else if (k == "--gravity") a.gravity = true;
        else if (k == "--no-axes") a.axes = false;
        else if (k == "--subject-norm") a.subjectNorm = next();
        else if (k == "--label-smoothing") a.labelSmoothing = std::stod(next());
        else if (k == "--upright-reference") a.uprightReference = true;
        else if (k == "--train-stride") a.trainStride = std::stoi(next());
        else if (k == "--tail") a.tailRows = std::stoi(next());
        else if (k == "--ensemble") a.ensemble = true;
        else if (k == "--decimate") a.decimate = std::stoi(next());
        else if (k == "--twist") a.twists = std::stoi(next());
        else if (k == "--twist-degrees") a.twistDegrees = std::stod(next());
        else if (k == "--without") {
            std::stringstream list(next());
            for (std::string name; std::getline(list, name, ',');)
                a.without.push_back(name);
        }
        else if (k == "--rotate") {
            const std::string v = next();
            a.rotations = std::stoi(v.substr(0, v.find(':')));
            a.rotationDegrees = std::stod(v.substr(v.find(':') + 1));
        }
        else {
            std::fprintf(stderr, "unknown option %s (see the comment at the top of explore.cpp)\n", k.c_str());
            std::exit(2);
        }
    }
    return a;
}

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

nesy::bench::FeatureSet featureSetOf(const Args& a)
{
    return {a.axes, a.magnitudes, a.gravity, a.fftBins, a.without, a.tailRows, a.decimate};
}

Dataset featuresOf(const Dataset& windows, const Args& a)
{
    return nesy::bench::featuresOf(windows, featureSetOf(a), a.threads);
}

// Per subject, each feature minus the subject's mean (and divided by its stddev for zscore), from
// that subject's windows alone; labels are not read.
void normalisePerSubject(Dataset& f, const std::string& mode)
{
    std::map<int, std::vector<std::size_t>> bySubject;
    for (std::size_t i = 0; i < f.size(); ++i)
        bySubject[f.subjects[i]].push_back(i);
    const int n = f.windowSize();
    for (const auto& [subject, rows] : bySubject) {
        std::vector<double> mean(n, 0.0), sq(n, 0.0);
        for (std::size_t i : rows)
            for (int k = 0; k < n; ++k) {
                mean[k] += f.window(i)[k];
                sq[k] += double(f.window(i)[k]) * f.window(i)[k];
            }
        for (int k = 0; k < n; ++k) {
            mean[k] /= double(rows.size());
            const double var = sq[k] / double(rows.size()) - mean[k] * mean[k];
            sq[k] = mode == "zscore" && var > 1e-12 ? std::sqrt(var) : 1.0;
        }
        for (std::size_t i : rows)
            for (int k = 0; k < n; ++k)
                f.window(i)[k] = float((f.window(i)[k] - mean[k]) / sq[k]);
    }
}

// Per window: g - r (3 values) and g . r, g the window's unit mean acceleration, r the subject's
// upright reference (see --upright-reference above).
Dataset uprightFeatures(const Dataset& w)
{
    const std::size_t n = w.size();
    std::vector<Eigen::Vector3d> g(n);
    std::vector<double> motion(n);
    for (std::size_t i = 0; i < n; ++i) {
        Eigen::Vector3d sum = Eigen::Vector3d::Zero();
        double m = 0, m2 = 0;
        for (int t = 0; t < w.length; ++t) {
            const float* s = w.window(i) + t * w.channels;
            const Eigen::Vector3d a(s[0], s[1], s[2]);
            sum += a;
            m += a.norm();
            m2 += a.squaredNorm();
        }
        g[i] = sum.normalized();
        m /= w.length;
        motion[i] = m2 / w.length - m * m;
    }
    std::map<int, std::vector<std::size_t>> bySubject;
    for (std::size_t i = 0; i < n; ++i)
        bySubject[w.subjects[i]].push_back(i);
    Dataset out = w.emptyLike();
    out.length = 1;
    out.channels = 4;
    out.channelNames = {"g_minus_r_x", "g_minus_r_y", "g_minus_r_z", "g_dot_r"};
    out.labels = w.labels;
    out.subjects = w.subjects;
    out.values.resize(n * 4);
    for (auto& [subject, rows] : bySubject) {
        std::vector<std::size_t> byMotion = rows;
        std::sort(byMotion.begin(), byMotion.end(), [&](std::size_t a, std::size_t b) { return motion[a] > motion[b]; });
        Eigen::Vector3d r = Eigen::Vector3d::Zero();
        const std::size_t top = std::max<std::size_t>(1, byMotion.size() / 3);
        for (std::size_t k = 0; k < top; ++k)
            r += g[byMotion[k]];
        r.normalize();
        for (std::size_t i : rows) {
            const Eigen::Vector3d d = g[i] - r;
            float* o = out.values.data() + i * 4;
            o[0] = float(d.x()), o[1] = float(d.y()), o[2] = float(d.z()), o[3] = float(g[i].dot(r));
        }
    }
    return out;
}

// --rotate: up to `degrees` about a random axis.
Dataset withRotations(const Dataset& d, int copies, double degrees, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> angle(-degrees * M_PI / 180.0, degrees * M_PI / 180.0);
    return withTurnedCopies(d, copies, [&] {
        const Eigen::Vector3d axis = Eigen::Vector3d(normal(rng), normal(rng), normal(rng)).normalized();
        return Eigen::AngleAxisd(angle(rng), axis).toRotationMatrix().cast<float>();
    });
}

} // namespace

int main(int argc, char** argv)
{
    using nesy::bench::accuracyOf;
    using nesy::bench::fallBalancedAccuracy;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const Args a = parse(argc, argv);
    double t = now();
    EarableOptions eo;
    eo.timing = a.timing;
    eo.rateHz = a.rate;
    const RecordingSet recordings = loadEarableFolder(a.data, eo);
    const SubjectSplit roles{parseSubjectList("1-24"), parseSubjectList("25-30"), parseSubjectList("31-36")};
    const SplitData s = splitBySubject(makeWindows(recordings, a.window, a.stride), roles);
    const Dataset denseTrain =
        a.trainStride > 0 ? splitBySubject(makeWindows(recordings, a.window, a.trainStride), roles).train : s.train;
    const Dataset rotated = a.rotations > 0 ? withRotations(denseTrain, a.rotations, a.rotationDegrees, 7) : denseTrain;
    const Dataset trainWindows = a.twists > 0 ? withTwistedCopies(rotated, a.twists, 1, a.twistDegrees) : rotated;
    Dataset tr = featuresOf(trainWindows, a), va = featuresOf(s.validation, a), te = featuresOf(s.test, a);
    if (!a.subjectNorm.empty())
        for (Dataset* f : {&tr, &va, &te})
            normalisePerSubject(*f, a.subjectNorm);
    if (a.uprightReference) {
        tr = concatChannels(tr, uprightFeatures(trainWindows));
        va = concatChannels(va, uprightFeatures(s.validation));
        te = concatChannels(te, uprightFeatures(s.test));
    }
    const Normalizer fn = Normalizer::fit(tr);
    fn.apply(tr);
    fn.apply(va);
    fn.apply(te);
    std::printf("data: timing %s, %.0f Hz, window %d stride %d (training stride %d), tail %d rows, decimate %d, axes %s, magnitudes %s, "
                "gravity-aligned %s, fft bins %d: %d features; windows train %zu validation %zu test %zu (%.0f s); "
                "per-subject normalisation %s, rotated copies %d (up to %g degrees), twisted copies %d (up to %g degrees)\n",
                a.timing == Timing::Rows ? "rows" : "timestamps", a.rate, a.window, a.stride,
                a.trainStride > 0 ? a.trainStride : a.stride, a.tailRows, a.decimate, a.axes ? "on" : "off", a.magnitudes ? "on" : "off",
                a.gravity ? "on" : "off", a.fftBins, tr.channels, tr.size(), va.size(), te.size(), now() - t,
                a.subjectNorm.empty() ? "off" : a.subjectNorm.c_str(), a.rotations, a.rotationDegrees, a.twists, a.twistDegrees);
    ThreadPool pool(a.threads);
    for (int seed = 1; seed <= a.seeds; ++seed) {
        std::vector<ModelSpec> members;
        for (std::size_t k = 0; k < a.mlps.size(); ++k) {
            const MlpConfig& c = a.mlps[k];
            const std::uint64_t memberSeed = std::uint64_t(seed) + (a.ensemble ? 1000 * k : 0);
            TrainOptions o;
            o.epochs = a.epochs;
            o.learningRate = a.lr;
            o.patience = a.patience;
            o.seed = memberSeed;
            o.balanceClasses = a.balance;
            o.labelSmoothing = a.labelSmoothing;
            ModelSpec m = buildMlp({1, tr.channels}, 9, c, memberSeed);
            const TrainReport r = train(m, tr, va, o, &pool);
            const double vf = accuracyOf(va, argmaxRows(predictScores(m, va, &pool)));
            const double tf = accuracyOf(te, argmaxRows(predictScores(m, te, &pool)));
            ModelSpec minMax = m;
            quantize(minMax, tr, {512, Calibration::MinMax});
            quantize(m, tr);
            const std::vector<int> vp = predictInt8(m, va, &pool), tp = predictInt8(m, te, &pool);
            const double vm = accuracyOf(va, predictInt8(minMax, va, &pool));
            const double tm = accuracyOf(te, predictInt8(minMax, te, &pool));
            std::printf("mlp %dx%-3d seed %d lr %g%s smoothing %g: epochs %3d (best %3d)  validation float %.4f int8 %.4f   test float %.4f "
                        "int8 %.4f   (min/max calibration: validation %.4f test %.4f)   int8 weights %zu bytes   falling vs rest "
                        "balanced (int8): validation %.4f test %.4f\n",
                        c.layers, c.units, int(memberSeed), a.lr, a.balance ? " balanced" : "", a.labelSmoothing, r.epochsRun,
                        r.bestEpoch, vf, accuracyOf(va, vp), tf, accuracyOf(te, tp), vm, tm, m.weightBytes(true),
                        fallBalancedAccuracy(va, vp), fallBalancedAccuracy(te, tp));
            members.push_back(std::move(m));
        }
        if (!a.ensemble)
            continue;
        std::size_t bytes = 0;
        for (const ModelSpec& m : members)
            bytes += m.weightBytes(true);
        const std::vector<int> vp = nesy::bench::predictEnsembleInt8(members, va);
        const std::vector<int> tp = nesy::bench::predictEnsembleInt8(members, te);
        std::printf("ensemble of %zu (mean int8 softmax) seed %d: validation int8 %.4f   test int8 %.4f   int8 weights %zu bytes   "
                    "falling vs rest balanced (int8): validation %.4f test %.4f\n",
                    members.size(), seed, accuracyOf(va, vp), accuracyOf(te, tp), bytes, fallBalancedAccuracy(va, vp),
                    fallBalancedAccuracy(te, tp));
    }
    return 0;
}
