#include "nesy_fw.h"
#include "protocol/nesy_crc32.h"
#include <stdio.h>
#include <string.h>

static void send(nesy_fw *fw)
{
    size_t n = nesy_msg_encode(&fw->out, fw->wire, sizeof fw->wire);
    if (n > 0)
        fw->port.write(fw->port.ctx, fw->wire, n);
}

static void send_ack(nesy_fw *fw, uint8_t type, uint16_t seq, uint8_t status, uint32_t value)
{
    fw->out.type = NESY_MSG_ACK;
    fw->out.seq = seq;
    fw->out.u.ack.acked_type = type;
    fw->out.u.ack.status = status;
    fw->out.u.ack.value = value;
    send(fw);
}

static void send_fault(nesy_fw *fw, uint8_t code, uint8_t type, uint16_t seq, const char *detail)
{
    fw->out.type = NESY_MSG_FAULT;
    fw->out.seq = seq;
    fw->out.u.fault.code = code;
    fw->out.u.fault.in_reply_to = type;
    strncpy(fw->out.u.fault.detail, detail, NESY_MAX_FAULT_TEXT);
    fw->out.u.fault.detail[NESY_MAX_FAULT_TEXT] = 0;
    send(fw);
}

static void copy_text(char *dst, const char *src)
{
    strncpy(dst, src ? src : "", NESY_MAX_TEXT);
    dst[NESY_MAX_TEXT] = 0;
}

static void discard_program(nesy_fw *fw)
{
    if (fw->program_loaded && fw->port.loader->unload)
        fw->port.loader->unload(fw->port.ctx);
    fw->program_loaded = 0;
    fw->image_len = 0;
    fw->image_expected = 0;
    fw->run_remaining = 0;
    fw->state = NESY_STATE_EMPTY;
}

static void on_hello(nesy_fw *fw, const nesy_msg *m)
{
    nesy_board_info *b = &fw->out.u.board_info;
    fw->out.type = NESY_MSG_BOARD_INFO;
    fw->out.seq = m->seq;
    b->protocol_version = NESY_PROTOCOL_VERSION;
    b->fw_major = NESY_FW_VERSION_MAJOR;
    b->fw_minor = NESY_FW_VERSION_MINOR;
    b->fw_patch = NESY_FW_VERSION_PATCH;
    b->clock_hz = fw->id.clock_hz;
    b->flash_bytes = fw->id.flash_bytes;
    b->sram_bytes = fw->id.sram_bytes;
    b->reserved_flash_bytes = fw->id.reserved_flash_bytes;
    b->reserved_sram_bytes = fw->id.reserved_sram_bytes;
    b->nonce = m->u.hello.nonce;
    b->max_chunk = NESY_MAX_CHUNK;
    b->image_arch = fw->port.loader ? fw->port.loader->arch : NESY_ARCH_NONE;
    b->program_area_addr = fw->port.loader ? fw->port.loader->program_area_addr : 0;
    b->program_area_bytes = fw->image_capacity;
    b->program_ram_addr = fw->port.loader ? fw->port.loader->ram_addr : 0;
    b->program_ram_bytes = fw->port.loader ? fw->port.loader->ram_bytes : 0;
    copy_text(b->profile_id, fw->id.profile_id);
    copy_text(b->mcu, fw->id.mcu);
    copy_text(b->core, fw->id.core);
    copy_text(b->serial, fw->id.serial);
    send(fw);
}

