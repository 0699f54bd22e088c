#include "BlockType.h"
#include <algorithm>

namespace nesy {

namespace {
struct PortTypeInfo {
    PortType type;
    const char* name;
    const char* title;
};
const PortTypeInfo kPortTypes[] = {
    {PortType::Window, "window", "time-series window [samples x channels]"},
    {PortType::Signal, "signal", "recording streamed sample by sample [time x channels]"},
    {PortType::Features, "features", "feature vector"},
    {PortType::ClassScores, "scores", "class scores"},
    {PortType::Scalar, "scalar", "scalar"},
    {PortType::StateVector, "state", "state vector"},
    {PortType::Decision, "decision", "decision"},
};

struct CategoryInfo {
    BlockCategory category;
    const char* name;
    const char* title;
};
const CategoryInfo kCategories[] = {
    {BlockCategory::Source, "source", "Sources"},
    {BlockCategory::Feature, "features", "Feature extractors"},
    {BlockCategory::Backbone, "backbone", "Neural backbones"},
    {BlockCategory::Symbolic, "symbolic", "Symbolic programs"},
    {BlockCategory::Kalman, "kalman", "Kalman filters"},
    {BlockCategory::Rule, "rule", "Rules and physics"},
    {BlockCategory::Sink, "sink", "Sinks (objectives)"},
};

template <typename T>
const PortSpec* findPort(const T& ports, const std::string& name)
{
    auto it = std::find_if(ports.begin(), ports.end(), [&](const PortSpec& p) { return p.name == name; });
    return it == ports.end() ? nullptr : &*it;
}
} // namespace

std::string portTypeName(PortType t)
{
    for (auto& i : kPortTypes)
        if (i.type == t) return i.name;
    return "?";
}

std::string portTypeTitle(PortType t)
{
    for (auto& i : kPortTypes)
        if (i.type == t) return i.title;
    return "?";
}

std::optional<PortType> portTypeFromName(const std::string& name)
{
    for (auto& i : kPortTypes)
        if (name == i.name) return i.type;
    return std::nullopt;
}

bool portTypesCompatible(PortType from, PortType to)
{
    if (from == to) return true;
    // A filter's state is a feature vector per step: rule.bound reads a quantity of it.
    if (to == PortType::Features)
        return from == PortType::ClassScores || from == PortType::Scalar || from == PortType::StateVector;
    if (to == PortType::Decision) return from == PortType::ClassScores;
    // Convolutions read a feature vector as a sequence of one channel (the published TCN on features).
    if (to == PortType::Window) return from == PortType::Features;
    return false;
}

std::string categoryName(BlockCategory c)
{
    for (auto& i : kCategories)
        if (i.category == c) return i.name;
    return "?";
}

std::string categoryTitle(BlockCategory c)
{
    for (auto& i : kCategories)
        if (i.category == c) return i.title;
    return "?";
}

const std::vector<BlockCategory>& allCategories()
{
    static const std::vector<BlockCategory> all = {
        BlockCategory::Source, BlockCategory::Feature, BlockCategory::Backbone, BlockCategory::Symbolic,
        BlockCategory::Kalman, BlockCategory::Rule,    BlockCategory::Sink};
    return all;
}

const PortSpec* BlockType::input(const std::string& name) const { return findPort(inputs, name); }
const PortSpec* BlockType::output(const std::string& name) const { return findPort(outputs, name); }

const ParamSpec* BlockType::param(const std::string& name) const
{
    auto it = std::find_if(params.begin(), params.end(), [&](const ParamSpec& p) { return p.name == name; });
    return it == params.end() ? nullptr : &*it;
}

} // namespace nesy
