// The evaluator's resource-check hook backed by boards: a learning-engine CandidateModel built from
// a program graph is generated, measured on the project's boards, and judged before training.
#include "codegen/BoardResourceCheck.h"
#include "codegen/GraphLowering.h"
#include "engine/Resources.h"
#include "graph/Project.h"
#include "learn/CandidateModel.h"
#include <QtTest>

using namespace nesy;
using namespace nesy::codegen;

class TestBoardsResourceCheck : public QObject {
    Q_OBJECT
    Project project;

    learn::CandidateModel candidate(int units, int layers)
    {
        ProgramGraph g = project.graph.withAssignment({{"mlp.units", units}, {"mlp.layers", layers}});
        return candidateModelForGraph(g, project, BlockRegistry::builtin());
    }

private slots:
    void initTestCase() { project = loadProject(exampleDir() / "activity-features-mlp.nesy.json"); }

    void measuresOnTheProjectsBoards()
    {
        ResourceCheck check = makeBoardResourceCheck(project); // sim:nucleo-f446re, sim:nucleo-l476rg
        learn::CandidateModel m = candidate(32, 1);
        ResourceVerdict v = check(m);
        QVERIFY2(v.deployable(), v.detail.c_str());
        QCOMPARE(v.details.size(), project.boards.size());
        QVERIFY(v.terms.at("flash_bytes") > double(m.weightBytes));
        QVERIFY(v.terms.at("sram_bytes") > 0);
        QVERIFY(v.terms.at("latency_ms") > 0);
    }

    void emulatedCheckMatchesTheEngine()
    {
        // On an emulated board the generated program's outputs are checked against the host too.
        Project p = project;
        p.boards = {"emu:nucleo-f746zg"};
        ResourceVerdict v = makeBoardResourceCheck(p)(candidate(16, 2));
        QVERIFY2(v.deployable(), v.detail.c_str());
        QCOMPARE(v.details[0]["fault"].get<std::string>(), std::string("none"));
    }

    void undeployableCandidateIsAFault()
    {
        Project p = project;
        p.boards = {"sim:ispu"};
        ResourceVerdict v = makeBoardResourceCheck(p)(candidate(128, 2));
        QVERIFY(!v.deployable());
        QVERIFY(v.fault == "flash-overflow" || v.fault == "ram-overflow");
        QVERIFY(v.detail.find("sim:ispu") != std::string::npos);
    }

    void unknownBoardIsNamed()
    {
        Project p = project;
        p.boards = {"usb:1-2"};
        try {
            makeBoardResourceCheck(p);
            QFAIL("an unknown board was accepted");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("usb:1-2") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestBoardsResourceCheck)
#include "test_boards_resource_check.moc"
