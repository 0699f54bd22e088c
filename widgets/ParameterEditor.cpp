#include "ParameterEditor.h"
#include "graph/builtin/Specs.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace nesy::gui {

namespace {
constexpr int kChipsPerRow = 4;

// Empties a layout. Widgets are deleted later, not now: the editor being rebuilt may be the one
// whose signal started the rebuild.
void clearLayout(QLayout* layout)
{
    while (QLayoutItem* item = layout->takeAt(0)) {
        if (QWidget* w = item->widget()) {
            w->hide();
            w->deleteLater();
        }
        delete item;
    }
}

int decimalsFor(const Domain& range)
{
    if (range.kind == DomainKind::LogReal || (range.low > 0 && range.low < 0.01))
        return 6;
    return 3;
}

QDoubleSpinBox* realSpin(const Domain& range, QWidget* parent)
{
    auto* spin = new QDoubleSpinBox(parent);
    spin->setDecimals(decimalsFor(range));
    spin->setRange(range.low, range.high);
    spin->setSingleStep(range.kind == DomainKind::LogReal ? std::max(range.low, 1e-6) : (range.high - range.low) / 100);
    spin->setKeyboardTracking(false); // one step per finished number, not per keystroke
    return spin;
}

QSpinBox* intSpin(const Domain& range, QWidget* parent)
{
    auto* spin = new QSpinBox(parent);
    spin->setRange(int(std::max(range.low, -2e9)), int(std::min(range.high, 2e9)));
    spin->setKeyboardTracking(false);
    return spin;
}

// Checkable chips, one per value, laid out in rows; `changed` gets the checked values in order.
QWidget* chips(const std::vector<Value>& values, const std::vector<Value>& checked,
               std::function<void(std::vector<Value>)> changed, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(3);
    auto buttons = std::make_shared<std::vector<QToolButton*>>();
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto* b = new QToolButton(box);
        b->setText(QString::fromStdString(describeValue(values[i])));
        b->setCheckable(true);
        b->setChecked(std::ranges::find(checked, values[i]) != checked.end());
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        grid->addWidget(b, int(i) / kChipsPerRow, int(i) % kChipsPerRow);
        buttons->push_back(b);
        QObject::connect(b, &QToolButton::toggled, box, [values, buttons, changed] {
            std::vector<Value> on;
            for (std::size_t j = 0; j < buttons->size(); ++j)
                if ((*buttons)[j]->isChecked())
                    on.push_back(values[j]);
            changed(on);
        });
    }
    return box;
}
} // namespace

ParameterEditor::ParameterEditor(GraphEditor& editor, std::string block, const ParamSpec& spec, QWidget* parent)
    : QWidget(parent), editor_(editor), block_(std::move(block)), spec_(spec), condition_(new QLabel(this)),
      mode_(new QComboBox(this)), valueBox_(new QWidget(this)), domainBox_(new QWidget(this)),
      domainLayout_(new QGridLayout(domainBox_))
{
    setObjectName(qstr("param." + spec_.name));
    setToolTip(qstr(spec_.explanation));
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 4, 0, 6);
    layout->setHorizontalSpacing(6);
    layout->setVerticalSpacing(2);

    auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(qstr(spec_.title).toHtmlEscaped()), this);
    title->setToolTip(qstr(spec_.explanation));
    layout->addWidget(title, 0, 0);
    mode_->addItems({tr("Fixed"), tr("Search")});
    mode_->setObjectName(QStringLiteral("mode"));
    mode_->setEnabled(spec_.suggestedSearch.has_value()); // free text and the like are never searched
    mode_->setToolTip(tr("Fixed: this value is used.\nSearch: the search chooses from a domain."));
    connect(mode_, &QComboBox::currentIndexChanged, this, [this](int i) { setSearched(i == 1); });
    layout->addWidget(mode_, 0, 1, Qt::AlignRight);
    auto* reset = new QToolButton(this);
    reset->setText(QStringLiteral("\u21BA"));
    reset->setToolTip(tr("Back to the block type's default"));
    reset->setAutoRaise(true);
    connect(reset, &QToolButton::clicked, this, [this] { editor_.resetParameter(block_, spec_.name); });
    layout->addWidget(reset, 0, 2);

    auto* explanation = new QLabel(qstr(spec_.explanation), this);
    explanation->setWordWrap(true);
    explanation->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(explanation, 1, 0, 1, 3);
    condition_->setWordWrap(true);
    condition_->setVisible(spec_.activeWhen.has_value());
    layout->addWidget(condition_, 2, 0, 1, 3);

    auto* valueLayout = new QVBoxLayout(valueBox_);
    valueLayout->setContentsMargins(0, 0, 0, 0);
    buildValueEditor();
    layout->addWidget(valueBox_, 3, 0, 1, 3);
    domainLayout_->setContentsMargins(12, 0, 0, 0);
    layout->addWidget(domainBox_, 4, 0, 1, 3);
    layout->setColumnStretch(0, 1);
    refresh();
}

