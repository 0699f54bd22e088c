#pragma once
// A board attached over USB that runs the reference firmware protocol, behind nesy::Board.
// measure() deploys the candidate's image in acknowledged chunks, runs it, and turns the result
// (or a fault, a timeout, an unplug) into a Measurement; telemetry flows to a sink meanwhile.
// A candidate without an image (the search's candidates: generated C only) is linked for the
// architecture the board reports in BOARD_INFO (ProgramImage.h) and run on its test input.
#include "boards/Board.h"
#include "host/ProgramImage.h"
#include "host/ProtocolClient.h"
#include "host/UsbLink.h"
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace nesy {

struct UsbBoardOptions {
    std::chrono::milliseconds helloTimeout{1000};
    std::chrono::milliseconds requestTimeout{2000};   // each deploy step, telemetry config, reset
    std::chrono::milliseconds runTimeout{10000};      // the whole RUN
    std::uint32_t telemetryPeriodUs = 100000;         // 10 Hz; 0 = off
    std::uint32_t inferencesPerMeasure = 10;          // latency is their mean
    double outputTolerance = 1e-4;                    // relative, against CandidateProgram::expectedOutput
    ProgramImageOptions image;                        // how candidates' linked images are built
    UsbLinkOptions link;
};

class UsbBoard : public Board {
public:
    using TelemetrySink = std::function<void(const TelemetrySample&)>;

    // Opens the device, says hello, builds the profile from BOARD_INFO (a known profile with the
    // reported id wins for its modelling figures) and starts telemetry. Throws on any failure.
    static std::shared_ptr<UsbBoard> connect(UsbContext& context, libusb_device* device, const UsbEndpoints& endpoints,
                                             const UsbBoardOptions& options, const std::vector<BoardProfile>& knownProfiles,
                                             TelemetrySink telemetry);
    ~UsbBoard() override;

    std::string id() const override { return id_; }
    BoardKind kind() const override { return BoardKind::Usb; }
    const BoardProfile& profile() const override { return profile_; }
    BoardState state() const override;
    std::string stateDetail() const override;
    Measurement measure(const CandidateProgram& program, const StopToken& stop) override;

    // Called by the board manager when the device leaves: fails the running trial, closes the link.
    void disconnect(const std::string& why);
    LinkStatistics statistics() const { return client_->statistics(); }
    std::string firmwareVersion() const { return firmwareVersion_; }
    std::string serial() const { return serial_; }
    // What the board runs besides reference images, and where (from BOARD_INFO).
    const ProgramImageTarget& imageTarget() const { return imageTarget_; }
    // Changes the telemetry period (0 = off). False when the board did not acknowledge.
    bool setTelemetryPeriod(std::uint32_t periodUs);

private:
    UsbBoard(std::string id, const UsbBoardOptions& options, std::unique_ptr<UsbLink> link, TelemetrySink telemetry);
    Measurement fault(FaultKind kind, std::string detail) const;
    Measurement fromReply(const Reply& reply, const char* step) const;
    void onTelemetry(const nesy_telemetry& t);

    std::string id_;
    UsbBoardOptions options_;
    BoardProfile profile_;
    ProgramImageTarget imageTarget_;
    std::string firmwareVersion_, serial_;
    std::unique_ptr<UsbLink> link_;
    std::unique_ptr<ProtocolClient> client_;
    TelemetrySink telemetry_;
    std::mutex measureMutex_; // one trial at a time per board
    std::atomic<double> clockHz_{0}; // read by telemetry on the event thread
    std::atomic<bool> busy_{false};
    std::atomic<bool> needsReset_{false}; // the last trial ended without the board's answer
    mutable std::mutex detailMutex_;
    std::string disconnectReason_;
};

} // namespace nesy
