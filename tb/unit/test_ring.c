/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ring: ring mode (docs/descriptors.md) through the driver core's ring
 * API and raw registers, against the Verilated ferry_top, plus a fake
 * platform for what no RTL can show (descriptor splitting, refusals, phase
 * bookkeeping, counter retries).
 *
 * Every simulated test builds a fresh model with tb_config_random(SEED)
 * (env SEED, default 1; printed at start). Data is checked byte for byte
 * against ferry_ref_apply() on a shadow copy of every buffer, so guard
 * bytes around destinations are checked too. RING_MIX_N sets the
 * descriptors per channel of the random mix (default 48).
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/ferry.h"
#include "ferry/ferry_desc.h"
#include "ferry/ferry_regs.h"
#include "axi_mem.h"
#include "ferry_port_sim.h"
#include "tb.h"
#include "unit.h"

#ifndef FERRY_ADDR_WIDTH
#define FERRY_ADDR_WIDTH 64
#endif

#define TEST_TIMEOUT_S 600
#define WAIT_US 200000U    /* 50 M simulated cycles: far beyond any batch here */
#define POLL_BUDGET 20000U /* register polls before something counts as hung */
#define GUARD_PAT 0xA5U

static uint64_t g_seed = 1;

/* ------------------------------------------------------------------ helpers */

struct rng {
    uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
    uint64_t x = r->s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [lo, hi]. */
static uint64_t rrange(struct rng *r, uint64_t lo, uint64_t hi)
{
    return lo + rnd(r) % (hi - lo + 1U);
}

static void rng_init(struct rng *r, uint64_t salt)
{
    r->s = (g_seed ^ (salt * 0x9E3779B97F4A7C15ULL)) | 1U;
    for (unsigned i = 0; i < 8; i++) {
        (void)rnd(r);
    }
}

static void fill(void *p, size_t n, uint32_t salt)
{
    uint8_t *b = p;
    uint32_t x = salt * 2654435761U + 1U;

    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = (uint8_t)(x >> 8);
    }
}

struct env {
    tb_t *tb;
    struct ferry_sim *sim;
    struct ferry_dev dev;
    tb_config_t cfg;
    unsigned nch;   /* channels */
    unsigned bytes; /* bus bytes */
    unsigned aw;    /* address bits */
    uint64_t top;   /* 2^aw (0 for 2^64) */
};

static void env_open(struct env *e)
{
    ferry_status st;

    memset(e, 0, sizeof(*e));
    tb_config_random(&e->cfg, g_seed);
    e->tb = tb_new(&e->cfg);
    ck_assert_msg(e->tb != NULL, "tb_new failed (seed %" PRIu64 ")", g_seed);
    e->sim = ferry_sim_new(e->tb);
    ck_assert_ptr_nonnull(e->sim);
    st = ferry_probe(&e->dev, ferry_sim_platform(e->sim));
    ck_assert_msg(st == FERRY_OK, "probe: %s", ferry_status_str(st));
    ck_assert_msg(ferry_caps(&e->dev)->ring, "CAP1.RING is 0");
    e->nch = ferry_caps(&e->dev)->channels;
    e->bytes = ferry_caps(&e->dev)->data_bytes;
    e->aw = ferry_caps(&e->dev)->addr_width;
    ck_assert_uint_eq(e->aw, FERRY_ADDR_WIDTH);
    e->top = e->aw >= 64U ? 0U : 1ULL << e->aw;
    ferry_set_poll_interval(&e->dev, 0);
}

static void env_close(struct env *e)
{
    ck_assert_msg(tb_error(e->tb) == NULL, "bus protocol error: %s (seed %" PRIu64 ")",
                  tb_error(e->tb) ? tb_error(e->tb) : "", g_seed);
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

static struct ferry_dma_mem alloc_at(struct env *e, uint64_t bus, size_t size)
{
    struct ferry_dma_mem m;
    ferry_status st = ferry_sim_alloc_at(e->sim, bus, size, &m);

    ck_assert_msg(st == FERRY_OK, "dma alloc at 0x%" PRIx64 ": %s", bus, ferry_status_str(st));
    return m;
}

static uint32_t ch_rd(struct env *e, unsigned ch, uint32_t reg)
{
    return ferry_read32(&e->dev, FERRY_CH_REG(ch, reg));
}

static void ch_wr(struct env *e, unsigned ch, uint32_t reg, uint32_t v)
{
    ferry_write32(&e->dev, FERRY_CH_REG(ch, reg), v);
}

static uint32_t status_code(uint32_t s)
{
    return FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s);
}

/* Polls RING_CONS until it reads want. A ring halted by an error
 * (docs/errors.md) is sent on with CTRL.SKIP (ERROR stays set). */
static void wait_cons(struct env *e, unsigned ch, uint32_t want)
{
    uint32_t c = 0;

    for (unsigned i = 0; i < POLL_BUDGET; i++) {
        c = FERRY_FIELD_GET(FERRY_RING_CONS_INDEX, ch_rd(e, ch, FERRY_CH_RING_CONS));
        if (c == want) {
            return;
        }
        if (FERRY_FIELD_GET(FERRY_STATUS_HALTED, ch_rd(e, ch, FERRY_CH_STATUS)) != 0U) {
            ch_wr(e, ch, FERRY_CH_CTRL, FERRY_CTRL_SKIP_MASK);
        }
        tb_step(e->tb, 10);
    }
    ck_abort_msg("ch %u: RING_CONS stuck at %" PRIu32 ", want %" PRIu32 " (cycle %" PRIu64 ", seed %" PRIu64 ")",
                 ch, c, want, tb_cycle(e->tb), g_seed);
}

/* Polls STATUS until RING_ACTIVE is 0; returns STATUS. */
static uint32_t wait_inactive(struct env *e, unsigned ch)
{
    uint32_t s = 0;

    for (unsigned i = 0; i < POLL_BUDGET; i++) {
        s = ch_rd(e, ch, FERRY_CH_STATUS);
        if (FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U) {
            return s;
        }
        tb_step(e->tb, 10);
    }
    ck_abort_msg("ch %u: RING_ACTIVE stuck (STATUS 0x%08" PRIX32 ", cycle %" PRIu64 ", seed %" PRIu64 ")", ch, s,
                 tb_cycle(e->tb), g_seed);
    return s;
}

/* ---- shadow memory for the reference model ---- */

#define SH_MAX 80

struct region {
    uint64_t bus;
    size_t size;
    uint8_t *live;   /* what the device sees */
    uint8_t *shadow; /* what it should see */
};

struct shadow {
    struct region r[SH_MAX];
    unsigned n;
};

static struct region *sh_find(struct shadow *s, uint64_t addr, size_t len)
{
    for (unsigned i = 0; i < s->n; i++) {
        struct region *r = &s->r[i];
        if (addr >= r->bus && addr - r->bus <= r->size && len <= r->size - (addr - r->bus)) {
            return r;
        }
    }
    ck_abort_msg("reference model touched 0x%" PRIx64 "+%zu outside every buffer", addr, len);
    return NULL;
}

static void sh_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    struct region *r = sh_find(ctx, addr, len);
    memcpy(buf, r->shadow + (addr - r->bus), len);
}

static void sh_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
    struct region *r = sh_find(ctx, addr, len);
    memcpy(r->shadow + (addr - r->bus), buf, len);
}

static struct ferry_ref_mem sh_mem(struct shadow *s)
{
    struct ferry_ref_mem m = {.ctx = s, .read = sh_read, .write = sh_write};
    return m;
}

/* Adds a buffer (its current contents are the shadow's start). */
static void sh_add(struct shadow *s, const struct ferry_dma_mem *m)
{
    ck_assert_uint_lt(s->n, SH_MAX);
    struct region *r = &s->r[s->n++];
    r->bus = m->bus;
    r->size = m->size;
    r->live = m->cpu;
    r->shadow = malloc(m->size);
    ck_assert_ptr_nonnull(r->shadow);
    memcpy(r->shadow, m->cpu, m->size);
}

static void sh_free(struct shadow *s)
{
    for (unsigned i = 0; i < s->n; i++) {
        free(s->r[i].shadow);
    }
    s->n = 0;
}

/* Every byte of every buffer equals the reference model's. */
static void sh_compare(struct shadow *s, const char *what)
{
    for (unsigned i = 0; i < s->n; i++) {
        const struct region *r = &s->r[i];
        if (memcmp(r->live, r->shadow, r->size) == 0) {
            continue;
        }
        for (size_t k = 0; k < r->size; k++) {
            if (r->live[k] != r->shadow[k]) {
                size_t last = k;
                for (size_t j = k; j < r->size; j++) {
                    if (r->live[j] != r->shadow[j]) {
                        last = j;
                    }
                }
                ck_abort_msg("%s: byte 0x%" PRIx64 " (buffer 0x%" PRIx64 "+0x%zx) is 0x%02x, reference 0x%02x; "
                             "differences up to +0x%zx (seed %" PRIu64 ")",
                             what, r->bus + k, r->bus, k, r->live[k], r->shadow[k], last, g_seed);
            }
        }
    }
}

/* ---- expected completions ---- */

struct exp {
    uint16_t index;
    uint8_t status;
    bool phase;
    uint32_t bytes;
    uint16_t tag;
    bool check_tag;
};

struct track {
    struct ferry_ring ring;
    unsigned ch;
    uint64_t submitted, reaped;
    struct exp *q; /* entries slots, by sequence number */
};

static void track_init(struct env *e, struct track *t, unsigned ch, unsigned log2)
{
    ferry_status st;

    memset(t, 0, sizeof(*t));
    t->ch = ch;
    st = ferry_ring_init(&e->dev, ch, log2, &t->ring);
    ck_assert_msg(st == FERRY_OK, "ring init ch %u log2 %u: %s", ch, log2, ferry_status_str(st));
    t->q = calloc(t->ring.entries, sizeof(*t->q));
    ck_assert_ptr_nonnull(t->q);
}

static void track_fini(struct env *e, struct track *t)
{
    ferry_status st = ferry_ring_fini(&t->ring, WAIT_US);

    (void)e;
    ck_assert_msg(st == FERRY_OK, "ring fini ch %u: %s", t->ch, ferry_status_str(st));
    free(t->q);
    t->q = NULL;
}

/* What the device will report for d: the check code, or (code 0) the bytes
 * of ferry_ref_apply(), which is applied to the shadow now. force_code
 * overrides (DESC_FETCH: the device never sees the descriptor). */
static struct exp expect(struct env *e, struct track *t, const struct ferry_desc *d, struct shadow *sh,
                         uint8_t force_code)
{
    struct exp x;
    struct ferry_ref_mem m = sh_mem(sh);
    const uint64_t seq = t->submitted++;

    memset(&x, 0, sizeof(x));
    x.index = (uint16_t)(seq % t->ring.entries);
    x.phase = (seq / t->ring.entries) % 2U == 0U;
    x.tag = d->tag;
    x.check_tag = force_code == 0U;
    x.status = force_code != 0U ? force_code : (uint8_t)ferry_ref_check(d, e->bytes, e->aw);
    if (x.status == FERRY_ERR_NONE) {
        x.bytes = ferry_ref_apply(d, e->bytes, e->aw, &m);
    }
    t->q[seq % t->ring.entries] = x;
    return x;
}

static void track_submit(struct env *e, struct track *t, const struct ferry_desc *d, unsigned n, struct shadow *sh)
{
    ferry_status st;

    for (unsigned i = 0; i < n; i++) {
        (void)expect(e, t, &d[i], sh, 0);
    }
    st = ferry_ring_submit(&t->ring, d, n);
    ck_assert_msg(st == FERRY_OK, "submit %u on ch %u: %s", n, t->ch, ferry_status_str(st));
}

static void check_cpl(const struct ferry_cpl *c, const struct exp *x, unsigned ch, uint64_t seq)
{
    /* a bus error stops the descriptor: BYTES counts what was written before it */
    bool stopped = x->status == FERRY_ERR_RD_RESP || x->status == FERRY_ERR_WR_RESP;
    bool bytes_ok = stopped ? c->bytes <= x->bytes : c->bytes == x->bytes;

    ck_assert_msg(c->index == x->index && c->status == x->status && c->phase == x->phase && bytes_ok &&
                      (!x->check_tag || c->tag == x->tag),
                  "ch %u descriptor #%" PRIu64 ": record {index %u, status %u (%s), phase %d, bytes %" PRIu32
                  ", tag 0x%04x}, want {index %u, status %u (%s), phase %d, bytes %" PRIu32 ", tag 0x%04x} (seed %" PRIu64
                  ")",
                  ch, seq, c->index, c->status, ferry_err_str(c->status), c->phase, c->bytes, c->tag, x->index,
                  x->status, ferry_err_str(x->status), x->phase, x->bytes, x->tag, g_seed);
}

static void track_check(struct track *t, const struct ferry_cpl *c, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        ck_assert_msg(t->reaped < t->submitted, "ch %u: a record for a descriptor never submitted", t->ch);
        check_cpl(&c[i], &t->q[t->reaped % t->ring.entries], t->ch, t->reaped);
        t->reaped++;
    }
}

/* Waits for n records and checks them. An error halts the ring at its
 * descriptor (docs/errors.md): the halt notice must be for a descriptor
 * expected to fail; it is skipped and its record then reaped as a normal
 * completion with its error. */
static void track_wait(struct env *e, struct track *t, unsigned n)
{
    static struct ferry_cpl c[1U << 15];

    while (n > 0U) {
        unsigned got = 0;
        ferry_status st = ferry_ring_wait(&t->ring, n, WAIT_US, c, &got);
        if (st == FERRY_E_HALTED && got > 0U && c[got - 1U].halted) {
            const struct exp *x = &t->q[(t->reaped + got - 1U) % t->ring.entries];
            ck_assert_msg(x->status != FERRY_ERR_NONE && c[got - 1U].status == x->status,
                          "ch %u: halted at index %u with %s, expected %s (seed %" PRIu64 ")", t->ch,
                          c[got - 1U].index, ferry_err_str(c[got - 1U].status), ferry_err_str(x->status), g_seed);
            track_check(t, c, got - 1U);
            n -= got - 1U;
            ck_assert_int_eq(ferry_ring_skip(&t->ring), FERRY_OK);
            continue;
        }
        ck_assert_msg(st == FERRY_OK, "ch %u: waiting for %u records: %s after %u (cycle %" PRIu64 ", seed %" PRIu64
                      ")", t->ch, n, ferry_status_str(st), got, tb_cycle(e->tb), g_seed);
        track_check(t, c, got);
        n -= got;
    }
}

