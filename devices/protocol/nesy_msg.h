/* Messages of the NeSy board protocol, version 2 (docs/protocol.md is the reference).
 * Every field is little-endian; every variable part is bounded by the NESY_MAX_* limits below, and
 * decoding rejects unknown types, wrong lengths and out-of-range fields. */
#ifndef NESY_MSG_H
#define NESY_MSG_H
#include "nesy_frame.h"
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

enum nesy_msg_type {
    /* host -> device */
    NESY_MSG_HELLO = 0x01,
    NESY_MSG_DEPLOY_BEGIN = 0x02,
    NESY_MSG_DEPLOY_CHUNK = 0x03,
    NESY_MSG_DEPLOY_END = 0x04,
    NESY_MSG_RUN = 0x05,
    NESY_MSG_TELEMETRY_CONFIG = 0x06,
    NESY_MSG_RESET = 0x07,
    /* device -> host */
    NESY_MSG_BOARD_INFO = 0x81,
    NESY_MSG_ACK = 0x82,
    NESY_MSG_RESULT = 0x83,
    NESY_MSG_TELEMETRY = 0x84,
    NESY_MSG_FAULT = 0x85
};

#define NESY_MAX_TEXT 32u          /* profile id, MCU, core, serial */
#define NESY_MAX_FAULT_TEXT 96u
#define NESY_MAX_CHUNK 1000u       /* DEPLOY_CHUNK payload */
#define NESY_MAX_RUN_INPUTS 248u   /* floats carried inline by RUN */
#define NESY_MAX_OUTPUTS 64u       /* floats returned by RESULT */
#define NESY_MIN_TELEMETRY_PERIOD_US 250u

enum nesy_run_source { NESY_RUN_INLINE = 0, NESY_RUN_TEST_VECTORS = 1 };

enum nesy_device_state {
    NESY_STATE_EMPTY = 0,     /* no program */
    NESY_STATE_DEPLOYING = 1,
    NESY_STATE_READY = 2,     /* program deployed */
    NESY_STATE_RUNNING = 3,
    NESY_STATE_FAULTED = 4
};

enum nesy_ack_status {
    NESY_ACK_OK = 0,
    NESY_ACK_BAD_OFFSET = 1 /* value = the offset the device expects next */
};

/* Wire codes of faults; the host maps them to nesy::FaultKind. */
enum nesy_fault_code {
    NESY_FAULT_FLASH_OVERFLOW = 1,
    NESY_FAULT_RAM_OVERFLOW = 2,
    NESY_FAULT_UNSUPPORTED = 3,
    NESY_FAULT_RUNTIME = 4,
    NESY_FAULT_PROTOCOL = 5, /* a message the device could not accept in its state */
    NESY_FAULT_BAD_IMAGE = 6 /* checksum or header of a deployed image is wrong */
};

typedef struct { uint8_t protocol_version; uint32_t nonce; } nesy_hello;

typedef struct {
    uint8_t protocol_version;
    uint8_t fw_major, fw_minor, fw_patch;
    uint32_t clock_hz;
    uint32_t flash_bytes, sram_bytes;
    uint32_t reserved_flash_bytes, reserved_sram_bytes;
    uint32_t nonce; /* echoed from HELLO */
    uint16_t max_chunk;
    /* What linked programs (NSY2 images) this board runs and where they go: the host links the
     * candidate's code for these addresses. image_arch 0: the reference runner only (NSY1). */
    uint8_t image_arch;          /* nesy_image_arch (devices/firmware/nesy_image.h) */
    uint32_t program_area_addr;  /* address of the image's first byte once deployed (0: relocated by the port) */
    uint32_t program_area_bytes; /* largest image DEPLOY_BEGIN accepts */
    uint32_t program_ram_addr;   /* region for a program's .data and .bss (0 bytes: placed by the port) */
    uint32_t program_ram_bytes;
    char profile_id[NESY_MAX_TEXT + 1];
    char mcu[NESY_MAX_TEXT + 1];
    char core[NESY_MAX_TEXT + 1];
    char serial[NESY_MAX_TEXT + 1];
} nesy_board_info;

typedef struct { uint32_t image_bytes; uint32_t image_crc; } nesy_deploy_begin;

typedef struct {
    uint32_t offset;
    uint16_t length;
    uint8_t data[NESY_MAX_CHUNK];
} nesy_deploy_chunk;

typedef struct {
    uint32_t count;  /* inferences, >= 1 */
    uint8_t source;  /* nesy_run_source */
    uint16_t n_inputs;
    float inputs[NESY_MAX_RUN_INPUTS];
} nesy_run;

typedef struct { uint32_t period_us; } nesy_telemetry_config; /* 0 = off */

typedef struct { uint8_t acked_type; uint8_t status; uint32_t value; } nesy_ack;

typedef struct {
    uint32_t runs;
    uint32_t output_crc;      /* CRC-32 of the last inference's outputs as LE float32 bytes */
    uint32_t cycles_mean;
    uint32_t cycles_max;
    uint32_t flash_used;      /* program + constants */
    uint32_t sram_static;     /* .data + .bss of the program (arena, state) */
    uint32_t peak_arena;
    uint32_t peak_stack;
    uint16_t n_outputs;
    float outputs[NESY_MAX_OUTPUTS];
} nesy_result;

typedef struct {
    uint32_t sample_index; /* +1 per sample: a gap means samples were lost */
    uint32_t device_time_us;
    uint32_t flash_used, sram_used;
    uint32_t last_latency_cycles;
    uint8_t state; /* nesy_device_state */
} nesy_telemetry;

typedef struct {
    uint8_t code;        /* nesy_fault_code */
    uint8_t in_reply_to; /* message type that caused it, 0 when spontaneous */
    char detail[NESY_MAX_FAULT_TEXT + 1];
} nesy_fault;

typedef struct nesy_msg {
    uint8_t type;
    uint16_t seq;
    union {
        nesy_hello hello;
        nesy_board_info board_info;
        nesy_deploy_begin deploy_begin;
        nesy_deploy_chunk deploy_chunk;
        nesy_run run;
        nesy_telemetry_config telemetry_config;
        nesy_ack ack;
        nesy_result result;
        nesy_telemetry telemetry;
        nesy_fault fault;
    } u;
} nesy_msg;

enum nesy_decode_status {
    NESY_DECODE_OK = 0,
    NESY_DECODE_UNKNOWN_TYPE = 1,
    NESY_DECODE_BAD_LENGTH = 2, /* body shorter or longer than the type allows */
    NESY_DECODE_BAD_FIELD = 3   /* a field out of its range (count 0, text too long, ...) */
};

/* Decodes a frame's body into msg. Never reads past frame->length. */
int nesy_msg_decode(const nesy_frame *frame, nesy_msg *msg);
/* Encodes msg (type and seq from msg) as a complete wire frame. Returns its length, 0 on error
 * (a field beyond its limit, or cap too small: NESY_MAX_WIRE_FRAME always suffices). */
size_t nesy_msg_encode(const nesy_msg *msg, uint8_t *out, size_t cap);

const char *nesy_msg_type_name(uint8_t type); /* "hello", ..., "unknown" */

#ifdef __cplusplus
}
#endif
#endif
