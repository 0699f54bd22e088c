#include "BoardPanel.h"
#include "GraphModel.h"
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace nesy::gui {

namespace {

QTableView* barTable(QAbstractItemModel* model, int flashColumn, int sramColumn, int rowHeight, QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setModel(model);
    auto* bars = new ResourceBarDelegate(table);
    table->setItemDelegateForColumn(flashColumn, bars);
    table->setItemDelegateForColumn(sramColumn, bars);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(rowHeight);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setShowGrid(false);
    table->setWordWrap(true);
    QHeaderView* h = table->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setSectionResizeMode(flashColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(sramColumn, QHeaderView::Stretch);
    return table;
}

} // namespace

BoardPanel::BoardPanel(BoardTableModel& model, QWidget* parent)
    : QWidget(parent), measurements_(new MeasurementTableModel(model, this)), trialTitle_(new QLabel(this))
{
    setObjectName(QStringLiteral("boardPanel"));
    table_ = barTable(&model, BoardTableModel::Flash, BoardTableModel::Sram, 36, this);
    table_->setObjectName(QStringLiteral("liveBoards"));
    trialTable_ = barTable(measurements_, MeasurementTableModel::Flash, MeasurementTableModel::Sram, 36, this);
    trialTable_->setObjectName(QStringLiteral("trialMeasurements"));
    // Capacities come from the live rows: a board that arrives or leaves changes the bars.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(&model, signal, this, [this] { showFromStore(); });
    connect(&model, &QAbstractItemModel::modelReset, this, [this] { showFromStore(); });

    // Side by side: the dock is wide and short, and both tables want their rows visible.
    auto titled = [this](QLabel* title, QTableView* table) {
        auto* part = new QWidget(this);
        auto* layout = new QVBoxLayout(part);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(2);
        layout->addWidget(title);
        layout->addWidget(table);
        return part;
    };
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(titled(new QLabel(tr("Boards, live (\u2605 the project's targets)"), this), table_));
    split->addWidget(titled(trialTitle_, trialTable_));
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);
    showTrial(nullptr);
}

void BoardPanel::followTrials(TrialStore& store)
{
    store_ = &store;
    connect(&store, &TrialStore::selectionChanged, this, [this] { showFromStore(); });
    connect(&store, &TrialStore::appended, this, [this] { showFromStore(); });
    connect(&store, &TrialStore::cleared, this, [this] { showFromStore(); });
    showFromStore();
}

void BoardPanel::showFromStore()
{
    if (!store_)
        return;
    if (auto id = store_->selectedTrial())
        return showTrial(store_->trial(*id));
    const auto& trials = store_->trials();
    for (auto it = trials.rbegin(); it != trials.rend(); ++it)
        if (it->details.contains("resources"))
            return showTrial(&*it);
    showTrial(nullptr);
}

void BoardPanel::showTrial(const TrialRow* trial)
{
    if (!trial || !trial->details.contains("resources")) {
        measurements_->setMeasurements(Json());
        trialTitle_->setText(trial ? tr("Trial %1 was not measured on boards.").arg(trial->id)
                                   : tr("No trial measured on boards yet."));
        return;
    }
    measurements_->setMeasurements(trial->details["resources"]);
    const bool selected = store_ && store_->selectedTrial() == trial->id;
    trialTitle_->setText((selected ? tr("Selected trial %1 on its target boards") : tr("Latest trial %1 on its target boards"))
                             .arg(trial->id) +
                         (trial->fault.empty() ? QString() : QStringLiteral(" \u2014 %1").arg(qstr(trial->fault))));
}

} // namespace nesy::gui
