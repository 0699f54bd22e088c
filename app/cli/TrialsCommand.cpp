// nesy trials: the trials of a search journal, one line each (or JSON lines with --json).
#include "CliArgs.h"
#include "Commands.h"
#include "search/Journal.h"
#include <iomanip>
#include <ostream>

namespace nesy::cli {

int runTrials(const Args& args, std::ostream& out, std::ostream& err)
{
    CliArgs a(args, {"json"}, {});
    const std::string file = a.requirePositional(0, "JOURNAL");
    JournalContents journal = readJournal(file);
    for (const auto& w : journal.warnings)
        err << "warning: " << w << "\n";
    for (const auto& t : journal.trials) {
        if (a.flag("json")) {
            out << t.toJson().dump() << "\n";
            continue;
        }
        out << std::setw(4) << t.id << "  " << std::setw(10) << trialStatusName(t.status) << "  ";
        if (t.hasObjective())
            out << std::setw(12) << t.objective;
        else
            out << std::setw(12) << "-";
        out << "  ";
        bool first = true;
        for (const auto& [k, v] : t.assignment) {
            out << (first ? "" : ", ") << k << "=" << describeValue(v);
            first = false;
        }
        for (const auto& [k, v] : t.terms)
            out << "  " << k << ":" << v;
        if (!t.detail.empty())
            out << "  (" << t.detail << ")";
        out << "\n";
    }
    if (!a.flag("json"))
        out << journal.trials.size() << " trials\n";
    return kExitOk;
}

} // namespace nesy::cli
