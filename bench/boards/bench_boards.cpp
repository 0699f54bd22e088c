// bench_boards: time per emulated measurement, and the simulated board's error against the
// emulated one over random candidates (targets from issue 6: < 1 s per candidate up to 100 KB of
// weights; flash within 10%, SRAM within 15%, latency within 25%).
//
//   bench_boards [--candidates N] [--seed S]        evaluate (default 40 candidates, seeds S..S+N-1)
//   bench_boards --calibrate FILE [--candidates N]  fit the resource models on emulated runs, write FILE
//   --samples FILE   also write every emulated observation (summary + measured figures) to FILE
//   --from FILE      use the observations of an earlier --samples run instead of emulating
//   --model FILE     evaluate this resource-model file instead of the bundled one
//   --explain SEED   print each instruction term's share of that candidate's estimate
//   --family F       list the worst candidates of this family only (network, decision, filter)
//   --input-seed S   measure the filter steps on syntheticInput(seed S) instead of the builder's test input
//   --keep           keep each emulated build folder (generated C, firmware.elf) in the temp directory
//   --worst N        list the N candidates the simulated board misses most, per figure (default 3)
//   --rounds N       Lawson reweighting rounds of the calibration fit (default 0: the plain relative fit; more
//                    rounds lower the training maximum but generalised worse on the evaluation set)
//
// The random candidates mix the families the code generator emits (seed % 10): 3 a linear
// Kalman step, 6 a neural-Kalman step, 9 an orientation EKF step, 1 a network with a decision
// stage, 7 the ground robot's steps (a GPS/INS EKF step when seed / 10 is even, a body-velocity
// neural-Kalman step when odd), the rest networks (features + MLP, 1D CNN, TCN; float or int8),
// with the movement channel on 8 unless the network reduces the window to magnitudes.
// Calibration keeps 7 for networks (the inlined kernels' terms need every network it has) and
// takes 5 instead: a ground-robot step when seed / 10 is even (alternating the two kinds), a
// decision program when odd (their costs need more examples), and 8 for small programs: an int8
// CNN with one convolution when seed / 10 is even, a tiny features + MLP (1..4 features, mostly
// of linear work and on magnitudes) when odd. Calibration networks also carry the movement channel and
// (for half of the features programs) 1..4 features at random (randomSyntheticOptions).
//
//   bench_boards --journal J --project P   real programs: every ok trial of the search journal J
//                                          of project P, retrained with its seed (as `nesy measure`)
#include "boards/ArmToolchain.h"
#include "boards/EmulatedBoard.h"
#include "boards/Subprocess.h"
#include "boards/TempDirectory.h"
#include "boards/SimulatedBoard.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/SyntheticPrograms.h"
#include "codegen/TrialPrograms.h"
#include "codegen/TrialSelection.h"
#include "engine/Resources.h"
#include "graph/Project.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace nesy;
using namespace nesy::codegen;

namespace {

// One emulated observation: what the simulated board sees (the summary) and what the emulated
// board measured.
struct Observation {
    std::uint64_t seed = 0;
    std::string family; // "network", "decision", "filter"
    std::string name;
    Json summary;
    double instructions = 0, flash = 0, sramStatic = 0, peakStack = 0;
    double seconds = 0, compileSeconds = 0, linkSeconds = 0, runSeconds = 0;

