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
#include <time.h>

#include "ferry/ferry.h"
#include "ferry/ferry_regs.h"
#include "ferry_port_sim.h"
#include "tb.h"
#include "unit.h"

#ifndef FERRY_ADDR_WIDTH
#define FERRY_ADDR_WIDTH 64
#endif

#ifndef FERRY_H2C_MASK
#define FERRY_H2C_MASK 0
#endif
#ifndef FERRY_C2H_MASK
#define FERRY_C2H_MASK 0
#endif
/* The build has a host-to-card and a card-to-host channel (CFG=stream). */
#define HAVE_STREAMS (FERRY_H2C_MASK != 0 && FERRY_C2H_MASK != 0)
/* Channel ch copies memory to memory in this build. */
#define MEM_CH(ch) ((((FERRY_H2C_MASK | FERRY_C2H_MASK) >> (ch)) & 1U) == 0U)

#define TEST_TIMEOUT_S 120
#define QUICK_TIMEOUT_S 5 /* tests that must not take long whatever the input */
#define STREAM_WAIT_US 20000U /* 5 M cycles: a stream test's longest wait */
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
    bool regfile; /* channel registers read back what regs[] holds (halt tests) */
    unsigned windows, data_bytes; /* CAP1.WINDOWS; CAP0.DATA_BYTES (0 = 8) */
    unsigned addr_width;          /* CAP0.ADDR_WIDTH (0 = 48) */
    uint32_t regs[FERRY_BAR_SIZE / 4U];
    uint32_t ctrl_log[16]; /* CTRL writes of channel 0, in order */
    unsigned nctrl;
    bool dead;  /* every read answers all ones, as PCIe does once the card is gone */
    unsigned die_at_write; /* nonzero: dead from the write with this 0-based index on */
    unsigned allocs, frees;
    uint32_t cap2; /* CAP2 (read by probe from interface 2.1 on) */
    unsigned cap2_reads;
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
        return FERRY_FIELD_PREP(FERRY_CAP0_CHANNELS, 2U) |
               FERRY_FIELD_PREP(FERRY_CAP0_DATA_BYTES, f->data_bytes != 0U ? f->data_bytes : 8U) |
               FERRY_FIELD_PREP(FERRY_CAP0_ADDR_WIDTH, f->addr_width != 0U ? f->addr_width : 48U);
    case FERRY_REG_CAP1:
        return FERRY_FIELD_PREP(FERRY_CAP1_MAX_BURST, 16U) | FERRY_FIELD_PREP(FERRY_CAP1_MAX_OUTSTANDING, 4U) |
               FERRY_FIELD_PREP(FERRY_CAP1_WINDOWS, f->windows) | FERRY_CAP1_DIRECT_MASK |
               (f->ring ? FERRY_CAP1_RING_MASK : 0U);
    case FERRY_REG_CAP2:
        f->cap2_reads++;
        return f->cap2;
    default:
        if (f->regfile && off < FERRY_BAR_SIZE) {
            return f->regs[off / 4U];
        }
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
    if (!f->regfile || off >= FERRY_BAR_SIZE) {
        return;
    }
    if (off == FERRY_CH_REG(0, FERRY_CH_STATUS)) {
        f->regs[off / 4U] &= ~(val & (FERRY_STATUS_DONE_MASK | FERRY_STATUS_ERROR_MASK |
                                      FERRY_STATUS_DB_OVERRUN_MASK | FERRY_STATUS_CPL_MASK));
        if ((f->regs[off / 4U] & FERRY_STATUS_ERROR_MASK) == 0U) {
            f->regs[off / 4U] &= ~FERRY_STATUS_ERR_CODE_MASK; /* clearing ERROR clears ERR_CODE */
        }
    } else if (off == FERRY_CH_REG(0, FERRY_CH_CTRL)) {
        if (f->nctrl < sizeof(f->ctrl_log) / sizeof(f->ctrl_log[0])) {
            f->ctrl_log[f->nctrl++] = val;
        }
    } else if (off == FERRY_CH_REG(0, FERRY_CH_RING_CTRL)) {
        uint32_t *st = &f->regs[FERRY_CH_REG(0, FERRY_CH_STATUS) / 4U];
        f->regs[off / 4U] = val;
        *st = (val & FERRY_RING_CTRL_ENABLE_MASK) != 0U ? *st | FERRY_STATUS_RING_ACTIVE_MASK
                                                        : *st & ~(FERRY_STATUS_RING_ACTIVE_MASK | FERRY_STATUS_HALTED_MASK);
    } else {
        f->regs[off / 4U] = val;
    }
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
    f.version = 0x00020000U;
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
    ck_assert_int_eq(ferry_irq_enable(&dev, 0, true), FERRY_E_IO); /* reads IRQ_ENABLE first */
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
        f.version = 0x00020000U;
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
    f.version = 0x00030000U;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_VERSION);
    f.version = 0x00010000U; /* interface 1.x: the record layout and the error model changed */
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_VERSION);
    f.version = 0x00000003U;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_VERSION);
    f.version = 0x00020007U;
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
    /* ID, IF_VERSION, CAP0, CAP1 and (interface 2.1) CAP2 */
    ck_assert_uint_eq(c->version_minor, FERRY_IF_VERSION_MINOR);
    ck_assert_uint_eq(ferry_sim_read_count(e.sim), FERRY_IF_VERSION_MINOR >= 1U ? 5U : 4U);
    ck_assert_uint_eq(c->cap2, (uint32_t)FERRY_C2H_MASK << 16 | FERRY_H2C_MASK);
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
    /* every length 1..64; on builds of more than 8 channels (ch16: 32-bit, 16
     * channels, the slowest model) every third length, 1, 4, ..., 64 */
    for (size_t len = 1; len <= 64; len += (nch > 8U ? 3U : 1U)) {
        for (unsigned sa = 0; sa < 8; sa++) {
            for (unsigned da = 0; da < 8; da++) {
                uint8_t *s = (uint8_t *)src.cpu + base + sa;
                uint8_t *d = (uint8_t *)dst.cpu + base + da;
                unsigned ch = n % nch;

                while (!MEM_CH(ch)) {
                    ch = (ch + 1U) % nch; /* stream channels copy no memory */
                }
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
    while (!MEM_CH(last)) {
        last--; /* the last memory-to-memory channel */
    }
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

/* ferry_irq_enable() changes DONE and ERROR only: a ring's CPL enable
 * survives it, so ferry_ring_wait() still wakes at the completion interrupt.
 * It used to write DONE | ERROR (or 0), and the wait then saw completions
 * only at the end of its 1 ms sleeps. */
START_TEST(test_irq_enable_keeps_ring_cpl)
{
    const uint32_t direct = FERRY_IRQ_ENABLE_DONE_MASK | FERRY_IRQ_ENABLE_ERROR_MASK;
    const struct ferry_platform *p;
    struct env e;
    struct ferry_ring r;
    struct ferry_dma_mem src, dst;
    struct ferry_cpl c;
    unsigned got = 0;
    ferry_status st;

    env_open(&e);
    p = ferry_sim_platform(e.sim);
    if (!ferry_caps(&e.dev)->ring || p->wait_irq == NULL || p->now_us == NULL) {
        env_close(&e);
        return;
    }
    src = alloc(&e, 4096);
    dst = alloc(&e, 4096);
    fill(src.cpu, 4096, 91);
    ck_assert_int_eq(ferry_ring_init(&e.dev, 0, 3, &r), FERRY_OK);
    ck_assert(r.irq);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_IRQ_ENABLE)), FERRY_IRQ_ENABLE_CPL_MASK);
    ck_assert_int_eq(ferry_irq_enable(&e.dev, 0, true), FERRY_OK);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_IRQ_ENABLE)), FERRY_IRQ_ENABLE_CPL_MASK | direct);
    for (unsigned pass = 0; pass < 2; pass++) {
        struct ferry_desc d = {.src = src.bus, .dst = dst.bus + 256U * pass, .len = 256, .flags = FERRY_DESC_IRQ,
                               .tag = (uint16_t)pass};
        uint64_t t0, t1;

        ck_assert_int_eq(ferry_ring_submit(&r, &d, 1), FERRY_OK);
        t0 = p->now_us(p->ctx);
        st = ferry_ring_wait(&r, 1, WAIT_US, &c, &got);
        t1 = p->now_us(p->ctx);
        ck_assert_msg(st == FERRY_OK, "pass %u: wait %s", pass, ferry_status_str(st));
        ck_assert_uint_eq(c.status, FERRY_ERR_NONE);
        /* woken by the interrupt, not at the end of a 1 ms sleep */
        ck_assert_msg(t1 - t0 < 500U, "pass %u: the completion took %" PRIu64 " us", pass, t1 - t0);
        ck_assert_int_eq(ferry_irq_enable(&e.dev, 0, false), FERRY_OK);
        ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_IRQ_ENABLE)), FERRY_IRQ_ENABLE_CPL_MASK);
    }
    ck_assert_int_eq(first_diff(src.cpu, (uint8_t *)dst.cpu + 256U, 256), -1);
    ck_assert_int_eq(ferry_ring_fini(&r, WAIT_US), FERRY_OK);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_IRQ_ENABLE)), 0U);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
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
        if (!MEM_CH(ch)) {
            continue; /* stream channels: test_stream_* */
        }
        src[ch] = alloc(&e, len);
        dst[ch] = alloc(&e, len);
        fill(src[ch].cpu, len, 1000U + ch);
        ck_assert_int_eq(ferry_irq_enable(&e.dev, ch, (ch & 1U) != 0U), FERRY_OK);
        ck_assert_int_eq(ferry_copy_start(&e.dev, ch, src[ch].bus, dst[ch].bus, len), FERRY_OK);
    }
    for (unsigned ch = nch; ch-- > 0;) {
        struct ferry_result res;
        ferry_status st;
        if (!MEM_CH(ch)) {
            continue;
        }
        st = ferry_copy_wait(&e.dev, ch, WAIT_US, &res);
        ck_assert_msg(st == FERRY_OK, "ch %u: %s", ch, ferry_status_str(st));
        ck_assert_uint_eq(res.bytes, src[ch].size);
        ck_assert_msg(first_diff(src[ch].cpu, dst[ch].cpu, src[ch].size) < 0, "ch %u: data differs", ch);
        ferry_dma_free(&e.dev, &src[ch]);
        ferry_dma_free(&e.dev, &dst[ch]);
    }
    env_close(&e);
}
END_TEST

/* ---- issue 5: error strings, record layout, argument checks, halts ---- */

/* Every error code of the register map has a name and a description; any
 * other code says so clearly. Every status has a name. */
START_TEST(test_error_strings)
{
    static const char *const want[] = {"NONE",       "LEN_ZERO",    "ADDR_RANGE",  "RD_RESP",    "WR_RESP",
                                       "DESC_RESERVED", "RING_CONFIG", "PROD_RANGE", "RING_OFF",  "DESC_FETCH",
                                       "CPL_WRITE",  "FIXED_ALIGN", "RING_ALIGN",  "CPL_ALIGN",  "CFG_BUSY",
                                       "LEN_MAX",    "WINDOW",      "TIMEOUT",     "ABORTED",    "NOT_HALTED",
                                       "TRUNCATED",  "STREAM_ALIGN", "STREAM_MODE"};
    const char *unknown_desc = ferry_err_desc(0xFFFFFFFFU);

    ck_assert_uint_eq(FERRY_ERR_COUNT, 23U);
    ck_assert_uint_eq(sizeof(want) / sizeof(want[0]), FERRY_ERR_COUNT);
    for (uint32_t c = 0; c < FERRY_ERR_COUNT; c++) {
        const char *d = ferry_err_desc(c);
        ck_assert_msg(strcmp(ferry_err_str(c), want[c]) == 0, "code %" PRIu32 ": name %s, want %s", c,
                      ferry_err_str(c), want[c]);
        ck_assert_msg(d != NULL && strlen(d) > 8U && strcmp(d, unknown_desc) != 0, "code %" PRIu32 " (%s): no description",
                      c, want[c]);
        for (uint32_t o = 0; o < c; o++) {
            ck_assert_msg(strcmp(ferry_err_desc(o), d) != 0, "codes %" PRIu32 " and %" PRIu32 " share a description", o, c);
        }
    }
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_WINDOW), "WINDOW");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_TIMEOUT), "TIMEOUT");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_ABORTED), "ABORTED");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_NOT_HALTED), "NOT_HALTED");
    ck_assert_ptr_nonnull(strstr(ferry_err_desc(FERRY_ERR_TIMEOUT), "WDOG"));
    /* stream codes (interface 2.1) */
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_TRUNCATED), "TRUNCATED");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_STREAM_ALIGN), "STREAM_ALIGN");
    ck_assert_str_eq(ferry_err_str(FERRY_ERR_STREAM_MODE), "STREAM_MODE");
    ck_assert_ptr_nonnull(strstr(ferry_err_desc(FERRY_ERR_TRUNCATED), "MAX_PKT"));
    ck_assert_ptr_nonnull(strstr(ferry_err_desc(FERRY_ERR_STREAM_ALIGN), "DATA_BYTES"));
    for (uint32_t c = FERRY_ERR_COUNT; c < 0x200U; c++) {
        ck_assert_str_eq(ferry_err_str(c), "UNKNOWN");
        ck_assert_str_eq(ferry_err_desc(c), "Error code not known to this driver.");
    }
    ck_assert_str_eq(ferry_err_str(0xFFFFFFFFU), "UNKNOWN");

    for (int st = FERRY_OK; st >= FERRY_STATUS_MIN; st--) {
        const char *n = ferry_status_str((ferry_status)st);
        ck_assert_msg(n != NULL && strncmp(n, "FERRY_", 6) == 0 && strstr(n, "unknown") == NULL, "status %d: %s", st,
                      n != NULL ? n : "(null)");
        for (int o = FERRY_OK; o > st; o--) {
            ck_assert_msg(strcmp(ferry_status_str((ferry_status)o), n) != 0, "statuses %d and %d share a name", o, st);
        }
    }
    ck_assert_ptr_nonnull(strstr(ferry_status_str(FERRY_E_HALTED), "FERRY_E_HALTED"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str(FERRY_E_NOT_HALTED), "FERRY_E_NOT_HALTED"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str(FERRY_E_LOCKED), "FERRY_E_LOCKED"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str(FERRY_E_KIND), "FERRY_E_KIND"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str(FERRY_E_ALIGN), "FERRY_E_ALIGN"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str(FERRY_E_TRUNCATED), "FERRY_E_TRUNCATED"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str(FERRY_E_OVERFLOW), "FERRY_E_OVERFLOW"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str((ferry_status)(FERRY_STATUS_MIN - 1)), "unknown"));
    ck_assert_ptr_nonnull(strstr(ferry_status_str((ferry_status)1), "unknown"));
}
END_TEST

/* Record layout of interface 2.0: w2 bits 31:16 = fault address 47:32,
 * w3 = fault address 31:0, byte by byte. */
START_TEST(test_cpl_fault_addr_layout)
{
    const struct ferry_cpl c = {.index = 0x0102, .status = FERRY_ERR_RD_RESP, .phase = true, .bytes = 0x40,
                                .tag = 0xBEEF, .fault_addr = 0xA1B2C3D4E5F6ULL};
    static const uint8_t want[FERRY_CPL_SIZE] = {0x02, 0x01, FERRY_ERR_RD_RESP, 0x80, 0x40, 0, 0, 0,
                                                 0xEF, 0xBE, 0xB2, 0xA1, 0xF6, 0xE5, 0xD4, 0xC3};
    uint8_t b[FERRY_CPL_SIZE];
    struct ferry_cpl back;

    memset(b, 0xEE, sizeof(b));
    ferry_cpl_encode(b, &c);
    for (unsigned i = 0; i < FERRY_CPL_SIZE; i++) {
        ck_assert_msg(b[i] == want[i], "record byte 0x%02X is 0x%02X, want 0x%02X", i, b[i], want[i]);
    }
    ferry_cpl_decode(&back, b);
    ck_assert_uint_eq(back.fault_addr, 0xA1B2C3D4E5F6ULL);
    ck_assert_uint_eq(back.tag, 0xBEEF);
    ck_assert_uint_eq(back.status, FERRY_ERR_RD_RESP);
    ck_assert_uint_eq(back.residue, 0);
    ck_assert(!back.halted);
    /* bits 63:48 are not in the record */
    struct ferry_cpl big = c;
    big.fault_addr = 0xFFFF000000001000ULL;
    ferry_cpl_encode(b, &big);
    ferry_cpl_decode(&back, b);
    ck_assert_uint_eq(back.fault_addr, 0x1000U);
}
END_TEST

