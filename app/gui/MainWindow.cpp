#include "MainWindow.h"
#include "BlockPalette.h"
#include "BoardPanel.h"
#include "GraphScene.h"
#include "GraphView.h"
#include "Inspector.h"
#include "ParetoPlot.h"
#include "ResultPanels.h"
#include "SearchPanel.h"
#include "codegen/TrialPrograms.h"
#include "search/Journal.h"
#include "TrialExportJob.h"
#include "TrialOverlayBar.h"
#include "codegen/TrialSelection.h"
#include "engine/ProjectEvaluator.h"
#include "engine/Resources.h"
#include "host/ManagedResourceCheck.h"
#include "host/ProjectBoards.h"
#include "host/UsbContext.h"
#include "ProblemListModel.h"
#include "ProjectTemplates.h"
#include "Theme.h"
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QSettings>
#include <QTimer>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace nesy::gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), model_(new GraphModel(BlockRegistry::builtin(), this)), editor_(new GraphEditor(*model_, this)),
      scene_(new GraphScene(*editor_, this)), view_(new GraphView(scene_, this)), trials_(new TrialStore(this)),
      follower_(new JournalFollower(*trials_, this)), boards_(new BoardTableModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(applicationIcon());
    // The canvas and the Pareto plot share the centre: the plot needs room while a search runs.
    centre_ = new QTabWidget(this);
    centre_->setDocumentMode(true);
    overlayBar_ = new TrialOverlayBar(*editor_, this);
    graphPage_ = new QWidget(this);
    auto* graphLayout = new QVBoxLayout(graphPage_);
    graphLayout->setContentsMargins(0, 0, 0, 0);
    graphLayout->setSpacing(0);
    graphLayout->addWidget(overlayBar_);
    graphLayout->addWidget(view_, 1);
    centre_->addTab(graphPage_, tr("Graph"));
    pareto_ = new ParetoPanel(*trials_, this);
    centre_->addTab(pareto_, tr("Pareto plot"));
    setCentralWidget(centre_);
    buildActions();
    buildDocks();
    buildTrialActions();
    connect(scene_, &GraphScene::refused, this, [this](const QString& why) { statusBar()->showMessage(why, 8000); });
    connect(model_, &GraphModel::changed, this, &MainWindow::updateProjectSummary);
    connect(&editor_->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    // Autosave a few seconds after the last edit, so a crash loses at most that much.
    autosaveTimer_ = new QTimer(this);
    autosaveTimer_->setSingleShot(true);
    autosaveTimer_->setInterval(5000);
    connect(autosaveTimer_, &QTimer::timeout, this, &MainWindow::autosaveNow);
    connect(model_, &GraphModel::changed, autosaveTimer_, qOverload<>(&QTimer::start));
    connect(follower_, &JournalFollower::statusChanged, this, [this](const QString& m) { statusBar()->showMessage(m); });
    statusBar()->showMessage(tr("Ready"));
    startBoards(); // after "Ready": a USB problem stays readable in the status bar
    updateTitle();
    updateProjectSummary();
}

MainWindow::~MainWindow()
{
    // The children outlive this destructor body (QWidget deletes them afterwards); what they emit
    // while going (the undo stack's cleanChanged ...) must not reach a half-destroyed window.
    for (QObject* source : std::initializer_list<QObject*>{&editor_->undoStack(), model_, scene_, trials_, boardBridge_, exportJob_})
        source->disconnect(this);
}

void MainWindow::loadProjectFile(const std::filesystem::path& file)
{
    Project p = loadProject(file); // throws FormatError naming the file and JSON path
    file_ = file;
    model_->setProject(std::move(p));
    editor_->undoStack().setClean();
    updateTitle();
    view_->fitGraphWhenSized();
    statusBar()->showMessage(tr("Opened %1").arg(qstr(file.string())), 5000);
}

QStringList MainWindow::screenNames() { return {"main", "inspector", "pareto", "boards", "trials", "trial"}; }

void MainWindow::showScreen(const QString& name)
{
    if (!screenNames().contains(name))
        throw std::invalid_argument("unknown screen \"" + sstr(name) + "\"; known: " + sstr(screenNames().join(", ")));
    if (name == QStringLiteral("inspector")) {
        // A backbone shows the most kinds of search domain; otherwise the block searching the most.
        std::string richest;
        std::size_t most = 0;
        for (const auto& b : model_->graph().blocks()) {
            std::size_t n = 0;
            for (const auto& [k, p] : b.params)
                n += p.searchable() ? 1 : 0;
            if (const BlockType* t = model_->registry().find(b.type); t && t->category == BlockCategory::Backbone)
                n += 100;
            if (richest.empty() || n > most)
                richest = b.id, most = n;
        }
        scene_->selectBlocks({richest});
        findChild<QDockWidget*>(QStringLiteral("inspectorDock"))->raise();
    } else if (name == QStringLiteral("pareto")) {
        centre_->setCurrentWidget(pareto_);
        findChild<QDockWidget*>(QStringLiteral("trialsDock"))->raise();
        resizeDocks({findChild<QDockWidget*>(QStringLiteral("trialsDock"))}, {240}, Qt::Vertical);
        if (auto best = trials_->bestTrial())
            trials_->select(best);
    } else if (name == QStringLiteral("boards")) {
        findChild<QDockWidget*>(QStringLiteral("boardsDock"))->raise();
        findChild<QDockWidget*>(QStringLiteral("searchDock"))->raise();
        // Once shown (a hidden window ignores dock sizes): room for the live rows and the trial's.
        QTimer::singleShot(0, this, [this] {
            resizeDocks({findChild<QDockWidget*>(QStringLiteral("boardsDock"))}, {430}, Qt::Vertical);
        });
    } else if (name == QStringLiteral("trial")) { // the best trial's settings on the canvas
        if (auto best = trials_->bestTrial()) {
            trials_->select(best);
            showTrialOnCanvas(*best);
        }
    } else if (name == QStringLiteral("trials")) {
        findChild<QDockWidget*>(QStringLiteral("trialsDock"))->raise();
        resizeDocks({findChild<QDockWidget*>(QStringLiteral("trialsDock"))}, {360}, Qt::Vertical);
    }
}

void MainWindow::buildActions()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&New from Template..."), this, &MainWindow::newFromTemplateDialog)
        ->setShortcut(QKeySequence::New);
    QAction* open = fileMenu->addAction(tr("&Open..."), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = fileMenu->addMenu(tr("Open &Recent"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fileMenu->addAction(tr("&Follow Journal..."), this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Follow search journal"), QString(),
                                                          tr("Search journals (*.jsonl);;All files (*)"));
        if (!file.isEmpty())
            followJournal(sstr(file));
    });
    QAction* saveAction = fileMenu->addAction(tr("&Save"), this, &MainWindow::save);
    saveAction->setShortcut(QKeySequence::Save);
    QAction* saveAsAction = fileMenu->addAction(tr("Save &As..."), this, &MainWindow::saveAs);
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    fileMenu->addSeparator();
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = editor_->undoStack().createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = editor_->undoStack().createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    editMenu->addAction(undo);
    editMenu->addAction(redo);
    editMenu->addSeparator();
    QAction* cut = editMenu->addAction(tr("Cu&t"), this, [this] {
        copySelection();
        scene_->deleteSelection();
    });
    cut->setShortcut(QKeySequence::Cut);
    editMenu->addAction(tr("&Copy"), this, &MainWindow::copySelection)->setShortcut(QKeySequence::Copy);
    editMenu->addAction(tr("&Paste"), this, &MainWindow::paste)->setShortcut(QKeySequence::Paste);
    QAction* del = editMenu->addAction(tr("&Delete"), scene_, &GraphScene::deleteSelection);
    del->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    editMenu->addAction(tr("Select &All"), this, [this] {
        for (QGraphicsItem* item : scene_->items())
            if (item->flags() & QGraphicsItem::ItemIsSelectable)
                item->setSelected(true);
    })->setShortcut(QKeySequence::SelectAll);

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("Zoom &In"), view_, &GraphView::zoomIn)->setShortcut(QKeySequence::ZoomIn);
    viewMenu->addAction(tr("Zoom &Out"), view_, &GraphView::zoomOut)->setShortcut(QKeySequence::ZoomOut);
    viewMenu->addAction(tr("&Actual Size"), view_, &GraphView::resetZoom)->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    QAction* fit = viewMenu->addAction(tr("&Fit Graph"), view_, &GraphView::fitGraph);
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    fit->setIcon(style()->standardIcon(QStyle::SP_TitleBarMaxButton));

    QToolBar* tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setMovable(false);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    saveAction->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    undo->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    redo->setIcon(style()->standardIcon(QStyle::SP_ArrowForward));
    tools->addAction(open);
    tools->addAction(saveAction);
    tools->addSeparator();
    tools->addAction(undo);
    tools->addAction(redo);
    tools->addSeparator();
    tools->addAction(fit);
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(w);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks()
{
    palette_ = new BlockPalette(model_->registry(), this);
    connect(palette_, &BlockPalette::blockActivated, this, &MainWindow::addBlockAtCentre);
    QDockWidget* paletteDock = addDock(tr("Blocks"), QStringLiteral("paletteDock"), palette_, Qt::LeftDockWidgetArea);

    inspector_ = new Inspector(*editor_, this);
    connect(scene_, &GraphScene::blockSelectionChanged, inspector_, &Inspector::showBlocks);
    QDockWidget* inspectorDock = addDock(tr("Inspector"), QStringLiteral("inspectorDock"), inspector_, Qt::RightDockWidgetArea);

    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    summary_->setMargin(8);
    summary_->setTextFormat(Qt::RichText);
    QDockWidget* projectDock = addDock(tr("Project"), QStringLiteral("projectDock"), summary_, Qt::RightDockWidgetArea);

    search_ = new SearchPanel(*editor_, *boards_, this);
    search_->setRunState(SearchPanel::RunState::Unavailable,
                         tr("The search engine is not part of this build; settings are saved with the project."));
    QDockWidget* searchDock = addDock(tr("Search"), QStringLiteral("searchDock"), search_, Qt::RightDockWidgetArea);
    details_ = new TrialDetailsView(*trials_, this);
    connect(details_, &TrialDetailsView::showOnCanvasRequested, this, &MainWindow::showTrialOnCanvas);
    QDockWidget* detailsDock = addDock(tr("Trial"), QStringLiteral("detailsDock"), details_, Qt::RightDockWidgetArea);
    tabifyDockWidget(projectDock, inspectorDock);
    tabifyDockWidget(inspectorDock, searchDock);
    tabifyDockWidget(searchDock, detailsDock);
    projectDock->raise();

    problems_ = new QListView(this);
    problems_->setModel(new ProblemListModel(*model_, problems_));
    problems_->setWordWrap(true);
    connect(problems_, &QListView::activated, this, [this](const QModelIndex& index) {
        const std::string block = sstr(index.data(ProblemListModel::BlockIdRole).toString());
        if (BlockItem* item = scene_->blockItem(block)) {
            centre_->setCurrentWidget(graphPage_);
            scene_->selectBlocks({block});
            view_->centerOn(item);
        }
    });
    QDockWidget* problemsDock = addDock(tr("Problems"), QStringLiteral("problemsDock"), problems_, Qt::BottomDockWidgetArea);
    trialsPanel_ = new TrialsPanel(*trials_, this);
    QDockWidget* trialsDock = addDock(tr("Trials"), QStringLiteral("trialsDock"), trialsPanel_, Qt::BottomDockWidgetArea);
    boardPanel_ = new BoardPanel(*boards_, this);
    boardPanel_->followTrials(*trials_);
    QDockWidget* boardsDock = addDock(tr("Boards"), QStringLiteral("boardsDock"), boardPanel_, Qt::BottomDockWidgetArea);
    tabifyDockWidget(problemsDock, trialsDock);
    tabifyDockWidget(trialsDock, boardsDock);
    problemsDock->raise();
    connect(trials_, &TrialStore::selectionChanged, this, [detailsDock](std::optional<int> id) {
        if (id)
            detailsDock->raise();
    });
    wireSearch();
    auto markTargets = [this] { boards_->setTargets(model_->project().boards); };
    connect(model_, &GraphModel::projectReset, this, markTargets);
    connect(model_, &GraphModel::settingsChanged, this, markTargets);

    resizeDocks({paletteDock, inspectorDock}, {260, 360}, Qt::Horizontal);
    resizeDocks({problemsDock}, {180}, Qt::Vertical);
}

void MainWindow::startBoards()
{
    // The machine's simulated and emulated boards, then whatever is attached over USB (live).
    try {
        boardManager_ = std::make_shared<BoardManager>(defaultBoardManagerOptions());
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Board profiles not loaded: %1").arg(qstr(e.what())));
        boardManager_ = std::make_shared<BoardManager>();
    }
    boardBridge_ = new BoardManagerBridge(boardManager_, this);
    connect(boardBridge_, &BoardManagerBridge::boardRemoved, this, [this](const QString& id, const QString& why) {
        statusBar()->showMessage(tr("Board %1 left: %2").arg(id, why), 8000);
    });
    connect(boardBridge_, &BoardManagerBridge::connectFailed, this, [this](const QString& id, const QString& why) {
        statusBar()->showMessage(tr("Board %1 could not be opened: %2").arg(id, why), 8000);
    });
    try {
        addLocalBoards(*boardManager_);
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Local boards not available: %1").arg(qstr(e.what())));
    }
    boardBridge_->connectModel(*boards_); // rows for the boards now; events keep them current
    try {
        boardManager_->startUsbDiscovery();
    } catch (const UsbError& e) {
        // The workbench works without USB; the user only loses attached boards.
        statusBar()->showMessage(tr("USB boards unavailable: %1").arg(qstr(e.what())), 10000);
    }
}

void MainWindow::wireSearch()
{
#ifdef NESY_SEARCH_AVAILABLE
    controller_ = new SearchController(*trials_, this);
    search_->setRunState(SearchPanel::RunState::Idle, tr("Ready to search."));
    connect(search_, &SearchPanel::startRequested, this, &MainWindow::startSearch);
    connect(search_, &SearchPanel::pauseRequested, this, [this] {
        controller_->pause();
        search_->setRunState(SearchPanel::RunState::Paused);
    });
    connect(search_, &SearchPanel::resumeRequested, this, [this] {
        controller_->resume();
        search_->setRunState(SearchPanel::RunState::Running);
    });
    connect(search_, &SearchPanel::stopRequested, controller_, &SearchController::stop);
    connect(controller_, &SearchController::progressChanged, search_, &SearchPanel::setProgress);
    connect(controller_, &SearchController::message, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(controller_, &SearchController::searchFinished, this, [this](const QString& outcome) {
        search_->setRunState(SearchPanel::RunState::Idle);
        statusBar()->showMessage(tr("Search %1").arg(outcome), 10000);
    });
#endif
}

#ifdef NESY_SEARCH_AVAILABLE
void MainWindow::startSearch()
{
    const Project& project = model_->project();
    if (!model_->problems().empty()) {
        QMessageBox::warning(this, tr("Cannot search"),
                             tr("The graph has problems; fix them first:\n%1").arg(qstr(model_->problems().front().toString())));
        return;
    }
    try {
        // Candidates are measured on the target boards, through the board manager, before
        // training (hard threshold). A board that leaves faults its trial and is dropped.
        requireBoards(*boardManager_, project.boards, std::chrono::milliseconds(0)); // the panel shows what is here
        EvaluatorOptions evaluatorOptions;
        if (!project.boards.empty()) // no target board: sizes are estimated from the model alone
            evaluatorOptions.resourceCheck =
                ManagedResourceCheck::hook(std::make_shared<ManagedResourceCheck>(boardManager_, project.boards),
                                           codegen::synthesisBound(project.graph));
        std::shared_ptr<Evaluator> evaluator = makeProjectEvaluator(project, evaluatorOptions);
        SearchOptions options = SearchOptions::fromProject(project);
        if (!file_.empty()) // journalled beside the project, so an interrupted search can be reviewed
            options.journal = journalPathFor(file_);
        startSearchWith(makeProjectProblem(project, std::move(evaluator)), std::move(options));
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot search"), qstr(e.what()));
    }
}

void MainWindow::startSearchWith(SearchProblem problem, SearchOptions options)
{
    follower_->stop(); // the store now shows this search
    trialsJournal_ = options.journal;
    controller_->start(std::move(problem), std::move(options));
    search_->setRunState(SearchPanel::RunState::Running);
    centre_->setCurrentWidget(pareto_);
    findChild<QDockWidget*>(QStringLiteral("trialsDock"))->raise();
}
#endif

void MainWindow::followJournal(const std::filesystem::path& journal)
{
    follower_->follow(journal);
    trialsJournal_ = journal; // its trials are exported by id
    centre_->setCurrentWidget(pareto_);
    findChild<QDockWidget*>(QStringLiteral("trialsDock"))->raise();
}

void MainWindow::loadTrials(const std::filesystem::path& journal)
{
    follower_->stop(); // a loaded journal replaces a followed one
    auto rows = TrialStore::readJournal(journal);
    trials_->clear();
    trials_->append(std::move(rows));
    trialsJournal_ = journal;
    pareto_->plot()->redraw();
}

// ------------------------------------------------------------------------------ the selected trial

void MainWindow::buildTrialActions()
{
    // Clicking a trial (plot or table) shows its settings on the canvas at once, read-only: the
    // overlay lives in the GraphModel; the project changes only through "Apply to project".
    connect(trials_, &TrialStore::selectionChanged, this, [this](std::optional<int> id) {
        const TrialRow* t = id ? trials_->trial(*id) : nullptr;
        if (t && !t->assignment.empty())
            model_->showTrial({t->id, t->assignment});
        else
            model_->showProject();
    });
    connect(model_, &GraphModel::shownTrialChanged, this, [this] {
        const auto& shown = model_->shownTrial();
        centre_->setTabText(centre_->indexOf(graphPage_), shown ? tr("Graph: trial %1").arg(shown->id) : tr("Graph"));
        inspector_->setEnabled(!shown); // the inspector edits the project, not the shown trial
    });
    connect(overlayBar_, &TrialOverlayBar::applied, this, [this](int id, int changed) {
        statusBar()->showMessage(tr("Trial %1 applied to the project: %n parameter(s) changed (Undo reverts it)",
                                    nullptr, changed).arg(id), 8000);
    });

    exportBusy_ = new QProgressBar(this);
    exportBusy_->setRange(0, 0); // busy: the export cannot say how far it is
    exportBusy_->setMaximumWidth(120);
    exportBusy_->hide();
    statusBar()->addPermanentWidget(exportBusy_);
    exportJob_ = new TrialExportJob(this);
    connect(exportJob_, &TrialExportJob::started, this, [this](int trial) {
        exportBusy_->show();
        statusBar()->showMessage(tr("Exporting the C code of trial %1 (retraining its program)...").arg(trial));
    });
    connect(exportJob_, &TrialExportJob::succeeded, this,
            [this](int trial, const QString& folder, int files, bool trained, const QString& warning) {
                exportBusy_->hide();
                statusBar()->showMessage(tr("Exported the C code of trial %1 to %2 (%n file(s)%3)", nullptr, files)
                                             .arg(QString::number(trial), folder, trained ? tr(", trained weights") : tr(", placeholder weights")),
                                         15000);
                updateTrialActions();
                if (warning.isEmpty())
                    return;
                auto* box = new QMessageBox(QMessageBox::Warning, tr("Exported other weights"),
                                            tr("Trial %1 was exported to %2, but:\n%3").arg(QString::number(trial), folder, warning),
                                            QMessageBox::Ok, this);
                box->setObjectName(QStringLiteral("exportWarningBox"));
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
    connect(exportJob_, &TrialExportJob::failed, this, [this](int trial, const QString& message) {
        exportBusy_->hide();
        statusBar()->showMessage(tr("Export of trial %1 failed").arg(trial), 15000);
        auto* box = new QMessageBox(QMessageBox::Critical, tr("Cannot export C code"),
                                    tr("The C code of trial %1 could not be exported:\n%2").arg(QString::number(trial), message),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("exportErrorBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // not exec(): the event loop (and a running search) keeps going
        updateTrialActions();
    });

    exportTrialAction_ = new QAction(tr("Export &C Code..."), this);
    exportTrialAction_->setObjectName(QStringLiteral("exportTrialAction"));
    exportTrialAction_->setStatusTip(tr("Writes the selected trial's program as a C project into a folder."));
    connect(exportTrialAction_, &QAction::triggered, this, &MainWindow::exportSelectedTrialDialog);
    auto* showAction = new QAction(tr("&Show on Canvas"), this);
    connect(showAction, &QAction::triggered, this, [this] {
        if (auto id = trials_->selectedTrial())
            showTrialOnCanvas(*id);
    });
    auto* applyAction = new QAction(tr("&Apply to Project"), this);
    applyAction->setStatusTip(overlayBar_->applyButton()->toolTip());
    connect(applyAction, &QAction::triggered, overlayBar_, &TrialOverlayBar::applyToProject);
    auto* backAction = new QAction(tr("&Back to Project"), this);
    connect(backAction, &QAction::triggered, model_, &GraphModel::showProject);
    auto enableOverlayActions = [this, applyAction, backAction] {
        applyAction->setEnabled(model_->shownTrial().has_value());
        backAction->setEnabled(model_->shownTrial().has_value());
    };
    connect(model_, &GraphModel::shownTrialChanged, this, enableOverlayActions);
    enableOverlayActions();
    QMenu* trialMenu = menuBar()->addMenu(tr("&Trial"));
    for (QAction* a : {showAction, applyAction, backAction})
        trialMenu->addAction(a);
    trialMenu->addSeparator();
    trialMenu->addAction(exportTrialAction_);
    trialsPanel_->addTrialAction(showAction);
    trialsPanel_->addTrialAction(exportTrialAction_);
    connect(trials_, &TrialStore::selectionChanged, this, &MainWindow::updateTrialActions);
    updateTrialActions();
}

void MainWindow::updateTrialActions()
{
    exportTrialAction_->setEnabled(trials_->selectedTrial().has_value() && !exportJob_->running());
}

void MainWindow::showTrialOnCanvas(int trialId)
{
    if (const TrialRow* t = trials_->trial(trialId); t && !t->assignment.empty()) {
        model_->showTrial({t->id, t->assignment});
        centre_->setCurrentWidget(graphPage_);
    }
}

void MainWindow::exportSelectedTrialDialog()
{
    const auto id = trials_->selectedTrial();
    if (!id)
        return;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export the C code of trial %1 into").arg(*id));
    if (!folder.isEmpty())
        exportTrialTo(*id, sstr(folder));
}

void MainWindow::exportTrialTo(int trialId, const std::filesystem::path& folder)
{
    const TrialRow* t = trials_->trial(trialId);
    if (!t || exportJob_->running())
        return;
    codegen::TrialExportOptions options;
    options.outDir = folder;
    options.projectFile = file_;
    Project project = model_->project();
    if (!trialsJournal_.empty() && std::filesystem::exists(trialsJournal_)) {
        options.trialId = std::to_string(trialId); // the journal's record of the trial
        options.journal = trialsJournal_;
    } else {
        // Trials of a search without a journal: the project with the trial's values fixed in.
        project.graph = project.graph.withAssignment(t->assignment);
        options.trialId = "default";
    }
    exportJob_->start(trialId, std::move(project), std::move(options));
    updateTrialActions();
}

void MainWindow::updateTitle()
{
    const QString name = file_.empty() ? tr("Untitled") : qstr(file_.filename().string());
    setWindowTitle(QStringLiteral("%1[*] \u2014 NeSy Workbench").arg(name));
    setWindowModified(!editor_->undoStack().isClean());
}

void MainWindow::updateProjectSummary()
{
    const Project& p = model_->project();
    QStringList boards;
    for (const auto& b : p.boards)
        boards << qstr(b);
    const auto searchable = p.graph.searchableParameters();
    const std::size_t problems = model_->problems().size();
    summary_->setText(
        QStringLiteral("<h3 style='margin:0'>%1</h3><p>%2</p>"
                       "<table cellspacing='0' cellpadding='2'>"
                       "<tr><td><b>%3</b></td><td>%4 blocks, %5 connections</td></tr>"
                       "<tr><td><b>%6</b></td><td>%7 parameters</td></tr>"
                       "<tr><td><b>%8</b></td><td>%9</td></tr>"
                       "<tr><td><b>%10</b></td><td>error %11, flash %12, SRAM %13, latency %14</td></tr>"
                       "<tr><td><b>%15</b></td><td>%16 trials (%17 random), batch %18, seed %19</td></tr>"
                       "<tr><td><b>%20</b></td><td>%21</td></tr></table>")
            .arg(qstr(p.name.empty() ? "Untitled project" : p.name).toHtmlEscaped(),
                 qstr(p.description).toHtmlEscaped(), tr("Graph"), QString::number(p.graph.blocks().size()),
                 QString::number(p.graph.connections().size()), tr("Searched"), QString::number(searchable.size()),
                 tr("Boards"), boards.isEmpty() ? tr("none") : boards.join(QStringLiteral("<br>")), tr("Objective"))
            .arg(p.objective.error)
            .arg(p.objective.flash)
            .arg(p.objective.sram)
            .arg(p.objective.latency)
            .arg(tr("Search"))
            .arg(p.search.trials)
            .arg(p.search.initialRandom)
            .arg(p.search.batch)
            .arg(qulonglong(p.search.seed))
            .arg(tr("Status"),
                 problems == 0 ? tr("<span style='color:#3FA34D'>valid</span>")
                               : tr("<span style='color:#e5533d'>%n problem(s)</span>", nullptr, int(problems))));
}

void MainWindow::openDialog()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                      tr("NeSy projects (*.nesy.json);;All files (*)"));
    if (!file.isEmpty())
        openFile(sstr(file));
}

void MainWindow::openFile(const std::filesystem::path& file)
{
    if (!maybeSave())
        return;
    try {
        loadProjectFile(file);
        rememberRecent(file);
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot open project"), qstr(e.what()));
    }
}

void MainWindow::newFromTemplateDialog()
{
    NewProjectDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        newProject(dialog.chosenProject());
}

void MainWindow::newProject(Project p)
{
    if (!maybeSave())
        return;
    autosave_.discard(file_);
    file_.clear();
    model_->setProject(std::move(p));
    editor_->undoStack().setClean();
    updateTitle();
    view_->fitGraphWhenSized();
    findChild<QDockWidget*>(QStringLiteral("projectDock"))->raise(); // the template's explanation
}

bool MainWindow::maybeSave()
{
    if (editor_->undoStack().isClean())
        return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them first?").arg(file_.empty() ? tr("The project") : qstr(file_.filename().string())),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return save();
    autosave_.discard(file_);
    return true;
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    if (!maybeSave()) {
        e->ignore();
        return;
    }
    autosave_.discard(file_);
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    e->accept();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::rememberRecent(const std::filesystem::path& file)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString path = qstr(std::filesystem::absolute(file).string());
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue(QStringLiteral("recentFiles"), recent.mid(0, 10));
}

void MainWindow::fillRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent)
        recentMenu_->addAction(path, this, [this, path] { openFile(sstr(path)); });
    if (recent.isEmpty())
        recentMenu_->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::autosaveNow()
{
    if (editor_->undoStack().isClean())
        return;
    try {
        autosave_.save(model_->project(), file_);
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(qstr(e.what())), 8000);
    }
}

void MainWindow::offerRecovery()
{
    for (const auto& r : autosave_.pending()) {
        const QString what = r.original.empty() ? tr("an unsaved new project") : qstr(r.original.string());
        const auto answer = QMessageBox::question(
            this, tr("Recover unsaved changes"),
            tr("The workbench closed without saving changes to %1 (autosaved %2). Recover them?")
                .arg(what, QLocale().toString(r.savedAt, QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer == QMessageBox::Yes) {
            try {
                Project p = loadProject(r.copy);
                file_ = r.original;
                model_->setProject(std::move(p));
                editor_->undoStack().resetClean(); // recovered changes are unsaved changes
                updateTitle();
                view_->fitGraphWhenSized();
                autosave_.discardCopy(r);
                return;
            } catch (const std::exception& e) {
                QMessageBox::critical(this, tr("Cannot recover"), qstr(e.what()));
            }
        }
        autosave_.discardCopy(r);
    }
}

bool MainWindow::saveTo(const std::filesystem::path& file)
{
    try {
        Project p = model_->project();
        saveProject(p, file);
        file_ = file;
        editor_->undoStack().setClean();
        autosave_.discard(file);
        rememberRecent(file);
        updateTitle();
        statusBar()->showMessage(tr("Saved %1").arg(qstr(file.string())), 5000);
        return true;
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot save project"), qstr(e.what()));
        return false;
    }
}

bool MainWindow::save() { return file_.empty() ? saveAs() : saveTo(file_); }

bool MainWindow::saveAs()
{
    QString file = QFileDialog::getSaveFileName(this, tr("Save project"), qstr(file_.string()),
                                                tr("NeSy projects (*.nesy.json)"));
    if (file.isEmpty())
        return false;
    if (!file.endsWith(QStringLiteral(".nesy.json")))
        file += QStringLiteral(".nesy.json");
    return saveTo(sstr(file));
}

void MainWindow::copySelection()
{
    const auto ids = scene_->selectedBlockIds();
    if (ids.empty())
        return;
    auto* mime = new QMimeData; // the clipboard takes ownership
    const QByteArray text = QByteArray::fromStdString(editor_->copy(ids));
    mime->setData(kSelectionMime, text);
    mime->setText(QString::fromUtf8(text));
    QApplication::clipboard()->setMimeData(mime);
    pasteCount_ = 0;
}

void MainWindow::paste()
{
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime || !mime->hasFormat(kSelectionMime))
        return;
    ++pasteCount_;
    try {
        const auto ids = editor_->paste(mime->data(kSelectionMime).toStdString(), {30.0 * pasteCount_, 30.0 * pasteCount_});
        scene_->selectBlocks(ids);
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Cannot paste: %1").arg(qstr(e.what())), 8000);
    }
}

void MainWindow::addBlockAtCentre(const QString& type)
{
    const QPointF c = view_->mapToScene(view_->viewport()->rect().center()) - QPointF(BlockItem::kWidth / 2, 40);
    const std::string id = editor_->addBlock(sstr(type), {std::round(c.x() / 10) * 10, std::round(c.y() / 10) * 10});
    scene_->selectBlocks({id});
}

} // namespace nesy::gui
