/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_driver: the ferry driver core (sw/lib/ferry.c) through the sim port
 * against the Verilated ferry_top, plus a fake platform for the cases no RTL
 * can produce (bad magic, wrong version).
 *
 * Every test builds a fresh model with tb_config_random(SEED) (env SEED,
 * default 1; printed at start). Device semantics: docs/registers.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/ferry.h"
#include "ferry/ferry_regs.h"
#include "ferry_port_sim.h"
#include "tb.h"
#include "unit.h"

#ifndef FERRY_ADDR_WIDTH
#define FERRY_ADDR_WIDTH 64
#endif

#define TEST_TIMEOUT_S 120
#define WAIT_US 200000U    /* 50 M simulated cycles: far beyond any transfer here */
#define POLL_BUDGET 10000U /* STATUS reads before a transfer counts as hung */
#define GUARD 0xA5U
#define GUARD_LEN 16U

static uint64_t g_seed = 1;

struct env {
    tb_t *tb;
    struct ferry_sim *sim;
    struct ferry_dev dev;
    unsigned reads, writes; /* counted by the trace hook */
};

static void count_trace(void *user, uint32_t off, uint32_t val, enum ferry_trace_dir dir)
{
    struct env *e = user;

    (void)off;
    (void)val;
    if (dir == FERRY_TRACE_WRITE) {
        e->writes++;
    } else {
        e->reads++;
    }
}

static void env_open(struct env *e)
{
    tb_config_t cfg;
    ferry_status st;

    memset(e, 0, sizeof(*e));
    tb_config_random(&cfg, g_seed);
    e->tb = tb_new(&cfg);
    ck_assert_msg(e->tb != NULL, "tb_new failed (seed %" PRIu64 ")", g_seed);
    e->sim = ferry_sim_new(e->tb);
    ck_assert_ptr_nonnull(e->sim);
    st = ferry_probe(&e->dev, ferry_sim_platform(e->sim));
    ck_assert_msg(st == FERRY_OK, "probe: %s", ferry_status_str(st));
    ferry_set_trace(&e->dev, count_trace, e);
}

static void env_close(struct env *e)
{
    ck_assert_msg(tb_error(e->tb) == NULL, "bus protocol error: %s", tb_error(e->tb) ? tb_error(e->tb) : "");
    ck_assert_msg(ferry_sim_bad_resp_count(e->sim) == 0U, "%" PRIu64 " register accesses not OKAY",
                  ferry_sim_bad_resp_count(e->sim));
    ferry_sim_free(e->sim);
    tb_free(e->tb);
}

static struct ferry_dma_mem alloc(struct env *e, size_t size)
{
    struct ferry_dma_mem m;
    ferry_status st = ferry_dma_alloc(&e->dev, size, 4096, &m);

    ck_assert_msg(st == FERRY_OK, "dma alloc %zu: %s", size, ferry_status_str(st));
    return m;
}

static void fill(uint8_t *p, size_t n, uint32_t salt)
{
    uint32_t x = salt * 2654435761U + 1U;

    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 8);
    }
}

/* First differing offset, or -1. */
static long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return (long)i;
        }
    }
    return -1;
}

/* Copies len bytes and checks them; returns after the device is idle and clean. */
static void good_copy(struct env *e, unsigned ch, size_t len)
{
    struct ferry_dma_mem src = alloc(e, len), dst = alloc(e, len);
    struct ferry_result res;
    ferry_status st;
    long d;

    fill(src.cpu, len, (uint32_t)len + ch);
    memset(dst.cpu, 0, len);
    st = ferry_copy(&e->dev, ch, src.bus, dst.bus, len, WAIT_US, &res);
    ck_assert_msg(st == FERRY_OK, "good copy of %zu on ch %u: %s (ERR_CODE %s)", len, ch, ferry_status_str(st),
                  st == FERRY_E_DEVICE ? ferry_err_str(res.err_code) : "-");
    ck_assert_uint_eq(res.bytes, len);
    ck_assert_uint_eq(res.err_code, FERRY_ERR_NONE);
    d = first_diff(src.cpu, dst.cpu, len);
    ck_assert_msg(d < 0, "good copy: byte %ld differs", d);
    ck_assert_uint_eq(ferry_read32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_STATUS)), 0U);
    ferry_dma_free(&e->dev, &src);
    ferry_dma_free(&e->dev, &dst);
}