    Json toJson() const
    {
        return Json{{"seed", seed}, {"family", family}, {"name", name}, {"summary", summary},
                    {"instructions", instructions}, {"flash", flash}, {"sram_static", sramStatic},
                    {"peak_stack", peakStack}, {"seconds", seconds}, {"compile_seconds", compileSeconds},
                    {"link_seconds", linkSeconds}, {"run_seconds", runSeconds}};
    }
    static Observation fromJson(const Json& j)
    {
        Observation o;
        o.seed = j.at("seed").get<std::uint64_t>();
        o.family = j.at("family").get<std::string>();
        o.name = j.at("name").get<std::string>();
        o.summary = j.at("summary");
        o.instructions = j.at("instructions").get<double>();
        o.flash = j.at("flash").get<double>();
        o.sramStatic = j.at("sram_static").get<double>();
        o.peakStack = j.at("peak_stack").get<double>();
        o.seconds = j.at("seconds").get<double>();
        o.compileSeconds = j.value("compile_seconds", 0.0);
        o.linkSeconds = j.value("link_seconds", 0.0);
        o.runSeconds = j.value("run_seconds", 0.0);
        return o;
    }
};

struct Candidate {
    std::string family;
    CandidateProgram program;
};

// --input-seed: measure the filters on another test input than the builder's (to see how much
// the data-dependent soft-float cost varies); 0 keeps the builder's.
std::uint64_t filterInputSeed = 0;

CandidateProgram filterCandidate(const FilterIR& filter)
{
    if (filterInputSeed == 0)
        return buildCandidateProgram(filter);
    return buildCandidateProgram(filter, syntheticInput(Shape{1, filter.inputSize()}, filterInputSeed));
}

// Calibration candidates (calibrating = true) also vary pooling and features, which the
// evaluation's default shapes keep fixed (randomSyntheticOptions).
Candidate candidateForSeed(std::uint64_t seed, bool calibrating)
{
    const std::uint64_t digit = seed % 10, tens = seed / 10;
    const bool groundRobot = calibrating ? digit == 5 && tens % 2 == 0 : digit == 7;
    if (groundRobot) {
        const bool ekf = (calibrating ? tens / 2 : tens) % 2 == 0;
        const FilterKind kind = ekf ? FilterKind::GpsInsEkf : FilterKind::BodyVelocityKalman;
        return {"filter", filterCandidate(randomSyntheticFilter(kind, seed))};
    }
    const bool decision = digit == 1 || (calibrating && digit == 5);
    if (decision) {
        SyntheticOptions o = randomSyntheticOptions(seed, calibrating);
        o.decisionTrees = 1 + static_cast<int>(seed / 10 % 5);
        o.decisionDepth = 1 + static_cast<int>(seed / 7 % 4);
        return {"decision", buildCandidateProgram(syntheticProgram(o, seed))};
    }
    if (calibrating && digit == 8) {
        // The small programs whose fixed per-call costs the other seeds barely determine: int8
        // CNNs with a single convolution (the inlined int8 kernels), features + MLP on short windows.
        SyntheticOptions o = randomSyntheticOptions(seed, true);
        if (tens % 2 == 0) {
            o.shape = SyntheticShape::Cnn;
            o.int8 = true;
            o.depth = 1;
            o.width = std::min(o.width, 32);
            o.kernel = 2 + static_cast<int>(seed / 20 % 6);
        } else {
            // Tiny programs as searches that prune features find them: 1..4 features, on the
            // magnitudes of a long 6-axis window for 3 in 4 of them, a narrow MLP (every kernel
            // inlined, the first feature pass often dropped by GCC).
            o.shape = SyntheticShape::FeaturesMlp;
            o.features = true;
            o.featureCount = 1 + static_cast<int>(seed / 20 % 4);
            o.width = std::min(o.width, 16);
            o.depth = static_cast<int>(seed / 60 % 3); // 0: the output layer alone (inlined)
            o.linearFeatures = seed / 40 % 4 != 0; // the per-sample costs, not hidden by a sort or DFT
            o.magnitudes = seed / 40 % 4 != 1;
            o.magnitudesKeepAxes = false;
            o.movement = false;
            o.windowLength = o.magnitudes ? 64 + 8 * static_cast<int>(seed / 20 % 40) : 16 + static_cast<int>(seed / 20 % 33);
        }
        return {"network", buildCandidateProgram(syntheticProgram(o, seed))};
    }
    if (!calibrating && digit == 8) {
        // rule.movement_channel on the window's last (up to 3) channels, where the program has
        // no magnitudes (which read the same axes).
        SyntheticOptions o = randomSyntheticOptions(seed, false);
        o.movement = !o.magnitudes;
        return {"network", buildCandidateProgram(syntheticProgram(o, seed))};
    }
    switch (digit) {
    case 3: return {"filter", filterCandidate(randomSyntheticFilter(FilterKind::Linear, seed))};
    case 6: return {"filter", filterCandidate(randomSyntheticFilter(FilterKind::NeuralKalman, seed))};
    case 9: return {"filter", filterCandidate(randomSyntheticFilter(FilterKind::OrientationEkf, seed))};
    default: return {"network", buildCandidateProgram(syntheticProgram(randomSyntheticOptions(seed, calibrating), seed))};
    }
}

// Real programs (--journal J --project P): every ok trial of a search journal, retrained with its
// seed and generated as `nesy measure` does (codegen/TrialPrograms.h), keyed by trial id. Trials
// the generator cannot contain are skipped with a note.
std::map<std::uint64_t, Candidate> journalCandidates(const std::filesystem::path& projectFile,
                                                     const std::filesystem::path& journal)
{
    const Project project = loadProject(projectFile);
    std::map<std::uint64_t, Candidate> out;
    for (const TrialRecord& t : readJournal(journal).trials) {
        if (t.status != TrialStatus::Ok)
            continue;
        const std::string id = std::to_string(t.id);
        try {
            const TrainedTrial trained = retrainTrial(project, trialGraph(project, id, journal));
            CandidateProgram program = candidateProgramFor(trained.program);
            const std::string family = program.summary.contains("filter")     ? "filter"
                                       : program.summary.contains("decision") ? "decision"
                                                                               : "network";
            out[static_cast<std::uint64_t>(t.id)] = Candidate{family, std::move(program)};
        } catch (const std::exception& e) {
            std::cerr << "  trial " << id << ": " << e.what() << " -- skipped\n";
        }
    }
    return out;
}

// Emulates the candidates with the given ids (seeds, or trial ids) in order.
std::vector<Observation> emulate(EmulatedBoard& board, const std::vector<std::uint64_t>& ids,
                                 const std::function<Candidate(std::uint64_t)>& candidateFor)
{
    std::vector<Observation> out;
    StopToken stop;
    for (const std::uint64_t seed : ids) {
        Candidate c = candidateFor(seed);
        EmulationReport report;
        auto start = std::chrono::steady_clock::now();
        Measurement m = board.measure(c.program, stop, report);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!m.ok()) {
            std::cerr << "  seed " << seed << " (" << c.program.name << "): " << faultKindName(m.fault) << ": "
                      << m.detail << " -- skipped\n";
            continue;
        }
        Observation o;
        o.seed = seed;
        o.family = c.family;
        o.name = c.program.name;
        o.summary = c.program.summary;
        o.instructions = static_cast<double>(report.instructions);
        o.flash = static_cast<double>(m.flashBytes);
        o.sramStatic = static_cast<double>(m.sramStaticBytes);
        o.peakStack = static_cast<double>(m.peakStackBytes);
        o.seconds = seconds;
        o.compileSeconds = report.compileSeconds;
        o.linkSeconds = report.linkSeconds;
        o.runSeconds = report.runSeconds;
        out.push_back(std::move(o));
    }
    return out;
}

