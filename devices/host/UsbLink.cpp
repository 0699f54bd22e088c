#include "host/UsbLink.h"
#include <libusb.h>
#include <chrono>

namespace nesy {

std::optional<UsbEndpoints> findBoardInterface(libusb_device* device)
{
    libusb_config_descriptor* config = nullptr;
    if (libusb_get_active_config_descriptor(device, &config) != LIBUSB_SUCCESS
        && libusb_get_config_descriptor(device, 0, &config) != LIBUSB_SUCCESS)
        return std::nullopt;
    std::optional<UsbEndpoints> found;
    for (int i = 0; i < config->bNumInterfaces && !found; ++i) {
        const libusb_interface& itf = config->interface[i];
        for (int a = 0; a < itf.num_altsetting && !found; ++a) {
            const libusb_interface_descriptor& d = itf.altsetting[a];
            bool vendor = d.bInterfaceClass == LIBUSB_CLASS_VENDOR_SPEC;
            bool cdcData = d.bInterfaceClass == LIBUSB_CLASS_DATA;
            if (!vendor && !cdcData)
                continue;
            UsbEndpoints e;
            e.interfaceNumber = d.bInterfaceNumber;
            e.cdcData = cdcData;
            for (int k = 0; k < d.bNumEndpoints; ++k) {
                const libusb_endpoint_descriptor& ep = d.endpoint[k];
                if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK)
                    continue;
                if (ep.bEndpointAddress & LIBUSB_ENDPOINT_IN)
                    e.in = e.in ? e.in : ep.bEndpointAddress;
                else
                    e.out = e.out ? e.out : ep.bEndpointAddress;
            }
            if (e.in && e.out)
                found = e;
        }
    }
    libusb_free_config_descriptor(config);
    return found;
}

std::string usbBoardId(libusb_device* device)
{
    std::uint8_t ports[8];
    int n = libusb_get_port_numbers(device, ports, sizeof ports);
    std::string id = "usb:" + std::to_string(libusb_get_bus_number(device)) + "-";
    if (n <= 0)
        return id + "addr" + std::to_string(libusb_get_device_address(device));
    for (int i = 0; i < n; ++i)
        id += (i ? "." : "") + std::to_string(ports[i]);
    return id;
}

UsbLink::UsbLink(UsbContext& context, libusb_device* device, const UsbEndpoints& endpoints, UsbLinkOptions options)
    : context_(context), endpoints_(endpoints), options_(options)
{
    int rc = libusb_open(device, &handle_);
    if (rc != LIBUSB_SUCCESS)
        throw UsbError("cannot open " + usbBoardId(device), rc);
    // cdc_acm binds to the data interface of a virtual COM port: libusb detaches it on claim and
    // reattaches it on release. Not supported on every platform; claiming still works without it.
    libusb_set_auto_detach_kernel_driver(handle_, 1);
    rc = libusb_claim_interface(handle_, endpoints_.interfaceNumber);
    if (rc != LIBUSB_SUCCESS) {
        libusb_close(handle_);
        handle_ = nullptr;
        throw UsbError("cannot claim interface " + std::to_string(endpoints_.interfaceNumber) + " of " + usbBoardId(device), rc);
    }
    claimed_ = true;
    for (int i = 0; i < options_.readsInFlight; ++i) {
        reads_.push_back(libusb_alloc_transfer(0));
        readBuffers_.emplace_back(options_.readBufferBytes);
    }
    writeTransfer_ = libusb_alloc_transfer(0);
}

UsbLink::~UsbLink()
{
    close();
    if (leaked_)
        return;
    for (libusb_transfer* t : reads_)
        libusb_free_transfer(t);
    libusb_free_transfer(writeTransfer_);
}

void UsbLink::start(BytesHandler onBytes, DeadHandler onDead)
{
    std::vector<std::function<void()>> notify;
    {
        std::lock_guard lock(mutex_);
        onBytes_ = std::move(onBytes);
        onDead_ = std::move(onDead);
        for (std::size_t i = 0; i < reads_.size(); ++i) {
            libusb_fill_bulk_transfer(reads_[i], handle_, endpoints_.in, readBuffers_[i].data(),
                                      static_cast<int>(readBuffers_[i].size()), &UsbLink::onReadDone, this, 0);
            int rc = libusb_submit_transfer(reads_[i]);
            if (rc != LIBUSB_SUCCESS) {
                dieLocked(std::string("cannot start reading: ") + libusb_error_name(rc), notify);
                break;
            }
            ++inFlight_;
        }
    }
    for (auto& f : notify)
        f();
}

void UsbLink::onReadDone(libusb_transfer* t) { static_cast<UsbLink*>(t->user_data)->readDone(t); }
void UsbLink::onWriteDone(libusb_transfer* t) { static_cast<UsbLink*>(t->user_data)->writeDone(t); }

void UsbLink::dieLocked(const std::string& why, std::vector<std::function<void()>>& notify)
{
    if (dead_)
        return;
    dead_ = true;
    deadReason_ = why;
    writeQueue_.clear();
    queuedBytes_ = 0;
    if (onDead_)
        notify.push_back([handler = onDead_, why] { handler(why); });
}

