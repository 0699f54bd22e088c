// What goes wrong on a USB link, through the real libusb path on umockdev-emulated boards:
// unplug during deploy and during a run (that trial faults, the board is removed, the others go
// on), garbled / truncated / oversized / out-of-order frames (counted, dropped, resynchronised),
// a flooding board (callers never block, queues stay bounded), shutdown under traffic.
#include "UsbTestSupport.h"
#include "host/ReferenceImage.h"
#include "protocol/nesy_crc32.h"
#include <QtTest>
#include <cstring>
#include <future>
#include <thread>

using namespace nesy;
using namespace nesy::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint8_t> encoded(const nesy_msg& m)
{
    std::vector<std::uint8_t> out(NESY_MAX_WIRE_FRAME);
    out.resize(nesy_msg_encode(&m, out.data(), out.size()));
    return out;
}

std::vector<std::uint8_t> stuffed(std::vector<std::uint8_t> raw)
{
    std::vector<std::uint8_t> out(NESY_COBS_MAX_ENCODED(raw.size()) + 1);
    out.resize(nesy_cobs_encode(raw.data(), raw.size(), out.data(), out.size()));
    out.push_back(0);
    return out;
}

} // namespace

class TestDevicesUsbFaults : public QObject {
    Q_OBJECT
    std::unique_ptr<EmulatedUsbBus> bus_;

private slots:
    void initTestCase() { bus_ = std::make_unique<EmulatedUsbBus>(); }

    void unplugDuringDeployFaultsTheTrialAndRemovesTheBoard()
    {
        FirmwareUsbDevice leaving(*bus_, {.port = 1});
        FirmwareUsbDevice staying(*bus_, {.port = 2});
        leaving.plug();
        staying.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-1", 5s));
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-2", 5s));
        CandidateProgram big = referenceCandidate(248, 64, 2); // ~64 KB: deploying takes many round trips
        auto trial = std::async(std::launch::async, [&] { return manager.measure("usb:1-1", big, StopToken{}); });
        QVERIFY(eventually([&] {
            auto c = leaving.counters();
            return c.state == NESY_STATE_DEPLOYING && c.imageBytesReceived > 0;
        }, 5s));
        leaving.unplug();
        QVERIFY(trial.wait_for(5s) == std::future_status::ready);
        Measurement m = trial.get();
        QCOMPARE(m.fault, FaultKind::Disconnected);
        QVERIFY2(m.detail.find("deploy") != std::string::npos, m.detail.c_str());
        QVERIFY(events.waitFor(BoardEventKind::Removed, "usb:1-1", 5s));
        QVERIFY(!manager.board("usb:1-1"));
        // The search goes on with the other board.
        Measurement other = manager.measure("usb:1-2", referenceCandidate(16, 4), StopToken{});
        QVERIFY2(other.ok(), other.detail.c_str());
        // And a trial addressed to the board that left is a fault, not a hang.
        QCOMPARE(manager.measure("usb:1-1", big, StopToken{}).fault, FaultKind::Disconnected);
    }

    void unplugDuringRunFaultsTheTrial()
    {
        FirmwareUsbDevice device(*bus_, {.port = 3, .inferenceTimeUs = 1000});
        device.plug();
        BoardManagerOptions options = fastOptions();
        options.usb.inferencesPerMeasure = 2000;
        BoardManager manager(options);
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-3", 5s));
        auto trial = std::async(std::launch::async, [&] { return manager.measure("usb:1-3", referenceCandidate(8, 2), StopToken{}); });
        QVERIFY(eventually([&] { return device.counters().state == NESY_STATE_RUNNING; }, 5s));
        device.unplug();
        QVERIFY(trial.wait_for(5s) == std::future_status::ready);
        Measurement m = trial.get();
        QCOMPARE(m.fault, FaultKind::Disconnected);
        QVERIFY2(m.detail.find("run") != std::string::npos, m.detail.c_str());
        QVERIFY(events.waitFor(BoardEventKind::Removed, "usb:1-3", 5s));
        QVERIFY(manager.boardIds().empty());
    }

