/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_demo: the seeds' DMA walk-through on the simulated card (make demo).
 *
 * 1. Probe: ID, interface version, capabilities.
 * 2. The 32-byte example: a DMA buffer at bus 0x001FF000 holding 01 02 03 04 ...
 *    is copied to card memory at 0x8000 on channel 0 with its interrupt
 *    enabled; every register write is printed with its role.
 * 3. 1 MiB with unaligned start and end, every byte checked; throughput and
 *    latency from the test bench's bus statistics.
 * 4. Scatter-gather on up to four memory-to-memory channels at once.
 * 5. Builds with a host-to-card and a card-to-host channel (CFG=stream):
 *    packets of 64 B, 1,500 B and 64 KiB streamed through the test bench's
 *    loopback (TX ring -> m_axis -> s_axis -> RX ring), every byte checked;
 *    packets, bytes, cycles and the rate as a share of the bus peak.
 *
 * DEMO_PART=stream runs only steps 1 and 5 (make demo runs the stream
 * build that way after the default one).
 *
 * Environment: SEED (default 1) seeds the bus model's random latency and
 * backpressure; QUIET=1 uses the quiet bus (no stalls, no latency) instead;
 * WAVES=1 writes sim/out/demo.fst, FST=path writes the waveform to path.
 * Exit status 0 and the last line "demo: PASS" when every check held.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ferry/ferry.h"
#include "ferry/ferry_regs.h"
#include "ferry_port_sim.h"
#include "tb.h"

#define DEMO_SRC_BUS UINT64_C(0x001FF000) /* the seed's DMA buffer */
#define DEMO_DST_BUS UINT64_C(0x00008000) /* the seed's card memory ("Target Memory") */
#define DEMO_SMALL_LEN 32U
#define DEMO_BIG_LEN (1024U * 1024U)
#define DEMO_BIG_SRC_OFF 3U
#define DEMO_BIG_DST_OFF 5U
#define DEMO_GUARD 0xA5U
#define DEMO_TIMEOUT_US 100000U /* 100 ms simulated = 25 M cycles */
#define DEMO_DEFAULT_FST "sim/out/demo.fst"
#define DEMO_STREAM_FST "sim/out/demo_stream.fst"
#define DEMO_MAX_DIFFS 8U

struct demo {
    tb_t *tb;
    struct ferry_sim *sim;
    struct ferry_platform plat; /* the sim port, with wait_irq wrapped to print */
    struct ferry_dev dev;
    bool print_writes;
    uint64_t doorbell_cycle;
};

/* What each register means in the seed's words. */
static const char *role(const char *name)
{
    static const struct {
        const char *reg;
        const char *role;
    } roles[] = {
        {"SRC_LO", "Source Address"},
        {"SRC_HI", "Source Address, bits 63:32"},
        {"DST_LO", "Destination Address"},
        {"DST_HI", "Destination Address, bits 63:32"},
        {"LEN", "Transfer Size"},
        {"CTRL", "Initiate Transfer: doorbell"},
        {"STATUS", "write 1 to clear DONE / ERROR / DB_OVERRUN"},
        {"IRQ_ENABLE", "interrupt on DONE and ERROR"},
    };
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        if (strcmp(roles[i].reg, name) == 0) {
            return roles[i].role;
        }
    }
    return "";
}

static void trace(void *user, uint32_t off, uint32_t val, enum ferry_trace_dir dir)
{
    struct demo *d = user;
    const struct ferry_reg_info *r;
    char name[32];
    int ch = -1;

    if (dir != FERRY_TRACE_WRITE) {
        return;
    }
    r = ferry_reg_lookup(off, &ch);
    if (r != NULL && ch >= 0 && r->offset == FERRY_CH_CTRL) {
        d->doorbell_cycle = tb_cycle(d->tb);
    }
    if (!d->print_writes) {
        return;
    }
    if (r == NULL) {
        printf("  BAR0+0x%04" PRIX32 " ?        <= 0x%08" PRIX32 "\n", off, val);
        return;
    }
    if (ch >= 0) {
        snprintf(name, sizeof(name), "CH%d %s", ch, r->name);
    } else {
        snprintf(name, sizeof(name), "%s", r->name);
    }
    if (ch >= 0 && r->offset == FERRY_CH_LEN) {
        printf("  BAR0+0x%04" PRIX32 " %-14s <= %" PRIu32 "  (%s)\n", off, name, val, role(r->name));
    } else if (ch >= 0 && (r->offset == FERRY_CH_CTRL || r->offset == FERRY_CH_STATUS ||
                           r->offset == FERRY_CH_IRQ_ENABLE)) {
        printf("  BAR0+0x%04" PRIX32 " %-14s <= 0x%" PRIX32 "  (%s)\n", off, name, val, role(r->name));
    } else {
        printf("  BAR0+0x%04" PRIX32 " %-14s <= 0x%08" PRIX32 "  (%s)\n", off, name, val, role(r->name));
    }
}