Parameter ParameterEditor::current() const
{
    const Block* b = editor_.model().graph().block(block_);
    if (b)
        if (auto it = b->params.find(spec_.name); it != b->params.end())
            return it->second;
    return Parameter{spec_.defaultValue, std::nullopt};
}

void ParameterEditor::commit(const Parameter& p)
{
    if (!(p == current()))
        editor_.setParameter(block_, spec_.name, p);
}

void ParameterEditor::buildValueEditor()
{
    QLayout* layout = valueBox_->layout();
    const Domain& range = spec_.range;
    auto setValue = [this](Value v) {
        Parameter p = current();
        p.value = std::move(v);
        commit(p);
    };
    if (builtin::isFreeText(spec_)) {
        auto* edit = new QLineEdit(valueBox_);
        connect(edit, &QLineEdit::editingFinished, this, [edit, setValue] { setValue(Value(edit->text().toStdString())); });
        showValue_ = [edit](const Value& v) { edit->setText(qstr(v.is_string() ? v.get<std::string>() : v.dump())); };
        layout->addWidget(edit);
        return;
    }
    switch (range.kind) {
    case DomainKind::Real:
    case DomainKind::LogReal: {
        auto* spin = realSpin(range, valueBox_);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [setValue](double v) { setValue(Value(v)); });
        showValue_ = [spin](const Value& v) { spin->setValue(v.is_number() ? v.get<double>() : 0.0); };
        layout->addWidget(spin);
        return;
    }
    case DomainKind::Integer: {
        auto* spin = intSpin(range, valueBox_);
        connect(spin, &QSpinBox::valueChanged, this, [setValue](int v) { setValue(Value(std::int64_t(v))); });
        showValue_ = [spin](const Value& v) { spin->setValue(v.is_number() ? int(v.get<double>()) : 0); };
        layout->addWidget(spin);
        return;
    }
    case DomainKind::Boolean: {
        auto* check = new QCheckBox(tr("on"), valueBox_);
        connect(check, &QCheckBox::toggled, this, [setValue](bool on) { setValue(Value(on)); });
        showValue_ = [check](const Value& v) { check->setChecked(v.is_boolean() && v.get<bool>()); };
        layout->addWidget(check);
        return;
    }
    case DomainKind::Ordinal:
    case DomainKind::Categorical: {
        auto* combo = new QComboBox(valueBox_);
        for (const auto& c : range.choices)
            combo->addItem(qstr(describeValue(c)));
        connect(combo, &QComboBox::currentIndexChanged, this, [this, setValue](int i) {
            if (i >= 0 && std::size_t(i) < spec_.range.choices.size())
                setValue(spec_.range.choices[std::size_t(i)]);
        });
        showValue_ = [combo, this](const Value& v) {
            auto it = std::ranges::find(spec_.range.choices, v);
            combo->setCurrentIndex(it == spec_.range.choices.end() ? -1 : int(it - spec_.range.choices.begin()));
        };
        layout->addWidget(combo);
        return;
    }
    case DomainKind::Subset: {
        // Rebuilt on every refresh: the chips show the value itself.
        auto* holder = new QWidget(valueBox_);
        auto* holderLayout = new QVBoxLayout(holder);
        holderLayout->setContentsMargins(0, 0, 0, 0);
        showValue_ = [this, holder, holderLayout, setValue](const Value& v) {
            clearLayout(holderLayout);
            std::vector<Value> on(v.is_array() ? v.begin() : v.end(), v.end());
            holderLayout->addWidget(chips(spec_.range.choices, on, [setValue](std::vector<Value> chosen) {
                setValue(Value(chosen));
            }, holder));
        };
        layout->addWidget(holder);
        return;
    }
    }
}

