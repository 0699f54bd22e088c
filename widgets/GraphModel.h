#pragma once
// The single source of truth of the editor: the open project (its program graph and settings)
// plus the block registry. Every change goes through here and is announced by a signal, so any
// number of views (canvas, inspector, search panel) stay in step. Knows nothing of how it is drawn
// and works without a display. Edits here are the primitive, non-undoable ones: user edits go
// through GraphEditor, which wraps them in undo commands.
#include "graph/BlockRegistry.h"
#include "graph/Project.h"
#include "graph/Validation.h"
#include <QObject>
#include <QString>
#include <optional>

namespace nesy::gui {

QString qstr(const std::string& s);
std::string sstr(const QString& s);

// A search trial's chosen values shown on the canvas in place of the project's, read-only: the
// project itself is unchanged until the user applies them (GraphEditor::applyAssignment).
struct ShownTrial {
    int id = 0;
    Assignment values; // "block.param" -> value
};

class GraphModel : public QObject {
    Q_OBJECT
public:
    explicit GraphModel(BlockRegistry registry, QObject* parent = nullptr);

    const BlockRegistry& registry() const { return registry_; }
    const Project& project() const { return project_; }
    const ProgramGraph& graph() const { return project_.graph; }
    const BlockType* typeOf(const std::string& blockId) const; // nullptr for unknown blocks/types

    // Validation problems of the current graph, recomputed after every change.
    const std::vector<Problem>& problems() const { return problems_; }
    std::vector<Problem> problemsOf(const std::string& blockId) const;

    // Replaces everything (open, new from template, revert).
    void setProject(Project project);

    // Primitive edits. Each throws GraphError (leaving the model unchanged) when it cannot be done.
    void insertBlock(const Block& block, int index = -1);
    // Removes the block; the connections touching it must have been removed first.
    void removeBlock(const std::string& id);
    void insertConnection(const Connection& c, int index = -1);
    void removeConnection(const Connection& c);
    void moveBlock(const std::string& id, Point position);
    // nullopt clears the parameter back to the block type's default.
    void setParameter(const std::string& block, const std::string& param, const std::optional<Parameter>& p);
    void setLabel(const std::string& block, const std::string& label);
    void setSettings(const ObjectiveWeights& objective, const SearchSettings& search, const std::vector<std::string>& boards);

    // The trial overlay. Any edit of the project ends it (the values were chosen for the graph as it was).
    const std::optional<ShownTrial>& shownTrial() const { return shownTrial_; }
    const Value* shownValue(const std::string& block, const std::string& param) const; // nullptr: not overlaid
    void showTrial(ShownTrial trial);
    void showProject(); // back to the project's own values

signals:
    void shownTrialChanged();
    void projectReset();
    void blockAdded(const QString& id);
    void blockRemoved(const QString& id);
    void blockMoved(const QString& id);
    void blockChanged(const QString& id); // a parameter or the label
    void connectionAdded(const nesy::Connection& c);
    void connectionRemoved(const nesy::Connection& c);
    void settingsChanged();
    void problemsChanged();
    void changed(); // after any of the above: for views that simply redraw everything

private:
    void afterEdit();
    void endOverlay(); // showProject() without a signal when nothing was shown

    BlockRegistry registry_;
    Project project_;
    std::vector<Problem> problems_;
    std::optional<ShownTrial> shownTrial_;
};

} // namespace nesy::gui
