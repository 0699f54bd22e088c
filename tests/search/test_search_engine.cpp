// The engine: observer events, determinism, parallel evaluations, pause/resume, cancel within bounded
// time, the journal (fsync'ed lines, resume, truncated last line) and infeasible trials.
#include "search/Journal.h"
#include "search/SearchEngine.h"
#include "search/TestFunctions.h"
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

using namespace nesy;
using namespace std::chrono_literals;

namespace {

SearchOptions fastOptions(int trials, std::uint64_t seed = 1)
{
    SearchOptions o;
    o.trials = trials;
    o.optimizer.seed = seed;
    o.optimizer.monteCarlo = 300;
    o.optimizer.refineSteps = 8;
    o.optimizer.gp.iterations = 20;
    return o;
}

// Records every callback; callbacks arrive on the engine thread.
class Recorder : public SearchObserver {
public:
    void trialStarted(const TrialRecord& t) override
    {
        std::lock_guard lock(mutex);
        started.push_back(t.id);
    }
    void trialFinished(const TrialRecord& t) override
    {
        std::lock_guard lock(mutex);
        finished.push_back(t);
    }
    void progress(const SearchProgress& p) override
    {
        std::lock_guard lock(mutex);
        maxRunning = std::max(maxRunning, p.running + 1);
        ++progressCalls;
    }
    void message(const std::string& m) override
    {
        std::lock_guard lock(mutex);
        messages.push_back(m);
    }
    void searchFinished(const SearchSummary& s) override
    {
        std::lock_guard lock(mutex);
        summary = s;
    }
    std::mutex mutex;
    std::vector<int> started;
    std::vector<TrialRecord> finished;
    std::vector<std::string> messages;
    std::optional<SearchSummary> summary;
    int maxRunning = 0, progressCalls = 0;
};

// A slow evaluation (the test double for training): sleeps in short steps, polling the stop token.
SearchProblem slowProblem(std::chrono::milliseconds total, std::atomic<int>* concurrent = nullptr,
                          std::atomic<int>* peak = nullptr)
{
    SearchProblem p = makeTestProblem("branin");
    auto inner = p.evaluate;
    p.evaluate = [=](const Assignment& a, const StopToken& stop) {
        if (concurrent) {
            int now = ++*concurrent;
            int prev = peak->load();
            while (now > prev && !peak->compare_exchange_weak(prev, now)) {
            }
        }
        auto until = std::chrono::steady_clock::now() + total;
        TrialResult r;
        while (std::chrono::steady_clock::now() < until) {
            if (stop.stopRequested()) {
                r.status = TrialStatus::Cancelled;
                break;
            }
            std::this_thread::sleep_for(5ms);
        }
        if (r.status != TrialStatus::Cancelled)
            r = inner(a, stop);
        if (concurrent)
            --*concurrent;
        return r;
    };
    return p;
}

std::vector<std::string> assignments(const std::vector<TrialRecord>& trials)
{
    std::vector<std::string> out;
    for (const auto& t : trials)
        out.push_back(t.toJson()["assignment"].dump());
    return out;
}

} // namespace

class TestSearchEngine : public QObject {
    Q_OBJECT
private slots:
    void runsToTheBudgetAndReports()
    {
        Recorder rec;
        SearchEngine engine(makeTestProblem("branin"), fastOptions(12), &rec);
        engine.start();
        engine.wait();
        QVERIFY(engine.finished());
        QCOMPARE(int(engine.trials().size()), 12);
        QCOMPARE(int(rec.started.size()), 12);
        QCOMPARE(int(rec.finished.size()), 12);
        QCOMPARE(rec.progressCalls, 12);
        QVERIFY(rec.summary && rec.summary->outcome == SearchOutcome::Completed);
        QCOMPARE(rec.summary->trials, 12);
        for (const auto& t : rec.finished) {
            QVERIFY(t.finished() && t.hasObjective());
            QCOMPARE(t.objective, t.terms.at("value"));
            QVERIFY(t.finishedMs >= t.startedMs);
        }
        auto best = engine.best();
        QVERIFY(best);
        for (const auto& t : rec.finished)
            QVERIFY(best->objective <= t.objective);
    }

    void deterministicForASeed()
    {
        auto run = [](std::uint64_t seed) {
            SearchEngine engine(makeTestProblem("mixed"), fastOptions(10, seed));
            engine.start();
            engine.wait();
            return assignments(engine.trials());
        };
        QCOMPARE(run(5), run(5));
        QVERIFY(run(5) != run(6));
    }

    void severalEvaluationsInFlight()
    {
        std::atomic<int> concurrent{0}, peak{0};
        auto options = fastOptions(8);
        options.parallel = 3;
        Recorder rec;
        SearchEngine engine(slowProblem(60ms, &concurrent, &peak), options, &rec);
        engine.start();
        engine.wait();
        QCOMPARE(int(engine.trials().size()), 8);
        QCOMPARE(peak.load(), 3);
        std::set<std::string> distinct;
        for (const auto& a : assignments(engine.trials()))
            distinct.insert(a);
        QCOMPARE(int(distinct.size()), 8);
    }

