#include "Inspector.h"
#include "ParameterEditor.h"
#include "Theme.h"
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QVBoxLayout>

namespace nesy::gui {

Inspector::Inspector(GraphEditor& editor, QWidget* parent)
    : QWidget(parent), editor_(editor), header_(new QLabel(this)), label_(new QLineEdit(this)),
      explanation_(new QLabel(this)), params_(new QWidget(this)), paramsLayout_(new QVBoxLayout(params_))
{
    setObjectName(QStringLiteral("inspector"));
    header_->setTextFormat(Qt::RichText);
    header_->setWordWrap(true);
    label_->setPlaceholderText(tr("Label shown on the canvas"));
    connect(label_, &QLineEdit::editingFinished, this, [this] {
        if (const Block* b = editor_.model().graph().block(block_); b && b->label != label_->text().toStdString())
            editor_.setLabel(block_, label_->text().toStdString());
    });
    explanation_->setWordWrap(true);
    explanation_->setForegroundRole(QPalette::PlaceholderText);

    paramsLayout_->setContentsMargins(0, 0, 4, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(params_);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 6, 6);
    layout->addWidget(header_);
    layout->addWidget(label_);
    layout->addWidget(explanation_);
    layout->addWidget(scroll, 1);

    GraphModel& m = editor_.model();
    connect(&m, &GraphModel::projectReset, this, [this] { showBlock({}); });
    connect(&m, &GraphModel::blockRemoved, this, [this](const QString& id) {
        if (sstr(id) == block_)
            showBlock({});
    });
    connect(&m, &GraphModel::blockChanged, this, [this](const QString& id) {
        if (sstr(id) == block_)
            refresh();
    });
    showBlock({});
}

ParameterEditor* Inspector::parameterEditor(const std::string& param) const
{
    for (ParameterEditor* e : editors_)
        if (e->paramName() == param)
            return e;
    return nullptr;
}

void Inspector::showBlocks(const QStringList& ids) { showBlock(ids.size() == 1 ? sstr(ids.first()) : std::string()); }

void Inspector::showBlock(const std::string& id)
{
    block_ = editor_.model().graph().contains(id) ? id : std::string();
    rebuild();
}

void Inspector::rebuild()
{
    for (ParameterEditor* e : editors_) {
        e->hide();
        e->deleteLater(); // may be the sender of the signal that led here
    }
    editors_.clear();
    while (QLayoutItem* item = paramsLayout_->takeAt(0))
        delete item;

    const Block* b = editor_.model().graph().block(block_);
    const BlockType* t = b ? editor_.model().registry().find(b->type) : nullptr;
    label_->setVisible(b);
    explanation_->setVisible(b);
    if (!b) {
        header_->setText(tr("<p style='color:gray'>Select one block on the canvas to edit its parameters. "
                            "Each parameter is either <b>fixed</b> or <b>searched</b> over a domain.</p>"));
        paramsLayout_->addStretch();
        return;
    }
    const QColor accent = t ? categoryColor(t->category) : QColor(Qt::gray);
    header_->setText(QStringLiteral("<span style='font-size:large'><b>%1</b></span><br>"
                                    "<span style='color:%2'>\u25A0</span> %3 &nbsp;<code>%4</code>")
                         .arg(qstr(block_).toHtmlEscaped(), accent.name(),
                              t ? qstr(t->title).toHtmlEscaped() : tr("unknown type"), qstr(b->type)));
    explanation_->setText(t ? qstr(t->explanation) : tr("This block type is not in the registry."));
    if (t) {
        for (const ParamSpec& spec : t->params) {
            auto* e = new ParameterEditor(editor_, block_, spec, params_);
            paramsLayout_->addWidget(e);
            editors_.push_back(e);
            auto* line = new QFrame(params_);
            line->setFrameShape(QFrame::HLine);
            line->setForegroundRole(QPalette::Mid);
            paramsLayout_->addWidget(line);
        }
    }
    paramsLayout_->addStretch();
    refresh();
}

void Inspector::refresh()
{
    const Block* b = editor_.model().graph().block(block_);
    if (!b)
        return;
    if (!label_->hasFocus())
        label_->setText(qstr(b->label));
    for (ParameterEditor* e : editors_)
        e->refresh(); // values, modes, and which parameters are active now
}

} // namespace nesy::gui
