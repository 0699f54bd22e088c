// Real candidates on a USB board: the generated C of a features + MLP program (float and int8) is
// linked into an NSY2 image for the architecture the board reports (host-so on the umockdev-emulated
// board, whose firmware core dlopens it) and measured through the real libusb path. Too big for the
// board -> flash overflow; a corrupted image -> bad image; an image for another architecture ->
// unsupported; unplugged during deploy -> disconnected; the Cortex-M link puts code and data where
// the board says; the search's resource check on a usb: target accepts the example project's program.
#include "UsbTestSupport.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/SyntheticPrograms.h"
#include "codegen/TrialPrograms.h"
#include "engine/Resources.h"
#include "firmware/nesy_image.h"
#include "graph/Project.h"
#include "host/ManagedResourceCheck.h"
#include "host/ProgramImage.h"
#include "host/ProjectBoards.h"
#include <QtTest>
#include <future>

using namespace nesy;
using namespace nesy::test;
using namespace std::chrono_literals;

namespace {

CandidateProgram mlpCandidate(bool int8, int width, std::uint64_t seed = 3)
{
    codegen::SyntheticOptions o;
    o.shape = codegen::SyntheticShape::FeaturesMlp;
    o.int8 = int8;
    o.windowLength = 64;
    o.channels = 3;
    o.classes = 5;
    o.width = width;
    o.depth = 2;
    CandidateProgram c = codegen::buildCandidateProgram(codegen::syntheticProgram(o, seed));
    c.name = std::string(int8 ? "int8" : "float") + "-mlp-" + std::to_string(width);
    return c;
}

std::uint32_t u32At(const std::vector<std::uint8_t>& b, std::size_t at)
{
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (std::uint32_t(b[at + 3]) << 24);
}

} // namespace

class TestDevicesUsbProgramImage : public QObject {
    Q_OBJECT
    std::unique_ptr<EmulatedUsbBus> bus_;

    static std::shared_ptr<UsbBoard> attach(BoardManager& manager, EventRecorder& events, const std::string& id)
    {
        manager.startUsbDiscovery();
        if (!events.waitFor(BoardEventKind::Added, id, 5s))
            return nullptr;
        return std::dynamic_pointer_cast<UsbBoard>(manager.board(id));
    }

private slots:
    void initTestCase() { bus_ = std::make_unique<EmulatedUsbBus>(); }

    void floatAndInt8CandidatesRunOnTheBoard()
    {
        FirmwareUsbDevice device(*bus_, {.port = 1});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        auto board = attach(manager, events, "usb:1-1");
        QVERIFY(board);
        QCOMPARE(board->imageTarget().arch, std::uint8_t(NESY_ARCH_HOST_SO));
        QCOMPARE(board->imageTarget().programAreaBytes, device.spec().programAreaBytes);
        std::uint32_t runs = 0;
        Measurement float32;
        for (bool int8 : {false, true}) {
            CandidateProgram c = mlpCandidate(int8, 16);
            QVERIFY(c.image.empty());
            QVERIFY(!c.expectedOutput.empty());
            Measurement m = manager.measure("usb:1-1", c, StopToken{});
            QVERIFY2(m.ok(), (c.name + ": " + m.detail).c_str());
            QVERIFY(m.flashBytes > 1000);       // the Cortex-M build's code and constants
            QVERIFY(m.sramStaticBytes > 0);     // at least the arena
            QVERIFY(m.peakStackBytes > 0);
            QVERIFY(m.cycles > 0);
            QVERIFY(std::abs(m.latencyMs - 1000.0 * m.cycles / 180e6) < 1e-9);
            if (!int8)
                float32 = m;
            runs += 4; // inferencesPerMeasure
            QCOMPARE(device.counters().firmwareRuns, runs);
        }
        // The declared figures are the board's (arm-none-eabi-gcc for the F446RE's Cortex-M4F), and
        // the board reports what the image declares.
        CandidateProgram wrongExpectation = mlpCandidate(false, 16);
        ProgramImageBuild b = buildProgramImage(wrongExpectation, board->profile(), board->imageTarget());
        QVERIFY2(b.image, b.detail.c_str());
        QVERIFY2(b.image->figuresFrom.find("cortex-m4") != std::string::npos, b.image->figuresFrom.c_str());
        QCOMPARE(std::int64_t(b.image->flashBytes), float32.flashBytes);
        QCOMPARE(std::int64_t(b.image->sramStaticBytes), float32.sramStaticBytes);
        QCOMPARE(std::int64_t(b.image->stackBytes), float32.peakStackBytes);
        // The board's outputs are compared with the engine's: a wrong expectation is caught (here
        // with the image attached, so the 192-value input goes inline in RUN).
        wrongExpectation.image = b.image->bytes;
        wrongExpectation.expectedOutput[1] += 0.5f;
        Measurement wrong = manager.measure("usb:1-1", wrongExpectation, StopToken{});
        QCOMPARE(wrong.fault, FaultKind::RuntimeFault);
        QVERIFY2(wrong.detail.find("output 1") != std::string::npos, wrong.detail.c_str());
    }

