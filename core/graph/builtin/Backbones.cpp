#include "Specs.h"

namespace nesy::builtin {

namespace {
// Training settings shared by every backbone.
void addTraining(BlockType& t)
{
    t.params.push_back(intParam("epochs", "Epochs", 30, 1, 1000, "Maximum passes over the training set."));
    t.params.push_back(realParam("learning_rate", "Learning rate", 3e-3, 1e-5, 1e-1, "Adam step size.", true));
    t.params.push_back(choiceParam("batch_size", "Batch size", 32, {8, 16, 32, 64, 128}, "Windows per step.", true));
    t.params.push_back(intParam("patience", "Early-stop patience", 5, 1, 100,
                                "Epochs without validation improvement before stopping."));
    t.params.push_back(intParam("seed", "Seed", 1, 0, 1000000,
                                "Seed of the initial weights and batch order; same seed, same model."));
    t.params.push_back(choiceParam("precision", "Deployed precision", "int8", {"float32", "int8"},
                                   "int8 uses post-training quantization: 4x smaller weights."));
}
} // namespace

void addBackbones(BlockRegistry& r)
{
    BlockType mlp{"backbone.mlp", "Multilayer perceptron", BlockCategory::Backbone,
                  "Fully connected layers with ReLU. Small and fast on feature vectors.",
                  {port("input", PortType::Features, "feature vector (windows are flattened)")},
                  {port("scores", PortType::ClassScores, "one score per class")},
                  {intParam("layers", "Hidden layers", 1, 0, 4, "Number of hidden layers."),
                   intParam("units", "Units per layer", 32, 2, 512, "Width of each hidden layer.")}};
    addTraining(mlp);
    r.add(mlp);

    BlockType cnn{"backbone.cnn1d", "1D convolutional network", BlockCategory::Backbone,
                  "Stacked 1D convolutions with ReLU and max pooling, then global average pooling and a "
                  "dense classifier.",
                  {port("window", PortType::Window, "windows [samples x channels], or a feature vector read as one channel")},
                  {port("scores", PortType::ClassScores, "one score per class")},
                  {intParam("layers", "Convolution layers", 2, 1, 6, "Number of convolution layers."),
                   intParam("filters", "Filters", 16, 2, 128, "Filters per layer."),
                   intParam("kernel", "Kernel size", 5, 2, 15, "Taps of each convolution."),
                   intParam("pool", "Pool size", 2, 1, 4, "Max-pooling factor after each layer (1: none).")}};
    addTraining(cnn);
    r.add(cnn);

    BlockType tcn{"backbone.tcn", "Temporal convolutional network", BlockCategory::Backbone,
                  "Residual blocks of dilated causal convolutions: a long receptive field with few "
                  "weights. The dilation list is itself searchable (an increasing subset of powers of two).",
                  {port("window", PortType::Window, "windows [samples x channels], or a feature vector read as one channel")},
                  {port("scores", PortType::ClassScores, "one score per class")},
                  {intParam("filters", "Filters", 16, 3, 63, "Filters per convolution."),
                   intParam("kernel", "Kernel size", 5, 3, 15, "Taps of each convolution."),
                   intParam("stacks", "Stacks", 1, 1, 3, "Repetitions of the dilation list."),
                   {"dilations", "Dilations", Value::array({1, 2, 4, 8}),
                    Domain::subset({1, 2, 4, 8, 16, 32, 64, 128}, 1, 8),
                    Domain::subset({1, 2, 4, 8, 16, 32, 64, 128}, 3, 8), std::nullopt,
                    "Dilation of each residual block, increasing."},
                   boolParam("skip", "Skip connections", false, "Sum every block's output into the head."),
                   choiceParam("head", "Head", "average", {"average", "flatten"},
                               "Average the last sequence over time (windows), or flatten it into the output "
                               "layer (a feature vector read as a sequence, where each position is one feature).")}};
    addTraining(tcn);
    r.add(tcn);
}

} // namespace nesy::builtin
