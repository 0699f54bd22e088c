#pragma once
// The program a user builds: blocks with parameters and connections between typed ports.
// A plain value type that knows nothing of how it is drawn; the GUI's model wraps it.
#include "Domain.h"
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nesy {

struct Point {
    double x = 0;
    double y = 0;
    bool operator==(const Point&) const = default;
};

struct Block {
    std::string id;   // unique within the graph, stable (connections and trials refer to it)
    std::string type; // a BlockRegistry id
    std::string label; // optional display name
    Point position;    // editor position
    std::map<std::string, Parameter> params; // parameters set in the project; others take defaults

    bool operator==(const Block&) const = default;
};

struct PortRef {
    std::string block;
    std::string port;
    std::string describe() const { return block + "." + port; }
    bool operator==(const PortRef&) const = default;
    auto operator<=>(const PortRef&) const = default;
};

struct Connection {
    PortRef from; // an output port
    PortRef to;   // an input port
    bool operator==(const Connection&) const = default;
};

class GraphError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parameter values chosen for one trial, keyed "blockId.param".
using Assignment = std::map<std::string, Value>;
std::string paramKey(const std::string& block, const std::string& param);

class ProgramGraph {
public:
    const std::vector<Block>& blocks() const { return blocks_; }
    const std::vector<Connection>& connections() const { return connections_; }

    const Block* block(const std::string& id) const;
    Block* block(const std::string& id);
    int blockIndex(const std::string& id) const; // -1 when absent
    bool contains(const std::string& id) const { return blockIndex(id) >= 0; }
    std::string uniqueId(const std::string& stem) const; // "tcn", "tcn2", ...

    // Edits. Each throws GraphError, leaving the graph unchanged, when it cannot be done.
    void addBlock(Block b, int index = -1);
    // Removes the block and every connection touching it; returns those connections (for undo).
    std::vector<Connection> removeBlock(const std::string& id);
    void connect(const Connection& c, int index = -1); // only structural checks: see Validation for types
    void disconnect(const Connection& c);
    void moveBlock(const std::string& id, Point p);
    void setParameter(const std::string& block, const std::string& param, Parameter p);
    void clearParameter(const std::string& block, const std::string& param);
    void setLabel(const std::string& block, const std::string& label);

    std::vector<Connection> connectionsInto(const std::string& block) const;
    std::vector<Connection> connectionsFrom(const std::string& block) const;
    std::optional<Connection> connectionInto(const PortRef& input) const;
    int connectionIndex(const Connection& c) const;

    // Every parameter that holds a search domain, as "blockId.param" -> domain, in block order.
    std::vector<std::pair<std::string, Domain>> searchableParameters() const;
    // The same graph with the trial's values fixed in (domains kept, values replaced).
    ProgramGraph withAssignment(const Assignment& a) const;

    bool operator==(const ProgramGraph&) const = default;

private:
    std::vector<Block> blocks_;
    std::vector<Connection> connections_;
};

} // namespace nesy
