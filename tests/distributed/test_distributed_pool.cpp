// The distributed search's scheduling without MPI: the worker pool and the worker loop over the
// in-process network. Results return as they finish, a lost worker costs only its own trial
// (journalled as the fault "worker-lost"), losing every worker stops the search, cancel reaches the
// worker, and a distributed search resumes from its journal like a local one.
#include "distributed/InProcessNetwork.h"
#include "distributed/WorkerLoop.h"
#include "distributed/WorkerPool.h"
#include "search/Journal.h"
#include "search/SearchEngine.h"
#include "search/TestFunctions.h"
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <condition_variable>
#include <thread>

using namespace nesy;
using namespace nesy::distributed;
using namespace std::chrono_literals;

namespace {

WorkerOptions fastWorker()
{
    WorkerOptions o;
    o.heartbeat = 50ms;
    o.poll = 5ms;
    return o;
}

PoolOptions fastPool(std::function<void()> onAllLost = {})
{
    PoolOptions o;
    o.workerTimeout = 1000ms; // 20 heartbeats: a loaded CI machine never misses that many
    o.poll = 5ms;
    o.onAllWorkersLost = std::move(onAllLost);
    return o;
}

// A worker's evaluation: it may see which worker runs it.
using WorkerEvaluate = std::function<TrialResult(int worker, const Assignment&, const StopToken&)>;

// One thread per worker of the network, each serving candidates until stopped or killed.
class LocalWorkers {
public:
    LocalWorkers(InProcessNetwork& net, int count, WorkerEvaluate evaluate) : evaluate_(std::move(evaluate))
    {
        for (int id = 1; id <= count; ++id)
            threads_.emplace_back([this, &net, id] {
                try {
                    served_[id] = serveCandidates(
                        net.worker(id), [this, id](const Assignment& a, const StopToken& s) { return evaluate_(id, a, s); },
                        fastWorker()).served;
                } catch (const LinkClosed&) {
                    served_[id] = -1; // killed
                }
            });
    }
    ~LocalWorkers() { join(); }
    void join()
    {
        for (auto& t : threads_)
            if (t.joinable())
                t.join();
    }
    int served(int id) { return served_[id].load(); }

private:
    WorkerEvaluate evaluate_;
    std::atomic<int> served_[8] = {};
    std::vector<std::thread> threads_;
};

TrialResult okResult(double value)
{
    TrialResult r;
    r.terms["value"] = value;
    return r;
}

// Waits (bounded) for a condition another thread makes true.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

SearchOptions fastSearch(int trials, const std::filesystem::path& journal)
{
    SearchOptions o;
    o.trials = trials;
    o.optimizer.seed = 4;
    o.optimizer.monteCarlo = 300;
    o.optimizer.refineSteps = 8;
    o.optimizer.gp.iterations = 20;
    o.journal = journal;
    return o;
}

} // namespace

class DistributedPoolTest : public QObject {
    Q_OBJECT
private slots:
    void messagesRoundTrip()
    {
        TrialResult r;
        r.status = TrialStatus::Infeasible;
        r.fault = "flash-overflow";
        r.detail = "needs 600 KB";
        r.terms = {{"flash_bytes", 614400}, {"error", 0.25}};
        r.details = Json{{"boards", Json::array({Json{{"id", "sim:nucleo-f446re"}}})}};
        Message back = Message::decode(Message::resultOf(7, r).encode(), "test");
        QCOMPARE(int(back.kind), int(MessageKind::Result));
        QCOMPARE(back.job, 7);
        QCOMPARE(int(back.result.status), int(TrialStatus::Infeasible));
        QCOMPARE(back.result.fault, r.fault);
        QCOMPARE(back.result.detail, r.detail);
        QVERIFY(back.result.terms == r.terms);
        QVERIFY(back.result.details == r.details);

        Message task = Message::decode(Message::task(3, {{"net.width", 12}, {"net.kind", "cnn"}}).encode(), "test");
        QCOMPARE(task.job, 3);
        QVERIFY(task.assignment.at("net.kind") == Json("cnn"));
        try {
            Message::decode(R"({"kind":"gossip"})", "message from worker 2");
            QFAIL("an unknown message kind was accepted");
        } catch (const FormatError& e) {
            QVERIFY(QString(e.what()).contains("message from worker 2"));
            QVERIFY(QString(e.what()).contains("gossip"));
        }
    }

