#include "BlockRegistry.h"
#include <algorithm>

namespace nesy {

BlockRegistry BlockRegistry::builtin()
{
    BlockRegistry r;
    builtin::addSources(r);
    builtin::addFeatures(r);
    builtin::addBackbones(r);
    builtin::addSymbolic(r);
    builtin::addKalman(r);
    builtin::addRules(r);
    builtin::addSinks(r);
    return r;
}

void BlockRegistry::add(BlockType type)
{
    auto it = std::find_if(types_.begin(), types_.end(), [&](const BlockType& t) { return t.id == type.id; });
    if (it != types_.end())
        *it = std::move(type);
    else
        types_.push_back(std::move(type));
}

const BlockType* BlockRegistry::find(const std::string& id) const
{
    auto it = std::find_if(types_.begin(), types_.end(), [&](const BlockType& t) { return t.id == id; });
    return it == types_.end() ? nullptr : &*it;
}

std::vector<const BlockType*> BlockRegistry::all() const
{
    std::vector<const BlockType*> out;
    for (const auto& t : types_)
        out.push_back(&t);
    return out;
}

std::vector<const BlockType*> BlockRegistry::inCategory(BlockCategory c) const
{
    std::vector<const BlockType*> out;
    for (const auto& t : types_)
        if (t.category == c)
            out.push_back(&t);
    return out;
}

Json BlockRegistry::toJson() const
{
    Json arr = Json::array();
    auto ports = [](const std::vector<PortSpec>& ps, bool inputs) {
        Json a = Json::array();
        for (const auto& p : ps) {
            Json j{{"name", p.name}, {"type", portTypeName(p.type)}};
            if (inputs)
                j["required"] = p.required;
            j["explanation"] = p.explanation;
            a.push_back(j);
        }
        return a;
    };
    for (const auto& t : types_) {
        Json params = Json::array();
        for (const auto& p : t.params) {
            Json j{{"name", p.name}, {"title", p.title}, {"default", p.defaultValue}, {"range", p.range.toJson()}};
            if (p.suggestedSearch)
                j["suggestedSearch"] = p.suggestedSearch->toJson();
            if (p.activeWhen)
                j["activeWhen"] = p.activeWhen->toJson();
            j["explanation"] = p.explanation;
            params.push_back(j);
        }
        arr.push_back(Json{{"id", t.id},
                           {"title", t.title},
                           {"category", categoryName(t.category)},
                           {"explanation", t.explanation},
                           {"inputs", ports(t.inputs, true)},
                           {"outputs", ports(t.outputs, false)},
                           {"params", params}});
    }
    return arr;
}

} // namespace nesy
