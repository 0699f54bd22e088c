// Measuring on umockdev-emulated boards through the real libusb path: deploy in acknowledged
// chunks, run, result -> Measurement; board faults, timeouts on a stalled board, cancellation,
// telemetry, and two boards measured at once.
#include "UsbTestSupport.h"
#include "host/ReferenceImage.h"
#include <QtTest>
#include <future>
#include <thread>

using namespace nesy;
using namespace nesy::test;
using namespace std::chrono_literals;

class TestDevicesUsbMeasure : public QObject {
    Q_OBJECT
    std::unique_ptr<EmulatedUsbBus> bus_;

    static std::shared_ptr<UsbBoard> waitForBoard(BoardManager& manager, EventRecorder& events, const std::string& id)
    {
        if (!events.waitFor(BoardEventKind::Added, id, 5s))
            return nullptr;
        return std::dynamic_pointer_cast<UsbBoard>(manager.board(id));
    }

private slots:
    void initTestCase() { bus_ = std::make_unique<EmulatedUsbBus>(); }

    void deployAndRunGiveTheBoardsFigures()
    {
        FirmwareUsbDevice device(*bus_, {.port = 1});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        auto board = waitForBoard(manager, events, "usb:1-1");
        QVERIFY(board);
        ReferenceProgram p = makeReferenceProgram(32, 6, 9);
        CandidateProgram c = referenceCandidate(32, 6, 9);
        Measurement m = manager.measure("usb:1-1", c, StopToken{});
        QVERIFY2(m.ok(), m.detail.c_str());
        QCOMPARE(QString::fromStdString(m.boardId), QString("usb:1-1"));
        QCOMPARE(m.flashBytes, std::int64_t(p.flashBytes));
        QCOMPARE(m.sramStaticBytes, std::int64_t(p.sramStaticBytes));
        QCOMPARE(m.peakStackBytes, std::int64_t(p.stackBytes));
        const std::int64_t cycles = 2 * 32 * 6 + 8 * 6 + 64;
        QCOMPARE(m.cycles, cycles);
        QVERIFY(std::abs(m.latencyMs - 1000.0 * cycles / 180e6) < 1e-9);
        QCOMPARE(device.counters().firmwareRuns, 4u); // inferencesPerMeasure
        // Telemetry reports the deployed program.
        QVERIFY(eventually([&] {
            for (const TelemetrySample& s : manager.takeTelemetry())
                if (s.boardId == "usb:1-1" && s.flashUsedBytes == p.flashBytes)
                    return true;
            return false;
        }, 2s));
        LinkStatistics s = *manager.linkStatistics("usb:1-1");
        QCOMPARE(s.droppedFrames(), std::uint64_t(0));
        QCOMPARE(s.telemetryLost, std::uint64_t(0));
        QVERIFY(s.frames >= 6); // hello, telemetry-config, deploy x3, run
    }

    void largeImagesGoInManyChunks()
    {
        FirmwareUsbDevice device(*bus_, {.port = 2});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(waitForBoard(manager, events, "usb:1-2"));
        CandidateProgram c = referenceCandidate(248, 60, 4); // ~60 KB: 60 chunks
        QVERIFY(c.image.size() > 50 * NESY_MAX_CHUNK);
        Measurement m = manager.measure("usb:1-2", c, StopToken{});
        QVERIFY2(m.ok(), m.detail.c_str());
        QCOMPARE(device.counters().imageBytesReceived, static_cast<std::uint32_t>(c.image.size()));
        // A wrong expectation is caught: the board's outputs are checked against the engine's.
        c.expectedOutput[3] += 1.0f;
        Measurement wrong = manager.measure("usb:1-2", c, StopToken{});
        QCOMPARE(wrong.fault, FaultKind::RuntimeFault);
        QVERIFY(wrong.detail.find("output 3") != std::string::npos);
    }

    void boardFaultsBecomeMeasurementFaults()
    {
        FirmwareUsbDevice device(*bus_, {.port = 3});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(waitForBoard(manager, events, "usb:1-3"));
        ReferenceProgram p = makeReferenceProgram(8, 2);
        p.flashBytes = 600 * 1024;
        CandidateProgram c = referenceCandidate(8, 2);
        c.image = p.image();
        Measurement m = manager.measure("usb:1-3", c, StopToken{});
        QCOMPARE(m.fault, FaultKind::FlashOverflow);
        QVERIFY(m.detail.find("flash") != std::string::npos);
        QCOMPARE(m.flashBytes, std::int64_t(-1));
        p.flashBytes = 4096;
        p.sramStaticBytes = 200 * 1024;
        c.image = p.image();
        QCOMPARE(manager.measure("usb:1-3", c, StopToken{}).fault, FaultKind::RamOverflow);
        c.image.clear();
        QCOMPARE(manager.measure("usb:1-3", c, StopToken{}).fault, FaultKind::UnsupportedOperation);
        // The board is fine afterwards.
        Measurement ok = manager.measure("usb:1-3", referenceCandidate(8, 2), StopToken{});
        QVERIFY2(ok.ok(), ok.detail.c_str());
    }

