#include "host/UsbBoard.h"
#include "firmware/nesy_image.h"
#include "protocol/nesy_crc32.h"
#include <libusb.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace nesy {

namespace {

FaultKind faultKindOf(std::uint8_t code)
{
    switch (code) {
    case NESY_FAULT_FLASH_OVERFLOW: return FaultKind::FlashOverflow;
    case NESY_FAULT_RAM_OVERFLOW: return FaultKind::RamOverflow;
    case NESY_FAULT_UNSUPPORTED: return FaultKind::UnsupportedOperation;
    default: return FaultKind::RuntimeFault; // runtime, protocol and bad-image faults
    }
}

BoardState boardStateOf(std::uint8_t state)
{
    switch (state) {
    case NESY_STATE_DEPLOYING:
    case NESY_STATE_RUNNING: return BoardState::Busy;
    case NESY_STATE_FAULTED: return BoardState::Faulted;
    default: return BoardState::Ready;
    }
}

nesy_msg message(std::uint8_t type)
{
    nesy_msg m;
    std::memset(&m, 0, sizeof m);
    m.type = type;
    return m;
}

} // namespace

UsbBoard::UsbBoard(std::string id, const UsbBoardOptions& options, std::unique_ptr<UsbLink> link, TelemetrySink telemetry)
    : id_(std::move(id)), options_(options), link_(std::move(link)), telemetry_(std::move(telemetry))
{
    client_ = std::make_unique<ProtocolClient>(
        [this](std::vector<std::uint8_t> bytes) {
            if (link_->write(std::move(bytes)))
                return true;
            // The link may have died a moment before its dead handler ran: say so now, so the
            // trial reports a disconnection rather than a full queue.
            if (!link_->alive())
                client_->onDisconnected(link_->deadReason());
            return false;
        },
        [this](const nesy_telemetry& t) { onTelemetry(t); });
    link_->start([this](const std::uint8_t* data, std::size_t n) { client_->onBytes(data, n); },
                 [this](const std::string& why) { client_->onDisconnected(why); });
}

UsbBoard::~UsbBoard()
{
    link_->close(); // no callback touches this object after it returns
}

std::shared_ptr<UsbBoard> UsbBoard::connect(UsbContext& context, libusb_device* device, const UsbEndpoints& endpoints,
                                            const UsbBoardOptions& options, const std::vector<BoardProfile>& knownProfiles,
                                            TelemetrySink telemetry)
{
    const std::string id = usbBoardId(device);
    auto link = std::make_unique<UsbLink>(context, device, endpoints, options.link);
    std::shared_ptr<UsbBoard> board(new UsbBoard(id, options, std::move(link), std::move(telemetry)));

    nesy_msg hello = message(NESY_MSG_HELLO);
    hello.u.hello.protocol_version = NESY_PROTOCOL_VERSION;
    hello.u.hello.nonce = static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    Reply reply = board->client_->request(hello, options.helloTimeout, nullptr);
    if (!reply.ok())
        throw std::runtime_error(id + ": no board-info in answer to hello (" + reply.detail + ")");
    if (reply.msg->type != NESY_MSG_BOARD_INFO)
        throw std::runtime_error(id + ": answered hello with " + nesy_msg_type_name(reply.msg->type));
    const nesy_board_info& info = reply.msg->u.board_info;
    if (info.nonce != hello.u.hello.nonce)
        throw std::runtime_error(id + ": board-info does not echo the hello nonce");

    BoardProfile p;
    auto known = std::find_if(knownProfiles.begin(), knownProfiles.end(), [&](const BoardProfile& k) { return k.id == info.profile_id; });
    if (known != knownProfiles.end())
        p = *known;
    p.id = info.profile_id;
    if (p.name.empty())
        p.name = info.profile_id;
    p.mcu = info.mcu;
    p.core = info.core;
    // What the board reports about itself is authoritative for its limits.
    p.clockHz = info.clock_hz;
    p.flashBytes = info.flash_bytes;
    p.sramBytes = info.sram_bytes;
    p.reservedFlashBytes = info.reserved_flash_bytes;
    p.reservedSramBytes = info.reserved_sram_bytes;
    board->profile_ = p;
    board->imageTarget_ = ProgramImageTarget{info.image_arch, info.program_area_addr, info.program_area_bytes,
                                             info.program_ram_addr, info.program_ram_bytes};
    board->clockHz_.store(p.clockHz);
    board->serial_ = info.serial;
    board->firmwareVersion_ = std::to_string(info.fw_major) + "." + std::to_string(info.fw_minor) + "." + std::to_string(info.fw_patch);
    if (options.telemetryPeriodUs > 0 && !board->setTelemetryPeriod(options.telemetryPeriodUs))
        throw std::runtime_error(id + ": telemetry-config was not acknowledged");
    return board;
}