void UsbLink::readDone(libusb_transfer* t)
{
    std::vector<std::function<void()>> notify;
    BytesHandler deliver;
    bool resubmit = false;
    {
        std::lock_guard lock(mutex_);
        --inFlight_;
        switch (t->status) {
        case LIBUSB_TRANSFER_COMPLETED:
        case LIBUSB_TRANSFER_TIMED_OUT: // never set (no read timeout), harmless if a backend does
            deliver = onBytes_;
            resubmit = !closing_ && !dead_;
            break;
        case LIBUSB_TRANSFER_CANCELLED:
            break;
        case LIBUSB_TRANSFER_NO_DEVICE:
            dieLocked("device disconnected", notify);
            break;
        default:
            dieLocked(std::string("read failed: ") + libusb_error_name(t->status == LIBUSB_TRANSFER_STALL ? LIBUSB_ERROR_PIPE : LIBUSB_ERROR_IO), notify);
            break;
        }
    }
    // Bytes are delivered outside the lock: the handler may call write().
    if (deliver && t->actual_length > 0)
        deliver(t->buffer, static_cast<std::size_t>(t->actual_length));
    {
        std::lock_guard lock(mutex_);
        if (resubmit && !closing_ && !dead_) {
            int rc = libusb_submit_transfer(t);
            if (rc == LIBUSB_SUCCESS)
                ++inFlight_;
            else
                dieLocked(std::string("cannot resubmit a read: ") + libusb_error_name(rc), notify);
        }
        if (inFlight_ == 0)
            idle_.notify_all();
    }
    for (auto& f : notify)
        f();
}

void UsbLink::writeDone(libusb_transfer* t)
{
    std::vector<std::function<void()>> notify;
    {
        std::lock_guard lock(mutex_);
        --inFlight_;
        writeInFlight_ = false;
        writing_.clear();
        switch (t->status) {
        case LIBUSB_TRANSFER_COMPLETED:
        case LIBUSB_TRANSFER_CANCELLED:
            break;
        case LIBUSB_TRANSFER_TIMED_OUT:
            ++counters_.writeTimeouts; // the device stopped reading; the waiting request will time out
            break;
        case LIBUSB_TRANSFER_NO_DEVICE:
            dieLocked("device disconnected", notify);
            break;
        default:
            dieLocked("write failed", notify);
            break;
        }
        if (!closing_ && !dead_)
            submitNextWriteLocked();
        if (inFlight_ == 0)
            idle_.notify_all();
    }
    for (auto& f : notify)
        f();
}

void UsbLink::submitNextWriteLocked()
{
    if (writeInFlight_ || writeQueue_.empty())
        return;
    writing_ = std::move(writeQueue_.front());
    writeQueue_.pop_front();
    queuedBytes_ -= writing_.size();
    libusb_fill_bulk_transfer(writeTransfer_, handle_, endpoints_.out, writing_.data(), static_cast<int>(writing_.size()),
                              &UsbLink::onWriteDone, this, options_.writeTimeoutMs);
    if (libusb_submit_transfer(writeTransfer_) == LIBUSB_SUCCESS) {
        writeInFlight_ = true;
        ++inFlight_;
    } else {
        writing_.clear();
        ++counters_.writesRejected;
    }
}

bool UsbLink::write(std::vector<std::uint8_t> bytes)
{
    std::lock_guard lock(mutex_);
    if (dead_ || closing_ || queuedBytes_ + bytes.size() > options_.maxQueuedWriteBytes) {
        ++counters_.writesRejected;
        return false;
    }
    queuedBytes_ += bytes.size();
    writeQueue_.push_back(std::move(bytes));
    submitNextWriteLocked();
    return true;
}

void UsbLink::close()
{
    std::unique_lock lock(mutex_);
    if (!handle_)
        return;
    closing_ = true;
    writeQueue_.clear();
    queuedBytes_ = 0;
    for (libusb_transfer* t : reads_)
        libusb_cancel_transfer(t); // harmless for transfers not in flight
    if (writeInFlight_)
        libusb_cancel_transfer(writeTransfer_);
    // The event thread returns every cancelled transfer; a generous bound keeps shutdown finite
    // even if a backend misbehaves (the handle is then leaked rather than freed under libusb).
    bool drained = idle_.wait_for(lock, std::chrono::seconds(5), [this] { return inFlight_ == 0; });
    libusb_device_handle* handle = handle_;
    handle_ = nullptr;
    leaked_ = !drained;
    lock.unlock();
    if (!drained)
        return;
    if (claimed_)
        libusb_release_interface(handle, endpoints_.interfaceNumber);
    libusb_close(handle);
}

bool UsbLink::alive() const
{
    std::lock_guard lock(mutex_);
    return !dead_ && !closing_;
}

std::string UsbLink::deadReason() const
{
    std::lock_guard lock(mutex_);
    return dead_ ? deadReason_ : (closing_ ? std::string("link closed") : std::string());
}

UsbLinkCounters UsbLink::counters() const
{
    std::lock_guard lock(mutex_);
    return counters_;
}

} // namespace nesy