/* Bad arguments to every issue-5 call: FERRY_E_INVAL (or NOTPROBED) and not
 * one register read or written. */
START_TEST(test_recovery_bad_arguments)
{
    struct env e;
    struct ferry_ring zero;
    struct ferry_halt h;
    struct ferry_dev unprobed;
    struct fake f;
    unsigned nch, nwin;

    env_open(&e);
    nch = ferry_caps(&e.dev)->channels;
    nwin = ferry_caps(&e.dev)->windows;
    memset(&zero, 0, sizeof(zero));
    e.reads = e.writes = 0;
    ferry_sim_clear_counts(e.sim);

    ck_assert_int_eq(ferry_abort(NULL, 0, WAIT_US), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_abort(&e.dev, nch, WAIT_US), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ch_reset(NULL, 0, WAIT_US), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ch_reset(&e.dev, nch, WAIT_US), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ch_reset(&e.dev, 1000, WAIT_US), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_watchdog(NULL, 0, 100), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_watchdog(&e.dev, nch, 100), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(NULL, 0, 0, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, nch, 0, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, nwin, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 4, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 1000, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x1001, 0x2000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x1800, 0x2000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x1000, 0x2FFF, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x1000, 0x2001, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x3000, 0x2000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x100000000ULL, 0xFFFFF000ULL, FERRY_WIN_WRITE), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x1000, 0x2000, 0x4), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0x1000, 0x2000, 0x80000003U), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_windows_enable(NULL, 0, true, false), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_windows_enable(&e.dev, nch, true, false), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_halted(NULL, &h), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_halted(&zero, &h), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_resume(NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_resume(&zero), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_skip(NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_skip(&zero), FERRY_E_INVAL);
    if (nwin == 0U) {
        ck_assert_int_eq(ferry_windows_enable(&e.dev, 0, true, false), FERRY_E_UNSUPPORTED);
    }
    ck_assert_msg(e.reads == 0 && e.writes == 0, "bad arguments touched hardware: %u reads, %u writes", e.reads,
                  e.writes);
    ck_assert_uint_eq(ferry_sim_read_count(e.sim) + ferry_sim_write_count(e.sim), 0);
    if (ferry_caps(&e.dev)->ring) {
        struct ferry_ring r;
        ck_assert_int_eq(ferry_ring_init(&e.dev, 0, 3, &r), FERRY_OK);
        e.reads = e.writes = 0;
        ck_assert_int_eq(ferry_ring_halted(&r, NULL), FERRY_E_INVAL);
        ck_assert_uint_eq(e.reads + e.writes, 0);
        ck_assert_int_eq(ferry_ring_fini(&r, WAIT_US), FERRY_OK);
    }
    good_copy(&e, 0, 64);
    env_close(&e);

    /* a device that failed probe: nothing touched either */
    memset(&f, 0, sizeof(f));
    f.id = 0xDEADBEEFU;
    ck_assert_int_eq(fake_probe(&f, &unprobed), FERRY_E_NODEV);
    f.reads = f.writes = 0;
    ck_assert_int_eq(ferry_abort(&unprobed, 0, 10), FERRY_E_NOTPROBED);
    ck_assert_int_eq(ferry_ch_reset(&unprobed, 0, 10), FERRY_E_NOTPROBED);
    ck_assert_int_eq(ferry_set_watchdog(&unprobed, 0, 10), FERRY_E_NOTPROBED);
    ck_assert_int_eq(ferry_set_window(&unprobed, 0, 0, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_NOTPROBED);
    ck_assert_int_eq(ferry_windows_enable(&unprobed, 0, true, true), FERRY_E_NOTPROBED);
    ck_assert_uint_eq(f.reads + f.writes, 0);
}
END_TEST

/* ---- halts against a fake register file (no RTL needed) ---- */

#define F_REG(r) f->regs[FERRY_CH_REG(0, (r)) / 4U]

static void fake_regfile_open(struct fake *f, struct ferry_dev *dev, unsigned data_bytes, unsigned windows)
{
    memset(f, 0, sizeof(*f));
    f->id = FERRY_MAGIC;
    f->version = FERRY_IF_VERSION_MAJOR << 16;
    f->ring = true;
    f->regfile = true;
    f->data_bytes = data_bytes;
    f->windows = windows;
    ck_assert_int_eq(fake_probe(f, dev), FERRY_OK);
    ck_assert_uint_eq(ferry_caps(dev)->windows, windows);
}

/* The device side: record k as the RTL writes it. */
static void fake_record(struct ferry_ring *r, uint32_t k, bool phase, uint8_t code, uint32_t bytes, uint64_t fault)
{
    const uint8_t *d = (const uint8_t *)r->desc.cpu + (size_t)k * FERRY_DESC_SIZE;
    struct ferry_cpl c = {.index = (uint16_t)k, .status = code, .phase = phase, .bytes = bytes,
                          .tag = (uint16_t)(d[0x14] | d[0x15] << 8), .fault_addr = fault & FERRY_CPL_FAULT_ADDR_MASK};

    ferry_cpl_encode((uint8_t *)r->cpl.cpu + (size_t)k * FERRY_CPL_SIZE, &c);
}

/* The device halts at k with code: CONS = k, ERR_*, STATUS HALTED | ERROR. */
static void fake_halt(struct fake *f, uint32_t k, uint8_t code, uint32_t bytes, uint64_t fault, bool stopping)
{
    F_REG(FERRY_CH_RING_CONS) = k;
    F_REG(FERRY_CH_ERR_DESC) = k;
    F_REG(FERRY_CH_ERR_BYTES) = bytes;
    F_REG(FERRY_CH_ERR_ADDR_LO) = (uint32_t)fault;
    F_REG(FERRY_CH_ERR_ADDR_HI) = (uint32_t)(fault >> 32);
    F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK | FERRY_STATUS_ERROR_MASK |
                             FERRY_FIELD_PREP(FERRY_STATUS_ERR_CODE, code) |
                             (stopping ? FERRY_STATUS_STOPPING_MASK | FERRY_STATUS_BUSY_MASK : FERRY_STATUS_HALTED_MASK);
}

static void submit_n(struct ferry_ring *r, unsigned n, uint32_t len)
{
    for (unsigned i = 0; i < n; i++) {
        struct ferry_desc d = {.src = 0x10000U + 0x1000U * i, .dst = 0x80000U + 0x1000U * i, .len = len,
                               .tag = (uint16_t)(0x100U + r->prod)};
        ck_assert_int_eq(ferry_ring_submit(r, &d, 1), FERRY_OK);
    }
}

/* reap, resume, skip, halted on wide (16-byte) and narrow (8-byte) buses. */
START_TEST(test_fake_halt_resume_skip)
{
    static const unsigned widths[] = {16, 8};

    for (unsigned wi = 0; wi < 2; wi++) {
        struct fake ff, *f = &ff;
        struct ferry_dev dev;
        struct ferry_ring r;
        struct ferry_cpl out[8];
        struct ferry_halt h;
        unsigned n = 0, writes;
        const uint64_t fault = 0xABCD123456789ABCULL; /* bits 63:48 only in ERR_ADDR */

        fake_regfile_open(f, &dev, widths[wi], 0);
        ck_assert_int_eq(ferry_ring_init(&dev, 0, 3, &r), FERRY_OK);
        submit_n(&r, 4, 0x100);
        /* not halted: resume and skip refuse, writing nothing */
        writes = f->writes;
        ck_assert_int_eq(ferry_ring_resume(&r), FERRY_E_NOT_HALTED);
        ck_assert_int_eq(ferry_ring_skip(&r), FERRY_E_NOT_HALTED);
        ck_assert_uint_eq(f->writes, writes);

        /* 0 and 1 fine, 2 fails after 0x40 bytes; the halt is still draining */
        fake_record(&r, 0, true, 0, 0x100, 0);
        fake_record(&r, 1, true, 0, 0x100, 0);
        fake_record(&r, 2, true, FERRY_ERR_RD_RESP, 0x40, fault);
        fake_halt(f, 2, FERRY_ERR_RD_RESP, 0x40, fault, true);
        ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_OK);
        ck_assert_uint_eq(n, 2);
        ck_assert(!out[0].halted && !out[1].halted);
        ck_assert_uint_eq(out[1].residue, 0);
        ck_assert_int_eq(ferry_ring_resume(&r), FERRY_E_AGAIN); /* STOPPING: not yet */
        ck_assert_uint_eq(f->nctrl, 0);
        /* drained: HALTED */
        fake_halt(f, 2, FERRY_ERR_RD_RESP, 0x40, fault, false);
        for (unsigned again = 0; again < 2; again++) {
            ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_E_HALTED);
            ck_assert_uint_eq(n, 1);
            ck_assert(out[0].halted);
            ck_assert_uint_eq(out[0].index, 2);
            ck_assert_uint_eq(out[0].status, FERRY_ERR_RD_RESP);
            ck_assert_uint_eq(out[0].bytes, 0x40);
            ck_assert_uint_eq(out[0].residue, 0xC0);
            ck_assert_uint_eq(out[0].fault_addr, fault); /* all 64 bits, from ERR_ADDR */
            ck_assert_uint_eq(out[0].tag, 0x102);
            ck_assert_uint_eq(r.outstanding, 2); /* not consumed */
        }
        ck_assert_int_eq(ferry_ring_wait(&r, 2, 1000, out, &n), FERRY_E_HALTED);
        ck_assert_uint_eq(n, 1);
        ck_assert(out[0].halted);
        ck_assert_int_eq(ferry_ring_halted(&r, &h), FERRY_OK);
        ck_assert(h.halted && !h.stopping && h.record);
        ck_assert_uint_eq(h.err_code, FERRY_ERR_RD_RESP);
        ck_assert_uint_eq(h.index, 2);
        ck_assert_uint_eq(h.fault_addr, fault);
        ck_assert_uint_eq(h.bytes, 0x40);
        ck_assert_uint_eq(h.residue, 0xC0);

        /* RESUME: the stale record is forgotten, ERROR cleared, CTRL.RESUME */
        ck_assert_int_eq(ferry_ring_resume(&r), FERRY_OK);
        ck_assert_uint_eq(f->nctrl, 1);
        ck_assert_uint_eq(f->ctrl_log[0], FERRY_CTRL_RESUME_MASK);
        ck_assert_uint_eq(F_REG(FERRY_CH_STATUS) & FERRY_STATUS_ERROR_MASK, 0);
        F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK | FERRY_STATUS_BUSY_MASK; /* running again */
        ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_OK);
        ck_assert_uint_eq(n, 0); /* waits for the new record */
        fake_record(&r, 2, true, 0, 0x100, 0);
        fake_record(&r, 3, true, 0, 0x100, 0);
        F_REG(FERRY_CH_RING_CONS) = 4;
        F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK;
        ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_OK);
        ck_assert_msg(n == 2, "width %u: n %u idx %u st %u", widths[wi], n, out[0].index, out[0].status);
        ck_assert_uint_eq(out[0].index, 2);
        ck_assert_uint_eq(out[0].status, 0);
        ck_assert_uint_eq(out[0].bytes, 0x100);
        ck_assert(!out[0].halted);
        ck_assert_uint_eq(r.outstanding, 0);

        /* SKIP: 4..6 submitted, 5 is bad (no bus traffic: bytes 0); the
         * ring then goes on; 5's record comes back as a normal completion */
        submit_n(&r, 3, 0x80);
        fake_record(&r, 4, true, 0, 0x80, 0);
        fake_record(&r, 5, true, FERRY_ERR_WINDOW, 0, 0x0000700000010000ULL);
        fake_halt(f, 5, FERRY_ERR_WINDOW, 0, 0xFFFF700000010000ULL, false);
        ck_assert_int_eq(ferry_ring_wait(&r, 3, 1000, out, &n), FERRY_E_HALTED);
        ck_assert_uint_eq(n, 2);
        ck_assert(out[1].halted);
        ck_assert_uint_eq(out[1].residue, 0x80);
        ck_assert_int_eq(ferry_ring_skip(&r), FERRY_OK);
        ck_assert_uint_eq(f->ctrl_log[f->nctrl - 1], FERRY_CTRL_SKIP_MASK);
        F_REG(FERRY_CH_RING_CONS) = 6; /* the device went on */
        F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK | FERRY_STATUS_BUSY_MASK;
        ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_OK);
        ck_assert_uint_eq(n, 1);
        ck_assert(!out[0].halted);
        ck_assert_uint_eq(out[0].index, 5);
        ck_assert_uint_eq(out[0].status, FERRY_ERR_WINDOW);
        ck_assert_uint_eq(out[0].fault_addr, 0xFFFF700000010000ULL); /* kept from the halt */
        ck_assert_uint_eq(out[0].residue, 0x80);

        /* CPL_WRITE: halted at 6 without a record; wait sees the halt in
         * STATUS, skip writes the record the device could not */
        fake_halt(f, 6, FERRY_ERR_CPL_WRITE, 0x11 /* stale: not updated for CPL_WRITE */, 0x123450ULL, false);
        ck_assert_int_eq(ferry_ring_wait(&r, 1, 5000, out, &n), FERRY_E_HALTED);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(ferry_ring_halted(&r, &h), FERRY_OK);
        ck_assert(h.halted && !h.record);
        ck_assert_uint_eq(h.err_code, FERRY_ERR_CPL_WRITE);
        ck_assert_uint_eq(h.index, 6);
        ck_assert_uint_eq(h.bytes, 0x80);
        ck_assert_uint_eq(h.residue, 0);
        ck_assert_int_eq(ferry_ring_skip(&r), FERRY_OK);
        F_REG(FERRY_CH_RING_CONS) = 7;
        F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK;
        ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_OK);
        ck_assert_uint_eq(n, 1);
        ck_assert_uint_eq(out[0].index, 6);
        ck_assert_uint_eq(out[0].status, FERRY_ERR_CPL_WRITE);
        ck_assert_uint_eq(out[0].bytes, 0x80);
        ck_assert_uint_eq(out[0].tag, 0x106);
        ck_assert_uint_eq(out[0].fault_addr, 0x123450ULL);
        ck_assert_uint_eq(r.outstanding, 0);

        /* a wrap: the phase written to forget a stale record is the one not
         * expected in that slot (slot 0 on the second pass expects 0) */
        submit_n(&r, 3, 0x20); /* slots 7, 0, 1 */
        fake_record(&r, 7, true, 0, 0x20, 0);
        fake_record(&r, 0, false, FERRY_ERR_TIMEOUT, 0x10, 0x5000);
        fake_halt(f, 0, FERRY_ERR_TIMEOUT, 0x10, 0x5000, false);
        ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_E_HALTED);
        ck_assert_uint_eq(n, 2);
        ck_assert_uint_eq(out[1].index, 0);
        ck_assert_uint_eq(out[1].residue, 0x10);
        ck_assert_int_eq(ferry_ring_resume(&r), FERRY_OK);
        ck_assert_uint_eq(((uint8_t *)r.cpl.cpu)[3] & 0x80U, 0x80U);
        F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK | FERRY_STATUS_BUSY_MASK;
        ck_assert_int_eq(ferry_ring_reap(&r, out, 8, &n), FERRY_OK);
        ck_assert_uint_eq(n, 0);

        /* the halted ring is torn down the usual way */
        F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK | FERRY_STATUS_HALTED_MASK;
        ck_assert_int_eq(ferry_ring_fini(&r, 100), FERRY_OK);
        ck_assert_uint_eq(f->regs[FERRY_CH_REG(0, FERRY_CH_RING_CTRL) / 4U], 0U);
    }
}
END_TEST

