#include "ResultPanels.h"
#include "GraphModel.h"
#include "ParetoPlot.h"
#include "TrialTableModel.h"
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace nesy::gui {

// ------------------------------------------------------------------------------------------- trials

TrialsPanel::TrialsPanel(TrialStore& store, QWidget* parent)
    : QWidget(parent), store_(store), model_(new TrialTableModel(store, this)), filter_(new TrialFilterModel(this)),
      table_(new QTableView(this))
{
    setObjectName(QStringLiteral("trialsPanel"));
    filter_->setSourceModel(model_);
    table_->setModel(filter_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(TrialTableModel::Id, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(22);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setAlternatingRowColors(true);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        if (i.isValid())
            store_.select(i.data(TrialTableModel::TrialIdRole).toInt());
    });
    connect(&store_, &TrialStore::selectionChanged, this, [this](std::optional<int> id) {
        const auto row = id ? store_.rowOf(*id) : std::nullopt;
        const QModelIndex shown = row ? filter_->mapFromSource(model_->index(*row, 0)) : QModelIndex();
        if (shown.isValid()) { // hidden by the filter: nothing to select
            table_->selectRow(shown.row());
            table_->scrollTo(shown);
        }
    });

    auto* text = new QLineEdit(this);
    text->setPlaceholderText(tr("Filter trials"));
    text->setClearButtonEnabled(true);
    connect(text, &QLineEdit::textChanged, filter_, &TrialFilterModel::setText);
    auto* status = new QComboBox(this);
    status->addItems({tr("All trials"), tr("Feasible"), tr("Infeasible or failed")});
    connect(status, &QComboBox::currentIndexChanged, this,
            [this](int i) { filter_->setStatusFilter(TrialFilterModel::StatusFilter(i)); });
    auto* csv = new QPushButton(tr("Export CSV..."), this);
    auto* json = new QPushButton(tr("Export JSON..."), this);
    connect(csv, &QPushButton::clicked, this, [this] { exportTrials(true); });
    connect(json, &QPushButton::clicked, this, [this] { exportTrials(false); });
    auto* bar = new QHBoxLayout;
    bar->addWidget(text, 1);
    bar->addWidget(status);
    bar->addWidget(csv);
    bar->addWidget(json);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(table_);
}

void TrialsPanel::addTrialAction(QAction* action)
{
    table_->setContextMenuPolicy(Qt::ActionsContextMenu); // a right click selects the row, then shows these
    table_->addAction(action);
}

void TrialsPanel::exportTrials(bool csv)
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export trials"), QString(),
                                                      csv ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    if (file.isEmpty())
        return;
    try {
        writeTextFileAtomically(sstr(file), csv ? store_.toCsv() : store_.toJson());
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot export"), qstr(e.what()));
    }
}

// ------------------------------------------------------------------------------------------- pareto

ParetoPanel::ParetoPanel(TrialStore& store, QWidget* parent)
    : QWidget(parent), plot_(new ParetoPlot(store, this)), axis_(new QComboBox(this))
{
    setObjectName(QStringLiteral("paretoPanel"));
    for (ResourceAxis a : {ResourceAxis::Flash, ResourceAxis::Sram, ResourceAxis::Latency})
        axis_->addItem(tr("Error against %1").arg(resourceTitle(a)), int(a));
    connect(axis_, &QComboBox::currentIndexChanged, this,
            [this](int i) { plot_->setAxis(ResourceAxis(axis_->itemData(i).toInt())); });
    auto* png = new QPushButton(tr("Save PNG..."), this);
    auto* svg = new QPushButton(tr("Save SVG..."), this);
    auto save = [this](bool asSvg) {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save plot"), QString(),
                                                          asSvg ? tr("SVG (*.svg)") : tr("PNG (*.png)"));
        if (file.isEmpty())
            return;
        try {
            asSvg ? plot_->saveSvg(file) : plot_->savePng(file);
        } catch (const std::exception& e) {
            QMessageBox::critical(this, tr("Cannot save the plot"), qstr(e.what()));
        }
    };
    connect(png, &QPushButton::clicked, this, [save] { save(false); });
    connect(svg, &QPushButton::clicked, this, [save] { save(true); });
    auto* bar = new QHBoxLayout;
    bar->addWidget(axis_);
    bar->addStretch();
    bar->addWidget(png);
    bar->addWidget(svg);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(plot_, 1);
}

// ------------------------------------------------------------------------------------------ details

