// Editing the graph through the editor (headless) and through simulated mouse input on the canvas;
// undo and redo of every command restore the exact graph, and the canvas mirrors the model throughout.
#include "GraphCommands.h"
#include "GraphEditor.h"
#include "GraphScene.h"
#include "GraphView.h"
#include "engine/Resources.h"
#include <QMimeData>
#include <QSignalSpy>
#include <QtTest>

using namespace nesy;
using namespace nesy::gui;

namespace {
Project example() { return loadProject(exampleDir() / "activity-features-mlp.nesy.json"); }

void sendMouse(QWidget* w, QEvent::Type type, QPoint at, Qt::MouseButton button, Qt::MouseButtons held)
{
    QMouseEvent e(type, QPointF(at), w->mapToGlobal(QPointF(at)), button, held, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

// A left-button drag on the view's viewport from scene point a to b, in several steps like a hand.
void drag(GraphView& view, QPointF a, QPointF b)
{
    QWidget* vp = view.viewport();
    const QPoint from = view.mapFromScene(a), to = view.mapFromScene(b);
    sendMouse(vp, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    for (int i = 1; i <= 5; ++i)
        sendMouse(vp, QEvent::MouseMove, from + (to - from) * i / 5, Qt::NoButton, Qt::LeftButton);
    sendMouse(vp, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}
} // namespace

class GuiEditingTest : public QObject {
    Q_OBJECT
private:
    // Runs an edit, then checks undo gives back `before` and redo gives back the edited graph, with
    // the scene holding one item per block and per connection at each step.
    void checkUndoRedo(GraphEditor& editor, GraphScene& scene, const std::function<void()>& edit)
    {
        const Project before = editor.model().project();
        const int depth = editor.undoStack().count();
        edit();
        QCOMPARE(editor.undoStack().count(), depth + 1);
        const Project after = editor.model().project();
        QVERIFY(!(after == before));
        auto mirrored = [&] {
            const ProgramGraph& g = editor.model().graph();
            QCOMPARE(scene.blockItemCount(), int(g.blocks().size()));
            QCOMPARE(scene.connectionItemCount(), int(g.connections().size()));
            for (const auto& b : g.blocks())
                QCOMPARE(scene.blockItem(b.id)->pos(), QPointF(b.position.x, b.position.y));
        };
        mirrored();
        editor.undoStack().undo();
        QVERIFY(editor.model().project() == before);
        QCOMPARE(projectToText(editor.model().project()), projectToText(before)); // order kept too
        mirrored();
        editor.undoStack().redo();
        QVERIFY(editor.model().project() == after);
        mirrored();
    }

private slots:
    void everyCommandUndoesAndRedoes()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        GraphScene scene(editor);
        model.setProject(example());
        QCOMPARE(scene.blockItemCount(), 4);

        std::string added;
        checkUndoRedo(editor, scene, [&] { added = editor.addBlock("backbone.tcn", {100, 300}); });
        QCOMPARE(added, std::string("tcn"));
        checkUndoRedo(editor, scene, [&] { QVERIFY(!editor.connectPorts({{"imu", "windows"}, {"tcn", "window"}})); });
        checkUndoRedo(editor, scene, [&] { editor.disconnect({{"features", "features"}, {"mlp", "input"}}); });
        // Removing a block in the middle also removes its connections, and undo puts all back in order.
        checkUndoRedo(editor, scene, [&] { editor.remove({"features"}); });
        checkUndoRedo(editor, scene, [&] { editor.moveBlocks({{"mlp", {10, 20}}, {"imu", {-50, 0}}}); });
        checkUndoRedo(editor, scene, [&] {
            editor.setParameter("tcn", "filters", Parameter{Value(32), Domain::integer(8, 48)});
        });
        checkUndoRedo(editor, scene, [&] { editor.setParameter("mlp", "units", Parameter{Value(64), std::nullopt}); });
        checkUndoRedo(editor, scene, [&] { editor.resetParameter("mlp", "layers"); });
        checkUndoRedo(editor, scene, [&] { editor.setLabel("tcn", "Dilated TCN"); });
        checkUndoRedo(editor, scene, [&] {
            SearchSettings s = model.project().search;
            s.trials = 99;
            editor.setSettings(model.project().objective, s, {"sim:ispu"});
        });
        const std::string clip = editor.copy({"imu", "mlp", "objective"});
        checkUndoRedo(editor, scene, [&] {
            auto ids = editor.paste(clip, {40, 40});
            QCOMPARE(ids, (std::vector<std::string>{"imu2", "mlp2", "objective2"}));
        });
        // The pasted copy keeps the connection among the copied blocks, renamed.
        QVERIFY(model.graph().connectionIndex({{"mlp2", "scores"}, {"objective2", "decision"}}) >= 0);

        // All the way back to the opened file, then all the way forward again.
        const Project last = model.project();
        while (editor.undoStack().canUndo())
            editor.undoStack().undo();
        QVERIFY(model.project() == example());
        while (editor.undoStack().canRedo())
            editor.undoStack().redo();
        QVERIFY(model.project() == last);
    }

    void trialSettingsApplyAsOneStep()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        model.setProject(example());
        const Assignment trial{{"mlp.units", Value(128)}, {"mlp.layers", Value(2)}, {"gone.param", Value(1)},
                               {"features.mean", Value(true)}}; // unchanged value: not counted
        QCOMPARE(editor.applyAssignment(trial), 2);
        QCOMPARE(editor.undoStack().count(), 1);
        QCOMPARE(model.graph().block("mlp")->params.at("units").value, Value(128));
        QVERIFY(model.graph().block("mlp")->params.at("units").searchable()); // the domain stays
        editor.undoStack().undo();
        QVERIFY(model.project() == example());
    }

    void parameterEditsMergeIntoOneStep()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        model.setProject(example());
        for (int units : {40, 48, 56})
            editor.setParameter("mlp", "units", Parameter{Value(units), std::nullopt});
        QCOMPARE(editor.undoStack().count(), 1);
        editor.undoStack().undo();
        QVERIFY(model.project() == example());
    }

    void refusedConnectionSaysWhyAndChangesNothing()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        model.setProject(example());
        editor.addBlock("backbone.cnn1d", {0, 300});
        const int depth = editor.undoStack().count();
        auto why = editor.connectPorts({{"mlp", "scores"}, {"cnn1d", "window"}});
        QVERIFY(why);
        QVERIFY2(why->find("class scores") != std::string::npos, why->c_str());
        QVERIFY2(why->find("time-series window") != std::string::npos, why->c_str());
        why = editor.connectPorts({{"imu", "windows"}, {"features", "window"}});
        QVERIFY(why && why->find("already") != std::string::npos);
        why = editor.connectPorts({{"objective", "nothing"}, {"imu", "x"}});
        QVERIFY(why);
        QCOMPARE(editor.undoStack().count(), depth);
    }

