// A short libFuzzer run of the protocol fuzz target (devices/fuzz) on a seed corpus this test
// generates: one valid frame of every message type plus malformed variants. Never real data.
#include "protocol/nesy_frame.h"
#include "protocol/nesy_msg.h"
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

class TestDevicesFuzzShort : public QObject {
    Q_OBJECT

    static void writeSeed(const QString& dir, const QString& name, const std::vector<std::uint8_t>& bytes)
    {
        QFile f(dir + "/" + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
    }

    static std::vector<std::uint8_t> wire(const nesy_msg& m)
    {
        std::vector<std::uint8_t> out(NESY_MAX_WIRE_FRAME + 1);
        out[0] = 0; // the target reads byte 0 as its split size
        std::size_t n = nesy_msg_encode(&m, out.data() + 1, out.size() - 1);
        out.resize(n + 1);
        return out;
    }

private slots:
    void fuzzTargetRunsCleanOnGeneratedSeeds()
    {
        QTemporaryDir corpus;
        QVERIFY(corpus.isValid());
        int seeds = 0;
        for (std::uint8_t type : {NESY_MSG_HELLO, NESY_MSG_DEPLOY_BEGIN, NESY_MSG_DEPLOY_CHUNK, NESY_MSG_DEPLOY_END, NESY_MSG_RUN,
                                  NESY_MSG_TELEMETRY_CONFIG, NESY_MSG_RESET, NESY_MSG_ACK, NESY_MSG_TELEMETRY, NESY_MSG_FAULT}) {
            nesy_msg m;
            std::memset(&m, 0, sizeof m);
            m.type = type;
            m.seq = 1;
            m.u.deploy_chunk.length = 4;     // also fills other union members with small values
            m.u.run.count = 1;
            m.u.fault.code = NESY_FAULT_RUNTIME;
            if (type == NESY_MSG_DEPLOY_CHUNK) {
                m.u.deploy_chunk.offset = 0;
                m.u.deploy_chunk.length = 4;
            }
            if (type == NESY_MSG_RUN) {
                m.u.run.count = 1;
                m.u.run.source = NESY_RUN_TEST_VECTORS;
                m.u.run.n_inputs = 0;
            }
            if (type == NESY_MSG_TELEMETRY_CONFIG)
                m.u.telemetry_config.period_us = 1000;
            if (type == NESY_MSG_ACK)
                m.u.ack = {NESY_MSG_RESET, 0, 0};
            if (type == NESY_MSG_TELEMETRY)
                m.u.telemetry = {1, 2, 3, 4, 5, NESY_STATE_READY};
            if (type == NESY_MSG_FAULT) {
                m.u.fault.code = NESY_FAULT_RUNTIME;
                std::strcpy(m.u.fault.detail, "seed");
            }
            std::vector<std::uint8_t> w = wire(m);
            QVERIFY2(w.size() > 1, nesy_msg_type_name(type));
            writeSeed(corpus.path(), QString("valid-%1").arg(type), w);
            std::vector<std::uint8_t> cut(w.begin(), w.begin() + static_cast<long>(w.size() / 2));
            cut.push_back(0);
            writeSeed(corpus.path(), QString("truncated-%1").arg(type), cut);
            seeds += 2;
        }
        writeSeed(corpus.path(), "garbage", {7, 1, 2, 0, 0xFF, 0x13, 0, 5, 5, 5, 0});
        QProcess fuzzer;
        fuzzer.setProcessChannelMode(QProcess::MergedChannels);
        fuzzer.start(NESY_FUZZER, {"-max_total_time=15", "-timeout=10", "-rss_limit_mb=1024", "-print_final_stats=1", corpus.path()});
        QVERIFY2(fuzzer.waitForStarted(), NESY_FUZZER);
        QVERIFY(fuzzer.waitForFinished(90000));
        const QByteArray out = fuzzer.readAll();
        QVERIFY2(fuzzer.exitStatus() == QProcess::NormalExit && fuzzer.exitCode() == 0, out.right(3000).constData());
        QVERIFY2(out.contains("Done"), out.right(2000).constData());
        QVERIFY(seeds == 20);
    }
};

QTEST_APPLESS_MAIN(TestDevicesFuzzShort)
#include "test_devices_fuzz_short.moc"
