/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tb.c: the test bench around the Verilated ferry_top. See tb.h.
 *
 * One cycle (tb_cycle_once):
 *   1. the memory model (m_axi) and the AXI-Lite master (s_axil) decide their
 *      outputs from their own state and the shared PRNG;
 *   2. fm_set_inputs, fm_eval (clk low), fm_get_outputs;
 *   3. the protocol checkers (axi_check on m_axi, axil_check on s_axil) see
 *      both sides of the cycle; each model sees the DUT outputs of the same
 *      cycle and does the handshakes (valid && ready);
 *   4. fm_clock (rising and falling edge); irq is sampled after it.
 * During reset the models drive all zero and see nothing; the checkers
 * forget what was in flight and check that the VALIDs are low.
 */
#include "tb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axi_check.h"
#include "axi_mem.h"
#include "axil_check.h"
#include "axil_master.h"
#include "axis_model.h"
#include "fcov.h"
#include "ferry_model.h"
#include "pcie_link.h"

#define TB_BAR_BUDGET 10000u
#define TB_RESET_CYCLES 8u

/* Build parameters the checker holds the DUT to (-D from the Makefile). */
#ifndef FERRY_MAX_BURST_LEN
#define FERRY_MAX_BURST_LEN 256
#endif
#ifndef FERRY_MAX_OUTSTANDING
#define FERRY_MAX_OUTSTANDING 0
#endif
#ifndef FERRY_H2C_MASK
#define FERRY_H2C_MASK 0
#endif
#ifndef FERRY_C2H_MASK
#define FERRY_C2H_MASK 0
#endif

struct tb {
    tb_config_t cfg;
    char *fst_path;
    axi_rng_t rng;
    fm_t *fm;
    axi_mem_t *mem;
    axil_master_t *axil;
    axi_check_t *chk;
    axil_check_t *lchk;
    fcov_t *fcov; /* functional coverage (tb/fcov.h); NULL unless FERRY_FCOV_DIR is set */
    uint64_t cycle;
    uint32_t irq;
    pcie_link_t *pcie; /* NULL: m_axi straight to the memory */
    axis_model_t *axis; /* stream channel models, NULL without stream channels */
    axi_rng_t axis_rng; /* their own PRNG: the other models' draws stay as they were */
};

void tb_config_default(tb_config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->seed = 1;
}

