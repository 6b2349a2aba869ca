/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_bench: the sweeps behind `make bench` (docs/performance.md).
 *
 * Knobs (environment):
 *   BENCH=full|quick|smoke  how many points (default full; smoke: the few
 *                           points `make test` runs so the bench cannot rot)
 *   BENCH_PART=main|width|pcie|dq|all
 *                           main: size, alignment, latency, outstanding,
 *                           channels, ring, per-descriptor overhead, shares,
 *                           then the summary against the targets;
 *                           width: the points compared across DATA_WIDTH
 *                           builds; pcie: the PCIe link table; dq: the ring
 *                           points compared across descriptor queue depths
 *                           (sweep "dq<DQ_DEPTH>"; not in all). Default all.
 *   BENCH_SWEEP=a,b         part main: only these sweeps (size, align,
 *                           outstanding, channels, ring, overhead, shares)
 *   BENCH_CSV=path          raw results, one row per point (default
 *                           sim/out/bench.csv); the header is written when
 *                           the file is new or empty, rows are appended
 *   PCIE_CLK_MHZ=250        DUT clock for the PCIe figures
 *   PCIE_LAT=200            memory latency (cycles) behind the PCIe link
 *   SEED=1
 *
 * Definitions (every point runs with fixed latency, no backpressure, and
 * checks its data; the bench fails only on wrong data or a hang, never on a
 * figure):
 *   doorbell   the cycle the CPU sees the response of the doorbell write
 *              (CTRL in direct mode, RING_PROD in ring mode) on s_axil;
 *   util       payload / ((last B - doorbell) x bus bytes), end to end;
 *   rd, wr     utilization per direction while that direction runs:
 *              payload / ((last R beat - first R beat + 1) x bus bytes),
 *              payload / ((last W beat - first AW + 1) x bus bytes) (first
 *              R beat = first AR + max(1, latency) with this memory model;
 *              last R beat from the bus trace's last RLAST);
 *   stream     min(rd, wr): the rate the copy streams at once the one-time
 *              latencies (read latency, the engine's pipeline, the last
 *              write response) are taken out;
 *   bound      payload / (beats on the busier data channel x bus bytes):
 *              the beats the point needs at least (data, and in ring mode
 *              32 B descriptor reads and 16 B completion writes); with the
 *              PCIe link on, the link's cycles for the TLP bytes it carried
 *              (payload + headers + framing) when that is more;
 *   ratio      util / bound (stream / bound for the stream figure);
 *   desc ceiling  payload / (payload + 32 + 16) per descriptor (the issue's);
 *   B->cpl     ring: last data write response to the AW of the last
 *              completion record (the record's own B follows after the
 *              write latency; the interrupt waits for it);
 *   overhead   ring, zero latency: (last data W beat of descriptor N - first
 *              data AR of descriptor 1 - N x beats per descriptor on the
 *              busier data channel, descriptor and completion beats
 *              included) / N.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axi_mem.h"
#include "ferry/ferry.h"
#include "ferry/ferry_desc.h"
#include "ferry_port_sim.h"
#include "pcie_link.h"
#include "tb.h"

enum level { FULL, QUICK, SMOKE };

static struct {
    enum level level;
    uint64_t seed;
    FILE *csv;
    const char *csv_path;
    const char *only; /* BENCH_SWEEP: comma list of sweep names, NULL = all */
    double clk_mhz;
    unsigned pcie_lat;
    uint64_t sim_cycles;
    double sim_wall, sim_cpu;
    int fails;
} B;

/* One row of sim/out/bench.csv. Negative numbers: not applicable. */
struct row {
    const char *sweep;
    const char *mode; /* direct | ring */
    unsigned dw, channels;
    uint64_t bytes;   /* payload, all channels */
    uint64_t desc_bytes, ndesc;
    unsigned src_off, dst_off, latency, max_out, mem_max_rd;
    char pcie[32];
    unsigned mps, mrrs;
    uint64_t cycles;
    double util, stream, rd_util, wr_util, bound, ratio, stream_ratio;
    double desc_ceiling, desc_per_kcycle;
    double doorbell_to_first, lastb_to_cpl, lastb_to_irq, overhead;
    double gbps, link_ceiling_gbps, link_pct;
    double cps;
};

static const char CSV_HEADER[] =
    "sweep,mode,data_width,channels,bytes,desc_bytes,ndesc,src_off,dst_off,latency,max_out,mem_max_rd,pcie,mps,"
    "mrrs,cycles,util_pct,stream_pct,rd_util_pct,wr_util_pct,bound_pct,ratio_pct,stream_ratio_pct,"
    "desc_ceiling_pct,desc_per_kcycle,doorbell_to_first,lastb_to_cpl,lastb_to_irq,overhead_per_desc,gbps,"
    "link_ceiling_gbps,link_pct,sim_cycles_per_s,seed";

static void row_init(struct row *r, const char *sweep, const char *mode)
{
    memset(r, 0, sizeof(*r));
    r->sweep = sweep;
    r->mode = mode;
    strcpy(r->pcie, "-");
    r->desc_ceiling = r->desc_per_kcycle = -1;
    r->doorbell_to_first = r->lastb_to_cpl = r->lastb_to_irq = r->overhead = -1;
    r->gbps = r->link_ceiling_gbps = r->link_pct = -1;
    r->stream = r->stream_ratio = r->rd_util = r->wr_util = -1;
}

/* Per-direction utilization from the first AR / AW to the last R / W beat
 * (see the top of the file); the trace must hold every RLAST. */
static void direction_util(struct row *r, const tb_stats_t *bs, const axi_mem_event_t *ev, size_t ne,
                           uint64_t dropped, unsigned bytes)
{
    uint64_t last_r = 0;
    for (size_t i = 0; i < ne; i++) {
        if (ev[i].kind == AXI_EV_RLAST) {
            last_r = ev[i].cycle;
        }
    }
    uint64_t first_r = bs->first_ar_cycle + (r->latency > 1U ? r->latency : 1U);
    if (dropped == 0 && last_r >= first_r) {
        r->rd_util = 100.0 * (double)r->bytes / ((double)(last_r - first_r + 1U) * bytes);
    }
    if (bs->first_aw_cycle != UINT64_MAX && bs->last_w_cycle >= bs->first_aw_cycle) {
        r->wr_util = 100.0 * (double)r->bytes / ((double)(bs->last_w_cycle - bs->first_aw_cycle + 1U) * bytes);
    }
    if (r->rd_util >= 0 && r->wr_util >= 0) {
        r->stream = r->rd_util < r->wr_util ? r->rd_util : r->wr_util;
    }
}

static void row_csv(const struct row *r)
{
    if (B.csv == NULL) {
        return;
    }
    fprintf(B.csv,
            "%s,%s,%u,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u,%u,%u,%u,%u,%s,%u,%u,%" PRIu64
            ",%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%.0f,%.0f,%.0f,%.3f,%.4f,%.4f,%.3f,%.0f,%" PRIu64 "\n",
            r->sweep, r->mode, r->dw, r->channels, r->bytes, r->desc_bytes, r->ndesc, r->src_off, r->dst_off,
            r->latency, r->max_out, r->mem_max_rd, r->pcie, r->mps, r->mrrs, r->cycles, r->util, r->stream,
            r->rd_util, r->wr_util, r->bound, r->ratio, r->stream_ratio, r->desc_ceiling, r->desc_per_kcycle,
            r->doorbell_to_first, r->lastb_to_cpl, r->lastb_to_irq, r->overhead, r->gbps, r->link_ceiling_gbps,
            r->link_pct, r->cps, B.seed);
    fflush(B.csv);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this process: the simulation speed on a shared machine. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *s = getenv(name);
    if (s == NULL || *s == '\0') {
        return dflt;
    }
    return strtoull(s, NULL, 0);
}

static uint64_t span_beats(uint64_t addr, uint64_t len, unsigned bytes)
{
    if (len == 0) {
        return 0;
    }
    return (addr + len + bytes - 1U) / bytes - addr / bytes;
}

static const char *size_str(uint64_t n, char *buf, size_t cap)
{
    if (n >= 1048576U && n % 1048576U == 0) {
        snprintf(buf, cap, "%" PRIu64 " MiB", n / 1048576U);
    } else if (n >= 1024U && n % 1024U == 0) {
        snprintf(buf, cap, "%" PRIu64 " KiB", n / 1024U);
    } else {
        snprintf(buf, cap, "%" PRIu64 " B", n);
    }
    return buf;
}

/* Fills the link figures of r from the link's statistics; returns the link's cycles for its bytes. */
static double pcie_figures(tb_t *tb, struct row *r, uint64_t payload)
{
    pcie_link_t *l = tb_pcie(tb);
    if (l == NULL) {
        return 0.0;
    }
    const pcie_link_cfg_t *c = pcie_link_cfg(l);
    pcie_link_stats_t ps;
    pcie_link_stats(l, &ps);
    uint64_t busier = ps.tx_bytes > ps.rx_bytes ? ps.tx_bytes : ps.rx_bytes;
    double link_cycles = (double)busier / pcie_link_bytes_per_clk(c);
    double secs = (double)r->cycles / (c->clk_mhz * 1e6);
    r->gbps = (double)payload / secs / 1e9;
    r->link_ceiling_gbps = (double)payload / ((double)busier / pcie_link_bytes_per_s(c)) / 1e9;
    r->link_pct = 100.0 * r->gbps / r->link_ceiling_gbps;
    return link_cycles;
}

static void set_bound(struct row *r, double need_cycles, unsigned bytes)
{
    r->bound = 100.0 * (double)r->bytes / (need_cycles * bytes);
    if (r->bound > 100.0) {
        r->bound = 100.0;
    }
    r->ratio = 100.0 * r->util / r->bound;
    if (r->stream >= 0) {
        r->stream_ratio = 100.0 * r->stream / r->bound;
    }
}

/* ---------------------------------------------------------------- direct mode */

struct dpoint {
    const char *sweep;
    uint64_t len;   /* per channel */
    unsigned src_off, dst_off, latency;
    unsigned max_out;    /* 0: the reset value */
    unsigned mem_max_rd; /* memory model's read limit, 0: none */
    unsigned channels;   /* each copies len bytes at once */
    const pcie_link_cfg_t *pcie;
};

static tb_t *bench_tb(unsigned latency, unsigned mem_max_rd, const pcie_link_cfg_t *pcie)
{
    tb_config_t cfg;
    tb_config_default(&cfg);
    cfg.seed = B.seed;
    cfg.rd_lat_min = cfg.rd_lat_max = latency;
    cfg.wr_lat_min = cfg.wr_lat_max = latency;
    cfg.max_outstanding_rd = mem_max_rd;
    tb_t *tb = tb_new(&cfg);
    if (tb != NULL && pcie != NULL && tb_set_pcie(tb, pcie) != 0) {
        tb_free(tb);
        return NULL;
    }
    return tb;
}

static void stats_clear(tb_t *tb)
{
    tb_stats_clear(tb);
    if (tb_pcie(tb) != NULL) {
        pcie_link_stats_clear(tb_pcie(tb));
    }
}

static int run_direct(const struct dpoint *pt, struct row *r)
{
    const unsigned nch = pt->channels != 0 ? pt->channels : 1U;
    tb_t *tb = bench_tb(pt->latency, pt->mem_max_rd, pt->pcie);
    if (tb == NULL) {
        return 1;
    }
    row_init(r, pt->sweep, "direct");
    struct ferry_sim *sim = ferry_sim_new(tb);
    struct ferry_dev dev;
    struct ferry_dma_mem src[16], dst[16];
    int rc = 1;
    const unsigned bytes = tb_data_bytes(tb);
    if (nch > tb_num_channels(tb) || nch > 16) {
        fprintf(stderr, "bench: %u channels asked, the build has %u\n", nch, tb_num_channels(tb));
        goto out;
    }
    if (sim == NULL || ferry_probe(&dev, ferry_sim_platform(sim)) != FERRY_OK) {
        fprintf(stderr, "bench: probe failed\n");
        goto out;
    }
    size_t room = (size_t)pt->len + 4096U;
    for (unsigned c = 0; c < nch; c++) {
        if (ferry_sim_alloc(sim, room, 4096, &src[c]) != FERRY_OK ||
            ferry_sim_alloc(sim, room, 4096, &dst[c]) != FERRY_OK) {
            fprintf(stderr, "bench: out of memory\n");
            goto out;
        }
        uint8_t *s = (uint8_t *)src[c].cpu + pt->src_off;
        for (uint64_t i = 0; i < pt->len; i++) {
            s[i] = (uint8_t)(i * 7U + 3U + c);
        }
        if (ferry_irq_enable(&dev, c, true) != FERRY_OK ||
            (pt->max_out != 0 && ferry_set_max_out(&dev, c, pt->max_out) != FERRY_OK)) {
            fprintf(stderr, "bench: channel %u setup failed\n", c);
            goto out;
        }
    }
    axi_mem_t *mem = tb_axi_mem(tb);
    axi_mem_trace_start(mem, (size_t)(pt->len * nch / bytes / 2U) + 8192U);
    stats_clear(tb);
    double t0 = now_s(), u0 = cpu_s();
    uint64_t c0 = tb_cycle(tb);
    uint64_t doorbell = 0;
    for (unsigned c = 0; c < nch; c++) {
        ferry_status st = ferry_copy_start(&dev, c, src[c].bus + pt->src_off, dst[c].bus + pt->dst_off, pt->len);
        if (st != FERRY_OK) {
            fprintf(stderr, "bench: copy_start: %s\n", ferry_status_str(st));
            goto out;
        }
        if (c == 0) {
            doorbell = tb_cycle(tb);
        }
    }
    uint32_t mask = (uint32_t)((1ULL << nch) - 1U);
    uint64_t budget = 200U * pt->len * nch / bytes + 4000U * (uint64_t)(pt->latency + 10U) + 100000U;
    if (pt->pcie != NULL) {
        budget += (uint64_t)(4.0 * (double)pt->len * nch / pcie_link_bytes_per_clk(pt->pcie));
    }
    uint64_t irq_cycle = 0;
    while ((tb_irq(tb) & mask) != mask) {
        if (!tb_wait_irq(tb, mask & ~tb_irq(tb), budget)) {
            fprintf(stderr, "bench: %s %" PRIu64 " B: no interrupt\n", pt->sweep, pt->len);
            goto out;
        }
    }
    irq_cycle = tb_cycle(tb);
    double t1 = now_s(), u1 = cpu_s();
    B.sim_cycles += irq_cycle - c0;
    B.sim_wall += t1 - t0;
    B.sim_cpu += u1 - u0;
    for (unsigned c = 0; c < nch; c++) {
        struct ferry_result res;
        ferry_status st = ferry_copy_wait(&dev, c, 1000, &res);
        if (st != FERRY_OK) {
            fprintf(stderr, "bench: %s: %s (%s)\n", pt->sweep, ferry_status_str(st), ferry_err_str(res.err_code));
            goto out;
        }
        if (memcmp((uint8_t *)dst[c].cpu + pt->dst_off, (uint8_t *)src[c].cpu + pt->src_off, (size_t)pt->len) != 0) {
            fprintf(stderr, "bench: %s %" PRIu64 " B: destination differs from source\n", pt->sweep, pt->len);
            goto out;
        }
    }
    if (tb_error(tb) != NULL) {
        fprintf(stderr, "bench: bus protocol error: %s\n", tb_error(tb));
        goto out;
    }
    tb_stats_t bs;
    tb_stats(tb, &bs);
    r->dw = bytes * 8U;
    r->channels = nch;
    r->bytes = pt->len * nch;
    r->src_off = pt->src_off;
    r->dst_off = pt->dst_off;
    r->latency = pt->latency;
    r->max_out = pt->max_out;
    r->mem_max_rd = pt->mem_max_rd;
    r->cycles = bs.last_b_cycle - doorbell;
    r->util = 100.0 * (double)r->bytes / ((double)r->cycles * bytes);
    {
        size_t ne = 0;
        uint64_t dropped = 0;
        const axi_mem_event_t *ev = axi_mem_trace(mem, &ne, &dropped);
        direction_util(r, &bs, ev, ne, dropped, bytes);
    }
    r->doorbell_to_first = (double)bs.first_ar_cycle - (double)doorbell;
    r->lastb_to_irq = (double)irq_cycle - (double)bs.last_b_cycle;
    uint64_t rb = span_beats(src[0].bus + pt->src_off, pt->len, bytes) * nch;
    uint64_t wb = span_beats(dst[0].bus + pt->dst_off, pt->len, bytes) * nch;
    double need = (double)(rb > wb ? rb : wb);
    if (pt->pcie != NULL) {
        const pcie_link_cfg_t *pc = pcie_link_cfg(tb_pcie(tb));
        snprintf(r->pcie, sizeof(r->pcie), "gen%ux%u", pc->gen, pc->lanes);
        r->mps = pc->mps;
        r->mrrs = pc->mrrs;
        double lc = pcie_figures(tb, r, r->bytes);
        need = lc > need ? lc : need;
    }
    set_bound(r, need, bytes);
    r->cps = (double)(irq_cycle - c0) / (u1 - u0 > 1e-9 ? u1 - u0 : 1e-9);
    rc = 0;
out:
    if (sim != NULL) {
        ferry_sim_free(sim);
    }
    tb_free(tb);
    return rc;
}

/* ---------------------------------------------------------------- ring mode */

static void wr(tb_t *tb, uint32_t off, uint32_t v)
{
    if (tb_bar_write(tb, off, v, 0xF) != TB_RESP_OKAY) {
        fprintf(stderr, "bench: BAR write 0x%04x failed\n", (unsigned)off);
    }
}

static uint32_t rd(tb_t *tb, uint32_t off)
{
    uint32_t v = 0;
    (void)tb_bar_read(tb, off, &v);
    return v;
}

#define RING_BASE 0x40000000ULL
#define CPL_BASE 0x48000000ULL
#define SRC_BASE 0x100000000ULL
#define DST_BASE 0x200000000ULL
#define CH_SPAN 0x10000000ULL

static uint8_t pattern(uint64_t i, unsigned ch) { return (uint8_t)(i * 13U + ch + (i >> 12)); }

/* n descriptors of len bytes for channel ch (the last one asks for an
 * interrupt), the ring enabled with its completion interrupt. */
static void ring_setup(tb_t *tb, unsigned ch, unsigned n, uint32_t len)
{
    unsigned log2 = 1;
    while ((1U << log2) <= n) {
        log2++;
    }
    uint64_t rb = RING_BASE + (uint64_t)ch * 0x800000U;
    uint64_t cb = CPL_BASE + (uint64_t)ch * 0x800000U;
    uint8_t d[FERRY_DESC_SIZE];
    for (unsigned i = 0; i < n; i++) {
        struct ferry_desc desc = {0};
        desc.src = SRC_BASE + (uint64_t)ch * CH_SPAN + (uint64_t)i * len;
        desc.dst = DST_BASE + (uint64_t)ch * CH_SPAN + (uint64_t)i * len;
        desc.len = len;
        desc.tag = (uint16_t)i;
        desc.flags = i + 1U == n ? FERRY_DESC_IRQ : 0U;
        ferry_desc_encode(d, &desc);
        tb_mem_write(tb, rb + (uint64_t)i * FERRY_DESC_SIZE, d, sizeof(d));
    }
    static uint8_t chunk[65536];
    for (uint64_t off = 0; off < (uint64_t)n * len; off += sizeof(chunk)) {
        uint64_t left = (uint64_t)n * len - off;
        size_t k = left < sizeof(chunk) ? (size_t)left : sizeof(chunk);
        for (size_t i = 0; i < k; i++) {
            chunk[i] = pattern(off + i, ch);
        }
        tb_mem_write(tb, SRC_BASE + (uint64_t)ch * CH_SPAN + off, chunk, k);
    }
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_RING_BASE_LO), (uint32_t)rb);
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_RING_BASE_HI), (uint32_t)(rb >> 32));
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_CPL_BASE_LO), (uint32_t)cb);
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_CPL_BASE_HI), (uint32_t)(cb >> 32));
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), FERRY_FIELD_PREP(FERRY_IRQ_ENABLE_CPL, 1U));
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_RING_CTRL),
       FERRY_FIELD_PREP(FERRY_RING_CTRL_ENABLE, 1U) | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, log2));
}

