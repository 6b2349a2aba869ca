/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_axi_check.c: Check suite for the protocol checkers (no Verilator):
 * axi_check (m_axi) and axil_check (s_axil). Every rule is broken on purpose
 * and must be reported with its words and cycle; legal traffic (hand-made,
 * and a random master against the memory model under every stress profile)
 * must be reported clean.
 *
 *   SEED=N  seed of the random legal traffic (default 1)
 */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axi_check.h"
#include "axil_check.h"
#include "axi_sim.h"
#include "unit.h"

/* ---- direct feeding: the test writes both sides of every cycle ---- */

typedef struct feed {
    axi_check_t *c;
    uint64_t cycle;
    axi_mem_req_t q; /* what the next step() feeds; tests edit it between steps */
    axi_mem_rsp_t r;
} feed_t;

static void feed_init(feed_t *f, unsigned max_burst, unsigned max_out)
{
    memset(f, 0, sizeof(*f));
    axi_check_cfg_t cc = {8, max_burst, max_out, 0, 0, 0, 0};
    f->c = axi_check_new(&cc);
    ck_assert_ptr_nonnull(f->c);
}

/* ferry's layout: the control port (ID ctl_id) counted apart from the data bursts */
static void feed_init_ctl(feed_t *f, unsigned max_out, uint64_t ctl_id, unsigned ctl_rd, unsigned ctl_wr)
{
    memset(f, 0, sizeof(*f));
    axi_check_cfg_t cc = {8, 16, max_out, ctl_id, 16, ctl_rd, ctl_wr};
    f->c = axi_check_new(&cc);
    ck_assert_ptr_nonnull(f->c);
}

static void feed_free(feed_t *f) { axi_check_free(f->c); }

static void step(feed_t *f)
{
    axi_check_cycle(f->c, f->cycle, 1, &f->q, &f->r);
    f->cycle++;
}

static void step_reset(feed_t *f)
{
    axi_check_cycle(f->c, f->cycle, 0, &f->q, &f->r);
    f->cycle++;
}

static void set_ar(feed_t *f, uint64_t id, uint64_t addr, unsigned len)
{
    f->q.arvalid = 1;
    f->q.arid = id;
    f->q.araddr = addr;
    f->q.arlen = len;
    f->q.arsize = 3;
    f->q.arburst = AXI_BURST_INCR;
}

static void set_aw(feed_t *f, uint64_t id, uint64_t addr, unsigned len)
{
    f->q.awvalid = 1;
    f->q.awid = id;
    f->q.awaddr = addr;
    f->q.awlen = len;
    f->q.awsize = 3;
    f->q.awburst = AXI_BURST_INCR;
}

static void set_w(feed_t *f, uint64_t strb, int last)
{
    f->q.wvalid = 1;
    f->q.wstrb = strb;
    f->q.wlast = last;
}

/* AR handshake now (one cycle), nothing else changed. */
static void ar_now(feed_t *f, uint64_t id, uint64_t addr, unsigned len)
{
    set_ar(f, id, addr, len);
    f->r.arready = 1;
    step(f);
    f->q.arvalid = 0;
    f->r.arready = 0;
}

/* AW handshake with a whole burst of all-strobe W beats, one per cycle from the same cycle. */
static void write_now(feed_t *f, uint64_t id, uint64_t addr, unsigned len)
{
    set_aw(f, id, addr, len);
    f->r.awready = 1;
    f->r.wready = 1;
    for (unsigned b = 0; b <= len; b++) {
        set_w(f, 0xff, b == len);
        step(f);
        f->q.awvalid = 0;
    }
    f->q.wvalid = 0;
    f->q.wlast = 0;
    f->r.awready = 0;
    f->r.wready = 0;
}

/* R beats for one burst, one per cycle, RLAST on beat `last`. */
static void r_beats(feed_t *f, uint64_t id, unsigned n, unsigned last)
{
    f->q.rready = 1;
    for (unsigned b = 0; b < n; b++) {
        f->r.rvalid = 1;
        f->r.rid = id;
        f->r.rlast = b == last;
        step(f);
    }
    f->r.rvalid = 0;
    f->r.rlast = 0;
}

static void b_now(feed_t *f, uint64_t id)
{
    f->q.bready = 1;
    f->r.bvalid = 1;
    f->r.bid = id;
    step(f);
    f->r.bvalid = 0;
}

static void expect(const feed_t *f, const char *what)
{
    const char *e = axi_check_error(f->c, NULL);
    const char *l = axi_check_last_error(f->c);
    ck_assert_msg(e != NULL, "no violation reported, expected '%s'", what);
    ck_assert_msg(strstr(e, what) != NULL || strstr(l, what) != NULL,
                  "violation '%s' (latest '%s') does not mention '%s'", e, l, what);
    ck_assert_msg(strncmp(e, "cycle ", 6) == 0 && strstr(e, ": m_axi: ") != NULL,
                  "'%s' does not start with its cycle and port", e);
}

static void expect_first(const feed_t *f, const char *what, uint64_t cycle)
{
    uint64_t at = 0;
    const char *e = axi_check_error(f->c, &at);
    ck_assert_msg(e != NULL, "no violation reported, expected '%s'", what);
    ck_assert_msg(strstr(e, what) != NULL, "first violation '%s' does not mention '%s'", e, what);
    ck_assert_uint_eq(at, cycle);
    char pre[32];
    snprintf(pre, sizeof(pre), "cycle %" PRIu64 ": ", cycle);
    ck_assert_msg(strncmp(e, pre, strlen(pre)) == 0, "'%s' does not start with '%s'", e, pre);
}

static void expect_clean(const feed_t *f)
{
    const char *e = axi_check_error(f->c, NULL);
    ck_assert_msg(e == NULL, "unexpected violation: %s", e ? e : "");
}