    void malformedFramesAreCountedDroppedAndTheLinkRecovers()
    {
        FirmwareUsbDevice device(*bus_, {.port = 4});
        device.plug();
        BoardManagerOptions options = fastOptions();
        options.usb.telemetryPeriodUs = 0; // only the injected frames arrive unasked
        BoardManager manager(options);
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-4", 5s));
        const LinkStatistics before = *manager.linkStatistics("usb:1-4");

        std::vector<std::uint8_t> garbage = {0x13, 0x37, 0xAB, 0xCD, 0x00};
        nesy_msg reset{};
        reset.type = NESY_MSG_ACK;
        reset.seq = 0x7777; // a reply nobody asked for
        reset.u.ack = {NESY_MSG_RESET, NESY_ACK_OK, 0};
        std::vector<std::uint8_t> outOfOrder = encoded(reset);
        std::vector<std::uint8_t> badCrc = encoded(reset);
        badCrc[2] ^= 0x40;
        std::vector<std::uint8_t> truncated = stuffed({NESY_PROTOCOL_VERSION, NESY_MSG_ACK, 1}); // shorter than a header
        std::vector<std::uint8_t> oversized(3000, 0x5A);
        oversized.push_back(0);
        std::vector<std::uint8_t> unknownType = stuffed({NESY_PROTOCOL_VERSION, 0x66, 1, 0, 0, 0});
        { // fix the unknown-type frame's CRC so that only its type is wrong
            std::vector<std::uint8_t> raw = {NESY_PROTOCOL_VERSION, 0x66, 1, 0, 0, 0};
            std::uint32_t crc = nesy_crc32(raw.data(), raw.size());
            for (int i = 0; i < 4; ++i)
                raw.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
            unknownType = stuffed(raw);
        }
        nesy_msg t{};
        t.type = NESY_MSG_TELEMETRY;
        t.u.telemetry.sample_index = 10;
        std::vector<std::uint8_t> newer = encoded(t);
        t.u.telemetry.sample_index = 5; // older than the one before: out of order
        std::vector<std::uint8_t> older = encoded(t);
        for (const auto* bytes : {&garbage, &outOfOrder, &badCrc, &truncated, &oversized, &unknownType, &newer, &older})
            device.injectToHost(*bytes);

        QVERIFY(eventually([&] { return manager.linkStatistics("usb:1-4")->outOfOrder >= before.outOfOrder + 2; }, 3s));
        const LinkStatistics after = *manager.linkStatistics("usb:1-4");
        QVERIFY(after.cobsErrors + after.crcErrors >= before.cobsErrors + before.crcErrors + 2);
        QCOMPARE(after.truncated, before.truncated + 1);
        QCOMPARE(after.oversized, before.oversized + 1);
        QCOMPARE(after.rejected, before.rejected + 1);
        QCOMPARE(after.outOfOrder, before.outOfOrder + 2);
        QCOMPARE(after.telemetrySamples, before.telemetrySamples + 1);
        QVERIFY(after.bytesDropped > before.bytesDropped + 3000);
        // The stream resynchronised: the board still measures.
        Measurement m = manager.measure("usb:1-4", referenceCandidate(16, 4), StopToken{});
        QVERIFY2(m.ok(), m.detail.c_str());
    }

    void floodingBoardCannotBlockCallers()
    {
        FirmwareUsbDevice device(*bus_, {.port = 5});
        device.plug();
        BoardManagerOptions options = fastOptions();
        options.telemetryQueueCapacity = 256;
        std::atomic<int> slowDeliveries{0}; // outlives the manager that calls into it
        BoardManager manager(options);
        EventRecorder events(manager);
        manager.subscribeTelemetry([&](const TelemetrySample&) { // a consumer far slower than the board
            std::this_thread::sleep_for(1ms);
            ++slowDeliveries;
        });
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-5", 5s));
        device.setFlooding(true);
        QVERIFY(eventually([&] { return manager.linkStatistics("usb:1-5")->telemetrySamples > 20000; }, 10s));
        // Callers get answers while the flood goes on.
        Measurement m = manager.measure("usb:1-5", referenceCandidate(16, 4), StopToken{});
        QVERIFY2(m.ok(), m.detail.c_str());
        QCOMPARE(manager.boardIds().size(), std::size_t(1));
        QVERIFY(manager.takeTelemetry().size() <= 256);
        BoardManagerStatistics s = manager.statistics();
        QVERIFY(s.telemetryDroppedPolled > 0);
        QVERIFY(s.telemetryDroppedDispatch > 0);
        QVERIFY(slowDeliveries.load() > 0);
        // Shutting down under the flood completes (ctest's timeout would catch a hang).
    }

    void cleanupTestCase() { bus_.reset(); }
};

QTEST_APPLESS_MAIN(TestDevicesUsbFaults)
#include "test_devices_usb_faults.moc"
