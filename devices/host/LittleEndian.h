#pragma once
// Appending integers to a program image in the wire protocol's byte order (little-endian,
// docs/protocol.md), whatever the host's.
#include <cstdint>
#include <vector>

namespace nesy {

inline void putU16(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

inline void putU32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    putU16(out, v & 0xFFFF);
    putU16(out, v >> 16);
}

} // namespace nesy