    void resultsReturnAsTheyFinish()
    {
        // The first candidate cannot finish before the second has: with a barrier per batch or
        // one worker at a time this would wait until the latch's limit and fail.
        InProcessNetwork net(2);
        std::mutex m;
        std::condition_variable cv;
        bool secondDone = false;
        LocalWorkers workers(net, 2, [&](int, const Assignment& a, const StopToken&) {
            if (a.at("x") == Json(1)) {
                std::unique_lock lock(m);
                bool released = cv.wait_for(lock, 10s, [&] { return secondDone; });
                return okResult(released ? 1 : -1);
            }
            return okResult(2);
        });
        WorkerPool pool(net.coordinator(), fastPool());
        StopToken stop;
        std::vector<int> order;
        std::mutex orderMutex;
        std::thread first([&] {
            auto r = pool.evaluate({{"x", 1}}, stop);
            std::lock_guard lock(orderMutex);
            order.push_back(int(r.terms.at("value")));
        });
        QVERIFY(eventually([&] { return net.messagesTo(1) + net.messagesTo(2) >= 1; }));
        auto second = pool.evaluate({{"x", 2}}, stop);
        QCOMPARE(second.terms.at("value"), 2.0);
        {
            std::lock_guard lock(m);
            std::lock_guard lock2(orderMutex);
            order.push_back(2);
            secondDone = true;
        }
        cv.notify_all();
        first.join();
        QCOMPARE(order, (std::vector<int>{2, 1})); // the second returned while the first still ran
        auto stats = pool.stats();
        QCOMPARE(stats[0].tasks, 1);
        QCOMPARE(stats[1].tasks, 1);
        pool.shutdown();
        workers.join();
        QCOMPARE(workers.served(1) + workers.served(2), 2);
    }

    void busyWorkerLossCostsOnlyItsTrial()
    {
        InProcessNetwork net(2);
        std::atomic<int> runningOn{0};
        LocalWorkers workers(net, 2, [&](int worker, const Assignment& a, const StopToken& stop) {
            if (a.at("x") == Json("hang")) {
                runningOn = worker;
                while (!stop.stopRequested())
                    std::this_thread::sleep_for(2ms);
                TrialResult r;
                r.status = TrialStatus::Cancelled;
                return r;
            }
            return okResult(worker);
        });
        WorkerPool pool(net.coordinator(), fastPool());
        StopToken stop;
        TrialResult lost;
        std::thread t([&] { lost = pool.evaluate({{"x", "hang"}}, stop); });
        QVERIFY(eventually([&] { return runningOn.load() != 0; }));
        const int victim = runningOn.load();
        net.kill(victim);
        t.join();
        QCOMPARE(int(lost.status), int(TrialStatus::Failed));
        QCOMPARE(lost.fault, std::string(kWorkerLostFault));
        QVERIFY(QString::fromStdString(lost.detail).contains(QString("worker %1").arg(victim)));
        QCOMPARE(pool.liveWorkers(), 1);
        const int survivor = victim == 1 ? 2 : 1;
        for (int i = 0; i < 3; ++i) {
            auto r = pool.evaluate({{"x", i}}, stop);
            QCOMPARE(int(r.status), int(TrialStatus::Ok));
            QCOMPARE(r.terms.at("value"), double(survivor));
        }
        pool.shutdown();
        workers.join();
        QCOMPARE(workers.served(victim), -1);
        QCOMPARE(workers.served(survivor), 3);
    }

    void idleWorkerLossLosesNoTrial()
    {
        InProcessNetwork net(2);
        LocalWorkers workers(net, 2, [](int worker, const Assignment&, const StopToken&) { return okResult(worker); });
        WorkerPool pool(net.coordinator(), fastPool());
        net.kill(1);
        QVERIFY(eventually([&] { return pool.liveWorkers() == 1; }));
        StopToken stop;
        for (int i = 0; i < 3; ++i) {
            auto r = pool.evaluate({{"x", i}}, stop);
            QCOMPARE(int(r.status), int(TrialStatus::Ok));
            QCOMPARE(r.terms.at("value"), 2.0);
        }
        QCOMPARE(net.messagesTo(1), 0); // never given work once it was silent
    }

    void losingEveryWorkerStopsTheSearch()
    {
        InProcessNetwork net(1);
        std::atomic<bool> reported{false};
        LocalWorkers workers(net, 1, [](int, const Assignment&, const StopToken& stop) {
            while (!stop.stopRequested())
                std::this_thread::sleep_for(2ms);
            return TrialResult{};
        });
        WorkerPool pool(net.coordinator(), fastPool([&] { reported = true; }));
        StopToken stop;
        TrialResult first;
        std::thread t([&] { first = pool.evaluate({{"x", 1}}, stop); });
        QVERIFY(eventually([&] { return net.messagesTo(1) == 1; }));
        net.kill(1);
        t.join();
        QCOMPARE(first.fault, std::string(kWorkerLostFault));
        QVERIFY(eventually([&] { return reported.load(); }));
        auto after = pool.evaluate({{"x", 2}}, stop);
        QCOMPARE(int(after.status), int(TrialStatus::Cancelled)); // not journalled, not a fake result
    }

