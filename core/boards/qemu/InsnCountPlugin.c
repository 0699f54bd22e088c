/*
 * QEMU TCG plugin: counts the guest instructions executed between two marker functions.
 *
 * Arguments: begin=ADDR,end=ADDR (addresses of the marker functions, Thumb bit ignored) and
 * out=FILE. Every translated block adds its instruction count to a running total (an inline
 * add, cheap); the first instruction of each marker snapshots that total. Both markers are the
 * same one-instruction function, so the difference is the instructions from the return of the
 * begin marker through the end marker: the inference plus a constant few for the calls.
 * The result is written to FILE as "instructions N" when the end marker runs.
 */
#include "QemuPluginApi.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t total_insns;
static uint64_t begin_addr = UINT64_MAX;
static uint64_t end_addr = UINT64_MAX;
static uint64_t begin_snapshot;
static int begin_seen;
static int end_seen;
static char out_path[4096];

static void write_result(const char *text)
{
    FILE *f = fopen(out_path, "w");
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

static void on_begin(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    begin_snapshot = total_insns;
    begin_seen = 1;
}

static void on_end(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    if (!begin_seen || end_seen)
        return;
    end_seen = 1;
    char text[64];
    snprintf(text, sizeof text, "instructions %" PRIu64 "\n", total_insns - begin_snapshot);
    write_result(text);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &total_insns, n);
    for (size_t i = 0; i < n; ++i) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t pc = qemu_plugin_insn_vaddr(insn) & ~(uint64_t)1;
        if (pc == begin_addr)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
        else if (pc == end_addr)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
    }
}

static void on_exit_qemu(qemu_plugin_id_t id, void *udata)
{
    (void)id;
    (void)udata;
    if (!end_seen)
        write_result(begin_seen ? "error end-marker-not-reached\n" : "error begin-marker-not-reached\n");
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; ++i) {
        const char *a = argv[i];
        if (strncmp(a, "begin=", 6) == 0)
            begin_addr = strtoull(a + 6, NULL, 0) & ~(uint64_t)1;
        else if (strncmp(a, "end=", 4) == 0)
            end_addr = strtoull(a + 4, NULL, 0) & ~(uint64_t)1;
        else if (strncmp(a, "out=", 4) == 0)
            snprintf(out_path, sizeof out_path, "%s", a + 4);
        else {
            fprintf(stderr, "nesy insn-count plugin: unknown argument \"%s\"\n", a);
            return 1;
        }
    }
    if (begin_addr == UINT64_MAX || end_addr == UINT64_MAX || out_path[0] == '\0') {
        fprintf(stderr, "nesy insn-count plugin: needs begin=ADDR,end=ADDR,out=FILE\n");
        return 1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_exit_qemu, NULL);
    return 0;
}
