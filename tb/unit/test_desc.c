/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_desc: descriptor and completion record encoding and the reference
 * model (sw/lib/ferry_desc.c) against docs/descriptors.md. No RTL: the
 * worked example's bytes, round trips, every check rule and ferry_ref_apply()
 * on a small byte-array memory.
 */
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/ferry_desc.h"
#include "ferry/ferry_regs.h"
#include "unit.h"

#define TEST_TIMEOUT_S 30

/* ---- the worked example of docs/descriptors.md ---- */

static const uint8_t ex_desc0[FERRY_DESC_SIZE] = {
    0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, /* SRC */
    0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, /* DST */
    0x00, 0x10, 0x00, 0x01,                         /* LEN, flags */
    0x11, 0x00, 0x00, 0x00,                         /* tag, rows */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* strides */
};
static const uint8_t ex_desc1[FERRY_DESC_SIZE] = {
    0x03, 0x20, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, /* SRC */
    0x00, 0x20, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, /* DST */
    0x64, 0x00, 0x00, 0x08,                         /* LEN, flags */
    0x22, 0x00, 0x03, 0x00,                         /* tag, rows */
    0x00, 0x01, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, /* strides */
};
static const uint8_t ex_cpl0[FERRY_CPL_SIZE] = {
    0x00, 0x00, 0x00, 0x80, 0x00, 0x10, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t ex_cpl1[FERRY_CPL_SIZE] = {
    0x01, 0x00, 0x00, 0x80, 0x2C, 0x01, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const struct ferry_desc ex_d0 = {
    .src = 0x200000, .dst = 0x300000, .len = 4096, .flags = FERRY_DESC_IRQ, .tag = 0x0011,
};
static const struct ferry_desc ex_d1 = {
    .src = 0x202003, .dst = 0x302000, .len = 100, .flags = FERRY_DESC_TWO_D, .tag = 0x0022,
    .rows = 3, .src_stride = 256, .dst_stride = 128,
};
static const struct ferry_cpl ex_c0 = {.index = 0, .status = 0, .phase = true, .bytes = 4096, .tag = 0x11};
static const struct ferry_cpl ex_c1 = {.index = 1, .status = 0, .phase = true, .bytes = 300, .tag = 0x22};

static void assert_bytes(const uint8_t *got, const uint8_t *want, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(got[i] == want[i], "%s: byte 0x%02zx is 0x%02x, expected 0x%02x", what, i, got[i],
                      want[i]);
    }
}

static void assert_desc_eq(const struct ferry_desc *a, const struct ferry_desc *b)
{
    ck_assert_uint_eq(a->src, b->src);
    ck_assert_uint_eq(a->dst, b->dst);
    ck_assert_uint_eq(a->len, b->len);
    ck_assert_uint_eq(a->flags, b->flags);
    ck_assert_uint_eq(a->tag, b->tag);
    ck_assert_uint_eq(a->rows, b->rows);
    ck_assert_uint_eq(a->src_stride, b->src_stride);
    ck_assert_uint_eq(a->dst_stride, b->dst_stride);
}

static void assert_cpl_eq(const struct ferry_cpl *a, const struct ferry_cpl *b)
{
    ck_assert_uint_eq(a->index, b->index);
    ck_assert_uint_eq(a->status, b->status);
    ck_assert_int_eq(a->phase, b->phase);
    ck_assert_uint_eq(a->bytes, b->bytes);
    ck_assert_uint_eq(a->tag, b->tag);
    ck_assert_uint_eq(a->fault_addr, b->fault_addr);
}

START_TEST(test_example_encode)
{
    uint8_t b[FERRY_DESC_SIZE];
    uint8_t c[FERRY_CPL_SIZE];

    memset(b, 0xEE, sizeof(b));
    ferry_desc_encode(b, &ex_d0);
    assert_bytes(b, ex_desc0, sizeof(b), "descriptor 0");
    memset(b, 0xEE, sizeof(b));
    ferry_desc_encode(b, &ex_d1);
    assert_bytes(b, ex_desc1, sizeof(b), "descriptor 1");
    memset(c, 0xEE, sizeof(c));
    ferry_cpl_encode(c, &ex_c0);
    assert_bytes(c, ex_cpl0, sizeof(c), "record 0");
    memset(c, 0xEE, sizeof(c));
    ferry_cpl_encode(c, &ex_c1);
    assert_bytes(c, ex_cpl1, sizeof(c), "record 1");
}
END_TEST

START_TEST(test_example_decode)
{
    struct ferry_desc d;
    struct ferry_cpl c;

    ferry_desc_decode(&d, ex_desc0);
    assert_desc_eq(&d, &ex_d0);
    ferry_desc_decode(&d, ex_desc1);
    assert_desc_eq(&d, &ex_d1);
    ferry_cpl_decode(&c, ex_cpl0);
    assert_cpl_eq(&c, &ex_c0);
    ferry_cpl_decode(&c, ex_cpl1);
    assert_cpl_eq(&c, &ex_c1);
    /* Both example descriptors pass the checks on a 64-bit bus, 64-bit addresses. */
    ck_assert_uint_eq(ferry_ref_check(&ex_d0, 8, 64), FERRY_ERR_NONE);
    ck_assert_uint_eq(ferry_ref_check(&ex_d1, 8, 64), FERRY_ERR_NONE);
}
END_TEST

/* ---- round trips ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

START_TEST(test_roundtrip_desc)
{
    rng_state = unit_seed() * 0x9E3779B97F4A7C15ULL + 1U;
    for (unsigned i = 0; i < 10000; i++) {
        struct ferry_desc d, back;
        uint8_t b[FERRY_DESC_SIZE], b2[FERRY_DESC_SIZE];

        d.src = rnd();
        d.dst = rnd();
        d.len = (uint32_t)rnd() & FERRY_DESC_LEN_MAX;
        d.flags = (uint8_t)rnd();
        d.tag = (uint16_t)rnd();
        d.rows = (uint16_t)rnd();
        d.src_stride = (uint32_t)rnd();
        d.dst_stride = (uint32_t)rnd();
        ferry_desc_encode(b, &d);
        ferry_desc_decode(&back, b);
        assert_desc_eq(&back, &d);
        ferry_desc_encode(b2, &back);
        assert_bytes(b2, b, sizeof(b), "re-encoded descriptor");
    }
}
END_TEST

START_TEST(test_roundtrip_cpl)
{
    rng_state = unit_seed() * 0xD1B54A32D192ED03ULL + 7U;
    for (unsigned i = 0; i < 10000; i++) {
        struct ferry_cpl c, back;
        uint8_t b[FERRY_CPL_SIZE];

        memset(b, 0xEE, sizeof(b));
        memset(&c, 0, sizeof(c));
        c.index = (uint16_t)rnd();
        c.status = (uint8_t)rnd();
        c.phase = (rnd() & 1U) != 0U;
        c.bytes = (uint32_t)rnd();
        c.tag = (uint16_t)rnd();
        c.fault_addr = rnd() & FERRY_CPL_FAULT_ADDR_MASK; /* bytes 0x0A..0x0F: 48 bits */
        ferry_cpl_encode(b, &c);
        ck_assert_uint_eq(b[3] & 0x7FU, 0U); /* bits 30:24 reserved (SOP/EOP 0 here) */
        ferry_cpl_decode(&back, b);
        assert_cpl_eq(&back, &c);
        ck_assert(!back.sop && !back.eop);
        /* stream records: SOP = w0 bit 24, EOP = bit 25, the other bits unchanged */
        c.sop = (i & 1U) != 0U;
        c.eop = (i & 2U) != 0U;
        ferry_cpl_encode(b, &c);
        ck_assert_uint_eq(b[3] & 0x7FU, (c.sop ? 1U : 0U) | (c.eop ? 2U : 0U));
        ferry_cpl_decode(&back, b);
        assert_cpl_eq(&back, &c);
        ck_assert(back.sop == c.sop && back.eop == c.eop);
    }
}
END_TEST

