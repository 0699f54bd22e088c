// The reference firmware's Cortex-M side on QEMU (mps2-an386, a Cortex-M4F): the portable core and
// the Cortex-M loader (devices/firmware/cortexm/loader.c), built with arm-none-eabi-gcc with the
// F446RE's SRAM map, receive a recorded host session (hello, deploy of a linked NSY2 image of a
// generated features + MLP program in acknowledged chunks, run on the image's test vector) and
// answer it over semihosting; the test decodes the replies. Checks that the code linked at the
// program area runs in place with its .data copied and .bss zeroed, gives the engine's outputs, and
// that stack painting measures a stack. QEMU does not model the DWT cycle counter (it reads 0).
#include "boards/ArmToolchain.h"
#include "boards/Subprocess.h"
#include "boards/TempDirectory.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/SyntheticPrograms.h"
#include "graph/Project.h"
#include "host/ProgramImage.h"
#include "protocol/nesy_crc32.h"
#include "protocol/nesy_frame.h"
#include "protocol/nesy_msg.h"
#include <QtTest>
#include <cmath>
#include <cstring>
#include <sstream>

using namespace nesy;

namespace {

std::filesystem::path sourceDir()
{
    const char* dir = std::getenv("NESY_SOURCE_DIR");
    if (!dir)
        throw std::runtime_error("NESY_SOURCE_DIR is not set (ctest sets it)");
    return dir;
}

void appendMessage(std::vector<std::uint8_t>& stream, nesy_msg& m, std::uint16_t seq)
{
    std::uint8_t wire[NESY_MAX_WIRE_FRAME];
    m.seq = seq;
    const std::size_t n = nesy_msg_encode(&m, wire, sizeof wire);
    if (n == 0)
        throw std::runtime_error("cannot encode a message of type " + std::to_string(m.type));
    stream.insert(stream.end(), wire, wire + n);
}

// The host's side of one measurement, as bytes on the bulk OUT pipe.
std::vector<std::uint8_t> hostSession(const std::vector<std::uint8_t>& image, std::uint32_t runs)
{
    std::vector<std::uint8_t> s{0};
    auto m = std::make_unique<nesy_msg>();
    std::uint16_t seq = 1;
    std::memset(m.get(), 0, sizeof *m);
    m->type = NESY_MSG_HELLO;
    m->u.hello = {NESY_PROTOCOL_VERSION, 7};
    appendMessage(s, *m, seq++);
    m->type = NESY_MSG_DEPLOY_BEGIN;
    m->u.deploy_begin = {static_cast<std::uint32_t>(image.size()), nesy_crc32(image.data(), image.size())};
    appendMessage(s, *m, seq++);
    for (std::size_t at = 0; at < image.size(); at += NESY_MAX_CHUNK) {
        m->type = NESY_MSG_DEPLOY_CHUNK;
        m->u.deploy_chunk.offset = static_cast<std::uint32_t>(at);
        m->u.deploy_chunk.length = static_cast<std::uint16_t>(std::min<std::size_t>(NESY_MAX_CHUNK, image.size() - at));
        std::memcpy(m->u.deploy_chunk.data, image.data() + at, m->u.deploy_chunk.length);
        appendMessage(s, *m, seq++);
    }
    m->type = NESY_MSG_DEPLOY_END;
    appendMessage(s, *m, seq++);
    m->type = NESY_MSG_RUN;
    m->u.run.count = runs;
    m->u.run.source = NESY_RUN_TEST_VECTORS;
    m->u.run.n_inputs = 0;
    appendMessage(s, *m, seq++);
    return s;
}

std::string byteArraySource(const std::vector<std::uint8_t>& bytes)
{
    std::ostringstream os;
    os << "#include <stdint.h>\nconst uint32_t nesy_rx_len = " << bytes.size() << "u;\nconst uint8_t nesy_rx[] = {";
    for (std::size_t i = 0; i < bytes.size(); ++i)
        os << (i % 24 == 0 ? "\n" : "") << static_cast<int>(bytes[i]) << ",";
    os << "\n};\n";
    return os.str();
}

struct Replies {
    std::vector<nesy_msg> messages;
    nesy_frame_stats stats{};
};

void collect(void* ctx, const nesy_frame* f)
{
    auto* r = static_cast<Replies*>(ctx);
    nesy_msg m;
    if (nesy_msg_decode(f, &m) == NESY_DECODE_OK)
        r->messages.push_back(m);
}

Replies decodeReplies(const std::string& output)
{
    Replies r;
    nesy_frame_decoder d;
    nesy_frame_decoder_init(&d);
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("tx ", 0) != 0)
            continue;
        std::vector<std::uint8_t> bytes;
        for (std::size_t i = 3; i + 1 < line.size(); i += 2)
            bytes.push_back(static_cast<std::uint8_t>(std::stoul(line.substr(i, 2), nullptr, 16)));
        nesy_frame_decoder_feed(&d, bytes.data(), bytes.size(), collect, &r);
    }
    r.stats = d.stats;
    return r;
}

} // namespace

class TestDevicesCortexmLoader : public QObject {
    Q_OBJECT

private slots:
    void linkedProgramRunsInPlaceOnTheCortexMFirmware_data()
    {
        QTest::addColumn<bool>("int8");
        QTest::newRow("float") << false;
        QTest::newRow("int8") << true;
    }

