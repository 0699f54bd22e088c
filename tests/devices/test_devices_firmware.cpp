// The reference firmware core on the host, driven through the host's ProtocolClient over an
// in-memory loopback: handshake, deploy, run, faults, reset, telemetry cadence.
#include "firmware/nesy_fw.h"
#include "host/ProgramImage.h"
#include "host/ProtocolClient.h"
#include "host/ReferenceImage.h"
#include "host/UsbDeviceIds.h"
#include "graph/JsonReader.h"
#include <QFile>
#include <QTemporaryDir>
#include <QRegularExpression>
#include "protocol/nesy_crc32.h"
#include <QtTest>
#include <cstring>
#include <memory>

using namespace nesy;

namespace {

// The firmware and a host client wired back to back; the device runs until idle after each write.
class Loopback {
public:
    explicit Loopback(std::uint32_t programArea = 64 * 1024, std::uint32_t flash = 512 * 1024, std::uint32_t sram = 128 * 1024,
                      const nesy_fw_loader* loader = nullptr)
        : area_(programArea), fw_(std::make_unique<nesy_fw>())
    {
        nesy_fw_identity id{"nucleo-f446re", "STM32F446RE", "cortex-m4", "T1", 180000000, flash, sram, 32 * 1024, 28 * 1024};
        nesy_fw_port port{this, &Loopback::deviceWrite, nullptr, loader};
        nesy_fw_init(fw_.get(), &id, &port, area_.data(), static_cast<std::uint32_t>(area_.size()));
        client_ = std::make_unique<ProtocolClient>(
            [this](std::vector<std::uint8_t> bytes) {
                nesy_fw_receive(fw_.get(), bytes.data(), bytes.size());
                while (nesy_fw_poll(fw_.get(), now_)) {
                }
                flush();
                return true;
            },
            [this](const nesy_telemetry& t) { telemetry.push_back(t); });
    }

    Reply request(nesy_msg& m) { return client_->request(m, std::chrono::milliseconds(500), nullptr); }
    void advance(std::uint32_t us)
    {
        now_ += us;
        nesy_fw_poll(fw_.get(), now_);
        flush();
    }
    nesy_fw& fw() { return *fw_; }
    // What a port's loader of linked programs was asked to do (see fakeLoader below).
    struct Linked {
        int loads = 0, unloads = 0;
        const char* loadProblem = nullptr;
        const char* runProblem = nullptr;
    } linked;
    ProtocolClient& client() { return *client_; }
    std::vector<nesy_telemetry> telemetry;

    static nesy_msg message(std::uint8_t type)
    {
        nesy_msg m;
        std::memset(&m, 0, sizeof m);
        m.type = type;
        return m;
    }

    Reply deploy(const std::vector<std::uint8_t>& image)
    {
        nesy_msg begin = message(NESY_MSG_DEPLOY_BEGIN);
        begin.u.deploy_begin = {static_cast<std::uint32_t>(image.size()), nesy_crc32(image.data(), image.size())};
        Reply r = request(begin);
        if (!r.ok() || r.msg->type != NESY_MSG_ACK)
            return r;
        auto chunk = std::make_unique<nesy_msg>(message(NESY_MSG_DEPLOY_CHUNK));
        for (std::size_t off = 0; off < image.size(); off += NESY_MAX_CHUNK) {
            std::size_t n = std::min<std::size_t>(NESY_MAX_CHUNK, image.size() - off);
            chunk->u.deploy_chunk.offset = static_cast<std::uint32_t>(off);
            chunk->u.deploy_chunk.length = static_cast<std::uint16_t>(n);
            std::memcpy(chunk->u.deploy_chunk.data, image.data() + off, n);
            r = request(*chunk);
            if (!r.ok() || r.msg->type != NESY_MSG_ACK)
                return r;
        }
        nesy_msg end = message(NESY_MSG_DEPLOY_END);
        return request(end);
    }

private:
    static void deviceWrite(void* self, const std::uint8_t* bytes, std::size_t n)
    {
        auto* l = static_cast<Loopback*>(self);
        l->pending_.insert(l->pending_.end(), bytes, bytes + n);
    }
    void flush()
    {
        std::vector<std::uint8_t> out;
        out.swap(pending_);
        if (!out.empty())
            client_->onBytes(out.data(), out.size());
    }

