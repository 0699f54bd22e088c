#pragma once
// The simulated board's estimate of flash, SRAM and instructions from a candidate's summary
// (CandidateProgram::summary, written by the code generator): linear in the work and code a
// program contains, with coefficients fitted on emulated measurements (bench_boards --calibrate)
// and stored per core in resources/boards/models/resource-model.json.
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
    // Library objects the program links for its soft-float (double) work, e.g.
    // "libgcc.a:_arm_muldf3.o": their code is a fact of the toolchain, measured once per core
    // (CoreResourceModel::libraryCodeBytes), not fitted. Decision stages and the movement channel.
    std::set<std::string> libraryObjects;
};

// Every library object resourceTerms() may name, as "archive:member" (what calibration measures).
const std::vector<std::string>& modelledLibraryObjects();

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
    std::map<std::string, double> libraryCodeBytes; // "archive:member" -> its code bytes (the toolchain's)
    Json fit;                                       // how it was fitted: candidates, errors

    ResourceEstimate estimate(const ResourceTerms& terms) const;
    double libraryBytes(const ResourceTerms& terms) const; // the known library objects' code
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
// worst-case relative error (0: the plain relative fit). libraryCodeBytes (measured on the
// toolchain) is subtracted from the observed flash before fitting and kept in the model.
CoreResourceModel fitResourceModel(const std::vector<CalibrationSample>& samples, int minimaxRounds = 0,
                                   const std::map<std::string, double>& libraryCodeBytes = {});

// core name ("cortex-m4") -> model; the file maps each core to CoreResourceModel::toJson().
std::map<std::string, CoreResourceModel> loadResourceModels(const std::filesystem::path& file);
std::filesystem::path defaultResourceModelFile(); // <resources>/boards/models/resource-model.json

} // namespace nesy
