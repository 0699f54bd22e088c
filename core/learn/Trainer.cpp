#include "Trainer.h"
#include "Metrics.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace nesy::learn {

namespace {

constexpr int kChunk = 16; // windows per gradient chunk: fixed so results do not depend on threads

struct ChunkSlot {
    Workspace ws;
    ParameterSet grads;
    double loss = 0;
    std::vector<float> input;
};

// Loss of a chunk and d loss / d output, scaled by 1 / batch so that chunk gradients sum to the mean.
double lossGradient(const Matrix& out, const Dataset& d, const std::vector<std::size_t>& idx, Loss loss, int batch,
                    const std::vector<float>& classWeights, float smoothing, Matrix& grad)
{
    grad.resize(out.rows(), out.cols());
    double total = 0;
    for (Eigen::Index r = 0; r < out.rows(); ++r) {
        const std::size_t i = idx[r];
        if (loss == Loss::SoftmaxCrossEntropy) {
            const float mx = out.row(r).maxCoeff();
            Eigen::RowVectorXf e = (out.row(r).array() - mx).exp();
            const float sum = e.sum();
            e /= sum;
            const int y = d.labels[i];
            const float w = classWeights.empty() ? 1.0f : classWeights[y];
            if (smoothing > 0.0f) {
                // target t = (1 - s) onehot(y) + s / K; loss -sum t log p; gradient p - t.
                const float k = float(out.cols());
                const Eigen::RowVectorXf logp = (out.row(r).array() - mx) - std::log(sum);
                total -= w * ((1.0f - smoothing) * logp[y] + smoothing / k * logp.sum());
                e.array() -= smoothing / k;
                e[y] -= 1.0f - smoothing;
            } else {
                total -= w * std::log(std::max(e[y], 1e-12f));
                e[y] -= 1.0f;
            }
            grad.row(r) = e * (w / float(batch));
        } else {
            const float* t = d.targets.data() + i * std::size_t(d.targetSize);
            for (Eigen::Index c = 0; c < out.cols(); ++c) {
                const float diff = out(r, c) - t[c];
                total += 0.5 * diff * diff;
                grad(r, c) = diff / float(batch);
            }
        }
    }
    return total;
}

double validationScore(const ModelSpec& m, const Dataset& val, Loss loss, ThreadPool* pool)
{
    const Matrix scores = predictScores(m, val, pool);
    if (loss == Loss::SoftmaxCrossEntropy)
        return accuracy(confusionMatrix(val.labels, argmaxRows(scores), val.classes()));
    std::vector<float> pred(scores.data(), scores.data() + scores.size());
    return -rmse(val.targets, pred);
}

class Adam {
public:
    Adam(const ModelSpec& m, double lr) : m_(ParameterSet::zerosLike(m)), v_(ParameterSet::zerosLike(m)), lr_(lr) {}
    void step(ModelSpec& model, const ParameterSet& g)
    {
        ++t_;
        const double c1 = 1.0 - std::pow(kBeta1, t_), c2 = 1.0 - std::pow(kBeta2, t_);
        const float stepSize = float(lr_ * std::sqrt(c2) / c1);
        for (std::size_t li = 0; li < model.layers.size(); ++li) {
            update(model.layers[li].weights, g.weights[li], m_.weights[li], v_.weights[li], stepSize);
            update(model.layers[li].bias, g.bias[li], m_.bias[li], v_.bias[li], stepSize);
        }
    }

private:
    static constexpr double kBeta1 = 0.9, kBeta2 = 0.999;
    static constexpr float kEps = 1e-7f;
    static void update(std::vector<float>& p, const std::vector<float>& g, std::vector<float>& m,
                       std::vector<float>& v, float stepSize)
    {
        for (std::size_t i = 0; i < p.size(); ++i) {
            m[i] = float(kBeta1) * m[i] + float(1 - kBeta1) * g[i];
            v[i] = float(kBeta2) * v[i] + float(1 - kBeta2) * g[i] * g[i];
            p[i] -= stepSize * m[i] / (std::sqrt(v[i]) + kEps);
        }
    }
    ParameterSet m_, v_;
    double lr_;
    int t_ = 0;
};

} // namespace

