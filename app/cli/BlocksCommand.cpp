#include "CliArgs.h"
#include "Commands.h"
#include "graph/BlockRegistry.h"
#include <iomanip>
#include <ostream>

namespace nesy::cli {

int runBlocks(const Args& args, std::ostream& out, std::ostream&)
{
    CliArgs a(args, {"json"}, {});
    BlockRegistry registry = BlockRegistry::builtin();
    if (a.flag("json")) {
        out << registry.toJson().dump(2) << "\n";
        return kExitOk;
    }
    for (BlockCategory c : allCategories()) {
        auto types = registry.inCategory(c);
        if (types.empty())
            continue;
        out << categoryTitle(c) << "\n";
        for (const BlockType* t : types) {
            out << "  " << std::left << std::setw(28) << t->id << t->title << "\n";
            auto ports = [&](const char* label, const std::vector<PortSpec>& ps) {
                if (ps.empty())
                    return;
                out << "  " << std::setw(28) << "" << label;
                for (std::size_t i = 0; i < ps.size(); ++i)
                    out << (i ? ", " : "") << ps[i].name << ":" << portTypeName(ps[i].type)
                        << (ps[i].required ? "" : "?");
                out << "\n";
            };
            ports("in:  ", t->inputs);
            ports("out: ", t->outputs);
        }
    }
    return kExitOk;
}

} // namespace nesy::cli
