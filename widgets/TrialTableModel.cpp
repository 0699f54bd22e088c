#include "TrialTableModel.h"
#include "GraphModel.h"
#include <QColor>
#include <QFont>

namespace nesy::gui {

TrialTableModel::TrialTableModel(const TrialStore& store, QObject* parent) : QAbstractTableModel(parent), store_(store)
{
    connect(&store_, &TrialStore::appended, this, [this](int first, int count) {
        beginInsertRows({}, first, first + count - 1);
        endInsertRows();
        // The best trial's row is drawn bold: only the row that lost it changes (the new rows are new).
        // Announcing just that row keeps a batch O(batch), not O(all rows) through the sort proxy.
        const auto previous = std::exchange(boldTrial_, store_.bestTrial());
        if (previous != boldTrial_ && previous)
            if (auto row = store_.rowOf(*previous); row && *row < first)
                emit dataChanged(index(*row, 0), index(*row, ColumnCount - 1), {Qt::FontRole});
    });
    connect(&store_, &TrialStore::cleared, this, [this] {
        beginResetModel();
        boldTrial_.reset();
        endResetModel();
    });
}

int TrialTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(store_.trials().size());
}

int TrialTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TrialTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id: return tr("#");
    case Status: return tr("Status");
    case Error: return tr("Error");
    case Flash: return tr("Flash KB");
    case Sram: return tr("SRAM KB");
    case Latency: return tr("Latency ms");
    case Objective: return tr("Objective");
    case ProposedBy: return tr("Proposed by");
    }
    return {};
}

QVariant TrialTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const TrialRow& t = store_.trials()[std::size_t(index.row())];
    if (role == TrialIdRole)
        return t.id;
    auto number = [&](std::optional<double> v, double scale, int decimals) -> QVariant {
        if (role == SortRole)
            return v ? *v * scale : std::numeric_limits<double>::infinity(); // missing values sort last
        if (role == Qt::DisplayRole)
            return v ? QString::number(*v * scale, 'f', decimals) : QStringLiteral("\u2013");
        return {};
    };
    switch (role) {
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case Id: return t.id;
        case Status:
            return t.fault.empty() ? qstr(trialStatusName(t.status))
                                   : QStringLiteral("%1 (%2)").arg(qstr(trialStatusName(t.status)), qstr(t.fault));
        case Error: return number(t.term("error"), 1, 4);
        case Flash: return number(t.term("flash_bytes"), 1.0 / 1024, 1);
        case Sram: return number(t.term("sram_bytes"), 1.0 / 1024, 1);
        case Latency: return number(t.term("latency_ms"), 1, 2);
        case Objective: return number(t.hasObjective() ? std::optional<double>(t.objective) : std::nullopt, 1, 4);
        case ProposedBy: return qstr(t.proposedBy);
        }
        return {};
    case Qt::ForegroundRole:
        if (!t.feasible())
            return QColor(t.status == TrialStatus::Infeasible ? QColor(0xD3, 0x6A, 0x1E) : QColor(0xD7, 0x3A, 0x2F));
        return {};
    case Qt::FontRole:
        if (store_.bestTrial() == t.id) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ToolTipRole: return t.detail.empty() ? QVariant() : QVariant(qstr(t.detail));
    case Qt::TextAlignmentRole:
        return index.column() == Status || index.column() == ProposedBy ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                         : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

TrialFilterModel::TrialFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(TrialTableModel::SortRole);
    setDynamicSortFilter(true);
}

void TrialFilterModel::setStatusFilter(StatusFilter f)
{
    status_ = f;
    invalidateRowsFilter();
}

void TrialFilterModel::setText(const QString& text)
{
    text_ = text.trimmed();
    invalidateRowsFilter();
}

bool TrialFilterModel::filterAcceptsRow(int row, const QModelIndex& parent) const
{
    const QModelIndex statusIndex = sourceModel()->index(row, TrialTableModel::Status, parent);
    const QString status = statusIndex.data().toString();
    const bool feasible = status.startsWith(QStringLiteral("ok"));
    if (status_ == StatusFilter::Feasible && !feasible)
        return false;
    if (status_ == StatusFilter::NotFeasible && feasible)
        return false;
    if (text_.isEmpty())
        return true;
    for (int c = 0; c < TrialTableModel::ColumnCount; ++c)
        if (sourceModel()->index(row, c, parent).data().toString().contains(text_, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace nesy::gui
