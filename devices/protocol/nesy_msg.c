#include "nesy_msg.h"
#include <string.h>

/* Bounded little-endian writer and reader: every access is checked against the buffer end. */
typedef struct { uint8_t *p; size_t n, cap; int ok; } writer;
typedef struct { const uint8_t *p; size_t n, pos; int ok; } reader;

static void w_u8(writer *w, uint8_t v)
{
    if (w->n + 1 > w->cap) { w->ok = 0; return; }
    w->p[w->n++] = v;
}
static void w_u16(writer *w, uint16_t v) { w_u8(w, (uint8_t)v); w_u8(w, (uint8_t)(v >> 8)); }
static void w_u32(writer *w, uint32_t v) { w_u16(w, (uint16_t)v); w_u16(w, (uint16_t)(v >> 16)); }
static void w_f32(writer *w, float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    w_u32(w, bits);
}
static void w_bytes(writer *w, const uint8_t *b, size_t n)
{
    if (w->n + n > w->cap) { w->ok = 0; return; }
    memcpy(w->p + w->n, b, n);
    w->n += n;
}
static void w_text(writer *w, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len > max) { w->ok = 0; return; }
    w_u8(w, (uint8_t)len);
    w_bytes(w, (const uint8_t *)s, len);
}

static uint8_t r_u8(reader *r)
{
    if (r->pos + 1 > r->n) { r->ok = 0; return 0; }
    return r->p[r->pos++];
}
static uint16_t r_u16(reader *r) { uint16_t lo = r_u8(r); return (uint16_t)(lo | (r_u8(r) << 8)); }
static uint32_t r_u32(reader *r) { uint32_t lo = r_u16(r); return lo | ((uint32_t)r_u16(r) << 16); }
static float r_f32(reader *r)
{
    uint32_t bits = r_u32(r);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}
/* Text is printable ASCII only, so that a garbled length cannot smuggle control bytes into logs. */
static int r_text(reader *r, char *out, size_t max)
{
    size_t len = r_u8(r), i;
    if (!r->ok || len > max || r->pos + len > r->n) { r->ok = 0; return 0; }
    for (i = 0; i < len; ++i) {
        uint8_t c = r->p[r->pos + i];
        if (c < 0x20 || c > 0x7E)
            return 0;
        out[i] = (char)c;
    }
    out[len] = 0;
    r->pos += len;
    return 1;
}

const char *nesy_msg_type_name(uint8_t type)
{
    switch (type) {
    case NESY_MSG_HELLO: return "hello";
    case NESY_MSG_DEPLOY_BEGIN: return "deploy-begin";
    case NESY_MSG_DEPLOY_CHUNK: return "deploy-chunk";
    case NESY_MSG_DEPLOY_END: return "deploy-end";
    case NESY_MSG_RUN: return "run";
    case NESY_MSG_TELEMETRY_CONFIG: return "telemetry-config";
    case NESY_MSG_RESET: return "reset";
    case NESY_MSG_BOARD_INFO: return "board-info";
    case NESY_MSG_ACK: return "ack";
    case NESY_MSG_RESULT: return "result";
    case NESY_MSG_TELEMETRY: return "telemetry";
    case NESY_MSG_FAULT: return "fault";
    default: return "unknown";
    }
}