/* Windows: the register values written, the order (permissions last), the
 * lock refused without a write; watchdog, abort and reset register writes. */
START_TEST(test_fake_windows_watchdog_reset)
{
    struct fake ff, *f = &ff;
    struct ferry_dev dev;
    unsigned w;
    const uint32_t b1 = FERRY_CH_REG(0, FERRY_CH_WIN1_BASE_LO);

    fake_regfile_open(f, &dev, 8, 0);
    ck_assert_int_eq(ferry_windows_enable(&dev, 0, true, false), FERRY_E_UNSUPPORTED);
    ck_assert_int_eq(ferry_set_window(&dev, 0, 0, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_uint_eq(f->writes, 0);

    fake_regfile_open(f, &dev, 8, 2);
    ck_assert_int_eq(ferry_set_window(&dev, 0, 2, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_INVAL);
    ck_assert_uint_eq(f->reads - 4U + f->writes, 0); /* probe's 4 reads only */
    ck_assert_int_eq(ferry_set_window(&dev, 0, 1, 0x0000123400005000ULL, 0x0000123400007000ULL,
                                      FERRY_WIN_READ | FERRY_WIN_WRITE),
                     FERRY_OK);
    ck_assert_uint_eq(f->writes, 5);
    ck_assert_uint_eq(f->regs[b1 / 4U], 0x00005003U);
    ck_assert_uint_eq(f->regs[(b1 + 4U) / 4U], 0x1234U);
    ck_assert_uint_eq(f->regs[(b1 + 8U) / 4U], 0x00007000U);
    ck_assert_uint_eq(f->regs[(b1 + 12U) / 4U], 0x1234U);
    w = f->writes;
    ck_assert_int_eq(ferry_set_window(&dev, 0, 0, 0x2000, 0x2000, 0), FERRY_OK); /* a window allowing nothing */
    ck_assert_uint_eq(f->writes - w, 4U);
    ck_assert_uint_eq(f->regs[FERRY_CH_REG(0, FERRY_CH_WIN0_BASE_LO) / 4U], 0x2000U);
    ck_assert_int_eq(ferry_windows_enable(&dev, 0, true, true), FERRY_OK);
    ck_assert_uint_eq(F_REG(FERRY_CH_WIN_CTRL), FERRY_WIN_CTRL_ENABLE_MASK | FERRY_WIN_CTRL_LOCK_MASK);
    w = f->writes;
    ck_assert_int_eq(ferry_set_window(&dev, 0, 1, 0x1000, 0x1000, FERRY_WIN_READ), FERRY_E_LOCKED);
    ck_assert_int_eq(ferry_windows_enable(&dev, 0, false, false), FERRY_E_LOCKED);
    ck_assert_uint_eq(f->writes, w);

    ck_assert_int_eq(ferry_set_watchdog(&dev, 1, 5000), FERRY_OK);
    ck_assert_uint_eq(f->regs[FERRY_CH_REG(1, FERRY_CH_WDOG) / 4U], 5000U);
    /* abort of an idle channel writes nothing */
    w = f->writes;
    ck_assert_int_eq(ferry_abort(&dev, 0, 100), FERRY_OK);
    ck_assert_uint_eq(f->writes, w);
    /* busy: ABORT written; stays busy: FERRY_E_TIMEOUT */
    F_REG(FERRY_CH_STATUS) = FERRY_STATUS_BUSY_MASK | FERRY_STATUS_STOPPING_MASK;
    ck_assert_int_eq(ferry_abort(&dev, 0, 50), FERRY_E_TIMEOUT);
    ck_assert_uint_eq(f->ctrl_log[f->nctrl - 1], FERRY_CTRL_ABORT_MASK);
    ck_assert_int_eq(ferry_ch_reset(&dev, 0, 50), FERRY_E_TIMEOUT);
    ck_assert_uint_eq(f->ctrl_log[f->nctrl - 1], FERRY_CTRL_RESET_MASK);
    F_REG(FERRY_CH_STATUS) = 0;
    ck_assert_int_eq(ferry_ch_reset(&dev, 0, 50), FERRY_OK);
    f->dead = true;
    ck_assert_int_eq(ferry_abort(&dev, 0, 50), FERRY_E_IO);
    ck_assert_int_eq(ferry_ch_reset(&dev, 0, 50), FERRY_E_IO);
}
END_TEST

/* ---- issue 5 behaviour against the RTL ---- */

#define RB_LEN 4096U

/* Ring: a read error in descriptor 2 of 4 halts the ring there with the
 * right record, fault address and residue; skip goes on; a descriptor that
 * halts again is resumed once the memory answers, and runs in full. */
START_TEST(test_ring_read_error_skip_resume)
{
    struct env e;
    struct ferry_ring r;
    struct ferry_dma_mem src, dst;
    struct ferry_desc d[5];
    struct ferry_cpl c[8];
    struct ferry_halt h;
    unsigned got = 0;
    uint64_t bad;
    ferry_status st;

    env_open(&e);
    if (!ferry_caps(&e.dev)->ring) {
        env_close(&e);
        return;
    }
    ferry_set_trace(&e.dev, NULL, NULL);
    src = alloc(&e, 5U * RB_LEN);
    dst = alloc(&e, 5U * RB_LEN);
    fill(src.cpu, 5U * RB_LEN, 55);
    memset(dst.cpu, 0, 5U * RB_LEN);
    ck_assert_int_eq(ferry_ring_init(&e.dev, 0, 4, &r), FERRY_OK);
    memset(d, 0, sizeof(d));
    for (unsigned i = 0; i < 4; i++) {
        d[i].src = src.bus + (uint64_t)i * RB_LEN;
        d[i].dst = dst.bus + (uint64_t)i * RB_LEN;
        d[i].len = RB_LEN;
        d[i].tag = (uint16_t)(0x40U + i);
    }
    bad = d[2].src + 1000U;
    ck_assert_int_eq(tb_mem_inject_error(e.tb, bad, bad, 0, TB_RESP_SLVERR), 0);
    ck_assert_int_eq(ferry_ring_submit(&r, d, 4), FERRY_OK);
    st = ferry_ring_wait(&r, 4, WAIT_US, c, &got);
    ck_assert_msg(st == FERRY_E_HALTED, "wait: %s, want FERRY_E_HALTED (seed %" PRIu64 ")", ferry_status_str(st), g_seed);
    ck_assert_uint_eq(got, 3);
    for (unsigned i = 0; i < 2; i++) {
        ck_assert_uint_eq(c[i].index, i);
        ck_assert_uint_eq(c[i].status, FERRY_ERR_NONE);
        ck_assert_uint_eq(c[i].bytes, RB_LEN);
        ck_assert_uint_eq(c[i].residue, 0);
        ck_assert(!c[i].halted);
    }
    ck_assert(c[2].halted);
    ck_assert_uint_eq(c[2].index, 2);
    ck_assert_uint_eq(c[2].tag, 0x42);
    ck_assert_msg(c[2].status == FERRY_ERR_RD_RESP, "status %s", ferry_err_str(c[2].status));
    /* the failing burst holds the bad byte: it starts at or before it, within the descriptor */
    ck_assert_msg(c[2].fault_addr <= bad && c[2].fault_addr >= d[2].src &&
                      bad - c[2].fault_addr < (uint64_t)ferry_caps(&e.dev)->max_burst * ferry_caps(&e.dev)->data_bytes,
                  "fault address 0x%" PRIX64 " is not the burst of 0x%" PRIX64, c[2].fault_addr, bad);
    ck_assert_uint_le(c[2].bytes, c[2].fault_addr - d[2].src);
    ck_assert_uint_eq(c[2].bytes + c[2].residue, RB_LEN);
    ck_assert_int_eq(first_diff((uint8_t *)src.cpu + 2U * RB_LEN, (uint8_t *)dst.cpu + 2U * RB_LEN, c[2].bytes), -1);
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_RING_CONS_INDEX, ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_RING_CONS))),
                      2);
    ck_assert_int_eq(ferry_ring_halted(&r, &h), FERRY_OK);
    ck_assert(h.halted && !h.stopping && h.record);
    ck_assert_uint_eq(h.index, 2);
    ck_assert_uint_eq(h.err_code, FERRY_ERR_RD_RESP);
    ck_assert_uint_eq(h.fault_addr, c[2].fault_addr);
    ck_assert_uint_eq(h.bytes, c[2].bytes);
    ck_assert_uint_eq(h.residue, c[2].residue);
    /* still halted: the same notice again */
    ck_assert_int_eq(ferry_ring_reap(&r, c, 8, &got), FERRY_E_HALTED);
    ck_assert_uint_eq(got, 1);
    ck_assert(c[0].halted && c[0].index == 2);

    /* skip: 2 completes with its error, 3 runs */
    ck_assert_int_eq(ferry_ring_skip(&r), FERRY_OK);
    st = ferry_ring_wait(&r, 2, WAIT_US, c, &got);
    ck_assert_msg(st == FERRY_OK, "after skip: %s", ferry_status_str(st));
    ck_assert(!c[0].halted);
    ck_assert_uint_eq(c[0].index, 2);
    ck_assert_uint_eq(c[0].status, FERRY_ERR_RD_RESP);
    ck_assert_uint_eq(c[0].fault_addr, h.fault_addr);
    ck_assert_uint_eq(c[1].index, 3);
    ck_assert_uint_eq(c[1].status, FERRY_ERR_NONE);
    ck_assert_int_eq(first_diff((uint8_t *)src.cpu + 3U * RB_LEN, (uint8_t *)dst.cpu + 3U * RB_LEN, RB_LEN), -1);

    /* resume: descriptor 4 reads the bad range again and halts; the memory
     * is fixed and it runs again, in full */
    d[4].src = d[2].src;
    d[4].dst = dst.bus + 4U * RB_LEN;
    d[4].len = RB_LEN;
    d[4].tag = 0x44;
    ck_assert_int_eq(ferry_ring_submit(&r, &d[4], 1), FERRY_OK);
    st = ferry_ring_wait(&r, 1, WAIT_US, c, &got);
    ck_assert_msg(st == FERRY_E_HALTED, "descriptor 4: %s", ferry_status_str(st));
    ck_assert(c[0].halted && c[0].index == 4);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, bad, bad, 0, TB_RESP_OKAY), 0);
    ck_assert_int_eq(ferry_ring_resume(&r), FERRY_OK);
    st = ferry_ring_wait(&r, 1, WAIT_US, c, &got);
    ck_assert_msg(st == FERRY_OK, "after resume: %s", ferry_status_str(st));
    ck_assert(!c[0].halted);
    ck_assert_uint_eq(c[0].index, 4);
    ck_assert_uint_eq(c[0].status, FERRY_ERR_NONE);
    ck_assert_uint_eq(c[0].bytes, RB_LEN);
    ck_assert_uint_eq(c[0].fault_addr, 0);
    ck_assert_int_eq(first_diff((uint8_t *)src.cpu + 2U * RB_LEN, (uint8_t *)dst.cpu + 4U * RB_LEN, RB_LEN), -1);
    ck_assert_int_eq(ferry_ring_resume(&r), FERRY_E_NOT_HALTED);
    ck_assert_int_eq(ferry_ring_fini(&r, WAIT_US), FERRY_OK);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS)) & FERRY_STATUS_HALTED_MASK, 0);
    good_copy(&e, 0, 100);
    env_close(&e);
}
END_TEST

/* A direct copy is refused (FERRY_E_BUSY, nothing written) on a channel
 * with a ring, idle or halted: it used to clear the halted ring's ERROR and
 * ring the doorbell, which the device refused with RING_OFF, overwriting
 * ERR_CODE and ERR_ADDR, so reap and skip lost the fault address. */
START_TEST(test_copy_start_ring_owned)
{
    struct env e;
    struct ferry_ring r;
    struct ferry_dma_mem src, dst;
    struct ferry_desc d;
    struct ferry_cpl c[2];
    struct ferry_halt h, h2;
    struct ferry_result res;
    unsigned got = 0, writes;
    uint32_t s;
    uint64_t bad;
    ferry_status st;

    env_open(&e);
    if (!ferry_caps(&e.dev)->ring) {
        env_close(&e);
        return;
    }
    src = alloc(&e, RB_LEN);
    dst = alloc(&e, RB_LEN);
    fill(src.cpu, RB_LEN, 77);
    ck_assert_int_eq(ferry_ring_init(&e.dev, 0, 3, &r), FERRY_OK);
    /* enabled and idle */
    writes = e.writes;
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, src.bus, dst.bus, 64), FERRY_E_BUSY);
    ck_assert_int_eq(ferry_copy(&e.dev, 0, src.bus, dst.bus, 64, WAIT_US, &res), FERRY_E_BUSY);
    ck_assert_uint_eq(e.writes, writes);
    /* halted at a read error */
    bad = src.bus + 1000U;
    ck_assert_int_eq(tb_mem_inject_error(e.tb, bad, bad, 0, TB_RESP_SLVERR), 0);
    memset(&d, 0, sizeof(d));
    d.src = src.bus;
    d.dst = dst.bus;
    d.len = RB_LEN;
    d.tag = 0x21;
    ck_assert_int_eq(ferry_ring_submit(&r, &d, 1), FERRY_OK);
    st = ferry_ring_wait(&r, 1, WAIT_US, c, &got);
    ck_assert_msg(st == FERRY_E_HALTED, "wait: %s, want FERRY_E_HALTED", ferry_status_str(st));
    ck_assert_int_eq(ferry_ring_halted(&r, &h), FERRY_OK);
    ck_assert(h.halted);
    ck_assert_uint_eq(h.err_code, FERRY_ERR_RD_RESP);
    s = ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS));
    writes = e.writes;
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, src.bus + RB_LEN / 2U, dst.bus, 64), FERRY_E_BUSY);
    ck_assert_uint_eq(e.writes, writes);
    tb_step(e.tb, 500);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS)), s);
    ck_assert_int_eq(ferry_ring_halted(&r, &h2), FERRY_OK);
    ck_assert(h2.halted);
    ck_assert_uint_eq(h2.err_code, FERRY_ERR_RD_RESP);
    ck_assert_uint_eq(h2.fault_addr, h.fault_addr);
    ck_assert_uint_eq(h2.bytes, h.bytes);
    ck_assert_int_eq(ferry_ring_reap(&r, c, 2, &got), FERRY_E_HALTED);
    ck_assert_uint_eq(got, 1);
    ck_assert_uint_eq(c[0].fault_addr, h.fault_addr);
    /* skip: the record keeps the fault; once the ring is gone copies run */
    ck_assert_int_eq(ferry_ring_skip(&r), FERRY_OK);
    st = ferry_ring_wait(&r, 1, WAIT_US, c, &got);
    ck_assert_msg(st == FERRY_OK, "after skip: %s", ferry_status_str(st));
    ck_assert_uint_eq(c[0].status, FERRY_ERR_RD_RESP);
    ck_assert_uint_eq(c[0].fault_addr, h.fault_addr);
    ck_assert_int_eq(ferry_ring_fini(&r, WAIT_US), FERRY_OK);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, bad, bad, 0, TB_RESP_OKAY), 0);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    good_copy(&e, 0, 100);
    env_close(&e);
}
END_TEST

/* Direct mode: ABORT of a long copy reports ABORTED with the bytes done and
 * the residue; the bytes reported are really there. */