static int ring_check(tb_t *tb, unsigned ch, unsigned n, uint32_t len)
{
    static uint8_t got[65536];
    uint64_t total = (uint64_t)n * len;
    for (uint64_t off = 0; off < total; off += sizeof(got)) {
        uint64_t left = total - off;
        size_t k = left < sizeof(got) ? (size_t)left : sizeof(got);
        tb_mem_read(tb, DST_BASE + (uint64_t)ch * CH_SPAN + off, got, k);
        for (size_t i = 0; i < k; i++) {
            if (got[i] != pattern(off + i, ch)) {
                fprintf(stderr, "bench: ring %u x %u B: destination byte %" PRIu64 " differs\n", n, (unsigned)len,
                        off + i);
                return 1;
            }
        }
    }
    return 0;
}

static int in_region(uint64_t a, uint64_t base) { return a >= base && a < base + 16U * CH_SPAN; }

static int run_ring(const char *sweep, uint32_t len, unsigned n, unsigned latency, const pcie_link_cfg_t *pcie,
                    struct row *r)
{
    tb_t *tb = bench_tb(latency, 0, pcie);
    if (tb == NULL) {
        return 1;
    }
    row_init(r, sweep, "ring");
    const unsigned bytes = tb_data_bytes(tb);
    ring_setup(tb, 0, n, len);
    axi_mem_t *mem = tb_axi_mem(tb);
    axi_mem_trace_start(mem, 16U * (uint64_t)n * (len / (64U * bytes) + 2U) + 4096U);
    stats_clear(tb);
    double t0 = now_s(), u0 = cpu_s();
    uint64_t c0 = tb_cycle(tb);
    wr(tb, FERRY_CH_REG(0, FERRY_CH_RING_PROD), n);
    uint64_t doorbell = tb_cycle(tb);
    uint64_t budget = 40U * (uint64_t)n * (len / bytes + 8U + latency) + 200000U;
    if (pcie != NULL) {
        budget += (uint64_t)(8.0 * (double)n * (len + 64U) / pcie_link_bytes_per_clk(pcie));
    }
    int rc = 0;
    if (!tb_wait_irq(tb, 1U, budget)) {
        fprintf(stderr, "bench: ring %u x %u B lat %u: no interrupt\n", n, (unsigned)len, latency);
        rc = 1;
    }
    uint64_t irq_cycle = tb_cycle(tb);
    double t1 = now_s(), u1 = cpu_s();
    B.sim_cycles += irq_cycle - c0;
    B.sim_wall += t1 - t0;
    B.sim_cpu += u1 - u0;
    if (rc == 0 && rd(tb, FERRY_CH_REG(0, FERRY_CH_RING_CONS)) != n) {
        fprintf(stderr, "bench: ring %u x %u B: RING_CONS is not %u at the interrupt\n", n, (unsigned)len, n);
        rc = 1;
    }
    if (rc == 0) {
        rc = ring_check(tb, 0, n, len);
    }
    if (rc == 0 && tb_error(tb) != NULL) {
        fprintf(stderr, "bench: bus protocol error: %s\n", tb_error(tb));
        rc = 1;
    }
    size_t ne = 0;
    uint64_t dropped = 0;
    const axi_mem_event_t *ev = axi_mem_trace(mem, &ne, &dropped);
    uint64_t first_data_ar = UINT64_MAX, last_data_b = 0, last_cpl_b = 0, last_cpl_aw = 0;
    for (size_t i = 0; i < ne; i++) {
        if (ev[i].kind == AXI_EV_AR && in_region(ev[i].addr, SRC_BASE) && first_data_ar == UINT64_MAX) {
            first_data_ar = ev[i].cycle;
        } else if (ev[i].kind == AXI_EV_B && in_region(ev[i].addr, DST_BASE)) {
            last_data_b = ev[i].cycle;
        } else if (ev[i].kind == AXI_EV_B && ev[i].addr >= CPL_BASE && ev[i].addr < CPL_BASE + 0x8000000U) {
            last_cpl_b = ev[i].cycle;
        } else if (ev[i].kind == AXI_EV_AW && ev[i].addr >= CPL_BASE && ev[i].addr < CPL_BASE + 0x8000000U) {
            last_cpl_aw = ev[i].cycle;
        }
    }
    if (rc == 0 && (dropped != 0 || first_data_ar == UINT64_MAX || last_data_b == 0 || last_cpl_b == 0)) {
        fprintf(stderr, "bench: ring %u x %u B: bus trace incomplete (%" PRIu64 " dropped)\n", n, (unsigned)len,
                dropped);
        rc = 1;
    }
    tb_stats_t bs;
    tb_stats(tb, &bs);
    r->dw = bytes * 8U;
    r->channels = 1;
    r->bytes = (uint64_t)n * len;
    r->desc_bytes = len;
    r->ndesc = n;
    r->latency = latency;
    r->cycles = bs.last_b_cycle - doorbell;
    r->util = 100.0 * (double)r->bytes / ((double)r->cycles * bytes);
    direction_util(r, &bs, ev, ne, dropped, bytes);
    /* beats the point needs: data, descriptors (32 B each) on R, completions (16 B, one burst each) on W */
    uint64_t data_beats = span_beats(0, len, bytes);
    uint64_t rb = (uint64_t)n * data_beats + span_beats(0, (uint64_t)n * FERRY_DESC_SIZE, bytes);
    uint64_t wb = (uint64_t)n * (data_beats + span_beats(0, FERRY_CPL_SIZE, bytes));
    uint64_t busier = rb > wb ? rb : wb;
    if (latency == 0 && last_data_b > first_data_ar + 1U) {
        /* the last data W beat: its B comes one cycle after it at latency 0 (B ready at once) */
        double t = (double)(last_data_b - 1U) - (double)first_data_ar;
        r->overhead = (t - (double)busier) / (double)n;
    }
    r->desc_ceiling = 100.0 * (double)len / (double)(len + FERRY_DESC_SIZE + FERRY_CPL_SIZE);
    r->desc_per_kcycle = 1000.0 * n / (double)r->cycles;
    r->doorbell_to_first = (double)bs.first_ar_cycle - (double)doorbell;
    r->lastb_to_cpl = (double)last_cpl_aw - (double)last_data_b;
    r->lastb_to_irq = (double)irq_cycle - (double)last_data_b;
    double need = (double)busier;
    if (pcie != NULL) {
        snprintf(r->pcie, sizeof(r->pcie), "gen%ux%u", pcie->gen, pcie->lanes);
        r->mps = pcie->mps;
        r->mrrs = pcie->mrrs;
        double lc = pcie_figures(tb, r, r->bytes);
        need = lc > need ? lc : need;
    }
    set_bound(r, need, bytes);
    r->cps = (double)(irq_cycle - c0) / (u1 - u0 > 1e-9 ? u1 - u0 : 1e-9);
    axi_mem_trace_start(mem, 0);
    tb_free(tb);
    return rc;
}