    std::vector<std::uint8_t> area_;
    std::unique_ptr<nesy_fw> fw_;
    std::unique_ptr<ProtocolClient> client_;
    std::vector<std::uint8_t> pending_;
    std::uint32_t now_ = 0;
};

// A port's loader for the core's side of linked programs: "runs" a program whose outputs are the
// sum of the inputs plus the output's index, in 100 cycles and 48 bytes of stack.
const char* fakeLoad(void* ctx, const std::uint8_t*, const nesy_image_info*)
{
    auto* l = static_cast<Loopback*>(ctx);
    if (l->linked.loadProblem)
        return l->linked.loadProblem;
    ++l->linked.loads;
    return nullptr;
}

const char* fakeRun(void* ctx, const float* input, float* output, std::uint32_t* cycles, std::uint32_t* peakStack)
{
    auto* l = static_cast<Loopback*>(ctx);
    const nesy_image_info& info = l->fw().info;
    float sum = 0;
    for (int i = 0; i < info.n_in; ++i)
        sum += input[i];
    for (int o = 0; o < info.n_out; ++o)
        output[o] = sum + static_cast<float>(o);
    *cycles = 100;
    *peakStack = 48;
    return l->linked.runProblem;
}

void fakeUnload(void* ctx)
{
    ++static_cast<Loopback*>(ctx)->linked.unloads;
}

constexpr std::uint32_t kArea = 0x20008000, kRam = 0x20018000, kRamBytes = 32 * 1024;
const nesy_fw_loader fakeLoader{NESY_ARCH_ARMV7EM, kArea, kRam, kRamBytes, fakeLoad, fakeRun, fakeUnload};

// An NSY2 image for fakeLoader: 3 inputs, 2 outputs, one test vector, placeholder code.
LinkedLayout linkedLayout()
{
    LinkedLayout l;
    l.arch = NESY_ARCH_ARMV7EM;
    l.inputs = 3;
    l.outputs = 2;
    l.testVector = {1.0f, 2.0f, 0.5f};
    l.loadAddress = kArea + linkedCodeOffset(3, 1);
    l.dataOffset = 32;
    l.dataBytes = 16;
    l.dataAddress = kRam;
    l.bssBytes = 256;
    l.bssAddress = kRam + 16;
    l.flashBytes = 64;
    l.sramStaticBytes = 272;
    l.arenaBytes = 128;
    l.stackBytes = 200;
    return l;
}


} // namespace

