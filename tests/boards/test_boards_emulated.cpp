// Emulated boards end to end: generated C built with arm-none-eabi-gcc for the board's memory map
// and run on qemu-system-arm with the instruction-counting plugin. The toolchain is a declared
// dependency (installer/install-deps.sh, CI): when it is missing these tests FAIL.
#include "boards/EmulatedBoard.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/SyntheticPrograms.h"
#include "engine/Resources.h"
#include <QtTest>

using namespace nesy;
using namespace nesy::codegen;

namespace {

Layer denseLayer(int in, int out)
{
    Layer l;
    l.kind = LayerKind::Dense;
    l.name = "dense";
    l.inputs = {-1};
    l.in = {1, in};
    l.out = {1, out};
    l.weights.assign(std::size_t(in) * out, 0.01f);
    l.bias.assign(out, 0.0f);
    return l;
}

} // namespace

class TestBoardsEmulated : public QObject {
    Q_OBJECT
    ArmToolchain toolchain;

private slots:
    void initTestCase()
    {
        toolchain = ArmToolchain::locate();
        QVERIFY2(toolchain.available(), ("the emulated boards need: " + toolchain.problem).c_str());
    }

    void measuresAnInt8TcnOnCortexM4()
    {
        SyntheticOptions o;
        o.shape = SyntheticShape::Tcn;
        o.int8 = true;
        o.width = 8;
        o.depth = 2;
        CandidateProgram c = buildCandidateProgram(syntheticProgram(o, 3));
        EmulatedBoard board(builtinBoardProfile("nucleo-f446re"), toolchain);
        QCOMPARE(board.state(), BoardState::Ready);
        StopToken stop;
        EmulationReport report;
        Measurement m = board.measure(c, stop, report);
        QVERIFY2(m.ok(), (faultKindName(m.fault) + ": " + m.detail).c_str());
        // The outputs were checked against the host inside measure(); check them here too.
        QCOMPARE(report.outputs.size(), c.expectedOutput.size());
        for (std::size_t i = 0; i < report.outputs.size(); ++i)
            QCOMPARE(report.outputs[i], c.expectedOutput[i]);
        const std::int64_t weights = c.summary["weight_bytes"].get<std::int64_t>();
        QVERIFY(m.flashBytes > weights);
        QVERIFY(m.sramStaticBytes >= c.summary["arena_bytes"].get<std::int64_t>());
        QVERIFY(m.peakStackBytes > 0 && m.peakStackBytes < 4096);
        QVERIFY(report.instructions > c.summary["macs"].get<std::int64_t>()); // at least one per MAC
        QCOMPARE(m.cycles, std::llround(report.instructions * board.profile().cyclesPerInstruction));
        QVERIFY(std::fabs(m.latencyMs - m.cycles / board.profile().clockHz * 1000.0) < 1e-9);
    }

    void measuresAFloatFeatureProgramOnCortexM7()
    {
        SyntheticOptions o;
        o.shape = SyntheticShape::FeaturesMlp;
        o.width = 16;
        CandidateProgram c = buildCandidateProgram(syntheticProgram(o, 5));
        EmulatedBoard board(builtinBoardProfile("nucleo-f746zg"), toolchain);
        StopToken stop;
        Measurement m = board.measure(c, stop);
        QVERIFY2(m.ok(), (faultKindName(m.fault) + ": " + m.detail).c_str());
        QVERIFY(m.latencyMs > 0);
    }

    void instructionCountGrowsWithTheWork()
    {
        EmulatedBoard board(builtinBoardProfile("nucleo-f446re"), toolchain);
        StopToken stop;
        auto count = [&](int units) {
            ProgramIR p;
            p.name = "dense" + std::to_string(units);
            p.input = {1, 64};
            p.layers.push_back(denseLayer(64, units));
            EmulationReport r;
            Measurement m = board.measure(buildCandidateProgram(p), stop, r);
            if (!m.ok())
                throw std::runtime_error(m.detail);
            return r.instructions;
        };
        std::int64_t small = count(8), big = count(32);
        // Four times the multiply-accumulates: between 3x and 5x the instructions.
        QVERIFY2(big > 3 * small && big < 5 * small,
                 qPrintable(QString("8 units: %1, 32 units: %2 instructions").arg(small).arg(big)));
    }

    void flashOverflowIsAFault()
    {
        // 256 x 512 float weights = 512 KB: more than the F446RE's usable flash.
        ProgramIR p;
        p.name = "huge";
        p.input = {1, 256};
        p.layers.push_back(denseLayer(256, 512));
        EmulatedBoard board(builtinBoardProfile("nucleo-f446re"), toolchain);
        StopToken stop;
        Measurement m = board.measure(buildCandidateProgram(p), stop);
        QCOMPARE(m.fault, FaultKind::FlashOverflow);
        QVERIFY(m.flashBytes > board.profile().usableFlashBytes());
        QVERIFY(!m.ok());
    }

    void ramOverflowIsAFault()
    {
        // A 1000 x 32 float activation (128 KB) cannot fit the F446RE's SRAM.
        ProgramIR p;
        p.name = "wide";
        p.input = {1000, 2};
        Layer l;
        l.kind = LayerKind::Conv1D;
        l.name = "conv";
        l.inputs = {-1};
        l.in = {1000, 2};
        l.out = {1000, 32};
        l.kernel = 1;
        l.weights.assign(64, 0.5f);
        l.bias.assign(32, 0.0f);
        p.layers.push_back(l);
        EmulatedBoard board(builtinBoardProfile("nucleo-f446re"), toolchain);
        StopToken stop;
        Measurement m = board.measure(buildCandidateProgram(p), stop);
        QCOMPARE(m.fault, FaultKind::RamOverflow);
    }

    void missingToolsMakeTheBoardUnavailable()
    {
        ArmToolchain none;
        none.problem = "arm-none-eabi-gcc not found on PATH";
        EmulatedBoard board(builtinBoardProfile("nucleo-f446re"), none);
        QCOMPARE(board.state(), BoardState::Unavailable);
        QVERIFY(board.stateDetail().find("arm-none-eabi-gcc") != std::string::npos);
        StopToken stop;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, board.measure(CandidateProgram{}, stop));

        EmulatedBoard ispu(builtinBoardProfile("ispu"), toolchain);
        QCOMPARE(ispu.state(), BoardState::Unavailable);
        QVERIFY(!ispu.stateDetail().empty());
    }
};

QTEST_APPLESS_MAIN(TestBoardsEmulated)
#include "test_boards_emulated.moc"