bool UsbBoard::setTelemetryPeriod(std::uint32_t periodUs)
{
    nesy_msg m = message(NESY_MSG_TELEMETRY_CONFIG);
    m.u.telemetry_config.period_us = periodUs;
    Reply r = client_->request(m, options_.requestTimeout, nullptr);
    return r.ok() && r.msg->type == NESY_MSG_ACK;
}

BoardState UsbBoard::state() const
{
    if (client_->disconnected())
        return BoardState::Disconnected;
    return busy_.load() ? BoardState::Busy : BoardState::Ready;
}

std::string UsbBoard::stateDetail() const
{
    std::lock_guard lock(detailMutex_);
    return disconnectReason_;
}

void UsbBoard::disconnect(const std::string& why)
{
    {
        std::lock_guard lock(detailMutex_);
        if (disconnectReason_.empty())
            disconnectReason_ = why;
    }
    client_->onDisconnected(why);
    link_->close();
}

Measurement UsbBoard::fault(FaultKind kind, std::string detail) const
{
    Measurement m;
    m.boardId = id_;
    m.fault = kind;
    m.detail = std::move(detail);
    return m;
}

Measurement UsbBoard::fromReply(const Reply& reply, const char* step) const
{
    switch (reply.outcome) {
    case Reply::Outcome::Message:
        break;
    case Reply::Outcome::Timeout: return fault(FaultKind::Timeout, std::string(step) + ": " + reply.detail);
    case Reply::Outcome::Stopped: return fault(FaultKind::Cancelled, std::string(step) + ": stopped on request before the board answered");
    case Reply::Outcome::Disconnected: return fault(FaultKind::Disconnected, std::string(step) + ": " + reply.detail);
    case Reply::Outcome::SendFailed: return fault(FaultKind::Timeout, std::string(step) + ": " + reply.detail);
    }
    const nesy_msg& m = *reply.msg;
    if (m.type == NESY_MSG_FAULT)
        return fault(faultKindOf(m.u.fault.code), std::string(step) + ": " + m.u.fault.detail);
    return fault(FaultKind::RuntimeFault, std::string(step) + ": unexpected " + nesy_msg_type_name(m.type));
}

