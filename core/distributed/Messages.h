#pragma once
// What the coordinator (rank 0) and the workers of a distributed search say to each other. Every
// message is one JSON text, so any transport that moves strings (MPI, in-process queues) carries it.
//   coordinator -> worker: task {job, assignment}, cancel {job}, stop
//   worker -> coordinator: result {job, result}, heartbeat (while alive, busy or idle)
#include "engine/Evaluator.h"
#include <string>

namespace nesy::distributed {

enum class MessageKind { Task, Cancel, Stop, Result, Heartbeat };
std::string messageKindName(MessageKind k);

struct Message {
    MessageKind kind = MessageKind::Heartbeat;
    int job = -1;          // the coordinator's job number (task, cancel, result)
    Assignment assignment; // task only
    TrialResult result;    // result only
    bool peerLost = false; // stop only: some worker was lost (MPI_Finalize would wait for it)

    static Message task(int job, Assignment a);
    static Message cancel(int job);
    static Message stop(bool peerLost = false);
    static Message resultOf(int job, TrialResult r);
    static Message heartbeat();

    std::string encode() const;
    // Throws FormatError naming `where` (e.g. "message from worker 2") and the JSON path.
    static Message decode(const std::string& text, const std::string& where);
};

// A TrialResult as JSON and back (every field, details included).
Json trialResultToJson(const TrialResult& r);
TrialResult trialResultFromJson(const JsonReader& r);

} // namespace nesy::distributed
