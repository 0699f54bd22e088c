// nesy boards / measure / export, called through the command table's functions.
#include "Commands.h"
#include "graph/Project.h"
#include "engine/Resources.h"
#include "search/Journal.h"
#include <QTemporaryDir>
#include <QtTest>
#include <sstream>

using namespace nesy;
using namespace nesy::cli;

class TestBoardsCli : public QObject {
    Q_OBJECT
    std::string example = (exampleDir() / "activity-features-mlp.nesy.json").string();

private slots:
    void listsSimulatedAndEmulatedBoards()
    {
        std::ostringstream out, err;
        QCOMPARE(runBoards({"--json"}, out, err), int(kExitOk));
        Json list = Json::parse(out.str());
        int simulated = 0, emulatedReady = 0;
        for (const auto& b : list) {
            simulated += b["kind"] == "simulated";
            emulatedReady += b["kind"] == "emulated" && b["state"] == "ready";
            if (b["id"] == "emu:ispu") {
                QCOMPARE(b["state"].get<std::string>(), std::string("unavailable"));
                QVERIFY(!b["detail"].get<std::string>().empty());
            }
        }
        QCOMPARE(simulated, 5);
        QCOMPARE(emulatedReady, 4); // the toolchain is a declared dependency
    }

    void measuresTheDefaultTrialOnSimulatedAndEmulatedBoards()
    {
        for (const char* board : {"sim:nucleo-l476rg", "emu:nucleo-l476rg"}) {
            std::ostringstream out, err;
            int rc = runMeasure({example, "--trial", "default", "--board", board, "--json"}, out, err);
            QVERIFY2(rc == kExitOk, err.str().c_str());
            Json m = Json::parse(out.str());
            QCOMPARE(m["fault"].get<std::string>(), std::string("none"));
            QVERIFY(m["flash_bytes"].get<std::int64_t>() > 2000);
            QVERIFY(m["latency_ms"].get<double>() > 0);
        }
    }

    void measuresATrialFromTheJournal()
    {
        QTemporaryDir dir;
        std::filesystem::path project = std::filesystem::path(dir.path().toStdString()) / "p.nesy.json";
        std::filesystem::copy_file(example, project);
        {
            // A journal as `nesy search` writes it beside the project.
            auto w = JournalWriter::create(journalPathFor(project),
                                           Json{{"journal", "nesy-search"}, {"version", kJournalVersion}});
            TrialRecord a, b;
            a.id = 1;
            a.assignment = {{"mlp.units", 8}, {"mlp.layers", 1}};
            b.id = 2;
            b.assignment = {{"mlp.units", 128}, {"mlp.layers", 2}};
            w.append(a);
            w.append(b);
        }
        auto flash = [&](const char* trial) {
            std::ostringstream out, err;
            int rc = runMeasure({project.string(), "--trial", trial, "--board", "sim:nucleo-f446re", "--json"}, out, err);
            if (rc != kExitOk)
                throw std::runtime_error(err.str() + out.str());
            return Json::parse(out.str())["flash_bytes"].get<std::int64_t>();
        };
        QVERIFY(flash("2") > flash("1") + 10000);
        std::ostringstream out, err;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 runMeasure({project.string(), "--trial", "9", "--board", "sim:ispu"}, out, err));
    }

    void unknownBoardIsAUsageError()
    {
        std::ostringstream out, err;
        QCOMPARE(runMeasure({example, "--trial", "default", "--board", "sim:nope"}, out, err), int(kExitUsage));
    }

    void exportWritesCodeThatBuilds()
    {
        QTemporaryDir dir;
        std::ostringstream out, err;
        QCOMPARE(runExport({example, "--trial", "default", "--out", dir.path().toStdString()}, out, err), int(kExitOk));
        for (const char* f : {"nesy_program.c", "nesy_program.h", "main.c", "nesy_testdata.h", "Makefile", "README.md",
                              "expected_output.txt"})
            QVERIFY2(QFile::exists(dir.filePath(f)), f);
        QProcess make;
        make.setWorkingDirectory(dir.path());
        make.start("make", {"-s"});
        QVERIFY(make.waitForFinished(60000));
        QVERIFY2(make.exitCode() == 0, make.readAllStandardError().constData());
        QString printed = make.readAllStandardOutput();
        QVERIFY(printed.contains("out "));
    }
};

QTEST_GUILESS_MAIN(TestBoardsCli)
#include "test_boards_cli.moc"