/* ---- m_axi: legal traffic ---- */

START_TEST(test_clean_by_hand)
{
    feed_t f;
    feed_init(&f, 16, 2);
    /* AR waits two cycles with a stable payload */
    set_ar(&f, 1, 0x1000, 3);
    step(&f);
    step(&f);
    f.r.arready = 1;
    step(&f);
    f.q.arvalid = 0;
    f.r.arready = 0;
    /* a second read of another ID, answered first and interleaved */
    ar_now(&f, 2, 0x2008, 1);
    f.q.rready = 1;
    f.r = (axi_mem_rsp_t){.rvalid = 1, .rid = 2};
    step(&f);
    f.r = (axi_mem_rsp_t){.rvalid = 1, .rid = 1};
    step(&f);
    f.r = (axi_mem_rsp_t){.rvalid = 1, .rid = 2, .rlast = 1};
    step(&f);
    f.r.rvalid = 0;
    f.r.rlast = 0;
    f.q.rready = 0;
    /* R waits while RREADY is low, stable */
    f.r = (axi_mem_rsp_t){.rvalid = 1, .rid = 1};
    step(&f);
    f.q.rready = 1;
    step(&f);
    r_beats(&f, 1, 2, 1);
    ck_assert_uint_eq(axi_check_rd_open(f.c), 0);
    /* write: AW and its first W beat in the same cycle, W waits, strobes legal
     * for an unaligned start (0x3003: lanes 3..7 on beat 0) */
    set_aw(&f, 4, 0x3003, 1);
    set_w(&f, 0xf8, 0);
    step(&f);
    f.r.awready = 1;
    f.r.wready = 1;
    step(&f);
    f.q.awvalid = 0;
    f.r.awready = 0;
    set_w(&f, 0xff, 1);
    step(&f);
    f.q.wvalid = 0;
    f.r.wready = 0;
    /* FIXED at 0x4004: lanes 4..7 on every beat */
    set_aw(&f, 5, 0x4004, 2);
    f.q.awburst = AXI_BURST_FIXED;
    f.r.awready = 1;
    f.r.wready = 1;
    for (int b = 0; b < 3; b++) {
        set_w(&f, b == 1 ? 0x30 : 0xf0, b == 2);
        step(&f);
        f.q.awvalid = 0;
    }
    f.q.wvalid = 0;
    f.r.awready = 0;
    f.r.wready = 0;
    /* B out of order across IDs; a burst ending at a 4 KiB boundary */
    b_now(&f, 5);
    b_now(&f, 4);
    write_now(&f, 6, 0x4fc0, 7);
    /* B waits for BREADY */
    f.q.bready = 0;
    f.r.bvalid = 1;
    f.r.bid = 6;
    step(&f);
    b_now(&f, 6);
    ck_assert_uint_eq(axi_check_wr_open(f.c), 0);
    /* MAX_OUTSTANDING 2 reached but not exceeded */
    ar_now(&f, 0, 0x5000, 0);
    ar_now(&f, 0, 0x5008, 0);
    r_beats(&f, 0, 1, 0);
    ar_now(&f, 0, 0x5010, 0);
    r_beats(&f, 0, 1, 0);
    r_beats(&f, 0, 1, 0);
    /* a reset with everything low */
    memset(&f.q, 0, sizeof(f.q));
    memset(&f.r, 0, sizeof(f.r));
    step_reset(&f);
    step_reset(&f);
    step(&f);
    expect_clean(&f);
    feed_free(&f);
}
END_TEST

/* A random legal master against the memory model under every stress profile: clean. */
typedef struct rm_aw {
    uint64_t addr;
    unsigned len, burst, beat;
} rm_aw_t;

