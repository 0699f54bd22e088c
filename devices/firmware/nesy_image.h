/* The reference program image ("NSY1"): what the reference firmware can run without a toolchain on
 * the host. It carries one dense layer y = act(W x + b), the resource figures the generated program
 * declares (flash, static SRAM, arena, stack), and optional on-device test vectors. A board with a
 * linked firmware build replaces nesy_image_run with a jump into the linked code; the protocol does
 * not change. Layout (little-endian), see docs/protocol.md:
 *   0 magic "NSY1" | 4 n_in u16 | 6 n_out u16 | 8 flash u32 | 12 sram_static u32 | 16 arena u32 |
 *   20 stack u32 | 24 activation u8 | 25 n_vectors u8 | 26 reserved u16 (0) |
 *   28 W f32[n_out*n_in] | b f32[n_out] | vectors f32[n_vectors*n_in] */
#ifndef NESY_IMAGE_H
#define NESY_IMAGE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define NESY_IMAGE_HEADER_BYTES 28u
#define NESY_IMAGE_MAX_INPUTS 248u  /* = NESY_MAX_RUN_INPUTS: one input buffer serves both run sources */
#define NESY_IMAGE_MAX_OUTPUTS 64u

enum nesy_activation { NESY_ACT_NONE = 0, NESY_ACT_RELU = 1 };

typedef struct nesy_image_info {
    uint16_t n_in, n_out;
    uint32_t flash_bytes, sram_static, arena_bytes, stack_bytes;
    uint8_t activation, n_vectors;
} nesy_image_info;

/* Checks the header and that the size matches it exactly. Returns 0 when valid, else a short reason. */
const char *nesy_image_parse(const uint8_t *image, uint32_t len, nesy_image_info *info);

/* Runs one inference on input (n_in floats) into output (n_out floats). Returns the modelled cycle
 * count: 2 per multiply-accumulate plus 8 per output plus 64 of call overhead (documented model; a
 * Cortex-M port measures DWT cycles instead). */
uint32_t nesy_image_run(const uint8_t *image, const nesy_image_info *info, const float *input, float *output);

/* The i-th on-device test vector (i < n_vectors), read into dst. */
void nesy_image_test_vector(const uint8_t *image, const nesy_image_info *info, uint8_t i, float *dst);

#ifdef __cplusplus
}
#endif
#endif
