#include "emulation/EmulatedUsb.h"
#include <umockdev.h>
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace nesy {

namespace {

std::string hex(const std::vector<std::uint8_t>& bytes)
{
    std::string out;
    char buf[3];
    for (std::uint8_t b : bytes) {
        std::snprintf(buf, sizeof buf, "%02x", b);
        out += buf;
    }
    return out;
}

// Device descriptor + configuration descriptor, as sysfs "descriptors" holds them.
std::vector<std::uint8_t> descriptors(const EmulatedBoardSpec& s)
{
    const std::uint8_t vl = s.vendor & 0xFF, vh = s.vendor >> 8, pl = s.product & 0xFF, ph = s.product >> 8;
    std::vector<std::uint8_t> d = {18, 1, 0x00, 0x02, static_cast<std::uint8_t>(s.cdcAcm ? 0x02 : 0x00), 0, 0, 64,
                                   vl, vh, pl, ph, 0x00, 0x01, 1, 2, 3, 1};
    if (!s.cdcAcm) {
        // One vendor-specific interface with bulk IN 0x81 and bulk OUT 0x01 (512-byte packets).
        std::vector<std::uint8_t> c = {9, 2, 32, 0, 1, 1, 0, 0x80, 50,
                                       9, 4, 0, 0, 2, 0xFF, 0, 0, 0,
                                       7, 5, 0x81, 2, 0x00, 0x02, 0,
                                       7, 5, 0x01, 2, 0x00, 0x02, 0};
        d.insert(d.end(), c.begin(), c.end());
    } else {
        // CDC-ACM: communication interface 0 (interrupt IN 0x83) and data interface 1 (bulk 0x81 / 0x01).
        std::vector<std::uint8_t> c = {9, 2, 48, 0, 2, 1, 0, 0x80, 50,
                                       9, 4, 0, 0, 1, 0x02, 0x02, 0x01, 0,
                                       7, 5, 0x83, 3, 16, 0, 16,
                                       9, 4, 1, 0, 2, 0x0A, 0, 0, 0,
                                       7, 5, 0x81, 2, 0x00, 0x02, 0,
                                       7, 5, 0x01, 2, 0x00, 0x02, 0};
        d.insert(d.end(), c.begin(), c.end());
    }
    return d;
}

} // namespace

EmulatedUsbBus::EmulatedUsbBus()
{
    // umockdev_in_mock_environment() only answers once a test bed exists: check the preload itself.
    const char* preload = std::getenv("LD_PRELOAD");
    if (!preload || !std::strstr(preload, "libumockdev-preload"))
        throw std::runtime_error("the emulated USB bus needs umockdev: run this program under umockdev-wrapper");
    testbed_ = umockdev_testbed_new();
}

EmulatedUsbBus::~EmulatedUsbBus()
{
    g_object_unref(testbed_);
}

FirmwareUsbDevice::FirmwareUsbDevice(EmulatedUsbBus& bus, EmulatedBoardSpec spec)
    : bus_(bus), spec_(std::move(spec)), fw_(std::make_unique<nesy_fw>()), loader_(spec_.clockHz),
      programArea_(spec_.programAreaBytes), start_(std::chrono::steady_clock::now())
{
    loaderHooks_.arch = NESY_ARCH_HOST_SO;
    loaderHooks_.load = &FirmwareUsbDevice::loadProgram;
    loaderHooks_.run = &FirmwareUsbDevice::runProgram;
    loaderHooks_.unload = &FirmwareUsbDevice::unloadProgram;
    initFirmwareLocked(); // no other thread exists yet
    handler_ = umockdev_ioctl_base_new();
    handlerSignal_ = g_signal_connect(handler_, "handle-ioctl", G_CALLBACK(&FirmwareUsbDevice::onIoctl), this);
    vanishedSignal_ = g_signal_connect(handler_, "client-vanished", G_CALLBACK(&FirmwareUsbDevice::onClientVanished), this);
    GError* error = nullptr;
    if (!umockdev_testbed_attach_ioctl(bus_.testbed(), devnode().c_str(), handler_, &error)) {
        std::string why = error ? error->message : "unknown error";
        g_clear_error(&error);
        g_object_unref(handler_);
        throw std::runtime_error("cannot attach the ioctl handler to " + devnode() + ": " + why);
    }
    thread_ = std::thread([this] { deviceLoop(); });
}

FirmwareUsbDevice::~FirmwareUsbDevice()
{
    if (plugged())
        unplug();
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
    umockdev_testbed_detach_ioctl(bus_.testbed(), devnode().c_str(), nullptr);
    g_signal_handler_disconnect(handler_, handlerSignal_);
    g_signal_handler_disconnect(handler_, vanishedSignal_);
    std::lock_guard lock(mutex_);
    for (auto* queue : {&pendingIn_, &heldOut_, &reapable_})
        for (Urb& u : *queue)
            g_object_unref(u.data);
    g_object_unref(handler_);
}

void FirmwareUsbDevice::initFirmwareLocked()
{
    loader_.unload();
    nesy_fw_identity id{spec_.profileId.c_str(), spec_.mcu.c_str(), spec_.core.c_str(), spec_.serial.c_str(),
                        spec_.clockHz, spec_.flashBytes, spec_.sramBytes, spec_.reservedFlashBytes, spec_.reservedSramBytes};
    // cycles stays null: reference images report their documented cycle model here; linked programs
    // are timed by the loader.
    nesy_fw_port port{this, &FirmwareUsbDevice::firmwareWrite, nullptr, spec_.linkedPrograms ? &loaderHooks_ : nullptr};
    nesy_fw_init(fw_.get(), &id, &port, programArea_.data(), static_cast<std::uint32_t>(programArea_.size()));
}

const char* FirmwareUsbDevice::loadProgram(void* self, const std::uint8_t* image, const nesy_image_info* info)
{
    return static_cast<FirmwareUsbDevice*>(self)->loader_.load(image, *info); // mutex_ held by the caller
}

const char* FirmwareUsbDevice::runProgram(void* self, const float* input, float* output, std::uint32_t* cycles,
                                          std::uint32_t* peakStack)
{
    *peakStack = 0; // not measured on the host: the declared figure is reported
    return static_cast<FirmwareUsbDevice*>(self)->loader_.run(input, output, *cycles);
}

void FirmwareUsbDevice::unloadProgram(void* self)
{
    static_cast<FirmwareUsbDevice*>(self)->loader_.unload();
}

std::string FirmwareUsbDevice::sysfsPath() const
{
    return "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-" + std::to_string(spec_.port);
}

std::string FirmwareUsbDevice::devnode() const
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "/dev/bus/usb/001/%03d", spec_.port + 1);
    return buf;
}

