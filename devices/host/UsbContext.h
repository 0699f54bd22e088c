#pragma once
// A libusb context with its own event thread: every asynchronous transfer callback and hotplug
// notification runs there, so callers never have to pump libusb themselves.
#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

struct libusb_context;
struct libusb_device;

namespace nesy {

class UsbError : public std::runtime_error {
public:
    UsbError(const std::string& what, int code);
    int code() const { return code_; }
private:
    int code_;
};

class UsbContext {
public:
    // Called on the event thread (or, for devices present at registration, on the registering
    // thread). Must not block: queue the work elsewhere.
    using HotplugHandler = std::function<void(libusb_device* device, bool arrived)>;

    UsbContext();  // throws UsbError
    ~UsbContext(); // stops hotplug and the event thread; links must be closed before
    UsbContext(const UsbContext&) = delete;
    UsbContext& operator=(const UsbContext&) = delete;

    libusb_context* get() const { return ctx_; }
    // Reports every device present now and every later arrival and departure. Once per context.
    void watchHotplug(HotplugHandler handler);
    // Deregisters the hotplug callback; once it returns the handler is never called again.
    void stopWatching();
    bool eventThreadRunning() const { return thread_.joinable() && !stop_.load(); }

private:
    void run();
    static int onHotplug(libusb_context* ctx, libusb_device* device, int event, void* self);

    libusb_context* ctx_ = nullptr;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    HotplugHandler hotplug_;
    int hotplugHandle_ = 0;
    bool hotplugRegistered_ = false;
};

} // namespace nesy