static void random_master(const char *profile, uint64_t seed)
{
    sim_t s;
    axi_mem_cfg_t c = stressed();
    ck_assert_int_eq(axi_mem_profile(&c, profile, seed), 0);
    sim_init(&s, 8, seed, &c);
    axi_check_free(s.chk);
    axi_check_cfg_t cc = {8, 16, 8, 0, 0, 0, 0};
    s.chk = axi_check_new(&cc);
    axi_rng_t r;
    axi_rng_seed(&r, seed * 7 + 3);
    rm_aw_t aws[64];
    unsigned naw = 0, rd_open = 0, wr_open = 0, ar_left = 60, aw_left = 60;
    uint64_t rd_done = 0, b_done = 0;
    int ar_on = 0, aw_on = 0, w_on = 0;
    axi_mem_req_t q;
    memset(&q, 0, sizeof(q));
    for (unsigned n = 0; n < 200000 && (rd_done < 60 || b_done < 60); n++) {
        sim_drive(&s);
        /* AR */
        if (!ar_on && ar_left && rd_open < 8 && axi_rng_pct(&r, 50)) {
            ar_on = 1;
            q.arvalid = 1;
            q.arid = axi_rng_range(&r, 0, 4);
            q.arlen = axi_rng_range(&r, 0, 15);
            q.arburst = axi_rng_pct(&r, 20) ? AXI_BURST_FIXED : AXI_BURST_INCR;
            q.araddr = 0x10000 + 0x1000 * axi_rng_range(&r, 0, 15) + 8 * axi_rng_range(&r, 0, 511 - 16) +
                       axi_rng_range(&r, 0, 7);
            q.arsize = 3;
            rd_open++;
            ar_left--;
        }
        /* AW */
        if (!aw_on && aw_left && wr_open < 8 && naw < 64 && axi_rng_pct(&r, 50)) {
            aw_on = 1;
            q.awvalid = 1;
            q.awid = axi_rng_range(&r, 0, 4);
            q.awlen = axi_rng_range(&r, 0, 15);
            q.awburst = axi_rng_pct(&r, 20) ? AXI_BURST_FIXED : AXI_BURST_INCR;
            q.awaddr = 0x40000 + 0x1000 * axi_rng_range(&r, 0, 15) + 8 * axi_rng_range(&r, 0, 511 - 16) +
                       axi_rng_range(&r, 0, 7);
            q.awsize = 3;
            aws[naw++] = (rm_aw_t){q.awaddr, q.awlen, q.awburst, 0};
            wr_open++;
            aw_left--;
        }
        /* W: only for an AW already shown */
        if (!w_on && naw && axi_rng_pct(&r, 70)) {
            rm_aw_t *a = &aws[0];
            unsigned lo = (a->beat == 0 || a->burst == AXI_BURST_FIXED) ? (unsigned)(a->addr & 7) : 0;
            w_on = 1;
            q.wvalid = 1;
            q.wstrb = (axi_rng_next(&r) & 0xff) & (0xffu << lo);
            q.wlast = a->beat == a->len;
            for (unsigned i = 0; i < 8; i++) {
                q.wdata[i] = (uint8_t)axi_rng_next(&r);
            }
        }
        q.rready = axi_rng_pct(&r, 70);
        q.bready = axi_rng_pct(&r, 70);
        const axi_mem_rsp_t *o = &s.rsp;
        int ar_hs = q.arvalid && o->arready, aw_hs = q.awvalid && o->awready, w_hs = q.wvalid && o->wready;
        int r_last = o->rvalid && q.rready && o->rlast, b_hs = o->bvalid && q.bready;
        axi_mem_req_t now = q;
        sim_update(&s, &now);
        if (ar_hs) {
            ar_on = 0;
            q.arvalid = 0;
        }
        if (aw_hs) {
            aw_on = 0;
            q.awvalid = 0;
        }
        if (w_hs) {
            w_on = 0;
            q.wvalid = 0;
            if (aws[0].beat++ == aws[0].len) {
                memmove(aws, aws + 1, (--naw) * sizeof(aws[0]));
            }
        }
        if (r_last) {
            rd_open--;
            rd_done++;
        }
        if (b_hs) {
            wr_open--;
            b_done++;
        }
    }
    ck_assert_msg(rd_done == 60 && b_done == 60, "%s: traffic did not finish (%" PRIu64 " reads, %" PRIu64 " writes)",
                  profile, rd_done, b_done);
    const char *e = axi_check_error(s.chk, NULL);
    ck_assert_msg(e == NULL, "profile %s seed %" PRIu64 ": %s", profile, seed, e ? e : "");
    sim_free(&s);
}

START_TEST(test_clean_random_traffic)
{
    for (unsigned i = 0; i < axi_mem_profile_count(); i++) {
        random_master(axi_mem_profile_name(i), unit_seed() + i);
    }
}
END_TEST

/* ---- m_axi: every rule broken ---- */

START_TEST(test_valid_dropped)
{
    static const char *const what[] = {"ARVALID dropped before ARREADY", "AWVALID dropped before AWREADY",
                                       "WVALID dropped before WREADY"};
    for (int ch = 0; ch < 3; ch++) {
        feed_t f;
        feed_init(&f, 16, 0);
        if (ch == 0) {
            set_ar(&f, 0, 0x1000, 0);
        } else {
            set_aw(&f, 0, 0x1000, 0);
            if (ch == 2) {
                f.r.awready = 1;
                step(&f);
                f.q.awvalid = 0;
                f.r.awready = 0;
                set_w(&f, 0xff, 1);
            }
        }
        step(&f);
        step(&f);
        uint64_t at = f.cycle;
        f.q.arvalid = f.q.awvalid = f.q.wvalid = 0;
        step(&f);
        expect_first(&f, what[ch], at);
        feed_free(&f);
    }
    /* R and B: the memory's side */
    feed_t f;
    feed_init(&f, 16, 0);
    ar_now(&f, 1, 0x1000, 0);
    f.r.rvalid = 1;
    f.r.rid = 1;
    f.r.rlast = 1;
    step(&f);
    f.r.rvalid = 0;
    step(&f);
    expect_first(&f, "RVALID dropped before RREADY", f.cycle - 1);
    feed_free(&f);
    feed_init(&f, 16, 0);
    write_now(&f, 2, 0x1000, 0);
    f.r.bvalid = 1;
    f.r.bid = 2;
    step(&f);
    f.r.bvalid = 0;
    step(&f);
    expect_first(&f, "BVALID dropped before BREADY", f.cycle - 1);
    feed_free(&f);
}
END_TEST

START_TEST(test_payload_changed)
{
    static const char *const what[] = {"AR payload changed while waiting", "AW payload changed while waiting",
                                       "W payload changed while waiting", "R payload changed while waiting",
                                       "B payload changed while waiting"};
    for (int ch = 0; ch < 5; ch++) {
        feed_t f;
        feed_init(&f, 16, 0);
        if (ch == 3) {
            ar_now(&f, 1, 0x1000, 1);
            f.r.rvalid = 1;
            f.r.rid = 1;
        } else if (ch == 4) {
            write_now(&f, 1, 0x1000, 0);
            f.r.bvalid = 1;
            f.r.bid = 1;
            f.r.bresp = AXI_RESP_OKAY;
        } else if (ch == 0) {
            set_ar(&f, 0, 0x1000, 3);
        } else {
            set_aw(&f, 0, 0x1000, 3);
            set_w(&f, 0xff, 0);
        }
        step(&f);
        uint64_t at = f.cycle;
        switch (ch) {
        case 0: f.q.arlen = 2; break;
        case 1: f.q.awaddr = 0x1008; break;
        case 2: f.q.wdata[3] ^= 1; break;
        case 3: f.r.rdata[0] ^= 1; break;
        default: f.r.bresp = AXI_RESP_SLVERR; break;
        }
        step(&f);
        expect_first(&f, what[ch], at);
        feed_free(&f);
    }
}
END_TEST

