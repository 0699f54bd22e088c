// Neural-Kalman filter: the network Jacobian and the process model's chain rule against finite
// differences, the covariance propagation formula, and a filtered trajectory beating GPS alone.
#include "kalman/ExtendedKalman.h"
#include "kalman/GroundRobotFilters.h"
#include "kalman/LinearProcessNetwork.h"
#include <QtTest>
#include <random>

using namespace nesy;
using namespace nesy::kalman;

namespace {

// An analytic one-hidden-layer tanh network, y = W2 tanh(W1 u + b1) + b2, standing in for a trained
// MLP: its Jacobian W2 diag(1 - tanh^2) W1 is what backpropagation computes.
class TanhNetwork : public ProcessNetwork {
public:
    TanhNetwork(Eigen::Index in, Eigen::Index hidden, Eigen::Index out, unsigned seed)
    {
        std::mt19937 rng(seed);
        std::normal_distribution<double> n(0, 0.5);
        auto random = [&](Eigen::Index r, Eigen::Index c) {
            return Eigen::MatrixXd(Eigen::MatrixXd::NullaryExpr(r, c, [&] { return n(rng); }));
        };
        W1_ = random(hidden, in);
        b1_ = random(hidden, 1);
        W2_ = random(out, hidden);
        b2_ = random(out, 1);
    }
    Eigen::Index inputSize() const override { return W1_.cols(); }
    Eigen::Index outputSize() const override { return W2_.rows(); }
    Eigen::VectorXd output(const Eigen::VectorXd& u) const override
    {
        return W2_ * (W1_ * u + b1_).array().tanh().matrix() + b2_;
    }
    Eigen::MatrixXd jacobian(const Eigen::VectorXd& u) const override
    {
        const Eigen::ArrayXd t = (W1_ * u + b1_).array().tanh();
        return W2_ * (1.0 - t.square()).matrix().asDiagonal() * W1_;
    }

private:
    Eigen::MatrixXd W1_, W2_;
    Eigen::VectorXd b1_, b2_;
};

VectorFunction outputOf(const ProcessNetwork& net)
{
    return [&net](const Eigen::VectorXd& u) { return net.output(u); };
}

Eigen::VectorXd randomVector(Eigen::Index n, unsigned seed, double scale)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> d(0, scale);
    return Eigen::VectorXd::NullaryExpr(n, [&] { return d(rng); });
}

} // namespace

class TestKalmanNeural : public QObject {
    Q_OBJECT
private slots:
    void networkJacobianMatchesFiniteDifferences()
    {
        TanhNetwork net(8, 12, 2, 5);
        for (unsigned s = 0; s < 5; ++s) {
            const Eigen::VectorXd u = randomVector(8, s, 1.0);
            QVERIFY((net.jacobian(u) - numericalJacobian(outputOf(net), u)).cwiseAbs().maxCoeff() < 1e-7);
        }
    }

    void windowFeatureJacobianMatchesFiniteDifferences()
    {
        const WindowFeatures f(6, 4);
        const Eigen::VectorXd w = randomVector(24, 2, 2.0);
        const Eigen::MatrixXd numeric =
            numericalJacobian([&](const Eigen::VectorXd& x) { return f.features(x); }, w);
        QVERIFY((f.jacobian(w) - numeric).cwiseAbs().maxCoeff() < 1e-7);
        QCOMPARE(f.features(w).size(), Eigen::Index(8));
    }

