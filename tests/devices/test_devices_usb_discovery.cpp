// Discovery over real libusb against umockdev-emulated boards: enumeration of boards present at
// start, hotplug arrival and departure (umockdev needs the explicit "remove" uevent the emulated
// device sends), the CDC-ACM variant with its kernel driver detached, ids outside the list ignored,
// and the board manager mixing USB boards with boards the application adds.
#include "UsbTestSupport.h"
#include <QtTest>

using namespace nesy;
using namespace nesy::test;
using namespace std::chrono_literals;

namespace {

// A board the application adds itself (stands in for the simulated and emulated boards).
class FixedBoard : public Board {
public:
    std::string id() const override { return "sim:fixed"; }
    BoardKind kind() const override { return BoardKind::Simulated; }
    const BoardProfile& profile() const override { return profile_; }
    BoardState state() const override { return BoardState::Ready; }
    Measurement measure(const CandidateProgram&, const StopToken&) override
    {
        Measurement m;
        m.boardId = id();
        m.flashBytes = 1000;
        m.sramStaticBytes = 200;
        m.peakStackBytes = 100;
        m.latencyMs = 2.5;
        return m;
    }

private:
    BoardProfile profile_;
};

} // namespace

class TestDevicesUsbDiscovery : public QObject {
    Q_OBJECT
    std::unique_ptr<EmulatedUsbBus> bus_;

private slots:
    void initTestCase() { bus_ = std::make_unique<EmulatedUsbBus>(); } // before any libusb context

    void enumeratesBoardsPresentAtStart()
    {
        FirmwareUsbDevice device(*bus_, {.port = 1});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-1", 5s));
        auto board = manager.board("usb:1-1");
        QVERIFY(board);
        QCOMPARE(board->kind(), BoardKind::Usb);
        QCOMPARE(QString::fromStdString(board->profile().id), QString("nucleo-f446re"));
        QCOMPARE(QString::fromStdString(board->profile().name), QString("NUCLEO-F446RE")); // from the known profile file
        QCOMPARE(board->profile().clockHz, 180000000.0);
        QCOMPARE(board->profile().usableSramBytes(), std::int64_t(100 * 1024)); // as the board reports it
        QCOMPARE(board->state(), BoardState::Ready);
        QVERIFY(manager.usbDiscoveryRunning());
    }

    void hotplugArrivalAndDeparture()
    {
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(manager.boardIds().empty());
        FirmwareUsbDevice device(*bus_, {.port = 2, .serial = "HOT2"});
        device.plug();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-2", 5s));
        QVERIFY(manager.waitFor([](const auto& ids) { return ids.size() == 1; }, 1s));
        auto usb = std::dynamic_pointer_cast<UsbBoard>(manager.board("usb:1-2"));
        QVERIFY(usb);
        QCOMPARE(QString::fromStdString(usb->serial()), QString("HOT2"));
        QCOMPARE(QString::fromStdString(usb->firmwareVersion()), QString("2.0.0"));
        device.unplug();
        QVERIFY(events.waitFor(BoardEventKind::Removed, "usb:1-2", 5s));
        QVERIFY(manager.waitFor([](const auto& ids) { return ids.empty(); }, 1s));
        QCOMPARE(usb->state(), BoardState::Disconnected);
        QCOMPARE(manager.statistics().usbDepartures, std::uint64_t(1));
    }

    void cdcAcmBoardIsClaimedAfterDetachingItsDriver()
    {
        FirmwareUsbDevice device(*bus_, {.port = 3, .product = 0x0002, .cdcAcm = true});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-3", 5s));
        QVERIFY(device.counters().kernelDriverDetached);
        Measurement m = manager.measure("usb:1-3", referenceCandidate(8, 3), StopToken{});
        QVERIFY2(m.ok(), m.detail.c_str());
    }

    void devicesOutsideTheIdListAreIgnored()
    {
        FirmwareUsbDevice stranger(*bus_, {.port = 4, .vendor = 0x1234, .product = 0x5678});
        stranger.plug();
        FirmwareUsbDevice ours(*bus_, {.port = 5});
        ours.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-5", 5s));
        QVERIFY(!manager.board("usb:1-4"));
        QCOMPARE(stranger.counters().urbsSubmitted, std::uint64_t(0)); // never even opened

        // The list is configurable: a manager told about 1234:5678 takes it.
        BoardManagerOptions options = fastOptions();
        options.usbIds.push_back({0x1234, 0x5678, "test"});
        BoardManager other(options);
        EventRecorder otherEvents(other);
        other.startUsbDiscovery();
        QVERIFY(otherEvents.waitFor(BoardEventKind::Added, "usb:1-4", 5s));
        // 1-5 stays with the first manager: the second one cannot claim it and says so.
        QVERIFY(otherEvents.waitFor(BoardEventKind::ConnectFailed, "usb:1-5", 5s));
        QVERIFY(manager.board("usb:1-5"));
    }

    void applicationBoardsSitBesideUsbBoards()
    {
        FirmwareUsbDevice device(*bus_, {.port = 6});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        manager.addBoard(std::make_shared<FixedBoard>());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.addBoard(std::make_shared<FixedBoard>()));
        manager.startUsbDiscovery();
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-6", 5s));
        QVERIFY(events.waitFor(BoardEventKind::Added, "sim:fixed", 1s));
        QCOMPARE(manager.boards().size(), std::size_t(2));
        manager.takeTelemetry();
        Measurement m = manager.measure("sim:fixed", referenceCandidate(4, 2), StopToken{});
        QVERIFY(m.ok());
        auto samples = manager.takeTelemetry();
        QVERIFY(std::any_of(samples.begin(), samples.end(), [](const TelemetrySample& s) {
            return s.boardId == "sim:fixed" && s.flashUsedBytes == 1000 && s.sramUsedBytes == 300;
        }));
        QVERIFY(manager.removeBoard("sim:fixed"));
        QVERIFY(!manager.removeBoard("sim:fixed"));
        Measurement gone = manager.measure("sim:fixed", referenceCandidate(4, 2), StopToken{});
        QCOMPARE(gone.fault, FaultKind::Disconnected);
    }

    void cleanupTestCase() { bus_.reset(); }
};

QTEST_APPLESS_MAIN(TestDevicesUsbDiscovery)
#include "test_devices_usb_discovery.moc"
