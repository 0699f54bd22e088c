// The result panels over a TrialStore: table rows, sorting and filtering, the Pareto plot's series,
// front, throttled redraws and click selection, trial details, exports, journals, board bars and
// the search settings panel.
#include "BoardPanel.h"
#include "BoardTableModel.h"
#include "ParetoPlot.h"
#include "ResultPanels.h"
#include "SearchPanel.h"
#include "TrialFixtures.h"
#include "TrialTableModel.h"
#include "engine/Resources.h"
#include <QChart>
#include <QFont>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace nesy;
using namespace nesy::gui;

class GuiResultsTest : public QObject {
    Q_OBJECT
private slots:
    void tableSortsAndFilters()
    {
        TrialStore store;
        TrialsPanel panel(store);
        store.append(fixtures::trials(40));
        store.append(fixtures::trials(20, 40));
        QCOMPARE(panel.filter()->rowCount(), 60);
        panel.filter()->setStatusFilter(TrialFilterModel::StatusFilter::NotFeasible);
        int expectedBad = 0;
        for (const auto& t : store.trials())
            expectedBad += t.feasible() ? 0 : 1;
        QCOMPARE(panel.filter()->rowCount(), expectedBad);
        panel.filter()->setStatusFilter(TrialFilterModel::StatusFilter::All);
        panel.filter()->setText("flash-overflow");
        QVERIFY(panel.filter()->rowCount() > 0 && panel.filter()->rowCount() < expectedBad + 1);
        panel.filter()->setText({});
        // Sorting by error puts the best error first and trials without one last.
        panel.table()->sortByColumn(TrialTableModel::Error, Qt::AscendingOrder);
        double previous = -1;
        for (int r = 0; r < panel.filter()->rowCount(); ++r) {
            const double e = panel.filter()->index(r, TrialTableModel::Error).data(TrialTableModel::SortRole).toDouble();
            QVERIFY(e >= previous);
            previous = e;
        }
        // Selecting a row selects the trial in the store.
        panel.table()->selectRow(0);
        QVERIFY(store.selectedTrial());
    }

    void paretoPlotDrawsTrialsFrontAndBest()
    {
        TrialStore store;
        ParetoPlot plot(store);
        plot.resize(800, 500);
        store.append(fixtures::trials(200));
        plot.redraw();
        int ok = 0;
        for (const auto& t : store.trials())
            ok += t.feasible() ? 1 : 0;
        QCOMPARE(plot.feasiblePointCount(), ok);
        QCOMPARE(plot.infeasiblePointCount(), 200 - ok);
        // The front: no feasible trial is at least as good in both and better in one.
        const auto front = ParetoPlot::frontOf(store.trials(), ResourceAxis::Flash);
        QVERIFY(!front.empty());
        for (int id : front) {
            const TrialRow& f = *store.trial(id);
            for (const auto& t : store.trials())
                if (t.feasible() && t.id != id)
                    QVERIFY(!(*t.term("flash_bytes") <= *f.term("flash_bytes") && *t.term("error") < *f.term("error")));
        }
        QVERIFY(store.bestTrial());
        plot.setAxis(ResourceAxis::Latency);
        QCOMPARE(plot.feasiblePointCount(), ok);
        // The SVG export draws every trial as a vector shape, not a bitmap of the point layer.
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QTemporaryDir dir;
        const QString svg = dir.filePath("plot.svg");
        plot.saveSvg(svg);
        const std::string text = readTextFile(svg.toStdString());
        QVERIFY(text.find("<image") == std::string::npos);
        std::size_t shapes = 0;
        for (std::size_t at = text.find("<circle"); at != std::string::npos; at = text.find("<circle", at + 1))
            ++shapes;
        QVERIFY2(shapes >= std::size_t(ok), qPrintable(QString::number(shapes)));
    }

    void redrawsAreThrottled()
    {
        TrialStore store;
        ParetoPlot plot(store);
        const int before = plot.redrawCount();
        for (int b = 0; b < 50; ++b)
            store.append(fixtures::trials(20, b * 20));
        QCOMPARE(plot.redrawCount(), before); // nothing drawn synchronously
        QTRY_COMPARE_WITH_TIMEOUT(plot.feasiblePointCount() + plot.infeasiblePointCount(), 1000, 2000);
        QVERIFY2(plot.redrawCount() - before <= 3, qPrintable(QString::number(plot.redrawCount() - before)));
    }

