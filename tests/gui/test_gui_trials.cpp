// The selected trial in the main window: clicking it in the table shows its settings on the canvas
// (a read-only overlay in the GraphModel) without changing the project; "Apply to project" is one
// undoable command; "Back to project" ends the overlay; the C code export runs off the GUI thread
// and writes the files, or reports what went wrong.
#include "GraphScene.h"
#include "Inspector.h"
#include "MainWindow.h"
#include "ResultPanels.h"
#include "TrialExportJob.h"
#include "TrialFixtures.h"
#include "TrialOverlayBar.h"
#include "engine/Resources.h"
#include "search/Journal.h"
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace nesy;
using namespace nesy::gui;

namespace {
// Trials of the bundled example: each chooses mlp.units and mlp.layers.
std::vector<TrialRow> exampleTrials(int count)
{
    auto rows = fixtures::trials(count);
    for (auto& t : rows)
        t.assignment["mlp.layers"] = Value(t.id % 3);
    return rows;
}

const Value& projectValue(MainWindow& w, const std::string& block, const std::string& param)
{
    return w.model().graph().block(block)->params.at(param).value;
}

void clickRowOfTrial(MainWindow& w, int id)
{
    QTableView* table = w.trialsPanel().table();
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        const QModelIndex i = table->model()->index(r, 0);
        if (i.data(Qt::UserRole + 2).toInt() == id) { // TrialTableModel::TrialIdRole
            table->scrollTo(i);
            QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(i).center());
            return;
        }
    }
    QFAIL("trial not in the table");
}
} // namespace

class GuiTrialsTest : public QObject {
    Q_OBJECT
private slots:
    void clickingATrialShowsItOnTheCanvasReadOnly()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showScreen(QStringLiteral("trials"));
        const Project before = w.model().project();
        const qreal plainHeight = w.scene().blockItem("mlp")->boundingRect().height();
        w.trials().append(exampleTrials(12));

        clickRowOfTrial(w, 3); // units 8 << 3 = 64, layers 0
        QCOMPARE(w.trials().selectedTrial(), std::optional<int>(3));
        QVERIFY(w.model().shownTrial());
        QCOMPARE(w.model().shownTrial()->id, 3);
        QCOMPARE(*w.model().shownValue("mlp", "units"), Value(64));
        QVERIFY(w.model().project() == before); // shown, not applied
        QVERIFY(w.scene().blockItem("mlp")->boundingRect().height() > plainHeight); // the trial's rows
        QVERIFY(!(w.scene().blockItem("mlp")->flags() & QGraphicsItem::ItemIsMovable));
        QVERIFY(w.overlayBar().isVisibleTo(&w));
        QVERIFY(!w.inspector().isEnabled());

        // Read-only: deleting on the canvas is refused while the trial is shown.
        w.scene().selectBlocks({"mlp"});
        w.scene().deleteSelection();
        QVERIFY(w.model().graph().block("mlp"));

        // Apply: one undoable command puts the values into the project and ends the overlay.
        const int undoBefore = w.editor().undoStack().count();
        QTest::mouseClick(w.overlayBar().applyButton(), Qt::LeftButton);
        QCOMPARE(projectValue(w, "mlp", "units"), Value(64));
        QCOMPARE(projectValue(w, "mlp", "layers"), Value(0));
        QVERIFY(!w.model().shownTrial());
        QVERIFY(!w.overlayBar().isVisibleTo(&w));
        QCOMPARE(w.editor().undoStack().count(), undoBefore + 1);
        w.editor().undoStack().undo();
        QVERIFY(w.model().project() == before);
        QCOMPARE(w.scene().blockItem("mlp")->boundingRect().height(), plainHeight);

