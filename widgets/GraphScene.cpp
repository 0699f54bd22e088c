#include "GraphScene.h"
#include "Theme.h"
#include <QApplication>
#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneMouseEvent>
#include <QMimeData>
#include <QPainter>
#include <cmath>

namespace nesy::gui {

namespace {
constexpr qreal kGrid = 20;
constexpr qreal kSceneMargin = 2000; // room to drag blocks beyond the current graph
} // namespace

GraphScene::GraphScene(GraphEditor& editor, QObject* parent) : QGraphicsScene(parent), editor_(editor)
{
    GraphModel& m = editor_.model();
    connect(&m, &GraphModel::projectReset, this, &GraphScene::rebuild);
    connect(&m, &GraphModel::blockAdded, this, &GraphScene::addBlockItem);
    connect(&m, &GraphModel::blockRemoved, this, &GraphScene::removeBlockItem);
    connect(&m, &GraphModel::connectionAdded, this, &GraphScene::addConnectionItem);
    connect(&m, &GraphModel::connectionRemoved, this, &GraphScene::removeConnectionItem);
    connect(&m, &GraphModel::problemsChanged, this, &GraphScene::refreshProblems);
    connect(&m, &GraphModel::blockMoved, this, [this](const QString& id) {
        if (BlockItem* item = blockItem(sstr(id)))
            item->syncPosition();
    });
    connect(&m, &GraphModel::blockChanged, this, [this](const QString& id) {
        if (BlockItem* item = blockItem(sstr(id)))
            item->refresh();
    });
    connect(&m, &GraphModel::shownTrialChanged, this, [this] {
        for (const auto& [id, item] : blocks_)
            item->refresh();
    });
    connect(this, &QGraphicsScene::selectionChanged, this, [this] {
        QStringList ids;
        for (const auto& id : selectedBlockIds())
            ids << qstr(id);
        emit blockSelectionChanged(ids);
    });
    rebuild();
}

GraphScene::~GraphScene()
{
    // Removing the items changes the selection; the model may already be gone, so say nothing.
    blockSignals(true);
    clear();
}

BlockItem* GraphScene::blockItem(const std::string& id) const
{
    auto it = blocks_.find(id);
    return it == blocks_.end() ? nullptr : it->second;
}

ConnectionItem* GraphScene::connectionItem(const Connection& c) const
{
    for (ConnectionItem* item : connections_)
        if (item->connection() == c)
            return item;
    return nullptr;
}

QRectF GraphScene::graphBounds() const
{
    QRectF r;
    for (const auto& [id, item] : blocks_)
        r = r.united(item->sceneBoundingRect());
    return r;
}

void GraphScene::rebuild()
{
    dragFrom_ = nullptr;
    dragLine_ = nullptr;
    dragHint_ = nullptr;
    clear();
    blocks_.clear();
    connections_.clear();
    for (const auto& b : editor_.model().graph().blocks())
        addBlockItem(qstr(b.id));
    for (const auto& c : editor_.model().graph().connections())
        addConnectionItem(c);
    setSceneRect(graphBounds().adjusted(-kSceneMargin, -kSceneMargin, kSceneMargin, kSceneMargin));
}

void GraphScene::addBlockItem(const QString& qid)
{
    const std::string id = sstr(qid);
    auto* item = new BlockItem(editor_.model(), id);
    addItem(item);
    blocks_[id] = item;
    connect(item, &BlockItem::geometryChanged, this, [this, id] { updateConnectionsOf(id); });
    // Let the scene grow with the graph so the view can always scroll to every block.
    setSceneRect(sceneRect().united(item->sceneBoundingRect().adjusted(-kSceneMargin, -kSceneMargin, kSceneMargin,
                                                                       kSceneMargin)));
}

void GraphScene::removeBlockItem(const QString& qid)
{
    auto it = blocks_.find(sstr(qid));
    if (it == blocks_.end())
        return;
    if (dragFrom_ && dragFrom_->parentItem() == it->second)
        dragFrom_ = nullptr;
    delete it->second; // removes it from the scene
    blocks_.erase(it);
}

void GraphScene::addConnectionItem(const Connection& c)
{
    BlockItem* from = blockItem(c.from.block);
    BlockItem* to = blockItem(c.to.block);
    PortItem* out = from ? from->port(c.from.port, true) : nullptr;
    PortItem* in = to ? to->port(c.to.port, false) : nullptr;
    if (!out || !in)
        return; // a connection to an unknown port: validation reports it on the block
    auto* item = new ConnectionItem(c, out, in);
    addItem(item);
    connections_.push_back(item);
}

void GraphScene::removeConnectionItem(const Connection& c)
{
    auto it = std::ranges::find_if(connections_, [&](ConnectionItem* item) { return item->connection() == c; });
    if (it == connections_.end())
        return;
    delete *it;
    connections_.erase(it);
}

void GraphScene::refreshProblems()
{
    for (const auto& [id, item] : blocks_)
        item->refresh();
}

void GraphScene::updateConnectionsOf(const std::string& blockId)
{
    for (ConnectionItem* item : connections_)
        if (item->connection().from.block == blockId || item->connection().to.block == blockId)
            item->updatePath();
}

std::vector<std::string> GraphScene::selectedBlockIds() const
{
    std::vector<std::string> ids;
    for (const auto& b : editor_.model().graph().blocks()) // graph order: stable for copy and tests
        if (BlockItem* item = blockItem(b.id); item && item->isSelected())
            ids.push_back(b.id);
    return ids;
}

std::vector<Connection> GraphScene::selectedConnections() const
{
    std::vector<Connection> out;
    for (ConnectionItem* item : connections_)
        if (item->isSelected())
            out.push_back(item->connection());
    return out;
}

void GraphScene::selectBlocks(const std::vector<std::string>& ids)
{
    clearSelection();
    for (const auto& id : ids)
        if (BlockItem* item = blockItem(id))
            item->setSelected(true);
}

void GraphScene::deleteSelection()
{
    if (!refusedWhileTrialShown())
        editor_.remove(selectedBlockIds(), selectedConnections());
}

bool GraphScene::refusedWhileTrialShown()
{
    const auto& trial = editor_.model().shownTrial();
    if (!trial)
        return false;
    emit refused(tr("The canvas shows trial %1 (read-only): apply it to the project or go back to the project to edit.")
                     .arg(trial->id));
    return true;
}

// --------------------------------------------------------------------------------------- mouse gestures

PortItem* GraphScene::portAt(QPointF scenePos) const
{
    for (QGraphicsItem* item : items(QRectF(scenePos - QPointF(7, 7), QSizeF(14, 14))))
        if (item->type() == PortItem::Type)
            return static_cast<PortItem*>(item);
    return nullptr;
}

std::optional<Connection> GraphScene::pendingConnectionTo(const PortItem* target) const
{
    if (!dragFrom_ || !target || target->isOutput() == dragFrom_->isOutput())
        return std::nullopt;
    const PortItem* out = dragFrom_->isOutput() ? dragFrom_ : target;
    const PortItem* in = dragFrom_->isOutput() ? target : dragFrom_;
    return Connection{{out->blockId(), out->portName()}, {in->blockId(), in->portName()}};
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* e)
{
    if (e->button() == Qt::LeftButton) {
        if (PortItem* port = portAt(e->scenePos()); port && !refusedWhileTrialShown()) {
            dragFrom_ = port;
            dragLine_ = addPath(ConnectionItem::curve(port->anchor(), e->scenePos()),
                                QPen(portTypeColor(port->portType()), 2.4, Qt::DashLine, Qt::RoundCap));
            dragLine_->setZValue(10);
            dragHint_ = addSimpleText(QString());
            dragHint_->setZValue(11);
            e->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(e);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* e)
{
    if (!dragFrom_) {
        QGraphicsScene::mouseMoveEvent(e);
        return;
    }
    const QPointF a = dragFrom_->anchor();
    const QPointF b = e->scenePos();
    dragLine_->setPath(dragFrom_->isOutput() ? ConnectionItem::curve(a, b) : ConnectionItem::curve(b, a));
    // Say why before the user lets go: the hint next to the cursor names the refusal.
    QString hint;
    QColor color = portTypeColor(dragFrom_->portType());
    const PortItem* target = portAt(b);
    if (target && target != dragFrom_) {
        if (auto c = pendingConnectionTo(target)) {
            auto why = connectionRefusal(editor_.model().graph(), editor_.model().registry(), *c);
            hint = why ? qstr(*why) : QString();
            color = why ? canvasColors(QApplication::palette()).problem : color;
        } else {
            hint = tr("connect an output to an input");
            color = canvasColors(QApplication::palette()).problem;
        }
    }
    dragLine_->setPen(QPen(color, 2.4, Qt::DashLine, Qt::RoundCap));
    dragHint_->setText(hint);
    dragHint_->setBrush(canvasColors(QApplication::palette()).problem);
    dragHint_->setPos(b + QPointF(14, 10));
    e->accept();
}

void GraphScene::finishPendingConnection(QPointF scenePos)
{
    const PortItem* target = portAt(scenePos);
    std::optional<Connection> c = pendingConnectionTo(target);
    delete dragLine_;
    delete dragHint_;
    dragLine_ = nullptr;
    dragHint_ = nullptr;
    const bool sameDirection = target && dragFrom_ && target != dragFrom_ && !c;
    dragFrom_ = nullptr;
    if (c) {
        if (auto why = editor_.connectPorts(*c))
            emit refused(qstr(*why));
    } else if (sameDirection) {
        emit refused(tr("A connection runs from an output (right side) to an input (left side)."));
    }
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* e)
{
    if (dragFrom_ && e->button() == Qt::LeftButton) {
        finishPendingConnection(e->scenePos());
        e->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(e);
    if (e->button() == Qt::LeftButton)
        commitMovedBlocks();
}

void GraphScene::commitMovedBlocks()
{
    // Dragging moved the items; the model learns the new positions now, as one undoable step,
    // snapped to the grid so hand-made layouts line up.
    std::vector<std::pair<std::string, Point>> moved;
    for (const auto& [id, item] : blocks_) {
        const Block* b = editor_.model().graph().block(id);
        const QPointF pos = item->pos();
        if (b && (pos.x() != b->position.x || pos.y() != b->position.y))
            moved.emplace_back(id, Point{std::round(pos.x() / 10) * 10, std::round(pos.y() / 10) * 10});
    }
    editor_.moveBlocks(moved);
    for (const auto& [id, p] : moved)
        if (BlockItem* item = blockItem(id))
            item->syncPosition();
}

// ----------------------------------------------------------------------------------- palette drops

void GraphScene::dragEnterEvent(QGraphicsSceneDragDropEvent* e)
{
    e->setAccepted(e->mimeData()->hasFormat(kBlockTypeMime));
}

void GraphScene::dragMoveEvent(QGraphicsSceneDragDropEvent* e)
{
    e->setAccepted(e->mimeData()->hasFormat(kBlockTypeMime));
}

void GraphScene::dropEvent(QGraphicsSceneDragDropEvent* e)
{
    if (!e->mimeData()->hasFormat(kBlockTypeMime)) {
        e->ignore();
        return;
    }
    if (refusedWhileTrialShown()) {
        e->ignore();
        return;
    }
    const std::string type = e->mimeData()->data(kBlockTypeMime).toStdString();
    try {
        const QPointF at = e->scenePos() - QPointF(BlockItem::kWidth / 2, 20);
        const std::string id = editor_.addBlock(type, {std::round(at.x() / 10) * 10, std::round(at.y() / 10) * 10});
        selectBlocks({id});
        e->acceptProposedAction();
    } catch (const GraphError& error) {
        emit refused(qstr(error.what()));
        e->ignore();
    }
}

void GraphScene::drawBackground(QPainter* p, const QRectF& rect)
{
    const CanvasColors colors = canvasColors(QApplication::palette());
    p->fillRect(rect, colors.background);
    const qreal left = std::floor(rect.left() / kGrid) * kGrid;
    const qreal top = std::floor(rect.top() / kGrid) * kGrid;
    // Skip the fine grid when zoomed far out: it would be a grey blur and slow.
    const qreal scale = p->worldTransform().m11();
    QVector<QLineF> minor, major;
    for (qreal x = left; x < rect.right(); x += kGrid) {
        const bool isMajor = std::fmod(std::abs(x), kGrid * 5) < 0.5;
        if (isMajor || scale > 0.5)
            (isMajor ? major : minor).append(QLineF(x, rect.top(), x, rect.bottom()));
    }
    for (qreal y = top; y < rect.bottom(); y += kGrid) {
        const bool isMajor = std::fmod(std::abs(y), kGrid * 5) < 0.5;
        if (isMajor || scale > 0.5)
            (isMajor ? major : minor).append(QLineF(rect.left(), y, rect.right(), y));
    }
    p->setPen(QPen(colors.gridMinor, 0));
    p->drawLines(minor);
    p->setPen(QPen(colors.gridMajor, 0));
    p->drawLines(major);
}

} // namespace nesy::gui
