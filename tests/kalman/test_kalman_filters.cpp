// Linear KF against closed forms; EKF with given Jacobians against numerical ones.
#include "kalman/ExtendedKalman.h"
#include "kalman/LinearKalman.h"
#include <QtTest>
#include <random>

using namespace nesy::kalman;

namespace {

Eigen::MatrixXd scalar(double v) { return Eigen::MatrixXd::Constant(1, 1, v); }
Eigen::VectorXd scalarVector(double v) { return Eigen::VectorXd::Constant(1, v); }

} // namespace

class TestKalmanFilters : public QObject {
    Q_OBJECT
private slots:
    void scalarConstantMatchesPosteriorInClosedForm()
    {
        // A constant observed n times: mean = (x0/P0 + sum z / r) / (1/P0 + n/r), var = 1 / (1/P0 + n/r).
        const double x0 = 1.0, P0 = 4.0, r = 0.25;
        const std::vector<double> z = {2.1, 1.7, 2.4, 1.9, 2.2, 2.0};
        LinearKalmanFilter kf(scalarVector(x0), scalar(P0));
        double sum = 0.0;
        for (std::size_t i = 0; i < z.size(); ++i) {
            kf.predict(scalar(1.0), scalar(0.0));
            kf.update(scalarVector(z[i]), scalar(1.0), scalar(r));
            sum += z[i];
            const double n = static_cast<double>(i + 1);
            const double info = 1.0 / P0 + n / r;
            QVERIFY(std::abs(kf.state()[0] - (x0 / P0 + sum / r) / info) < 1e-12);
            QVERIFY(std::abs(kf.covariance()(0, 0) - 1.0 / info) < 1e-12);
        }
    }

    void scalarRandomWalkReachesRiccatiFixedPoint()
    {
        // Predicted variance converges to (q + sqrt(q^2 + 4 q r)) / 2.
        const double q = 0.3, r = 2.0;
        LinearKalmanFilter kf(scalarVector(0.0), scalar(100.0));
        double predicted = 0.0;
        for (int k = 0; k < 200; ++k) {
            kf.predict(scalar(1.0), scalar(q));
            predicted = kf.covariance()(0, 0);
            kf.update(scalarVector(0.5), scalar(1.0), scalar(r));
        }
        QVERIFY(std::abs(predicted - (q + std::sqrt(q * q + 4 * q * r)) / 2) < 1e-10);
    }

    void constantVelocityTracksAndRejectsBadShapes()
    {
        const double dt = 0.1;
        LinearKalmanFilter kf(Eigen::VectorXd::Zero(2), Eigen::MatrixXd::Identity(2, 2) * 10);
        std::mt19937 rng(1);
        std::normal_distribution<double> noise(0.0, 0.5);
        Eigen::MatrixXd H(1, 2);
        H << 1, 0;
        for (int k = 1; k <= 300; ++k) {
            kf.predict(constantVelocityTransition(1, dt), constantVelocityProcessNoise(1, dt, 1e-4));
            kf.update(scalarVector(2.0 * k * dt + noise(rng)), H, scalar(0.25));
        }
        QVERIFY(std::abs(kf.state()[1] - 2.0) < 0.1); // the velocity is estimated from positions alone
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kf.predict(Eigen::MatrixXd::Identity(3, 3), scalar(0)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kf.update(scalarVector(1), scalar(1), scalar(1)));
    }

    void numericalJacobianMatchesAnalytic()
    {
        VectorFunction f = [](const Eigen::VectorXd& x) {
            Eigen::VectorXd y(2);
            y << std::sin(x[0]) * x[1], x[0] * x[0] + std::exp(x[1]);
            return y;
        };
        Eigen::VectorXd x(2);
        x << 0.7, -1.3;
        Eigen::MatrixXd expected(2, 2);
        expected << std::cos(x[0]) * x[1], std::sin(x[0]), 2 * x[0], std::exp(x[1]);
        QVERIFY((numericalJacobian(f, x) - expected).cwiseAbs().maxCoeff() < 1e-8);
    }

    void ekfWithNumericalJacobiansMatchesGivenJacobians()
    {
        // Range-and-bearing tracking of a turning unicycle: both EKFs must agree step by step.
        const double dt = 0.05;
        VectorFunction f = [&](const Eigen::VectorXd& x) {
            Eigen::VectorXd n(4);
            n << x[0] + x[2] * std::cos(x[3]) * dt, x[1] + x[2] * std::sin(x[3]) * dt, x[2], x[3] + 0.2 * dt;
            return n;
        };
        JacobianFunction F = [&](const Eigen::VectorXd& x) {
            Eigen::MatrixXd J = Eigen::MatrixXd::Identity(4, 4);
            J(0, 2) = std::cos(x[3]) * dt;
            J(0, 3) = -x[2] * std::sin(x[3]) * dt;
            J(1, 2) = std::sin(x[3]) * dt;
            J(1, 3) = x[2] * std::cos(x[3]) * dt;
            return J;
        };
        VectorFunction h = [](const Eigen::VectorXd& x) {
            Eigen::VectorXd z(2);
            z << std::hypot(x[0], x[1]), std::atan2(x[1], x[0]);
            return z;
        };
        JacobianFunction Hj = [](const Eigen::VectorXd& x) {
            const double r2 = x[0] * x[0] + x[1] * x[1], r = std::sqrt(r2);
            Eigen::MatrixXd J = Eigen::MatrixXd::Zero(2, 4);
            J << x[0] / r, x[1] / r, 0, 0, -x[1] / r2, x[0] / r2, 0, 0;
            return J;
        };
        Eigen::VectorXd x0(4);
        x0 << 10, 5, 1, 0.3;
        for (int k = 0; k < 5; ++k) { // the given Jacobians are right where we use them
            Eigen::VectorXd x = x0 + Eigen::VectorXd::Constant(4, 0.1 * k);
            QVERIFY((F(x) - numericalJacobian(f, x)).cwiseAbs().maxCoeff() < 1e-7);
            QVERIFY((Hj(x) - numericalJacobian(h, x)).cwiseAbs().maxCoeff() < 1e-7);
        }
        const Eigen::MatrixXd Q = Eigen::MatrixXd::Identity(4, 4) * 1e-3;
        Eigen::MatrixXd R(2, 2);
        R << 0.04, 0, 0, 1e-4;
        ExtendedKalmanFilter given(x0, Eigen::MatrixXd::Identity(4, 4));
        ExtendedKalmanFilter numeric(x0, Eigen::MatrixXd::Identity(4, 4));
        Eigen::VectorXd truth = x0;
        truth[2] = 1.2;
        for (int k = 0; k < 100; ++k) {
            truth = f(truth);
            given.predict(f, F, Q);
            numeric.predict(f, {}, Q);
            given.update(h(truth), h, Hj, R);
            numeric.update(h(truth), h, {}, R);
            QVERIFY((given.state() - numeric.state()).norm() < 1e-6);
        }
        QVERIFY((given.state().head<2>() - truth.head<2>()).norm() < 0.2);
    }
};

QTEST_APPLESS_MAIN(TestKalmanFilters)
#include "test_kalman_filters.moc"