START_TEST(test_abort_direct_residue)
{
    struct env e;
    const size_t len = 1U << 20;
    struct ferry_dma_mem src, dst;
    struct ferry_result res;
    ferry_status st;

    env_open(&e);
    src = alloc(&e, len);
    dst = alloc(&e, len);
    fill(src.cpu, len, 18);
    memset(dst.cpu, 0, len);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, src.bus, dst.bus, len), FERRY_OK);
    tb_step(e.tb, 2000);
    ck_assert_int_eq(ferry_abort(&e.dev, 0, WAIT_US), FERRY_OK);
    st = ferry_copy_poll(&e.dev, 0, &res);
    ck_assert_msg(st == FERRY_E_DEVICE, "after abort: %s (seed %" PRIu64 ")", ferry_status_str(st), g_seed);
    ck_assert_msg(res.err_code == FERRY_ERR_ABORTED, "ERR_CODE %s", ferry_err_str(res.err_code));
    ck_assert_uint_lt(res.bytes, len);
    ck_assert_uint_eq(res.bytes + res.residue, len);
    ck_assert_int_eq(first_diff(src.cpu, dst.cpu, res.bytes), -1);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS)), 0U);
    /* idle: abort is a no-op */
    ck_assert_int_eq(ferry_abort(&e.dev, 0, WAIT_US), FERRY_OK);
    ck_assert_int_eq(ferry_copy_poll(&e.dev, 0, &res), FERRY_E_IDLE);
    /* a doorbell refused next reports 0 bytes, not the abort's (ERR_BYTES keeps those) */
    ck_assert_uint_gt(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_ERR_BYTES)), 0);
    expect_rejected(&e, 0, src.bus, dst.bus, 0, FERRY_ERR_LEN_ZERO);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    good_copy(&e, 0, 4096);
    env_close(&e);
}
END_TEST

/* CTRL.RESET: every register of the channel back to its reset value (the
 * generated table's, MAX_OUT = CAP1.MAX_OUTSTANDING), a ring on it gone. */
START_TEST(test_ch_reset_values)
{
    struct env e;
    struct ferry_ring r;
    const unsigned ch = 0;
    const struct ferry_caps *k;

    env_open(&e);
    k = ferry_caps(&e.dev);
    good_copy(&e, ch, 1000); /* counters, SRC/DST/LEN */
    ck_assert_int_eq(ferry_irq_enable(&e.dev, ch, true), FERRY_OK);
    ck_assert_int_eq(ferry_set_watchdog(&e.dev, ch, 12345), FERRY_OK);
    ck_assert_int_eq(ferry_set_weight(&e.dev, ch, 7), FERRY_OK);
    ck_assert_int_eq(ferry_set_max_out(&e.dev, ch, 1), FERRY_OK);
    if (k->windows > 0U) {
        ck_assert_int_eq(ferry_set_window(&e.dev, ch, 0, 0x1000, 0x3000, FERRY_WIN_READ), FERRY_OK);
    }
    program(&e, ch, 0x1000, 0x2000, 0); /* LEN_ZERO: ERROR, ERR_CODE */
    ferry_write32(&e.dev, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_CTRL_START_MASK);
    (void)wait_idle(&e, ch);
    ck_assert_uint_ne(ferry_read32(&e.dev, FERRY_CH_REG(ch, FERRY_CH_STATUS)) & FERRY_STATUS_ERROR_MASK, 0);
    if (k->ring) {
        ck_assert_int_eq(ferry_ring_init(&e.dev, ch, 3, &r), FERRY_OK);
        ck_assert_int_eq(ferry_ring_set_coalesce(&r, 9, 99), FERRY_OK);
    }
    ck_assert_int_eq(ferry_ch_reset(&e.dev, ch, WAIT_US), FERRY_OK);
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        const struct ferry_reg_info *ri = &ferry_reg_info[i];
        uint32_t want = ri->reset, got;
        if (!ri->per_channel || strcmp(ri->access, "wo") == 0) {
            continue;
        }
        if (ri->offset == FERRY_CH_MAX_OUT) {
            want = k->max_outstanding;
        }
        if (ri->offset == FERRY_CH_BUSY_LO || ri->offset == FERRY_CH_BUSY_HI) {
            continue; /* counts the reset's own drain cycles: checked below to be small */
        }
        got = ferry_read32(&e.dev, FERRY_CH_REG(ch, ri->offset));
        ck_assert_msg(got == want, "after CTRL.RESET %s = 0x%08" PRIX32 ", want 0x%08" PRIX32 " (seed %" PRIu64 ")",
                      ri->name, got, want, g_seed);
    }
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(ch, FERRY_CH_BUSY_HI)), 0);
    if (k->ring) {
        ck_assert_int_eq(ferry_ring_fini(&r, 1000), FERRY_OK); /* returns at once, frees */
    }
    good_copy(&e, ch, 4096);
    env_close(&e);
}
END_TEST

/* Windows: data ranges outside an enabled window with the right permission
 * are rejected with WINDOW (ERR_ADDR = range start) and never reach the bus;
 * LOCK refuses changes (driver: FERRY_E_LOCKED; raw write: SLVERR) and
 * survives CTRL.RESET. */
START_TEST(test_windows_direct)
{
    struct env e;
    struct ferry_dma_mem src, dst, out;
    struct ferry_result res;
    tb_stats_t before, after;
    uint32_t w0;
    ferry_status st;

    env_open(&e);
    if (ferry_caps(&e.dev)->windows < 2U) {
        ck_assert_int_eq(ferry_set_window(&e.dev, 0, ferry_caps(&e.dev)->windows, 0, 0, FERRY_WIN_READ),
                         FERRY_E_INVAL);
        env_close(&e);
        return;
    }
    src = alloc(&e, 8192);
    dst = alloc(&e, 8192);
    out = alloc(&e, 4096);
    fill(src.cpu, 8192, 16);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, src.bus, src.bus + 4096U, FERRY_WIN_READ), FERRY_OK);
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 1, dst.bus, dst.bus + 4096U, FERRY_WIN_WRITE), FERRY_OK);
    ck_assert_int_eq(ferry_windows_enable(&e.dev, 0, true, false), FERRY_OK);
    st = ferry_copy(&e.dev, 0, src.bus, dst.bus, 8192, WAIT_US, &res);
    ck_assert_msg(st == FERRY_OK, "copy inside the windows: %s (%s)", ferry_status_str(st), ferry_err_str(res.err_code));
    ck_assert_int_eq(first_diff(src.cpu, dst.cpu, 8192), -1);
    {
        const struct {
            const char *what;
            uint64_t s, d, len, fault;
        } bad[] = {
            {"destination outside", src.bus, out.bus, 100, out.bus},
            {"source in a write-only window", dst.bus + 16U, dst.bus + 4096U, 64, dst.bus + 16U},
            {"source past the window's end", src.bus + 8000U, dst.bus, 400, src.bus + 8000U},
        };
        for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            tb_stats(e.tb, &before);
            st = ferry_copy(&e.dev, 0, bad[i].s, bad[i].d, bad[i].len, WAIT_US, &res);
            tb_stats(e.tb, &after);
            ck_assert_msg(st == FERRY_E_DEVICE && res.err_code == FERRY_ERR_WINDOW, "%s: %s (%s), want WINDOW",
                          bad[i].what, ferry_status_str(st), ferry_err_str(res.err_code));
            ck_assert_msg(res.fault_addr == bad[i].fault, "%s: fault address 0x%" PRIX64 ", want 0x%" PRIX64,
                          bad[i].what, res.fault_addr, bad[i].fault);
            ck_assert_uint_eq(res.bytes, 0);
            ck_assert_uint_eq(res.residue, bad[i].len);
            ck_assert_msg(after.ar_count == before.ar_count && after.aw_count == before.aw_count,
                          "%s: the rejected copy reached the bus", bad[i].what);
        }
    }
    /* lock: the driver refuses, a raw write answers SLVERR and changes nothing */
    ck_assert_int_eq(ferry_windows_enable(&e.dev, 0, true, true), FERRY_OK);
    w0 = ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_WIN0_BASE_LO));
    ck_assert_int_eq(ferry_set_window(&e.dev, 0, 0, 0, 0xFFFFF000U, FERRY_WIN_READ), FERRY_E_LOCKED);
    ck_assert_int_eq(ferry_windows_enable(&e.dev, 0, false, false), FERRY_E_LOCKED);
    ferry_write32(&e.dev, FERRY_CH_REG(0, FERRY_CH_WIN0_BASE_LO), 0x3U);
    ck_assert_int_eq(ferry_sim_last_resp(e.sim), TB_RESP_SLVERR);
    ferry_sim_clear_counts(e.sim); /* that SLVERR was the point */
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_WIN0_BASE_LO)), w0);
    ck_assert_int_eq(ferry_ch_reset(&e.dev, 0, WAIT_US), FERRY_OK);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_WIN0_BASE_LO)), w0);
    ck_assert_uint_ne(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_WIN_CTRL)) & FERRY_WIN_CTRL_LOCK_MASK, 0);
    st = ferry_copy(&e.dev, 0, src.bus, out.bus, 16, WAIT_US, &res);
    ck_assert_msg(st == FERRY_E_DEVICE && res.err_code == FERRY_ERR_WINDOW, "locked windows after reset: %s",
                  ferry_status_str(st));
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    ferry_dma_free(&e.dev, &out);
    env_close(&e);
}
END_TEST

/* STATUS once ERROR is set, stepping up to 1 M cycles (far beyond any
 * watchdog setting here); the last STATUS if it never is. */
static uint32_t wait_error(struct env *e, unsigned ch)
{
    uint32_t s = 0;

    for (unsigned i = 0; i < 1000U; i++) {
        s = ferry_read32(&e->dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
        if (FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) != 0U) {
            break;
        }
        tb_step(e->tb, 1000);
    }
    return s;
}

/* Watchdog: a read that never answers gives ERROR TIMEOUT after WDOG
 * cycles, but the channel stays STOPPING and BUSY until the response comes
 * (abort and reset cannot end that); once it comes the channel stops and
 * the driver reports TIMEOUT with the bytes done. */
START_TEST(test_watchdog_held_read)
{
    struct env e;
    const size_t len = 16U * 1024U;
    struct ferry_dma_mem src, dst;
    struct ferry_result res;
    uint32_t s = 0;
    ferry_status st;

    env_open(&e);
    src = alloc(&e, len);
    dst = alloc(&e, len);
    fill(src.cpu, len, 17);
    ck_assert_int_eq(ferry_set_watchdog(&e.dev, 0, 2000), FERRY_OK);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_WDOG)), 2000U);
    ck_assert_int_eq(tb_mem_hold_responses(e.tb, src.bus + len / 2U, src.bus + len / 2U, 0, TB_HOLD_FOREVER), 0);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, src.bus, dst.bus, len), FERRY_OK);
    s = wait_error(&e, 0);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s) == FERRY_ERR_TIMEOUT &&
                      FERRY_FIELD_GET(FERRY_STATUS_STOPPING, s) == 1U && FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 1U,
                  "STATUS 0x%08" PRIX32 ": want ERROR TIMEOUT, STOPPING and BUSY (seed %" PRIu64 ")", s, g_seed);
    /* the response never comes: it stays so, whatever software does */
    tb_step(e.tb, 5000); /* 2.5 watchdog periods more: nothing changes */
    ck_assert_int_eq(ferry_copy_poll(&e.dev, 0, &res), FERRY_E_AGAIN);
    ck_assert_int_eq(ferry_abort(&e.dev, 0, 20), FERRY_E_TIMEOUT);
    s = ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS));
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_STOPPING, s), 1U);
    /* late response: accepted, the channel stops */
    tb_mem_release_responses(e.tb);
    st = ferry_copy_wait(&e.dev, 0, WAIT_US, &res);
    ck_assert_msg(st == FERRY_E_DEVICE && res.err_code == FERRY_ERR_TIMEOUT, "after the release: %s (%s)",
                  ferry_status_str(st), ferry_err_str(res.err_code));
    /* stopped: the bursts already out complete (on a wide bus all of them
     * were out before the timeout), ERR_BYTES counts exactly those */
    ck_assert_uint_le(res.bytes, len);
    ck_assert_uint_eq(res.bytes + res.residue, len);
    ck_assert_int_eq(first_diff(src.cpu, dst.cpu, res.bytes), -1);
    /* CTRL.RESET cannot end it either: it waits for the response too */
    ck_assert_int_eq(tb_mem_hold_responses(e.tb, src.bus + len / 2U, src.bus + len / 2U, 0, TB_HOLD_FOREVER), 0);
    ck_assert_int_eq(ferry_copy_start(&e.dev, 0, src.bus, dst.bus, len), FERRY_OK);
    s = wait_error(&e, 0); /* stuck at the held burst */
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s), FERRY_ERR_TIMEOUT);
    ck_assert_int_eq(ferry_ch_reset(&e.dev, 0, 20), FERRY_E_TIMEOUT);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS)) & FERRY_STATUS_BUSY_MASK, 1U);
    tb_mem_release_responses(e.tb);
    ck_assert_int_eq(ferry_ch_reset(&e.dev, 0, WAIT_US), FERRY_OK);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_STATUS)), 0U);
    ck_assert_uint_eq(ferry_read32(&e.dev, FERRY_CH_REG(0, FERRY_CH_WDOG)), 0U); /* reset value */
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    good_copy(&e, 0, 3000);
    env_close(&e);
}
END_TEST

/* ---- ferry_stop_channels: what a port does before it frees DMA memory ---- */

/* Per-channel register writes, by the generated table's channel of each offset. */
struct ch_writes {
    unsigned n[FERRY_MAX_CHANNELS];
};

static void ch_write_trace(void *user, uint32_t off, uint32_t val, enum ferry_trace_dir dir)
{
    struct ch_writes *w = user;
    int ch = -1;

    (void)val;
    if (dir == FERRY_TRACE_WRITE && ferry_reg_lookup(off, &ch) != NULL && ch >= 0 && ch < (int)FERRY_MAX_CHANNELS) {
        w->n[ch]++;
    }
}

enum stop_role { ROLE_DIRECT, ROLE_RING_BUSY, ROLE_RING_IDLE, ROLE_IDLE, ROLE_COUNT };
static const char *const stop_role_name[ROLE_COUNT] = {"direct copy", "busy ring", "idle ring", "idle"};

#define STOP_LEN (1U << 20)      /* a direct copy far from done when the stop comes */
#define STOP_DESC_LEN (16U * 1024U)
#define STOP_DESCS 15U           /* a ring of 16: all slots but one */

/* Every role on every build: the memory channels take the roles in turn
 * (one channel: four rounds). Each round starts its channels, lets them run
 * 1000 cycles and stops every channel of the device with one call. Then:
 * FERRY_OK with nothing stuck, every channel BUSY = 0 and RING_ACTIVE = 0,
 * the direct copy reports ABORTED, an idle channel got no write at all,
 * ferry_ring_fini() returns at once (budget 0), and 100,000 more cycles
 * change no byte of any destination or completion ring: nothing reaches
 * memory after the call. On a stream build a card-to-host ring with a
 * posted buffer (waiting for data that never comes) is stopped too. */