/* The demo's platform: the sim port's callbacks with the demo as ctx, so that
 * wait_irq can announce the interrupt. */
static const struct ferry_platform *sp(void *ctx)
{
    return ferry_sim_platform(((struct demo *)ctx)->sim);
}

static uint32_t demo_reg_read(void *ctx, uint32_t off)
{
    return sp(ctx)->reg_read(sp(ctx)->ctx, off);
}

static void demo_reg_write(void *ctx, uint32_t off, uint32_t val)
{
    sp(ctx)->reg_write(sp(ctx)->ctx, off, val);
}

static int demo_dma_alloc(void *ctx, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    return sp(ctx)->dma_alloc(sp(ctx)->ctx, size, align, mem);
}

static void demo_dma_free(void *ctx, struct ferry_dma_mem *mem)
{
    sp(ctx)->dma_free(sp(ctx)->ctx, mem);
}

static int demo_wait_irq(void *ctx, uint32_t mask, uint64_t timeout_us)
{
    struct demo *d = ctx;
    int r = sp(ctx)->wait_irq(sp(ctx)->ctx, mask, timeout_us);

    if (r == FERRY_PLAT_IRQ_FIRED && d->print_writes) {
        uint32_t lines = tb_irq(d->tb) & mask;
        for (unsigned ch = 0; ch < 32U; ch++) {
            if ((lines >> ch & 1U) != 0U) {
                printf("  irq[%u] asserted at cycle %" PRIu64 " (%" PRIu64 " cycles after the doorbell)\n", ch,
                       tb_cycle(d->tb), tb_cycle(d->tb) - d->doorbell_cycle);
            }
        }
    }
    return r;
}

static uint64_t demo_now_us(void *ctx)
{
    return sp(ctx)->now_us(sp(ctx)->ctx);
}

static void demo_delay_us(void *ctx, uint64_t us)
{
    sp(ctx)->delay_us(sp(ctx)->ctx, us);
}

static void demo_platform(struct demo *d)
{
    d->plat.ctx = d;
    d->plat.reg_read = demo_reg_read;
    d->plat.reg_write = demo_reg_write;
    d->plat.dma_alloc = demo_dma_alloc;
    d->plat.dma_free = demo_dma_free;
    d->plat.wait_irq = demo_wait_irq;
    d->plat.now_us = demo_now_us;
    d->plat.delay_us = demo_delay_us;
}

static void hexdump(const uint8_t *p, size_t n, uint64_t bus)
{
    for (size_t i = 0; i < n; i += 16) {
        printf("  %08" PRIX64 ":", bus + i);
        for (size_t j = i; j < i + 16 && j < n; j++) {
            printf(" %02X", p[j]);
        }
        printf("\n");
    }
}

/* Compares got with want; prints the first differing offsets. 0 if equal. */
static size_t compare(const char *what, const uint8_t *want, const uint8_t *got, size_t n, uint64_t bus)
{
    size_t diffs = 0;

    for (size_t i = 0; i < n; i++) {
        if (want[i] != got[i]) {
            if (diffs < DEMO_MAX_DIFFS) {
                printf("  MISMATCH %s: offset %zu (bus 0x%" PRIX64 "): expected 0x%02X, got 0x%02X\n",
                       what, i, bus + i, want[i], got[i]);
            }
            diffs++;
        }
    }
    if (diffs > DEMO_MAX_DIFFS) {
        printf("  ... %zu bytes differ in %s\n", diffs, what);
    }
    return diffs;
}

static bool check_bus(struct demo *d)
{
    bool ok = true;

    if (tb_error(d->tb) != NULL) {
        printf("  FAIL: bus protocol errors (%u): %s\n", tb_error_count(d->tb), tb_error(d->tb));
        ok = false;
    }
    if (ferry_sim_bad_resp_count(d->sim) != 0U) {
        printf("  FAIL: %" PRIu64 " register accesses answered other than OKAY (last %d)\n",
               ferry_sim_bad_resp_count(d->sim), ferry_sim_last_resp(d->sim));
        ok = false;
    }
    return ok;
}