static int encode_body(const nesy_msg *m, writer *w)
{
    uint16_t i;
    switch (m->type) {
    case NESY_MSG_HELLO:
        w_u8(w, m->u.hello.protocol_version);
        w_u32(w, m->u.hello.nonce);
        break;
    case NESY_MSG_BOARD_INFO: {
        const nesy_board_info *b = &m->u.board_info;
        w_u8(w, b->protocol_version);
        w_u8(w, b->fw_major); w_u8(w, b->fw_minor); w_u8(w, b->fw_patch);
        w_u32(w, b->clock_hz);
        w_u32(w, b->flash_bytes); w_u32(w, b->sram_bytes);
        w_u32(w, b->reserved_flash_bytes); w_u32(w, b->reserved_sram_bytes);
        w_u32(w, b->nonce);
        w_u16(w, b->max_chunk);
        w_u8(w, b->image_arch);
        w_u32(w, b->program_area_addr); w_u32(w, b->program_area_bytes);
        w_u32(w, b->program_ram_addr); w_u32(w, b->program_ram_bytes);
        w_text(w, b->profile_id, NESY_MAX_TEXT);
        w_text(w, b->mcu, NESY_MAX_TEXT);
        w_text(w, b->core, NESY_MAX_TEXT);
        w_text(w, b->serial, NESY_MAX_TEXT);
        break;
    }
    case NESY_MSG_DEPLOY_BEGIN:
        w_u32(w, m->u.deploy_begin.image_bytes);
        w_u32(w, m->u.deploy_begin.image_crc);
        break;
    case NESY_MSG_DEPLOY_CHUNK:
        if (m->u.deploy_chunk.length == 0 || m->u.deploy_chunk.length > NESY_MAX_CHUNK)
            return 0;
        w_u32(w, m->u.deploy_chunk.offset);
        w_bytes(w, m->u.deploy_chunk.data, m->u.deploy_chunk.length);
        break;
    case NESY_MSG_DEPLOY_END:
    case NESY_MSG_RESET:
        break;
    case NESY_MSG_RUN:
        if (m->u.run.n_inputs > NESY_MAX_RUN_INPUTS)
            return 0;
        w_u32(w, m->u.run.count);
        w_u8(w, m->u.run.source);
        w_u16(w, m->u.run.n_inputs);
        for (i = 0; i < m->u.run.n_inputs; ++i)
            w_f32(w, m->u.run.inputs[i]);
        break;
    case NESY_MSG_TELEMETRY_CONFIG:
        w_u32(w, m->u.telemetry_config.period_us);
        break;
    case NESY_MSG_ACK:
        w_u8(w, m->u.ack.acked_type);
        w_u8(w, m->u.ack.status);
        w_u32(w, m->u.ack.value);
        break;
    case NESY_MSG_RESULT: {
        const nesy_result *r = &m->u.result;
        if (r->n_outputs > NESY_MAX_OUTPUTS)
            return 0;
        w_u32(w, r->runs); w_u32(w, r->output_crc);
        w_u32(w, r->cycles_mean); w_u32(w, r->cycles_max);
        w_u32(w, r->flash_used); w_u32(w, r->sram_static);
        w_u32(w, r->peak_arena); w_u32(w, r->peak_stack);
        w_u16(w, r->n_outputs);
        for (i = 0; i < r->n_outputs; ++i)
            w_f32(w, r->outputs[i]);
        break;
    }
    case NESY_MSG_TELEMETRY: {
        const nesy_telemetry *t = &m->u.telemetry;
        w_u32(w, t->sample_index); w_u32(w, t->device_time_us);
        w_u32(w, t->flash_used); w_u32(w, t->sram_used);
        w_u32(w, t->last_latency_cycles);
        w_u8(w, t->state);
        break;
    }
    case NESY_MSG_FAULT:
        w_u8(w, m->u.fault.code);
        w_u8(w, m->u.fault.in_reply_to);
        w_text(w, m->u.fault.detail, NESY_MAX_FAULT_TEXT);
        break;
    default:
        return 0;
    }
    return w->ok;
}

size_t nesy_msg_encode(const nesy_msg *msg, uint8_t *out, size_t cap)
{
    uint8_t body[NESY_MAX_BODY];
    writer w;
    w.p = body; w.n = 0; w.cap = sizeof body; w.ok = 1;
    if (!encode_body(msg, &w))
        return 0;
    return nesy_frame_encode(msg->type, msg->seq, body, (uint16_t)w.n, out, cap);
}

