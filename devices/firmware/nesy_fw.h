/* Reference firmware core: the device side of the NeSy board protocol in portable C99.
 * It owns no hardware: the port supplies a byte writer (USB IN) and the caller feeds received bytes
 * (USB OUT) and calls nesy_fw_poll from its main loop with a microsecond clock. Inferences run one per
 * poll, so a RESET is honoured between inferences and telemetry keeps flowing during long runs.
 * Not thread-safe: one caller at a time (the main loop, or a mutex around it on the host). */
#ifndef NESY_FW_H
#define NESY_FW_H
#include "nesy_image.h"
#include "protocol/nesy_frame.h"
#include "protocol/nesy_msg.h"
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define NESY_FW_VERSION_MAJOR 2
#define NESY_FW_VERSION_MINOR 0
#define NESY_FW_VERSION_PATCH 0

typedef struct nesy_fw_identity {
    const char *profile_id; /* matches resources/boards/<id>.json */
    const char *mcu;
    const char *core;
    const char *serial;
    uint32_t clock_hz;
    uint32_t flash_bytes, sram_bytes;
    uint32_t reserved_flash_bytes, reserved_sram_bytes;
} nesy_fw_identity;

/* How a port runs linked programs (NSY2 images). The core checks the header (and, when ram_bytes
 * is not 0, that the code was linked for this program area and its .data/.bss fit ram); the loader
 * does what depends on the machine: Cortex-M copies .data, zeroes .bss and calls through the entry
 * table; the host port of the emulated board dlopens a shared object. */
typedef struct nesy_fw_loader {
    uint8_t arch;               /* nesy_image_arch this port runs */
    uint32_t program_area_addr; /* address of image_storage as linked code sees it (0: the port relocates) */
    uint32_t ram_addr, ram_bytes; /* where a program's .data and .bss go (0 bytes: the port places them) */
    /* Makes a checked image runnable. Returns 0, or a reason (reported as a bad-image fault). */
    const char *(*load)(void *ctx, const uint8_t *image, const nesy_image_info *info);
    /* One inference. Sets *cycles, and *peak_stack to the bytes of stack it used (0: not measured,
     * the declared figure is reported). Returns 0, or a reason (reported as a runtime fault). */
    const char *(*run)(void *ctx, const float *input, float *output, uint32_t *cycles, uint32_t *peak_stack);
    void (*unload)(void *ctx); /* the program is discarded (reset, a new deploy) */
} nesy_fw_loader;

typedef struct nesy_fw_port {
    void *ctx;
    void (*write)(void *ctx, const uint8_t *bytes, size_t n); /* must take the whole frame */
    /* Optional free-running cycle counter (DWT->CYCCNT on Cortex-M). When null, latency is the
     * reference runner's documented cycle model, which is what the host emulation reports. */
    uint32_t (*cycles)(void *ctx);
    const nesy_fw_loader *loader; /* null: NSY1 images only (BOARD_INFO.image_arch = 0) */
} nesy_fw_port;

typedef struct nesy_fw_counters {
    uint32_t rejected;      /* frames decoded but refused (unknown type, bad fields, wrong state) */
    uint32_t runs;          /* inferences executed */
    uint32_t telemetry;     /* telemetry samples sent */
} nesy_fw_counters;

typedef struct nesy_fw {
    nesy_fw_identity id;
    nesy_fw_port port;
    uint8_t *image;
    uint32_t image_capacity, image_len, image_expected, image_crc;
    nesy_image_info info;
    uint8_t state; /* nesy_device_state */
    uint8_t program_loaded; /* the loader holds a linked program */
    uint32_t peak_stack;    /* deepest stack a linked program used in this run (0: not measured) */

    uint16_t run_seq;
    uint8_t run_source;
    uint32_t run_remaining, run_done;
    uint32_t cycles_max, last_cycles;
    uint64_t cycles_sum;
    float input[NESY_MAX_RUN_INPUTS];
    float output[NESY_MAX_OUTPUTS];

    uint32_t telemetry_period_us, next_telemetry_us, sample_index;

    nesy_fw_counters counters;
    nesy_frame_decoder decoder;
    nesy_msg in, out;
    uint8_t wire[NESY_MAX_WIRE_FRAME];
    uint32_t now_us;
} nesy_fw;

/* image_storage is the program area (flash on a real board), image_capacity its size. */
void nesy_fw_init(nesy_fw *fw, const nesy_fw_identity *id, const nesy_fw_port *port,
                  uint8_t *image_storage, uint32_t image_capacity);
/* Bytes received from the host, in any split: frames are reassembled. */
void nesy_fw_receive(nesy_fw *fw, const uint8_t *bytes, size_t n);
/* One main-loop step: at most one inference, then the telemetry samples that are due (up to 4). Returns 1 while work remains
 * (a run in progress), so a host loop can spin until idle. */
int nesy_fw_poll(nesy_fw *fw, uint32_t now_us);

#ifdef __cplusplus
}
#endif
#endif
