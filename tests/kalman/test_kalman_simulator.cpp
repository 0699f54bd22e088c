// The ground-robot simulator: seeded determinism, consistent kinematics, GPS and IMU noise levels.
#include "kalman/GroundRobotFilters.h"
#include "sim/GroundRobotSimulator.h"
#include <QtTest>

using namespace nesy;

class TestKalmanSimulator : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameTrajectory()
    {
        sim::GroundRobotConfig c;
        c.durationS = 20;
        const auto a = sim::simulateGroundRobot(c, 42);
        const auto b = sim::simulateGroundRobot(c, 42);
        const auto other = sim::simulateGroundRobot(c, 43);
        QCOMPARE(a.imu, b.imu);
        QCOMPARE(a.position, b.position);
        QVERIFY((a.position - other.position).norm() > 1.0);
        QCOMPARE(a.size(), Eigen::Index(2001));
        QCOMPARE(a.gps.size(), std::size_t(21)); // 1 Hz, both ends included
    }

    void kinematicsAreConsistent()
    {
        sim::GroundRobotConfig c;
        c.durationS = 60;
        const auto t = sim::simulateGroundRobot(c, 5);
        const double dt = 1.0 / t.imuRateHz;
        for (Eigen::Index k = 0; k + 1 < t.size(); ++k) {
            // Position moves with the velocity; velocity points along the heading; speed is bounded.
            const Eigen::Vector2d step = (t.position.row(k + 1) - t.position.row(k)).transpose();
            const Eigen::Vector2d mean = 0.5 * (t.velocity.row(k) + t.velocity.row(k + 1)).transpose();
            QVERIFY((step - mean * dt).norm() < 1e-4);
            QVERIFY(std::abs(t.velocity(k, 0) * std::sin(t.heading[k]) - t.velocity(k, 1) * std::cos(t.heading[k])) < 1e-9);
            QVERIFY(t.speed[k] >= 0 && t.speed[k] <= c.maxSpeed + 1e-9);
        }
    }

    void gpsNoiseHasTheConfiguredSpread()
    {
        sim::GroundRobotConfig c;
        c.durationS = 2000;
        const auto t = sim::simulateGroundRobot(c, 8);
        double sum = 0;
        for (const auto& fix : t.gps) sum += (fix.position - t.position.row(fix.sample).transpose()).squaredNorm();
        const double sigma = std::sqrt(sum / (2.0 * static_cast<double>(t.gps.size())));
        QVERIFY2(std::abs(sigma - 1.5) < 0.1, qPrintable(QString::number(sigma)));
        // The median distance of a 2-D Gaussian fix is sigma * sqrt(2 ln 2) = 1.77 m.
        QVERIFY(std::abs(kalman::median(kalman::gpsOnlyErrors(t)) - 1.5 * std::sqrt(2 * std::log(2.0))) < 0.15);
    }

    void imuNoiseFollowsAllanWhiteNoise()
    {
        sim::GroundRobotConfig c;
        c.durationS = 100;
        c.maxSpeed = 0; // parked: the accelerometer sees gravity and noise only
        c.maxYawRate = 0;
        c.noise.acc = {0.004, 0.0, 0.0};
        c.noise.gyro = {0.001, 0.0, 0.0};
        const auto t = sim::simulateGroundRobot(c, 3);
        const Eigen::VectorXd ax = t.imu.col(0), gz = t.imu.col(5);
        const double accStd = std::sqrt((ax.array() - ax.mean()).square().mean());
        const double gyroStd = std::sqrt((gz.array() - gz.mean()).square().mean());
        QVERIFY(std::abs(accStd - 0.04) < 0.002);   // 0.004 / sqrt(Hz) at 100 Hz
        QVERIFY(std::abs(gyroStd - 0.01) < 0.0005);
        QVERIFY(std::abs(t.imu.col(2).mean() - 9.80665) < 0.01);
    }

    void rejectsBadConfig()
    {
        sim::GroundRobotConfig c;
        c.gpsRateHz = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sim::simulateGroundRobot(c, 1));
        c = {};
        c.segmentMaxS = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sim::simulateGroundRobot(c, 1));
    }
};

QTEST_APPLESS_MAIN(TestKalmanSimulator)
#include "test_kalman_simulator.moc"
