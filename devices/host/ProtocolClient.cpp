#include "host/ProtocolClient.h"

namespace nesy {

namespace {

bool isReply(std::uint8_t type)
{
    return type == NESY_MSG_BOARD_INFO || type == NESY_MSG_ACK || type == NESY_MSG_RESULT || type == NESY_MSG_FAULT;
}

} // namespace

ProtocolClient::ProtocolClient(Writer writer, TelemetryHandler telemetry)
    : writer_(std::move(writer)), telemetry_(std::move(telemetry)),
      decoder_(std::make_unique<nesy_frame_decoder>()), scratch_(std::make_unique<nesy_msg>())
{
    nesy_frame_decoder_init(decoder_.get());
}

void ProtocolClient::onFrame(void* self, const nesy_frame* frame)
{
    static_cast<ProtocolClient*>(self)->handleFrame(*frame);
}

// Called with mutex_ held.
void ProtocolClient::handleFrame(const nesy_frame& frame)
{
    if (nesy_msg_decode(&frame, scratch_.get()) != NESY_DECODE_OK) {
        ++stats_.rejected;
        return;
    }
    const nesy_msg& m = *scratch_;
    if (m.type == NESY_MSG_TELEMETRY) {
        std::uint32_t index = m.u.telemetry.sample_index;
        if (haveTelemetryIndex_ && static_cast<std::int32_t>(index - nextTelemetryIndex_) < 0) {
            ++stats_.outOfOrder; // a repeated or older sample
            return;
        }
        if (haveTelemetryIndex_)
            stats_.telemetryLost += index - nextTelemetryIndex_;
        haveTelemetryIndex_ = true;
        nextTelemetryIndex_ = index + 1;
        ++stats_.telemetrySamples;
        pendingTelemetry_.push_back(m.u.telemetry);
        return;
    }
    if (!isReply(m.type)) {
        ++stats_.rejected; // a host-to-device type coming from the device
        return;
    }
    if (waitingSeq_ == 0 || m.seq != waitingSeq_ || reply_) {
        ++stats_.outOfOrder; // late reply to a request that timed out, or a duplicate
        return;
    }
    reply_ = std::make_shared<nesy_msg>(m);
    replied_.notify_all();
}

void ProtocolClient::onBytes(const std::uint8_t* data, std::size_t n)
{
    std::vector<nesy_telemetry> telemetry;
    {
        std::lock_guard lock(mutex_);
        stats_.bytesIn += n;
        nesy_frame_decoder_feed(decoder_.get(), data, n, &ProtocolClient::onFrame, this);
        telemetry.swap(pendingTelemetry_);
    }
    if (telemetry_)
        for (const nesy_telemetry& t : telemetry)
            telemetry_(t);
}

void ProtocolClient::onDisconnected(const std::string& why)
{
    std::lock_guard lock(mutex_);
    if (!disconnected_) {
        disconnected_ = true;
        disconnectReason_ = why;
    }
    replied_.notify_all();
}

bool ProtocolClient::disconnected() const
{
    std::lock_guard lock(mutex_);
    return disconnected_;
}

Reply ProtocolClient::request(nesy_msg& msg, std::chrono::milliseconds timeout, const StopToken* stop)
{
    std::lock_guard one(requestMutex_);
    std::vector<std::uint8_t> wire(NESY_MAX_WIRE_FRAME);
    {
        std::lock_guard lock(mutex_);
        if (disconnected_)
            return {Reply::Outcome::Disconnected, nullptr, disconnectReason_};
        msg.seq = nextSeq_;
        nextSeq_ = static_cast<std::uint16_t>(nextSeq_ == 0xFFFF ? 1 : nextSeq_ + 1); // 0 is never a request
        waitingSeq_ = msg.seq;
        reply_.reset();
    }
    std::size_t n = nesy_msg_encode(&msg, wire.data(), wire.size());
    if (n == 0) {
        std::lock_guard lock(mutex_);
        waitingSeq_ = 0;
        return {Reply::Outcome::SendFailed, nullptr, std::string("cannot encode ") + nesy_msg_type_name(msg.type) + ": a field exceeds its limit"};
    }
    wire.resize(n);
    if (!writer_(std::move(wire))) {
        std::lock_guard lock(mutex_);
        waitingSeq_ = 0;
        if (disconnected_)
            return {Reply::Outcome::Disconnected, nullptr, disconnectReason_};
        return {Reply::Outcome::SendFailed, nullptr, "the link's output queue is full (device not reading)"};
    }
    {
        std::lock_guard lock(mutex_);
        stats_.bytesOut += n;
    }

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    // Wake up regularly to notice a stop request: StopToken has no notification of its own.
    for (;;) {
        if (reply_) {
            waitingSeq_ = 0;
            return {Reply::Outcome::Message, std::move(reply_), {}};
        }
        if (disconnected_) {
            waitingSeq_ = 0;
            return {Reply::Outcome::Disconnected, nullptr, disconnectReason_};
        }
        if (stop && stop->stopRequested()) {
            waitingSeq_ = 0;
            return {Reply::Outcome::Stopped, nullptr, "stopped on request"};
        }
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            waitingSeq_ = 0;
            ++stats_.timeouts;
            return {Reply::Outcome::Timeout, nullptr,
                    std::string("no reply to ") + nesy_msg_type_name(msg.type) + " within "
                        + std::to_string(timeout.count()) + " ms"};
        }
        replied_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(20)));
    }
}

LinkStatistics ProtocolClient::statistics() const
{
    std::lock_guard lock(mutex_);
    LinkStatistics s = stats_;
    const nesy_frame_stats& f = decoder_->stats;
    s.frames = f.frames;
    s.cobsErrors = f.cobs_errors;
    s.crcErrors = f.crc_errors;
    s.truncated = f.truncated;
    s.oversized = f.oversized;
    s.badVersion = f.bad_version;
    s.bytesDropped = f.bytes_dropped;
    return s;
}

} // namespace nesy
