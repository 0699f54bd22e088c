// The Gaussian process: kernel and likelihood gradients, a hand-computed posterior, jitter fallback.
#include "search/BoundedMinimizer.h"
#include "search/GaussianProcess.h"
#include <QtTest>
#include <cmath>

using namespace nesy;

namespace {

GpHyper someHyper(int dims)
{
    GpHyper h;
    h.logLengths.resize(dims);
    for (int d = 0; d < dims; ++d)
        h.logLengths[d] = std::log(0.2 + 0.15 * d);
    h.logSignal = std::log(1.3);
    h.logNoise = std::log(0.01);
    return h;
}

double matern1(double r) { return (1 + std::sqrt(5.0) * r + 5.0 / 3.0 * r * r) * std::exp(-std::sqrt(5.0) * r); }

} // namespace

class TestSearchGp : public QObject {
    Q_OBJECT
private slots:
    void kernelMatchesTheFormula()
    {
        Eigen::MatrixXd A(1, 2), B(1, 2);
        A << 0.1, 0.7;
        B << 0.4, 0.2;
        GpHyper h = someHyper(2);
        double r = std::sqrt(std::pow(0.3 / std::exp(h.logLengths[0]), 2) + std::pow(0.5 / std::exp(h.logLengths[1]), 2));
        QVERIFY(std::abs(maternKernel(A, B, h)(0, 0) - 1.3 * matern1(r)) < 1e-12);
        QVERIFY(std::abs(maternKernel(A, A, h)(0, 0) - 1.3) < 1e-12);
    }

    void kernelGradientMatchesFiniteDifferences()
    {
        // The likelihood gradient is built from dK/dtheta; checking the kernel entry's derivative in
        // each log-parameter checks those pieces on their own.
        Eigen::MatrixXd A(1, 3), B(1, 3);
        A << 0.1, 0.5, 0.9;
        B << 0.3, 0.2, 0.6;
        GpHyper h = someHyper(3);
        const double sqrt5 = std::sqrt(5.0);
        Eigen::VectorXd theta = h.packed();
        double s2 = std::exp(h.logSignal);
        Eigen::VectorXd diff = (A - B).transpose();
        Eigen::VectorXd l = h.logLengths.array().exp();
        double r = (diff.array() / l.array()).matrix().norm();
        for (int j = 0; j < 4; ++j) {
            double eps = 1e-6;
            Eigen::VectorXd tp = theta, tm = theta;
            tp[j] += eps;
            tm[j] -= eps;
            double fd = (maternKernel(A, B, GpHyper::unpack(tp, 3))(0, 0) - maternKernel(A, B, GpHyper::unpack(tm, 3))(0, 0)) /
                        (2 * eps);
            double analytic = j < 3 ? s2 * 5.0 / 3.0 * (1 + sqrt5 * r) * std::exp(-sqrt5 * r) * std::pow(diff[j] / l[j], 2)
                                    : s2 * matern1(r);
            QVERIFY2(std::abs(fd - analytic) < 1e-6 * std::max(1.0, std::abs(analytic)),
                     qPrintable(QString("param %1: fd %2 analytic %3").arg(j).arg(fd).arg(analytic)));
        }
    }

    void likelihoodGradientMatchesFiniteDifferences()
    {
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> u(0, 1);
        Eigen::MatrixXd X(12, 3);
        Eigen::VectorXd y(12);
        for (int i = 0; i < 12; ++i) {
            for (int d = 0; d < 3; ++d)
                X(i, d) = u(rng);
            y[i] = std::sin(4 * X(i, 0)) + X(i, 1) * X(i, 2);
        }
        y = (y.array() - y.mean()) / std::sqrt((y.array() - y.mean()).square().mean());
        GpHyper h = someHyper(3);
        Eigen::VectorXd g;
        double lml = logMarginalLikelihood(X, y, h, &g);
        QVERIFY(std::isfinite(lml));
        QCOMPARE(int(g.size()), 5);
        Eigen::VectorXd theta = h.packed();
        for (int j = 0; j < 5; ++j) {
            double eps = 1e-5;
            Eigen::VectorXd tp = theta, tm = theta;
            tp[j] += eps;
            tm[j] -= eps;
            double fd = (logMarginalLikelihood(X, y, GpHyper::unpack(tp, 3)) -
                         logMarginalLikelihood(X, y, GpHyper::unpack(tm, 3))) / (2 * eps);
            QVERIFY2(std::abs(fd - g[j]) < 1e-4 * std::max(1.0, std::abs(fd)),
                     qPrintable(QString("param %1: fd %2 analytic %3").arg(j).arg(fd).arg(g[j])));
        }
    }

