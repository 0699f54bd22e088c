// Validation names the block and port at fault for every kind of problem.
#include "graph/BlockRegistry.h"
#include "graph/Validation.h"
#include <QtTest>
#include <algorithm>

using namespace nesy;

namespace {

// source -> features -> mlp -> sink: the smallest valid program.
ProgramGraph validProgram()
{
    ProgramGraph g;
    g.addBlock({"imu", "source.synthetic_imu", "", {}, {}});
    g.addBlock({"feat", "features.statistics", "", {}, {}});
    g.addBlock({"mlp", "backbone.mlp", "", {}, {}});
    g.addBlock({"out", "sink.classification", "", {}, {}});
    g.connect({{"imu", "windows"}, {"feat", "window"}});
    g.connect({{"feat", "features"}, {"mlp", "input"}});
    g.connect({{"mlp", "scores"}, {"out", "decision"}});
    return g;
}

const Problem* findProblem(const std::vector<Problem>& ps, ProblemKind k)
{
    auto it = std::find_if(ps.begin(), ps.end(), [&](const Problem& p) { return p.kind == k; });
    return it == ps.end() ? nullptr : &*it;
}

} // namespace

class TestGraphValidation : public QObject {
    Q_OBJECT
    BlockRegistry registry = BlockRegistry::builtin();

private slots:
    void validProgramHasNoProblems()
    {
        auto ps = validate(validProgram(), registry);
        QVERIFY2(ps.empty(), ps.empty() ? "" : ps.front().toString().c_str());
    }

    void typeMismatchNamesBlockAndPort()
    {
        ProgramGraph g = validProgram();
        g.disconnect({{"feat", "features"}, {"mlp", "input"}});
        g.addBlock({"tcn", "backbone.tcn", "", {}, {}});
        g.connect({{"feat", "features"}, {"tcn", "window"}}); // features read as a sequence: accepted
        g.connect({{"imu", "windows"}, {"mlp", "input"}});    // window into a features input
        g.connect({{"tcn", "scores"}, {"mlp", "input"}});     // the same input fed twice
        auto ps = validate(g, registry);
        const Problem* p = findProblem(ps, ProblemKind::TypeMismatch);
        QVERIFY(p);
        QCOMPARE(p->block, std::string("mlp"));
        QCOMPARE(p->port, std::string("input"));
        for (const Problem& q : ps)
            QVERIFY2(!(q.kind == ProblemKind::TypeMismatch && q.block == "tcn"), q.toString().c_str());
        QVERIFY(p->jsonPath.rfind("$.graph.connections[", 0) == 0);
        QVERIFY(p->message.find("feature vector") != std::string::npos);
        QVERIFY(findProblem(ps, ProblemKind::InputConnectedTwice));
        auto refusal = connectionRefusal(validProgram(), registry, {{"imu", "windows"}, {"out", "decision"}});
        QVERIFY(refusal && refusal->find("cannot feed") != std::string::npos);
    }

    void unconnectedRequiredInput()
    {
        ProgramGraph g = validProgram();
        g.disconnect({{"imu", "windows"}, {"feat", "window"}});
        auto ps = validate(g, registry);
        const Problem* p = findProblem(ps, ProblemKind::UnconnectedInput);
        QVERIFY(p);
        QCOMPARE(p->block, std::string("feat"));
        QCOMPARE(p->port, std::string("window"));
        QCOMPARE(p->jsonPath, std::string("$.graph.blocks[1]"));
    }

    void cycleIsReportedAndRefused()
    {
        ProgramGraph g;
        g.addBlock({"a", "features.magnitude", "", {}, {}});
        g.addBlock({"b", "features.magnitude", "", {}, {}});
        g.addBlock({"feat", "features.statistics", "", {}, {}});
        g.addBlock({"mlp", "backbone.mlp", "", {}, {}});
        g.addBlock({"out", "sink.classification", "", {}, {}});
        g.connect({{"a", "window"}, {"b", "window"}});
        QVERIFY(connectionRefusal(g, registry, {{"b", "window"}, {"a", "window"}})->find("cycle") != std::string::npos);
        g.connect({{"b", "window"}, {"a", "window"}});
        g.connect({{"b", "window"}, {"feat", "window"}});
        g.connect({{"feat", "features"}, {"mlp", "input"}});
        g.connect({{"mlp", "scores"}, {"out", "decision"}});
        auto ps = validate(g, registry);
        std::vector<std::string> onCycle;
        for (const auto& p : ps)
            if (p.kind == ProblemKind::Cycle)
                onCycle.push_back(p.block);
        std::sort(onCycle.begin(), onCycle.end());
        QCOMPARE(onCycle, (std::vector<std::string>{"a", "b"}));
    }

    void noSinkAndUnreachable()
    {
        ProgramGraph g = validProgram();
        g.removeBlock("out");
        QVERIFY(findProblem(validate(g, registry), ProblemKind::NoSink));

        ProgramGraph h = validProgram();
        h.addBlock({"lonely", "features.magnitude", "", {}, {}});
        h.connect({{"imu", "windows"}, {"lonely", "window"}});
        auto ps = validate(h, registry);
        const Problem* p = findProblem(ps, ProblemKind::Unreachable);
        QVERIFY(p);
        QCOMPARE(p->block, std::string("lonely"));
    }

    void parameterProblems()
    {
        ProgramGraph g = validProgram();
        g.setParameter("mlp", "units", Parameter{32, Domain::integer(64, 8)});       // empty
        g.setParameter("mlp", "layers", Parameter{1, Domain::integer(0, 99)});       // outside range
        g.setParameter("mlp", "learning_rate", Parameter{"fast", std::nullopt});    // wrong type
        g.setParameter("mlp", "colour", Parameter{1, std::nullopt});                // unknown
        auto ps = validate(g, registry);
        const Problem* empty = findProblem(ps, ProblemKind::EmptyDomain);
        QVERIFY(empty);
        QCOMPARE(empty->param, std::string("units"));
        QCOMPARE(empty->jsonPath, std::string("$.graph.blocks[2].params.units.search"));
        QVERIFY(findProblem(ps, ProblemKind::DomainOutsideRange));
        const Problem* bad = findProblem(ps, ProblemKind::InvalidValue);
        QVERIFY(bad && bad->param == "learning_rate");
        QVERIFY(findProblem(ps, ProblemKind::UnknownParameter));
    }

    void unknownBlockTypeAndPort()
    {
        ProgramGraph g = validProgram();
        g.addBlock({"x", "backbone.transformer", "", {}, {}});
        g.connect({{"mlp", "logits"}, {"out", "decision"}});
        auto ps = validate(g, registry);
        const Problem* t = findProblem(ps, ProblemKind::UnknownBlockType);
        QVERIFY(t && t->block == "x" && t->jsonPath == "$.graph.blocks[4].type");
        const Problem* port = findProblem(ps, ProblemKind::UnknownPort);
        QVERIFY(port && port->block == "mlp" && port->port == "logits");
    }
};

QTEST_APPLESS_MAIN(TestGraphValidation)
#include "test_graph_validation.moc"
