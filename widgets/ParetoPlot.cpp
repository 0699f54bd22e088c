#include "ParetoPlot.h"
#include "GraphModel.h"
#include "Theme.h"
#include <QApplication>
#include <QChart>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QScatterSeries>
#include <QSvgGenerator>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace nesy::gui {

namespace {
constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();
constexpr double kMaxErrorRange = 1.05; // errors are fractions; the axis never needs more
} // namespace

// -------------------------------------------------------------------------------------------- front

void ParetoFront::add(QPointF value, int id)
{
    // The cheapest-or-equal entry has the lowest error of all entries at most as expensive.
    auto after = std::ranges::upper_bound(entries_, value.x(), {}, [](const Entry& e) { return e.value.x(); });
    if (after != entries_.begin() && std::prev(after)->value.y() <= value.y())
        return; // dominated
    auto at = std::ranges::lower_bound(entries_, value.x(), {}, [](const Entry& e) { return e.value.x(); });
    auto dominatedEnd = std::find_if(at, entries_.end(), [&](const Entry& e) { return e.value.y() < value.y(); });
    at = entries_.erase(at, dominatedEnd); // as expensive or more, and no better
    entries_.insert(at, Entry{value, id});
}

// --------------------------------------------------------------------------------------------- plot

ParetoPlot::ParetoPlot(TrialStore& store, QWidget* parent)
    // The chart goes to the base constructor: setChart() would orphan (leak) a default chart.
    : QChartView(new QChart, parent), store_(store), feasible_(new QScatterSeries), infeasible_(new QScatterSeries),
      front_(new QLineSeries), best_(new QScatterSeries), selected_(new QScatterSeries), x_(new QValueAxis),
      y_(new QValueAxis)
{
    setObjectName(QStringLiteral("paretoPlot"));
    QChart* chart = this->chart(); // owned by the view
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    const bool dark = isDark(QApplication::palette());
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);

    feasible_->setName(tr("feasible"));
    feasible_->setMarkerSize(7);
    feasible_->setColor(QColor(0x2E, 0x86, 0xAB, 170));
    feasible_->setBorderColor(Qt::transparent);
    infeasible_->setName(tr("infeasible / faulted"));
    infeasible_->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    infeasible_->setMarkerSize(6);
    infeasible_->setColor(QColor(0xD7, 0x3A, 0x2F, 150));
    infeasible_->setBorderColor(Qt::transparent);
    front_->setName(tr("Pareto front"));
    front_->setPen(QPen(QColor(0xE6, 0x7E, 0x22), 2.2));
    best_->setName(tr("best"));
    best_->setMarkerShape(QScatterSeries::MarkerShapeStar);
    best_->setMarkerSize(18);
    best_->setColor(QColor(0xF1, 0xC4, 0x0F));
    best_->setBorderColor(QColor(0x7D, 0x5A, 0x00));
    selected_->setName(tr("selected"));
    selected_->setMarkerSize(16);
    selected_->setColor(Qt::transparent);
    selected_->setBorderColor(dark ? Qt::white : Qt::black);
    selected_->setPen(QPen(dark ? Qt::white : Qt::black, 2));

    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{feasible_, infeasible_, front_, best_, selected_})
        chart->addSeries(s);
    y_->setTitleText(tr("Error"));
    y_->setLabelFormat(QStringLiteral("%.3g")); // 0.075, 0.15 ...: quarter ticks of a nice maximum
    chart->addAxis(x_, Qt::AlignBottom);
    chart->addAxis(y_, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(x_);
        s->attachAxis(y_);
    }
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);

    // Above the grid, under the front and the best/selected markers that Qt Charts draws.
    points_ = new TrialPointsLayer(chart);
    points_->setZValue(2.5);
    connect(chart, &QChart::plotAreaChanged, this, [this] { remapPoints(); });

    throttle_.setSingleShot(true);
    throttle_.setInterval(kRedrawInterval);
    connect(&throttle_, &QTimer::timeout, this, &ParetoPlot::drawPending);
    connect(&store_, &TrialStore::appended, this, &ParetoPlot::scheduleRedraw);
    connect(&store_, &TrialStore::cleared, this, &ParetoPlot::redraw);
    connect(&store_, &TrialStore::selectionChanged, this, &ParetoPlot::updateSelection);
    redraw();
}

void ParetoPlot::setAxis(ResourceAxis a)
{
    axis_ = a;
    redraw();
}

void ParetoPlot::scheduleRedraw()
{
    if (!throttle_.isActive())
        throttle_.start();
}