static void on_deploy_begin(nesy_fw *fw, const nesy_msg *m)
{
    char detail[NESY_MAX_FAULT_TEXT + 1];
    if (fw->state == NESY_STATE_RUNNING) {
        send_fault(fw, NESY_FAULT_PROTOCOL, m->type, m->seq, "busy running: reset first");
        return;
    }
    discard_program(fw);
    if (m->u.deploy_begin.image_bytes == 0 || m->u.deploy_begin.image_bytes > fw->image_capacity) {
        snprintf(detail, sizeof detail, "image of %lu bytes does not fit the %lu-byte program area",
                 (unsigned long)m->u.deploy_begin.image_bytes, (unsigned long)fw->image_capacity);
        send_fault(fw, NESY_FAULT_FLASH_OVERFLOW, m->type, m->seq, detail);
        return;
    }
    fw->image_expected = m->u.deploy_begin.image_bytes;
    fw->image_crc = m->u.deploy_begin.image_crc;
    fw->state = NESY_STATE_DEPLOYING;
    send_ack(fw, m->type, m->seq, NESY_ACK_OK, 0);
}

static void on_deploy_chunk(nesy_fw *fw, const nesy_msg *m)
{
    const nesy_deploy_chunk *c = &m->u.deploy_chunk;
    if (fw->state != NESY_STATE_DEPLOYING) {
        send_fault(fw, NESY_FAULT_PROTOCOL, m->type, m->seq, "chunk without deploy-begin");
        return;
    }
    if (c->offset != fw->image_len) { /* lost or repeated chunk: tell the host where to resume */
        send_ack(fw, m->type, m->seq, NESY_ACK_BAD_OFFSET, fw->image_len);
        return;
    }
    if ((uint64_t)c->offset + c->length > fw->image_expected) {
        discard_program(fw);
        send_fault(fw, NESY_FAULT_PROTOCOL, m->type, m->seq, "chunk beyond the announced image size");
        return;
    }
    memcpy(fw->image + c->offset, c->data, c->length);
    fw->image_len += c->length;
    send_ack(fw, m->type, m->seq, NESY_ACK_OK, fw->image_len);
}

/* Checks that a linked program is for this board and fits where it goes, then has the port load it.
 * Returns 0, or the reason with its fault code (detail is scratch space for the text). */
static const char *load_linked(nesy_fw *fw, uint8_t *code, char *detail)
{
    const nesy_fw_loader *l = fw->port.loader;
    const nesy_image_info *i = &fw->info;
    const char *problem;
    *code = NESY_FAULT_UNSUPPORTED;
    if (!l)
        return "this board runs reference images (NSY1) only";
    if (i->arch != l->arch) {
        snprintf(detail, NESY_MAX_FAULT_TEXT + 1, "image is for architecture %u, this board runs %u",
                 (unsigned)i->arch, (unsigned)l->arch);
        return detail;
    }
    if (l->ram_bytes > 0) { /* the code was linked for fixed addresses: they must be this board's */
        *code = NESY_FAULT_BAD_IMAGE;
        if (i->load_addr != l->program_area_addr + i->code_offset)
            return "code linked for another program area address";
        *code = NESY_FAULT_RAM_OVERFLOW;
        if ((i->data_bytes > 0 && (i->data_addr < l->ram_addr || i->data_addr - l->ram_addr > l->ram_bytes
                                   || i->data_bytes > l->ram_bytes - (i->data_addr - l->ram_addr)))
            || (i->bss_bytes > 0 && (i->bss_addr < l->ram_addr || i->bss_addr - l->ram_addr > l->ram_bytes
                                     || i->bss_bytes > l->ram_bytes - (i->bss_addr - l->ram_addr)))) {
            snprintf(detail, NESY_MAX_FAULT_TEXT + 1, "program data and bss (%lu bytes) do not fit the %lu-byte program RAM",
                     (unsigned long)(i->data_bytes + i->bss_bytes), (unsigned long)l->ram_bytes);
            return detail;
        }
    }
    *code = NESY_FAULT_BAD_IMAGE;
    problem = l->load(fw->port.ctx, fw->image, i);
    if (problem)
        return problem;
    fw->program_loaded = 1;
    return 0;
}

