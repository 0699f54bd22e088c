#pragma once
// Windowed, split datasets shared by the trials of a search: each source is loaded once, however
// many trials (on however many threads) ask for it.
#include "Dataset.h"
#include "ProgramCompiler.h"
#include <future>
#include <map>
#include <memory>
#include <mutex>

namespace nesy::learn {

// Loads the windows a source block describes and splits them by subject.
SplitData loadSource(const DataSourceSpec& source);

class DatasetCache {
public:
    // The split windows of `source` (raw, not normalised); loads on first use. A load that fails
    // throws here, and again for every later request of the same source.
    std::shared_ptr<const SplitData> get(const DataSourceSpec& source);

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_future<std::shared_ptr<const SplitData>>> entries_;
};

} // namespace nesy::learn