void tb_config_random(tb_config_t *cfg, uint64_t seed)
{
    axi_rng_t r;
    /* Mix the seed so neighbouring seeds give unrelated settings. */
    axi_rng_seed(&r, seed ^ 0x6A09E667F3BCC909ull);
    tb_config_default(cfg);
    cfg->seed = seed;
    cfg->rd_lat_min = axi_rng_range(&r, 0, 64);
    cfg->rd_lat_max = axi_rng_range(&r, cfg->rd_lat_min, 64);
    cfg->wr_lat_min = axi_rng_range(&r, 0, 64);
    cfg->wr_lat_max = axi_rng_range(&r, cfg->wr_lat_min, 64);
    unsigned *stall[] = {&cfg->stall_ar, &cfg->stall_r, &cfg->stall_aw,
                         &cfg->stall_w, &cfg->stall_b, &cfg->stall_axil};
    unsigned n = sizeof(stall) / sizeof(stall[0]);
    unsigned nonzero = 0;
    for (unsigned i = 0; i < n; i++) {
        /* A third of the channels run without stalls, the rest 1..40%. */
        *stall[i] = axi_rng_range(&r, 0, 2) == 0 ? 0 : axi_rng_range(&r, 1, 40);
        nonzero += *stall[i] != 0;
    }
    if (nonzero == 0) {
        *stall[axi_rng_range(&r, 0, n - 1)] = axi_rng_range(&r, 1, 40);
    }
    static const unsigned outstanding[] = {0, 0, 1, 2, 3, 4, 8};
    cfg->max_outstanding_rd = outstanding[axi_rng_range(&r, 0, 6)];

    /* The stress profile comes from its own stream, so the draws above stay
     * what they were for every seed. */
    axi_rng_t pr;
    axi_rng_seed(&pr, seed ^ 0xA54FF53A5F1D36F1ull);
    unsigned pi = axi_rng_range(&pr, 0, axi_mem_profile_count() - 1);
    const char *name = axi_mem_profile_name(pi);
    const char *env = getenv("PROFILE");
    if (env && *env) {
        for (unsigned i = 0; i < axi_mem_profile_count(); i++) {
            if (strcmp(env, axi_mem_profile_name(i)) == 0) {
                name = axi_mem_profile_name(i);
            }
        }
        if (strcmp(env, name) != 0) {
            fprintf(stderr, "tb_config_random: unknown PROFILE '%s', using '%s'\n", env, name);
        }
    }
    axi_mem_cfg_t mc;
    memset(&mc, 0, sizeof(mc));
    mc.rd_lat_min = cfg->rd_lat_min;
    mc.rd_lat_max = cfg->rd_lat_max;
    mc.wr_lat_min = cfg->wr_lat_min;
    mc.wr_lat_max = cfg->wr_lat_max;
    mc.stall_ar = cfg->stall_ar;
    mc.stall_r = cfg->stall_r;
    mc.stall_aw = cfg->stall_aw;
    mc.stall_w = cfg->stall_w;
    mc.stall_b = cfg->stall_b;
    axi_mem_profile(&mc, name, axi_rng_next(&pr));
    cfg->profile = name;
    cfg->rd_lat_max = mc.rd_lat_max;
    cfg->wr_lat_max = mc.wr_lat_max;
    cfg->stall_ar = mc.stall_ar;
    cfg->stall_r = mc.stall_r;
    cfg->stall_aw = mc.stall_aw;
    cfg->stall_w = mc.stall_w;
    cfg->stall_b = mc.stall_b;
    cfg->lat_dist = mc.lat_dist;
    cfg->reorder = mc.reorder;
    cfg->interleave = mc.interleave;
    cfg->run_ar = mc.run_ar;
    cfg->run_r = mc.run_r;
    cfg->run_aw = mc.run_aw;
    cfg->run_w = mc.run_w;
    cfg->run_b = mc.run_b;

    /* Stream gaps from a third stream: a third of the seeds without gaps on
     * a side, the rest 1..40%. */
    axi_rng_t sr;
    axi_rng_seed(&sr, seed ^ 0x3C6EF372FE94F82Bull);
    cfg->axis_valid_gap = axi_rng_range(&sr, 0, 2) == 0 ? 0 : axi_rng_range(&sr, 1, 40);
    cfg->axis_ready_gap = axi_rng_range(&sr, 0, 2) == 0 ? 0 : axi_rng_range(&sr, 1, 40);
}

void tb_config_describe(const tb_config_t *cfg, char *buf, size_t size)
{
    static const char *const dist[] = {"uniform", "bimodal", "longtail"};
    snprintf(buf, size,
             "profile %s: rd latency %u..%u, wr latency %u..%u (%s), stall ar/r/aw/w/b/axil "
             "%u/%u/%u/%u/%u/%u%%, stall runs ar/r/aw/w/b %u/%u/%u/%u/%u, %s, reads outstanding %u",
             cfg->profile ? cfg->profile : "none", cfg->rd_lat_min, cfg->rd_lat_max, cfg->wr_lat_min,
             cfg->wr_lat_max, dist[cfg->lat_dist < 3 ? cfg->lat_dist : 0], cfg->stall_ar, cfg->stall_r,
             cfg->stall_aw, cfg->stall_w, cfg->stall_b, cfg->stall_axil, cfg->run_ar, cfg->run_r, cfg->run_aw,
             cfg->run_w, cfg->run_b,
             cfg->interleave ? "reordered and interleaved across IDs" : cfg->reorder ? "reordered across IDs" : "in order",
             cfg->max_outstanding_rd);
    if (FERRY_H2C_MASK | FERRY_C2H_MASK) {
        size_t n = strlen(buf);
        snprintf(buf + n, size > n ? size - n : 0, ", stream gaps valid/ready %u/%u%%", cfg->axis_valid_gap,
                 cfg->axis_ready_gap);
    }
}

