/* Framing of the NeSy board protocol (docs/protocol.md):
 *   wire  = COBS(header | body | crc32) 0x00
 *   header = version u8, type u8, seq u16 LE, body length u16 LE
 * The decoder is a byte-at-a-time state machine with a fixed buffer: it never allocates, drops
 * anything malformed, counts why, and starts afresh at the next 0x00. */
#ifndef NESY_FRAME_H
#define NESY_FRAME_H
#include "nesy_cobs.h"
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define NESY_PROTOCOL_VERSION 2u
#define NESY_FRAME_HEADER_BYTES 6u
#define NESY_FRAME_CRC_BYTES 4u
#define NESY_MAX_BODY 1024u
#define NESY_MAX_RAW_FRAME (NESY_FRAME_HEADER_BYTES + NESY_MAX_BODY + NESY_FRAME_CRC_BYTES)
/* Largest frame on the wire, delimiter included. */
#define NESY_MAX_WIRE_FRAME (NESY_COBS_MAX_ENCODED(NESY_MAX_RAW_FRAME) + 1u)

typedef struct nesy_frame {
    uint8_t version;
    uint8_t type;
    uint16_t seq;
    uint16_t length;
    const uint8_t *body; /* points into the decoder's buffer: valid only during the callback */
} nesy_frame;

/* Encodes one frame with its delimiter. Returns the wire length, or 0 when body_len exceeds
 * NESY_MAX_BODY or cap is too small. */
size_t nesy_frame_encode(uint8_t type, uint16_t seq, const uint8_t *body, uint16_t body_len,
                         uint8_t *out, size_t cap);

typedef struct nesy_frame_stats {
    uint32_t frames;         /* good frames delivered */
    uint32_t cobs_errors;    /* bytes between delimiters that were not valid COBS */
    uint32_t crc_errors;     /* checksum mismatch */
    uint32_t truncated;      /* shorter than a header + crc, or shorter than the length it declares */
    uint32_t oversized;      /* longer than NESY_MAX_WIRE_FRAME or declaring a body over NESY_MAX_BODY */
    uint32_t bad_version;    /* another protocol version */
    uint32_t bytes_dropped;  /* every byte that did not end up in a good frame */
} nesy_frame_stats;

typedef void (*nesy_frame_sink)(void *ctx, const nesy_frame *frame);

typedef struct nesy_frame_decoder {
    uint8_t wire[NESY_MAX_WIRE_FRAME];
    uint8_t raw[NESY_MAX_RAW_FRAME];
    size_t fill;
    int overflowing; /* discarding until the next delimiter */
    nesy_frame_stats stats;
} nesy_frame_decoder;

void nesy_frame_decoder_init(nesy_frame_decoder *d);
/* Feeds received bytes; calls sink once per good frame, in order. */
void nesy_frame_decoder_feed(nesy_frame_decoder *d, const uint8_t *data, size_t n,
                             nesy_frame_sink sink, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
