#include "TrialPointsLayer.h"
#include <QPaintEngine>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace nesy::gui {

namespace {
constexpr qreal kCell = TrialPointsLayer::kHitRadius; // grid cell: a hit is within the 3x3 cells around
constexpr int kFeasibleSize = 7;
constexpr int kInfeasibleSize = 6;
const QColor kFeasibleColor(0x2E, 0x86, 0xAB, 170);
const QColor kInfeasibleColor(0xD7, 0x3A, 0x2F, 150);

QImage marker(bool feasible, qreal dpr)
{
    const int size = feasible ? kFeasibleSize : kInfeasibleSize;
    QImage image(int(std::ceil((size + 2) * dpr)), int(std::ceil((size + 2) * dpr)), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(feasible ? kFeasibleColor : kInfeasibleColor);
    const QRectF r(1, 1, size, size);
    feasible ? p.drawEllipse(r) : p.drawRect(r);
    return image;
}
} // namespace

TrialPointsLayer::TrialPointsLayer(QGraphicsItem* parent) : QGraphicsItem(parent)
{
    setFlag(ItemClipsToShape); // points beyond the axes (an error above the range) stay inside
}

void TrialPointsLayer::setMapping(const QRectF& plotArea, const QRectF& range, qreal devicePixelRatio)
{
    if (plotArea == area_ && range == range_ && devicePixelRatio == dpr_)
        return;
    prepareGeometryChange();
    area_ = plotArea;
    range_ = range;
    dpr_ = devicePixelRatio;
    renderAll();
}

void TrialPointsLayer::reset(std::vector<PlotPoint> points, const QRectF& plotArea, const QRectF& range,
                             qreal devicePixelRatio)
{
    prepareGeometryChange();
    points_ = std::move(points);
    area_ = plotArea;
    range_ = range;
    dpr_ = devicePixelRatio;
    renderAll();
}

void TrialPointsLayer::addPoints(std::span<const PlotPoint> points)
{
    const std::size_t first = points_.size();
    points_.insert(points_.end(), points.begin(), points.end());
    stampFrom(first);
    update();
}

QPointF TrialPointsLayer::map(QPointF value) const
{
    // The same linear map as QChart::mapToPosition for value axes, without its per-call overhead.
    constexpr qreal kEdge = 5; // px inside the plot area, for values that were not measured
    // Clamped far outside the area: the pixel and grid arithmetic stays within int.
    const qreal fx = range_.width() > 0 ? std::clamp((value.x() - range_.left()) / range_.width(), -4.0, 5.0) : 0;
    const qreal fy = range_.height() > 0 ? std::clamp((value.y() - range_.top()) / range_.height(), -4.0, 5.0) : 0;
    return {std::isnan(value.x()) ? area_.right() - kEdge : area_.left() + fx * area_.width(),
            std::isnan(value.y()) ? area_.top() + kEdge : area_.bottom() - fy * area_.height()};
}

int TrialPointsLayer::cellOf(QPointF position) const
{
    const int cx = std::clamp(int(std::floor((position.x() - area_.left()) / kCell)), 0, gridColumns_ - 1);
    const int cy = std::clamp(int(std::floor((position.y() - area_.top()) / kCell)), 0, gridRows_ - 1);
    return cy * gridColumns_ + cx;
}

void TrialPointsLayer::renderAll()
{
    ++fullRenders_;
    positions_.clear();
    nextInCell_.clear();
    feasibleCount_ = 0;
    gridColumns_ = std::max(1, int(std::ceil(area_.width() / kCell)));
    gridRows_ = std::max(1, int(std::ceil(area_.height() / kCell)));
    cellHead_.assign(std::size_t(gridColumns_) * std::size_t(gridRows_), -1);
    // The images are reused while the size stays: fresh multi-megabyte buffers cost page faults.
    const QSize pixels = (area_.size() * dpr_).toSize().expandedTo(QSize(1, 1));
    for (QImage* image : {&feasibleImage_, &infeasibleImage_}) {
        if (image->size() != pixels)
            *image = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
        image->setDevicePixelRatio(dpr_);
        image->fill(Qt::transparent);
    }
    if (feasibleMarker_.isNull() || feasibleMarker_.devicePixelRatio() != dpr_) {
        feasibleMarker_ = marker(true, dpr_);
        infeasibleMarker_ = marker(false, dpr_);
    }
    for (auto& s : stamped_)
        s.assign(std::size_t(pixels.width()) * std::size_t(pixels.height()), false);
    stampFrom(0);
    update();
}

void TrialPointsLayer::stampFrom(std::size_t first)
{
    positions_.reserve(points_.size());
    nextInCell_.reserve(points_.size());
    QPainter feasiblePainter(&feasibleImage_), infeasiblePainter(&infeasibleImage_);
    QPainter* painters[2] = {&feasiblePainter, &infeasiblePainter};
    for (std::size_t i = first; i < points_.size(); ++i) {
        const PlotPoint& p = points_[i];
        const QPointF at = map(p.value);
        positions_.push_back(at);
        const int cell = cellOf(at);
        nextInCell_.push_back(cellHead_[std::size_t(cell)]);
        cellHead_[std::size_t(cell)] = int(i);
        feasibleCount_ += p.feasible ? 1 : 0;

        // Many trials share a pixel (similar programs): one marker per device pixel looks the same.
        const int kind = p.feasible ? 0 : 1;
        const QImage& image = kind == 0 ? feasibleImage_ : infeasibleImage_;
        const QPointF local = (at - area_.topLeft()) * dpr_;
        const int px = int(std::lround(local.x())), py = int(std::lround(local.y()));
        if (px < 0 || py < 0 || px >= image.width() || py >= image.height())
            continue;
        const std::size_t pixel = std::size_t(py) * std::size_t(image.width()) + std::size_t(px);
        if (stamped_[kind][pixel])
            continue;
        stamped_[kind][pixel] = true;
        const QImage& m = kind == 0 ? feasibleMarker_ : infeasibleMarker_;
        const QPointF half(qreal(m.width()) / dpr_ / 2, qreal(m.height()) / dpr_ / 2);
        painters[kind]->drawImage(at - area_.topLeft() - half, m);
    }
}

std::optional<int> TrialPointsLayer::nearest(QPointF position) const
{
    std::optional<int> best;
    qreal bestDistance = kHitRadius * kHitRadius;
    if (cellHead_.empty())
        return best;
    // Cells are kHitRadius wide: every point within reach is in the 3x3 cells around (points
    // beyond the area sit in the border cells, which the clamp also reaches).
    const int centre = cellOf(position);
    const int cx = centre % gridColumns_, cy = centre / gridColumns_;
    for (int y = std::max(0, cy - 1); y <= std::min(gridRows_ - 1, cy + 1); ++y)
        for (int x = std::max(0, cx - 1); x <= std::min(gridColumns_ - 1, cx + 1); ++x)
            for (int i = cellHead_[std::size_t(y * gridColumns_ + x)]; i >= 0; i = nextInCell_[std::size_t(i)]) {
                const QPointF d = positions_[std::size_t(i)] - position;
                const qreal d2 = d.x() * d.x() + d.y() * d.y();
                if (d2 < bestDistance) {
                    bestDistance = d2;
                    best = points_[std::size_t(i)].id;
                }
            }
    return best;
}

std::optional<QPointF> TrialPointsLayer::positionOf(int id) const
{
    // Linear: asked once per selection change, not per mouse move.
    for (std::size_t i = 0; i < points_.size(); ++i)
        if (points_[i].id == id)
            return positions_[i];
    return std::nullopt;
}

void TrialPointsLayer::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    if (painter->paintEngine() && painter->paintEngine()->type() != QPaintEngine::Raster) {
        paintAsShapes(painter); // SVG and printers get vectors, not a bitmap
        return;
    }
    painter->drawImage(area_.topLeft(), feasibleImage_);
    painter->drawImage(area_.topLeft(), infeasibleImage_);
}

void TrialPointsLayer::paintAsShapes(QPainter* painter) const
{
    painter->save();
    painter->setClipRect(area_);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    for (bool feasible : {true, false}) {
        painter->setBrush(feasible ? kFeasibleColor : kInfeasibleColor);
        const qreal r = (feasible ? kFeasibleSize : kInfeasibleSize) / 2.0;
        for (std::size_t i = 0; i < points_.size(); ++i) {
            if (points_[i].feasible != feasible)
                continue;
            const QRectF box(positions_[i] - QPointF(r, r), QSizeF(2 * r, 2 * r));
            feasible ? painter->drawEllipse(box) : painter->drawRect(box);
        }
    }
    painter->restore();
}

} // namespace nesy::gui