    void cancelReturnsWithinOneEvaluationStep()
    {
        auto options = fastOptions(50);
        options.parallel = 2;
        Recorder rec;
        // Each evaluation would take 20 s; the stop token must end them within a polling step.
        SearchEngine engine(slowProblem(20s), options, &rec);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.started.size() == 2, 5000);
        auto t0 = std::chrono::steady_clock::now();
        engine.cancel();
        engine.wait();
        auto elapsed = std::chrono::steady_clock::now() - t0;
        QVERIFY2(elapsed < 2s, qPrintable(QString("cancel took %1 ms")
                                              .arg(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count())));
        QVERIFY(engine.finished());
        QCOMPARE(int(engine.summary().outcome), int(SearchOutcome::Cancelled));
        QVERIFY(engine.trials().empty()); // cancelled trials are not results
    }

    void pauseHoldsNewEvaluations()
    {
        Recorder rec;
        SearchEngine engine(slowProblem(30ms), fastOptions(6), &rec);
        engine.pause();
        engine.start();
        std::this_thread::sleep_for(200ms);
        {
            std::lock_guard lock(rec.mutex);
            QVERIFY(rec.started.empty());
        }
        engine.resume();
        engine.wait();
        QCOMPARE(int(engine.trials().size()), 6);
    }

    void infeasibleTrialsGetThePenalty()
    {
        SearchProblem p = makeTestProblem("branin");
        std::atomic<int> calls{0};
        p.evaluate = [&calls](const Assignment& a, const StopToken&) {
            ++calls;
            TrialResult r;
            if (a.at("f.x1").get<double>() > 2.5) { // "does not fit the board": never trained
                r.status = TrialStatus::Infeasible;
                r.fault = "flash-overflow";
                r.detail = "needs 600 KB of 512 KB";
                return r;
            }
            r.terms["value"] = branin(a.at("f.x1").get<double>(), a.at("f.x2").get<double>());
            return r;
        };
        SearchEngine engine(std::move(p), fastOptions(15));
        engine.start();
        engine.wait();
        int infeasible = 0;
        for (const auto& t : engine.trials())
            if (t.status == TrialStatus::Infeasible) {
                ++infeasible;
                QCOMPARE(t.objective, Objective().hardPenalty);
                QCOMPARE(t.fault, std::string("flash-overflow"));
            }
        QVERIFY(infeasible > 0);
        QVERIFY(engine.best()->status == TrialStatus::Ok);
    }

    void journalResumesAfterATruncatedLine()
    {
        QTemporaryDir dir;
        const std::filesystem::path journal = dir.filePath("run.journal.jsonl").toStdString();
        auto options = fastOptions(6, 9);
        options.journal = journal;
        {
            SearchEngine engine(makeTestProblem("mixed"), options);
            engine.start();
            engine.wait();
        }
        auto first = readJournal(journal);
        QCOMPARE(int(first.trials.size()), 6);
        QVERIFY(first.warnings.empty());
        QCOMPARE(first.header["journal"], Json("nesy-search"));
        for (std::size_t i = 0; i < first.trials.size(); ++i)
            QCOMPARE(first.trials[i].id, int(i));

        // A process killed while writing trial 6 leaves half a line.
        std::string partial = first.trials[5].toJson().dump();
        partial.resize(partial.size() / 2);
        partial[0] = '{';
        {
            std::ofstream out(journal, std::ios::app | std::ios::binary);
            out << partial;
        }
        auto damaged = readJournal(journal);
        QCOMPARE(int(damaged.trials.size()), 6);
        QCOMPARE(int(damaged.warnings.size()), 1);
        QVERIFY2(damaged.warnings[0].find("run.journal.jsonl:8") != std::string::npos, damaged.warnings[0].c_str());
        QVERIFY(damaged.warnings[0].find("truncated last line") != std::string::npos);

        options.trials = 10;
        options.resume = true;
        Recorder rec;
        SearchEngine resumed(makeTestProblem("mixed"), options, &rec);
        resumed.start();
        resumed.wait();
        QCOMPARE(int(resumed.trials().size()), 10);
        QCOMPARE(int(rec.finished.size()), 4); // only the new ones ran
        QCOMPARE(rec.finished.front().id, 6);
        bool warned = false;
        for (const auto& m : rec.messages)
            warned |= m.find("truncated last line") != std::string::npos;
        QVERIFY(warned);
        auto after = readJournal(journal);
        QVERIFY(after.warnings.empty()); // the broken line was cut before appending
        QCOMPARE(int(after.trials.size()), 10);
        std::set<std::string> distinct;
        for (const auto& a : assignments(after.trials))
            distinct.insert(a);
        QCOMPARE(int(distinct.size()), 10); // resumed points are not proposed again
    }

    void journalRejectsDamageBeforeTheLastLine()
    {
        QTemporaryDir dir;
        const std::filesystem::path journal = dir.filePath("bad.jsonl").toStdString();
        {
            std::ofstream out(journal);
            out << R"({"journal":"nesy-search","version":1})" << "\n" << "{not json\n"
                << TrialRecord().toJson().dump() << "\n";
        }
        try {
            readJournal(journal);
            QFAIL("a damaged middle line was accepted");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("bad.jsonl:2") != std::string::npos, e.what());
        }
    }

    void trialRecordRoundTripsThroughJson()
    {
        TrialRecord t;
        t.id = 4;
        t.assignment = {{"a.x", 0.25}, {"a.c", "relu"}, {"a.s", Value::array({1, 4})}};
        t.status = TrialStatus::Infeasible;
        t.fault = "ram-overflow";
        t.detail = "needs more";
        t.terms = {{"flash_bytes", 1000}, {"sram_bytes", 99}};
        t.objective = 10;
        t.proposedBy = ProposalKind::Random;
        t.suggestMs = 1.5;
        t.startedMs = 100;
        t.finishedMs = 200;
        t.details = Json{{"board", "sim:ispu"}};
        Json j = t.toJson();
        TrialRecord back = TrialRecord::fromJson(JsonReader(j));
        QCOMPARE(back.toJson(), j);
        TrialRecord running;
        QVERIFY(!running.hasObjective());
        QVERIFY(TrialRecord::fromJson(JsonReader(running.toJson())).toJson() == running.toJson());
    }
};

QTEST_MAIN(TestSearchEngine)
#include "test_search_engine.moc"
