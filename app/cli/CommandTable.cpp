#include "Commands.h"
#include <ostream>

namespace nesy::cli {

namespace {
// Subcommands whose engine part has not landed yet say so plainly instead of pretending.
template <const char* Name, const char* Issue>
int notAvailable(const Args&, std::ostream&, std::ostream& err)
{
    err << "nesy " << Name << ": not available yet in this version (it arrives with " << Issue << ")\n";
    return kExitUnavailable;
}

constexpr char kSearch[] = "search", kTrials[] = "trials", kPareto[] = "pareto", kEval[] = "eval";
constexpr char kSearchIssue[] = "the search engine", kLearnIssue[] = "the learning engine";
} // namespace

const std::vector<Command>& commands()
{
    static const std::vector<Command> table = {
        {"validate", "validate FILE", "check a project file and its program graph", runValidate},
        {"blocks", "blocks [--json]", "list the block types of the registry", runBlocks},
        {"format", "format FILE [--stdout]", "rewrite a project file in canonical form", runFormat},
        {"search", "search FILE --trials N --seed S [--journal P] [--resume] [--batch K] [--json]",
         "run a search on a project", notAvailable<kSearch, kSearchIssue>},
        {"trials", "trials JOURNAL", "print the trials of a journal", notAvailable<kTrials, kSearchIssue>},
        {"pareto", "pareto JOURNAL --objectives error,flash", "print the Pareto front of a journal",
         notAvailable<kPareto, kSearchIssue>},
        {"export", "export FILE --trial ID --out DIR [--journal PATH]",
         "write a trial's program as C code with a README and a Makefile", runExport},
        {"eval", "eval FILE --trial ID --data PATH [--subjects LIST] [--json]", "evaluate a trial on other data",
         notAvailable<kEval, kLearnIssue>},
        {"boards", "boards [--json]", "list simulated, emulated and attached boards", runBoards},
        {"measure", "measure FILE --trial ID --board ID [--journal PATH] [--json]",
         "measure one trial on one board (--trial default: the project's current values)", runMeasure},
    };
    return table;
}

} // namespace nesy::cli