    void clickingSelectsAndShowsDetails()
    {
        TrialStore store;
        ParetoPlot plot(store);
        TrialDetailsView details(store);
        plot.resize(900, 600);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        store.append(fixtures::trials(30));
        plot.redraw();
        const TrialRow& target = *store.trial(3);
        const auto near = plot.trialNear(QPointF(*target.term("flash_bytes") / 1024.0, *target.term("error")));
        QVERIFY(near);
        store.select(near);
        QVERIFY(details.text().contains(QStringLiteral("Trial %1").arg(*near)));
        QVERIFY(details.text().contains("mlp.units"));
    }

    void clickingADrawnPointSelectsItAndHoverFindsIt()
    {
        TrialStore store;
        ParetoPlot plot(store);
        plot.resize(900, 600);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        store.append(fixtures::trials(60));
        plot.drawPending();
        QApplication::processEvents(); // the chart lays out its axes for the data
        // A front trial: nothing else is drawn on top of it.
        const int target = plot.frontIds().back();
        const auto at = plot.viewportPositionOf(target);
        QVERIFY(at);
        QVERIFY(plot.viewport()->rect().contains(*at));
        QCOMPARE(plot.trialAt(*at), std::optional<int>(target));
        QTest::mouseClick(plot.viewport(), Qt::LeftButton, {}, *at + QPoint(2, -1)); // a little off still hits
        QCOMPARE(store.selectedTrial(), std::optional<int>(target));
        // Far from every point: no trial, and a click there keeps the selection.
        QVERIFY(!plot.trialAt(QPoint(2, 2)));
        QTest::mouseClick(plot.viewport(), Qt::LeftButton, {}, QPoint(2, 2));
        QCOMPARE(store.selectedTrial(), std::optional<int>(target));
        // Resizing re-maps the points: the trial is found where it is drawn now.
        plot.resize(700, 450);
        QApplication::processEvents();
        const auto moved = plot.viewportPositionOf(target);
        QVERIFY(moved && *moved != *at);
        QCOMPARE(plot.trialAt(*moved), std::optional<int>(target));
    }

    void bigBatchesKeepTableAndPlotConsistent()
    {
        TrialStore store;
        TrialsPanel table(store);
        ParetoPlot plot(store);
        plot.resize(800, 500);
        table.table()->sortByColumn(TrialTableModel::Error, Qt::AscendingOrder);
        const int rendersBefore = plot.fullPointRenders();
        for (int b = 0; b < 5; ++b) {
            store.append(fixtures::trials(2000, b * 2000));
            plot.drawPending();
        }
        QCOMPARE(table.filter()->rowCount(), 10000);
        QCOMPARE(plot.feasiblePointCount() + plot.infeasiblePointCount(), 10000);
        int ok = 0;
        for (const auto& t : store.trials())
            ok += t.feasible() && t.term("error") ? 1 : 0;
        QCOMPARE(plot.feasiblePointCount(), ok);
        // The incrementally kept front is the front of all trials.
        QCOMPARE(plot.frontIds(), ParetoPlot::frontOf(store.trials(), ResourceAxis::Flash));
        QVERIFY(plot.fullPointRenders() - rendersBefore <= 5); // appends only re-map when the axes grow
        // The table stays sorted by error through the inserts, and only the best trial is bold.
        double previous = -1;
        int bold = 0;
        for (int r = 0; r < table.filter()->rowCount(); ++r) {
            const QModelIndex i = table.filter()->index(r, TrialTableModel::Error);
            const double e = i.data(TrialTableModel::SortRole).toDouble();
            QVERIFY(e >= previous);
            previous = e;
            if (i.data(Qt::FontRole).value<QFont>().bold()) {
                ++bold;
                QCOMPARE(i.data(TrialTableModel::TrialIdRole).toInt(), *store.bestTrial());
            }
        }
        QCOMPARE(bold, 1);
        // Selecting a trial far down selects its row in the sorted table.
        store.select(9999);
        QCOMPARE(table.table()->currentIndex().data(TrialTableModel::TrialIdRole).toInt(), 9999);
        // The axis switch rebuilds everything from the store.
        plot.setAxis(ResourceAxis::Sram);
        QCOMPARE(plot.frontIds(), ParetoPlot::frontOf(store.trials(), ResourceAxis::Sram));
        QCOMPARE(plot.feasiblePointCount() + plot.infeasiblePointCount(), 10000);
    }

