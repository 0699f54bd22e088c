// The Boards panel fed live by a real BoardManager through BoardManagerBridge: rows appear and
// disappear with add / remove events, telemetry moves the bars, a flood of samples is coalesced
// into a bounded number of GUI-thread flushes, and the panel shows a trial's measurement on every
// target board.
#include "BoardManagerBridge.h"
#include "BoardPanel.h"
#include "MainWindow.h"
#include "engine/Resources.h"
#include <QElapsedTimer>
#include <QListWidget>
#include <QTableView>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace nesy;
using namespace nesy::gui;
using namespace std::chrono_literals;

namespace {

// A board whose measurements the test chooses: each one publishes a telemetry sample through the
// manager, as simulated and emulated boards do.
class ScriptedBoard : public Board {
public:
    explicit ScriptedBoard(std::string id) : id_(std::move(id))
    {
        profile_.id = "scripted";
        profile_.name = "Scripted board";
        profile_.flashBytes = 200 * 1024;
        profile_.reservedFlashBytes = 100 * 1024; // usable: 100 KB
        profile_.sramBytes = 64 * 1024;
        profile_.reservedSramBytes = 32 * 1024; // usable: 32 KB
    }
    std::string id() const override { return id_; }
    BoardKind kind() const override { return BoardKind::Simulated; }
    const BoardProfile& profile() const override { return profile_; }
    BoardState state() const override { return BoardState::Ready; }
    Measurement measure(const CandidateProgram&, const StopToken&) override
    {
        Measurement m;
        m.boardId = id_;
        m.flashBytes = flash.load();
        m.sramStaticBytes = 8 * 1024;
        m.peakStackBytes = 0;
        m.latencyMs = 1.25;
        return m;
    }
    std::atomic<std::int64_t> flash{25 * 1024};

private:
    std::string id_;
    BoardProfile profile_;
};

double flashFraction(const BoardTableModel& model, int row)
{
    return model.index(row, BoardTableModel::Flash).data(BoardTableModel::FractionRole).toDouble();
}

} // namespace

class GuiBoardsTest : public QObject {
    Q_OBJECT
private slots:
    void rowsFollowAddAndRemoveEvents()
    {
        auto manager = std::make_shared<BoardManager>();
        manager->addBoard(std::make_shared<ScriptedBoard>("sim:before"));
        BoardTableModel model;
        BoardManagerBridge bridge(manager);
        bridge.connectModel(model);
        QCOMPARE(model.rowCount(), 1); // the boards known when the panel opens

        manager->addBoard(std::make_shared<ScriptedBoard>("sim:hotplugged"));
        QTRY_COMPARE(model.rowCount(), 2);
        const BoardRow* row = model.board("sim:hotplugged");
        QVERIFY(row);
        QCOMPARE(row->flashCapacity, std::int64_t(100 * 1024));
        QCOMPARE(row->sramCapacity, std::int64_t(32 * 1024));
        QCOMPARE(model.index(1, BoardTableModel::Board).data().toString(), QStringLiteral("Scripted board\nsim:hotplugged"));

        QVERIFY(manager->removeBoard("sim:before"));
        QTRY_COMPARE(model.rowCount(), 1);
        QVERIFY(!model.board("sim:before"));
        QVERIFY(model.board("sim:hotplugged"));
    }

    void telemetryMovesTheBars()
    {
        auto manager = std::make_shared<BoardManager>();
        auto board = std::make_shared<ScriptedBoard>("sim:bars");
        manager->addBoard(board);
        BoardTableModel model;
        BoardManagerBridge bridge(manager);
        bridge.connectModel(model);
        BoardPanel panel(model);
        QCOMPARE(flashFraction(model, 0), 0.0);

        StopToken stop;
        QVERIFY(manager->measure("sim:bars", {}, stop).ok());
        QTRY_COMPARE(flashFraction(model, 0), 0.25);
        QCOMPARE(model.index(0, BoardTableModel::Sram).data(BoardTableModel::FractionRole).toDouble(), 0.25);
        QVERIFY(model.index(0, BoardTableModel::Latency).data().toString().startsWith("1.25"));
        board->flash = 75 * 1024;
        manager->measure("sim:bars", {}, stop);
        QTRY_COMPARE(flashFraction(model, 0), 0.75);
    }

    void floodOfSamplesIsCoalesced()
    {
        auto manager = std::make_shared<BoardManager>();
        auto board = std::make_shared<ScriptedBoard>("sim:flood");
        manager->addBoard(board);
        BoardTableModel model;
        BoardManagerBridge bridge(manager);
        bridge.connectModel(model);
        StopToken stop;

        // 5000 samples while the GUI thread is busy: a single queued call, one row update.
        constexpr int burst = 5000;
        for (int i = 1; i <= burst; ++i) {
            board->flash = i;
            manager->measure("sim:flood", {}, stop);
        }
        // Wait for the dispatch thread without running the event loop (as a GUI busy for a while).
        QElapsedTimer waited;
        waited.start();
        while (bridge.statistics().samplesReceived < std::uint64_t(burst) && waited.elapsed() < 20000)
            std::this_thread::sleep_for(1ms);
        QCOMPARE(bridge.statistics().samplesReceived, std::uint64_t(burst));
        // One queued call for the samples (plus one if the board's Added event came late).
        QVERIFY2(bridge.statistics().posts <= 2, qPrintable(QString::number(bridge.statistics().posts)));
        QTRY_COMPARE(model.board("sim:flood")->flashUsed, std::int64_t(burst)); // the newest sample wins
        const auto afterBurst = bridge.statistics();
        QCOMPARE(afterBurst.samplesDelivered, std::uint64_t(1));

        // A steady stream while the event loop runs: flushes stay at or below one per kMinInterval.
        QElapsedTimer clock;
        clock.start();
        int sent = 0;
        while (clock.elapsed() < 600) {
            for (int i = 0; i < 50; ++i, ++sent) {
                board->flash = burst + sent;
                manager->measure("sim:flood", {}, stop);
            }
            QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
        }
        const qint64 elapsed = clock.elapsed();
        QTRY_COMPARE(model.board("sim:flood")->flashUsed, std::int64_t(burst + sent - 1));
        const auto s = bridge.statistics();
        const auto flushes = s.flushes - afterBurst.flushes;
        const auto allowed = std::uint64_t(elapsed / BoardManagerBridge::kMinInterval.count()) + 3;
        QVERIFY2(flushes <= allowed, qPrintable(QStringLiteral("%1 flushes in %2 ms").arg(flushes).arg(elapsed)));
        QVERIFY2(s.samplesReceived - afterBurst.samplesReceived > 10 * flushes,
                 qPrintable(QStringLiteral("%1 samples, %2 flushes").arg(s.samplesReceived - afterBurst.samplesReceived).arg(flushes)));
    }

