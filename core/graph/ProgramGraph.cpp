#include "ProgramGraph.h"
#include <algorithm>

namespace nesy {

std::string paramKey(const std::string& block, const std::string& param) { return block + "." + param; }

const Block* ProgramGraph::block(const std::string& id) const
{
    int i = blockIndex(id);
    return i < 0 ? nullptr : &blocks_[std::size_t(i)];
}

Block* ProgramGraph::block(const std::string& id)
{
    int i = blockIndex(id);
    return i < 0 ? nullptr : &blocks_[std::size_t(i)];
}

int ProgramGraph::blockIndex(const std::string& id) const
{
    for (std::size_t i = 0; i < blocks_.size(); ++i)
        if (blocks_[i].id == id)
            return int(i);
    return -1;
}

std::string ProgramGraph::uniqueId(const std::string& stem) const
{
    if (!contains(stem))
        return stem;
    for (int n = 2;; ++n) {
        std::string id = stem + std::to_string(n);
        if (!contains(id))
            return id;
    }
}

void ProgramGraph::addBlock(Block b, int index)
{
    if (b.id.empty())
        throw GraphError("a block needs an id");
    if (b.id.find('.') != std::string::npos)
        throw GraphError("block id \"" + b.id + "\" may not contain '.'");
    if (contains(b.id))
        throw GraphError("a block with id \"" + b.id + "\" already exists");
    if (index < 0 || index > int(blocks_.size()))
        blocks_.push_back(std::move(b));
    else
        blocks_.insert(blocks_.begin() + index, std::move(b));
}

std::vector<Connection> ProgramGraph::removeBlock(const std::string& id)
{
    int i = blockIndex(id);
    if (i < 0)
        throw GraphError("no block \"" + id + "\"");
    std::vector<Connection> removed;
    std::erase_if(connections_, [&](const Connection& c) {
        bool touches = c.from.block == id || c.to.block == id;
        if (touches)
            removed.push_back(c);
        return touches;
    });
    blocks_.erase(blocks_.begin() + i);
    return removed;
}

void ProgramGraph::connect(const Connection& c, int index)
{
    if (!contains(c.from.block))
        throw GraphError("connection from unknown block \"" + c.from.block + "\"");
    if (!contains(c.to.block))
        throw GraphError("connection to unknown block \"" + c.to.block + "\"");
    if (connectionIndex(c) >= 0)
        throw GraphError("already connected: " + c.from.describe() + " -> " + c.to.describe());
    if (index < 0 || index > int(connections_.size()))
        connections_.push_back(c);
    else
        connections_.insert(connections_.begin() + index, c);
}

void ProgramGraph::disconnect(const Connection& c)
{
    int i = connectionIndex(c);
    if (i < 0)
        throw GraphError("not connected: " + c.from.describe() + " -> " + c.to.describe());
    connections_.erase(connections_.begin() + i);
}

void ProgramGraph::moveBlock(const std::string& id, Point p)
{
    Block* b = block(id);
    if (!b)
        throw GraphError("no block \"" + id + "\"");
    b->position = p;
}

void ProgramGraph::setParameter(const std::string& id, const std::string& param, Parameter p)
{
    Block* b = block(id);
    if (!b)
        throw GraphError("no block \"" + id + "\"");
    b->params[param] = std::move(p);
}

void ProgramGraph::clearParameter(const std::string& id, const std::string& param)
{
    Block* b = block(id);
    if (!b)
        throw GraphError("no block \"" + id + "\"");
    b->params.erase(param);
}

void ProgramGraph::setLabel(const std::string& id, const std::string& label)
{
    Block* b = block(id);
    if (!b)
        throw GraphError("no block \"" + id + "\"");
    b->label = label;
}

std::vector<Connection> ProgramGraph::connectionsInto(const std::string& id) const
{
    std::vector<Connection> out;
    for (const auto& c : connections_)
        if (c.to.block == id)
            out.push_back(c);
    return out;
}

std::vector<Connection> ProgramGraph::connectionsFrom(const std::string& id) const
{
    std::vector<Connection> out;
    for (const auto& c : connections_)
        if (c.from.block == id)
            out.push_back(c);
    return out;
}

std::optional<Connection> ProgramGraph::connectionInto(const PortRef& input) const
{
    for (const auto& c : connections_)
        if (c.to == input)
            return c;
    return std::nullopt;
}

int ProgramGraph::connectionIndex(const Connection& c) const
{
    for (std::size_t i = 0; i < connections_.size(); ++i)
        if (connections_[i] == c)
            return int(i);
    return -1;
}

std::vector<std::pair<std::string, Domain>> ProgramGraph::searchableParameters() const
{
    std::vector<std::pair<std::string, Domain>> out;
    for (const auto& b : blocks_)
        for (const auto& [name, p] : b.params)
            if (p.search)
                out.emplace_back(paramKey(b.id, name), *p.search);
    return out;
}

ProgramGraph ProgramGraph::withAssignment(const Assignment& a) const
{
    ProgramGraph g = *this;
    for (const auto& [key, value] : a) {
        auto dot = key.find('.');
        if (dot == std::string::npos)
            throw GraphError("parameter key \"" + key + "\" is not block.param");
        Block* b = g.block(key.substr(0, dot));
        if (!b)
            throw GraphError("assignment names unknown block in \"" + key + "\"");
        b->params[key.substr(dot + 1)].value = value;
    }
    return g;
}

} // namespace nesy