static bool step_probe(struct demo *d)
{
    const struct ferry_caps *c;
    ferry_status st;

    printf("== 1. probe\n");
    st = ferry_probe(&d->dev, &d->plat);
    if (st != FERRY_OK) {
        printf("  FAIL: probe: %s (ID 0x%08" PRIX32 ")\n", ferry_status_str(st), d->dev.caps.id);
        return false;
    }
    c = ferry_caps(&d->dev);
    printf("  ID          0x%08" PRIX32 " (\"%c%c%c%c\")\n", c->id, (char)(c->id >> 24),
           (char)(c->id >> 16), (char)(c->id >> 8), (char)c->id);
    printf("  IF_VERSION  %u.%u\n", c->version_major, c->version_minor);
    printf("  channels    %u\n", c->channels);
    printf("  data bus    %u bits (%u bytes per beat)\n", c->data_bytes * 8U, c->data_bytes);
    printf("  addresses   %u bits\n", c->addr_width);
    printf("  max burst   %u beats, %u reads outstanding\n", c->max_burst, c->max_outstanding);
    printf("  direct mode %s\n", c->direct ? "yes" : "no");
    if (c->h2c_mask != 0U || c->c2h_mask != 0U) {
        printf("  streams    ");
        for (unsigned ch = 0; ch < c->channels; ch++) {
            enum ferry_ch_kind k = ferry_ch_kind(&d->dev, ch);
            if (k != FERRY_KIND_MEM) {
                printf(" ch%u %s", ch, k == FERRY_KIND_H2C ? "host-to-card (m_axis)" : "card-to-host (s_axis)");
            }
        }
        printf("\n");
    }
    ferry_set_trace(&d->dev, trace, d);
    return check_bus(d);
}

static bool step_small(struct demo *d)
{
    struct ferry_dma_mem src, dst;
    struct ferry_result res;
    uint8_t want[DEMO_SMALL_LEN];
    ferry_status st;
    bool ok = true;

    printf("== 2. the seed's transfer: %u bytes, DMA buffer 0x%08" PRIX64 " -> card memory 0x%08" PRIX64
           ", channel 0, interrupt\n",
           DEMO_SMALL_LEN, DEMO_SRC_BUS, DEMO_DST_BUS);
    st = ferry_sim_alloc_at(d->sim, DEMO_SRC_BUS, 4096, &src);
    if (st != FERRY_OK) {
        printf("  FAIL: source buffer at 0x%08" PRIX64 ": %s\n", DEMO_SRC_BUS, ferry_status_str(st));
        return false;
    }
    st = ferry_sim_alloc_at(d->sim, DEMO_DST_BUS, 4096, &dst);
    if (st != FERRY_OK) {
        printf("  FAIL: card memory at 0x%08" PRIX64 ": %s\n", DEMO_DST_BUS, ferry_status_str(st));
        ferry_sim_dma_free(d->sim, &src);
        return false;
    }
    for (size_t i = 0; i < DEMO_SMALL_LEN; i++) {
        ((uint8_t *)src.cpu)[i] = (uint8_t)(i % 4U + 1U);
        want[i] = (uint8_t)(i % 4U + 1U);
    }
    memset(dst.cpu, 0, DEMO_SMALL_LEN);
    printf("  DMA buffer at 0x%08" PRIX64 " (source):\n", src.bus);
    hexdump(src.cpu, DEMO_SMALL_LEN, src.bus);

    d->print_writes = true;
    printf("  register writes:\n");
    st = ferry_irq_enable(&d->dev, 0, true);
    if (st == FERRY_OK) {
        st = ferry_copy_start(&d->dev, 0, src.bus, dst.bus, DEMO_SMALL_LEN);
    }
    if (st != FERRY_OK) {
        printf("  FAIL: start: %s\n", ferry_status_str(st));
        ok = false;
    } else {
        printf("  doorbell rung at cycle %" PRIu64 "; the CPU is free while the engine copies\n",
               d->doorbell_cycle);
        printf("  waiting for the interrupt (then STATUS is read and cleared):\n");
        st = ferry_copy_wait(&d->dev, 0, DEMO_TIMEOUT_US, &res);
        if (st != FERRY_OK) {
            printf("  FAIL: wait: %s, ERR_CODE %" PRIu32 " %s\n", ferry_status_str(st),
                   st == FERRY_E_DEVICE ? res.err_code : 0U, st == FERRY_E_DEVICE ? ferry_err_str(res.err_code) : "");
            ok = false;
        } else {
            printf("  STATUS was 0x%" PRIX32 " (DONE), %" PRIu64 " bytes; irq line now %s\n", res.status_reg,
                   res.bytes, (tb_irq(d->tb) & 1U) != 0U ? "HIGH (not cleared!)" : "low");
            if ((tb_irq(d->tb) & 1U) != 0U) {
                ok = false;
            }
        }
    }
    d->print_writes = false;
    printf("  card memory at 0x%08" PRIX64 " (destination):\n", dst.bus);
    hexdump(dst.cpu, DEMO_SMALL_LEN, dst.bus);
    if (compare("destination", want, dst.cpu, DEMO_SMALL_LEN, dst.bus) != 0U) {
        ok = false;
    }
    {
        static const uint8_t zero[16];
        if (compare("bytes after the destination", zero, (uint8_t *)dst.cpu + DEMO_SMALL_LEN, sizeof(zero),
                    dst.bus + DEMO_SMALL_LEN) != 0U) {
            ok = false;
        }
    }
    ferry_sim_dma_free(d->sim, &src);
    ferry_sim_dma_free(d->sim, &dst);
    printf("  %s\n", ok ? "destination matches" : "FAIL");
    return ok && check_bus(d);
}

