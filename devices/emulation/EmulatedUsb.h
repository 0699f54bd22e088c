#pragma once
// USB boards emulated with umockdev, for tests and benchmarks without hardware. The process must
// run under umockdev-wrapper (LD_PRELOAD of libumockdev-preload), and the bus must exist before
// any libusb context is created: it redirects /sys and /dev into a temporary test bed.
//
// Each FirmwareUsbDevice is a usbdevfs node whose ioctl handler plays the device side: it accepts
// the URBs libusb submits and answers them by running the reference firmware core, so the real
// libusb code (enumeration, hotplug uevents, async bulk transfers, cancellation) is what talks to
// it. A device thread plays the MCU's main loop (firmware poll + telemetry clock). Besides reference
// images (NSY1) it runs linked programs built for the host (NSY2, arch host-so) through
// HostProgramLoader, the host port's loader.
#include "emulation/HostProgramLoader.h"
#include "firmware/nesy_fw.h"
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;
typedef struct _UMockdevIoctlBase UMockdevIoctlBase;
typedef struct _UMockdevIoctlClient UMockdevIoctlClient;
typedef struct _UMockdevIoctlData UMockdevIoctlData;

namespace nesy {

class EmulatedUsbBus {
public:
    EmulatedUsbBus();  // throws std::runtime_error when not running under umockdev-wrapper
    ~EmulatedUsbBus();
    EmulatedUsbBus(const EmulatedUsbBus&) = delete;
    EmulatedUsbBus& operator=(const EmulatedUsbBus&) = delete;
    UMockdevTestbed* testbed() const { return testbed_; }

private:
    UMockdevTestbed* testbed_ = nullptr;
};

struct EmulatedBoardSpec {
    int port = 1;                 // bus 1, port N, device address N + 1: board id "usb:1-N"
    std::uint16_t vendor = 0x1209;
    std::uint16_t product = 0x0001;
    bool cdcAcm = false;          // CDC-ACM descriptors; cdc_acm "bound" until libusb detaches it
    std::string profileId = "nucleo-f446re";
    std::string mcu = "STM32F446RE";
    std::string core = "cortex-m4";
    std::string serial = "EMU0001";
    std::uint32_t clockHz = 180000000;
    std::uint32_t flashBytes = 512 * 1024, sramBytes = 128 * 1024;
    std::uint32_t reservedFlashBytes = 32 * 1024, reservedSramBytes = 28 * 1024;
    std::uint32_t programAreaBytes = 256 * 1024;
    bool linkedPrograms = true;        // runs NSY2 host shared objects (false: NSY1 only, image_arch 0)
    std::uint32_t inferenceTimeUs = 0; // wall time one inference takes (a slow MCU), 0 = as fast as the host
    std::size_t txCapacityBytes = 1 << 20; // device-side IN buffer; overflow drops bytes (counted)
};

struct EmulatedDeviceCounters {
    std::uint64_t outBytes = 0, inBytes = 0;
    std::uint64_t txOverflowBytes = 0;
    std::uint64_t urbsSubmitted = 0, urbsDiscarded = 0;
    std::uint32_t firmwareRuns = 0, firmwareTelemetry = 0, firmwareRejected = 0;
    std::uint32_t frameErrors = 0; // the firmware decoder's dropped frames
    std::uint8_t state = NESY_STATE_EMPTY;
    std::uint32_t imageBytesReceived = 0;
    bool kernelDriverDetached = false;
};

class FirmwareUsbDevice {
public:
    FirmwareUsbDevice(EmulatedUsbBus& bus, EmulatedBoardSpec spec);
    ~FirmwareUsbDevice(); // unplugs when plugged
    FirmwareUsbDevice(const FirmwareUsbDevice&) = delete;
    FirmwareUsbDevice& operator=(const FirmwareUsbDevice&) = delete;

    void plug();   // the sysfs device appears with an "add" uevent
    void unplug(); // in-flight URBs fail with ENODEV, then a "remove" uevent, then the node goes
    bool plugged() const;

    void setStalled(bool stalled);   // stops reading OUT data and producing IN data (NAKs both)
    void setFlooding(bool flooding); // emits telemetry as fast as the host takes it
    void injectToHost(const std::vector<std::uint8_t>& bytes); // raw bytes on the IN pipe

    EmulatedDeviceCounters counters() const;
    const EmulatedBoardSpec& spec() const { return spec_; }
    std::string sysfsPath() const;
    std::string devnode() const;

private:
    struct Urb {
        UMockdevIoctlData* data; // referenced; the resolved struct usbdevfs_urb and its buffer
        bool in;
        UMockdevIoctlClient* owner; // only the file descriptor that submitted a URB may reap it
    };
    static int onIoctl(UMockdevIoctlBase* handler, UMockdevIoctlClient* client, void* self);
    static void onClientVanished(UMockdevIoctlBase* handler, UMockdevIoctlClient* client, void* self);
    static void firmwareWrite(void* self, const std::uint8_t* bytes, std::size_t n);
    static const char* loadProgram(void* self, const std::uint8_t* image, const nesy_image_info* info);
    static const char* runProgram(void* self, const float* input, float* output, std::uint32_t* cycles, std::uint32_t* peakStack);
    static void unloadProgram(void* self);
    void initFirmwareLocked();
    bool handleIoctl(UMockdevIoctlClient* client);
    void deviceLoop();
    void deliverInLocked();
    void floodLocked();
    void finishUrbLocked(Urb urb, int status, int actualLength);
    std::uint32_t nowUs() const;

    EmulatedUsbBus& bus_;
    EmulatedBoardSpec spec_;
    UMockdevIoctlBase* handler_ = nullptr;
    unsigned long handlerSignal_ = 0, vanishedSignal_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::unique_ptr<nesy_fw> fw_;
    HostProgramLoader loader_;
    nesy_fw_loader loaderHooks_{};
    std::vector<std::uint8_t> programArea_;
    std::deque<std::uint8_t> rx_, tx_;
    std::deque<Urb> pendingIn_, heldOut_, reapable_;
    bool plugged_ = false;
    UMockdevIoctlClient* claimedBy_ = nullptr; // one opener owns the interface, as with the kernel
    bool stalled_ = false;
    bool flooding_ = false;
    bool quit_ = false;
    std::uint32_t floodIndex_ = 0;
    EmulatedDeviceCounters counters_;
    std::chrono::steady_clock::time_point start_;
    std::thread thread_;
};

} // namespace nesy
