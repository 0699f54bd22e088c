#include "ProblemListModel.h"
#include <QApplication>
#include <QStyle>

namespace nesy::gui {

ProblemListModel::ProblemListModel(const GraphModel& model, QObject* parent) : QAbstractListModel(parent), model_(model)
{
    auto resetAll = [this] {
        beginResetModel();
        endResetModel();
    };
    connect(&model_, &GraphModel::problemsChanged, this, resetAll);
    connect(&model_, &GraphModel::projectReset, this, resetAll);
}

int ProblemListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(model_.problems().size());
}

QVariant ProblemListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Problem& p = model_.problems()[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return qstr(p.message);
    case Qt::ToolTipRole: return qstr(p.toString());
    case Qt::DecorationRole: return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    case BlockIdRole: return qstr(p.block);
    default: return {};
    }
}

} // namespace nesy::gui
