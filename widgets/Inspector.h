#pragma once
// The inspector: what the selected block is, its label, and one ParameterEditor per parameter.
// It follows the model: edits elsewhere (undo, another view) show here at once.
#include "GraphEditor.h"
#include <QWidget>

class QLabel;
class QLineEdit;
class QScrollArea;
class QVBoxLayout;

namespace nesy::gui {

class ParameterEditor;

class Inspector : public QWidget {
    Q_OBJECT
public:
    explicit Inspector(GraphEditor& editor, QWidget* parent = nullptr);

    const std::string& blockId() const { return block_; }
    ParameterEditor* parameterEditor(const std::string& param) const;

public slots:
    // Shows one block; an empty id, or several ids, shows a hint instead.
    void showBlocks(const QStringList& ids);
    void showBlock(const std::string& id);

private:
    void rebuild();
    void refresh();

    GraphEditor& editor_;
    std::string block_;
    QLabel* header_;
    QLineEdit* label_;
    QLabel* explanation_;
    QWidget* params_;
    QVBoxLayout* paramsLayout_;
    std::vector<ParameterEditor*> editors_;
};

} // namespace nesy::gui
