#pragma once
// The workbench's visual vocabulary in one place: category and port-type colours, category icons,
// and the dark/light palette. Every widget asks here so the same thing always looks the same.
#include "graph/BlockType.h"
#include <QColor>
#include <QIcon>
#include <QPalette>

namespace nesy::gui {

QColor categoryColor(BlockCategory c);
QColor portTypeColor(PortType t);
QIcon categoryIcon(BlockCategory c);
QIcon applicationIcon();

// Colours the canvas uses for its background, grid, text and problem marks; they follow the
// application palette so the canvas matches a dark or light desktop.
struct CanvasColors {
    QColor background;
    QColor gridMinor;
    QColor gridMajor;
    QColor nodeBody;
    QColor nodeText;
    QColor nodeSubtleText;
    QColor selection;
    QColor problem;
    QColor connection;
};
CanvasColors canvasColors(const QPalette& palette);
bool isDark(const QPalette& palette);

// A dark Fusion palette, applied when the desktop's own palette is dark (or when asked for).
QPalette darkPalette();

} // namespace nesy::gui
