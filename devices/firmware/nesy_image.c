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

const char *nesy_image_parse(const uint8_t *image, uint32_t len, nesy_image_info *info)
{
    uint32_t expected;
    if (len < NESY_IMAGE_HEADER_BYTES)
        return "image shorter than its header";
    if (memcmp(image, "NSY1", 4) != 0)
        return "image does not start with NSY1";
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
