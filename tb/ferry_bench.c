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
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ferry/ferry.h"
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
    if (csv != NULL) {
        fclose(csv);
        printf("raw results: %s\n", csv_path);
    }
    return fails != 0 ? 1 : 0;
}