static int decode_body(reader *r, nesy_msg *m)
{
    uint16_t i;
    switch (m->type) {
    case NESY_MSG_HELLO:
        m->u.hello.protocol_version = r_u8(r);
        m->u.hello.nonce = r_u32(r);
        break;
    case NESY_MSG_BOARD_INFO: {
        nesy_board_info *b = &m->u.board_info;
        b->protocol_version = r_u8(r);
        b->fw_major = r_u8(r); b->fw_minor = r_u8(r); b->fw_patch = r_u8(r);
        b->clock_hz = r_u32(r);
        b->flash_bytes = r_u32(r); b->sram_bytes = r_u32(r);
        b->reserved_flash_bytes = r_u32(r); b->reserved_sram_bytes = r_u32(r);
        b->nonce = r_u32(r);
        b->max_chunk = r_u16(r);
        b->image_arch = r_u8(r);
        b->program_area_addr = r_u32(r); b->program_area_bytes = r_u32(r);
        b->program_ram_addr = r_u32(r); b->program_ram_bytes = r_u32(r);
        if (!r_text(r, b->profile_id, NESY_MAX_TEXT) || !r_text(r, b->mcu, NESY_MAX_TEXT)
            || !r_text(r, b->core, NESY_MAX_TEXT) || !r_text(r, b->serial, NESY_MAX_TEXT))
            return r->ok ? NESY_DECODE_BAD_FIELD : NESY_DECODE_BAD_LENGTH;
        if (b->max_chunk == 0 || b->max_chunk > NESY_MAX_CHUNK
            || b->reserved_flash_bytes > b->flash_bytes || b->reserved_sram_bytes > b->sram_bytes)
            return NESY_DECODE_BAD_FIELD;
        break;
    }
    case NESY_MSG_DEPLOY_BEGIN:
        m->u.deploy_begin.image_bytes = r_u32(r);
        m->u.deploy_begin.image_crc = r_u32(r);
        break;
    case NESY_MSG_DEPLOY_CHUNK: {
        size_t len;
        m->u.deploy_chunk.offset = r_u32(r);
        if (!r->ok)
            return NESY_DECODE_BAD_LENGTH;
        len = r->n - r->pos;
        if (len == 0 || len > NESY_MAX_CHUNK)
            return NESY_DECODE_BAD_LENGTH;
        m->u.deploy_chunk.length = (uint16_t)len;
        memcpy(m->u.deploy_chunk.data, r->p + r->pos, len);
        r->pos += len;
        break;
    }
    case NESY_MSG_DEPLOY_END:
    case NESY_MSG_RESET:
        break;
    case NESY_MSG_RUN:
        m->u.run.count = r_u32(r);
        m->u.run.source = r_u8(r);
        m->u.run.n_inputs = r_u16(r);
        if (!r->ok)
            return NESY_DECODE_BAD_LENGTH;
        if (m->u.run.n_inputs > NESY_MAX_RUN_INPUTS)
            return NESY_DECODE_BAD_FIELD;
        for (i = 0; i < m->u.run.n_inputs; ++i)
            m->u.run.inputs[i] = r_f32(r);
        if (r->ok && (m->u.run.count == 0 || m->u.run.source > NESY_RUN_TEST_VECTORS
                      || (m->u.run.source == NESY_RUN_TEST_VECTORS && m->u.run.n_inputs != 0)))
            return NESY_DECODE_BAD_FIELD;
        break;
    case NESY_MSG_TELEMETRY_CONFIG:
        m->u.telemetry_config.period_us = r_u32(r);
        if (r->ok && m->u.telemetry_config.period_us != 0
            && m->u.telemetry_config.period_us < NESY_MIN_TELEMETRY_PERIOD_US)
            return NESY_DECODE_BAD_FIELD;
        break;
    case NESY_MSG_ACK:
        m->u.ack.acked_type = r_u8(r);
        m->u.ack.status = r_u8(r);
        m->u.ack.value = r_u32(r);
        if (r->ok && m->u.ack.status > NESY_ACK_BAD_OFFSET)
            return NESY_DECODE_BAD_FIELD;
        break;
    case NESY_MSG_RESULT: {
        nesy_result *res = &m->u.result;
        res->runs = r_u32(r); res->output_crc = r_u32(r);
        res->cycles_mean = r_u32(r); res->cycles_max = r_u32(r);
        res->flash_used = r_u32(r); res->sram_static = r_u32(r);
        res->peak_arena = r_u32(r); res->peak_stack = r_u32(r);
        res->n_outputs = r_u16(r);
        if (!r->ok)
            return NESY_DECODE_BAD_LENGTH;
        if (res->n_outputs > NESY_MAX_OUTPUTS)
            return NESY_DECODE_BAD_FIELD;
        for (i = 0; i < res->n_outputs; ++i)
            res->outputs[i] = r_f32(r);
        break;
    }
    case NESY_MSG_TELEMETRY: {
        nesy_telemetry *t = &m->u.telemetry;
        t->sample_index = r_u32(r); t->device_time_us = r_u32(r);
        t->flash_used = r_u32(r); t->sram_used = r_u32(r);
        t->last_latency_cycles = r_u32(r);
        t->state = r_u8(r);
        if (r->ok && t->state > NESY_STATE_FAULTED)
            return NESY_DECODE_BAD_FIELD;
        break;
    }
    case NESY_MSG_FAULT:
        m->u.fault.code = r_u8(r);
        m->u.fault.in_reply_to = r_u8(r);
        if (!r_text(r, m->u.fault.detail, NESY_MAX_FAULT_TEXT))
            return r->ok ? NESY_DECODE_BAD_FIELD : NESY_DECODE_BAD_LENGTH;
        if (m->u.fault.code < NESY_FAULT_FLASH_OVERFLOW || m->u.fault.code > NESY_FAULT_BAD_IMAGE)
            return NESY_DECODE_BAD_FIELD;
        break;
    default:
        return NESY_DECODE_UNKNOWN_TYPE;
    }
    if (!r->ok || r->pos != r->n)
        return NESY_DECODE_BAD_LENGTH;
    return NESY_DECODE_OK;
}

int nesy_msg_decode(const nesy_frame *frame, nesy_msg *msg)
{
    reader r;
    r.p = frame->body; r.n = frame->length; r.pos = 0; r.ok = 1;
    msg->type = frame->type;
    msg->seq = frame->seq;
    return decode_body(&r, msg);
}
