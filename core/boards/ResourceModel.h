#pragma once
// The simulated board's estimate of flash, SRAM and instructions from a candidate's summary
// (CandidateProgram::summary, written by the code generator): linear in the work and code a
// program contains, with coefficients fitted on emulated measurements (bench_boards --calibrate)
// and stored per core in resources/boards/models/resource-model.json.
#include "graph/JsonReader.h"
#include "graph/Value.h"
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace nesy {

// The terms of one candidate that the coefficients multiply.
struct ResourceTerms {
    std::map<std::string, double> instructions; // "macs_f32" -> count, "const" -> 1 ...
    std::map<std::string, double> code;         // "kernel:conv1d_s8" -> 1, "layers" -> n ...
    std::vector<std::string> kernels;           // kernels the program uses (for the stack model)
    double constantBytes = 0;                   // weights, biases, multipliers, twiddle tables: exact
    double arenaBytes = 0;                      // planned activations: exact
    double stateBytes = 0;                      // filters' state: exact
    double localStackBytes = 0;                 // local arrays the generated C keeps on the stack (filters)
    // C library and soft-float functions the program calls ("expf", "__aeabi_dmul"): what they
    // link is a fact of the toolchain, measured once per core (LibraryCode), not fitted.
    std::set<std::string> libraryFunctions;
};

// Every function resourceTerms() may name (what calibration measures).
const std::vector<std::string>& modelledLibraryFunctions();

// The library sections each function links (its own and everything it calls, from the linker's
// map of a program that only calls it) and their sizes: programs that call several functions
// link the union, so shared helpers (errno, the soft-float conversions) count once.
struct LibraryCode {
    struct Section {
        double flashBytes = 0; // code, constants and .data initial values
        double ramBytes = 0;   // .data and .bss
    };
    std::map<std::string, std::vector<std::string>> functionSections; // "expf" -> "libm.a(lib_a-wf_exp.o) .text" ...
    std::map<std::string, Section> sections;

    Section linked(const std::set<std::string>& functions) const; // unknown functions link nothing
    Json toJson() const;
    static LibraryCode fromJson(const JsonReader& r);
};

// Throws FormatError naming the summary field that is missing.
ResourceTerms resourceTerms(const Json& summary);

struct ResourceEstimate {
    std::int64_t flashBytes = 0;
    std::int64_t sramStaticBytes = 0;
    std::int64_t peakStackBytes = 0;
    double instructions = 0;
};

struct CoreResourceModel {
    std::map<std::string, double> instructionCoefficients;
    std::map<std::string, double> codeCoefficients;
    double staticRamBytes = 0;                      // the C library's data, beyond the arena and state
    std::map<std::string, double> kernelStaticRamBytes; // the same with each kernel (e.g. libm's data)
    double baseStackBytes = 0;                      // the entry function alone
    std::map<std::string, double> kernelStackBytes; // deepest stack seen with each kernel
    LibraryCode library;                            // the toolchain's library functions (measured)
    Json fit;                                       // how it was fitted: candidates, errors

    ResourceEstimate estimate(const ResourceTerms& terms) const;
    Json toJson() const;
    static CoreResourceModel fromJson(const Json& j);
};

// One emulated observation for calibration.
struct CalibrationSample {
    ResourceTerms terms;
    double instructions = 0;
    double flashBytes = 0;
    double sramStaticBytes = 0;
    double peakStackBytes = 0;
};

// Non-negative least squares on relative residuals (lightly ridge-regularised, since some kernels
// always come together), then minimaxRounds rounds of Lawson reweighting towards the smallest
// worst-case relative error (0: the plain relative fit). What the library functions link
// (measured on the toolchain) is subtracted from the observations before fitting and kept in the model.
CoreResourceModel fitResourceModel(const std::vector<CalibrationSample>& samples, int minimaxRounds = 0,
                                   const LibraryCode& library = {});

// core name ("cortex-m4") -> model; the file maps each core to CoreResourceModel::toJson().
std::map<std::string, CoreResourceModel> loadResourceModels(const std::filesystem::path& file);
std::filesystem::path defaultResourceModelFile(); // <resources>/boards/models/resource-model.json

} // namespace nesy