/* Four channels, weights 1:2:4:8, rings long enough to stay busy; shares of
 * the bytes written in a fixed window. */
static int run_shares(void)
{
    tb_t *tb = bench_tb(0, 0, NULL);
    if (tb == NULL) {
        return 1;
    }
    unsigned nch = tb_num_channels(tb);
    if (nch < 4) {
        printf("  grant shares: needs 4 channels, this build has %u\n", nch);
        tb_free(tb);
        return 0;
    }
    static const unsigned weights[4] = {1, 2, 4, 8};
    for (unsigned c = 0; c < 4; c++) {
        ring_setup(tb, c, 255, 4096);
        wr(tb, FERRY_CH_REG(c, FERRY_CH_WEIGHT), weights[c]);
    }
    for (unsigned c = 0; c < 4; c++) {
        wr(tb, FERRY_CH_REG(c, FERRY_CH_RING_PROD), 255);
    }
    uint64_t b0[4], b[4];
    uint64_t total = 0;
    double t0 = now_s(), u0 = cpu_s();
    uint64_t c0 = tb_cycle(tb);
    tb_step(tb, 10000);
    for (unsigned c = 0; c < 4; c++) {
        b0[c] = rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_LO)) |
                ((uint64_t)rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_HI)) << 32);
    }
    tb_step(tb, 30000);
    for (unsigned c = 0; c < 4; c++) {
        b[c] = rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_LO)) |
               ((uint64_t)rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_HI)) << 32);
        b[c] -= b0[c];
        total += b[c];
    }
    B.sim_cycles += tb_cycle(tb) - c0;
    B.sim_wall += now_s() - t0;
    B.sim_cpu += cpu_s() - u0;
    printf("  grant shares, weights 1:2:4:8, cycles 10000..40000, 4 KiB descriptors:");
    for (unsigned c = 0; c < 4; c++) {
        printf("  ch%u %.1f%% (ideal %.1f%%)", c, 100.0 * (double)b[c] / (double)total, 100.0 * weights[c] / 15.0);
    }
    printf("\n");
    tb_free(tb);
    return 0;
}

