#pragma once
// Mini-batch training with Adam and early stopping on the validation split. Deterministic for a
// seed: batches are cut into fixed chunks of windows whose gradients are summed in chunk order,
// whatever the number of threads.
#include "Dataset.h"
#include "ModelSpec.h"
#include "Network.h"
#include "ThreadPool.h"
#include <cstdint>
#include <functional>
#include <vector>

namespace nesy::learn {

enum class Loss {
    SoftmaxCrossEntropy, // classification on the labels; validation score = accuracy
    MeanSquaredError,    // regression on Dataset::targets; validation score = -RMSE
};

struct TrainOptions {
    int epochs = 30;
    int batchSize = 32;
    double learningRate = 3e-3;
    int patience = 5; // epochs without a better validation score before stopping
    std::uint64_t seed = 1;
    Loss loss = Loss::SoftmaxCrossEntropy;
    // Weights each window's loss by n / (classes * windows of its class) so that every class
    // weighs the same in the gradient, however many windows its recordings gave.
    bool balanceClasses = false;
    // Label smoothing e: the cross-entropy target is (1 - e) on the true class plus e / classes on
    // every class, so the model is not pushed towards overconfident logits (0: plain one-hot).
    double labelSmoothing = 0.0;
    std::function<bool()> shouldStop; // polled between batches
    std::function<void(int epoch, double trainLoss, double validationScore)> onEpoch;
    // Each epoch's visiting order (indices into the training set), given before its batches run:
    // batches are consecutive runs of batchSize windows of it. Lets another trainer replay the
    // same batches (bench_training feeds it to PyTorch).
    std::function<void(int epoch, const std::vector<std::size_t>& order)> onEpochOrder;
    // The weights as they are at the end of each epoch (not the kept ones), e.g. to follow how far
    // another trainer's weights drift from them.
    std::function<void(int epoch, const ModelSpec& model)> onEpochWeights;
};

struct TrainReport {
    int epochsRun = 0;
    int bestEpoch = 0;             // 1-based epoch whose weights are kept
    double bestValidationScore = 0;
    bool stopped = false;          // shouldStop() asked to stop
    double seconds = 0;
    std::vector<double> trainLoss; // mean loss per epoch
};

// Trains `model` in place; with a non-empty validation set the weights of the best validation
// epoch are kept, without one those of the epoch with the lowest mean training loss (the loss of
// every window as its batch met it, summed over the epoch and divided by the windows). `pool` may be null (single thread).
TrainReport train(ModelSpec& model, const Dataset& train, const Dataset& validation, const TrainOptions& options,
                  ThreadPool* pool);

// The model's float outputs for every window of `d`: [d.size() x outputs].
Matrix predictScores(const ModelSpec& model, const Dataset& d, ThreadPool* pool);
std::vector<int> argmaxRows(const Matrix& scores);
// The int8 reference inference's class for every window (the model must be quantized).
std::vector<int> predictInt8(const ModelSpec& model, const Dataset& d, ThreadPool* pool);

} // namespace nesy::learn
