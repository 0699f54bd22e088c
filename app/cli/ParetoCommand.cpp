// nesy pareto: the non-dominated trials of a journal over chosen objectives, and their hypervolume.
#include "CliArgs.h"
#include "Commands.h"
#include "search/Journal.h"
#include "search/Pareto.h"
#include <ostream>
#include <sstream>

namespace nesy::cli {

int runPareto(const Args& args, std::ostream& out, std::ostream& err)
{
    CliArgs a(args, {"json"}, {"objectives"});
    const std::string file = a.requirePositional(0, "JOURNAL");
    std::vector<std::string> objectives;
    std::stringstream list(a.option("objectives").value_or("error,flash"));
    for (std::string name; std::getline(list, name, ',');)
        if (!name.empty())
            objectives.push_back(name);
    if (objectives.empty())
        throw UsageError("--objectives needs at least one name (error, flash, sram, latency, objective or a term)");

    JournalContents journal = readJournal(file);
    for (const auto& w : journal.warnings)
        err << "warning: " << w << "\n";
    ParetoFront front = paretoFront(journal.trials, objectives);
    if (a.flag("json")) {
        Json trials = Json::array();
        for (std::size_t i = 0; i < front.trials.size(); ++i)
            trials.push_back(Json{{"id", front.trials[i].id}, {"values", front.points[i]},
                                  {"assignment", front.trials[i].toJson()["assignment"]}});
        out << Json{{"objectives", objectives}, {"front", trials}, {"reference", front.reference},
                    {"hypervolume", front.hypervolume}}
                   .dump()
            << "\n";
        return kExitOk;
    }
    if (front.trials.empty()) {
        err << file << ": no finished trial has all of the objectives\n";
        return kExitInvalid;
    }
    out << "trial";
    for (const auto& o : objectives)
        out << "  " << o;
    out << "\n";
    for (std::size_t i = 0; i < front.trials.size(); ++i) {
        out << front.trials[i].id;
        for (double v : front.points[i])
            out << "  " << v;
        out << "\n";
    }
    out << front.trials.size() << " non-dominated trials, hypervolume " << front.hypervolume << "\n";
    return kExitOk;
}

} // namespace nesy::cli
