#pragma once
// Which program a CLI command means by `--trial ID`: "default" is the project's current values;
// any other id is looked up in the search journal (JSON lines, one trial per line with at least
// "id" and "assignment" {"block.param": value}), by default <project>.journal.jsonl beside it.
#include "graph/Project.h"
#include <filesystem>
#include <optional>

namespace nesy::codegen {

std::filesystem::path defaultJournalPath(const std::filesystem::path& projectFile);

// The project's graph with the trial's values fixed in. Throws std::runtime_error naming the
// journal and the trial when it is not there.
ProgramGraph trialGraph(const Project& project, const std::string& trialId, const std::filesystem::path& journal);

} // namespace nesy::codegen
