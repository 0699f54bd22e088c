#pragma once
// The live Pareto plot: error against flash, SRAM or latency. Feasible trials, infeasible or faulted
// trials, the Pareto front and the best trial are drawn distinctly; hovering shows a trial, clicking
// selects it in the TrialStore. New trials are drawn at most every `kRedrawInterval`, all at once,
// so a fast search never floods the event loop.
#include "TrialStore.h"
#include <QChartView>
#include <QTimer>

class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace nesy::gui {

class ParetoPlot : public QChartView {
    Q_OBJECT
public:
    static constexpr int kRedrawInterval = 100; // ms

    explicit ParetoPlot(TrialStore& store, QWidget* parent = nullptr);

    ResourceAxis axis() const { return axis_; }
    void setAxis(ResourceAxis a);
    // Rebuilds every series from the store now (the throttled path calls this).
    void redraw();
    // The 2-D front among feasible trials: (resource, error) pairs, neither worse in both.
    static std::vector<int> frontOf(const std::vector<TrialRow>& trials, ResourceAxis axis);

    int feasiblePointCount() const;
    int infeasiblePointCount() const;
    int frontPointCount() const;
    int redrawCount() const { return redraws_; }
    std::optional<int> trialNear(QPointF value) const; // nearest drawn trial to a point in plot units

    // Exports: PNG (a pixmap of the view) and SVG (vector).
    void savePng(const QString& file);
    void saveSvg(const QString& file);

private:
    void scheduleRedraw();
    void showTooltip(const QPointF& point, bool state);
    QPointF pointOf(const TrialRow& t, double fallbackX) const;

    TrialStore& store_;
    ResourceAxis axis_ = ResourceAxis::Flash;
    QTimer throttle_;
    QScatterSeries* feasible_;
    QScatterSeries* infeasible_;
    QLineSeries* front_;
    QScatterSeries* best_;
    QScatterSeries* selected_;
    QValueAxis* x_;
    QValueAxis* y_;
    // Trial ids in the order of each series' points (hover and click map back through these).
    std::vector<int> feasibleIds_;
    std::vector<int> infeasibleIds_;
    int redraws_ = 0;
};

} // namespace nesy::gui
