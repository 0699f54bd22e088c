#include "Project.h"
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace nesy {

namespace {

Json parameterToJson(const Parameter& p)
{
    Json j{{"value", p.value}};
    if (p.search)
        j["search"] = p.search->toJson();
    return j;
}

Parameter parameterFromJson(const JsonReader& r)
{
    r.allowOnly({"value", "search"});
    Parameter p;
    p.value = r.at("value").node();
    if (auto s = r.find("search"))
        p.search = Domain::fromJson(*s);
    return p;
}

Json blockToJson(const Block& b)
{
    Json params = Json::object();
    for (const auto& [name, p] : b.params)
        params[name] = parameterToJson(p);
    Json j{{"id", b.id}, {"type", b.type}};
    if (!b.label.empty())
        j["label"] = b.label;
    j["position"] = Json{{"x", b.position.x}, {"y", b.position.y}};
    j["params"] = params;
    return j;
}

Block blockFromJson(const JsonReader& r)
{
    r.allowOnly({"id", "type", "label", "position", "params"});
    Block b;
    b.id = r.at("id").asString();
    if (b.id.empty() || b.id.find('.') != std::string::npos)
        r.at("id").fail("a block id must be non-empty and contain no '.'");
    b.type = r.at("type").asString();
    b.label = r.optString("label", "");
    if (auto pos = r.find("position")) {
        pos->allowOnly({"x", "y"});
        b.position = {pos->at("x").asNumber(), pos->at("y").asNumber()};
    }
    if (auto params = r.find("params")) {
        params->requireObject();
        for (auto it = params->node().begin(); it != params->node().end(); ++it)
            b.params[it.key()] = parameterFromJson(JsonReader(*it, params->path() + "." + it.key()));
    }
    return b;
}

PortRef portRefFromJson(const JsonReader& r)
{
    // Written as "block.port": short and readable in a diff.
    std::string s = r.asString();
    auto dot = s.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == s.size())
        r.fail("expected \"block.port\", found \"" + s + "\"");
    return {s.substr(0, dot), s.substr(dot + 1)};
}

} // namespace

const DatasetRef* Project::dataset(const std::string& id) const
{
    for (const auto& d : datasets)
        if (d.id == id)
            return &d;
    return nullptr;
}

std::filesystem::path Project::resolveDatasetPath(const DatasetRef& ref) const
{
    std::filesystem::path p(ref.path);
    if (p.is_absolute() || location.empty())
        return p;
    return (location.parent_path() / p).lexically_normal();
}

bool Project::operator==(const Project& o) const
{
    return projectToJson(*this) == projectToJson(o);
}

Json projectToJson(const Project& p)
{
    Json blocks = Json::array();
    for (const auto& b : p.graph.blocks())
        blocks.push_back(blockToJson(b));
    Json connections = Json::array();
    for (const auto& c : p.graph.connections())
        connections.push_back(Json{{"from", c.from.describe()}, {"to", c.to.describe()}});
    Json datasets = Json::array();
    for (const auto& d : p.datasets)
        datasets.push_back(Json{{"id", d.id}, {"kind", d.kind}, {"path", d.path}});
    Json terms = Json::object();
    for (const auto& [k, v] : p.objective.terms)
        terms[k] = v;

    Json j;
    j["schemaVersion"] = p.schemaVersion;
    j["name"] = p.name;
    j["description"] = p.description;
    j["graph"] = Json{{"blocks", blocks}, {"connections", connections}};
    j["datasets"] = datasets;
    j["boards"] = p.boards;
    j["objective"] = Json{{"error", p.objective.error},
                          {"flash", p.objective.flash},
                          {"sram", p.objective.sram},
                          {"latency", p.objective.latency},
                          {"latencyBudgetMs", p.objective.latencyBudgetMs},
                          {"terms", terms}};
    j["search"] = Json{{"trials", p.search.trials},
                       {"initialRandom", p.search.initialRandom},
                       {"batch", p.search.batch},
                       {"seed", p.search.seed}};
    j["constraints"] = p.constraints;
    return j;
}

