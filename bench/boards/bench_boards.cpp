// bench_boards: time per emulated measurement, and the simulated board's error against the
// emulated one over random candidates (targets from issue 6: < 1 s per candidate up to 100 KB of
// weights; flash within 10%, SRAM within 15%, latency within 25%).
//
//   bench_boards [--candidates N] [--seed S]        evaluate (default 40 candidates, seeds S..S+N-1)
//   bench_boards --calibrate FILE [--candidates N]  fit the resource models on emulated runs, write FILE
#include "boards/EmulatedBoard.h"
#include "boards/SimulatedBoard.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/SyntheticPrograms.h"
#include "engine/Resources.h"
#include "graph/Project.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <iostream>

using namespace nesy;
using namespace nesy::codegen;

namespace {

struct Run {
    CandidateProgram program;
    Measurement emulated;
    EmulationReport report;
    double seconds = 0;
};

std::vector<Run> emulate(EmulatedBoard& board, std::uint64_t firstSeed, int count)
{
    std::vector<Run> runs;
    StopToken stop;
    for (int i = 0; i < count; ++i) {
        std::uint64_t seed = firstSeed + static_cast<std::uint64_t>(i);
        Run r;
        r.program = buildCandidateProgram(syntheticProgram(randomSyntheticOptions(seed), seed));
        auto start = std::chrono::steady_clock::now();
        r.emulated = board.measure(r.program, stop, r.report);
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!r.emulated.ok()) {
            std::cerr << "  seed " << seed << " (" << r.program.name << "): " << faultKindName(r.emulated.fault)
                      << ": " << r.emulated.detail << " -- skipped\n";
            continue;
        }
        runs.push_back(std::move(r));
    }
    return runs;
}

CalibrationSample sampleOf(const Run& r)
{
    CalibrationSample s;
    s.terms = resourceTerms(r.program.summary);
    s.instructions = static_cast<double>(r.report.instructions);
    s.flashBytes = static_cast<double>(r.emulated.flashBytes);
    s.sramStaticBytes = static_cast<double>(r.emulated.sramStaticBytes);
    s.peakStackBytes = static_cast<double>(r.emulated.peakStackBytes);
    return s;
}

struct Errors {
    std::vector<double> flash, sram, latency;
};

double relative(double estimate, double truth)
{
    return truth == 0 ? 0 : std::fabs(estimate - truth) / std::fabs(truth);
}

Errors compare(const std::vector<Run>& runs, SimulatedBoard& sim)
{
    Errors e;
    StopToken stop;
    for (const auto& r : runs) {
        Measurement s = sim.measure(r.program, stop);
        e.flash.push_back(relative(static_cast<double>(s.flashBytes), static_cast<double>(r.emulated.flashBytes)));
        e.sram.push_back(relative(static_cast<double>(s.sramBytes()), static_cast<double>(r.emulated.sramBytes())));
        e.latency.push_back(relative(s.latencyMs, r.emulated.latencyMs));
    }
    return e;
}

double mean(const std::vector<double>& v)
{
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / static_cast<double>(v.size());
}

double maximum(const std::vector<double>& v)
{
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

double percentile90(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(0.9 * static_cast<double>(v.size() - 1))];
}

Json errorJson(const Errors& e)
{
    auto one = [](const std::vector<double>& v) {
        return Json{{"mean", mean(v)}, {"p90", percentile90(v)}, {"max", maximum(v)}};
    };
    return Json{{"flash", one(e.flash)}, {"sram", one(e.sram)}, {"latency", one(e.latency)}};
}

const char* kBoards[] = {"nucleo-f446re", "nucleo-f746zg"}; // one per emulated core

} // namespace

