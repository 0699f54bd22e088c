#include "nesy_cobs.h"

size_t nesy_cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    size_t read = 0, write = 1, code_at = 0;
    uint8_t code = 1;
    if (cap < NESY_COBS_MAX_ENCODED(n))
        return 0;
    while (read < n) {
        if (in[read] == 0) {
            out[code_at] = code;
            code_at = write++;
            code = 1;
        } else {
            out[write++] = in[read];
            if (++code == 0xFF) {
                out[code_at] = code;
                code_at = write++;
                code = 1;
            }
        }
        ++read;
    }
    out[code_at] = code;
    return write;
}

size_t nesy_cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    size_t read = 0, write = 0;
    while (read < n) {
        uint8_t code = in[read++];
        uint8_t i;
        if (code == 0)
            return (size_t)-1;
        for (i = 1; i < code; ++i) {
            if (read >= n || in[read] == 0 || write >= cap)
                return (size_t)-1;
            out[write++] = in[read++];
        }
        /* A code below 0xFF stands for a zero, except after the last group. */
        if (code != 0xFF && read < n) {
            if (write >= cap)
                return (size_t)-1;
            out[write++] = 0;
        }
    }
    return write;
}
