/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_bench: the figures `make bench` prints.
 *
 * For each point it runs one direct-mode copy through the driver on the
 * simulated card and reports, from the bus statistics of the test bench:
 *   - bus utilization: payload bytes / ((cycles from doorbell to last write
 *     response) x bus bytes), the share of the DATA_WIDTH peak the copy got;
 *   - cycles from the doorbell (the CTRL write's response reaching the CPU)
 *     to the first read address handshake;
 *   - cycles from the last write response to the interrupt line;
 *   - simulated cycles per second of wall-clock time (this build: tracing
 *     compiled in but off, the full C harness running every cycle).
 * Every point is deterministic for its seed; the memory model adds the
 * stated latency and, for the "stall" points, seeded random backpressure.
 *
 * Ring mode: N descriptors of one size on channel 0, all in the ring before
 * the doorbell (RING_PROD); utilization is payload / ((cycles from the
 * doorbell's response to RING_CONS == N) x bus bytes), compared with the
 * descriptor ceiling payload / (payload + 32 descriptor + 16 completion
 * bytes). Grant shares: four channels with long rings and weights 1:2:4:8,
 * bytes written per channel (BYTES_WR counters) after a fixed window.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ferry/ferry.h"
#include "ferry/ferry_desc.h"
#include "ferry_port_sim.h"
#include "tb.h"

struct point {
    const char *name;
    uint64_t len;
    unsigned src_off, dst_off;
    unsigned latency;   /* read and write latency, cycles */
    unsigned stall;     /* percent on every m_axi channel */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
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

/* Runs one point; returns 0 on success (data checked), 1 on failure. */
static int run_point(const struct point *pt, uint64_t seed, FILE *csv)
{
    tb_config_t cfg;
    tb_config_default(&cfg);
    cfg.seed = seed;
    cfg.rd_lat_min = cfg.rd_lat_max = pt->latency;
    cfg.wr_lat_min = cfg.wr_lat_max = pt->latency;
    cfg.stall_ar = cfg.stall_r = cfg.stall_aw = cfg.stall_w = cfg.stall_b = pt->stall;

    tb_t *tb = tb_new(&cfg);
    if (tb == NULL) {
        return 1;
    }
    struct ferry_sim *sim = ferry_sim_new(tb);
    struct ferry_dev dev;
    struct ferry_dma_mem src, dst;
    int rc = 1;
    if (sim == NULL || ferry_probe(&dev, ferry_sim_platform(sim)) != FERRY_OK) {
        fprintf(stderr, "bench: probe failed\n");
        goto out;
    }
    size_t room = (size_t)pt->len + 4096U;
    if (ferry_sim_alloc(sim, room, 4096, &src) != FERRY_OK || ferry_sim_alloc(sim, room, 4096, &dst) != FERRY_OK) {
        fprintf(stderr, "bench: out of memory\n");
        goto out;
    }
    uint8_t *s = (uint8_t *)src.cpu + pt->src_off;
    for (uint64_t i = 0; i < pt->len; i++) {
        s[i] = (uint8_t)(i * 7U + 3U);
    }
    const unsigned bytes = tb_data_bytes(tb);
    ferry_status st = ferry_irq_enable(&dev, 0, true);
    if (st != FERRY_OK) {
        goto out;
    }
    tb_stats_clear(tb);
    double t0 = now_s();
    st = ferry_copy_start(&dev, 0, src.bus + pt->src_off, dst.bus + pt->dst_off, pt->len);
    uint64_t doorbell = tb_cycle(tb);
    if (st != FERRY_OK) {
        fprintf(stderr, "bench: copy_start: %s\n", ferry_status_str(st));
        goto out;
    }
    if (!tb_wait_irq(tb, 1U, 100U * pt->len + 100000U)) {
        fprintf(stderr, "bench: %s: no interrupt\n", pt->name);
        goto out;
    }
    uint64_t irq_cycle = tb_cycle(tb);
    double t1 = now_s();
    struct ferry_result res;
    st = ferry_copy_wait(&dev, 0, 1000, &res);
    if (st != FERRY_OK) {
        fprintf(stderr, "bench: %s: %s (%s)\n", pt->name, ferry_status_str(st), ferry_err_str(res.err_code));
        goto out;
    }
    if (memcmp((uint8_t *)dst.cpu + pt->dst_off, s, (size_t)pt->len) != 0) {
        fprintf(stderr, "bench: %s: destination differs from source\n", pt->name);
        goto out;
    }
    tb_stats_t bs;
    tb_stats(tb, &bs);
    uint64_t cycles = bs.last_b_cycle - doorbell;
    double util = 100.0 * (double)pt->len / ((double)cycles * bytes);
    uint64_t to_ar = bs.first_ar_cycle - doorbell;
    uint64_t b_to_irq = irq_cycle - bs.last_b_cycle;
    double cps = (double)(irq_cycle - doorbell) / (t1 - t0);
    printf("  %-28s %9" PRIu64 " B  lat %3u  stall %2u%%  %8" PRIu64 " cycles  util %6.2f%%  "
           "doorbell->AR %2" PRIu64 "  lastB->irq %2" PRIu64 "  %5.2f Mcycles/s\n",
           pt->name, pt->len, pt->latency, pt->stall, cycles, util, to_ar, b_to_irq, cps / 1e6);
    if (csv != NULL) {
        fprintf(csv, "%s,%" PRIu64 ",%u,%u,%u,%u,%u,%" PRIu64 ",%.4f,%" PRIu64 ",%" PRIu64 ",%.0f,%" PRIu64 "\n",
                pt->name, pt->len, pt->src_off, pt->dst_off, pt->latency, pt->stall, bytes * 8U, cycles, util, to_ar,
                b_to_irq, cps, seed);
    }
    rc = 0;
out:
    if (sim != NULL) {
        ferry_sim_free(sim);
    }
    tb_free(tb);
    return rc;
}


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
#define CPL_BASE 0x41000000ULL
#define SRC_BASE 0x100000000ULL
#define DST_BASE 0x200000000ULL

/* Puts n descriptors of len bytes for channel ch in memory and enables its ring. */
static void ring_setup(tb_t *tb, unsigned ch, unsigned log2, unsigned n, uint32_t len)
{
    uint64_t rb = RING_BASE + (uint64_t)ch * 0x100000U;
    uint64_t cb = CPL_BASE + (uint64_t)ch * 0x100000U;
    uint8_t d[FERRY_DESC_SIZE];
    static uint8_t chunk[65536];
    for (size_t i = 0; i < sizeof(chunk); i++) {
        chunk[i] = (uint8_t)(i * 13U + ch);
    }
    for (unsigned i = 0; i < n; i++) {
        struct ferry_desc desc = {0};
        desc.src = SRC_BASE + (uint64_t)ch * 0x10000000U + (uint64_t)i * len;
        desc.dst = DST_BASE + (uint64_t)ch * 0x10000000U + (uint64_t)i * len;
        desc.len = len;
        desc.tag = (uint16_t)i;
        ferry_desc_encode(d, &desc);
        tb_mem_write(tb, rb + (uint64_t)i * FERRY_DESC_SIZE, d, sizeof(d));
    }
    for (uint64_t off = 0; off < (uint64_t)n * len; off += sizeof(chunk)) {
        uint64_t left = (uint64_t)n * len - off;
        tb_mem_write(tb, SRC_BASE + (uint64_t)ch * 0x10000000U + off, chunk,
                     left < sizeof(chunk) ? (size_t)left : sizeof(chunk));
    }
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_RING_BASE_LO), (uint32_t)rb);
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_RING_BASE_HI), (uint32_t)(rb >> 32));
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_CPL_BASE_LO), (uint32_t)cb);
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_CPL_BASE_HI), (uint32_t)(cb >> 32));
    wr(tb, FERRY_CH_REG(ch, FERRY_CH_RING_CTRL),
       FERRY_FIELD_PREP(FERRY_RING_CTRL_ENABLE, 1U) | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, log2));
}

