// Every example project in resources/examples loads, validates and compiles for the evaluator (the
// real-data ones read ../shared/data, through NESY_SHARED_DATA in CI), and an example whose data
// folder is missing is refused with a message naming the folder.
#include "engine/ProjectEvaluator.h"
#include "graph/BlockRegistry.h"
#include "graph/Project.h"
#include "graph/Validation.h"
#include "../support/ProjectFixtures.h"
#include <QtTest>
#include <cstdlib>

using namespace nesy;

namespace {

using nesy::testing::evaluatorRefusal;

std::filesystem::path examplesDir()
{
    const char* src = std::getenv("NESY_SOURCE_DIR");
    return std::filesystem::path(src ? src : ".") / "resources" / "examples";
}

// Points the project's datasets at NESY_SHARED_DATA (the same folders the default relative paths
// reach from a checkout beside ../shared/data).
void useSharedData(Project& p)
{
    const char* shared = std::getenv("NESY_SHARED_DATA");
    for (DatasetRef& d : p.datasets)
        if (shared)
            d.path = (std::filesystem::path(shared) / std::filesystem::path(d.path).filename()).string();
}

} // namespace

class TestLearnExamples : public QObject {
    Q_OBJECT
private slots:
    void everyExampleValidatesAndCompiles()
    {
        int count = 0;
        for (const auto& entry : std::filesystem::directory_iterator(examplesDir())) {
            const std::string name = entry.path().filename().string();
            if (name.size() < 10 || name.substr(name.size() - 10) != ".nesy.json")
                continue;
            ++count;
            Project p = loadProject(entry.path());
            const auto problems = validate(p.graph, BlockRegistry::builtin());
            QVERIFY2(problems.empty(), qPrintable(QString::fromStdString(name + ": " + (problems.empty() ? "" : problems[0].toString()))));
            useSharedData(p);
            for (const DatasetRef& d : p.datasets)
                QVERIFY2(std::filesystem::exists(p.resolveDatasetPath(d)),
                         qPrintable(QString::fromStdString("missing real data " + p.resolveDatasetPath(d).string() +
                                                           " for " + name + " (set NESY_SHARED_DATA)")));
            const QString why = evaluatorRefusal(p);
            QVERIFY2(why.isEmpty(), qPrintable(QString::fromStdString(name + ": ") + why));
        }
        QVERIFY2(count >= 5, qPrintable(QString::number(count)));
    }
    void missingDataFolderIsNamed()
    {
        for (const char* name : {"fall-detection-program.nesy.json", "activity-sequence-rule.nesy.json",
                                 "orientation-ekf-ahrs.nesy.json"}) {
            Project p = loadProject(examplesDir() / name);
            QVERIFY(!p.datasets.empty());
            p.datasets[0].path = "/nonexistent/shared/data/" + std::filesystem::path(p.datasets[0].path).filename().string();
            const QString why = evaluatorRefusal(p);
            QVERIFY2(why.contains(QString::fromStdString(p.datasets[0].path)) && why.contains("does not exist"),
                     qPrintable(QString(name) + ": " + why));
        }
    }
};

QTEST_APPLESS_MAIN(TestLearnExamples)
#include "test_learn_examples.moc"
