/* The Cortex-M port's loader of linked programs and its program area (see loader.c). */
#ifndef NESY_CORTEXM_LOADER_H
#define NESY_CORTEXM_LOADER_H
#include "firmware/nesy_fw.h"

const nesy_fw_loader *nesy_cortexm_loader(void);
/* The program area from the linker script, and its size. */
uint8_t *nesy_cortexm_program_area(uint32_t *capacity);

#endif
