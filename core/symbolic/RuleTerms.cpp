#include "RuleTerms.h"
#include "graph/Validation.h"
#include <stdexcept>

namespace nesy::symbolic {

namespace {

double numberParam(const Block& b, const BlockRegistry& registry, const std::string& name)
{
    const BlockType* t = registry.find(b.type);
    const ParamSpec* spec = t ? t->param(name) : nullptr;
    const Value v = spec ? effectiveValue(b, *spec) : Value();
    if (!v.is_number())
        throw std::runtime_error("block \"" + b.id + "\" (" + b.type + ") parameter \"" + name + "\": expected a number");
    return v.get<double>();
}

std::string textParam(const Block& b, const BlockRegistry& registry, const std::string& name)
{
    const BlockType* t = registry.find(b.type);
    const ParamSpec* spec = t ? t->param(name) : nullptr;
    const Value v = spec ? effectiveValue(b, *spec) : Value();
    return v.is_string() ? v.get<std::string>() : std::string();
}

} // namespace

bool isRuleTermBlock(const std::string& type) { return type == "rule.sequence" || type == "rule.bound"; }

std::vector<RuleTermSpec> ruleTerms(const ProgramGraph& graph, const BlockRegistry& registry)
{
    std::vector<RuleTermSpec> out;
    for (const Block& b : graph.blocks()) {
        if (!isRuleTermBlock(b.type))
            continue;
        RuleTermSpec s{b.id, b.type, "", "rule:" + b.id, numberParam(b, registry, "weight")};
        for (const Connection& c : graph.connectionsFrom(b.id)) {
            const Block* sink = graph.block(c.to.block);
            if (!sink || sink->type != "sink.term")
                continue;
            if (!s.termBlock.empty())
                throw std::runtime_error("block \"" + b.id + "\": its violations feed two sink.term blocks (\"" +
                                         s.termBlock + "\" and \"" + sink->id + "\")");
            s.termBlock = sink->id;
            const std::string name = textParam(*sink, registry, "name");
            s.term = "rule:" + (name.empty() ? b.id : name);
            s.weight *= numberParam(*sink, registry, "weight");
        }
        for (const RuleTermSpec& other : out)
            if (other.term == s.term)
                throw std::runtime_error("block \"" + b.id + "\": term \"" + s.term + "\" is already reported by \"" +
                                         other.ruleBlock + "\"");
        out.push_back(std::move(s));
    }
    return out;
}

std::map<std::string, double> ruleTermWeights(const ProgramGraph& graph, const BlockRegistry& registry)
{
    std::map<std::string, double> w;
    for (const RuleTermSpec& s : ruleTerms(graph, registry))
        w[s.term] = s.weight;
    return w;
}

} // namespace nesy::symbolic
