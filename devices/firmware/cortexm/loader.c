/* The Cortex-M loader of linked programs (NSY2, arch armv7em): the host linked the program's code
 * for this board's program area and its .data/.bss for the program RAM (both reported in
 * BOARD_INFO), and the core checked the header against them. Loading copies .data, zeroes .bss and
 * takes the entry table; a run paints the stack, times the call with DWT CYCCNT and finds the
 * deepest stack word the program touched. */
#include "loader.h"
#include <stdint.h>
#include <string.h>

#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)
#define STACK_PAINT 0xC5A5C5A5u

extern uint8_t _program_area[], _program_area_size[], _program_ram[], _program_ram_size[];
extern uint32_t _stack_limit;

static const nesy_program_entry *entry;

static const char *load(void *ctx, const uint8_t *image, const nesy_image_info *info)
{
    const uint8_t *code = image + info->code_offset;
    const nesy_program_entry *e = (const nesy_program_entry *)(const void *)(code + info->entry_offset);
    uint32_t run = (uint32_t)(uintptr_t)e->run;
    (void)ctx;
    entry = 0;
    if (info->entry_offset % 4u != 0 || e->magic != NESY_PROGRAM_ENTRY_MAGIC)
        return "no entry table at the entry offset";
    if (e->n_in != info->n_in || e->n_out != info->n_out)
        return "the entry table's input or output count differs from the header";
    if ((run & 1u) == 0 || run < info->load_addr || run - info->load_addr >= info->code_bytes)
        return "the entry function is not Thumb code inside the image";
    memcpy((void *)(uintptr_t)info->data_addr, code + info->data_offset, info->data_bytes);
    memset((void *)(uintptr_t)info->bss_addr, 0, info->bss_bytes);
    __asm volatile("dsb\n\tisb" ::: "memory"); /* the code arrived as data: fetch it anew */
    entry = e;
    return 0;
}

static __attribute__((noinline)) const char *run(void *ctx, const float *input, float *output, uint32_t *cycles,
                                                 uint32_t *peak_stack)
{
    uint32_t sp, start;
    volatile uint32_t *p;
    (void)ctx;
    if (!entry)
        return "no program loaded";
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (p = &_stack_limit; (uint32_t)(uintptr_t)p < sp; ++p) /* below sp is free: paint it */
        *p = STACK_PAINT;
    start = DWT_CYCCNT;
    entry->run(input, output);
    *cycles = DWT_CYCCNT - start;
    for (p = &_stack_limit; (uint32_t)(uintptr_t)p < sp && *p == STACK_PAINT; ++p) {
    }
    *peak_stack = sp - (uint32_t)(uintptr_t)p;
    if (p == &_stack_limit)
        return "the program used all of the stack";
    return 0;
}

static void unload(void *ctx)
{
    (void)ctx;
    entry = 0;
}

const nesy_fw_loader *nesy_cortexm_loader(void)
{
    static nesy_fw_loader loader;
    loader.arch = NESY_ARCH_ARMV7EM;
    loader.program_area_addr = (uint32_t)(uintptr_t)_program_area;
    loader.ram_addr = (uint32_t)(uintptr_t)_program_ram;
    loader.ram_bytes = (uint32_t)(uintptr_t)_program_ram_size;
    loader.load = load;
    loader.run = run;
    loader.unload = unload;
    return &loader;
}

uint8_t *nesy_cortexm_program_area(uint32_t *capacity)
{
    *capacity = (uint32_t)(uintptr_t)_program_area_size;
    return _program_area;
}
