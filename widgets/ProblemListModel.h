#pragma once
// The graph's validation problems as a list model (one row per problem), for the problems panel.
#include "GraphModel.h"
#include <QAbstractListModel>

namespace nesy::gui {

class ProblemListModel : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int BlockIdRole = Qt::UserRole + 1;

    explicit ProblemListModel(const GraphModel& model, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    const GraphModel& model_;
};

} // namespace nesy::gui
