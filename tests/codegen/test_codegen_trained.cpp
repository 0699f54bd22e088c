// The exported and measured program is the trial's trained program: a tiny `nesy search` runs,
// one of its trials is exported (retrained with the trial's seed), the export's README names the
// validation score the search recorded, and the exported C built on the host computes the engine's
// trained model on real windows of the project's data (int8 bit-exact, float within 1e-5
// relative) with the same predicted classes, including a synthesised decision program.
#include "Commands.h"
#include "codegen/HostRunner.h"
#include "codegen/TrialExport.h"
#include "codegen/TrialPrograms.h"
#include "codegen/TrialSelection.h"
#include "learn/DatasetCache.h"
#include "learn/Features.h"
#include "learn/ProgramCompiler.h"
#include "search/Journal.h"
#include <QTemporaryDir>
#include "../support/OutputComparison.h"
#include <QtTest>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace nesy;

namespace {

Json param(const Json& value) { return {{"value", value}}; }

// Generated IMU data -> a few features -> a small MLP whose width is searched -> [decision] -> sink.
// With a TCN head ("average" or "flatten"), the features feed a small temporal CNN instead, read
// as a sequence of one channel.
Json projectJson(const std::string& precision, bool decision, const std::string& tcnHead = "")
{
    auto blockOf = [](const std::string& id, const std::string& type, Json params) {
        return Json{{"id", id}, {"type", type}, {"position", {{"x", 0.0}, {"y", 0.0}}}, {"params", params}};
    };
    Json blocks = Json::array(
        {blockOf("imu", "source.synthetic_imu",
                 {{"subjects", param(6)}, {"seconds_per_activity", param(10)}, {"window", param(50)},
                  {"stride", param(50)}, {"seed", param(3)}}),
         blockOf("features", "features.statistics", Json::object()),
         tcnHead.empty()
             ? blockOf("mlp", "backbone.mlp",
                       {{"layers", param(1)}, {"epochs", param(8)}, {"precision", param(precision)},
                        {"units", {{"value", 8}, {"search", {{"kind", "ordinal"}, {"choices", {8, 12, 16}}}}}}})
             : blockOf("mlp", "backbone.tcn",
                       {{"kernel", param(3)}, {"dilations", param(Json::array({1, 2}))}, {"head", param(tcnHead)},
                        {"epochs", param(4)}, {"precision", param(precision)},
                        {"filters", {{"value", 4}, {"search", {{"kind", "ordinal"}, {"choices", {4, 6}}}}}}}),
         blockOf("objective", "sink.classification", {{"metric", param("accuracy")}})});
    Json connections = Json::array({{{"from", "imu.windows"}, {"to", "features.window"}},
                                    {{"from", "features.features"}, {"to", tcnHead.empty() ? "mlp.input" : "mlp.window"}}});
    if (decision) {
        blocks.push_back(blockOf("program", "symbolic.synthesized_tree", {{"max_depth", param(2)}}));
        connections.push_back({{"from", "mlp.scores"}, {"to", "program.scores"}});
        connections.push_back({{"from", "program.decision"}, {"to", "objective.decision"}});
    } else {
        connections.push_back({{"from", "mlp.scores"}, {"to", "objective.decision"}});
    }
    return {{"schemaVersion", 1},
            {"name", "trained export " + precision},
            {"graph", {{"blocks", blocks}, {"connections", connections}}},
            {"datasets", Json::array()},
            {"boards", Json::array()},
            {"constraints", Json::array()},
            {"search", {{"trials", 2}, {"initialRandom", 2}, {"batch", 1}, {"seed", 1}}}};
}

struct SearchedProject {
    std::filesystem::path file, journal;
    Project project;
    TrialRecord trial; // the last trial of the search
};

SearchedProject searchTiny(const QTemporaryDir& dir, const std::string& precision, bool decision,
                           const std::string& tcnHead = "")
{
    SearchedProject s;
    s.file = std::filesystem::path(dir.path().toStdString()) / ("p-" + precision + ".nesy.json");
    writeTextFileAtomically(s.file, projectJson(precision, decision, tcnHead).dump(2));
    s.project = loadProject(s.file);
    std::ostringstream out, err;
    const int rc = cli::runSearch({s.file.string(), "--trials", "2", "--seed", "5"}, out, err);
    if (rc != cli::kExitOk)
        throw std::runtime_error("nesy search failed: " + err.str());
    s.journal = journalPathFor(s.file);
    const JournalContents contents = readJournal(s.journal);
    if (contents.trials.size() != 2)
        throw std::runtime_error("the search journal should hold 2 trials");
    s.trial = contents.trials.back();
    return s;
}

// Raw validation windows of the project's data, one after the other.
std::vector<float> validationWindows(const Project& project, const ProgramGraph& graph, std::size_t count,
                                     std::size_t& windowSize)
{
    const learn::PipelineSpec p = learn::compileProgram(graph, project, BlockRegistry::builtin());
    const learn::SplitData data = learn::loadSource(p.source);
    windowSize = std::size_t(data.validation.windowSize());
    count = std::min(count, data.validation.size());
    return {data.validation.values.begin(), data.validation.values.begin() + std::ptrdiff_t(count * windowSize)};
}

// The engine's trained program on one raw window: features, normalisation, the model (and decision).
std::vector<float> engineOutput(const learn::TrainedProgram& t, const float* window)
{
    const learn::CandidateModel& m = *t.classifier;
    const learn::FeatureExtractor fx(*m.features, m.window.length, m.window.channels, m.sampleRateHz);
    std::vector<float> x(std::size_t(fx.outputSize()));
    fx.extract(window, x.data());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = (x[i] - m.normMean[i]) / m.normStddev[i];
    std::vector<float> y = m.model.quantized ? learn::runInt8Dequantized(m.model, x.data()) : learn::runFloat(m.model, x.data());
    if (t.decision) {
        symbolic::NamedColumns columns;
        for (std::size_t c = 0; c < y.size(); ++c)
            columns[t.decisionInputs[c]] = Eigen::VectorXd::Constant(1, double(y[c]));
        y.push_back(float(t.decision->decide(columns).front()));
    }
    return y;
}

int argmax(const float* v, std::size_t n)
{
    return int(std::max_element(v, v + n) - v);
}

// Exports the searched trial, checks the README, builds the exported C and compares it with the
// engine's retrained program on validation windows.
void checkExportedTrial(const SearchedProject& s, bool decision)
{
    QTemporaryDir out;
    codegen::TrialExportOptions options;
    options.trialId = std::to_string(s.trial.id);
    options.projectFile = s.file;
    options.outDir = out.path().toStdString();
    options.threads = 2;
    const codegen::TrialExportResult r = codegen::exportTrial(s.project, options);
    QVERIFY(r.trainedWeights);
    // The retrained program is the one the search scored: the same validation error.
    QCOMPARE(r.validationError, s.trial.terms.at("error"));
    QVERIFY(r.retrainedAsSearched());
    const std::string readme = readTextFile(options.outDir / "README.md");
    QVERIFY2(readme.find("Weights: trained") != std::string::npos, readme.c_str());
    QVERIFY(readme.find("validation accuracy error") != std::string::npos);

    // The engine's program, retrained with one thread: training does not depend on the thread count.
    const ProgramGraph graph = codegen::trialGraph(s.project, options.trialId, s.journal);
    const codegen::TrainedTrial engine = codegen::retrainTrial(s.project, graph, 1);
    QCOMPARE(engine.program.validationError, r.validationError);
    QCOMPARE(engine.program.classifier->model.layers.back().weights,
             codegen::retrainTrial(s.project, graph, 2).program.classifier->model.layers.back().weights);
    QCOMPARE(bool(engine.program.decision), decision);

    std::map<std::string, std::string> sources;
    for (const char* f : {"nesy_program.c", "nesy_program.h"})
        sources[f] = readTextFile(options.outDir / f);
    std::size_t windowSize = 0;
    const std::vector<float> windows = validationWindows(s.project, graph, 40, windowSize);
    const std::size_t count = windows.size() / windowSize;
    const codegen::HostRunResult host = codegen::runOnHost(sources, windows);
    const std::size_t outs = host.output.size() / count;
    QCOMPARE(host.output.size(), count * outs);
    const bool int8 = engine.program.classifier->model.quantized;
    for (std::size_t w = 0; w < count; ++w) {
        const std::vector<float> want = engineOutput(engine.program, windows.data() + w * windowSize);
        QCOMPARE(want.size(), outs);
        const float* got = host.output.data() + w * outs;
        nesy::testing::requireSameOutputs(got, want.data(), outs, int8, QString("window %1").arg(w));
        const std::size_t scores = decision ? outs - 1 : outs;
        QCOMPARE(argmax(got, scores), argmax(want.data(), scores));
        if (decision)
            QCOMPARE(got[scores], want[scores]);
    }
}

} // namespace