void ParameterEditor::buildDomainEditor(const Domain& domain)
{
    clearLayout(domainLayout_);
    shownDomain_ = domain;
    auto setDomain = [this](Domain d) {
        Parameter p = current();
        p.search = std::move(d);
        commit(p);
    };
    auto* kind = new QLabel(tr("Search over: <i>%1</i>").arg(qstr(domain.describe()).toHtmlEscaped()), domainBox_);
    kind->setWordWrap(true);
    domainLayout_->addWidget(kind, 0, 0, 1, 4);
    switch (domain.kind) {
    case DomainKind::Real:
    case DomainKind::LogReal: {
        Domain bounds = spec_.range;
        auto* low = realSpin(bounds, domainBox_);
        auto* high = realSpin(bounds, domainBox_);
        low->setValue(domain.low);
        high->setValue(domain.high);
        auto* log = new QCheckBox(tr("log scale"), domainBox_);
        log->setChecked(domain.kind == DomainKind::LogReal);
        log->setEnabled(bounds.low > 0 || domain.low > 0);
        auto update = [=, this] {
            Domain d = log->isChecked() ? Domain::logReal(low->value(), high->value()) : Domain::real(low->value(), high->value());
            setDomain(d);
        };
        connect(low, &QDoubleSpinBox::valueChanged, this, update);
        connect(high, &QDoubleSpinBox::valueChanged, this, update);
        connect(log, &QCheckBox::toggled, this, update);
        domainLayout_->addWidget(new QLabel(tr("from"), domainBox_), 1, 0);
        domainLayout_->addWidget(low, 1, 1);
        domainLayout_->addWidget(new QLabel(tr("to"), domainBox_), 1, 2);
        domainLayout_->addWidget(high, 1, 3);
        domainLayout_->addWidget(log, 2, 1, 1, 3);
        break;
    }
    case DomainKind::Integer: {
        auto* low = intSpin(spec_.range, domainBox_);
        auto* high = intSpin(spec_.range, domainBox_);
        low->setValue(int(domain.low));
        high->setValue(int(domain.high));
        auto update = [=] { setDomain(Domain::integer(low->value(), high->value())); };
        connect(low, &QSpinBox::valueChanged, this, update);
        connect(high, &QSpinBox::valueChanged, this, update);
        domainLayout_->addWidget(new QLabel(tr("from"), domainBox_), 1, 0);
        domainLayout_->addWidget(low, 1, 1);
        domainLayout_->addWidget(new QLabel(tr("to"), domainBox_), 1, 2);
        domainLayout_->addWidget(high, 1, 3);
        break;
    }
    case DomainKind::Ordinal:
    case DomainKind::Categorical: {
        const bool ordered = domain.kind == DomainKind::Ordinal;
        // Choices among an integer range (units: 8, 16, 32 ...) have no list in the range: offer the
        // domain's own values then.
        const std::vector<Value>& universe = spec_.range.choices.empty() ? domain.choices : spec_.range.choices;
        domainLayout_->addWidget(chips(universe, domain.choices, [setDomain, ordered](std::vector<Value> on) {
            setDomain(ordered ? Domain::ordinal(std::move(on)) : Domain::categorical(std::move(on)));
        }, domainBox_), 1, 0, 1, 4);
        break;
    }
    case DomainKind::Boolean:
        break; // {false, true}: nothing to choose
    case DomainKind::Subset: {
        auto* minSize = new QSpinBox(domainBox_);
        auto* maxSize = new QSpinBox(domainBox_);
        const int universe = int(spec_.range.choices.size());
        minSize->setRange(0, universe);
        maxSize->setRange(0, universe);
        minSize->setValue(domain.minSize);
        maxSize->setValue(domain.maxSize);
        auto chosen = std::make_shared<std::vector<Value>>(domain.choices);
        auto update = [=] { setDomain(Domain::subset(*chosen, minSize->value(), maxSize->value())); };
        domainLayout_->addWidget(chips(spec_.range.choices, domain.choices, [chosen, update](std::vector<Value> on) {
            *chosen = std::move(on);
            update();
        }, domainBox_), 1, 0, 1, 4);
        connect(minSize, &QSpinBox::valueChanged, this, update);
        connect(maxSize, &QSpinBox::valueChanged, this, update);
        domainLayout_->addWidget(new QLabel(tr("size"), domainBox_), 2, 0);
        domainLayout_->addWidget(minSize, 2, 1);
        domainLayout_->addWidget(new QLabel(tr("to"), domainBox_), 2, 2);
        domainLayout_->addWidget(maxSize, 2, 3);
        break;
    }
    }
}

void ParameterEditor::setSearched(bool searched)
{
    Parameter p = current();
    if (searched == p.searchable())
        return;
    if (searched)
        p.search = spec_.suggestedSearch.value_or(spec_.range);
    else
        p.search.reset();
    commit(p);
}

void ParameterEditor::refresh()
{
    const Parameter p = current();
    {
        const QSignalBlocker blockMode(mode_);
        mode_->setCurrentIndex(p.searchable() ? 1 : 0);
    }
    {
        // Writing the shown value must not write back to the model.
        QList<QWidget*> editors = valueBox_->findChildren<QWidget*>();
        std::vector<std::unique_ptr<QSignalBlocker>> blockers;
        for (QWidget* w : editors)
            blockers.push_back(std::make_unique<QSignalBlocker>(w));
        showValue_(p.value);
    }
    domainBox_->setVisible(p.searchable());
    if (p.searchable() && shownDomain_ != p.search) {
        const QSignalBlocker block(domainBox_);
        buildDomainEditor(*p.search);
    }
    if (!p.searchable())
        shownDomain_.reset();

    const Block* b = editor_.model().graph().block(block_);
    const BlockType* t = editor_.model().typeOf(block_);
    const bool active = !b || !t || parameterActive(*b, *t, spec_);
    if (spec_.activeWhen) {
        const QString text = qstr(spec_.activeWhen->describe()).toHtmlEscaped();
        condition_->setText(active ? tr("<span style='color:gray'>Active %1.</span>").arg(text)
                                   : tr("<span style='color:#c77b00'>Inactive: only used %1.</span>").arg(text));
    }
    valueBox_->setEnabled(active);
    domainBox_->setEnabled(active);
}

} // namespace nesy::gui