static void track_drain(struct env *e, struct track *t)
{
    track_wait(e, t, (unsigned)(t->submitted - t->reaped));
}

static struct ferry_desc plain(uint64_t src, uint64_t dst, uint32_t len, uint8_t flags, uint16_t tag)
{
    struct ferry_desc d;

    memset(&d, 0, sizeof(d));
    d.src = src;
    d.dst = dst;
    d.len = len;
    d.flags = flags;
    d.tag = tag;
    return d;
}

static struct ferry_desc two_d(uint64_t src, uint64_t dst, uint32_t len, uint16_t rows, uint32_t ss, uint32_t ds,
                               uint8_t flags, uint16_t tag)
{
    struct ferry_desc d = plain(src, dst, len, (uint8_t)(flags | FERRY_DESC_TWO_D), tag);

    d.rows = rows;
    d.src_stride = ss;
    d.dst_stride = ds;
    return d;
}

/* A source buffer of random bytes and a destination buffer of guard bytes,
 * both in the shadow. */
static void bufs(struct env *e, struct shadow *sh, size_t size, uint32_t salt, struct ferry_dma_mem *src,
                 struct ferry_dma_mem *dst)
{
    *src = alloc(e, size);
    *dst = alloc(e, size);
    fill(src->cpu, size, salt);
    memset(dst->cpu, GUARD_PAT, size);
    sh_add(sh, src);
    sh_add(sh, dst);
}

/* ------------------------------------------------------------------ worked example */

static const uint8_t ex_ring[2][FERRY_DESC_SIZE] = {
    {0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x10, 0x00, 0x01, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    {0x03, 0x20, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x64, 0x00, 0x00, 0x08, 0x22, 0x00, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00},
};
static const uint8_t ex_cpls[2][FERRY_CPL_SIZE] = {
    {0x00, 0x00, 0x00, 0x80, 0x00, 0x10, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    {0x01, 0x00, 0x00, 0x80, 0x2C, 0x01, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
};

static void assert_bytes(const uint8_t *got, const uint8_t *want, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(got[i] == want[i], "%s: byte 0x%02zx is 0x%02x, expected 0x%02x (seed %" PRIu64 ")", what, i,
                      got[i], want[i], g_seed);
    }
}

/* docs/descriptors.md, "A worked example", register by register at its addresses. */
START_TEST(test_example_raw)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem ring, cpl, src, dst;
    struct ferry_ref_mem m;
    struct ferry_desc d[2];
    uint32_t s;
    const unsigned ch = 0;

    env_open(&e);
    m = sh_mem(&sh);
    ring = alloc_at(&e, 0x00100000, 4096);
    cpl = alloc_at(&e, 0x00101000, 4096);
    src = alloc_at(&e, 0x00200000, 0x3000);
    dst = alloc_at(&e, 0x00300000, 0x3000);
    fill(src.cpu, src.size, 1);
    memset(dst.cpu, GUARD_PAT, dst.size);
    sh_add(&sh, &src);
    sh_add(&sh, &dst);

    d[0] = plain(0x200000, 0x300000, 4096, FERRY_DESC_IRQ, 0x0011);
    d[1] = two_d(0x202003, 0x302000, 100, 3, 256, 128, 0, 0x0022);
    for (unsigned i = 0; i < 2; i++) {
        ferry_desc_encode((uint8_t *)ring.cpu + i * FERRY_DESC_SIZE, &d[i]);
        assert_bytes((uint8_t *)ring.cpu + i * FERRY_DESC_SIZE, ex_ring[i], FERRY_DESC_SIZE, "descriptor bytes");
    }
    ck_assert_uint_eq(ferry_ref_apply(&d[0], e.bytes, e.aw, &m), 4096U);
    ck_assert_uint_eq(ferry_ref_apply(&d[1], e.bytes, e.aw, &m), 300U);

    ch_wr(&e, ch, FERRY_CH_RING_BASE_LO, FERRY_FIELD_PREP(FERRY_RING_BASE_LO_ADDR, 0x00100000U));
    ch_wr(&e, ch, FERRY_CH_RING_BASE_HI, 0);
    ch_wr(&e, ch, FERRY_CH_CPL_BASE_LO, FERRY_FIELD_PREP(FERRY_CPL_BASE_LO_ADDR, 0x00101000U));
    ch_wr(&e, ch, FERRY_CH_CPL_BASE_HI, 0);
    ch_wr(&e, ch, FERRY_CH_IRQ_ENABLE, FERRY_IRQ_ENABLE_CPL_MASK);
    ch_wr(&e, ch, FERRY_CH_RING_CTRL,
          FERRY_FIELD_PREP(FERRY_RING_CTRL_ENABLE, 1U) | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, 2U));
    s = ch_rd(&e, ch, FERRY_CH_STATUS);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 1U && FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) == 0U,
                  "STATUS 0x%08" PRIX32 " after enable: want RING_ACTIVE, no ERROR", s);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_RING_PROD), 0U);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_RING_CONS), 0U);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_RING_CTRL),
                      FERRY_FIELD_PREP(FERRY_RING_CTRL_ENABLE, 1U) | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, 2U));

    ch_wr(&e, ch, FERRY_CH_RING_PROD, FERRY_FIELD_PREP(FERRY_RING_PROD_INDEX, 2U));
    wait_cons(&e, ch, 2);
    for (unsigned i = 0; i < 2; i++) {
        assert_bytes((uint8_t *)cpl.cpu + i * FERRY_CPL_SIZE, ex_cpls[i], FERRY_CPL_SIZE, "completion record");
    }
    for (unsigned i = 2 * FERRY_CPL_SIZE; i < 4 * FERRY_CPL_SIZE; i++) {
        ck_assert_msg(((uint8_t *)cpl.cpu)[i] == 0U, "completion ring byte 0x%x written", i);
    }
    sh_compare(&sh, "worked example");
    s = ch_rd(&e, ch, FERRY_CH_STATUS);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_CPL, s) == 1U && FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) == 0U &&
                      status_code(s) == 0U,
                  "STATUS 0x%08" PRIX32 " after both: want CPL (descriptor 0 has IRQ), no error", s);
    ck_assert_uint_eq(tb_irq(e.tb) >> ch & 1U, 1U);
    ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_CPL_MASK);
    tb_step(e.tb, 4);
    ck_assert_uint_eq(tb_irq(e.tb) >> ch & 1U, 0U);
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_CPL, ch_rd(&e, ch, FERRY_CH_STATUS)), 0U);

    /* Step 6: stop. */
    ch_wr(&e, ch, FERRY_CH_RING_CTRL, 0);
    s = wait_inactive(&e, ch);
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_BUSY, s), 0U);
    ch_wr(&e, ch, FERRY_CH_IRQ_ENABLE, 0);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* The same two descriptors through the driver on every channel. */
START_TEST(test_example_driver)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;

    env_open(&e);
    bufs(&e, &sh, 0x4000, 2, &src, &dst);
    for (unsigned ch = 0; ch < e.nch; ch++) {
        struct track t;
        struct ferry_desc d[2];
        const uint64_t off = 0x100U * ch;

        track_init(&e, &t, ch, 2);
        ck_assert_uint_eq(ferry_ring_space(&t.ring), 3U);
        d[0] = plain(src.bus + off, dst.bus + off, 4096, FERRY_DESC_IRQ, 0x0011);
        d[1] = two_d(src.bus + 0x2003 + off, dst.bus + 0x3000 + off / 16U, 100, 3, 256, 128, 0, 0x0022);
        track_submit(&e, &t, d, 2, &sh);
        ck_assert_uint_eq(ferry_ring_space(&t.ring), 1U);
        track_drain(&e, &t);
        ck_assert_uint_eq(ferry_ring_space(&t.ring), 3U);
        sh_compare(&sh, "example through the driver");
        wait_cons(&e, ch, 2); /* CONS follows the records' write responses */
        track_fini(&e, &t);
    }
    sh_free(&sh);
    env_close(&e);
}
END_TEST


/* ------------------------------------------------------------------ wrapping */

/* Reads RING_CONS and checks it against the sequence of descriptors: it
 * never moves back, never passes PROD, and every record before it that is
 * not reaped yet has landed (CONS follows the records' write responses, so
 * it may lag the records already reaped). *cons_seq is the count of
 * descriptors CONS has passed. */
static void check_cons(struct env *e, const struct track *t, uint64_t *cons_seq)
{
    const uint32_t mask = t->ring.entries - 1U;
    const uint32_t cons = FERRY_FIELD_GET(FERRY_RING_CONS_INDEX, ch_rd(e, t->ch, FERRY_CH_RING_CONS));
    const uint64_t seq = *cons_seq + ((cons - (uint32_t)*cons_seq) & mask);

    ck_assert_msg(seq <= t->submitted,
                  "ch %u: RING_CONS %" PRIu32 " is past PROD %" PRIu32 " or went back (%" PRIu64
                  " descriptors submitted, CONS had passed %" PRIu64 ") (seed %" PRIu64 ")",
                  t->ch, cons, t->ring.prod, t->submitted, *cons_seq, g_seed);
    for (uint64_t q = t->reaped; q < seq; q++) {
        const uint8_t *rec = (const uint8_t *)t->ring.cpl.cpu + (q % t->ring.entries) * FERRY_CPL_SIZE;
        struct ferry_cpl c;
        ferry_cpl_decode(&c, rec);
        check_cpl(&c, &t->q[q % t->ring.entries], t->ch, q);
    }
    *cons_seq = seq;
}

/* Many passes over a small ring: batches of random size, records checked in
 * order (index, phase, bytes, tag), RING_CONS always between the read index
 * and PROD and equal to PROD once all are reaped. */
static void wrap_run(struct env *e, unsigned ch, unsigned log2, unsigned total, unsigned max_batch, uint32_t salt)
{
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct rng r;
    const size_t slot = 512;
    unsigned next = 0;

    uint64_t cons_seq = 0;

    rng_init(&r, salt);
    bufs(e, &sh, slot * total + 1024, salt, &src, &dst);
    track_init(e, &t, ch, log2);
    while (t.reaped < total) {
        unsigned space = ferry_ring_space(&t.ring);
        if (next < total && space > 0U) {
            struct ferry_desc d[64];
            unsigned n = (unsigned)rrange(&r, 1, max_batch);
            if (n > space) {
                n = space;
            }
            if (n > total - next) {
                n = total - next;
            }
            for (unsigned i = 0; i < n; i++, next++) {
                uint32_t len = (uint32_t)rrange(&r, 1, 300);
                d[i] = plain(src.bus + rrange(&r, 0, slot * total), dst.bus + slot * next + rrange(&r, 0, slot - len),
                             len, i == n - 1U ? FERRY_DESC_IRQ : 0U, (uint16_t)(0x1000U + next));
            }
            track_submit(e, &t, d, n, &sh);
        }
        /* Reap some, sometimes leaving records for later. */
        unsigned out = (unsigned)(t.submitted - t.reaped);
        if (out > 0U) {
            unsigned k = next == total ? out : (unsigned)rrange(&r, 1, out);
            track_wait(e, &t, k);
            check_cons(e, &t, &cons_seq);
        }
    }
    wait_cons(e, ch, t.ring.prod); /* ... and reaches PROD. */
    ck_assert_uint_eq(ch_rd(e, ch, FERRY_CH_RING_PROD), t.ring.prod);
    ck_assert_uint_eq(t.ring.prod, total % t.ring.entries);
    sh_compare(&sh, "wrapping ring");
    track_fini(e, &t);
    sh_free(&sh);
}

START_TEST(test_wrap_small)
{
    struct env e;

    env_open(&e);
    wrap_run(&e, e.nch - 1U, 3, 100, 7, 3); /* 8 entries, 100 descriptors: 12 passes */
    wrap_run(&e, 0, 1, 40, 1, 4);            /* 2 entries: one descriptor at a time */
    env_close(&e);
}
END_TEST

/* A ring larger than a page: fetch runs of up to 4 descriptors start at
 * every index, so some straddle 4 KiB boundaries of the ring (every 128
 * descriptors); the memory model flags a burst that crosses one. */
START_TEST(test_wrap_large)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct ferry_desc d[128];

    env_open(&e);
    bufs(&e, &sh, 64 * 1024, 5, &src, &dst);
    track_init(&e, &t, 0, 8); /* 256 entries: 8 KiB of descriptors */
    /* 126 descriptors, then 4 more: the next fetch run is slots 126..129. */
    for (unsigned i = 0; i < 126; i++) {
        d[i] = plain(src.bus + i, dst.bus + 64U * i, 64, 0, (uint16_t)i);
    }
    track_submit(&e, &t, d, 126, &sh);
    track_drain(&e, &t);
    for (unsigned i = 0; i < 4; i++) {
        d[i] = plain(src.bus + 1000U + i, dst.bus + 0x4000U + 64U * i, 64, 0, (uint16_t)(126U + i));
    }
    track_submit(&e, &t, d, 4, &sh);
    track_drain(&e, &t);
    ck_assert_msg(tb_error(e.tb) == NULL, "descriptor fetch run 126..129 of a 256-entry ring: %s (seed %" PRIu64 ")",
                  tb_error(e.tb) ? tb_error(e.tb) : "", g_seed);
    sh_compare(&sh, "large ring");
    track_fini(&e, &t);
    sh_free(&sh);
    wrap_run(&e, 0, 8, 700, 20, 6);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ 2D and fixed */

