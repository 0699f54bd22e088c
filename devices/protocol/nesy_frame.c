#include "nesy_frame.h"
#include "nesy_crc32.h"
#include <string.h>

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

size_t nesy_frame_encode(uint8_t type, uint16_t seq, const uint8_t *body, uint16_t body_len,
                         uint8_t *out, size_t cap)
{
    uint8_t raw[NESY_MAX_RAW_FRAME];
    size_t raw_len, wire_len;
    if (body_len > NESY_MAX_BODY)
        return 0;
    raw[0] = NESY_PROTOCOL_VERSION;
    raw[1] = type;
    put_u16(raw + 2, seq);
    put_u16(raw + 4, body_len);
    if (body_len)
        memcpy(raw + NESY_FRAME_HEADER_BYTES, body, body_len);
    raw_len = NESY_FRAME_HEADER_BYTES + body_len;
    put_u32(raw + raw_len, nesy_crc32(raw, raw_len));
    raw_len += NESY_FRAME_CRC_BYTES;
    if (cap < 1)
        return 0;
    wire_len = nesy_cobs_encode(raw, raw_len, out, cap - 1);
    if (wire_len == 0)
        return 0;
    out[wire_len] = 0;
    return wire_len + 1;
}

void nesy_frame_decoder_init(nesy_frame_decoder *d)
{
    memset(d, 0, sizeof *d);
}

static void decode_one(nesy_frame_decoder *d, nesy_frame_sink sink, void *ctx)
{
    size_t raw_len = nesy_cobs_decode(d->wire, d->fill, d->raw, sizeof d->raw);
    nesy_frame f;
    uint16_t declared;
    if (raw_len == (size_t)-1) {
        d->stats.cobs_errors++;
        d->stats.bytes_dropped += (uint32_t)d->fill;
        return;
    }
    if (raw_len < NESY_FRAME_HEADER_BYTES + NESY_FRAME_CRC_BYTES) {
        d->stats.truncated++;
        d->stats.bytes_dropped += (uint32_t)d->fill;
        return;
    }
    if (nesy_crc32(d->raw, raw_len - NESY_FRAME_CRC_BYTES) != get_u32(d->raw + raw_len - NESY_FRAME_CRC_BYTES)) {
        d->stats.crc_errors++;
        d->stats.bytes_dropped += (uint32_t)d->fill;
        return;
    }
    declared = get_u16(d->raw + 4);
    if (declared > NESY_MAX_BODY || declared > raw_len - NESY_FRAME_HEADER_BYTES - NESY_FRAME_CRC_BYTES) {
        if (declared > NESY_MAX_BODY)
            d->stats.oversized++;
        else
            d->stats.truncated++;
        d->stats.bytes_dropped += (uint32_t)d->fill;
        return;
    }
    if (declared < raw_len - NESY_FRAME_HEADER_BYTES - NESY_FRAME_CRC_BYTES) {
        d->stats.oversized++; /* trailing bytes beyond the declared body */
        d->stats.bytes_dropped += (uint32_t)d->fill;
        return;
    }
    if (d->raw[0] != NESY_PROTOCOL_VERSION) {
        d->stats.bad_version++;
        d->stats.bytes_dropped += (uint32_t)d->fill;
        return;
    }
    f.version = d->raw[0];
    f.type = d->raw[1];
    f.seq = get_u16(d->raw + 2);
    f.length = declared;
    f.body = d->raw + NESY_FRAME_HEADER_BYTES;
    d->stats.frames++;
    sink(ctx, &f);
}

void nesy_frame_decoder_feed(nesy_frame_decoder *d, const uint8_t *data, size_t n,
                             nesy_frame_sink sink, void *ctx)
{
    size_t i;
    for (i = 0; i < n; ++i) {
        uint8_t byte = data[i];
        if (byte == 0) {
            if (d->overflowing) {
                d->overflowing = 0;
            } else if (d->fill > 0) {
                decode_one(d, sink, ctx);
            }
            d->fill = 0;
            continue;
        }
        if (d->overflowing) {
            d->stats.bytes_dropped++;
            continue;
        }
        if (d->fill == sizeof d->wire - 1) { /* room for the longest legal frame, not one byte more */
            d->stats.oversized++;
            d->stats.bytes_dropped += (uint32_t)d->fill + 1;
            d->overflowing = 1;
            d->fill = 0;
            continue;
        }
        d->wire[d->fill++] = byte;
    }
}
