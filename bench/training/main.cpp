// bench_training: trains the same temporal CNN on the same earable windows with this engine and
// with PyTorch, prints seconds per epoch, their ratio and both test accuracies, the feature
// throughput, and the quality figures on unseen subjects (docs/learning.md records a run).
//
//   bench_training [--data DIR] [--epochs N] [--quality-epochs N] [--threads N] [--timing-windows N] [--no-torch]
//                  [--no-timing] [--no-quality] [--tcn-cache FILE] [--stride N] [--seeds N] [--first-seed N]
//                  [--torch-init engine|he|torch] [--torch-control] [--no-quality-tcn] [--quality-seeds N]
// --timing-windows N times both engines on N training windows spread over the subjects (same
// windows for both), for machines too busy to run full epochs of PyTorch. --stride N cuts the
// windows N rows apart (default 50) in every split, so that fewer windows let both engines train
// enough epochs to converge; --seeds N repeats the comparison for N seeds from --first-seed (1). PyTorch replays this
// engine's training (same algorithm, bench/training/torch_tcn.py): the engine's initial weights
// (--torch-init engine, the default; "he" draws He-uniform weights from PyTorch's generator,
// "torch" keeps PyTorch's defaults), the engine's batch order of every epoch, its Adam and its
// kept-epoch rule; the bench prints how far the two weight sets drift apart after the first batch
// and after every epoch. --torch-control runs PyTorch a second time with every batch's windows in
// reverse order (the same mathematics, another float summation order) and prints how far that
// drifts from the first PyTorch run: the drift float rounding alone causes. --tcn-cache FILE keeps
// the quality TCN's trained float weights in FILE (trained and written when FILE is missing), so
// that quantization can be re-measured without retraining. --no-quality-tcn leaves the TCN out of
// the quality section; --quality-seeds N trains the quality MLP with seeds 1..N (default 12:
// single seeds land points apart).
#include "BenchArgs.h"
#include "QualityTools.h"
#include "boards/TempDirectory.h"
#include "learn/Architectures.h"
#include "learn/Augmentation.h"
#include "learn/Features.h"
#include "learn/Loaders.h"
#include "learn/Metrics.h"
#include "learn/Quantizer.h"
#include "learn/Trainer.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

using namespace nesy::learn;

namespace {

struct Args {
    std::string data = std::string(NESY_SHARED_DATA_DIR) + "/earable-activity";
    int epochs = 3;          // timing comparison, both engines
    int qualityEpochs = 25;  // quality runs (early stopping on validation)
    int threads = 2;
    std::size_t timingWindows = 0; // 0: every training window
    bool torch = true;
    bool timing = true;
    bool quality = true;
    std::string tcnCache;
    int stride = 50;
    int seeds = 1;
    int firstSeed = 1;
    std::string torchInit = "engine";
    bool torchControl = false;
    bool qualityTcn = true;
    int qualitySeeds = 12;
};

Args parse(int argc, char** argv)
{
    Args a;
    if (const std::string folder = nesy::bench::earableFolderFromEnvironment(); !folder.empty())
        a.data = folder;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        auto next = [&] { return nesy::bench::optionValue(argc, argv, i); };
        if (k == "--data")
            a.data = next();
        else if (k == "--epochs")
            a.epochs = std::stoi(next());
        else if (k == "--quality-epochs")
            a.qualityEpochs = std::stoi(next());
        else if (k == "--threads")
            a.threads = std::stoi(next());
        else if (k == "--timing-windows")
            a.timingWindows = std::stoul(next());
        else if (k == "--no-torch")
            a.torch = false;
        else if (k == "--no-timing")
            a.timing = false;
        else if (k == "--no-quality")
            a.quality = false;
        else if (k == "--tcn-cache")
            a.tcnCache = next();
        else if (k == "--stride")
            a.stride = std::stoi(next());
        else if (k == "--first-seed")
            a.firstSeed = std::stoi(next());
        else if (k == "--seeds")
            a.seeds = std::stoi(next());
        else if (k == "--torch-init")
            a.torchInit = next();
        else if (k == "--torch-control")
            a.torchControl = true;
        else if (k == "--no-quality-tcn")
            a.qualityTcn = false;
        else if (k == "--quality-seeds")
            a.qualitySeeds = std::stoi(next());
        else {
            std::fprintf(stderr, "usage: bench_training [--data DIR] [--epochs N] [--quality-epochs N] [--threads N] "
                                 "[--timing-windows N] [--no-torch] [--no-timing] [--no-quality] [--tcn-cache FILE] [--stride N] "
                                 "[--seeds N] [--first-seed N] [--torch-init engine|he|torch] [--torch-control] "
                                 "[--no-quality-tcn] [--quality-seeds N]\n");
            std::exit(2);
        }
    }
    return a;
}

