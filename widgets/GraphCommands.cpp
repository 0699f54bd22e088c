#include "GraphCommands.h"
#include <algorithm>

namespace nesy::gui {

AddBlocksCommand::AddBlocksCommand(GraphModel& model, std::vector<Block> blocks, std::vector<Connection> connections,
                                   const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent), model_(model), blocks_(std::move(blocks)), connections_(std::move(connections))
{
}

void AddBlocksCommand::redo()
{
    for (const auto& b : blocks_)
        model_.insertBlock(b);
    for (const auto& c : connections_)
        model_.insertConnection(c);
}

void AddBlocksCommand::undo()
{
    for (auto it = connections_.rbegin(); it != connections_.rend(); ++it)
        model_.removeConnection(*it);
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it)
        model_.removeBlock(it->id);
}

RemoveCommand::RemoveCommand(GraphModel& model, const std::vector<std::string>& blockIds,
                             const std::vector<Connection>& connections, QUndoCommand* parent)
    : QUndoCommand(parent), model_(model)
{
    const ProgramGraph& g = model.graph();
    for (const auto& id : blockIds)
        if (int i = g.blockIndex(id); i >= 0)
            blocks_.emplace_back(i, g.blocks()[std::size_t(i)]);
    auto removedBlock = [&](const std::string& id) {
        return std::ranges::any_of(blocks_, [&](const auto& entry) { return entry.second.id == id; });
    };
    for (std::size_t i = 0; i < g.connections().size(); ++i) {
        const Connection& c = g.connections()[i];
        bool listed = std::ranges::find(connections, c) != connections.end();
        if (listed || removedBlock(c.from.block) || removedBlock(c.to.block))
            connections_.emplace_back(int(i), c);
    }
    std::ranges::sort(blocks_, {}, &std::pair<int, Block>::first);
    setText(blocks_.empty() ? QObject::tr("Disconnect") : QObject::tr("Delete"));
}

void RemoveCommand::redo()
{
    for (auto it = connections_.rbegin(); it != connections_.rend(); ++it)
        model_.removeConnection(it->second);
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it)
        model_.removeBlock(it->second.id);
}

void RemoveCommand::undo()
{
    for (const auto& [index, block] : blocks_)
        model_.insertBlock(block, index);
    for (const auto& [index, c] : connections_)
        model_.insertConnection(c, index);
}

ConnectCommand::ConnectCommand(GraphModel& model, Connection c, QUndoCommand* parent)
    : QUndoCommand(QObject::tr("Connect %1 to %2").arg(qstr(c.from.describe()), qstr(c.to.describe())), parent),
      model_(model), connection_(std::move(c))
{
}

void ConnectCommand::redo() { model_.insertConnection(connection_); }
void ConnectCommand::undo() { model_.removeConnection(connection_); }

MoveBlocksCommand::MoveBlocksCommand(GraphModel& model, std::vector<Move> moves, QUndoCommand* parent)
    : QUndoCommand(QObject::tr("Move"), parent), model_(model), moves_(std::move(moves))
{
}

void MoveBlocksCommand::redo()
{
    for (const auto& m : moves_)
        model_.moveBlock(m.block, m.to);
}

void MoveBlocksCommand::undo()
{
    for (const auto& m : moves_)
        model_.moveBlock(m.block, m.from);
}

namespace {
std::optional<Parameter> storedParameter(const GraphModel& model, const std::string& block, const std::string& param)
{
    const Block* b = model.graph().block(block);
    if (!b)
        throw GraphError("no block \"" + block + "\"");
    auto it = b->params.find(param);
    return it == b->params.end() ? std::nullopt : std::optional<Parameter>(it->second);
}
} // namespace

SetParameterCommand::SetParameterCommand(GraphModel& model, std::string block, std::string param,
                                         std::optional<Parameter> after, QUndoCommand* parent)
    : QUndoCommand(QObject::tr("Set %1.%2").arg(qstr(block), qstr(param)), parent), model_(model),
      block_(std::move(block)), param_(std::move(param)), before_(storedParameter(model, block_, param_)),
      after_(std::move(after))
{
}

void SetParameterCommand::redo() { model_.setParameter(block_, param_, after_); }
void SetParameterCommand::undo() { model_.setParameter(block_, param_, before_); }

bool SetParameterCommand::mergeWith(const QUndoCommand* other)
{
    const auto* o = static_cast<const SetParameterCommand*>(other);
    if (o->block_ != block_ || o->param_ != param_)
        return false;
    after_ = o->after_;
    return true;
}

SetLabelCommand::SetLabelCommand(GraphModel& model, std::string block, std::string label, QUndoCommand* parent)
    : QUndoCommand(QObject::tr("Rename %1").arg(qstr(block)), parent), model_(model), block_(std::move(block)),
      after_(std::move(label))
{
    const Block* b = model.graph().block(block_);
    if (!b)
        throw GraphError("no block \"" + block_ + "\"");
    before_ = b->label;
}

void SetLabelCommand::redo() { model_.setLabel(block_, after_); }
void SetLabelCommand::undo() { model_.setLabel(block_, before_); }

SetSettingsCommand::SetSettingsCommand(GraphModel& model, ObjectiveWeights objective, SearchSettings search,
                                       std::vector<std::string> boards, QUndoCommand* parent)
    : QUndoCommand(QObject::tr("Change search settings"), parent), model_(model),
      before_{model.project().objective, model.project().search, model.project().boards},
      after_{std::move(objective), search, std::move(boards)}
{
}

void SetSettingsCommand::apply(const Settings& s) { model_.setSettings(s.objective, s.search, s.boards); }
void SetSettingsCommand::redo() { apply(after_); }
void SetSettingsCommand::undo() { apply(before_); }

bool SetSettingsCommand::mergeWith(const QUndoCommand* other)
{
    after_ = static_cast<const SetSettingsCommand*>(other)->after_;
    return true;
}

} // namespace nesy::gui
