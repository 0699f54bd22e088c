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
} // namespace

const std::vector<Command>& commands()
{
    static const std::vector<Command> table = {
        {"validate", "validate FILE", "check a project file and its program graph", runValidate},
        {"blocks", "blocks [--json]", "list the block types of the registry", runBlocks},
        {"format", "format FILE [--stdout]", "rewrite a project file in canonical form", runFormat},
        {"search",
         "search FILE --trials N --seed S [--journal P] [--resume] [--batch K] [--board-wait MS] [--json] [--mpi [--worker-timeout S]]\n"
         "  nesy search --objective branin|hartmann6|mixed --trials N --seed S [--batch K] [--json]",
         "run a search on a project, or on a built-in test function", runSearch},
        {"trials", "trials JOURNAL [--json]", "print the trials of a journal", runTrials},
        {"pareto", "pareto JOURNAL --objectives error,flash [--json]",
         "print the Pareto front of a journal and its hypervolume", runPareto},
        {"export", "export FILE --trial ID --out DIR [--journal PATH] [--untrained] [--threads N]",
         "write a trial's trained program as C code with a README and a Makefile", runExport},
        {"eval", "eval FILE --trial ID --data PATH [--subjects LIST] [--journal PATH] [--threads N] [--json]",
         "retrain a trial with its seed and score it on other data (e.g. other subjects)", runEval},
        {"boards", "boards [--usb-wait MS] [--json]", "list simulated, emulated and attached boards", runBoards},
        {"measure", "measure FILE --trial ID --board ID [--journal PATH] [--board-wait MS] [--untrained] [--threads N] [--json]",
         "measure one trial's trained program on one board (--trial default: the project's current values)",
         runMeasure},
    };
    return table;
}

} // namespace nesy::cli
