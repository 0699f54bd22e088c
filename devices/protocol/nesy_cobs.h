/* Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so that 0x00 can delimit frames,
 * which lets a receiver resynchronise on the next delimiter after any corruption. */
#ifndef NESY_COBS_H
#define NESY_COBS_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Worst-case encoded size of n bytes (one code byte per 254 data bytes, plus one). */
#define NESY_COBS_MAX_ENCODED(n) ((n) + (n) / 254u + 1u)

/* Encodes n bytes into out (no trailing delimiter). Returns the encoded length, or 0 when cap is too small. */
size_t nesy_cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

/* Decodes n stuffed bytes (without delimiter) into out. Returns the decoded length, or (size_t)-1 when
 * the input is not valid COBS (a zero byte, a code running past the end) or out is too small. */
size_t nesy_cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
