#include "GraphView.h"
#include "GraphScene.h"
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>

namespace nesy::gui {

namespace {
constexpr qreal kMinZoom = 0.15;
constexpr qreal kMaxZoom = 3.0;
} // namespace

GraphView::GraphView(GraphScene* scene, QWidget* parent) : QGraphicsView(scene, parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setViewportUpdateMode(SmartViewportUpdate);
    setAcceptDrops(true);
    setFrameShape(QFrame::NoFrame);
    // Panning replaces scroll bars; they would only take room from the graph.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setObjectName(QStringLiteral("graphView"));
}

GraphScene* GraphView::graphScene() const { return static_cast<GraphScene*>(scene()); }

void GraphView::zoomBy(qreal factor)
{
    fitPending_ = false;
    const qreal target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const qreal f = target / zoom();
    scale(f, f);
}

void GraphView::zoomIn() { zoomBy(1.2); }
void GraphView::zoomOut() { zoomBy(1 / 1.2); }
void GraphView::resetZoom()
{
    fitPending_ = false;
    setTransform(QTransform());
}

void GraphView::fitGraph()
{
    fitPending_ = false;
    fitToBounds();
}

void GraphView::fitToBounds()
{
    QRectF r = graphScene()->graphBounds();
    if (r.isEmpty())
        return;
    fitInView(r.adjusted(-40, -40, 40, 40), Qt::KeepAspectRatio);
    if (zoom() > 1.0) // never blow a small graph up beyond its natural size
        setTransform(QTransform());
    if (zoom() < kMinZoom)
        setTransform(QTransform::fromScale(kMinZoom, kMinZoom));
    centerOn(r.center());
}

void GraphView::fitGraphWhenSized()
{
    // Stays fitted through the window's first layouts, until the user zooms or pans.
    fitPending_ = true;
    fitToBounds();
}

void GraphView::resizeEvent(QResizeEvent* e)
{
    QGraphicsView::resizeEvent(e);
    if (fitPending_)
        fitToBounds();
}

void GraphView::wheelEvent(QWheelEvent* e)
{
    const int delta = e->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(e); // horizontal scrolling pans
        return;
    }
    zoomBy(std::pow(1.0015, delta));
    e->accept();
}

void GraphView::mousePressEvent(QMouseEvent* e)
{
    fitPending_ = false;
    // Middle button, or Space held: pan with the hand, like most canvases.
    if (e->button() == Qt::MiddleButton || (panning_ && e->button() == Qt::LeftButton)) {
        setDragMode(ScrollHandDrag);
        QMouseEvent left(e->type(), e->position(), e->scenePosition(), e->globalPosition(), Qt::LeftButton,
                         Qt::LeftButton, e->modifiers());
        QGraphicsView::mousePressEvent(&left);
        return;
    }
    QGraphicsView::mousePressEvent(e);
}

void GraphView::mouseReleaseEvent(QMouseEvent* e)
{
    if (dragMode() == ScrollHandDrag) {
        QMouseEvent left(e->type(), e->position(), e->scenePosition(), e->globalPosition(), Qt::LeftButton,
                         Qt::NoButton, e->modifiers());
        QGraphicsView::mouseReleaseEvent(&left);
        setDragMode(RubberBandDrag);
        return;
    }
    QGraphicsView::mouseReleaseEvent(e);
}

void GraphView::keyPressEvent(QKeyEvent* e)
{
    if (e->key() == Qt::Key_Space && !e->isAutoRepeat()) {
        panning_ = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        return;
    }
    QGraphicsView::keyPressEvent(e);
}

void GraphView::keyReleaseEvent(QKeyEvent* e)
{
    if (e->key() == Qt::Key_Space && !e->isAutoRepeat()) {
        panning_ = false;
        viewport()->unsetCursor();
        return;
    }
    QGraphicsView::keyReleaseEvent(e);
}

} // namespace nesy::gui