PlotPoint ParetoPlot::plotPointOf(const TrialRow& t, const std::string& resource, double scale)
{
    // An infinite measurement would stretch the axes to nothing: drawn like a missing one.
    auto finite = [](std::optional<double> v) { return v && std::isfinite(*v) ? v : std::nullopt; };
    const auto x = finite(t.term(resource));
    const auto err = finite(t.term("error"));
    return {QPointF(x ? *x * scale : kNotMeasured, err ? *err : kNotMeasured), t.id, t.feasible() && err.has_value()};
}

std::vector<int> ParetoPlot::frontOf(const std::vector<TrialRow>& trials, ResourceAxis axis)
{
    std::vector<std::pair<QPointF, int>> points;
    for (const auto& t : trials) {
        const auto x = t.term(resourceTerm(axis));
        const auto err = t.term("error");
        if (t.feasible() && x && err)
            points.push_back({QPointF(*x, *err), t.id});
    }
    std::ranges::sort(points, [](const auto& a, const auto& b) {
        return a.first.x() != b.first.x() ? a.first.x() < b.first.x() : a.first.y() < b.first.y();
    });
    std::vector<int> front;
    double bestError = std::numeric_limits<double>::infinity();
    for (const auto& [p, id] : points)
        if (p.y() < bestError) { // smaller than everything cheaper: not dominated
            bestError = p.y();
            front.push_back(id);
        }
    return front;
}

void ParetoPlot::redraw()
{
    drawn_ = 0;
    maxX_ = maxY_ = 0;
    paretoFront_.clear();
    ++redraws_;
    throttle_.stop();
    std::vector<PlotPoint> all = takeNewPoints();
    fitRanges(false);
    points_->reset(std::move(all), chart()->plotArea(), valueRange(), devicePixelRatioF());
    updateMarkers();
}

void ParetoPlot::drawPending()
{
    ++redraws_;
    throttle_.stop();
    const std::vector<PlotPoint> added = takeNewPoints();
    if (fitRanges(true))
        remapPoints(); // the points drawn so far move; the new ones are then stamped once
    points_->addPoints(added);
    updateMarkers();
}

std::vector<PlotPoint> ParetoPlot::takeNewPoints()
{
    const auto& trials = store_.trials();
    const std::string resource = resourceTerm(axis_);
    const double scale = resourceScale(axis_);
    std::vector<PlotPoint> added;
    added.reserve(trials.size() - std::min(drawn_, trials.size()));
    for (; drawn_ < trials.size(); ++drawn_) {
        const TrialRow& t = trials[drawn_];
        if (t.status == TrialStatus::Cancelled)
            continue;
        const PlotPoint p = plotPointOf(t, resource, scale);
        if (!std::isnan(p.value.x()))
            maxX_ = std::max(maxX_, p.value.x());
        if (!std::isnan(p.value.y()))
            maxY_ = std::max(maxY_, p.value.y());
        if (p.feasible && !std::isnan(p.value.x()))
            paretoFront_.add(p.value, p.id);
        added.push_back(p);
    }
    return added;
}

double ParetoPlot::niceCeiling(double v)
{
    // 1, 1.2, 1.6, 2, 2.4, 3, 4, 6, 8 x 10^k: each splits into four ticks with short labels.
    const double decade = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0, 6.0, 8.0})
        if (m * decade >= v * (1 - 1e-12))
            return m * decade;
    return 10 * decade;
}

bool ParetoPlot::fitRanges(bool growOnly)
{
    // While a search runs the axes only grow, with headroom: each growth re-maps every point.
    const double needX = std::max(1.0, maxX_ * 1.06); // room for the not-measured column at the edge
    const double needY = std::min(kMaxErrorRange, std::max(0.1, maxY_ * 1.1));
    const double newX = !growOnly ? niceCeiling(needX) : needX > x_->max() ? niceCeiling(needX * 1.15) : x_->max();
    const double newY = !growOnly        ? std::min(kMaxErrorRange, niceCeiling(needY))
                        : needY > y_->max() ? std::min(kMaxErrorRange, niceCeiling(needY * 1.15))
                                            : y_->max();
    const bool changed = newX != x_->max() || newY != y_->max() || x_->min() != 0 || y_->min() != 0;
    if (newX != x_->max() || x_->min() != 0) {
        x_->setRange(0, newX);
        x_->setTickCount(5);
    }
    if (newY != y_->max() || y_->min() != 0) {
        y_->setRange(0, newY);
        y_->setTickCount(5);
    }
    if (x_->titleText() != resourceTitle(axis_))
        x_->setTitleText(resourceTitle(axis_));
    return changed;
}

QRectF ParetoPlot::valueRange() const
{
    return QRectF(QPointF(x_->min(), y_->min()), QPointF(x_->max(), y_->max()));
}