/* xorshift64 for the 1 MiB pattern */
static uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static bool step_big(struct demo *d, uint64_t seed)
{
    const size_t span = DEMO_BIG_LEN + 4096U; /* room for the offsets and guards */
    struct ferry_dma_mem src, dst;
    struct ferry_result res;
    tb_stats_t stats;
    uint8_t *want;
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1U;
    ferry_status st;
    bool ok = true;

    printf("== 3. 1 MiB, unaligned: source offset %u, destination offset %u, %u bytes\n", DEMO_BIG_SRC_OFF,
           DEMO_BIG_DST_OFF, DEMO_BIG_LEN);
    st = ferry_dma_alloc(&d->dev, span, 4096, &src);
    if (st != FERRY_OK) {
        printf("  FAIL: source buffer: %s\n", ferry_status_str(st));
        return false;
    }
    st = ferry_dma_alloc(&d->dev, span, 4096, &dst);
    want = malloc(span);
    if (st != FERRY_OK || want == NULL) {
        printf("  FAIL: destination buffer: %s\n", ferry_status_str(st));
        ferry_dma_free(&d->dev, &src);
        ferry_dma_free(&d->dev, &dst);
        free(want);
        return false;
    }
    for (size_t i = 0; i < span; i++) {
        ((uint8_t *)src.cpu)[i] = (uint8_t)rnd(&s);
    }
    memset(dst.cpu, DEMO_GUARD, span);
    memset(want, DEMO_GUARD, span);
    memcpy(want + DEMO_BIG_DST_OFF, (uint8_t *)src.cpu + DEMO_BIG_SRC_OFF, DEMO_BIG_LEN);
    printf("  source 0x%" PRIX64 ", destination 0x%" PRIX64 "\n", src.bus + DEMO_BIG_SRC_OFF,
           dst.bus + DEMO_BIG_DST_OFF);

    tb_stats_clear(d->tb);
    st = ferry_copy(&d->dev, 0, src.bus + DEMO_BIG_SRC_OFF, dst.bus + DEMO_BIG_DST_OFF, DEMO_BIG_LEN,
                    DEMO_TIMEOUT_US, &res);
    tb_stats(d->tb, &stats);
    if (st != FERRY_OK) {
        printf("  FAIL: copy: %s", ferry_status_str(st));
        if (st == FERRY_E_DEVICE) {
            printf(", ERR_CODE %" PRIu32 " %s", res.err_code, ferry_err_str(res.err_code));
        }
        printf("\n");
        ok = false;
    }
    if (compare("1 MiB destination (with guard bytes around it)", want, dst.cpu, span, dst.bus) != 0U) {
        ok = false;
    } else {
        printf("  all %u bytes match; the guard bytes around them are untouched\n", DEMO_BIG_LEN);
    }
    if (ok && stats.b_count > 0U && stats.last_b_cycle >= d->doorbell_cycle) {
        uint64_t cycles = stats.last_b_cycle - d->doorbell_cycle;
        double bpc = cycles > 0U ? (double)DEMO_BIG_LEN / (double)cycles : 0.0;
        unsigned peak = tb_data_bytes(d->tb);
        printf("  bytes            %u\n", DEMO_BIG_LEN);
        printf("  cycles           %" PRIu64 " (doorbell issued to last write response)\n", cycles);
        printf("  throughput       %.2f bytes/cycle = %.1f%% of the bus peak (%u bytes/cycle)\n", bpc,
               100.0 * bpc / (double)peak, peak);
        printf("                   %.0f MB/s at the simulated %u MHz\n", bpc * FERRY_SIM_CLOCK_MHZ,
               FERRY_SIM_CLOCK_MHZ);
        if (stats.first_ar_cycle != UINT64_MAX && stats.first_ar_cycle >= d->doorbell_cycle) {
            printf("  latency          %" PRIu64 " cycles from doorbell to first read address\n",
                   stats.first_ar_cycle - d->doorbell_cycle);
        }
        printf("  bursts           %" PRIu64 " reads, %" PRIu64 " writes, up to %" PRIu64
               " reads outstanding\n",
               stats.ar_count, stats.aw_count, stats.max_rd_outstanding);
    }
    ferry_dma_free(&d->dev, &src);
    ferry_dma_free(&d->dev, &dst);
    free(want);
    return ok && check_bus(d);
}

/* 4. Scatter-gather on every channel at once (up to four), arbiter weights
 * 1:2:4:8: each channel copies the same scatter-gather list of 32 pieces
 * (1..32 KiB, random alignments) through its descriptor ring. Prints the
 * bytes each channel moved by the time the first one finished (its share of
 * the bus), then checks every byte of every destination. */
#define SG_PIECES 32U
#define SG_MAX 32768U