double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC; // all threads of the process
}

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Share of windows where two models pick the same class.
double agreementOf(const std::vector<int>& a, const std::vector<int>& b)
{
    std::size_t same = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        same += a[i] == b[i];
    return double(same) / double(a.size());
}

using nesy::bench::accuracyOf;
using nesy::bench::fallBalancedAccuracy;

template <typename T>
void writeBinary(const std::vector<T>& values, const std::string& file)
{
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(values.data()), std::streamsize(values.size() * sizeof(T)));
}

bool torchAvailable()
{
    return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0;
}

// Float parameters of every layer, in order: count, values (weights then bias).
void saveParameters(const ModelSpec& m, const std::string& file)
{
    std::ofstream out(file, std::ios::binary);
    for (const LayerSpec& l : m.layers)
        for (const std::vector<float>* v : {&l.weights, &l.bias}) {
            const std::uint64_t n = v->size();
            out.write(reinterpret_cast<const char*>(&n), sizeof n);
            out.write(reinterpret_cast<const char*>(v->data()), std::streamsize(n * sizeof(float)));
        }
}

bool loadParameters(ModelSpec& m, const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return false;
    for (LayerSpec& l : m.layers)
        for (std::vector<float>* v : {&l.weights, &l.bias}) {
            std::uint64_t n = 0;
            in.read(reinterpret_cast<char*>(&n), sizeof n);
            if (!in || n != v->size()) {
                std::fprintf(stderr, "%s does not hold this model's parameters\n", file.c_str());
                std::exit(1);
            }
            in.read(reinterpret_cast<char*>(v->data()), std::streamsize(n * sizeof(float)));
        }
    return bool(in);
}

void writeSplit(const Dataset& d, const std::string& prefix)
{
    writeBinary(d.values, prefix + ".x");
    writeBinary(std::vector<std::int32_t>(d.labels.begin(), d.labels.end()), prefix + ".y");
}

// Largest parameter difference between two models, relative to the largest magnitude of the tensor
// it sits in (a per-element ratio would blow up on weights near zero).
double maxRelativeDifference(const ModelSpec& a, const ModelSpec& b)
{
    double worst = 0;
    for (std::size_t li = 0; li < a.layers.size(); ++li)
        for (const auto member : {&LayerSpec::weights, &LayerSpec::bias}) {
            const std::vector<float>& x = a.layers[li].*member;
            const std::vector<float>& y = b.layers[li].*member;
            double scale = 0, diff = 0;
            for (std::size_t i = 0; i < x.size(); ++i) {
                scale = std::max(scale, double(std::fabs(x[i])));
                diff = std::max(diff, double(std::fabs(x[i] - y[i])));
            }
            if (scale > 0)
                worst = std::max(worst, diff / scale);
        }
    return worst;
}

struct TorchRun {
    double wallPerEpoch = 0, cpuPerEpoch = 0, accuracy = 0;
    int keptEpoch = 0;
    std::vector<ModelSpec> snapshots; // weights after the first batch, then after every epoch
};