/* ---------------------------------------------------------------- printing */

static void print_row(const struct row *r)
{
    char sz[32], dsz[32];
    if (strcmp(r->mode, "ring") == 0) {
        printf("  %-11s ring %5" PRIu64 " x %-7s lat %3u  util %6.2f%%  bound %6.2f%%  ratio %6.2f%%  "
               "ceiling %5.1f%% (%5.1f%% of it)  %6.1f desc/kcyc",
               r->sweep, r->ndesc, size_str(r->desc_bytes, dsz, sizeof(dsz)), r->latency, r->util, r->bound, r->ratio,
               r->desc_ceiling, 100.0 * r->util / r->desc_ceiling, r->desc_per_kcycle);
        printf("  db->fetch %2.0f  B->cpl %2.0f  B->irq %2.0f", r->doorbell_to_first, r->lastb_to_cpl,
               r->lastb_to_irq);
        if (strcmp(r->sweep, "overhead") == 0) {
            printf("  ovh/desc %5.2f", r->overhead);
        }
    } else {
        printf("  %-11s %2u ch x %-7s %u->%u  lat %3u", r->sweep, r->channels,
               size_str(r->bytes / r->channels, sz, sizeof(sz)), r->src_off, r->dst_off, r->latency);
        if (r->max_out != 0 || r->mem_max_rd != 0) {
            printf("  out %2u/%2u", r->max_out, r->mem_max_rd);
        }
        printf("  util %6.2f%%  bound %6.2f%%  ratio %6.2f%%", r->util, r->bound, r->ratio);
        if (r->stream >= 0) {
            printf("  rd %6.2f%%  wr %6.2f%%", r->rd_util, r->wr_util);
        }
        printf("  db->AR %2.0f  B->irq %2.0f", r->doorbell_to_first, r->lastb_to_irq);
    }
    if (r->gbps >= 0) {
        printf("  %s %.2f GB/s (%.1f%% of link)", r->pcie, r->gbps, r->link_pct);
    }
    printf("  %.2f Mcyc/s\n", r->cps / 1e6);
    fflush(stdout);
}

