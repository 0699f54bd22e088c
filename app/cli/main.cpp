// nesy: the command-line face of the engine (validate, search, export ...). No GUI dependency.
#include "CliArgs.h"
#include "Commands.h"
#include "graph/JsonReader.h"
#include <cstring>
#include <iostream>

namespace {

void printUsage(std::ostream& os)
{
    os << "usage: nesy <command> [arguments]\n\ncommands:\n";
    for (const auto& c : nesy::cli::commands())
        os << "  " << c.usage << "\n      " << c.summary << "\n";
    os << "\n  nesy --version\n";
}

} // namespace

int main(int argc, char** argv)
{
    using namespace nesy::cli;
    if (argc < 2) {
        printUsage(std::cerr);
        return kExitUsage;
    }
    std::string name = argv[1];
    if (name == "--version" || name == "version") {
        std::cout << "nesy " << NESY_VERSION << "\n";
        return kExitOk;
    }
    if (name == "--help" || name == "-h" || name == "help") {
        printUsage(std::cout);
        return kExitOk;
    }
    for (const auto& c : commands()) {
        if (name != c.name)
            continue;
        Args args(argv + 2, argv + argc);
        try {
            return c.run(args, std::cout, std::cerr);
        } catch (const UsageError& e) {
            std::cerr << "nesy " << c.name << ": " << e.what() << "\nusage: nesy " << c.usage << "\n";
            return kExitUsage;
        } catch (const nesy::FormatError& e) {
            std::cerr << "nesy " << c.name << ": error: " << e.what() << "\n";
            return kExitInvalid;
        } catch (const std::exception& e) {
            std::cerr << "nesy " << c.name << ": error: " << e.what() << "\n";
            return kExitInvalid;
        }
    }
    std::cerr << "nesy: unknown command \"" << name << "\"\n";
    printUsage(std::cerr);
    return kExitUsage;
}