    void stalledBoardTimesOutAndRecovers()
    {
        FirmwareUsbDevice device(*bus_, {.port = 4});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(waitForBoard(manager, events, "usb:1-4"));
        device.setStalled(true);
        Measurement m = manager.measure("usb:1-4", referenceCandidate(16, 4), StopToken{});
        QCOMPARE(m.fault, FaultKind::Timeout);
        QVERIFY2(m.detail.find("deploy-begin") != std::string::npos, m.detail.c_str());
        QCOMPARE(manager.linkStatistics("usb:1-4")->timeouts, std::uint64_t(1));
        QCOMPARE(manager.board("usb:1-4")->state(), BoardState::Ready); // still there, just slow
        // libusb gave up on the NAKed OUT transfer after its timeout and discarded the URB.
        QVERIFY(eventually([&] { return device.counters().urbsDiscarded >= 1; }, 3s));
        device.setStalled(false);
        Measurement ok = manager.measure("usb:1-4", referenceCandidate(16, 4), StopToken{});
        QVERIFY2(ok.ok(), ok.detail.c_str());
    }

    void stopRequestEndsAWaitingTrial()
    {
        FirmwareUsbDevice device(*bus_, {.port = 5, .inferenceTimeUs = 1000});
        device.plug();
        BoardManagerOptions options = fastOptions();
        options.usb.inferencesPerMeasure = 1000; // about a second on this board
        BoardManager manager(options);
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(waitForBoard(manager, events, "usb:1-5"));
        StopToken stop;
        auto trial = std::async(std::launch::async, [&] { return manager.measure("usb:1-5", referenceCandidate(8, 2), stop); });
        QVERIFY(eventually([&] { return device.counters().state == NESY_STATE_RUNNING; }, 3s));
        stop.requestStop();
        QVERIFY(trial.wait_for(2s) == std::future_status::ready);
        Measurement m = trial.get();
        QCOMPARE(m.fault, FaultKind::Cancelled); // not Timeout: the board is fine, the trial was stopped
        QCOMPARE(m.toJson()["fault"].get<std::string>(), std::string("cancelled"));
        QCOMPARE(Measurement::fromJson(m.toJson()).fault, FaultKind::Cancelled);
        QVERIFY2(m.detail.find("stopped on request") != std::string::npos, m.detail.c_str());
        QVERIFY(device.counters().firmwareRuns < 1000);
        // The next trial resets the board first and completes.
        Measurement next = manager.measure("usb:1-5", referenceCandidate(8, 2), StopToken{});
        QVERIFY2(next.ok(), next.detail.c_str());
    }

    void telemetryStreamsWithoutLoss()
    {
        FirmwareUsbDevice device(*bus_, {.port = 6});
        device.plug();
        BoardManagerOptions options = fastOptions();
        options.usb.telemetryPeriodUs = 1000;
        std::atomic<int> delivered{0}; // outlives the manager that calls into it
        BoardManager manager(options);
        EventRecorder events(manager);
        manager.subscribeTelemetry([&](const TelemetrySample& s) {
            if (s.boardId == "usb:1-6")
                ++delivered;
        });
        manager.startUsbDiscovery();
        QVERIFY(waitForBoard(manager, events, "usb:1-6"));
        std::this_thread::sleep_for(1500ms);
        LinkStatistics s = *manager.linkStatistics("usb:1-6");
        QVERIFY2(s.telemetrySamples > 500, std::to_string(s.telemetrySamples).c_str());
        QCOMPARE(s.telemetryLost, std::uint64_t(0));
        QCOMPARE(s.droppedFrames(), std::uint64_t(0));
        QVERIFY(eventually([&] { return delivered.load() >= static_cast<int>(s.telemetrySamples); }, 2s));
        QCOMPARE(manager.statistics().telemetryDroppedDispatch, std::uint64_t(0));
    }

    void twoBoardsMeasureAtOnce()
    {
        FirmwareUsbDevice a(*bus_, {.port = 7});
        FirmwareUsbDevice b(*bus_, {.port = 8, .profileId = "nucleo-l476rg", .mcu = "STM32L476RG", .clockHz = 80000000});
        a.plug();
        b.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(waitForBoard(manager, events, "usb:1-7"));
        QVERIFY(waitForBoard(manager, events, "usb:1-8"));
        QCOMPARE(QString::fromStdString(manager.board("usb:1-8")->profile().name), QString("NUCLEO-L476RG"));
        auto run = [&](const std::string& id) {
            int ok = 0;
            for (int i = 0; i < 5; ++i)
                ok += manager.measure(id, referenceCandidate(24, 5, static_cast<std::uint32_t>(i + 1)), StopToken{}).ok();
            return ok;
        };
        auto first = std::async(std::launch::async, run, "usb:1-7");
        auto second = std::async(std::launch::async, run, "usb:1-8");
        QCOMPARE(first.get(), 5);
        QCOMPARE(second.get(), 5);
        Measurement slow = manager.measure("usb:1-8", referenceCandidate(24, 5), StopToken{});
        QVERIFY(std::abs(slow.latencyMs - 1000.0 * slow.cycles / 80e6) < 1e-9); // its own clock
    }

    void cleanupTestCase() { bus_.reset(); }
};

QTEST_APPLESS_MAIN(TestDevicesUsbMeasure)
#include "test_devices_usb_measure.moc"
