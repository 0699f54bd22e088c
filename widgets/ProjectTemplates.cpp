#include "ProjectTemplates.h"
#include "GraphModel.h"
#include "Theme.h"
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QListWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

// Resources compiled into a static library are only registered when asked for by name.
static void registerTemplateResources() { Q_INIT_RESOURCE(templates); }

namespace nesy::gui {

std::vector<ProjectTemplate> projectTemplates()
{
    static const bool registered = (registerTemplateResources(), true);
    Q_UNUSED(registered);
    std::vector<ProjectTemplate> out;
    const QDir dir(QStringLiteral(":/templates"));
    for (const QString& name : dir.entryList({QStringLiteral("*.nesy.json")}, QDir::Files, QDir::Name)) {
        const QString path = dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw FormatError(sstr(path), "cannot read the bundled template");
        out.push_back({path, projectFromJson(parseJsonText(f.readAll().toStdString(), sstr(path)))});
    }
    return out;
}

NewProjectDialog::NewProjectDialog(QWidget* parent)
    : QDialog(parent), templates_(projectTemplates()), list_(new QListWidget(this)), details_(new QTextBrowser(this))
{
    setWindowTitle(tr("New project from a template"));
    resize(820, 460);
    list_->setIconSize(QSize(28, 28));
    list_->setSpacing(2);
    for (const auto& t : templates_) {
        // The icon shows the category of the block that makes the shape what it is.
        BlockCategory signature = BlockCategory::Backbone;
        BlockRegistry registry = BlockRegistry::builtin();
        for (const auto& b : t.project.graph.blocks())
            if (const BlockType* type = registry.find(b.type);
                type && (type->category == BlockCategory::Symbolic || type->category == BlockCategory::Kalman ||
                         type->category == BlockCategory::Rule || type->category == BlockCategory::Feature))
                signature = type->category;
        list_->addItem(new QListWidgetItem(categoryIcon(signature), qstr(t.project.name)));
    }
    connect(list_, &QListWidget::currentRowChanged, this, &NewProjectDialog::showDetails);
    connect(list_, &QListWidget::itemDoubleClicked, this, &QDialog::accept);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* row = new QHBoxLayout;
    row->addWidget(list_, 2);
    row->addWidget(details_, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    list_->setCurrentRow(0);
}

void NewProjectDialog::showDetails(int row)
{
    if (row < 0 || std::size_t(row) >= templates_.size())
        return;
    const Project& p = templates_[std::size_t(row)].project;
    QStringList chain;
    for (const auto& c : p.graph.connections())
        chain << QStringLiteral("<code>%1 \u2192 %2</code>").arg(qstr(c.from.describe()), qstr(c.to.describe()));
    details_->setHtml(QStringLiteral("<h3>%1</h3><p>%2</p><p><b>%3</b><br>%4</p><p><b>%5</b> %6</p>")
                          .arg(qstr(p.name).toHtmlEscaped(), qstr(p.description).toHtmlEscaped(), tr("Graph"),
                               chain.join(QStringLiteral("<br>")), tr("Searched parameters:"))
                          .arg(p.graph.searchableParameters().size()));
}

Project NewProjectDialog::chosenProject() const
{
    const int row = std::max(0, list_->currentRow());
    return templates_.at(std::size_t(row)).project;
}

} // namespace nesy::gui