static uint32_t wait_idle(struct env *e, unsigned ch)
{
    for (unsigned i = 0; i < POLL_BUDGET; i++) {
        uint32_t s = ferry_read32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
        if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 0U) {
            return s;
        }
    }
    ck_abort_msg("channel %u still BUSY after %u STATUS reads (seed %" PRIu64 ")", ch, POLL_BUDGET, g_seed);
    return 0;
}

static void program(struct env *e, unsigned ch, uint64_t src, uint64_t dst, uint32_t len)
{
    ferry_write32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_SRC_LO), (uint32_t)src);
    ferry_write32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_SRC_HI), (uint32_t)(src >> 32));
    ferry_write32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_DST_LO), (uint32_t)dst);
    ferry_write32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_DST_HI), (uint32_t)(dst >> 32));
    ferry_write32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_LEN), len);
}

/* ---- fake platform: registers from a table, no RTL ---- */

struct fake {
    uint32_t id, version;
    unsigned reads, writes;
    bool ring;  /* CAP1.RING */
    bool dead;  /* every read answers all ones, as PCIe does once the card is gone */
    unsigned die_at_write; /* nonzero: dead from the write with this 0-based index on */
    unsigned allocs, frees;
};

static uint32_t fake_read(void *ctx, uint32_t off)
{
    struct fake *f = ctx;

    f->reads++;
    if (f->dead) {
        return 0xFFFFFFFFU;
    }
    switch (off) {
    case FERRY_REG_ID:
        return f->id;
    case FERRY_REG_IF_VERSION:
        return f->version;
    case FERRY_REG_CAP0:
        return FERRY_FIELD_PREP(FERRY_CAP0_CHANNELS, 2U) | FERRY_FIELD_PREP(FERRY_CAP0_DATA_BYTES, 8U) |
               FERRY_FIELD_PREP(FERRY_CAP0_ADDR_WIDTH, 48U);
    case FERRY_REG_CAP1:
        return FERRY_FIELD_PREP(FERRY_CAP1_MAX_BURST, 16U) | FERRY_FIELD_PREP(FERRY_CAP1_MAX_OUTSTANDING, 4U) |
               FERRY_CAP1_DIRECT_MASK | (f->ring ? FERRY_CAP1_RING_MASK : 0U);
    default:
        return 0x5A5A5A5AU ^ off; /* garbage */
    }
}

static void fake_write(void *ctx, uint32_t off, uint32_t val)
{
    struct fake *f = ctx;

    (void)off;
    (void)val;
    if (f->die_at_write != 0U && f->writes == f->die_at_write) {
        f->dead = true;
    }
    f->writes++;
}

static int fake_alloc(void *ctx, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    struct fake *f = ctx;

    (void)align;
    f->allocs++;
    mem->cpu = calloc(1, size);
    mem->bus = 0x100000U;
    mem->size = size;
    mem->handle = NULL;
    return mem->cpu == NULL;
}

static void fake_free(void *ctx, struct ferry_dma_mem *mem)
{
    struct fake *f = ctx;

    f->frees++;
    free(mem->cpu);
    mem->cpu = NULL;
}

static ferry_status fake_probe(struct fake *f, struct ferry_dev *dev)
{
    struct ferry_platform p;

    memset(&p, 0, sizeof(p));
    p.ctx = f;
    p.reg_read = fake_read;
    p.reg_write = fake_write;
    p.dma_alloc = fake_alloc;
    p.dma_free = fake_free;
    return ferry_probe(dev, &p);
}

/* A card that stops answering after probe (link down, reset, surprise
 * removal) reads all ones: every call that reads STATUS says FERRY_E_IO
 * instead of BUSY forever or a timeout, and writes nothing first. */
