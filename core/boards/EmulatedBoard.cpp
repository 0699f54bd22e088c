#include "EmulatedBoard.h"
#include "boards/FirmwareHarness.h"
#include "boards/Subprocess.h"
#include "boards/TempDirectory.h"
#include "graph/Project.h"
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace nesy {

namespace {

std::string hex(std::uint32_t v)
{
    std::ostringstream os;
    os << "0x" << std::hex << v;
    return os.str();
}

// Decrements a counter on scope exit: the board reports Busy while any measurement runs.
class BusyScope {
public:
    explicit BusyScope(std::atomic<int>& n) : n_(n) { ++n_; }
    ~BusyScope() { --n_; }
    BusyScope(const BusyScope&) = delete;
    BusyScope& operator=(const BusyScope&) = delete;
private:
    std::atomic<int>& n_;
};

Measurement faulted(const std::string& board, FaultKind kind, std::string detail)
{
    Measurement m;
    m.boardId = board;
    m.fault = kind;
    m.detail = std::move(detail);
    return m;
}

// "region `FLASH' overflowed by 1234 bytes" -> 1234 for that region, 0 when absent.
std::int64_t overflowBytes(const std::string& log, const std::string& region)
{
    const std::string needle = "region `" + region + "' overflowed by ";
    std::int64_t worst = 0;
    for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1))
        worst = std::max<std::int64_t>(worst, std::strtoll(log.c_str() + at + needle.size(), nullptr, 10));
    if (worst == 0 && log.find("will not fit in region `" + region + "'") != std::string::npos)
        worst = 1;
    return worst;
}

std::string tail(const std::string& text, std::size_t n = 1500)
{
    return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

struct ImageSizes {
    std::int64_t flash = 0;
    std::int64_t ramStatic = 0;
};

// Sums the sections of `arm-none-eabi-size -A -d` by the region their address is in.
ImageSizes parseSectionSizes(const std::string& text, const EmulatedMemoryMap& map)
{
    ImageSizes s;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name;
        std::int64_t size = 0, addr = 0;
        if (!(fields >> name >> size >> addr) || name.empty() || name[0] != '.')
            continue;
        bool inFlash = addr >= map.flashOrigin && addr < map.flashLimit;
        bool inRam = addr >= map.ramOrigin && addr < map.ramLimit;
        if (inFlash)
            s.flash += size;
        if (inRam)
            s.ramStatic += size;
        if (inRam && name == ".data")
            s.flash += size; // initial values are stored in flash and copied at startup
    }
    return s;
}

bool outputsMatch(const std::vector<float>& got, const std::vector<float>& want, double tolerance, std::string& why)
{
    if (got.size() != want.size()) {
        why = "the board produced " + std::to_string(got.size()) + " outputs, the host " +
              std::to_string(want.size());
        return false;
    }
    for (std::size_t i = 0; i < got.size(); ++i) {
        double g = got[i], w = want[i];
        bool same = (std::isnan(g) && std::isnan(w)) || std::fabs(g - w) <= tolerance * std::max(1.0, std::fabs(w));
        if (!same) {
            std::ostringstream os;
            os << "output " << i << " is " << g << " on the board but " << w << " on the host";
            why = os.str();
            return false;
        }
    }
    return true;
}

} // namespace

EmulatedBoard::EmulatedBoard(BoardProfile profile, ArmToolchain toolchain, EmulatorOptions options)
    : profile_(std::move(profile)), toolchain_(std::move(toolchain)), options_(std::move(options))
{
    if (profile_.emulatorMachine.empty())
        unavailableReason_ = "no QEMU machine models the " + profile_.core + " core of " + profile_.name;
    else if (!toolchain_.available())
        unavailableReason_ = toolchain_.problem;
    else if (auto problem = emulatedMemoryProblem(profile_); !problem.empty())
        unavailableReason_ = problem;
    else {
        try {
            armCpuFlags(profile_);
        } catch (const std::invalid_argument& e) {
            unavailableReason_ = e.what();
        }
    }
}

BoardState EmulatedBoard::state() const
{
    if (!unavailableReason_.empty())
        return BoardState::Unavailable;
    return busy_.load() > 0 ? BoardState::Busy : BoardState::Ready;
}

std::vector<std::string> EmulatedBoard::compileCommand(const std::vector<std::string>& files) const
{
    // One driver call: each foo.c becomes foo.o, which the linker script matches by name. -pipe
    // saves the temporary assembly files.
    std::vector<std::string> compile{toolchain_.gcc.string()};
    auto cpu = armCpuFlags(profile_);
    compile.insert(compile.end(), cpu.begin(), cpu.end());
    for (const char* f : {"-std=c99", "-ffunction-sections", "-fdata-sections", "-fno-tree-loop-distribute-patterns",
                          "-Wall", "-pipe", "-c"})
        compile.push_back(f);
    compile.push_back(options_.optimization);
    compile.insert(compile.end(), files.begin(), files.end());
    return compile;
}

