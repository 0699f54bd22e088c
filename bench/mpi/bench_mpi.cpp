// bench_mpi: how many trials per minute `nesy search --mpi` finishes with 1 and 2 workers on this
// machine, beside the plain local search, on the bundled example (generated data, so it runs
// anywhere). Figures come from the journal: the span from the first trial's start to the last
// trial's end (MPI start-up excluded), the mean trial time, and the optimizer's suggestion time.
//
//   bench_mpi [--trials N] [--epochs E] [--workers 1,2] [--repeat R] [--no-local]
// With --repeat R every configuration runs R times, interleaved (so a burst of load from other
// programs hits all of them alike), and the run with the median trials/min is reported.
#include "boards/Subprocess.h"
#include "graph/Project.h"
#include "search/Journal.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace nesy;

namespace {

struct Args {
    int trials = 12;
    int epochs = 0; // 0: the example's own
    std::vector<int> workers = {1, 2};
    int repeat = 1;
    bool local = true;
};

Args parse(int argc, char** argv)
{
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::runtime_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--trials")
            a.trials = std::stoi(next());
        else if (arg == "--epochs")
            a.epochs = std::stoi(next());
        else if (arg == "--workers") {
            a.workers.clear();
            std::stringstream list(next());
            for (std::string w; std::getline(list, w, ',');)
                a.workers.push_back(std::stoi(w));
        } else if (arg == "--repeat")
            a.repeat = std::max(1, std::stoi(next()));
        else if (arg == "--no-local")
            a.local = false;
        else
            throw std::runtime_error("unknown option " + arg +
                                     " (use --trials N --epochs E --workers 1,2 --repeat R --no-local)");
    }
    return a;
}

struct Figures {
    std::string label;
    int trials = 0;
    double spanS = 0, wallS = 0, meanTrialS = 0, meanSuggestMs = 0;
    double perMinute() const { return spanS > 0 ? trials * 60.0 / spanS : 0; }
};

Figures fromJournal(const std::string& label, const std::filesystem::path& journal, double wallS)
{
    auto contents = readJournal(journal);
    Figures f;
    f.label = label;
    f.wallS = wallS;
    f.trials = int(contents.trials.size());
    std::int64_t first = INT64_MAX, last = 0;
    double trialMs = 0, suggestMs = 0;
    for (const auto& t : contents.trials) {
        first = std::min(first, t.startedMs);
        last = std::max(last, t.finishedMs);
        trialMs += double(t.finishedMs - t.startedMs);
        suggestMs += t.suggestMs;
    }
    if (f.trials > 0) {
        f.spanS = double(last - first) / 1000.0;
        f.meanTrialS = trialMs / f.trials / 1000.0;
        f.meanSuggestMs = suggestMs / f.trials;
    }
    return f;
}

Figures run(const std::string& label, std::vector<std::string> argv, const std::filesystem::path& journal)
{
    std::filesystem::remove(journal);
    ProcessOptions options;
    options.timeout = std::chrono::minutes(30);
    const auto t0 = std::chrono::steady_clock::now();
    ProcessResult r = runProcess(argv, options);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.succeeded())
        throw std::runtime_error(label + " failed (" + r.describe() + "):\n" + r.output);
    return fromJournal(label, journal, wall);
}

// Mean wall time of one journal line (written, flushed, fsync'ed) in `dir`: the coordinator's
// per-trial cost besides the optimizer.
double journalAppendMs(const std::filesystem::path& dir, int lines)
{
    const auto file = dir / "append.journal.jsonl";
    auto writer = JournalWriter::create(file, Json{{"journal", "nesy-search"}, {"version", kJournalVersion}});
    TrialRecord t;
    t.assignment = {{"features.mean", true}, {"mlp.units", 32}, {"mlp.layers", 1}};
    t.terms = {{"error", 0.1}, {"flash_bytes", 12345}, {"sram_bytes", 2345}, {"latency_ms", 1.5}};
    t.objective = 0.2;
    t.startedMs = 1;
    t.finishedMs = 2;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < lines; ++i) {
        t.id = i;
        writer.append(t);
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / lines;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        const Args args = parse(argc, argv);
        const auto dir = std::filesystem::temp_directory_path() / ("bench_mpi." + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        Json project = parseJsonText(readTextFile(NESY_EXAMPLE), NESY_EXAMPLE);
        if (args.epochs > 0)
            for (auto& b : project["graph"]["blocks"])
                if (b["id"] == "mlp")
                    b["params"]["epochs"]["value"] = args.epochs;
        const auto file = dir / "activity.nesy.json";
        writeTextFileAtomically(file, project.dump(2));
        const auto journal = dir / "activity.journal.jsonl";
        const std::string nesy = std::string(NESY_BIN_DIR) + "/nesy";
        const std::string trials = std::to_string(args.trials);

        struct Config {
            std::string label;
            std::vector<std::string> argv;
        };
        std::vector<Config> configs;
        if (args.local)
            configs.push_back({"local (nesy search, batch 1)",
                               {nesy, "search", file.string(), "--trials", trials, "--seed", "1", "--json"}});
        for (int w : args.workers)
            configs.push_back({"--mpi, " + std::to_string(w) + " worker(s)",
                               {NESY_MPIEXEC, "--allow-run-as-root", "--oversubscribe", "--enable-recovery", "-np",
                                std::to_string(w + 1), nesy, "search", file.string(), "--trials", trials, "--seed", "1",
                                "--mpi", "--json"}});
        std::vector<std::vector<Figures>> runs(configs.size());
        for (int r = 0; r < args.repeat; ++r)
            for (std::size_t c = 0; c < configs.size(); ++c)
                runs[c].push_back(run(configs[c].label, configs[c].argv, journal));
        std::vector<Figures> rows;
        for (auto& list : runs) {
            std::sort(list.begin(), list.end(), [](const Figures& a, const Figures& b) { return a.perMinute() < b.perMinute(); });
            rows.push_back(list[list.size() / 2]);
        }
        const double appendMs = journalAppendMs(dir, 200);
        std::filesystem::remove_all(dir);

        std::printf("bench_mpi: %d trials of the bundled example (%s epochs), %u cores, median of %d run(s)\n\n",
                    args.trials, args.epochs > 0 ? std::to_string(args.epochs).c_str() : "the example's",
                    std::thread::hardware_concurrency(), args.repeat);
        std::printf("| run | trials | search span (s) | wall incl. start-up (s) | trials/min | mean trial (s) | mean suggest (ms) | speed-up |\n");
        std::printf("|---|---|---|---|---|---|---|---|\n");
        const double base = rows.empty() ? 0 : rows.front().perMinute();
        for (const auto& f : rows)
            std::printf("| %s | %d | %.1f | %.1f | %.1f | %.2f | %.1f | %.2fx |\n", f.label.c_str(), f.trials, f.spanS,
                        f.wallS, f.perMinute(), f.meanTrialS, f.meanSuggestMs, base > 0 ? f.perMinute() / base : 0.0);
        std::printf("\njournal append (write + fsync), mean of 200 lines in %s: %.2f ms\n",
                    std::filesystem::temp_directory_path().c_str(), appendMs);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_mpi: %s\n", e.what());
        return 1;
    }
}