START_TEST(test_dead_device)
{
    struct ferry_dev dev;
    struct ferry_result res;
    struct ferry_ring ring;
    struct fake f;

    memset(&f, 0, sizeof(f));
    f.id = FERRY_MAGIC;
    f.version = 0x00010000U;
    f.ring = true;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_OK);
    f.dead = true;
    f.writes = 0;
    ck_assert_int_eq(ferry_copy_start(&dev, 0, 0x1000, 0x2000, 16), FERRY_E_IO);
    ck_assert_uint_eq(f.writes, 0);
    ck_assert_int_eq(ferry_copy_poll(&dev, 1, &res), FERRY_E_IO);
    ck_assert_int_eq(ferry_copy_wait(&dev, 0, 1000, &res), FERRY_E_IO);
    ck_assert_uint_eq(f.writes, 0);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 4, &ring), FERRY_E_IO);
    ck_assert_uint_eq(f.writes, 0);
    /* alive for the enable, gone when it is checked: E_IO, memory freed */
    f.dead = false;
    f.die_at_write = 6; /* writes: STATUS w1c, RING_BASE x2, CPL_BASE x2, IRQ_ENABLE, RING_CTRL (6) */
    f.writes = 0;
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 4, &ring), FERRY_E_IO);
    ck_assert(f.dead);
    ck_assert_uint_eq(f.allocs, f.frees);
    ck_assert_uint_eq(f.allocs, 2);
    ck_assert_str_eq(ferry_status_str(FERRY_E_IO), "FERRY_E_IO (device does not answer: a register read all ones)");
}
END_TEST

START_TEST(test_probe_fake)
{
    struct ferry_dev dev;
    struct fake f;
    struct ferry_platform none;
    ferry_status st;
    static const uint32_t bad_ids[] = {0xDEADBEEFU, 0xFFFFFFFFU, 0U, 0x59525246U /* byte-swapped magic */};

    for (unsigned i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
        memset(&f, 0, sizeof(f));
        f.id = bad_ids[i];
        f.version = 0x00010000U;
        st = fake_probe(&f, &dev);
        ck_assert_msg(st == FERRY_E_NODEV, "ID 0x%08" PRIX32 ": %s, want FERRY_E_NODEV", bad_ids[i],
                      ferry_status_str(st));
        ck_assert_uint_eq(f.writes, 0);
        /* an unprobed device refuses everything without touching it */
        f.reads = 0;
        ck_assert_int_eq(ferry_copy_start(&dev, 0, 0x1000, 0x2000, 16), FERRY_E_NOTPROBED);
        ck_assert_int_eq(ferry_irq_enable(&dev, 0, true), FERRY_E_NOTPROBED);
        ck_assert_uint_eq(f.reads + f.writes, 0);
    }
    /* right magic, other major: unsupported; minor changes are fine */
    memset(&f, 0, sizeof(f));
    f.id = FERRY_MAGIC;
    f.version = 0x00020000U;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_VERSION);
    f.version = 0x00000003U;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_VERSION);
    f.version = 0x00010007U;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_OK);
    ck_assert_uint_eq(f.writes, 0);
    ck_assert_uint_eq(ferry_caps(&dev)->version_minor, 7);
    ck_assert_uint_eq(ferry_caps(&dev)->channels, 2);
    ck_assert_uint_eq(ferry_caps(&dev)->addr_width, 48);
    ck_assert_uint_eq(ferry_caps(&dev)->max_burst, 16);
    ck_assert(ferry_caps(&dev)->direct);
    /* 48-bit addresses: ranges past 2^48 are refused before any access */
    f.reads = 0;
    ck_assert_int_eq(ferry_copy_start(&dev, 0, (1ULL << 48) - 8U, 0x1000, 16), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&dev, 1, 0x1000, 1ULL << 48, 1), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&dev, 2, 0x1000, 0x2000, 1), FERRY_E_INVAL);
    ck_assert_uint_eq(f.reads + f.writes, 0);
    /* bad arguments to probe itself */
    memset(&none, 0, sizeof(none));
    ck_assert_int_eq(ferry_probe(NULL, &none), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_probe(&dev, NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_probe(&dev, &none), FERRY_E_INVAL);
}
END_TEST

START_TEST(test_status_strings)
{
    ck_assert_str_eq(ferry_status_str(FERRY_OK), "FERRY_OK");
    for (int s = FERRY_OK; s >= FERRY_E_IO; s--) {
        ck_assert_ptr_nonnull(ferry_status_str((ferry_status)s));
        ck_assert_msg(strstr(ferry_status_str((ferry_status)s), "unknown") == NULL, "status %d has no name", s);
    }
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_NONE), "NONE");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_LEN_ZERO), "LEN_ZERO");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_ADDR_RANGE), "ADDR_RANGE");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_WR_RESP), "WR_RESP");
    ck_assert_str_eq(ferry_err_str(200U), "UNKNOWN");
}
END_TEST