START_TEST(test_2d_strides)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct ferry_desc d[8];
    unsigned n = 0;

    env_open(&e);
    bufs(&e, &sh, 64 * 1024, 7, &src, &dst);
    track_init(&e, &t, e.nch - 1U, 4);
    d[n++] = two_d(src.bus + 3, dst.bus + 5, 100, 5, 256, 128, 0, 1);             /* gaps on both sides */
    d[n++] = two_d(src.bus + 0x1000, dst.bus + 0x1001, 64, 3, 0, 64, 0, 2);      /* one source row repeated */
    d[n++] = two_d(src.bus + 0x2000, dst.bus + 0x2003, 50, 4, 50, 20, 0, 3);     /* destination rows overlap */
    d[n++] = two_d(src.bus + 0x2100, dst.bus + 0x2800, 40, 6, 8, 41, 0, 4);      /* source rows overlap */
    d[n++] = two_d(src.bus + 0x3007, dst.bus + 0x3000, 1000, 1, 0, 0, 0, 5);     /* a single row, no strides */
    d[n++] = two_d(src.bus + 0x4000, dst.bus + 0x5000, 1000, 16, 1024, 1100, FERRY_DESC_IRQ, 6);
    d[n++] = two_d(src.bus + 0x9001, dst.bus + 0xA002, 1, 200, 3, 7, 0, 7);       /* 1-byte rows */
    d[n++] = two_d(src.bus + 0xB000, dst.bus + 0xC000, 4096 + 5, 2, 4096 + 9, 4096 + 17, 0, 8);
    track_submit(&e, &t, d, n, &sh);
    track_drain(&e, &t);
    sh_compare(&sh, "2D descriptors");
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

#ifdef FERRY_DESC_FENCE
/* docs/descriptors.md, "Ordering": a descriptor with FENCE starts only after
 * every earlier descriptor completed, so it sees their bytes: copy X to Y,
 * then (FENCE) Y to Z, submitted together, in several shapes. */
START_TEST(test_fence)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem buf;
    struct track t;
    static const uint32_t lens[] = {1, 32, 300, 4096, 20000};

    env_open(&e);
    buf = alloc(&e, 128 * 1024);
    fill(buf.cpu, buf.size, 8);
    sh_add(&sh, &buf);
    track_init(&e, &t, 0, 3);
    for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        const uint64_t x = buf.bus + 3, y = buf.bus + 0x8000 + 5, z = buf.bus + 0x10000 + 7;
        struct ferry_desc d[3];
        d[0] = plain(x, y, lens[i], 0, (uint16_t)(0x100U + i));
        d[1] = plain(y, z, lens[i], FERRY_DESC_FENCE, (uint16_t)(0x200U + i));
        /* and a 2D one reading what the fenced one wrote */
        d[2] = two_d(z, buf.bus + 0x18000, lens[i] < 64U ? lens[i] : 64U, 2, 64, 100, FERRY_DESC_FENCE,
                     (uint16_t)(0x300U + i));
        if (lens[i] < 128U) {
            d[2].src_stride = lens[i] < 64U ? lens[i] : 64U;
        }
        track_submit(&e, &t, d, 3, &sh);
        track_drain(&e, &t);
        sh_compare(&sh, "FENCE");
    }
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST
#else
/* From the bus trace of channel id: rows are read and written in order, so
 * the ARs split into rows by address (a row's bursts are contiguous and end
 * once they cover src + LEN) and so do the Bs. Finds the first row r >= 1
 * whose source overlaps row r - 1's destination and whose first read (AR)
 * went out before row r - 1's last write response (B). Writes "; row R
 * read at cycle X, before row R-1's last write response at cycle Y" into
 * out (empty if none). Stops the trace. */
static void row_order(struct env *e, const struct ferry_desc *d, unsigned id, char *out, size_t size)
{
    size_t n = 0;
    const axi_mem_event_t *ev = axi_mem_trace(tb_axi_mem(e->tb), &n, NULL);
    uint64_t first_ar[64], last_b[64];
    unsigned ar_row = 0, b_row = 0;
    const unsigned rows = d->rows < 64U ? d->rows : 64U;

    out[0] = '\0';
    for (unsigned r = 0; r < rows; r++) {
        first_ar[r] = UINT64_MAX;
        last_b[r] = 0;
    }
    for (size_t i = 0; i < n; i++) {
        const uint64_t end = ev[i].addr + (uint64_t)ev[i].beats * e->bytes;
        if (ev[i].id != id) {
            continue;
        }
        if (ev[i].kind == AXI_EV_AR && ar_row < rows) {
            if (first_ar[ar_row] == UINT64_MAX) {
                first_ar[ar_row] = ev[i].cycle;
            }
            if (end >= d->src + (uint64_t)ar_row * d->src_stride + d->len) {
                ar_row++;
            }
        } else if (ev[i].kind == AXI_EV_B && b_row < rows) {
            last_b[b_row] = ev[i].cycle;
            if (end >= d->dst + (uint64_t)b_row * d->dst_stride + d->len) {
                b_row++;
            }
        }
    }
    for (unsigned r = 1; r < rows; r++) {
        const uint64_t s_lo = d->src + (uint64_t)r * d->src_stride, s_hi = s_lo + d->len;
        const uint64_t w_lo = d->dst + (uint64_t)(r - 1U) * d->dst_stride, w_hi = w_lo + d->len;
        if (s_hi > w_lo && w_hi > s_lo && first_ar[r] < last_b[r - 1U]) {
            snprintf(out, size, "; row %u's first read (AR) at cycle %" PRIu64
                                ", before row %u's last write response (B) at cycle %" PRIu64,
                     r, first_ar[r], r - 1U, last_b[r - 1U]);
            break;
        }
    }
    axi_mem_trace_start(tb_axi_mem(e->tb), 0);
}

/* docs/descriptors.md: "Rows are moved in order, so overlapping rows behave as
 * if copied one after another." Source row r + 1 starts inside destination
 * row r, so each row must read what the row before it wrote. */
START_TEST(test_2d_rows_in_order)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem buf;
    struct track t;
    struct ferry_desc d[3];

    env_open(&e);
    buf = alloc(&e, 64 * 1024);
    fill(buf.cpu, buf.size, 8);
    sh_add(&sh, &buf);
    track_init(&e, &t, 0, 3);
    d[0] = two_d(buf.bus + 0x200, buf.bus + 0x210, 32, 4, 32, 32, 0, 1);
    d[1] = two_d(buf.bus + 0x1000, buf.bus + 0x1000 + 4096, 4096, 4, 4096, 4096, 0, 2);
    d[2] = two_d(buf.bus + 0x8000, buf.bus + 0x8000 + 100, 300, 8, 100, 100, 0, 3);
    char msg[1200] = "";
    for (unsigned i = 0; i < 3; i++) {
        const uint64_t lo = d[i].dst, hi = d[i].dst + (uint64_t)(d[i].rows - 1U) * d[i].dst_stride + d[i].len;
        const uint64_t t0 = tb_cycle(e.tb);
        size_t first = SIZE_MAX, bad = 0;
        char order[300] = "";
        axi_mem_trace_start(tb_axi_mem(e.tb), 1U << 16);
        track_submit(&e, &t, &d[i], 1, &sh);
        track_drain(&e, &t);
        row_order(&e, &d[i], 0, order, sizeof(order));
        for (uint64_t a = lo; a < hi; a++) {
            if (sh.r[0].live[a - buf.bus] != sh.r[0].shadow[a - buf.bus]) {
                first = first == SIZE_MAX ? (size_t)(a - buf.bus) : first;
                bad++;
            }
        }
        if (bad > 0U) {
            size_t l = strlen(msg);
            snprintf(msg + l, sizeof(msg) - l,
                     " [%" PRIu32 "-byte rows, strides %" PRIu32 ", submitted at cycle %" PRIu64 ": %zu of %" PRIu64
                     " destination bytes differ, first at 0x%" PRIx64 " (row %zu)%s]",
                     d[i].len, d[i].src_stride, t0, bad, hi - lo, buf.bus + first,
                     (size_t)((buf.bus + first - lo) / d[i].dst_stride), order);
            memcpy(sh.r[0].live, sh.r[0].shadow, sh.r[0].size); /* next case starts clean */
        }
    }
    ck_assert_msg(msg[0] == '\0', "rows whose source overlaps the previous row's destination did not see its "
                                  "bytes:%s (seed %" PRIu64 ")", msg, g_seed);
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST
#endif

START_TEST(test_fixed)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct ferry_desc d[12];
    unsigned n = 0;

    env_open(&e);
    const uint32_t B = e.bytes;
    bufs(&e, &sh, 128 * 1024, 9, &src, &dst);
    track_init(&e, &t, 0, 4);
    d[n++] = plain(src.bus + 64, dst.bus + 3, 10 * B + 3, FERRY_DESC_SRC_FIXED, 1);
    d[n++] = plain(src.bus + 0x1001, dst.bus + 0x1000, 7 * B + 5, FERRY_DESC_DST_FIXED, 2);
    d[n++] = plain(src.bus + 0x2000, dst.bus + 0x2000, 5 * B, FERRY_DESC_SRC_FIXED | FERRY_DESC_DST_FIXED, 3);
    d[n++] = two_d(src.bus + 0x3000, dst.bus + 0x3005, 2 * B + 1, 3, 0, 3 * B, FERRY_DESC_SRC_FIXED, 4);
    d[n++] = two_d(src.bus + 0x4003, dst.bus + 0x5000, 3 * B - 1, 4, 5 * B, 0, FERRY_DESC_DST_FIXED, 5);
    d[n++] = plain(src.bus + 0x6000 + B, dst.bus + 0x6001, B / 2U + 1U, FERRY_DESC_SRC_FIXED, 6);
    d[n++] = plain(src.bus + 0x6101, dst.bus + 0x7000 + B, B / 2U - 1U, FERRY_DESC_DST_FIXED, 7);
    d[n++] = plain(src.bus + 0x8000, dst.bus + 0x8001, 64 * B + 7, FERRY_DESC_SRC_FIXED, 8); /* several bursts */
    d[n++] = plain(src.bus + 0xA003, dst.bus + 0xF000, 100 * B + 1, FERRY_DESC_DST_FIXED | FERRY_DESC_IRQ, 9);
    tb_stats_t before, after;
    tb_stats(e.tb, &before);
    track_submit(&e, &t, d, n, &sh);
    track_drain(&e, &t);
    tb_stats(e.tb, &after);
    sh_compare(&sh, "fixed source / destination");
    /* The fixed sides went out as AXI FIXED bursts. */
    ck_assert_uint_gt(after.ar_fixed - before.ar_fixed, 0U);
    ck_assert_uint_gt(after.aw_fixed - before.aw_fixed, 0U);
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ bad descriptors */

enum bad_kind { BAD_NONE, BAD_FETCH };

struct bad_case {
    const char *name;
    struct ferry_desc d;
    uint8_t code;
    int kind;
};

/* Beats of a descriptor fetch and of a record write on this bus. */
static unsigned fetch_beats(const struct env *e)
{
    return e->bytes >= FERRY_DESC_SIZE ? 1U : FERRY_DESC_SIZE / e->bytes;
}

static unsigned cpl_beats(const struct env *e)
{
    return e->bytes >= FERRY_CPL_SIZE ? 1U : FERRY_CPL_SIZE / e->bytes;
}

/* Each bad descriptor, alone on the ring: its record and STATUS carry the
 * code, the bus sees only its fetch and its record (no data burst), the
 * guard buffer it points at stays as it was, ERRORS counts it, and a good
 * descriptor after it still runs. */
