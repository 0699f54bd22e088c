#pragma once
// Compiles generated C for the host with the system C compiler and runs one inference: how the
// tests and `nesy export` check that the generated code computes what the host reference does.
#include "boards/Board.h"
#include <string>
#include <vector>

namespace nesy::codegen {

struct HostRunResult {
    std::vector<float> output;
    std::string log;
};

// Throws std::runtime_error with the compiler's or program's output when either fails. `input` may
// hold several inputs one after the other: each is run in turn and the outputs follow each other.
// `compiler` empty: $CC, else "cc".
HostRunResult runOnHost(const std::map<std::string, std::string>& sources, const std::vector<float>& input,
                        const std::string& compiler = {});

// The host-side main() used by runOnHost (also written by `nesy export` as an example).
std::string hostMainSource();

} // namespace nesy::codegen
