#include "BoardTableModel.h"
#include "GraphModel.h"
#include <QApplication>
#include <QColor>
#include <QFont>
#include <QPainter>
#include <algorithm>
#include <tuple>

namespace nesy::gui {

std::optional<BoardRow> boardRowFor(const std::string& boardId, const std::vector<BoardProfile>& profiles)
{
    const auto colon = boardId.find(':');
    const std::string prefix = colon == std::string::npos ? "sim" : boardId.substr(0, colon);
    const std::string profileId = colon == std::string::npos ? boardId : boardId.substr(colon + 1);
    for (const auto& p : profiles)
        if (p.id == profileId) {
            BoardRow row;
            row.id = boardId;
            row.name = p.name;
            row.kind = prefix == "emu" ? BoardKind::Emulated : prefix == "usb" ? BoardKind::Usb : BoardKind::Simulated;
            row.flashCapacity = p.usableFlashBytes();
            row.sramCapacity = p.usableSramBytes();
            return row;
        }
    return std::nullopt;
}

BoardRow boardRowFor(const Board& board)
{
    BoardRow row;
    row.id = board.id();
    row.name = board.profile().name.empty() ? board.profile().id : board.profile().name;
    row.kind = board.kind();
    row.state = board.state();
    row.detail = board.stateDetail();
    row.flashCapacity = board.profile().usableFlashBytes();
    row.sramCapacity = board.profile().usableSramBytes();
    return row;
}

namespace {

QString usage(std::int64_t used, std::int64_t capacity)
{
    if (capacity <= 0)
        return QStringLiteral("%1 KB").arg(double(used) / 1024, 0, 'f', 1);
    return QStringLiteral("%1 / %2 KB").arg(double(used) / 1024, 0, 'f', 1).arg(double(capacity) / 1024, 0, 'f', 0);
}

double fraction(std::int64_t used, std::int64_t capacity) { return capacity > 0 ? double(used) / double(capacity) : 0.0; }

QString latencyText(double ms) { return ms < 0 ? QStringLiteral("\u2013") : QStringLiteral("%1 ms").arg(ms, 0, 'f', 2); }

} // namespace

int BoardTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int BoardTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BoardTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Board: return tr("Board");
    case Kind: return tr("Kind");
    case State: return tr("State");
    case Flash: return tr("Flash");
    case Sram: return tr("SRAM");
    case Latency: return tr("Last latency");
    }
    return {};
}

QVariant BoardTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const BoardRow& b = rows_[std::size_t(index.row())];
    if (role == Qt::FontRole && b.target && index.column() == Board) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == FractionRole) {
        if (b.measured && index.column() == Flash)
            return fraction(b.flashUsed, b.flashCapacity);
        if (b.measured && index.column() == Sram)
            return fraction(b.sramUsed, b.sramCapacity);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        QString tip = b.target ? tr("A target board of the project") : QString();
        if (!b.detail.empty())
            tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + qstr(b.detail);
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Board: return QStringLiteral("%1%2\n%3").arg(b.target ? QStringLiteral("\u2605 ") : QString(), qstr(b.name), qstr(b.id));
    case Kind: return qstr(boardKindName(b.kind));
    case State: return qstr(boardStateName(b.state));
    case Flash: return b.measured ? usage(b.flashUsed, b.flashCapacity) : tr("\u2013 / %1 KB").arg(b.flashCapacity / 1024);
    case Sram: return b.measured ? usage(b.sramUsed, b.sramCapacity) : tr("\u2013 / %1 KB").arg(b.sramCapacity / 1024);
    case Latency: return latencyText(b.lastLatencyMs);
    }
    return {};
}

const BoardRow* BoardTableModel::board(const std::string& id) const
{
    const int r = rowOf(id);
    return r < 0 ? nullptr : &rows_[std::size_t(r)];
}

bool BoardTableModel::before(const BoardRow& a, const BoardRow& b)
{
    auto kindRank = [](BoardKind k) { return k == BoardKind::Usb ? 0 : k == BoardKind::Simulated ? 1 : 2; };
    const bool aTarget = !a.target, bTarget = !b.target; // false sorts first
    const int aKind = kindRank(a.kind), bKind = kindRank(b.kind);
    return std::tie(aTarget, aKind, a.id) < std::tie(bTarget, bKind, b.id);
}

void BoardTableModel::setTargets(const std::vector<std::string>& ids)
{
    targets_ = std::set<std::string>(ids.begin(), ids.end());
    setBoards(std::move(rows_)); // re-flags and re-orders
}

int BoardTableModel::rowOf(const std::string& id) const
{
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == id)
            return int(i);
    return -1;
}

void BoardTableModel::setBoards(std::vector<BoardRow> rows)
{
    beginResetModel();
    rows_ = std::move(rows);
    for (auto& row : rows_)
        row.target = targets_.count(row.id) > 0;
    std::stable_sort(rows_.begin(), rows_.end(), before);
    endResetModel();
}

