#pragma once
// Describes a kind of block: its category, typed ports, parameters with defaults and ranges, and an
// explanation that the GUI shows. Pure data; the registry holds one per block type.
#include "Domain.h"
#include <optional>
#include <string>
#include <vector>

namespace nesy {

enum class PortType {
    Window,      // time-series window [samples x channels]
    Signal,      // a whole recording streamed sample by sample (IMU, GPS) [time x channels]
    Features,    // feature vector
    ClassScores, // one score per class
    Scalar,      // a single number (a rule's violation, a tracker confidence ...)
    StateVector, // a filter's state estimate
    Decision,    // a discrete decision (class index, alarm)
};

std::string portTypeName(PortType t);        // "window", "features" ...
std::string portTypeTitle(PortType t);       // "time-series window [samples x channels]"
std::optional<PortType> portTypeFromName(const std::string& name);
// Whether an output of type `from` may feed an input of type `to`. Class scores and scalars are
// vectors of numbers and may feed a features input; class scores become a decision by argmax.
bool portTypesCompatible(PortType from, PortType to);

enum class BlockCategory { Source, Feature, Backbone, Symbolic, Kalman, Rule, Sink };
std::string categoryName(BlockCategory c); // "source", "features", ...
std::string categoryTitle(BlockCategory c); // "Sources", "Feature extractors", ...
const std::vector<BlockCategory>& allCategories();

struct PortSpec {
    std::string name;
    PortType type = PortType::Window;
    bool required = true; // inputs only
    std::string explanation;
};

struct ParamSpec {
    std::string name;
    std::string title;
    Value defaultValue;
    Domain range;                        // what values are legal at all (fixed or searched)
    std::optional<Domain> suggestedSearch; // the domain the GUI proposes when marked searchable
    std::optional<Condition> activeWhen;
    std::string explanation;
};

struct BlockType {
    std::string id; // "backbone.tcn"
    std::string title;
    BlockCategory category = BlockCategory::Source;
    std::string explanation;
    std::vector<PortSpec> inputs;
    std::vector<PortSpec> outputs;
    std::vector<ParamSpec> params;

    const PortSpec* input(const std::string& name) const;
    const PortSpec* output(const std::string& name) const;
    const ParamSpec* param(const std::string& name) const;
    bool isSink() const { return category == BlockCategory::Sink; }
};

} // namespace nesy