// Runs torch_tcn.py on the split folder, where init.bin and order.bin must already be; `batches`
// "same" or "reversed" (the control). Prints why and returns nothing when the run fails.
std::optional<TorchRun> runTorch(const Args& a, const std::string& dir, int seed, const std::string& batches,
                                 const ModelSpec& initial)
{
    // OpenMP threads spin at barriers: on a loaded machine a descheduled partner makes two
    // threads far slower than one unless waiting threads sleep (docs/learning.md).
    const std::string cmd = "OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 " NESY_BENCH_TORCH_SCRIPT " " + dir +
                            " 550 6 9 16 5 1,2,4,8 " + std::to_string(a.epochs) + " 32 0.003 " +
                            std::to_string(a.threads) + " " + std::to_string(seed) + " " + a.torchInit + " " + batches;
    FILE* pipe = popen(cmd.c_str(), "r");
    TorchRun r;
    const bool ok =
        pipe && std::fscanf(pipe, "%lf %lf %lf %d", &r.wallPerEpoch, &r.cpuPerEpoch, &r.accuracy, &r.keptEpoch) == 4;
    if (pipe)
        pclose(pipe);
    if (!ok) {
        std::printf("  PyTorch run failed (%s)\n", cmd.c_str());
        return std::nullopt;
    }
    const std::string prefix = dir + (batches == "same" ? "/torch_" : "/torch_reversed_");
    for (int e = 0; e <= a.epochs; ++e) {
        ModelSpec w = initial;
        const std::string file = prefix + (e == 0 ? "batch1" : "epoch" + std::to_string(e)) + ".bin";
        if (!loadParameters(w, file)) {
            std::printf("  PyTorch wrote no %s\n", file.c_str());
            return std::nullopt;
        }
        r.snapshots.push_back(std::move(w));
    }
    return r;
}

// How far two trainings' weights drift apart: after the first batch, then after every epoch.
void printDrift(const char* label, const std::vector<ModelSpec>& a, const std::vector<ModelSpec>& b)
{
    std::printf("  %s, max |difference| / max |w| per tensor: after batch 1 %.1e; after epoch 1, 2, ...:", label,
                maxRelativeDifference(a[0], b[0]));
    for (std::size_t e = 1; e < a.size() && e < b.size(); ++e)
        std::printf("%s %.1e", e == 1 ? "" : ",", maxRelativeDifference(a[e], b[e]));
    std::printf("\n");
}