void BoardTableModel::upsertBoard(const BoardRow& added)
{
    BoardRow row = added;
    row.target = targets_.count(row.id) > 0;
    if (int r = rowOf(row.id); r >= 0) {
        // Same id: same kind and target, so the same place; the live figures stay.
        const BoardRow& old = rows_[std::size_t(r)];
        row.flashUsed = old.flashUsed;
        row.sramUsed = old.sramUsed;
        row.lastLatencyMs = old.lastLatencyMs;
        row.measured = old.measured;
        rows_[std::size_t(r)] = row;
        emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
        return;
    }
    const int at = int(std::upper_bound(rows_.begin(), rows_.end(), row, before) - rows_.begin());
    beginInsertRows({}, at, at);
    rows_.insert(rows_.begin() + at, row);
    endInsertRows();
}

void BoardTableModel::removeBoard(const std::string& id)
{
    const int r = rowOf(id);
    if (r < 0)
        return;
    beginRemoveRows({}, r, r);
    rows_.erase(rows_.begin() + r);
    endRemoveRows();
}

void BoardTableModel::applyTelemetry(const TelemetrySample& s)
{
    const int r = rowOf(s.boardId);
    if (r < 0)
        return;
    BoardRow& b = rows_[std::size_t(r)];
    b.flashUsed = std::max<std::int64_t>(0, s.flashUsedBytes);
    b.sramUsed = std::max<std::int64_t>(0, s.sramUsedBytes);
    b.lastLatencyMs = s.lastLatencyMs;
    b.state = s.state;
    b.measured = true;
    emit dataChanged(index(r, State), index(r, Latency));
}

MeasurementTableModel::MeasurementTableModel(const BoardTableModel& boards, QObject* parent)
    : QAbstractTableModel(parent), boards_(boards)
{
}

int MeasurementTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int MeasurementTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant MeasurementTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Board: return tr("Board");
    case Result: return tr("Result");
    case Flash: return tr("Flash");
    case Sram: return tr("SRAM");
    case Latency: return tr("Latency");
    }
    return {};
}

QVariant MeasurementTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Measurement& m = rows_[std::size_t(index.row())];
    const BoardRow* board = boards_.board(m.boardId);
    const std::int64_t flashCapacity = board ? board->flashCapacity : 0;
    const std::int64_t sramCapacity = board ? board->sramCapacity : 0;
    if (role == BoardTableModel::FractionRole) {
        // Bars only where there is a figure and a capacity to hold it against.
        if (index.column() == Flash && m.flashBytes >= 0 && flashCapacity > 0)
            return fraction(m.flashBytes, flashCapacity);
        if (index.column() == Sram && m.sramBytes() >= 0 && sramCapacity > 0)
            return fraction(m.sramBytes(), sramCapacity);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Result && !m.detail.empty())
        return qstr(m.detail);
    if (role == Qt::ForegroundRole && index.column() == Result && !m.ok())
        return QColor(0xD7, 0x3A, 0x2F);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Board: return qstr(m.boardId);
    case Result: return m.ok() ? tr("ok") : qstr(faultKindName(m.fault));
    case Flash: return m.flashBytes < 0 ? QStringLiteral("\u2013") : usage(m.flashBytes, flashCapacity);
    case Sram: return m.sramBytes() < 0 ? QStringLiteral("\u2013") : usage(m.sramBytes(), sramCapacity);
    case Latency: return latencyText(m.latencyMs);
    }
    return {};
}

void MeasurementTableModel::setMeasurements(const Json& resources)
{
    std::vector<Measurement> rows;
    if (resources.is_array())
        for (const Json& j : resources) {
            try {
                rows.push_back(Measurement::fromJson(j));
            } catch (const std::exception&) {
                // A journal from another version: show the boards that can be read.
            }
        }
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

void ResourceBarDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QVariant fraction = index.data(BoardTableModel::FractionRole);
    if (!fraction.isValid()) {
        QStyledItemDelegate::paint(p, option, index);
        return;
    }
    const double f = std::clamp(fraction.toDouble(), 0.0, 1.0);
    const QRectF bar = QRectF(option.rect).adjusted(6, 7, -6, -7);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(Qt::NoPen);
    p->setBrush(option.palette.color(QPalette::AlternateBase).darker(115));
    p->drawRoundedRect(bar, 4, 4);
    // Green while there is room, orange when tight, red when (nearly) full.
    const QColor fill = f < 0.75 ? QColor(0x3F, 0xA3, 0x4D) : f < 0.95 ? QColor(0xE6, 0x7E, 0x22) : QColor(0xD7, 0x3A, 0x2F);
    if (f > 0) {
        p->setBrush(fill);
        p->drawRoundedRect(QRectF(bar.left(), bar.top(), std::max(8.0, bar.width() * f), bar.height()), 4, 4);
    }
    p->setPen(option.palette.color(QPalette::Text));
    p->drawText(bar, Qt::AlignCenter,
                QStringLiteral("%1  (%2%)").arg(index.data().toString()).arg(int(std::round(f * 100))));
    p->restore();
}

QSize ResourceBarDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    return {std::max(s.width(), 200), std::max(s.height(), 34)};
}

} // namespace nesy::gui
