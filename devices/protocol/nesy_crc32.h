/* CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320): the frame check of the NeSy wire protocol. */
#ifndef NESY_CRC32_H
#define NESY_CRC32_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Continues a CRC: start with crc = 0. Bitwise, table-free: firmware flash matters more than speed. */
uint32_t nesy_crc32_update(uint32_t crc, const uint8_t *data, size_t n);
uint32_t nesy_crc32(const uint8_t *data, size_t n);

#ifdef __cplusplus
}
#endif
#endif
