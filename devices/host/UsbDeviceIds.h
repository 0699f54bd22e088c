#pragma once
// Which USB devices are boards: a configurable list of vendor / product ids (resources/usb-ids.json).
// The defaults are the reference firmware's ids from the pid.codes test range (docs/usb.md).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nesy {

struct UsbDeviceId {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    std::string description;
    bool operator==(const UsbDeviceId& o) const { return vendor == o.vendor && product == o.product; }
};

// 0x1209:0x0001 (vendor-specific bulk interface) and 0x1209:0x0002 (CDC-ACM virtual COM port).
std::vector<UsbDeviceId> defaultUsbDeviceIds();

// {"version": 1, "devices": [{"vendor": "0x1209", "product": "0x0001", "description": "..."}]}
// Throws FormatError naming the JSON path of a bad entry.
std::vector<UsbDeviceId> loadUsbDeviceIds(const std::filesystem::path& file);

bool containsUsbId(const std::vector<UsbDeviceId>& ids, std::uint16_t vendor, std::uint16_t product);

} // namespace nesy
