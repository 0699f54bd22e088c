#include "CanvasItems.h"
#include "Theme.h"
#include <QApplication>
#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nesy::gui {

namespace {
constexpr qreal kHeader = 32;
constexpr qreal kRow = 22;
constexpr qreal kFooter = 22;
constexpr qreal kPortRadius = 6;
constexpr qreal kTrialBandHeader = 20;
const QColor kTrialColor(0xE6, 0x9B, 0x1E); // amber: "these are a trial's values, not the project's"

QPalette appPalette() { return QApplication::palette(); }
} // namespace

// ---------------------------------------------------------------------------------------------- ports

PortItem::PortItem(const PortSpec& spec, bool isOutput, BlockItem* block)
    : QGraphicsEllipseItem(-kPortRadius, -kPortRadius, 2 * kPortRadius, 2 * kPortRadius, block), name_(spec.name),
      output_(isOutput), portType_(spec.type)
{
    setAcceptHoverEvents(true);
    setCursor(Qt::CrossCursor);
    setToolTip(QStringLiteral("<b>%1</b> (%2%3)<br>%4<br><i>%5</i>")
                   .arg(qstr(spec.name), isOutput ? QObject::tr("output") : QObject::tr("input"),
                        !isOutput && !spec.required ? QObject::tr(", optional") : QString(),
                        qstr(portTypeTitle(spec.type)), qstr(spec.explanation)));
    restyle();
}

const std::string& PortItem::blockId() const { return static_cast<const BlockItem*>(parentItem())->blockId(); }

void PortItem::setFlagged(bool problem)
{
    flagged_ = problem;
    restyle();
}

void PortItem::restyle()
{
    const CanvasColors colors = canvasColors(appPalette());
    QColor fill = portTypeColor(portType_);
    setBrush(hovered_ ? fill.lighter(130) : fill);
    setPen(flagged_ ? QPen(colors.problem, 2.5) : QPen(colors.nodeBody.darker(130), 1.5));
    setScale(hovered_ ? 1.3 : 1.0);
}

void PortItem::hoverEnterEvent(QGraphicsSceneHoverEvent* e)
{
    hovered_ = true;
    restyle();
    QGraphicsEllipseItem::hoverEnterEvent(e);
}

void PortItem::hoverLeaveEvent(QGraphicsSceneHoverEvent* e)
{
    hovered_ = false;
    restyle();
    QGraphicsEllipseItem::hoverLeaveEvent(e);
}

// --------------------------------------------------------------------------------------------- blocks

BlockItem::BlockItem(const GraphModel& model, std::string id) : model_(model), id_(std::move(id))
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setCacheMode(DeviceCoordinateCache);
    if (const BlockType* t = model_.typeOf(id_)) {
        for (std::size_t i = 0; i < t->inputs.size(); ++i) {
            auto* p = new PortItem(t->inputs[i], false, this);
            p->setPos(0, kHeader + kRow * (qreal(i) + 0.5) + 4);
            inputs_.push_back(p);
        }
        for (std::size_t i = 0; i < t->outputs.size(); ++i) {
            auto* p = new PortItem(t->outputs[i], true, this);
            p->setPos(kWidth, kHeader + kRow * (qreal(i) + 0.5) + 4);
            outputs_.push_back(p);
        }
    }
    syncPosition();
    refresh();
}

const Block& BlockItem::block() const { return *model_.graph().block(id_); }

qreal BlockItem::height() const
{
    const std::size_t rows = std::max<std::size_t>({inputs_.size(), outputs_.size(), 1});
    const std::size_t shown = shownValues().size();
    const qreal band = shown > 0 ? kTrialBandHeader + kRow * qreal(shown) + 4 : 0;
    return kHeader + kRow * qreal(rows) + 8 + band + kFooter;
}

std::vector<std::pair<std::string, const Value*>> BlockItem::shownValues() const
{
    std::vector<std::pair<std::string, const Value*>> values;
    const auto& trial = model_.shownTrial();
    if (!trial)
        return values;
    const std::string prefix = id_ + ".";
    for (auto it = trial->values.lower_bound(prefix); it != trial->values.end() && it->first.starts_with(prefix); ++it)
        values.emplace_back(it->first.substr(prefix.size()), &it->second);
    return values;
}

QRectF BlockItem::boundingRect() const { return QRectF(-4, -4, kWidth + 8, height() + 8); }

PortItem* BlockItem::port(const std::string& name, bool output) const
{
    for (PortItem* p : output ? outputs_ : inputs_)
        if (p->portName() == name)
            return p;
    return nullptr;
}