START_TEST(test_bad_descriptors)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst, guard;
    struct track t;
    const unsigned ch = 0;
    struct bad_case c[24];
    unsigned n = 0;

    env_open(&e);
    const uint32_t B = e.bytes;
    bufs(&e, &sh, 64 * 1024, 10, &src, &dst);
    guard = alloc(&e, 16 * 1024);
    memset(guard.cpu, 0x5A, guard.size);
    sh_add(&sh, &guard);
    const uint64_t g = guard.bus + 0x1000;
    const uint64_t top = e.top; /* 2^ADDR_WIDTH, 0 for 2^64 */

    c[n++] = (struct bad_case){"zero length", plain(src.bus, g, 0, 0, 0xB001), FERRY_ERR_LEN_ZERO, BAD_NONE};
    static const char *const bit_names[8] = {"flag bit 0", "flag bit 1", "flag bit 2", "flag bit 3",
                                             "flag bit 4", "flag bit 5", "flag bit 6", "flag bit 7"};
    for (unsigned bit = 0; bit < 8; bit++) {
        if ((FERRY_DESC_FLAGS_RESERVED >> bit & 1U) != 0U) {
            /* every reserved bit alone, the last one with IRQ besides */
            const uint8_t f = (uint8_t)(1U << bit | (bit == 7U ? FERRY_DESC_IRQ : 0U));
            c[n++] = (struct bad_case){bit_names[bit], plain(src.bus, g, 64, f, (uint16_t)(0xB000U + bit)),
                                       FERRY_ERR_DESC_RESERVED, BAD_NONE};
        }
    }
    c[n] = (struct bad_case){"ROWS without TWO_D", plain(src.bus, g, 64, 0, 0xB005), FERRY_ERR_DESC_RESERVED, BAD_NONE};
    c[n++].d.rows = 2;
    c[n] = (struct bad_case){"SRC_STRIDE without TWO_D", plain(src.bus, g, 64, 0, 0xB006), FERRY_ERR_DESC_RESERVED,
                             BAD_NONE};
    c[n++].d.src_stride = 64;
    c[n] = (struct bad_case){"DST_STRIDE without TWO_D", plain(src.bus, g, 64, 0, 0xB007), FERRY_ERR_DESC_RESERVED,
                             BAD_NONE};
    c[n++].d.dst_stride = 64;
    c[n++] = (struct bad_case){"stride with SRC_FIXED", two_d(src.bus, g, 64, 2, 64, 64, FERRY_DESC_SRC_FIXED, 0xB008),
                               FERRY_ERR_DESC_RESERVED, BAD_NONE};
    c[n++] = (struct bad_case){"stride with DST_FIXED", two_d(src.bus, g, 64, 2, 64, 64, FERRY_DESC_DST_FIXED, 0xB009),
                               FERRY_ERR_DESC_RESERVED, BAD_NONE};
    c[n++] = (struct bad_case){"TWO_D with ROWS 0", two_d(src.bus, g, 64, 0, 64, 64, 0, 0xB00A), FERRY_ERR_LEN_ZERO,
                               BAD_NONE};
    c[n++] = (struct bad_case){"misaligned fixed source", plain(src.bus + 1, g, 64, FERRY_DESC_SRC_FIXED, 0xB00B),
                               FERRY_ERR_FIXED_ALIGN, BAD_NONE};
    c[n++] = (struct bad_case){"misaligned fixed destination",
                               plain(src.bus, g + B / 2U, 64, FERRY_DESC_DST_FIXED, 0xB00C), FERRY_ERR_FIXED_ALIGN,
                               BAD_NONE};
    c[n++] = (struct bad_case){"2D last source row past 2^ADDR_WIDTH",
                               two_d(top - 0x1000U, g, 0x100, 3, 0x800, 0x100, 0, 0xB00D), FERRY_ERR_ADDR_RANGE,
                               BAD_NONE};
    c[n++] = (struct bad_case){"2D last destination row past 2^ADDR_WIDTH",
                               two_d(src.bus, top - 0x2000U, 0x100, 5, 0x100, 0x7C1, 0, 0xB00E), FERRY_ERR_ADDR_RANGE,
                               BAD_NONE};
    c[n++] = (struct bad_case){"destination past 2^ADDR_WIDTH", plain(src.bus, top - 8U, 16, 0, 0xB00F),
                               FERRY_ERR_ADDR_RANGE, BAD_NONE};
    c[n++] = (struct bad_case){"descriptor fetch error", plain(src.bus, g, 64, 0, 0xB010), FERRY_ERR_DESC_FETCH,
                               BAD_FETCH};

    track_init(&e, &t, ch, 4);
    for (unsigned i = 0; i < n; i++) {
        tb_stats_t before, after;
        struct ferry_desc good;
        uint32_t s, errs;
        const uint64_t slot = t.ring.desc.bus + (uint64_t)t.ring.prod * FERRY_DESC_SIZE;

        ck_assert_msg(ferry_ref_check(&c[i].d, e.bytes, e.aw) == (c[i].kind == BAD_FETCH ? 0U : c[i].code),
                      "%s: the reference model disagrees with the test", c[i].name);
        errs = ch_rd(&e, ch, FERRY_CH_ERRORS);
        if (c[i].kind == BAD_FETCH) {
            ck_assert_int_eq(tb_mem_inject_error(e.tb, slot, slot + FERRY_DESC_SIZE - 1U, 0, TB_RESP_SLVERR), 0);
        }
        tb_stats(e.tb, &before);
        (void)expect(&e, &t, &c[i].d, &sh, c[i].kind == BAD_FETCH ? c[i].code : 0U);
        ck_assert_int_eq(ferry_ring_submit(&t.ring, &c[i].d, 1), FERRY_OK);
        track_wait(&e, &t, 1);
        wait_cons(&e, ch, t.ring.prod);
        tb_step(e.tb, 100);
        tb_stats(e.tb, &after);
        if (c[i].kind == BAD_FETCH) {
            ck_assert_int_eq(tb_mem_inject_error(e.tb, slot, slot + FERRY_DESC_SIZE - 1U, 0, TB_RESP_OKAY), 0);
        }
        ck_assert_msg(after.ar_count - before.ar_count == 1U && after.r_beats - before.r_beats == fetch_beats(&e) &&
                          after.aw_count - before.aw_count == 1U &&
                          after.w_beats - before.w_beats == cpl_beats(&e),
                      "%s: bus saw %" PRIu64 " AR / %" PRIu64 " R beats / %" PRIu64 " AW / %" PRIu64
                      " W beats, want only the fetch (1 / %u) and the record (1 / %u) (seed %" PRIu64 ")",
                      c[i].name, after.ar_count - before.ar_count, after.r_beats - before.r_beats,
                      after.aw_count - before.aw_count, after.w_beats - before.w_beats, fetch_beats(&e), cpl_beats(&e),
                      g_seed);
        /* the ring halted at it (the record's code is checked above) and the
         * driver's skip cleared ERROR: the counter says it was reported */
        s = ch_rd(&e, ch, FERRY_CH_STATUS);
        ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_HALTED, s) == 0U, "%s: STATUS 0x%08" PRIX32 " still HALTED",
                      c[i].name, s);
        ck_assert_msg(ch_rd(&e, ch, FERRY_CH_ERRORS) == errs + 1U, "%s: ERRORS did not count it", c[i].name);
        sh_compare(&sh, c[i].name);

        /* The channel goes on; STATUS keeps the last error. */
        good = plain(src.bus + 7U * i, dst.bus + 0x100U * i, 100 + i, 0, (uint16_t)(0x600U + i));
        track_submit(&e, &t, &good, 1, &sh);
        track_wait(&e, &t, 1);
        sh_compare(&sh, "good descriptor after a bad one");
        s = ch_rd(&e, ch, FERRY_CH_STATUS);
        ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_HALTED, s) == 0U, "%s, then a good one: STATUS 0x%08" PRIX32,
                      c[i].name, s);
        ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_ERROR_MASK);
        ck_assert_uint_eq(status_code(ch_rd(&e, ch, FERRY_CH_STATUS)), 0U);
    }
    /* All of them in one batch, between good ones. */
    for (unsigned i = 0; i < n; i++) {
        struct ferry_desc pair[2];
        if (c[i].kind == BAD_FETCH) {
            continue;
        }
        pair[0] = c[i].d;
        pair[1] = plain(src.bus + 3U * i, dst.bus + 0x2000U + 0x100U * i, 50 + i, 0, (uint16_t)(0x700U + i));
        if (ferry_ring_space(&t.ring) < 2U) {
            track_drain(&e, &t);
        }
        track_submit(&e, &t, pair, 2, &sh);
    }
    track_drain(&e, &t);
    sh_compare(&sh, "bad descriptors between good ones");
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ bad configuration */

static void enable_raw(struct env *e, unsigned ch, uint64_t ring, uint64_t cpl, unsigned log2)
{
    ch_wr(e, ch, FERRY_CH_RING_BASE_LO, FERRY_FIELD_PREP(FERRY_RING_BASE_LO_ADDR, (uint32_t)ring));
    ch_wr(e, ch, FERRY_CH_RING_BASE_HI, FERRY_FIELD_PREP(FERRY_RING_BASE_HI_ADDR, (uint32_t)(ring >> 32)));
    ch_wr(e, ch, FERRY_CH_CPL_BASE_LO, FERRY_FIELD_PREP(FERRY_CPL_BASE_LO_ADDR, (uint32_t)cpl));
    ch_wr(e, ch, FERRY_CH_CPL_BASE_HI, FERRY_FIELD_PREP(FERRY_CPL_BASE_HI_ADDR, (uint32_t)(cpl >> 32)));
    ch_wr(e, ch, FERRY_CH_RING_CTRL,
          FERRY_FIELD_PREP(FERRY_RING_CTRL_ENABLE, 1U) | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, log2));
}

/* STATUS shows ERROR with code (and RING_ACTIVE as given); clears ERROR. */
static void expect_error(struct env *e, unsigned ch, uint32_t code, unsigned active, const char *what)
{
    uint32_t s = ch_rd(e, ch, FERRY_CH_STATUS);

    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) == 1U && status_code(s) == code &&
                      FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == active,
                  "%s: STATUS 0x%08" PRIX32 ", want ERROR, ERR_CODE %" PRIu32 " (%s), RING_ACTIVE %u (seed %" PRIu64
                  ")",
                  what, s, code, ferry_err_str(code), active, g_seed);
    ch_wr(e, ch, FERRY_CH_STATUS, FERRY_STATUS_ERROR_MASK);
}

/* Data bus errors: the descriptor stops at the fault and the ring halts at
 * it; its record has RD_RESP or WR_RESP and the bytes written before it; a fetch error inside a run of several
 * descriptors hits only the descriptor whose bytes failed; the channel goes
 * on. Destination bytes of a failed descriptor are undefined: the shadow
 * takes the device's bytes for them. */
START_TEST(test_bus_errors)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct ferry_desc d[4];
    const unsigned ch = 0;
    uint32_t s;

    env_open(&e);
    bufs(&e, &sh, 64 * 1024, 20, &src, &dst);
    track_init(&e, &t, ch, 3);

    /* Read error in row 1 of a 3-row descriptor. */
    d[0] = two_d(src.bus + 0x1000, dst.bus + 0x1000, 200, 3, 0x400, 0x300, 0, 0xE1);
    d[1] = plain(src.bus + 0x3000, dst.bus + 0x3000, 300, 0, 0xE2);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, src.bus + 0x1400 + 50, src.bus + 0x1400 + 50, 0, TB_RESP_SLVERR), 0);
    (void)expect(&e, &t, &d[0], &sh, FERRY_ERR_RD_RESP);
    t.q[(t.submitted - 1U) % t.ring.entries].bytes = 600;
    t.q[(t.submitted - 1U) % t.ring.entries].check_tag = true;
    (void)expect(&e, &t, &d[1], &sh, 0);
    ck_assert_int_eq(ferry_ring_submit(&t.ring, d, 2), FERRY_OK);
    track_drain(&e, &t);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, src.bus + 0x1400 + 50, src.bus + 0x1400 + 50, 0, TB_RESP_OKAY), 0);
    wait_cons(&e, ch, t.ring.prod);
    s = ch_rd(&e, ch, FERRY_CH_STATUS);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_HALTED, s) == 0U, "STATUS 0x%08" PRIX32 " after a read error", s);
    ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_ERROR_MASK);
    /* Rows 0 and 2 are undefined too (the spec says destination contents
     * are undefined); take the device's bytes for the whole shape. */
    for (unsigned r = 0; r < 3; r++) {
        memcpy(sh.r[1].shadow + 0x1000 + 0x300U * r, sh.r[1].live + 0x1000 + 0x300U * r, 200);
    }
    sh_compare(&sh, "after a read error");

    /* Write error. */
    d[0] = plain(src.bus + 0x5000, dst.bus + 0x5000, 1000, FERRY_DESC_IRQ, 0xE3);
    d[1] = plain(src.bus + 0x6000, dst.bus + 0x6001, 77, 0, 0xE4);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, dst.bus + 0x5100, dst.bus + 0x5100, 1, TB_RESP_DECERR), 0);
    (void)expect(&e, &t, &d[0], &sh, FERRY_ERR_WR_RESP);
    t.q[(t.submitted - 1U) % t.ring.entries].bytes = 1000;
    t.q[(t.submitted - 1U) % t.ring.entries].check_tag = true;
    (void)expect(&e, &t, &d[1], &sh, 0);
    ck_assert_int_eq(ferry_ring_submit(&t.ring, d, 2), FERRY_OK);
    track_drain(&e, &t);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, dst.bus + 0x5100, dst.bus + 0x5100, 1, TB_RESP_OKAY), 0);
    wait_cons(&e, ch, t.ring.prod);
    s = ch_rd(&e, ch, FERRY_CH_STATUS);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_HALTED, s) == 0U, "STATUS 0x%08" PRIX32 " after a write error", s);
    ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_ERROR_MASK);
    memcpy(sh.r[1].shadow + 0x5000, sh.r[1].live + 0x5000, 1000);
    sh_compare(&sh, "after a write error");

    /* A fetch error on the third of four descriptors fetched together (the
     * memory fails the whole beat: on a 64-byte bus that is two descriptors). */
    track_drain(&e, &t);
    const uint64_t slot2 = t.ring.desc.bus + (uint64_t)((t.ring.prod + 2U) & (t.ring.entries - 1U)) * FERRY_DESC_SIZE;
    const uint64_t beat = (slot2 + 8U) & ~(uint64_t)(e.bytes - 1U);
    for (unsigned i = 0; i < 4; i++) {
        const uint64_t a = t.ring.desc.bus + (uint64_t)((t.ring.prod + i) & (t.ring.entries - 1U)) * FERRY_DESC_SIZE;
        const bool hit = a < beat + e.bytes && beat < a + FERRY_DESC_SIZE;
        d[i] = plain(src.bus + 0x7000U + 0x100U * i, dst.bus + 0x7000U + 0x100U * i, 100 + i, 0, (uint16_t)(0xF0U + i));
        (void)expect(&e, &t, &d[i], &sh, hit ? FERRY_ERR_DESC_FETCH : 0U);
    }
    /* A forced code skips the reference model: the shadow keeps the third
     * descriptor's destination as it was. */
    ck_assert_int_eq(tb_mem_inject_error(e.tb, slot2 + 8, slot2 + 8, 0, TB_RESP_SLVERR), 0);
    ck_assert_int_eq(ferry_ring_submit(&t.ring, d, 4), FERRY_OK);
    track_drain(&e, &t);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, slot2 + 8, slot2 + 8, 0, TB_RESP_OKAY), 0);
    sh_compare(&sh, "fetch error inside a run");
    wait_cons(&e, ch, t.ring.prod);
    /* the ring halted at the failed fetch and the driver skipped it (the
     * record's DESC_FETCH is checked by track_drain) */
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_HALTED, ch_rd(&e, ch, FERRY_CH_STATUS)), 0U);
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* Completion record writes that fail (records 4..7: one 64-byte stretch, so
 * whole beats on every bus width): STATUS says CPL_WRITE, CONS still
 * advances past them (the descriptors are done), the other records land. */
START_TEST(test_cpl_write_error)
{
    struct env e;
    struct ferry_dma_mem rmem, cmem, src, dst;
    const unsigned ch = 0;
    const uint64_t bad_lo = 4U * FERRY_CPL_SIZE, bad_hi = 8U * FERRY_CPL_SIZE - 1U;
    uint32_t s, errs;

    env_open(&e);
    rmem = alloc(&e, 4096);
    cmem = alloc(&e, 4096);
    src = alloc(&e, 4096);
    dst = alloc(&e, 4096);
    fill(src.cpu, 4096, 21);
    enable_raw(&e, ch, rmem.bus, cmem.bus, 4);
    errs = ch_rd(&e, ch, FERRY_CH_ERRORS);
    ck_assert_int_eq(tb_mem_inject_error(e.tb, cmem.bus + bad_lo, cmem.bus + bad_hi, 1, TB_RESP_SLVERR), 0);
    for (unsigned i = 0; i < 12; i++) {
        struct ferry_desc d = plain(src.bus + 0x100U * i, dst.bus + 0x100U * i, 64, 0, (uint16_t)(0xC0U + i));
        ferry_desc_encode((uint8_t *)rmem.cpu + i * FERRY_DESC_SIZE, &d);
    }
    ch_wr(&e, ch, FERRY_CH_RING_PROD, 12);
    wait_cons(&e, ch, 12);
    s = ch_rd(&e, ch, FERRY_CH_STATUS);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) == 1U && status_code(s) == FERRY_ERR_CPL_WRITE,
                  "STATUS 0x%08" PRIX32 ": want ERROR CPL_WRITE (seed %" PRIu64 ")", s, g_seed);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_ERRORS), errs + 4U);
    for (unsigned i = 0; i < 12; i++) {
        struct ferry_cpl c;
        const bool lost = i >= 4U && i < 8U;
        ferry_cpl_decode(&c, (uint8_t *)cmem.cpu + i * FERRY_CPL_SIZE);
        ck_assert_msg(lost ? !c.phase : (c.index == i && c.phase && c.tag == 0xC0U + i && c.bytes == 64 && c.status == 0),
                      "record %u: {index %u, status %u, phase %d, bytes %" PRIu32 ", tag 0x%x}%s (seed %" PRIu64 ")",
                      i, c.index, c.status, c.phase, c.bytes, c.tag, lost ? " landed although its write failed" : "",
                      g_seed);
        ck_assert_mem_eq((uint8_t *)dst.cpu + 0x100U * i, (uint8_t *)src.cpu + 0x100U * i, 64);
    }
    ck_assert_int_eq(tb_mem_inject_error(e.tb, cmem.bus + bad_lo, cmem.bus + bad_hi, 1, TB_RESP_OKAY), 0);
    ch_wr(&e, ch, FERRY_CH_RING_CTRL, 0);
    wait_inactive(&e, ch);
    env_close(&e);
}
END_TEST

