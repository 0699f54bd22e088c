#include "Validation.h"
#include "builtin/Specs.h"
#include <algorithm>
#include <functional>
#include <set>

namespace nesy {

namespace {

std::string blockPath(const ProgramGraph& g, const std::string& id)
{
    int i = g.blockIndex(id);
    return i < 0 ? "$.graph.blocks" : "$.graph.blocks[" + std::to_string(i) + "]";
}

std::string connectionPath(int i) { return "$.graph.connections[" + std::to_string(i) + "]"; }

bool isContinuous(DomainKind k) { return k == DomainKind::Real || k == DomainKind::LogReal; }
bool isChoice(DomainKind k) { return k == DomainKind::Ordinal || k == DomainKind::Categorical; }

// Would adding from -> to close a cycle? True when `to.block` already reaches `from.block`.
bool reaches(const ProgramGraph& g, const std::string& start, const std::string& target)
{
    std::set<std::string> seen;
    std::vector<std::string> stack{start};
    while (!stack.empty()) {
        std::string b = stack.back();
        stack.pop_back();
        if (b == target)
            return true;
        if (!seen.insert(b).second)
            continue;
        for (const auto& c : g.connectionsFrom(b))
            stack.push_back(c.to.block);
    }
    return false;
}

} // namespace

std::string problemKindName(ProblemKind k)
{
    switch (k) {
    case ProblemKind::UnknownBlockType: return "unknown-block-type";
    case ProblemKind::UnknownParameter: return "unknown-parameter";
    case ProblemKind::InvalidValue: return "invalid-value";
    case ProblemKind::EmptyDomain: return "empty-domain";
    case ProblemKind::DomainOutsideRange: return "domain-outside-range";
    case ProblemKind::UnknownPort: return "unknown-port";
    case ProblemKind::TypeMismatch: return "type-mismatch";
    case ProblemKind::InputConnectedTwice: return "input-connected-twice";
    case ProblemKind::UnconnectedInput: return "unconnected-input";
    case ProblemKind::Cycle: return "cycle";
    case ProblemKind::NoSink: return "no-sink";
    case ProblemKind::Unreachable: return "unreachable";
    }
    return "?";
}

std::string Problem::toString() const
{
    std::string s = jsonPath + ": ";
    if (!block.empty()) {
        s += "block \"" + block + "\"";
        if (!port.empty())
            s += " port \"" + port + "\"";
        if (!param.empty())
            s += " parameter \"" + param + "\"";
        s += ": ";
    }
    return s + message;
}

Value effectiveValue(const Block& b, const ParamSpec& spec)
{
    auto it = b.params.find(spec.name);
    return it == b.params.end() ? spec.defaultValue : it->second.value;
}

bool parameterActive(const Block& b, const BlockType& type, const ParamSpec& spec)
{
    if (!spec.activeWhen)
        return true;
    const ParamSpec* other = type.param(spec.activeWhen->param);
    if (!other)
        return true;
    return spec.activeWhen->holds(effectiveValue(b, *other)) && parameterActive(b, type, *other);
}

std::optional<std::string> domainOutsideRange(const Domain& d, const Domain& range)
{
    if (isContinuous(d.kind) && isContinuous(range.kind)) {
        if (d.low < range.low || d.high > range.high)
            return d.describe() + " exceeds the allowed " + range.describe();
        return std::nullopt;
    }
    if (d.kind == DomainKind::Integer && (range.kind == DomainKind::Integer || isContinuous(range.kind))) {
        if (d.low < range.low || d.high > range.high)
            return d.describe() + " exceeds the allowed " + range.describe();
        return std::nullopt;
    }
    if (isChoice(d.kind)) {
        for (const auto& c : d.choices)
            if (!range.contains(c))
                return "choice " + describeValue(c) + " is not allowed (" + range.describe() + ")";
        return std::nullopt;
    }
    if (d.kind == DomainKind::Boolean && range.kind == DomainKind::Boolean)
        return std::nullopt;
    if (d.kind == DomainKind::Subset && range.kind == DomainKind::Subset) {
        for (const auto& c : d.choices)
            if (std::find(range.choices.begin(), range.choices.end(), c) == range.choices.end())
                return "element " + describeValue(c) + " is not allowed (" + range.describe() + ")";
        if (d.minSize < range.minSize || d.maxSize > range.maxSize)
            return "subset sizes " + std::to_string(d.minSize) + ".." + std::to_string(d.maxSize) +
                   " exceed the allowed " + std::to_string(range.minSize) + ".." + std::to_string(range.maxSize);
        return std::nullopt;
    }
    return "a " + domainKindName(d.kind) + " domain does not fit a parameter that takes " + range.describe();
}

std::optional<std::string> connectionRefusal(const ProgramGraph& g, const BlockRegistry& registry,
                                             const Connection& c)
{
    const Block* from = g.block(c.from.block);
    const Block* to = g.block(c.to.block);
    if (!from)
        return "no block \"" + c.from.block + "\"";
    if (!to)
        return "no block \"" + c.to.block + "\"";
    const BlockType* ft = registry.find(from->type);
    const BlockType* tt = registry.find(to->type);
    if (!ft)
        return "block \"" + from->id + "\" has unknown type \"" + from->type + "\"";
    if (!tt)
        return "block \"" + to->id + "\" has unknown type \"" + to->type + "\"";
    const PortSpec* out = ft->output(c.from.port);
    const PortSpec* in = tt->input(c.to.port);
    if (!out)
        return "\"" + ft->title + "\" has no output \"" + c.from.port + "\"";
    if (!in)
        return "\"" + tt->title + "\" has no input \"" + c.to.port + "\"";
    if (!portTypesCompatible(out->type, in->type))
        return "a " + portTypeTitle(out->type) + " cannot feed an input that takes a " + portTypeTitle(in->type);
    if (auto existing = g.connectionInto(c.to); existing && !(*existing == c))
        return "input " + c.to.describe() + " is already fed by " + existing->from.describe();
    if (c.from.block == c.to.block || reaches(g, c.to.block, c.from.block))
        return "connecting " + c.from.describe() + " to " + c.to.describe() + " would close a cycle";
    return std::nullopt;
}

std::vector<Problem> validate(const ProgramGraph& g, const BlockRegistry& registry)
{
    std::vector<Problem> problems;
    auto add = [&](ProblemKind k, std::string block, std::string port, std::string param, std::string path,
                   std::string msg) {
        problems.push_back({k, std::move(block), std::move(port), std::move(param), std::move(path), std::move(msg)});
    };

    // Blocks and their parameters.
    for (const auto& b : g.blocks()) {
        const std::string path = blockPath(g, b.id);
        const BlockType* type = registry.find(b.type);
        if (!type) {
            add(ProblemKind::UnknownBlockType, b.id, "", "", path + ".type", "unknown block type \"" + b.type + "\"");
            continue;
        }
        for (const auto& [name, p] : b.params) {
            const std::string ppath = path + ".params." + name;
            const ParamSpec* spec = type->param(name);
            if (!spec) {
                add(ProblemKind::UnknownParameter, b.id, "", name, ppath,
                    "\"" + type->title + "\" has no parameter \"" + name + "\"");
                continue;
            }
            bool freeText = builtin::isFreeText(*spec);
            if (freeText ? !p.value.is_string() : !spec->range.contains(p.value))
                add(ProblemKind::InvalidValue, b.id, "", name, ppath + ".value",
                    "value " + describeValue(p.value) + " is not allowed (expected " +
                        (freeText ? std::string("text") : spec->range.describe()) + ")");
            if (p.search) {
                if (freeText) {
                    add(ProblemKind::DomainOutsideRange, b.id, "", name, ppath + ".search",
                        "a text parameter cannot be searched");
                } else if (auto why = p.search->emptinessReason()) {
                    add(ProblemKind::EmptyDomain, b.id, "", name, ppath + ".search", "empty search domain: " + *why);
                } else if (auto out = domainOutsideRange(*p.search, spec->range)) {
                    add(ProblemKind::DomainOutsideRange, b.id, "", name, ppath + ".search", *out);
                }
            }
        }
    }

    // Connections: ports exist, types match, each input fed once.
    std::set<PortRef> fedInputs;
    for (std::size_t i = 0; i < g.connections().size(); ++i) {
        const Connection& c = g.connections()[i];
        const std::string path = connectionPath(int(i));
        const Block* from = g.block(c.from.block);
        const Block* to = g.block(c.to.block);
        const BlockType* ft = from ? registry.find(from->type) : nullptr;
        const BlockType* tt = to ? registry.find(to->type) : nullptr;
        if (!ft || !tt)
            continue; // unknown blocks were reported when loading or above
        const PortSpec* out = ft->output(c.from.port);
        const PortSpec* in = tt->input(c.to.port);
        if (!out)
            add(ProblemKind::UnknownPort, from->id, c.from.port, "", path + ".from",
                "\"" + ft->title + "\" has no output \"" + c.from.port + "\"");
        if (!in)
            add(ProblemKind::UnknownPort, to->id, c.to.port, "", path + ".to",
                "\"" + tt->title + "\" has no input \"" + c.to.port + "\"");
        if (out && in && !portTypesCompatible(out->type, in->type))
            add(ProblemKind::TypeMismatch, to->id, c.to.port, "", path,
                "expects a " + portTypeTitle(in->type) + " but " + c.from.describe() + " gives a " +
                    portTypeTitle(out->type));
        if (in && !fedInputs.insert(c.to).second)
            add(ProblemKind::InputConnectedTwice, to->id, c.to.port, "", path, "input is connected more than once");
    }

    // Required inputs.
    for (const auto& b : g.blocks()) {
        const BlockType* type = registry.find(b.type);
        if (!type)
            continue;
        for (const auto& in : type->inputs)
            if (in.required && !fedInputs.count(PortRef{b.id, in.name}))
                add(ProblemKind::UnconnectedInput, b.id, in.name, "", blockPath(g, b.id),
                    "required input (" + portTypeTitle(in.type) + ") is not connected");
    }

    // Cycles: Kahn's algorithm; whatever cannot be ordered sits on or behind a cycle.
    std::map<std::string, int> indegree;
    for (const auto& b : g.blocks())
        indegree[b.id] = 0;
    for (const auto& c : g.connections())
        if (indegree.count(c.from.block) && indegree.count(c.to.block))
            ++indegree[c.to.block];
    std::vector<std::string> ready;
    for (const auto& [id, d] : indegree)
        if (d == 0)
            ready.push_back(id);
    std::size_t ordered = 0;
    while (!ready.empty()) {
        std::string id = ready.back();
        ready.pop_back();
        ++ordered;
        for (const auto& c : g.connectionsFrom(id))
            if (indegree.count(c.to.block) && --indegree[c.to.block] == 0)
                ready.push_back(c.to.block);
    }
    if (ordered < g.blocks().size()) {
        // Report the blocks on a cycle; blocks merely downstream of one are not at fault.
        for (const auto& b : g.blocks()) {
            bool onCycle = false;
            for (const auto& c : g.connectionsFrom(b.id))
                if (reaches(g, c.to.block, b.id))
                    onCycle = true;
            if (onCycle)
                add(ProblemKind::Cycle, b.id, "", "", blockPath(g, b.id), "block is on a cycle");
        }
    }

    // Sinks and reachability: every block must lead to some sink, or it would never run.
    std::vector<std::string> sinks;
    for (const auto& b : g.blocks())
        if (const BlockType* t = registry.find(b.type); t && t->isSink())
            sinks.push_back(b.id);
    if (sinks.empty()) {
        add(ProblemKind::NoSink, "", "", "", "$.graph.blocks",
            "the program has no sink block, so nothing defines what the search minimises");
    } else {
        for (const auto& b : g.blocks()) {
            const BlockType* t = registry.find(b.type);
            if (!t || t->isSink())
                continue;
            bool leads = std::any_of(sinks.begin(), sinks.end(), [&](const std::string& s) { return reaches(g, b.id, s); });
            if (!leads)
                add(ProblemKind::Unreachable, b.id, "", "", blockPath(g, b.id),
                    "block is unreachable: its outputs reach no sink, so it would never run");
        }
    }
    return problems;
}

} // namespace nesy