    void candidateTooBigForTheBoardIsAFlashOverflow()
    {
        // 4 KB of usable flash: the program's declared flash is refused at deploy-end.
        FirmwareUsbDevice small(*bus_, {.port = 2, .flashBytes = 36 * 1024});
        // An 8 KB program area: the image itself is refused at deploy-begin.
        FirmwareUsbDevice tiny(*bus_, {.port = 3, .programAreaBytes = 8 * 1024});
        small.plug();
        tiny.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        QVERIFY(attach(manager, events, "usb:1-2"));
        QVERIFY(events.waitFor(BoardEventKind::Added, "usb:1-3", 5s));
        const CandidateProgram c = mlpCandidate(false, 24);
        Measurement m = manager.measure("usb:1-2", c, StopToken{});
        QCOMPARE(m.fault, FaultKind::FlashOverflow);
        QVERIFY2(m.detail.find("deploy-end") != std::string::npos && m.detail.find("4096 usable") != std::string::npos,
                 m.detail.c_str());
        Measurement t = manager.measure("usb:1-3", c, StopToken{});
        QCOMPARE(t.fault, FaultKind::FlashOverflow);
        QVERIFY2(t.detail.find("deploy-begin") != std::string::npos, t.detail.c_str());
        QCOMPARE(small.counters().firmwareRuns, 0u);
    }

    void corruptedOrForeignImagesAreRefused()
    {
        FirmwareUsbDevice device(*bus_, {.port = 4});
        device.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        auto board = attach(manager, events, "usb:1-4");
        QVERIFY(board);
        CandidateProgram c = mlpCandidate(false, 16);
        ProgramImageBuild b = buildProgramImage(c, board->profile(), board->imageTarget());
        QVERIFY2(b.image, b.detail.c_str());
        const std::vector<std::uint8_t> good = b.image->bytes;
        const std::uint32_t codeOffset = u32At(good, 16);

        CandidateProgram corrupt = c; // the shared object's ELF magic is broken: it does not load
        corrupt.image = good;
        corrupt.image[codeOffset + 1] ^= 0xFF;
        Measurement m = manager.measure("usb:1-4", corrupt, StopToken{});
        QCOMPARE(m.fault, FaultKind::RuntimeFault);
        QVERIFY2(m.detail.find("deploy-end: the program does not load") != std::string::npos, m.detail.c_str());

        corrupt.image = good; // a header that lies about the code size
        corrupt.image[20] ^= 0x01;
        m = manager.measure("usb:1-4", corrupt, StopToken{});
        QCOMPARE(m.fault, FaultKind::RuntimeFault);
        QVERIFY2(m.detail.find("image size does not match its header") != std::string::npos, m.detail.c_str());

        // Linked for a Cortex-M board: another architecture than this board runs.
        ProgramImageTarget arm{NESY_ARCH_ARMV7EM, 0x20008000, 64 * 1024, 0x20018000, 32 * 1024};
        ProgramImageBuild a = buildProgramImage(c, board->profile(), arm);
        QVERIFY2(a.image, a.detail.c_str());
        corrupt.image = a.image->bytes;
        m = manager.measure("usb:1-4", corrupt, StopToken{});
        QCOMPARE(m.fault, FaultKind::UnsupportedOperation);
        QVERIFY2(m.detail.find("architecture 1") != std::string::npos, m.detail.c_str());

        // The good image still runs: nothing of the refused ones was left behind.
        corrupt.image = good;
        Measurement ok = manager.measure("usb:1-4", corrupt, StopToken{});
        QVERIFY2(ok.ok(), ok.detail.c_str());
    }

