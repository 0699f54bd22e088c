// `nesy search --mpi` under mpirun on this machine, as a user runs it: a short search end to end
// with two workers, and a worker killed (SIGKILL) in the middle of a trial on the bundled example,
// which the search survives: the journal records that trial as "worker-lost" and goes on.
#include "search/Journal.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <filesystem>
#include <set>

using namespace nesy;

namespace {

QString nesyBinary() { return qEnvironmentVariable("NESY_BIN_DIR") + "/nesy"; }

// mpirun as CI runs it: as root, more ranks than cores, and --enable-recovery so that Open MPI
// does not end the job when a rank dies. (With it, mpirun's exit status is 0 whatever the ranks
// return, so a test that checks a failure runs without it.)
QStringList mpirunArgs(int ranks, bool recovery = true)
{
    QStringList args{"--allow-run-as-root", "--oversubscribe", "-np", QString::number(ranks), nesyBinary()};
    if (recovery)
        args.prepend("--enable-recovery");
    return args;
}

QJsonObject lastLineJson(const QString& out)
{
    const auto lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

int journalTrials(const std::filesystem::path& file)
{
    try {
        return int(readJournal(file).trials.size());
    } catch (const std::exception&) {
        return 0; // not written yet
    }
}

} // namespace

class DistributedMpiTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("NESY_BIN_DIR").isEmpty(), "NESY_BIN_DIR is not set (run through ctest)");
        QVERIFY2(QFileInfo(NESY_MPIEXEC).isExecutable(), "mpirun (NESY_MPIEXEC) is not executable: install openmpi-bin");
    }

    void shortSearchEndToEnd()
    {
        QTemporaryDir dir;
        const QString journal = dir.filePath("branin.journal.jsonl");
        QProcess p;
        p.start(NESY_MPIEXEC, mpirunArgs(3) + QStringList{"search", "--objective", "branin", "--trials", "12", "--seed",
                                                          "3", "--journal", journal, "--mpi", "--json"});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QCOMPARE(lastLineJson(out)["trials"].toInt(), 12);
        QVERIFY(err.contains("2 worker(s)"));
        QCOMPARE(err.count(QRegularExpression("worker rank \\d of 3 .* ready")), 2);
        QCOMPARE(err.count(QRegularExpression("worker rank \\d evaluated \\d+ candidates")), 2);
        auto contents = readJournal(journal.toStdString());
        QCOMPARE(int(contents.trials.size()), 12);
        for (const auto& t : contents.trials)
            QCOMPARE(trialStatusName(t.status), std::string("ok"));

        // The journal is the single record: a new job resumes it like a local search.
        QProcess resumed;
        resumed.start(NESY_MPIEXEC, mpirunArgs(3) + QStringList{"search", "--objective", "branin", "--trials", "16",
                                                                "--seed", "3", "--journal", journal, "--mpi",
                                                                "--resume", "--json"});
        QVERIFY(resumed.waitForFinished(60000));
        const QString resumedErr = QString::fromUtf8(resumed.readAllStandardError());
        QVERIFY2(resumedErr.contains("resumed 12 trials"), qPrintable(resumedErr));
        QCOMPARE(lastLineJson(QString::fromUtf8(resumed.readAllStandardOutput()))["trials"].toInt(), 16);
        contents = readJournal(journal.toStdString());
        QCOMPARE(int(contents.trials.size()), 16);
        std::set<int> ids;
        for (const auto& t : contents.trials)
            ids.insert(t.id);
        QCOMPARE(int(ids.size()), 16);
    }

    void oneRankIsNotEnough()
    {
        QProcess p;
        p.start(NESY_MPIEXEC, mpirunArgs(1, false) + QStringList{"search", "--objective", "branin", "--trials", "3", "--mpi"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY(err.contains("at least one worker"));
        QVERIFY(err.contains("without --enable-recovery")); // the warning about a dying worker
    }

    void killedWorkerIsSurvived()
    {
        // The bundled example (generated data) with a few epochs, so a trial takes long enough
        // to be killed in the middle of, and the whole test stays short.
        QTemporaryDir dir;
        const QString project = dir.filePath("activity.nesy.json");
        QFile source(qEnvironmentVariable("NESY_SOURCE_DIR") + "/resources/examples/activity-features-mlp.nesy.json");
        QVERIFY(source.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(source.readAll()).object();
        QJsonObject graph = root["graph"].toObject();
        QJsonArray blocks = graph["blocks"].toArray();
        for (auto&& b : blocks) {
            QJsonObject block = b.toObject();
            if (block["id"].toString() != "mlp")
                continue;
            QJsonObject params = block["params"].toObject();
            QJsonObject epochs = params["epochs"].toObject();
            epochs["value"] = 4;
            params["epochs"] = epochs;
            block["params"] = params;
            b = block;
        }
        graph["blocks"] = blocks;
        root["graph"] = graph;
        QFile out(project);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(root).toJson());
        out.close();
        const std::filesystem::path journal = dir.filePath("activity.journal.jsonl").toStdString();

        QProcess p;
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(NESY_MPIEXEC, mpirunArgs(3) + QStringList{"search", project, "--trials", "8", "--seed", "2", "--mpi",
                                                          "--worker-timeout", "2", "--json"});
        QVERIFY(p.waitForStarted());
        // Rank 2 says where it runs; kill it once the search is under way (both workers busy).
        QString err;
        qint64 victim = 0;
        QRegularExpression ready("worker rank 2 of 3 \\(\\S+ pid (\\d+)\\) ready");
        QDeadlineTimer limit(90000);
        while (!limit.hasExpired() && (victim == 0 || journalTrials(journal) < 1)) {
            p.waitForReadyRead(100);
            err += QString::fromUtf8(p.readAllStandardError());
            if (auto m = ready.match(err); m.hasMatch())
                victim = m.captured(1).toLongLong();
        }
        QVERIFY2(victim > 0 && journalTrials(journal) >= 1, qPrintable(err));
        const int before = journalTrials(journal);
        QVERIFY(before < 8);
        QCOMPARE(::kill(pid_t(victim), SIGKILL), 0);

        QVERIFY(p.waitForFinished(120000));
        err += QString::fromUtf8(p.readAllStandardError());
        const QString stdoutText = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QCOMPARE(lastLineJson(stdoutText)["trials"].toInt(), 8);

        auto contents = readJournal(journal);
        QCOMPARE(int(contents.trials.size()), 8);
        // Lines are in finishing order and the loss is noticed only after --worker-timeout, so
        // the trials that went on are the ones proposed after the lost one (higher ids).
        int lostId = -1, okAfter = 0;
        for (const auto& t : contents.trials)
            if (t.fault == "worker-lost") {
                QCOMPARE(lostId, -1);
                lostId = t.id;
                QVERIFY(QString::fromStdString(t.detail).contains("worker 2"));
            }
        QVERIFY2(lostId >= 0, "the killed worker's trial is not in the journal as a fault");
        for (const auto& t : contents.trials)
            if (t.id > lostId && t.status == TrialStatus::Ok)
                ++okAfter;
        QVERIFY(okAfter >= 1);
        QCOMPARE(err.count(QRegularExpression("worker rank 1 evaluated \\d+ candidates")), 1);
    }
};

QTEST_APPLESS_MAIN(DistributedMpiTest)
#include "test_distributed_mpi.moc"