std::uint32_t FirmwareUsbDevice::nowUs() const
{
    return static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_).count());
}

void FirmwareUsbDevice::plug()
{
    {
        std::lock_guard lock(mutex_);
        if (plugged_)
            return;
        plugged_ = true;
    }
    const int devnum = spec_.port + 1;
    std::string record = "P: " + sysfsPath().substr(4) + "\n"
                         "N: " + devnode().substr(5) + "\n"
                         "E: SUBSYSTEM=usb\n"
                         "E: DEVTYPE=usb_device\n"
                         "E: DRIVER=usb\n"
                         "E: DEVNAME=" + devnode() + "\n"
                         "E: BUSNUM=001\n"
                         "E: DEVNUM=" + devnode().substr(devnode().size() - 3) + "\n"
                         "E: PRODUCT=" + std::to_string(spec_.vendor) + "/" + std::to_string(spec_.product) + "/100\n"
                         "A: busnum=1\\n\n"
                         "A: devnum=" + std::to_string(devnum) + "\\n\n"
                         "A: speed=480\\n\n"
                         "A: bConfigurationValue=1\\n\n"
                         "H: descriptors=" + hex(descriptors(spec_)) + "\n";
    GError* error = nullptr;
    if (!umockdev_testbed_add_from_string(bus_.testbed(), record.c_str(), &error)) {
        std::string why = error ? error->message : "unknown error";
        g_clear_error(&error);
        std::lock_guard lock(mutex_);
        plugged_ = false;
        throw std::runtime_error("cannot add the emulated device " + sysfsPath() + ": " + why);
    }
}