static void on_deploy_end(nesy_fw *fw, const nesy_msg *m)
{
    char detail[NESY_MAX_FAULT_TEXT + 1];
    const char *problem;
    uint32_t usable_flash = fw->id.flash_bytes - fw->id.reserved_flash_bytes;
    uint32_t usable_sram = fw->id.sram_bytes - fw->id.reserved_sram_bytes;
    if (fw->state != NESY_STATE_DEPLOYING || fw->image_len != fw->image_expected) {
        discard_program(fw);
        send_fault(fw, NESY_FAULT_PROTOCOL, m->type, m->seq, "deploy-end before the whole image arrived");
        return;
    }
    if (nesy_crc32(fw->image, fw->image_len) != fw->image_crc) {
        discard_program(fw);
        send_fault(fw, NESY_FAULT_BAD_IMAGE, m->type, m->seq, "image checksum mismatch");
        return;
    }
    problem = nesy_image_parse(fw->image, fw->image_len, &fw->info);
    if (problem) {
        discard_program(fw);
        send_fault(fw, NESY_FAULT_BAD_IMAGE, m->type, m->seq, problem);
        return;
    }
    if (fw->info.flash_bytes > usable_flash) {
        snprintf(detail, sizeof detail, "program needs %lu bytes of flash, %lu usable",
                 (unsigned long)fw->info.flash_bytes, (unsigned long)usable_flash);
        discard_program(fw);
        send_fault(fw, NESY_FAULT_FLASH_OVERFLOW, m->type, m->seq, detail);
        return;
    }
    if ((uint64_t)fw->info.sram_static + fw->info.stack_bytes > usable_sram) {
        snprintf(detail, sizeof detail, "program needs %lu bytes of SRAM, %lu usable",
                 (unsigned long)(fw->info.sram_static + fw->info.stack_bytes), (unsigned long)usable_sram);
        discard_program(fw);
        send_fault(fw, NESY_FAULT_RAM_OVERFLOW, m->type, m->seq, detail);
        return;
    }
    if (fw->info.format == NESY_IMAGE_LINKED) {
        uint8_t code;
        problem = load_linked(fw, &code, detail);
        if (problem) {
            discard_program(fw);
            send_fault(fw, code, m->type, m->seq, problem);
            return;
        }
    }
    fw->state = NESY_STATE_READY;
    send_ack(fw, m->type, m->seq, NESY_ACK_OK, fw->info.flash_bytes);
}

static void on_run(nesy_fw *fw, const nesy_msg *m)
{
    char detail[NESY_MAX_FAULT_TEXT + 1];
    const nesy_run *r = &m->u.run;
    if (fw->state != NESY_STATE_READY) {
        send_fault(fw, NESY_FAULT_PROTOCOL, m->type, m->seq,
                   fw->state == NESY_STATE_RUNNING ? "busy running: reset first" : "no program deployed");
        return;
    }
    if (r->source == NESY_RUN_INLINE && (r->n_inputs != fw->info.n_in || r->n_inputs > NESY_MAX_RUN_INPUTS)) {
        snprintf(detail, sizeof detail, "input has %u values, the program expects %u",
                 (unsigned)r->n_inputs, (unsigned)fw->info.n_in);
        send_fault(fw, NESY_FAULT_RUNTIME, m->type, m->seq, detail);
        return;
    }
    if (r->source == NESY_RUN_TEST_VECTORS && fw->info.n_vectors == 0) {
        send_fault(fw, NESY_FAULT_UNSUPPORTED, m->type, m->seq, "the program carries no test vectors");
        return;
    }
    if (r->source == NESY_RUN_INLINE)
        memcpy(fw->input, r->inputs, sizeof(float) * r->n_inputs);
    fw->run_seq = m->seq;
    fw->run_source = r->source;
    fw->run_remaining = r->count;
    fw->run_done = 0;
    fw->cycles_sum = 0;
    fw->cycles_max = 0;
    fw->peak_stack = 0;
    fw->state = NESY_STATE_RUNNING;
}

