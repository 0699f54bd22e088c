#include "CliArgs.h"
#include "Commands.h"
#include "graph/Project.h"
#include "graph/Validation.h"
#include <ostream>

namespace nesy::cli {

int runValidate(const Args& args, std::ostream& out, std::ostream& err)
{
    CliArgs a(args, {"json"}, {});
    const std::string file = a.requirePositional(0, "project FILE");
    Project project;
    try {
        project = loadProject(file);
    } catch (const FormatError& e) {
        // Unreadable files are a usage problem (exit 2); a readable but malformed file is invalid (1).
        bool unreadable = e.problem().rfind("cannot open", 0) == 0 || e.problem() == "read error";
        if (a.flag("json"))
            out << Json{{"valid", false}, {"problems", Json::array({e.what()})}}.dump() << "\n";
        else
            err << "error: " << e.what() << "\n";
        return unreadable ? kExitUsage : kExitInvalid;
    }
    auto problems = validate(project.graph, BlockRegistry::builtin());
    if (a.flag("json")) {
        Json list = Json::array();
        for (const auto& p : problems)
            list.push_back(Json{{"kind", problemKindName(p.kind)}, {"path", p.jsonPath}, {"block", p.block},
                                {"port", p.port}, {"param", p.param}, {"message", p.toString()}});
        out << Json{{"valid", problems.empty()}, {"problems", list}}.dump() << "\n";
    } else if (problems.empty()) {
        out << file << ": valid (" << project.graph.blocks().size() << " blocks, "
            << project.graph.connections().size() << " connections, "
            << project.graph.searchableParameters().size() << " searchable parameters)\n";
    } else {
        for (const auto& p : problems)
            err << file << ": " << p.toString() << "\n";
    }
    return problems.empty() ? kExitOk : kExitInvalid;
}

} // namespace nesy::cli
