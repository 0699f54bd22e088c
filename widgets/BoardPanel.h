#pragma once
// The Boards panel: every board the board manager knows, one row each with live flash and SRAM bars
// against its capacity, last latency and state; below it, the selected (or else the latest) trial's
// measurement on each of its target boards.
#include "BoardTableModel.h"
#include "TrialStore.h"
#include <QWidget>

class QLabel;
class QTableView;

namespace nesy::gui {

class BoardPanel : public QWidget {
    Q_OBJECT
public:
    explicit BoardPanel(BoardTableModel& model, QWidget* parent = nullptr);
    QTableView* table() const { return table_; }
    QTableView* trialTable() const { return trialTable_; }
    MeasurementTableModel& trialMeasurements() { return *measurements_; }

    // Shows the measurements of the selected trial, or of the latest trial that has any.
    void followTrials(TrialStore& store);
    // The trial whose measurements are shown (nullptr: none).
    void showTrial(const TrialRow* trial);

private:
    void showFromStore();

    TrialStore* store_ = nullptr;
    QTableView* table_;
    MeasurementTableModel* measurements_;
    QLabel* trialTitle_;
    QTableView* trialTable_;
};

} // namespace nesy::gui
