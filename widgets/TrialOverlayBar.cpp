#include "TrialOverlayBar.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace nesy::gui {

TrialOverlayBar::TrialOverlayBar(GraphEditor& editor, QWidget* parent)
    : QFrame(parent), editor_(editor), text_(new QLabel(this)), apply_(new QPushButton(tr("Apply to project"), this)),
      back_(new QPushButton(tr("Back to project"), this))
{
    setObjectName(QStringLiteral("trialOverlayBar"));
    setAutoFillBackground(true);
    QPalette amber = palette();
    amber.setColor(QPalette::Window, QColor(0xE6, 0x9B, 0x1E));
    amber.setColor(QPalette::WindowText, Qt::black);
    setPalette(amber);
    apply_->setToolTip(tr("Puts this trial's chosen values into the project (one step: Undo reverts it)."));
    back_->setToolTip(tr("Shows the project's own values again; the project was not changed."));
    connect(apply_, &QPushButton::clicked, this, &TrialOverlayBar::applyToProject);
    connect(back_, &QPushButton::clicked, &editor_.model(), &GraphModel::showProject);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 3, 8, 3);
    layout->addWidget(text_, 1);
    layout->addWidget(apply_);
    layout->addWidget(back_);
    connect(&editor_.model(), &GraphModel::shownTrialChanged, this, &TrialOverlayBar::refresh);
    refresh();
}

int TrialOverlayBar::applyToProject()
{
    const auto trial = editor_.model().shownTrial();
    if (!trial)
        return 0;
    editor_.model().showProject();
    const int changed = editor_.applyAssignment(trial->values);
    emit applied(trial->id, changed);
    return changed;
}

void TrialOverlayBar::refresh()
{
    const auto& trial = editor_.model().shownTrial();
    setVisible(trial.has_value());
    if (trial)
        text_->setText(tr("<b>Showing trial %1</b>: the blocks show this trial's chosen values (read-only). "
                          "The project is unchanged until you apply them.")
                           .arg(trial->id));
}

} // namespace nesy::gui
