#include "host/UsbDeviceIds.h"
#include "graph/JsonReader.h"
#include "graph/Project.h"
#include <algorithm>

namespace nesy {

std::vector<UsbDeviceId> defaultUsbDeviceIds()
{
    return {{0x1209, 0x0001, "NeSy reference firmware, vendor-specific bulk interface"},
            {0x1209, 0x0002, "NeSy reference firmware, CDC-ACM virtual COM port"}};
}

namespace {

std::uint16_t parseId(const JsonReader& r)
{
    std::string text = r.asString();
    std::size_t used = 0;
    unsigned long value = 0;
    try {
        value = std::stoul(text, &used, 16);
    } catch (const std::exception&) {
        r.fail("expected a hexadecimal id such as \"0x1209\", got \"" + text + "\"");
    }
    if (used != text.size() || value > 0xFFFF)
        r.fail("expected a 16-bit hexadecimal id such as \"0x1209\", got \"" + text + "\"");
    return static_cast<std::uint16_t>(value);
}

} // namespace

std::vector<UsbDeviceId> loadUsbDeviceIds(const std::filesystem::path& file)
{
    Json doc = parseJsonText(readTextFile(file), file.string());
    JsonReader root(doc, file.string() + ":$");
    root.allowOnly({"version", "devices"});
    if (root.at("version").asInteger() != 1)
        root.at("version").fail("only version 1 is understood");
    std::vector<UsbDeviceId> ids;
    for (const JsonReader& item : root.at("devices").items()) {
        item.allowOnly({"vendor", "product", "description"});
        UsbDeviceId id{parseId(item.at("vendor")), parseId(item.at("product")), item.optString("description", "")};
        if (std::find(ids.begin(), ids.end(), id) != ids.end())
            item.fail("duplicate vendor/product pair");
        ids.push_back(id);
    }
    return ids;
}

bool containsUsbId(const std::vector<UsbDeviceId>& ids, std::uint16_t vendor, std::uint16_t product)
{
    return std::any_of(ids.begin(), ids.end(), [&](const UsbDeviceId& id) { return id.vendor == vendor && id.product == product; });
}

} // namespace nesy