START_TEST(test_burst_type_and_size)
{
    feed_t f;
    feed_init(&f, 16, 0);
    set_ar(&f, 0, 0x1000, 0);
    f.q.arburst = 2; /* WRAP */
    step(&f);
    expect_first(&f, "ARBURST 2 is not INCR or FIXED", 0);
    feed_free(&f);
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 0);
    f.q.awburst = 3;
    step(&f);
    expect_first(&f, "AWBURST 3 is not INCR or FIXED", 0);
    feed_free(&f);
    feed_init(&f, 16, 0);
    set_ar(&f, 0, 0x1000, 0);
    f.q.arsize = 2; /* narrow */
    step(&f);
    expect_first(&f, "ARSIZE 2 is not the bus width", 0);
    feed_free(&f);
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 0);
    f.q.awsize = 4; /* wider than the bus */
    step(&f);
    expect_first(&f, "AWSIZE 4 is not the bus width", 0);
    feed_free(&f);
}
END_TEST

START_TEST(test_burst_length)
{
    feed_t f;
    /* FIXED: 16 beats fine, 17 not (even with MAX_BURST_LEN 256) */
    feed_init(&f, 256, 0);
    set_ar(&f, 0, 0x1000, 15);
    f.q.arburst = AXI_BURST_FIXED;
    f.r.arready = 1;
    step(&f);
    expect_clean(&f);
    f.q.arlen = 16;
    step(&f);
    expect_first(&f, "AR FIXED burst of 17 beats", 1);
    feed_free(&f);
    feed_init(&f, 256, 0);
    set_aw(&f, 0, 0x1000, 16);
    f.q.awburst = AXI_BURST_FIXED;
    step(&f);
    expect_first(&f, "AW FIXED burst of 17 beats", 0);
    feed_free(&f);
    /* MAX_BURST_LEN 16: 16 fine, 17 not */
    feed_init(&f, 16, 0);
    set_ar(&f, 0, 0x1000, 15);
    f.r.arready = 1;
    step(&f);
    expect_clean(&f);
    f.q.arlen = 16;
    step(&f);
    expect_first(&f, "AR burst of 17 beats exceeds MAX_BURST_LEN 16", 1);
    feed_free(&f);
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 31);
    step(&f);
    expect_first(&f, "AW burst of 32 beats exceeds MAX_BURST_LEN 16", 0);
    feed_free(&f);
    /* an ID with its own limit (ferry's control port): 32 beats fine there
     * and only there, 33 not */
    axi_check_cfg_t cc = {8, 16, 0, 4, 32, 0, 0};
    f.c = axi_check_new(&cc);
    f.cycle = 0;
    memset(&f.q, 0, sizeof(f.q));
    memset(&f.r, 0, sizeof(f.r));
    set_ar(&f, 4, 0x1000, 31);
    f.r.arready = 1;
    step(&f);
    expect_clean(&f);
    f.q.arlen = 32;
    step(&f);
    expect_first(&f, "AR burst of 33 beats exceeds the limit of ID 4, 32", 1);
    f.q.arid = 3;
    f.q.arlen = 16;
    step(&f);
    expect(&f, "AR burst of 17 beats exceeds MAX_BURST_LEN 16");
    feed_free(&f);
}
END_TEST

START_TEST(test_4k_crossing)
{
    feed_t f;
    feed_init(&f, 256, 0);
    set_ar(&f, 0, 0x1ff8, 1); /* 0x1ff8..0x2007 */
    step(&f);
    expect_first(&f, "AR burst crosses a 4 KiB boundary", 0);
    feed_free(&f);
    feed_init(&f, 256, 0);
    set_aw(&f, 0, 0x1ff0, 1); /* ends at 0x1fff: fine */
    f.r.awready = 1;
    step(&f);
    expect_clean(&f);
    set_aw(&f, 0, 0x1ff3, 2); /* unaligned start: 0x1ff3, 0x1ff8, 0x2000 */
    step(&f);
    expect_first(&f, "AW burst crosses a 4 KiB boundary", 1);
    feed_free(&f);
}
END_TEST

START_TEST(test_wlast)
{
    feed_t f;
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 3);
    f.r.awready = 1;
    f.r.wready = 1;
    set_w(&f, 0xff, 0);
    step(&f);
    f.q.awvalid = 0;
    set_w(&f, 0xff, 1); /* beat 2 of 4 */
    step(&f);
    expect_first(&f, "WLAST early: on beat 2 of 4", 1);
    feed_free(&f);
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 1);
    f.r.awready = 1;
    f.r.wready = 1;
    set_w(&f, 0xff, 0);
    step(&f);
    f.q.awvalid = 0;
    step(&f); /* beat 2 of 2 without WLAST */
    expect_first(&f, "WLAST missing on the last beat 2", 1);
    feed_free(&f);
}
END_TEST

START_TEST(test_w_ahead)
{
    feed_t f;
    /* W with no AW shown at all */
    feed_init(&f, 16, 0);
    set_w(&f, 0xff, 1);
    step(&f);
    expect_first(&f, "W beat ahead of its AW", 0);
    feed_free(&f);
    /* AW shown in the same cycle: fine; one beat more than announced: not */
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 0);
    set_w(&f, 0xff, 1);
    f.r.wready = 1;
    step(&f);
    expect_clean(&f);
    step(&f); /* AW still waiting, its one beat already taken */
    expect_first(&f, "W beat ahead of its AW", 1);
    feed_free(&f);
}
END_TEST