    void processJacobianChainsNetworkFeaturesAndHeading()
    {
        TanhNetwork net(8, 10, 2, 7);
        const BodyVelocityProcess g(net, WindowFeatures(10, 4), 0.1);
        Eigen::VectorXd u(41);
        u << randomVector(40, 3, 1.0), 0.8; // window, heading
        const Eigen::MatrixXd numeric = numericalJacobian(outputOf(g), u);
        QVERIFY((g.jacobian(u) - numeric).cwiseAbs().maxCoeff() < 1e-7);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BodyVelocityProcess(net, WindowFeatures(10, 3), 0.1));
    }

    void predictionFollowsTheNeuralKalmanEquations()
    {
        TanhNetwork net(3, 6, 4, 11);
        Eigen::MatrixXd A = Eigen::MatrixXd::Identity(4, 4);
        A(0, 2) = A(1, 3) = 0.5;
        Eigen::VectorXd x0 = randomVector(4, 1, 1.0);
        Eigen::MatrixXd P0 = Eigen::MatrixXd::Identity(4, 4) * 0.3;
        P0(0, 1) = P0(1, 0) = 0.1;
        const Eigen::VectorXd u = randomVector(3, 8, 1.0);
        const Eigen::Vector3d Udiag(0.01, 0.04, 0.09);
        const Eigen::MatrixXd Qm = Eigen::MatrixXd::Identity(4, 4) * 1e-3;

        NeuralKalmanFilter filter(x0, P0, A);
        filter.predictIndependent(net, u, Udiag, Qm);
        const Eigen::MatrixXd B = net.jacobian(u);
        QVERIFY((filter.state() - (A * x0 + net.output(u))).norm() < 1e-12);
        const Eigen::MatrixXd expectedP = A * P0 * A.transpose() + B * Eigen::MatrixXd(Udiag.asDiagonal()) * B.transpose() + Qm;
        QVERIFY((filter.covariance() - expectedP).cwiseAbs().maxCoeff() < 1e-12);

        NeuralKalmanFilter full(x0, P0, A);
        full.predict(net, u, Eigen::MatrixXd(Udiag.asDiagonal()), Qm);
        QVERIFY((full.covariance() - filter.covariance()).cwiseAbs().maxCoeff() < 1e-12);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, filter.predictIndependent(net, randomVector(2, 1, 1), Udiag, Qm));
    }

    void covarianceStaysSymmetricPositiveDefiniteOverLongRuns()
    {
        TanhNetwork net(8, 8, 2, 3);
        const BodyVelocityProcess g(net, WindowFeatures(5, 4), 0.05);
        NeuralKalmanFilter filter(Eigen::VectorXd::Zero(4), Eigen::MatrixXd::Identity(4, 4), BodyVelocityProcess::transition());
        Eigen::MatrixXd H = Eigen::MatrixXd::Zero(2, 4);
        H(0, 0) = H(1, 1) = 1;
        const Eigen::VectorXd variances = Eigen::VectorXd::Constant(21, 0.01);
        const Eigen::MatrixXd Qm = Eigen::MatrixXd::Identity(4, 4) * 1e-4;
        for (int k = 0; k < 3000; ++k) {
            Eigen::VectorXd u(21);
            u << randomVector(20, static_cast<unsigned>(k), 1.0), 0.001 * k;
            filter.predictIndependent(g, u, variances, Qm);
            if (k % 20 == 0) filter.update(filter.state().head<2>() + randomVector(2, k + 1u, 1.5), H, 2.25 * Eigen::Matrix2d::Identity());
            if (k % 500 == 0) {
                const Eigen::MatrixXd& P = filter.covariance();
                QVERIFY((P - P.transpose()).cwiseAbs().maxCoeff() < 1e-15);
                QVERIFY(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(P).eigenvalues().minCoeff() > 0);
            }
        }
    }

    void filteredTrajectoryBeatsGpsAlone()
    {
        // A linear network fitted to other seeds' windows is enough to beat raw GPS fixes.
        sim::GroundRobotConfig config;
        config.durationS = 40;
        VelocityWindows train;
        for (unsigned seed = 100; seed < 103; ++seed) train.append(velocityWindows(sim::simulateGroundRobot(config, seed), 100));
        const LinearProcessNetwork net = LinearProcessNetwork::fit(train.features, train.targets);
        NeuralKalmanSettings settings;
        settings.modelVelocitySigma = rmsError(net, train.features, train.targets);
        std::vector<double> gps, filtered;
        for (unsigned seed = 1; seed <= 2; ++seed) {
            const sim::GroundRobotTrajectory t = sim::simulateGroundRobot(config, seed);
            const auto g = gpsOnlyErrors(t);
            const auto f = neuralKalmanErrors(t, net, settings);
            QCOMPARE(g.size(), f.size());
            gps.insert(gps.end(), g.begin(), g.end());
            filtered.insert(filtered.end(), f.begin(), f.end());
        }
        QVERIFY2(median(filtered) < 0.75 * median(gps),
                 qPrintable(QString("neural-Kalman %1 m, GPS %2 m").arg(median(filtered)).arg(median(gps))));
        settings.windowSamples = 30; // does not divide the 100-sample GPS interval
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, neuralKalmanErrors(sim::simulateGroundRobot(config, 1), net, settings));
    }
};

QTEST_APPLESS_MAIN(TestKalmanNeural)
#include "test_kalman_neural.moc"
