#include "BlockPalette.h"
#include "GraphModel.h"
#include "GraphScene.h"
#include "Theme.h"
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace nesy::gui {

namespace {
QString portList(const std::vector<PortSpec>& ports)
{
    QStringList parts;
    for (const auto& p : ports)
        parts << QStringLiteral("%1 <span style='color:%2'>\u25CF</span> %3")
                     .arg(qstr(p.name), portTypeColor(p.type).name(), qstr(portTypeName(p.type)));
    return parts.isEmpty() ? QObject::tr("none") : parts.join(QStringLiteral(", "));
}

QString explanationHtml(const BlockType& t)
{
    return QStringLiteral("<b>%1</b> <span style='color:gray'>%2</span><p>%3</p><p><b>%4</b> %5<br><b>%6</b> %7</p>")
        .arg(qstr(t.title).toHtmlEscaped(), qstr(t.id), qstr(t.explanation).toHtmlEscaped(), QObject::tr("In:"),
             portList(t.inputs), QObject::tr("Out:"), portList(t.outputs));
}
} // namespace

BlockPaletteModel::BlockPaletteModel(const BlockRegistry& registry, QObject* parent) : QStandardItemModel(parent)
{
    for (BlockCategory c : allCategories()) {
        auto types = registry.inCategory(c);
        if (types.empty())
            continue;
        auto* category = new QStandardItem(categoryIcon(c), qstr(categoryTitle(c)));
        category->setFlags(Qt::ItemIsEnabled);
        QFont bold = category->font();
        bold.setBold(true);
        category->setFont(bold);
        for (const BlockType* t : types) {
            auto* entry = new QStandardItem(categoryIcon(c), qstr(t->title));
            entry->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
            entry->setData(qstr(t->id), TypeIdRole);
            entry->setData(explanationHtml(*t), ExplanationRole);
            entry->setToolTip(QStringLiteral("<div style='max-width:360px'>%1</div>").arg(explanationHtml(*t)));
            category->appendRow(entry);
        }
        appendRow(category);
    }
}

QStringList BlockPaletteModel::mimeTypes() const { return {QString::fromLatin1(kBlockTypeMime)}; }

QMimeData* BlockPaletteModel::mimeData(const QModelIndexList& indexes) const
{
    for (const QModelIndex& i : indexes) {
        const QString type = i.data(TypeIdRole).toString();
        if (type.isEmpty())
            continue;
        auto* mime = new QMimeData; // ownership passes to the drag
        mime->setData(kBlockTypeMime, type.toUtf8());
        mime->setText(type);
        return mime;
    }
    return nullptr;
}

BlockPalette::BlockPalette(const BlockRegistry& registry, QWidget* parent)
    : QWidget(parent), model_(new BlockPaletteModel(registry, this)), filter_(new QSortFilterProxyModel(this)),
      search_(new QLineEdit(this)), view_(new QTreeView(this)), explanation_(new QLabel(this))
{
    setObjectName(QStringLiteral("blockPalette"));
    filter_->setSourceModel(model_);
    filter_->setRecursiveFilteringEnabled(true);
    filter_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    search_->setPlaceholderText(tr("Filter blocks"));
    search_->setClearButtonEnabled(true);
    connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
        filter_->setFilterFixedString(text);
        view_->expandAll();
    });

    view_->setModel(filter_);
    view_->setHeaderHidden(true);
    view_->setDragEnabled(true);
    view_->setDragDropMode(QAbstractItemView::DragOnly);
    view_->setIconSize(QSize(20, 20));
    view_->setUniformRowHeights(true);
    view_->setAnimated(true);
    view_->expandAll();
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showExplanation(current); });
    connect(view_, &QTreeView::activated, this, [this](const QModelIndex& index) {
        const QString type = index.data(BlockPaletteModel::TypeIdRole).toString();
        if (!type.isEmpty())
            emit blockActivated(type);
    });

    explanation_->setWordWrap(true);
    explanation_->setTextFormat(Qt::RichText);
    explanation_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    explanation_->setMinimumHeight(120);
    explanation_->setMargin(6);
    explanation_->setText(tr("<p style='color:gray'>Drag a block onto the canvas, or double-click it. "
                             "Select one to read what it does.</p>"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(search_);
    layout->addWidget(view_, 3);
    layout->addWidget(explanation_, 1);
}

void BlockPalette::showExplanation(const QModelIndex& index)
{
    const QString html = index.data(BlockPaletteModel::ExplanationRole).toString();
    if (!html.isEmpty())
        explanation_->setText(html);
}

} // namespace nesy::gui