static void on_telemetry_config(nesy_fw *fw, const nesy_msg *m)
{
    fw->telemetry_period_us = m->u.telemetry_config.period_us;
    fw->next_telemetry_us = fw->now_us + fw->telemetry_period_us;
    send_ack(fw, m->type, m->seq, NESY_ACK_OK, fw->telemetry_period_us);
}

static void on_reset(nesy_fw *fw, const nesy_msg *m)
{
    discard_program(fw);
    fw->telemetry_period_us = 0;
    send_ack(fw, m->type, m->seq, NESY_ACK_OK, 0);
}

static void on_frame(void *ctx, const nesy_frame *frame)
{
    nesy_fw *fw = (nesy_fw *)ctx;
    nesy_msg *m = &fw->in;
    int status = nesy_msg_decode(frame, m);
    if (status != NESY_DECODE_OK) {
        fw->counters.rejected++;
        send_fault(fw, NESY_FAULT_PROTOCOL, frame->type, frame->seq,
                   status == NESY_DECODE_UNKNOWN_TYPE ? "unknown message type" : "malformed message");
        return;
    }
    switch (m->type) {
    case NESY_MSG_HELLO: on_hello(fw, m); break;
    case NESY_MSG_DEPLOY_BEGIN: on_deploy_begin(fw, m); break;
    case NESY_MSG_DEPLOY_CHUNK: on_deploy_chunk(fw, m); break;
    case NESY_MSG_DEPLOY_END: on_deploy_end(fw, m); break;
    case NESY_MSG_RUN: on_run(fw, m); break;
    case NESY_MSG_TELEMETRY_CONFIG: on_telemetry_config(fw, m); break;
    case NESY_MSG_RESET: on_reset(fw, m); break;
    default: /* a device-to-host type sent to the device */
        fw->counters.rejected++;
        send_fault(fw, NESY_FAULT_PROTOCOL, m->type, m->seq, "message type not accepted by a device");
        break;
    }
}

void nesy_fw_init(nesy_fw *fw, const nesy_fw_identity *id, const nesy_fw_port *port,
                  uint8_t *image_storage, uint32_t image_capacity)
{
    memset(fw, 0, sizeof *fw);
    fw->id = *id;
    fw->port = *port;
    fw->image = image_storage;
    fw->image_capacity = image_capacity;
    fw->state = NESY_STATE_EMPTY;
    nesy_frame_decoder_init(&fw->decoder);
}

void nesy_fw_receive(nesy_fw *fw, const uint8_t *bytes, size_t n)
{
    nesy_frame_decoder_feed(&fw->decoder, bytes, n, on_frame, fw);
}

static void finish_run(nesy_fw *fw)
{
    nesy_result *r = &fw->out.u.result;
    uint8_t le[4 * NESY_MAX_OUTPUTS];
    uint16_t i;
    for (i = 0; i < fw->info.n_out; ++i) {
        uint32_t bits;
        memcpy(&bits, &fw->output[i], sizeof bits);
        le[4 * i] = (uint8_t)bits;
        le[4 * i + 1] = (uint8_t)(bits >> 8);
        le[4 * i + 2] = (uint8_t)(bits >> 16);
        le[4 * i + 3] = (uint8_t)(bits >> 24);
    }
    fw->out.type = NESY_MSG_RESULT;
    fw->out.seq = fw->run_seq;
    r->runs = fw->run_done;
    r->output_crc = nesy_crc32(le, 4u * fw->info.n_out);
    r->cycles_mean = (uint32_t)(fw->cycles_sum / (fw->run_done ? fw->run_done : 1));
    r->cycles_max = fw->cycles_max;
    r->flash_used = fw->info.flash_bytes;
    r->sram_static = fw->info.sram_static;
    r->peak_arena = fw->info.arena_bytes;
    r->peak_stack = fw->peak_stack ? fw->peak_stack : fw->info.stack_bytes;
    r->n_outputs = fw->info.n_out;
    memcpy(r->outputs, fw->output, sizeof(float) * fw->info.n_out);
    fw->state = NESY_STATE_READY;
    send(fw);
}