START_TEST(test_strobes)
{
    feed_t f;
    /* INCR from 0x1005: beat 0 may use lanes 5..7 only */
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1005, 1);
    f.r.awready = 1;
    f.r.wready = 1;
    set_w(&f, 0xf0, 0);
    step(&f);
    expect_first(&f, "WSTRB below the address", 0);
    feed_free(&f);
    /* beat 1 of the same burst may use every lane */
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1005, 1);
    f.r.awready = 1;
    f.r.wready = 1;
    set_w(&f, 0xe0, 0);
    step(&f);
    f.q.awvalid = 0;
    set_w(&f, 0xff, 1);
    step(&f);
    expect_clean(&f);
    feed_free(&f);
    /* FIXED from 0x1002: every beat lanes 2..7 only */
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1002, 1);
    f.q.awburst = AXI_BURST_FIXED;
    f.r.awready = 1;
    f.r.wready = 1;
    set_w(&f, 0xfc, 0);
    step(&f);
    f.q.awvalid = 0;
    set_w(&f, 0x0e, 1); /* lane 1 on the second beat */
    step(&f);
    expect_first(&f, "WSTRB below the address", 1);
    expect(&f, "FIXED");
    feed_free(&f);
    /* a lane past the bus (8 bytes): outside the beat */
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 0);
    set_w(&f, 0x1ff, 1);
    step(&f);
    expect_first(&f, "WSTRB outside the beat", 0);
    feed_free(&f);
    /* a narrow beat (AWSIZE 2, itself an error): lanes 4..7 are outside beat 0 */
    feed_init(&f, 16, 0);
    set_aw(&f, 0, 0x1000, 1);
    f.q.awsize = 2;
    set_w(&f, 0x1f, 0);
    step(&f);
    expect(&f, "WSTRB outside the beat");
    feed_free(&f);
}
END_TEST

START_TEST(test_outstanding)
{
    feed_t f;
    feed_init(&f, 16, 2);
    ar_now(&f, 0, 0x1000, 0);
    ar_now(&f, 1, 0x2000, 0);
    expect_clean(&f);
    set_ar(&f, 2, 0x3000, 0); /* a third read shown while two are open */
    step(&f);
    expect_first(&f, "read bursts outstanding exceed MAX_OUTSTANDING: 3 open, at most 2", 2);
    feed_free(&f);
    feed_init(&f, 16, 2);
    write_now(&f, 0, 0x1000, 0);
    write_now(&f, 0, 0x1008, 0);
    expect_clean(&f);
    set_aw(&f, 0, 0x1010, 0);
    step(&f);
    expect_first(&f, "write bursts outstanding exceed MAX_OUTSTANDING: 3 open, at most 2", 2);
    feed_free(&f);
}
END_TEST

/* Control-port bursts take no data slot but have their own limit. */
START_TEST(test_outstanding_ctl_apart)
{
    feed_t f;
    feed_init_ctl(&f, 2, 4, 2, 1);
    ar_now(&f, 0, 0x1000, 0);
    ar_now(&f, 4, 0x8000, 3);
    ar_now(&f, 1, 0x2000, 0);
    ar_now(&f, 4, 0x8020, 3); /* 4 open: 2 data, 2 control */
    expect_clean(&f);
    set_ar(&f, 4, 0x8040, 3); /* a third control read */
    step(&f);
    expect_first(&f, "control-port read bursts outstanding exceed its limit: 3 open, at most 2", 4);
    feed_free(&f);
    feed_init_ctl(&f, 2, 4, 2, 1);
    ar_now(&f, 4, 0x8000, 3);
    ar_now(&f, 0, 0x1000, 0);
    ar_now(&f, 1, 0x2000, 0);
    expect_clean(&f);
    set_ar(&f, 2, 0x3000, 0); /* a third data read: the control one does not count */
    step(&f);
    expect_first(&f, "read bursts outstanding exceed MAX_OUTSTANDING: 3 open, at most 2", 3);
    feed_free(&f);
    feed_init_ctl(&f, 2, 4, 2, 1);
    write_now(&f, 4, 0x9000, 1);
    write_now(&f, 0, 0x1000, 0);
    write_now(&f, 1, 0x1008, 0);
    expect_clean(&f);
    set_aw(&f, 4, 0x9010, 1); /* a second control write, limit 1 */
    step(&f);
    expect_first(&f, "control-port write bursts outstanding exceed its limit: 2 open, at most 1", 4);
    feed_free(&f);
}
END_TEST

START_TEST(test_r_without_request)
{
    feed_t f;
    /* no AR at all */
    feed_init(&f, 16, 0);
    f.r.rvalid = 1;
    f.r.rid = 3;
    f.q.rready = 1;
    step(&f);
    expect_first(&f, "RVALID without a read burst", 0);
    feed_free(&f);
    /* in the same cycle as its AR handshake */
    feed_init(&f, 16, 0);
    set_ar(&f, 3, 0x1000, 0);
    f.r.arready = 1;
    f.r.rvalid = 1;
    f.r.rid = 3;
    f.r.rlast = 1;
    step(&f);
    expect_first(&f, "RVALID without a read burst", 0);
    feed_free(&f);
    /* with another ID than the open read's */
    feed_init(&f, 16, 0);
    ar_now(&f, 3, 0x1000, 0);
    r_beats(&f, 4, 1, 0);
    expect_first(&f, "RVALID without a read burst: no AR with RID 4", 1);
    feed_free(&f);
    /* one more burst than asked for */
    feed_init(&f, 16, 0);
    ar_now(&f, 3, 0x1000, 0);
    r_beats(&f, 3, 1, 0);
    expect_clean(&f);
    r_beats(&f, 3, 1, 0);
    expect_first(&f, "RVALID without a read burst", 2);
    feed_free(&f);
}
END_TEST

