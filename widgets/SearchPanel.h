#pragma once
// The search panel: target boards, objective weights, budget, seed and batch size (edited in the
// project through the GraphEditor, so they are undoable and saved), plus start / pause / resume /
// stop and the progress of a running search. It shows state; a search controller drives it.
#include "GraphEditor.h"
#include "BoardTableModel.h"
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace nesy::gui {

class SearchPanel : public QWidget {
    Q_OBJECT
public:
    // The target boards offered are the board manager's (boardModel: simulated, emulated and
    // attached USB boards), updated as boards come and go.
    SearchPanel(GraphEditor& editor, const BoardTableModel& boardModel, QWidget* parent = nullptr);

    enum class RunState { Idle, Running, Paused, Unavailable };
    void setRunState(RunState s, const QString& why = {});
    void setProgress(int finished, int total, int running, double secondsLeft);

signals:
    void startRequested();
    void pauseRequested();
    void resumeRequested();
    void stopRequested();

private:
    void refresh();
    void commit();
    void rebuildBoardList();

    GraphEditor& editor_;
    const BoardTableModel& boardModel_;
    QListWidget* boards_;
    QDoubleSpinBox* wError_;
    QDoubleSpinBox* wFlash_;
    QDoubleSpinBox* wSram_;
    QDoubleSpinBox* wLatency_;
    QDoubleSpinBox* latencyBudget_;
    QSpinBox* trials_;
    QSpinBox* initialRandom_;
    QSpinBox* batch_;
    QSpinBox* seed_;
    QPushButton* start_;
    QPushButton* pause_;
    QPushButton* stop_;
    QProgressBar* progress_;
    QLabel* status_;
    RunState state_ = RunState::Idle;
};

} // namespace nesy::gui