static int run_ring_point(uint32_t len, unsigned n, unsigned latency, uint64_t seed, FILE *csv)
{
    tb_config_t cfg;
    tb_config_default(&cfg);
    cfg.seed = seed;
    cfg.rd_lat_min = cfg.rd_lat_max = latency;
    cfg.wr_lat_min = cfg.wr_lat_max = latency;
    tb_t *tb = tb_new(&cfg);
    if (tb == NULL) {
        return 1;
    }
    const unsigned bytes = tb_data_bytes(tb);
    unsigned log2 = 1;
    while ((1U << log2) <= n) {
        log2++;
    }
    ring_setup(tb, 0, log2, n, len);
    tb_stats_clear(tb);
    wr(tb, FERRY_CH_REG(0, FERRY_CH_RING_PROD), n);
    uint64_t doorbell = tb_cycle(tb);
    uint64_t budget = doorbell + 64U * (uint64_t)n * (len / bytes + 64U) + 100000U;
    while (rd(tb, FERRY_CH_REG(0, FERRY_CH_RING_CONS)) != n && tb_cycle(tb) < budget) {
        tb_step(tb, 16);
    }
    tb_stats_t bs;
    tb_stats(tb, &bs);
    int rc = 0;
    if (rd(tb, FERRY_CH_REG(0, FERRY_CH_RING_CONS)) != n) {
        fprintf(stderr, "bench: ring %u x %u B did not complete\n", n, (unsigned)len);
        rc = 1;
    }
    uint64_t cycles = bs.last_b_cycle - doorbell;
    double payload = (double)n * len;
    double util = 100.0 * payload / ((double)cycles * bytes);
    double ceiling = 100.0 * (double)len / (double)(len + FERRY_DESC_SIZE + FERRY_CPL_SIZE);
    printf("  ring %5u x %-6u B  lat %3u  %8" PRIu64 " cycles  util %6.2f%%  ceiling %6.2f%%  = %5.1f%% of it  "
           "doorbell->fetch %2" PRIu64 "  %.1f desc/1000 cycles\n",
           n, (unsigned)len, latency, cycles, util, ceiling, 100.0 * util / ceiling, bs.first_ar_cycle - doorbell,
           1000.0 * n / (double)cycles);
    if (csv != NULL) {
        fprintf(csv, "ring %u B,%.0f,0,0,%u,0,%u,%" PRIu64 ",%.4f,%" PRIu64 ",0,0,%" PRIu64 "\n", (unsigned)len,
                payload, latency, bytes * 8U, cycles, util, bs.first_ar_cycle - doorbell, seed);
    }
    tb_free(tb);
    return rc;
}