        // Another trial, then back to the project: nothing changed.
        clickRowOfTrial(w, 4);
        QCOMPARE(w.model().shownTrial()->id, 4);
        QTest::mouseClick(w.overlayBar().backButton(), Qt::LeftButton);
        QVERIFY(!w.model().shownTrial());
        QVERIFY(w.model().project() == before);
        QVERIFY(w.inspector().isEnabled());
    }

    void anEditEndsTheOverlay()
    {
        MainWindow w;
        w.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        w.trials().append(exampleTrials(3));
        w.trials().select(1);
        QVERIFY(w.model().shownTrial());
        w.editor().setLabel("mlp", "renamed"); // e.g. an undo of an earlier edit
        w.editor().setParameter("mlp", "epochs", Parameter{Value(3), std::nullopt});
        QVERIFY(!w.model().shownTrial());
    }

    void exportWritesTheTrialsCCode()
    {
        MainWindow w;
        w.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        w.trials().append(exampleTrials(6));
        QVERIFY(!w.exportTrialAction()->isEnabled()); // nothing selected
        w.trials().select(2);
        QVERIFY(w.exportTrialAction()->isEnabled());
        QVERIFY(w.trialsPanel().table()->actions().contains(w.exportTrialAction())); // the context menu

        QTemporaryDir dir;
        const std::filesystem::path out = std::filesystem::path(dir.path().toStdString()) / "trial-2";
        QSignalSpy done(&w.exportJob(), &TrialExportJob::succeeded);
        QSignalSpy failed(&w.exportJob(), &TrialExportJob::failed);
        w.exportTrialTo(2, out);
        QVERIFY(w.exportJob().running());
        QVERIFY(!w.exportTrialAction()->isEnabled()); // one export at a time
        QVERIFY2(done.wait(120000) || !failed.isEmpty(), "the export did not finish");
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        QCOMPARE(done.first().at(1).toString(), QString::fromStdString(out.string()));
        QVERIFY(done.first().at(4).toString().isEmpty()); // no journal: nothing to compare with
        QVERIFY(!w.findChild<QMessageBox*>(QStringLiteral("exportWarningBox")));
        for (const char* file : {"nesy_program.c", "nesy_program.h", "main.c", "Makefile", "README.md"})
            QVERIFY2(std::filesystem::exists(out / file), file);
        QVERIFY(!w.exportJob().running());
        QVERIFY(w.exportTrialAction()->isEnabled());
    }

    void exportWarnsWhenTheJournalsErrorIsNotTheRetrainedOne()
    {
        // A journal whose trial 0 (the example's own values) recorded an error this build's
        // retraining does not give, as a journal of a build that rounds differently would.
        QTemporaryDir dir;
        const std::filesystem::path journal = std::filesystem::path(dir.path().toStdString()) / "other-build.jsonl";
        {
            JournalWriter writer = JournalWriter::create(
                journal, Json{{"journal", "nesy-search"}, {"version", 1}, {"seed", 1}, {"space", Json::object()}});
            TrialRecord t;
            t.terms = {{"error", 0.5}};
            t.objective = 0.5;
            t.startedMs = 1;
            t.finishedMs = 2;
            writer.append(t);
        }
        MainWindow w;
        w.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        w.loadTrials(journal);
        QSignalSpy done(&w.exportJob(), &TrialExportJob::succeeded);
        QSignalSpy failed(&w.exportJob(), &TrialExportJob::failed);
        w.exportTrialTo(0, std::filesystem::path(dir.path().toStdString()) / "trial-0");
        QVERIFY2(done.wait(120000) || !failed.isEmpty(), "the export did not finish");
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        const QString warning = done.first().at(4).toString();
        QVERIFY2(warning.contains(QStringLiteral("Not the search's weights")), qPrintable(warning));
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("exportWarningBox"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("0.5")), qPrintable(box->text()));
        box->close();
    }

    void exportErrorsAreReported()
    {
        MainWindow w;
        w.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        w.trials().append(exampleTrials(2));
        w.trials().select(1);
        QTemporaryDir dir;
        const std::filesystem::path blocker = std::filesystem::path(dir.path().toStdString()) / "a-file";
        writeTextFileAtomically(blocker, "not a folder\n");
        QSignalSpy failed(&w.exportJob(), &TrialExportJob::failed);
        w.exportTrialTo(1, blocker / "out"); // a folder inside a file cannot be made
        QVERIFY(failed.wait(120000));
        QVERIFY(!failed.first().at(1).toString().isEmpty());
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("exportErrorBox"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("trial 1")), qPrintable(box->text()));
        QVERIFY2(box->text().contains(failed.first().at(1).toString()), qPrintable(box->text()));
        box->close();
    }
};

QTEST_MAIN(GuiTrialsTest)
#include "test_gui_trials.moc"
