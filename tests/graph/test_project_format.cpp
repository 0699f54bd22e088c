// The *.nesy.json format: lossless round trips, and malformed files rejected with the JSON path.
#include "graph/Project.h"
#include "graph/Validation.h"
#include <QtTest>
#include <filesystem>

using namespace nesy;
namespace fs = std::filesystem;

namespace {

fs::path examplePath()
{
    return fs::path(qEnvironmentVariable("NESY_SOURCE_DIR").toStdString()) / "resources" / "examples" /
           "activity-features-mlp.nesy.json";
}

Json exampleJson() { return parseJsonText(readTextFile(examplePath()), "example"); }

// Expects projectFromJson to throw a FormatError at `path` whose message contains `words`.
void expectFormatError(const Json& doc, const std::string& path, const std::string& words)
{
    try {
        projectFromJson(doc);
        QFAIL(("accepted a broken project; expected an error at " + path).c_str());
    } catch (const FormatError& e) {
        QVERIFY2(e.path() == path, ("error at " + e.path() + ", expected " + path + ": " + e.problem()).c_str());
        QVERIFY2(e.problem().find(words) != std::string::npos, e.what());
    }
}

} // namespace

class TestProjectFormat : public QObject {
    Q_OBJECT
private slots:
    void bundledExampleIsValid()
    {
        QVERIFY2(fs::exists(examplePath()), examplePath().c_str());
        Project p = loadProject(examplePath());
        QCOMPARE(p.schemaVersion, kProjectSchemaVersion);
        QVERIFY(!p.name.empty());
        QVERIFY(!p.graph.searchableParameters().empty());
        QVERIFY(!p.boards.empty());
        auto problems = validate(p.graph, BlockRegistry::builtin());
        QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().toString().c_str());
    }

    void loadThenSaveIsLossless()
    {
        QTemporaryDir dir;
        fs::path out = fs::path(dir.path().toStdString()) / "copy.nesy.json";
        Project p = loadProject(examplePath());
        saveProject(p, out);
        // The bundled file is in canonical form, so the bytes match exactly.
        QCOMPARE(readTextFile(out), readTextFile(examplePath()));
        Project again = loadProject(out);
        QVERIFY(again == p);
        QCOMPARE(again.graph, p.graph);
        // No temporary file is left behind by the atomic write.
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()), fs::directory_iterator()), 1L);
    }

    void everyFieldSurvivesARoundTrip()
    {
        Project p;
        p.name = "n";
        p.description = "d";
        Block b{"tcn", "backbone.tcn", "My TCN", {12.5, -3}, {}};
        b.params["dilations"] = Parameter{Value::array({1, 2, 4}), Domain::subset({1, 2, 4, 8, 16}, 3, 5)};
        b.params["learning_rate"] = Parameter{0.001, Domain::logReal(1e-4, 1e-2)};
        b.params["precision"] = Parameter{"int8", Domain::categorical({"float32", "int8"})};
        b.params["skip"] = Parameter{true, Domain::boolean()};
        b.params["batch_size"] = Parameter{32, Domain::ordinal({16, 32, 64})};
        p.graph.addBlock(b);
        p.graph.addBlock({"src", "source.earable", "", {}, {}});
        p.graph.connect({{"src", "windows"}, {"tcn", "window"}});
        p.datasets.push_back({"earable", "earable", "../data/earable-activity"});
        p.boards = {"sim:ispu", "emu:nucleo-f746zg"};
        p.objective.terms["rule:fall_then_lying"] = 0.5;
        p.objective.latencyBudgetMs = 20;
        p.search = {77, 3, 2, 99};
        p.constraints = {"tcn.filters * tcn.stacks <= 96"};
        Project q = projectFromJson(parseJsonText(projectToText(p), "text"));
        QVERIFY(q == p);
        QCOMPARE(q.graph.block("tcn")->label, std::string("My TCN"));
        QCOMPARE(q.graph.block("tcn")->position, (Point{12.5, -3}));
        QCOMPARE(q.search.seed, std::uint64_t(99));
    }

    void datasetPathsAreRelativeToTheProject()
    {
        Project p;
        p.location = "/home/u/projects/a.nesy.json";
        QCOMPARE(p.resolveDatasetPath({"d", "csv", "data/x.csv"}), fs::path("/home/u/projects/data/x.csv"));
        QCOMPARE(p.resolveDatasetPath({"d", "csv", "/abs/x.csv"}), fs::path("/abs/x.csv"));
    }

    void truncatedFileNamesLineAndColumn()
    {
        std::string text = readTextFile(examplePath());
        QTemporaryDir dir;
        fs::path broken = fs::path(dir.path().toStdString()) / "broken.nesy.json";
        std::string half = text.substr(0, text.size() / 2);
        writeTextFileAtomically(broken, half);
        // The error points at the last line, where the text stops.
        std::string lastLine = ":" + std::to_string(std::count(half.begin(), half.end(), '\n') + 1) + ":";
        try {
            loadProject(broken);
            QFAIL("accepted a truncated file");
        } catch (const FormatError& e) {
            QVERIFY2(e.path().find("broken.nesy.json" + lastLine) != std::string::npos, e.what());
            QVERIFY2(e.problem().find("truncated") != std::string::npos, e.what());
        }
    }

    void missingFileIsAnError()
    {
        QVERIFY_THROWS_EXCEPTION(FormatError, loadProject("/nonexistent/x.nesy.json"));
    }

    void wrongTypes()
    {
        Json j = exampleJson();
        j["graph"]["blocks"][1]["id"] = 7;
        expectFormatError(j, "$.graph.blocks[1].id", "expected a string, found integer");

        j = exampleJson();
        j["search"]["trials"] = "many";
        expectFormatError(j, "$.search.trials", "expected an integer");

        j = exampleJson();
        j["graph"]["blocks"] = Json::object();
        expectFormatError(j, "$.graph.blocks", "expected an array");

        j = exampleJson();
        j["graph"]["blocks"][2]["params"]["units"]["search"]["kind"] = "gaussian";
        expectFormatError(j, "$.graph.blocks[2].params.units.search.kind", "unknown domain kind");

        j = exampleJson();
        j["graph"]["blocks"][2]["params"]["learning_rate"]["search"].erase("high");
        expectFormatError(j, "$.graph.blocks[2].params.learning_rate.search", "missing required member \"high\"");

        j = exampleJson();
        j["objective"]["flash"] = -1;
        expectFormatError(j, "$.objective.flash", "negative");

        expectFormatError(Json::array(), "$", "expected an object");
    }

    void unknownMembersAreRejected()
    {
        Json j = exampleJson();
        j["graph"]["blocks"][0]["colour"] = "red";
        expectFormatError(j, "$.graph.blocks[0].colour", "unknown member");
    }

    void unknownBlockTypeIsReportedByValidation()
    {
        Json j = exampleJson();
        j["graph"]["blocks"][2]["type"] = "backbone.transformer";
        Project p = projectFromJson(j);
        auto problems = validate(p.graph, BlockRegistry::builtin());
        QVERIFY(!problems.empty());
        QCOMPARE(problems.front().jsonPath, std::string("$.graph.blocks[2].type"));
        QCOMPARE(problems.front().kind, ProblemKind::UnknownBlockType);
    }

    void danglingConnection()
    {
        Json j = exampleJson();
        j["graph"]["connections"][1]["to"] = "ghost.input";
        expectFormatError(j, "$.graph.connections[1].to", "dangling connection: no block \"ghost\"");

        j = exampleJson();
        j["graph"]["connections"][0]["from"] = "nodot";
        expectFormatError(j, "$.graph.connections[0].from", "block.port");
    }

    void duplicateIds()
    {
        Json j = exampleJson();
        j["graph"]["blocks"][3]["id"] = "mlp";
        expectFormatError(j, "$.graph.blocks[3].id", "duplicate block id \"mlp\"");

        j = exampleJson();
        j["graph"]["connections"].push_back(j["graph"]["connections"][0]);
        expectFormatError(j, "$.graph.connections[3]", "duplicate connection");
    }

    void futureSchemaVersion()
    {
        Json j = exampleJson();
        j["schemaVersion"] = kProjectSchemaVersion + 1;
        j["somethingNew"] = true; // a future file may carry members this version does not know
        expectFormatError(j, "$.schemaVersion", "newer than this NeSy Workbench");

        j = exampleJson();
        j.erase("schemaVersion");
        expectFormatError(j, "$", "missing required member \"schemaVersion\"");
    }
};

QTEST_APPLESS_MAIN(TestProjectFormat)
#include "test_project_format.moc"