CalibrationSample sampleOf(const Observation& o)
{
    CalibrationSample s;
    s.terms = resourceTerms(o.summary);
    s.instructions = o.instructions;
    s.flashBytes = o.flash;
    s.sramStaticBytes = o.sramStatic;
    s.peakStackBytes = o.peakStack;
    return s;
}

struct Errors {
    std::vector<double> flash, sram, latency;
};

double relative(double estimate, double truth)
{
    return truth == 0 ? 0 : std::fabs(estimate - truth) / std::fabs(truth);
}

// Errors of the simulated board against the observations (of one family, or all when empty).
// Latency = instructions x the same CPI / clock on both boards, so its error is the instructions'.
Errors compare(const std::vector<Observation>& obs, const CoreResourceModel& model, const std::string& family = {})
{
    Errors e;
    for (const auto& o : obs) {
        if (!family.empty() && o.family != family)
            continue;
        ResourceEstimate s = model.estimate(resourceTerms(o.summary));
        e.flash.push_back(relative(static_cast<double>(s.flashBytes), o.flash));
        e.sram.push_back(relative(static_cast<double>(s.sramStaticBytes + s.peakStackBytes), o.sramStatic + o.peakStack));
        e.latency.push_back(relative(s.instructions, o.instructions));
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
    return Json{{"candidates", e.flash.size()}, {"flash", one(e.flash)}, {"sram", one(e.sram)}, {"latency", one(e.latency)}};
}

const char* kBoards[] = {"nucleo-f446re", "nucleo-f746zg"}; // one per emulated core
const char* kFamilies[] = {"network", "decision", "filter"};

std::string percent(double v)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(1) << 100 * v << "%";
    return os.str();
}