START_TEST(test_rlast)
{
    feed_t f;
    feed_init(&f, 16, 0);
    ar_now(&f, 1, 0x1000, 3);
    r_beats(&f, 1, 4, 2);
    expect_first(&f, "RLAST early: on beat 3 of 4", 3);
    feed_free(&f);
    feed_init(&f, 16, 0);
    ar_now(&f, 1, 0x1000, 1);
    r_beats(&f, 1, 2, 5);
    expect_first(&f, "RLAST missing on the last beat 2", 2);
    feed_free(&f);
    /* same ID stays in order: two reads of ID 2 (1 beat, then 4); data for the
     * second one first is caught on the first one's beat count */
    feed_init(&f, 16, 0);
    ar_now(&f, 2, 0x1000, 0);
    ar_now(&f, 2, 0x2000, 3);
    r_beats(&f, 2, 4, 3);
    expect_first(&f, "RLAST missing on the last beat 1", 2);
    feed_free(&f);
}
END_TEST

START_TEST(test_b_without_request)
{
    feed_t f;
    feed_init(&f, 16, 0);
    b_now(&f, 1);
    expect_first(&f, "BVALID without a write burst: BID 1 has no AW open", 0);
    feed_free(&f);
    /* AW handshaken, last W beat not yet */
    feed_init(&f, 16, 0);
    set_aw(&f, 1, 0x1000, 1);
    f.r.awready = 1;
    f.r.wready = 1;
    set_w(&f, 0xff, 0);
    step(&f);
    f.q.awvalid = 0;
    set_w(&f, 0xff, 1);
    f.r.bvalid = 1; /* with the last beat: too early */
    f.r.bid = 1;
    step(&f);
    expect_first(&f, "BVALID without a write burst: BID 1 has no AW whose last W beat was taken before", 1);
    feed_free(&f);
    /* all W beats, AW not yet handshaken */
    feed_init(&f, 16, 0);
    set_aw(&f, 1, 0x1000, 0);
    set_w(&f, 0xff, 1);
    f.r.wready = 1;
    step(&f);
    f.q.wvalid = 0;
    f.r.bvalid = 1;
    f.r.bid = 1;
    step(&f);
    expect_first(&f, "BVALID without a write burst: BID 1 has no AW handshaken before", 1);
    feed_free(&f);
    /* a second B for one write */
    feed_init(&f, 16, 0);
    write_now(&f, 2, 0x1000, 0);
    b_now(&f, 2);
    expect_clean(&f);
    b_now(&f, 2);
    expect_first(&f, "BVALID without a write burst", 2);
    feed_free(&f);
}
END_TEST

START_TEST(test_reset)
{
    static const char *const what[] = {"ARVALID high during reset", "AWVALID high during reset",
                                       "WVALID high during reset", "RVALID high during reset",
                                       "BVALID high during reset"};
    for (int k = 0; k < 5; k++) {
        feed_t f;
        feed_init(&f, 16, 0);
        ar_now(&f, 1, 0x1000, 3); /* in flight when reset comes */
        memset(&f.q, 0, sizeof(f.q));
        memset(&f.r, 0, sizeof(f.r));
        int master = k < 3;
        f.q.arvalid = k == 0;
        f.q.awvalid = k == 1;
        f.q.wvalid = k == 2;
        f.r.rvalid = k == 3;
        f.r.bvalid = k == 4;
        step_reset(&f); /* cycle 1: the master's outputs fall at this edge */
        if (master) {
            expect_clean(&f);
        }
        step_reset(&f);
        expect_first(&f, what[k], master ? 2 : 1);
        feed_free(&f);
    }
    /* a reset forgets the bursts in flight: their late responses are errors */
    feed_t f;
    feed_init(&f, 16, 0);
    ar_now(&f, 1, 0x1000, 0);
    ck_assert_uint_eq(axi_check_rd_open(f.c), 1);
    step_reset(&f);
    step_reset(&f);
    ck_assert_uint_eq(axi_check_rd_open(f.c), 0);
    r_beats(&f, 1, 1, 0);
    expect_first(&f, "RVALID without a read burst", 3);
    feed_free(&f);
}
END_TEST

/* ---- s_axil ---- */

typedef struct lfeed {
    axil_check_t *c;
    uint64_t cycle;
    axil_m_out_t m;
    axil_m_in_t s;
} lfeed_t;

static void lfeed_init(lfeed_t *f, unsigned timeout)
{
    memset(f, 0, sizeof(*f));
    f->c = axil_check_new(timeout);
    ck_assert_ptr_nonnull(f->c);
}

static void lstep(lfeed_t *f)
{
    axil_check_cycle(f->c, f->cycle, 1, &f->m, &f->s);
    f->cycle++;
}

static void lstep_reset(lfeed_t *f)
{
    axil_check_cycle(f->c, f->cycle, 0, &f->m, &f->s);
    f->cycle++;
}

static void lexpect(const lfeed_t *f, const char *what, uint64_t cycle)
{
    uint64_t at = 0;
    const char *e = axil_check_error(f->c, &at);
    ck_assert_msg(e != NULL, "no violation reported, expected '%s'", what);
    ck_assert_msg(strstr(e, what) != NULL, "violation '%s' does not mention '%s'", e, what);
    ck_assert_msg(strstr(e, ": s_axil: ") != NULL, "'%s' does not name the port", e);
    ck_assert_uint_eq(at, cycle);
}

static void lclean(const lfeed_t *f)
{
    const char *e = axil_check_error(f->c, NULL);
    ck_assert_msg(e == NULL, "unexpected violation: %s", e ? e : "");
}

/* One write: AW and W handshaken at once, B one cycle later. */
static void lwrite(lfeed_t *f)
{
    f->m.awvalid = f->m.wvalid = 1;
    f->s.awready = f->s.wready = 1;
    lstep(f);
    f->m.awvalid = f->m.wvalid = 0;
    f->s.awready = f->s.wready = 0;
    f->m.bready = 1;
    f->s.bvalid = 1;
    lstep(f);
    f->m.bready = 0;
    f->s.bvalid = 0;
}

