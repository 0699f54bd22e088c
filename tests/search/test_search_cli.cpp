// The nesy CLI's search, trials and pareto commands, run as a user would (QProcess on the binary).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run nesy(const QStringList& args)
{
    QProcess p;
    p.start(qEnvironmentVariable("NESY_BIN_DIR") + "/nesy", args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject lastLineJson(const QString& out)
{
    auto lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

} // namespace

class TestSearchCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("NESY_BIN_DIR").isEmpty(), "NESY_BIN_DIR is not set (run through ctest)");
    }

    void testFunctionModePrintsTheJsonSummary_data()
    {
        QTest::addColumn<QString>("objective");
        QTest::addColumn<double>("bound");
        QTest::newRow("branin") << "branin" << 5.0;
        QTest::newRow("hartmann6") << "hartmann6" << -0.5;
        QTest::newRow("mixed") << "mixed" << 1.5;
    }
    void testFunctionModePrintsTheJsonSummary()
    {
        QFETCH(QString, objective);
        QFETCH(double, bound);
        Run r = nesy({"search", "--objective", objective, "--trials", "15", "--seed", "3", "--json"});
        QCOMPARE(r.exitCode, 0);
        QJsonObject j = lastLineJson(r.out);
        QCOMPARE(j["trials"].toInt(), 15);
        QCOMPARE(j["suggest_ms"].toArray().size(), 15);
        QVERIFY(j["best"].toObject()["value"].toDouble() < bound);
        QVERIFY(!j["best"].toObject()["params"].toObject().isEmpty());
        QCOMPARE(r.err.count("trial "), 15); // a progress line per trial, on stderr
        Run again = nesy({"search", "--objective", objective, "--trials", "15", "--seed", "3", "--json"});
        QCOMPARE(lastLineJson(again.out)["best"], j["best"]); // deterministic for a seed
    }

    void journalTrialsAndPareto()
    {
        QTemporaryDir dir;
        QString journal = dir.filePath("b.jsonl");
        Run r = nesy({"search", "--objective", "mixed", "--trials", "8", "--seed", "1", "--journal", journal,
                      "--batch", "2"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("completed: 8 trials"));
        Run resumed = nesy({"search", "--objective", "mixed", "--trials", "11", "--seed", "1", "--journal", journal,
                            "--resume", "--json"});
        QCOMPARE(resumed.exitCode, 0);
        QVERIFY(resumed.err.contains("resumed 8 trials"));
        QCOMPARE(lastLineJson(resumed.out)["trials"].toInt(), 11);

        Run trials = nesy({"trials", journal});
        QCOMPARE(trials.exitCode, 0);
        QVERIFY(trials.out.contains("11 trials"));
        QVERIFY(trials.out.contains("net.kind="));

        Run front = nesy({"pareto", journal, "--objectives", "value,objective", "--json"});
        QCOMPARE(front.exitCode, 0);
        QJsonObject f = lastLineJson(front.out);
        QVERIFY(f["front"].toArray().size() >= 1);
        QVERIFY(f.contains("hypervolume"));
    }

    void projectModeJournalsBesideTheProject()
    {
        // The bundled example runs on generated data; a copy keeps its journal out of the source tree.
        QTemporaryDir dir;
        QString example = qEnvironmentVariable("NESY_SOURCE_DIR") + "/resources/examples/activity-features-mlp.nesy.json";
        QString project = dir.filePath("activity.nesy.json");
        QVERIFY(QFile::copy(example, project));
        Run r = nesy({"search", project, "--trials", "2", "--seed", "2", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonObject j = lastLineJson(r.out);
        QCOMPARE(j["trials"].toInt(), 2);
        QVERIFY(j["best"].toObject()["params"].toObject().contains("mlp.units"));
        QVERIFY(QFile::exists(dir.filePath("activity.journal.jsonl")));
        Run listed = nesy({"trials", dir.filePath("activity.journal.jsonl")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(listed.out.contains("2 trials"));
    }

    // Ctrl-C ends the search cleanly: the trials finished so far stay in the journal, the summary
    // is printed and the process exits normally instead of dying mid-line.
    void interruptStopsTheSearchAndKeepsTheJournal()
    {
        QTemporaryDir dir;
        const QString journal = dir.filePath("interrupted.journal.jsonl");
        QProcess p;
        p.start(qEnvironmentVariable("NESY_BIN_DIR") + "/nesy",
                {"search", "--objective", "hartmann6", "--trials", "5000", "--seed", "1", "--journal", journal});
        QVERIFY(p.waitForStarted());
        QString err;
        QElapsedTimer waited;
        waited.start();
        while (err.count("trial ") < 8 && waited.elapsed() < 60000) {
            p.waitForReadyRead(200);
            err += QString::fromUtf8(p.readAllStandardError());
        }
        QVERIFY2(err.count("trial ") >= 8, qPrintable(err));
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY2(p.waitForFinished(30000), "nesy search did not stop after SIGINT");
        err += QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(err.contains("interrupted"), qPrintable(err));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.startsWith("cancelled"), qPrintable(out));

        Run trials = nesy({"trials", journal, "--json"});
        QCOMPARE(trials.exitCode, 0);
        const int journalled = int(trials.out.trimmed().split('\n').size()); // one JSON line per trial
        QVERIFY2(journalled >= 8 && journalled < 5000, qPrintable(trials.out.left(200)));
    }

    void usageErrors()
    {
        QCOMPARE(nesy({"search", "--objective", "rosenbrock", "--trials", "3"}).exitCode, 2);
        QCOMPARE(nesy({"search", "--objective", "branin", "--trials", "0"}).exitCode, 2);
        QCOMPARE(nesy({"search"}).exitCode, 2);
    }
};

QTEST_APPLESS_MAIN(TestSearchCli)
#include "test_search_cli.moc"
