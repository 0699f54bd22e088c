// bench_usb: the USB path's figures on an emulated board (umockdev + the reference firmware core),
// through the real libusb code. Prints a table beside the targets of issue 7:
//   telemetry at 1 kHz for 60 s with zero samples lost; deploy throughput; measurement round trip;
//   a real candidate (generated features + MLP C) built into a linked image (NSY2) and measured.
// Usage: umockdev-wrapper build/bin/bench_usb [--seconds 60] [--source-dir .]
#include "codegen/CandidateBuilder.h"
#include "codegen/SyntheticPrograms.h"
#include "emulation/EmulatedUsb.h"
#include "host/BoardManager.h"
#include "host/ProgramImage.h"
#include "host/ReferenceImage.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace nesy;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

CandidateProgram candidate(int inputs, int outputs)
{
    ReferenceProgram p = makeReferenceProgram(inputs, outputs, 5);
    CandidateProgram c;
    c.image = p.image();
    c.testInput.assign(static_cast<std::size_t>(inputs), 0.25f);
    c.expectedOutput = p.run(c.testInput);
    return c;
}

std::shared_ptr<UsbBoard> waitForBoard(BoardManager& manager, const std::string& id)
{
    manager.waitFor([&](const std::vector<std::string>& ids) { return std::find(ids.begin(), ids.end(), id) != ids.end(); },
                    std::chrono::seconds(10));
    return std::dynamic_pointer_cast<UsbBoard>(manager.board(id));
}

} // namespace

