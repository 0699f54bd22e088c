#pragma once
// Edits one parameter of one block: a fixed value, or a search domain (range, log range, choices,
// subset), with its activation condition shown. It reads the parameter from the model on refresh()
// and writes every change through the GraphEditor (one undoable step).
#include "GraphEditor.h"
#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QGridLayout;

namespace nesy::gui {

class ParameterEditor : public QWidget {
    Q_OBJECT
public:
    ParameterEditor(GraphEditor& editor, std::string block, const ParamSpec& spec, QWidget* parent = nullptr);

    const std::string& paramName() const { return spec_.name; }
    // Shows what the model holds now; never writes back.
    void refresh();

private:
    Parameter current() const;
    void commit(const Parameter& p);
    void buildValueEditor();
    void buildDomainEditor(const Domain& domain);
    void setSearched(bool searched);

    GraphEditor& editor_;
    std::string block_;
    ParamSpec spec_;
    QLabel* condition_;
    QComboBox* mode_;
    QWidget* valueBox_;
    QWidget* domainBox_;
    QGridLayout* domainLayout_;
    std::function<void(const Value&)> showValue_;      // puts a value into the value editor
    std::optional<Domain> shownDomain_;                // the domain the domain editor was built for
};

} // namespace nesy::gui