START_TEST(test_bad_config)
{
    struct env e;
    struct ferry_dma_mem rmem, cmem, src, dst;
    struct ferry_ring r;
    unsigned ch;
    uint32_t errs;

    env_open(&e);
    ch = e.nch - 1U;
    rmem = alloc(&e, 4096);
    cmem = alloc(&e, 4096);
    src = alloc(&e, 4096);
    dst = alloc(&e, 4096);
    fill(src.cpu, 4096, 11);
    memset(dst.cpu, GUARD_PAT, 4096);
    errs = ch_rd(&e, ch, FERRY_CH_ERRORS);

    enable_raw(&e, ch, rmem.bus + 16, cmem.bus, 2);
    expect_error(&e, ch, FERRY_ERR_RING_ALIGN, 0, "RING_BASE 16-byte aligned");
    enable_raw(&e, ch, rmem.bus + 4, cmem.bus, 2);
    expect_error(&e, ch, FERRY_ERR_RING_ALIGN, 0, "RING_BASE 4-byte aligned");
    enable_raw(&e, ch, rmem.bus, cmem.bus + 8, 2);
    expect_error(&e, ch, FERRY_ERR_CPL_ALIGN, 0, "CPL_BASE 8-byte aligned");
    enable_raw(&e, ch, rmem.bus, cmem.bus, 0);
    expect_error(&e, ch, FERRY_ERR_RING_CONFIG, 0, "LOG2_SIZE 0");
    enable_raw(&e, ch, rmem.bus, cmem.bus, 16);
    expect_error(&e, ch, FERRY_ERR_RING_CONFIG, 0, "LOG2_SIZE 16");
    ch_wr(&e, ch, FERRY_CH_RING_PROD, 1);
    expect_error(&e, ch, FERRY_ERR_RING_OFF, 0, "RING_PROD while disabled");
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_ERRORS), errs + 6U);

    /* A good enable; then a doorbell index out of range is refused. */
    enable_raw(&e, ch, rmem.bus, cmem.bus, 2);
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, ch_rd(&e, ch, FERRY_CH_STATUS)), 1U);
    ch_wr(&e, ch, FERRY_CH_RING_PROD, 4);
    expect_error(&e, ch, FERRY_ERR_PROD_RANGE, 1, "RING_PROD 4 on a 4-entry ring");
    ch_wr(&e, ch, FERRY_CH_RING_PROD, 0xFFFF);
    expect_error(&e, ch, FERRY_ERR_PROD_RANGE, 1, "RING_PROD 0xFFFF on a 4-entry ring");
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_RING_PROD), 0U);
    tb_step(e.tb, 200);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_RING_CONS), 0U); /* nothing ran */

    /* A direct doorbell while the ring is enabled is refused, moves nothing. */
    ch_wr(&e, ch, FERRY_CH_SRC_LO, (uint32_t)src.bus);
    ch_wr(&e, ch, FERRY_CH_SRC_HI, (uint32_t)(src.bus >> 32));
    ch_wr(&e, ch, FERRY_CH_DST_LO, (uint32_t)dst.bus);
    ch_wr(&e, ch, FERRY_CH_DST_HI, (uint32_t)(dst.bus >> 32));
    ch_wr(&e, ch, FERRY_CH_LEN, 256);
    ch_wr(&e, ch, FERRY_CH_CTRL, FERRY_CTRL_START_MASK);
    tb_step(e.tb, 500);
    expect_error(&e, ch, FERRY_ERR_RING_OFF, 1, "CTRL.START while the ring is enabled");
    for (unsigned i = 0; i < 4096; i++) {
        ck_assert_msg(((uint8_t *)dst.cpu)[i] == GUARD_PAT, "refused direct doorbell wrote byte %u", i);
    }
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_ERRORS), errs + 9U);
    /* New bases and size while enabled: refused with CFG_BUSY, nothing changes. */
    enable_raw(&e, ch, rmem.bus + 0x800, cmem.bus + 0x800, 3);
    expect_error(&e, ch, FERRY_ERR_CFG_BUSY, 1, "RING_BASE, CPL_BASE and LOG2_SIZE while enabled");
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_RING_BASE_LO), (uint32_t)rmem.bus);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_CPL_BASE_LO), (uint32_t)cmem.bus);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_RING_CTRL),
                      FERRY_FIELD_PREP(FERRY_RING_CTRL_ENABLE, 1U) | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, 2U));

    /* The ring still works after all that: one descriptor at slot 0. */
    struct ferry_desc d = plain(src.bus, dst.bus, 256, 0, 0x77);
    struct ferry_cpl c;
    ferry_desc_encode(rmem.cpu, &d);
    ch_wr(&e, ch, FERRY_CH_RING_PROD, 1);
    wait_cons(&e, ch, 1);
    ferry_cpl_decode(&c, cmem.cpu);
    ck_assert_msg(c.index == 0 && c.status == 0 && c.phase && c.bytes == 256 && c.tag == 0x77,
                  "record {%u, %u, %d, %" PRIu32 ", 0x%x}", c.index, c.status, c.phase, c.bytes, c.tag);
    ck_assert_mem_eq(dst.cpu, src.cpu, 256);
    ck_assert_uint_eq(status_code(ch_rd(&e, ch, FERRY_CH_STATUS)), 0U);

    /* The driver: a ring on an active channel is refused without writes. */
    ferry_sim_clear_counts(e.sim);
    ck_assert_int_eq(ferry_ring_init(&e.dev, ch, 3, &r), FERRY_E_BUSY);
    ck_assert_uint_eq(ferry_sim_write_count(e.sim), 0U);
    ck_assert_ptr_null(r.dev);
    ch_wr(&e, ch, FERRY_CH_RING_CTRL, 0);
    wait_inactive(&e, ch);
    /* Bad sizes never reach the device. */
    ferry_sim_clear_counts(e.sim);
    ck_assert_int_eq(ferry_ring_init(&e.dev, ch, 0, &r), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_init(&e.dev, ch, 16, &r), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_init(&e.dev, e.nch, 3, &r), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_init(&e.dev, ch, 3, NULL), FERRY_E_INVAL);
    ck_assert_uint_eq(ferry_sim_read_count(e.sim) + ferry_sim_write_count(e.sim), 0U);
    /* ... and the largest ring works. */
    ck_assert_int_eq(ferry_ring_init(&e.dev, ch, 15, &r), FERRY_OK);
    ck_assert_uint_eq(ferry_ring_space(&r), 32767U);
    ck_assert_int_eq(ferry_ring_fini(&r, WAIT_US), FERRY_OK);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ interrupts */

/* Waits for RING_CONS to reach want, then lets the status settle. */
static uint32_t settle(struct env *e, unsigned ch, uint32_t want)
{
    wait_cons(e, ch, want);
    tb_step(e->tb, 8);
    return ch_rd(e, ch, FERRY_CH_STATUS);
}

/* IRQ_COUNT = 4: STATUS.CPL and irq only after the 4th eligible completion
 * (IRQ flag or an error); completions without IRQ do not count. */
START_TEST(test_coalesce_count)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    const unsigned ch = 0;

    env_open(&e);
    bufs(&e, &sh, 64 * 1024, 12, &src, &dst);
    track_init(&e, &t, ch, 5);
    ck_assert(t.ring.irq);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_IRQ_ENABLE), FERRY_IRQ_ENABLE_CPL_MASK);
    ck_assert_int_eq(ferry_ring_set_coalesce(&t.ring, 4, 0), FERRY_OK);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_IRQ_COUNT), 4U);
    ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_IRQ_TIMER), 0U);
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned k = 1; k <= 4; k++) {
            struct ferry_desc d[3];
            unsigned n = 0;
            uint32_t s;
            /* Round 1 makes its 2nd eligible completion an error without the IRQ flag. */
            if (round == 1 && k == 2) {
                d[n++] = plain(src.bus, dst.bus, 0, 0, 0x900);
            } else {
                d[n++] = plain(src.bus + k, dst.bus + 0x1000U * round + 0x100U * k, 64, FERRY_DESC_IRQ,
                               (uint16_t)(0x100U * round + k));
            }
            if (k == 2) {
                /* Two completions that do not count. */
                d[n++] = plain(src.bus + 0x2000, dst.bus + 0x8000U + 0x100U * round, 32, 0, 0x5555);
                d[n++] = plain(src.bus + 0x3000, dst.bus + 0x8080U + 0x100U * round, 32, 0, 0x5556);
            }
            track_submit(&e, &t, d, n, &sh);
            s = settle(&e, ch, t.ring.prod);
            ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_CPL, s) == (k == 4U ? 1U : 0U) &&
                              (tb_irq(e.tb) >> ch & 1U) == (k == 4U ? 1U : 0U),
                          "round %u, %u eligible completions: STATUS 0x%08" PRIX32 ", irq %u; want CPL and irq %s "
                          "(seed %" PRIu64 ")",
                          round, k, s, tb_irq(e.tb) >> ch & 1U, k == 4U ? "set" : "clear", g_seed);
        }
        ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_CPL_MASK | FERRY_STATUS_ERROR_MASK);
        tb_step(e.tb, 4);
        ck_assert_uint_eq(tb_irq(e.tb) >> ch & 1U, 0U);
        track_drain(&e, &t);
    }
    /* The driver's wait sleeps on the line and finds all of them. */
    struct ferry_desc d[8];
    for (unsigned i = 0; i < 8; i++) {
        d[i] = plain(src.bus + 0x4000U + i, dst.bus + 0x9000U + 0x40U * i, 40, FERRY_DESC_IRQ, (uint16_t)(0xA00U + i));
    }
    track_submit(&e, &t, d, 8, &sh);
    track_wait(&e, &t, 8);
    sh_compare(&sh, "coalescing by count");
    /* IRQ_COUNT 0 acts as 1. */
    ck_assert_int_eq(ferry_ring_set_coalesce(&t.ring, 0, 0), FERRY_OK);
    ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_CPL_MASK);
    d[0] = plain(src.bus, dst.bus + 0xA000U, 16, FERRY_DESC_IRQ, 0xABC);
    track_submit(&e, &t, d, 1, &sh);
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_CPL, settle(&e, ch, t.ring.prod)), 1U);
    track_drain(&e, &t);
    ck_assert_int_eq(ferry_ring_set_coalesce(&t.ring, 0x10000, 0), FERRY_E_INVAL);
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* Steps one cycle at a time until the record for sequence number seq has
 * landed (its phase byte) and returns that cycle. */
static uint64_t watch_record(struct env *e, struct track *t, uint64_t seq, uint64_t budget)
{
    const volatile uint8_t *rec = (const volatile uint8_t *)t->ring.cpl.cpu + (seq % t->ring.entries) * FERRY_CPL_SIZE;
    const bool phase = (seq / t->ring.entries) % 2U == 0U;

    for (uint64_t i = 0; i < budget; i++) {
        if (((rec[3] & 0x80U) != 0U) == phase) {
            return tb_cycle(e->tb);
        }
        tb_step(e->tb, 1);
    }
    ck_abort_msg("record %" PRIu64 " not written in %" PRIu64 " cycles (seed %" PRIu64 ")", seq, budget, g_seed);
    return 0;
}

static uint64_t watch_irq(struct env *e, unsigned ch, uint64_t budget)
{
    for (uint64_t i = 0; i < budget; i++) {
        if ((tb_irq(e->tb) >> ch & 1U) != 0U) {
            return tb_cycle(e->tb);
        }
        tb_step(e->tb, 1);
    }
    ck_abort_msg("ch %u: no irq within %" PRIu64 " cycles (seed %" PRIu64 ")", ch, budget, g_seed);
    return 0;
}

/* IRQ_TIMER = N: the irq rises about N cycles after the first eligible
 * completion (counted from its record landing; the record's write
 * response follows within the memory's write latency). */
START_TEST(test_coalesce_timer)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    const unsigned ch = 0;
    const uint32_t N = 3000;

    env_open(&e);
    const uint64_t slack = e.cfg.wr_lat_max + 40U;
    bufs(&e, &sh, 64 * 1024, 13, &src, &dst);
    track_init(&e, &t, ch, 4);
    ck_assert_int_eq(ferry_ring_set_coalesce(&t.ring, 1000, N), FERRY_OK);
    for (unsigned round = 0; round < 3; round++) {
        struct ferry_desc d[3];
        const unsigned n = round == 0 ? 1U : 3U;
        const uint64_t first = t.submitted;
        uint64_t t_rec, t_irq;

        ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_CPL_MASK);
        for (unsigned i = 0; i < n; i++) {
            d[i] = plain(src.bus + 0x100U * i, dst.bus + 0x1000U * round + 0x100U * i, 64 + i,
                         round == 2 && i == 0 ? 0U : FERRY_DESC_IRQ, (uint16_t)(0x10U * round + i));
        }
        /* Round 2: the first completion does not count; the timer starts at the second. */
        track_submit(&e, &t, d, n, &sh);
        t_rec = watch_record(&e, &t, round == 2 ? first + 1U : first, 100000);
        ck_assert_uint_eq(tb_irq(e.tb) >> ch & 1U, 0U);
        t_irq = watch_irq(&e, ch, N + 100000U);
        ck_assert_msg(t_irq - t_rec + 2U >= N && t_irq - t_rec <= N + slack,
                      "round %u: irq %" PRIu64 " cycles after the first eligible record, want %" PRIu32
                      "..%" PRIu64 " (seed %" PRIu64 ")",
                      round, t_irq - t_rec, N, N + slack, g_seed);
        ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_CPL, ch_rd(&e, ch, FERRY_CH_STATUS)), 1U);
        track_drain(&e, &t);
    }
    /* The timer and the count together: whichever comes first. */
    ck_assert_int_eq(ferry_ring_set_coalesce(&t.ring, 2, 100000), FERRY_OK);
    ch_wr(&e, ch, FERRY_CH_STATUS, FERRY_STATUS_CPL_MASK);
    struct ferry_desc d2[2] = {plain(src.bus, dst.bus + 0x8000U, 10, FERRY_DESC_IRQ, 1),
                               plain(src.bus, dst.bus + 0x8100U, 10, FERRY_DESC_IRQ, 2)};
    track_submit(&e, &t, d2, 2, &sh);
    const uint64_t t0 = tb_cycle(e.tb);
    ck_assert_uint_lt(watch_irq(&e, ch, 50000) - t0, 50000U);
    track_drain(&e, &t);
    sh_compare(&sh, "coalescing by timer");
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* ferry_ring_wait is bounded: nothing pending, or a descriptor without the
 * IRQ flag (so no interrupt ever comes), still returns. */
