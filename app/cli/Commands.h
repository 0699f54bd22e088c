#pragma once
// The nesy subcommands. Each takes its arguments (after the subcommand name) and the output
// streams, and returns the process exit code: 0 success, 1 the input is invalid or the work failed,
// 2 usage error or unreadable file, 3 the subcommand is not available in this build.
#include <iosfwd>
#include <string>
#include <vector>

namespace nesy::cli {

using Args = std::vector<std::string>;

struct Command {
    const char* name;
    const char* usage;
    const char* summary;
    int (*run)(const Args& args, std::ostream& out, std::ostream& err);
};

const std::vector<Command>& commands();

int runValidate(const Args& args, std::ostream& out, std::ostream& err);
int runBlocks(const Args& args, std::ostream& out, std::ostream& err);
int runFormat(const Args& args, std::ostream& out, std::ostream& err);
int runSearch(const Args& args, std::ostream& out, std::ostream& err);
int runTrials(const Args& args, std::ostream& out, std::ostream& err);
int runPareto(const Args& args, std::ostream& out, std::ostream& err);
int runBoards(const Args& args, std::ostream& out, std::ostream& err);
int runMeasure(const Args& args, std::ostream& out, std::ostream& err);
int runExport(const Args& args, std::ostream& out, std::ostream& err);
int runEval(const Args& args, std::ostream& out, std::ostream& err);

enum ExitCode { kExitOk = 0, kExitInvalid = 1, kExitUsage = 2, kExitUnavailable = 3 };

} // namespace nesy::cli
