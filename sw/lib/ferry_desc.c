/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_desc.c: ring-mode descriptors, completion records and the reference
 * model (sw/include/ferry/ferry_desc.h, docs/descriptors.md).
 *
 * Everything is encoded and decoded with explicit little-endian byte stores
 * and loads at the documented offsets, never by casting structs. The file
 * needs only the standard C library, so the test bench, the driver core and
 * ferryctl link it alike.
 */
#include "ferry/ferry_desc.h"

#include <string.h>

#include "ferry/ferry_regs.h"

/* Descriptor and record layout (docs/descriptors.md). */
#define D_SRC 0x00U
#define D_DST 0x08U
#define D_LEN 0x10U /* 24 bits */
#define D_FLAGS 0x13U
#define D_TAG 0x14U
#define D_ROWS 0x16U
#define D_SSTRIDE 0x18U
#define D_DSTRIDE 0x1CU
#define C_INDEX 0x00U
#define C_STATUS 0x02U
#define C_PHASE 0x03U /* bit 7 */
#define C_BYTES 0x04U
#define C_TAG 0x08U
#define C_FAULT_HI 0x0AU /* fault address bits 47:32 (word 2 bits 31:16) */
#define C_FAULT_LO 0x0CU /* fault address bits 31:0 (word 3) */
#define C_PHASE_BIT 0x80U
#define C_SOP_EOP 0x03U /* byte 3: SOP bit 0 (w0 bit 24), EOP bit 1 (w0 bit 25) */

_Static_assert(FERRY_DESC_LEN_MAX == 0xFFFFFFU, "LEN is 24 bits");
_Static_assert(FERRY_CPL_SOP_BIT == 24U && FERRY_CPL_EOP_BIT == 25U, "SOP and EOP are bits 0 and 1 of record byte 3");
_Static_assert(FERRY_DESC_FLAGS_RESERVED ==
                   (0xFFU & ~(FERRY_DESC_IRQ | FERRY_DESC_SRC_FIXED | FERRY_DESC_DST_FIXED |
                              FERRY_DESC_TWO_D | FERRY_DESC_EOP | FERRY_DESC_FENCE)),
               "every flag bit is either defined or reserved");

/* Bytes the reference model moves at a time through the memory callbacks
 * (rounded down to whole beats). */
