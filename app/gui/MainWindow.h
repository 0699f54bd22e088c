#pragma once
// The workbench's main window: composes the model, the editor and the panels, and owns the
// file actions. Panels talk to the GraphModel/GraphEditor, never to each other.
#include "GraphEditor.h"
#include "GraphModel.h"
#include <QMainWindow>
#include <filesystem>

class QLabel;
class QListView;

namespace nesy::gui {

class BlockPalette;
class GraphScene;
class GraphView;
class Inspector;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    GraphModel& model() { return *model_; }
    GraphEditor& editor() { return *editor_; }
    GraphScene& scene() { return *scene_; }
    GraphView& view() { return *view_; }
    Inspector& inspector() { return *inspector_; }

    // Loads a project file; throws FormatError (naming the file and JSON path) when it cannot.
    void loadProjectFile(const std::filesystem::path& file);
    const std::filesystem::path& projectFile() const { return file_; }

    // Arranges the window to show one main screen for screenshots and docs: "main", "inspector",
    // "pareto", "boards". Throws std::invalid_argument for an unknown name.
    void showScreen(const QString& name);
    static QStringList screenNames();

private:
    void buildActions();
    void buildDocks();
    void updateTitle();
    void updateProjectSummary();
    void openDialog();
    bool saveTo(const std::filesystem::path& file);
    bool save();
    bool saveAs();
    void copySelection();
    void paste();
    void addBlockAtCentre(const QString& type);

    GraphModel* model_;
    GraphEditor* editor_;
    GraphScene* scene_;
    GraphView* view_;
    BlockPalette* palette_ = nullptr;
    Inspector* inspector_ = nullptr;
    QListView* problems_ = nullptr;
    QLabel* summary_ = nullptr;
    std::filesystem::path file_;
    int pasteCount_ = 0;
};

} // namespace nesy::gui