const std::filesystem::path* EmulatedBoard::harnessObjects(const StopToken& stop)
{
    std::lock_guard<std::mutex> lock(harnessMutex_);
    if (harnessDir_)
        return &harnessDir_->path();
    auto dir = std::make_unique<TempDirectory>("nesy-emu-harness-" + profile_.id);
    writeTextFileAtomically(dir->path() / "startup.c", harnessStartupSource());
    writeTextFileAtomically(dir->path() / "harness.c", harnessMainSource());
    auto compiled = runProcess(compileCommand({"startup.c", "harness.c"}),
                               ProcessOptions{options_.compileTimeout, dir->path(), &stop});
    if (compiled.cancelled || compiled.timedOut)
        return nullptr;
    if (!compiled.succeeded())
        throw std::runtime_error("board " + id() + ": the measuring harness does not compile (" + compiled.describe() +
                                 "):\n" + tail(compiled.output));
    harnessDir_ = std::move(dir);
    return &harnessDir_->path();
}

Measurement EmulatedBoard::measure(const CandidateProgram& program, const StopToken& stop)
{
    EmulationReport report;
    return measure(program, stop, report);
}

Measurement EmulatedBoard::measure(const CandidateProgram& program, const StopToken& stop, EmulationReport& report)
{
    if (!unavailableReason_.empty())
        throw std::runtime_error("board " + id() + " is unavailable: " + unavailableReason_);
    if (!program.sources.count("nesy_program.c") || !program.sources.count("nesy_program.h"))
        throw std::runtime_error("candidate " + program.name + " has no nesy_program.c / nesy_program.h to build");
    BusyScope busy(busy_);
    const EmulatedMemoryMap map;
    TempDirectory dir("nesy-emu-" + profile_.id);
    if (options_.keepBuildDirectory)
        dir.keep();
    const auto& root = dir.path();

    // Sources: the candidate's files plus the harness.
    std::vector<std::string> cFiles;
    for (const auto& [name, text] : program.sources) {
        if (name.find('/') != std::string::npos || name.find("..") != std::string::npos)
            throw std::runtime_error("candidate " + program.name + ": source name \"" + name + "\" is not a plain file name");
        writeTextFileAtomically(root / name, text);
        if (name.size() > 2 && name.substr(name.size() - 2) == ".c")
            cFiles.push_back(name);
    }
    writeTextFileAtomically(root / "nesy_testdata.h", harnessTestDataHeader(program.testInput));
    writeTextFileAtomically(root / "testdata.c", harnessTestDataSource());
    writeTextFileAtomically(root / "link.ld", harnessLinkerScript(profile_, map));
    cFiles.push_back("testdata.c");

    ProcessOptions compileOptions{options_.compileTimeout, root, &stop};
    auto cpu = armCpuFlags(profile_);
    const std::filesystem::path* harness = harnessObjects(stop);
    if (!harness)
        return faulted(id(), stop.stopRequested() ? FaultKind::Cancelled : FaultKind::Timeout,
                       "compiling the measuring harness " + std::string(stop.stopRequested() ? "was cancelled" : "timed out"));
    const auto compile = compileCommand(cFiles);
    auto clock = std::chrono::steady_clock::now();
    auto lap = [&clock] {
        auto now = std::chrono::steady_clock::now();
        double s = std::chrono::duration<double>(now - clock).count();
        clock = now;
        return s;
    };
    auto compiled = runProcess(compile, compileOptions);
    report.compileSeconds = lap();
    if (compiled.cancelled)
        return faulted(id(), FaultKind::Cancelled, "cancelled while compiling");
    if (compiled.timedOut)
        return faulted(id(), FaultKind::Timeout, "compiling took longer than the time limit");
    if (!compiled.succeeded())
        throw std::runtime_error("board " + id() + ": the generated code of " + program.name +
                                 " does not compile (" + compiled.describe() + "):\n" + tail(compiled.output));

    // Link against the board's memory map: an overflow is the board's overflow.
    std::vector<std::string> link{toolchain_.gcc.string()};
    link.insert(link.end(), cpu.begin(), cpu.end());
    for (const char* f : {"-nostartfiles", "--specs=nano.specs", "-T", "link.ld", "-Wl,--gc-sections", "-o",
                          "firmware.elf"})
        link.push_back(f);
    for (const auto& c : cFiles)
        link.push_back(c.substr(0, c.size() - 2) + ".o");
    link.push_back((*harness / "startup.o").string());
    link.push_back((*harness / "harness.o").string());
    link.push_back("-lm");
    auto linked = runProcess(link, compileOptions);
    report.log = compiled.output + linked.output;
    if (linked.cancelled || linked.timedOut)
        return faulted(id(), linked.cancelled ? FaultKind::Cancelled : FaultKind::Timeout, "linking " + linked.describe());
    if (!linked.succeeded()) {
        std::int64_t flashOver = overflowBytes(linked.output, "FLASH");
        std::int64_t ramOver = overflowBytes(linked.output, "RAM");
        if (flashOver > 0 || ramOver > 0) {
            Measurement m = faulted(id(), flashOver > 0 ? FaultKind::FlashOverflow : FaultKind::RamOverflow, "");
            if (flashOver > 0) {
                m.flashBytes = profile_.usableFlashBytes() + flashOver;
                m.detail = "flash overflows the " + std::to_string(profile_.usableFlashBytes()) +
                           " usable bytes by " + std::to_string(flashOver);
            }
            if (ramOver > 0) {
                m.sramStaticBytes = profile_.usableSramBytes() + ramOver;
                m.detail += std::string(m.detail.empty() ? "" : "; ") + "static SRAM overflows the " +
                            std::to_string(profile_.usableSramBytes()) + " usable bytes by " +
                            std::to_string(ramOver);
            }
            return m;
        }
        if (linked.output.find("undefined reference") != std::string::npos)
            return faulted(id(), FaultKind::UnsupportedOperation,
                           "the program needs a function the board's C library lacks:\n" + tail(linked.output));
        throw std::runtime_error("board " + id() + ": linking " + program.name + " failed (" + linked.describe() +
                                 "):\n" + tail(linked.output));
    }

    auto sized = runProcess({toolchain_.size.string(), "-A", "-d", "firmware.elf"}, compileOptions);
    if (!sized.succeeded())
        throw std::runtime_error("board " + id() + ": arm-none-eabi-size failed: " + tail(sized.output));
    ImageSizes sizes = parseSectionSizes(sized.output, map);
    report.linkSeconds = lap();

    // Run one inference, counting instructions between the markers.
    const auto countFile = root / "instructions.txt";
    std::vector<std::string> run{toolchain_.qemu.string(), "-M", profile_.emulatorMachine, "-nodefaults",
                                 "-display", "none", "-monitor", "none", "-serial", "null", "-net", "none",
                                 "-semihosting-config", "enable=on,target=native", "-kernel", "firmware.elf",
                                 "-plugin",
                                 toolchain_.plugin.string() + ",begin=" + hex(kMarkerBeginAddress) + ",end=" +
                                     hex(kMarkerEndAddress) + ",out=" + countFile.string()};
    auto ran = runProcess(run, ProcessOptions{options_.runTimeout, root, &stop});
    report.runSeconds = lap();
    report.log += ran.output;

    Measurement m;
    m.boardId = id();
    m.flashBytes = sizes.flash;
    m.sramStaticBytes = sizes.ramStatic;
    if (ran.cancelled)
        return faulted(id(), FaultKind::Cancelled, "cancelled while running");
    if (ran.timedOut) {
        m.fault = FaultKind::Timeout;
        m.detail = "one inference did not finish within " + std::to_string(options_.runTimeout.count()) + " ms";
        return m;
    }
    std::istringstream lines(ran.output);
    std::string line;
    bool done = false, hardFault = false, stackOverflow = false;
    while (std::getline(lines, line)) {
        if (line.rfind("stack ", 0) == 0)
            m.peakStackBytes = std::stoll(line.substr(6), nullptr, 16);
        else if (line.rfind("out ", 0) == 0) {
            std::uint32_t bits = static_cast<std::uint32_t>(std::stoul(line.substr(4), nullptr, 16));
            float f;
            std::memcpy(&f, &bits, sizeof f);
            report.outputs.push_back(f);
        } else if (line == "done")
            done = true;
        else if (line == "fault")
            hardFault = true;
        else if (line == "stack-overflow")
            stackOverflow = true;
    }
    if (hardFault || !done) {
        m.fault = FaultKind::RuntimeFault;
        m.detail = hardFault ? "the inference raised a CPU fault (HardFault)"
                             : "the firmware stopped before finishing (" + ran.describe() + "): " + tail(ran.output, 400);
        return m;
    }
    if (stackOverflow || m.sramBytes() > profile_.usableSramBytes()) {
        m.fault = FaultKind::RamOverflow;
        m.detail = "static SRAM " + std::to_string(m.sramStaticBytes) + " + peak stack " +
                   std::to_string(m.peakStackBytes) + " bytes exceed the " +
                   std::to_string(profile_.usableSramBytes()) + " usable bytes";
        return m;
    }
    std::string counted = readTextFile(countFile);
    if (counted.rfind("instructions ", 0) != 0)
        throw std::runtime_error("board " + id() + ": the instruction counter reported \"" + counted + "\"");
    report.instructions = std::stoll(counted.substr(13));
    m.cycles = std::llround(static_cast<double>(report.instructions) * profile_.cyclesPerInstruction);
    m.latencyMs = static_cast<double>(m.cycles) / profile_.clockHz * 1000.0;

    std::string why;
    if (!program.expectedOutput.empty() &&
        !outputsMatch(report.outputs, program.expectedOutput, options_.outputTolerance, why)) {
        m.fault = FaultKind::RuntimeFault;
        m.detail = "the board's outputs differ from the host's: " + why;
        return m;
    }
    m.detail = std::to_string(report.instructions) + " instructions";
    return m;
}

} // namespace nesy
