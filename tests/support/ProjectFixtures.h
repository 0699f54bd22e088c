#pragma once
// Small projects built in code for tests, and the real data folder they read in place.
#include "engine/ProjectEvaluator.h"
#include "graph/Project.h"
#include <QString>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace nesy::testing {

// ../shared/data/<folder> as ctest passes it (NESY_SHARED_DATA); a missing folder is an error, never
// a skip: CI has the data.
inline std::filesystem::path sharedData(const char* folder)
{
    const char* root = std::getenv("NESY_SHARED_DATA");
    if (!root || !std::filesystem::exists(std::filesystem::path(root) / folder))
        throw std::runtime_error(std::string("the real data folder ") + folder +
                                 " is missing: set NESY_SHARED_DATA to ../shared/data");
    return std::filesystem::path(root) / folder;
}

// A block of the project format with fixed parameter values.
inline Json block(const std::string& id, const std::string& type, const Json& values)
{
    Json params = Json::object();
    for (const auto& [name, value] : values.items())
        params[name] = {{"value", value}};
    return {{"id", id}, {"type", type}, {"position", {{"x", 0.0}, {"y", 0.0}}}, {"params", params}};
}

inline Project projectOf(const Json& blocks, const Json& connections, const Json& datasets = Json::array())
{
    return projectFromJson({{"schemaVersion", 1},
                            {"name", "test program"},
                            {"graph", {{"blocks", blocks}, {"connections", connections}}},
                            {"datasets", datasets},
                            {"boards", Json::array()},
                            {"constraints", Json::array()}});
}

// Why the project evaluator refuses a project (its exception text), or empty when it accepts it.
inline QString evaluatorRefusal(const Project& p)
{
    try {
        makeProjectEvaluator(p, {});
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// One trial of the project's graph as it stands (the project evaluator, two training threads).
inline TrialResult evaluateOnce(const Project& p)
{
    EvaluatorOptions o;
    o.threads = 2;
    auto evaluator = makeProjectEvaluator(p, o);
    StopToken stop;
    return evaluator->evaluate(p.graph, stop);
}

} // namespace nesy::testing