    void panelShowsTheTrialOnEveryTargetBoard()
    {
        auto manager = std::make_shared<BoardManager>();
        manager->addBoard(std::make_shared<ScriptedBoard>("sim:first"));
        manager->addBoard(std::make_shared<ScriptedBoard>("sim:second"));
        BoardTableModel model;
        BoardManagerBridge bridge(manager);
        bridge.connectModel(model);
        BoardPanel panel(model);
        TrialStore store;
        panel.followTrials(store);
        QCOMPARE(panel.trialMeasurements().rowCount(), 0);

        auto measured = [](const std::string& board, std::int64_t flash, FaultKind fault) {
            Measurement m;
            m.boardId = board;
            m.fault = fault;
            m.flashBytes = flash;
            m.sramStaticBytes = 4096;
            m.peakStackBytes = 0;
            m.latencyMs = 2.0;
            return m.toJson();
        };
        TrialRow t;
        t.id = 7;
        t.details["resources"] = Json::array({measured("sim:first", 50 * 1024, FaultKind::None),
                                              measured("sim:second", 150 * 1024, FaultKind::FlashOverflow)});
        TrialRow later;
        later.id = 8;
        later.details["resources"] = Json::array({measured("sim:first", 10 * 1024, FaultKind::None)});
        store.append({t, later});

        // Latest trial first, then the selected one, with a row per target board.
        MeasurementTableModel& m = panel.trialMeasurements();
        QCOMPARE(m.rowCount(), 1);
        store.select(7);
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.index(0, MeasurementTableModel::Board).data().toString(), QStringLiteral("sim:first"));
        QCOMPARE(m.index(0, MeasurementTableModel::Flash).data(BoardTableModel::FractionRole).toDouble(), 0.5);
        QCOMPARE(m.index(1, MeasurementTableModel::Result).data().toString(), QStringLiteral("flash-overflow"));
        QCOMPARE(m.index(1, MeasurementTableModel::Flash).data(BoardTableModel::FractionRole).toDouble(), 1.5);
        // A board that has left keeps its figures but loses its bar (no capacity to hold them against).
        manager->removeBoard("sim:second");
        QTRY_COMPARE(model.rowCount(), 1);
        QVERIFY(!m.index(1, MeasurementTableModel::Flash).data(BoardTableModel::FractionRole).isValid());
        QVERIFY(m.index(1, MeasurementTableModel::Flash).data().toString().startsWith("150.0"));
    }

    void mainWindowListsTheManagersBoardsLive()
    {
        MainWindow window;
        window.loadProjectFile(exampleDir() / "activity-features-mlp.nesy.json");
        // Every local board is a row; the project's targets are marked.
        QTRY_VERIFY(window.boards().rowCount() >= 5);
        QCOMPARE(std::size_t(window.boards().rowCount()), window.boardManager().boards().size());
        const std::string target = window.model().project().boards.front();
        QVERIFY(window.boards().board(target) && window.boards().board(target)->target);
        const int before = window.boards().rowCount();
        // The search panel offers the same boards as targets, live, with the project's checked.
        auto* offered = window.findChild<QWidget*>(QStringLiteral("searchPanel"))->findChild<QListWidget*>();
        QVERIFY(offered);
        auto itemFor = [&](const QString& id) -> QListWidgetItem* {
            for (int i = 0; i < offered->count(); ++i)
                if (offered->item(i)->data(Qt::UserRole).toString() == id)
                    return offered->item(i);
            return nullptr;
        };
        QTRY_COMPARE(offered->count(), before);
        QVERIFY(itemFor(QString::fromStdString(target)));
        QCOMPARE(itemFor(QString::fromStdString(target))->checkState(), Qt::Checked);
        window.boardManager().addBoard(std::make_shared<ScriptedBoard>("sim:added-live"));
        QTRY_COMPARE(window.boards().rowCount(), before + 1);
        QTRY_VERIFY(itemFor(QStringLiteral("sim:added-live")));
        // Checking it makes it a target of the project (an undoable edit), after the first one.
        itemFor(QStringLiteral("sim:added-live"))->setCheckState(Qt::Checked);
        QCOMPARE(window.model().project().boards.back(), std::string("sim:added-live"));
        QCOMPARE(window.model().project().boards.front(), target);
        window.boardManager().removeBoard("sim:added-live");
        QTRY_COMPARE(window.boards().rowCount(), before);
        QTRY_VERIFY(!itemFor(QStringLiteral("sim:added-live")));
        // A chosen board that left stays chosen in the project (it may come back).
        QCOMPARE(window.model().project().boards.back(), std::string("sim:added-live"));
    }
};

QTEST_MAIN(GuiBoardsTest)
#include "test_gui_boards.moc"