START_TEST(test_probe_sim)
{
    struct env e;
    const struct ferry_caps *c;

    env_open(&e);
    c = ferry_caps(&e.dev);
    ck_assert_uint_eq(c->id, FERRY_MAGIC);
    ck_assert_uint_eq(c->version_major, FERRY_IF_VERSION_MAJOR);
    ck_assert_uint_eq(c->channels, tb_num_channels(e.tb));
    ck_assert_uint_eq(c->data_bytes, tb_data_bytes(e.tb));
    ck_assert_uint_eq(c->addr_width, FERRY_ADDR_WIDTH);
    ck_assert(c->direct);
    ck_assert_uint_eq(ferry_sim_write_count(e.sim), 0); /* probe only reads */
    ck_assert_uint_eq(ferry_sim_read_count(e.sim), 4);
    good_copy(&e, 0, 100);
    env_close(&e);
}
END_TEST

START_TEST(test_bad_arguments)
{
    struct env e;
    struct ferry_result res;
    struct ferry_dma_mem m;
    unsigned nch;
    uint64_t top;

    env_open(&e);
    nch = ferry_caps(&e.dev)->channels;
    top = FERRY_ADDR_WIDTH >= 64 ? 0 : 1ULL << FERRY_ADDR_WIDTH; /* 2^ADDR_WIDTH (0 = 2^64) */
    e.reads = e.writes = 0;
    ferry_sim_clear_counts(e.sim);

    ck_assert_int_eq(ferry_copy_start(&e.dev, nch, 0x1000, 0x2000, 16), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 1000, 0x1000, 0x2000, 16), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, 0x1000, 0x2000, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, 0x1000, 0x2000, 0x100000000ULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, 0x1000, 0x2000, UINT64_MAX), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, top - 0x10U, 0x2000, 0x20), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, 0x1000, top - 0x10U, 0x20), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, top - 1U, 0x2000, 2), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, 0x1000, UINT64_MAX, 0xFFFFFFFFULL), FERRY_E_INVAL);
    if (FERRY_ADDR_WIDTH < 64) {
        ck_assert_int_eq(ferry_copy_start(&e.dev, 0, top, 0x2000, 1), FERRY_E_INVAL);
    }
    ck_assert_int_eq(ferry_copy_start(NULL, 0, 0x1000, 0x2000, 16), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy(&e.dev, 0, 0x1000, 0x2000, 0, WAIT_US, &res), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_poll(&e.dev, nch, &res), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_copy_wait(&e.dev, nch, WAIT_US, &res), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_irq_enable(&e.dev, nch, true), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_dma_alloc(&e.dev, 0, 4096, &m), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_dma_alloc(&e.dev, 4096, 3000, &m), FERRY_E_INVAL);

    ck_assert_msg(e.reads == 0 && e.writes == 0, "bad arguments touched hardware: %u reads, %u writes", e.reads,
                  e.writes);
    ck_assert_uint_eq(ferry_sim_read_count(e.sim) + ferry_sim_write_count(e.sim), 0);
    good_copy(&e, 0, 64);
    env_close(&e);
}
END_TEST

/* 1..64 bytes at every source and destination alignment 0..7, with the copy
 * straddling a 4 KiB page boundary and guard bytes checked on both sides. */