START_TEST(test_stop_channels)
{
    struct env e;
    struct ferry_dma_mem src, dst[FERRY_MAX_CHANNELS], rx_pool;
    struct ferry_ring ring[FERRY_MAX_CHANNELS];
    uint8_t *snap[FERRY_MAX_CHANNELS], *cpl_snap[FERRY_MAX_CHANNELS];
    unsigned mem[FERRY_MAX_CHANNELS], nmem = 0, nch;
    int rx_ch = -1;
    ferry_status st;

    env_open(&e);
    nch = ferry_caps(&e.dev)->channels;
    if (!ferry_caps(&e.dev)->ring || !ferry_caps(&e.dev)->direct) {
        env_close(&e);
        return;
    }
    for (unsigned ch = 0; ch < nch; ch++) {
        if (MEM_CH(ch)) {
            mem[nmem++] = ch;
        } else if (ferry_ch_kind(&e.dev, ch) == FERRY_KIND_C2H && rx_ch < 0) {
            rx_ch = (int)ch;
        }
    }
    ck_assert_uint_gt(nmem, 0U);
    src = alloc(&e, STOP_LEN);
    fill(src.cpu, STOP_LEN, 41);
    for (unsigned first = 0; first < ROLE_COUNT; first += nmem) {
        struct ch_writes w;
        enum stop_role role[FERRY_MAX_CHANNELS];
        bool has_ring[FERRY_MAX_CHANNELS];
        uint32_t stuck = 0xFFFFFFFFU;

        memset(has_ring, 0, sizeof(has_ring));
        for (unsigned ch = 0; ch < nch; ch++) {
            role[ch] = ROLE_IDLE;
        }
        for (unsigned i = 0; i < nmem && first + i < ROLE_COUNT; i++) {
            role[mem[i]] = (enum stop_role)(first + i);
        }
        for (unsigned ch = 0; ch < nch; ch++) {
            dst[ch] = alloc(&e, STOP_LEN);
            memset(dst[ch].cpu, 0, STOP_LEN);
            memset(&ring[ch], 0, sizeof(ring[ch]));
            if (role[ch] == ROLE_DIRECT) {
                ck_assert_int_eq(ferry_copy_start(&e.dev, ch, src.bus, dst[ch].bus, STOP_LEN), FERRY_OK);
            } else if (role[ch] == ROLE_RING_BUSY || role[ch] == ROLE_RING_IDLE) {
                ck_assert_int_eq(ferry_ring_init(&e.dev, ch, 4, &ring[ch]), FERRY_OK);
                has_ring[ch] = true;
                for (unsigned k = 0; role[ch] == ROLE_RING_BUSY && k < STOP_DESCS; k++) {
                    struct ferry_desc d;
                    memset(&d, 0, sizeof(d));
                    d.src = src.bus + (uint64_t)STOP_DESC_LEN * k;
                    d.dst = dst[ch].bus + (uint64_t)STOP_DESC_LEN * k;
                    d.len = STOP_DESC_LEN;
                    d.tag = (uint16_t)k;
                    ck_assert_int_eq(ferry_ring_submit(&ring[ch], &d, 1), FERRY_OK);
                }
            }
        }
        if (rx_ch >= 0 && first == 0U) {
            /* card-to-host: one posted buffer, no packet ever comes */
            ck_assert_int_eq(ferry_ring_init(&e.dev, (unsigned)rx_ch, 2, &ring[rx_ch]), FERRY_OK);
            has_ring[rx_ch] = true;
            rx_pool = alloc(&e, 4096);
            ck_assert_int_eq(ferry_rx_post(&ring[rx_ch], rx_pool.bus, 4096, 7), FERRY_OK);
        }
        tb_step(e.tb, 1000);
        for (unsigned ch = 0; ch < nch; ch++) {
            uint32_t s = ferry_read32(&e.dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
            if (role[ch] == ROLE_DIRECT || role[ch] == ROLE_RING_BUSY) {
                ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 1U,
                              "ch %u (%s): not BUSY before the stop (STATUS 0x%08" PRIX32 ", seed %" PRIu64 ")", ch,
                              stop_role_name[role[ch]], s, g_seed);
            }
            if (has_ring[ch]) {
                ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s), 1U);
            }
            if ((int)ch == rx_ch && first == 0U) {
                /* a posted receive buffer keeps the channel BUSY until data comes */
                ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_BUSY, s), 1U);
            }
        }

        memset(&w, 0, sizeof(w));
        ferry_set_trace(&e.dev, ch_write_trace, &w);
        st = ferry_stop_channels(&e.dev, (uint32_t)((1ULL << nch) - 1U), WAIT_US, &stuck);
        ferry_set_trace(&e.dev, count_trace, &e);
        ck_assert_msg(st == FERRY_OK && stuck == 0U, "stop: %s, stuck 0x%" PRIX32 " (round %u, seed %" PRIu64 ")",
                      ferry_status_str(st), stuck, first, g_seed);

        for (unsigned ch = 0; ch < nch; ch++) {
            uint32_t s = ferry_read32(&e.dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
            ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 0U &&
                              FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U,
                          "ch %u (%s): STATUS 0x%08" PRIX32 " after the stop (seed %" PRIu64 ")", ch,
                          has_ring[ch] && role[ch] == ROLE_IDLE ? "c2h ring" : stop_role_name[role[ch]], s, g_seed);
            if (role[ch] == ROLE_IDLE && !has_ring[ch]) {
                ck_assert_msg(w.n[ch] == 0U, "ch %u (idle): %u register writes", ch, w.n[ch]);
            }
            snap[ch] = malloc(STOP_LEN);
            ck_assert_ptr_nonnull(snap[ch]);
            memcpy(snap[ch], dst[ch].cpu, STOP_LEN);
            cpl_snap[ch] = NULL;
            if (has_ring[ch]) {
                cpl_snap[ch] = malloc(ring[ch].cpl.size);
                ck_assert_ptr_nonnull(cpl_snap[ch]);
                memcpy(cpl_snap[ch], ring[ch].cpl.cpu, ring[ch].cpl.size);
            }
        }
        tb_step(e.tb, 100000);
        for (unsigned ch = 0; ch < nch; ch++) {
            long d = first_diff(snap[ch], dst[ch].cpu, STOP_LEN);
            ck_assert_msg(d < 0, "ch %u (%s): destination byte %ld written after the stop (seed %" PRIu64 ")", ch,
                          stop_role_name[role[ch]], d, g_seed);
            if (has_ring[ch]) {
                d = first_diff(cpl_snap[ch], ring[ch].cpl.cpu, ring[ch].cpl.size);
                ck_assert_msg(d < 0, "ch %u: completion ring byte %ld written after the stop", ch, d);
                ck_assert_int_eq(ferry_ring_fini(&ring[ch], 0), FERRY_OK);
            }
            if (role[ch] == ROLE_DIRECT) {
                struct ferry_result res;
                st = ferry_copy_poll(&e.dev, ch, &res);
                ck_assert_msg(st == FERRY_E_DEVICE && res.err_code == FERRY_ERR_ABORTED,
                              "ch %u direct copy after the stop: %s (%s)", ch, ferry_status_str(st),
                              ferry_err_str(res.err_code));
                ck_assert_uint_lt(res.bytes, STOP_LEN);
                ck_assert_int_eq(first_diff(src.cpu, dst[ch].cpu, res.bytes), -1);
            }
            free(snap[ch]);
            free(cpl_snap[ch]);
            ferry_dma_free(&e.dev, &dst[ch]);
        }
        if (rx_ch >= 0 && first == 0U) {
            ferry_dma_free(&e.dev, &rx_pool);
        }
        /* the ring channels' ERROR (ABORTED, if the abort halted them) out of the way */
        for (unsigned ch = 0; ch < nch; ch++) {
            ferry_write32(&e.dev, FERRY_CH_REG(ch, FERRY_CH_STATUS),
                          FERRY_STATUS_DONE_MASK | FERRY_STATUS_ERROR_MASK | FERRY_STATUS_DB_OVERRUN_MASK |
                              FERRY_STATUS_CPL_MASK);
        }
    }
    ferry_dma_free(&e.dev, &src);
    good_copy(&e, mem[0], 4096);
    env_close(&e);
}
END_TEST

/* A read response that never comes: the channel stays STOPPING, so
 * ferry_stop_channels() gives up after its budget with that channel in
 * *stuck. Another channel told in the same call (an enabled ring: stopping
 * it needs no bus response, and a held response may stall every reader)
 * still stops. Once the response comes a second call finds every channel
 * stopped. Bad arguments touch no register. */
START_TEST(test_stop_channels_held)
{
    struct env e;
    struct ferry_dma_mem src, dst;
    struct ferry_dev unprobed;
    struct ferry_ring r;
    unsigned nch, held, other = FERRY_MAX_CHANNELS, reads, writes;
    uint32_t stuck = 0xFFFFFFFFU, s;
    uint64_t t0, us;
    ferry_status st;

    env_open(&e);
    nch = ferry_caps(&e.dev)->channels;
    /* arguments */
    reads = e.reads;
    writes = e.writes;
    ck_assert_int_eq(ferry_stop_channels(NULL, 1, 10, &stuck), FERRY_E_INVAL);
    ck_assert_uint_eq(stuck, 0U);
    ck_assert_int_eq(ferry_stop_channels(&e.dev, 1U << nch, 10, NULL), FERRY_E_INVAL);
    memset(&unprobed, 0, sizeof(unprobed));
    ck_assert_int_eq(ferry_stop_channels(&unprobed, 1, 10, NULL), FERRY_E_NOTPROBED);
    ck_assert_uint_eq(e.reads, reads);
    ck_assert_uint_eq(e.writes, writes);
    ck_assert_int_eq(ferry_stop_channels(&e.dev, 0, 10, &stuck), FERRY_OK); /* nothing asked */
    ck_assert_uint_eq(e.reads + e.writes, reads + writes);

    held = MEM_CH(0) ? 0U : 3U;
    for (unsigned ch = 0; ch < nch; ch++) {
        if (ch != held && MEM_CH(ch)) {
            other = ch;
            break;
        }
    }
    src = alloc(&e, STOP_LEN);
    dst = alloc(&e, STOP_LEN);
    fill(src.cpu, STOP_LEN, 43);
    memset(&r, 0, sizeof(r));
    if (other < nch && ferry_caps(&e.dev)->ring) {
        ck_assert_int_eq(ferry_ring_init(&e.dev, other, 2, &r), FERRY_OK);
    }
    ck_assert_int_eq(tb_mem_hold_responses(e.tb, src.bus + 8192U, src.bus + 8192U, 0, TB_HOLD_FOREVER), 0);
    ck_assert_int_eq(ferry_copy_start(&e.dev, held, src.bus, dst.bus, STOP_LEN), FERRY_OK);
    tb_step(e.tb, 20000); /* the copy reaches the held burst */
    t0 = tb_cycle(e.tb);
    st = ferry_stop_channels(&e.dev, (uint32_t)((1ULL << nch) - 1U), 100, &stuck);
    us = (tb_cycle(e.tb) - t0) / FERRY_SIM_CYCLES_PER_US;
    ck_assert_msg(st == FERRY_E_TIMEOUT && stuck == 1U << held,
                  "stop with a held read on ch %u: %s, stuck 0x%" PRIX32 " (seed %" PRIu64 ")", held,
                  ferry_status_str(st), stuck, g_seed);
    /* us is rounded down to whole microseconds, as the port's clock is */
    ck_assert_msg(us + 1U >= 100U && us < 1000U, "a 100 us budget took %" PRIu64 " us", us);
    s = ferry_read32(&e.dev, FERRY_CH_REG(held, FERRY_CH_STATUS));
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 1U && FERRY_FIELD_GET(FERRY_STATUS_STOPPING, s) == 1U,
                  "held ch %u: STATUS 0x%08" PRIX32 ", want BUSY and STOPPING", held, s);
    if (r.dev != NULL) {
        s = ferry_read32(&e.dev, FERRY_CH_REG(other, FERRY_CH_STATUS));
        ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U,
                      "ch %u: STATUS 0x%08" PRIX32 ": its ring still active after the stop", other, s);
        ck_assert_int_eq(ferry_ring_fini(&r, 0), FERRY_OK);
    }
    tb_mem_release_responses(e.tb);
    ck_assert_int_eq(ferry_stop_channels(&e.dev, (uint32_t)((1ULL << nch) - 1U), WAIT_US, &stuck), FERRY_OK);
    ck_assert_uint_eq(stuck, 0U);
    ferry_write32(&e.dev, FERRY_CH_REG(held, FERRY_CH_STATUS),
                  FERRY_STATUS_DONE_MASK | FERRY_STATUS_ERROR_MASK | FERRY_STATUS_DB_OVERRUN_MASK);
    ferry_dma_free(&e.dev, &src);
    ferry_dma_free(&e.dev, &dst);
    good_copy(&e, held, 4096);
    env_close(&e);
}
END_TEST

/* ---- issue 8: stream channels (docs/streams.md) ---- */

/* A fake interface-2.1 card whose channel 0 has the given kind
 * (register file as in fake_regfile_open; data_bytes 0 = 8). */
static void fake_stream_open(struct fake *f, struct ferry_dev *dev, enum ferry_ch_kind kind, unsigned data_bytes)
{
    fake_regfile_open(f, dev, data_bytes, 0);
    f->version = FERRY_IF_VERSION_MAJOR << 16 | 1U;
    f->cap2 = kind == FERRY_KIND_H2C ? FERRY_FIELD_PREP(FERRY_CAP2_H2C, 1U)
              : kind == FERRY_KIND_C2H ? FERRY_FIELD_PREP(FERRY_CAP2_C2H, 1U)
                                       : 0U;
    ck_assert_int_eq(fake_probe(f, dev), FERRY_OK);
    ck_assert_int_eq(ferry_ch_kind(dev, 0), kind);
    ck_assert_int_eq(ferry_ch_kind(dev, 1), FERRY_KIND_MEM);
}

static struct ferry_desc slot_desc(const struct ferry_ring *r, uint32_t k)
{
    struct ferry_desc d;

    ferry_desc_decode(&d, (const uint8_t *)r->desc.cpu + (size_t)k * FERRY_DESC_SIZE);
    return d;
}

/* A len the 24-bit LEN field cannot hold is refused before anything is
 * written, alone or in a batch; it used to go out as its low 24 bits (a
 * "successful" short copy: 0x1000010 bytes became 0x10). */
START_TEST(test_fake_submit_len_max)
{
    struct fake ff, *f = &ff;
    struct ferry_dev dev;
    struct ferry_ring r;
    struct ferry_desc d[2] = {
        {.src = 0x100000U, .dst = 0x2000000U, .len = 0x100U, .tag = 1},
        {.src = 0x100000U, .dst = 0x2000000U, .len = FERRY_DESC_LEN_MAX + 0x11U, .tag = 2},
    };
    uint8_t zero[FERRY_DESC_SIZE] = {0};
    unsigned writes;

    fake_regfile_open(f, &dev, 8, 0);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 3, &r), FERRY_OK);
    writes = f->writes;
    ck_assert_int_eq(ferry_ring_submit(&r, &d[1], 1), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit(&r, d, 2), FERRY_E_INVAL);
    ck_assert_uint_eq(f->writes, writes);
    ck_assert_uint_eq(ferry_ring_space(&r), 7U);
    ck_assert_uint_eq(r.prod, 0U);
    ck_assert_mem_eq(r.desc.cpu, zero, sizeof(zero));
    ck_assert_mem_eq((uint8_t *)r.desc.cpu + FERRY_DESC_SIZE, zero, sizeof(zero));
    /* the largest length that fits goes out whole */
    d[1].len = FERRY_DESC_LEN_MAX;
    ck_assert_int_eq(ferry_ring_submit(&r, d, 2), FERRY_OK);
    ck_assert_uint_eq(slot_desc(&r, 0).len, 0x100U);
    ck_assert_uint_eq(slot_desc(&r, 1).len, FERRY_DESC_LEN_MAX);
    ck_assert_uint_eq(F_REG(FERRY_CH_RING_PROD), 2U);
}
END_TEST

/* A list element longer than the ring can ever hold is refused at once,
 * whatever its length: the descriptor count is checked before each
 * descriptor is (a 2^63-byte element used to run 2^39 checks, hours, before
 * FERRY_E_INVAL). Runs in a test case of its own with a short timeout. */
START_TEST(test_fake_sg_huge_len)
{
    static const uint64_t lens[] = {1ULL << 63, UINT64_MAX, UINT64_MAX / 2U, 16ULL * FERRY_SG_SPLIT,
                                    15ULL * FERRY_SG_SPLIT + 1U};
    struct fake ff, *f = &ff;
    struct ferry_dev dev;
    struct ferry_ring r;
    struct ferry_sg sg[2];
    struct timespec t0, t1;
    unsigned nd = 99, writes;
    double secs;

    memset(f, 0, sizeof(*f));
    f->id = FERRY_MAGIC;
    f->version = FERRY_IF_VERSION_MAJOR << 16;
    f->ring = true;
    f->regfile = true;
    f->addr_width = 64; /* every length is in range: only the count refuses */
    ck_assert_int_eq(fake_probe(f, &dev), FERRY_OK);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 4, &r), FERRY_OK); /* 15 descriptors at most */
    writes = f->writes;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        sg[0] = (struct ferry_sg){.src = 0, .dst = 0, .len = lens[i]};
        ck_assert_msg(ferry_ring_submit_sg(&r, sg, 1, 0, &nd) == FERRY_E_INVAL, "len 0x%" PRIx64, lens[i]);
        ck_assert_uint_eq(nd, 0);
    }
    /* the count adds up over the list: 14 + 2 descriptors do not fit */
    sg[0] = (struct ferry_sg){.src = 0x1000, .dst = 0x1000, .len = 14ULL * FERRY_SG_SPLIT};
    sg[1] = (struct ferry_sg){.src = 0x1000, .dst = 0x1000, .len = 1ULL << 63};
    ck_assert_int_eq(ferry_ring_submit_sg(&r, sg, 2, 0, &nd), FERRY_E_INVAL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(secs < 0.5, "refusals took %.3f s", secs);
    ck_assert_uint_eq(f->writes, writes);
    ck_assert_uint_eq(ferry_ring_space(&r), 15U);
    /* exactly 15 descriptors fit */
    sg[0].len = 15ULL * FERRY_SG_SPLIT;
    ck_assert_int_eq(ferry_ring_submit_sg(&r, sg, 1, 0, &nd), FERRY_OK);
    ck_assert_uint_eq(nd, 15);
}
END_TEST

