#pragma once
// The learning engine's MLP as a neural-Kalman process network: inputs standardised with the
// training statistics, the float32 forward pass for g(u), and backpropagation to the input for
// the Jacobian B = dg/du. It lives in the learning engine (nesy_learn links nesy_kalman, not the
// other way round), so the project evaluator can run the kalman.neural block without a cycle.
#include "Architectures.h"
#include "Dataset.h"
#include "Trainer.h"
#include "kalman/NeuralKalman.h"

namespace nesy::kalman {

class MlpProcessNetwork : public ProcessNetwork {
public:
    MlpProcessNetwork(learn::ModelSpec model, learn::Normalizer normalizer);

    Eigen::Index inputSize() const override { return model_.input.size(); }
    Eigen::Index outputSize() const override { return model_.outputs; }
    Eigen::VectorXd output(const Eigen::VectorXd& u) const override;
    Eigen::MatrixXd jacobian(const Eigen::VectorXd& u) const override;

    const learn::ModelSpec& model() const { return model_; }
    const learn::Normalizer& normalizer() const { return normalizer_; }

private:
    std::vector<float> standardised(const Eigen::VectorXd& u) const;

    learn::ModelSpec model_;
    learn::Normalizer normalizer_;
};

struct TrainedVelocityNetwork {
    MlpProcessNetwork network;
    double validationRmse = 0.0; // m/s, the neural-Kalman filter's model noise
    learn::TrainReport report;
};

// Trains an MLP on rows of inputs -> targets (MSE), standardising inputs with the training rows'
// statistics; the validation rows pick the best epoch and give the RMSE.
TrainedVelocityNetwork trainVelocityMlp(const Eigen::MatrixXd& trainInputs, const Eigen::MatrixXd& trainTargets,
                                        const Eigen::MatrixXd& validationInputs,
                                        const Eigen::MatrixXd& validationTargets, const learn::MlpConfig& config,
                                        learn::TrainOptions options);

} // namespace nesy::kalman