START_TEST(test_wait_bounded)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct ferry_cpl c[4];
    unsigned got = 99;
    uint64_t t0;

    env_open(&e);
    bufs(&e, &sh, 8192, 14, &src, &dst);
    track_init(&e, &t, 0, 2);
    ck_assert_int_eq(ferry_ring_wait(&t.ring, 1, 0, c, &got), FERRY_E_TIMEOUT);
    ck_assert_uint_eq(got, 0U);
    t0 = tb_cycle(e.tb);
    ck_assert_int_eq(ferry_ring_wait(&t.ring, 1, 40, c, &got), FERRY_E_TIMEOUT);
    ck_assert_msg(tb_cycle(e.tb) - t0 >= 39U * FERRY_SIM_CYCLES_PER_US && /* now_us truncates */
                      tb_cycle(e.tb) - t0 < 40U * FERRY_SIM_CYCLES_PER_US + 5000U,
                  "a 40 us wait took %" PRIu64 " cycles", tb_cycle(e.tb) - t0);
    ck_assert_int_eq(ferry_ring_wait(&t.ring, 4, WAIT_US, c, &got), FERRY_E_INVAL); /* more than the ring holds */
    ferry_set_poll_interval(&e.dev, 3);
    t0 = tb_cycle(e.tb);
    ck_assert_int_eq(ferry_ring_wait(&t.ring, 2, 20, c, &got), FERRY_E_TIMEOUT);
    ck_assert_uint_lt(tb_cycle(e.tb) - t0, 25U * FERRY_SIM_CYCLES_PER_US);
    ferry_set_poll_interval(&e.dev, 0);
    ck_assert_int_eq(ferry_ring_wait(&t.ring, 0, WAIT_US, NULL, NULL), FERRY_OK);
    /* No IRQ flag: found by the periodic check, well inside the budget. */
    struct ferry_desc d = plain(src.bus, dst.bus, 100, 0, 0x42);
    track_submit(&e, &t, &d, 1, &sh);
    t0 = tb_cycle(e.tb);
    track_wait(&e, &t, 1);
    ck_assert_uint_lt(tb_cycle(e.tb) - t0, 2000U * FERRY_SIM_CYCLES_PER_US);
    ck_assert_uint_eq(tb_irq(e.tb) & 1U, 0U);
    sh_compare(&sh, "bounded wait");
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ counters */

START_TEST(test_counters)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct ferry_counters c, c2;
    const unsigned ch = 0;
    struct ferry_desc d[6];
    unsigned n = 0;
    uint64_t moved = 0;
    struct ferry_result res;

    env_open(&e);
    const uint32_t B = e.bytes;
    bufs(&e, &sh, 64 * 1024, 15, &src, &dst);
    ck_assert_int_eq(ferry_read_counters(&e.dev, ch, &c), FERRY_OK);
    ck_assert_msg(c.bytes_rd == 0 && c.bytes_wr == 0 && c.desc_done == 0 && c.errors == 0,
                  "counters not 0 after reset");
    track_init(&e, &t, ch, 3);
    d[n++] = plain(src.bus + 1, dst.bus + 2, 1000, 0, 1);
    d[n++] = two_d(src.bus + 0x1000, dst.bus + 0x2000, 100, 3, 200, 150, 0, 2);
    d[n++] = plain(src.bus + 0x3000, dst.bus + 0x3001, 8 * B + 3, FERRY_DESC_SRC_FIXED, 3);
    d[n++] = plain(src.bus + 0x3003, dst.bus + 0x4000, 5 * B + 1, FERRY_DESC_DST_FIXED, 4);
    d[n++] = plain(src.bus, dst.bus, 0, 0, 5); /* rejected: counts as done and as an error */
    d[n++] = plain(src.bus + 0x5000, dst.bus + 0x5000, 40000, FERRY_DESC_IRQ, 6);
    moved = 1000 + 300 + (8 * B + 3) + (5 * B + 1) + 40000;
    track_submit(&e, &t, d, n, &sh);
    track_drain(&e, &t);
    wait_cons(&e, ch, t.ring.prod);
    ck_assert_int_eq(ferry_read_counters(&e.dev, ch, &c), FERRY_OK);
    ck_assert_msg(c.bytes_rd == moved && c.bytes_wr == moved && c.desc_done == n && c.errors == 1U,
                  "counters: read %" PRIu64 ", written %" PRIu64 ", done %" PRIu32 ", errors %" PRIu32
                  "; want %" PRIu64 ", %" PRIu64 ", %u, 1 (seed %" PRIu64 ")",
                  c.bytes_rd, c.bytes_wr, c.desc_done, c.errors, moved, moved, n, g_seed);
    ck_assert_uint_gt(c.busy_cycles, 0U);
    for (unsigned o = 0; o < e.nch; o++) {
        if (o != ch) {
            ck_assert_int_eq(ferry_read_counters(&e.dev, o, &c2), FERRY_OK);
            ck_assert_msg(c2.bytes_rd == 0 && c2.bytes_wr == 0 && c2.desc_done == 0 && c2.errors == 0 &&
                              c2.busy_cycles == 0,
                          "ch %u counted ch %u's work", o, ch);
        }
    }
    track_fini(&e, &t);
    /* A direct transfer counts too. */
    ck_assert_int_eq(ferry_copy(&e.dev, ch, src.bus, dst.bus + 0x8000, 500, WAIT_US, &res), FERRY_OK);
    ck_assert_int_eq(ferry_read_counters(&e.dev, ch, &c2), FERRY_OK);
    ck_assert_uint_eq(c2.bytes_rd, moved + 500U);
    ck_assert_uint_eq(c2.bytes_wr, moved + 500U);
    ck_assert_uint_eq(c2.desc_done, n + 1U);
    ck_assert_uint_eq(c2.errors, 1U);
    ck_assert_uint_ge(c2.busy_cycles, c.busy_cycles);
    ck_assert_int_eq(ferry_read_counters(&e.dev, e.nch, &c2), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_read_counters(&e.dev, ch, NULL), FERRY_E_INVAL);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

