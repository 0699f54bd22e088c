// The board manager as the search's one board source, over real libusb against umockdev-emulated
// boards: the search's resource check (ManagedResourceCheck) measures each candidate on a simulated
// board and an emulated USB board; the USB board is unplugged mid-run (that trial faults
// Disconnected on that board, the board is dropped, the next candidates are measured on the rest);
// a cancelled check is a "cancelled" fault; a missing USB target is named; `nesy boards` lists an
// attached board.
#include "Commands.h"
#include "UsbTestSupport.h"
#include "codegen/TrialPrograms.h"
#include "engine/Resources.h"
#include "graph/Project.h"
#include "host/ManagedResourceCheck.h"
#include "host/ProjectBoards.h"
#include <QtTest>
#include <future>
#include <sstream>

using namespace nesy;
using namespace nesy::test;
using namespace std::chrono_literals;

namespace {

// What the search measures: the generated program of the example project (the simulated board's
// resource model reads its summary) carrying a reference image the USB board's firmware runs.
CandidateProgram searchCandidate()
{
    const Project project = loadProject(exampleDir() / "activity-features-mlp.nesy.json");
    CandidateProgram program = codegen::candidateProgramForGraph(project.graph, project, BlockRegistry::builtin());
    CandidateProgram reference = referenceCandidate(8, 2);
    program.image = reference.image;
    program.testInput = reference.testInput;
    program.expectedOutput = reference.expectedOutput;
    return program;
}

} // namespace

class TestDevicesUsbSearch : public QObject {
    Q_OBJECT
    std::unique_ptr<EmulatedUsbBus> bus_;

private slots:
    void initTestCase() { bus_ = std::make_unique<EmulatedUsbBus>(); }

    void boardThatLeavesMidSearchIsDroppedAndTheSearchGoesOn()
    {
        FirmwareUsbDevice device(*bus_, {.port = 1, .inferenceTimeUs = 1000});
        device.plug();
        BoardManagerOptions options = fastOptions();
        options.usb.inferencesPerMeasure = 400; // about 0.4 s per run: time to unplug during one
        auto manager = std::make_shared<BoardManager>(options);
        addLocalBoards(*manager);
        manager->startUsbDiscovery();
        const std::vector<std::string> targets{"usb:1-1", "sim:nucleo-f446re"};
        requireBoards(*manager, targets, 5s);

        std::mutex mutex;
        std::vector<std::string> dropped;
        auto check = std::make_shared<ManagedResourceCheck>(manager, targets, [&](const std::string& id, const std::string&) {
            std::lock_guard lock(mutex);
            dropped.push_back(id);
        });
        const CandidateProgram program = searchCandidate();

        // Candidate 1: measured on both boards; the terms are the primary (USB) board's.
        ResourceVerdict first = check->check(program);
        QVERIFY2(first.deployable(), first.detail.c_str());
        QCOMPARE(first.details.size(), std::size_t(2));
        QCOMPARE(first.details[0]["board"].get<std::string>(), std::string("usb:1-1"));
        QCOMPARE(first.details[1]["board"].get<std::string>(), std::string("sim:nucleo-f446re"));
        QCOMPARE(first.terms.at("latency_ms"), first.details[0]["latency_ms"].get<double>());

        // Candidate 2: the USB board is unplugged while it runs.
        auto trial = std::async(std::launch::async, [&] { return check->check(program); });
        QVERIFY(eventually([&] { return device.counters().state == NESY_STATE_RUNNING; }, 5s));
        device.unplug();
        QVERIFY(trial.wait_for(5s) == std::future_status::ready);
        ResourceVerdict second = trial.get();
        QCOMPARE(second.fault, std::string("disconnected"));
        QVERIFY2(second.detail.find("usb:1-1") != std::string::npos, second.detail.c_str());
        QCOMPARE(second.details[0]["fault"].get<std::string>(), std::string("disconnected"));
        QCOMPARE(second.details[1]["fault"].get<std::string>(), std::string("none")); // the others still measured
        QCOMPARE(check->remainingBoards(), std::vector<std::string>{"sim:nucleo-f446re"});
        {
            std::lock_guard lock(mutex);
            QCOMPARE(dropped, std::vector<std::string>{"usb:1-1"});
        }

        // Candidates 3 and 4: measured on the boards that remain, with their figures.
        for (int i = 0; i < 2; ++i) {
            ResourceVerdict next = check->check(program);
            QVERIFY2(next.deployable(), next.detail.c_str());
            QCOMPARE(next.details.size(), std::size_t(1));
            QCOMPARE(next.details[0]["board"].get<std::string>(), std::string("sim:nucleo-f446re"));
            QCOMPARE(next.terms.at("flash_bytes"), double(next.details[0]["flash_bytes"].get<std::int64_t>()));
        }
        QVERIFY(eventually([&] { return !manager->board("usb:1-1"); }, 5s));
    }

