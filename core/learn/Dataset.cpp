#include "Dataset.h"
#include <algorithm>
#include <cmath>
#include <set>

namespace nesy::learn {

Dataset Dataset::emptyLike() const
{
    Dataset d;
    d.classNames = classNames;
    d.channelNames = channelNames;
    d.sampleRateHz = sampleRateHz;
    d.length = length;
    d.channels = channels;
    d.targetSize = targetSize;
    return d;
}

void Dataset::append(const float* w, int label, int subject)
{
    values.insert(values.end(), w, w + windowSize());
    labels.push_back(label);
    subjects.push_back(subject);
}

Dataset Dataset::select(const std::vector<std::size_t>& indices) const
{
    Dataset d = emptyLike();
    d.values.reserve(indices.size() * std::size_t(windowSize()));
    for (std::size_t i : indices) {
        d.append(window(i), labels[i], subjects[i]);
        if (!targets.empty())
            d.targets.insert(d.targets.end(), targets.begin() + i * targetSize, targets.begin() + (i + 1) * targetSize);
    }
    return d;
}

Dataset concatChannels(const Dataset& a, const Dataset& b)
{
    if (a.size() != b.size() || a.length != b.length || a.labels != b.labels || a.subjects != b.subjects)
        throw std::invalid_argument("concatChannels: the two datasets hold different windows (" +
                                    std::to_string(a.size()) + " x " + std::to_string(a.length) + " vs " +
                                    std::to_string(b.size()) + " x " + std::to_string(b.length) + ")");
    Dataset d = a.emptyLike();
    d.channels = a.channels + b.channels;
    d.channelNames.insert(d.channelNames.end(), b.channelNames.begin(), b.channelNames.end());
    d.labels = a.labels;
    d.subjects = a.subjects;
    d.targets = a.targets;
    const std::size_t samples = a.size() * std::size_t(a.length);
    d.values.resize(samples * std::size_t(d.channels));
    for (std::size_t i = 0; i < samples; ++i) {
        std::copy_n(a.values.data() + i * a.channels, a.channels, d.values.data() + i * d.channels);
        std::copy_n(b.values.data() + i * b.channels, b.channels, d.values.data() + i * d.channels + a.channels);
    }
    return d;
}

Dataset makeWindows(const RecordingSet& set, int length, int stride)
{
    if (length < 1 || stride < 1)
        throw std::invalid_argument("window length and stride must be positive");
    Dataset d;
    d.classNames = set.classNames;
    d.channelNames = set.channelNames;
    d.sampleRateHz = set.sampleRateHz;
    d.length = length;
    d.channels = set.channels();
    for (const Recording& r : set.recordings)
        for (int start = 0; start + length <= r.length; start += stride)
            d.append(r.samples.data() + std::size_t(start) * d.channels, r.label, r.subject);
    return d;
}

void SubjectSplit::check() const
{
    std::set<int> seen;
    for (const auto* role : {&train, &validation, &test})
        for (int s : *role)
            if (!seen.insert(s).second)
                throw std::invalid_argument("subject " + std::to_string(s) +
                                            " is in two splits; splits must be by subject");
}

std::vector<int> parseSubjectList(const std::string& text)
{
    std::vector<int> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t comma = text.find(',', pos);
        if (comma == std::string::npos)
            comma = text.size();
        std::string part = text.substr(pos, comma - pos);
        part.erase(std::remove_if(part.begin(), part.end(), [](unsigned char c) { return std::isspace(c); }), part.end());
        pos = comma + 1;
        if (part.empty())
            continue;
        try {
            std::size_t used = 0;
            const std::size_t dash = part.find('-', 1);
            if (dash == std::string::npos) {
                out.push_back(std::stoi(part, &used));
                if (used != part.size())
                    throw std::invalid_argument("");
            } else {
                const int lo = std::stoi(part.substr(0, dash), &used);
                const int hi = std::stoi(part.substr(dash + 1));
                if (lo > hi)
                    throw std::invalid_argument("");
                for (int s = lo; s <= hi; ++s)
                    out.push_back(s);
            }
        } catch (const std::exception&) {
            throw std::invalid_argument("subject list \"" + text + "\": cannot read \"" + part +
                                        "\" (expected a number or a range like 1-24)");
        }
    }
    return out;
}

SubjectSplit proportionalSplit(std::vector<int> subjects)
{
    std::sort(subjects.begin(), subjects.end());
    subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
    const int n = int(subjects.size());
    int nTrain = int(std::lround(0.6 * n));
    int nVal = int(std::lround(0.2 * n));
    if (n >= 3) {
        nVal = std::max(nVal, 1);
        nTrain = std::clamp(nTrain, 1, n - nVal - 1);
    }
    SubjectSplit s;
    for (int i = 0; i < n; ++i)
        (i < nTrain ? s.train : i < nTrain + nVal ? s.validation : s.test).push_back(subjects[i]);
    return s;
}

SplitData splitBySubject(const Dataset& all, const SubjectSplit& split)
{
    split.check();
    std::vector<std::size_t> tr, va, te;
    auto in = [](const std::vector<int>& v, int s) { return std::find(v.begin(), v.end(), s) != v.end(); };
    for (std::size_t i = 0; i < all.size(); ++i) {
        const int s = all.subjects[i];
        if (in(split.train, s))
            tr.push_back(i);
        else if (in(split.validation, s))
            va.push_back(i);
        else if (in(split.test, s))
            te.push_back(i);
    }
    return {all.select(tr), all.select(va), all.select(te)};
}

Normalizer Normalizer::fit(const Dataset& train)
{
    const int c = train.channels;
    std::vector<double> sum(c, 0.0), sq(c, 0.0);
    const std::size_t n = train.size() * std::size_t(train.length);
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; k < c; ++k) {
            const double v = train.values[i * c + k];
            sum[k] += v;
            sq[k] += v * v;
        }
    Normalizer norm;
    for (int k = 0; k < c; ++k) {
        const double mean = n ? sum[k] / double(n) : 0.0;
        const double var = n ? std::max(0.0, sq[k] / double(n) - mean * mean) : 0.0;
        norm.mean.push_back(float(mean));
        // A constant channel keeps unit scale rather than dividing by zero.
        norm.stddev.push_back(var > 1e-12 ? float(std::sqrt(var)) : 1.0f);
    }
    return norm;
}

void Normalizer::apply(Dataset& d) const
{
    const int c = d.channels;
    const std::size_t n = d.size() * std::size_t(d.length);
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; k < c; ++k)
            d.values[i * c + k] = (d.values[i * c + k] - mean[k]) / stddev[k];
}

} // namespace nesy::learn
