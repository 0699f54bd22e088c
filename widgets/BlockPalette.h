#pragma once
// The block palette: every registered block type, by category, with its icon and explanation.
// Entries drag onto the canvas (mime type kBlockTypeMime) or are added with a double click.
#include "graph/BlockRegistry.h"
#include <QStandardItemModel>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace nesy::gui {

class BlockPaletteModel : public QStandardItemModel {
    Q_OBJECT
public:
    static constexpr int TypeIdRole = Qt::UserRole + 1;
    static constexpr int ExplanationRole = Qt::UserRole + 2;

    explicit BlockPaletteModel(const BlockRegistry& registry, QObject* parent = nullptr);
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
};

class BlockPalette : public QWidget {
    Q_OBJECT
public:
    explicit BlockPalette(const BlockRegistry& registry, QWidget* parent = nullptr);
    QTreeView* view() const { return view_; }
    BlockPaletteModel* model() const { return model_; }

signals:
    void blockActivated(const QString& typeId); // double click or Enter: add at the canvas centre

private:
    void showExplanation(const QModelIndex& index);

    BlockPaletteModel* model_;
    QSortFilterProxyModel* filter_;
    QLineEdit* search_;
    QTreeView* view_;
    QLabel* explanation_;
};

} // namespace nesy::gui