class TestCodegenTrained : public QObject {
    Q_OBJECT
private slots:
    void exportsTheTrainedInt8Program()
    {
        QTemporaryDir dir;
        checkExportedTrial(searchTiny(dir, "int8", false), false);
    }
    void exportsTheTrainedFloatProgramWithItsDecisionProgram()
    {
        QTemporaryDir dir;
        checkExportedTrial(searchTiny(dir, "float32", true), true);
    }
    // The published symbolic -> neuro shape: a temporal CNN over the feature vector.
    void exportsATrainedTcnOverFeatures()
    {
        QTemporaryDir dir;
        checkExportedTrial(searchTiny(dir, "int8", false, "flatten"), false);
        QTemporaryDir floatDir;
        checkExportedTrial(searchTiny(floatDir, "float32", false, "average"), false);
    }
    void exportSaysWhenTheJournalCameFromABuildThatRoundsDifferently()
    {
        QTemporaryDir dir;
        const SearchedProject s = searchTiny(dir, "float32", false);
        // The journal as a build of another CPU level would have written it: another error for the trial.
        const std::filesystem::path other = std::filesystem::path(dir.path().toStdString()) / "other-build.jsonl";
        std::ifstream in(s.journal);
        std::ofstream out(other);
        int changed = 0;
        for (std::string line; std::getline(in, line);) {
            Json j = Json::parse(line);
            if (j.contains("terms") && j["terms"].contains("error") && j["id"] == s.trial.id) {
                j["terms"]["error"] = j["terms"]["error"].get<double>() + 0.125;
                ++changed;
            }
            out << j.dump() << "\n";
        }
        out.close();
        QVERIFY(changed > 0);

        codegen::TrialExportOptions options;
        options.trialId = std::to_string(s.trial.id);
        options.projectFile = s.file;
        options.journal = other;
        options.outDir = std::filesystem::path(dir.path().toStdString()) / "export";
        const codegen::TrialExportResult r = codegen::exportTrial(s.project, options);
        QVERIFY(r.searchedError.has_value());
        QCOMPARE(*r.searchedError, s.trial.terms.at("error") + 0.125);
        QCOMPARE(r.validationError, s.trial.terms.at("error")); // this build's retraining is still the same
        QVERIFY(!r.retrainedAsSearched());
        const std::string readme = readTextFile(options.outDir / "README.md");
        QVERIFY2(readme.find("Not the search's weights") != std::string::npos, readme.c_str());
        QVERIFY(readme.find("the program the search scored") == std::string::npos);

        // The command line says so too.
        std::ostringstream cliOut, cliErr;
        QCOMPARE(cli::runExport({s.file.string(), "--trial", options.trialId, "--journal", other.string(), "--out",
                                 (options.outDir / "cli").string()},
                                cliOut, cliErr),
                 cli::kExitOk);
        QVERIFY2(cliOut.str().find("weights: trained with the trial's seed") != std::string::npos, cliOut.str().c_str());
        QVERIFY2(cliOut.str().find("warning: Not the search's weights") != std::string::npos, cliOut.str().c_str());
        QVERIFY2(cliOut.str().find("placeholders") == std::string::npos, cliOut.str().c_str());
    }
    void measuresTheTrainedProgram()
    {
        QTemporaryDir dir;
        const SearchedProject s = searchTiny(dir, "int8", false);
        std::ostringstream out, err;
        const int rc = cli::runMeasure({s.file.string(), "--trial", std::to_string(s.trial.id), "--board",
                                        "sim:nucleo-f446re", "--json", "--threads", "2"},
                                       out, err);
        QVERIFY2(rc == cli::kExitOk, err.str().c_str());
        const Json m = Json::parse(out.str());
        QCOMPARE(m["weights"].get<std::string>(), std::string("trained"));
        QCOMPARE(m["fault"].get<std::string>(), std::string("none"));
    }
};

QTEST_APPLESS_MAIN(TestCodegenTrained)
#include "test_codegen_trained.moc"