    void cancelledCheckIsACancelledFaultNotATimeout()
    {
        FirmwareUsbDevice device(*bus_, {.port = 3, .inferenceTimeUs = 1000});
        device.plug();
        BoardManagerOptions options = fastOptions();
        options.usb.inferencesPerMeasure = 2000; // about 2 s: the cancel comes long before
        auto manager = std::make_shared<BoardManager>(options);
        manager->startUsbDiscovery();
        requireBoards(*manager, {"usb:1-3"}, 5s);
        auto check = std::make_shared<ManagedResourceCheck>(manager, std::vector<std::string>{"usb:1-3"});
        const CandidateProgram program = searchCandidate();
        auto trial = std::async(std::launch::async, [&] { return check->check(program); });
        QVERIFY(eventually([&] { return device.counters().state == NESY_STATE_RUNNING; }, 5s));
        check->cancel();
        QVERIFY(trial.wait_for(2s) == std::future_status::ready);
        ResourceVerdict v = trial.get();
        QCOMPARE(v.fault, std::string("cancelled"));
        QCOMPARE(v.details[0]["fault"].get<std::string>(), std::string("cancelled"));
        QCOMPARE(check->remainingBoards(), std::vector<std::string>{"usb:1-3"}); // a cancel drops no board
    }

    void missingUsbTargetIsNamed()
    {
        BoardManager manager(fastOptions());
        addLocalBoards(manager);
        manager.startUsbDiscovery();
        try {
            requireBoards(manager, {"sim:nucleo-f446re", "usb:1-9"}, 200ms);
            QFAIL("a missing USB board was accepted");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("usb:1-9") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("200 ms") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, requireBoards(manager, {"sim:no-such-board"}, 0ms));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ManagedResourceCheck(std::make_shared<BoardManager>(), {}));
    }

    void boardsCommandListsAnAttachedBoard()
    {
        FirmwareUsbDevice device(*bus_, {.port = 2, .serial = "EMU-LIST"});
        device.plug();
        std::ostringstream out, err;
        QCOMPARE(cli::runBoards({"--json", "--usb-wait", "5000"}, out, err), int(cli::kExitOk));
        const Json list = Json::parse(out.str());
        const Json* usb = nullptr;
        int simulated = 0;
        for (const Json& b : list) {
            simulated += b["kind"] == "simulated";
            if (b["id"] == "usb:1-2")
                usb = &b;
        }
        QCOMPARE(simulated, 5); // the local boards are listed beside it
        QVERIFY2(usb, out.str().c_str());
        QCOMPARE((*usb)["kind"].get<std::string>(), std::string("usb"));
        QCOMPARE((*usb)["state"].get<std::string>(), std::string("ready"));
        QCOMPARE((*usb)["serial"].get<std::string>(), std::string("EMU-LIST"));
        QCOMPARE((*usb)["profile"]["id"].get<std::string>(), std::string("nucleo-f446re"));
        QVERIFY2(err.str().empty(), err.str().c_str());

        std::ostringstream text, textErr;
        QCOMPARE(cli::runBoards({}, text, textErr), int(cli::kExitOk));
        QVERIFY2(text.str().find("usb:1-2") != std::string::npos, text.str().c_str());
        QVERIFY2(text.str().find("serial EMU-LIST") != std::string::npos, text.str().c_str());
    }

    void cleanupTestCase() { bus_.reset(); }
};

QTEST_APPLESS_MAIN(TestDevicesUsbSearch)
#include "test_devices_usb_search.moc"
