#pragma once
// Command-line helpers shared by bench_training and bench_training_explore.
#include <cstdio>
#include <cstdlib>
#include <string>

namespace nesy::bench {

// ../shared/data/earable-activity as NESY_SHARED_DATA names it; empty when the variable is unset.
inline std::string earableFolderFromEnvironment()
{
    const char* env = std::getenv("NESY_SHARED_DATA");
    return env && *env ? std::string(env) + "/earable-activity" : std::string();
}

// The value after the option argv[i] (i moves onto it); exits with status 2 naming the option
// when it has none.
inline std::string optionValue(int argc, char** argv, int& i)
{
    if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
    }
    return std::string(argv[++i]);
}

} // namespace nesy::bench
