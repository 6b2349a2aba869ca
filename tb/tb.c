/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tb.c: the test bench around the Verilated ferry_top. See tb.h.
 *
 * One cycle (tb_cycle_once):
 *   1. the memory model (m_axi) and the AXI-Lite master (s_axil) decide their
 *      outputs from their own state and the shared PRNG;
 *   2. fm_set_inputs, fm_eval (clk low), fm_get_outputs;
 *   3. each model sees the DUT outputs of the same cycle, does the
 *      handshakes (valid && ready) and checks the protocol;
 *   4. fm_clock (rising and falling edge); irq is sampled after it.
 * During reset the models drive all zero and see nothing.
 */
#include "tb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axi_mem.h"
#include "axil_master.h"
#include "ferry_model.h"

#define TB_BAR_BUDGET 10000u
#define TB_RESET_CYCLES 8u

struct tb {
    tb_config_t cfg;
    char *fst_path;
    axi_rng_t rng;
    fm_t *fm;
    axi_mem_t *mem;
    axil_master_t *axil;
    uint64_t cycle;
    uint32_t irq;
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
    axi_mem_set_config(tb->mem, &mc);
    axil_master_set_stall(tb->axil, tb->cfg.stall_axil);
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
    fm_eval(tb->fm);
    fm_get_outputs(tb->fm, &out);

    if (rst_n) {
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
        axi_mem_update(tb->mem, tb->cycle, &q);

        axil_m_in_t ai;
        ai.awready = out.s_axil_awready != 0;
        ai.wready = out.s_axil_wready != 0;
        ai.bresp = (unsigned)out.s_axil_bresp;
        ai.bvalid = out.s_axil_bvalid != 0;
        ai.arready = out.s_axil_arready != 0;
        ai.rdata = (uint32_t)out.s_axil_rdata;
        ai.rresp = (unsigned)out.s_axil_rresp;
        ai.rvalid = out.s_axil_rvalid != 0;
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
    if (!tb->mem || !tb->axil) {
        tb_free(tb);
        return NULL;
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
    fm_free(tb->fm);
    axi_mem_free(tb->mem);
    axil_master_free(tb->axil);
    free(tb->fst_path);
    free(tb);
}

unsigned tb_data_bytes(const tb_t *tb)
{
    (void)tb;
    return fm_data_bytes();
}

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
    axil_master_reset(tb->axil);
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
}

void tb_stats_clear(tb_t *tb) { axi_mem_stats_clear(tb->mem); }

axi_mem_t *tb_axi_mem(tb_t *tb) { return tb->mem; }

const char *tb_error(const tb_t *tb)
{
    uint64_t cm = 0, ca = 0;
    const char *em = axi_mem_error(tb->mem, &cm);
    const char *ea = axil_master_error(tb->axil, &ca);
    if (em && ea) {
        return ca < cm ? ea : em;
    }
    return em ? em : ea;
}

unsigned tb_error_count(const tb_t *tb)
{
    return axi_mem_error_count(tb->mem) + axil_master_error_count(tb->axil);
}
