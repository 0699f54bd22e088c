#include "Loaders.h"
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>

namespace nesy::learn {

namespace {

std::string where(const std::filesystem::path& file, std::size_t line)
{
    return file.string() + ":" + std::to_string(line);
}

std::vector<std::string> splitFields(const std::string& line)
{
    std::vector<std::string> fields;
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = line.find(',', pos);
        std::string f = line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        while (!f.empty() && (f.back() == '\r' || f.back() == ' ' || f.back() == '\t'))
            f.pop_back();
        std::size_t lead = 0;
        while (lead < f.size() && (f[lead] == ' ' || f[lead] == '\t'))
            ++lead;
        fields.push_back(f.substr(lead));
        if (comma == std::string::npos)
            break;
        pos = comma + 1;
    }
    return fields;
}

double parseNumber(const std::string& field, const std::filesystem::path& file, std::size_t line, std::size_t column)
{
    double v = 0.0;
    const char* begin = field.data();
    const char* end = begin + field.size();
    if (begin != end && *begin == '+')
        ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, v);
    if (field.empty() || ec != std::errc() || ptr != end || !std::isfinite(v))
        throw DataError(where(file, line) + ": column " + std::to_string(column + 1) + ": \"" + field +
                        "\" is not a number");
    return v;
}

std::ifstream openOrThrow(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in)
        throw DataError(file.string() + ": cannot open the file (missing or unreadable)");
    return in;
}

// When each row was sampled. Wireless sensors deliver rows in bursts that share (almost) one
// arrival time stamp: the rows of a burst (time stamps within half a period of its first row) are
// spread back from its last time stamp one period apart, or closer when the gap since the previous
// burst is too short for that. Evenly spaced time stamps come back unchanged; lost bursts stay as
// gaps (bridged by the interpolation).
std::vector<double> sampleTimes(const std::vector<double>& times, double rateHz)
{
    const std::size_t n = times.size();
    const double period = 1.0 / rateHz;
    std::vector<double> out(n);
    for (std::size_t first = 0; first < n;) {
        std::size_t last = first;
        while (last + 1 < n && times[last + 1] - times[first] < 0.5 * period)
            ++last;
        const double arrival = times[last];
        const double rows = double(last - first + 1);
        const double spacing = first == 0 ? period : std::min(period, (arrival - times[first - 1]) / rows);
        for (std::size_t r = first; r <= last; ++r)
            out[r] = arrival - double(last - r) * spacing;
        first = last + 1;
    }
    return out;
}

// Rows [n x channels] with times -> samples at `rateHz`.
std::vector<float> resample(const std::vector<float>& rows, const std::vector<double>& stamps, int channels,
                            double rateHz, Timing timing, int& lengthOut)
{
    const std::size_t n = stamps.size();
    if (timing == Timing::Rows || n < 2) {
        lengthOut = int(n);
        return rows;
    }
    const std::vector<double> times = sampleTimes(stamps, rateHz); // strictly increasing
    const double t0 = times.front(), t1 = times.back();
    const int length = int(std::floor((t1 - t0) * rateHz + 1e-9)) + 1;
    std::vector<float> out(std::size_t(length) * channels);
    std::size_t seg = 0;
    for (int i = 0; i < length; ++i) {
        const double t = t0 + i / rateHz;
        while (seg + 2 < n && times[seg + 1] <= t)
            ++seg;
        const double a = std::clamp((t - times[seg]) / (times[seg + 1] - times[seg]), 0.0, 1.0);
        for (int c = 0; c < channels; ++c)
            out[std::size_t(i) * channels + c] =
                float((1 - a) * rows[seg * channels + c] + a * rows[(seg + 1) * channels + c]);
    }
    lengthOut = length;
    return out;
}

const std::vector<std::string>& earableClassCodes()
{
    static const std::vector<std::string> codes{"W", "R", "J", "St", "Tl", "Tr", "Si", "L", "F"};
    return codes;
}
const std::vector<std::string>& earableClassNames()
{
    static const std::vector<std::string> names{"walking", "running", "jumping", "standing", "turning_left",
                                                "turning_right", "sitting", "lying", "falling"};
    return names;
}

} // namespace

Recording readEarableFile(const std::filesystem::path& file, const EarableOptions& options)
{
    std::ifstream in = openOrThrow(file);
    std::vector<float> rows;
    std::vector<double> times;
    std::string line;
    std::size_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const auto fields = splitFields(line);
        if (fields.size() != 7)
            throw DataError(where(file, lineNo) + ": expected 7 columns (acc x,y,z, gyro x,y,z, time), found " +
                            std::to_string(fields.size()));
        double v[7];
        for (int c = 0; c < 7; ++c)
            v[c] = parseNumber(fields[c], file, lineNo, c);
        if (!times.empty() && v[6] < times.back())
            throw DataError(where(file, lineNo) + ": time stamp " + fields[6] + " goes backwards");
        if (options.magnitudes) {
            rows.push_back(float(std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])));
            rows.push_back(float(std::sqrt(v[3] * v[3] + v[4] * v[4] + v[5] * v[5])));
        } else {
            for (int c = 0; c < 6; ++c)
                rows.push_back(float(v[c]));
        }
        times.push_back(v[6]);
    }
    if (times.empty())
        throw DataError(file.string() + ": the file holds no rows");
    Recording r;
    r.samples = resample(rows, times, options.magnitudes ? 2 : 6, options.rateHz, options.timing, r.length);
    return r;
}

