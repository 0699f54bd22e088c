#include "TrialSelection.h"
#include "search/Journal.h"
#include <stdexcept>

namespace nesy::codegen {

std::filesystem::path defaultJournalPath(const std::filesystem::path& projectFile)
{
    // The workbench writes <file>.journal.jsonl, `nesy search` <stem>.journal.jsonl ("run.nesy.json"
    // -> "run.journal.jsonl"): take the one that exists, the workbench's first.
    const std::filesystem::path beside = projectFile.parent_path() / (projectFile.filename().string() + ".journal.jsonl");
    std::string stem = projectFile.filename().string();
    for (const std::string ext : {".nesy.json", ".json"})
        if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), std::string::npos, ext) == 0) {
            stem.resize(stem.size() - ext.size());
            break;
        }
    const std::filesystem::path search = projectFile.parent_path() / (stem + ".journal.jsonl");
    return !std::filesystem::exists(beside) && std::filesystem::exists(search) ? search : beside;
}

ProgramGraph trialGraph(const Project& project, const std::string& trialId, const std::filesystem::path& journal)
{
    if (trialId == "default")
        return project.graph;
    if (!std::filesystem::exists(journal))
        throw std::runtime_error("trial " + trialId + ": no search journal " + journal.string() +
                                 " (give --journal, or --trial default for the project's current values)");
    JournalContents contents = readJournal(journal);
    for (const TrialRecord& t : contents.trials)
        if (std::to_string(t.id) == trialId)
            return project.graph.withAssignment(t.assignment);
    throw std::runtime_error("trial " + trialId + " is not in the search journal " + journal.string());
}

} // namespace nesy::codegen
