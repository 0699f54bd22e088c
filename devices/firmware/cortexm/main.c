/* Reference firmware for a Cortex-M board: the main loop around the portable firmware core.
 * The USB device stack is the board package's business: it provides the three nesy_port_* hooks
 * below (e.g. on TinyUSB: tud_vendor_read / tud_vendor_write / DWT). The weak defaults only make
 * the image link, so that this target proves the core builds for Cortex-M; they move no bytes. */
#include "firmware/nesy_fw.h"
#include "loader.h"
#include <stdint.h>

#define DWT_CTRL (*(volatile uint32_t *)0xE0001000u)
#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)
#define DEMCR (*(volatile uint32_t *)0xE000EDFCu)

#ifndef NESY_BOARD_PROFILE
#define NESY_BOARD_PROFILE "nucleo-f446re"
#endif
#ifndef NESY_BOARD_CLOCK_HZ
#define NESY_BOARD_CLOCK_HZ 180000000u
#endif

/* Bytes received on the bulk OUT endpoint since the last call (at most cap). */
__attribute__((weak)) size_t nesy_port_usb_read(uint8_t *buf, size_t cap)
{
    (void)buf;
    (void)cap;
    return 0;
}

/* Queues bytes on the bulk IN endpoint; blocks until the stack has taken them all. */
__attribute__((weak)) void nesy_port_usb_write(const uint8_t *bytes, size_t n)
{
    (void)bytes;
    (void)n;
}

__attribute__((weak)) void nesy_port_init(void)
{
    DEMCR |= 1u << 24; /* TRCENA: enable the DWT */
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;    /* CYCCNTENA */
}

static void usb_write(void *ctx, const uint8_t *bytes, size_t n)
{
    (void)ctx;
    nesy_port_usb_write(bytes, n);
}

static uint32_t cycles(void *ctx)
{
    (void)ctx;
    return DWT_CYCCNT;
}

/* A fault in a deployed program resets the board: the host sees it leave (a disconnected trial)
 * instead of a board that hangs until the run times out. */
void HardFault_Handler(void)
{
    *(volatile uint32_t *)0xE000ED0Cu = 0x05FA0004u; /* AIRCR: SYSRESETREQ */
    for (;;) {
    }
}

static nesy_fw fw;

int main(void)
{
    static const nesy_fw_identity id = {NESY_BOARD_PROFILE, "STM32F446RE", "cortex-m4", "REF-0001",
                                        NESY_BOARD_CLOCK_HZ, 512u * 1024u, 128u * 1024u, 32u * 1024u, 64u * 1024u};
    nesy_fw_port port = {0, usb_write, cycles, 0};
    uint8_t rx[64];
    uint32_t last = 0, micros = 0, capacity = 0;
    uint8_t *program_area = nesy_cortexm_program_area(&capacity);
    port.loader = nesy_cortexm_loader();
    nesy_port_init();
    nesy_fw_init(&fw, &id, &port, program_area, capacity);
    for (;;) {
        size_t n = nesy_port_usb_read(rx, sizeof rx);
        uint32_t now = DWT_CYCCNT;
        if (n)
            nesy_fw_receive(&fw, rx, n);
        micros += (now - last) / (NESY_BOARD_CLOCK_HZ / 1000000u);
        last = now;
        nesy_fw_poll(&fw, micros);
    }
}