static void apply_config(tb_t *tb)
{
    axi_mem_cfg_t mc;
    memset(&mc, 0, sizeof(mc));
    mc.rd_lat_min = tb->cfg.rd_lat_min;
    mc.rd_lat_max = tb->cfg.rd_lat_max;
    mc.wr_lat_min = tb->cfg.wr_lat_min;
    mc.wr_lat_max = tb->cfg.wr_lat_max;
    mc.stall_ar = tb->cfg.stall_ar;
    mc.stall_r = tb->cfg.stall_r;
    mc.stall_aw = tb->cfg.stall_aw;
    mc.stall_w = tb->cfg.stall_w;
    mc.stall_b = tb->cfg.stall_b;
    mc.max_outstanding_rd = tb->cfg.max_outstanding_rd;
    mc.lat_dist = tb->cfg.lat_dist;
    mc.reorder = tb->cfg.reorder;
    mc.interleave = tb->cfg.interleave;
    mc.run_ar = tb->cfg.run_ar;
    mc.run_r = tb->cfg.run_r;
    mc.run_aw = tb->cfg.run_aw;
    mc.run_w = tb->cfg.run_w;
    mc.run_b = tb->cfg.run_b;
    axi_mem_set_config(tb->mem, &mc);
    axil_master_set_stall(tb->axil, tb->cfg.stall_axil);
    if (tb->axis) {
        (void)axis_set_gaps(tb->axis, -1, tb->cfg.axis_valid_gap, tb->cfg.axis_ready_gap);
    }
}

static void cycle_once(tb_t *tb, int rst_n)
{
    axi_mem_rsp_t mr;
    axil_m_out_t ao;
    fm_in_t in;
    fm_out_t out;
    unsigned db = fm_data_bytes();

    memset(&mr, 0, sizeof(mr));
    memset(&ao, 0, sizeof(ao));
    if (rst_n) {
        axi_mem_drive(tb->mem, tb->cycle, &mr);
        if (tb->pcie) {
            pcie_link_drive(tb->pcie, &mr, &mr);
        }
        axil_master_drive(tb->axil, tb->cycle, &ao);
    }

    memset(&in, 0, sizeof(in));
    in.rst_n = rst_n ? 1 : 0;
    in.s_axil_awaddr = ao.awaddr;
    in.s_axil_awvalid = (uint64_t)ao.awvalid;
    in.s_axil_wdata = ao.wdata;
    in.s_axil_wstrb = ao.wstrb;
    in.s_axil_wvalid = (uint64_t)ao.wvalid;
    in.s_axil_bready = (uint64_t)ao.bready;
    in.s_axil_araddr = ao.araddr;
    in.s_axil_arvalid = (uint64_t)ao.arvalid;
    in.s_axil_rready = (uint64_t)ao.rready;
    in.m_axi_awready = (uint64_t)mr.awready;
    in.m_axi_wready = (uint64_t)mr.wready;
    in.m_axi_bid = mr.bid;
    in.m_axi_bresp = mr.bresp;
    in.m_axi_bvalid = (uint64_t)mr.bvalid;
    in.m_axi_arready = (uint64_t)mr.arready;
    in.m_axi_rid = mr.rid;
    in.m_axi_rresp = mr.rresp;
    in.m_axi_rlast = (uint64_t)mr.rlast;
    in.m_axi_rvalid = (uint64_t)mr.rvalid;
    memcpy(in.m_axi_rdata, mr.rdata, db);

    fm_set_inputs(tb->fm, &in);
    fm_axis_in_t s_in;
    fm_axis_out_t s_out;
    if (tb->axis) {
        if (rst_n) {
            axis_drive(tb->axis, &s_in);
        } else {
            memset(&s_in, 0, sizeof(s_in));
        }
        fm_set_axis(tb->fm, &s_in);
    }
    fm_eval(tb->fm);
    fm_get_outputs(tb->fm, &out);
    if (tb->axis) {
        fm_get_axis(tb->fm, &s_out);
        axis_update(tb->axis, tb->cycle, rst_n, &s_in, &s_out);
    }
    fcov_sample(tb->fcov, &in, &out);

    axi_mem_req_t q;
    memset(&q, 0, sizeof(q));
    q.awid = out.m_axi_awid;
    q.awaddr = out.m_axi_awaddr;
    q.awlen = (unsigned)out.m_axi_awlen;
    q.awsize = (unsigned)out.m_axi_awsize;
    q.awburst = (unsigned)out.m_axi_awburst;
    q.awvalid = out.m_axi_awvalid != 0;
    memcpy(q.wdata, out.m_axi_wdata, db);
    q.wstrb = out.m_axi_wstrb;
    q.wlast = out.m_axi_wlast != 0;
    q.wvalid = out.m_axi_wvalid != 0;
    q.bready = out.m_axi_bready != 0;
    q.arid = out.m_axi_arid;
    q.araddr = out.m_axi_araddr;
    q.arlen = (unsigned)out.m_axi_arlen;
    q.arsize = (unsigned)out.m_axi_arsize;
    q.arburst = (unsigned)out.m_axi_arburst;
    q.arvalid = out.m_axi_arvalid != 0;
    q.rready = out.m_axi_rready != 0;

    axil_m_in_t ai;
    ai.awready = out.s_axil_awready != 0;
    ai.wready = out.s_axil_wready != 0;
    ai.bresp = (unsigned)out.s_axil_bresp;
    ai.bvalid = out.s_axil_bvalid != 0;
    ai.arready = out.s_axil_arready != 0;
    ai.rdata = (uint32_t)out.s_axil_rdata;
    ai.rresp = (unsigned)out.s_axil_rresp;
    ai.rvalid = out.s_axil_rvalid != 0;

    axi_check_cycle(tb->chk, tb->cycle, rst_n, &q, &mr);
    axil_check_cycle(tb->lchk, tb->cycle, rst_n, &ao, &ai);
    if (rst_n) {
        if (tb->pcie) {
            /* The checkers watch the DUT's side of the link; the memory sees the link's side. */
            axi_mem_req_t qm;
            pcie_link_update(tb->pcie, &q, &qm);
            axi_mem_update(tb->mem, tb->cycle, &qm);
        } else {
            axi_mem_update(tb->mem, tb->cycle, &q);
        }
        axil_master_update(tb->axil, tb->cycle, &ai);
    }

    fm_clock(tb->fm);
    tb->irq = fm_get_irq(tb->fm);
    tb->cycle++;
}