    void posteriorMatchesHandComputedCase()
    {
        // Two observations in 1-D, l = 1, s2 = 1: the 2x2 system solved by hand.
        Eigen::MatrixXd X(2, 1);
        X << 0.0, 1.0;
        Eigen::VectorXd y(2);
        y << 1.0, -1.0; // already standardised (mean 0, variance 1)
        GpHyper h;
        h.logLengths = Eigen::VectorXd::Zero(1);
        h.logSignal = 0;
        h.logNoise = std::log(1e-4);
        GaussianProcess gp;
        gp.condition(X, y, h);
        Eigen::MatrixXd xs(1, 1);
        xs << 0.25;
        Eigen::VectorXd mean, sd;
        gp.predict(xs, mean, sd);
        double n = 1e-4 + gp.jitterUsed(), m1 = matern1(1.0), ka = matern1(0.25), kb = matern1(0.75);
        double det = (1 + n) * (1 + n) - m1 * m1;
        // K^-1 = [[1+n, -m1], [-m1, 1+n]] / det
        double a0 = ((1 + n) * 1 - m1 * -1) / det, a1 = (-m1 * 1 + (1 + n) * -1) / det;
        double expectedMean = ka * a0 + kb * a1;
        double quad = ((1 + n) * (ka * ka + kb * kb) - 2 * m1 * ka * kb) / det;
        double expectedSd = std::sqrt(1 - quad);
        QVERIFY2(std::abs(mean[0] - expectedMean) < 1e-9, qPrintable(QString::number(mean[0] - expectedMean)));
        QVERIFY2(std::abs(sd[0] - expectedSd) < 1e-7, qPrintable(QString::number(sd[0] - expectedSd)));
        // At an observation the mean is (nearly) the observed value.
        xs << 0.0;
        gp.predict(xs, mean, sd);
        QVERIFY(std::abs(mean[0] - 1.0) < 1e-3);
    }

    void choleskyFallsBackToJitter()
    {
        Eigen::MatrixXd K = Eigen::MatrixXd::Ones(3, 3); // rank one: no plain Cholesky factor
        K(2, 2) = 1 - 1e-9;
        Eigen::MatrixXd L;
        double jitter = 0;
        QVERIFY(choleskyWithJitter(K, L, jitter));
        QVERIFY(jitter > 0);
        QVERIFY(((L * L.transpose()) - K).norm() < 1e-3);
        // The GP conditions on duplicated points without noise through the same fallback.
        Eigen::MatrixXd X(3, 1);
        X << 0.5, 0.5, 0.5;
        Eigen::VectorXd y(3);
        y << 1, 2, 3;
        GpHyper h;
        h.logLengths = Eigen::VectorXd::Zero(1);
        h.logNoise = std::log(1e-300);
        GaussianProcess gp;
        gp.condition(X, y, h);
        QVERIFY(gp.jitterUsed() > 0);
    }

    void fitRecoversALengthScaleAndImprovesTheLikelihood()
    {
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<double> u(0, 1);
        Eigen::MatrixXd X(30, 2);
        Eigen::VectorXd y(30);
        for (int i = 0; i < 30; ++i) {
            X(i, 0) = u(rng);
            X(i, 1) = u(rng);
            y[i] = std::sin(6 * X(i, 0)); // the second dimension is irrelevant
        }
        GaussianProcess gp;
        gp.fit(X, y, rng);
        const auto& h = gp.hyper();
        QVERIFY2(h.logLengths[1] > h.logLengths[0] + 1,
                 qPrintable(QString("lengths %1 %2").arg(std::exp(h.logLengths[0])).arg(std::exp(h.logLengths[1]))));
        Eigen::VectorXd ys = (y.array() - y.mean()) / std::sqrt((y.array() - y.mean()).square().mean());
        GpHyper neutral = h;
        neutral.logLengths.setConstant(std::log(0.3));
        QVERIFY(logMarginalLikelihood(X, ys, h) > logMarginalLikelihood(X, ys, neutral));
    }

    void boundedMinimizerStaysInTheBox()
    {
        // min (x-2)^2 + (y+1)^2 over [0,1]^2 is at (1, 0).
        auto f = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
            g.resize(2);
            g << 2 * (x[0] - 2), 2 * (x[1] + 1);
            return std::pow(x[0] - 2, 2) + std::pow(x[1] + 1, 2);
        };
        auto r = minimizeInBox(f, Eigen::Vector2d(0.5, 0.5), Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 50);
        QVERIFY(std::abs(r.x[0] - 1) < 1e-9 && std::abs(r.x[1]) < 1e-9);
    }
};

QTEST_APPLESS_MAIN(TestSearchGp)
#include "test_search_gp.moc"
