#pragma once
// Readers of recordings on disk and the built-in generator. Malformed input raises DataError
// naming the file and line; nothing is skipped silently.
#include "Dataset.h"
#include <cstdint>
#include <filesystem>

namespace nesy::learn {

// How the rows of a file become samples at the target rate.
enum class Timing {
    Rows,       // rows are taken as evenly spaced samples at the target rate (window by count)
    // Linear interpolation on the time column onto a grid at the target rate. Rows arriving in a
    // burst (time stamps within half a period of the burst's first row) are first spread back from
    // the burst's last stamp one period apart (closer if the gap to the previous burst is shorter).
    Timestamps,
};

// The eSense earable folder: <subject>_<class>.csv, no header, acc_x,y,z (g), gyro_x,y,z (deg/s),
// time (s). Class suffixes W R J St Tl Tr Si L F. `magnitudes` gives |acc| and |gyro| instead of the axes.
struct EarableOptions {
    double rateHz = 100.0;
    Timing timing = Timing::Rows;
    bool magnitudes = false;
    std::vector<int> subjects; // empty: all
};
RecordingSet loadEarableFolder(const std::filesystem::path& folder, const EarableOptions& options = {});
// One earable file (subject and label given), for tests and tools.
Recording readEarableFile(const std::filesystem::path& file, const EarableOptions& options);

// Generic CSV with a header row. Every column other than label, subject and time is a numeric
// channel. Rows are grouped into recordings by consecutive (subject, label).
struct CsvOptions {
    std::string labelColumn = "label";
    std::string subjectColumn = "subject";
    std::string timeColumn = "time"; // may be absent when timing is Rows
    double rateHz = 50.0;
    Timing timing = Timing::Timestamps;
};
RecordingSet loadCsv(const std::filesystem::path& file, const CsvOptions& options = {});

// Simulated 6-axis IMU (acc in g, gyro in deg/s, like the earable data) of several people doing
// standing, sitting, lying, walking, running, jumping and falling. See docs/learning.md.
struct SyntheticImuOptions {
    int subjects = 12;
    double secondsPerActivity = 30.0;
    double rateHz = 50.0;
    std::uint64_t seed = 1;
};
RecordingSet generateSyntheticImu(const SyntheticImuOptions& options);

} // namespace nesy::learn
