#pragma once
// Time-series data for learning: whole recordings, the windows cut from them, subject-wise splits
// and per-channel normalisation fitted on the training split only.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace nesy::learn {

// A loader's complaint about its input; the message names the file and line.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One continuous recording of one subject doing one labelled activity: samples x channels.
struct Recording {
    int subject = 0;
    int label = 0;
    int length = 0;
    std::vector<float> samples; // [length x channels], time-major
};

struct RecordingSet {
    std::vector<std::string> classNames;
    std::vector<std::string> channelNames;
    double sampleRateHz = 0.0;
    std::vector<Recording> recordings;
    int channels() const { return int(channelNames.size()); }
};

// Windows cut from recordings: windows x length x channels, with a label and a subject each.
struct Dataset {
    std::vector<std::string> classNames;
    std::vector<std::string> channelNames;
    double sampleRateHz = 0.0;
    int length = 0;   // samples per window (1 for feature vectors)
    int channels = 0; // values per sample
    std::vector<float> values;
    std::vector<int> labels;
    std::vector<int> subjects;
    // Regression targets (size() x targetSize), for the MSE head; empty for classification.
    std::vector<float> targets;
    int targetSize = 0;

    std::size_t size() const { return labels.size(); }
    int windowSize() const { return length * channels; }
    const float* window(std::size_t i) const { return values.data() + i * std::size_t(windowSize()); }
    float* window(std::size_t i) { return values.data() + i * std::size_t(windowSize()); }
    int classes() const { return int(classNames.size()); }

    Dataset emptyLike() const; // same metadata, no windows
    void append(const float* window, int label, int subject);
    Dataset select(const std::vector<std::size_t>& indices) const;
};

// The channels of `a` followed by those of `b` for each window: both must hold the same windows
// (labels, subjects, length). Throws std::invalid_argument naming the mismatch.
Dataset concatChannels(const Dataset& a, const Dataset& b);

// Cuts every recording into windows of `length` samples starting every `stride` samples
// (a recording shorter than one window gives none).
Dataset makeWindows(const RecordingSet& set, int length, int stride);

// Subjects by role. A subject listed in two roles is an error: splits are by person, never by window.
struct SubjectSplit {
    std::vector<int> train;
    std::vector<int> validation;
    std::vector<int> test;
    void check() const; // throws std::invalid_argument naming the subject in two roles
};
// "1-24,30,32-33" -> {1..24, 30, 32, 33}; throws std::invalid_argument naming the bad part.
std::vector<int> parseSubjectList(const std::string& text);
// First 60% of the sorted subjects train, next 20% validate, the rest test (at least one each
// when there are three or more subjects).
SubjectSplit proportionalSplit(std::vector<int> subjects);

struct SplitData {
    Dataset train;
    Dataset validation;
    Dataset test;
};
SplitData splitBySubject(const Dataset& all, const SubjectSplit& split);

// Per-channel affine normalisation x' = (x - mean[c]) / std[c], fitted on training data only.
struct Normalizer {
    std::vector<float> mean;
    std::vector<float> stddev;
    static Normalizer fit(const Dataset& train);
    void apply(Dataset& d) const;
};

} // namespace nesy::learn