/* ---------------------------------------------------------------- sweeps */

#define KIB 1024ULL
#define MIB (1024ULL * 1024ULL)

/* Results kept for the summary. */
#define MAX_ROWS 512
static struct row rows[MAX_ROWS];
static unsigned nrows;

static void keep(const struct row *r)
{
    row_csv(r);
    print_row(r);
    if (nrows < MAX_ROWS) {
        rows[nrows++] = *r;
    }
}

/* BENCH_SWEEP=ring,overhead runs only those sweeps of part main. */
static int sweep_on(const char *sweep)
{
    if (B.only == NULL) {
        return 1;
    }
    size_t n = strlen(sweep);
    for (const char *s = B.only; *s != '\0';) {
        const char *e = strchr(s, ',');
        size_t len = e != NULL ? (size_t)(e - s) : strlen(s);
        if (len == n && strncmp(s, sweep, n) == 0) {
            return 1;
        }
        s += len + (e != NULL ? 1U : 0U);
    }
    return 0;
}

static void direct(const struct dpoint *p)
{
    if (!sweep_on(p->sweep)) {
        return;
    }
    struct row r;
    if (run_direct(p, &r) != 0) {
        B.fails++;
        return;
    }
    keep(&r);
}

static void ring(const char *sweep, uint32_t len, uint64_t total, unsigned latency, const pcie_link_cfg_t *pcie)
{
    if (!sweep_on(sweep)) {
        return;
    }
    uint64_t n = total / len;
    if (n < 4) {
        n = 4;
    }
    if (n > 4096) {
        n = 4096;
    }
    struct row r;
    if (run_ring(sweep, len, (unsigned)n, latency, pcie, &r) != 0) {
        B.fails++;
        return;
    }
    keep(&r);
}