static void lread(lfeed_t *f)
{
    f->m.arvalid = 1;
    f->s.arready = 1;
    lstep(f);
    f->m.arvalid = 0;
    f->s.arready = 0;
    f->m.rready = 1;
    f->s.rvalid = 1;
    lstep(f);
    f->m.rready = 0;
    f->s.rvalid = 0;
}

START_TEST(test_axil_clean)
{
    lfeed_t f;
    lfeed_init(&f, 0);
    lwrite(&f);
    lread(&f);
    /* AW before W, waits, B waits for BREADY with a stable BRESP */
    f.m.awvalid = 1;
    f.m.awaddr = 0x40;
    lstep(&f);
    f.s.awready = 1;
    lstep(&f);
    f.m.awvalid = 0;
    f.s.awready = 0;
    f.m.wvalid = 1;
    f.m.wdata = 0x1234;
    f.m.wstrb = 0xf;
    lstep(&f);
    f.s.wready = 1;
    lstep(&f);
    f.m.wvalid = 0;
    f.s.wready = 0;
    f.s.bvalid = 1;
    f.s.bresp = 2;
    lstep(&f);
    f.m.bready = 1;
    lstep(&f);
    f.m.bready = 0;
    f.s.bvalid = 0;
    lstep(&f);
    lread(&f);
    memset(&f.m, 0, sizeof(f.m));
    memset(&f.s, 0, sizeof(f.s));
    lstep_reset(&f);
    lstep_reset(&f);
    lread(&f);
    lclean(&f);
    axil_check_free(f.c);
}
END_TEST

/* The test bench's own AXI-Lite master against a small slave: clean. */
START_TEST(test_axil_master_clean)
{
    axi_rng_t r;
    axi_rng_seed(&r, unit_seed());
    axil_master_t *m = axil_master_new(&r);
    ck_assert_ptr_nonnull(m);
    axil_master_set_stall(m, 40);
    axil_check_t *c = axil_check_new(0);
    axil_m_in_t s;
    memset(&s, 0, sizeof(s));
    int aw = 0, w = 0, ar = 0, bdelay = -1, rdelay = -1;
    unsigned done = 0;
    for (uint64_t cy = 0; cy < 20000 && done < 200; cy++) {
        if (!axil_master_busy(m)) {
            if (done % 2) {
                axil_master_start_read(m, 4 * done);
            } else {
                axil_master_start_write(m, 4 * done, (uint32_t)done, 0xf);
            }
        }
        axil_m_out_t o;
        axil_master_drive(m, cy, &o);
        s.awready = !aw && axi_rng_pct(&r, 60);
        s.wready = !w && axi_rng_pct(&r, 60);
        s.arready = !ar && axi_rng_pct(&r, 60);
        s.bvalid = bdelay == 0;
        s.rvalid = rdelay == 0;
        s.rdata = 0xabc;
        axil_check_cycle(c, cy, 1, &o, &s);
        axil_master_update(m, cy, &s);
        aw |= o.awvalid && s.awready;
        w |= o.wvalid && s.wready;
        ar |= o.arvalid && s.arready;
        if (s.bvalid && o.bready) {
            aw = w = 0;
            bdelay = -1;
        } else if (aw && w && bdelay < 0) {
            bdelay = (int)axi_rng_range(&r, 0, 3);
        } else if (bdelay > 0) {
            bdelay--;
        }
        if (s.rvalid && o.rready) {
            ar = 0;
            rdelay = -1;
        } else if (ar && rdelay < 0) {
            rdelay = (int)axi_rng_range(&r, 0, 3);
        } else if (rdelay > 0) {
            rdelay--;
        }
        if (axil_master_done(m, NULL, NULL)) {
            done++;
        }
    }
    ck_assert_uint_eq(done, 200);
    const char *e = axil_check_error(c, NULL);
    ck_assert_msg(e == NULL, "unexpected violation: %s", e ? e : "");
    axil_check_free(c);
    axil_master_free(m);
}
END_TEST

START_TEST(test_axil_valid_dropped_and_payload)
{
    static const char *const what[] = {"AWVALID dropped before AWREADY", "WVALID dropped before WREADY",
                                       "ARVALID dropped before ARREADY", "AW payload changed while waiting",
                                       "W payload changed while waiting", "AR payload changed while waiting"};
    for (int k = 0; k < 6; k++) {
        lfeed_t f;
        lfeed_init(&f, 0);
        f.m.awvalid = k % 3 == 0;
        f.m.wvalid = k % 3 == 1;
        f.m.arvalid = k % 3 == 2;
        lstep(&f);
        if (k < 3) {
            f.m.awvalid = f.m.wvalid = f.m.arvalid = 0;
        } else if (k == 3) {
            f.m.awaddr = 4;
        } else if (k == 4) {
            f.m.wstrb = 1;
        } else {
            f.m.araddr = 8;
        }
        lstep(&f);
        lexpect(&f, what[k], 1);
        axil_check_free(f.c);
    }
    /* the slave's outputs */
    static const char *const swhat[] = {"BVALID dropped before BREADY", "RVALID dropped before RREADY",
                                        "B payload changed while waiting", "R payload changed while waiting"};
    for (int k = 0; k < 4; k++) {
        lfeed_t f;
        lfeed_init(&f, 0);
        int wr = k % 2 == 0;
        f.m.awvalid = f.m.wvalid = wr;
        f.m.arvalid = !wr;
        f.s.awready = f.s.wready = f.s.arready = 1;
        lstep(&f);
        memset(&f.m, 0, sizeof(f.m));
        memset(&f.s, 0, sizeof(f.s));
        f.s.bvalid = wr;
        f.s.rvalid = !wr;
        lstep(&f);
        if (k < 2) {
            f.s.bvalid = f.s.rvalid = 0;
        } else if (wr) {
            f.s.bresp = 2;
        } else {
            f.s.rdata = 5;
        }
        lstep(&f);
        lexpect(&f, swhat[k], 2);
        axil_check_free(f.c);
    }
}
END_TEST

