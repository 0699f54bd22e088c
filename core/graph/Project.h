#pragma once
// A project file (*.nesy.json): the program graph with editor positions, dataset references,
// target boards, objective weights and search settings, under a schema version.
#include "JsonReader.h"
#include "ProgramGraph.h"
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace nesy {

inline constexpr int kProjectSchemaVersion = 1;

struct DatasetRef {
    std::string id;
    std::string kind; // "earable", "csv", "ahrs", ...
    std::string path; // as written: relative to the project file, or absolute
    bool operator==(const DatasetRef&) const = default;
};

// f = error*w_error + flash/board_flash*w_flash + sram/board_sram*w_sram + latency/budget*w_latency
//     + sum of named terms (rules, any scalar a block exposes) times their weights.
struct ObjectiveWeights {
    double error = 1.0;
    double flash = 0.1;
    double sram = 0.1;
    double latency = 0.1;
    double latencyBudgetMs = 100.0;
    std::map<std::string, double> terms;
    bool operator==(const ObjectiveWeights&) const = default;
};

struct SearchSettings {
    int trials = 50;
    int initialRandom = 5;
    int batch = 1;
    std::uint64_t seed = 1;
    bool operator==(const SearchSettings&) const = default;
};

struct Project {
    int schemaVersion = kProjectSchemaVersion;
    std::string name;
    std::string description;
    ProgramGraph graph;
    std::vector<DatasetRef> datasets;
    std::vector<std::string> boards; // board profile ids, e.g. "sim:nucleo-f446re"
    ObjectiveWeights objective;
    SearchSettings search;
    std::vector<std::string> constraints; // user constraints between parameters, e.g. "tcn.filters * tcn.stacks <= 96"

    // Where the project was loaded from (not stored in the file); resolves dataset paths.
    std::filesystem::path location;

    const DatasetRef* dataset(const std::string& id) const;
    std::filesystem::path resolveDatasetPath(const DatasetRef& ref) const;

    bool operator==(const Project& o) const; // compares the file's contents, not the location
};

Json projectToJson(const Project& p);
// Throws FormatError naming the JSON path of the first problem.
Project projectFromJson(const Json& j);

// Read and parse a file; throws FormatError ("file.nesy.json:3:14: invalid JSON ...", or a JSON path).
Project loadProject(const std::filesystem::path& file);
// Writes atomically (temporary file, then rename) so a crash never leaves half a project.
void saveProject(const Project& p, const std::filesystem::path& file);
std::string projectToText(const Project& p);

// Reads a whole file or throws FormatError naming it.
std::string readTextFile(const std::filesystem::path& file);
void writeTextFileAtomically(const std::filesystem::path& file, const std::string& text);

} // namespace nesy