static void part_main(void)
{
    static const unsigned lats[] = {0, 100, 400};
    const unsigned nlat = B.level == SMOKE ? 1U : 3U;
    printf("== transfer size x memory latency (direct, channel 0, aligned)\n");
    static const uint64_t sizes_full[] = {4, 16, 64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB};
    static const uint64_t sizes_quick[] = {64, 4 * KIB, 64 * KIB, MIB};
    static const uint64_t sizes_smoke[] = {64 * KIB};
    const uint64_t *sizes = B.level == FULL ? sizes_full : B.level == QUICK ? sizes_quick : sizes_smoke;
    size_t nsizes = B.level == FULL ? 11 : B.level == QUICK ? 4 : 1;
    for (unsigned li = 0; li < nlat; li++) {
        for (size_t i = 0; i < nsizes; i++) {
            struct dpoint p = {"size", sizes[i], 0, 0, lats[li], 0, 0, 1, NULL};
            direct(&p);
        }
    }
    if (B.level != SMOKE) {
        printf("== source / destination alignment (direct, 1 MiB)\n");
        static const unsigned offs[][2] = {{0, 0}, {0, 3}, {3, 0}, {3, 5}, {4, 4}, {7, 1}};
        unsigned noffs = B.level == FULL ? 6U : 2U;
        for (unsigned li = 0; li < 2; li++) {
            for (unsigned i = 0; i < noffs; i++) {
                struct dpoint p = {"align", MIB, offs[i][0], offs[i][1], lats[li * 2U], 0, 0, 1, NULL};
                direct(&p);
            }
        }
        printf("== outstanding-burst limit (direct, 256 KiB; driver MAX_OUT / memory read limit)\n");
        static const unsigned outs[] = {1, 2, 4, 8, 16};
        for (unsigned li = 1; li < 3; li++) {
            for (unsigned i = 0; i < 5; i++) {
                if (B.level == QUICK && (i % 2U) != 0) {
                    continue;
                }
                struct dpoint p = {"outstanding", 256 * KIB, 0, 0, lats[li], outs[i], 0, 1, NULL};
                direct(&p);
            }
            for (unsigned k = 2; k <= 8 && B.level == FULL; k *= 4U) {
                struct dpoint p = {"outstanding", 256 * KIB, 0, 0, lats[li], 0, k, 1, NULL};
                direct(&p);
            }
        }
        printf("== active channels (direct, 1 MiB in all, split evenly)\n");
        for (unsigned li = 0; li < 2; li++) {
            for (unsigned n = 1; n <= 4; n *= 2U) {
                struct dpoint p = {"channels", MIB / n, 0, 0, lats[li], 0, 0, n, NULL};
                direct(&p);
            }
        }
    }
    printf("== ring mode (channel 0, descriptors in the ring before the doorbell)\n");
    static const uint32_t dsz_full[] = {64, 256, 1024, 4096, 65536};
    static const uint32_t dsz_quick[] = {256, 4096};
    static const uint32_t dsz_smoke[] = {256};
    const uint32_t *dsz = B.level == FULL ? dsz_full : B.level == QUICK ? dsz_quick : dsz_smoke;
    size_t ndsz = B.level == FULL ? 5 : B.level == QUICK ? 2 : 1;
    uint64_t total = B.level == FULL ? 256 * KIB : B.level == QUICK ? 64 * KIB : 16 * KIB;
    for (unsigned li = 0; li < nlat; li++) {
        for (size_t i = 0; i < ndsz; i++) {
            ring("ring", dsz[i], dsz[i] >= 65536U ? 4U * dsz[i] : total, lats[li], NULL);
        }
    }
    if (B.level != SMOKE) {
        printf("== per-descriptor overhead (ring, prefetch, zero latency, many descriptors)\n");
        ring("overhead", 256, 1024 * 256, 0, NULL);
        ring("overhead", 1024, 512 * 1024, 0, NULL);
        if (B.level == FULL) {
            ring("overhead", 4096, 256 * 4096, 0, NULL);
        }
        printf("== grant shares\n");
        if (sweep_on("shares") && run_shares() != 0) {
            B.fails++;
        }
    }
}

/* Rings of small descriptors at growing latency, run on builds of different
 * DQ_DEPTH (make bench: default 16 and benchdq32): the sweep is named after
 * this build's depth. */
static void part_dq(void)
{
    static char sweep[16];
    snprintf(sweep, sizeof(sweep), "dq%u", (unsigned)FERRY_DQ_DEPTH);
    printf("== descriptor queue depth %u (ring, channel 0)\n", (unsigned)FERRY_DQ_DEPTH);
    static const uint32_t dsz[] = {64, 256};
    static const unsigned lats[] = {0, 200, 400};
    for (unsigned li = 0; li < 3; li++) {
        for (size_t i = 0; i < 2; i++) {
            if (B.level == SMOKE && (li != 2 || i != 0)) {
                continue;
            }
            ring(sweep, dsz[i], B.level == FULL ? 256 * KIB : 64 * KIB, lats[li], NULL);
        }
    }
}

static void part_width(void)
{
    printf("== DATA_WIDTH comparison points (this build)\n");
    static const uint64_t sizes[] = {4 * KIB, 64 * KIB, MIB};
    static const unsigned lats[] = {0, 400};
    size_t ns = B.level == FULL ? 3 : 1;
    for (unsigned li = 0; li < 2; li++) {
        for (size_t i = 0; i < ns; i++) {
            struct dpoint p = {"width", B.level == SMOKE ? 16 * KIB : sizes[B.level == FULL ? i : 1], 0, 0, lats[li],
                               0, 0, 1, NULL};
            direct(&p);
        }
    }
    ring("width", 256, B.level == FULL ? 256 * KIB : 16 * KIB, 0, NULL);
    if (B.level == FULL) {
        ring("width", 4096, 256 * KIB, 0, NULL);
    }
}

