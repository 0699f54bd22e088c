#pragma once
// What a user can do to the graph, each as one undoable step on the editor's QUndoStack. Views
// (canvas, inspector, palette drops, tests) call these; none edits the model directly.
#include "GraphModel.h"
#include <QObject>
#include <QStringList>
#include <QUndoStack>
#include <optional>

namespace nesy::gui {

class GraphEditor : public QObject {
    Q_OBJECT
public:
    explicit GraphEditor(GraphModel& model, QObject* parent = nullptr);

    GraphModel& model() const { return model_; }
    QUndoStack& undoStack() { return stack_; }

    // Adds a block of a registered type at `position`; returns its new id. Throws GraphError for an
    // unknown type.
    std::string addBlock(const std::string& type, Point position);
    // Connects unless the connection is refused; returns the reason when refused (nothing pushed).
    std::optional<std::string> connectPorts(const Connection& c);
    void disconnect(const Connection& c);
    // Deletes blocks (with their connections) and connections in one step.
    void remove(const std::vector<std::string>& blocks, const std::vector<Connection>& connections = {});
    void moveBlocks(const std::vector<std::pair<std::string, Point>>& newPositions);
    void setParameter(const std::string& block, const std::string& param, const Parameter& p);
    void resetParameter(const std::string& block, const std::string& param);
    void setLabel(const std::string& block, const std::string& label);
    void setSettings(const ObjectiveWeights& objective, const SearchSettings& search, const std::vector<std::string>& boards);

    // Puts a trial's chosen values ("block.param" -> value) into the graph, keeping each search
    // domain, as one undoable step; returns how many parameters changed.
    int applyAssignment(const Assignment& assignment);

    // Clipboard text for the blocks (and the connections among them), in the project format.
    std::string copy(const std::vector<std::string>& blocks) const;
    // Pastes clipboard text, renaming ids that clash and shifting by `offset`; returns the new ids.
    // Throws FormatError for text that is not a copied selection.
    std::vector<std::string> paste(const std::string& text, Point offset);

private:
    GraphModel& model_;
    QUndoStack stack_;
};

} // namespace nesy::gui