int main(int argc, char** argv)
{
    int candidates = 40;
    std::uint64_t seed = 1;
    std::string calibrateFile;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--candidates" && i + 1 < argc)
            candidates = std::atoi(argv[++i]);
        else if (a == "--seed" && i + 1 < argc)
            seed = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--calibrate" && i + 1 < argc)
            calibrateFile = argv[++i];
        else {
            std::cerr << "usage: bench_boards [--candidates N] [--seed S] [--calibrate FILE]\n";
            return 2;
        }
    }
    ArmToolchain toolchain = ArmToolchain::locate();
    if (!toolchain.available()) {
        std::cerr << "bench_boards: " << toolchain.problem << "\n";
        return 1;
    }

    if (!calibrateFile.empty()) {
        // Calibration candidates use other seeds than the evaluation (1000 + ...).
        Json out = Json::object();
        for (const char* id : kBoards) {
            BoardProfile profile = builtinBoardProfile(id);
            EmulatedBoard emu(profile, toolchain);
            std::cout << "calibrating " << profile.core << " on " << emu.id() << " with " << candidates
                      << " candidates...\n";
            auto runs = emulate(emu, 1000, candidates);
            std::vector<CalibrationSample> samples;
            for (const auto& r : runs) samples.push_back(sampleOf(r));
            CoreResourceModel model = fitResourceModel(samples);
            SimulatedBoard sim(profile, model);
            Errors e = compare(runs, sim);
            model.fit = Json{{"core", profile.core},
                             {"board", emu.id()},
                             {"candidates", static_cast<int>(runs.size())},
                             {"seeds", "1000.." + std::to_string(1000 + candidates - 1)},
                             {"training_error", errorJson(e)}};
            out[profile.core] = model.toJson();
        }
        writeTextFileAtomically(calibrateFile, out.dump(2) + "\n");
        std::cout << "wrote " << calibrateFile << "\n";
        return 0;
    }

    auto models = loadResourceModels(defaultResourceModelFile());
    std::cout << "bench_boards: " << candidates << " random candidates (seeds " << seed << ".."
              << seed + candidates - 1 << "), simulated vs emulated\n\n";
    std::cout << std::left << std::setw(16) << "board" << std::right << std::setw(6) << "n" << std::setw(12)
              << "s/meas" << std::setw(12) << "max s" << std::setw(14) << "flash err" << std::setw(14) << "SRAM err"
              << std::setw(14) << "latency err" << std::setw(14) << "lat err max" << "\n";
    for (const char* id : kBoards) {
        BoardProfile profile = builtinBoardProfile(id);
        EmulatedBoard emu(profile, toolchain);
        SimulatedBoard sim(profile, resourceModelFor(profile, models));
        auto runs = emulate(emu, seed, candidates);
        std::vector<double> secs;
        std::int64_t biggest = 0;
        for (const auto& r : runs) {
            secs.push_back(r.seconds);
            biggest = std::max<std::int64_t>(biggest, r.program.summary["weight_bytes"].get<std::int64_t>());
        }
        Errors e = compare(runs, sim);
        std::cout << std::left << std::setw(16) << id << std::right << std::setw(6) << runs.size() << std::fixed
                  << std::setprecision(3) << std::setw(12) << mean(secs) << std::setw(12) << maximum(secs)
                  << std::setprecision(1) << std::setw(13) << 100 * mean(e.flash) << "%" << std::setw(13)
                  << 100 * mean(e.sram) << "%" << std::setw(13) << 100 * mean(e.latency) << "%" << std::setw(13)
                  << 100 * maximum(e.latency) << "%\n";
        std::cout << std::setw(16) << "" << "  p90 errors: flash " << 100 * percentile90(e.flash) << "%, SRAM "
                  << 100 * percentile90(e.sram) << "%, latency " << 100 * percentile90(e.latency)
                  << "%; max flash " << 100 * maximum(e.flash) << "%, max SRAM " << 100 * maximum(e.sram)
                  << "%; largest model " << biggest / 1024 << " KB of weights\n";
    }
    std::cout << "\nreference (issue 6): < 1 s per emulated measurement up to 100 KB of weights; "
                 "simulated within 10% flash, 15% SRAM, 25% latency\n";
    return 0;
}