// Single runs part by float rounding alone and land points apart, so the accuracy target is a
// statement about the mean over seeds: its 95% interval (t distribution) from the paired differences.
void printPairedDifferences(const std::vector<double>& d)
{
    const double n = double(d.size());
    double mean = 0, var = 0;
    for (double x : d)
        mean += x / n;
    for (double x : d)
        var += (x - mean) * (x - mean) / (n - 1);
    const double se = std::sqrt(var / n);
    // two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom, then the normal's
    static constexpr double t975[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    const std::size_t dof = d.size() - 1;
    const double t = dof <= 30 ? t975[dof - 1] : 1.960;
    std::printf("  nesy - pytorch test accuracy over %zu seeds: mean %+.2f points, standard deviation %.2f, "
                "95%% interval of the mean [%+.2f, %+.2f] (target: within 1 point)\n",
                d.size(), mean, std::sqrt(var), mean - t * se, mean + t * se);
}

TcnConfig benchTcn()
{
    TcnConfig c;
    c.filters = 16;
    c.kernel = 5;
    c.dilations = {1, 2, 4, 8};
    return c;
}

// The configuration bench_training_explore selected on the validation subjects 25-30
// (docs/learning.md, "Quality on unseen subjects", fourth round); the test subjects only report it.
struct SelectedMlp {
    int window = 1500;     // rows (15 s)
    int stride = 50;       // validation and test windows
    int trainStride = 50;  // training windows
    // The 6 axes and |acc|, |gyro|, all 12 statistics with 8 FFT bins, over the whole window and
    // again over its last 1200 rows (12 s): 304 values.
    nesy::bench::FeatureSet features = [] {
        nesy::bench::FeatureSet f;
        f.magnitudes = true;
        f.tailRows = 1200;
        return f;
    }();
    MlpConfig mlp{1, 32};
    double learningRate = 1e-3;
    int patience = 15;
    double labelSmoothing = 0.0;
    // Copies of every training window turned by random angles about the sensor's z axis
    // (learn::withTwistedCopies, seed 1; a project's source.earable train_twists).
    int trainTwists = 2;
};

void printConfusion(const Dataset& d, const std::vector<int>& predicted)
{
    const auto cm = confusionMatrix(d.labels, predicted, d.classes());
    for (int c = 0; c < d.classes(); ++c) {
        std::printf("    %-14s", d.classNames[std::size_t(c)].c_str());
        for (int k = 0; k < d.classes(); ++k)
            std::printf(" %4d", int(cm[std::size_t(c)][std::size_t(k)]));
        std::printf("\n");
    }
}

// Trains the selected features + MLP for seeds 1..args.qualitySeeds on its own windows and prints
// validation and test accuracy (float, int8), the falling-vs-rest balanced accuracy and the int8
// confusion matrix of seed 1 on the test subjects.
void printQualityMlp(const RecordingSet& rec, const Args& args, ThreadPool& pool)
{
    const SelectedMlp sel;
    const SubjectSplit roles{parseSubjectList("1-24"), parseSubjectList("25-30"), parseSubjectList("31-36")};
    const SplitData w = splitBySubject(makeWindows(rec, sel.window, sel.stride), roles);
    const Dataset trainWindows = withTwistedCopies(
        sel.trainStride == sel.stride ? w.train : splitBySubject(makeWindows(rec, sel.window, sel.trainStride), roles).train,
        sel.trainTwists, 1);
    const auto& fs = sel.features;
    Dataset tr = nesy::bench::featuresOf(trainWindows, fs, args.threads);
    Dataset va = nesy::bench::featuresOf(w.validation, fs, args.threads);
    Dataset te = nesy::bench::featuresOf(w.test, fs, args.threads);
    const Normalizer fn = Normalizer::fit(tr);
    fn.apply(tr);
    fn.apply(va);
    fn.apply(te);
    std::printf("quality, selected on validation: windows of %d rows (every %d rows, training every %d: train %zu, "
                "validation %zu, test %zu), features (all 12, %d FFT bins, of the 6 axes and |acc|, |gyro|%s: %d values) + "
                "MLP %dx%d, Adam %g, patience %d, label smoothing %g; %d twisted copies of each training window\n",
                sel.window, sel.stride, sel.trainStride, tr.size(), va.size(), te.size(), fs.fftBins,
                fs.tailRows > 0 ? (", and again over the last " + std::to_string(fs.tailRows) + " rows").c_str() : "",
                tr.channels, sel.mlp.layers, sel.mlp.units, sel.learningRate, sel.patience, sel.labelSmoothing, sel.trainTwists);
    double sum[5] = {0, 0, 0, 0, 0};
    for (int seed = 1; seed <= args.qualitySeeds; ++seed) {
        TrainOptions q;
        q.epochs = 200;
        q.batchSize = 32;
        q.learningRate = sel.learningRate;
        q.patience = sel.patience;
        q.seed = std::uint64_t(seed);
        q.labelSmoothing = sel.labelSmoothing;
        ModelSpec m = buildMlp({1, tr.channels}, 9, sel.mlp, std::uint64_t(seed));
        const TrainReport r = train(m, tr, va, q, &pool);
        const double vf = accuracyOf(va, argmaxRows(predictScores(m, va, &pool)));
        const double tf = accuracyOf(te, argmaxRows(predictScores(m, te, &pool)));
        quantize(m, tr);
        const auto vp = predictInt8(m, va, &pool), tp = predictInt8(m, te, &pool);
        const double vi = accuracyOf(va, vp), ti = accuracyOf(te, tp), fall = fallBalancedAccuracy(te, tp);
        sum[0] += vf, sum[1] += vi, sum[2] += tf, sum[3] += ti, sum[4] += fall;
        std::printf("  seed %d (%d epochs, best %d): 9-class validation float %.4f int8 %.4f, test float %.4f int8 %.4f; "
                    "int8 weights %zu bytes; falling vs rest balanced accuracy (int8, test) %.4f\n",
                    seed, r.epochsRun, r.bestEpoch, vf, vi, tf, ti, m.weightBytes(true), fall);
        if (seed == 1) {
            std::printf("  seed 1, int8 confusion matrix on the test subjects (rows: true class; columns in the same order):\n");
            printConfusion(te, tp);
        }
    }
    const double n = args.qualitySeeds;
    std::printf("  mean over %d seed(s): validation float %.4f int8 %.4f, test float %.4f int8 %.4f, falling vs rest "
                "balanced (int8, test) %.4f\n",
                args.qualitySeeds, sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n);
}

} // namespace