START_TEST(test_weight_max_out)
{
    struct env e;
    const struct ferry_caps *caps;

    env_open(&e);
    caps = ferry_caps(&e.dev);
    for (unsigned ch = 0; ch < e.nch; ch++) {
        ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_MAX_OUT), caps->max_outstanding);
        ck_assert_int_eq(ferry_set_weight(&e.dev, ch, 1U + 16U * ch), FERRY_OK);
        ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_WEIGHT), 1U + 16U * ch);
        ck_assert_int_eq(ferry_set_max_out(&e.dev, ch, 1U + ch % caps->max_outstanding), FERRY_OK);
        ck_assert_uint_eq(ch_rd(&e, ch, FERRY_CH_MAX_OUT), 1U + ch % caps->max_outstanding);
    }
    ferry_sim_clear_counts(e.sim);
    ck_assert_int_eq(ferry_set_weight(&e.dev, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_weight(&e.dev, 0, 256), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_weight(&e.dev, e.nch, 1), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_max_out(&e.dev, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_set_max_out(&e.dev, 0, caps->max_outstanding + 1U), FERRY_E_INVAL);
    ck_assert_uint_eq(ferry_sim_read_count(e.sim) + ferry_sim_write_count(e.sim), 0U);
    ck_assert_int_eq(ferry_set_weight(&e.dev, 0, 255), FERRY_OK);
    ck_assert_int_eq(ferry_set_max_out(&e.dev, 0, caps->max_outstanding), FERRY_OK);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ stopping */

/* RING_CTRL = 0 with descriptors still waiting to be fetched:
 * docs/descriptors.md step 6 says the fetched ones complete and RING_ACTIVE
 * drops when the channel is idle; a new ring can then start. */
START_TEST(test_stop_pending)
{
    struct env e;
    struct ferry_dma_mem src, dst;
    struct ferry_ring r;
    struct ferry_desc d[15];
    ferry_status st;
    uint32_t s, cons;

    env_open(&e);
    src = alloc(&e, 64 * 1024);
    dst = alloc(&e, 64 * 1024);
    fill(src.cpu, src.size, 16);
    ck_assert_int_eq(ferry_ring_init(&e.dev, 0, 4, &r), FERRY_OK);
    for (unsigned i = 0; i < 15; i++) {
        d[i] = plain(src.bus, dst.bus, 16 * 1024, 0, (uint16_t)i);
    }
    ck_assert_int_eq(ferry_ring_submit(&r, d, 15), FERRY_OK);
    ch_wr(&e, 0, FERRY_CH_RING_CTRL, 0);
    const uint64_t t_stop = tb_cycle(e.tb);
    for (unsigned i = 0; i < 200; i++) {
        tb_step(e.tb, 2000); /* 400,000 cycles: the fetched ones need far less */
        s = ch_rd(&e, 0, FERRY_CH_STATUS);
        if (FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U) {
            break;
        }
    }
    cons = ch_rd(&e, 0, FERRY_CH_RING_CONS);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U && FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 0U,
                  "RING_CTRL = 0 at cycle %" PRIu64 " with 15 descriptors pending; at cycle %" PRIu64
                  " %d are done and STATUS is 0x%08" PRIX32 " (RING_ACTIVE/BUSY still set), RING_PROD %" PRIu32
                  ", RING_CONS %" PRIu32 " (seed %" PRIu64 ")",
                  t_stop, tb_cycle(e.tb), (int)cons, s, ch_rd(&e, 0, FERRY_CH_RING_PROD), cons, g_seed);
    ck_assert_uint_lt(cons, 15U);
    st = ferry_ring_fini(&r, WAIT_US);
    ck_assert_int_eq(st, FERRY_OK);
    /* A new ring runs. */
    struct track t;
    struct shadow sh = {.n = 0};
    sh_add(&sh, &src);
    sh_add(&sh, &dst);
    track_init(&e, &t, 0, 2);
    d[0] = plain(src.bus + 5, dst.bus + 7, 333, 0, 0x33);
    track_submit(&e, &t, d, 1, &sh);
    track_drain(&e, &t);
    sh_compare(&sh, "ring after a stop");
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* docs/descriptors.md: software "treats a record as new when its phase equals
 * the expected one, so it never reads a stale record". Watch the completion
 * ring every cycle: whenever a record's phase byte shows the new phase, the
 * whole record must already be the new one. */
START_TEST(test_record_atomic)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;

    env_open(&e);
    bufs(&e, &sh, 64 * 1024, 17, &src, &dst);
    track_init(&e, &t, 0, 2);
    for (unsigned i = 0; i < 12; i++) {
        struct ferry_desc d = plain(src.bus + i, dst.bus + 0x100U * i, 1 + 37U * i, 0, (uint16_t)(0x4321U + i));
        const uint64_t seq = t.submitted;
        const struct exp x = expect(&e, &t, &d, &sh, 0);
        struct ferry_cpl c;
        uint8_t buf[FERRY_CPL_SIZE];
        const uint8_t *rec = (const uint8_t *)t.ring.cpl.cpu + (seq % t.ring.entries) * FERRY_CPL_SIZE;

        ck_assert_int_eq(ferry_ring_submit(&t.ring, &d, 1), FERRY_OK);
        const uint64_t landed = watch_record(&e, &t, seq, 200000);
        if (e.bytes < FERRY_CPL_SIZE) {
            /* Narrower than a record: PHASE may land before the other beats
             * (docs/descriptors.md); the contract there is that a record
             * RING_CONS has passed is complete. track_wait reaps through
             * the driver, which bounds by RING_CONS on such buses. */
            track_wait(&e, &t, 1);
        }
        memcpy(buf, rec, sizeof(buf));
        ferry_cpl_decode(&c, buf);
        ck_assert_msg(c.index == x.index && c.bytes == x.bytes && c.tag == x.tag,
                      "cycle %" PRIu64 ": record %u shows the new phase %d but {index %u, bytes %" PRIu32
                      ", tag 0x%04x}, the whole record reads {index %u, bytes %" PRIu32 ", tag 0x%04x} "
                      "(%u-byte bus, seed %" PRIu64 ")",
                      landed, x.index, c.phase, c.index, c.bytes, c.tag, x.index, x.bytes, x.tag, e.bytes, g_seed);
        if (e.bytes >= FERRY_CPL_SIZE) {
            track_wait(&e, &t, 1);
        }
    }
    sh_compare(&sh, "records");
    track_fini(&e, &t);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ scatter-gather and 2D helpers */

START_TEST(test_submit_sg_2d)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct ferry_dma_mem src, dst;
    struct track t;
    struct ferry_sg sg[5];
    unsigned nd = 0;
    uint32_t s;

    env_open(&e);
    const uint32_t B = e.bytes;
    bufs(&e, &sh, 64 * 1024, 18, &src, &dst);
    track_init(&e, &t, e.nch - 1U, 4);
    ch_wr(&e, t.ch, FERRY_CH_STATUS, FERRY_STATUS_CPL_MASK);
    sg[0] = (struct ferry_sg){src.bus + 1, dst.bus + 3, 1};
    sg[1] = (struct ferry_sg){src.bus + 100, dst.bus + 0x1000, 100};
    sg[2] = (struct ferry_sg){src.bus + 0x2000, dst.bus + 0x2001, 4096};
    sg[3] = (struct ferry_sg){src.bus + 0x4003, dst.bus + 0x6000, 10000};
    sg[4] = (struct ferry_sg){src.bus + 7, dst.bus + 0xA000, 3};
    for (unsigned i = 0; i < 5; i++) {
        struct ferry_desc d = plain(sg[i].src, sg[i].dst, (uint32_t)sg[i].len, i == 4 ? FERRY_DESC_IRQ : 0U,
                                    (uint16_t)i);
        (void)expect(&e, &t, &d, &sh, 0);
    }
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 5, FERRY_DESC_IRQ, &nd), FERRY_OK);
    ck_assert_uint_eq(nd, 5U);
    /* Only the last descriptor has IRQ: CPL once every record is in (checked
     * before the driver's wait acknowledges it). */
    s = settle(&e, t.ch, t.ring.prod);
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_STATUS_CPL, s), 1U);
    track_drain(&e, &t);
    /* Fixed destination through submit_sg. */
    sg[0] = (struct ferry_sg){src.bus + 0x100, dst.bus + 0xB000, 9U * B + 1U};
    struct ferry_desc fd = plain(sg[0].src, sg[0].dst, (uint32_t)sg[0].len, FERRY_DESC_DST_FIXED, 0);
    (void)expect(&e, &t, &fd, &sh, 0);
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 1, FERRY_DESC_DST_FIXED, NULL), FERRY_OK);
    track_drain(&e, &t);
    /* 2D helper. */
    struct ferry_desc d2 = two_d(src.bus + 0x3000, dst.bus + 0xC003, 77, 9, 90, 80, 0, 0x2D);
    (void)expect(&e, &t, &d2, &sh, 0);
    ck_assert_int_eq(ferry_ring_submit_2d(&t.ring, d2.src, d2.dst, 77, 9, 90, 80, 0, 0x2D), FERRY_OK);
    track_drain(&e, &t);
    sh_compare(&sh, "submit_sg / submit_2d");

    /* Refused before any register access. */
    ferry_sim_clear_counts(e.sim);
    sg[0] = (struct ferry_sg){src.bus, dst.bus, 0};
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 1, 0, NULL), FERRY_E_INVAL);
    sg[0] = (struct ferry_sg){src.bus, dst.bus + 1, 64};
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 1, FERRY_DESC_DST_FIXED, NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 1, FERRY_DESC_TWO_D, NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 1, 0x80, NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 0, 0, NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, NULL, 1, 0, NULL), FERRY_E_INVAL);
    sg[0] = (struct ferry_sg){e.top - 16U, dst.bus, 32};
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 1, 0, NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_2d(&t.ring, src.bus, dst.bus, 0, 2, 0, 0, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_2d(&t.ring, src.bus, dst.bus, 8, 0, 0, 0, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_2d(&t.ring, src.bus, e.top - 0x100U, 16, 3, 0, 0x80, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit_2d(&t.ring, src.bus, dst.bus, 16, 3, 16, 0, FERRY_DESC_SRC_FIXED, 0),
                     FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit(&t.ring, NULL, 1), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit(&t.ring, &d2, 16), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_submit(NULL, &d2, 1), FERRY_E_INVAL);
    ck_assert_uint_eq(ferry_sim_read_count(e.sim) + ferry_sim_write_count(e.sim), 0U);
    /* Full ring: FERRY_E_BUSY, nothing written. */
    struct ferry_desc many[15];
    for (unsigned i = 0; i < 15; i++) {
        many[i] = plain(src.bus, dst.bus + 0xD000U + 16U * i, 16, 0, (uint16_t)i);
    }
    track_submit(&e, &t, many, 14, &sh);
    ferry_sim_clear_counts(e.sim);
    ck_assert_int_eq(ferry_ring_submit(&t.ring, many, 2), FERRY_E_BUSY);
    sg[0] = (struct ferry_sg){src.bus, dst.bus, 16};
    sg[1] = sg[0];
    ck_assert_int_eq(ferry_ring_submit_sg(&t.ring, sg, 2, 0, NULL), FERRY_E_BUSY);
    ck_assert_uint_eq(ferry_sim_write_count(e.sim), 0U);
    track_submit(&e, &t, many + 14, 1, &sh);
    track_drain(&e, &t);
    sh_compare(&sh, "full ring");
    track_fini(&e, &t);
    ck_assert_int_eq(ferry_ring_submit(&t.ring, many, 1), FERRY_E_INVAL); /* after fini */
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ random mix */

struct mix_ch {
    struct track t;
    struct ferry_dma_mem src, dst;
    unsigned left; /* descriptors still to submit */
};

/* A random descriptor for channel m: sizes 1 B..64 KiB, any alignment, 2D,
 * fixed sides, now and then a bad one. Footprints stay inside the buffers. */
static struct ferry_desc mix_desc(struct env *e, struct rng *r, const struct mix_ch *m, uint16_t tag)
{
    const uint32_t B = e->bytes;
    const size_t size = m->src.size;
    struct ferry_desc d;
    uint64_t kind = rrange(r, 0, 99);
    uint32_t len;

    if (kind < 45) {
        len = (uint32_t)rrange(r, 1, 256);
    } else if (kind < 70) {
        len = (uint32_t)rrange(r, 257, 4096);
    } else {
        len = (uint32_t)rrange(r, 4097, 65536);
    }
    kind = rrange(r, 0, 99);
    if (kind < 20) {
        /* 2D */
        uint16_t rows = (uint16_t)rrange(r, 1, 12);
        uint32_t rl = (uint32_t)rrange(r, 1, 2048);
        uint32_t ss = rrange(r, 0, 9) == 0 ? 0U : rl + (uint32_t)rrange(r, 0, 300);
        uint32_t ds = rl + (uint32_t)rrange(r, 0, 300);
        uint64_t sfoot = (uint64_t)(rows - 1U) * ss + rl, dfoot = (uint64_t)(rows - 1U) * ds + rl;
        d = two_d(m->src.bus + rrange(r, 0, size - sfoot), m->dst.bus + rrange(r, 64, size - 64 - dfoot), rl, rows, ss,
                  ds, 0, tag);
    } else if (kind < 30) {
        /* fixed source or destination, beat aligned */
        bool sfix = rrange(r, 0, 1) == 0U;
        if (sfix) {
            d = plain(m->src.bus + rrange(r, 0, size / B - 1U) * B, m->dst.bus + rrange(r, 64, size - 64 - len), len,
                      FERRY_DESC_SRC_FIXED, tag);
        } else {
            d = plain(m->src.bus + rrange(r, 0, size - len), m->dst.bus + rrange(r, 1, size / B - 2U) * B, len,
                      FERRY_DESC_DST_FIXED, tag);
        }
    } else {
        d = plain(m->src.bus + rrange(r, 0, size - len), m->dst.bus + rrange(r, 64, size - 64 - len), len, 0, tag);
    }
    if (rrange(r, 0, 1) == 0U) {
        d.flags |= FERRY_DESC_IRQ;
    }
    kind = rrange(r, 0, 99);
    if (kind < 2) {
        d.len = 0;
    } else if (kind < 4) {
        d.flags |= 0x80; /* reserved */
    } else if (kind < 5) {
        d.flags |= FERRY_DESC_DST_FIXED;
        d.dst |= 1U;
        d.src_stride = 0; /* keep the code FIXED_ALIGN, not DESC_RESERVED */
        d.dst_stride = 0;
    }
    return d;
}

/* Every channel at once, each with its own ring size, batches of random
 * size, reaping as records come; data checked against the reference model
 * at the end, the guard bytes around every destination included. */
START_TEST(test_random_mix)
{
    struct env e;
    struct shadow sh = {.n = 0};
    struct mix_ch *m;
    struct rng r;
    const char *ne = getenv("RING_MIX_N");
    const unsigned per_ch = ne != NULL && *ne != '\0' ? (unsigned)strtoul(ne, NULL, 0) : 48U;
    uint64_t idle = 0;
    const size_t size = 192U * 1024U;

    env_open(&e);
    rng_init(&r, 19);
    m = calloc(e.nch, sizeof(*m));
    ck_assert_ptr_nonnull(m);
    for (unsigned ch = 0; ch < e.nch; ch++) {
        bufs(&e, &sh, size, 100U + ch, &m[ch].src, &m[ch].dst);
        track_init(&e, &m[ch].t, ch, (unsigned)rrange(&r, 2, 6));
        m[ch].left = per_ch;
        ck_assert_int_eq(ferry_set_weight(&e.dev, ch, (unsigned)rrange(&r, 1, 8)), FERRY_OK);
        ck_assert_int_eq(ferry_set_max_out(&e.dev, ch, (unsigned)rrange(&r, 1, ferry_caps(&e.dev)->max_outstanding)),
                         FERRY_OK);
    }
    for (;;) {
        bool done = true;
        bool progress = false;

        for (unsigned ch = 0; ch < e.nch; ch++) {
            struct mix_ch *c = &m[ch];
            struct ferry_cpl cpl[64];
            unsigned got = 0;
            unsigned space = ferry_ring_space(&c->t.ring);

            if (c->left > 0U && space > 0U && rrange(&r, 0, 2) != 0U) {
                struct ferry_desc d[8];
                unsigned n = (unsigned)rrange(&r, 1, 8);
                n = n > space ? space : n;
                n = n > c->left ? c->left : n;
                for (unsigned i = 0; i < n; i++) {
                    d[i] = mix_desc(&e, &r, c, (uint16_t)(ch << 12 | (per_ch - c->left + i)));
                }
                track_submit(&e, &c->t, d, n, &sh);
                c->left -= n;
                progress = true;
            }
            ferry_status rs = ferry_ring_reap(&c->t.ring, cpl, 64, &got);
            if (rs == FERRY_E_HALTED && got > 0U && cpl[got - 1U].halted) {
                /* halted at an error: check the ones before it, skip it */
                track_check(&c->t, cpl, got - 1U);
                ck_assert_int_eq(ferry_ring_skip(&c->t.ring), FERRY_OK);
                got = 0;
            } else {
                ck_assert_int_eq(rs, FERRY_OK);
                track_check(&c->t, cpl, got);
            }
            progress = progress || got > 0U;
            done = done && c->left == 0U && c->t.reaped == c->t.submitted;
        }
        if (done) {
            break;
        }
        if (!progress) {
            tb_step(e.tb, 64);
            idle += 64;
            ck_assert_msg(idle < 200000000ULL, "random mix stuck (cycle %" PRIu64 ", seed %" PRIu64 ")",
                          tb_cycle(e.tb), g_seed);
        }
    }
    sh_compare(&sh, "random mix");
    for (unsigned ch = 0; ch < e.nch; ch++) {
        wait_cons(&e, ch, m[ch].t.ring.prod);
        track_fini(&e, &m[ch].t);
    }
    free(m);
    sh_free(&sh);
    env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ fake platform (no RTL) */

#define FAKE_REGS (FERRY_BAR_SIZE / 4U)

struct fake {
    uint32_t regs[FAKE_REGS];
    unsigned reads, writes, allocs, frees;
    bool refuse;           /* RING_CTRL enable answers ERROR RING_CONFIG */
    unsigned hi_moves;     /* BYTES_RD_HI reads that still move */
};

static uint32_t fake_read(void *ctx, uint32_t off)
{
    struct fake *f = ctx;
    const uint32_t ch0 = FERRY_CH_REG(0, 0);

    f->reads++;
    if (off == ch0 + FERRY_CH_STATUS) {
        uint32_t ctrl = f->regs[(ch0 + FERRY_CH_RING_CTRL) / 4U];
        if ((ctrl & FERRY_RING_CTRL_ENABLE_MASK) == 0U) {
            return 0;
        }
        return f->refuse ? FERRY_STATUS_ERROR_MASK | FERRY_FIELD_PREP(FERRY_STATUS_ERR_CODE, FERRY_ERR_RING_CONFIG)
                         : FERRY_STATUS_RING_ACTIVE_MASK;
    }
    if (off == ch0 + FERRY_CH_BYTES_RD_HI && f->hi_moves > 0U) {
        f->hi_moves--;
        return ++f->regs[off / 4U];
    }
    return f->regs[off / 4U];
}

static void fake_write(void *ctx, uint32_t off, uint32_t val)
{
    struct fake *f = ctx;

    f->writes++;
    if (off == FERRY_CH_REG(0, FERRY_CH_STATUS)) {
        return; /* w1c */
    }
    f->regs[off / 4U] = val;
}

static int fake_alloc(void *ctx, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    struct fake *f = ctx;
    size_t sz = (size + 4095U) & ~(size_t)4095U;

    (void)align;
    mem->cpu = aligned_alloc(4096, sz);
    if (mem->cpu == NULL) {
        return -1;
    }
    memset(mem->cpu, 0x3C, sz); /* not zeroed: the driver must zero the rings */
    mem->bus = 0x40000000ULL + 0x100000ULL * f->allocs;
    mem->size = size;
    f->allocs++;
    return 0;
}

static void fake_free(void *ctx, struct ferry_dma_mem *mem)
{
    struct fake *f = ctx;

    free(mem->cpu);
    mem->cpu = NULL;
    f->frees++;
}

static void fake_open(struct fake *f, struct ferry_dev *dev, unsigned data_bytes)
{
    struct ferry_platform p;

    memset(f, 0, sizeof(*f));
    f->regs[FERRY_REG_ID / 4U] = FERRY_MAGIC;
    f->regs[FERRY_REG_IF_VERSION / 4U] = FERRY_IF_VERSION_MAJOR << 16 | 1U;
    f->regs[FERRY_REG_CAP0 / 4U] = FERRY_FIELD_PREP(FERRY_CAP0_CHANNELS, 1U) |
                                   FERRY_FIELD_PREP(FERRY_CAP0_DATA_BYTES, data_bytes) |
                                   FERRY_FIELD_PREP(FERRY_CAP0_ADDR_WIDTH, 48U);
    f->regs[FERRY_REG_CAP1 / 4U] = FERRY_FIELD_PREP(FERRY_CAP1_MAX_BURST, 16U) |
                                   FERRY_FIELD_PREP(FERRY_CAP1_MAX_OUTSTANDING, 4U) | FERRY_CAP1_RING_MASK |
                                   FERRY_CAP1_DIRECT_MASK;
    memset(&p, 0, sizeof(p));
    p.ctx = f;
    p.reg_read = fake_read;
    p.reg_write = fake_write;
    p.dma_alloc = fake_alloc;
    p.dma_free = fake_free;
    ck_assert_int_eq(ferry_probe(dev, &p), FERRY_OK);
    ck_assert(ferry_caps(dev)->ring);
}

START_TEST(test_fake_init_fini)
{
    struct fake f;
    struct ferry_dev dev;
    struct ferry_ring r;
    const uint32_t ch0 = FERRY_CH_REG(0, 0);

    fake_open(&f, &dev, 8);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 5, &r), FERRY_OK);
    ck_assert_uint_eq(r.entries, 32U);
    ck_assert(!r.irq); /* no wait_irq: polling, IRQ_ENABLE 0 */
    ck_assert_uint_eq(f.regs[(ch0 + FERRY_CH_IRQ_ENABLE) / 4U], 0U);
    ck_assert_uint_eq(f.regs[(ch0 + FERRY_CH_RING_BASE_LO) / 4U], (uint32_t)r.desc.bus);
    ck_assert_uint_eq(f.regs[(ch0 + FERRY_CH_CPL_BASE_LO) / 4U], (uint32_t)r.cpl.bus);
    ck_assert_uint_eq(f.regs[(ch0 + FERRY_CH_RING_CTRL) / 4U],
                      FERRY_RING_CTRL_ENABLE_MASK | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, 5U));
    for (size_t i = 0; i < r.cpl.size; i++) {
        ck_assert_msg(((uint8_t *)r.cpl.cpu)[i] == 0U, "completion ring not zeroed at %zu", i);
    }
    ck_assert_int_eq(ferry_ring_fini(&r, 100), FERRY_OK);
    ck_assert_uint_eq(f.allocs, 2U);
    ck_assert_uint_eq(f.frees, 2U);
    ck_assert_ptr_null(r.dev);
    ck_assert_int_eq(ferry_ring_fini(&r, 100), FERRY_E_INVAL);

    /* A refused enable frees everything and says so. */
    f.refuse = true;
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 5, &r), FERRY_E_DEVICE);
    ck_assert_uint_eq(f.allocs, 4U);
    ck_assert_uint_eq(f.frees, 4U);
    ck_assert_ptr_null(r.dev);
    ck_assert_uint_eq(f.regs[(ch0 + FERRY_CH_RING_CTRL) / 4U], 0U);

    /* No ring capability. */
    struct ferry_platform p = dev.plat;
    fake_open(&f, &dev, 8);
    f.regs[FERRY_REG_CAP1 / 4U] &= ~FERRY_CAP1_RING_MASK;
    ck_assert_int_eq(ferry_probe(&dev, &p), FERRY_OK);
    ck_assert(!ferry_caps(&dev)->ring);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 5, &r), FERRY_E_UNSUPPORTED);
    ck_assert_uint_eq(f.allocs, 0U);
}
END_TEST