START_TEST(test_copy_sizes_alignments)
{
    struct env e;
    struct ferry_dma_mem src, dst;
    unsigned nch;
    const size_t base = 4096U - 32U; /* copies cross the page boundary at base + 32 */
    unsigned n = 0;

    env_open(&e);
    nch = ferry_caps(&e.dev)->channels;
    ferry_set_trace(&e.dev, NULL, NULL);
    ferry_set_poll_interval(&e.dev, 0);
    src = alloc(&e, 8192);
    dst = alloc(&e, 8192);
    fill(src.cpu, 8192, 7);
    for (unsigned ch = 1; ch < nch; ch += 2) {
        ck_assert_int_eq(ferry_irq_enable(&e.dev, ch, true), FERRY_OK); /* odd channels wait on irq */
    }
    for (size_t len = 1; len <= 64; len++) {
        for (unsigned sa = 0; sa < 8; sa++) {
            for (unsigned da = 0; da < 8; da++) {
                uint8_t *s = (uint8_t *)src.cpu + base + sa;
                uint8_t *d = (uint8_t *)dst.cpu + base + da;
                unsigned ch = n % nch;
                struct ferry_result res;
                ferry_status st;

                memset(d - GUARD_LEN, GUARD, len + 2U * GUARD_LEN);
                st = ferry_copy(&e.dev, ch, src.bus + base + sa, dst.bus + base + da, len, WAIT_US, &res);
                ck_assert_msg(st == FERRY_OK, "len %zu src+%u dst+%u ch %u: %s (ERR_CODE %s), seed %" PRIu64, len,
                              sa, da, ch, ferry_status_str(st), ferry_err_str(res.err_code), g_seed);
                ck_assert_uint_eq(res.bytes, len);
                for (size_t i = 0; i < len; i++) {
                    ck_assert_msg(d[i] == s[i],
                                  "len %zu src+%u dst+%u ch %u: byte %zu is 0x%02X, want 0x%02X (seed %" PRIu64 ")",
                                  len, sa, da, ch, i, d[i], s[i], g_seed);
                }
                for (size_t i = 0; i < GUARD_LEN; i++) {
                    ck_assert_msg(d[-(long)GUARD_LEN + (long)i] == GUARD && d[len + i] == GUARD,
                                  "len %zu src+%u dst+%u ch %u: guard byte %zu around the destination written "
                                  "(seed %" PRIu64 ")",
                                  len, sa, da, ch, i, g_seed);
                }
                n++;
            }
        }
    }
    ck_assert_uint_eq(tb_irq(e.tb), 0U);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    env_close(&e);
}
END_TEST

/* Writes the registers directly, rings, expects ERROR with code and no bus traffic. */
static void expect_rejected(struct env *e, unsigned ch, uint64_t src, uint64_t dst, uint32_t len, uint32_t code)
{
    tb_stats_t before, after;
    struct ferry_result res;
    uint32_t s;

    ck_assert_int_eq(ferry_irq_enable(&e->dev, ch, true), FERRY_OK);
    tb_stats(e->tb, &before);
    program(e, ch, src, dst, len);
    ferry_write32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_CTRL_START_MASK);
    s = wait_idle(e, ch);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) == 1U && FERRY_FIELD_GET(FERRY_STATUS_DONE, s) == 0U,
                  "STATUS 0x%08" PRIX32 ": want ERROR, not DONE", s);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s) == code, "ERR_CODE %" PRIu32 " (%s), want %" PRIu32 " (%s)",
                  FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s), ferry_err_str(FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s)),
                  code, ferry_err_str(code));
    ck_assert_uint_eq(tb_irq(e->tb) >> ch & 1U, 1U);
    tb_step(e->tb, 100);
    tb_stats(e->tb, &after);
    ck_assert_msg(after.ar_count == before.ar_count && after.aw_count == before.aw_count,
                  "rejected transfer made bus traffic: %" PRIu64 " AR, %" PRIu64 " AW",
                  after.ar_count - before.ar_count, after.aw_count - before.aw_count);
    /* the driver reports and clears it */
    ck_assert_int_eq(ferry_copy_wait(&e->dev, ch, WAIT_US, &res), FERRY_E_DEVICE);
    ck_assert_int_eq(res.status, FERRY_E_DEVICE);
    ck_assert_uint_eq(res.err_code, code);
    ck_assert_uint_eq(res.bytes, 0);
    ck_assert_uint_eq(ferry_read32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_STATUS)), 0U);
    ck_assert_uint_eq(tb_irq(e->tb) >> ch & 1U, 0U);
    ck_assert_int_eq(ferry_copy_poll(&e->dev, ch, &res), FERRY_E_IDLE);
}

START_TEST(test_len_zero)
{
    struct env e;

    env_open(&e);
    expect_rejected(&e, 0, 0x10000000, 0x10010000, 0, FERRY_ERR_LEN_ZERO);
    good_copy(&e, 0, 4096 + 3);
    env_close(&e);
}
END_TEST

