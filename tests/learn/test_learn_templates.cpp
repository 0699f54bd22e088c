// Templates 3 (rules and a physics channel) and 4 (neural-Kalman) run real trials the way
// `nesy search` runs them (board resource check, project evaluator, search engine, journal), with
// their budgets cut down to seconds: every trial is feasible and carries the shape's terms.
#include "codegen/BoardResourceCheck.h"
#include "engine/ProjectEvaluator.h"
#include "graph/Project.h"
#include "search/Objective.h"
#include "search/SearchEngine.h"
#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <fstream>

using namespace nesy;

namespace {

std::filesystem::path templateFile(const std::string& name)
{
    const char* src = std::getenv("NESY_SOURCE_DIR");
    return std::filesystem::path(src ? src : ".") / "resources" / "templates" / name;
}

void setValue(Project& p, const std::string& block, const std::string& param, const Value& v)
{
    Block* b = p.graph.block(block);
    if (!b)
        throw std::runtime_error("no block " + block);
    b->params[param].value = v;
}

// What `nesy search FILE --trials 2` does, journal included.
std::vector<TrialRecord> searchTwoTrials(Project project, const std::filesystem::path& journal)
{
    EvaluatorOptions options;
    options.threads = 2;
    options.resourceCheck = codegen::makeBoardResourceCheck(project);
    SearchOptions search = SearchOptions::fromProject(project);
    search.trials = 2;
    search.journal = journal;
    SearchEngine engine(makeProjectProblem(project, makeProjectEvaluator(project, options)), search);
    engine.start();
    engine.wait();
    return engine.trials();
}

// Trial lines of a journal (its first line is the header).
int journalTrials(const std::filesystem::path& journal)
{
    std::ifstream in(journal);
    int n = -1;
    for (std::string line; std::getline(in, line);)
        n += !line.empty();
    return n;
}

} // namespace

class TestLearnTemplates : public QObject {
    Q_OBJECT
private slots:
    void rulesTemplateSearches()
    {
        Project p = loadProject(templateFile("3-rules-physics.nesy.json"));
        // Rule weight 1 x sink.term 0.5, from the blocks.
        QCOMPARE(Objective::fromProject(p).weights().terms.at("rule:fall_then_lying"), 0.5);
        setValue(p, "imu", "subjects", 6);
        setValue(p, "imu", "seconds_per_activity", 10);
        setValue(p, "tcn", "epochs", 1);
        QTemporaryDir dir;
        const auto journal = std::filesystem::path(dir.path().toStdString()) / "rules.journal.jsonl";
        const auto trials = searchTwoTrials(p, journal);
        QCOMPARE(int(trials.size()), 2);
        for (const TrialRecord& t : trials) {
            QVERIFY2(t.status == TrialStatus::Ok, t.detail.c_str());
            QVERIFY(t.terms.count("error") && t.terms.count("rule:fall_then_lying"));
            const double rate = t.terms.at("rule:fall_then_lying");
            QVERIFY(rate >= 0 && rate <= 1);
            QVERIFY(t.hasObjective());
            QCOMPARE(t.details["rules"][0]["block"].get<std::string>(), std::string("fall_rule"));
            QVERIFY(t.assignment.count("moving.threshold"));
        }
        QCOMPARE(journalTrials(journal), 2);
    }
    void neuralKalmanTemplateSearches()
    {
        Project p = loadProject(templateFile("4-neural-kalman.nesy.json"));
        setValue(p, "robot", "trajectories", 4);
        setValue(p, "robot", "seconds", 30);
        setValue(p, "filter", "epochs", 3);
        QTemporaryDir dir;
        const auto journal = std::filesystem::path(dir.path().toStdString()) / "kalman.journal.jsonl";
        const auto trials = searchTwoTrials(p, journal);
        QCOMPARE(int(trials.size()), 2);
        for (const TrialRecord& t : trials) {
            QVERIFY2(t.status == TrialStatus::Ok, t.detail.c_str());
            const double error = t.terms.at("error");
            QVERIFY2(std::isfinite(error) && error > 0 && error < 10, qPrintable(QString::number(error)));
            QVERIFY(t.terms.count("test_error") && t.terms.count("flash_bytes"));
            QVERIFY(t.assignment.count("filter.units") && t.assignment.count("filter.window"));
            QCOMPARE(t.details["scores"]["metric"].get<std::string>(), std::string("median_position_error"));
        }
        QCOMPARE(journalTrials(journal), 2);
    }
};

QTEST_APPLESS_MAIN(TestLearnTemplates)
#include "test_learn_templates.moc"