void ParetoPlot::remapPoints() { points_->setMapping(chart()->plotArea(), valueRange(), devicePixelRatioF()); }

void ParetoPlot::updateMarkers()
{
    QList<QPointF> front;
    for (const auto& e : paretoFront_.entries()) {
        if (!front.isEmpty()) // a staircase: the front holds its error until the next point
            front.append(QPointF(e.value.x(), front.last().y()));
        front.append(e.value);
    }
    front_->replace(front);
    QList<QPointF> best;
    if (auto at = markerValue(store_.bestTrial()))
        best.append(*at);
    best_->replace(best);
    updateSelection();
}

void ParetoPlot::updateSelection()
{
    QList<QPointF> selected;
    if (auto at = markerValue(store_.selectedTrial()))
        selected.append(*at);
    selected_->replace(selected);
}

std::optional<QPointF> ParetoPlot::markerValue(std::optional<int> id) const
{
    const TrialRow* t = id ? store_.trial(*id) : nullptr;
    if (!t || t->status == TrialStatus::Cancelled)
        return std::nullopt;
    const QPointF value = plotPointOf(*t, resourceTerm(axis_), resourceScale(axis_)).value;
    if (!std::isnan(value.x()) && !std::isnan(value.y()))
        return value;
    // Not measured: where the layer draws it, at the plot's edge.
    const auto at = points_->positionOf(*id);
    return at ? std::optional<QPointF>(chart()->mapToValue(*at)) : std::nullopt;
}

int ParetoPlot::feasiblePointCount() const { return points_->count(true); }
int ParetoPlot::infeasiblePointCount() const { return points_->count(false); }
int ParetoPlot::frontPointCount() const { return int(paretoFront_.entries().size()); }
int ParetoPlot::fullPointRenders() const { return points_->fullRenders(); }

std::vector<int> ParetoPlot::frontIds() const
{
    std::vector<int> ids;
    for (const auto& e : paretoFront_.entries())
        ids.push_back(e.id);
    return ids;
}

std::optional<int> ParetoPlot::trialNear(QPointF value) const { return points_->nearest(points_->map(value)); }

std::optional<int> ParetoPlot::trialAt(QPoint viewportPos) const
{
    return points_->nearest(chart()->mapFromScene(mapToScene(viewportPos)));
}

std::optional<QPoint> ParetoPlot::viewportPositionOf(int trialId) const
{
    const auto at = points_->positionOf(trialId);
    return at ? std::optional<QPoint>(mapFromScene(chart()->mapToScene(*at))) : std::nullopt;
}

void ParetoPlot::mouseMoveEvent(QMouseEvent* e)
{
    QChartView::mouseMoveEvent(e);
    if (auto id = trialAt(e->position().toPoint()))
        showTooltip(*id);
    else
        QToolTip::hideText();
}

void ParetoPlot::mousePressEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton)
        if (auto id = trialAt(e->position().toPoint())) {
            store_.select(id);
            e->accept();
            return;
        }
    QChartView::mousePressEvent(e);
}

void ParetoPlot::resizeEvent(QResizeEvent* e)
{
    QChartView::resizeEvent(e);
    remapPoints();
}

void ParetoPlot::showTooltip(int trialId)
{
    const TrialRow* t = store_.trial(trialId);
    if (!t)
        return;
    auto value = [&](const char* term, double scale, const char* unit) {
        const auto v = t->term(term);
        return v ? QStringLiteral("%1 %2").arg(*v * scale, 0, 'f', 2).arg(QLatin1String(unit)) : QStringLiteral("\u2013");
    };
    QString text = tr("<b>Trial %1</b> (%2)<br>error %3<br>flash %4<br>SRAM %5<br>latency %6")
                       .arg(t->id)
                       .arg(qstr(t->fault.empty() ? trialStatusName(t->status) : t->fault),
                            value("error", 1, ""), value("flash_bytes", 1.0 / 1024, "KB"),
                            value("sram_bytes", 1.0 / 1024, "KB"), value("latency_ms", 1, "ms"));
    QToolTip::showText(QCursor::pos(), text, this);
}

void ParetoPlot::savePng(const QString& file)
{
    if (!grab().save(file, "PNG"))
        throw std::runtime_error("cannot write " + file.toStdString());
}

void ParetoPlot::saveSvg(const QString& file)
{
    QSvgGenerator svg;
    svg.setFileName(file);
    svg.setSize(size());
    svg.setViewBox(rect());
    svg.setTitle(tr("Pareto plot"));
    QPainter painter;
    if (!painter.begin(&svg))
        throw std::runtime_error("cannot write " + file.toStdString());
    render(&painter);
    painter.end();
}

} // namespace nesy::gui