/* Four channels, weights 1:2:4:8, rings long enough to stay busy; shares of
 * the bytes written in a fixed window. */
static int run_shares(uint64_t seed)
{
    tb_config_t cfg;
    tb_config_default(&cfg);
    cfg.seed = seed;
    tb_t *tb = tb_new(&cfg);
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
        ring_setup(tb, c, 8, 255, 4096);
        wr(tb, FERRY_CH_REG(c, FERRY_CH_WEIGHT), weights[c]);
    }
    for (unsigned c = 0; c < 4; c++) {
        wr(tb, FERRY_CH_REG(c, FERRY_CH_RING_PROD), 255);
    }
    /* steady state: bytes written between cycle 10000 and 40000 */
    uint64_t b0[4], b[4];
    uint64_t total = 0;
    tb_step(tb, 10000);
    for (unsigned c = 0; c < 4; c++) {
        b0[c] = rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_LO)) | ((uint64_t)rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_HI)) << 32);
    }
    tb_step(tb, 30000);
    for (unsigned c = 0; c < 4; c++) {
        b[c] = rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_LO)) | ((uint64_t)rd(tb, FERRY_CH_REG(c, FERRY_CH_BYTES_WR_HI)) << 32);
        b[c] -= b0[c];
        total += b[c];
    }
    printf("  grant shares, weights 1:2:4:8, cycles 10000..40000, 4 KiB descriptors:");
    for (unsigned c = 0; c < 4; c++) {
        printf("  ch%u %.1f%% (ideal %.1f%%)", c, 100.0 * (double)b[c] / (double)total, 100.0 * weights[c] / 15.0);
    }
    printf("\n");
    tb_free(tb);
    return 0;
}

int main(void)
{
    const uint64_t seed = env_u64("SEED", 1);
    const uint64_t mib = 1024U * 1024U;
    const struct point points[] = {
        {"1 MiB aligned", mib, 0, 0, 0, 0},
        {"1 MiB aligned", mib, 0, 0, 100, 0},
        {"1 MiB aligned", mib, 0, 0, 400, 0},
        {"1 MiB unaligned (3 -> 5)", mib, 3, 5, 0, 0},
        {"1 MiB unaligned (3 -> 5)", mib, 3, 5, 100, 0},
        {"64 KiB aligned", 64U * 1024U, 0, 0, 100, 0},
        {"4 KiB aligned", 4096, 0, 0, 100, 0},
        {"32 B (the seed's transfer)", 32, 0, 0, 0, 0},
        {"1 MiB aligned, random stall", mib, 0, 0, 100, 20},
    };
    const char *csv_path = "sim/out/bench_basic.csv";
    FILE *csv = fopen(csv_path, "w");
    if (csv != NULL) {
        fprintf(csv, "point,bytes,src_off,dst_off,latency,stall_pct,data_width,cycles,util_pct,doorbell_to_ar,"
                     "lastb_to_irq,sim_cycles_per_s,seed\n");
    }
    printf("ferry bench (seed %" PRIu64 "; utilization = payload / (cycles x bus bytes), doorbell to last B)\n", seed);
    int fails = 0;
    for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
        fails += run_point(&points[i], seed, csv);
    }
    printf("ring mode (channel 0, no backpressure):\n");
    fails += run_ring_point(256, 2048, 200, seed, csv);
    fails += run_ring_point(4096, 256, 200, seed, csv);
    fails += run_ring_point(65536, 32, 200, seed, csv);
    fails += run_shares(seed);
    if (csv != NULL) {
        fclose(csv);
        printf("raw results: %s\n", csv_path);
    }
    return fails != 0 ? 1 : 0;
}
