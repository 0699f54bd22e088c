// Offscreen smoke test: the main window shows the bundled example (one canvas item per block and
// per connection) and renders to a PNG; the binary's --screenshot mode works and rejects a broken
// project with a message naming the JSON path.
#include "GraphScene.h"
#include "GraphView.h"
#include "MainWindow.h"
#include "WorkbenchApp.h"
#include "engine/Resources.h"
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

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