TrialDetailsView::TrialDetailsView(TrialStore& store, QWidget* parent)
    : QWidget(parent), store_(store), browser_(new QTextBrowser(this)),
      showOnCanvas_(new QPushButton(tr("Show on canvas"), this))
{
    setObjectName(QStringLiteral("trialDetails"));
    showOnCanvas_->setToolTip(tr("Shows this trial's chosen values on the blocks (read-only), with Apply to project."));
    connect(showOnCanvas_, &QPushButton::clicked, this, [this] {
        if (auto id = store_.selectedTrial())
            emit showOnCanvasRequested(*id);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(browser_);
    layout->addWidget(showOnCanvas_);
    connect(&store_, &TrialStore::selectionChanged, this, &TrialDetailsView::show);
    show(std::nullopt);
}

QString TrialDetailsView::text() const { return browser_->toPlainText(); }

QString TrialDetailsView::boardMeasurementsHtml(const Json& resources)
{
    // One entry per board the candidate was measured on, two lines each so it reads in a narrow dock;
    // -1 (not measured, e.g. after a fault) shows as a dash.
    auto value = [](const Json& m, const char* key, double scale, int decimals, const QString& unit) {
        const auto it = m.find(key);
        if (it == m.end() || !it->is_number() || it->get<double>() < 0)
            return QStringLiteral("\u2013");
        return QString::number(it->get<double>() * scale, 'f', decimals) + unit;
    };
    QString html;
    for (const Json& m : resources) {
        const std::string fault = m.value("fault", std::string("none"));
        QString result = fault == "none" ? tr("fits") : QStringLiteral("<span style='color:#d73a2f'>%1</span>").arg(qstr(fault).toHtmlEscaped());
        if (const std::string detail = m.value("detail", std::string()); !detail.empty())
            result += QStringLiteral(" (%1)").arg(qstr(detail).toHtmlEscaped());
        html += QStringLiteral("<p style='margin:2px 0 6px 0'><b><code>%1</code></b>: %2<br>").arg(
                    qstr(m.value("board", std::string("?"))).toHtmlEscaped(), result);
        html += tr("flash %1 &middot; SRAM %2 &middot; stack %3 &middot; latency %4 &middot; %5 cycles</p>")
                    .arg(value(m, "flash_bytes", 1.0 / 1024, 1, tr(" KB")), value(m, "sram_static_bytes", 1.0 / 1024, 1, tr(" KB")),
                         value(m, "peak_stack_bytes", 1.0 / 1024, 1, tr(" KB")), value(m, "latency_ms", 1, 3, tr(" ms")),
                         value(m, "cycles", 1, 0, QString()));
    }
    return html;
}

void TrialDetailsView::show(std::optional<int> id)
{
    const TrialRow* t = id ? store_.trial(*id) : nullptr;
    showOnCanvas_->setEnabled(t && !t->assignment.empty());
    if (!t) {
        browser_->setHtml(tr("<p style='color:gray'>Click a trial in the Pareto plot or the trial table to see "
                             "its settings and measurements.</p>"));
        return;
    }
    QString html = tr("<h3>Trial %1</h3><p>Status: <b>%2</b>%3%4</p>")
                       .arg(t->id)
                       .arg(qstr(trialStatusName(t->status)),
                            t->fault.empty() ? QString() : QStringLiteral(" (%1)").arg(qstr(t->fault)),
                            t->detail.empty() ? QString() : QStringLiteral("<br>%1").arg(qstr(t->detail).toHtmlEscaped()));
    html += tr("<p><b>Objective</b> %1 &nbsp; <b>Proposed by</b> %2</p>")
                .arg(t->hasObjective() ? QString::number(t->objective, 'g', 5) : QStringLiteral("\u2013"), qstr(t->proposedBy));
    html += tr("<h4>Metrics</h4><table cellpadding='2'>");
    for (const auto& [k, v] : t->terms)
        html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td></tr>").arg(qstr(k)).arg(v, 0, 'g', 6);
    html += QStringLiteral("</table>");
    Json otherDetails = t->details.is_object() ? t->details : Json::object();
    if (auto it = otherDetails.find("resources"); it != otherDetails.end() && it->is_array()) {
        html += tr("<h4>Per-board measurements</h4>") + boardMeasurementsHtml(*it);
        otherDetails.erase(it);
    }
    html += tr("<h4>Chosen settings</h4><table cellpadding='2'>");
    for (const auto& [k, v] : t->assignment)
        html += QStringLiteral("<tr><td><code>%1</code></td><td>%2</td></tr>").arg(qstr(k), qstr(describeValue(v)).toHtmlEscaped());
    html += QStringLiteral("</table>");
    if (!otherDetails.empty())
        html += tr("<h4>Other details</h4><pre>%1</pre>").arg(qstr(otherDetails.dump(2)).toHtmlEscaped());
    browser_->setHtml(html);
}

} // namespace nesy::gui
