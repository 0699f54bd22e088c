/* Program images the reference firmware runs (docs/protocol.md, "Program images"). Little-endian.
 *
 * NSY1, the reference image: what the firmware runs without any linked code. One dense layer
 * y = act(W x + b), the resource figures the program declares (flash, static SRAM, arena, stack),
 * and optional on-device test vectors:
 *   0 magic "NSY1" | 4 n_in u16 | 6 n_out u16 | 8 flash u32 | 12 sram_static u32 | 16 arena u32 |
 *   20 stack u32 | 24 activation u8 | 25 n_vectors u8 | 26 reserved u16 (0) |
 *   28 W f32[n_out*n_in] | b f32[n_out] | vectors f32[n_vectors*n_in]
 *
 * NSY2, a linked program: the candidate's generated C compiled for the board's architecture. The
 * core checks the header; the port's loader (nesy_fw_loader) makes the code runnable and calls it.
 *   0 magic "NSY2" | 4 arch u8 | 5 reserved u8 (0) | 6 header_bytes u16 (80) |
 *   8 n_in u16 | 10 n_out u16 | 12 n_vectors u16 | 14 reserved u16 (0) |
 *  16 code_offset u32 | 20 code_bytes u32 | 24 load_addr u32 | 28 entry_offset u32 |
 *  32 data_offset u32 | 36 data_bytes u32 | 40 data_addr u32 | 44 bss_bytes u32 | 48 bss_addr u32 |
 *  52 flash u32 | 56 sram_static u32 | 60 arena u32 | 64 stack u32 | 68 reserved u32[3] (0) |
 *  80 vectors f32[n_vectors*n_in] | zero padding | code_offset: code[code_bytes] (to the end) */
#ifndef NESY_IMAGE_H
#define NESY_IMAGE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define NESY_IMAGE_HEADER_BYTES 28u
#define NESY_IMAGE2_HEADER_BYTES 80u
#define NESY_IMAGE_MAX_INPUTS 248u  /* NSY1 = NESY_MAX_RUN_INPUTS: one input buffer serves both run sources */
#define NESY_IMAGE2_MAX_INPUTS 65535u /* NSY2 test vectors are read in place from the image */
#define NESY_IMAGE_MAX_OUTPUTS 64u
#define NESY_IMAGE_MAX_VECTORS 255u
#define NESY_PROGRAM_ENTRY_MAGIC 0x544E454Eu /* "NENT" */

enum nesy_activation { NESY_ACT_NONE = 0, NESY_ACT_RELU = 1 };

enum nesy_image_format { NESY_IMAGE_REFERENCE = 1, NESY_IMAGE_LINKED = 2 };

/* What code an NSY2 image carries; BOARD_INFO.image_arch says which one a board runs. */
enum nesy_image_arch {
    NESY_ARCH_NONE = 0,    /* the board runs NSY1 images only */
    NESY_ARCH_ARMV7EM = 1, /* Thumb-2 for a Cortex-M4/M7 (the core text gives -mcpu), linked at load_addr */
    NESY_ARCH_HOST_SO = 2  /* emulation only: an ELF shared object for the machine the host runs on */
};

/* The entry table of a linked program, at code + entry_offset on Cortex-M, exported under the symbol
 * "nesy_program_entry" in a host shared object. */
typedef struct nesy_program_entry {
    uint32_t magic; /* NESY_PROGRAM_ENTRY_MAGIC */
    uint16_t n_in, n_out;
    void (*run)(const float *input, float *output);
} nesy_program_entry;

typedef struct nesy_image_info {
    uint8_t format; /* nesy_image_format */
    uint16_t n_in, n_out;
    uint32_t flash_bytes, sram_static, arena_bytes, stack_bytes;
    uint16_t n_vectors;
    uint8_t activation; /* NSY1 */
    /* NSY2 */
    uint8_t arch;
    uint32_t code_offset, code_bytes, load_addr, entry_offset;
    uint32_t data_offset, data_bytes, data_addr, bss_bytes, bss_addr;
} nesy_image_info;

/* Checks the header and that the size matches it exactly. Returns 0 when valid, else a short reason. */
const char *nesy_image_parse(const uint8_t *image, uint32_t len, nesy_image_info *info);

/* NSY1: runs one inference on input (n_in floats) into output (n_out floats). Returns the modelled
 * cycle count: 2 per multiply-accumulate plus 8 per output plus 64 of call overhead (documented
 * model; a Cortex-M port measures DWT cycles instead). */
uint32_t nesy_image_run(const uint8_t *image, const nesy_image_info *info, const float *input, float *output);

/* NSY1: the i-th on-device test vector (i < n_vectors), read into dst. */
void nesy_image_test_vector(const uint8_t *image, const nesy_image_info *info, uint8_t i, float *dst);

/* NSY2: the i-th test vector in place (the image starts 8-byte aligned, the vectors 4-byte aligned). */
const float *nesy_image2_test_vector(const uint8_t *image, const nesy_image_info *info, uint16_t i);

#ifdef __cplusplus
}
#endif
#endif
