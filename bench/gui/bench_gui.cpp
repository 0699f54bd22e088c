// bench_gui: how smooth the workbench stays with many trials.
//   1. Pareto plot with 10,000 trials: a full redraw (every point re-mapped and re-rendered, then
//      painted; what an axis change or a resize costs), an incremental draw of a 50-trial batch, a
//      plain repaint, and the nearest-trial lookup under the mouse. Reference: median <= 16 ms.
//   2. Longest event-loop stall, measured by a 5 ms timer probe, in the main window (table, sort
//      proxy, plot, details, board bars) while a search runs at full speed through the
//      SearchController against a microsecond evaluator: a Bayesian search of N trials (argument 1,
//      default 100), and a flood of 10,000 random-proposal trials. Reference: <= 50 ms.
// Run offscreen: QT_QPA_PLATFORM=offscreen build/bin/bench_gui [N]
#include "ParetoPlot.h"
#include "engine/Resources.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <time.h>
#ifdef NESY_SEARCH_AVAILABLE
#include "MainWindow.h"
#include "SearchController.h"
#endif

using namespace nesy;
using namespace nesy::gui;

namespace {
std::vector<TrialRow> syntheticTrials(int n, int firstId, std::mt19937& rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<TrialRow> out;
    for (int i = firstId; i < firstId + n; ++i) {
        TrialRow t;
        t.id = i;
        const double flash = 4000 + u(rng) * 400000;
        if (u(rng) < 0.1) {
            t.status = TrialStatus::Infeasible;
            t.fault = "flash-overflow";
        } else {
            t.terms["error"] = 0.05 + 0.5 / (1 + flash / 50000) + 0.1 * u(rng);
            t.terms["flash_bytes"] = flash;
            t.terms["sram_bytes"] = flash / 4;
            t.terms["latency_ms"] = flash / 9000;
            t.objective = t.terms["error"];
        }
        out.push_back(std::move(t));
    }
    return out;
}

double percentile(std::vector<double> v, double p)
{
    std::ranges::sort(v);
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

template <class F> std::vector<double> timeRuns(int runs, F&& f)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f(i);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return ms;
}

void row(const char* measure, double value, const char* unit, const char* reference)
{
    std::printf("%-62s %9.2f %-3s %12s\n", measure, value, unit, reference);
}

#ifdef NESY_SEARCH_AVAILABLE
class FastEvaluator : public Evaluator {
public:
    TrialResult evaluate(const ProgramGraph& g, const StopToken&) override
    {
        const Block& mlp = *g.block("mlp");
        const double units = mlp.params.at("units").value.get<double>();
        const double layers = mlp.params.at("layers").value.get<double>();
        const double weights = units * (40 + layers * units);
        TrialResult r;
        r.terms = {{"error", 0.08 + 0.5 / (1 + weights / 3000)}, {"flash_bytes", 6000 + weights},
                   {"sram_bytes", 2000 + units * 8}, {"latency_ms", weights / 20000}};
        return r;
    }
};

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct StallFigures {
    double startMs = 0;   // SearchController::start on the GUI thread
    qint64 longestMs = 0; // longest gap between probe ticks while the search ran
    double cpuInLongestMs = 0; // the GUI thread's own CPU time within that gap (the rest: waiting for a core)
    double longestCpuMs = 0;   // the most GUI-thread CPU time between two ticks: our code's longest block
    double seconds = 0;
    std::size_t trials = 0;
};

// Runs one search in a shown main window and measures the event loop with a 5 ms timer probe.
StallFigures searchStall(QApplication& app, int trials, bool randomOnly)
{
    MainWindow window;
    window.resize(1400, 900);
    window.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
    window.show();
    window.showScreen(QStringLiteral("pareto"));
    QApplication::processEvents();
    const Project project = window.model().project();
    SearchOptions options = SearchOptions::fromProject(project);
    options.trials = trials;
    if (randomOnly)
        options.optimizer.initialRandom = trials; // no surrogate: trials arrive as fast as the engine can make them

    StallFigures f;
    QElapsedTimer clock;
    qint64 last = 0;
    double lastCpu = 0;
    QTimer probe;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        const double cpu = threadCpuMs();
        if (now - last > f.longestMs) {
            f.longestMs = now - last;
            f.cpuInLongestMs = cpu - lastCpu;
        }
        f.longestCpuMs = std::max(f.longestCpuMs, cpu - lastCpu);
        last = now;
        lastCpu = cpu;
    });
    QObject::connect(&window.searchController(), &SearchController::searchFinished, &app, &QApplication::quit);
    QElapsedTimer start;
    start.start();
    window.startSearchWith(makeProjectProblem(project, std::make_shared<FastEvaluator>()), options);
    f.startMs = double(start.nsecsElapsed()) / 1e6;
    clock.start();
    lastCpu = threadCpuMs();
    probe.start(5);
    app.exec();
    f.seconds = double(clock.elapsed()) / 1000;
    f.trials = window.trials().trials().size();
    return f;
}
#endif
} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    std::printf("%-62s %13s %12s\n", "measure", "value", "reference");

    {
        std::mt19937 rng(42);
        TrialStore store;
        ParetoPlot plot(store);
        plot.resize(1200, 800);
        plot.show();
        QApplication::processEvents();
        store.append(syntheticTrials(10000, 0, rng));
        plot.redraw();
        QApplication::processEvents(); // lay out the axes for the data once

        const auto full = timeRuns(31, [&](int) {
            plot.redraw();
            plot.viewport()->repaint(); // paint now, not when the event loop gets round to it
        });
        row("Pareto full redraw, 10,000 trials, median", percentile(full, 0.5), "ms", "<= 16 ms");
        row("Pareto full redraw, 10,000 trials, p95", percentile(full, 0.95), "ms", "-");

        int nextId = 10000;
        const auto incremental = timeRuns(31, [&](int) {
            store.append(syntheticTrials(50, nextId, rng));
            nextId += 50;
            plot.drawPending();
            plot.viewport()->repaint();
        });
        row("Pareto draw of a 50-trial batch onto 10,000, median", percentile(incremental, 0.5), "ms", "<= 16 ms");
        row("Pareto draw of a 50-trial batch onto 10,000, p95", percentile(incremental, 0.95), "ms", "-");

        const auto repaint = timeRuns(31, [&](int) { plot.viewport()->repaint(); });
        row("Pareto repaint (no change), median", percentile(repaint, 0.5), "ms", "-");

        std::uniform_int_distribution<int> px(0, plot.width() - 1), py(0, plot.height() - 1);
        int hits = 0;
        const auto lookups = timeRuns(1, [&](int) {
            for (int i = 0; i < 10000; ++i)
                hits += plot.trialAt(QPoint(px(rng), py(rng))) ? 1 : 0;
        });
        row("trial under the mouse, per lookup (10,000 random positions)", lookups[0] * 1000 / 10000, "us", "-");
        std::printf("  (%d of the lookups hit a trial; %d full point renders in all)\n", hits, plot.fullPointRenders());
    }

