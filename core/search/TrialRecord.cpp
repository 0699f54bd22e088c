#include "TrialRecord.h"
#include <cmath>

namespace nesy {

namespace {
const std::pair<ProposalKind, const char*> kProposalNames[] = {
    {ProposalKind::Initial, "initial"}, {ProposalKind::Random, "random"}, {ProposalKind::Ucb, "ucb"}};

const std::pair<TrialStatus, const char*> kStatusNames[] = {
    {TrialStatus::Ok, "ok"}, {TrialStatus::Infeasible, "infeasible"},
    {TrialStatus::Failed, "failed"}, {TrialStatus::Cancelled, "cancelled"}};
} // namespace

std::string proposalKindName(ProposalKind k)
{
    for (auto& [kind, name] : kProposalNames)
        if (kind == k)
            return name;
    return "?";
}

Json TrialRecord::toJson() const
{
    Json j;
    j["id"] = id;
    j["assignment"] = Json::object();
    for (const auto& [k, v] : assignment)
        j["assignment"][k] = v;
    j["status"] = trialStatusName(status);
    if (!fault.empty()) j["fault"] = fault;
    if (!detail.empty()) j["detail"] = detail;
    j["terms"] = Json::object();
    for (const auto& [k, v] : terms)
        j["terms"][k] = v;
    j["objective"] = hasObjective() ? Json(objective) : Json(nullptr);
    j["proposedBy"] = proposalKindName(proposedBy);
    j["suggestMs"] = suggestMs;
    j["startedMs"] = startedMs;
    j["finishedMs"] = finishedMs;
    j["details"] = details;
    return j;
}

TrialRecord TrialRecord::fromJson(const JsonReader& r)
{
    r.requireObject();
    r.allowOnly({"id", "assignment", "status", "fault", "detail", "terms", "objective", "proposedBy",
                 "suggestMs", "startedMs", "finishedMs", "details"});
    TrialRecord t;
    t.id = int(r.at("id").asInteger());
    auto a = r.at("assignment");
    a.requireObject();
    for (const auto& [k, v] : a.node().items())
        t.assignment[k] = v;
    auto status = r.at("status");
    bool known = false;
    for (auto& [s, name] : kStatusNames)
        if (status.asString() == name) {
            t.status = s;
            known = true;
        }
    if (!known)
        status.fail("unknown trial status \"" + status.asString() + "\"");
    t.fault = r.optString("fault", "");
    t.detail = r.optString("detail", "");
    auto terms = r.at("terms");
    terms.requireObject();
    for (const auto& [k, v] : terms.node().items())
        t.terms[k] = terms.at(k).asNumber();
    if (auto o = r.find("objective"); o && !o->node().is_null())
        t.objective = o->asNumber();
    auto by = r.optString("proposedBy", "ucb");
    known = false;
    for (auto& [kind, name] : kProposalNames)
        if (by == name) {
            t.proposedBy = kind;
            known = true;
        }
    if (!known)
        r.at("proposedBy").fail("unknown proposal kind \"" + by + "\"");
    t.suggestMs = r.optNumber("suggestMs", 0);
    t.startedMs = r.optInteger("startedMs", 0);
    t.finishedMs = r.optInteger("finishedMs", 0);
    if (auto d = r.find("details"))
        t.details = d->node();
    return t;
}

std::string termForObjectiveName(const std::string& name)
{
    if (name == "flash") return "flash_bytes";
    if (name == "sram") return "sram_bytes";
    if (name == "latency") return "latency_ms";
    return name;
}

std::optional<double> objectiveValue(const TrialRecord& t, const std::string& name)
{
    if (name == "objective")
        return t.hasObjective() ? std::optional<double>(t.objective) : std::nullopt;
    auto it = t.terms.find(termForObjectiveName(name));
    if (it == t.terms.end() || !std::isfinite(it->second))
        return std::nullopt;
    return it->second;
}

} // namespace nesy
