#pragma once
// One undo command per kind of edit. Each records exactly what it needs to undo itself (including
// list positions, so undo restores the file byte for byte) and applies its edit through GraphModel.
#include "GraphModel.h"
#include <QUndoCommand>
#include <map>

namespace nesy::gui {

// Adds blocks with connections among them (and to existing blocks): "Add block", "Paste".
class AddBlocksCommand : public QUndoCommand {
public:
    AddBlocksCommand(GraphModel& model, std::vector<Block> blocks, std::vector<Connection> connections,
                     const QString& text, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel& model_;
    std::vector<Block> blocks_;
    std::vector<Connection> connections_;
};

// Removes blocks and every connection touching them, and/or single connections.
class RemoveCommand : public QUndoCommand {
public:
    RemoveCommand(GraphModel& model, const std::vector<std::string>& blockIds,
                  const std::vector<Connection>& connections, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel& model_;
    std::vector<std::pair<int, Block>> blocks_;           // original index, block; ascending
    std::vector<std::pair<int, Connection>> connections_; // original index, connection; ascending
};

class ConnectCommand : public QUndoCommand {
public:
    ConnectCommand(GraphModel& model, Connection c, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel& model_;
    Connection connection_;
};

class MoveBlocksCommand : public QUndoCommand {
public:
    struct Move {
        std::string block;
        Point from;
        Point to;
    };
    MoveBlocksCommand(GraphModel& model, std::vector<Move> moves, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel& model_;
    std::vector<Move> moves_;
};

// Sets (or, with nullopt, clears) one parameter. Consecutive edits of the same parameter merge,
// so typing into a spin box is one undo step.
class SetParameterCommand : public QUndoCommand {
public:
    SetParameterCommand(GraphModel& model, std::string block, std::string param, std::optional<Parameter> after,
                        QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphModel& model_;
    std::string block_;
    std::string param_;
    std::optional<Parameter> before_;
    std::optional<Parameter> after_;
};

class SetLabelCommand : public QUndoCommand {
public:
    SetLabelCommand(GraphModel& model, std::string block, std::string label, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel& model_;
    std::string block_;
    std::string before_;
    std::string after_;
};

class SetSettingsCommand : public QUndoCommand {
public:
    SetSettingsCommand(GraphModel& model, ObjectiveWeights objective, SearchSettings search,
                       std::vector<std::string> boards, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return 2; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    struct Settings {
        ObjectiveWeights objective;
        SearchSettings search;
        std::vector<std::string> boards;
    };
    void apply(const Settings& s);
    GraphModel& model_;
    Settings before_;
    Settings after_;
};

} // namespace nesy::gui
