#pragma once
// The canvas's drawn things. Each item is a picture of part of the GraphModel and holds only the ids
// that name that part; everything it shows is read from the model when it paints.
#include "GraphModel.h"
#include <QGraphicsObject>
#include <QGraphicsPathItem>

namespace nesy::gui {

class BlockItem;

// A port circle on a block's edge: the thing connections are dragged from and to.
class PortItem : public QGraphicsEllipseItem {
public:
    enum { Type = UserType + 1 };
    PortItem(const PortSpec& spec, bool isOutput, BlockItem* block);
    int type() const override { return Type; }

    const std::string& blockId() const;
    const std::string& portName() const { return name_; }
    bool isOutput() const { return output_; }
    PortType portType() const { return portType_; }
    QPointF anchor() const { return mapToScene(rect().center()); } // where connections attach
    void setFlagged(bool problem);

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent* e) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* e) override;

private:
    void restyle();
    std::string name_;
    bool output_;
    PortType portType_;
    bool flagged_ = false;
    bool hovered_ = false;
};

class BlockItem : public QGraphicsObject {
    Q_OBJECT
public:
    enum { Type = UserType + 2 };
    static constexpr qreal kWidth = 220;

    BlockItem(const GraphModel& model, std::string id);
    int type() const override { return Type; }
    const std::string& blockId() const { return id_; }

    QRectF boundingRect() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    PortItem* port(const std::string& name, bool output) const;
    // Re-reads what the model says about this block (label, parameters, problems, a shown trial).
    void refresh();
    // Moves to the model's position without reporting a user move.
    void syncPosition();

signals:
    void geometryChanged(); // so connections follow while the block is dragged

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    qreal height() const;
    const Block& block() const;
    // The shown trial's values for this block's parameters (empty without a trial overlay).
    std::vector<std::pair<std::string, const Value*>> shownValues() const;
    void paintShownTrial(QPainter* p, qreal top) const;

    const GraphModel& model_;
    std::string id_;
    std::vector<PortItem*> inputs_;  // children, owned through Qt parenting
    std::vector<PortItem*> outputs_;
};

class ConnectionItem : public QGraphicsPathItem {
public:
    enum { Type = UserType + 3 };
    ConnectionItem(Connection c, const PortItem* from, const PortItem* to);
    int type() const override { return Type; }
    const Connection& connection() const { return connection_; }
    void updatePath();
    QPainterPath shape() const override; // a band along the curve, not the area it encloses
    static QPainterPath curve(QPointF from, QPointF to);

protected:
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    Connection connection_;
    const PortItem* from_;
    const PortItem* to_;
};

} // namespace nesy::gui
