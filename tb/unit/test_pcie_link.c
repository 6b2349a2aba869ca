/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pcie_link.c: Check suite for the PCIe link model (tb/pcie_link.h):
 * the TLP arithmetic against the published figures (seed 001's bandwidth
 * table, the Gen3 efficiency anchors), and the bus layer between a
 * C master and the memory model: TLP counts, data intact, the link rate and
 * the tag limit.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "axi_mem.h"
#include "axi_check.h"
#include "pcie_link.h"
#include "unit.h"

#define DB 8U       /* bus bytes of the test master */
#define BEATS 64U   /* beats per burst: 512 B */
#define BUDGET 2000000U

/* ---------------------------------------------------------------- arithmetic */

START_TEST(test_lane_rates)
{
    /* seed 001: x1 ~250 MB/s, ~500 MB/s, ~985 MB/s, ~1.97 GB/s, ~3.94 GB/s; x16 Gen3 ~15.75 GB/s */
    ck_assert_double_eq_tol(pcie_lane_bytes_per_s(1), 250e6, 1.0);
    ck_assert_double_eq_tol(pcie_lane_bytes_per_s(2), 500e6, 1.0);
    ck_assert_double_eq_tol(pcie_lane_bytes_per_s(3), 984.6e6, 0.1e6);
    ck_assert_double_eq_tol(pcie_lane_bytes_per_s(4), 1.969e9, 1e6);
    ck_assert_double_eq_tol(pcie_lane_bytes_per_s(5), 3.938e9, 1e6);
    ck_assert_double_eq(pcie_lane_bytes_per_s(0), 0.0);
    ck_assert_double_eq(pcie_lane_bytes_per_s(6), 0.0);
    pcie_link_cfg_t c;
    pcie_link_cfg_default(&c);
    c.lanes = 16;
    ck_assert_double_eq_tol(pcie_link_bytes_per_s(&c), 15.75e9, 0.01e9);
    c.lanes = 8; /* Gen3 x8 at 250 MHz: 7.88 GB/s = 31.5 bytes per clock */
    ck_assert_double_eq_tol(pcie_link_bytes_per_clk(&c), 31.5, 0.02);
    c.dllp_pct = 10.0;
    ck_assert_double_eq_tol(pcie_link_bytes_per_clk(&c), 31.5 * 0.9, 0.02);
    c.gen = 5;
    c.lanes = 16;
    c.dllp_pct = 0.0;
    ck_assert_double_eq_tol(pcie_link_bytes_per_s(&c), 63e9, 0.1e9);
}
END_TEST

START_TEST(test_efficiency_anchors)
{
    /* the issue: Gen3 payload efficiency ~86.5 / 92.8 / 96.2 % for MPS 128 / 256 / 512 */
    ck_assert_uint_eq(pcie_tlp_overhead(3), 20);
    ck_assert_uint_eq(pcie_tlp_overhead(4), 24);
    ck_assert_double_eq_tol(100.0 * pcie_tlp_efficiency(128, 3), 86.5, 0.05);
    ck_assert_double_eq_tol(100.0 * pcie_tlp_efficiency(256, 3), 92.8, 0.06);
    ck_assert_double_eq_tol(100.0 * pcie_tlp_efficiency(512, 3), 96.2, 0.05);
    /* 64-bit addresses cost a DW more per request */
    ck_assert(pcie_tlp_efficiency(256, 4) < pcie_tlp_efficiency(256, 3));
}
END_TEST

START_TEST(test_split_counts)
{
    ck_assert_uint_eq(pcie_split_count(0, 0, 256), 0);
    ck_assert_uint_eq(pcie_split_count(0, 4096, 256), 16);
    ck_assert_uint_eq(pcie_split_count(0, 4096, 4096), 1);
    ck_assert_uint_eq(pcie_split_count(100, 256, 256), 2);
    ck_assert_uint_eq(pcie_split_count(255, 2, 256), 2);
    ck_assert_uint_eq(pcie_split_count(256, 256, 256), 1);
    ck_assert_uint_eq(pcie_split_count(0, 1U << 20, 512), 2048);
    ck_assert_uint_eq(pcie_split_count(3, (1U << 20), 512), 2049);
}
END_TEST

