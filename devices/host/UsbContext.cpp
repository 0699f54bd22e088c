#include "host/UsbContext.h"
#include <libusb.h>

namespace nesy {

UsbError::UsbError(const std::string& what, int code)
    : std::runtime_error(what + ": " + libusb_error_name(code)), code_(code)
{
}

UsbContext::UsbContext()
{
    int rc = libusb_init(&ctx_);
    if (rc != LIBUSB_SUCCESS)
        throw UsbError("cannot initialise libusb", rc);
    thread_ = std::thread([this] { run(); });
}

void UsbContext::stopWatching()
{
    if (hotplugRegistered_) // libusb runs callbacks under the lock this takes: none is in progress after
        libusb_hotplug_deregister_callback(ctx_, hotplugHandle_);
    hotplugRegistered_ = false;
}

UsbContext::~UsbContext()
{
    stopWatching();
    stop_.store(true);
    libusb_interrupt_event_handler(ctx_);
    if (thread_.joinable())
        thread_.join();
    libusb_exit(ctx_);
}

void UsbContext::run()
{
    while (!stop_.load()) {
        timeval tv{0, 100000}; // wake regularly even if an interrupt were missed
        libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
    }
}

int UsbContext::onHotplug(libusb_context*, libusb_device* device, int event, void* self)
{
    auto* context = static_cast<UsbContext*>(self);
    if (context->hotplug_)
        context->hotplug_(device, event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
    return 0; // stay registered
}

void UsbContext::watchHotplug(HotplugHandler handler)
{
    if (hotplugRegistered_)
        throw std::logic_error("UsbContext::watchHotplug called twice");
    if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
        throw UsbError("this libusb has no hotplug support", LIBUSB_ERROR_NOT_SUPPORTED);
    hotplug_ = std::move(handler);
    libusb_hotplug_callback_handle handle = 0;
    int rc = libusb_hotplug_register_callback(
        ctx_, static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
        LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        [](libusb_context* c, libusb_device* d, libusb_hotplug_event e, void* self) { return onHotplug(c, d, e, self); },
        this, &handle);
    if (rc != LIBUSB_SUCCESS)
        throw UsbError("cannot register the hotplug callback", rc);
    hotplugHandle_ = handle;
    hotplugRegistered_ = true;
}

} // namespace nesy
