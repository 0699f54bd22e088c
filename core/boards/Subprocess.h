#pragma once
// Runs an external tool (compiler, emulator) with a time limit, capturing its output. The boards
// need it because a toolchain or QEMU run can hang or be cancelled by the search.
#include "engine/Evaluator.h"
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace nesy {

struct ProcessResult {
    bool started = false;   // false: the program could not be executed (see output)
    bool timedOut = false;  // killed after the time limit
    bool cancelled = false; // killed because the stop token was set
    int exitCode = -1;      // valid when the process exited normally
    int signal = 0;         // nonzero when killed by a signal
    std::string output;     // stdout and stderr, interleaved

    bool succeeded() const { return started && !timedOut && !cancelled && signal == 0 && exitCode == 0; }
    std::string describe() const; // "exit code 1", "timed out after ..." for messages
};

struct ProcessOptions {
    std::chrono::milliseconds timeout{60000};
    std::filesystem::path workingDirectory; // empty: inherit
    const StopToken* stop = nullptr;
};

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The full path of an executable found on PATH, or empty.
std::filesystem::path findExecutable(const std::string& name);

} // namespace nesy
