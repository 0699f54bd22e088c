#include "Messages.h"
#include "graph/JsonReader.h"

namespace nesy::distributed {

namespace {

const std::pair<MessageKind, const char*> kKindNames[] = {{MessageKind::Task, "task"},
                                                          {MessageKind::Cancel, "cancel"},
                                                          {MessageKind::Stop, "stop"},
                                                          {MessageKind::Result, "result"},
                                                          {MessageKind::Heartbeat, "heartbeat"}};

const TrialStatus kStatuses[] = {TrialStatus::Ok, TrialStatus::Infeasible, TrialStatus::Failed, TrialStatus::Cancelled};

} // namespace

std::string messageKindName(MessageKind k)
{
    for (auto& [kind, name] : kKindNames)
        if (kind == k)
            return name;
    return "?";
}

Message Message::task(int job, Assignment a)
{
    Message m;
    m.kind = MessageKind::Task;
    m.job = job;
    m.assignment = std::move(a);
    return m;
}

Message Message::cancel(int job)
{
    Message m;
    m.kind = MessageKind::Cancel;
    m.job = job;
    return m;
}

Message Message::stop(bool peerLost)
{
    Message m;
    m.kind = MessageKind::Stop;
    m.peerLost = peerLost;
    return m;
}

Message Message::resultOf(int job, TrialResult r)
{
    Message m;
    m.kind = MessageKind::Result;
    m.job = job;
    m.result = std::move(r);
    return m;
}

Message Message::heartbeat() { return Message{}; }

Json trialResultToJson(const TrialResult& r)
{
    Json j;
    j["status"] = trialStatusName(r.status);
    j["fault"] = r.fault;
    j["detail"] = r.detail;
    j["terms"] = Json::object();
    for (const auto& [k, v] : r.terms)
        j["terms"][k] = v;
    j["details"] = r.details;
    return j;
}

TrialResult trialResultFromJson(const JsonReader& r)
{
    r.requireObject();
    r.allowOnly({"status", "fault", "detail", "terms", "details"});
    TrialResult out;
    auto status = r.at("status");
    bool known = false;
    for (TrialStatus s : kStatuses)
        if (status.asString() == trialStatusName(s)) {
            out.status = s;
            known = true;
        }
    if (!known)
        status.fail("unknown trial status \"" + status.asString() + "\"");
    out.fault = r.optString("fault", "");
    out.detail = r.optString("detail", "");
    auto terms = r.at("terms");
    terms.requireObject();
    for (const auto& [k, v] : terms.node().items())
        out.terms[k] = terms.at(k).asNumber();
    if (auto d = r.find("details"))
        out.details = d->node();
    return out;
}

std::string Message::encode() const
{
    Json j;
    j["kind"] = messageKindName(kind);
    if (kind == MessageKind::Task || kind == MessageKind::Cancel || kind == MessageKind::Result)
        j["job"] = job;
    if (kind == MessageKind::Task) {
        j["assignment"] = Json::object();
        for (const auto& [k, v] : assignment)
            j["assignment"][k] = v;
    }
    if (kind == MessageKind::Result)
        j["result"] = trialResultToJson(result);
    if (kind == MessageKind::Stop && peerLost)
        j["peerLost"] = true;
    return j.dump();
}

Message Message::decode(const std::string& text, const std::string& where)
{
    const Json j = parseJsonText(text, where);
    JsonReader r(j, where + ": $");
    r.requireObject();
    r.allowOnly({"kind", "job", "assignment", "result", "peerLost"});
    Message m;
    auto kind = r.at("kind");
    bool known = false;
    for (auto& [k, name] : kKindNames)
        if (kind.asString() == name) {
            m.kind = k;
            known = true;
        }
    if (!known)
        kind.fail("unknown message kind \"" + kind.asString() + "\"");
    if (m.kind == MessageKind::Task || m.kind == MessageKind::Cancel || m.kind == MessageKind::Result)
        m.job = int(r.at("job").asInteger());
    if (m.kind == MessageKind::Task) {
        auto a = r.at("assignment");
        a.requireObject();
        for (const auto& [k, v] : a.node().items())
            m.assignment[k] = v;
    }
    if (m.kind == MessageKind::Result)
        m.result = trialResultFromJson(r.at("result"));
    m.peerLost = r.optBool("peerLost", false);
    return m;
}

} // namespace nesy::distributed