static bool step_sg(struct demo *d, uint64_t seed)
{
    unsigned nch = 0;
    unsigned chan[4]; /* the memory-to-memory channels used (stream channels copy no memory) */
    static const unsigned weights[4] = {1, 2, 4, 8};
    struct ferry_ring ring[4];
    struct ferry_dma_mem src[4], dst[4];
    struct ferry_sg list[4][SG_PIECES];
    uint64_t total[4] = {0, 0, 0, 0};
    uint64_t at_first[4] = {0, 0, 0, 0};
    uint64_t s = seed * 0xD1B54A32D192ED03ULL + 7U;
    const size_t span = (size_t)SG_PIECES * (SG_MAX + 64U);
    bool ok = true;
    ferry_status st;

    for (unsigned ch = 0; ch < d->dev.caps.channels && nch < 4U; ch++) {
        if (ferry_ch_kind(&d->dev, ch) == FERRY_KIND_MEM) {
            chan[nch++] = ch;
        }
    }
    printf("== 4. scatter-gather: %u channel%s at once, %u pieces each, weights", nch, nch == 1U ? "" : "s",
           SG_PIECES);
    for (unsigned c = 0; c < nch; c++) {
        printf(" %u", weights[c]);
    }
    printf("\n");
    memset(ring, 0, sizeof(ring));
    for (unsigned c = 0; c < nch; c++) {
        if (ferry_dma_alloc(&d->dev, span, 4096, &src[c]) != FERRY_OK ||
            ferry_dma_alloc(&d->dev, span, 4096, &dst[c]) != FERRY_OK) {
            printf("  out of DMA memory\n");
            return false;
        }
        uint8_t *p = src[c].cpu;
        for (size_t i = 0; i < span; i++) {
            p[i] = (uint8_t)(rnd(&s) >> 56);
        }
        memset(dst[c].cpu, DEMO_GUARD, span);
        size_t off = 0;
        for (unsigned i = 0; i < SG_PIECES; i++) {
            uint64_t len = 1024U + rnd(&s) % (SG_MAX - 1024U);
            unsigned so = (unsigned)(rnd(&s) % 32U), doff = (unsigned)(rnd(&s) % 32U);
            list[c][i].src = src[c].bus + off + so;
            list[c][i].dst = dst[c].bus + off + doff;
            list[c][i].len = len;
            total[c] += len;
            off += SG_MAX + 64U;
        }
        st = ferry_ring_init(&d->dev, chan[c], 6, &ring[c]);
        if (st == FERRY_OK) {
            st = ferry_set_weight(&d->dev, chan[c], weights[c]);
        }
        if (st != FERRY_OK) {
            printf("  channel %u: ring set-up: %s\n", chan[c], ferry_status_str(st));
            return false;
        }
    }
    uint64_t base[4] = {0, 0, 0, 0};
    uint32_t base_done[4] = {0, 0, 0, 0};
    for (unsigned c = 0; c < nch; c++) {
        struct ferry_counters cb;
        if (ferry_read_counters(&d->dev, chan[c], &cb) == FERRY_OK) {
            base[c] = cb.bytes_wr; /* earlier steps used channel 0 too */
            base_done[c] = cb.desc_done;
        }
    }
    tb_stats_clear(d->tb);
    uint64_t t0 = tb_cycle(d->tb);
    for (unsigned c = 0; c < nch; c++) {
        st = ferry_ring_submit_sg(&ring[c], list[c], SG_PIECES, FERRY_DESC_IRQ, NULL);
        if (st != FERRY_OK) {
            printf("  channel %u: submit: %s\n", chan[c], ferry_status_str(st));
            return false;
        }
    }
    /* run until the first channel is done, note everyone's bytes, then finish */
    bool first_seen = false;
    uint64_t first_cycle = 0;
    unsigned done_mask = 0;
    while (done_mask != (1U << nch) - 1U && tb_cycle(d->tb) - t0 < 20000000U) {
        tb_step(d->tb, 64);
        for (unsigned c = 0; c < nch; c++) {
            struct ferry_counters cnt;
            if ((done_mask & (1U << c)) != 0U || ferry_read_counters(&d->dev, chan[c], &cnt) != FERRY_OK) {
                continue;
            }
            if (cnt.desc_done - base_done[c] >= SG_PIECES) {
                done_mask |= 1U << c;
                if (!first_seen) {
                    first_seen = true;
                    first_cycle = tb_cycle(d->tb) - t0;
                    for (unsigned k = 0; k < nch; k++) {
                        struct ferry_counters ck;
                        if (ferry_read_counters(&d->dev, chan[k], &ck) == FERRY_OK) {
                            at_first[k] = ck.bytes_wr - base[k];
                        }
                    }
                }
            }
        }
    }
    tb_stats_t bs;
    tb_stats(d->tb, &bs);
    uint64_t cycles = bs.last_b_cycle - t0;   /* to the last write response */
    uint64_t sum_first = 0, sum_total = 0;
    for (unsigned c = 0; c < nch; c++) {
        sum_first += at_first[c];
        sum_total += total[c];
    }
    for (unsigned c = 0; c < nch; c++) {
        struct ferry_cpl cpl[SG_PIECES];
        unsigned got = 0;
        st = ferry_ring_wait(&ring[c], SG_PIECES, DEMO_TIMEOUT_US, cpl, &got);
        unsigned bad = 0;
        for (unsigned i = 0; i < got; i++) {
            bad += cpl[i].status != 0U;
        }
        printf("  ch%u weight %u: %7" PRIu64 " bytes in %u descriptors (%u with errors); "
               "share when the first channel finished: %5.1f%% (weight share %5.1f%%)\n",
               chan[c], weights[c], total[c], got, bad, sum_first ? 100.0 * (double)at_first[c] / (double)sum_first : 0.0,
               100.0 * weights[c] / (double)((1U << nch) - 1U));
        if (st != FERRY_OK || got != SG_PIECES || bad != 0U) {
            printf("  ch%u: %s, %u of %u completions\n", chan[c], ferry_status_str(st), got, SG_PIECES);
            ok = false;
        }
        for (unsigned i = 0; i < SG_PIECES && ok; i++) {
            const uint8_t *want = (const uint8_t *)src[c].cpu + (list[c][i].src - src[c].bus);
            const uint8_t *have = (const uint8_t *)dst[c].cpu + (list[c][i].dst - dst[c].bus);
            if (compare("scatter-gather piece", want, have, (size_t)list[c][i].len, list[c][i].dst) != 0U) {
                ok = false;
            }
            if (have[-1] != DEMO_GUARD || have[list[c][i].len] != DEMO_GUARD) {
                printf("  ch%u piece %u: a guard byte around the destination changed\n", chan[c], i);
                ok = false;
            }
        }
        if (ferry_ring_fini(&ring[c], DEMO_TIMEOUT_US) != FERRY_OK) {
            ok = false;
        }
        ferry_dma_free(&d->dev, &src[c]);
        ferry_dma_free(&d->dev, &dst[c]);
    }
    printf("  %" PRIu64 " bytes on %u channels in %" PRIu64 " cycles (first channel done after %" PRIu64
           "); W beats on %.1f%% of the cycles\n",
           sum_total, nch, cycles, first_cycle, 100.0 * (double)bs.w_beats / (double)cycles);
    printf("  %s\n", ok ? "every byte of every piece matches; guard bytes untouched" : "MISMATCH");
    return ok;
}

