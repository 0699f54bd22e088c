/* libFuzzer target: the frame decoder, the message decoder and the firmware core's handling of
 * whatever decodes. Invariants checked on every input:
 *  - the decoder never reads or writes out of bounds (ASan) and never invokes UB (UBSan);
 *  - a message that decodes re-encodes to a frame that decodes to the same bytes again;
 *  - the decoder's accounting: every byte is either in a good frame or counted as dropped.
 * Mutations rarely survive the CRC, so the input is used twice: as a raw byte stream, and as a
 * (type, body) pair framed correctly here, which drives the message decoder and the firmware's
 * handlers directly. */
#include "firmware/nesy_fw.h"
#include "protocol/nesy_frame.h"
#include "protocol/nesy_msg.h"
#include <stdlib.h>
#include <string.h>

static uint8_t program_area[64 * 1024];
static nesy_fw fw;
static size_t fw_out_bytes;

static void fw_write(void *ctx, const uint8_t *bytes, size_t n)
{
    (void)ctx;
    (void)bytes;
    fw_out_bytes += n;
}

static void capture(void *ctx, const nesy_frame *frame)
{
    nesy_msg *m = (nesy_msg *)ctx;
    if (nesy_msg_decode(frame, m) != NESY_DECODE_OK)
        abort();
}

static void round_trip(void *ctx, const nesy_frame *frame)
{
    static nesy_msg first, second;
    static uint8_t wire1[NESY_MAX_WIRE_FRAME], wire2[NESY_MAX_WIRE_FRAME];
    nesy_frame_decoder d;
    size_t n1, n2;
    (void)ctx;
    if (nesy_msg_decode(frame, &first) != NESY_DECODE_OK)
        return;
    n1 = nesy_msg_encode(&first, wire1, sizeof wire1);
    if (n1 == 0)
        abort(); /* everything that decodes must encode */
    nesy_frame_decoder_init(&d);
    memset(&second, 0, sizeof second);
    nesy_frame_decoder_feed(&d, wire1, n1, capture, &second);
    if (d.stats.frames != 1)
        abort();
    n2 = nesy_msg_encode(&second, wire2, sizeof wire2);
    if (n2 != n1 || memcmp(wire1, wire2, n1) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nesy_frame_decoder d;
    static int initialised;
    size_t pos = 0, step;
    nesy_frame_stats s;
    if (!initialised) {
        nesy_fw_identity id = {"fuzz", "fuzz-mcu", "cortex-m4", "F1", 80000000u, 65536u, 32768u, 1024u, 1024u};
        nesy_fw_port port = {0, fw_write, 0, 0};
        nesy_fw_init(&fw, &id, &port, program_area, sizeof program_area);
        initialised = 1;
    }
    /* The first byte chooses how the stream is split, so reassembly across reads is covered. */
    step = size ? (size_t)(data[0] % 64u) + 1u : 1u;
    nesy_frame_decoder_init(&d);
    while (pos < size) {
        size_t n = size - pos < step ? size - pos : step;
        nesy_frame_decoder_feed(&d, data + pos, n, round_trip, 0);
        nesy_fw_receive(&fw, data + pos, n);
        nesy_fw_poll(&fw, (uint32_t)pos);
        pos += n;
    }
    s = d.stats;
    if (s.bytes_dropped > size)
        abort();

    if (size >= 2) {
        static uint8_t wire[NESY_MAX_WIRE_FRAME];
        size_t body_len = size - 2 > NESY_MAX_BODY ? NESY_MAX_BODY : size - 2;
        nesy_frame f;
        size_t n;
        f.version = NESY_PROTOCOL_VERSION;
        f.type = data[1];
        f.seq = data[0];
        f.length = (uint16_t)body_len;
        f.body = data + 2;
        round_trip(0, &f);
        n = nesy_frame_encode(data[1], data[0], data + 2, (uint16_t)body_len, wire, sizeof wire);
        if (n == 0)
            abort();
        nesy_fw_receive(&fw, wire, n);
        while (nesy_fw_poll(&fw, (uint32_t)size) && fw.run_done < 64) {
        }
    }
    return 0;
}
