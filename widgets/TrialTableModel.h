#pragma once
// The trial table: one row per trial in a TrialStore, sortable by every column (numeric sort
// through SortRole) and filterable by status and text (TrialFilterModel).
#include "TrialStore.h"
#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace nesy::gui {

class TrialTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Status, Error, Flash, Sram, Latency, Objective, ProposedBy, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int TrialIdRole = Qt::UserRole + 2;

    explicit TrialTableModel(const TrialStore& store, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    const TrialStore& store_;
    std::optional<int> boldTrial_; // the best trial as last shown
};

class TrialFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class StatusFilter { All, Feasible, NotFeasible };
    explicit TrialFilterModel(QObject* parent = nullptr);
    void setStatusFilter(StatusFilter f);
    void setText(const QString& text); // matches id, status, fault and chosen values

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    StatusFilter status_ = StatusFilter::All;
    QString text_;
};

} // namespace nesy::gui
