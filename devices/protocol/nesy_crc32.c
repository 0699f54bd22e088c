#include "nesy_crc32.h"

uint32_t nesy_crc32_update(uint32_t crc, const uint8_t *data, size_t n)
{
    size_t i;
    int bit;
    crc = ~crc;
    for (i = 0; i < n; ++i) {
        crc ^= data[i];
        for (bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

uint32_t nesy_crc32(const uint8_t *data, size_t n)
{
    return nesy_crc32_update(0, data, n);
}