    void cancelReachesTheWorker()
    {
        InProcessNetwork net(1);
        std::atomic<bool> started{false};
        LocalWorkers workers(net, 1, [&](int, const Assignment&, const StopToken& stop) {
            started = true;
            while (!stop.stopRequested())
                std::this_thread::sleep_for(2ms);
            TrialResult r;
            r.status = TrialStatus::Cancelled;
            r.detail = "stopped by the worker";
            return r;
        });
        WorkerPool pool(net.coordinator(), fastPool());
        StopToken stop;
        TrialResult r;
        std::thread t([&] { r = pool.evaluate({{"x", 1}}, stop); });
        QVERIFY(eventually([&] { return started.load(); }));
        stop.requestStop();
        t.join();
        QCOMPARE(int(r.status), int(TrialStatus::Cancelled));
        QCOMPARE(r.detail, std::string("stopped by the worker")); // the worker's answer, not a timeout
        QCOMPARE(pool.liveWorkers(), 1);
    }

    void searchGoesOnAfterAWorkerDies()
    {
        QTemporaryDir dir;
        const std::filesystem::path journal = dir.filePath("run.journal.jsonl").toStdString();
        SearchProblem problem = makeTestProblem("branin");
        auto local = problem.evaluate;
        InProcessNetwork net(3);
        std::atomic<int> byWorker2{0};
        LocalWorkers workers(net, 3, [&](int worker, const Assignment& a, const StopToken& s) {
            std::this_thread::sleep_for(5ms);
            if (worker == 2 && ++byWorker2 == 2) {
                net.kill(2); // dies in the middle of its second trial
                while (!s.stopRequested())
                    std::this_thread::sleep_for(2ms);
            }
            return local(a, s);
        });
        WorkerPool pool(net.coordinator(), fastPool());
        problem.evaluate = [&pool](const Assignment& a, const StopToken& s) { return pool.evaluate(a, s); };
        SearchOptions options = fastSearch(14, journal);
        options.parallel = pool.workerCount();
        SearchEngine engine(std::move(problem), options);
        engine.start();
        engine.wait();
        QCOMPARE(searchOutcomeName(engine.summary().outcome), std::string("completed"));

        auto contents = readJournal(journal);
        QCOMPARE(int(contents.trials.size()), 14);
        // Journal lines are in finishing order; the lost trial is found by its silence only after
        // the others went on, so count the trials proposed after it (higher ids) instead.
        int lostId = -1, okAfter = 0;
        for (const auto& t : contents.trials)
            if (t.fault == kWorkerLostFault) {
                QCOMPARE(lostId, -1); // exactly one trial is lost
                QCOMPARE(int(t.status), int(TrialStatus::Failed));
                lostId = t.id;
            } else {
                QCOMPARE(int(t.status), int(TrialStatus::Ok));
            }
        QVERIFY(lostId >= 0);
        for (const auto& t : contents.trials)
            if (t.id > lostId && t.status == TrialStatus::Ok)
                ++okAfter;
        QVERIFY(okAfter >= 3); // the search continued on the other workers
        QCOMPARE(pool.liveWorkers(), 2);
        QCOMPARE(pool.stats()[1].tasks, 2);
    }

    void distributedSearchResumesFromItsJournal()
    {
        QTemporaryDir dir;
        const std::filesystem::path journal = dir.filePath("run.journal.jsonl").toStdString();
        auto runDistributed = [&](int trials, bool resume) {
            SearchProblem problem = makeTestProblem("mixed");
            auto local = problem.evaluate;
            InProcessNetwork net(2);
            LocalWorkers workers(net, 2, [&](int, const Assignment& a, const StopToken& s) { return local(a, s); });
            WorkerPool pool(net.coordinator(), fastPool());
            problem.evaluate = [&pool](const Assignment& a, const StopToken& s) { return pool.evaluate(a, s); };
            SearchOptions options = fastSearch(trials, journal);
            options.parallel = pool.workerCount();
            options.resume = resume;
            SearchEngine engine(std::move(problem), options);
            engine.start();
            engine.wait();
            return engine.summary();
        };
        QCOMPARE(runDistributed(6, false).trials, 6);
        const std::string before = readTextFile(journal);
        QCOMPARE(runDistributed(10, true).trials, 10);
        const std::string after = readTextFile(journal);
        QVERIFY(after.rfind(before, 0) == 0); // the first six lines are kept as they were
        auto contents = readJournal(journal);
        QCOMPARE(int(contents.trials.size()), 10);
        std::set<int> ids;
        std::set<std::string> points;
        for (const auto& t : contents.trials) {
            ids.insert(t.id);
            points.insert(t.toJson()["assignment"].dump());
        }
        QCOMPARE(int(ids.size()), 10);
        QCOMPARE(*ids.rbegin(), 9);
        QCOMPARE(int(points.size()), 10); // nothing journalled was proposed again
    }
};

QTEST_APPLESS_MAIN(DistributedPoolTest)
#include "test_distributed_pool.moc"