#ifdef NESY_SEARCH_AVAILABLE
    const int trials = argc > 1 ? std::atoi(argv[1]) : 100;
    char label[128];
    const StallFigures bayes = searchStall(app, trials, false);
    std::snprintf(label, sizeof label, "longest event-loop stall, Bayesian search (%zu trials, %.1f s)", bayes.trials,
                  bayes.seconds);
    row(label, double(bayes.longestMs), "ms", "<= 50 ms");
    row("  GUI-thread CPU time within that stall", bayes.cpuInLongestMs, "ms", "-");
    row("  longest GUI-thread work between two probe ticks", bayes.longestCpuMs, "ms", "<= 50 ms");
    row("  start of that search on the GUI thread", bayes.startMs, "ms", "-");
    const StallFigures flood = searchStall(app, 10000, true);
    std::snprintf(label, sizeof label, "longest event-loop stall, random flood (%zu trials, %.1f s)", flood.trials,
                  flood.seconds);
    row(label, double(flood.longestMs), "ms", "<= 50 ms");
    row("  GUI-thread CPU time within that stall", flood.cpuInLongestMs, "ms", "-");
    row("  longest GUI-thread work between two probe ticks", flood.longestCpuMs, "ms", "<= 50 ms");
    row("  start of that search on the GUI thread", flood.startMs, "ms", "-");
#else
    std::printf("%-62s %13s %12s\n", "event-loop stall during a search", "n/a (no engine)", "<= 50 ms");
#endif
    return 0;
}