/* Illegal field values are stored as given; a len the 24-bit LEN cannot
 * hold is stored as LEN 0 (refused by the device, never a shorter copy) and
 * reported, and never spills into the flags; reserved record bits are
 * ignored on decode. */
START_TEST(test_encode_edges)
{
    struct ferry_desc d = {.len = 0xABCDEF12U, .flags = 0xE0U};
    struct ferry_desc back;
    struct ferry_cpl c;
    uint8_t b[FERRY_DESC_SIZE];
    uint8_t r[FERRY_CPL_SIZE];

    ck_assert(!ferry_desc_encode(b, &d));
    ck_assert_uint_eq(b[0x10], 0x00U);
    ck_assert_uint_eq(b[0x11], 0x00U);
    ck_assert_uint_eq(b[0x12], 0x00U);
    ck_assert_uint_eq(b[0x13], 0xE0U);
    ferry_desc_decode(&back, b);
    ck_assert_uint_eq(back.len, 0U);
    ck_assert_uint_eq(back.flags, 0xE0U);
    d.len = FERRY_DESC_LEN_MAX + 0x11U; /* would have been a 0x10-byte copy */
    ck_assert(!ferry_desc_encode(b, &d));
    ferry_desc_decode(&back, b);
    ck_assert_uint_eq(back.len, 0U);
    d.len = FERRY_DESC_LEN_MAX;
    ck_assert(ferry_desc_encode(b, &d));
    ck_assert_uint_eq(b[0x10], 0xFFU);
    ck_assert_uint_eq(b[0x11], 0xFFU);
    ck_assert_uint_eq(b[0x12], 0xFFU);
    ck_assert_uint_eq(b[0x13], 0xE0U);

    memset(r, 0xFF, sizeof(r));
    ferry_cpl_decode(&c, r);
    ck_assert_uint_eq(c.index, 0xFFFFU);
    ck_assert_uint_eq(c.status, 0xFFU);
    ck_assert(c.phase);
    ck_assert_uint_eq(c.bytes, 0xFFFFFFFFU);
    ck_assert_uint_eq(c.tag, 0xFFFFU);
    r[3] = 0x7F; /* reserved bits without the phase bit */
    ferry_cpl_decode(&c, r);
    ck_assert(!c.phase);
}
END_TEST