TrainReport train(ModelSpec& model, const Dataset& data, const Dataset& validation, const TrainOptions& o,
                  ThreadPool* pool)
{
    if (data.size() == 0)
        throw std::invalid_argument("training set is empty");
    if (data.windowSize() != model.input.size())
        throw std::invalid_argument("model expects inputs of " + std::to_string(model.input.size()) +
                                    " values, the data has " + std::to_string(data.windowSize()));
    if (o.loss == Loss::SoftmaxCrossEntropy && data.classes() > model.outputs)
        throw std::invalid_argument("the data has more classes than the model has outputs");
    if (o.loss == Loss::MeanSquaredError && (data.targetSize != model.outputs || data.targets.empty()))
        throw std::invalid_argument("MSE training needs targets with one value per model output");
    const auto start = std::chrono::steady_clock::now();
    const int batchSize = std::max(1, o.batchSize);
    const int maxChunks = (batchSize + kChunk - 1) / kChunk;
    std::vector<ChunkSlot> slots(maxChunks);
    for (auto& s : slots)
        s.grads = ParameterSet::zerosLike(model);
    ParameterSet total = ParameterSet::zerosLike(model);
    Adam adam(model, o.learningRate);
    // Threads pay off only when a chunk is big enough to outweigh the hand-over.
    const bool parallel = pool && double(model.multiplyAccumulates()) * kChunk > 2e5;

    std::vector<std::size_t> order(data.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(o.seed);
    TrainReport report;
    ModelSpec best = model;
    report.bestValidationScore = -std::numeric_limits<double>::infinity();
    int sinceBest = 0;
    const int ws = data.windowSize();
    std::vector<float> classWeights;
    if (o.balanceClasses && o.loss == Loss::SoftmaxCrossEntropy) {
        std::vector<std::size_t> counts(std::size_t(model.outputs), 0);
        for (int y : data.labels)
            ++counts[std::size_t(y)];
        int present = 0;
        for (std::size_t c : counts)
            present += c > 0;
        classWeights.resize(counts.size(), 0.0f);
        for (std::size_t c = 0; c < counts.size(); ++c)
            if (counts[c] > 0)
                classWeights[c] = float(double(data.size()) / (double(present) * double(counts[c])));
    }

    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        if (o.onEpochOrder)
            o.onEpochOrder(epoch, order);
        double epochLoss = 0;
        for (std::size_t b0 = 0; b0 < order.size(); b0 += batchSize) {
            if (o.shouldStop && o.shouldStop()) {
                report.stopped = true;
                break;
            }
            const int batch = int(std::min<std::size_t>(batchSize, order.size() - b0));
            const int chunks = (batch + kChunk - 1) / kChunk;
            auto runChunk = [&](int c) {
                ChunkSlot& s = slots[c];
                const int from = c * kChunk, n = std::min(kChunk, batch - from);
                std::vector<std::size_t> idx(order.begin() + b0 + from, order.begin() + b0 + from + n);
                s.input.resize(std::size_t(n) * ws);
                for (int k = 0; k < n; ++k)
                    std::copy(data.window(idx[k]), data.window(idx[k]) + ws, s.input.begin() + std::size_t(k) * ws);
                const Matrix& out = forward(model, s.input.data(), n, s.ws);
                Matrix grad;
                s.loss = lossGradient(out, data, idx, o.loss, batch, classWeights, float(o.labelSmoothing), grad);
                s.grads.setZero();
                backward(model, s.input.data(), s.ws, grad, s.grads);
            };
            if (parallel)
                pool->parallelFor(chunks, runChunk);
            else
                for (int c = 0; c < chunks; ++c)
                    runChunk(c);
            total.setZero();
            for (int c = 0; c < chunks; ++c) {
                total.add(slots[c].grads);
                epochLoss += slots[c].loss;
            }
            adam.step(model, total);
        }
        if (report.stopped)
            break;
        report.epochsRun = epoch;
        report.trainLoss.push_back(epochLoss / double(data.size()));
        if (o.onEpochWeights)
            o.onEpochWeights(epoch, model);
        double score = -epochLoss / double(data.size());
        if (validation.size() > 0)
            score = validationScore(model, validation, o.loss, pool);
        if (o.onEpoch)
            o.onEpoch(epoch, report.trainLoss.back(), score);
        if (score > report.bestValidationScore) {
            report.bestValidationScore = score;
            report.bestEpoch = epoch;
            best = model;
            sinceBest = 0;
        } else if (++sinceBest >= o.patience) {
            break;
        }
    }
    if (report.bestEpoch > 0)
        model = std::move(best);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

Matrix predictScores(const ModelSpec& model, const Dataset& d, ThreadPool* pool)
{
    constexpr int kPredictChunk = 64;
    const int ws = d.windowSize();
    if (ws != model.input.size())
        throw std::invalid_argument("model expects inputs of " + std::to_string(model.input.size()) +
                                    " values, the data has " + std::to_string(ws));
    Matrix scores(Eigen::Index(d.size()), model.outputs);
    const int chunks = int((d.size() + kPredictChunk - 1) / kPredictChunk);
    auto run = [&](int c) {
        const std::size_t from = std::size_t(c) * kPredictChunk;
        const int n = int(std::min<std::size_t>(kPredictChunk, d.size() - from));
        Workspace w;
        const Matrix& out = forward(model, d.window(from), n, w);
        scores.middleRows(Eigen::Index(from), n) = out;
    };
    if (pool && double(model.multiplyAccumulates()) * kPredictChunk > 2e5)
        pool->parallelFor(chunks, run);
    else
        for (int c = 0; c < chunks; ++c)
            run(c);
    return scores;
}

std::vector<int> argmaxRows(const Matrix& scores)
{
    std::vector<int> out(scores.rows());
    for (Eigen::Index r = 0; r < scores.rows(); ++r)
        scores.row(r).maxCoeff(&out[r]);
    return out;
}

std::vector<int> predictInt8(const ModelSpec& model, const Dataset& d, ThreadPool* pool)
{
    std::vector<int> out(d.size());
    const int parts = pool ? pool->size() * 4 : 1;
    auto run = [&](int p) {
        const std::size_t from = d.size() * p / parts, to = d.size() * (p + 1) / parts;
        std::vector<std::int8_t> q(model.input.size());
        for (std::size_t i = from; i < to; ++i) {
            const float* x = d.window(i);
            for (int k = 0; k < model.input.size(); ++k)
                q[k] = quantizeInput(x[k], model.inputQuant);
            const auto y = runInt8(model, q.data());
            out[i] = int(std::max_element(y.begin(), y.end()) - y.begin());
        }
    };
    if (pool)
        pool->parallelFor(parts, run);
    else
        run(0);
    return out;
}

} // namespace nesy::learn
