#include "MlpProcessNetwork.h"
#include "learn/Network.h"
#include <cmath>
#include <stdexcept>

namespace nesy::kalman {

MlpProcessNetwork::MlpProcessNetwork(learn::ModelSpec model, learn::Normalizer normalizer)
    : model_(std::move(model)), normalizer_(std::move(normalizer))
{
    if (model_.input.length != 1)
        throw std::invalid_argument("MLP process network: expects vector inputs (length 1), got length " +
                                    std::to_string(model_.input.length));
    if (normalizer_.mean.size() != static_cast<std::size_t>(model_.input.channels) ||
        normalizer_.stddev.size() != normalizer_.mean.size())
        throw std::invalid_argument("MLP process network: normaliser and model disagree on the input size");
}

std::vector<float> MlpProcessNetwork::standardised(const Eigen::VectorXd& u) const
{
    if (u.size() != inputSize())
        throw std::invalid_argument("MLP process network: input of size " + std::to_string(u.size()) + ", expected " +
                                    std::to_string(inputSize()));
    std::vector<float> x(static_cast<std::size_t>(u.size()));
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>((u[static_cast<Eigen::Index>(i)] - normalizer_.mean[i]) / normalizer_.stddev[i]);
    return x;
}

Eigen::VectorXd MlpProcessNetwork::output(const Eigen::VectorXd& u) const
{
    const std::vector<float> x = standardised(u);
    learn::Workspace ws;
    const learn::Matrix& y = learn::forward(model_, x.data(), 1, ws);
    return y.row(0).transpose().cast<double>();
}

Eigen::MatrixXd MlpProcessNetwork::jacobian(const Eigen::VectorXd& u) const
{
    const std::vector<float> x = standardised(u);
    Eigen::MatrixXd J(outputSize(), inputSize());
    learn::ParameterSet grads = learn::ParameterSet::zerosLike(model_);
    for (Eigen::Index o = 0; o < outputSize(); ++o) {
        // Backpropagating a unit gradient on output o gives row o of the Jacobian.
        learn::Workspace ws;
        learn::forward(model_, x.data(), 1, ws);
        learn::Matrix seed = learn::Matrix::Zero(1, outputSize());
        seed(0, o) = 1.0f;
        const learn::Matrix dx = learn::backwardToInput(model_, x.data(), ws, seed, grads);
        for (Eigen::Index i = 0; i < inputSize(); ++i)
            J(o, i) = static_cast<double>(dx(0, i)) / normalizer_.stddev[static_cast<std::size_t>(i)];
    }
    return J;
}

namespace {

learn::Dataset regressionSet(const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& targets)
{
    if (inputs.rows() != targets.rows() || inputs.rows() == 0)
        throw std::invalid_argument("velocity MLP: " + std::to_string(inputs.rows()) + " input rows for " +
                                    std::to_string(targets.rows()) + " target rows");
    learn::Dataset d;
    d.classNames = {"regression"};
    for (Eigen::Index c = 0; c < inputs.cols(); ++c) d.channelNames.push_back(std::string(1, 'f').append(std::to_string(c)));
    d.length = 1;
    d.channels = static_cast<int>(inputs.cols());
    d.targetSize = static_cast<int>(targets.cols());
    std::vector<float> row(static_cast<std::size_t>(inputs.cols()));
    for (Eigen::Index r = 0; r < inputs.rows(); ++r) {
        for (Eigen::Index c = 0; c < inputs.cols(); ++c) row[static_cast<std::size_t>(c)] = static_cast<float>(inputs(r, c));
        d.append(row.data(), 0, 0);
        for (Eigen::Index c = 0; c < targets.cols(); ++c) d.targets.push_back(static_cast<float>(targets(r, c)));
    }
    return d;
}

} // namespace

TrainedVelocityNetwork trainVelocityMlp(const Eigen::MatrixXd& trainInputs, const Eigen::MatrixXd& trainTargets,
                                        const Eigen::MatrixXd& validationInputs,
                                        const Eigen::MatrixXd& validationTargets, const learn::MlpConfig& config,
                                        learn::TrainOptions options)
{
    learn::Dataset train = regressionSet(trainInputs, trainTargets);
    learn::Dataset validation = regressionSet(validationInputs, validationTargets);
    const learn::Normalizer normalizer = learn::Normalizer::fit(train);
    normalizer.apply(train);
    normalizer.apply(validation);
    learn::ModelSpec model = learn::buildMlp({1, train.channels}, train.targetSize, config, options.seed);
    options.loss = learn::Loss::MeanSquaredError;
    learn::TrainReport report = learn::train(model, train, validation, options, nullptr);
    MlpProcessNetwork net(std::move(model), normalizer);
    double sum = 0.0;
    for (Eigen::Index r = 0; r < validationInputs.rows(); ++r)
        sum += (net.output(validationInputs.row(r).transpose()) - validationTargets.row(r).transpose()).squaredNorm();
    const double rmse = std::sqrt(sum / static_cast<double>(validationTargets.size()));
    return {std::move(net), rmse, std::move(report)};
}

} // namespace nesy::kalman
