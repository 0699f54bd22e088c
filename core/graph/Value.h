#pragma once
// A parameter value. Parameters are booleans, integers, reals, strings (categorical choices) or
// lists of those (subsets), so a JSON value is the natural value type: it is copyable, comparable
// and serialises without a second representation.
#include <nlohmann/json.hpp>
#include <string>

namespace nesy {

using Json = nlohmann::ordered_json;
using Value = Json;

// Short human-readable rendering used in messages and the GUI ("0.5", "relu", "{1,2,4}").
std::string describeValue(const Value& v);

} // namespace nesy
