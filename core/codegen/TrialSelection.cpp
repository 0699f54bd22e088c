#include "TrialSelection.h"
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace nesy::codegen {

std::filesystem::path defaultJournalPath(const std::filesystem::path& projectFile)
{
    std::string name = projectFile.filename().string();
    for (const char* ext : {".nesy.json", ".json"})
        if (name.size() > std::strlen(ext) && name.substr(name.size() - std::strlen(ext)) == ext) {
            name = name.substr(0, name.size() - std::strlen(ext));
            break;
        }
    return projectFile.parent_path() / (name + ".journal.jsonl");
}

ProgramGraph trialGraph(const Project& project, const std::string& trialId, const std::filesystem::path& journal)
{
    if (trialId == "default")
        return project.graph;
    std::ifstream in(journal);
    if (!in)
        throw std::runtime_error("trial " + trialId + ": cannot open the search journal " + journal.string() +
                                 " (use --trial default for the project's current values)");
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        Json j = parseJsonText(line, journal.string() + ":" + std::to_string(lineNo));
        if (!j.is_object() || !j.contains("id"))
            continue;
        const Json& id = j["id"];
        std::string text = id.is_string() ? id.get<std::string>() : id.dump();
        if (text != trialId)
            continue;
        JsonReader r(j, journal.string() + ":" + std::to_string(lineNo) + ": $");
        auto a = r.at("assignment");
        a.requireObject();
        Assignment assignment;
        for (const auto& [key, value] : a.node().items())
            assignment[key] = value;
        return project.graph.withAssignment(assignment);
    }
    throw std::runtime_error("trial " + trialId + " is not in the search journal " + journal.string());
}

} // namespace nesy::codegen