/* Probe reads CAP2 from interface 2.1 on only, and refuses masks that
 * cannot be; ferry_ch_kind() follows them. No hardware is written. */
START_TEST(test_fake_cap2_probe)
{
    struct ferry_dev dev;
    struct fake f;

    memset(&f, 0, sizeof(f));
    f.id = FERRY_MAGIC;
    f.version = 0x00020000U; /* 2.0: no CAP2 */
    f.cap2 = 0x00020001U;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_OK);
    ck_assert_uint_eq(f.cap2_reads, 0);
    ck_assert_uint_eq(ferry_caps(&dev)->cap2, 0);
    ck_assert_int_eq(ferry_ch_kind(&dev, 0), FERRY_KIND_MEM);
    ck_assert_int_eq(ferry_ch_kind(&dev, 1), FERRY_KIND_MEM);

    f.version = 0x00020001U; /* 2.1: channel 0 host-to-card, 1 card-to-host */
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_OK);
    ck_assert_uint_eq(f.cap2_reads, 1);
    ck_assert_uint_eq(ferry_caps(&dev)->cap2, 0x00020001U);
    ck_assert_uint_eq(ferry_caps(&dev)->h2c_mask, 1U);
    ck_assert_uint_eq(ferry_caps(&dev)->c2h_mask, 2U);
    ck_assert_int_eq(ferry_ch_kind(&dev, 0), FERRY_KIND_H2C);
    ck_assert_int_eq(ferry_ch_kind(&dev, 1), FERRY_KIND_C2H);
    ck_assert_int_eq(ferry_ch_kind(&dev, 2), FERRY_KIND_MEM); /* no such channel */
    ck_assert_int_eq(ferry_ch_kind(NULL, 0), FERRY_KIND_MEM);
    f.cap2 = 0x00010001U; /* channel 0 of both kinds */
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_NODEV);
    ck_assert_int_eq(ferry_ch_kind(&dev, 0), FERRY_KIND_MEM); /* not probed */
    f.cap2 = 0x00000004U; /* a kind for channel 2 of 2 */
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_NODEV);
    f.cap2 = 0x00040000U;
    ck_assert_int_eq(fake_probe(&f, &dev), FERRY_E_NODEV);
    ck_assert_uint_eq(f.writes, 0);
}
END_TEST

/* TX descriptors as the spec encodes them: side-band in DST, EOP on a
 * packet's last descriptor, splits at FERRY_SG_SPLIT; misuse refused before
 * any register access. */