std::string triple(const std::vector<double>& v)
{
    return percent(mean(v)) + " (" + percent(percentile90(v)) + ", " + percent(maximum(v)) + ")";
}

void printErrorRow(const std::string& label, const Errors& e)
{
    std::cout << "  " << std::left << std::setw(10) << label << std::right << std::setw(4) << e.flash.size()
              << "  flash " << std::setw(22) << triple(e.flash) << "  SRAM " << std::setw(22) << triple(e.sram)
              << "  latency " << std::setw(24) << triple(e.latency) << "\n";
}

// The candidates the simulated board misses most, for one figure (to see which terms fall short).
void printWorst(const std::vector<Observation>& obs, const CoreResourceModel& model, const char* figure,
                std::size_t count, const std::string& family)
{
    std::vector<std::pair<double, const Observation*>> worst;
    for (const auto& o : obs) {
        if (!family.empty() && o.family != family)
            continue;
        const ResourceEstimate e = model.estimate(resourceTerms(o.summary));
        const std::string f = figure;
        const double estimate = f == "flash" ? static_cast<double>(e.flashBytes)
                                : f == "SRAM" ? static_cast<double>(e.sramStaticBytes + e.peakStackBytes)
                                              : e.instructions;
        const double truth = f == "flash" ? o.flash : f == "SRAM" ? o.sramStatic + o.peakStack : o.instructions;
        worst.emplace_back((estimate - truth) / truth, &o);
    }
    std::sort(worst.begin(), worst.end(), [](const auto& a, const auto& b) { return std::fabs(a.first) > std::fabs(b.first); });
    std::cout << "  worst " << figure << ":";
    for (std::size_t i = 0; i < std::min(count, worst.size()); ++i)
        std::cout << (i ? "," : "") << " seed " << worst[i].second->seed << " " << worst[i].second->name << " "
                  << std::showpos << percent(worst[i].first) << std::noshowpos;
    std::cout << "\n";
}

// One row per candidate: simulated / emulated flash, SRAM (static + stack), instructions and the
// signed errors (for the real programs, where each one is worth seeing).
void printEach(const std::vector<Observation>& obs, const CoreResourceModel& model)
{
    std::cout << "  id    program                          flash sim/emu (err)       SRAM sim/emu (err)  "
                 "instructions sim/emu (err)\n";
    for (const auto& o : obs) {
        const ResourceEstimate e = model.estimate(resourceTerms(o.summary));
        const double sram = static_cast<double>(e.sramStaticBytes + e.peakStackBytes), sramTruth = o.sramStatic + o.peakStack;
        auto cell = [](double sim, double emu) {
            std::ostringstream os;
            os << std::fixed << std::setprecision(0) << sim << "/" << emu << " (" << std::showpos
               << std::setprecision(1) << 100 * (sim - emu) / emu << "%)";
            return os.str();
        };
        std::cout << "  " << std::left << std::setw(5) << o.seed << " " << std::setw(32) << o.name << std::right
                  << std::setw(22) << cell(static_cast<double>(e.flashBytes), o.flash) << std::setw(22)
                  << cell(sram, sramTruth) << std::setw(28) << cell(e.instructions, o.instructions) << "\n";
    }
}

