#include "CliArgs.h"
#include "Commands.h"
#include "graph/Project.h"
#include <ostream>

namespace nesy::cli {

// Rewrites a project file in canonical form (key order, indentation), or prints it with --stdout.
int runFormat(const Args& args, std::ostream& out, std::ostream&)
{
    CliArgs a(args, {"stdout"}, {});
    const std::string file = a.requirePositional(0, "project FILE");
    Project p = loadProject(file);
    if (a.flag("stdout"))
        out << projectToText(p);
    else
        saveProject(p, file);
    return kExitOk;
}

} // namespace nesy::cli
