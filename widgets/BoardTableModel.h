#pragma once
// One row per board (USB, emulated, simulated) with its live resource use, fed by the board
// manager's events and telemetry (BoardManagerBridge); the measurements of one trial on each of its
// target boards; ResourceBarDelegate draws the flash and SRAM columns of both as bars.
#include "boards/Board.h"
#include <QAbstractTableModel>
#include <QStyledItemDelegate>
#include <set>

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
    bool target = false;   // one of the project's target boards
    bool measured = false; // telemetry has given its use (until then the bars stay empty)
};

// The row of a live board: its profile's usable capacities, its kind and state.
BoardRow boardRowFor(const Board& board);

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
    void upsertBoard(const BoardRow& row); // a board appeared (or changed); rows stay in order
    void removeBoard(const std::string& id); // unplugged
    void applyTelemetry(const TelemetrySample& s); // unknown boards are ignored
    void setTargets(const std::vector<std::string>& ids); // shown in bold
    const BoardRow* board(const std::string& id) const;  // null when unknown

private:
    int rowOf(const std::string& id) const;
    // Targets first, then attached, simulated, emulated boards, each by id.
    static bool before(const BoardRow& a, const BoardRow& b);
    std::vector<BoardRow> rows_;
    std::set<std::string> targets_;
};

// One trial's measurement on each of its target boards (TrialRow::details["resources"]); the bars
// are against the capacities the live board model knows (plain text for a board that has left).
class MeasurementTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Board, Result, Flash, Sram, Latency, ColumnCount };

    explicit MeasurementTableModel(const BoardTableModel& boards, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // `resources`: the array of Measurement JSON a trial's details hold (anything else: no rows).
    void setMeasurements(const Json& resources);
    const std::vector<Measurement>& measurements() const { return rows_; }

private:
    const BoardTableModel& boards_;
    std::vector<Measurement> rows_;
};

class ResourceBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace nesy::gui
