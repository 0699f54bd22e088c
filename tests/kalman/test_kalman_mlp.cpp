// The learning engine's MLP as the neural-Kalman process network: its backpropagated Jacobian
// against finite differences, and a trained velocity network beating GPS alone.
#include "kalman/GroundRobotFilters.h"
#include "learn/MlpProcessNetwork.h"
#include <QtTest>

using namespace nesy;
using namespace nesy::kalman;

namespace {

VelocityWindows windowsOf(unsigned firstSeed, unsigned runs, const sim::GroundRobotConfig& config)
{
    VelocityWindows all;
    for (unsigned seed = firstSeed; seed < firstSeed + runs; ++seed) all.append(velocityWindows(sim::simulateGroundRobot(config, seed), 100));
    return all;
}

} // namespace

class TestKalmanMlp : public QObject {
    Q_OBJECT
private slots:
    void trainedNetworkJacobianAndFilter()
    {
        sim::GroundRobotConfig config;
        config.durationS = 40;
        const VelocityWindows train = windowsOf(200, 8, config);
        const VelocityWindows validation = windowsOf(300, 2, config);
        learn::TrainOptions options;
        options.epochs = 40;
        options.patience = 10;
        options.learningRate = 3e-3;
        const TrainedVelocityNetwork trained = trainVelocityMlp(train.features, train.targets, validation.features,
                                                                validation.targets, {2, 16}, options);
        QVERIFY2(trained.validationRmse < 0.25, qPrintable(QString::number(trained.validationRmse)));

        // Backpropagated Jacobian vs central differences, each step a small fraction of the
        // feature's spread (features differ in scale by orders of magnitude; the net is float32).
        const Eigen::RowVectorXd spread =
            ((train.features.rowwise() - train.features.colwise().mean()).array().square().colwise().mean()).sqrt();
        for (Eigen::Index r = 0; r < 5; ++r) {
            const Eigen::VectorXd u = validation.features.row(r * 7).transpose();
            Eigen::MatrixXd numeric(2, u.size());
            for (Eigen::Index i = 0; i < u.size(); ++i) {
                const double h = 1e-3 * spread[i];
                Eigen::VectorXd up = u, down = u;
                up[i] += h;
                down[i] -= h;
                numeric.col(i) = (trained.network.output(up) - trained.network.output(down)) / (2 * h);
            }
            const Eigen::MatrixXd analytic = trained.network.jacobian(u);
            const double scale = std::max(1.0, analytic.cwiseAbs().maxCoeff());
            QVERIFY2((analytic - numeric).cwiseAbs().maxCoeff() < 2e-2 * scale,
                     qPrintable(QString("row %1: max difference %2").arg(r).arg((analytic - numeric).cwiseAbs().maxCoeff())));
        }

        NeuralKalmanSettings settings;
        settings.modelVelocitySigma = trained.validationRmse;
        std::vector<double> gps, filtered;
        for (unsigned seed = 1; seed <= 2; ++seed) {
            const sim::GroundRobotTrajectory t = sim::simulateGroundRobot(config, seed);
            const auto g = gpsOnlyErrors(t);
            const auto f = neuralKalmanErrors(t, trained.network, settings);
            gps.insert(gps.end(), g.begin(), g.end());
            filtered.insert(filtered.end(), f.begin(), f.end());
        }
        QVERIFY2(median(filtered) < median(gps),
                 qPrintable(QString("neural-Kalman %1 m, GPS %2 m").arg(median(filtered)).arg(median(gps))));
    }
};

QTEST_APPLESS_MAIN(TestKalmanMlp)
#include "test_kalman_mlp.moc"
