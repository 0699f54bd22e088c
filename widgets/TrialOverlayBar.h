#pragma once
// The strip above the canvas while it shows a search trial's settings (GraphModel::shownTrial):
// says which trial, and offers "Apply to project" (one undoable step) and "Back to project".
// Hidden otherwise. A view: everything it shows is read from the model.
#include "GraphEditor.h"
#include <QFrame>

class QLabel;
class QPushButton;

namespace nesy::gui {

class TrialOverlayBar : public QFrame {
    Q_OBJECT
public:
    explicit TrialOverlayBar(GraphEditor& editor, QWidget* parent = nullptr);

    // Puts the shown trial's values into the project as one undoable command and ends the overlay;
    // returns how many parameters changed.
    int applyToProject();
    QPushButton* applyButton() const { return apply_; }
    QPushButton* backButton() const { return back_; }

signals:
    void applied(int trialId, int changedParameters);

private:
    void refresh();

    GraphEditor& editor_;
    QLabel* text_;
    QPushButton* apply_;
    QPushButton* back_;
};

} // namespace nesy::gui
