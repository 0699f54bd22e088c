#include "SearchPanel.h"
#include <QDoubleSpinBox>
#include <algorithm>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace nesy::gui {

namespace {
QDoubleSpinBox* weightSpin(QWidget* parent, double max = 10)
{
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(0, max);
    s->setDecimals(3);
    s->setSingleStep(0.05);
    s->setKeyboardTracking(false);
    return s;
}
QSpinBox* countSpin(QWidget* parent, int lo, int hi)
{
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setKeyboardTracking(false);
    return s;
}
} // namespace

SearchPanel::SearchPanel(GraphEditor& editor, const BoardTableModel& boardModel, QWidget* parent)
    : QWidget(parent), editor_(editor), boardModel_(boardModel), boards_(new QListWidget(this)),
      wError_(weightSpin(this)), wFlash_(weightSpin(this)), wSram_(weightSpin(this)), wLatency_(weightSpin(this)),
      latencyBudget_(weightSpin(this, 100000)), trials_(countSpin(this, 1, 100000)), initialRandom_(countSpin(this, 0, 1000)),
      batch_(countSpin(this, 1, 64)), seed_(countSpin(this, 0, 2147483647)), start_(new QPushButton(tr("Start"), this)),
      pause_(new QPushButton(tr("Pause"), this)), stop_(new QPushButton(tr("Stop"), this)),
      progress_(new QProgressBar(this)), status_(new QLabel(this))
{
    setObjectName(QStringLiteral("searchPanel"));
    connect(&boardModel_, &QAbstractItemModel::modelReset, this, &SearchPanel::rebuildBoardList);
    connect(&boardModel_, &QAbstractItemModel::rowsInserted, this, &SearchPanel::rebuildBoardList);
    connect(&boardModel_, &QAbstractItemModel::rowsRemoved, this, &SearchPanel::rebuildBoardList);
    boards_->setMaximumHeight(130);
    connect(boards_, &QListWidget::itemChanged, this, &SearchPanel::commit);

    auto* objective = new QGroupBox(tr("Objective weights"), this);
    auto* objectiveForm = new QFormLayout(objective);
    objectiveForm->addRow(tr("Error"), wError_);
    objectiveForm->addRow(tr("Flash"), wFlash_);
    objectiveForm->addRow(tr("SRAM"), wSram_);
    objectiveForm->addRow(tr("Latency"), wLatency_);
    objectiveForm->addRow(tr("Latency budget (ms)"), latencyBudget_);
    auto* budget = new QGroupBox(tr("Budget"), this);
    auto* budgetForm = new QFormLayout(budget);
    budgetForm->addRow(tr("Trials"), trials_);
    budgetForm->addRow(tr("Initial random"), initialRandom_);
    budgetForm->addRow(tr("Batch size"), batch_);
    budgetForm->addRow(tr("Seed"), seed_);
    for (QDoubleSpinBox* s : {wError_, wFlash_, wSram_, wLatency_, latencyBudget_})
        connect(s, &QDoubleSpinBox::valueChanged, this, &SearchPanel::commit);
    for (QSpinBox* s : {trials_, initialRandom_, batch_, seed_})
        connect(s, &QSpinBox::valueChanged, this, &SearchPanel::commit);

    start_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    pause_->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    stop_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    connect(start_, &QPushButton::clicked, this, &SearchPanel::startRequested);
    connect(pause_, &QPushButton::clicked, this, [this] {
        if (state_ == RunState::Paused)
            emit resumeRequested();
        else
            emit pauseRequested();
    });
    connect(stop_, &QPushButton::clicked, this, &SearchPanel::stopRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(pause_);
    buttons->addWidget(stop_);
    status_->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<b>Target boards</b>"), this));
    layout->addWidget(boards_);
    layout->addWidget(objective);
    layout->addWidget(budget);
    layout->addLayout(buttons);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addStretch();

    connect(&editor_.model(), &GraphModel::settingsChanged, this, &SearchPanel::refresh);
    connect(&editor_.model(), &GraphModel::projectReset, this, &SearchPanel::refresh);
    rebuildBoardList();
    setRunState(RunState::Idle);
}

void SearchPanel::refresh()
{
    const Project& p = editor_.model().project();
    std::vector<std::unique_ptr<QSignalBlocker>> quiet;
    for (QObject* o : std::initializer_list<QObject*>{boards_, wError_, wFlash_, wSram_, wLatency_, latencyBudget_,
                                                      trials_, initialRandom_, batch_, seed_})
        quiet.push_back(std::make_unique<QSignalBlocker>(o));
    for (int i = 0; i < boards_->count(); ++i) {
        QListWidgetItem* item = boards_->item(i);
        const std::string id = sstr(item->data(Qt::UserRole).toString());
        item->setCheckState(std::ranges::find(p.boards, id) != p.boards.end() ? Qt::Checked : Qt::Unchecked);
    }
    wError_->setValue(p.objective.error);
    wFlash_->setValue(p.objective.flash);
    wSram_->setValue(p.objective.sram);
    wLatency_->setValue(p.objective.latency);
    latencyBudget_->setValue(p.objective.latencyBudgetMs);
    trials_->setValue(p.search.trials);
    initialRandom_->setValue(p.search.initialRandom);
    batch_->setValue(p.search.batch);
    seed_->setValue(int(p.search.seed));
}

void SearchPanel::commit()
{
    const Project& p = editor_.model().project();
    ObjectiveWeights objective = p.objective;
    objective.error = wError_->value();
    objective.flash = wFlash_->value();
    objective.sram = wSram_->value();
    objective.latency = wLatency_->value();
    objective.latencyBudgetMs = latencyBudget_->value();
    SearchSettings search = p.search;
    search.trials = trials_->value();
    search.initialRandom = initialRandom_->value();
    search.batch = batch_->value();
    search.seed = std::uint64_t(seed_->value());
    // The project's order is kept (its first board normalises the objective); a chosen board the
    // panel does not list (not attached now) stays chosen; newly checked boards are appended.
    std::vector<std::string> listed, checked;
    for (int i = 0; i < boards_->count(); ++i) {
        listed.push_back(sstr(boards_->item(i)->data(Qt::UserRole).toString()));
        if (boards_->item(i)->checkState() == Qt::Checked)
            checked.push_back(listed.back());
    }
    auto contains = [](const std::vector<std::string>& v, const std::string& id) { return std::ranges::find(v, id) != v.end(); };
    std::vector<std::string> boards;
    for (const auto& id : p.boards)
        if (!contains(listed, id) || contains(checked, id))
            boards.push_back(id);
    for (const auto& id : checked)
        if (!contains(boards, id))
            boards.push_back(id);
    if (objective == p.objective && search == p.search && boards == p.boards)
        return;
    editor_.setSettings(objective, search, boards);
}

void SearchPanel::rebuildBoardList()
{
    {
        const QSignalBlocker quiet(boards_);
        boards_->clear();
        for (const BoardRow& b : boardModel_.boards()) {
            auto* item = new QListWidgetItem(QStringLiteral("%1  (%2, %3 KB flash, %4 KB SRAM)")
                                                 .arg(qstr(b.id), qstr(b.name))
                                                 .arg(b.flashCapacity / 1024)
                                                 .arg(b.sramCapacity / 1024),
                                             boards_);
            item->setData(Qt::UserRole, qstr(b.id));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            if (b.state == BoardState::Unavailable) {
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
                item->setToolTip(tr("Unavailable: %1").arg(qstr(b.detail)));
            }
        }
    }
    refresh();
}

void SearchPanel::setRunState(RunState s, const QString& why)
{
    state_ = s;
    start_->setEnabled(s == RunState::Idle);
    pause_->setEnabled(s == RunState::Running || s == RunState::Paused);
    pause_->setText(s == RunState::Paused ? tr("Resume") : tr("Pause"));
    pause_->setIcon(style()->standardIcon(s == RunState::Paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    stop_->setEnabled(s == RunState::Running || s == RunState::Paused);
    start_->setToolTip(s == RunState::Unavailable ? why : QString());
    if (!why.isEmpty())
        status_->setText(why);
}

void SearchPanel::setProgress(int finished, int total, int running, double secondsLeft)
{
    progress_->setRange(0, std::max(1, total));
    progress_->setValue(finished);
    QString text = tr("%1 of %2 trials, %3 running").arg(finished).arg(total).arg(running);
    if (secondsLeft >= 0)
        text += tr(", about %1 left").arg(secondsLeft < 90 ? tr("%1 s").arg(int(secondsLeft))
                                                           : tr("%1 min").arg(int(secondsLeft / 60 + 0.5)));
    status_->setText(text);
}

} // namespace nesy::gui