#define REF_CHUNK 4096U

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static uint32_t get24(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

bool ferry_desc_encode(uint8_t out[FERRY_DESC_SIZE], const struct ferry_desc *d)
{
    /* A length the 24-bit field cannot hold becomes LEN 0, which the device
     * refuses (LEN_ZERO), never a shorter copy. */
    const bool fits = d->len <= FERRY_DESC_LEN_MAX;

    put64(out + D_SRC, d->src);
    put64(out + D_DST, d->dst);
    put24(out + D_LEN, fits ? d->len : 0U);
    out[D_FLAGS] = d->flags;
    put16(out + D_TAG, d->tag);
    put16(out + D_ROWS, d->rows);
    put32(out + D_SSTRIDE, d->src_stride);
    put32(out + D_DSTRIDE, d->dst_stride);
    return fits;
}

void ferry_desc_decode(struct ferry_desc *d, const uint8_t in[FERRY_DESC_SIZE])
{
    memset(d, 0, sizeof(*d));
    d->src = get64(in + D_SRC);
    d->dst = get64(in + D_DST);
    d->len = get24(in + D_LEN);
    d->flags = in[D_FLAGS];
    d->tag = get16(in + D_TAG);
    d->rows = get16(in + D_ROWS);
    d->src_stride = get32(in + D_SSTRIDE);
    d->dst_stride = get32(in + D_DSTRIDE);
}

void ferry_cpl_encode(uint8_t out[FERRY_CPL_SIZE], const struct ferry_cpl *c)
{
    memset(out, 0, FERRY_CPL_SIZE); /* reserved bits and bytes are 0 */
    put16(out + C_INDEX, c->index);
    out[C_STATUS] = c->status;
    out[C_PHASE] = (uint8_t)((c->phase ? C_PHASE_BIT : 0U) | (c->sop ? 0x01U : 0U) | (c->eop ? 0x02U : 0U));
    put32(out + C_BYTES, c->bytes);
    put16(out + C_TAG, c->tag);
    put16(out + C_FAULT_HI, (uint16_t)(c->fault_addr >> 32));
    put32(out + C_FAULT_LO, (uint32_t)c->fault_addr);
}

void ferry_cpl_decode(struct ferry_cpl *c, const uint8_t in[FERRY_CPL_SIZE])
{
    memset(c, 0, sizeof(*c));
    c->index = get16(in + C_INDEX);
    c->status = in[C_STATUS];
    c->phase = (in[C_PHASE] & C_PHASE_BIT) != 0U;
    c->sop = (in[C_SOP_EOP] & 0x01U) != 0U;
    c->eop = (in[C_SOP_EOP] & 0x02U) != 0U;
    c->bytes = get32(in + C_BYTES);
    c->tag = get16(in + C_TAG);
    c->fault_addr = (uint64_t)get16(in + C_FAULT_HI) << 32 | get32(in + C_FAULT_LO);
}

/* True if start + span + len <= 2^aw (no byte at or above 2^aw), len >= 1. */
static bool end_ok(uint64_t start, uint64_t span, uint64_t len, unsigned aw)
{
    if (aw >= 64U) {
        uint64_t s = start + span;
        if (s < start) {
            return false; /* start + span >= 2^64, and len >= 1 */
        }
        return len - 1U <= UINT64_MAX - s;
    }
    const uint64_t lim = 1ULL << aw;
    if (start > lim || span > lim - start) {
        return false;
    }
    return len <= lim - start - span;
}

uint32_t ferry_ref_check(const struct ferry_desc *d, unsigned data_bytes, unsigned addr_width)
{
    /* What the device sees: ferry_desc_encode() stores a len above
     * FERRY_DESC_LEN_MAX as LEN 0. */
    const uint32_t len = d->len <= FERRY_DESC_LEN_MAX ? d->len : 0U;
    const bool two_d = (d->flags & FERRY_DESC_TWO_D) != 0U;
    const bool sfix = (d->flags & FERRY_DESC_SRC_FIXED) != 0U;
    const bool dfix = (d->flags & FERRY_DESC_DST_FIXED) != 0U;
    const uint64_t beat = data_bytes != 0U ? data_bytes : 1U;

    if ((d->flags & FERRY_DESC_FLAGS_RESERVED) != 0U ||
        (!two_d && (d->rows != 0U || d->src_stride != 0U || d->dst_stride != 0U)) ||
        (sfix && d->src_stride != 0U) || (dfix && d->dst_stride != 0U)) {
        return FERRY_ERR_DESC_RESERVED;
    }
    if (len == 0U || (two_d && d->rows == 0U)) {
        return FERRY_ERR_LEN_ZERO;
    }
    if ((sfix && d->src % beat != 0U) || (dfix && d->dst % beat != 0U)) {
        return FERRY_ERR_FIXED_ALIGN;
    }
    /* The last row's start + LEN (a fixed side has stride 0 by now). */
    const uint64_t rows_m1 = two_d ? (uint64_t)d->rows - 1U : 0U;
    if (rows_m1 * len + len > UINT32_MAX) {
        return FERRY_ERR_LEN_MAX; /* the record's BYTES could not hold the total */
    }
    if (!end_ok(d->src, rows_m1 * d->src_stride, len, addr_width) ||
        !end_ok(d->dst, rows_m1 * d->dst_stride, len, addr_width)) {
        return FERRY_ERR_ADDR_RANGE;
    }
    return FERRY_ERR_NONE;
}

/* Moves one row: len bytes from src to dst, a fixed side wrapping within one
 * beat of beat bytes. Works in chunks of REF_CHUNK bytes (a multiple of the
 * beat), so a fixed destination sees the last byte written to each lane. */
static void ref_row(uint64_t src, uint64_t dst, uint32_t len, bool sfix, bool dfix, unsigned beat,
                    const struct ferry_ref_mem *mem)
{
    uint8_t buf[REF_CHUNK];
    uint8_t lanes[REF_CHUNK];
    const uint32_t chunk = REF_CHUNK - REF_CHUNK % beat; /* whole beats */

    for (uint32_t i0 = 0; i0 < len; i0 += chunk) {
        const uint32_t n = len - i0 < chunk ? len - i0 : chunk;

        if (sfix) {
            /* i0 is beat aligned: byte k of the chunk is lane k mod beat. */
            const uint32_t nl = n < beat ? n : beat;
            mem->read(mem->ctx, src, lanes, nl);
            for (uint32_t k = 0; k < n; k++) {
                buf[k] = lanes[k % beat];
            }
        } else {
            mem->read(mem->ctx, src + i0, buf, n);
        }
        if (dfix) {
            const uint32_t nl = n < beat ? n : beat;
            for (uint32_t k = 0; k < n; k++) {
                lanes[k % beat] = buf[k]; /* later bytes overwrite earlier ones */
            }
            mem->write(mem->ctx, dst, lanes, nl);
        } else {
            mem->write(mem->ctx, dst + i0, buf, n);
        }
    }
}

uint32_t ferry_ref_apply(const struct ferry_desc *d, unsigned data_bytes, unsigned addr_width,
                         const struct ferry_ref_mem *mem)
{
    if (d == NULL || mem == NULL || mem->read == NULL || mem->write == NULL ||
        ferry_ref_check(d, data_bytes, addr_width) != FERRY_ERR_NONE) {
        return 0;
    }
    const uint32_t len = d->len & FERRY_DESC_LEN_MAX;
    const bool two_d = (d->flags & FERRY_DESC_TWO_D) != 0U;
    const bool sfix = (d->flags & FERRY_DESC_SRC_FIXED) != 0U;
    const bool dfix = (d->flags & FERRY_DESC_DST_FIXED) != 0U;
    const unsigned rows = two_d ? d->rows : 1U;
    const unsigned beat = data_bytes != 0U && data_bytes <= REF_CHUNK ? data_bytes : 1U;

    for (unsigned r = 0; r < rows; r++) {
        ref_row(d->src + (uint64_t)r * d->src_stride, d->dst + (uint64_t)r * d->dst_stride, len, sfix,
                dfix, beat, mem);
    }
    return (uint32_t)((uint64_t)len * rows);
}