/* 5. Stream channels: the packet sequence through the test bench's loopback
 * (host-to-card channel -> m_axis -> s_axis -> card-to-host channel). Per
 * size: all packets queued at once on the TX ring (ferry_tx_send), 2 KiB
 * receive buffers posted ahead on the RX ring, every packet gathered with
 * ferry_rx_packet and checked byte for byte. The rate is the packets'
 * bytes over the cycles from the first TX doorbell to the last write
 * response (data and completion records landed), against the bus peak of
 * DATA_BYTES per cycle in each direction. */
#define ST_BUF 2048U
#define ST_LOG2 8U /* 256-entry rings: 255 buffers / descriptors ahead */
#define ST_SRC (256U * 1024U + 4096U)

struct st_phase {
    uint32_t len;
    unsigned count;
};

static bool stream_phase(struct demo *d, struct ferry_ring *tx, struct ferry_ring *rx, const struct ferry_dma_mem *pool,
                         const struct ferry_dma_mem *src, uint8_t *out, const struct st_phase *ph, uint64_t *s)
{
    const unsigned db = d->dev.caps.data_bytes;
    uint64_t offs[256];
    uint64_t bytes = 0, t0, cycles;
    unsigned sent = 0, got = 0, tx_done = 0, bad = 0;
    tb_stats_t bs;
    ferry_status st;

    for (unsigned i = 0; i < ph->count && i < 256U; i++) {
        offs[i] = rnd(s) % (ST_SRC - ph->len); /* any alignment */
    }
    tb_stats_clear(d->tb);
    t0 = tb_cycle(d->tb);
    while (got < ph->count) {
        struct ferry_cpl cpl[64];
        unsigned n = 0;
        ferry_rx_pkt_t pkt;

        while (sent < ph->count && ferry_ring_space(tx) >= (ph->len - 1U) / FERRY_SG_SPLIT + 1U) {
            const uint8_t tuser = (uint8_t)sent, tid = (uint8_t)(sent >> 8);
            st = ferry_tx_send(tx, src->bus + offs[sent], ph->len, 0, tuser, tid, NULL);
            if (st != FERRY_OK) {
                printf("  FAIL: tx_send: %s\n", ferry_status_str(st));
                return false;
            }
            sent++;
        }
        st = ferry_rx_packet(rx, pool, out, ST_SRC, &pkt, DEMO_TIMEOUT_US);
        if (st != FERRY_OK) {
            printf("  FAIL: packet %u of %u bytes: %s (%zu bytes so far)\n", got, ph->len, ferry_status_str(st),
                   pkt.len);
            return false;
        }
        if (pkt.len != ph->len || memcmp(out, (const uint8_t *)src->cpu + offs[got], ph->len) != 0 ||
            pkt.tuser != (uint8_t)got || pkt.tid != (uint8_t)(got >> 8)) {
            if (bad++ < 4U) {
                printf("  MISMATCH packet %u: %zu bytes (want %" PRIu32 "), TUSER %u TID %u\n", got, pkt.len,
                       ph->len, pkt.tuser, pkt.tid);
                (void)compare("packet", (const uint8_t *)src->cpu + offs[got], out,
                              pkt.len < ph->len ? pkt.len : ph->len, 0);
            }
        }
        bytes += pkt.len;
        got++;
        st = ferry_ring_reap(tx, cpl, 64, &n);
        if (st != FERRY_OK) {
            printf("  FAIL: TX reap: %s\n", ferry_status_str(st));
            return false;
        }
        for (unsigned i = 0; i < n; i++) {
            bad += cpl[i].status != FERRY_ERR_NONE;
        }
        tx_done += n;
    }
    while (tx_done < sent) {
        struct ferry_cpl cpl[64];
        unsigned n = 0, want = sent - tx_done < 64U ? sent - tx_done : 64U;
        st = ferry_ring_wait(tx, want, DEMO_TIMEOUT_US, cpl, &n);
        if (st != FERRY_OK) {
            printf("  FAIL: TX completions: %s\n", ferry_status_str(st));
            return false;
        }
        for (unsigned i = 0; i < n; i++) {
            bad += cpl[i].status != FERRY_ERR_NONE;
        }
        tx_done += n;
    }
    tb_stats(d->tb, &bs);
    cycles = bs.last_b_cycle > t0 ? bs.last_b_cycle - t0 : 1U;
    printf("  %6" PRIu32 " B x %3u: %8" PRIu64 " bytes in %8" PRIu64 " cycles = %5.2f bytes/cycle = %5.1f%% of the "
           "bus peak (%u bytes/cycle)%s\n",
           ph->len, got, bytes, cycles, (double)bytes / (double)cycles,
           100.0 * (double)bytes / (double)cycles / (double)db, db, bad != 0U ? "  MISMATCH" : "");
    return bad == 0U;
}

