#include "TrialStore.h"
#include "graph/Project.h"
#include <QString>
#include <set>
#include <sstream>

namespace nesy::gui {

std::optional<double> TrialRow::term(const std::string& name) const
{
    auto it = terms.find(name);
    if (it == terms.end() || it->second != it->second || it->second < 0)
        return std::nullopt; // absent, NaN, or -1 (a faulted measurement)
    return it->second;
}

TrialRow TrialRow::fromJson(const JsonReader& r)
{
    r.requireObject();
    TrialRow t;
    t.id = int(r.at("id").asInteger());
    const std::string status = r.at("status").asString();
    bool known = false;
    for (TrialStatus s : {TrialStatus::Ok, TrialStatus::Infeasible, TrialStatus::Failed, TrialStatus::Cancelled})
        if (trialStatusName(s) == status) {
            t.status = s;
            known = true;
        }
    if (!known)
        r.at("status").fail("unknown trial status \"" + status + "\"");
    t.fault = r.optString("fault", "");
    t.detail = r.optString("detail", "");
    if (auto terms = r.find("terms")) {
        terms->requireObject();
        for (const auto& [k, v] : terms->node().items())
            t.terms[k] = terms->at(k).asNumber();
    }
    if (auto o = r.find("objective"); o && !o->node().is_null())
        t.objective = o->asNumber();
    if (auto a = r.find("assignment")) {
        a->requireObject();
        for (const auto& [k, v] : a->node().items())
            t.assignment[k] = v;
    }
    t.proposedBy = r.optString("proposedBy", "");
    if (auto d = r.find("details"))
        t.details = d->node();
    return t;
}

Json TrialRow::toJson() const
{
    Json j;
    j["id"] = id;
    j["status"] = trialStatusName(status);
    if (!fault.empty())
        j["fault"] = fault;
    if (!detail.empty())
        j["detail"] = detail;
    j["terms"] = Json::object();
    for (const auto& [k, v] : terms)
        j["terms"][k] = v;
    j["objective"] = hasObjective() ? Json(objective) : Json(nullptr);
    j["assignment"] = Json::object();
    for (const auto& [k, v] : assignment)
        j["assignment"][k] = v;
    j["proposedBy"] = proposedBy;
    j["details"] = details;
    return j;
}

std::string resourceTerm(ResourceAxis a)
{
    switch (a) {
    case ResourceAxis::Flash: return "flash_bytes";
    case ResourceAxis::Sram: return "sram_bytes";
    case ResourceAxis::Latency: return "latency_ms";
    }
    return {};
}

QString resourceTitle(ResourceAxis a)
{
    switch (a) {
    case ResourceAxis::Flash: return QObject::tr("Flash (KB)");
    case ResourceAxis::Sram: return QObject::tr("SRAM (KB)");
    case ResourceAxis::Latency: return QObject::tr("Latency (ms)");
    }
    return {};
}

double resourceScale(ResourceAxis a) { return a == ResourceAxis::Latency ? 1.0 : 1.0 / 1024.0; }

const TrialRow* TrialStore::trial(int id) const
{
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &trials_[it->second];
}

std::optional<int> TrialStore::rowOf(int id) const
{
    auto it = index_.find(id);
    return it == index_.end() ? std::nullopt : std::optional<int>(int(it->second));
}

void TrialStore::append(std::vector<TrialRow> batch)
{
    if (batch.empty())
        return;
    const int first = int(trials_.size());
    for (auto& t : batch) {
        if (t.feasible() && t.hasObjective() && (!best_ || t.objective < trial(*best_)->objective))
            best_ = t.id;
        index_[t.id] = trials_.size();
        trials_.push_back(std::move(t));
    }
    emit appended(first, int(trials_.size()) - first);
}

void TrialStore::clear()
{
    trials_.clear();
    index_.clear();
    best_.reset();
    selected_.reset();
    emit cleared();
    emit selectionChanged(std::nullopt);
}

void TrialStore::select(std::optional<int> id)
{
    if (id && !trial(*id))
        id.reset();
    if (id == selected_)
        return;
    selected_ = id;
    emit selectionChanged(id);
}

std::vector<TrialRow> TrialStore::readJournal(const std::filesystem::path& file)
{
    std::istringstream in(readTextFile(file));
    std::vector<TrialRow> rows;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (number == 1 || line.empty())
            continue; // the header describes the search space
        const std::string where = file.string() + ":" + std::to_string(number);
        const Json j = parseJsonText(line, where);
        rows.push_back(TrialRow::fromJson(JsonReader(j, where + ": $")));
    }
    return rows;
}

std::string TrialStore::toCsv() const
{
    // Fixed columns, then every term and parameter any trial has, so the file loads in a spreadsheet.
    std::set<std::string> termNames, paramNames;
    for (const auto& t : trials_) {
        for (const auto& [k, v] : t.terms)
            termNames.insert(k);
        for (const auto& [k, v] : t.assignment)
            paramNames.insert(k);
    }
    auto quote = [](const std::string& s) {
        if (s.find_first_of(",\"\n") == std::string::npos)
            return s;
        std::string q = "\"";
        for (char c : s)
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    std::ostringstream out;
    out << "id,status,fault,objective";
    for (const auto& k : termNames)
        out << "," << quote(k);
    for (const auto& k : paramNames)
        out << "," << quote(k);
    out << "\n";
    for (const auto& t : trials_) {
        out << t.id << "," << trialStatusName(t.status) << "," << quote(t.fault) << ",";
        if (t.hasObjective())
            out << t.objective;
        for (const auto& k : termNames) {
            out << ",";
            if (auto it = t.terms.find(k); it != t.terms.end())
                out << it->second;
        }
        for (const auto& k : paramNames) {
            out << ",";
            if (auto it = t.assignment.find(k); it != t.assignment.end())
                out << quote(describeValue(it->second));
        }
        out << "\n";
    }
    return out.str();
}

std::string TrialStore::toJson() const
{
    Json all = Json::array();
    for (const auto& t : trials_)
        all.push_back(t.toJson());
    return all.dump(2) + "\n";
}

} // namespace nesy::gui