START_TEST(test_fake_tx_encoding)
{
    struct ferry_dev dev;
    struct ferry_ring r;
    struct fake fk;
    struct fake *f = &fk;
    struct ferry_desc d;
    unsigned nd = 99;
    unsigned reads, writes;

    fake_stream_open(f, &dev, FERRY_KIND_H2C, 0);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 3, &r), FERRY_OK);
    reads = f->reads;
    writes = f->writes;
    /* misuse: nothing touched */
    ck_assert_int_eq(ferry_tx_post(&r, 0x1000, 0, 0, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_tx_post(&r, 0x1000, FERRY_DESC_LEN_MAX + 1U, 0, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_tx_post(&r, 0x1000, 16, FERRY_DESC_TWO_D, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_tx_post(&r, 0x1000, 16, FERRY_DESC_DST_FIXED, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_tx_post(&r, (1ULL << 48) - 8U, 16, 0, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_tx_post(NULL, 0x1000, 16, 0, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_tx_send(&r, 0x1000, 0, 0, 0, 0, &nd), FERRY_E_INVAL);
    ck_assert_uint_eq(nd, 0);
    ck_assert_int_eq(ferry_tx_send(&r, 0x1000, 16, FERRY_TX_EOP, 0, 0, NULL), FERRY_E_INVAL); /* EOP is implied */
    ck_assert_int_eq(ferry_tx_send(&r, 0x1000, 8ULL * FERRY_SG_SPLIT, 0, 0, 0, NULL), FERRY_E_INVAL); /* never fits */
    ck_assert_int_eq(ferry_rx_post(&r, 0x1000, 64, 1), FERRY_E_KIND);
    {
        ferry_rx_cpl_t c;
        ferry_rx_pkt_t p;
        unsigned n = 5;
        uint8_t buf[8];
        struct ferry_dma_mem pool = {.cpu = buf, .bus = 0x1000, .size = sizeof(buf)};
        ck_assert_int_eq(ferry_rx_reap(&r, &c, 1, &n), FERRY_E_KIND);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(ferry_rx_repost(&r, &c), FERRY_E_KIND);
        ck_assert_int_eq(ferry_rx_packet(&r, &pool, buf, sizeof(buf), &p, 10), FERRY_E_KIND);
    }
    ck_assert_int_eq(ferry_set_max_pkt(&dev, 0, 64), FERRY_E_KIND);
    ck_assert_int_eq(ferry_set_max_pkt(&dev, 1, 64), FERRY_E_KIND);
    ck_assert_uint_eq(f->reads, reads);
    ck_assert_uint_eq(f->writes, writes);

    /* one descriptor: DST = {TID, TUSER}, flags as given */
    ck_assert_int_eq(ferry_tx_post(&r, 0x12345, 100, FERRY_DESC_IRQ, 0xAB, 0xCD), FERRY_OK);
    d = slot_desc(&r, 0);
    ck_assert_uint_eq(d.src, 0x12345U);
    ck_assert_uint_eq(d.dst, 0xCDABU);
    ck_assert_uint_eq(d.len, 100);
    ck_assert_uint_eq(d.flags, FERRY_DESC_IRQ);
    ck_assert_uint_eq(d.rows + d.src_stride + d.dst_stride, 0);
    ck_assert_uint_eq(F_REG(FERRY_CH_RING_PROD), 1);
    ck_assert_int_eq(ferry_tx_post(&r, 0x20001, 3, FERRY_TX_EOP, 0x01, 0x02), FERRY_OK);
    d = slot_desc(&r, 1);
    ck_assert_uint_eq(d.flags, FERRY_DESC_EOP);
    ck_assert_uint_eq(d.dst, 0x0201U);
    /* a packet of 2 x SPLIT + 5 bytes: three descriptors, EOP and IRQ on the last */
    ck_assert_int_eq(ferry_tx_send(&r, 0x1000003, 2ULL * FERRY_SG_SPLIT + 5U, FERRY_DESC_IRQ, 7, 9, &nd), FERRY_OK);
    ck_assert_uint_eq(nd, 3);
    for (unsigned k = 0; k < 3; k++) {
        d = slot_desc(&r, 2U + k);
        ck_assert_uint_eq(d.src, 0x1000003U + (uint64_t)k * FERRY_SG_SPLIT);
        ck_assert_uint_eq(d.len, k < 2U ? FERRY_SG_SPLIT : 5U);
        ck_assert_uint_eq(d.flags, k < 2U ? 0U : (FERRY_DESC_EOP | FERRY_DESC_IRQ));
        ck_assert_uint_eq(d.dst, 0x0907U);
    }
    ck_assert_uint_eq(F_REG(FERRY_CH_RING_PROD), 5);
    /* 2 free slots of 7: a 3-descriptor packet is refused whole */
    writes = f->writes;
    ck_assert_int_eq(ferry_tx_send(&r, 0x1000, 2ULL * FERRY_SG_SPLIT + 1U, 0, 0, 0, &nd), FERRY_E_BUSY);
    ck_assert_uint_eq(f->writes, writes);
    ck_assert_uint_eq(ferry_ring_space(&r), 2);
    ck_assert_int_eq(ferry_ring_fini(&r, 1000), FERRY_OK);
}
END_TEST

/* RX buffers: alignment to CAP0.DATA_BYTES checked before any access;
 * the descriptor; a record's SOP/EOP/TUSER/TID as rx_reap gives them;
 * TRUNCATED is a completion, not a halt; ferry_rx_packet gathers. */
START_TEST(test_fake_rx_encoding)
{
    struct ferry_dev dev;
    struct ferry_ring r;
    struct fake fk;
    struct fake *f = &fk;
    struct ferry_desc d;
    struct ferry_dma_mem pool;
    ferry_rx_cpl_t c[4];
    ferry_rx_pkt_t p;
    uint8_t out[64];
    unsigned n, reads, writes;

    fake_stream_open(f, &dev, FERRY_KIND_C2H, 16);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 3, &r), FERRY_OK);
    reads = f->reads;
    writes = f->writes;
    ck_assert_int_eq(ferry_rx_post(&r, 0x1008, 64, 1), FERRY_E_ALIGN); /* address: 8 of 16 */
    ck_assert_int_eq(ferry_rx_post(&r, 0x1000, 72, 1), FERRY_E_ALIGN); /* length */
    ck_assert_int_eq(ferry_rx_post(&r, 0x1001, 1, 1), FERRY_E_ALIGN);
    ck_assert_int_eq(ferry_rx_post(&r, 0x1000, 0, 1), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_rx_post(&r, (1ULL << 48) - 16U, 32, 1), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_tx_post(&r, 0x1000, 16, 0, 0, 0), FERRY_E_KIND);
    ck_assert_int_eq(ferry_tx_send(&r, 0x1000, 16, 0, 0, 0, NULL), FERRY_E_KIND);
    ck_assert_int_eq(ferry_copy_start(&dev, 0, 0x1000, 0x2000, 64), FERRY_E_KIND); /* STREAM_MODE */
    ck_assert_uint_eq(f->reads, reads);
    ck_assert_uint_eq(f->writes, writes);

    pool.cpu = calloc(1, 4096);
    ck_assert_ptr_nonnull(pool.cpu);
    pool.bus = 0x40000;
    pool.size = 4096;
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_int_eq(ferry_rx_post(&r, pool.bus + 32U * i, 32, (uint16_t)(0x70U + i)), FERRY_OK);
        d = slot_desc(&r, i);
        ck_assert_uint_eq(d.dst, pool.bus + 32U * i);
        ck_assert_uint_eq(d.src, 0);
        ck_assert_uint_eq(d.len, 32);
        ck_assert_uint_eq(d.flags, FERRY_DESC_IRQ);
        ck_assert_uint_eq(d.tag, 0x70U + i);
    }
    ck_assert_uint_eq(F_REG(FERRY_CH_RING_PROD), 4);

    /* a 40-byte packet in buffers 0 and 1 (TUSER 0x11, TID 0x22), then a
     * TRUNCATED one in buffer 2 (TUSER 0x33, TID 0x44); the device writes
     * the records (w3 = {TID, TUSER}) and moves RING_CONS past them */
    for (unsigned i = 0; i < 40; i++) {
        ((uint8_t *)pool.cpu)[i] = (uint8_t)(i + 1U);
    }
    for (unsigned i = 0; i < 16; i++) {
        ((uint8_t *)pool.cpu)[64 + i] = (uint8_t)(0xC0U + i);
    }
    {
        struct ferry_cpl rec[3] = {
            {.index = 0, .phase = true, .bytes = 32, .tag = 0x70, .fault_addr = 0x2211, .sop = true},
            {.index = 1, .phase = true, .bytes = 8, .tag = 0x71, .fault_addr = 0x2211, .eop = true},
            {.index = 2, .phase = true, .bytes = 16, .tag = 0x72, .fault_addr = 0x4433, .sop = true, .eop = true,
             .status = FERRY_ERR_TRUNCATED},
        };
        for (unsigned i = 0; i < 3; i++) {
            ferry_cpl_encode((uint8_t *)r.cpl.cpu + (size_t)i * FERRY_CPL_SIZE, &rec[i]);
        }
    }
    F_REG(FERRY_CH_RING_CONS) = 3;
    F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK | FERRY_STATUS_BUSY_MASK | FERRY_STATUS_ERROR_MASK |
                             FERRY_FIELD_PREP(FERRY_STATUS_ERR_CODE, FERRY_ERR_TRUNCATED);
    ck_assert_int_eq(ferry_rx_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert(c[0].sop && !c[0].eop && !c[1].sop && c[1].eop && c[2].sop && c[2].eop);
    ck_assert_uint_eq(c[0].bytes, 32);
    ck_assert_uint_eq(c[1].bytes, 8);
    ck_assert_uint_eq(c[0].user_tag, 0x70);
    ck_assert_uint_eq(c[1].bus, pool.bus + 32U);
    ck_assert_uint_eq(c[1].size, 32);
    ck_assert_uint_eq(c[1].index, 1);
    ck_assert_uint_eq(c[0].tuser, 0x11);
    ck_assert_uint_eq(c[0].tid, 0x22);
    ck_assert_uint_eq(c[0].fault_addr, 0);
    ck_assert_uint_eq(c[2].status, FERRY_ERR_TRUNCATED);
    ck_assert(!c[2].halted);
    ck_assert_uint_eq(c[2].tuser, 0x33);
    ck_assert_uint_eq(c[2].tid, 0x44);
    /* re-post them: slots 4, 5, 6 get the same buffers */
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_int_eq(ferry_rx_repost(&r, &c[i]), FERRY_OK);
        d = slot_desc(&r, 4U + i);
        ck_assert_uint_eq(d.dst, c[i].bus);
        ck_assert_uint_eq(d.tag, c[i].user_tag);
    }
    ck_assert_uint_eq(ferry_ring_space(&r), 3); /* 4 of 7 posted */

    /* ferry_rx_packet: a packet over slots 3 (buffer 3) and 4 (buffer 0),
     * and nothing more within the budget */
    for (unsigned i = 0; i < 32; i++) {
        ((uint8_t *)pool.cpu)[96 + i] = (uint8_t)(0x80U + i);
        ((uint8_t *)pool.cpu)[i] = (uint8_t)(0xA0U + i);
    }
    {
        struct ferry_cpl rec[2] = {
            {.index = 3, .phase = true, .bytes = 32, .tag = 0x73, .fault_addr = 0x0605, .sop = true},
            {.index = 4, .phase = true, .bytes = 16, .tag = 0x70, .fault_addr = 0x0807, .eop = true},
        };
        ferry_cpl_encode((uint8_t *)r.cpl.cpu + 3U * FERRY_CPL_SIZE, &rec[0]);
        ferry_cpl_encode((uint8_t *)r.cpl.cpu + 4U * FERRY_CPL_SIZE, &rec[1]);
    }
    F_REG(FERRY_CH_RING_CONS) = 5;
    memset(out, 0, sizeof(out));
    ck_assert_int_eq(ferry_rx_packet(&r, &pool, out, sizeof(out), &p, 1000), FERRY_OK);
    ck_assert_uint_eq(p.len, 48);
    ck_assert_uint_eq(p.copied, 48);
    ck_assert_uint_eq(p.bufs, 2);
    ck_assert_uint_eq(p.tuser, 0x07);
    ck_assert_uint_eq(p.tid, 0x08);
    for (unsigned i = 0; i < 48; i++) {
        ck_assert_uint_eq(out[i], i < 32U ? 0x80U + i : 0xA0U + (i - 32U));
    }
    ck_assert_uint_eq(F_REG(FERRY_CH_RING_PROD), 1); /* both re-posted (slots 7 and 0) */
    ck_assert_int_eq(ferry_rx_packet(&r, &pool, out, sizeof(out), &p, 20), FERRY_E_TIMEOUT);
    ck_assert_uint_eq(p.len, 0);
    /* a packet's first buffer (slot 5: buffer 1) within one call's budget,
     * its last (slot 6: buffer 2) only later: the second call continues it */
    memset(out, 0, sizeof(out));
    {
        struct ferry_cpl rec = {.index = 5, .phase = true, .bytes = 32, .tag = 0x71, .sop = true};
        ferry_cpl_encode((uint8_t *)r.cpl.cpu + 5U * FERRY_CPL_SIZE, &rec);
    }
    F_REG(FERRY_CH_RING_CONS) = 6;
    ck_assert_int_eq(ferry_rx_packet(&r, &pool, out, sizeof(out), &p, 20), FERRY_E_TIMEOUT);
    ck_assert_uint_eq(p.len, 32);
    ck_assert_uint_eq(p.bufs, 1);
    {
        struct ferry_cpl rec = {.index = 6, .phase = true, .bytes = 16, .tag = 0x72, .eop = true, .fault_addr = 0x0B0A};
        ferry_cpl_encode((uint8_t *)r.cpl.cpu + 6U * FERRY_CPL_SIZE, &rec);
    }
    F_REG(FERRY_CH_RING_CONS) = 7;
    ck_assert_int_eq(ferry_rx_packet(&r, &pool, out, sizeof(out), &p, 1000), FERRY_OK);
    ck_assert_uint_eq(p.len, 48);
    ck_assert_uint_eq(p.bufs, 2);
    ck_assert_uint_eq(p.tuser, 0x0A);
    ck_assert_uint_eq(p.tid, 0x0B);
    ck_assert_msg(first_diff(out, (const uint8_t *)pool.cpu + 32, 48) < 0, "continued packet differs");
    /* a pool the buffer is not in */
    {
        struct ferry_dma_mem other = pool;
        struct ferry_cpl rec = {.index = 7, .phase = true, .bytes = 16, .tag = 0x71, .eop = true, .sop = true};
        other.bus = 0x90000;
        ferry_cpl_encode((uint8_t *)r.cpl.cpu + 7U * FERRY_CPL_SIZE, &rec);
        F_REG(FERRY_CH_RING_CONS) = 0;
        ck_assert_int_eq(ferry_rx_packet(&r, &other, out, sizeof(out), &p, 1000), FERRY_E_INVAL);
    }
    F_REG(FERRY_CH_STATUS) = FERRY_STATUS_RING_ACTIVE_MASK;
    ck_assert_int_eq(ferry_ring_fini(&r, 1000), FERRY_OK);
    free(pool.cpu);
}
END_TEST

/* Every build: ferry_ch_kind() and STREAM.KIND agree with the build's
 * masks; on a memory channel every stream call is refused with
 * FERRY_E_KIND before any register access, and read_counters reads no
 * stream register. Builds without stream channels: every channel is MEM. */
START_TEST(test_stream_kinds)
{
    struct env e;
    struct ferry_ring r;
    struct ferry_counters cnt;
    struct ferry_stream_state ss;
    unsigned nch, mem_ch = 0;
    bool found_mem = false;

    env_open(&e);
    nch = ferry_caps(&e.dev)->channels;
    ck_assert_uint_eq(ferry_caps(&e.dev)->version_minor, FERRY_IF_VERSION_MINOR);
    ck_assert_uint_eq(ferry_caps(&e.dev)->h2c_mask, FERRY_H2C_MASK);
    ck_assert_uint_eq(ferry_caps(&e.dev)->c2h_mask, FERRY_C2H_MASK);
    for (unsigned ch = 0; ch < nch; ch++) {
        enum ferry_ch_kind want = ((FERRY_H2C_MASK >> ch) & 1U) != 0U   ? FERRY_KIND_H2C
                                  : ((FERRY_C2H_MASK >> ch) & 1U) != 0U ? FERRY_KIND_C2H
                                                                       : FERRY_KIND_MEM;
        uint32_t v = ferry_read32(&e.dev, FERRY_CH_REG(ch, FERRY_CH_STREAM));
        ck_assert_msg(ferry_ch_kind(&e.dev, ch) == want, "ch %u: kind %d, want %d", ch, ferry_ch_kind(&e.dev, ch), want);
        ck_assert_msg(FERRY_FIELD_GET(FERRY_STREAM_KIND, v) == (uint32_t)want, "ch %u: STREAM 0x%08" PRIX32, ch, v);
        if (want != FERRY_KIND_MEM) {
            ck_assert_int_eq(ferry_stream_state(&e.dev, ch, &ss), FERRY_OK);
            ck_assert_int_eq(ss.kind, want);
            ck_assert(!ss.starved && !ss.in_packet);
        } else if (!found_mem) {
            found_mem = true;
            mem_ch = ch;
        }
    }
    if (!HAVE_STREAMS) {
        printf("test_stream_kinds: no stream channels in this build (CFG=stream has them): every channel "
               "is memory to memory\n");
    }
    ck_assert(found_mem);
    ck_assert_int_eq(ferry_ring_init(&e.dev, mem_ch, 3, &r), FERRY_OK);
    e.reads = e.writes = 0;
    {
        ferry_rx_cpl_t c;
        ferry_rx_pkt_t p;
        unsigned n = 1;
        struct ferry_dma_mem pool = r.cpl; /* any memory: refused before it matters */
        ck_assert_int_eq(ferry_tx_post(&r, 0x10000000, 64, FERRY_TX_EOP, 0, 0), FERRY_E_KIND);
        ck_assert_int_eq(ferry_tx_send(&r, 0x10000000, 64, 0, 0, 0, NULL), FERRY_E_KIND);
        ck_assert_int_eq(ferry_rx_post(&r, 0x10000000, 64, 0), FERRY_E_KIND);
        ck_assert_int_eq(ferry_rx_reap(&r, &c, 1, &n), FERRY_E_KIND);
        ck_assert_int_eq(ferry_rx_packet(&r, &pool, NULL, 0, &p, WAIT_US), FERRY_E_KIND);
        ck_assert_int_eq(ferry_set_max_pkt(&e.dev, mem_ch, 64), FERRY_E_KIND);
        ck_assert_int_eq(ferry_stream_state(&e.dev, mem_ch, &ss), FERRY_E_KIND);
    }
    ck_assert_msg(e.reads == 0 && e.writes == 0, "refused stream calls touched hardware: %u reads, %u writes", e.reads,
                  e.writes);
    ck_assert_int_eq(ferry_read_counters(&e.dev, mem_ch, &cnt), FERRY_OK);
    ck_assert_uint_eq(e.reads, 5U * 3U + 2U); /* five 64-bit counters, DESC_DONE, ERRORS: no stream register */
    ck_assert_uint_eq(cnt.starve_cycles + cnt.packets, 0);
    ck_assert_int_eq(ferry_ring_fini(&r, WAIT_US), FERRY_OK);
    good_copy(&e, mem_ch, 100);
    env_close(&e);
}
END_TEST

#if HAVE_STREAMS
/* A host-to-card and a card-to-host channel looped back in the bench, a
 * TX ring, an RX ring and a pool of receive buffers. */
struct sx {
    struct env e;
    unsigned h2c, c2h;
    struct ferry_ring tx, rx;
    struct ferry_dma_mem pool, src;
    uint32_t buf;   /* receive buffer size */
    unsigned nbufs;
    uint8_t *out;   /* receive copy */
    size_t out_cap;
};

static unsigned lowest(unsigned mask)
{
    unsigned c = 0;

    while (((mask >> c) & 1U) == 0U) {
        c++;
    }
    return c;
}

/* post: how many of the nbufs buffers to post now (the rest stay for later). */
static void sx_open(struct sx *x, unsigned log2_tx, unsigned log2_rx, uint32_t buf, unsigned nbufs, unsigned post,
                    size_t src_len)
{
    ferry_status st;

    memset(x, 0, sizeof(*x));
    env_open(&x->e);
    ferry_set_trace(&x->e.dev, NULL, NULL);
    x->h2c = lowest(FERRY_H2C_MASK);
    x->c2h = lowest(FERRY_C2H_MASK);
    ck_assert_int_eq(ferry_ch_kind(&x->e.dev, x->h2c), FERRY_KIND_H2C);
    ck_assert_int_eq(ferry_ch_kind(&x->e.dev, x->c2h), FERRY_KIND_C2H);
    st = ferry_sim_stream_loopback(x->e.sim, x->h2c, x->c2h, true);
    ck_assert_msg(st == FERRY_OK, "loopback ch%u -> ch%u: %s", x->h2c, x->c2h, ferry_status_str(st));
    ck_assert_int_eq(ferry_ring_init(&x->e.dev, x->h2c, log2_tx, &x->tx), FERRY_OK);
    ck_assert_int_eq(ferry_ring_init(&x->e.dev, x->c2h, log2_rx, &x->rx), FERRY_OK);
    x->buf = buf;
    x->nbufs = nbufs;
    x->pool = alloc(&x->e, (size_t)buf * nbufs);
    x->src = alloc(&x->e, src_len);
    x->out_cap = src_len;
    x->out = malloc(src_len);
    ck_assert_ptr_nonnull(x->out);
    for (unsigned i = 0; i < post; i++) {
        ck_assert_int_eq(ferry_rx_post(&x->rx, x->pool.bus + (uint64_t)buf * i, buf, (uint16_t)i), FERRY_OK);
    }
}

static void sx_close(struct sx *x)
{
    ck_assert_int_eq(ferry_ring_fini(&x->tx, STREAM_WAIT_US), FERRY_OK);
    ck_assert_int_eq(ferry_ring_fini(&x->rx, STREAM_WAIT_US), FERRY_OK);
    ferry_dma_free(&x->e.dev, &x->pool);
    ferry_dma_free(&x->e.dev, &x->src);
    free(x->out);
    env_close(&x->e);
}

/* Reaps n TX completions (status 0) and returns their bytes. */
static uint64_t sx_tx_reap(struct sx *x, unsigned n)
{
    struct ferry_cpl c[64];
    uint64_t bytes = 0;
    unsigned got = 0;
    ferry_status st;

    ck_assert_uint_le(n, 64);
    st = ferry_ring_wait(&x->tx, n, STREAM_WAIT_US, c, &got);
    ck_assert_msg(st == FERRY_OK, "TX reap: %s, %u of %u (seed %" PRIu64 ")", ferry_status_str(st), got, n, g_seed);
    for (unsigned i = 0; i < got; i++) {
        ck_assert_msg(c[i].status == FERRY_ERR_NONE, "TX record %u: %s", i, ferry_err_str(c[i].status));
        ck_assert(!c[i].sop && !c[i].eop); /* H2C records keep bits 24/25 at 0 */
        bytes += c[i].bytes;
    }
    return bytes;
}

/* Receives one packet and checks every byte against want. */
static void sx_expect(struct sx *x, const uint8_t *want, size_t len, uint8_t tuser, uint8_t tid, const char *what)
{
    ferry_rx_pkt_t p;
    ferry_status st = ferry_rx_packet(&x->rx, &x->pool, x->out, x->out_cap, &p, STREAM_WAIT_US);
    long d;

    ck_assert_msg(st == FERRY_OK, "%s (%zu bytes): rx_packet %s after %zu bytes (seed %" PRIu64 ")", what, len,
                  ferry_status_str(st), p.len, g_seed);
    ck_assert_msg(p.len == len && p.copied == len, "%s: %zu bytes received, want %zu", what, p.len, len);
    ck_assert_msg(p.bufs == (len + x->buf - 1U) / x->buf, "%s: %u buffers, want %zu", what, p.bufs,
                  (len + x->buf - 1U) / x->buf);
    ck_assert_msg(p.tuser == tuser && p.tid == tid, "%s: TUSER 0x%02X TID 0x%02X, want 0x%02X 0x%02X", what, p.tuser,
                  p.tid, tuser, tid);
    d = first_diff(want, x->out, len);
    ck_assert_msg(d < 0, "%s (%zu bytes): byte %ld is 0x%02X, want 0x%02X (seed %" PRIu64 ")", what, len, d,
                  d >= 0 ? x->out[d] : 0U, d >= 0 ? want[d] : 0U, g_seed);
}

/* Packets of 1 byte to many buffers through the loopback, each sent with
 * ferry_tx_send from an unaligned source and received with ferry_rx_packet,
 * every byte checked; 256-byte buffers in a 16-entry RX ring and an 8-entry
 * TX ring, so both rings wrap several times. */
START_TEST(test_stream_loopback_packets)
{
    static const size_t lens[] = {1, 2, 7, 8, 9, 63, 64, 65, 255, 256, 257, 511, 512, 513, 1000, 1500, 3333};
    struct sx x;
    struct ferry_counters c0, c1;
    uint64_t s = g_seed * 0x9E3779B97F4A7C15ULL + 3U;
    unsigned npkt = 0, nbufs = 0;

    sx_open(&x, 3, 4, 256, 15, 15, 8192);
    fill(x.src.cpu, 8192, 11);
    ck_assert_int_eq(ferry_read_counters(&x.e.dev, x.c2h, &c0), FERRY_OK);
    for (unsigned round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
            size_t off = (size_t)(s % 61U);
            uint8_t tuser = (uint8_t)(s >> 8), tid = (uint8_t)(s >> 16);
            unsigned nd = 0;
            ferry_status st;

            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            st = ferry_tx_send(&x.tx, x.src.bus + off, lens[i], FERRY_DESC_IRQ, tuser, tid, &nd);
            ck_assert_msg(st == FERRY_OK, "tx_send %zu: %s", lens[i], ferry_status_str(st));
            ck_assert_uint_eq(nd, 1);
            sx_expect(&x, (const uint8_t *)x.src.cpu + off, lens[i], tuser, tid, "packet");
            ck_assert_uint_eq(sx_tx_reap(&x, nd), lens[i]);
            npkt++;
            nbufs += (unsigned)((lens[i] + 255U) / 256U);
        }
    }
    /* both rings wrapped several times: 16-entry RX ring, 8-entry TX ring */
    ck_assert_uint_gt(nbufs, 4U * 16U);
    ck_assert_uint_gt(npkt, 4U * 8U);
    ck_assert_uint_eq(x.rx.read, nbufs % 16U);
    ck_assert_uint_eq(x.tx.read, npkt % 8U);
    ck_assert_int_eq(ferry_read_counters(&x.e.dev, x.c2h, &c1), FERRY_OK);
    ck_assert_uint_eq(c1.packets - c0.packets, npkt);
    ck_assert_int_eq(ferry_read_counters(&x.e.dev, x.h2c, &c1), FERRY_OK);
    ck_assert_uint_eq(c1.packets, npkt);
    sx_close(&x);
}
END_TEST

/* A packet spanning descriptors (header, payload, trailer from three
 * unaligned places, EOP on the last) lands as one packet, across buffers;
 * ferry_rx_reap shows SOP on the first buffer only, EOP on the last only,
 * bytes per buffer, the tags as posted and the side-band on each. */
START_TEST(test_stream_span_descriptors)
{
    struct sx x;
    ferry_rx_cpl_t c[8];
    uint8_t want[700];
    unsigned n = 0, have = 0;
    uint64_t t0;

    sx_open(&x, 3, 4, 128, 8, 8, 4096);
    fill(x.src.cpu, 4096, 5);
    ck_assert_int_eq(ferry_tx_post(&x.tx, x.src.bus + 3, 13, 0, 0x5A, 0x3C), FERRY_OK);
    ck_assert_int_eq(ferry_tx_post(&x.tx, x.src.bus + 1001, 600, 0, 0x5A, 0x3C), FERRY_OK);
    ck_assert_int_eq(ferry_tx_post(&x.tx, x.src.bus + 2050, 87, FERRY_TX_EOP | FERRY_DESC_IRQ, 0x5A, 0x3C),
                     FERRY_OK);
    memcpy(want, (uint8_t *)x.src.cpu + 3, 13);
    memcpy(want + 13, (uint8_t *)x.src.cpu + 1001, 600);
    memcpy(want + 613, (uint8_t *)x.src.cpu + 2050, 87);
    ck_assert_uint_eq(sx_tx_reap(&x, 3), 700);
    t0 = tb_cycle(x.e.tb);
    while (have < 6 && tb_cycle(x.e.tb) - t0 < 2000000U) {
        ck_assert_int_eq(ferry_rx_reap(&x.rx, c + have, 8 - have, &n), FERRY_OK);
        have += n;
        tb_step(x.e.tb, 100);
    }
    ck_assert_uint_eq(have, 6); /* 700 bytes in 128-byte buffers */
    for (unsigned i = 0; i < 6; i++) {
        uint32_t want_bytes = i < 5U ? 128U : 700U - 5U * 128U;
        ck_assert_msg(c[i].status == FERRY_ERR_NONE, "buffer %u: %s", i, ferry_err_str(c[i].status));
        ck_assert_msg(c[i].sop == (i == 0U) && c[i].eop == (i == 5U), "buffer %u: sop %d eop %d", i, c[i].sop,
                      c[i].eop);
        ck_assert_uint_eq(c[i].bytes, want_bytes);
        ck_assert_uint_eq(c[i].user_tag, i);
        ck_assert_uint_eq(c[i].bus, x.pool.bus + 128U * i);
        ck_assert_uint_eq(c[i].tuser, 0x5A);
        ck_assert_uint_eq(c[i].tid, 0x3C);
        ck_assert_msg(first_diff(want + 128U * i, (uint8_t *)x.pool.cpu + 128U * i, want_bytes) < 0,
                      "buffer %u: data differs", i);
        ck_assert_int_eq(ferry_rx_repost(&x.rx, &c[i]), FERRY_OK);
    }
    /* and the ring goes on */
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 7, 300, 0, 1, 2, NULL), FERRY_OK);
    sx_expect(&x, (const uint8_t *)x.src.cpu + 7, 300, 1, 2, "after re-post");
    ck_assert_uint_eq(sx_tx_reap(&x, 1), 300);
    sx_close(&x);
}
END_TEST