static bool step_stream(struct demo *d, uint64_t seed)
{
    static const struct st_phase phases[] = {{64, 200}, {1500, 100}, {65536, 4}};
    const struct ferry_caps *c = ferry_caps(&d->dev);
    struct ferry_ring tx, rx;
    struct ferry_dma_mem pool, src;
    struct ferry_counters cnt;
    uint64_t s = seed * 0xA0761D6478BD642FULL + 5U;
    unsigned h2c = 0, c2h = 0;
    uint8_t *out;
    ferry_status st;
    bool ok = true;

    while (h2c < c->channels && ferry_ch_kind(&d->dev, h2c) != FERRY_KIND_H2C) {
        h2c++;
    }
    while (c2h < c->channels && ferry_ch_kind(&d->dev, c2h) != FERRY_KIND_C2H) {
        c2h++;
    }
    if (h2c == c->channels || c2h == c->channels) {
        printf("== 5. streams: this build has no host-to-card and card-to-host channel pair (CFG=stream has)\n");
        return true;
    }
    printf("== 5. streams: ch%u (host-to-card) -> loopback -> ch%u (card-to-host), %u-byte receive buffers\n", h2c,
           c2h, ST_BUF);
    st = ferry_sim_stream_loopback(d->sim, h2c, c2h, true);
    if (st != FERRY_OK) {
        printf("  FAIL: loopback: %s\n", ferry_status_str(st));
        return false;
    }
    ferry_set_trace(&d->dev, NULL, NULL);
    out = malloc(ST_SRC);
    if (out == NULL || ferry_ring_init(&d->dev, h2c, ST_LOG2, &tx) != FERRY_OK) {
        printf("  FAIL: TX ring\n");
        free(out);
        return false;
    }
    if (ferry_ring_init(&d->dev, c2h, ST_LOG2, &rx) != FERRY_OK ||
        ferry_dma_alloc(&d->dev, (size_t)ST_BUF * ((1U << ST_LOG2) - 1U), 4096, &pool) != FERRY_OK ||
        ferry_dma_alloc(&d->dev, ST_SRC, 4096, &src) != FERRY_OK) {
        printf("  FAIL: RX ring or buffers\n");
        free(out);
        return false;
    }
    for (size_t i = 0; i < ST_SRC; i++) {
        ((uint8_t *)src.cpu)[i] = (uint8_t)(rnd(&s) >> 56);
    }
    for (unsigned i = 0; i < (1U << ST_LOG2) - 1U && ok; i++) {
        ok = ferry_rx_post(&rx, pool.bus + (uint64_t)ST_BUF * i, ST_BUF, (uint16_t)i) == FERRY_OK;
    }
    for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]) && ok; i++) {
        ok = stream_phase(d, &tx, &rx, &pool, &src, out, &phases[i], &s);
    }
    if (ferry_read_counters(&d->dev, c2h, &cnt) == FERRY_OK) {
        printf("  card-to-host counters: %u packets, %" PRIu64 " bytes written, %" PRIu64 " cycles starved\n",
               cnt.packets, cnt.bytes_wr, cnt.starve_cycles);
    }
    if (ferry_ring_fini(&tx, DEMO_TIMEOUT_US) != FERRY_OK || ferry_ring_fini(&rx, DEMO_TIMEOUT_US) != FERRY_OK) {
        printf("  FAIL: ring shut-down\n");
        ok = false;
    }
    ferry_dma_free(&d->dev, &pool);
    ferry_dma_free(&d->dev, &src);
    free(out);
    printf("  %s\n", ok ? "every byte of every packet matches, TUSER/TID as sent" : "FAIL");
    return ok && check_bus(d);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
    const char *v = getenv(name);
    char *end = NULL;
    unsigned long long x;

    if (v == NULL || *v == '\0') {
        return def;
    }
    errno = 0;
    x = strtoull(v, &end, 0);
    if (errno != 0 || end == v || *end != '\0') {
        fprintf(stderr, "ferry_demo: %s=%s is not a number; using %" PRIu64 "\n", name, v, def);
        return def;
    }
    return (uint64_t)x;
}