void BlockItem::syncPosition()
{
    const Point p = block().position;
    setPos(p.x, p.y);
}

void BlockItem::refresh()
{
    prepareGeometryChange(); // a shown trial adds rows
    setFlag(ItemIsMovable, !model_.shownTrial()); // a shown trial is read-only
    const auto problems = model_.problemsOf(id_);
    QStringList lines;
    for (const auto& problem : problems)
        lines << qstr(problem.message).toHtmlEscaped();
    const BlockType* t = model_.typeOf(id_);
    QString tip = QStringLiteral("<b>%1</b> (%2)").arg(qstr(id_), t ? qstr(t->title) : qstr(block().type));
    if (t)
        tip += QStringLiteral("<br>%1").arg(qstr(t->explanation).toHtmlEscaped());
    if (!lines.isEmpty())
        tip += QStringLiteral("<hr><span style='color:#e5533d'>%1</span>").arg(lines.join(QStringLiteral("<br>")));
    setToolTip(tip);
    for (PortItem* p : inputs_)
        p->setFlagged(std::ranges::any_of(problems, [&](const Problem& pr) { return pr.port == p->portName(); }));
    update();
}

QVariant BlockItem::itemChange(GraphicsItemChange change, const QVariant& value)
{
    if (change == ItemPositionHasChanged)
        emit geometryChanged();
    return QGraphicsObject::itemChange(change, value);
}

void BlockItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const Block* b = model_.graph().block(id_);
    if (!b)
        return;
    const BlockType* t = model_.registry().find(b->type);
    const CanvasColors colors = canvasColors(appPalette());
    const QColor accent = t ? categoryColor(t->category) : colors.problem;
    const bool selected = option->state & QStyle::State_Selected;
    const bool hasProblem = !model_.problemsOf(id_).empty();
    const QRectF body(0, 0, kWidth, height());
    p->setRenderHint(QPainter::Antialiasing);

    // Soft shadow, then body.
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(0, 0, 0, 45));
    p->drawRoundedRect(body.translated(2, 3), 9, 9);
    p->setBrush(colors.nodeBody);
    const bool trialShown = model_.shownTrial().has_value();
    QPen outline(selected ? colors.selection
                          : (hasProblem ? colors.problem : (trialShown ? kTrialColor : colors.nodeBody.darker(125))),
                 selected || hasProblem || trialShown ? 2.2 : 1.0);
    if (trialShown && !selected)
        outline.setStyle(Qt::DashLine);
    p->setPen(outline);
    p->drawRoundedRect(body, 9, 9);

    // Header band in the category colour.
    QPainterPath header;
    header.setFillRule(Qt::WindingFill);
    header.addRoundedRect(QRectF(0, 0, kWidth, kHeader), 9, 9);
    header.addRect(QRectF(0, kHeader - 10, kWidth, 10));
    p->setPen(Qt::NoPen);
    p->setBrush(accent);
    p->drawPath(header.simplified());
    if (t)
        categoryIcon(t->category).paint(p, QRect(8, 7, 18, 18));

    QFont titleFont = p->font();
    titleFont.setBold(true);
    p->setFont(titleFont);
    p->setPen(Qt::white);
    const QString title = !b->label.empty() ? qstr(b->label) : (t ? qstr(t->title) : qstr(b->type));
    const QRectF titleRect(32, 0, kWidth - 40 - (hasProblem ? 18 : 0), kHeader);
    p->drawText(titleRect, Qt::AlignVCenter | Qt::AlignLeft,
                p->fontMetrics().elidedText(title, Qt::ElideRight, int(titleRect.width())));
    if (hasProblem) {
        const QRectF badge(kWidth - 24, 8, 16, 16);
        p->setBrush(colors.problem);
        p->setPen(QPen(Qt::white, 1.2));
        p->drawEllipse(badge);
        p->drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
    }

    // Port names.
    QFont portFont = p->font();
    portFont.setBold(false);
    portFont.setPointSizeF(portFont.pointSizeF() * 0.92);
    p->setFont(portFont);
    p->setPen(colors.nodeText);
    for (const PortItem* port : inputs_)
        p->drawText(QRectF(12, port->y() - kRow / 2, kWidth / 2 - 12, kRow), Qt::AlignVCenter | Qt::AlignLeft,
                    qstr(port->portName()));
    for (const PortItem* port : outputs_)
        p->drawText(QRectF(kWidth / 2, port->y() - kRow / 2, kWidth / 2 - 12, kRow), Qt::AlignVCenter | Qt::AlignRight,
                    qstr(port->portName()));

    const std::size_t rows = std::max<std::size_t>({inputs_.size(), outputs_.size(), 1});
    paintShownTrial(p, kHeader + kRow * qreal(rows) + 8);

    // Footer: the block's id and how much of it the search explores.
    int searched = 0;
    for (const auto& [name, param] : b->params)
        searched += param.searchable() ? 1 : 0;
    const QRectF footer(10, height() - kFooter - 2, kWidth - 20, kFooter);
    p->setPen(QPen(colors.gridMajor, 1));
    p->drawLine(QPointF(8, footer.top()), QPointF(kWidth - 8, footer.top()));
    p->setPen(colors.nodeSubtleText);
    p->drawText(footer, Qt::AlignVCenter | Qt::AlignLeft, qstr(b->id));
    if (searched > 0) {
        const QString text = QObject::tr("%n searched", nullptr, searched);
        const qreal w = p->fontMetrics().horizontalAdvance(text) + 14;
        const QRectF chip(footer.right() - w, footer.center().y() - 8, w, 16);
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(accent.red(), accent.green(), accent.blue(), 60));
        p->drawRoundedRect(chip, 8, 8);
        p->setPen(colors.nodeText);
        p->drawText(chip, Qt::AlignCenter, text);
    }
}

