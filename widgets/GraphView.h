#pragma once
// The canvas's viewport: zoom (wheel, keys), pan (middle button, or Space + drag), fit, and
// rubber-band selection. It shows a GraphScene and keeps nothing but its transform.
#include <QGraphicsView>

namespace nesy::gui {

class GraphScene;

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);

    qreal zoom() const { return transform().m11(); }

public slots:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitGraph();
    // Fits as soon as the view has its final size (a project opened before the window is shown).
    void fitGraphWhenSized();

protected:
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void keyReleaseEvent(QKeyEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    void zoomBy(qreal factor);
    void fitToBounds();
    GraphScene* graphScene() const;
    bool panning_ = false;
    bool fitPending_ = false;
};

} // namespace nesy::gui
