#pragma once
// Reads JSON while tracking where it is, so every error names the JSON path ("$.graph.blocks[2].id")
// and what is wrong there. Used by every file format of the project.
#include "Value.h"
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nesy {

class FormatError : public std::runtime_error {
public:
    FormatError(std::string path, std::string problem)
        : std::runtime_error(path + ": " + problem), path_(std::move(path)), problem_(std::move(problem)) {}
    const std::string& path() const { return path_; }
    const std::string& problem() const { return problem_; }
private:
    std::string path_;
    std::string problem_;
};

// A view of one JSON node plus its path. Cheap to copy; refers to a document it does not own.
class JsonReader {
public:
    JsonReader(const Json& node, std::string path = "$") : node_(&node), path_(std::move(path)) {}

    // A reader of a node that must be an object, e.g. a block's parameters with the block id as path.
    static JsonReader object(const Json& node, std::string path)
    {
        JsonReader r(node, std::move(path));
        r.requireObject();
        return r;
    }

    const Json& node() const { return *node_; }
    const std::string& path() const { return path_; }

    JsonReader at(const std::string& key) const;             // required member
    std::optional<JsonReader> find(const std::string& key) const; // optional member
    JsonReader at(std::size_t index) const;
    std::size_t size() const;                                 // requires array
    std::vector<JsonReader> items() const;                    // requires array

    std::string asString() const;
    double asNumber() const;
    std::int64_t asInteger() const;
    bool asBool() const;
    void requireObject() const;
    void requireArray() const;
    // Rejects members not in `allowed`, naming the first unknown one (catches typos in files).
    void allowOnly(std::initializer_list<const char*> allowed) const;

    std::string optString(const std::string& key, const std::string& fallback) const;
    double optNumber(const std::string& key, double fallback) const;
    std::int64_t optInteger(const std::string& key, std::int64_t fallback) const;
    bool optBool(const std::string& key, bool fallback) const;

    [[noreturn]] void fail(const std::string& problem) const { throw FormatError(path_, problem); }

private:
    const Json* node_;
    std::string path_;
};

// Name of a JSON type for messages ("string", "number", "object" ...).
std::string jsonTypeName(const Json& j);

// Parses text, turning a syntax error into a FormatError that names line and column.
Json parseJsonText(const std::string& text, const std::string& what);

} // namespace nesy
