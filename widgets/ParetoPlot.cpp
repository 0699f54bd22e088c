#include "ParetoPlot.h"
#include "GraphModel.h"
#include "Theme.h"
#include <QApplication>
#include <QChart>
#include <QCursor>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QSvgGenerator>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>

namespace nesy::gui {

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
    y_->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(x_, Qt::AlignBottom);
    chart->addAxis(y_, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(x_);
        s->attachAxis(y_);
    }
    setRenderHint(QPainter::Antialiasing);

    throttle_.setSingleShot(true);
    throttle_.setInterval(kRedrawInterval);
    connect(&throttle_, &QTimer::timeout, this, &ParetoPlot::redraw);
    connect(&store_, &TrialStore::appended, this, &ParetoPlot::scheduleRedraw);
    connect(&store_, &TrialStore::cleared, this, &ParetoPlot::redraw);
    connect(&store_, &TrialStore::selectionChanged, this, &ParetoPlot::redraw);
    for (QScatterSeries* s : {feasible_, infeasible_, best_}) {
        connect(s, &QScatterSeries::hovered, this, &ParetoPlot::showTooltip);
        connect(s, &QScatterSeries::clicked, this, [this](const QPointF& p) { store_.select(trialNear(p)); });
    }
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

QPointF ParetoPlot::pointOf(const TrialRow& t, double fallbackX) const
{
    const auto x = t.term(resourceTerm(axis_));
    const auto err = t.term("error");
    return {x ? *x * resourceScale(axis_) : fallbackX, err ? *err : 1.0};
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
    ++redraws_;
    const auto& trials = store_.trials();
    double maxX = 0, maxY = 0;
    for (const auto& t : trials) {
        if (auto x = t.term(resourceTerm(axis_)))
            maxX = std::max(maxX, *x * resourceScale(axis_));
        if (auto e = t.term("error"))
            maxY = std::max(maxY, *e);
    }
    const double fallbackX = maxX > 0 ? maxX * 1.04 : 1.0; // faulted trials without a measurement: far right

    QList<QPointF> ok, bad;
    ok.reserve(qsizetype(trials.size()));
    feasibleIds_.clear();
    infeasibleIds_.clear();
    for (const auto& t : trials) {
        if (t.status == TrialStatus::Cancelled)
            continue;
        if (t.feasible() && t.term("error")) {
            ok.append(pointOf(t, fallbackX));
            feasibleIds_.push_back(t.id);
        } else {
            bad.append(pointOf(t, fallbackX));
            infeasibleIds_.push_back(t.id);
        }
    }
    feasible_->replace(ok);
    infeasible_->replace(bad);

    QList<QPointF> front;
    for (int id : frontOf(trials, axis_)) {
        const QPointF p = pointOf(*store_.trial(id), fallbackX);
        if (!front.isEmpty()) // a staircase: the front holds its error until the next point
            front.append(QPointF(p.x(), front.last().y()));
        front.append(p);
    }
    front_->replace(front);

    QList<QPointF> best, selected;
    if (auto id = store_.bestTrial())
        best.append(pointOf(*store_.trial(*id), fallbackX));
    if (auto id = store_.selectedTrial())
        selected.append(pointOf(*store_.trial(*id), fallbackX));
    best_->replace(best);
    selected_->replace(selected);

    x_->setTitleText(resourceTitle(axis_));
    x_->setRange(0, std::max(1.0, fallbackX * 1.05));
    y_->setRange(0, std::min(1.05, std::max(0.1, maxY * 1.1)));
    x_->applyNiceNumbers();
}

int ParetoPlot::feasiblePointCount() const { return int(feasible_->count()); }
int ParetoPlot::infeasiblePointCount() const { return int(infeasible_->count()); }
int ParetoPlot::frontPointCount() const { return int(frontOf(store_.trials(), axis_).size()); }

std::optional<int> ParetoPlot::trialNear(QPointF value) const
{
    // Distances in screen units, so "near" means the same along both axes.
    const QPointF target = chart()->mapToPosition(value);
    std::optional<int> nearest;
    double bestDistance = 12.0 * 12.0;
    auto scan = [&](const QScatterSeries* s, const std::vector<int>& ids) {
        const auto points = s->points();
        for (qsizetype i = 0; i < points.size() && std::size_t(i) < ids.size(); ++i) {
            const QPointF d = chart()->mapToPosition(points[i]) - target;
            const double d2 = d.x() * d.x() + d.y() * d.y();
            if (d2 < bestDistance) {
                bestDistance = d2;
                nearest = ids[std::size_t(i)];
            }
        }
    };
    scan(feasible_, feasibleIds_);
    scan(infeasible_, infeasibleIds_);
    return nearest;
}

void ParetoPlot::showTooltip(const QPointF& point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const auto id = trialNear(point);
    const TrialRow* t = id ? store_.trial(*id) : nullptr;
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
