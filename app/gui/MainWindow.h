#pragma once
// The workbench's main window: composes the model, the editor and the panels, and owns the
// file actions. Panels talk to the GraphModel/GraphEditor, never to each other.
#include "GraphEditor.h"
#include "Autosave.h"
#include "BoardManagerBridge.h"
#include "BoardTableModel.h"
#include "GraphModel.h"
#include "JournalFollower.h"
#include "TrialStore.h"
#ifdef NESY_SEARCH_AVAILABLE
#include "SearchController.h"
#endif
#include <QMainWindow>
#include <filesystem>

class QDockWidget;
class QAction;
class QLabel;
class QProgressBar;
class QMenu;
class QTabWidget;
class QTimer;
class QListView;

namespace nesy::gui {

class BlockPalette;
class BoardPanel;
class GraphScene;
class GraphView;
class Inspector;
class ParetoPanel;
class SearchPanel;
class TrialDetailsView;
class TrialsPanel;
class TrialExportJob;
class TrialOverlayBar;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    GraphModel& model() { return *model_; }
    GraphEditor& editor() { return *editor_; }
    GraphScene& scene() { return *scene_; }
    GraphView& view() { return *view_; }
    Inspector& inspector() { return *inspector_; }
    TrialStore& trials() { return *trials_; }
    BoardTableModel& boards() { return *boards_; }
    // The one source of boards: local simulated and emulated boards plus attached USB boards.
    BoardManager& boardManager() { return *boardManager_; }
    BoardManagerBridge& boardBridge() { return *boardBridge_; }
    BoardPanel& boardPanel() { return *boardPanel_; }
    ParetoPanel& pareto() { return *pareto_; }
    TrialDetailsView& trialDetails() { return *details_; }
    SearchPanel& searchPanel() { return *search_; }

#ifdef NESY_SEARCH_AVAILABLE
    SearchController& searchController() { return *controller_; }
    // Starts the project's search with its own evaluator (the Search panel's Start button).
    void startSearch();
    // Starts a given search problem (tests and benchmarks use a fast evaluator).
    void startSearchWith(SearchProblem problem, SearchOptions options);
#endif

    // Shows the trials of a search journal (a finished or interrupted search); throws FormatError.
    void loadTrials(const std::filesystem::path& journal);
    // Follows a journal another process is writing (e.g. rank 0 of `nesy search --mpi`): its
    // trials appear in the plot and the table as they finish.
    void followJournal(const std::filesystem::path& journal);
    JournalFollower& journalFollower() { return *follower_; }

    // The selected trial: shown on the canvas (read-only overlay in the GraphModel) and exported as C.
    TrialsPanel& trialsPanel() { return *trialsPanel_; }
    TrialOverlayBar& overlayBar() { return *overlayBar_; }
    TrialExportJob& exportJob() { return *exportJob_; }
    QAction* exportTrialAction() const { return exportTrialAction_; }
    void showTrialOnCanvas(int trialId);
    // Exports off the GUI thread; the outcome shows in the status bar or an error box.
    void exportTrialTo(int trialId, const std::filesystem::path& folder);

    // Loads a project file; throws FormatError (naming the file and JSON path) when it cannot.
    void loadProjectFile(const std::filesystem::path& file);
    const std::filesystem::path& projectFile() const { return file_; }

    // Arranges the window to show one main screen for screenshots and docs: "main", "inspector",
    // "pareto", "boards", "trials", "trial" (the best trial shown on the canvas). Throws std::invalid_argument for an unknown name.
    void showScreen(const QString& name);
    static QStringList screenNames();

    // Desktop conventions, used by the interactive start-up (not by screenshots or tests).
    void restoreSettings();
    void offerRecovery();
    void setAutosaveFolder(const std::filesystem::path& folder) { autosave_ = Autosave(folder); }
    const Autosave& autosave() const { return autosave_; }
    void autosaveNow();
    // Replaces the project by a new one from a template (after the unsaved-changes prompt).
    void newProject(Project p);

protected:
    void closeEvent(QCloseEvent* e) override;

private:
    void buildActions();
    void buildDocks();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area);
    void startBoards();
    void wireSearch();
    void buildTrialActions();
    void updateTrialActions();
    void exportSelectedTrialDialog();
    void updateTitle();
    void updateProjectSummary();
    void openDialog();
    void newFromTemplateDialog();
    void openFile(const std::filesystem::path& file);
    bool maybeSave(); // the unsaved-changes prompt; false when the user cancels
    void rememberRecent(const std::filesystem::path& file);
    void fillRecentMenu();
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
    TrialStore* trials_;
    JournalFollower* follower_;
    BoardTableModel* boards_;
    std::shared_ptr<BoardManager> boardManager_; // shared with a running search's resource check
    BoardManagerBridge* boardBridge_ = nullptr;
    BoardPanel* boardPanel_ = nullptr;
    QTabWidget* centre_ = nullptr;
    QWidget* graphPage_ = nullptr; // the canvas with the trial overlay bar above it
    TrialOverlayBar* overlayBar_ = nullptr;
    TrialExportJob* exportJob_ = nullptr;
    QAction* exportTrialAction_ = nullptr;
    QProgressBar* exportBusy_ = nullptr;
    std::filesystem::path trialsJournal_; // where the shown trials are recorded (empty: nowhere)
    ParetoPanel* pareto_ = nullptr;
    TrialsPanel* trialsPanel_ = nullptr;
    TrialDetailsView* details_ = nullptr;
    SearchPanel* search_ = nullptr;
#ifdef NESY_SEARCH_AVAILABLE
    SearchController* controller_ = nullptr;
#endif
    QListView* problems_ = nullptr;
    QLabel* summary_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QTimer* autosaveTimer_ = nullptr;
    Autosave autosave_{Autosave::defaultFolder()};
    std::filesystem::path file_;
    int pasteCount_ = 0;
};

} // namespace nesy::gui
