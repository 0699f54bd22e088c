#pragma once
// Which program a CLI command means by `--trial ID`: "default" is the project's current values;
// any other id is a trial of the search journal (core/search/Journal.h), by default the one the
// workbench and `nesy search` write beside the project (journalPathFor).
#include "graph/Project.h"
#include "search/Journal.h"
#include <filesystem>

namespace nesy::codegen {

// The project's graph with the trial's values fixed in. Throws std::runtime_error naming the
// journal and the trial when it is not there.
ProgramGraph trialGraph(const Project& project, const std::string& trialId, const std::filesystem::path& journal);
// The journal's record of a trial id (not "default"); throws as trialGraph does.
TrialRecord journalTrial(const std::string& trialId, const std::filesystem::path& journal);

} // namespace nesy::codegen