void FirmwareUsbDevice::unplug()
{
    {
        std::lock_guard lock(mutex_);
        if (!plugged_)
            return;
        plugged_ = false;
        // What the kernel does on disconnect: every URB in flight completes with -ESHUTDOWN, and
        // later usbdevfs calls fail with ENODEV.
        while (!pendingIn_.empty()) {
            finishUrbLocked(pendingIn_.front(), -ESHUTDOWN, 0);
            pendingIn_.pop_front();
        }
        while (!heldOut_.empty()) {
            finishUrbLocked(heldOut_.front(), -ESHUTDOWN, 0);
            heldOut_.pop_front();
        }
        rx_.clear();
        tx_.clear();
        initFirmwareLocked(); // power loss: the program is gone
    }
    // umockdev 0.17 does not emit "remove" by itself when a device is removed.
    umockdev_testbed_uevent(bus_.testbed(), sysfsPath().c_str(), "remove");
    umockdev_testbed_remove_device(bus_.testbed(), sysfsPath().c_str());
}

bool FirmwareUsbDevice::plugged() const
{
    std::lock_guard lock(mutex_);
    return plugged_;
}

void FirmwareUsbDevice::setStalled(bool stalled)
{
    {
        std::lock_guard lock(mutex_);
        stalled_ = stalled;
        if (!stalled) { // the endpoint accepts again: take what the host kept sending
            while (!heldOut_.empty()) {
                Urb u = heldOut_.front();
                heldOut_.pop_front();
                auto* urb = reinterpret_cast<usbdevfs_urb*>(u.data->data);
                const auto* b = static_cast<const std::uint8_t*>(urb->buffer);
                rx_.insert(rx_.end(), b, b + urb->buffer_length);
                counters_.outBytes += static_cast<std::uint64_t>(urb->buffer_length);
                finishUrbLocked(u, 0, urb->buffer_length);
            }
        }
    }
    wake_.notify_all();
}

void FirmwareUsbDevice::setFlooding(bool flooding)
{
    {
        std::lock_guard lock(mutex_);
        flooding_ = flooding;
    }
    wake_.notify_all();
}

void FirmwareUsbDevice::injectToHost(const std::vector<std::uint8_t>& bytes)
{
    {
        std::lock_guard lock(mutex_);
        tx_.insert(tx_.end(), bytes.begin(), bytes.end());
    }
    wake_.notify_all();
}

EmulatedDeviceCounters FirmwareUsbDevice::counters() const
{
    std::lock_guard lock(mutex_);
    EmulatedDeviceCounters c = counters_;
    c.firmwareRuns = fw_->counters.runs;
    c.firmwareTelemetry = fw_->counters.telemetry;
    c.firmwareRejected = fw_->counters.rejected;
    const nesy_frame_stats& s = fw_->decoder.stats;
    c.frameErrors = s.cobs_errors + s.crc_errors + s.truncated + s.oversized + s.bad_version;
    c.state = fw_->state;
    c.imageBytesReceived = fw_->image_len;
    return c;
}

void FirmwareUsbDevice::firmwareWrite(void* self, const std::uint8_t* bytes, std::size_t n)
{
    // Called from nesy_fw_* with mutex_ held.
    auto* d = static_cast<FirmwareUsbDevice*>(self);
    if (d->tx_.size() + n > d->spec_.txCapacityBytes) {
        d->counters_.txOverflowBytes += n;
        return;
    }
    d->tx_.insert(d->tx_.end(), bytes, bytes + n);
}

void FirmwareUsbDevice::finishUrbLocked(Urb urb, int status, int actualLength)
{
    auto* u = reinterpret_cast<usbdevfs_urb*>(urb.data->data);
    u->status = status;
    u->actual_length = actualLength;
    reapable_.push_back(urb);
}

void FirmwareUsbDevice::deliverInLocked()
{
    while (!pendingIn_.empty() && !tx_.empty()) {
        Urb urb = pendingIn_.front();
        pendingIn_.pop_front();
        auto* u = reinterpret_cast<usbdevfs_urb*>(urb.data->data);
        std::size_t n = std::min<std::size_t>(tx_.size(), static_cast<std::size_t>(u->buffer_length));
        std::copy(tx_.begin(), tx_.begin() + static_cast<std::ptrdiff_t>(n), static_cast<std::uint8_t*>(u->buffer));
        tx_.erase(tx_.begin(), tx_.begin() + static_cast<std::ptrdiff_t>(n));
        counters_.inBytes += n;
        finishUrbLocked(urb, 0, static_cast<int>(n));
    }
}