tb_t *tb_new(const tb_config_t *cfg)
{
    tb_t *tb = calloc(1, sizeof(*tb));
    if (!tb) {
        fprintf(stderr, "tb_new: out of memory\n");
        return NULL;
    }
    tb->cfg = *cfg;
    if (cfg->fst_path) {
        tb->fst_path = malloc(strlen(cfg->fst_path) + 1);
        if (!tb->fst_path) {
            fprintf(stderr, "tb_new: out of memory\n");
            free(tb);
            return NULL;
        }
        strcpy(tb->fst_path, cfg->fst_path);
        tb->cfg.fst_path = tb->fst_path;
    }
    axi_rng_seed(&tb->rng, cfg->seed);

    /* Every register without a reset starts from a random value drawn from
     * the test bench seed (the model is verilated with --x-initial unique),
     * so a missing reset shows up as a seed-dependent failure. */
    axi_rng_t vr;
    axi_rng_seed(&vr, cfg->seed ^ 0xBB67AE8584CAA73Bull);
    char args[96];
    snprintf(args, sizeof(args), "+verilator+rand+reset+2 +verilator+seed+%u",
             (unsigned)(axi_rng_next(&vr) & 0x7fffffffu) | 1u);
    tb->fm = fm_new(tb->cfg.fst_path, args);
    if (!tb->fm) {
        tb_free(tb);
        return NULL;
    }
    tb->mem = axi_mem_new(fm_data_bytes(), &tb->rng);
    tb->axil = axil_master_new(&tb->rng);
    /* The movers' bursts are bound by MAX_BURST_LEN. The control port (ID
     * NUM_CHANNELS) fetches runs of up to 4 descriptors (128 bytes) and
     * writes 16-byte completion records whatever MAX_BURST_LEN is
     * (ferry_desc_fetch.v, ferry_cpl_write.v; registers.md: MAX_BURST is
     * "the longest burst the mover issues"), so it gets max(MAX_BURST_LEN,
     * 128 bytes in beats). */
    unsigned ctl_beats = 128u / fm_data_bytes();
    /* The control port's bursts take no data slot in ferry_axi_mux; it keeps
     * at most FETCH_DEPTH (8) descriptor runs (ferry_desc_fetch.v) and 32
     * records (ferry_cpl_write.v's response queue) in flight. */
    axi_check_cfg_t cc = {fm_data_bytes(), FERRY_MAX_BURST_LEN, FERRY_MAX_OUTSTANDING, fm_num_channels(),
                          ctl_beats > FERRY_MAX_BURST_LEN ? ctl_beats : FERRY_MAX_BURST_LEN, 8, 32};
    tb->chk = axi_check_new(&cc);
    tb->lchk = axil_check_new(0);
    if (!tb->mem || !tb->axil || !tb->chk || !tb->lchk) {
        tb_free(tb);
        return NULL;
    }
    tb->fcov = fcov_new(fm_num_channels(), fm_data_bytes());
    if ((FERRY_H2C_MASK | FERRY_C2H_MASK) != 0 && fm_has_axis()) {
        axi_rng_seed(&tb->axis_rng, cfg->seed ^ 0x510E527FADE682D1ull);
        tb->axis = axis_new(fm_num_channels(), fm_data_bytes(), FERRY_H2C_MASK, FERRY_C2H_MASK, &tb->axis_rng);
        if (!tb->axis) {
            tb_free(tb);
            return NULL;
        }
    }
    apply_config(tb);
    tb_reset(tb, TB_RESET_CYCLES);
    return tb;
}

