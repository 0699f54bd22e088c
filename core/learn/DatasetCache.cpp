#include "DatasetCache.h"
#include "Augmentation.h"
#include "Loaders.h"

namespace nesy::learn {

namespace {

SubjectSplit splitFromParams(const Json& params, const std::vector<int>& subjects)
{
    auto list = [&](const char* key) {
        return params.contains(key) && params[key].is_string() ? params[key].get<std::string>() : std::string();
    };
    const std::string train = list("train_subjects");
    if (train.empty())
        return proportionalSplit(subjects);
    SubjectSplit s{parseSubjectList(train), parseSubjectList(list("validation_subjects")),
                   parseSubjectList(list("test_subjects"))};
    s.check();
    return s;
}

Timing timingFrom(const Json& params, Timing fallback)
{
    if (!params.contains("timing"))
        return fallback;
    return params["timing"] == "timestamps" ? Timing::Timestamps : Timing::Rows;
}

} // namespace

SplitData loadSource(const DataSourceSpec& source)
{
    const Json& p = source.params;
    RecordingSet set;
    if (source.type == "source.synthetic_imu") {
        SyntheticImuOptions o;
        o.subjects = p.at("subjects").get<int>();
        o.secondsPerActivity = p.at("seconds_per_activity").get<double>();
        o.rateHz = p.at("rate_hz").get<double>();
        o.seed = p.at("seed").get<std::uint64_t>();
        set = generateSyntheticImu(o);
    } else if (source.type == "source.earable") {
        EarableOptions o;
        o.rateHz = p.at("rate_hz").get<double>();
        o.timing = timingFrom(p, Timing::Rows);
        o.magnitudes = p.value("channels", std::string("imu6")) == "magnitudes";
        set = loadEarableFolder(source.path, o);
    } else if (source.type == "source.csv") {
        CsvOptions o;
        o.labelColumn = p.at("label_column").get<std::string>();
        o.subjectColumn = p.at("subject_column").get<std::string>();
        o.timeColumn = p.at("time_column").get<std::string>();
        o.rateHz = p.at("rate_hz").get<double>();
        o.timing = timingFrom(p, Timing::Timestamps);
        set = loadCsv(source.path, o);
    } else {
        throw CompileError("block \"" + source.block + "\": " + source.type + " is not a windowed source");
    }
    const Dataset windows = makeWindows(set, p.at("window").get<int>(), p.at("stride").get<int>());
    if (windows.size() == 0)
        throw DataError("block \"" + source.block + "\": no window fits in the recordings (window of " +
                        p.at("window").dump() + " samples)");
    std::vector<int> subjects;
    for (const Recording& r : set.recordings)
        subjects.push_back(r.subject);
    SplitData split = splitBySubject(windows, splitFromParams(p, subjects));
    if (const int twists = p.value("train_twists", 0); twists > 0) {
        if (windows.channels < 6)
            throw CompileError("block \"" + source.block + "\": train_twists turns the six IMU axes, but channels \"" +
                               p.value("channels", std::string()) + "\" gives " + std::to_string(windows.channels));
        // A fixed seed: the augmented split is the same for every trial, so the cache can share it.
        split.train = withTwistedCopies(split.train, twists, 1);
    }
    return split;
}

std::shared_ptr<const SplitData> DatasetCache::get(const DataSourceSpec& source)
{
    const std::string key = source.cacheKey();
    std::shared_future<std::shared_ptr<const SplitData>> future;
    std::promise<std::shared_ptr<const SplitData>> promise;
    bool loadHere = false;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end()) {
            future = promise.get_future().share();
            entries_.emplace(key, future);
            loadHere = true;
        } else {
            future = it->second;
        }
    }
    if (loadHere) {
        try {
            promise.set_value(std::make_shared<const SplitData>(loadSource(source)));
        } catch (...) {
            promise.set_exception(std::current_exception());
        }
    }
    return future.get();
}

} // namespace nesy::learn