START_TEST(test_completion_counts)
{
    /* aligned 512 B MRd: MPS-sized completions, or one per RCB */
    ck_assert_uint_eq(pcie_cpl_count(0, 512, 64, 256), 2);
    ck_assert_uint_eq(pcie_cpl_count(0, 512, 64, 64), 8);
    ck_assert_uint_eq(pcie_cpl_count(0, 512, 128, 128), 4);
    /* unaligned start: the first completion ends on an RCB boundary */
    ck_assert_uint_eq(pcie_cpl_count(0x20, 256, 64, 256), 2);  /* 0x20-0x100, 0x100-0x120 */
    ck_assert_uint_eq(pcie_cpl_count(0x30, 64, 64, 64), 2);    /* 0x30-0x40, 0x40-0x70 */
    ck_assert_uint_eq(pcie_cpl_count(0x30, 16, 64, 64), 1);
    ck_assert_uint_eq(pcie_cpl_count(0x40, 128, 128, 256), 1); /* ends at the MRd's end: one */
    ck_assert_uint_eq(pcie_cpl_count(0x40, 256, 128, 256), 2); /* 0x40-0x100 (RCB 128), 0x100-0x140 */
}
END_TEST

START_TEST(test_cfg_check)
{
    pcie_link_cfg_t c;
    pcie_link_cfg_default(&c);
    ck_assert_ptr_null(pcie_link_cfg_check(&c));
    pcie_link_cfg_t b = c;
    b.gen = 6;
    ck_assert_str_eq(pcie_link_cfg_check(&b), "gen must be 1..5");
    b = c;
    b.lanes = 3;
    ck_assert_ptr_nonnull(pcie_link_cfg_check(&b));
    b = c;
    b.mps = 200;
    ck_assert_ptr_nonnull(pcie_link_cfg_check(&b));
    b = c;
    b.rcb = 32;
    ck_assert_ptr_nonnull(pcie_link_cfg_check(&b));
    b = c;
    b.cpl_max = 512; /* more than MPS */
    ck_assert_ptr_nonnull(pcie_link_cfg_check(&b));
    b = c;
    b.tags = 0;
    ck_assert_ptr_nonnull(pcie_link_cfg_check(&b));
    ck_assert_ptr_null(pcie_link_new(&b));
}
END_TEST

/* ---------------------------------------------------------------- bus layer */

typedef struct rig {
    axi_rng_t rng;
    axi_mem_t *mem;
    pcie_link_t *link;
    axi_check_t *chk; /* the protocol between the link and the memory */
    uint64_t cycle;
} rig_t;

static void rig_init(rig_t *r, const pcie_link_cfg_t *pc, unsigned rd_lat)
{
    memset(r, 0, sizeof(*r));
    axi_rng_seed(&r->rng, unit_seed());
    r->mem = axi_mem_new(DB, &r->rng);
    ck_assert_ptr_nonnull(r->mem);
    axi_mem_cfg_t mc;
    memset(&mc, 0, sizeof(mc));
    mc.rd_lat_min = mc.rd_lat_max = rd_lat;
    axi_mem_set_config(r->mem, &mc);
    r->link = pcie_link_new(pc);
    ck_assert_ptr_nonnull(r->link);
    axi_check_cfg_t cc;
    memset(&cc, 0, sizeof(cc));
    cc.data_bytes = DB;
    r->chk = axi_check_new(&cc);
    ck_assert_ptr_nonnull(r->chk);
}

static void rig_free(rig_t *r)
{
    ck_assert_msg(axi_check_error(r->chk, NULL) == NULL, "link to memory: %s", axi_check_error(r->chk, NULL));
    axi_check_free(r->chk);
    pcie_link_free(r->link);
    axi_mem_free(r->mem);
}

/* Writes len bytes (multiple of BEATS * DB) from buf at addr in BEATS-beat
 * bursts, AW one burst ahead at most; returns the cycles taken. */