void tb_free(tb_t *tb)
{
    if (!tb) {
        return;
    }
    fcov_free(tb->fcov);
    axis_free(tb->axis);
    fm_free(tb->fm);
    pcie_link_free(tb->pcie);
    axi_mem_free(tb->mem);
    axil_master_free(tb->axil);
    axi_check_free(tb->chk);
    axil_check_free(tb->lchk);
    free(tb->fst_path);
    free(tb);
}

unsigned tb_data_bytes(const tb_t *tb)
{
    (void)tb;
    return fm_data_bytes();
}

struct fm *tb_model(tb_t *tb) { return tb->fm; }

unsigned tb_num_channels(const tb_t *tb)
{
    (void)tb;
    return fm_num_channels();
}

uint64_t tb_seed(const tb_t *tb) { return tb->cfg.seed; }
uint64_t tb_cycle(const tb_t *tb) { return tb->cycle; }

void tb_step(tb_t *tb, unsigned cycles)
{
    for (unsigned i = 0; i < cycles; i++) {
        cycle_once(tb, 1);
    }
}

void tb_reset(tb_t *tb, unsigned cycles)
{
    axi_mem_reset(tb->mem);
    if (tb->pcie) {
        pcie_link_reset(tb->pcie);
    }
    axil_master_reset(tb->axil);
    if (tb->axis) {
        axis_reset(tb->axis);
    }
    for (unsigned i = 0; i < cycles; i++) {
        cycle_once(tb, 0);
    }
}

/* Steps until the AXI-Lite master is idle; *budget is decremented. 0 when idle. */
static int axil_drain(tb_t *tb, unsigned *budget)
{
    while (axil_master_busy(tb->axil)) {
        if (axil_master_done(tb->axil, NULL, NULL)) {
            break; /* a response that came after its access timed out */
        }
        if (*budget == 0) {
            return -1;
        }
        cycle_once(tb, 1);
        (*budget)--;
    }
    return 0;
}

static int axil_wait(tb_t *tb, unsigned *budget, uint32_t *val)
{
    unsigned resp;
    uint32_t data;
    while (!axil_master_done(tb->axil, &resp, &data)) {
        if (*budget == 0) {
            return TB_TIMEOUT;
        }
        cycle_once(tb, 1);
        (*budget)--;
    }
    if (val) {
        *val = data;
    }
    return (int)resp;
}

int tb_bar_write(tb_t *tb, uint32_t off, uint32_t val, unsigned strb)
{
    unsigned budget = TB_BAR_BUDGET;
    if (axil_drain(tb, &budget) != 0) {
        return TB_TIMEOUT;
    }
    axil_master_start_write(tb->axil, off, val, strb);
    return axil_wait(tb, &budget, NULL);
}

int tb_bar_read(tb_t *tb, uint32_t off, uint32_t *val)
{
    unsigned budget = TB_BAR_BUDGET;
    if (axil_drain(tb, &budget) != 0) {
        return TB_TIMEOUT;
    }
    axil_master_start_read(tb->axil, off);
    return axil_wait(tb, &budget, val);
}

uint32_t tb_irq(const tb_t *tb) { return tb->irq; }

int tb_wait_irq(tb_t *tb, uint32_t mask, uint64_t max_cycles)
{
    for (uint64_t i = 0;; i++) {
        if (tb->irq & mask) {
            return 1;
        }
        if (i >= max_cycles) {
            return 0;
        }
        cycle_once(tb, 1);
    }
}

void tb_mem_write(tb_t *tb, uint64_t addr, const void *src, size_t len)
{
    axi_mem_write(tb->mem, addr, src, len);
}

void tb_mem_read(tb_t *tb, uint64_t addr, void *dst, size_t len)
{
    axi_mem_read(tb->mem, addr, dst, len);
}

int tb_mem_map(tb_t *tb, uint64_t bus, void *host, size_t len)
{
    return axi_mem_map(tb->mem, bus, host, len);
}