static void part_pcie(void)
{
    uint64_t len = B.level == FULL ? MIB : B.level == QUICK ? 256 * KIB : 64 * KIB;
    char lsz[32];
    printf("== PCIe link (direct %s copies through tb/pcie_link; memory latency %u cycles behind the link; "
           "DUT clock %.0f MHz)\n",
           size_str(len, lsz, sizeof(lsz)), B.pcie_lat, B.clk_mhz);
    static const unsigned lanes_full[] = {1, 4, 8, 16};
    static const unsigned lanes_quick[] = {1, 8};
    const unsigned *lanes = B.level == FULL ? lanes_full : lanes_quick;
    unsigned nl = B.level == FULL ? 4U : 2U;
    unsigned gen_lo = B.level == SMOKE ? 3U : 1U, gen_hi = B.level == SMOKE ? 3U : 5U;
    unsigned first = nrows;
    for (unsigned g = gen_lo; g <= gen_hi; g++) {
        for (unsigned i = 0; i < nl; i++) {
            if (B.level == SMOKE && lanes[i] != 1) {
                continue;
            }
            pcie_link_cfg_t pc;
            pcie_link_cfg_default(&pc);
            pc.gen = g;
            pc.lanes = lanes[i];
            pc.clk_mhz = B.clk_mhz;
            struct dpoint p = {"pcie", len, 0, 0, B.pcie_lat, 0, 0, 1, &pc};
            direct(&p);
        }
    }
    if (B.level == FULL) {
        for (unsigned mps = 128; mps <= 512; mps *= 2U) {
            pcie_link_cfg_t pc;
            pcie_link_cfg_default(&pc);
            pc.gen = 3;
            pc.lanes = 4;
            pc.clk_mhz = B.clk_mhz;
            pc.mps = mps;
            struct dpoint p = {"pcie-mps", len, 0, 0, B.pcie_lat, 0, 0, 1, &pc};
            direct(&p);
        }
    }
    if (B.level != SMOKE) {
        /* ring mode through the link: descriptors and completion records are TLPs too */
        pcie_link_cfg_t pc;
        pcie_link_cfg_default(&pc);
        pc.gen = 3;
        pc.lanes = 4;
        pc.clk_mhz = B.clk_mhz;
        ring("pcie-ring", 256, len / 4U, B.pcie_lat, &pc);
        ring("pcie-ring", 4096, len, B.pcie_lat, &pc);
    }
    printf("PCIe table (%u-bit bus at %.0f MHz = %.2f GB/s; MPS 256, MRRS 512, RCB 64, 64 tags):\n",
           nrows > first ? rows[first].dw : 0U, B.clk_mhz, nrows > first ? rows[first].dw / 8.0 * B.clk_mhz / 1e3 : 0.0);
    for (unsigned i = first; i < nrows; i++) {
        const struct row *r = &rows[i];
        unsigned g = 0, w = 0;
        if (sscanf(r->pcie, "gen%ux%u", &g, &w) != 2) {
            continue;
        }
        double bus_gbps = r->dw / 8.0 * B.clk_mhz / 1e3;
        char what[48] = "";
        if (strcmp(r->mode, "ring") == 0) {
            char dsz[32];
            snprintf(what, sizeof(what), " (ring, %s descriptors)", size_str(r->desc_bytes, dsz, sizeof(dsz)));
        }
        printf("  Gen%u x%-2u, MPS %u, MRRS %u: %6.2f GB/s, %5.1f%% of the link's TLP ceiling (%6.2f GB/s)%s%s\n", g,
               w, r->mps, r->mrrs, r->gbps, r->link_pct, r->link_ceiling_gbps, what,
               r->link_ceiling_gbps > bus_gbps ? "; the AXI bus is the limit" : "");
    }
}

/* ---------------------------------------------------------------- summary */

/* Column numbers in CSV_HEADER. */
enum { C_SWEEP = 0, C_MODE = 1, C_DW = 2, C_BYTES = 4, C_DESC = 5, C_LAT = 9, C_PCIE = 12, C_MPS = 13, C_MRRS = 14,
       C_UTIL = 16, C_STREAM = 17, C_BOUND = 20, C_RATIO = 21, C_CEIL = 23, C_GBPS = 29, C_LINKCEIL = 30,
       C_LINKPCT = 31, C_NCOLS = 34 };

/* Splits a CSV line in place; returns the number of fields. */
static unsigned csv_split(char *line, char **f, unsigned max)
{
    unsigned n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (c == NULL) {
            break;
        }
        *c = '\0';
        p = c + 1;
    }
    return n;
}

/* The DATA_WIDTH and PCIe points of every build, read back from the CSV. */
static void csv_tables(void)
{
    FILE *f = fopen(B.csv_path, "r");
    if (f == NULL) {
        return;
    }
    char line[1024];
    char *c[C_NCOLS + 1];
    int header = 0;
    printf("\nDATA_WIDTH (from %s; direct copies: stream / end-to-end utilization; rings: %% of the descriptor "
           "ceiling):\n", B.csv_path);
    while (fgets(line, sizeof(line), f) != NULL) {
        if (csv_split(line, c, C_NCOLS + 1) != C_NCOLS || strcmp(c[C_SWEEP], "width") != 0) {
            continue;
        }
        char sz[32];
        uint64_t bytes = strtoull(c[C_BYTES], NULL, 10);
        if (strcmp(c[C_MODE], "direct") == 0) {
            printf("  %3s-bit  direct %-8s lat %3s: stream %6.2f%%  end to end %6.2f%%\n", c[C_DW],
                   size_str(bytes, sz, sizeof(sz)), c[C_LAT], atof(c[C_STREAM]), atof(c[C_UTIL]));
        } else {
            printf("  %3s-bit  ring %-6s  lat %3s: util %6.2f%%  bound %6.2f%%  = %5.1f%% of the descriptor ceiling\n",
                   c[C_DW], size_str(strtoull(c[C_DESC], NULL, 10), sz, sizeof(sz)), c[C_LAT], atof(c[C_UTIL]),
                   atof(c[C_BOUND]), 100.0 * atof(c[C_UTIL]) / atof(c[C_CEIL]));
        }
        header = 1;
    }
    if (!header) {
        printf("  (no width points in the CSV)\n");
    }
    rewind(f);
    header = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (csv_split(line, c, C_NCOLS + 1) != C_NCOLS || strncmp(c[C_SWEEP], "pcie", 4) != 0) {
            continue;
        }
        unsigned g = 0, w = 0;
        if (sscanf(c[C_PCIE], "gen%ux%u", &g, &w) != 2) {
            continue;
        }
        if (!header) {
            printf("\nPCIe (from %s; %s-bit AXI bus at %.0f MHz = %.2f GB/s):\n", B.csv_path, c[C_DW], B.clk_mhz,
                   atof(c[C_DW]) / 8.0 * B.clk_mhz / 1e3);
            header = 1;
        }
        double bus_gbps = atof(c[C_DW]) / 8.0 * B.clk_mhz / 1e3;
        char what[48] = "";
        if (strcmp(c[C_MODE], "ring") == 0) {
            char dsz[32];
            snprintf(what, sizeof(what), " (ring, %s descriptors)",
                     size_str(strtoull(c[C_DESC], NULL, 10), dsz, sizeof(dsz)));
        }
        printf("  Gen%u x%-2u, MPS %s, MRRS %s: %6.2f GB/s, %5.1f%% of the link's TLP ceiling (%6.2f GB/s)%s%s\n", g,
               w, c[C_MPS], c[C_MRRS], atof(c[C_GBPS]), atof(c[C_LINKPCT]), atof(c[C_LINKCEIL]), what,
               atof(c[C_LINKCEIL]) > bus_gbps ? "; the AXI bus is the limit" : "");
    }
    fclose(f);
}