Measurement UsbBoard::measure(const CandidateProgram& program, const StopToken& stop)
{
    std::lock_guard one(measureMutex_);
    busy_.store(true);
    struct NotBusy { std::atomic<bool>& b; ~NotBusy() { b.store(false); } } notBusy{busy_};

    if (client_->disconnected())
        return fault(FaultKind::Disconnected, "board " + id_ + " is disconnected: " + stateDetail());
    // A reference image is run on inline inputs; a linked image built here carries the test input.
    std::vector<std::uint8_t> built;
    const std::vector<std::uint8_t>* image = &program.image;
    if (program.image.empty()) {
        if (program.sources.empty())
            return fault(FaultKind::UnsupportedOperation, "the candidate carries neither an image nor generated sources");
        if (imageTarget_.arch == NESY_ARCH_NONE)
            return fault(FaultKind::UnsupportedOperation, "board " + id_ + " runs reference images (NSY1) only: its firmware "
                                                              "reports no architecture for linked programs");
        ProgramImageBuild b = buildProgramImage(program, profile_, imageTarget_, &stop, options_.image);
        if (!b.image)
            return fault(b.fault, "building the image for " + imageArchName(imageTarget_.arch) + ": " + b.detail);
        built = std::move(b.image->bytes);
        image = &built;
    } else if (program.testInput.size() > NESY_MAX_RUN_INPUTS) {
        return fault(FaultKind::UnsupportedOperation, "test input of " + std::to_string(program.testInput.size())
                                                          + " values exceeds the protocol's " + std::to_string(NESY_MAX_RUN_INPUTS));
    }
    const bool linked = !built.empty();

    bool clean = false;
    struct MarkReset { std::atomic<bool>& flag; bool& clean; ~MarkReset() { if (!clean) flag.store(true); } } markReset{needsReset_, clean};
    if (needsReset_.exchange(false)) { // a trial that ended without an answer may have left the board mid-way
        nesy_msg reset = message(NESY_MSG_RESET);
        Reply r = client_->request(reset, options_.requestTimeout, &stop);
        if (!r.ok() || r.msg->type != NESY_MSG_ACK)
            return fromReply(r, "reset");
    }

    nesy_msg begin = message(NESY_MSG_DEPLOY_BEGIN);
    begin.u.deploy_begin.image_bytes = static_cast<std::uint32_t>(image->size());
    begin.u.deploy_begin.image_crc = nesy_crc32(image->data(), image->size());
    Reply r = client_->request(begin, options_.requestTimeout, &stop);
    if (!r.ok() || r.msg->type != NESY_MSG_ACK) {
        clean = r.ok(); // the board answered: it is in a known state
        return fromReply(r, "deploy-begin");
    }

    auto chunk = std::make_unique<nesy_msg>(message(NESY_MSG_DEPLOY_CHUNK));
    std::size_t offset = 0;
    int resends = 0;
    while (offset < image->size()) {
        std::size_t n = std::min<std::size_t>(NESY_MAX_CHUNK, image->size() - offset);
        chunk->u.deploy_chunk.offset = static_cast<std::uint32_t>(offset);
        chunk->u.deploy_chunk.length = static_cast<std::uint16_t>(n);
        std::memcpy(chunk->u.deploy_chunk.data, image->data() + offset, n);
        r = client_->request(*chunk, options_.requestTimeout, &stop);
        if (!r.ok() || r.msg->type != NESY_MSG_ACK) {
            clean = r.ok();
            return fromReply(r, "deploy-chunk");
        }
        const nesy_ack& ack = r.msg->u.ack;
        if (ack.status == NESY_ACK_BAD_OFFSET) {
            if (++resends > 8 || ack.value > image->size())
                return fault(FaultKind::RuntimeFault, "deploy-chunk: the board keeps asking for offset " + std::to_string(ack.value));
            offset = ack.value; // resume where the board is
            continue;
        }
        offset += n;
    }

    nesy_msg end = message(NESY_MSG_DEPLOY_END);
    r = client_->request(end, options_.requestTimeout, &stop);
    if (!r.ok() || r.msg->type != NESY_MSG_ACK) {
        clean = r.ok();
        return fromReply(r, "deploy-end");
    }

    auto run = std::make_unique<nesy_msg>(message(NESY_MSG_RUN));
    run->u.run.count = std::max<std::uint32_t>(1, options_.inferencesPerMeasure);
    if (linked || program.testInput.empty()) {
        run->u.run.source = NESY_RUN_TEST_VECTORS;
    } else {
        run->u.run.source = NESY_RUN_INLINE;
        run->u.run.n_inputs = static_cast<std::uint16_t>(program.testInput.size());
        std::copy(program.testInput.begin(), program.testInput.end(), run->u.run.inputs);
    }
    r = client_->request(*run, options_.runTimeout, &stop);
    if (!r.ok() || r.msg->type != NESY_MSG_RESULT) {
        clean = r.ok();
        return fromReply(r, "run");
    }
    clean = true;

    const nesy_result& res = r.msg->u.result;
    Measurement m;
    m.boardId = id_;
    m.flashBytes = res.flash_used;
    m.sramStaticBytes = res.sram_static;
    m.peakStackBytes = res.peak_stack;
    m.cycles = res.cycles_mean;
    m.latencyMs = profile_.clockHz > 0 ? 1000.0 * res.cycles_mean / profile_.clockHz : -1;
    if (!program.expectedOutput.empty() && !program.testInput.empty()) { // the run was on the test input
        if (res.n_outputs != program.expectedOutput.size())
            return fault(FaultKind::RuntimeFault, "the board returned " + std::to_string(res.n_outputs) + " outputs, the engine "
                                                      + std::to_string(program.expectedOutput.size()));
        for (std::size_t i = 0; i < program.expectedOutput.size(); ++i) {
            double want = program.expectedOutput[i], got = res.outputs[i];
            if (std::fabs(want - got) > options_.outputTolerance * std::max(1.0, std::fabs(want)))
                return fault(FaultKind::RuntimeFault, "output " + std::to_string(i) + " is " + std::to_string(got)
                                                          + " on the board, " + std::to_string(want) + " in the engine");
        }
    }
    return m;
}

void UsbBoard::onTelemetry(const nesy_telemetry& t)
{
    if (!telemetry_)
        return;
    TelemetrySample s;
    s.boardId = id_;
    s.time = std::chrono::steady_clock::now();
    s.flashUsedBytes = t.flash_used;
    s.sramUsedBytes = t.sram_used;
    const double clock = clockHz_.load();
    s.lastLatencyMs = clock > 0 ? 1000.0 * t.last_latency_cycles / clock : 0;
    s.state = boardStateOf(t.state);
    telemetry_(s);
}

} // namespace nesy
