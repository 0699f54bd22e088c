#pragma once
// The panels that show a search's results, each a thin view over a TrialStore: the filterable
// trial table, the Pareto plot with its axis choice and exports, the selected trial's details.
// (The Boards panel is BoardPanel.h.)
#include "TrialStore.h"
#include <QWidget>

class QAction;
class QComboBox;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace nesy::gui {

class ParetoPlot;
class TrialFilterModel;
class TrialTableModel;

class TrialsPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrialsPanel(TrialStore& store, QWidget* parent = nullptr);
    QTableView* table() const { return table_; }
    TrialFilterModel* filter() const { return filter_; }
    // Actions offered in the table's context menu (they act on the selected trial).
    void addTrialAction(QAction* action);

private:
    void exportTrials(bool csv);

    TrialStore& store_;
    TrialTableModel* model_;
    TrialFilterModel* filter_;
    QTableView* table_;
};

class ParetoPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParetoPanel(TrialStore& store, QWidget* parent = nullptr);
    ParetoPlot* plot() const { return plot_; }

private:
    ParetoPlot* plot_;
    QComboBox* axis_;
};

class TrialDetailsView : public QWidget {
    Q_OBJECT
public:
    explicit TrialDetailsView(TrialStore& store, QWidget* parent = nullptr);
    QString text() const;

signals:
    // "Show on canvas": switch to the canvas, which shows this trial's chosen settings.
    void showOnCanvasRequested(int trialId);

private:
    void show(std::optional<int> id);
    static QString boardMeasurementsHtml(const Json& resources); // details["resources"] as a table
    TrialStore& store_;
    QTextBrowser* browser_;
    QPushButton* showOnCanvas_;
};

} // namespace nesy::gui
