#pragma once
// One opened board: a claimed interface with a bulk IN and a bulk OUT endpoint, driven by
// asynchronous transfers on the context's event thread. Reads never stop while the link lives;
// writes go through a bounded queue so that a device that stops reading cannot make callers wait.
#include "host/UsbContext.h"
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct libusb_device_handle;
struct libusb_transfer;

namespace nesy {

// Where the protocol runs on a device: a vendor-specific interface (class 0xFF) or the data
// interface (class 0x0A) of a CDC-ACM function, each with one bulk IN and one bulk OUT endpoint.
struct UsbEndpoints {
    int interfaceNumber = -1;
    std::uint8_t in = 0, out = 0;
    bool cdcData = false;
};

// The first suitable interface of the active configuration, or nothing.
std::optional<UsbEndpoints> findBoardInterface(libusb_device* device);
// "usb:<bus>-<port>.<port>..." from the physical topology: stable while the cable stays put.
std::string usbBoardId(libusb_device* device);

struct UsbLinkOptions {
    std::size_t readBufferBytes = 16 * 1024;
    int readsInFlight = 2;               // so the device never waits for the host to resubmit
    unsigned writeTimeoutMs = 1000;      // a device that NAKs longer has stalled
    std::size_t maxQueuedWriteBytes = 256 * 1024;
};

struct UsbLinkCounters {
    std::uint64_t writeTimeouts = 0;
    std::uint64_t writesRejected = 0; // queue full or link dead
};

class UsbLink {
public:
    using BytesHandler = std::function<void(const std::uint8_t*, std::size_t)>;
    using DeadHandler = std::function<void(const std::string& why)>;

    // Opens and claims; detaches a kernel driver (cdc_acm) when needed. Throws UsbError.
    UsbLink(UsbContext& context, libusb_device* device, const UsbEndpoints& endpoints, UsbLinkOptions options = {});
    ~UsbLink(); // close()
    UsbLink(const UsbLink&) = delete;
    UsbLink& operator=(const UsbLink&) = delete;

    // Starts reading. Handlers run on the event thread and must not block.
    void start(BytesHandler onBytes, DeadHandler onDead);
    // Queues bytes for the device. False when the link is dead, closing, or the queue is full.
    bool write(std::vector<std::uint8_t> bytes);
    // Cancels every transfer, waits until libusb has returned them all, releases and closes.
    void close();
    bool alive() const;
    std::string deadReason() const; // empty while alive
    UsbLinkCounters counters() const;

private:
    static void onReadDone(libusb_transfer* t);
    static void onWriteDone(libusb_transfer* t);
    void readDone(libusb_transfer* t);
    void writeDone(libusb_transfer* t);
    void submitNextWriteLocked();
    void dieLocked(const std::string& why, std::vector<std::function<void()>>& notify);

    UsbContext& context_;
    UsbEndpoints endpoints_;
    UsbLinkOptions options_;
    libusb_device_handle* handle_ = nullptr;
    bool claimed_ = false;

    mutable std::mutex mutex_;
    std::condition_variable idle_;
    std::vector<libusb_transfer*> reads_;
    std::vector<std::vector<std::uint8_t>> readBuffers_;
    libusb_transfer* writeTransfer_ = nullptr;
    std::vector<std::uint8_t> writing_;
    std::deque<std::vector<std::uint8_t>> writeQueue_;
    std::size_t queuedBytes_ = 0;
    int inFlight_ = 0;
    bool writeInFlight_ = false;
    bool closing_ = false;
    bool dead_ = false;
    std::string deadReason_;
    bool leaked_ = false; // transfers libusb never returned: never freed under it
    BytesHandler onBytes_;
    DeadHandler onDead_;
    UsbLinkCounters counters_;
};

} // namespace nesy
