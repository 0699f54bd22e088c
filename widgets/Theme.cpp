#include "Theme.h"
#include <QString>

// Resources compiled into a static library are only registered when asked for by name.
static void registerIconResources() { Q_INIT_RESOURCE(icons); }

namespace nesy::gui {

namespace {
QIcon iconResource(const QString& name)
{
    static const bool registered = (registerIconResources(), true);
    Q_UNUSED(registered);
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}
} // namespace

QColor categoryColor(BlockCategory c)
{
    switch (c) {
    case BlockCategory::Source: return QColor(0x2E, 0x86, 0xAB);
    case BlockCategory::Feature: return QColor(0x3F, 0xA3, 0x4D);
    case BlockCategory::Backbone: return QColor(0x8E, 0x44, 0xAD);
    case BlockCategory::Symbolic: return QColor(0xE6, 0x7E, 0x22);
    case BlockCategory::Kalman: return QColor(0x16, 0xA0, 0x85);
    case BlockCategory::Rule: return QColor(0xC0, 0x39, 0x2B);
    case BlockCategory::Sink: return QColor(0x5D, 0x6D, 0x7E);
    }
    return Qt::gray;
}

QColor portTypeColor(PortType t)
{
    switch (t) {
    case PortType::Window: return QColor(0x4F, 0xC3, 0xF7);
    case PortType::Signal: return QColor(0x19, 0x76, 0xD2);
    case PortType::Features: return QColor(0x66, 0xBB, 0x6A);
    case PortType::ClassScores: return QColor(0xBA, 0x68, 0xC8);
    case PortType::Scalar: return QColor(0xFF, 0xB7, 0x4D);
    case PortType::StateVector: return QColor(0x26, 0xA6, 0x9A);
    case PortType::Decision: return QColor(0xEF, 0x53, 0x50);
    }
    return Qt::gray;
}

QIcon categoryIcon(BlockCategory c)
{
    // Icon files are named after the category ("source", "features", ...), see resources/icons.
    return iconResource(QString::fromStdString(categoryName(c)));
}

QIcon applicationIcon() { return iconResource(QStringLiteral("app")); }

bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

CanvasColors canvasColors(const QPalette& palette)
{
    if (isDark(palette))
        return {QColor(0x1B, 0x1F, 0x24), QColor(0x24, 0x29, 0x30), QColor(0x2E, 0x35, 0x3D), QColor(0x2B, 0x31, 0x38),
                QColor(0xE8, 0xEC, 0xF0), QColor(0x9A, 0xA5, 0xB1), QColor(0x4D, 0xA3, 0xFF), QColor(0xFF, 0x6B, 0x5B),
                QColor(0x9A, 0xA5, 0xB1)};
    return {QColor(0xF6, 0xF7, 0xF9), QColor(0xEA, 0xEC, 0xEF), QColor(0xDA, 0xDD, 0xE2), QColor(0xFF, 0xFF, 0xFF),
            QColor(0x1F, 0x23, 0x28), QColor(0x6A, 0x73, 0x7D), QColor(0x1F, 0x6F, 0xEB), QColor(0xD7, 0x3A, 0x2F),
            QColor(0x6A, 0x73, 0x7D)};
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x23, 0x27, 0x2E), base(0x1B, 0x1F, 0x24), text(0xE8, 0xEC, 0xF0), mid(0x3A, 0x41, 0x4A);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x25, 0x2A, 0x31));
    p.setColor(QPalette::ToolTipBase, QColor(0x30, 0x36, 0x3E));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8A, 0x94, 0x9E));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2D, 0x33, 0x3A));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xFF, 0x6B, 0x5B));
    p.setColor(QPalette::Mid, mid);
    p.setColor(QPalette::Dark, QColor(0x16, 0x19, 0x1D));
    p.setColor(QPalette::Light, QColor(0x3F, 0x47, 0x50));
    p.setColor(QPalette::Highlight, QColor(0x2F, 0x7F, 0xE0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6C, 0xB6, 0xFF));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x7A, 0x84, 0x8E));
    return p;
}

} // namespace nesy::gui