    void cortexMImageIsLinkedWhereTheBoardSays()
    {
        BoardProfile profile;
        profile.id = "nucleo-f446re";
        profile.core = "cortex-m4";
        profile.fpu = true;
        const ProgramImageTarget arm{NESY_ARCH_ARMV7EM, 0x20008000, 64 * 1024, 0x20018000, 32 * 1024};
        ProgramImageBuild b = buildProgramImage(mlpCandidate(true, 16), profile, arm);
        QVERIFY2(b.image, b.detail.c_str());
        const std::vector<std::uint8_t>& img = b.image->bytes;
        nesy_image_info info;
        const char* problem = nesy_image_parse(img.data(), static_cast<std::uint32_t>(img.size()), &info);
        QVERIFY2(!problem, problem);
        QCOMPARE(info.arch, std::uint8_t(NESY_ARCH_ARMV7EM));
        QCOMPARE(info.n_in, std::uint16_t(192));
        QCOMPARE(info.n_out, std::uint16_t(5));
        QCOMPARE(info.n_vectors, std::uint16_t(1));
        QCOMPARE(info.load_addr, arm.programAreaAddress + info.code_offset);
        QCOMPARE(info.code_offset % 8, 0u);
        QCOMPARE(info.entry_offset, 0u); // the entry table leads the code
        QCOMPARE(u32At(img, info.code_offset), NESY_PROGRAM_ENTRY_MAGIC);
        const std::uint32_t run = u32At(img, info.code_offset + 8);
        QVERIFY(run & 1u); // a Thumb function address
        QVERIFY(run > info.load_addr && run < info.load_addr + info.code_bytes);
        QVERIFY(info.bss_addr >= arm.ramAddress && info.bss_addr + info.bss_bytes <= arm.ramAddress + arm.ramBytes);
        QVERIFY(info.bss_bytes >= info.arena_bytes);
        QCOMPARE(info.flash_bytes, info.code_bytes);
        QCOMPARE(info.sram_static, info.data_bytes + info.bss_bytes);
        // The test vector is the candidate's test input, in place.
        const float* v = nesy_image2_test_vector(img.data(), &info, 0);
        QCOMPARE(v[7], mlpCandidate(true, 16).testInput[7]);
    }

    void unplugDuringDeployFaultsCleanly()
    {
        FirmwareUsbDevice leaving(*bus_, {.port = 5});
        leaving.plug();
        BoardManager manager(fastOptions());
        EventRecorder events(manager);
        QVERIFY(attach(manager, events, "usb:1-5"));
        const CandidateProgram big = mlpCandidate(false, 96); // ~60 KB of weights: many chunks
        auto trial = std::async(std::launch::async, [&] { return manager.measure("usb:1-5", big, StopToken{}); });
        QVERIFY(eventually([&] {
            auto c = leaving.counters();
            return c.state == NESY_STATE_DEPLOYING && c.imageBytesReceived > 0;
        }, 10s));
        leaving.unplug();
        QVERIFY(trial.wait_for(5s) == std::future_status::ready);
        Measurement m = trial.get();
        QCOMPARE(m.fault, FaultKind::Disconnected);
        QVERIFY2(m.detail.find("deploy") != std::string::npos, m.detail.c_str());
        QVERIFY(events.waitFor(BoardEventKind::Removed, "usb:1-5", 5s));
    }

    void searchResourceCheckAcceptsARealCandidate()
    {
        FirmwareUsbDevice device(*bus_, {.port = 6});
        device.plug();
        auto manager = std::make_shared<BoardManager>(fastOptions());
        manager->startUsbDiscovery();
        requireBoards(*manager, {"usb:1-6"}, 5s);
        auto check = std::make_shared<ManagedResourceCheck>(manager, std::vector<std::string>{"usb:1-6"});
        // What the search measures for the hard threshold: the example project's program, generated C only.
        const Project project = loadProject(exampleDir() / "activity-features-mlp.nesy.json");
        const CandidateProgram program = codegen::candidateProgramForGraph(project.graph, project, BlockRegistry::builtin());
        QVERIFY(program.image.empty());
        QVERIFY(program.testInput.size() > NESY_MAX_RUN_INPUTS); // too long for RUN: the image carries it
        ResourceVerdict v = check->check(program);
        QVERIFY2(v.deployable(), v.detail.c_str());
        QCOMPARE(v.details[0]["board"].get<std::string>(), std::string("usb:1-6"));
        QVERIFY(v.terms.at("flash_bytes") > 0);
        QVERIFY(v.terms.at("latency_ms") > 0);
        QVERIFY(device.counters().firmwareRuns > 0);
    }

    void cleanupTestCase() { bus_.reset(); }
};

QTEST_APPLESS_MAIN(TestDevicesUsbProgramImage)
#include "test_devices_usb_program_image.moc"