    void modelSignalsAndProblems()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        model.setProject(example());
        QVERIFY(model.problems().empty());
        QSignalSpy added(&model, &GraphModel::blockAdded);
        QSignalSpy removedConnections(&model, &GraphModel::connectionRemoved);
        QSignalSpy problems(&model, &GraphModel::problemsChanged);
        editor.addBlock("backbone.tcn", {0, 300});
        QCOMPARE(added.count(), 1);
        QCOMPARE(added.first().first().toString(), QStringLiteral("tcn"));
        // The new block's input is unconnected: the problem names it.
        QVERIFY(problems.count() >= 1);
        QVERIFY(!model.problemsOf("tcn").empty());
        editor.remove({"mlp"});
        QCOMPARE(removedConnections.count(), 2);
        QVERIFY(!model.problemsOf("objective").empty()); // its input lost its feed
    }

    void mouseEditsTheGraph()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        GraphScene scene(editor);
        GraphView view(&scene);
        view.resize(1200, 700);
        model.setProject(example());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.resetZoom();
        view.centerOn(scene.graphBounds().center());

        // Drag the MLP block by its header: one undoable move, snapped to the grid.
        BlockItem* mlp = scene.blockItem("mlp");
        const QPointF start = mlp->pos();
        drag(view, start + QPointF(100, 12), start + QPointF(100 + 83, 12 + 157));
        const Point moved = model.graph().block("mlp")->position;
        QCOMPARE(moved.x, start.x() + 80);
        QCOMPARE(moved.y, start.y() + 160);
        QCOMPARE(mlp->pos(), QPointF(moved.x, moved.y));
        editor.undoStack().undo();
        QCOMPARE(model.graph().block("mlp")->position.x, start.x());
        QCOMPARE(mlp->pos(), start);

        // Drag from an output port to an input port: a connection.
        editor.addBlock("backbone.cnn1d", {0, 300});
        editor.addBlock("sink.classification", {300, 300});
        editor.addBlock("features.statistics", {600, 300});
        auto anchor = [&](const char* block, const char* port, bool output) {
            return scene.blockItem(block)->port(port, output)->anchor();
        };
        view.centerOn(QPointF(400, 320));
        drag(view, anchor("cnn1d", "scores", true), anchor("classification", "decision", false));
        QVERIFY(model.graph().connectionIndex({{"cnn1d", "scores"}, {"classification", "decision"}}) >= 0);
        QVERIFY(scene.connectionItem({{"cnn1d", "scores"}, {"classification", "decision"}}));

        // Dragging the other way round (input to output) connects too.
        drag(view, anchor("cnn1d", "window", false), anchor("imu", "windows", true));
        QVERIFY(model.graph().connectionIndex({{"imu", "windows"}, {"cnn1d", "window"}}) >= 0);

        // An incompatible drag is refused with the reason, and nothing changes.
        QSignalSpy refused(&scene, &GraphScene::refused);
        const Project before = model.project();
        drag(view, anchor("cnn1d", "scores", true), anchor("statistics", "window", false));
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused.first().first().toString().contains("cannot feed"));
        QVERIFY(model.project() == before);

        // Rubber band around the three new blocks, then delete them in one step.
        const QRectF area = scene.blockItem("cnn1d")->sceneBoundingRect().united(
            scene.blockItem("statistics")->sceneBoundingRect()).adjusted(-20, -20, 20, 20);
        drag(view, area.topLeft(), area.bottomRight());
        QCOMPARE(scene.selectedBlockIds(), (std::vector<std::string>{"cnn1d", "classification", "statistics"}));
        scene.deleteSelection();
        QVERIFY(!model.graph().contains("cnn1d"));
        QCOMPARE(scene.blockItemCount(), 4);
        editor.undoStack().undo();
        QCOMPARE(scene.blockItemCount(), 7);
        QVERIFY(model.graph().connectionIndex({{"imu", "windows"}, {"cnn1d", "window"}}) >= 0);
    }

    void paletteDropAddsBlock()
    {
        GraphModel model(BlockRegistry::builtin());
        GraphEditor editor(model);
        GraphScene scene(editor);
        GraphView view(&scene);
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QMimeData mime;
        mime.setData(kBlockTypeMime, "kalman.neural");
        const QPoint at(400, 300);
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &enter);
        QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &move);
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &drop);
        QVERIFY(model.graph().contains("neural"));
        QCOMPARE(scene.blockItemCount(), 1);
        QCOMPARE(scene.selectedBlockIds(), std::vector<std::string>{"neural"});
    }
};

QTEST_MAIN(GuiEditingTest)
#include "test_gui_editing.moc"
