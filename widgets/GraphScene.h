#pragma once
// The canvas scene: draws the GraphModel and turns mouse gestures into GraphEditor calls (drag a
// port onto another to connect, drag blocks to move, drop a palette entry to add). It keeps only
// an index from ids to items, rebuilt from the model's signals.
#include "CanvasItems.h"
#include "GraphEditor.h"
#include <QGraphicsScene>
#include <QPointer>
#include <map>

namespace nesy::gui {

// Mime type of a palette drag: the block type id as UTF-8.
inline constexpr const char* kBlockTypeMime = "application/x-nesy-block-type";
// Mime type of copied blocks (the project-format text of the selection).
inline constexpr const char* kSelectionMime = "application/x-nesy-selection";

class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(GraphEditor& editor, QObject* parent = nullptr);
    ~GraphScene() override;

    GraphEditor& editor() const { return editor_; }
    BlockItem* blockItem(const std::string& id) const;
    ConnectionItem* connectionItem(const Connection& c) const;
    int blockItemCount() const { return int(blocks_.size()); }
    int connectionItemCount() const { return int(connections_.size()); }
    QRectF graphBounds() const;

    std::vector<std::string> selectedBlockIds() const;
    std::vector<Connection> selectedConnections() const;
    void selectBlocks(const std::vector<std::string>& ids);
    void deleteSelection();

signals:
    // A user gesture was refused (incompatible port types, cycle ...): the reason, for the status bar.
    void refused(const QString& reason);
    void blockSelectionChanged(const QStringList& ids);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* e) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* e) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent* e) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent* e) override;
    void dropEvent(QGraphicsSceneDragDropEvent* e) override;
    void drawBackground(QPainter* p, const QRectF& rect) override;

private:
    void rebuild();
    void addBlockItem(const QString& id);
    void removeBlockItem(const QString& id);
    void addConnectionItem(const Connection& c);
    void removeConnectionItem(const Connection& c);
    void refreshProblems();
    void updateConnectionsOf(const std::string& blockId);
    PortItem* portAt(QPointF scenePos) const;
    std::optional<Connection> pendingConnectionTo(const PortItem* target) const;
    void finishPendingConnection(QPointF scenePos);
    void commitMovedBlocks();
    bool refusedWhileTrialShown(); // says why and returns true while a trial is shown (read-only)

    GraphEditor& editor_;
    std::map<std::string, BlockItem*> blocks_;              // owned by the scene
    std::vector<ConnectionItem*> connections_;              // owned by the scene
    // The connection being dragged out of a port (a gesture in progress, not graph state).
    PortItem* dragFrom_ = nullptr;
    QGraphicsPathItem* dragLine_ = nullptr;
    QGraphicsSimpleTextItem* dragHint_ = nullptr;
};

} // namespace nesy::gui
