#pragma once
// The host end of the board protocol, independent of the transport: bytes in from the device,
// requests out, one outstanding request at a time, replies matched by sequence number.
// Malformed and unexpected frames are counted and dropped; telemetry goes to a handler.
#include "engine/Evaluator.h"
#include "protocol/nesy_frame.h"
#include "protocol/nesy_msg.h"
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace nesy {

// What a link has seen; every counter only grows.
struct LinkStatistics {
    std::uint64_t bytesIn = 0, bytesOut = 0;
    std::uint64_t frames = 0;           // good frames
    std::uint64_t cobsErrors = 0, crcErrors = 0, truncated = 0, oversized = 0, badVersion = 0;
    std::uint64_t bytesDropped = 0;
    std::uint64_t rejected = 0;         // well-framed but undecodable (unknown type, bad length or field)
    std::uint64_t outOfOrder = 0;       // replies to no outstanding request, telemetry going backwards
    std::uint64_t telemetrySamples = 0; // delivered to the handler
    std::uint64_t telemetryLost = 0;    // gaps in the device's sample index
    std::uint64_t timeouts = 0;
    std::uint64_t droppedFrames() const { return cobsErrors + crcErrors + truncated + oversized + badVersion + rejected + outOfOrder; }
};

struct Reply {
    enum class Outcome { Message, Timeout, Stopped, Disconnected, SendFailed };
    Outcome outcome = Outcome::Timeout;
    std::shared_ptr<nesy_msg> msg; // set when outcome == Message
    std::string detail;
    bool ok() const { return outcome == Outcome::Message; }
};

class ProtocolClient {
public:
    // Queues bytes towards the device; false when the link is gone or its queue is full.
    using Writer = std::function<bool(std::vector<std::uint8_t>)>;
    // Called on the thread that feeds bytes; must not block.
    using TelemetryHandler = std::function<void(const nesy_telemetry&)>;

    ProtocolClient(Writer writer, TelemetryHandler telemetry);

    // Received bytes, split anywhere. Thread-safe with respect to request().
    void onBytes(const std::uint8_t* data, std::size_t n);
    // The link died: wakes the waiting request and fails every later one.
    void onDisconnected(const std::string& why);
    bool disconnected() const;

    // Sends msg (its seq is assigned here) and waits for the reply with the same seq: BOARD_INFO, ACK,
    // RESULT or FAULT. Returns early when stop is requested (stop may be null).
    Reply request(nesy_msg& msg, std::chrono::milliseconds timeout, const StopToken* stop);

    LinkStatistics statistics() const;

private:
    static void onFrame(void* self, const nesy_frame* frame);
    void handleFrame(const nesy_frame& frame);

    Writer writer_;
    TelemetryHandler telemetry_;
    std::mutex requestMutex_; // one request in flight

    mutable std::mutex mutex_;
    std::condition_variable replied_;
    std::unique_ptr<nesy_frame_decoder> decoder_;
    std::unique_ptr<nesy_msg> scratch_;
    std::vector<nesy_telemetry> pendingTelemetry_; // handed out after the lock is released
    std::uint16_t nextSeq_ = 1;
    std::uint16_t waitingSeq_ = 0; // 0 = nothing outstanding
    std::shared_ptr<nesy_msg> reply_;
    bool haveTelemetryIndex_ = false;
    std::uint32_t nextTelemetryIndex_ = 0;
    bool disconnected_ = false;
    std::string disconnectReason_;
    LinkStatistics stats_;
};

} // namespace nesy