int main(int argc, char** argv)
{
    int seconds = 60;
    std::string sourceDir = ".";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--seconds"))
            seconds = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--source-dir"))
            sourceDir = argv[i + 1];
    }
    try {
        std::atomic<std::uint64_t> delivered{0}; // outlives the manager that calls into it
        EmulatedUsbBus bus;
        FirmwareUsbDevice device(bus, {.port = 1});
        device.plug();
        BoardManagerOptions options;
        options.knownProfiles = loadBoardProfiles(std::filesystem::path(sourceDir) / "resources" / "boards");
        options.usb.telemetryPeriodUs = 0; // switched on for the telemetry part only
        options.usb.inferencesPerMeasure = 1;
        options.telemetryQueueCapacity = 1 << 20;
        BoardManager manager(options);
        manager.startUsbDiscovery();
        auto board = waitForBoard(manager, "usb:1-1");
        if (!board) {
            std::fprintf(stderr, "bench_usb: the emulated board did not appear\n");
            return 1;
        }

        // 1. Round trip of one measurement (small program: deploy + run + result).
        CandidateProgram small = candidate(8, 2);
        std::vector<double> rtt;
        for (int i = 0; i < 200; ++i) {
            auto t0 = Clock::now();
            Measurement m = manager.measure("usb:1-1", small, StopToken{});
            rtt.push_back(ms(Clock::now() - t0));
            if (!m.ok()) {
                std::fprintf(stderr, "bench_usb: measurement failed: %s\n", m.detail.c_str());
                return 1;
            }
        }
        std::sort(rtt.begin(), rtt.end());

        // 2. Deploy throughput: a 60 KB image, deploy + one tiny inference, five times.
        CandidateProgram big = candidate(248, 60);
        double bigMs = 1e300;
        for (int i = 0; i < 5; ++i) {
            auto t0 = Clock::now();
            Measurement m = manager.measure("usb:1-1", big, StopToken{});
            bigMs = std::min(bigMs, ms(Clock::now() - t0));
            if (!m.ok()) {
                std::fprintf(stderr, "bench_usb: deploy failed: %s\n", m.detail.c_str());
                return 1;
            }
        }
        const double kbPerS = (big.image.size() / 1024.0) / (bigMs / 1000.0);

        // 3. A real candidate: generated C (float features + MLP, 64 x 3 window, 2 x 16 hidden),
        //    linked for the board (host-so here, figures from arm-none-eabi-gcc) and measured.
        codegen::SyntheticOptions mlp;
        mlp.width = 16;
        CandidateProgram linked = codegen::buildCandidateProgram(codegen::syntheticProgram(mlp, 3));
        double buildMs = 1e300, linkedMs = 1e300;
        std::size_t linkedBytes = 0;
        Measurement linkedFigures;
        for (int i = 0; i < 3; ++i) {
            auto b0 = Clock::now();
            ProgramImageBuild b = buildProgramImage(linked, board->profile(), board->imageTarget());
            buildMs = std::min(buildMs, ms(Clock::now() - b0));
            if (!b.image) {
                std::fprintf(stderr, "bench_usb: building the linked image failed: %s\n", b.detail.c_str());
                return 1;
            }
            linkedBytes = b.image->bytes.size();
            auto m0 = Clock::now();
            linkedFigures = manager.measure("usb:1-1", linked, StopToken{});
            linkedMs = std::min(linkedMs, ms(Clock::now() - m0));
            if (!linkedFigures.ok()) {
                std::fprintf(stderr, "bench_usb: the linked candidate failed: %s\n", linkedFigures.detail.c_str());
                return 1;
            }
        }

        // 4. Telemetry at 1 kHz for `seconds`, counted by a subscriber.
        manager.subscribeTelemetry([&](const TelemetrySample& s) {
            if (s.boardId == "usb:1-1")
                ++delivered;
        });
        const LinkStatistics before = board->statistics();
        const std::uint32_t deviceBefore = device.counters().firmwareTelemetry;
        auto t0 = Clock::now();
        board->setTelemetryPeriod(1000);
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        board->setTelemetryPeriod(0);
        const double elapsed = ms(Clock::now() - t0) / 1000.0;
        std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let the last samples drain
        const LinkStatistics after = board->statistics();
        const std::uint64_t sent = device.counters().firmwareTelemetry - deviceBefore;
        const std::uint64_t received = after.telemetrySamples - before.telemetrySamples;
        const std::uint64_t lost = (after.telemetryLost - before.telemetryLost) + (sent - std::min(sent, received));
        const BoardManagerStatistics ms_ = manager.statistics();

        std::printf("bench_usb: umockdev-emulated board, reference firmware core, real libusb path\n");
        std::printf("%-40s %14s %14s\n", "figure", "measured", "target");
        std::printf("%-40s %14.1f %14s\n", "telemetry rate (samples/s)", received / elapsed, "1000");
        std::printf("%-40s %14llu %14d\n", "telemetry samples sent by the device", static_cast<unsigned long long>(sent), seconds * 1000);
        std::printf("%-40s %14llu %14s\n", "telemetry samples received by the host", static_cast<unsigned long long>(received), "= sent");
        std::printf("%-40s %14llu %14s\n", "telemetry samples lost", static_cast<unsigned long long>(lost), "0");
        std::printf("%-40s %14llu %14s\n", "samples delivered to the subscriber", static_cast<unsigned long long>(delivered.load()), "= received");
        std::printf("%-40s %14llu %14s\n", "dropped by the manager's queues",
                    static_cast<unsigned long long>(ms_.telemetryDroppedDispatch + ms_.telemetryDroppedPolled), "0");
        std::printf("%-40s %14llu %14s\n", "malformed or out-of-order frames", static_cast<unsigned long long>(after.droppedFrames()), "0");
        std::printf("%-40s %14.1f %14s\n", "deploy throughput, 60 KB image (KB/s)", kbPerS, "-");
        std::printf("%-40s %14.2f %14s\n", "measurement round trip, median (ms)", rtt[rtt.size() / 2], "-");
        std::printf("%-40s %14.2f %14s\n", "measurement round trip, p95 (ms)", rtt[rtt.size() * 95 / 100], "-");
        std::printf("%-40s %14zu %14s\n", "linked candidate: image bytes", linkedBytes, "-");
        std::printf("%-40s %14.1f %14s\n", "linked candidate: image build (ms)", buildMs, "-");
        std::printf("%-40s %14.1f %14s\n", "linked candidate: build+deploy+run (ms)", linkedMs, "-");
        std::printf("%-40s %14lld %14s\n", "linked candidate: flash (bytes, M4F)", static_cast<long long>(linkedFigures.flashBytes), "-");
        std::printf("%-40s %14lld %14s\n", "linked candidate: static SRAM (bytes)", static_cast<long long>(linkedFigures.sramStaticBytes), "-");
        return lost == 0 ? 0 : 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_usb: %s\n", e.what());
        return 1;
    }
}