void FirmwareUsbDevice::floodLocked()
{
    nesy_msg m{};
    std::uint8_t wire[NESY_MAX_WIRE_FRAME];
    while (tx_.size() < 64 * 1024) {
        m.type = NESY_MSG_TELEMETRY;
        m.seq = 0;
        m.u.telemetry.sample_index = fw_->sample_index++;
        m.u.telemetry.device_time_us = nowUs();
        m.u.telemetry.state = fw_->state;
        std::size_t n = nesy_msg_encode(&m, wire, sizeof wire);
        tx_.insert(tx_.end(), wire, wire + n);
    }
}

void FirmwareUsbDevice::deviceLoop()
{
    std::unique_lock lock(mutex_);
    std::vector<std::uint8_t> chunk;
    while (!quit_) {
        bool busy = false;
        if (plugged_ && !stalled_) {
            if (!rx_.empty()) {
                chunk.assign(rx_.begin(), rx_.end());
                rx_.clear();
                nesy_fw_receive(fw_.get(), chunk.data(), chunk.size());
            }
            busy = nesy_fw_poll(fw_.get(), nowUs()) != 0;
            if (flooding_)
                floodLocked();
            deliverInLocked();
        }
        if (busy && spec_.inferenceTimeUs == 0) { // keep running, but let the ioctl handler in
            lock.unlock();
            std::this_thread::yield();
            lock.lock();
            continue;
        }
        std::chrono::microseconds wait(busy ? spec_.inferenceTimeUs : 5000);
        if (!busy && plugged_ && !stalled_ && fw_->telemetry_period_us > 0) {
            auto due = static_cast<std::int32_t>(fw_->next_telemetry_us - nowUs());
            wait = std::chrono::microseconds(std::clamp<std::int32_t>(due, 0, 5000));
        }
        if (flooding_ || (!tx_.empty() && !pendingIn_.empty()))
            wait = std::chrono::microseconds(200);
        // Always release the lock for a moment, even when the next sample is already due.
        wake_.wait_for(lock, std::max(wait, std::chrono::microseconds(20)));
    }
}

int FirmwareUsbDevice::onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, void* self)
{
    return static_cast<FirmwareUsbDevice*>(self)->handleIoctl(client) ? TRUE : FALSE;
}

void FirmwareUsbDevice::onClientVanished(UMockdevIoctlBase*, UMockdevIoctlClient* client, void* self)
{
    auto* d = static_cast<FirmwareUsbDevice*>(self);
    std::lock_guard lock(d->mutex_);
    if (d->claimedBy_ == client)
        d->claimedBy_ = nullptr; // closing the node releases its claim and forgets its URBs
    for (auto* queue : {&d->pendingIn_, &d->heldOut_, &d->reapable_}) {
        for (auto it = queue->begin(); it != queue->end();) {
            if (it->owner == client) {
                g_object_unref(it->data);
                it = queue->erase(it);
            } else {
                ++it;
            }
        }
    }
}

