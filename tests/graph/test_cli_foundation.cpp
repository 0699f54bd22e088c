// The nesy CLI: --version, validate (exit codes and messages naming the JSON path), blocks.
#include "graph/Project.h"
#include <QtTest>

using namespace nesy;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run runNesy(const QStringList& args)
{
    QProcess p;
    p.start(qEnvironmentVariable("NESY_BIN_DIR") + "/nesy", args);
    p.waitForFinished(30000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString example()
{
    return qEnvironmentVariable("NESY_SOURCE_DIR") + "/resources/examples/activity-features-mlp.nesy.json";
}

} // namespace

class TestCliFoundation : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

    QString brokenCopy(const QString& name, const std::function<void(Json&)>& breakIt)
    {
        Json j = parseJsonText(readTextFile(example().toStdString()), "example");
        breakIt(j);
        QString path = dir.filePath(name);
        writeTextFileAtomically(path.toStdString(), j.dump(2));
        return path;
    }

private slots:
    void version()
    {
        Run r = runNesy({"--version"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("nesy " NESY_VERSION));
    }

    void validateAcceptsTheBundledExample()
    {
        Run r = runNesy({"validate", example()});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("valid"));
    }

    void validateRejectsBrokenCopiesNamingThePath()
    {
        Run r = runNesy({"validate", brokenCopy("type.nesy.json", [](Json& j) { j["graph"]["blocks"][1]["type"] = "nope"; })});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("$.graph.blocks[1].type") && r.err.contains("unknown block type"), qPrintable(r.err));

        r = runNesy({"validate", brokenCopy("wrong.nesy.json", [](Json& j) { j["search"]["seed"] = "x"; })});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("$.search.seed"), qPrintable(r.err));

        r = runNesy({"validate", brokenCopy("twice.nesy.json", [](Json& j) {
                      j["graph"]["connections"].push_back(Json{{"from", "imu.windows"}, {"to", "mlp.input"}});
                  })});
        QCOMPARE(r.code, 1);
        // One message per problem: type mismatch and the input fed twice.
        QVERIFY2(r.err.count('\n') >= 2, qPrintable(r.err));
        QVERIFY(r.err.contains("$.graph.connections[3]"));

        r = runNesy({"validate", "--json", brokenCopy("v.nesy.json", [](Json& j) { j["schemaVersion"] = 99; })});
        QCOMPARE(r.code, 1);
        Json out = Json::parse(r.out.toStdString());
        QCOMPARE(out["valid"].get<bool>(), false);
    }

    void validateUsageAndUnreadable()
    {
        QCOMPARE(runNesy({"validate"}).code, 2);
        QCOMPARE(runNesy({"validate", dir.filePath("missing.nesy.json")}).code, 2);
        QCOMPARE(runNesy({"validate", example(), "--frobnicate"}).code, 2);
        QCOMPARE(runNesy({"no-such-command"}).code, 2);
    }

    void blocksListsTheRegistry()
    {
        Run r = runNesy({"blocks", "--json"});
        QCOMPARE(r.code, 0);
        Json j = Json::parse(r.out.toStdString());
        QVERIFY(j.is_array() && j.size() > 10);
        bool hasTcn = false;
        for (const auto& b : j)
            hasTcn |= b["id"] == "backbone.tcn";
        QVERIFY(hasTcn);
        QVERIFY(runNesy({"blocks"}).out.contains("Neural backbones"));
    }
};

QTEST_GUILESS_MAIN(TestCliFoundation)
#include "test_cli_foundation.moc"