/* ---- checks ---- */

static struct ferry_desc plain(uint64_t src, uint64_t dst, uint32_t len)
{
    struct ferry_desc d;

    memset(&d, 0, sizeof(d));
    d.src = src;
    d.dst = dst;
    d.len = len;
    return d;
}

static struct ferry_desc two_d(uint64_t src, uint64_t dst, uint32_t len, uint16_t rows, uint32_t ss,
                               uint32_t ds)
{
    struct ferry_desc d = plain(src, dst, len);

    d.flags = FERRY_DESC_TWO_D;
    d.rows = rows;
    d.src_stride = ss;
    d.dst_stride = ds;
    return d;
}

START_TEST(test_check_reserved)
{
    struct ferry_desc d;

    for (unsigned bit = 0; bit < 8; bit++) {
        if ((FERRY_DESC_FLAGS_RESERVED >> bit & 1U) == 0U) {
            continue;
        }
        d = plain(0x1000, 0x2000, 16);
        d.flags = (uint8_t)(1U << bit);
        ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_DESC_RESERVED);
    }
    d = plain(0x1000, 0x2000, 16);
    d.rows = 1;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_DESC_RESERVED);
    d = plain(0x1000, 0x2000, 16);
    d.src_stride = 64;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_DESC_RESERVED);
    d = plain(0x1000, 0x2000, 16);
    d.dst_stride = 64;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_DESC_RESERVED);
    /* a stride with the fixed flag of its side */
    d = two_d(0x1000, 0x2000, 16, 2, 64, 0);
    d.flags |= FERRY_DESC_SRC_FIXED;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_DESC_RESERVED);
    d = two_d(0x1000, 0x2000, 16, 2, 0, 64);
    d.flags |= FERRY_DESC_DST_FIXED;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_DESC_RESERVED);
    /* ... but a stride on the other side is fine */
    d = two_d(0x1000, 0x2000, 16, 2, 0, 64);
    d.flags |= FERRY_DESC_SRC_FIXED;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
    /* EOP and IRQ are not reserved */
    d = plain(0x1000, 0x2000, 16);
    d.flags = FERRY_DESC_EOP | FERRY_DESC_IRQ;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
    /* reserved wins over every later check */
    d = plain(0xFFFFFFFFFFFFFFF0ULL, 0x3, 0);
    d.flags = 0x80U | FERRY_DESC_DST_FIXED;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 32), FERRY_ERR_DESC_RESERVED);
}
END_TEST