static uint64_t bus_write(rig_t *r, uint64_t addr, const uint8_t *buf, size_t len)
{
    const unsigned bursts = (unsigned)(len / (BEATS * DB));
    unsigned aw_sent = 0, w_beats = 0, b_got = 0;
    uint64_t t0 = r->cycle;
    while (b_got < bursts) {
        ck_assert_uint_lt(r->cycle - t0, BUDGET);
        axi_mem_rsp_t from_mem, to_dut;
        axi_mem_drive(r->mem, r->cycle, &from_mem);
        pcie_link_drive(r->link, &from_mem, &to_dut);
        axi_mem_req_t q, qm;
        memset(&q, 0, sizeof(q));
        if (aw_sent < bursts && aw_sent <= w_beats / BEATS + 1U) {
            q.awvalid = 1;
            q.awaddr = addr + (uint64_t)aw_sent * BEATS * DB;
            q.awlen = BEATS - 1U;
            q.awsize = 3;
            q.awburst = AXI_BURST_INCR;
        }
        if (w_beats < bursts * BEATS) {
            q.wvalid = 1;
            memcpy(q.wdata, buf + (size_t)w_beats * DB, DB);
            q.wstrb = 0xFF;
            q.wlast = (w_beats % BEATS) == BEATS - 1U;
        }
        q.bready = 1;
        pcie_link_update(r->link, &q, &qm);
        axi_check_cycle(r->chk, r->cycle, 1, &qm, &from_mem);
        axi_mem_update(r->mem, r->cycle, &qm);
        aw_sent += q.awvalid && to_dut.awready;
        w_beats += q.wvalid && to_dut.wready;
        b_got += to_dut.bvalid && q.bready;
        r->cycle++;
    }
    return r->cycle - t0;
}

/* Reads len bytes at addr in BEATS-beat bursts, ARs as fast as accepted. */
static uint64_t bus_read(rig_t *r, uint64_t addr, uint8_t *buf, size_t len)
{
    const unsigned bursts = (unsigned)(len / (BEATS * DB));
    unsigned ar_sent = 0, r_beats = 0;
    uint64_t t0 = r->cycle;
    while (r_beats < bursts * BEATS) {
        ck_assert_uint_lt(r->cycle - t0, BUDGET);
        axi_mem_rsp_t from_mem, to_dut;
        axi_mem_drive(r->mem, r->cycle, &from_mem);
        pcie_link_drive(r->link, &from_mem, &to_dut);
        axi_mem_req_t q, qm;
        memset(&q, 0, sizeof(q));
        if (ar_sent < bursts) {
            q.arvalid = 1;
            q.araddr = addr + (uint64_t)ar_sent * BEATS * DB;
            q.arlen = BEATS - 1U;
            q.arsize = 3;
            q.arburst = AXI_BURST_INCR;
        }
        q.rready = 1;
        pcie_link_update(r->link, &q, &qm);
        axi_check_cycle(r->chk, r->cycle, 1, &qm, &from_mem);
        axi_mem_update(r->mem, r->cycle, &qm);
        ar_sent += q.arvalid && to_dut.arready;
        if (to_dut.rvalid && q.rready) {
            memcpy(buf + (size_t)r_beats * DB, to_dut.rdata, DB);
            ck_assert_int_eq(to_dut.rlast, (r_beats % BEATS) == BEATS - 1U);
            r_beats++;
        }
        r->cycle++;
    }
    return r->cycle - t0;
}

/* Gen1 x1 at 250 MHz: one link byte per clock, slower than the 8-byte bus. */
START_TEST(test_layer_counts_and_rate)
{
    pcie_link_cfg_t c;
    pcie_link_cfg_default(&c);
    c.gen = 1;
    c.lanes = 1;
    rig_t r;
    rig_init(&r, &c, 20);
    ck_assert_double_eq_tol(pcie_link_bytes_per_clk(&c), 1.0, 1e-9);
    const size_t len = 64U * 1024U;
    uint8_t *src = malloc(len), *back = malloc(len);
    ck_assert_ptr_nonnull(src);
    ck_assert_ptr_nonnull(back);
    for (size_t i = 0; i < len; i++) {
        src[i] = (uint8_t)(i * 11U + 5U);
    }
    uint64_t wc = bus_write(&r, 0x10000, src, len);
    pcie_link_stats_t s;
    pcie_link_stats(r.link, &s);
    ck_assert_uint_eq(s.mwr_tlps, len / 256U);   /* MPS 256 */
    ck_assert_uint_eq(s.tx_payload, len);
    ck_assert_uint_eq(s.tx_bytes, len + (len / 256U) * 20U); /* 3 DW headers below 4 GiB */
    /* TX-bound: within 2 % (plus the tail) of tx_bytes at one byte per clock;
     * the last TLP's bytes may still be on the wire when its B comes back */
    ck_assert_uint_ge(wc + 276U, s.tx_bytes);
    ck_assert_uint_le(wc, s.tx_bytes + s.tx_bytes / 50U + 200U);

    pcie_link_stats_clear(r.link);
    uint64_t rc = bus_read(&r, 0x10000, back, len);
    ck_assert_mem_eq(back, src, len);
    pcie_link_stats(r.link, &s);
    ck_assert_uint_eq(s.mrd_tlps, len / 512U);   /* MRRS 512 */
    ck_assert_uint_eq(s.cpl_tlps, len / 256U);   /* completions of MPS bytes */
    ck_assert_uint_eq(s.rx_payload, len);
    ck_assert_uint_eq(s.rx_bytes, len + (len / 256U) * 20U);
    ck_assert_uint_eq(s.tx_bytes, (len / 512U) * 20U);
    ck_assert_uint_ge(rc + 276U, s.rx_bytes);
    ck_assert_uint_le(rc, s.rx_bytes + s.rx_bytes / 50U + 200U);
    ck_assert_uint_eq(pcie_link_tags_used(r.link), 0);
    free(src);
    free(back);
    rig_free(&r);
}
END_TEST