RecordingSet loadEarableFolder(const std::filesystem::path& folder, const EarableOptions& options)
{
    if (!std::filesystem::is_directory(folder))
        throw DataError(folder.string() + ": not a folder (expected the earable-activity recordings)");
    RecordingSet set;
    set.classNames = earableClassNames();
    set.channelNames = options.magnitudes ? std::vector<std::string>{"acc_norm", "gyro_norm"}
                                          : std::vector<std::string>{"acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"};
    set.sampleRateHz = options.rateHz;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(folder))
        if (e.is_regular_file() && e.path().extension() == ".csv")
            files.push_back(e.path());
    std::sort(files.begin(), files.end()); // directory order is not stable across machines
    const auto& codes = earableClassCodes();
    for (const auto& f : files) {
        // <digits>_<letters>.csv
        const std::string stem = f.stem().string();
        const std::size_t underscore = stem.find('_');
        const std::string number = stem.substr(0, underscore);
        const std::string code = underscore == std::string::npos ? "" : stem.substr(underscore + 1);
        auto allOf = [](const std::string& t, int (*pred)(int)) {
            return !t.empty() && std::all_of(t.begin(), t.end(), [&](unsigned char c) { return pred(c) != 0; });
        };
        if (!allOf(number, &::isdigit) || !allOf(code, &::isalpha) || number.size() > 6)
            throw DataError(f.string() + ": file name is not <subject>_<class>.csv");
        const int subject = std::stoi(number);
        if (!options.subjects.empty() &&
            std::find(options.subjects.begin(), options.subjects.end(), subject) == options.subjects.end())
            continue;
        const auto it = std::find(codes.begin(), codes.end(), code);
        if (it == codes.end())
            throw DataError(f.string() + ": unknown class code \"" + code + "\" (expected W R J St Tl Tr Si L F)");
        Recording r = readEarableFile(f, options);
        r.subject = subject;
        r.label = int(it - codes.begin());
        set.recordings.push_back(std::move(r));
    }
    if (set.recordings.empty())
        throw DataError(folder.string() + ": no <subject>_<class>.csv recordings found");
    return set;
}

RecordingSet loadCsv(const std::filesystem::path& file, const CsvOptions& options)
{
    std::ifstream in = openOrThrow(file);
    std::string line;
    std::size_t lineNo = 0;
    std::vector<std::string> header;
    while (header.empty() && std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            header = splitFields(line);
    }
    if (header.empty())
        throw DataError(file.string() + ": empty file (expected a header row)");
    int labelCol = -1, subjectCol = -1, timeCol = -1;
    std::vector<int> channelCols;
    RecordingSet set;
    set.sampleRateHz = options.rateHz;
    for (int c = 0; c < int(header.size()); ++c) {
        if (header[c] == options.labelColumn)
            labelCol = c;
        else if (header[c] == options.subjectColumn)
            subjectCol = c;
        else if (header[c] == options.timeColumn)
            timeCol = c;
        else {
            channelCols.push_back(c);
            set.channelNames.push_back(header[c]);
        }
    }
    auto missing = [&](const std::string& what, const std::string& col) {
        return DataError(where(file, lineNo) + ": header has no " + what + " column \"" + col + "\"");
    };
    if (labelCol < 0)
        throw missing("label", options.labelColumn);
    if (subjectCol < 0)
        throw missing("subject", options.subjectColumn);
    if (timeCol < 0 && options.timing == Timing::Timestamps)
        throw missing("time", options.timeColumn);
    if (channelCols.empty())
        throw DataError(where(file, lineNo) + ": header has no channel columns");

    const int channels = int(channelCols.size());
    std::map<std::string, int> classIndex;
    struct Pending {
        int subject = 0;
        int label = -1;
        std::vector<float> rows;
        std::vector<double> times;
    } cur;
    auto flush = [&] {
        if (cur.times.empty())
            return;
        Recording r;
        r.subject = cur.subject;
        r.label = cur.label;
        r.samples = resample(cur.rows, cur.times, channels, options.rateHz, options.timing, r.length);
        set.recordings.push_back(std::move(r));
        cur.rows.clear();
        cur.times.clear();
    };
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const auto fields = splitFields(line);
        if (fields.size() != header.size())
            throw DataError(where(file, lineNo) + ": expected " + std::to_string(header.size()) +
                            " columns like the header, found " + std::to_string(fields.size()));
        const std::string& labelText = fields[labelCol];
        if (labelText.empty())
            throw DataError(where(file, lineNo) + ": empty label");
        auto [it, added] = classIndex.emplace(labelText, int(set.classNames.size()));
        if (added)
            set.classNames.push_back(labelText);
        const double subjectValue = parseNumber(fields[subjectCol], file, lineNo, subjectCol);
        if (subjectValue != std::floor(subjectValue))
            throw DataError(where(file, lineNo) + ": subject \"" + fields[subjectCol] + "\" is not an integer");
        const int subject = int(subjectValue);
        const double t = timeCol >= 0 ? parseNumber(fields[timeCol], file, lineNo, timeCol) : double(cur.times.size());
        if (subject != cur.subject || it->second != cur.label) {
            flush();
            cur.subject = subject;
            cur.label = it->second;
        } else if (!cur.times.empty() && t < cur.times.back()) {
            throw DataError(where(file, lineNo) + ": time " + fields[timeCol] + " goes backwards");
        }
        for (int c : channelCols)
            cur.rows.push_back(float(parseNumber(fields[c], file, lineNo, c)));
        cur.times.push_back(t);
    }
    flush();
    if (set.recordings.empty())
        throw DataError(file.string() + ": no data rows after the header");
    return set;
}

} // namespace nesy::learn