int main(int argc, char** argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows up when piped to a file
    const Args args = parse(argc, argv);
    std::printf("bench_training: earable-activity, windows 550 x 6 (rows as 100 Hz samples), stride %d\n", args.stride);
    std::printf("subjects: train 1-24, validation 25-30, test 31-36; threads %d\n\n", args.threads);
    double t = now();
    EarableOptions eo;
    const RecordingSet rec = loadEarableFolder(args.data, eo);
    const Dataset all = makeWindows(rec, 550, args.stride);
    SplitData s = splitBySubject(all, {parseSubjectList("1-24"), parseSubjectList("25-30"), parseSubjectList("31-36")});
    std::printf("loaded %zu windows (train %zu, validation %zu, test %zu) in %.1f s\n\n", all.size(), s.train.size(),
                s.validation.size(), s.test.size(), now() - t);
    const SplitData raw = s;
    const Normalizer norm = Normalizer::fit(s.train);
    norm.apply(s.train);
    norm.apply(s.validation);
    norm.apply(s.test);
    ThreadPool pool(args.threads);

    // Feature throughput
    {
        const FeatureExtractor fx(FeatureOptions::all(8), 550, 6, 100.0);
        const std::size_t n = std::min<std::size_t>(raw.train.size(), 2000);
        const Dataset sample = raw.train.select([&] {
            std::vector<std::size_t> idx(n);
            for (std::size_t i = 0; i < n; ++i)
                idx[i] = i;
            return idx;
        }());
        t = now();
        fx.extract(sample, 1);
        const double one = double(n) / (now() - t);
        t = now();
        fx.extract(sample, args.threads);
        const double many = double(n) / (now() - t);
        std::printf("feature extraction (all 12 features, 8 FFT bins, 6 channels, 550 samples): %.0f windows/s on 1 thread, "
                    "%.0f windows/s on %d threads\n\n", one, many, args.threads);
    }

    // Same TCN, same windows, same epochs and batch: this engine against PyTorch
    const TcnConfig tc = benchTcn();
    TrainOptions fixed;
    fixed.epochs = args.epochs;
    fixed.batchSize = 32;
    fixed.learningRate = 3e-3;
    fixed.patience = args.epochs;
    if (args.timing) {
        Dataset timed = s.train;
        if (args.timingWindows > 0 && args.timingWindows < timed.size()) {
            std::vector<std::size_t> idx(args.timingWindows);
            for (std::size_t i = 0; i < idx.size(); ++i)
                idx[i] = i * s.train.size() / idx.size(); // spread over the subjects
            timed = s.train.select(idx);
        }
        bool torchReady = args.torch && torchAvailable();
        if (args.torch && !torchReady) {
            std::printf("  installing python3-torch with apt-get ...\n");
            std::fflush(stdout);
            torchReady = std::system("apt-get install -y python3-torch >/dev/null 2>&1") == 0 && torchAvailable();
            if (!torchReady)
                std::printf("  PyTorch unavailable: apt-get install python3-torch failed\n");
        }
        std::optional<nesy::TempDirectory> splits; // removed when the comparison ends, however it ends
        std::string dir;
        if (torchReady) {
            splits.emplace("nesy-bench");
            dir = splits->path().string();
            writeSplit(timed, dir + "/train");
            writeSplit(s.test, dir + "/test");
        }
        std::printf("TCN (16 filters, kernel 5, dilations 1,2,4,8), %d epochs of %zu windows, batch 32, Adam 3e-3, "
                    "test on %zu windows; PyTorch replays this engine's batch order, Adam and kept-epoch rule from "
                    "initial weights '%s':\n",
                    args.epochs, timed.size(), s.test.size(), args.torchInit.c_str());
        double sum[6] = {0, 0, 0, 0, 0, 0}; // nesy wall, cpu, acc; torch wall, cpu, acc
        int torchRuns = 0;
        std::vector<double> differences; // nesy - pytorch test accuracy per seed, points
        for (int seed = args.firstSeed; seed < args.firstSeed + args.seeds; ++seed) {
            ModelSpec m = buildTcn({550, 6}, 9, tc, std::uint64_t(seed));
            const ModelSpec initial = m;
            TrainOptions o = fixed;
            o.seed = std::uint64_t(seed);
            std::vector<std::int64_t> orders; // every epoch's visiting order, for PyTorch
            std::vector<ModelSpec> snapshots; // after the first batch (filled below), then after every epoch
            if (torchReady) {
                o.onEpochOrder = [&](int, const std::vector<std::size_t>& order) {
                    orders.insert(orders.end(), order.begin(), order.end());
                };
                snapshots.push_back(initial);
                o.onEpochWeights = [&](int, const ModelSpec& w) { snapshots.push_back(w); };
            }
            const double cpu0 = cpuSeconds();
            const TrainReport r = train(m, timed, Dataset{}, o, &pool);
            const double perEpoch = r.seconds / r.epochsRun;
            const double cpuPerEpoch = (cpuSeconds() - cpu0) / r.epochsRun;
            const double acc = accuracyOf(s.test, argmaxRows(predictScores(m, s.test, &pool)));
            sum[0] += perEpoch, sum[1] += cpuPerEpoch, sum[2] += acc;
            auto printRun = [&](const char* who, double wall, double cpu, double accuracy, int kept) {
                std::printf("  seed %d %-16s %8.2f s/epoch (%.2f CPU s/epoch)   test accuracy %.4f (weights of epoch %d, "
                            "the lowest training loss)\n",
                            seed, who, wall, cpu, accuracy, kept);
            };
            printRun("nesy", perEpoch, cpuPerEpoch, acc, r.bestEpoch);
            if (!torchReady)
                continue;
            // The engine's weights after its first batch: one step on exactly that batch.
            TrainOptions one = fixed;
            one.epochs = 1;
            one.seed = o.seed;
            train(snapshots[0],
                  timed.select(std::vector<std::size_t>(orders.begin(),
                                                        orders.begin() + std::min<std::size_t>(32, timed.size()))),
                  Dataset{}, one, &pool);
            saveParameters(initial, dir + "/init.bin");
            writeBinary(orders, dir + "/order.bin");
            const std::optional<TorchRun> torch = runTorch(args, dir, seed, "same", initial);
            if (!torch)
                continue;
            ++torchRuns;
            sum[3] += torch->wallPerEpoch, sum[4] += torch->cpuPerEpoch, sum[5] += torch->accuracy;
            printRun("pytorch", torch->wallPerEpoch, torch->cpuPerEpoch, torch->accuracy, torch->keptEpoch);
            // Both sides score test windows the same way: PyTorch's kept weights, run by this engine.
            const ModelSpec& torchKept = torch->snapshots.at(std::size_t(torch->keptEpoch));
            std::printf("  seed %d pytorch's kept weights run by nesy: test accuracy %.4f\n", seed,
                        accuracyOf(s.test, argmaxRows(predictScores(torchKept, s.test, &pool))));
            differences.push_back(100 * (acc - torch->accuracy));
            printDrift("nesy vs pytorch", snapshots, torch->snapshots);
            if (!args.torchControl)
                continue;
            if (const std::optional<TorchRun> control = runTorch(args, dir, seed, "reversed", initial)) {
                printRun("pytorch reversed", control->wallPerEpoch, control->cpuPerEpoch, control->accuracy,
                         control->keptEpoch);
                printDrift("pytorch vs pytorch with every batch reversed", torch->snapshots, control->snapshots);
            }
        }
        const double n = args.seeds;
        std::printf("  mean over %d seed(s): nesy %.2f s/epoch (%.2f CPU), test accuracy %.4f\n", args.seeds, sum[0] / n,
                    sum[1] / n, sum[2] / n);
        if (torchRuns == args.seeds)
            std::printf("  mean over %d seed(s): pytorch %.2f s/epoch (%.2f CPU), test accuracy %.4f\n"
                        "  ratio nesy/pytorch time per epoch: %.2f wall, %.2f CPU (target <= 1.00); accuracy difference "
                        "%+.2f points\n",
                        args.seeds, sum[3] / n, sum[4] / n, sum[5] / n, sum[0] / sum[3], sum[1] / sum[4],
                        100 * (sum[2] - sum[5]) / n);
        if (differences.size() > 1)
            printPairedDifferences(differences);
        std::printf("\n");
    }

    if (!args.quality)
        return 0;
    // Quality on unseen subjects (item 8)
    if (args.qualityTcn) {
        TrainOptions q;
        q.epochs = args.qualityEpochs;
        q.batchSize = 32;
        q.learningRate = 3e-3;
        q.patience = 6;
        ModelSpec m = buildTcn({550, 6}, 9, tc, 1);
        TrainReport r;
        if (args.tcnCache.empty() || !loadParameters(m, args.tcnCache)) {
            r = train(m, s.train, s.validation, q, &pool);
            if (!args.tcnCache.empty())
                saveParameters(m, args.tcnCache);
        }
        const auto fp = argmaxRows(predictScores(m, s.test, &pool));
        ModelSpec minMax = m;
        quantize(minMax, s.train, {512, Calibration::MinMax});
        quantize(m, s.train);
        const auto ip = predictInt8(m, s.test, &pool);
        if (r.epochsRun > 0)
            std::printf("quality, fixed TCN above, early stopping on validation (%d of max %d epochs, best %d, %.0f s):\n",
                        r.epochsRun, args.qualityEpochs, r.bestEpoch, r.seconds);
        else
            std::printf("quality, fixed TCN above, float weights read from %s:\n", args.tcnCache.c_str());
        const auto mp = predictInt8(minMax, s.test, &pool);
        std::printf("  9-class test accuracy: float %.4f, int8 %.4f with MSE calibration (same class as float on %.4f of "
                    "the windows), int8 %.4f with min/max calibration (%.4f); int8 weights %zu bytes, arena %zu bytes\n",
                    accuracyOf(s.test, fp), accuracyOf(s.test, ip), agreementOf(fp, ip), accuracyOf(s.test, mp),
                    agreementOf(fp, mp), m.weightBytes(true), m.arenaBytes(true));
        std::printf("  falling vs rest balanced accuracy (int8): %.4f\n", fallBalancedAccuracy(s.test, ip));
    }
    printQualityMlp(rec, args, pool);
    return 0;
}