static void summary(void)
{
    double min_stream = 1e9, min_util = 1e9;
    unsigned n_util = 0;
    for (unsigned i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->sweep, "size") == 0 && r->bytes >= 64 * KIB && (r->latency == 0 || r->latency == 400)) {
            min_stream = r->stream < min_stream ? r->stream : min_stream;
            min_util = r->util < min_util ? r->util : min_util;
            n_util++;
        }
    }
    printf("\nsummary against the issue's targets (reported, never failed on):\n");
    if (n_util > 0) {
        printf("  utilization >= 99.5%% at 64 KiB+ and latency 0 / 400: lowest streaming (min of rd, wr) %.2f%% -> %s "
               "(end to end, doorbell to last B, lowest %.2f%%)\n",
               min_stream, min_stream >= 99.5 ? "met" : "NOT met", min_util);
        for (unsigned i = 0; i < nrows; i++) {
            const struct row *r = &rows[i];
            if (strcmp(r->sweep, "size") == 0 && r->bytes >= 64 * KIB && (r->latency == 0 || r->latency == 400)) {
                char sz[32];
                printf("    %-8s lat %3u: rd %6.2f%%  wr %6.2f%%  end to end %6.2f%%  bound %6.2f%%\n",
                       size_str(r->bytes, sz, sizeof(sz)), r->latency, r->rd_util, r->wr_util, r->util, r->bound);
            }
        }
    }
    for (unsigned i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->sweep, "ring") == 0 && r->desc_bytes == 256) {
            double pct = 100.0 * r->util / r->desc_ceiling;
            printf("  256 B ring, latency %3u: %.1f%% of the descriptor ceiling (%.2f%% of %.2f%%), target >= 90%% -> %s\n",
                   r->latency, pct, r->util, r->desc_ceiling, pct >= 90.0 ? "met" : "NOT met");
        }
    }
    double db_direct = -1, db_ring = -1, ovh = -1e9;
    for (unsigned i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (r->gbps >= 0) {
            continue; /* PCIe points add the link's AR buffer */
        }
        if (strcmp(r->mode, "direct") == 0) {
            db_direct = r->doorbell_to_first > db_direct ? r->doorbell_to_first : db_direct;
        } else {
            db_ring = r->doorbell_to_first > db_ring ? r->doorbell_to_first : db_ring;
        }
        if (strcmp(r->sweep, "overhead") == 0) {
            ovh = r->overhead > ovh ? r->overhead : ovh;
        }
    }
    if (db_direct >= 0) {
        printf("  doorbell to first AR (direct), worst point: %.0f cycles, target <= 3 -> %s\n", db_direct,
               db_direct <= 3 ? "met" : "NOT met");
    }
    if (db_ring >= 0) {
        printf("  doorbell to descriptor fetch (ring), worst point: %.0f cycles, target <= 3 -> %s\n", db_ring,
               db_ring <= 3 ? "met" : "NOT met");
    }
    if (ovh > -1e9) {
        printf("  per-descriptor overhead (ring, prefetch, latency 0), worst of 256 B..4 KiB: %.2f cycles, "
               "target <= 2 -> %s\n",
               ovh, ovh <= 2.0 ? "met" : "NOT met");
        for (unsigned i = 0; i < nrows; i++) {
            if (strcmp(rows[i].sweep, "overhead") == 0) {
                char sz[32];
                printf("    %" PRIu64 " x %s: %.2f cycles per descriptor\n", rows[i].ndesc,
                       size_str(rows[i].desc_bytes, sz, sizeof(sz)), rows[i].overhead);
            }
        }
    }
}

int main(void)
{
    const char *lv = getenv("BENCH");
    B.level = FULL;
    if (lv != NULL && strcmp(lv, "quick") == 0) {
        B.level = QUICK;
    } else if (lv != NULL && strcmp(lv, "smoke") == 0) {
        B.level = SMOKE;
    } else if (lv != NULL && *lv != '\0' && strcmp(lv, "full") != 0) {
        fprintf(stderr, "bench: BENCH=%s: expected full, quick or smoke\n", lv);
        return 2;
    }
    const char *part = getenv("BENCH_PART");
    if (part == NULL || *part == '\0') {
        part = "all";
    }
    if (strcmp(part, "all") != 0 && strcmp(part, "main") != 0 && strcmp(part, "width") != 0 &&
        strcmp(part, "pcie") != 0 && strcmp(part, "dq") != 0) {
        fprintf(stderr, "bench: BENCH_PART=%s: expected main, width, pcie, dq or all\n", part);
        return 2;
    }
    B.seed = env_u64("SEED", 1);
    B.clk_mhz = (double)env_u64("PCIE_CLK_MHZ", 250);
    B.pcie_lat = (unsigned)env_u64("PCIE_LAT", 200);
    if (B.clk_mhz <= 0) {
        fprintf(stderr, "bench: PCIE_CLK_MHZ must be positive\n");
        return 2;
    }
    B.only = getenv("BENCH_SWEEP");
    if (B.only != NULL && *B.only == '\0') {
        B.only = NULL;
    }
    B.csv_path = getenv("BENCH_CSV");
    if (B.csv_path == NULL || *B.csv_path == '\0') {
        B.csv_path = "sim/out/bench.csv";
    }
    B.csv = fopen(B.csv_path, "a");
    if (B.csv == NULL) {
        fprintf(stderr, "bench: cannot open %s\n", B.csv_path);
        return 2;
    }
    if (ftell(B.csv) == 0) {
        fprintf(B.csv, "%s\n", CSV_HEADER);
    }
    static const char *levels[] = {"full", "quick", "smoke"};
    printf("ferry bench: %s, part %s, DATA_WIDTH %u, %u channels, seed %" PRIu64 "\n", levels[B.level], part,
           FERRY_DATA_WIDTH, FERRY_NUM_CHANNELS, B.seed);
    double t0 = now_s();
    int all = strcmp(part, "all") == 0;
    if (all || strcmp(part, "width") == 0) {
        part_width();
    }
    if (all || strcmp(part, "pcie") == 0) {
        part_pcie();
    }
    if (strcmp(part, "dq") == 0) {
        part_dq();
    }
    if (all || strcmp(part, "main") == 0) {
        part_main();
    }
    fclose(B.csv);
    B.csv = NULL;
    if (all || strcmp(part, "main") == 0) {
        if (B.level != SMOKE) {
            csv_tables();
        }
        summary();
    }
    printf("sim speed (DATA_WIDTH %u): %.2f Mcycles simulated in %.1f s CPU = %.2f Mcycles/s per CPU second "
           "(%.2f per wall second; tracing compiled in, off); run took %.1f s\n",
           FERRY_DATA_WIDTH, (double)B.sim_cycles / 1e6, B.sim_cpu,
           B.sim_cpu > 0 ? (double)B.sim_cycles / B.sim_cpu / 1e6 : 0.0,
           B.sim_wall > 0 ? (double)B.sim_cycles / B.sim_wall / 1e6 : 0.0, now_s() - t0);
    printf("raw results appended to %s\n", B.csv_path);
    if (B.fails != 0) {
        printf("bench: %d point(s) FAILED (wrong data or no completion)\n", B.fails);
        return 1;
    }
    return 0;
}
