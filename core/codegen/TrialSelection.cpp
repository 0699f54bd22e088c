#include "TrialSelection.h"
#include "search/Journal.h"
#include <stdexcept>

namespace nesy::codegen {

ProgramGraph trialGraph(const Project& project, const std::string& trialId, const std::filesystem::path& journal)
{
    if (trialId == "default")
        return project.graph;
    return project.graph.withAssignment(journalTrial(trialId, journal).assignment);
}

TrialRecord journalTrial(const std::string& trialId, const std::filesystem::path& journal)
{
    if (!std::filesystem::exists(journal))
        throw std::runtime_error("trial " + trialId + ": no search journal " + journal.string() +
                                 " (give --journal, or --trial default for the project's current values)");
    JournalContents contents = readJournal(journal);
    for (TrialRecord& t : contents.trials)
        if (std::to_string(t.id) == trialId)
            return std::move(t);
    throw std::runtime_error("trial " + trialId + " is not in the search journal " + journal.string());
}

} // namespace nesy::codegen