int main(void)
{
    struct demo d;
    tb_config_t cfg;
    uint64_t seed = env_u64("SEED", 1);
    bool quiet = env_u64("QUIET", 0) != 0U;
    const char *fst = getenv("FST");
    const char *part = getenv("DEMO_PART");
    const bool stream_only = part != NULL && strcmp(part, "stream") == 0;
    bool ok;

    memset(&d, 0, sizeof(d));
    if (fst == NULL || *fst == '\0') {
        fst = NULL;
        if (env_u64("WAVES", 0) != 0U) {
            fst = stream_only ? DEMO_STREAM_FST : DEMO_DEFAULT_FST;
            (void)mkdir("sim", 0777);
            (void)mkdir("sim/out", 0777);
        }
    }
    if (quiet) {
        tb_config_default(&cfg);
        cfg.seed = seed;
    } else {
        tb_config_random(&cfg, seed);
    }
    cfg.fst_path = fst;

    printf("ferry demo: the seeds' DMA walk-through on the simulated card\n");
    printf("  seed %" PRIu64 " (%s bus: latency %u..%u cycles, stalls AR %u%% R %u%% AW %u%% W %u%% B %u%%)"
           "; rerun with SEED=%" PRIu64 "%s\n",
           seed, quiet ? "quiet" : "random", cfg.rd_lat_min, cfg.rd_lat_max, cfg.stall_ar, cfg.stall_r,
           cfg.stall_aw, cfg.stall_w, cfg.stall_b, seed, quiet ? " QUIET=1" : "");
    printf("  simulated clock %u MHz\n", FERRY_SIM_CLOCK_MHZ);

    d.tb = tb_new(&cfg);
    if (d.tb == NULL) {
        printf("demo: FAIL (could not build the test bench)\n");
        return 1;
    }
    d.sim = ferry_sim_new(d.tb);
    if (d.sim == NULL) {
        tb_free(d.tb);
        printf("demo: FAIL (out of memory)\n");
        return 1;
    }
    demo_platform(&d);
    if (part != NULL && *part != '\0' && !stream_only) {
        printf("demo: FAIL (DEMO_PART=%s: the only part is \"stream\")\n", part);
        ferry_sim_free(d.sim);
        tb_free(d.tb);
        return 1;
    }
    ok = step_probe(&d);
    if (!stream_only) {
        ok = ok && step_small(&d);
        ok = ok && step_big(&d, seed);
        ok = ok && step_sg(&d, seed);
    }
    if (stream_only || (d.dev.caps.h2c_mask != 0U && d.dev.caps.c2h_mask != 0U)) {
        ok = ok && step_stream(&d, seed);
    }

    if (fst != NULL) {
        printf("waveform: %s (open with gtkwave)\n", fst);
    } else {
        printf("waveform: make wave, or WAVES=1 (writes %s), or FST=path\n",
               stream_only ? DEMO_STREAM_FST : DEMO_DEFAULT_FST);
    }
    ferry_sim_free(d.sim);
    tb_free(d.tb);
    printf("demo: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
