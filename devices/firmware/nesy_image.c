#include "nesy_image.h"
#include <string.h>

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

/* Unaligned-safe float read: images arrive as bytes and Cortex-M0 faults on unaligned float loads. */
static float get_f32(const uint8_t *p)
{
    uint32_t bits = get_u32(p);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static const char *parse_reference(const uint8_t *image, uint32_t len, nesy_image_info *info)
{
    uint32_t expected;
    if (len < NESY_IMAGE_HEADER_BYTES)
        return "image shorter than its header";
    info->format = NESY_IMAGE_REFERENCE;
    info->n_in = get_u16(image + 4);
    info->n_out = get_u16(image + 6);
    info->flash_bytes = get_u32(image + 8);
    info->sram_static = get_u32(image + 12);
    info->arena_bytes = get_u32(image + 16);
    info->stack_bytes = get_u32(image + 20);
    info->activation = image[24];
    info->n_vectors = image[25];
    if (info->n_in == 0 || info->n_in > NESY_IMAGE_MAX_INPUTS)
        return "input count out of range";
    if (info->n_out == 0 || info->n_out > NESY_IMAGE_MAX_OUTPUTS)
        return "output count out of range";
    if (info->activation > NESY_ACT_RELU)
        return "unknown activation";
    if (get_u16(image + 26) != 0)
        return "reserved header bytes are not zero";
    expected = NESY_IMAGE_HEADER_BYTES
             + 4u * ((uint32_t)info->n_out * info->n_in + info->n_out + (uint32_t)info->n_vectors * info->n_in);
    if (len != expected)
        return "image size does not match its header";
    return 0;
}

static const char *parse_linked(const uint8_t *image, uint32_t len, nesy_image_info *info)
{
    uint32_t vectors_end;
    if (len < NESY_IMAGE2_HEADER_BYTES)
        return "image shorter than its header";
    info->format = NESY_IMAGE_LINKED;
    info->arch = image[4];
    info->n_in = get_u16(image + 8);
    info->n_out = get_u16(image + 10);
    info->n_vectors = get_u16(image + 12);
    info->code_offset = get_u32(image + 16);
    info->code_bytes = get_u32(image + 20);
    info->load_addr = get_u32(image + 24);
    info->entry_offset = get_u32(image + 28);
    info->data_offset = get_u32(image + 32);
    info->data_bytes = get_u32(image + 36);
    info->data_addr = get_u32(image + 40);
    info->bss_bytes = get_u32(image + 44);
    info->bss_addr = get_u32(image + 48);
    info->flash_bytes = get_u32(image + 52);
    info->sram_static = get_u32(image + 56);
    info->arena_bytes = get_u32(image + 60);
    info->stack_bytes = get_u32(image + 64);
    info->activation = NESY_ACT_NONE;
    if (image[5] != 0 || get_u16(image + 14) != 0 || get_u32(image + 68) != 0 || get_u32(image + 72) != 0
        || get_u32(image + 76) != 0)
        return "reserved header bytes are not zero";
    if (get_u16(image + 6) != NESY_IMAGE2_HEADER_BYTES)
        return "unknown header size";
    if (info->n_in == 0)
        return "input count out of range";
    if (info->n_out == 0 || info->n_out > NESY_IMAGE_MAX_OUTPUTS)
        return "output count out of range";
    if (info->n_vectors > NESY_IMAGE_MAX_VECTORS)
        return "more than 255 test vectors";
    vectors_end = NESY_IMAGE2_HEADER_BYTES + 4u * (uint32_t)info->n_vectors * info->n_in;
    if (info->code_offset < vectors_end || info->code_offset % 8u != 0 || info->code_offset > len)
        return "code offset overlaps the test vectors, is unaligned or beyond the image";
    if (info->code_bytes == 0 || info->code_bytes != len - info->code_offset)
        return "image size does not match its header";
    if (info->entry_offset % 4u != 0 || info->entry_offset > info->code_bytes
        || info->code_bytes - info->entry_offset < sizeof(nesy_program_entry))
        return "entry table beyond the code";
    if (info->data_offset > info->code_bytes || info->data_bytes > info->code_bytes - info->data_offset)
        return "initial data beyond the code";
    return 0;
}

const char *nesy_image_parse(const uint8_t *image, uint32_t len, nesy_image_info *info)
{
    memset(info, 0, sizeof *info);
    if (len < 4)
        return "image shorter than its magic";
    if (memcmp(image, "NSY1", 4) == 0)
        return parse_reference(image, len, info);
    if (memcmp(image, "NSY2", 4) == 0)
        return parse_linked(image, len, info);
    return "image starts with neither NSY1 nor NSY2";
}

uint32_t nesy_image_run(const uint8_t *image, const nesy_image_info *info, const float *input, float *output)
{
    const uint8_t *w = image + NESY_IMAGE_HEADER_BYTES;
    const uint8_t *b = w + 4u * (uint32_t)info->n_out * info->n_in;
    uint16_t o, i;
    for (o = 0; o < info->n_out; ++o) {
        float acc = get_f32(b + 4u * o);
        const uint8_t *row = w + 4u * (uint32_t)o * info->n_in;
        for (i = 0; i < info->n_in; ++i)
            acc += get_f32(row + 4u * i) * input[i];
        if (info->activation == NESY_ACT_RELU && acc < 0.0f)
            acc = 0.0f;
        output[o] = acc;
    }
    return 2u * (uint32_t)info->n_out * info->n_in + 8u * info->n_out + 64u;
}

void nesy_image_test_vector(const uint8_t *image, const nesy_image_info *info, uint8_t index, float *dst)
{
    const uint8_t *v = image + NESY_IMAGE_HEADER_BYTES
                     + 4u * ((uint32_t)info->n_out * info->n_in + info->n_out + (uint32_t)index * info->n_in);
    uint16_t i;
    for (i = 0; i < info->n_in; ++i)
        dst[i] = get_f32(v + 4u * i);
}

const float *nesy_image2_test_vector(const uint8_t *image, const nesy_image_info *info, uint16_t index)
{
    return (const float *)(const void *)(image + NESY_IMAGE2_HEADER_BYTES + 4u * (uint32_t)index * info->n_in);
}
