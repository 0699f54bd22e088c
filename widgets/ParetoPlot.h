#pragma once
// The live Pareto plot: error against flash, SRAM or latency. Feasible trials, infeasible or faulted
// trials, the Pareto front and the best trial are drawn distinctly; hovering shows a trial, clicking
// selects it in the TrialStore. Qt Charts draws the axes, grid, legend, front and markers of single
// trials; the thousands of trial points are a TrialPointsLayer in the chart's scene. New trials are
// added at most every `kRedrawInterval`, incrementally (only the new points are mapped and drawn,
// the front is updated in place), so a fast search never floods the event loop.
#include "TrialPointsLayer.h"
#include "TrialStore.h"
#include <QChartView>
#include <QTimer>

class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace nesy::gui {

// The 2-D Pareto front (smaller resource and smaller error are better), kept up to date one point
// at a time: sorted by resource with strictly falling error.
class ParetoFront {
public:
    struct Entry {
        QPointF value;
        int id;
    };
    void add(QPointF value, int id); // O(front size); ignores dominated points
    void clear() { entries_.clear(); }
    const std::vector<Entry>& entries() const { return entries_; }

private:
    std::vector<Entry> entries_;
};

class ParetoPlot : public QChartView {
    Q_OBJECT
public:
    static constexpr int kRedrawInterval = 100; // ms

    explicit ParetoPlot(TrialStore& store, QWidget* parent = nullptr);

    ResourceAxis axis() const { return axis_; }
    void setAxis(ResourceAxis a);
    // Rebuilds everything from the store now: points, ranges, front and markers.
    void redraw();
    // Draws the trials appended since the last draw now (the throttle calls this).
    void drawPending();
    // The 2-D front among feasible trials: (resource, error) pairs, neither worse in both.
    static std::vector<int> frontOf(const std::vector<TrialRow>& trials, ResourceAxis axis);

    int feasiblePointCount() const;
    int infeasiblePointCount() const;
    int frontPointCount() const;
    std::vector<int> frontIds() const; // the drawn front, by increasing resource
    int redrawCount() const { return redraws_; }
    int fullPointRenders() const; // how often every point was re-mapped (axis or size changes)
    std::optional<int> trialNear(QPointF value) const; // nearest drawn trial to a point in plot units
    std::optional<int> trialAt(QPoint viewportPos) const;
    std::optional<QPoint> viewportPositionOf(int trialId) const; // where a trial is drawn

    // Exports: PNG (a pixmap of the view) and SVG (vector).
    void savePng(const QString& file);
    void saveSvg(const QString& file);

protected:
    void mouseMoveEvent(QMouseEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    void scheduleRedraw();
    void updateMarkers();   // front, best and selected (a handful of points)
    void updateSelection();
    std::optional<QPointF> markerValue(std::optional<int> trialId) const; // for the best/selected markers
    std::vector<PlotPoint> takeNewPoints(); // the store's rows not drawn yet; updates maxima and front
    bool fitRanges(bool growOnly);          // fits the axes to the data; true when they changed
    QRectF valueRange() const;
    void remapPoints();
    static double niceCeiling(double v);
    static PlotPoint plotPointOf(const TrialRow& t, const std::string& resource, double scale);
    void showTooltip(int trialId);

    TrialStore& store_;
    ResourceAxis axis_ = ResourceAxis::Flash;
    QTimer throttle_;
    QScatterSeries* feasible_;   // empty: its legend marker names the layer's feasible points
    QScatterSeries* infeasible_; // likewise for infeasible / faulted trials
    QLineSeries* front_;
    QScatterSeries* best_;
    QScatterSeries* selected_;
    QValueAxis* x_;
    QValueAxis* y_;
    TrialPointsLayer* points_;
    ParetoFront paretoFront_;
    std::size_t drawn_ = 0; // store rows already in the layer
    double maxX_ = 0, maxY_ = 0;
    int redraws_ = 0;
};

} // namespace nesy::gui