START_TEST(test_check_len_zero)
{
    struct ferry_desc d = plain(0x1000, 0x2000, 0);

    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_LEN_ZERO);
    d = two_d(0x1000, 0x2000, 16, 0, 0, 0);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_LEN_ZERO);
    d = two_d(0x1000, 0x2000, 0, 4, 16, 16);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_LEN_ZERO);
    /* a len above 24 bits is encoded as LEN 0: 0x1000000 and 0x1000010 alike */
    d = plain(0x1000, 0x2000, 0x1000000U);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_LEN_ZERO);
    d = plain(0x1000, 0x2000, 0x1000010U);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_LEN_ZERO);
    /* zero length before alignment and range */
    d = plain(0x3, 0xFFFFFFFFULL, 0);
    d.flags = FERRY_DESC_SRC_FIXED;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 32), FERRY_ERR_LEN_ZERO);
    d = plain(0x1000, 0x2000, 1);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
    d = plain(0x1000, 0x2000, FERRY_DESC_LEN_MAX);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
}
END_TEST

START_TEST(test_check_fixed_align)
{
    static const unsigned widths[] = {4, 8, 16, 32, 64};

    for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
        const unsigned bw = widths[w];
        struct ferry_desc d = plain(0x1000, 0x2000, 100);

        d.flags = FERRY_DESC_SRC_FIXED;
        ck_assert_uint_eq(ferry_ref_check(&d, bw, 64), FERRY_ERR_NONE);
        d.src = 0x1000 + bw / 2U;
        ck_assert_uint_eq(ferry_ref_check(&d, bw, 64), FERRY_ERR_FIXED_ALIGN);
        d.src = 0x1000 + bw;
        ck_assert_uint_eq(ferry_ref_check(&d, bw, 64), FERRY_ERR_NONE);
        d = plain(0x1001, 0x2000, 100);
        d.flags = FERRY_DESC_DST_FIXED;
        ck_assert_uint_eq(ferry_ref_check(&d, bw, 64), FERRY_ERR_NONE); /* the source may be unaligned */
        d.dst = 0x2000 + bw - 1U;
        ck_assert_uint_eq(ferry_ref_check(&d, bw, 64), FERRY_ERR_FIXED_ALIGN);
        /* a misaligned address without the fixed flag is fine */
        d.flags = 0;
        ck_assert_uint_eq(ferry_ref_check(&d, bw, 64), FERRY_ERR_NONE);
    }
    /* alignment before range */
    struct ferry_desc d = plain(0xFFFFFFF4ULL, 0x2000, 100);
    d.flags = FERRY_DESC_SRC_FIXED;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 32), FERRY_ERR_FIXED_ALIGN);
}
END_TEST

START_TEST(test_check_addr_range)
{
    struct ferry_desc d;

    /* 32-bit addresses: the last byte at 2^32 - 1 is fine, at 2^32 not */
    d = plain(0xFFFFFF00ULL, 0x1000, 0x100);
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_NONE);
    d.len = 0x101;
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_ADDR_RANGE);
    d = plain(0x1000, 0xFFFFFF00ULL, 0x101);
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_ADDR_RANGE);
    d = plain(0x100000000ULL, 0x1000, 1);
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_ADDR_RANGE);
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 33), FERRY_ERR_NONE);
    /* 64-bit addresses: up to the very last byte */
    d = plain(UINT64_MAX, 0x1000, 1);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
    d.len = 2;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_ADDR_RANGE);
    d = plain(0x1000, UINT64_MAX - 0xFFFFFEULL, FERRY_DESC_LEN_MAX);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
    d.dst++;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_ADDR_RANGE);
    /* 2D: the last row's start + LEN decides */
    d = two_d(0x1000, 0xFFFF0000ULL, 0x100, 0x100, 0x100, 0x100);
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_NONE); /* last row ends at 2^32 */
    d.dst_stride = 0x101;
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_ADDR_RANGE);
    d = two_d(0xFFFF0000ULL, 0x1000, 0x100, 0x100, 0x100, 0x100);
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_NONE);
    d.len = 0x101;
    ck_assert_uint_eq(ferry_ref_check(&d, 4, 32), FERRY_ERR_ADDR_RANGE);
    /* largest shape: 65535 rows of 2^32 - 1 stride; the sum overflows 64 bits */
    const uint64_t span = 0xFFFEULL * 0xFFFFFFFFULL; /* 0xFFFD_FFFF_0002 */
    d = two_d(0x1000, 0x1000, 16, 0xFFFF, 0xFFFFFFFFU, 0);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 48), FERRY_ERR_NONE); /* ends at 0xFFFE_0000_1012 */
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 47), FERRY_ERR_ADDR_RANGE);
    d.src = (1ULL << 48) - span - 16U;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 48), FERRY_ERR_NONE); /* ends exactly at 2^48 */
    d.src++;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 48), FERRY_ERR_ADDR_RANGE);
    d.src = UINT64_MAX - span - 16U + 2U; /* start + span + 16 = 2^64 + 1 */
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_ADDR_RANGE);
    d.src--;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_NONE);
    d.src = UINT64_MAX - 0x10U; /* start + span overflows by itself */
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 64), FERRY_ERR_ADDR_RANGE);
    /* a fixed side counts LEN from its address too (the last row's start + LEN) */
    d = plain(0xFFFFFFC0ULL, 0x1000, 0x40);
    d.flags = FERRY_DESC_SRC_FIXED;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 32), FERRY_ERR_NONE);
    d.len = 0x48;
    ck_assert_uint_eq(ferry_ref_check(&d, 8, 32), FERRY_ERR_ADDR_RANGE);
}
END_TEST