START_TEST(test_addr_range)
{
    struct env e;
    const uint64_t top = FERRY_ADDR_WIDTH >= 64 ? 0 : 1ULL << FERRY_ADDR_WIDTH;
    unsigned last;

    env_open(&e);
    last = ferry_caps(&e.dev)->channels - 1U;
    expect_rejected(&e, 0, top - 0x10U, 0x10010000, 0x20, FERRY_ERR_ADDR_RANGE);
    good_copy(&e, 0, 77);
    expect_rejected(&e, last, 0x10000000, top - 0x10U, 0x20, FERRY_ERR_ADDR_RANGE);
    expect_rejected(&e, last, 0x10000000, top - 1U, 0xFFFFFFFFU, FERRY_ERR_ADDR_RANGE);
    good_copy(&e, last, 300);
    env_close(&e);
}
END_TEST

/* A range ending exactly at 2^ADDR_WIDTH is legal for driver and device. */
START_TEST(test_addr_top_edge)
{
    struct env e;
    const uint64_t top = FERRY_ADDR_WIDTH >= 64 ? 0 : 1ULL << FERRY_ADDR_WIDTH;
    uint8_t pat[32], got[32];
    struct ferry_dma_mem dst;
    struct ferry_result res;
    ferry_status st;

    env_open(&e);
    fill(pat, sizeof(pat), 99);
    tb_mem_write(e.tb, top - sizeof(pat), pat, sizeof(pat));
    dst = alloc(&e, 4096);
    st = ferry_copy(&e.dev, 0, top - sizeof(pat), dst.bus, sizeof(pat), WAIT_US, &res);
    ck_assert_msg(st == FERRY_OK, "read ending at 2^%d: %s (%s)", FERRY_ADDR_WIDTH, ferry_status_str(st),
                  ferry_err_str(res.err_code));
    ck_assert_mem_eq(dst.cpu, pat, sizeof(pat));
    st = ferry_copy(&e.dev, 0, dst.bus, top - 16U, 16, WAIT_US, &res);
    ck_assert_msg(st == FERRY_OK, "write ending at 2^%d: %s (%s)", FERRY_ADDR_WIDTH, ferry_status_str(st),
                  ferry_err_str(res.err_code));
    tb_mem_read(e.tb, top - 16U, got, 16);
    ck_assert_mem_eq(got, pat, 16);
    ferry_dma_free(&e.dev, &dst);
    good_copy(&e, 0, 33);
    env_close(&e);
}
END_TEST

START_TEST(test_doorbell_overrun)
{
    struct env e;
    const size_t len = 256U * 1024U;
    struct ferry_dma_mem src, dst;
    struct ferry_result res;
    uint32_t s;
    long d;

    env_open(&e);
    src = alloc(&e, len);
    dst = alloc(&e, len);
    fill(src.cpu, len, 256);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, src.bus, dst.bus, len), FERRY_OK);
    /* the driver refuses a second start while busy, writing nothing */
    e.writes = 0;
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, dst.bus, src.bus, 16), FERRY_E_BUSY);
    ck_assert_uint_eq(e.writes, 0);
    /* a raw doorbell while busy is ignored and flagged */
    ferry_write32(&e.dev, FERRY_CH_REG(0, FERRY_CH_CTRL), FERRY_CTRL_START_MASK);
    s = ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS));
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 1U && FERRY_FIELD_GET(FERRY_STATUS_DB_OVERRUN, s) == 1U,
                  "STATUS 0x%08" PRIX32 " after a doorbell while busy: want BUSY and DB_OVERRUN", s);
    ck_assert_int_eq(ferry_copy_poll(&e.dev, 0, &res), FERRY_E_AGAIN);
    ck_assert_int_eq(ferry_copy_wait(&e.dev, 0, WAIT_US, &res), FERRY_OK);
    ck_assert(res.db_overrun);
    ck_assert_uint_eq(res.bytes, len);
    ck_assert_uint_eq(res.err_code, FERRY_ERR_NONE);
    d = first_diff(src.cpu, dst.cpu, len);
    ck_assert_msg(d < 0, "first transfer corrupted at byte %ld", d);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS)), 0U);
    /* nothing else runs: the ignored doorbell did not start a second transfer */
    tb_step(e.tb, 200);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS)), 0U);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    good_copy(&e, 0, 1000);
    env_close(&e);
}
END_TEST

