#pragma once
// One row per board (USB, emulated, simulated) with its live resource use, fed by the board
// manager's telemetry stream; ResourceBarDelegate draws the flash and SRAM columns as bars.
#include "boards/Board.h"
#include <QAbstractTableModel>
#include <QStyledItemDelegate>

namespace nesy::gui {

struct BoardRow {
    std::string id; // "sim:nucleo-f446re"
    std::string name;
    BoardKind kind = BoardKind::Simulated;
    BoardState state = BoardState::Ready;
    std::string detail;
    std::int64_t flashCapacity = 0;
    std::int64_t sramCapacity = 0;
    std::int64_t flashUsed = 0;
    std::int64_t sramUsed = 0;
    double lastLatencyMs = -1;
};

// A row for a board id such as "sim:nucleo-f446re", with capacities from the matching profile
// (nullopt when no profile matches).
std::optional<BoardRow> boardRowFor(const std::string& boardId, const std::vector<BoardProfile>& profiles);

class BoardTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Board, Kind, State, Flash, Sram, Latency, ColumnCount };
    static constexpr int FractionRole = Qt::UserRole + 1; // used / capacity, for the bar columns

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    const std::vector<BoardRow>& boards() const { return rows_; }
    void setBoards(std::vector<BoardRow> rows);
    void upsertBoard(const BoardRow& row); // a board appeared (or changed)
    void removeBoard(const std::string& id); // unplugged
    void applyTelemetry(const TelemetrySample& s); // unknown boards are ignored

private:
    int rowOf(const std::string& id) const;
    std::vector<BoardRow> rows_;
};

class ResourceBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace nesy::gui
