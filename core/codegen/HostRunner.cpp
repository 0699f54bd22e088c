#include "HostRunner.h"
#include "boards/FirmwareHarness.h"
#include "boards/Subprocess.h"
#include "boards/TempDirectory.h"
#include "graph/Project.h"
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace nesy::codegen {

std::string hostMainSource()
{
    return R"C(/* Runs the program on the test input and prints each output as IEEE-754 bits and value. The test
 * input may hold several inputs one after the other (a filter's steps): each is run in turn. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "nesy_program.h"
#include "nesy_testdata.h"

int main(void)
{
    float input[NESY_PROGRAM_INPUT_SIZE], output[NESY_PROGRAM_OUTPUT_SIZE];
    const size_t steps = sizeof nesy_test_input / sizeof input;
    size_t s;
    int i;
    for (s = 0; s < steps; ++s) {
        memcpy(input, nesy_test_input + s * NESY_PROGRAM_INPUT_SIZE, sizeof input);
        nesy_program_run(input, output);
        for (i = 0; i < NESY_PROGRAM_OUTPUT_SIZE; ++i) {
            uint32_t bits;
            memcpy(&bits, &output[i], sizeof bits);
            printf("out %08x %.9g\n", (unsigned)bits, (double)output[i]);
        }
    }
    return 0;
}
)C";
}

HostRunResult runOnHost(const std::map<std::string, std::string>& sources, const std::vector<float>& input,
                        const std::string& compiler)
{
    std::string cc = compiler;
    if (cc.empty()) {
        const char* env = std::getenv("CC");
        cc = env && *env ? env : "cc";
    }
    TempDirectory dir("nesy-host");
    std::vector<std::string> argv{cc, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-o", "program"};
    for (const auto& [name, text] : sources) {
        writeTextFileAtomically(dir.path() / name, text);
        if (name.size() > 2 && name.substr(name.size() - 2) == ".c")
            argv.push_back(name);
    }
    writeTextFileAtomically(dir.path() / "main.c", hostMainSource());
    writeTextFileAtomically(dir.path() / "nesy_testdata.h", harnessTestDataHeader(input));
    argv.push_back("main.c");
    argv.push_back("-lm");
    ProcessOptions options;
    options.workingDirectory = dir.path();
    auto built = runProcess(argv, options);
    if (!built.succeeded())
        throw std::runtime_error("the generated C does not compile on the host (" + built.describe() + "):\n" +
                                 built.output);
    auto ran = runProcess({(dir.path() / "program").string()}, options);
    if (!ran.succeeded())
        throw std::runtime_error("the generated program failed on the host (" + ran.describe() + "):\n" + ran.output);
    HostRunResult r;
    r.log = ran.output;
    std::istringstream lines(ran.output);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("out ", 0) != 0)
            continue;
        std::uint32_t bits = static_cast<std::uint32_t>(std::stoul(line.substr(4, 8), nullptr, 16));
        float f;
        std::memcpy(&f, &bits, sizeof f);
        r.output.push_back(f);
    }
    return r;
}

} // namespace nesy::codegen