/* One inference of a linked program through the port's loader. Returns 0 or the fault's reason. */
static const char *run_linked(nesy_fw *fw, uint32_t *cycles)
{
    const float *input = fw->input;
    uint32_t stack = 0;
    const char *problem;
    if (fw->run_source == NESY_RUN_TEST_VECTORS)
        input = nesy_image2_test_vector(fw->image, &fw->info, (uint16_t)(fw->run_done % fw->info.n_vectors));
    problem = fw->port.loader->run(fw->port.ctx, input, fw->output, cycles, &stack);
    if (stack > fw->peak_stack)
        fw->peak_stack = stack;
    return problem;
}

static uint32_t run_reference(nesy_fw *fw)
{
    uint32_t cycles;
    if (fw->run_source == NESY_RUN_TEST_VECTORS)
        nesy_image_test_vector(fw->image, &fw->info, (uint8_t)(fw->run_done % fw->info.n_vectors), fw->input);
    if (fw->port.cycles) {
        uint32_t start = fw->port.cycles(fw->port.ctx);
        nesy_image_run(fw->image, &fw->info, fw->input, fw->output);
        cycles = fw->port.cycles(fw->port.ctx) - start;
    } else {
        cycles = nesy_image_run(fw->image, &fw->info, fw->input, fw->output);
    }
    return cycles;
}

static void run_one(nesy_fw *fw)
{
    uint32_t cycles = 0;
    if (fw->info.format == NESY_IMAGE_LINKED) {
        const char *problem = run_linked(fw, &cycles);
        if (problem) {
            fw->run_remaining = 0;
            fw->state = NESY_STATE_READY;
            send_fault(fw, NESY_FAULT_RUNTIME, NESY_MSG_RUN, fw->run_seq, problem);
            return;
        }
    } else {
        cycles = run_reference(fw);
    }
    fw->cycles_sum += cycles;
    if (cycles > fw->cycles_max)
        fw->cycles_max = cycles;
    fw->last_cycles = cycles;
    fw->run_done++;
    fw->run_remaining--;
    fw->counters.runs++;
    if (fw->run_remaining == 0)
        finish_run(fw);
}

static void send_telemetry(nesy_fw *fw)
{
    nesy_telemetry *t = &fw->out.u.telemetry;
    int deployed = fw->state == NESY_STATE_READY || fw->state == NESY_STATE_RUNNING;
    fw->out.type = NESY_MSG_TELEMETRY;
    fw->out.seq = 0;
    t->sample_index = fw->sample_index++;
    t->device_time_us = fw->now_us;
    t->flash_used = deployed ? fw->info.flash_bytes : 0;
    t->sram_used = deployed ? fw->info.sram_static + fw->info.stack_bytes : 0;
    t->last_latency_cycles = fw->last_cycles;
    t->state = fw->state;
    fw->counters.telemetry++;
    send(fw);
}

int nesy_fw_poll(nesy_fw *fw, uint32_t now_us)
{
    int burst;
    fw->now_us = now_us;
    if (fw->state == NESY_STATE_RUNNING && fw->run_remaining > 0)
        run_one(fw);
    /* A late main loop sends the samples it owes (a few per poll), so the rate holds; after a
     * long stall the cadence restarts from now instead of bursting the whole backlog. */
    for (burst = 0; burst < 4 && fw->telemetry_period_us > 0 && (int32_t)(now_us - fw->next_telemetry_us) >= 0; ++burst) {
        send_telemetry(fw);
        fw->next_telemetry_us += fw->telemetry_period_us;
    }
    if (fw->telemetry_period_us > 0
        && (int32_t)(now_us - fw->next_telemetry_us) > (int32_t)(250u * fw->telemetry_period_us))
        fw->next_telemetry_us = now_us + fw->telemetry_period_us;
    return fw->state == NESY_STATE_RUNNING;
}