/* ---- reference model on a small memory ---- */

#define MEM_BASE ((uint64_t)0x10000U)
#define MEM_SIZE 0x4000U

struct bytemem {
    uint8_t b[MEM_SIZE];
    unsigned reads, writes;
};

static void bm_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    struct bytemem *m = ctx;

    ck_assert_msg(addr >= MEM_BASE && addr - MEM_BASE + len <= MEM_SIZE, "read 0x%" PRIx64 "+%zu outside",
                  addr, len);
    memcpy(buf, &m->b[addr - MEM_BASE], len);
    m->reads++;
}

static void bm_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
    struct bytemem *m = ctx;

    ck_assert_msg(addr >= MEM_BASE && addr - MEM_BASE + len <= MEM_SIZE,
                  "write 0x%" PRIx64 "+%zu outside", addr, len);
    memcpy(&m->b[addr - MEM_BASE], buf, len);
    m->writes++;
}

static struct bytemem g_mem, g_want;

static struct ferry_ref_mem mem_of(struct bytemem *m)
{
    struct ferry_ref_mem r = {.ctx = m, .read = bm_read, .write = bm_write};
    return r;
}

static void mem_fill(void)
{
    for (unsigned i = 0; i < MEM_SIZE; i++) {
        g_mem.b[i] = (uint8_t)(i * 7U + (i >> 8) + 1U);
    }
    g_mem.reads = g_mem.writes = 0;
    g_want = g_mem;
}

static uint8_t *at(struct bytemem *m, uint64_t addr)
{
    return &m->b[addr - MEM_BASE];
}

static void assert_mem(void)
{
    for (unsigned i = 0; i < MEM_SIZE; i++) {
        ck_assert_msg(g_mem.b[i] == g_want.b[i], "byte 0x%" PRIx64 " is 0x%02x, expected 0x%02x",
                      MEM_BASE + i, g_mem.b[i], g_want.b[i]);
    }
}

START_TEST(test_apply_plain)
{
    struct ferry_ref_mem rm = mem_of(&g_mem);
    struct ferry_desc d = plain(MEM_BASE + 0x103, MEM_BASE + 0x2001, 1000);

    mem_fill();
    memmove(at(&g_want, d.dst), at(&g_want, d.src), d.len);
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 1000U);
    assert_mem();
    /* one byte */
    d = plain(MEM_BASE + 7, MEM_BASE + 0x3FFF, 1);
    *at(&g_want, d.dst) = *at(&g_want, d.src);
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 1U);
    assert_mem();
    /* more than one chunk of the model */
    d = plain(MEM_BASE, MEM_BASE + 0x2000, 0x2000);
    memmove(at(&g_want, d.dst), at(&g_want, d.src), d.len);
    ck_assert_uint_eq(ferry_ref_apply(&d, 4, 32, &rm), 0x2000U);
    assert_mem();
}
END_TEST

START_TEST(test_apply_2d)
{
    struct ferry_ref_mem rm = mem_of(&g_mem);
    struct ferry_desc d = ex_d1;

    mem_fill();
    /* the worked example's shape, moved into this memory */
    d.src = MEM_BASE + 0x0003;
    d.dst = MEM_BASE + 0x2000;
    for (unsigned r = 0; r < 3; r++) {
        memcpy(at(&g_want, d.dst + r * 128U), at(&g_want, d.src + r * 256U), 100);
    }
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 300U);
    assert_mem();
    /* the gaps between destination rows are untouched */
    ck_assert_uint_eq(g_mem.b[0x2000 + 100], (uint8_t)((0x2000U + 100U) * 7U + 0x20U + 1U));
}
END_TEST