START_TEST(test_axil_answer_once)
{
    lfeed_t f;
    /* B with nothing asked */
    lfeed_init(&f, 0);
    f.s.bvalid = 1;
    f.m.bready = 1;
    lstep(&f);
    lexpect(&f, "BVALID without a write", 0);
    axil_check_free(f.c);
    /* B in the cycle of the handshakes (too early) */
    lfeed_init(&f, 0);
    f.m.awvalid = f.m.wvalid = f.m.bready = 1;
    f.s.awready = f.s.wready = f.s.bvalid = 1;
    lstep(&f);
    lexpect(&f, "BVALID without a write", 0);
    axil_check_free(f.c);
    /* B after AW only (W still missing) */
    lfeed_init(&f, 0);
    f.m.awvalid = 1;
    f.s.awready = 1;
    lstep(&f);
    f.m.awvalid = 0;
    f.s.awready = 0;
    f.s.bvalid = 1;
    f.m.bready = 1;
    lstep(&f);
    lexpect(&f, "BVALID without a write", 1);
    axil_check_free(f.c);
    /* a write answered twice */
    lfeed_init(&f, 0);
    lwrite(&f);
    lclean(&f);
    f.s.bvalid = 1;
    f.m.bready = 1;
    lstep(&f);
    lexpect(&f, "BVALID without a write: 1 writes asked, 1 answered", 2);
    axil_check_free(f.c);
    /* R with nothing asked, and a read answered twice */
    lfeed_init(&f, 0);
    f.s.rvalid = 1;
    f.m.rready = 1;
    lstep(&f);
    lexpect(&f, "RVALID without a read", 0);
    axil_check_free(f.c);
    lfeed_init(&f, 0);
    lread(&f);
    f.s.rvalid = 1;
    f.m.rready = 1;
    lstep(&f);
    lexpect(&f, "RVALID without a read: 1 reads asked, 1 answered", 2);
    axil_check_free(f.c);
}
END_TEST

START_TEST(test_axil_timeout)
{
    lfeed_t f;
    lfeed_init(&f, 50);
    f.m.awvalid = f.m.wvalid = 1;
    f.s.awready = f.s.wready = 1;
    lstep(&f);
    memset(&f.m, 0, sizeof(f.m));
    memset(&f.s, 0, sizeof(f.s));
    for (int i = 0; i < 50; i++) {
        lstep(&f);
    }
    lclean(&f);
    lstep(&f);
    lexpect(&f, "write not answered within 50 cycles", 51);
    ck_assert_uint_eq(axil_check_error_count(f.c), 1);
    axil_check_free(f.c);
    lfeed_init(&f, 50);
    f.m.arvalid = 1;
    f.s.arready = 1;
    lstep(&f);
    memset(&f.m, 0, sizeof(f.m));
    memset(&f.s, 0, sizeof(f.s));
    for (int i = 0; i < 60; i++) {
        lstep(&f);
    }
    lexpect(&f, "read not answered within 50 cycles", 51);
    axil_check_free(f.c);
}
END_TEST

START_TEST(test_axil_reset)
{
    static const char *const what[] = {"BVALID high during reset", "RVALID high during reset",
                                       "AWVALID high during reset", "WVALID high during reset",
                                       "ARVALID high during reset"};
    for (int k = 0; k < 5; k++) {
        lfeed_t f;
        lfeed_init(&f, 0);
        lstep(&f);
        f.s.bvalid = k == 0;
        f.s.rvalid = k == 1;
        f.m.awvalid = k == 2;
        f.m.wvalid = k == 3;
        f.m.arvalid = k == 4;
        lstep_reset(&f); /* the slave's outputs fall at this edge */
        if (k < 2) {
            lclean(&f);
        }
        lstep_reset(&f);
        lexpect(&f, what[k], k < 2 ? 2 : 1);
        axil_check_free(f.c);
    }
}
END_TEST

static Suite *check_suite(void)
{
    Suite *s = suite_create("axi_check");
    TCase *tc = tcase_create("m_axi");
    tcase_set_timeout(tc, 60);
    UNIT_ADD_TEST(tc, test_clean_by_hand);
    UNIT_ADD_TEST(tc, test_clean_random_traffic);
    UNIT_ADD_TEST(tc, test_valid_dropped);
    UNIT_ADD_TEST(tc, test_payload_changed);
    UNIT_ADD_TEST(tc, test_burst_type_and_size);
    UNIT_ADD_TEST(tc, test_burst_length);
    UNIT_ADD_TEST(tc, test_4k_crossing);
    UNIT_ADD_TEST(tc, test_wlast);
    UNIT_ADD_TEST(tc, test_w_ahead);
    UNIT_ADD_TEST(tc, test_strobes);
    UNIT_ADD_TEST(tc, test_outstanding);
    UNIT_ADD_TEST(tc, test_outstanding_ctl_apart);
    UNIT_ADD_TEST(tc, test_r_without_request);
    UNIT_ADD_TEST(tc, test_rlast);
    UNIT_ADD_TEST(tc, test_b_without_request);
    UNIT_ADD_TEST(tc, test_reset);
    suite_add_tcase(s, tc);
    tc = tcase_create("s_axil");
    tcase_set_timeout(tc, 30);
    UNIT_ADD_TEST(tc, test_axil_clean);
    UNIT_ADD_TEST(tc, test_axil_master_clean);
    UNIT_ADD_TEST(tc, test_axil_valid_dropped_and_payload);
    UNIT_ADD_TEST(tc, test_axil_answer_once);
    UNIT_ADD_TEST(tc, test_axil_timeout);
    UNIT_ADD_TEST(tc, test_axil_reset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return unit_run("test_axi_check", check_suite()); }