    void linkedProgramRunsInPlaceOnTheCortexMFirmware()
    {
        QFETCH(bool, int8);
        const ArmToolchain tools = ArmToolchain::locate();
        QVERIFY2(!tools.gcc.empty() && !tools.qemu.empty(), tools.problem.c_str()); // CI installs both

        codegen::SyntheticOptions o;
        o.int8 = int8;
        o.width = 16;
        const CandidateProgram c = codegen::buildCandidateProgram(codegen::syntheticProgram(o, 5));
        BoardProfile profile;
        profile.id = "nucleo-f446re";
        profile.core = "cortex-m4";
        profile.fpu = true;
        // The F446RE firmware's program area and program RAM (devices/firmware/cortexm/stm32f446re.ld).
        const ProgramImageTarget target{1, 0x20008000, 64 * 1024, 0x20018000, 32 * 1024};
        ProgramImageBuild b = buildProgramImage(c, profile, target);
        QVERIFY2(b.image, b.detail.c_str());

        // The reference firmware with the F446RE's memory map, its flash moved to QEMU's boot address.
        TempDirectory dir("nesy-cortexm-loader");
        const std::filesystem::path src = sourceDir();
        std::string script = readTextFile(src / "devices/firmware/cortexm/stm32f446re.ld");
        const auto flash = script.find("ORIGIN = 0x08000000");
        QVERIFY(flash != std::string::npos);
        script.replace(flash, std::strlen("ORIGIN = 0x08000000"), "ORIGIN = 0x00000000");
        writeTextFileAtomically(dir.path() / "qemu.ld", script);
        writeTextFileAtomically(dir.path() / "rx.c", byteArraySource(hostSession(b.image->bytes, 3)));
        std::vector<std::string> build{tools.gcc.string(), "-std=c99", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard",
                                       "-mfpu=fpv4-sp-d16", "-Os", "-ffunction-sections", "-fdata-sections", "-Wall", "-Wextra",
                                       "-Werror", "-I" + (src / "devices").string(),
                                       "-I" + (src / "devices/firmware/cortexm").string(), "--specs=nano.specs",
                                       "--specs=nosys.specs", "-nostartfiles", "-Wl,--gc-sections", "-T", "qemu.ld"};
        for (const char* f : {"devices/firmware/cortexm/startup.c", "devices/firmware/cortexm/loader.c",
                              "tests/devices/cortexm_qemu_main.c", "devices/firmware/nesy_fw.c",
                              "devices/firmware/nesy_image.c", "devices/protocol/nesy_crc32.c", "devices/protocol/nesy_cobs.c",
                              "devices/protocol/nesy_frame.c", "devices/protocol/nesy_msg.c"})
            build.push_back((src / f).string());
        build.insert(build.end(), {"rx.c", "-o", "firmware.elf"});
        ProcessResult built = runProcess(build, ProcessOptions{std::chrono::seconds(60), dir.path(), nullptr});
        QVERIFY2(built.succeeded(), built.output.c_str());

        ProcessResult ran = runProcess({tools.qemu.string(), "-M", "mps2-an386", "-nodefaults", "-display", "none",
                                        "-monitor", "none", "-serial", "null", "-semihosting-config",
                                        "enable=on,target=native", "-kernel", "firmware.elf"},
                                       ProcessOptions{std::chrono::seconds(30), dir.path(), nullptr});
        QVERIFY2(ran.succeeded(), (ran.describe() + ": " + ran.output.substr(0, 2000)).c_str());
        QVERIFY2(ran.output.find("done") != std::string::npos, ran.output.c_str());

        Replies r = decodeReplies(ran.output);
        QCOMPARE(r.stats.crc_errors + r.stats.cobs_errors + r.stats.truncated, 0u);
        QVERIFY(r.messages.size() >= 4);
        QCOMPARE(int(r.messages.front().type), int(NESY_MSG_BOARD_INFO));
        const nesy_board_info& info = r.messages.front().u.board_info;
        QCOMPARE(info.image_arch, std::uint8_t(1));
        QCOMPARE(info.program_area_addr, target.programAreaAddress);
        QCOMPARE(info.program_area_bytes, target.programAreaBytes);
        QCOMPARE(info.program_ram_addr, target.ramAddress);
        QCOMPARE(info.program_ram_bytes, target.ramBytes);
        for (std::size_t i = 1; i + 1 < r.messages.size(); ++i) // every deploy step acknowledged
            QVERIFY2(r.messages[i].type == NESY_MSG_ACK,
                     r.messages[i].type == NESY_MSG_FAULT ? r.messages[i].u.fault.detail : "not an ack");
        const nesy_msg& last = r.messages.back();
        QVERIFY2(last.type == NESY_MSG_RESULT, last.type == NESY_MSG_FAULT ? last.u.fault.detail : "no result");
        const nesy_result& res = last.u.result;
        QCOMPARE(res.runs, 3u);
        QCOMPARE(res.flash_used, b.image->flashBytes);
        QCOMPARE(res.sram_static, b.image->sramStaticBytes);
        QVERIFY(res.peak_stack > 0);                  // painted and measured, not the declared figure
        QVERIFY(res.peak_stack < b.image->stackBytes); // the declared figure is an upper estimate
        qInfo("image %zu bytes, flash %u, static SRAM %u, peak stack %u (declared %u), cycles %u (QEMU: no DWT)",
              b.image->bytes.size(), res.flash_used, res.sram_static, res.peak_stack, b.image->stackBytes, res.cycles_mean);
        QCOMPARE(std::size_t(res.n_outputs), c.expectedOutput.size());
        for (std::size_t i = 0; i < c.expectedOutput.size(); ++i) {
            const double want = c.expectedOutput[i], got = res.outputs[i];
            QVERIFY2(std::fabs(want - got) <= 1e-4 * std::max(1.0, std::fabs(want)),
                     ("output " + std::to_string(i) + ": " + std::to_string(got) + " vs " + std::to_string(want)).c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestDevicesCortexmLoader)
#include "test_devices_cortexm_loader.moc"