    void detailsListMetricsAndEveryBoardMeasurement()
    {
        TrialStore store;
        TrialDetailsView details(store);
        auto rows = fixtures::trials(1);
        rows[0].details["resources"] = Json::array(
            {Json{{"board", "sim:nucleo-f446re"}, {"fault", "none"}, {"detail", ""}, {"flash_bytes", 20480},
                  {"sram_static_bytes", 4096}, {"peak_stack_bytes", 512}, {"latency_ms", 1.25}, {"cycles", 225000}},
             Json{{"board", "sim:ispu"}, {"fault", "flash-overflow"}, {"detail", "needs 20 KB more"}, {"flash_bytes", -1},
                  {"sram_static_bytes", -1}, {"peak_stack_bytes", -1}, {"latency_ms", -1}, {"cycles", -1}}});
        rows[0].details["seed"] = 7;
        store.append(rows);
        store.select(0);
        const QString text = details.text();
        for (const char* expected : {"Metrics", "error", "flash_bytes", "Per-board measurements", "sim:nucleo-f446re",
                                     "20.0", "1.250", "225000", "sim:ispu", "flash-overflow", "needs 20 KB more",
                                     "mlp.units", "seed"})
            QVERIFY2(text.contains(QLatin1String(expected)), expected);
    }

    void exportsAndJournals()
    {
        TrialStore store;
        store.append(fixtures::trials(12));
        const std::string csv = store.toCsv();
        QVERIFY(csv.rfind("id,status,fault,objective,error,flash_bytes,latency_ms,sram_bytes,mlp.units\n", 0) == 0);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 13);
        const Json json = Json::parse(store.toJson());
        QCOMPARE(json.size(), std::size_t(12));

        QTemporaryDir dir;
        const std::filesystem::path journal = dir.filePath("search.journal.jsonl").toStdString();
        std::string text = R"({"journal":"nesy-search","version":1})" "\n";
        for (const auto& t : fixtures::trials(3))
            text += t.toJson().dump() + "\n";
        writeTextFileAtomically(journal, text);
        const auto rows = TrialStore::readJournal(journal);
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[1].terms, fixtures::trials(3)[1].terms);
        writeTextFileAtomically(journal, text + R"({"id": 9, "status": "sideways"})" "\n");
        try {
            TrialStore::readJournal(journal);
            QFAIL("a bad status must be refused");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find(":5: $.status") != std::string::npos, e.what());
        }
    }

    void boardBarsFollowTelemetry()
    {
        const auto profiles = loadBoardProfiles(boardProfileDir());
        auto row = boardRowFor("sim:nucleo-f446re", profiles);
        QVERIFY(row);
        QCOMPARE(row->flashCapacity, profiles[std::size_t(std::ranges::find(profiles, std::string("nucleo-f446re"),
                                                                           &BoardProfile::id) - profiles.begin())]
                                         .usableFlashBytes());
        QVERIFY(!boardRowFor("sim:no-such-board", profiles));
        BoardTableModel model;
        BoardPanel panel(model);
        model.setBoards({*row});
        model.upsertBoard(*boardRowFor("emu:nucleo-l476rg", profiles));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, BoardTableModel::Kind).data().toString(), QStringLiteral("emulated"));
        model.applyTelemetry({"sim:nucleo-f446re", std::chrono::steady_clock::now(), row->flashCapacity / 4,
                              row->sramCapacity / 2, 3.5, BoardState::Busy});
        QCOMPARE(model.index(0, BoardTableModel::Flash).data(BoardTableModel::FractionRole).toDouble(), 0.25);
        QCOMPARE(model.index(0, BoardTableModel::State).data().toString(), QStringLiteral("busy"));
        QVERIFY(model.index(0, BoardTableModel::Latency).data().toString().startsWith("3.50"));
        model.removeBoard("emu:nucleo-l476rg"); // unplugged
        QCOMPARE(model.rowCount(), 1);
        model.applyTelemetry({"usb:1-2", {}, 1, 1, 1, BoardState::Ready}); // unknown: ignored
        QCOMPARE(model.rowCount(), 1);
    }

    void searchSettingsAreUndoableProjectEdits()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        model.setProject(loadProject(exampleDir() / "activity-features-mlp.nesy.json"));
        BoardTableModel boards;
        boards.setBoards({*boardRowFor("sim:nucleo-f446re", loadBoardProfiles(boardProfileDir()))});
        SearchPanel panel(editor, boards);
        const Project before = model.project();
        QSpinBox* trials = nullptr;
        for (QSpinBox* s : panel.findChildren<QSpinBox*>())
            if (s->value() == before.search.trials)
                trials = s;
        QVERIFY(trials);
        trials->setValue(77);
        QCOMPARE(model.project().search.trials, 77);
        editor.undoStack().undo();
        QVERIFY(model.project() == before);
        QCOMPARE(trials->value(), before.search.trials);
    }
};

QTEST_MAIN(GuiResultsTest)
#include "test_gui_results.moc"
