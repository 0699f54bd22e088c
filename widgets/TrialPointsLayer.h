#pragma once
// The trial markers of the Pareto plot, drawn as one item inside the chart's scene. Qt Charts'
// scatter series paint every marker as a shape on every repaint (hundreds of ms for 10,000 trials);
// this layer maps each trial to device pixels once, stamps a pre-rendered marker into a cached image
// per kind (feasible, not feasible), and paints just that image. Appends stamp only the new points;
// everything is re-mapped only when the plot area or the axis ranges change. A uniform grid over the
// mapped positions answers "which trial is under the mouse" without scanning every point.
#include <QGraphicsItem>
#include <QImage>
#include <optional>
#include <span>
#include <vector>

namespace nesy::gui {

struct PlotPoint {
    QPointF value; // (resource, error) in plot units; NaN: not measured, drawn at the plot's edge
    int id = 0;    // trial id
    bool feasible = true;
};

class TrialPointsLayer : public QGraphicsItem {
public:
    static constexpr qreal kHitRadius = 12; // px: how near the mouse must be to pick a trial

    explicit TrialPointsLayer(QGraphicsItem* parent = nullptr);

    // Where values land: the plot area (parent coordinates) shows `range` (x: resource, y: error).
    // Re-maps and re-renders every point when either changed.
    void setMapping(const QRectF& plotArea, const QRectF& range, qreal devicePixelRatio);
    // Replaces every point and the mapping, rendering once.
    void reset(std::vector<PlotPoint> points, const QRectF& plotArea, const QRectF& range, qreal devicePixelRatio);
    void addPoints(std::span<const PlotPoint> points);

    int count(bool feasible) const { return feasible ? feasibleCount_ : int(points_.size()) - feasibleCount_; }
    int fullRenders() const { return fullRenders_; }
    QPointF map(QPointF value) const; // plot units -> parent coordinates
    std::optional<int> nearest(QPointF position) const; // a trial within kHitRadius, nearest first
    std::optional<QPointF> positionOf(int id) const;

    QRectF boundingRect() const override { return area_; }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    int cellOf(QPointF position) const; // index into cellHead_, clamped to the grid's border
    void renderAll();
    void stampFrom(std::size_t first); // maps, indexes and draws points_[first..]
    void paintAsShapes(QPainter* painter) const; // vector output (SVG export)

    QRectF area_;
    QRectF range_;
    qreal dpr_ = 1;
    std::vector<PlotPoint> points_;
    std::vector<QPointF> positions_;       // parallel to points_, parent coordinates
    // The hit-test grid over the plot area: per cell the last point in it, then a chain through
    // nextInCell_ (parallel to points_); -1 ends. No allocation per point.
    int gridColumns_ = 1, gridRows_ = 1;
    std::vector<int> cellHead_;
    std::vector<int> nextInCell_;
    QImage feasibleImage_, infeasibleImage_;
    QImage feasibleMarker_, infeasibleMarker_;
    std::vector<bool> stamped_[2];         // per kind: a marker already stamped at this device pixel
    int feasibleCount_ = 0;
    int fullRenders_ = 0;
};

} // namespace nesy::gui