START_TEST(test_irq_wait_and_timeout)
{
    struct env e;
    const size_t len = 64U * 1024U;
    struct ferry_dma_mem src, dst;
    struct ferry_result res;

    env_open(&e);
    src = alloc(&e, len);
    dst = alloc(&e, len);
    fill(src.cpu, len, 64);
    ck_assert_int_eq(ferry_irq_enable(&e.dev, 0, true), FERRY_OK);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_IRQ_ENABLE)),
                      FERRY_IRQ_ENABLE_DONE_MASK | FERRY_IRQ_ENABLE_ERROR_MASK);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, src.bus, dst.bus, len), FERRY_OK);
    ck_assert_int_eq(ferry_copy_wait(&e.dev, 0, 0, &res), FERRY_E_TIMEOUT); /* bounded: 0 us budget */
    ck_assert_int_eq(ferry_copy_wait(&e.dev, 0, WAIT_US, &res), FERRY_OK);
    ck_assert_uint_eq(tb_irq(e.tb) & 1U, 0U); /* cleared by the driver */
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_REG_IRQ_STATUS), 0U);
    ck_assert_int_eq(first_diff(src.cpu, dst.cpu, len), -1);
    ck_assert_int_eq(ferry_irq_enable(&e.dev, 0, false), FERRY_OK);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_IRQ_ENABLE)), 0U);
    ck_assert_int_eq(ferry_copy_poll(&e.dev, 0, &res), FERRY_E_IDLE);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    good_copy(&e, 0, 5);
    env_close(&e);
}
END_TEST

/* Every channel at once: the arbiter shares the mover, all data lands. */
START_TEST(test_all_channels_concurrent)
{
    struct env e;
    struct ferry_dma_mem src[FERRY_MAX_CHANNELS], dst[FERRY_MAX_CHANNELS];
    unsigned nch;

    env_open(&e);
    nch = ferry_caps(&e.dev)->channels;
    for (unsigned ch = 0; ch < nch; ch++) {
        size_t len = ch == 0 ? 128U * 1024U : 64U + 1000U * ch + ch;
        src[ch] = alloc(&e, len);
        dst[ch] = alloc(&e, len);
        fill(src[ch].cpu, len, 1000U + ch);
        ck_assert_int_eq(ferry_irq_enable(&e.dev, ch, (ch & 1U) != 0U), FERRY_OK);
        ck_assert_int_eq(ferry_copy_start(&e.dev, ch, src[ch].bus, dst[ch].bus, len), FERRY_OK);
    }
    for (unsigned ch = nch; ch-- > 0;) {
        struct ferry_result res;
        ferry_status st = ferry_copy_wait(&e.dev, ch, WAIT_US, &res);
        ck_assert_msg(st == FERRY_OK, "ch %u: %s", ch, ferry_status_str(st));
        ck_assert_uint_eq(res.bytes, src[ch].size);
        ck_assert_msg(first_diff(src[ch].cpu, dst[ch].cpu, src[ch].size) < 0, "ch %u: data differs", ch);
        ferry_dma_free(&e.dev, &src[ch]);
        ferry_dma_free(&e.dev, &dst[ch]);
    }
    env_close(&e);
}
END_TEST

static Suite *driver_suite(void)
{
    Suite *s = suite_create("driver");
    TCase *nohw = tcase_create("no_hardware");
    TCase *tc = tcase_create("sim");

    tcase_set_timeout(nohw, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(nohw, test_probe_fake);
    UNIT_ADD_TEST(nohw, test_dead_device);
    UNIT_ADD_TEST(nohw, test_status_strings);
    suite_add_tcase(s, nohw);

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_probe_sim);
    UNIT_ADD_TEST(tc, test_bad_arguments);
    UNIT_ADD_TEST(tc, test_copy_sizes_alignments);
    UNIT_ADD_TEST(tc, test_len_zero);
    UNIT_ADD_TEST(tc, test_addr_range);
    UNIT_ADD_TEST(tc, test_addr_top_edge);
    UNIT_ADD_TEST(tc, test_doorbell_overrun);
    UNIT_ADD_TEST(tc, test_irq_wait_and_timeout);
    UNIT_ADD_TEST(tc, test_all_channels_concurrent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    g_seed = unit_seed();
    return unit_run("test_driver", driver_suite());
}
