#include "Specs.h"

namespace nesy::builtin {

void addFeatures(BlockRegistry& r)
{
    // Each statistic is switched on or off on its own: together the switches are the symbolic
    // feature mask the search explores (definitions in docs/features.md).
    auto feature = [](const char* name, const char* title, const char* why) {
        ParamSpec p = boolParam(name, title, true, why);
        return p;
    };
    r.add({"features.statistics", "Statistical features", BlockCategory::Feature,
           "Computes hand-crafted features per channel of each window. Every feature can be switched on "
           "or off, and the switches can be searched: the search then chooses which features are worth "
           "their flash and latency on each board.",
           {port("window", PortType::Window, "windows to summarise")},
           {port("features", PortType::Features, "enabled features, per channel")},
           {feature("mean", "Mean", "Average of the window."),
            feature("iqr", "Interquartile range", "75th minus 25th percentile."),
            feature("max", "Maximum", "Largest sample."),
            feature("median", "Median", "Middle sample."),
            feature("variance", "Variance", "Spread around the mean."),
            feature("mad", "Mean absolute deviation", "Mean distance to the mean."),
            feature("abs_energy", "Absolute energy", "Sum of squares."),
            feature("entropy", "Entropy", "Shannon entropy of the value histogram."),
            feature("peak_to_peak", "Peak-to-peak distance", "Maximum minus minimum."),
            feature("fft_mean", "FFT mean coefficients", "Mean magnitude in each of n frequency bins."),
            when(intParam("fft_bins", "FFT bins", 8, 1, 64, "Number of frequency bins."), "fft_mean", {true}),
            feature("fundamental_frequency", "Fundamental frequency", "Frequency of the strongest peak."),
            feature("max_power", "Max power spectrum", "Power of the strongest frequency."),
            intParam("tail_rows", "Tail (samples)", 0, 0, 4095,
                     "0: features of the whole window. N: the same features again over the window's last N "
                     "samples, appended, so one model reads the long window's slow context and its recent part "
                     "(less than the window; docs/features.md).")}});

    r.add({"features.magnitude", "Vector magnitudes", BlockCategory::Feature,
           "Replaces the three accelerometer axes by |acc| and the three gyroscope axes by |gyro|: "
           "orientation-free signals for the tiniest models. With keep_axes the magnitudes are appended "
           "to the six axes instead (8 channels), so one model reads both.",
           {port("window", PortType::Window, "6-channel windows")},
           {port("window", PortType::Window, "2-channel windows (8 with keep_axes)")},
           {boolParam("keep_axes", "Keep the axes", false,
                      "Append |acc| and |gyro| to the six axes instead of replacing them: on the earable data "
                      "the features of all eight channels beat either set alone (docs/learning.md).")}});
}

} // namespace nesy::builtin
