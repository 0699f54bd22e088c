// nesy search: a project's search (with its evaluator), or a built-in test function.
#include "CliArgs.h"
#include "Commands.h"
#include "Interrupt.h"
#include "codegen/TrialPrograms.h"
#include "MpiSearch.h"
#include "engine/ProjectEvaluator.h"
#include "graph/Project.h"
#include "graph/Validation.h"
#include "host/ManagedResourceCheck.h"
#include "host/ProjectBoards.h"
#include "host/UsbContext.h"
#include "search/SearchEngine.h"
#include "search/TestFunctions.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <ostream>
#include <thread>

namespace nesy::cli {

namespace {

// Progress lines on stderr, one per finished trial (the engine calls it from its own thread).
class ProgressPrinter : public SearchObserver {
public:
    ProgressPrinter(std::ostream& err, int total) : err_(err), total_(total) {}

    void trialFinished(const TrialRecord& t) override
    {
        std::lock_guard lock(mutex_);
        err_ << "trial " << t.id + 1 << "/" << total_ << " [" << proposalKindName(t.proposedBy) << "] "
             << trialStatusName(t.status);
        if (t.hasObjective())
            err_ << " objective " << t.objective;
        if (!t.detail.empty())
            err_ << " (" << t.detail << ")";
        if (t.hasObjective() && t.status == TrialStatus::Ok && (!best_ || t.objective < *best_))
            best_ = t.objective;
        if (best_)
            err_ << ", best " << *best_;
        err_ << "\n";
    }
    void message(const std::string& m) override
    {
        std::lock_guard lock(mutex_);
        err_ << m << "\n";
    }

private:
    std::ostream& err_;
    int total_;
    std::optional<double> best_;
    std::mutex mutex_;
};

Json assignmentJson(const Assignment& a)
{
    Json j = Json::object();
    for (const auto& [k, v] : a)
        j[k] = v;
    return j;
}

} // namespace

int runSearch(const Args& args, std::ostream& out, std::ostream& err)
{
    CliArgs a(args, {"resume", "json", "mpi"}, {"trials", "seed", "journal", "batch", "objective", "board-wait", "worker-timeout"});
    const bool json = a.flag("json");
    // Declared before the engine: the resource check measures through it until the engine is gone.
    std::shared_ptr<BoardManager> boards;
    SearchProblem problem;
    SearchOptions options;
    std::filesystem::path journal;

    if (auto name = a.option("objective")) {
        if (!a.positionals().empty())
            throw UsageError("give either a project FILE or --objective, not both");
        try {
            problem = makeTestProblem(*name);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        if (auto j = a.option("journal"))
            journal = *j;
    } else {
        const std::filesystem::path file = a.requirePositional(0, "project FILE (or --objective NAME)");
        Project project = loadProject(file);
        auto problems = validate(project.graph, BlockRegistry::builtin());
        if (!problems.empty()) {
            for (const auto& p : problems)
                err << file.string() << ": " << p.toString() << "\n";
            return kExitInvalid;
        }
        std::shared_ptr<Evaluator> evaluator;
        try {
            // Every candidate is measured on the target boards (through the board manager, so
            // attached USB boards count like the others) before training: an undeployable one is
            // never trained (hard threshold), and flash, SRAM and latency are measured.
            boards = std::make_shared<BoardManager>(defaultBoardManagerOptions());
            addLocalBoards(*boards);
            if (std::ranges::any_of(project.boards, isUsbBoardId)) {
                try {
                    boards->startUsbDiscovery();
                } catch (const UsbError& e) {
                    throw std::runtime_error(std::string("the project targets USB boards, but USB is unusable: ") + e.what());
                }
            }
            requireBoards(*boards, project.boards, std::chrono::milliseconds(a.integerOption("board-wait", 3000)));
            EvaluatorOptions evaluatorOptions;
            if (!project.boards.empty()) { // no target board: sizes are estimated from the model alone
                auto check = std::make_shared<ManagedResourceCheck>(
                    boards, project.boards, [&err](const std::string& id, const std::string& why) {
                        err << "board " << id << " left the search (" << why << "); measuring on the others\n";
                    });
                evaluatorOptions.resourceCheck = ManagedResourceCheck::hook(check, codegen::synthesisBound(project.graph));
            }
            evaluator = makeProjectEvaluator(project, evaluatorOptions);
        } catch (const std::exception& e) {
            err << "nesy search: error: " << e.what() << "\n";
            return kExitInvalid;
        }
        problem = makeProjectProblem(project, std::move(evaluator));
        options = SearchOptions::fromProject(project);
        journal = a.option("journal") ? std::filesystem::path(*a.option("journal")) : journalPathFor(file);
    }
    options.trials = int(a.integerOption("trials", options.trials));
    options.optimizer.seed = std::uint64_t(a.integerOption("seed", std::int64_t(options.optimizer.seed)));
    options.parallel = int(a.integerOption("batch", options.parallel));
    if (options.trials < 1 || options.parallel < 1)
        throw UsageError("--trials and --batch must be at least 1");
    options.journal = journal;
    options.resume = a.flag("resume");
    if (options.resume && journal.empty())
        throw UsageError("--resume needs a journal (--journal P)");

    // --mpi: worker ranks serve candidates here; rank 0 searches with its evaluations on them.
    auto mpi = a.flag("mpi") ? std::make_unique<MpiSearchSession>(a, err) : nullptr;
    if (mpi && !mpi->isCoordinator())
        return mpi->serve(problem);
    if (mpi)
        mpi->distribute(problem, options);
    ProgressPrinter printer(err, options.trials);
    SearchEngine engine(std::move(problem), options, &printer);
    if (mpi)
        mpi->watch(engine);
    InterruptWatch interrupt; // Ctrl-C stops the search cleanly: finished trials are journalled already
    engine.start();
    while (!engine.finished()) {
        if (interrupt.requested()) {
            err << "nesy search: interrupted; stopping (finished trials are in the journal, --resume continues)\n";
            engine.cancel();
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    engine.wait();
    SearchSummary summary = engine.summary();
    if (summary.outcome == SearchOutcome::Failed) {
        err << "nesy search: error: " << summary.error << "\n";
        return kExitInvalid;
    }
    auto trials = engine.trials();
    std::sort(trials.begin(), trials.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
    if (json) {
        Json suggest = Json::array();
        for (const auto& t : trials)
            suggest.push_back(t.suggestMs);
        Json best = nullptr;
        if (summary.best)
            best = Json{{"value", summary.best->objective}, {"params", assignmentJson(summary.best->assignment)}};
        out << Json{{"best", best}, {"trials", int(trials.size())}, {"suggest_ms", suggest}}.dump() << "\n";
    } else {
        out << searchOutcomeName(summary.outcome) << ": " << trials.size() << " trials";
        if (!journal.empty())
            out << ", journal " << journal.string();
        out << "\n";
        if (summary.best) {
            out << "best: trial " << summary.best->id << " objective " << summary.best->objective << "\n";
            for (const auto& [k, v] : summary.best->assignment)
                out << "  " << k << " = " << describeValue(v) << "\n";
        }
    }
    return summary.best ? kExitOk : kExitInvalid;
}

} // namespace nesy::cli