/* submit_sg splits at FERRY_SG_SPLIT; a fixed side keeps its address. */
START_TEST(test_fake_sg_split)
{
    struct fake f;
    struct ferry_dev dev;
    struct ferry_ring r;
    struct ferry_sg sg[2];
    unsigned nd = 0;
    const uint64_t L = 2ULL * FERRY_SG_SPLIT + 5U;

    fake_open(&f, &dev, 8);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 3, &r), FERRY_OK);
    sg[0] = (struct ferry_sg){0x1000, 0x80000000ULL, L};
    sg[1] = (struct ferry_sg){0x2000000, 0x3000000, 10};
    ck_assert_int_eq(ferry_ring_submit_sg(&r, sg, 2, FERRY_DESC_DST_FIXED | FERRY_DESC_IRQ | FERRY_DESC_EOP, &nd),
                     FERRY_OK);
    ck_assert_uint_eq(nd, 4U);
    ck_assert_uint_eq(f.regs[FERRY_CH_REG(0, FERRY_CH_RING_PROD) / 4U], 4U);
    for (unsigned i = 0; i < 4; i++) {
        struct ferry_desc d;
        ferry_desc_decode(&d, (uint8_t *)r.desc.cpu + i * FERRY_DESC_SIZE);
        const uint8_t want_flags = FERRY_DESC_DST_FIXED | (i == 3 ? FERRY_DESC_IRQ | FERRY_DESC_EOP : 0U);
        ck_assert_uint_eq(d.flags, want_flags);
        if (i < 3) {
            ck_assert_uint_eq(d.src, 0x1000U + (uint64_t)i * FERRY_SG_SPLIT);
            ck_assert_uint_eq(d.dst, 0x80000000ULL);
            ck_assert_uint_eq(d.len, i < 2 ? FERRY_SG_SPLIT : 5U);
            ck_assert_uint_eq(d.tag, 0U);
        } else {
            ck_assert_uint_eq(d.src, 0x2000000U);
            ck_assert_uint_eq(d.len, 10U);
            ck_assert_uint_eq(d.tag, 1U);
        }
        ck_assert_uint_eq(d.rows, 0U);
    }
    ck_assert_uint_eq(ferry_ring_space(&r), 3U);
    /* 4 more do not fit (3 free): BUSY, nothing written; 8 never fit: INVAL. */
    f.writes = 0;
    ck_assert_int_eq(ferry_ring_submit_sg(&r, sg, 2, 0, &nd), FERRY_E_BUSY);
    ck_assert_uint_eq(nd, 0U);
    sg[0].len = 7ULL * FERRY_SG_SPLIT;
    ck_assert_int_eq(ferry_ring_submit_sg(&r, sg, 2, 0, &nd), FERRY_E_INVAL);
    /* A destination past 2^48 in a later piece. */
    sg[0] = (struct ferry_sg){0x1000, (1ULL << 48) - FERRY_SG_SPLIT - 4U, FERRY_SG_SPLIT + 5U};
    ck_assert_int_eq(ferry_ring_submit_sg(&r, sg, 1, 0, &nd), FERRY_E_INVAL);
    ck_assert_uint_eq(f.writes, 0U);
}
END_TEST

/* Phase bookkeeping: records are taken only with the expected phase, the
 * phase flips at the wrap, a stale record from the last pass is not new. */
START_TEST(test_fake_reap_phase)
{
    struct fake f;
    struct ferry_dev dev;
    struct ferry_ring r;
    struct ferry_desc d[3];
    struct ferry_cpl c[4], w;
    unsigned n = 9;

    fake_open(&f, &dev, 16); /* a record is one beat: phase alone decides */
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 2, &r), FERRY_OK); /* 4 entries */
    ck_assert(!r.cons_bound);
    memset(d, 0, sizeof(d));
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 0U);
    ck_assert_int_eq(ferry_ring_submit(&r, d, 3), FERRY_OK);
    ck_assert_int_eq(ferry_ring_submit(&r, d, 1), FERRY_E_BUSY);
    for (unsigned i = 0; i < 3; i++) {
        w = (struct ferry_cpl){.index = (uint16_t)i, .status = 0, .phase = true, .bytes = 10U + i, .tag = (uint16_t)i};
        ferry_cpl_encode((uint8_t *)r.cpl.cpu + i * FERRY_CPL_SIZE, &w);
    }
    f.reads = 0;
    ck_assert_int_eq(ferry_ring_reap(&r, c, 2, &n), FERRY_OK);
    ck_assert_uint_eq(n, 2U);
    ck_assert_uint_eq(c[0].bytes, 10U);
    ck_assert_uint_eq(c[1].bytes, 11U);
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 1U);
    ck_assert_uint_eq(c[0].index, 2U);
    ck_assert_uint_eq(f.reads, 0U); /* no register access */
    /* Three more: slots 3, 0, 1. Only slot 3 gets its record so far; slot 0
     * still holds the first pass's record (phase 1), which is stale now. */
    ck_assert_int_eq(ferry_ring_submit(&r, d, 3), FERRY_OK);
    w = (struct ferry_cpl){.index = 3, .phase = true, .bytes = 13};
    ferry_cpl_encode((uint8_t *)r.cpl.cpu + 3 * FERRY_CPL_SIZE, &w);
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 1U);
    ck_assert_uint_eq(c[0].index, 3U);
    ck_assert(!r.phase); /* wrapped: now expecting phase 0 */
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 0U); /* stale phase-1 record at slot 0 */
    w = (struct ferry_cpl){.index = 0, .phase = false, .bytes = 20};
    ferry_cpl_encode((uint8_t *)r.cpl.cpu, &w);
    w = (struct ferry_cpl){.index = 1, .phase = false, .bytes = 21};
    ferry_cpl_encode((uint8_t *)r.cpl.cpu + FERRY_CPL_SIZE, &w);
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 2U);
    ck_assert_uint_eq(c[0].bytes, 20U);
    ck_assert_uint_eq(c[1].bytes, 21U);
    ck_assert_uint_eq(ferry_ring_space(&r), 3U);
    ck_assert_int_eq(ferry_ring_reap(&r, NULL, 4, &n), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, NULL), FERRY_E_INVAL);
    /* Polling wait without a platform clock: bounded by counted loops. */
    ck_assert_int_eq(ferry_ring_submit(&r, d, 1), FERRY_OK);
    ck_assert_int_eq(ferry_ring_wait(&r, 1, 50, c, &n), FERRY_E_TIMEOUT);
    ck_assert_uint_eq(n, 0U);

    /* On an 8-byte bus a record with the right phase counts only once
     * RING_CONS is past it (it may be half written). */
    fake_open(&f, &dev, 8);
    ck_assert_int_eq(ferry_ring_init(&dev, 0, 2, &r), FERRY_OK);
    ck_assert(r.cons_bound);
    ck_assert_int_eq(ferry_ring_submit(&r, d, 2), FERRY_OK);
    for (unsigned i = 0; i < 2; i++) {
        w = (struct ferry_cpl){.index = (uint16_t)i, .phase = true, .bytes = 30U + i};
        ferry_cpl_encode((uint8_t *)r.cpl.cpu + i * FERRY_CPL_SIZE, &w);
    }
    f.regs[FERRY_CH_REG(0, FERRY_CH_RING_CONS) / 4U] = 1;
    f.reads = 0;
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 1U);
    ck_assert_uint_eq(f.reads, 1U);
    f.regs[FERRY_CH_REG(0, FERRY_CH_RING_CONS) / 4U] = 2;
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK);
    ck_assert_uint_eq(n, 1U);
    ck_assert_uint_eq(c[0].bytes, 31U);
    f.reads = 0;
    ck_assert_int_eq(ferry_ring_reap(&r, c, 4, &n), FERRY_OK); /* nothing outstanding: no read */
    ck_assert_uint_eq(f.reads, 0U);
}
END_TEST

START_TEST(test_fake_counters_retry)
{
    struct fake f;
    struct ferry_dev dev;
    struct ferry_counters c, was;
    const uint32_t ch0 = FERRY_CH_REG(0, 0);

    fake_open(&f, &dev, 8);
    f.regs[(ch0 + FERRY_CH_BYTES_RD_LO) / 4U] = 0x89ABCDEFU;
    f.regs[(ch0 + FERRY_CH_BYTES_RD_HI) / 4U] = 0x10U;
    f.regs[(ch0 + FERRY_CH_BYTES_WR_LO) / 4U] = 5U;
    f.regs[(ch0 + FERRY_CH_BYTES_WR_HI) / 4U] = 1U;
    f.regs[(ch0 + FERRY_CH_DESC_DONE) / 4U] = 77U;
    f.regs[(ch0 + FERRY_CH_ERRORS) / 4U] = 3U;
    f.hi_moves = 2; /* HI moves between the first two pairs of reads */
    ck_assert_int_eq(ferry_read_counters(&dev, 0, &c), FERRY_OK);
    ck_assert_uint_eq(c.bytes_rd, 0x1289ABCDEFULL);
    ck_assert_uint_eq(c.bytes_wr, 0x100000005ULL);
    ck_assert_uint_eq(c.desc_done, 77U);
    ck_assert_uint_eq(c.errors, 3U);
    /* never settles: an error, and no value whose halves come from
     * different reads (ferryctl info and selftest rely on this) */
    f.hi_moves = 100;
    memset(&c, 0xA5, sizeof(c));
    memcpy(&was, &c, sizeof(c));
    ck_assert_int_eq(ferry_read_counters(&dev, 0, &c), FERRY_E_AGAIN);
    ck_assert_mem_eq(&c, &was, sizeof(c));
}
END_TEST

static Suite *ring_suite(void)
{
    Suite *s = suite_create("ring");
    TCase *nohw = tcase_create("no_hardware");
    TCase *tc = tcase_create("sim");

    tcase_set_timeout(nohw, 30);
    UNIT_ADD_TEST(nohw, test_fake_init_fini);
    UNIT_ADD_TEST(nohw, test_fake_sg_split);
    UNIT_ADD_TEST(nohw, test_fake_reap_phase);
    UNIT_ADD_TEST(nohw, test_fake_counters_retry);
    suite_add_tcase(s, nohw);

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_example_raw);
    UNIT_ADD_TEST(tc, test_example_driver);
    UNIT_ADD_TEST(tc, test_wrap_small);
    UNIT_ADD_TEST(tc, test_wrap_large);
    UNIT_ADD_TEST(tc, test_2d_strides);
#ifdef FERRY_DESC_FENCE
    UNIT_ADD_TEST(tc, test_fence);
#else
    UNIT_ADD_TEST(tc, test_2d_rows_in_order);
#endif
    UNIT_ADD_TEST(tc, test_fixed);
    UNIT_ADD_TEST(tc, test_bad_descriptors);
    UNIT_ADD_TEST(tc, test_bus_errors);
    UNIT_ADD_TEST(tc, test_cpl_write_error);
    UNIT_ADD_TEST(tc, test_bad_config);
    UNIT_ADD_TEST(tc, test_coalesce_count);
    UNIT_ADD_TEST(tc, test_coalesce_timer);
    UNIT_ADD_TEST(tc, test_wait_bounded);
    UNIT_ADD_TEST(tc, test_counters);
    UNIT_ADD_TEST(tc, test_weight_max_out);
    UNIT_ADD_TEST(tc, test_stop_pending);
    UNIT_ADD_TEST(tc, test_record_atomic);
    UNIT_ADD_TEST(tc, test_submit_sg_2d);
    UNIT_ADD_TEST(tc, test_random_mix);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    g_seed = unit_seed();
    return unit_run("test_ring", ring_suite());
}