class TestDevicesFirmware : public QObject {
    Q_OBJECT
private slots:
    void helloAnswersWithBoardInfo()
    {
        Loopback l;
        nesy_msg hello = Loopback::message(NESY_MSG_HELLO);
        hello.u.hello = {NESY_PROTOCOL_VERSION, 4242};
        Reply r = l.request(hello);
        QVERIFY(r.ok());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_BOARD_INFO));
        QCOMPARE(r.msg->u.board_info.nonce, 4242u);
        QCOMPARE(QString(r.msg->u.board_info.profile_id), QString("nucleo-f446re"));
        QCOMPARE(r.msg->u.board_info.clock_hz, 180000000u);
        QCOMPARE(int(r.msg->u.board_info.max_chunk), int(NESY_MAX_CHUNK));
    }

    void deployAndRunGiveTheProgramsOutputsAndFigures()
    {
        Loopback l;
        ReferenceProgram p = makeReferenceProgram(40, 5, 3);
        Reply r = l.deploy(p.image());
        QVERIFY(r.ok());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_ACK));
        QCOMPARE(r.msg->u.ack.value, p.flashBytes);
        QCOMPARE(int(l.fw().state), int(NESY_STATE_READY));

        std::vector<float> input(40);
        for (int i = 0; i < 40; ++i)
            input[static_cast<std::size_t>(i)] = 0.1f * static_cast<float>(i - 20);
        auto run = std::make_unique<nesy_msg>(Loopback::message(NESY_MSG_RUN));
        run->u.run.count = 3;
        run->u.run.source = NESY_RUN_INLINE;
        run->u.run.n_inputs = 40;
        std::copy(input.begin(), input.end(), run->u.run.inputs);
        r = l.request(*run);
        QVERIFY(r.ok());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_RESULT));
        const nesy_result& res = r.msg->u.result;
        QCOMPARE(res.runs, 3u);
        QCOMPARE(int(res.n_outputs), 5);
        std::vector<float> want = p.run(input);
        for (int o = 0; o < 5; ++o)
            QCOMPARE(res.outputs[o], want[static_cast<std::size_t>(o)]);
        QCOMPARE(res.cycles_mean, 2u * 40u * 5u + 8u * 5u + 64u); // the documented cycle model
        QCOMPARE(res.flash_used, p.flashBytes);
        QCOMPARE(res.sram_static, p.sramStaticBytes);
        QCOMPARE(res.peak_stack, p.stackBytes);
        QCOMPARE(res.output_crc, nesy_crc32(reinterpret_cast<const std::uint8_t*>(want.data()), 4 * want.size()));

        auto vectors = std::make_unique<nesy_msg>(Loopback::message(NESY_MSG_RUN));
        vectors->u.run.count = 2;
        vectors->u.run.source = NESY_RUN_TEST_VECTORS;
        r = l.request(*vectors);
        QVERIFY(r.ok());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_RESULT));
        std::vector<float> wantVector = p.run(p.testVectors[0]);
        QCOMPARE(r.msg->u.result.outputs[0], wantVector[0]);
    }

    void resourceOverflowsAreFaultsOfTheirKind()
    {
        Loopback l(64 * 1024, 64 * 1024, 128 * 1024); // 64 KB flash, 32 KB of it reserved
        ReferenceProgram p = makeReferenceProgram(8, 2);
        p.flashBytes = 40 * 1024; // usable flash is 64 - 32 = 32 KB
        Reply r = l.deploy(p.image());
        QVERIFY(r.ok());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_FAULT));
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_FLASH_OVERFLOW));
        QCOMPARE(int(l.fw().state), int(NESY_STATE_EMPTY));

        Loopback big;
        p.flashBytes = 4096;
        p.sramStaticBytes = 120 * 1024; // usable SRAM is 128 - 28 = 100 KB
        r = big.deploy(p.image());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_FAULT));
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_RAM_OVERFLOW));

        Loopback tiny(1024);
        r = tiny.deploy(makeReferenceProgram(40, 10).image()); // larger than the program area
        QCOMPARE(int(r.msg->type), int(NESY_MSG_FAULT));
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_FLASH_OVERFLOW));
    }

    void badImagesAndWrongOrderAreRefused()
    {
        Loopback l;
        std::vector<std::uint8_t> image = makeReferenceProgram(4, 2).image();
        nesy_msg begin = Loopback::message(NESY_MSG_DEPLOY_BEGIN);
        begin.u.deploy_begin = {static_cast<std::uint32_t>(image.size()), 0x1234}; // wrong checksum
        QCOMPARE(int(l.request(begin).msg->type), int(NESY_MSG_ACK));
        auto chunk = std::make_unique<nesy_msg>(Loopback::message(NESY_MSG_DEPLOY_CHUNK));
        chunk->u.deploy_chunk.offset = 8; // out of order: the device says where to resume
        chunk->u.deploy_chunk.length = 4;
        Reply r = l.request(*chunk);
        QCOMPARE(int(r.msg->u.ack.status), int(NESY_ACK_BAD_OFFSET));
        QCOMPARE(r.msg->u.ack.value, 0u);
        chunk->u.deploy_chunk.offset = 0;
        chunk->u.deploy_chunk.length = static_cast<std::uint16_t>(image.size());
        std::memcpy(chunk->u.deploy_chunk.data, image.data(), image.size());
        QCOMPARE(int(l.request(*chunk).msg->u.ack.status), int(NESY_ACK_OK));
        nesy_msg end = Loopback::message(NESY_MSG_DEPLOY_END);
        r = l.request(end);
        QCOMPARE(int(r.msg->type), int(NESY_MSG_FAULT));
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_BAD_IMAGE));

        std::vector<std::uint8_t> notAnImage(64, 0xAB);
        r = l.deploy(notAnImage);
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_BAD_IMAGE));

        auto run = std::make_unique<nesy_msg>(Loopback::message(NESY_MSG_RUN));
        run->u.run.count = 1;
        r = l.request(*run);
        QCOMPARE(int(r.msg->type), int(NESY_MSG_FAULT));
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_PROTOCOL)); // no program

        QVERIFY(l.deploy(image).ok());
        run->u.run.n_inputs = 3; // the program expects 4
        r = l.request(*run);
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_RUNTIME));
    }

    void resetStopsARunBetweenInferences()
    {
        Loopback l;
        ReferenceProgram p = makeReferenceProgram(4, 2);
        QVERIFY(l.deploy(p.image()).ok());
        // Start a long run by hand (without waiting for its result), poll a little, then reset.
        auto run = std::make_unique<nesy_msg>(Loopback::message(NESY_MSG_RUN));
        run->type = NESY_MSG_RUN;
        run->seq = 900;
        run->u.run.count = 1000000;
        run->u.run.source = NESY_RUN_TEST_VECTORS;
        std::vector<std::uint8_t> wire(NESY_MAX_WIRE_FRAME);
        wire.resize(nesy_msg_encode(run.get(), wire.data(), wire.size()));
        nesy_fw_receive(&l.fw(), wire.data(), wire.size());
        for (int i = 0; i < 10; ++i)
            nesy_fw_poll(&l.fw(), 0);
        QCOMPARE(int(l.fw().state), int(NESY_STATE_RUNNING));
        QCOMPARE(l.fw().run_done, 10u);
        nesy_msg reset = Loopback::message(NESY_MSG_RESET);
        Reply r = l.request(reset);
        QVERIFY(r.ok());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_ACK));
        QCOMPARE(int(l.fw().state), int(NESY_STATE_EMPTY));
        QVERIFY(l.fw().run_done < 1000000u);
    }

    void telemetryKeepsItsCadenceAndIndex()
    {
        Loopback l;
        nesy_msg cfg = Loopback::message(NESY_MSG_TELEMETRY_CONFIG);
        cfg.u.telemetry_config.period_us = 1000;
        QCOMPARE(int(l.request(cfg).msg->type), int(NESY_MSG_ACK));
        for (int i = 0; i < 50; ++i)
            l.advance(1000);
        QCOMPARE(l.telemetry.size(), std::size_t(50));
        for (std::size_t i = 0; i < l.telemetry.size(); ++i)
            QCOMPARE(l.telemetry[i].sample_index, static_cast<std::uint32_t>(i));
        QCOMPARE(l.client().statistics().telemetryLost, std::uint64_t(0));
        l.advance(100); // not due yet
        QCOMPARE(l.telemetry.size(), std::size_t(50));
        cfg.u.telemetry_config.period_us = 0;
        l.request(cfg);
        l.advance(5000);
        QCOMPARE(l.telemetry.size(), std::size_t(50));
    }

    void malformedRequestsGetAProtocolFault()
    {
        Loopback l;
        std::vector<std::uint8_t> out(NESY_MAX_WIRE_FRAME);
        std::uint8_t body[1] = {0};
        out.resize(nesy_frame_encode(0x42, 77, body, 1, out.data(), out.size()));
        nesy_fw_receive(&l.fw(), out.data(), out.size());
        QCOMPARE(l.fw().counters.rejected, 1u);
        // And a device-to-host type sent to the device.
        nesy_msg ack = Loopback::message(NESY_MSG_ACK);
        Reply r = l.request(ack);
        QVERIFY(r.ok());
        QCOMPARE(int(r.msg->type), int(NESY_MSG_FAULT));
        QCOMPARE(int(r.msg->u.fault.code), int(NESY_FAULT_PROTOCOL));
        QCOMPARE(l.fw().counters.rejected, 2u);
    }

    void idListAndUdevRulesAgree()
    {
        const QByteArray source = qgetenv("NESY_SOURCE_DIR");
        QVERIFY2(!source.isEmpty(), "NESY_SOURCE_DIR is not set (ctest sets it)");
        const std::vector<UsbDeviceId> ids = loadUsbDeviceIds(std::filesystem::path(source.toStdString()) / "resources/usb/usb-ids.json");
        QVERIFY(ids == defaultUsbDeviceIds());
        QFile rules(QString::fromUtf8(source) + "/installer/udev/70-nesy-workbench.rules");
        QVERIFY(rules.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(rules.readAll());
        for (const UsbDeviceId& id : ids) {
            const QString line = QString("ATTR{idVendor}==\"%1\", ATTR{idProduct}==\"%2\", TAG+=\"uaccess\"")
                                     .arg(id.vendor, 4, 16, QChar('0')).arg(id.product, 4, 16, QChar('0'));
            QVERIFY2(text.contains(line), qPrintable(line));
        }
        QVERIFY(!text.contains(QRegularExpression("MODE\\s*=")));          // access comes from uaccess only
        QVERIFY(!text.contains(QRegularExpression("^[^#]*0666", QRegularExpression::MultilineOption)));
    }

    void badIdFilesNameTheProblem()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("ids.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"version": 1, "devices": [{"vendor": "0x1209", "product": "zz"}]})");
        f.close();
        try {
            loadUsbDeviceIds(path.toStdString());
            QFAIL("a bad product id was accepted");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("devices[0].product") != std::string::npos, e.what());
        }
    }

    void linkedImagesGoThroughThePortsLoader()
    {
        const std::vector<std::uint8_t> code(64, 0xA5);
        Loopback lb(64 * 1024, 512 * 1024, 128 * 1024, &fakeLoader);
        nesy_msg hello = Loopback::message(NESY_MSG_HELLO);
        hello.u.hello = {NESY_PROTOCOL_VERSION, 1};
        Reply info = lb.request(hello);
        QVERIFY(info.ok());
        QCOMPARE(info.msg->u.board_info.image_arch, std::uint8_t(NESY_ARCH_ARMV7EM));
        QCOMPARE(info.msg->u.board_info.program_area_addr, kArea);
        QCOMPARE(info.msg->u.board_info.program_area_bytes, 64u * 1024u);
        QCOMPARE(info.msg->u.board_info.program_ram_addr, kRam);
        QCOMPARE(info.msg->u.board_info.program_ram_bytes, kRamBytes);

        Reply r = lb.deploy(assembleLinkedImage(linkedLayout(), code));
        QVERIFY2(r.ok() && r.msg->type == NESY_MSG_ACK, r.ok() && r.msg->type == NESY_MSG_FAULT ? r.msg->u.fault.detail : "");
        QCOMPARE(r.msg->u.ack.value, 64u); // flash used
        QCOMPARE(lb.linked.loads, 1);
        nesy_msg run = Loopback::message(NESY_MSG_RUN);
        run.u.run.count = 3;
        run.u.run.source = NESY_RUN_TEST_VECTORS;
        r = lb.request(run);
        QVERIFY(r.ok() && r.msg->type == NESY_MSG_RESULT);
        QCOMPARE(r.msg->u.result.runs, 3u);
        QCOMPARE(r.msg->u.result.cycles_mean, 100u);
        QCOMPARE(r.msg->u.result.peak_stack, 48u);   // measured by the port
        QCOMPARE(r.msg->u.result.peak_arena, 128u);  // declared
        QCOMPARE(r.msg->u.result.sram_static, 272u); // declared
        QCOMPARE(r.msg->u.result.n_outputs, std::uint16_t(2));
        QCOMPARE(r.msg->u.result.outputs[0], 3.5f); // the image's test vector, read in place
        QCOMPARE(r.msg->u.result.outputs[1], 4.5f);
        run.u.run.source = NESY_RUN_INLINE; // inline inputs too
        run.u.run.n_inputs = 3;
        run.u.run.inputs[0] = run.u.run.inputs[1] = run.u.run.inputs[2] = 1.0f;
        r = lb.request(run);
        QVERIFY(r.ok() && r.msg->type == NESY_MSG_RESULT);
        QCOMPARE(r.msg->u.result.outputs[1], 4.0f);

        auto faultOf = [&](const LinkedLayout& l, std::uint8_t code_, const char* words) {
            Reply f = lb.deploy(assembleLinkedImage(l, code));
            if (!f.ok() || f.msg->type != NESY_MSG_FAULT)
                return false;
            if (f.msg->u.fault.code != code_ || !std::strstr(f.msg->u.fault.detail, words)) {
                qWarning("fault %u: %s", f.msg->u.fault.code, f.msg->u.fault.detail);
                return false;
            }
            return true;
        };
        LinkedLayout l = linkedLayout();
        l.loadAddress += 8;
        QVERIFY(faultOf(l, NESY_FAULT_BAD_IMAGE, "another program area address"));
        l = linkedLayout();
        l.bssBytes = kRamBytes; // 16 bytes beyond the program RAM
        QVERIFY(faultOf(l, NESY_FAULT_RAM_OVERFLOW, "program RAM"));
        l = linkedLayout();
        l.arch = NESY_ARCH_HOST_SO;
        QVERIFY(faultOf(l, NESY_FAULT_UNSUPPORTED, "architecture 2"));
        l = linkedLayout();
        l.flashBytes = 600 * 1024;
        QVERIFY(faultOf(l, NESY_FAULT_FLASH_OVERFLOW, "flash"));
        l = linkedLayout();
        l.dataOffset = 60; // initial data beyond the code
        QVERIFY(faultOf(l, NESY_FAULT_BAD_IMAGE, "initial data"));
        lb.linked.loadProblem = "no entry table at the entry offset";
        QVERIFY(faultOf(linkedLayout(), NESY_FAULT_BAD_IMAGE, "no entry table"));
        lb.linked.loadProblem = nullptr;
        QCOMPARE(lb.linked.unloads, lb.linked.loads); // every refused deploy discarded the loaded program

        // A fault during an inference is a runtime fault; the program stays deployed.
        QVERIFY(lb.deploy(assembleLinkedImage(linkedLayout(), code)).ok());
        lb.linked.runProblem = "the program used all of the stack";
        run.u.run.source = NESY_RUN_TEST_VECTORS;
        run.u.run.n_inputs = 0;
        r = lb.request(run);
        QVERIFY(r.ok() && r.msg->type == NESY_MSG_FAULT);
        QCOMPARE(r.msg->u.fault.code, std::uint8_t(NESY_FAULT_RUNTIME));
        QCOMPARE(QString(r.msg->u.fault.detail), QString("the program used all of the stack"));
        lb.linked.runProblem = nullptr;
        r = lb.request(run);
        QVERIFY(r.ok() && r.msg->type == NESY_MSG_RESULT);
        nesy_msg reset = Loopback::message(NESY_MSG_RESET);
        QVERIFY(lb.request(reset).ok());
        QCOMPARE(lb.linked.unloads, lb.linked.loads);

        // A board without a loader runs NSY1 only.
        Loopback plain;
        r = plain.deploy(assembleLinkedImage(linkedLayout(), code));
        QVERIFY(r.ok() && r.msg->type == NESY_MSG_FAULT);
        QCOMPARE(r.msg->u.fault.code, std::uint8_t(NESY_FAULT_UNSUPPORTED));
    }

    void imageBuilderRejectsBadShapes()
    {
        ReferenceProgram p = makeReferenceProgram(4, 2);
        p.bias.pop_back();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, p.image());
        ReferenceProgram wide = makeReferenceProgram(4, 2);
        wide.outputs = 65;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, wide.image());
        nesy_image_info info;
        std::vector<std::uint8_t> image = makeReferenceProgram(4, 2).image();
        QVERIFY(nesy_image_parse(image.data(), static_cast<std::uint32_t>(image.size()), &info) == nullptr);
        QVERIFY(nesy_image_parse(image.data(), static_cast<std::uint32_t>(image.size() - 1), &info) != nullptr);
    }
};

QTEST_APPLESS_MAIN(TestDevicesFirmware)
#include "test_devices_firmware.moc"
