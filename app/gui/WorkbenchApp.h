#pragma once
// The workbench's entry point, shared by main() and the tests: command-line handling, application
// look (style, palette following the system), and the --screenshot mode.
#include <QString>
#include <filesystem>

class QApplication;
class QWidget;

namespace nesy::gui {

// Fusion style; a dark palette when the desktop's is dark (or when forced: "dark"/"light"/"system").
void applyAppearance(QApplication& app, const QString& scheme = QStringLiteral("system"));

// Renders a widget (shown offscreen if need be) to a PNG; throws std::runtime_error naming the file.
void saveScreenshot(QWidget& widget, const std::filesystem::path& file);

int runWorkbench(int argc, char** argv);

} // namespace nesy::gui