void BlockItem::paintShownTrial(QPainter* p, qreal top) const
{
    const auto values = shownValues();
    if (values.empty())
        return;
    const CanvasColors colors = canvasColors(appPalette());
    const QRectF band(6, top, kWidth - 12, kTrialBandHeader + kRow * qreal(values.size()));
    p->setPen(QPen(kTrialColor, 1));
    p->setBrush(QColor(kTrialColor.red(), kTrialColor.green(), kTrialColor.blue(), 40));
    p->drawRoundedRect(band, 5, 5);
    QFont font = p->font();
    font.setBold(true);
    p->setFont(font);
    p->setPen(kTrialColor.darker(isDark(appPalette()) ? 70 : 130));
    p->drawText(QRectF(band.left() + 8, top, band.width() - 16, kTrialBandHeader), Qt::AlignVCenter | Qt::AlignLeft,
                QObject::tr("trial %1 (read-only)").arg(model_.shownTrial()->id));
    const Block& b = block();
    qreal y = top + kTrialBandHeader;
    for (const auto& [param, value] : values) {
        const QRectF line(band.left() + 8, y, band.width() - 16, kRow);
        font.setBold(false);
        p->setFont(font);
        p->setPen(colors.nodeText);
        p->drawText(line, Qt::AlignVCenter | Qt::AlignLeft, qstr(param));
        auto it = b.params.find(param);
        const bool differs = it == b.params.end() || it->second.value != *value;
        font.setBold(differs); // what applying would change stands out
        p->setFont(font);
        p->drawText(line, Qt::AlignVCenter | Qt::AlignRight,
                    p->fontMetrics().elidedText(qstr(describeValue(*value)), Qt::ElideMiddle, int(line.width() * 0.6)));
        y += kRow;
    }
    font.setBold(false);
    p->setFont(font);
}

// ---------------------------------------------------------------------------------------- connections

ConnectionItem::ConnectionItem(Connection c, const PortItem* from, const PortItem* to)
    : connection_(std::move(c)), from_(from), to_(to)
{
    setFlags(ItemIsSelectable);
    setZValue(-1); // under the blocks
    setToolTip(QStringLiteral("%1 \u2192 %2 (%3)")
                   .arg(qstr(connection_.from.describe()), qstr(connection_.to.describe()),
                        qstr(portTypeTitle(from->portType()))));
    updatePath();
}

QPainterPath ConnectionItem::curve(QPointF from, QPointF to)
{
    const qreal dx = std::max<qreal>(60, std::abs(to.x() - from.x()) * 0.5);
    QPainterPath path(from);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    return path;
}

void ConnectionItem::updatePath() { setPath(curve(from_->anchor(), to_->anchor())); }

QPainterPath ConnectionItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    return stroker.createStroke(path());
}

void ConnectionItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const bool selected = option->state & QStyle::State_Selected;
    const QColor color = portTypeColor(from_->portType());
    p->setRenderHint(QPainter::Antialiasing);
    if (selected) {
        p->setPen(QPen(canvasColors(appPalette()).selection, 7, Qt::SolidLine, Qt::RoundCap));
        p->drawPath(path());
    }
    p->setPen(QPen(color, 2.6, Qt::SolidLine, Qt::RoundCap));
    p->setBrush(Qt::NoBrush);
    p->drawPath(path());
}

} // namespace nesy::gui
