#include "WorkbenchApp.h"
#include "GraphModel.h"
#include "MainWindow.h"
#include "Theme.h"
#include "engine/Resources.h"
#include <QApplication>
#include <QCommandLineParser>
#include <QImageWriter>
#include <QStyle>
#include <QStyleFactory>
#include <QTimer>
#include <iostream>

namespace nesy::gui {

void applyAppearance(QApplication& app, const QString& scheme)
{
    // Read the desktop's palette before Fusion replaces it: that is how Qt 6.4 learns the theme.
    const bool systemDark = isDark(QApplication::palette());
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const bool dark = scheme == QStringLiteral("dark") || (scheme == QStringLiteral("system") && systemDark);
    QApplication::setPalette(dark ? darkPalette() : app.style()->standardPalette());
}

void saveScreenshot(QWidget& widget, const std::filesystem::path& file)
{
    widget.show();
    // Let layouts settle and the canvas paint before grabbing.
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    const QPixmap shot = widget.grab();
    if (shot.isNull() || !shot.save(qstr(file.string()), "PNG"))
        throw std::runtime_error("cannot write screenshot " + file.string());
}

int runWorkbench(int argc, char** argv)
{
    QApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("NeSy Workbench"));
    QApplication::setOrganizationName(QStringLiteral("nesy"));
    QApplication::setApplicationVersion(QStringLiteral(NESY_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Neurosymbolic tinyML workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the main window to FILE (PNG) and exit."), QStringLiteral("FILE"));
    QCommandLineOption scheme(QStringLiteral("color-scheme"),
                              QStringLiteral("Colour scheme: system (default), dark or light."), QStringLiteral("SCHEME"),
                              QStringLiteral("system"));
    QCommandLineOption screen(QStringLiteral("screenshot-view"),
                              QStringLiteral("Screen to render with --screenshot: main (default), inspector, pareto, boards."),
                              QStringLiteral("NAME"), QStringLiteral("main"));
    QCommandLineOption trials(QStringLiteral("trials"),
                              QStringLiteral("Show the trials of a search journal (*.jsonl)."), QStringLiteral("JOURNAL"));
    parser.addOption(trials);
    QCommandLineOption follow(QStringLiteral("follow"),
                              QStringLiteral("Follow a search journal while it grows (e.g. from nesy search --mpi)."),
                              QStringLiteral("JOURNAL"));
    parser.addOption(follow);
    parser.addOption(screenshot);
    parser.addOption(screen);
    parser.addOption(scheme);
    parser.addPositionalArgument(QStringLiteral("PROJECT"),
                                 QStringLiteral("Project file (*.nesy.json); default: the bundled example."));
    parser.process(app);

    applyAppearance(app, parser.value(scheme));
    const QStringList args = parser.positionalArguments();
    const std::filesystem::path project = args.isEmpty() ? exampleDir() / "activity-features-mlp.nesy.json"
                                                         : std::filesystem::path(sstr(args.first()));
    MainWindow window;
    window.resize(1440, 900);
    try {
        window.loadProjectFile(project);
    } catch (const std::exception& e) {
        std::cerr << "nesy-workbench: cannot open project: " << e.what() << "\n";
        return 2;
    }
    if (parser.isSet(trials)) {
        try {
            window.loadTrials(sstr(parser.value(trials)));
        } catch (const std::exception& e) {
            std::cerr << "nesy-workbench: cannot read trials: " << e.what() << "\n";
            return 2;
        }
    }

    if (parser.isSet(follow))
        window.followJournal(sstr(parser.value(follow)));

    if (parser.isSet(screenshot)) {
        try {
            window.showScreen(parser.value(screen));
            saveScreenshot(window, sstr(parser.value(screenshot)));
        } catch (const std::exception& e) {
            std::cerr << "nesy-workbench: " << e.what() << "\n";
            return 1;
        }
        return 0;
    }
    window.restoreSettings();
    window.show();
    window.offerRecovery();
    return app.exec();
}

} // namespace nesy::gui