void explain(const Observation& o, const CoreResourceModel& model)
{
    const ResourceTerms t = resourceTerms(o.summary);
    std::cout << "  seed " << o.seed << " " << o.name << ": " << o.instructions << " instructions measured, "
              << model.estimate(t).instructions << " estimated\n";
    for (const auto& [k, v] : t.instructions) {
        auto it = model.instructionCoefficients.find(k);
        const double c = it == model.instructionCoefficients.end() ? 0 : it->second;
        std::cout << "    " << std::left << std::setw(28) << k << std::right << std::setw(12) << v << " x "
                  << std::setw(10) << c << " = " << std::setw(12) << v * c << "\n";
    }
    const ResourceEstimate e = model.estimate(t);
    std::cout << "  flash: " << o.flash << " bytes measured, " << e.flashBytes << " estimated (constants "
              << t.constantBytes << ", library functions " << model.library.linked(t.libraryFunctions).flashBytes << ")\n";
    for (const auto& [k, v] : t.code) {
        auto it = model.codeCoefficients.find(k);
        const double c = it == model.codeCoefficients.end() ? 0 : it->second;
        std::cout << "    " << std::left << std::setw(28) << k << std::right << std::setw(12) << v << " x "
                  << std::setw(10) << c << " = " << std::setw(12) << v * c << "\n";
    }
    std::cout << "  SRAM: " << o.sramStatic << " static + " << o.peakStack << " stack measured, " << e.sramStaticBytes
              << " + " << e.peakStackBytes << " estimated\n";
}

// The sections one linked function brings in, from the linker's map ("Linker script and memory
// map": input sections from archives, e.g. " .text  0x00008000  0x7c /.../libm.a(lib_a-wf_exp.o)",
// the name on a line of its own when it is long).
void addMappedSections(const std::string& map, const std::string& function, LibraryCode& library)
{
    std::istringstream in(map.substr(std::min(map.size(), map.find("Linker script and memory map"))));
    std::string line, pending;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] != ' ')
            continue; // output sections start in the first column
        std::istringstream fields(line);
        std::vector<std::string> f;
        for (std::string w; fields >> w;)
            f.push_back(w);
        if (f.size() == 1 && f[0][0] == '.') {
            pending = f[0];
            continue;
        }
        std::string name = pending;
        pending.clear();
        if (!f.empty() && f[0][0] == '.') {
            name = f[0];
            f.erase(f.begin());
        }
        if (name.empty() || f.size() < 3 || f[0].rfind("0x", 0) != 0 || f[2].find(".a(") == std::string::npos)
            continue;
        const bool code = name.rfind(".text", 0) == 0 || name.rfind(".rodata", 0) == 0;
        const bool data = name.rfind(".data", 0) == 0, zeroed = name.rfind(".bss", 0) == 0 || name == "COMMON";
        const double size = static_cast<double>(std::stoll(f[1], nullptr, 16));
        if (!(code || data || zeroed) || size == 0)
            continue;
        const std::string key = std::filesystem::path(f[2]).filename().string() + " " + name;
        library.sections[key] = LibraryCode::Section{code || data ? size : 0, data || zeroed ? size : 0};
        library.functionSections[function].push_back(key);
    }
}

// What each library function the resource model names links for the board's core (its multilib):
// facts of the toolchain, measured by linking a program that only calls it, as the emulated
// board links (newlib-nano, libm, --gc-sections).
LibraryCode measureLibrary(const ArmToolchain& toolchain, const BoardProfile& profile)
{
    TempDirectory dir("nesy-library-" + profile.id);
    LibraryCode library;
    for (const auto& function : modelledLibraryFunctions()) {
        std::vector<std::string> link{toolchain.gcc.string()};
        for (const auto& f : armCpuFlags(profile))
            link.push_back(f);
        for (const std::string& f : std::vector<std::string>{"-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections", "-Wl,-u," + function,
                                    "-Wl,-e," + function, "-Wl,-Map=probe.map", "-o", "probe.elf", "-lm"})
            link.push_back(f);
        ProcessResult r = runProcess(link, ProcessOptions{std::chrono::milliseconds(60000), dir.path(), nullptr});
        if (!r.succeeded())
            throw std::runtime_error("linking " + function + " for " + profile.core + " failed (" + r.describe() +
                                     "):\n" + r.output);
        addMappedSections(readTextFile(dir.path() / "probe.map"), function, library);
        if (!library.functionSections.count(function))
            throw std::runtime_error("linking " + function + " for " + profile.core + " brought in no library code");
    }
    return library;
}

