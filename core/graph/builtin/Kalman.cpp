#include "Specs.h"

namespace nesy::builtin {

// Evaluated by core/kalman: linearKalmanRun (GroundRobotFilters.h), evaluateOrientationEkf (OrientationEkf.h),
// ekfGpsInsErrors and neuralKalmanErrors (GroundRobotFilters.h). docs/kalman.md has the equations.
void addKalman(BlockRegistry& r)
{
    r.add({"kalman.linear", "Linear Kalman filter", BlockCategory::Kalman,
           "Constant-velocity linear Kalman filter on the state [x, y, vx, vy], stepped from one GPS fix "
           "to the next and corrected by each. Its process and measurement noise are the things to "
           "search; the objective is the median position error on simulated runs.",
           {port("measurements", PortType::Signal, "position measurements (GPS fixes)")},
           {port("state", PortType::StateVector, "filtered state [x, y, vx, vy]")},
           {realParam("process_noise", "Process noise", 0.1, 1e-6, 100.0,
                      "White acceleration density (m^2/s^3): how far the constant velocity is trusted.", true),
            realParam("measurement_noise", "Measurement noise", 1.5, 1e-3, 100.0,
                      "Measurement standard deviation (m per axis).", true)}});

    r.add({"kalman.ekf", "EKF GPS/INS", BlockCategory::Kalman,
           "Extended Kalman filter on a ground vehicle's state [x, y, speed, heading]: the IMU's forward "
           "acceleration and yaw rate propagate it at the IMU rate, GPS fixes correct it. Process noise "
           "comes from the IMU's Allan-variance parameters plus the unmodelled acceleration.",
           {port("imu", PortType::Signal, "IMU samples"), port("gps", PortType::Signal, "GPS fixes")},
           {port("state", PortType::StateVector, "state [x, y, speed, heading]")},
           {realParam("unmodelled_acceleration", "Unmodelled acceleration", 0.3, 1e-3, 10.0,
                      "Std (m/s^2) of what the IMU model leaves out: vibration, wheel slip.", true),
            realParam("gps_sigma_m", "GPS noise (m)", 1.5, 0.1, 20.0, "GPS measurement standard deviation.")}});

    r.add({"kalman.orientation_ekf", "Orientation EKF", BlockCategory::Kalman,
           "Extended Kalman filter on a unit quaternion: gyroscope propagation, accelerometer "
           "correction. Its accelerometer and gyroscope noise are the usual things to search; the "
           "objective is the mean absolute azimuth plus elevation error in degrees.",
           {port("imu", PortType::Signal, "accelerometer and gyroscope samples")},
           {port("state", PortType::StateVector, "orientation quaternion w, x, y, z")},
           {realParam("acc_noise", "Accelerometer noise", 0.5, 1e-4, 1.0,
                      "Std of the normalised accelerometer (units of g): how far gravity is trusted."),
            realParam("gyro_noise", "Gyroscope noise", 0.3, 1e-4, 1.0, "Std of each gyroscope axis (rad/s).")}});

    r.add({"kalman.neural", "Neural-Kalman filter", BlockCategory::Kalman,
           "A Kalman filter whose process model is a network: x(k+1|k) = A x(k) + g(u), "
           "P(k+1|k) = A P A^T + B U B^T with B the network's Jacobian at the current input and U from "
           "the IMU's Allan-variance noise; GPS fixes correct the state. The network regresses the "
           "window's body velocity from IMU window features; the heading rotates it.",
           {port("imu", PortType::Signal, "IMU samples"), port("gps", PortType::Signal, "GPS fixes")},
           {port("state", PortType::StateVector, "state [x, y, vx, vy]")},
           {intParam("window", "IMU window (samples)", 100, 10, 1000,
                     "IMU samples the network sees per step; must divide the GPS interval (100 at 100 Hz IMU, 1 Hz GPS)."),
            choiceParam("velocity_model", "Velocity model", "mlp", {"mlp", "linear"},
                        "An MLP from the learning engine, or a least-squares linear map (no hidden layer)."),
            when(intParam("units", "Hidden units", 32, 4, 256, "Width of the velocity network."), "velocity_model", {"mlp"}),
            when(intParam("layers", "Hidden layers", 2, 1, 4, "Depth of the velocity network."), "velocity_model", {"mlp"}),
            when(intParam("epochs", "Epochs", 30, 1, 1000, "Training passes."), "velocity_model", {"mlp"}),
            realParam("gps_sigma_m", "GPS noise (m)", 1.5, 0.1, 20.0, "GPS measurement standard deviation.")}});
}

} // namespace nesy::builtin
