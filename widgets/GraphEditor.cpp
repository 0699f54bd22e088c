#include "GraphEditor.h"
#include "GraphCommands.h"
#include <algorithm>
#include <set>

namespace nesy::gui {

namespace {
constexpr const char* kClipboardMarker = "nesy-workbench selection";

// "backbone.tcn" -> "tcn": ids read like what the block is.
std::string idStem(const std::string& type)
{
    auto dot = type.rfind('.');
    return dot == std::string::npos ? type : type.substr(dot + 1);
}

std::string uniqueAmong(const ProgramGraph& g, const std::set<std::string>& taken, const std::string& stem)
{
    std::string id = stem;
    for (int n = 2; g.contains(id) || taken.count(id); ++n)
        id = stem + std::to_string(n);
    return id;
}
} // namespace

GraphEditor::GraphEditor(GraphModel& model, QObject* parent) : QObject(parent), model_(model), stack_(this)
{
    // A new project starts a new history: undoing into the previous project would be nonsense.
    connect(&model_, &GraphModel::projectReset, &stack_, &QUndoStack::clear);
}

std::string GraphEditor::addBlock(const std::string& type, Point position)
{
    const BlockType* t = model_.registry().find(type);
    if (!t)
        throw GraphError("unknown block type \"" + type + "\"");
    Block b;
    b.id = model_.graph().uniqueId(idStem(type));
    b.type = type;
    b.position = position;
    stack_.push(new AddBlocksCommand(model_, {b}, {}, tr("Add %1").arg(qstr(t->title))));
    return b.id;
}

std::optional<std::string> GraphEditor::connectPorts(const Connection& c)
{
    if (auto why = connectionRefusal(model_.graph(), model_.registry(), c))
        return why;
    if (model_.graph().connectionIndex(c) >= 0)
        return "already connected: " + c.from.describe() + " -> " + c.to.describe();
    stack_.push(new ConnectCommand(model_, c));
    return std::nullopt;
}

void GraphEditor::disconnect(const Connection& c) { remove({}, {c}); }

void GraphEditor::remove(const std::vector<std::string>& blocks, const std::vector<Connection>& connections)
{
    if (blocks.empty() && connections.empty())
        return;
    stack_.push(new RemoveCommand(model_, blocks, connections));
}

void GraphEditor::moveBlocks(const std::vector<std::pair<std::string, Point>>& newPositions)
{
    std::vector<MoveBlocksCommand::Move> moves;
    for (const auto& [id, to] : newPositions)
        if (const Block* b = model_.graph().block(id); b && !(b->position == to))
            moves.push_back({id, b->position, to});
    if (!moves.empty())
        stack_.push(new MoveBlocksCommand(model_, std::move(moves)));
}

void GraphEditor::setParameter(const std::string& block, const std::string& param, const Parameter& p)
{
    stack_.push(new SetParameterCommand(model_, block, param, p));
}

void GraphEditor::resetParameter(const std::string& block, const std::string& param)
{
    stack_.push(new SetParameterCommand(model_, block, param, std::nullopt));
}

void GraphEditor::setLabel(const std::string& block, const std::string& label)
{
    stack_.push(new SetLabelCommand(model_, block, label));
}

void GraphEditor::setSettings(const ObjectiveWeights& objective, const SearchSettings& search,
                              const std::vector<std::string>& boards)
{
    stack_.push(new SetSettingsCommand(model_, objective, search, boards));
}

int GraphEditor::applyAssignment(const Assignment& assignment)
{
    std::vector<std::pair<std::string, std::string>> keys; // block, param
    std::vector<Parameter> values;
    for (const auto& [key, value] : assignment) {
        const auto dot = key.find('.');
        if (dot == std::string::npos)
            continue;
        const std::string block = key.substr(0, dot), param = key.substr(dot + 1);
        const Block* b = model_.graph().block(block);
        const BlockType* t = model_.typeOf(block);
        const ParamSpec* spec = t ? t->param(param) : nullptr;
        if (!b || !spec)
            continue; // the graph changed since the trial ran
        auto it = b->params.find(param);
        Parameter p = it != b->params.end() ? it->second : Parameter{spec->defaultValue, std::nullopt};
        if (p.value == value)
            continue;
        p.value = value;
        keys.emplace_back(block, param);
        values.push_back(std::move(p));
    }
    if (keys.empty())
        return 0;
    stack_.beginMacro(tr("Apply trial settings"));
    for (std::size_t i = 0; i < keys.size(); ++i)
        stack_.push(new SetParameterCommand(model_, keys[i].first, keys[i].second, values[i]));
    stack_.endMacro();
    return int(keys.size());
}

std::string GraphEditor::copy(const std::vector<std::string>& blocks) const
{
    Project selection;
    selection.name = kClipboardMarker;
    const ProgramGraph& g = model_.graph();
    for (const auto& b : g.blocks())
        if (std::ranges::find(blocks, b.id) != blocks.end())
            selection.graph.addBlock(b);
    for (const auto& c : g.connections())
        if (selection.graph.contains(c.from.block) && selection.graph.contains(c.to.block))
            selection.graph.connect(c);
    return projectToText(selection);
}

std::vector<std::string> GraphEditor::paste(const std::string& text, Point offset)
{
    Project copied = projectFromJson(parseJsonText(text, "clipboard"));
    if (copied.name != kClipboardMarker)
        throw FormatError("$.name", "the clipboard does not hold blocks copied from the workbench");

    std::map<std::string, std::string> renamed;
    std::set<std::string> taken;
    std::vector<Block> blocks;
    for (Block b : copied.graph.blocks()) {
        std::string id = uniqueAmong(model_.graph(), taken, b.id);
        taken.insert(id);
        renamed[b.id] = id;
        b.id = id;
        b.position = {b.position.x + offset.x, b.position.y + offset.y};
        blocks.push_back(std::move(b));
    }
    std::vector<Connection> connections;
    for (Connection c : copied.graph.connections()) {
        c.from.block = renamed.at(c.from.block);
        c.to.block = renamed.at(c.to.block);
        connections.push_back(std::move(c));
    }
    std::vector<std::string> ids;
    for (const auto& b : blocks)
        ids.push_back(b.id);
    if (!blocks.empty())
        stack_.push(new AddBlocksCommand(model_, std::move(blocks), std::move(connections), tr("Paste")));
    return ids;
}

} // namespace nesy::gui