/* Destination rows overlap each other (stride < LEN) and the source rows
 * read bytes earlier rows wrote: rows act one after another, in order. */
START_TEST(test_apply_2d_overlap)
{
    struct ferry_ref_mem rm = mem_of(&g_mem);
    struct ferry_desc d;

    mem_fill();
    d = two_d(MEM_BASE + 0x100, MEM_BASE + 0x1000, 40, 5, 10, 16);
    for (unsigned r = 0; r < 5; r++) {
        uint8_t row[40];
        memcpy(row, at(&g_want, d.src + r * 10U), 40);
        memcpy(at(&g_want, d.dst + r * 16U), row, 40);
    }
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 200U);
    assert_mem();
    /* Hand-checked: dst bytes 16..39 of row 0 were overwritten by row 1. */
    ck_assert_uint_eq(*at(&g_mem, MEM_BASE + 0x1000 + 16), *at(&g_want, MEM_BASE + 0x100 + 10));

    /* Source row r + 1 starts inside destination row r: it reads what row r wrote. */
    mem_fill();
    d = two_d(MEM_BASE + 0x200, MEM_BASE + 0x210, 32, 4, 32, 32);
    for (unsigned r = 0; r < 4; r++) {
        uint8_t row[32];
        memcpy(row, at(&g_want, d.src + r * 32U), 32);
        memcpy(at(&g_want, d.dst + r * 32U), row, 32);
    }
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 128U);
    assert_mem();
    /* ... so row 1 wrote at 0x230 the original bytes at 0x210 that row 0 had
     * moved to 0x220 (fill pattern: byte at offset o is o * 7 + (o >> 8) + 1) */
    for (unsigned i = 0; i < 16; i++) {
        ck_assert_uint_eq(*at(&g_mem, MEM_BASE + 0x230 + i), (uint8_t)((0x210U + i) * 7U + 2U + 1U));
        ck_assert_uint_eq(*at(&g_mem, MEM_BASE + 0x230 + i), *at(&g_mem, MEM_BASE + 0x220 + i));
    }
    /* zero strides: every row reads and writes the same bytes */
    mem_fill();
    d = two_d(MEM_BASE + 0x300, MEM_BASE + 0x305, 8, 3, 0, 0);
    for (unsigned r = 0; r < 3; r++) {
        uint8_t row[8];
        memcpy(row, at(&g_want, d.src), 8);
        memcpy(at(&g_want, d.dst), row, 8);
    }
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 24U);
    assert_mem();
}
END_TEST

START_TEST(test_apply_src_fixed)
{
    struct ferry_ref_mem rm = mem_of(&g_mem);
    struct ferry_desc d;
    static const unsigned widths[] = {4, 8, 16, 32, 64};

    for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
        const unsigned bw = widths[w];

        mem_fill();
        d = plain(MEM_BASE + 0x400, MEM_BASE + 0x1003, 5000);
        d.flags = FERRY_DESC_SRC_FIXED;
        for (unsigned i = 0; i < d.len; i++) {
            *at(&g_want, d.dst + i) = *at(&g_want, d.src + i % bw);
        }
        ck_assert_uint_eq(ferry_ref_apply(&d, bw, 64, &rm), 5000U);
        assert_mem();
        /* shorter than one beat */
        d.len = bw / 2U + 1U;
        d.src = MEM_BASE + 0x800;
        for (unsigned i = 0; i < d.len; i++) {
            *at(&g_want, d.dst + i) = *at(&g_want, d.src + i);
        }
        ck_assert_uint_eq(ferry_ref_apply(&d, bw, 64, &rm), d.len);
        assert_mem();
    }
    /* 2D, fixed source, strided destination */
    mem_fill();
    d = two_d(MEM_BASE + 0x40, MEM_BASE + 0x2002, 12, 3, 0, 100);
    d.flags |= FERRY_DESC_SRC_FIXED;
    for (unsigned r = 0; r < 3; r++) {
        for (unsigned i = 0; i < 12; i++) {
            *at(&g_want, d.dst + r * 100U + i) = *at(&g_want, d.src + i % 8U);
        }
    }
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 36U);
    assert_mem();
}
END_TEST