void tb_mem_unmap(tb_t *tb, uint64_t bus, size_t len) { axi_mem_unmap(tb->mem, bus, len); }

int tb_mem_inject_error(tb_t *tb, uint64_t lo, uint64_t hi, int is_write, int resp)
{
    if (resp < 0) {
        return -1;
    }
    return axi_mem_inject_error(tb->mem, lo, hi, is_write, (unsigned)resp);
}

int tb_mem_inject_random(tb_t *tb, int is_write, unsigned permille, int resp)
{
    if (resp < 0) {
        return -1;
    }
    return axi_mem_inject_random(tb->mem, is_write, permille, (unsigned)resp);
}

int tb_mem_hold_responses(tb_t *tb, uint64_t lo, uint64_t hi, int is_write, uint64_t cycles)
{
    _Static_assert(TB_HOLD_FOREVER == AXI_MEM_HOLD_FOREVER, "hold forever differs");
    return axi_mem_hold_responses(tb->mem, lo, hi, is_write, cycles);
}

void tb_mem_release_responses(tb_t *tb) { axi_mem_release_responses(tb->mem); }

void tb_set_config(tb_t *tb, const tb_config_t *cfg)
{
    uint64_t seed = tb->cfg.seed;
    const char *fst = tb->cfg.fst_path;
    tb->cfg = *cfg;
    tb->cfg.seed = seed;
    tb->cfg.fst_path = fst;
    apply_config(tb);
}

void tb_stats(const tb_t *tb, tb_stats_t *out)
{
    axi_mem_stats_t s;
    axi_mem_stats(tb->mem, &s);
    out->ar_count = s.ar_count;
    out->aw_count = s.aw_count;
    out->r_beats = s.r_beats;
    out->w_beats = s.w_beats;
    out->b_count = s.b_count;
    out->r_bytes = s.r_bytes;
    out->w_bytes = s.w_bytes;
    out->first_ar_cycle = s.first_ar_cycle;
    out->first_aw_cycle = s.first_aw_cycle;
    out->last_b_cycle = s.last_b_cycle;
    out->last_w_cycle = s.last_w_cycle;
    out->max_rd_outstanding = s.max_rd_outstanding;
    out->ar_fixed = s.ar_fixed;
    out->aw_fixed = s.aw_fixed;
    _Static_assert(TB_STATS_IDS == AXI_MEM_STAT_IDS, "per-ID statistics sizes differ");
    memcpy(out->ar_count_id, s.ar_count_id, sizeof(out->ar_count_id));
    memcpy(out->aw_count_id, s.aw_count_id, sizeof(out->aw_count_id));
    memcpy(out->r_beats_id, s.r_beats_id, sizeof(out->r_beats_id));
    out->r_reordered = s.r_reordered;
    out->r_interleaved = s.r_interleaved;
    out->b_reordered = s.b_reordered;
    out->rd_err_injected = s.rd_err_injected;
    out->wr_err_injected = s.wr_err_injected;
    out->rd_held = s.rd_held;
    out->wr_held = s.wr_held;
}

void tb_stats_clear(tb_t *tb) { axi_mem_stats_clear(tb->mem); }

axi_mem_t *tb_axi_mem(tb_t *tb) { return tb->mem; }

const char *tb_error(const tb_t *tb)
{
    uint64_t cm = 0, ca = 0;
    const char *em = axi_check_error(tb->chk, &cm);
    const char *ea = axil_check_error(tb->lchk, &ca);
    if (tb->axis) {
        uint64_t cs = 0;
        const char *es = axis_error(tb->axis, &cs);
        if (es && (!em || cs < cm) && (!ea || cs < ca)) {
            return es;
        }
    }
    if (em && ea) {
        return ca < cm ? ea : em;
    }
    return em ? em : ea;
}

unsigned tb_error_count(const tb_t *tb)
{
    return axi_check_error_count(tb->chk) + axil_check_error_count(tb->lchk) +
           (tb->axis ? axis_error_count(tb->axis) : 0u);
}

int tb_set_pcie(tb_t *tb, const struct pcie_link_cfg *cfg)
{
    pcie_link_t *l = NULL;
    if (cfg) {
        l = pcie_link_new(cfg);
        if (!l) {
            return -1;
        }
    }
    pcie_link_free(tb->pcie);
    tb->pcie = l;
    return 0;
}

struct pcie_link *tb_pcie(tb_t *tb) { return tb->pcie; }

struct axis_model *tb_axis(tb_t *tb) { return tb->axis; }
