#pragma once
// Forward and backward passes of a ModelSpec on a chunk of windows, in float32 on Eigen.
// Parameters live in the ModelSpec; a Workspace holds one chunk's activations so that several
// chunks can run on several threads at once.
#include "ModelSpec.h"
#include <Eigen/Core>
#include <vector>

namespace nesy::learn {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Gradients (or Adam moments) shaped like the model's parameters.
struct ParameterSet {
    std::vector<std::vector<float>> weights;
    std::vector<std::vector<float>> bias;
    static ParameterSet zerosLike(const ModelSpec& m);
    void setZero();
    void add(const ParameterSet& o);
};

struct Workspace {
    int batch = 0;
    std::vector<Matrix> outputs;  // per layer: [batch * length x channels]
    std::vector<Matrix> columns;  // Conv1D: im2col of the input [batch * length x kernel * in]
    std::vector<std::vector<int>> argmax; // MaxPool1D: source row of each output element
    std::vector<Matrix> gradients; // per layer: d loss / d output
};

// Runs the model on `batch` windows stored back to back; returns the last layer's output
// [batch x outputs] (also workspace.outputs.back()).
const Matrix& forward(const ModelSpec& m, const float* input, int batch, Workspace& ws);
// Back-propagates d loss / d output of the last layer ([batch x outputs]) from a forward pass on
// the same input, adding the parameter gradients into `grads`.
void backward(const ModelSpec& m, const float* input, Workspace& ws, const Matrix& outputGradient, ParameterSet& grads);
// d loss / d input as well (for gradient checks), [batch * length x channels].
Matrix backwardToInput(const ModelSpec& m, const float* input, Workspace& ws, const Matrix& outputGradient,
                       ParameterSet& grads);

} // namespace nesy::learn