START_TEST(test_apply_dst_fixed)
{
    struct ferry_ref_mem rm = mem_of(&g_mem);
    struct ferry_desc d;
    static const unsigned widths[] = {4, 8, 16, 32, 64};

    for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
        const unsigned bw = widths[w];

        mem_fill();
        d = plain(MEM_BASE + 0x101, MEM_BASE + 0x3000, 4097 + bw / 2U); /* last beat partial */
        d.flags = FERRY_DESC_DST_FIXED;
        for (unsigned i = 0; i < d.len; i++) {
            *at(&g_want, d.dst + i % bw) = *at(&g_want, d.src + i);
        }
        ck_assert_uint_eq(ferry_ref_apply(&d, bw, 64, &rm), d.len);
        assert_mem();
        /* hand-checked: lane 0 holds the byte of the last beat, upper lanes the one before */
        const unsigned last_beat = (d.len - 1U) / bw * bw;
        ck_assert_uint_eq(*at(&g_mem, d.dst), *at(&g_mem, d.src + last_beat));
        ck_assert_uint_eq(*at(&g_mem, d.dst + bw - 1U), *at(&g_mem, d.src + last_beat - 1U));
    }
    /* 2D, strided source, fixed destination */
    mem_fill();
    d = two_d(MEM_BASE + 0x10, MEM_BASE + 0x3800, 20, 4, 64, 0);
    d.flags |= FERRY_DESC_DST_FIXED;
    for (unsigned r = 0; r < 4; r++) {
        for (unsigned i = 0; i < 20; i++) {
            *at(&g_want, d.dst + i % 16U) = *at(&g_want, d.src + r * 64U + i);
        }
    }
    ck_assert_uint_eq(ferry_ref_apply(&d, 16, 64, &rm), 80U);
    assert_mem();
    /* both sides fixed */
    mem_fill();
    d = plain(MEM_BASE + 0x80, MEM_BASE + 0x3900, 100);
    d.flags = FERRY_DESC_SRC_FIXED | FERRY_DESC_DST_FIXED;
    for (unsigned i = 0; i < 100; i++) {
        *at(&g_want, d.dst + i % 32U) = *at(&g_want, d.src + i % 32U);
    }
    ck_assert_uint_eq(ferry_ref_apply(&d, 32, 64, &rm), 100U);
    assert_mem();
}
END_TEST

START_TEST(test_apply_rejected)
{
    struct ferry_ref_mem rm = mem_of(&g_mem);
    struct ferry_desc d;

    mem_fill();
    d = plain(MEM_BASE, MEM_BASE + 0x100, 0);
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 0U);
    d = plain(MEM_BASE, MEM_BASE + 0x100, 16);
    d.flags = 0x80;
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 0U);
    d = plain(MEM_BASE, MEM_BASE + 0x101, 16);
    d.flags = FERRY_DESC_DST_FIXED;
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 0U);
    d = two_d(MEM_BASE, MEM_BASE + 0x100, 16, 0, 0, 0);
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, &rm), 0U);
    ck_assert_uint_eq(ferry_ref_apply(NULL, 8, 64, &rm), 0U);
    ck_assert_uint_eq(ferry_ref_apply(&d, 8, 64, NULL), 0U);
    ck_assert_uint_eq(g_mem.reads, 0U);
    ck_assert_uint_eq(g_mem.writes, 0U);
    assert_mem();
}
END_TEST

static Suite *desc_suite(void)
{
    Suite *s = suite_create("desc");
    TCase *tc = tcase_create("encode");

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_example_encode);
    UNIT_ADD_TEST(tc, test_example_decode);
    UNIT_ADD_TEST(tc, test_roundtrip_desc);
    UNIT_ADD_TEST(tc, test_roundtrip_cpl);
    UNIT_ADD_TEST(tc, test_encode_edges);
    suite_add_tcase(s, tc);

    tc = tcase_create("check");
    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_check_reserved);
    UNIT_ADD_TEST(tc, test_check_len_zero);
    UNIT_ADD_TEST(tc, test_check_fixed_align);
    UNIT_ADD_TEST(tc, test_check_addr_range);
    suite_add_tcase(s, tc);

    tc = tcase_create("apply");
    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_apply_plain);
    UNIT_ADD_TEST(tc, test_apply_2d);
    UNIT_ADD_TEST(tc, test_apply_2d_overlap);
    UNIT_ADD_TEST(tc, test_apply_src_fixed);
    UNIT_ADD_TEST(tc, test_apply_dst_fixed);
    UNIT_ADD_TEST(tc, test_apply_rejected);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    (void)argc;
    return unit_run(argv[0], desc_suite());
}