std::vector<Observation> observationsOf(const Json& doc, const std::string& core, const std::string& file)
{
    if (!doc.contains(core))
        throw std::runtime_error(file + " has no observations for " + core);
    std::vector<Observation> out;
    for (const auto& j : doc.at(core))
        out.push_back(Observation::fromJson(j));
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    int candidates = 40;
    std::uint64_t seed = 1;
    bool seedGiven = false;
    int rounds = 0, worstCount = 3;
    bool keepBuilds = false;
    std::string worstFamily;
    std::int64_t explainSeed = -1;
    std::string calibrateFile, samplesFile, fromFile, modelFile = defaultResourceModelFile().string();
    std::string journalFile, projectFile;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--candidates" && i + 1 < argc)
            candidates = std::atoi(argv[++i]);
        else if (a == "--seed" && i + 1 < argc)
            seed = std::strtoull(argv[++i], nullptr, 10), seedGiven = true;
        else if (a == "--calibrate" && i + 1 < argc)
            calibrateFile = argv[++i];
        else if (a == "--samples" && i + 1 < argc)
            samplesFile = argv[++i];
        else if (a == "--from" && i + 1 < argc)
            fromFile = argv[++i];
        else if (a == "--explain" && i + 1 < argc)
            explainSeed = std::atoll(argv[++i]);
        else if (a == "--worst" && i + 1 < argc)
            worstCount = std::atoi(argv[++i]);
        else if (a == "--rounds" && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else if (a == "--family" && i + 1 < argc)
            worstFamily = argv[++i];
        else if (a == "--input-seed" && i + 1 < argc)
            filterInputSeed = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--keep")
            keepBuilds = true;
        else if (a == "--model" && i + 1 < argc)
            modelFile = argv[++i];
        else if (a == "--journal" && i + 1 < argc)
            journalFile = argv[++i];
        else if (a == "--project" && i + 1 < argc)
            projectFile = argv[++i];
        else {
            std::cerr << "usage: bench_boards [--candidates N] [--seed S] [--calibrate FILE] [--samples FILE] "
                         "[--from FILE] [--model FILE] [--rounds N] [--explain SEED] [--worst N] [--family F] [--keep] "
                         "[--journal FILE --project FILE]\n";
            return 2;
        }
    }
    const bool realPrograms = !journalFile.empty() || !projectFile.empty();
    if (realPrograms && (journalFile.empty() || projectFile.empty() || !calibrateFile.empty())) {
        std::cerr << "bench_boards: --journal and --project go together, and not with --calibrate\n";
        return 2;
    }
    const bool calibrating = !calibrateFile.empty();
    if (calibrating && fromFile.empty() && !seedGiven)
        seed = 1000; // calibration candidates use other seeds than the evaluation
    ArmToolchain toolchain = ArmToolchain::locate();
    Json stored;
    if (!fromFile.empty())
        stored = parseJsonText(readTextFile(fromFile), fromFile);
    else if (!toolchain.available()) {
        std::cerr << "bench_boards: " << toolchain.problem << "\n";
        return 1;
    }

    std::map<std::string, CoreResourceModel> models;
    if (!calibrating || std::filesystem::exists(modelFile))
        models = loadResourceModels(modelFile);
    Json fitted = Json::object(), samplesOut = Json::object();
    std::map<std::uint64_t, Candidate> trials; // --journal: the retrained trials, emulated on every board
    if (realPrograms && fromFile.empty()) {
        std::cout << "retraining the ok trials of " << journalFile << "...\n";
        trials = journalCandidates(projectFile, journalFile);
    }
    if (!calibrating)
        std::cout << "bench_boards: simulated vs emulated; errors: mean (p90, max)\n\n";
    for (const char* id : kBoards) {
        BoardProfile profile = builtinBoardProfile(id);
        std::vector<Observation> obs;
        if (!fromFile.empty()) {
            obs = observationsOf(stored, profile.core, fromFile);
        } else {
            EmulatorOptions options;
            options.keepBuildDirectory = keepBuilds;
            EmulatedBoard emu(profile, toolchain, options);
            if (realPrograms) {
                std::vector<std::uint64_t> ids;
                for (const auto& [id, c] : trials)
                    ids.push_back(id);
                std::cout << "measuring " << ids.size() << " trials on " << emu.id() << "...\n";
                obs = emulate(emu, ids, [&](std::uint64_t id) { return trials.at(id); });
                for (auto& o : obs)
                    o.name = "(trial) " + o.name;
            } else {
                std::cout << (calibrating ? "calibrating " : "measuring ") << candidates << " candidates (seeds "
                          << seed << ".." << seed + static_cast<std::uint64_t>(candidates) - 1 << ") on " << emu.id()
                          << "...\n";
                std::vector<std::uint64_t> seeds;
                for (int i = 0; i < candidates; ++i)
                    seeds.push_back(seed + static_cast<std::uint64_t>(i));
                obs = emulate(emu, seeds, [&](std::uint64_t s) { return candidateForSeed(s, calibrating); });
            }
        }
        samplesOut[profile.core] = Json::array();
        for (const auto& o : obs)
            samplesOut[profile.core].push_back(o.toJson());

        CoreResourceModel model;
        if (calibrating) {
            std::vector<CalibrationSample> samples;
            for (const auto& o : obs)
                samples.push_back(sampleOf(o));
            LibraryCode library;
            if (toolchain.available())
                library = measureLibrary(toolchain, profile);
            else if (auto previous = models.find(profile.core); previous != models.end())
                library = previous->second.library; // refitting without a toolchain
            model = fitResourceModel(samples, rounds, library);
            Json perFamily = Json::object();
            for (const char* f : kFamilies)
                perFamily[f] = errorJson(compare(obs, model, f));
            std::uint64_t lo = obs.empty() ? 0 : obs.front().seed, hi = obs.empty() ? 0 : obs.back().seed;
            model.fit = Json{{"core", profile.core},
                             {"board", "emu:" + profile.id},
                             {"candidates", static_cast<int>(obs.size())},
                             {"seeds", std::to_string(lo) + ".." + std::to_string(hi)},
                             {"method", "non-negative least squares on relative residuals, family by family "
                                        "(networks with and without features, decisions, filters)" +
                                            (rounds > 0 ? ", then " + std::to_string(rounds) +
                                                              " rounds of Lawson reweighting"
                                                        : std::string())},
                             {"training_error", errorJson(compare(obs, model))},
                             {"training_error_by_family", perFamily}};
            fitted[profile.core] = model.toJson();
        } else {
            model = resourceModelFor(profile, models);
        }

        std::vector<double> secs, compile, link, run;
        std::int64_t biggest = 0;
        for (const auto& o : obs) {
            secs.push_back(o.seconds);
            compile.push_back(o.compileSeconds);
            link.push_back(o.linkSeconds);
            run.push_back(o.runSeconds);
            biggest = std::max<std::int64_t>(biggest, o.summary["weight_bytes"].get<std::int64_t>());
        }
        std::cout << std::fixed << std::setprecision(3) << id << " (" << profile.core << "): " << obs.size()
                  << " candidates, largest " << biggest / 1024 << " KB of weights; s per emulated measurement: mean "
                  << mean(secs) << ", max " << maximum(secs) << " (compile " << mean(compile) << ", link + size "
                  << mean(link) << ", run " << mean(run) << ")\n";
        printErrorRow("all", compare(obs, model));
        for (const char* f : kFamilies)
            printErrorRow(f, compare(obs, model, f));
        for (const char* figure : {"flash", "SRAM", "latency"})
            printWorst(obs, model, figure, static_cast<std::size_t>(std::max(0, worstCount)), worstFamily);
        if (realPrograms)
            printEach(obs, model);
        for (const auto& o : obs)
            if (static_cast<std::int64_t>(o.seed) == explainSeed)
                explain(o, model);
    }
    if (!samplesFile.empty()) {
        writeTextFileAtomically(samplesFile, samplesOut.dump(1) + "\n");
        std::cout << "wrote the observations to " << samplesFile << "\n";
    }
    if (calibrating) {
        writeTextFileAtomically(calibrateFile, fitted.dump(2) + "\n");
        std::cout << "wrote " << calibrateFile << "\n";
    } else {
        std::cout << "\nreference (issue 6): < 1 s per emulated measurement up to 100 KB of weights; "
                     "simulated within 10% flash, 15% SRAM, 25% latency\n";
    }
    return 0;
}