/* Above 4 GiB requests carry 4 DW headers; completions with cpl_max = RCB are 64 B. */
START_TEST(test_layer_addr64_rcb)
{
    pcie_link_cfg_t c;
    pcie_link_cfg_default(&c);
    c.cpl_max = 64;
    rig_t r;
    rig_init(&r, &c, 0);
    const size_t len = 4096;
    uint8_t *src = malloc(len), *back = malloc(len);
    ck_assert_ptr_nonnull(src);
    ck_assert_ptr_nonnull(back);
    for (size_t i = 0; i < len; i++) {
        src[i] = (uint8_t)(i ^ 0x5A);
    }
    const uint64_t a = 0x100000000ULL;
    (void)bus_write(&r, a, src, len);
    (void)bus_read(&r, a, back, len);
    ck_assert_mem_eq(back, src, len);
    pcie_link_stats_t s;
    pcie_link_stats(r.link, &s);
    ck_assert_uint_eq(s.mwr_tlps, len / 256U);
    ck_assert_uint_eq(s.mrd_tlps, len / 512U);
    ck_assert_uint_eq(s.cpl_tlps, len / 64U);
    ck_assert_uint_eq(s.tx_bytes, len + (len / 256U + len / 512U) * 24U);
    ck_assert_uint_eq(s.rx_bytes, len + (len / 64U) * 20U);
    rig_free(&r);
}
END_TEST

/* Tags: at most cfg.tags MRds outstanding; with few tags a long round trip
 * bounds the read rate at tags x MRRS per round trip. */
START_TEST(test_layer_tag_limit)
{
    const size_t len = 64U * 1024U;
    uint8_t *back = malloc(len);
    ck_assert_ptr_nonnull(back);
    static const unsigned tags[] = {1, 2, 64};
    uint64_t cycles[3];
    for (unsigned i = 0; i < 3; i++) {
        pcie_link_cfg_t c;
        pcie_link_cfg_default(&c);
        c.tags = tags[i];
        rig_t r;
        rig_init(&r, &c, 200);
        cycles[i] = bus_read(&r, 0, back, len);
        pcie_link_stats_t s;
        pcie_link_stats(r.link, &s);
        ck_assert_uint_le(s.max_tags_used, tags[i]);
        ck_assert_uint_eq(pcie_link_tags_used(r.link), 0);
        if (tags[i] < 64) {
            ck_assert_uint_eq(s.max_tags_used, tags[i]);
            /* each 512 B MRd (one tag) takes >= 200 cycles of latency + 64 beats */
            uint64_t per_round = 200U + BEATS;
            ck_assert_uint_ge(cycles[i], (len / 512U / tags[i]) * per_round);
        } else {
            ck_assert_uint_gt(s.max_tags_used, 2);
        }
        rig_free(&r);
    }
    ck_assert_uint_gt(cycles[0], cycles[1] + cycles[1] / 2U);
    ck_assert_uint_gt(cycles[1], cycles[2] + cycles[2] / 2U);
    free(back);
}
END_TEST

static Suite *pcie_suite(void)
{
    Suite *s = suite_create("pcie_link");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    UNIT_ADD_TEST(tc, test_lane_rates);
    UNIT_ADD_TEST(tc, test_efficiency_anchors);
    UNIT_ADD_TEST(tc, test_split_counts);
    UNIT_ADD_TEST(tc, test_completion_counts);
    UNIT_ADD_TEST(tc, test_cfg_check);
    UNIT_ADD_TEST(tc, test_layer_counts_and_rate);
    UNIT_ADD_TEST(tc, test_layer_addr64_rcb);
    UNIT_ADD_TEST(tc, test_layer_tag_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return unit_run("test_pcie_link", pcie_suite()); }
