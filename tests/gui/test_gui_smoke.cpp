// Offscreen smoke test: the main window shows the bundled example (one canvas item per block and
// per connection) and renders to a PNG; the binary's --screenshot mode works and rejects a broken
// project with a message naming the JSON path.
#include "GraphScene.h"
#include "GraphView.h"
#include "MainWindow.h"
#include "ProjectTemplates.h"
#include <QListWidget>
#include "WorkbenchApp.h"
#include "engine/Resources.h"
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QtTest>
#include <set>

using namespace nesy;
using namespace nesy::gui;

class GuiSmokeTest : public QObject {
    Q_OBJECT
private:
    static std::filesystem::path example() { return exampleDir() / "activity-features-mlp.nesy.json"; }
    static QString workbenchBinary() { return qEnvironmentVariable("NESY_BIN_DIR") + "/nesy-workbench"; }

    // Distinct colours in a coarse sample: a blank or single-colour render has very few.
    static int distinctColours(const QImage& image)
    {
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        return int(colours.size());
    }

private slots:
    void mainWindowShowsTheExample()
    {
        MainWindow window;
        window.resize(1280, 800);
        window.loadProjectFile(example());
        const ProgramGraph& g = window.model().graph();
        QCOMPARE(g.blocks().size(), std::size_t(4));
        QCOMPARE(window.scene().blockItemCount(), int(g.blocks().size()));
        QCOMPARE(window.scene().connectionItemCount(), int(g.connections().size()));
        for (const auto& b : g.blocks())
            QVERIFY2(window.scene().blockItem(b.id), b.id.c_str());
        for (const auto& c : g.connections())
            QVERIFY2(window.scene().connectionItem(c), c.to.describe().c_str());
        QVERIFY(window.windowTitle().contains("activity-features-mlp.nesy.json"));

        QTemporaryDir dir;
        const std::filesystem::path png = dir.filePath("main.png").toStdString();
        saveScreenshot(window, png);
        QImage image(QString::fromStdString(png.string()));
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
        QVERIFY2(distinctColours(image) > 20, "the screenshot looks blank");
        // Every block is inside the visible part of the canvas after opening (fitted).
        const QRectF visible = window.view().mapToScene(window.view().viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(window.scene().graphBounds()));
    }

    void templatesAreValidAndTeach()
    {
        const auto templates = projectTemplates();
        QCOMPARE(templates.size(), std::size_t(4));
        const BlockRegistry registry = BlockRegistry::builtin();
        std::set<BlockCategory> signatures;
        for (const auto& t : templates) {
            const auto problems = validate(t.project.graph, registry);
            const QString first = problems.empty() ? QString() : QString::fromStdString(problems.front().toString());
            QVERIFY2(problems.empty(), qPrintable(t.resource + ": " + first));
            QVERIFY2(t.project.description.size() > 200, qPrintable(t.resource)); // a real explanation
            QVERIFY(!t.project.graph.searchableParameters().empty());
            for (const auto& b : t.project.graph.blocks())
                signatures.insert(registry.find(b.type)->category);
        }
        // Between them the four shapes use every kind of block but hand-written CSV sources.
        for (BlockCategory c : {BlockCategory::Feature, BlockCategory::Backbone, BlockCategory::Symbolic,
                                BlockCategory::Kalman, BlockCategory::Rule, BlockCategory::Sink})
            QVERIFY(signatures.count(c));

        MainWindow window;
        window.newProject(templates[3].project);
        QCOMPARE(window.scene().blockItemCount(), int(templates[3].project.graph.blocks().size()));
        QCOMPARE(window.scene().connectionItemCount(), int(templates[3].project.graph.connections().size()));
        QVERIFY(window.windowTitle().startsWith("Untitled"));
        NewProjectDialog dialog;
        QCOMPARE(dialog.list()->count(), 4);
        dialog.list()->setCurrentRow(2);
        QVERIFY(dialog.chosenProject() == templates[2].project);
    }

    void autosaveKeepsUnsavedWorkUntilSaved()
    {
        QTemporaryDir dir;
        const std::filesystem::path project = dir.filePath("p.nesy.json").toStdString();
        std::filesystem::copy_file(example(), project);
        MainWindow window;
        window.setAutosaveFolder(dir.filePath("autosave").toStdString());
        window.loadProjectFile(project);
        window.autosaveNow();
        QVERIFY(window.autosave().pending().empty()); // nothing unsaved, nothing written
        window.editor().addBlock("backbone.tcn", {0, 300});
        QVERIFY(window.isWindowModified());
        window.autosaveNow();
        const auto pending = window.autosave().pending();
        QCOMPARE(pending.size(), std::size_t(1));
        QCOMPARE(pending[0].original, std::filesystem::absolute(project));
        QVERIFY(loadProject(pending[0].copy) == window.model().project());

        // A new window (after a crash) recovers the copy as unsaved changes to the same file.
        MainWindow second;
        second.setAutosaveFolder(dir.filePath("autosave").toStdString());
        QTimer::singleShot(0, [] {
            for (QWidget* w : QApplication::topLevelWidgets())
                if (auto* box = qobject_cast<QMessageBox*>(w))
                    box->button(QMessageBox::Yes)->click();
        });
        second.offerRecovery();
        QVERIFY(second.model().graph().contains("tcn"));
        QVERIFY(second.isWindowModified());
        QCOMPARE(second.projectFile(), std::filesystem::absolute(project));
        QVERIFY(second.autosave().pending().empty());
    }

    void screenshotModeWritesPng()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath("shot.png");
        QProcess p;
        p.start(workbenchBinary(), {"--screenshot", png, QString::fromStdString(example().string())});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);
    }

    void screenshotModeRejectsBrokenProject()
    {
        QTemporaryDir dir;
        const QString broken = dir.filePath("broken.nesy.json");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"schemaVersion": 1, "name": "x", "graph": {"blocks": [{"id": 5}], "connections": []}})");
        f.close();
        QProcess p;
        p.start(workbenchBinary(), {"--screenshot", dir.filePath("never.png"), broken});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY(p.exitCode() != 0);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains("$.graph.blocks[0].id"), qPrintable(err));
        QVERIFY(!QFile::exists(dir.filePath("never.png")));
    }
};

QTEST_MAIN(GuiSmokeTest)
#include "test_gui_smoke.moc"