/* MAX_PKT: a longer packet is cut at whole beats (TRUNCATED, the ring goes
 * on), the next one is whole; a packet longer than the caller's buffer is
 * FERRY_E_OVERFLOW with the first cap bytes; an RX buffer post that is not
 * beat aligned is refused before the device sees it. */
START_TEST(test_stream_truncate_overflow)
{
    struct sx x;
    struct ferry_counters c0, c1;
    ferry_rx_pkt_t p;
    ferry_status st;
    unsigned db;
    uint8_t small[100];
    unsigned reads, writes;

    sx_open(&x, 3, 4, 64, 15, 15, 4096);
    db = ferry_caps(&x.e.dev)->data_bytes;
    fill(x.src.cpu, 4096, 9);
    ck_assert_int_eq(ferry_read_counters(&x.e.dev, x.c2h, &c0), FERRY_OK);
    /* 100 bytes allowed: rounded down to whole beats */
    ck_assert_int_eq(ferry_set_max_pkt(&x.e.dev, x.c2h, 100), FERRY_OK);
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 5, 1000, 0, 0x77, 0x66, NULL), FERRY_OK);
    st = ferry_rx_packet(&x.rx, &x.pool, x.out, x.out_cap, &p, STREAM_WAIT_US);
    ck_assert_msg(st == FERRY_E_TRUNCATED, "cut packet: %s", ferry_status_str(st));
    ck_assert_uint_eq(p.status, FERRY_ERR_TRUNCATED);
    ck_assert_uint_eq(p.len, 100U / db * db);
    ck_assert_uint_eq(p.bufs, (p.len + 63U) / 64U);
    ck_assert_uint_eq(p.tuser, 0x77);
    ck_assert_uint_eq(p.tid, 0x66);
    ck_assert_msg(first_diff((const uint8_t *)x.src.cpu + 5, x.out, p.len) < 0, "kept part differs");
    ck_assert_uint_eq(sx_tx_reap(&x, 1), 1000); /* the sender sent it all */
    /* the ring did not halt: the next packet (within the limit) is whole */
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 2000, 90, 0, 1, 2, NULL), FERRY_OK);
    sx_expect(&x, (const uint8_t *)x.src.cpu + 2000, 90, 1, 2, "after the cut one");
    ck_assert_uint_eq(sx_tx_reap(&x, 1), 90);
    ck_assert_int_eq(ferry_read_counters(&x.e.dev, x.c2h, &c1), FERRY_OK);
    ck_assert_uint_eq(c1.errors - c0.errors, 1);
    ck_assert_uint_eq(c1.packets - c0.packets, 2);
    /* no limit again: a long packet into a short caller buffer */
    ck_assert_int_eq(ferry_set_max_pkt(&x.e.dev, x.c2h, 0), FERRY_OK);
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 11, 700, 0, 3, 4, NULL), FERRY_OK);
    st = ferry_rx_packet(&x.rx, &x.pool, small, sizeof(small), &p, STREAM_WAIT_US);
    ck_assert_msg(st == FERRY_E_OVERFLOW, "700 bytes into 100: %s", ferry_status_str(st));
    ck_assert_uint_eq(p.len, 700);
    ck_assert_uint_eq(p.copied, sizeof(small));
    ck_assert_msg(first_diff((const uint8_t *)x.src.cpu + 11, small, sizeof(small)) < 0, "first bytes differ");
    ck_assert_uint_eq(sx_tx_reap(&x, 1), 700);
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 13, 77, 0, 5, 6, NULL), FERRY_OK);
    sx_expect(&x, (const uint8_t *)x.src.cpu + 13, 77, 5, 6, "after the overflow");
    ck_assert_uint_eq(sx_tx_reap(&x, 1), 77);
    /* misuse on the live rings: nothing reaches the device */
    ferry_sim_clear_counts(x.e.sim);
    ck_assert_int_eq(ferry_rx_post(&x.rx, x.pool.bus + 4, 64, 0), FERRY_E_ALIGN);
    ck_assert_int_eq(ferry_rx_post(&x.rx, x.pool.bus, db + 4U, 0), FERRY_E_ALIGN);
    ck_assert_int_eq(ferry_tx_post(&x.rx, x.src.bus, 64, FERRY_TX_EOP, 0, 0), FERRY_E_KIND);
    ck_assert_int_eq(ferry_rx_post(&x.tx, x.pool.bus, 64, 0), FERRY_E_KIND);
    ck_assert_int_eq(ferry_set_max_pkt(&x.e.dev, x.h2c, 64), FERRY_E_KIND);
    ck_assert_int_eq(ferry_copy_start(&x.e.dev, x.c2h, x.src.bus, x.pool.bus, 64), FERRY_E_KIND);
    reads = (unsigned)ferry_sim_read_count(x.e.sim);
    writes = (unsigned)ferry_sim_write_count(x.e.sim);
    ck_assert_msg(reads == 0U && writes == 0U, "refused calls touched the device: %u reads, %u writes", reads, writes);
    sx_close(&x);
}
END_TEST

/* No receive buffer: the stream is back-pressured, STARVED is set and
 * STARVE counts; once buffers are posted the packets arrive whole, in
 * order, nothing lost. */
START_TEST(test_stream_starvation)
{
    struct sx x;
    struct ferry_counters c0, c1;
    struct ferry_stream_state ss;
    uint32_t status;
    uint64_t t0;
    bool starved = false;

    sx_open(&x, 3, 4, 256, 12, 0, 4096);
    fill(x.src.cpu, 4096, 21);
    ck_assert_int_eq(ferry_read_counters(&x.e.dev, x.c2h, &c0), FERRY_OK);
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 1, 1500, 0, 9, 8, NULL), FERRY_OK);
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 1600, 333, 0, 7, 6, NULL), FERRY_OK);
    t0 = tb_cycle(x.e.tb);
    while (tb_cycle(x.e.tb) - t0 < 20000U) {
        tb_step(x.e.tb, 200);
        ck_assert_int_eq(ferry_stream_state(&x.e.dev, x.c2h, &ss), FERRY_OK);
        starved = starved || ss.starved;
    }
    ck_assert_msg(starved, "STREAM.STARVED never seen without buffers");
    ck_assert_int_eq(ferry_stream_state(&x.e.dev, x.c2h, &ss), FERRY_OK);
    ck_assert(ss.starved);
    status = ferry_read32(&x.e.dev, FERRY_CH_REG(x.c2h, FERRY_CH_STATUS));
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_STARVED, status) != 0U, "STATUS 0x%08" PRIX32 ": STARVED 0", status);
    ck_assert_int_eq(ferry_read_counters(&x.e.dev, x.c2h, &c1), FERRY_OK);
    ck_assert_msg(c1.starve_cycles - c0.starve_cycles > 10000U, "STARVE counted %" PRIu64 " cycles",
                  c1.starve_cycles - c0.starve_cycles);
    ck_assert_uint_eq(c1.bytes_wr - c0.bytes_wr, 0);
    printf("test_stream_starvation: %" PRIu64 " cycles starved before the buffers came\n",
           c1.starve_cycles - c0.starve_cycles);
    for (unsigned i = 0; i < 12; i++) {
        ck_assert_int_eq(ferry_rx_post(&x.rx, x.pool.bus + 256U * i, 256, (uint16_t)i), FERRY_OK);
    }
    sx_expect(&x, (const uint8_t *)x.src.cpu + 1, 1500, 9, 8, "first after starving");
    sx_expect(&x, (const uint8_t *)x.src.cpu + 1600, 333, 7, 6, "second after starving");
    ck_assert_uint_eq(sx_tx_reap(&x, 2), 1833);
    ck_assert_int_eq(ferry_stream_state(&x.e.dev, x.c2h, &ss), FERRY_OK);
    ck_assert(!ss.starved);
    sx_close(&x);
}
END_TEST
/* A receive buffer the driver would refuse, posted raw: the device halts
 * the ring at it (STREAM_ALIGN) with the stream back-pressured;
 * ferry_rx_packet says FERRY_E_HALTED, ferry_ring_halted names the code
 * and slot, ferry_ring_skip lets the ring go on: the error record comes as
 * FERRY_E_DEVICE, then the packet arrives whole in the next buffers. */
START_TEST(test_stream_rx_halt_skip)
{
    struct sx x;
    struct ferry_halt h;
    struct ferry_desc bad;
    ferry_rx_pkt_t p;
    ferry_status st;

    sx_open(&x, 3, 4, 256, 8, 0, 4096);
    fill(x.src.cpu, 4096, 33);
    memset(&bad, 0, sizeof(bad));
    bad.dst = x.pool.bus + 4U; /* not a multiple of DATA_BYTES */
    bad.len = 256;
    bad.flags = FERRY_DESC_IRQ;
    bad.tag = 0x99;
    ck_assert_int_eq(ferry_rx_post(&x.rx, bad.dst, 256, 0x99), FERRY_E_ALIGN); /* the driver's check */
    ck_assert_int_eq(ferry_ring_submit(&x.rx, &bad, 1), FERRY_OK);            /* the device's */
    for (unsigned i = 1; i < 8; i++) {
        ck_assert_int_eq(ferry_rx_post(&x.rx, x.pool.bus + 256U * i, 256, (uint16_t)i), FERRY_OK);
    }
    ck_assert_int_eq(ferry_tx_send(&x.tx, x.src.bus + 9, 300, 0, 0x12, 0x34, NULL), FERRY_OK);
    st = ferry_rx_packet(&x.rx, &x.pool, x.out, x.out_cap, &p, STREAM_WAIT_US);
    ck_assert_msg(st == FERRY_E_HALTED, "misaligned buffer: %s", ferry_status_str(st));
    ck_assert_uint_eq(p.len, 0);
    ck_assert_int_eq(ferry_ring_halted(&x.rx, &h), FERRY_OK);
    ck_assert(h.halted);
    ck_assert_msg(h.err_code == FERRY_ERR_STREAM_ALIGN, "halted with %s", ferry_err_str(h.err_code));
    ck_assert_uint_eq(h.index, 0);
    ck_assert_uint_eq(h.bytes, 0);
    ck_assert_int_eq(ferry_ring_skip(&x.rx), FERRY_OK);
    st = ferry_rx_packet(&x.rx, &x.pool, x.out, x.out_cap, &p, STREAM_WAIT_US);
    ck_assert_msg(st == FERRY_E_DEVICE, "the skipped buffer: %s", ferry_status_str(st));
    ck_assert_uint_eq(p.status, FERRY_ERR_STREAM_ALIGN);
    ck_assert_uint_eq(ferry_ring_space(&x.rx), 15U - 7U); /* the bad buffer is not posted again */
    sx_expect(&x, (const uint8_t *)x.src.cpu + 9, 300, 0x12, 0x34, "after the skip");
    ck_assert_uint_eq(sx_tx_reap(&x, 1), 300);
    sx_close(&x);
}
END_TEST
#endif

static Suite *driver_suite(void)
{
    Suite *s = suite_create("driver");
    TCase *nohw = tcase_create("no_hardware");
    TCase *quick = tcase_create("no_hardware_quick");
    TCase *tc = tcase_create("sim");

    tcase_set_timeout(nohw, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(nohw, test_probe_fake);
    UNIT_ADD_TEST(nohw, test_dead_device);
    UNIT_ADD_TEST(nohw, test_status_strings);
    UNIT_ADD_TEST(nohw, test_error_strings);
    UNIT_ADD_TEST(nohw, test_cpl_fault_addr_layout);
    UNIT_ADD_TEST(nohw, test_fake_halt_resume_skip);
    UNIT_ADD_TEST(nohw, test_fake_submit_len_max);
    UNIT_ADD_TEST(nohw, test_fake_windows_watchdog_reset);
    UNIT_ADD_TEST(nohw, test_fake_cap2_probe);
    UNIT_ADD_TEST(nohw, test_fake_tx_encoding);
    UNIT_ADD_TEST(nohw, test_fake_rx_encoding);
    suite_add_tcase(s, nohw);

    tcase_set_timeout(quick, QUICK_TIMEOUT_S);
    UNIT_ADD_TEST(quick, test_fake_sg_huge_len);
    suite_add_tcase(s, quick);

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_probe_sim);
    UNIT_ADD_TEST(tc, test_bad_arguments);
    UNIT_ADD_TEST(tc, test_recovery_bad_arguments);
    UNIT_ADD_TEST(tc, test_copy_sizes_alignments);
    UNIT_ADD_TEST(tc, test_len_zero);
    UNIT_ADD_TEST(tc, test_addr_range);
    UNIT_ADD_TEST(tc, test_addr_top_edge);
    UNIT_ADD_TEST(tc, test_doorbell_overrun);
    UNIT_ADD_TEST(tc, test_irq_wait_and_timeout);
    UNIT_ADD_TEST(tc, test_irq_enable_keeps_ring_cpl);
    UNIT_ADD_TEST(tc, test_all_channels_concurrent);
    UNIT_ADD_TEST(tc, test_ring_read_error_skip_resume);
    UNIT_ADD_TEST(tc, test_copy_start_ring_owned);
    UNIT_ADD_TEST(tc, test_abort_direct_residue);
    UNIT_ADD_TEST(tc, test_ch_reset_values);
    UNIT_ADD_TEST(tc, test_windows_direct);
    UNIT_ADD_TEST(tc, test_watchdog_held_read);
    UNIT_ADD_TEST(tc, test_stop_channels);
    UNIT_ADD_TEST(tc, test_stop_channels_held);
    UNIT_ADD_TEST(tc, test_stream_kinds);
#if HAVE_STREAMS
    UNIT_ADD_TEST(tc, test_stream_loopback_packets);
    UNIT_ADD_TEST(tc, test_stream_span_descriptors);
    UNIT_ADD_TEST(tc, test_stream_truncate_overflow);
    UNIT_ADD_TEST(tc, test_stream_starvation);
    UNIT_ADD_TEST(tc, test_stream_rx_halt_skip);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    g_seed = unit_seed();
    return unit_run("test_driver", driver_suite());
}