Project projectFromJson(const Json& doc)
{
    JsonReader r(doc);
    r.requireObject();
    Project p;
    // The version first: a future file may have members this version does not know.
    auto version = r.at("schemaVersion");
    p.schemaVersion = int(version.asInteger());
    if (p.schemaVersion > kProjectSchemaVersion)
        version.fail("schema version " + std::to_string(p.schemaVersion) + " is newer than this NeSy Workbench (" +
                     std::to_string(kProjectSchemaVersion) + "); update NeSy Workbench to open it");
    if (p.schemaVersion < 1)
        version.fail("schema version must be at least 1");
    r.allowOnly({"schemaVersion", "name", "description", "graph", "datasets", "boards", "objective", "search",
                 "constraints"});
    p.name = r.optString("name", "");
    p.description = r.optString("description", "");

    auto graph = r.at("graph");
    graph.allowOnly({"blocks", "connections"});
    std::set<std::string> ids;
    for (const auto& br : graph.at("blocks").items()) {
        Block b = blockFromJson(br);
        if (!ids.insert(b.id).second)
            br.at("id").fail("duplicate block id \"" + b.id + "\"");
        p.graph.addBlock(std::move(b));
    }
    if (auto conns = graph.find("connections")) {
        for (const auto& cr : conns->items()) {
            cr.allowOnly({"from", "to"});
            Connection c{portRefFromJson(cr.at("from")), portRefFromJson(cr.at("to"))};
            if (!p.graph.contains(c.from.block))
                cr.at("from").fail("dangling connection: no block \"" + c.from.block + "\"");
            if (!p.graph.contains(c.to.block))
                cr.at("to").fail("dangling connection: no block \"" + c.to.block + "\"");
            if (p.graph.connectionIndex(c) >= 0)
                cr.fail("duplicate connection " + c.from.describe() + " -> " + c.to.describe());
            p.graph.connect(c);
        }
    }

    if (auto ds = r.find("datasets")) {
        std::set<std::string> dsIds;
        for (const auto& dr : ds->items()) {
            dr.allowOnly({"id", "kind", "path"});
            DatasetRef d{dr.at("id").asString(), dr.at("kind").asString(), dr.at("path").asString()};
            if (!dsIds.insert(d.id).second)
                dr.at("id").fail("duplicate dataset id \"" + d.id + "\"");
            p.datasets.push_back(std::move(d));
        }
    }
    if (auto boards = r.find("boards"))
        for (const auto& br : boards->items())
            p.boards.push_back(br.asString());

    if (auto o = r.find("objective")) {
        o->allowOnly({"error", "flash", "sram", "latency", "latencyBudgetMs", "terms"});
        auto weight = [&](const char* key, double fallback) {
            double w = o->optNumber(key, fallback);
            if (w < 0)
                o->at(key).fail("a weight must not be negative");
            return w;
        };
        p.objective.error = weight("error", 1.0);
        p.objective.flash = weight("flash", 0.1);
        p.objective.sram = weight("sram", 0.1);
        p.objective.latency = weight("latency", 0.1);
        p.objective.latencyBudgetMs = o->optNumber("latencyBudgetMs", 100.0);
        if (p.objective.latencyBudgetMs <= 0)
            o->at("latencyBudgetMs").fail("the latency budget must be positive");
        if (auto t = o->find("terms")) {
            t->requireObject();
            for (auto it = t->node().begin(); it != t->node().end(); ++it)
                p.objective.terms[it.key()] = JsonReader(*it, t->path() + "." + it.key()).asNumber();
        }
    }

    if (auto s = r.find("search")) {
        s->allowOnly({"trials", "initialRandom", "batch", "seed"});
        auto positive = [&](const char* key, std::int64_t fallback, std::int64_t minimum) {
            std::int64_t v = s->optInteger(key, fallback);
            if (v < minimum)
                s->at(key).fail("must be at least " + std::to_string(minimum));
            return v;
        };
        p.search.trials = int(positive("trials", 50, 1));
        p.search.initialRandom = int(positive("initialRandom", 5, 0));
        p.search.batch = int(positive("batch", 1, 1));
        p.search.seed = std::uint64_t(positive("seed", 1, 0));
    }
    if (auto c = r.find("constraints"))
        for (const auto& cr : c->items())
            p.constraints.push_back(cr.asString());
    return p;
}

std::string readTextFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw FormatError(file.string(), "cannot open file for reading");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw FormatError(file.string(), "read error");
    return ss.str();
}

void writeTextFileAtomically(const std::filesystem::path& file, const std::string& text)
{
    std::filesystem::path tmp = file;
    tmp += ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw FormatError(file.string(), "cannot open file for writing");
        out << text;
        out.flush();
        if (!out)
            throw FormatError(file.string(), "write error (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw FormatError(file.string(), "cannot replace file: " + ec.message());
    }
}

Project loadProject(const std::filesystem::path& file)
{
    std::string text = readTextFile(file);
    Json doc = parseJsonText(text, file.string());
    try {
        Project p = projectFromJson(doc);
        p.location = std::filesystem::absolute(file);
        return p;
    } catch (const FormatError& e) {
        throw FormatError(file.string() + ": " + e.path(), e.problem());
    }
}

std::string projectToText(const Project& p) { return projectToJson(p).dump(2) + "\n"; }

void saveProject(const Project& p, const std::filesystem::path& file)
{
    writeTextFileAtomically(file, projectToText(p));
}

} // namespace nesy
