#include "Specs.h"

namespace nesy::builtin {

void addSources(BlockRegistry& r)
{
    r.add({"source.synthetic_imu", "Synthetic IMU activities", BlockCategory::Source,
           "Generates physically plausible 6-axis IMU recordings (gravity, gait rhythm per activity, the "
           "impact of a fall followed by lying, sensor noise) for several simulated people, then cuts them "
           "into windows. Needs no external data, so every project runs out of the box.",
           {},
           {port("windows", PortType::Window, "labelled windows [samples x 6 channels]")},
           {intParam("subjects", "Subjects", 12, 3, 200, "How many simulated people; splits are by person."),
            intParam("seconds_per_activity", "Seconds per activity", 30, 5, 600, "Recording length per person and activity."),
            intParam("rate_hz", "Sample rate (Hz)", 50, 10, 400, "Rate the windows are resampled to."),
            intParam("window", "Window (samples)", 100, 8, 4096, "Samples per window."),
            intParam("stride", "Stride (samples)", 50, 1, 4096, "Samples between window starts."),
            intParam("seed", "Seed", 1, 0, 1000000, "Seed of the generator; same seed, same data.")}});

    r.add({"source.earable", "Earable activity recordings", BlockCategory::Source,
           "Reads the eSense earable folder format (<subject>_<class>.csv, accelerometer in g, gyroscope in "
           "deg/s, jittered ~100 Hz timestamps), resamples to a fixed rate and cuts windows. Train, validation "
           "and test splits are by subject, never by window.",
           {},
           {port("windows", PortType::Window, "labelled windows [samples x channels]")},
           {textParam("dataset", "Dataset", "earable", "Id of a dataset reference of the project."),
            intParam("rate_hz", "Sample rate (Hz)", 100, 10, 400, "Rate the recordings are resampled to."),
            intParam("window", "Window (samples)", 550, 8, 4096, "Samples per window."),
            intParam("stride", "Stride (samples)", 50, 1, 4096, "Samples between window starts."),
            choiceParam("channels", "Channels", "imu6", {"imu6", "magnitudes"},
                        "Six raw axes, or |acc| and |gyro| for the tiniest models."),
            choiceParam("timing", "Timing", "rows", {"rows", "timestamps"},
                        "Rows as evenly spaced samples (window by count, as the upstream work), or linear "
                        "resampling on the jittered time stamps."),
            intParam("train_twists", "Twisted training copies", 0, 0, 16,
                     "Copies of every training window turned by a random angle about the sensor's z axis, the "
                     "axis an earbud twists about in the ear canal, so the model does not learn how each "
                     "person wore it. Validation and test windows are never turned. Needs the six axes."),
            textParam("train_subjects", "Training subjects", "1-24", "Subjects used for training."),
            textParam("validation_subjects", "Validation subjects", "25-30", "Subjects used for the search's error."),
            textParam("test_subjects", "Test subjects", "31-36", "Held-out subjects, reported, never searched on.")}});

    r.add({"source.csv", "CSV recordings", BlockCategory::Source,
           "Reads generic CSV with a header row: numeric channel columns plus named label, subject and "
           "time columns.",
           {},
           {port("windows", PortType::Window, "labelled windows [samples x channels]")},
           {textParam("dataset", "Dataset", "data", "Id of a dataset reference of the project."),
            textParam("label_column", "Label column", "label", "Column with the class name."),
            textParam("subject_column", "Subject column", "subject", "Column with the subject id."),
            textParam("time_column", "Time column", "time", "Column with the time stamp in seconds."),
            choiceParam("timing", "Timing", "timestamps", {"timestamps", "rows"},
                        "Resample on the time column, or take rows as evenly spaced samples."),
            intParam("rate_hz", "Sample rate (Hz)", 50, 1, 10000, "Rate the recordings are resampled to."),
            intParam("window", "Window (samples)", 100, 8, 4096, "Samples per window."),
            intParam("stride", "Stride (samples)", 50, 1, 4096, "Samples between window starts."),
            textParam("train_subjects", "Training subjects", "",
                      "Subjects used for training (e.g. 1-24); empty: the first 60% of the subjects."),
            textParam("validation_subjects", "Validation subjects", "", "Subjects used for the search's error."),
            textParam("test_subjects", "Test subjects", "", "Held-out subjects, reported, never searched on.")}});

    r.add({"source.ahrs", "IMU with orientation ground truth", BlockCategory::Source,
           "Streams accelerometer (m/s^2) and gyroscope (rad/s) samples with ground-truth orientation "
           "quaternions, for tuning orientation filters.",
           {},
           {port("imu", PortType::Signal, "accelerometer and gyroscope samples with ground truth")},
           {textParam("dataset", "Dataset", "ahrs", "Id of a dataset reference of the project."),
            intParam("rate_hz", "Sample rate (Hz)", 100, 1, 10000, "Rate of the recording.")}});

    r.add({"source.gps_ins_sim", "Ground-robot GPS/INS simulator", BlockCategory::Source,
           "Simulates a ground robot: smooth random trajectories, an IMU with noise from Allan-variance "
           "parameters and 1 Hz GPS fixes with 1.5 m noise. Seeded, so every run is reproducible.",
           {},
           {port("imu", PortType::Signal, "IMU samples with ground-truth pose"),
            port("gps", PortType::Signal, "GPS position fixes")},
           {intParam("trajectories", "Trajectories", 20, 1, 1000, "Number of simulated runs."),
            intParam("seconds", "Seconds per trajectory", 120, 10, 3600, "Length of each run."),
            intParam("imu_rate_hz", "IMU rate (Hz)", 100, 10, 1000, "IMU sample rate."),
            realParam("gps_rate_hz", "GPS rate (Hz)", 1.0, 0.1, 10.0, "GPS fix rate."),
            realParam("gps_sigma_m", "GPS noise (m)", 1.5, 0.1, 20.0, "Standard deviation of each GPS axis."),
            intParam("seed", "Seed", 1, 0, 1000000, "Seed of the simulator.")}});
}

} // namespace nesy::builtin