bool FirmwareUsbDevice::handleIoctl(UMockdevIoctlClient* client)
{
    const unsigned long request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    std::unique_lock lock(mutex_);
    auto complete = [&](long result, int err) { umockdev_ioctl_client_complete(client, result, err); return true; };

    switch (request) {
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
        auto mine = std::find_if(reapable_.begin(), reapable_.end(), [&](const Urb& u) { return u.owner == client; });
        if (mine == reapable_.end())
            return complete(-1, plugged_ ? EAGAIN : ENODEV);
        Urb urb = *mine;
        reapable_.erase(mine);
        UMockdevIoctlData* slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(void*), nullptr);
        if (!slot) { // the client went away mid-call
            g_object_unref(urb.data);
            return complete(-1, EFAULT);
        }
        umockdev_ioctl_data_set_ptr(slot, 0, urb.data);
        complete(0, 0);
        g_object_unref(slot);
        g_object_unref(urb.data);
        return true;
    }
    case USBDEVFS_DISCARDURB: {
        const unsigned long address = reinterpret_cast<unsigned long>(*reinterpret_cast<void**>(arg->data));
        for (auto* queue : {&pendingIn_, &heldOut_}) {
            for (auto it = queue->begin(); it != queue->end(); ++it) {
                if (it->owner == client && it->data->client_addr == address) {
                    Urb urb = *it;
                    queue->erase(it);
                    ++counters_.urbsDiscarded;
                    finishUrbLocked(urb, -ENOENT, 0);
                    return complete(0, 0);
                }
            }
        }
        return complete(-1, EINVAL);
    }
    default:
        break;
    }
    if (!plugged_)
        return complete(-1, ENODEV);

    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData* caps = umockdev_ioctl_data_resolve(arg, 0, sizeof(std::uint32_t), nullptr);
        if (!caps)
            return complete(-1, EFAULT);
        const std::uint32_t value = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM
                                  | USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        std::memcpy(caps->data, &value, sizeof value);
        complete(0, 0);
        g_object_unref(caps);
        return true;
    }
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM:
        if (claimedBy_ && claimedBy_ != client)
            return complete(-1, EBUSY); // another program has the board open
        claimedBy_ = client;
        if (spec_.cdcAcm && request == USBDEVFS_DISCONNECT_CLAIM)
            counters_.kernelDriverDetached = true;
        return complete(0, 0);
    case USBDEVFS_RELEASEINTERFACE:
        if (claimedBy_ == client)
            claimedBy_ = nullptr;
        return complete(0, 0);
    case USBDEVFS_GETDRIVER: {
        if (!spec_.cdcAcm || counters_.kernelDriverDetached)
            return complete(-1, ENODATA);
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_getdriver), nullptr);
        if (!d)
            return complete(-1, EFAULT);
        std::strcpy(reinterpret_cast<usbdevfs_getdriver*>(d->data)->driver, "cdc_acm");
        complete(0, 0);
        g_object_unref(d);
        return true;
    }
    case USBDEVFS_IOCTL: {
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_ioctl), nullptr);
        if (!d)
            return complete(-1, EFAULT);
        const int code = reinterpret_cast<usbdevfs_ioctl*>(d->data)->ioctl_code;
        g_object_unref(d);
        if (code == USBDEVFS_DISCONNECT) {
            if (!spec_.cdcAcm || counters_.kernelDriverDetached)
                return complete(-1, ENODATA);
            counters_.kernelDriverDetached = true;
        }
        return complete(0, 0);
    }
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
    case USBDEVFS_RESET:
        return complete(0, 0);
    case USBDEVFS_SUBMITURB: {
        UMockdevIoctlData* data = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
        if (!data)
            return complete(-1, EFAULT);
        auto* urb = reinterpret_cast<usbdevfs_urb*>(data->data);
        if (claimedBy_ != client) {
            g_object_unref(data);
            return complete(-1, EBUSY);
        }
        if (urb->type != USBDEVFS_URB_TYPE_BULK || urb->buffer_length < 0) {
            g_object_unref(data);
            return complete(-1, EINVAL);
        }
        UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(data, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
                                                                static_cast<gsize>(urb->buffer_length), nullptr);
        if (buffer)
            g_object_unref(buffer); // the URB keeps its resolved buffer
        ++counters_.urbsSubmitted;
        Urb u{data, (urb->endpoint & 0x80) != 0, client};
        if (u.in) {
            pendingIn_.push_back(u);
        } else if (stalled_) {
            heldOut_.push_back(u); // NAK: the host's write times out unless the stall ends
        } else {
            const auto* b = static_cast<const std::uint8_t*>(urb->buffer);
            rx_.insert(rx_.end(), b, b + urb->buffer_length);
            counters_.outBytes += static_cast<std::uint64_t>(urb->buffer_length);
            finishUrbLocked(u, 0, urb->buffer_length);
        }
        complete(0, 0);
        lock.unlock();
        wake_.notify_all();
        return true;
    }
    default:
        return complete(-1, ENOTTY);
    }
}

} // namespace nesy
