/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferryctl: one command-line tool on the ferry driver, for the simulated card
 * and for a real one.
 *
 *   ferryctl [--sim | --vfio BDF | --uio BDF] [options] <command> [args]
 *
 *   info                     ID, interface version, capabilities, port, the
 *                            cycle counter and the device clock it implies,
 *                            each channel's counters (when CAP1.RING is set;
 *                            a 64-bit one whose HI half never holds still
 *                            is an error, never a value from two moments)
 *   regs                     every register of ferry_reg_info[] (globals, then
 *                            each channel), fields decoded
 *   selftest                 scratch register walk, then copies of many sizes
 *                            and alignments on every channel; every byte and
 *                            the guard bytes around the destination checked
 *                            against the shared C reference model
 *                            (ferry_ref_apply, sw/lib/ferry_desc.c), then the
 *                            device's counters against what ran
 *   copy SRC_OFF DST_OFF LEN one copy between buffers ferryctl allocates,
 *                            at those offsets from a page start, checked
 *   bench                    copies of a few sizes, bytes per microsecond by
 *                            the platform clock
 *   abort                    CTRL.ABORT on --ch (default 0) and wait for
 *                            BUSY = 0; prints STATUS and the ERR_* registers
 *   reset                    CTRL.RESET on --ch: the channel's registers back
 *                            to their reset values (locked windows stay)
 *
 * There is no resume or skip command: they act on a halted ring, which
 * belongs to the process that set it up (its memory goes with it); that
 * process calls ferry_ring_resume() / ferry_ring_skip(). From here,
 * `reset` clears a halted ring left behind (docs/errors.md).
 *
 * Ports: --sim is the Verilated RTL (sw/port/sim; its clock is simulated
 * time at 250 MHz), --vfio the Linux VFIO port, --uio the unsafe sysfs
 * resource0 port (sw/port/linux). Built with -DFERRYCTL_NO_SIM it needs no
 * test bench (make ferryctl-hw) and --sim is refused.
 *
 * selftest, copy and bench run every copy through the same two DMA
 * buffers. A copy that timed out may still be moving data into them, so its
 * channel is stopped at once (ferry_stop_channels()), before the next copy
 * fills them; selftest then goes on with the next case, as after any failed
 * copy (up to CTL_MAX_FAILS), bench and copy end. The buffers are freed only
 * once the channels copied on are stopped: those ferryctl started a copy on,
 * never one it found busy (FERRY_E_BUSY, nothing written: under --uio or
 * --vfio another process may run a transfer there). A channel that does not stop
 * within --timeout-us (at least CTL_STOP_MIN_US) may still write: the
 * buffers are then kept, neither used by another copy nor freed (leaked
 * until ferryctl exits; the Linux port's close tries again and switches bus
 * mastering off, as ferry_linux_close() does for all its memory), a message
 * names the channels, the run ends, and ferryctl exits 1.
 *
 * Exit status: 0 success, 1 failure (a message naming it on stderr), 2 usage.
 * FERRYCTL_SYSFS_ROOT / FERRYCTL_DEV_ROOT (environment) move /sys/bus/pci/devices
 * and /dev for tests. FERRYCTL_SIM_HOLD_US=N (environment, --sim) makes the
 * simulated memory answer every read N microseconds late ("forever": never),
 * for tests of a copy that times out and a channel that cannot stop.
 * FERRYCTL_SIM_FOREIGN_CH=N (environment, --sim) stands in for another
 * process on the card: before the command, a second driver handle enables
 * channel N's interrupt and starts a copy of CTL_SIM_FOREIGN_LEN bytes there
 * between buffers of its own, far longer than a command that fails on a
 * busy channel runs. After the command a line on stderr says whether that
 * copy still runs and shows its IRQ_ENABLE (ferryctl must leave both
 * alone); then it is aborted and its buffers freed. For tests only.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/ferry.h"
#include "ferry/ferry_desc.h"
#include "ferry/ferry_regs.h"
#include "ferry_port_vfio.h"
#ifndef FERRYCTL_NO_SIM
#include "ferry_port_sim.h"
#include "tb.h"
#endif

#define CTL_TIMEOUT_US 1000000U      /* default budget of one transfer */
#define CTL_STOP_MIN_US 1000U        /* least budget for the channels to stop before a free */
#define CTL_GUARD 64U                /* checked bytes around each destination */
#define CTL_BASE 4096U               /* windows start one page into their buffer */
#define CTL_MAX_BUF (256U << 20)     /* copy: largest buffer ferryctl allocates */
#define CTL_MAX_DIFFS 4U
#define CTL_MAX_FAILS 8U             /* selftest stops after this many bad copies */
#define CTL_INFO_WINDOW_US 10000U    /* info: cycle counter measured over this on a card */
#define CTL_INFO_WINDOW_SIM_US 200U  /* ... and on --sim, where every microsecond is simulated */
#define CTL_BENCH_REPS 8U
#define CTL_BENCH_REPS_QUICK 2U
#define CTL_SIM_FOREIGN_LEN (16U << 20) /* FERRYCTL_SIM_FOREIGN_CH: its copy, 2^21 beats on 64 bits */

enum ctl_port { PORT_NONE, PORT_SIM, PORT_VFIO, PORT_UIO };

struct ctl {
    enum ctl_port port;
    const char *bdf;
    const char *cmd;
    unsigned ch;
    bool ch_set;
    bool irq;
    bool quick;
    bool quiet_bus;
    uint64_t seed;
    uint64_t timeout_us;
#ifndef FERRYCTL_NO_SIM
    uint64_t hold_us;  /* FERRYCTL_SIM_HOLD_US: 0 none, UINT64_MAX forever */
    bool foreign;      /* FERRYCTL_SIM_FOREIGN_CH set: foreign_ch runs a copy ferryctl does not own */
    unsigned foreign_ch;
    struct ferry_dev foreign_dev;  /* that copy's own driver handle, as another process has */
    struct ferry_dma_mem foreign_src, foreign_dst;
    tb_t *tb;
    struct ferry_sim *sim;
#endif
    struct ferry_linux *lx;
    const struct ferry_platform *plat;
    struct ferry_dev dev;
};

/* ---- messages ---- */

static int die(const struct ctl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "ferryctl: <command>: <message>" on stderr; returns exit status 1. */
static int die(const struct ctl *c, const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "ferryctl: %s%s", c->cmd != NULL ? c->cmd : "", c->cmd != NULL ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ferryctl [--sim | --vfio BDF | --uio BDF] [options] <command> [args]\n"
            "commands:\n"
            "  info                      ID, version, capabilities, port, clock, counters\n"
            "  regs                      decoded register dump\n"
            "  selftest                  copies of many sizes and alignments, every byte checked\n"
            "  copy SRC_OFF DST_OFF LEN  one checked copy between buffers ferryctl allocates\n"
            "  bench                     bytes per microsecond for a few sizes\n"
            "  abort                     stop channel --ch (CTRL.ABORT), show STATUS and ERR_*\n"
            "  reset                     reset channel --ch (CTRL.RESET), show STATUS and ERR_*\n"
            "ports:\n"
            "  --sim                     the Verilated RTL (simulated 250 MHz clock)\n"
            "  --vfio BDF                a card bound to vfio-pci (BDF as lspci -D prints it)\n"
            "  --uio BDF                 sysfs resource0, no IOMMU: UNSAFE, the card can write anywhere\n"
            "options:\n"
            "  --ch N                    channel (default 0; selftest: every channel)\n"
            "  --irq                     wait on interrupts instead of polling STATUS\n"
            "  --seed N                  data pattern and simulated bus (default SEED or 1)\n"
            "  --timeout-us N            budget of one transfer (default %u), and of stopping a\n"
            "                            channel after a timeout or before the buffers are freed\n"
            "                            (at least %u)\n"
            "  --quick                   selftest: fewer cases; bench: 2 copies per size\n"
            "  --quiet-bus               --sim: no random latency or backpressure\n"
            "exit status: 0 ok, 1 failure (message on stderr), 2 usage\n",
            CTL_TIMEOUT_US, CTL_STOP_MIN_US);
}

/* Parses a whole unsigned number (decimal, 0x hex); false on anything else. */
static bool parse_u64(const char *s, uint64_t *v)
{
    char *end = NULL;
    unsigned long long x;

    if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ') {
        return false;
    }
    errno = 0;
    x = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0') {
        return false;
    }
    *v = (uint64_t)x;
    return true;
}

/* ---- data ---- */

static uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static void fill_random(uint8_t *p, size_t len, uint64_t *s)
{
    for (size_t i = 0; i < len; i++) {
        p[i] = (uint8_t)(rnd(s) >> 24);
    }
}

/* Guard pattern: position dependent, so a shifted write shows. */
static uint8_t guard_byte(size_t i)
{
    return (uint8_t)(0xA5U ^ (i * 29U));
}

static void fill_guard(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        p[i] = guard_byte(i);
    }
}

/* Compares got with want over [lo, hi); prints up to CTL_MAX_DIFFS
 * differences (bus addresses from base); returns the count. */
static size_t compare(const char *what, const uint8_t *want, const uint8_t *got, size_t lo, size_t hi, uint64_t base,
                      size_t win_lo, size_t win_hi)
{
    size_t bad = 0;

    for (size_t i = lo; i < hi; i++) {
        if (want[i] != got[i]) {
            if (bad < CTL_MAX_DIFFS) {
                fprintf(stderr, "  %s: byte at bus 0x%" PRIx64 " (%s) is 0x%02X, want 0x%02X\n", what,
                        base + i, i < win_lo ? "guard before" : (i >= win_hi ? "guard after" : "data"), got[i],
                        want[i]);
            }
            bad++;
        }
    }
    return bad;
}

/* The budget for channels to stop (after a timeout, before a free, a
 * foreign copy's end): --timeout-us, at least CTL_STOP_MIN_US, so a tiny
 * transfer budget does not make a draining channel look stuck. */
static uint64_t stop_budget_us(const struct ctl *c)
{
    return c->timeout_us > CTL_STOP_MIN_US ? c->timeout_us : CTL_STOP_MIN_US;
}

/* ---- ports ---- */

#ifndef FERRYCTL_NO_SIM
/* FERRYCTL_SIM_FOREIGN_CH: another process's copy on channel foreign_ch,
 * through a driver handle and buffers ferryctl's own never touch. */
static int foreign_start(struct ctl *c)
{
    struct ferry_dev *d = &c->foreign_dev;
    ferry_status st = ferry_probe(d, c->plat);

    if (st == FERRY_OK && c->foreign_ch >= ferry_caps(d)->channels) {
        st = FERRY_E_INVAL;
    }
    if (st == FERRY_OK) {
        st = ferry_sim_alloc(c->sim, CTL_SIM_FOREIGN_LEN, 4096, &c->foreign_src);
    }
    if (st == FERRY_OK) {
        st = ferry_sim_alloc(c->sim, CTL_SIM_FOREIGN_LEN, 4096, &c->foreign_dst);
    }
    if (st == FERRY_OK) {
        st = ferry_irq_enable(d, c->foreign_ch, true);
    }
    if (st == FERRY_OK) {
        st = ferry_copy_start(d, c->foreign_ch, c->foreign_src.bus, c->foreign_dst.bus, CTL_SIM_FOREIGN_LEN);
    }
    if (st != FERRY_OK) {
        return die(c, "--sim: FERRYCTL_SIM_FOREIGN_CH=%u: %s", c->foreign_ch, ferry_status_str(st));
    }
    return 0;
}

/* After the command: says what became of the foreign copy, then ends it as
 * its owner would and frees its buffers (left to ferry_sim_free() if the
 * channel does not stop). */
static void foreign_end(struct ctl *c)
{
    struct ferry_dev *d = &c->foreign_dev;
    const unsigned ch = c->foreign_ch;
    const uint32_t s = ferry_read32(d, FERRY_CH_REG(ch, FERRY_CH_STATUS));
    const uint32_t en = ferry_read32(d, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE));

    fprintf(stderr, "ferryctl: FERRYCTL_SIM_FOREIGN_CH: the foreign copy on ch %u %s (STATUS 0x%08" PRIX32
                    ", ERR_CODE %s), IRQ_ENABLE 0x%" PRIX32 "\n",
            ch, FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U ? "still runs" : "has ended", s,
            ferry_err_str(FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s)), en);
    if (ferry_abort(d, ch, stop_budget_us(c)) == FERRY_OK) {
        ferry_sim_dma_free(c->sim, &c->foreign_src);
        ferry_sim_dma_free(c->sim, &c->foreign_dst);
    }
}
#endif

static int open_port(struct ctl *c)
{
    char err[512];
    ferry_status st;

    switch (c->port) {
    case PORT_SIM: {
#ifdef FERRYCTL_NO_SIM
        return die(c, "--sim: this ferryctl was built without the simulator (FERRYCTL_NO_SIM)");
#else
        tb_config_t cfg;
        if (c->quiet_bus) {
            tb_config_default(&cfg);
            cfg.seed = c->seed;
        } else {
            tb_config_random(&cfg, c->seed);
        }
        c->tb = tb_new(&cfg);
        if (c->tb == NULL) {
            return die(c, "--sim: could not build the test bench");
        }
        c->sim = ferry_sim_new(c->tb);
        if (c->sim == NULL) {
            return die(c, "--sim: out of memory");
        }
        c->plat = ferry_sim_platform(c->sim);
        if (c->hold_us != 0U) {
            const uint64_t cycles = c->hold_us == UINT64_MAX ? TB_HOLD_FOREVER : c->hold_us * FERRY_SIM_CYCLES_PER_US;
            if (tb_mem_hold_responses(c->tb, 0, UINT64_MAX, 0, cycles) != 0) {
                return die(c, "--sim: FERRYCTL_SIM_HOLD_US: the memory model refused the hold");
            }
        }
        return c->foreign ? foreign_start(c) : 0;
#endif
    }
    case PORT_VFIO:
    case PORT_UIO: {
        struct ferry_linux_opts o;
        memset(&o, 0, sizeof(o));
        o.sysfs_root = getenv("FERRYCTL_SYSFS_ROOT");
        o.dev_root = getenv("FERRYCTL_DEV_ROOT");
        if (c->port == PORT_VFIO) {
            st = ferry_vfio_open(c->bdf, &o, &c->lx, err, sizeof(err));
        } else {
            st = ferry_sysfs_open(c->bdf, &o, &c->lx, err, sizeof(err));
        }
        if (st != FERRY_OK) {
            return die(c, "%s %s: %s", c->port == PORT_VFIO ? "--vfio" : "--uio", c->bdf, err);
        }
        c->plat = ferry_linux_platform(c->lx);
        return 0;
    }
    case PORT_NONE:
    default:
        return die(c, "no port: give --sim, --vfio BDF or --uio BDF");
    }
}

/* 0, or 1 when the Linux port could not stop a channel before freeing its
 * DMA memory (the port kept the memory; the message says which channel). */
static int close_port(struct ctl *c)
{
    char err[512];
    int rc = 0;

    if (ferry_linux_close(c->lx, err, sizeof(err)) != FERRY_OK) {
        rc = die(c, "closing the port: %s", err);
    }
    c->lx = NULL;
#ifndef FERRYCTL_NO_SIM
    ferry_sim_free(c->sim);
    c->sim = NULL;
    if (c->tb != NULL) {
        tb_free(c->tb);
        c->tb = NULL;
    }
#endif
    return rc;
}

/* After every command on --sim: the bus models saw no protocol error,
 * every register access answered OKAY and no buffer was freed under a
 * burst still outstanding. */
static int check_sim(const struct ctl *c)
{
#ifndef FERRYCTL_NO_SIM
    if (c->tb != NULL && tb_error(c->tb) != NULL) {
        return die(c, "simulated bus protocol error: %s", tb_error(c->tb));
    }
    if (c->sim != NULL && ferry_sim_bad_resp_count(c->sim) != 0U) {
        return die(c, "%" PRIu64 " register accesses were not answered OKAY", ferry_sim_bad_resp_count(c->sim));
    }
    if (c->sim != NULL && ferry_sim_unsafe_free_count(c->sim) != 0U) {
        return die(c, "%" PRIu64 " DMA buffers were freed while the bus still had bursts to them (details above)",
                   ferry_sim_unsafe_free_count(c->sim));
    }
#else
    (void)c;
#endif
    return 0;
}

static const char *port_name(const struct ctl *c)
{
    switch (c->port) {
    case PORT_SIM:
        return "sim";
    case PORT_VFIO:
        return "vfio";
    case PORT_UIO:
        return "uio (sysfs resource0, no IOMMU: unsafe)";
    case PORT_NONE:
    default:
        return "none";
    }
}

static void print_port(const struct ctl *c)
{
    if (c->port == PORT_SIM) {
#ifndef FERRYCTL_NO_SIM
        printf("port        sim: Verilated ferry_top, %s bus, seed %" PRIu64 ", simulated %u MHz clock\n",
               c->quiet_bus ? "quiet" : "random", c->seed, FERRY_SIM_CLOCK_MHZ);
#endif
        return;
    }
    if (c->lx != NULL) {
        struct ferry_linux_info li;
        ferry_linux_get_info(c->lx, &li);
        printf("port        %s %s", port_name(c), li.bdf);
        if (li.kind == FERRY_LINUX_VFIO) {
            printf(", IOMMU group %d, IOVA window 0x%" PRIx64 "..0x%" PRIx64, li.iommu_group, li.iova_base,
                   li.iova_base + li.iova_size - 1U);
        }
        printf("\n");
        printf("BAR0        %" PRIu64 " bytes, %s\n", li.bar_size,
               li.bar_mmapped ? "mmapped" : "pread/pwrite (not mmappable)");
        printf("interrupts  %s", li.irq_kind);
        if (li.irq_vectors > 0U) {
            printf(", %u vector%s", li.irq_vectors, li.irq_vectors == 1U ? "" : "s");
        }
        printf("\n");
    }
}

/* Probe with a message naming what was read. */
static int probe(struct ctl *c)
{
    ferry_status st = ferry_probe(&c->dev, c->plat);
    const struct ferry_caps *k = ferry_caps(&c->dev);

    if (st == FERRY_OK) {
        ferry_set_poll_interval(&c->dev, c->port == PORT_SIM ? 1U : 0U);
        if (c->ch_set && c->ch >= k->channels) {
            return die(c, "--ch %u: the device has %u channel%s (0..%u)", c->ch, k->channels,
                       k->channels == 1U ? "" : "s", k->channels - 1U);
        }
        return 0;
    }
    if (st == FERRY_E_NODEV && k->id == 0xFFFFFFFFU) {
        return die(c, "ID reads 0xFFFFFFFF (all ones): the device does not answer; link down, memory decoding "
                      "off, or the FPGA was reloaded after boot (remove and rescan the device) (%s)",
                   ferry_status_str(st));
    }
    if (st == FERRY_E_NODEV && k->id != FERRY_MAGIC) {
        return die(c, "ID reads 0x%08" PRIX32 ", not 0x%08X \"FRRY\": not a ferry device, wrong BAR or wrong bitstream (%s)",
                   k->id, FERRY_MAGIC, ferry_status_str(st));
    }
    if (st == FERRY_E_VERSION) {
        return die(c, "interface version %u.%u, this ferryctl speaks %u.x: rebuild it from the matching tree (%s)",
                   k->version_major, k->version_minor, FERRY_IF_VERSION_MAJOR, ferry_status_str(st));
    }
    if (st == FERRY_E_NODEV) {
        return die(c, "capabilities out of range: CAP0 0x%08" PRIX32 " CAP1 0x%08" PRIX32 " (%s)", k->cap0, k->cap1,
                   ferry_status_str(st));
    }
    return die(c, "probe: %s", ferry_status_str(st));
}

/* ---- counters ---- */

/* Channel ch's counters (CAP1.RING, interface 1.1) through the driver's
 * ferry_read_counters(), which reads each 64-bit one HI, LO, HI, again if
 * HI moved, and gives up with FERRY_E_AGAIN rather than return a value
 * whose halves come from different moments. FERRY_E_UNSUPPORTED: the
 * device has none (*out zeroed); any other failure: *out is not to be
 * used, counters_error() says why. */
static ferry_status read_counters(struct ctl *c, unsigned ch, struct ferry_counters *out)
{
    memset(out, 0, sizeof(*out));
    if (!ferry_caps(&c->dev)->ring) {
        return FERRY_E_UNSUPPORTED;
    }
    return ferry_read_counters(&c->dev, ch, out);
}

/* Prints why channel ch's counters could not be read; returns 1. */
static int counters_error(const struct ctl *c, unsigned ch, ferry_status st)
{
    if (st == FERRY_E_AGAIN) {
        return die(c, "ch %u counters unavailable: the HI half of a 64-bit counter changed between every pair "
                      "of its reads (HI, LO, HI), so no consistent value was read; no counter moves that fast: "
                      "register reads are unreliable (docs/bringup.md)",
                   ch);
    }
    return die(c, "ch %u counters unavailable: %s", ch, ferry_status_str(st));
}

/* ---- info ---- */

static uint64_t read_cycles(struct ctl *c)
{
    uint32_t lo = ferry_read32(&c->dev, FERRY_REG_CYCLE_LO); /* latches CYCLE_HI */
    uint32_t hi = ferry_read32(&c->dev, FERRY_REG_CYCLE_HI);
    return (uint64_t)hi << 32 | lo;
}

static int cmd_info(struct ctl *c)
{
    const struct ferry_caps *k;
    const uint64_t window = c->port == PORT_SIM ? CTL_INFO_WINDOW_SIM_US : CTL_INFO_WINDOW_US;
    uint64_t c0, c1, t0, t1;

    print_port(c);
    if (probe(c) != 0) {
        return 1;
    }
    k = ferry_caps(&c->dev);
    printf("ID          0x%08" PRIX32 " \"FRRY\"\n", k->id);
    printf("IF_VERSION  %u.%u (this driver: %u.%u)\n", k->version_major, k->version_minor, FERRY_IF_VERSION_MAJOR,
           FERRY_IF_VERSION_MINOR);
    printf("CAP0        0x%08" PRIX32 ": %u channel%s, %u-bit data bus, %u-bit addresses\n", k->cap0, k->channels,
           k->channels == 1U ? "" : "s", k->data_bytes * 8U, k->addr_width);
    printf("CAP1        0x%08" PRIX32 ": bursts up to %u beats, %u reads outstanding, direct mode %s", k->cap1,
           k->max_burst, k->max_outstanding, k->direct ? "yes" : "no");
#ifdef FERRY_CAP1_RING_MASK
    printf(", ring mode %s", FERRY_FIELD_GET(FERRY_CAP1_RING, k->cap1) != 0U ? "yes" : "no");
#endif
    printf("\n");
    if (k->h2c_mask != 0U || k->c2h_mask != 0U) {
        printf("CAP2        0x%08" PRIX32 ": stream channels:", k->cap2);
        for (unsigned ch = 0; ch < k->channels; ch++) {
            enum ferry_ch_kind kind = ferry_ch_kind(&c->dev, ch);
            if (kind != FERRY_KIND_MEM) {
                printf(" %u %s", ch, kind == FERRY_KIND_H2C ? "host-to-card" : "card-to-host");
            }
        }
        printf("\n");
    }
    printf("wait_irq    %s\n", c->plat->wait_irq != NULL ? "yes (interrupts usable with --irq)" : "no (STATUS is polled)");
    /* Counters: today the free-running cycle counter. */
    c0 = read_cycles(c);
    t0 = c->plat->now_us(c->plat->ctx);
    c->plat->delay_us(c->plat->ctx, window);
    c1 = read_cycles(c);
    t1 = c->plat->now_us(c->plat->ctx);
    printf("CYCLE       %" PRIu64 "\n", c1);
    if (c1 <= c0) {
        return die(c, "the cycle counter did not advance (%" PRIu64 " then %" PRIu64 "): is the core clock running?",
                   c0, c1);
    }
    if (t1 > t0) {
        printf("clock       %.1f MHz (%" PRIu64 " cycles in %" PRIu64 " us of platform time)\n",
               (double)(c1 - c0) / (double)(t1 - t0), c1 - c0, t1 - t0);
    }
    for (unsigned ch = 0; ch < k->channels; ch++) {
        struct ferry_counters n;
        ferry_status st = read_counters(c, ch, &n);
        if (st == FERRY_E_UNSUPPORTED) {
            printf("counters    none per channel (CAP1.RING = 0)\n");
            break;
        }
        if (st != FERRY_OK) {
            return counters_error(c, ch, st);
        }
        if (ch == 0U) {
            printf("counters    %2s %14s %14s %10s %8s %14s %14s %14s\n", "ch", "bytes read", "bytes written",
                   "transfers", "errors", "busy cycles", "grant wait", "bus stall");
        }
        printf("            %2u %14" PRIu64 " %14" PRIu64 " %10" PRIu32 " %8" PRIu32 " %14" PRIu64 " %14" PRIu64
               " %14" PRIu64 "\n",
               ch, n.bytes_rd, n.bytes_wr, n.desc_done, n.errors, n.busy_cycles, n.wait_cycles, n.stall_cycles);
    }
    return check_sim(c);
}

/* ---- regs ---- */

/* Decodes every field of r (ferry_field_info[], generated from the register
 * map, so a new field shows up here without an edit). Single-field
 * registers print the value alone. */
static void print_reg(struct ctl *c, unsigned ri, uint32_t off)
{
    const struct ferry_reg_info *r = &ferry_reg_info[ri];
    unsigned nfields = 0;
    uint32_t v;

    if (strcmp(r->access, "wo") == 0) {
        printf("  0x%04" PRIX32 "  %-12s %s  (write-only)\n", off, r->name, r->access);
        return;
    }
    v = ferry_read32(&c->dev, off);
    printf("  0x%04" PRIX32 "  %-12s %s  0x%08" PRIX32, off, r->name, r->access, v);
    if (strcmp(r->name, "ID") == 0) {
        printf("  \"%c%c%c%c\"", (int)(v >> 24 & 0x7FU), (int)(v >> 16 & 0x7FU), (int)(v >> 8 & 0x7FU),
               (int)(v & 0x7FU));
    }
    for (unsigned i = 0; i < ferry_field_info_count; i++) {
        nfields += ferry_field_info[i].reg == ri;
    }
    for (unsigned i = 0; i < ferry_field_info_count && nfields > 1U; i++) {
        const struct ferry_field_info *f = &ferry_field_info[i];
        uint32_t x;
        if (f->reg != ri || strcmp(f->access, "wo") == 0) {
            continue;
        }
        x = (uint32_t)((v >> f->lsb) & (uint32_t)((1ULL << f->width) - 1U));
        if (strcmp(r->name, "STATUS") == 0 && strcmp(f->name, "ERR_CODE") == 0) {
            printf("  %s=%" PRIu32 " (%s)", f->name, x, ferry_err_str(x));
        } else {
            printf("  %s=%" PRIu32, f->name, x);
        }
    }
    if (r->read_effect != NULL) {
        printf("  (read %s)", r->read_effect);
    }
    printf("\n");
}

static int cmd_regs(struct ctl *c)
{
    ferry_status st = ferry_probe(&c->dev, c->plat);
    unsigned nch;
    int rc = 0;

    print_port(c);
    /* A device that fails probe still gets its global registers dumped:
     * that is what one needs to see during bring-up. */
    nch = st == FERRY_OK ? ferry_caps(&c->dev)->channels : 0U;
    printf("global registers (BAR0):\n");
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        if (ferry_reg_info[i].per_channel == 0) {
            print_reg(c, i, ferry_reg_info[i].offset);
        }
    }
    for (unsigned ch = 0; ch < nch; ch++) {
        if (c->ch_set && ch != c->ch) {
            continue;
        }
        printf("channel %u (BAR0 + 0x%04" PRIX32 "):\n", ch, (uint32_t)FERRY_CH_REG(ch, 0U));
        for (unsigned i = 0; i < ferry_reg_info_count; i++) {
            if (ferry_reg_info[i].per_channel != 0) {
                print_reg(c, i, FERRY_CH_REG(ch, ferry_reg_info[i].offset));
            }
        }
    }
    if (st != FERRY_OK) {
        rc = probe(c); /* names the problem */
        return rc != 0 ? rc : 1;
    }
    if (c->ch_set && c->ch >= nch) {
        return die(c, "--ch %u: the device has %u channels", c->ch, nch);
    }
    return check_sim(c);
}

/* ---- copies ---- */

struct bufs {
    struct ferry_dma_mem src, dst;
    uint8_t *want;     /* destination as it must be */
    uint8_t *src_was;  /* source as it must stay */
    size_t size;
    uint32_t chans;    /* channels a copy was started on: stopped before the free, no other (under
                        * --uio / --vfio another process may run a transfer on one ferryctl found busy) */
    bool kept;         /* a channel did not stop: src and dst are never used or freed again */
};

/* The memory the reference model sees: the source buffer at its bus
 * address, and the expected image of the destination buffer at its. */
struct ref_view {
    uint64_t src_bus, dst_bus;
    const uint8_t *src;
    uint8_t *want;
    size_t size;
    bool stray;  /* the model touched a byte outside both buffers */
};

static void ref_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    struct ref_view *v = ctx;

    if (len <= v->size && addr >= v->src_bus && addr - v->src_bus <= v->size - len) {
        memcpy(buf, v->src + (addr - v->src_bus), len);
    } else if (len <= v->size && addr >= v->dst_bus && addr - v->dst_bus <= v->size - len) {
        memcpy(buf, v->want + (addr - v->dst_bus), len);
    } else {
        memset(buf, 0, len);
        v->stray = true;
    }
}

static void ref_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
    struct ref_view *v = ctx;

    if (len <= v->size && addr >= v->dst_bus && addr - v->dst_bus <= v->size - len) {
        memcpy(v->want + (addr - v->dst_bus), buf, len);
    } else {
        v->stray = true;
    }
}

/* What a direct copy of len bytes from bus src to bus dst must leave in the
 * destination buffer, by the shared C reference model (sw/lib/ferry_desc.c,
 * the test bench's scoreboard uses the same): want holds the destination's
 * old contents and gets the new. A direct copy is a plain descriptor; LEN
 * above the descriptor's 24 bits is modelled as consecutive descriptors,
 * which is the same for non-overlapping buffers. 0 when the model accepts
 * every piece and touched only the two buffers. */
static int ref_direct_copy(const struct ferry_caps *k, const struct bufs *b, uint64_t src, uint64_t dst, size_t len)
{
    struct ref_view v = {b->src.bus, b->dst.bus, b->src.cpu, b->want, b->size, false};
    const struct ferry_ref_mem mem = {&v, ref_read, ref_write};
    size_t done = 0;

    while (done < len) {
        struct ferry_desc d;
        size_t n = len - done > FERRY_DESC_LEN_MAX ? FERRY_DESC_LEN_MAX : len - done;
        uint32_t err;

        memset(&d, 0, sizeof(d));
        d.src = src + done;
        d.dst = dst + done;
        d.len = (uint32_t)n;
        err = ferry_ref_check(&d, k->data_bytes, k->addr_width);
        if (err != FERRY_ERR_NONE) {
            fprintf(stderr, "  reference model rejects the copy: %s\n", ferry_err_str(err));
            return 1;
        }
        if (ferry_ref_apply(&d, k->data_bytes, k->addr_width, &mem) != n || v.stray) {
            fprintf(stderr, "  reference model: wrong byte count or a byte outside the buffers\n");
            return 1;
        }
        done += n;
    }
    return 0;
}

static int bufs_alloc(struct ctl *c, struct bufs *b, size_t size)
{
    ferry_status st;

    memset(b, 0, sizeof(*b));
    b->size = size;
    st = ferry_dma_alloc(&c->dev, size, 4096, &b->src);
    if (st == FERRY_OK) {
        st = ferry_dma_alloc(&c->dev, size, 4096, &b->dst);
    }
    b->want = malloc(size);
    b->src_was = malloc(size);
    if (st != FERRY_OK || b->want == NULL || b->src_was == NULL) {
        const char *why = c->lx != NULL ? ferry_linux_last_error(c->lx) : "";
        ferry_dma_free(&c->dev, &b->src);
        ferry_dma_free(&c->dev, &b->dst);
        free(b->want);
        free(b->src_was);
        b->want = NULL;
        b->src_was = NULL;
        return die(c, "cannot allocate two DMA buffers of %zu bytes: %s%s%s", size,
                   st != FERRY_OK ? ferry_status_str(st) : "out of memory", *why != '\0' ? ": " : "", why);
    }
    return 0;
}

/* Stops the channels of mask (ferry_stop_channels(), one budget:
 * --timeout-us, at least CTL_STOP_MIN_US) before the two DMA buffers are
 * used again or freed; "when" says after what, for the message. 0 when
 * every one stopped. Else (one still BUSY, or STATUS read all ones) it may
 * still write into them: the buffers are kept from then on, never used or
 * freed again (b->kept; leaked until ferryctl exits), a message names the
 * channels, and 1 is returned. */
static int bufs_stop(struct ctl *c, struct bufs *b, uint32_t mask, const char *when)
{
    const uint64_t budget = stop_budget_us(c);
    uint32_t stuck = 0;
    ferry_status st = ferry_stop_channels(&c->dev, mask, budget, &stuck);
    char names[8U * FERRY_MAX_CHANNELS] = "";
    size_t used = 0;

    if (st == FERRY_OK) {
        return 0;
    }
    for (unsigned ch = 0; ch < FERRY_MAX_CHANNELS; ch++) {
        if ((stuck & (1U << ch)) != 0U) {
            used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%u", used == 0U ? " " : ", ", ch);
        }
    }
    b->kept = true;
    return die(c, "channel%s%s did not stop within %" PRIu64 " us %s (%s): the two DMA buffers (%zu bytes each) "
                  "are kept, not freed, since the card may still write into them (no copy uses them again; "
                  "leaked until ferryctl exits; a bus response that never comes keeps a channel STOPPING until "
                  "a bus reset, docs/errors.md)",
               (stuck & (stuck - 1U)) != 0U ? "s" : "", names, budget, when,
               st == FERRY_E_TIMEOUT ? "still BUSY" : ferry_status_str(st), b->size);
}

/* Stops the channels the copies ran on (bufs_stop()), then frees the
 * buffers. 0; or 1 when they are kept (bufs_stop() said why, now or after
 * the copy that timed out). The host copies are freed either way. */
static int bufs_free(struct ctl *c, struct bufs *b)
{
    const int rc = b->kept ? 1 : bufs_stop(c, b, b->chans, "after the copies");

    free(b->want);
    free(b->src_was);
    b->want = NULL;
    b->src_was = NULL;
    if (!b->kept) {
        ferry_dma_free(&c->dev, &b->src);
        ferry_dma_free(&c->dev, &b->dst);
    }
    b->chans = 0;
    return rc;
}

struct copy_case {
    unsigned ch;
    size_t src_off, dst_off, len;
    bool irq;
};

/* One checked copy: the source window gets fresh random bytes, the whole
 * destination span (window plus CTL_GUARD bytes each side) the guard
 * pattern; afterwards the span must equal the reference, the source must be
 * unchanged and the channel's interrupt line low. 0 if all held; the
 * elapsed platform time in *us. Only a copy ferry_copy_start() started
 * adds its channel to b->chans and then (k->irq) enables its interrupt;
 * one it refused (FERRY_E_BUSY: the channel runs a transfer or has a ring,
 * maybe another process's; FERRY_E_IO, bad arguments) wrote nothing to the
 * channel, and ferryctl writes nothing to it either: no stop, no
 * IRQ_ENABLE.
 * A started copy that timed out (or met a card that stopped answering) may
 * still be moving data into the buffers every copy shares: its channel is
 * stopped at once (bufs_stop()), before they are filled again; if it does
 * not stop, b->kept is set and the caller must end the run without touching
 * them. */
static int one_copy(struct ctl *c, struct bufs *b, const struct copy_case *k, uint64_t *seed, uint64_t *us)
{
    uint8_t *src = b->src.cpu, *dst = b->dst.cpu;
    const size_t s0 = CTL_BASE + k->src_off, d0 = CTL_BASE + k->dst_off;
    const size_t lo = d0 - CTL_GUARD, hi = d0 + k->len + CTL_GUARD;
    struct ferry_result res;
    uint64_t t0, t1;
    ferry_status st;
    bool started, irq_on = false;
    size_t bad;

    fill_random(src + s0 - CTL_GUARD, k->len + 2U * CTL_GUARD, seed);
    fill_guard(dst + lo, hi - lo);
    memcpy(b->want + lo, dst + lo, hi - lo);
    if (ref_direct_copy(ferry_caps(&c->dev), b, b->src.bus + s0, b->dst.bus + d0, k->len) != 0) {
        return 1;
    }
    memcpy(b->src_was + s0 - CTL_GUARD, src + s0 - CTL_GUARD, k->len + 2U * CTL_GUARD);

    t0 = c->plat->now_us(c->plat->ctx);
    st = ferry_copy_start(&c->dev, k->ch, b->src.bus + s0, b->dst.bus + d0, k->len);
    started = st == FERRY_OK;
    if (started) {
        b->chans |= 1U << k->ch; /* ours now: stopped before the buffers go */
        /* the interrupt only on a channel that is ours: the line is level
         * (DONE or ERROR, and the enable) and ferry_copy_wait() reads
         * STATUS before it waits, so a copy already done is seen */
        st = k->irq ? ferry_irq_enable(&c->dev, k->ch, true) : FERRY_OK;
        irq_on = k->irq && st == FERRY_OK;
        if (st == FERRY_OK) {
            st = ferry_copy_wait(&c->dev, k->ch, c->timeout_us, &res);
        }
    }
    t1 = c->plat->now_us(c->plat->ctx);
    *us = t1 - t0;
    if (st != FERRY_OK) {
        fprintf(stderr, "  copy ch %u len %zu src_off %zu dst_off %zu: %s", k->ch, k->len, k->src_off, k->dst_off,
                ferry_status_str(st));
        if (st == FERRY_E_DEVICE) {
            fprintf(stderr, ", ERR_CODE %" PRIu32 " %s: %s (ERR_ADDR 0x%" PRIX64 ", %" PRIu64 " bytes done, %" PRIu64
                            " left)",
                    res.err_code, ferry_err_str(res.err_code), ferry_err_desc(res.err_code), res.fault_addr, res.bytes,
                    res.residue);
        }
        if (st == FERRY_E_BUSY) {
            fprintf(stderr, ": it runs a transfer or has a ring that ferryctl did not start (another process?); "
                            "nothing was written to it and ferryctl leaves it alone");
        }
        if (st == FERRY_E_IDLE) {
            fprintf(stderr, ": neither DONE nor ERROR after the doorbell, so the CTRL write did not start it");
        }
        if (st == FERRY_E_IO) {
            fprintf(stderr, ": the card stopped answering (link down, reset or removed); check `lspci -vv` "
                            "for the link and the command register (docs/bringup.md)");
        }
        if (st == FERRY_E_TIMEOUT) {
            fprintf(stderr, " after %" PRIu64 " us (STATUS 0x%08" PRIX32 ")", c->timeout_us,
                    ferry_read32(&c->dev, FERRY_CH_REG(k->ch, FERRY_CH_STATUS)));
        }
        fprintf(stderr, "\n");
        if (started && (st == FERRY_E_TIMEOUT || st == FERRY_E_IO)) {
            /* the channel may still move data into the buffers: stop it first */
            const char *when = st == FERRY_E_TIMEOUT ? "after its copy timed out" : "after its copy failed";
            if (bufs_stop(c, b, 1U << k->ch, when) == 0) {
                const uint32_t s = ferry_read32(&c->dev, FERRY_CH_REG(k->ch, FERRY_CH_STATUS));
                fprintf(stderr, "  ch %u stopped before the buffers are used again or freed (STATUS 0x%08" PRIX32
                                ", ERR_CODE %s)\n",
                        k->ch, s, ferry_err_str(FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s)));
            }
        }
    }
    if (irq_on) {
        ferry_status st2 = ferry_irq_enable(&c->dev, k->ch, false);
        if (st2 != FERRY_OK) {
            fprintf(stderr, "  irq disable ch %u: %s\n", k->ch, ferry_status_str(st2));
            return 1;
        }
    }
    if (st != FERRY_OK) {
        return 1;
    }
    bad = compare("destination", b->want, dst, lo, hi, b->dst.bus, d0, d0 + k->len);
    bad += compare("source", b->src_was, src, s0 - CTL_GUARD, s0 + k->len + CTL_GUARD, b->src.bus, s0, s0 + k->len);
    if (res.bytes != k->len || res.db_overrun) {
        fprintf(stderr, "  result: %" PRIu64 " bytes (want %zu)%s\n", res.bytes, k->len,
                res.db_overrun ? ", doorbell overrun" : "");
        bad++;
    }
    if ((ferry_read32(&c->dev, FERRY_REG_IRQ_STATUS) & (1U << k->ch)) != 0U) {
        fprintf(stderr, "  ch %u interrupt line still high after the copy was reported\n", k->ch);
        bad++;
    }
    if (bad != 0U) {
        fprintf(stderr, "  in copy ch %u len %zu src_off %zu dst_off %zu%s: %zu wrong\n", k->ch, k->len, k->src_off,
                k->dst_off, k->irq ? " (irq)" : "", bad);
        return 1;
    }
    return 0;
}

/* ---- abort, reset ---- */

/* One line: STATUS decoded and the error registers of channel ch. */
static void print_ch_state(struct ctl *c, unsigned ch)
{
    uint32_t s = ferry_read32(&c->dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
    uint32_t code = FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s);
    uint64_t addr = (uint64_t)ferry_read32(&c->dev, FERRY_CH_REG(ch, FERRY_CH_ERR_ADDR_HI)) << 32 |
                    ferry_read32(&c->dev, FERRY_CH_REG(ch, FERRY_CH_ERR_ADDR_LO));

    printf("ch %u: STATUS 0x%08" PRIX32 "  BUSY=%" PRIu32 " ERROR=%" PRIu32 " HALTED=%" PRIu32 " STOPPING=%" PRIu32
           "  ERR_CODE=%" PRIu32 " (%s)\n",
           ch, s, FERRY_FIELD_GET(FERRY_STATUS_BUSY, s), FERRY_FIELD_GET(FERRY_STATUS_ERROR, s),
           FERRY_FIELD_GET(FERRY_STATUS_HALTED, s), FERRY_FIELD_GET(FERRY_STATUS_STOPPING, s), code,
           ferry_err_str(code));
    printf("ch %u: ERR_ADDR 0x%016" PRIX64 "  ERR_DESC %" PRIu32 "  ERR_BYTES %" PRIu32 "  RING_CONS %" PRIu32 "\n", ch,
           addr, FERRY_FIELD_GET(FERRY_ERR_DESC_INDEX, ferry_read32(&c->dev, FERRY_CH_REG(ch, FERRY_CH_ERR_DESC))),
           ferry_read32(&c->dev, FERRY_CH_REG(ch, FERRY_CH_ERR_BYTES)),
           FERRY_FIELD_GET(FERRY_RING_CONS_INDEX, ferry_read32(&c->dev, FERRY_CH_REG(ch, FERRY_CH_RING_CONS))));
}

static int cmd_stop(struct ctl *c, bool reset)
{
    ferry_status st;

    if (probe(c) != 0) {
        return 1;
    }
    st = reset ? ferry_ch_reset(&c->dev, c->ch, c->timeout_us) : ferry_abort(&c->dev, c->ch, c->timeout_us);
    if (st == FERRY_E_TIMEOUT) {
        print_ch_state(c, c->ch);
        return die(c, "ch %u still BUSY after %" PRIu64 " us: a bus response that never comes keeps it STOPPING; "
                      "only a bus (PCIe / global) reset ends that (docs/errors.md)",
                   c->ch, c->timeout_us);
    }
    if (st != FERRY_OK) {
        return die(c, "ch %u: %s", c->ch, ferry_status_str(st));
    }
    print_ch_state(c, c->ch);
    printf("%s: ch %u idle\n", reset ? "reset" : "abort", c->ch);
    return 0;
}

/* Copies need a memory-to-memory channel: a stream channel sends to or
 * receives from its AXI-Stream lane instead (docs/streams.md). */
static int need_mem_ch(struct ctl *c)
{
    enum ferry_ch_kind kind = ferry_ch_kind(&c->dev, c->ch);

    if (kind == FERRY_KIND_MEM) {
        return 0;
    }
    return die(c, "channel %u is a %s stream channel, not memory to memory (docs/streams.md); pick another with --ch",
               c->ch, kind == FERRY_KIND_H2C ? "host-to-card" : "card-to-host");
}

static int cmd_copy(struct ctl *c, int argc, char **argv)
{
    uint64_t so, dof, len, us = 0;
    struct copy_case k;
    struct bufs b;
    uint64_t seed = c->seed * 0x9E3779B97F4A7C15ULL + 1U;
    size_t size;
    int rc;

    if (argc != 3) {
        fprintf(stderr, "ferryctl: copy: want SRC_OFF DST_OFF LEN, got %d argument%s\n", argc, argc == 1 ? "" : "s");
        return 2;
    }
    if (!parse_u64(argv[0], &so) || !parse_u64(argv[1], &dof) || !parse_u64(argv[2], &len)) {
        fprintf(stderr, "ferryctl: copy: SRC_OFF, DST_OFF and LEN must be unsigned numbers (decimal or 0x hex): %s %s %s\n",
                argv[0], argv[1], argv[2]);
        return 2;
    }
    if (len == 0U || len > CTL_MAX_BUF || so > CTL_MAX_BUF || dof > CTL_MAX_BUF ||
        CTL_BASE + (so > dof ? so : dof) + len + CTL_BASE > CTL_MAX_BUF) {
        fprintf(stderr,
                "ferryctl: copy: LEN must be 1..%u and offset + LEN fit a %u MiB buffer (got SRC_OFF %" PRIu64
                " DST_OFF %" PRIu64 " LEN %" PRIu64 ")\n",
                CTL_MAX_BUF - 2U * CTL_BASE, CTL_MAX_BUF >> 20, so, dof, len);
        return 2;
    }
    if (probe(c) != 0) {
        return 1;
    }
    if (need_mem_ch(c) != 0) {
        return 1;
    }
    size = (size_t)(CTL_BASE + (so > dof ? so : dof) + len + CTL_BASE);
    size = (size + 4095U) & ~(size_t)4095U;
    if (bufs_alloc(c, &b, size) != 0) {
        return 1;
    }
    k.ch = c->ch;
    k.src_off = (size_t)so;
    k.dst_off = (size_t)dof;
    k.len = (size_t)len;
    k.irq = c->irq;
    rc = one_copy(c, &b, &k, &seed, &us);
    if (rc == 0) {
        printf("copy: %" PRIu64 " bytes on channel %u%s, bus 0x%" PRIx64 " -> 0x%" PRIx64 ", %" PRIu64
               " us of platform time\n",
               len, c->ch, c->irq ? " (interrupt)" : "", b.src.bus + CTL_BASE + so, b.dst.bus + CTL_BASE + dof, us);
        printf("copy: destination matches, %u guard bytes each side and the source untouched: PASS\n", CTL_GUARD);
    }
    if (bufs_free(c, &b) != 0) {
        rc = 1;
    }
    if (rc != 0) {
        return die(c, "FAIL (details above)");
    }
    return check_sim(c);
}

static const size_t small_sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129,
                                     255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097};
static const size_t quick_small_sizes[] = {1, 3, 8, 17, 64, 129, 511, 1025, 4097};
static const size_t offsets[] = {0, 1, 3, 7, 4093};
static const size_t quick_offsets[] = {0, 3, 4093};
static const size_t big_sizes[] = {8191, 8192, 65536 + 7, 262144 + 3};
static const size_t quick_big_sizes[] = {65536 + 7};
static const size_t big_pairs[][2] = {{0, 0}, {1, 6}, {4093, 3}};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The scratch register reads back what was written (a BAR0 bus check). */
static int scratch_walk(struct ctl *c)
{
    const uint32_t old = ferry_read32(&c->dev, FERRY_REG_SCRATCH);
    uint32_t pats[4 + 32];
    unsigned n = 0, bad = 0;

    pats[n++] = 0x00000000U;
    pats[n++] = 0xFFFFFFFFU;
    pats[n++] = 0xA5A5A5A5U;
    pats[n++] = 0x5A5A5A5AU;
    for (unsigned i = 0; i < 32U; i++) {
        pats[n++] = 1U << i;
    }
    for (unsigned i = 0; i < n; i++) {
        uint32_t v;
        ferry_write32(&c->dev, FERRY_REG_SCRATCH, pats[i]);
        v = ferry_read32(&c->dev, FERRY_REG_SCRATCH);
        if (v != pats[i]) {
            if (bad < CTL_MAX_DIFFS) {
                fprintf(stderr, "  SCRATCH: wrote 0x%08" PRIX32 ", read 0x%08" PRIX32 "\n", pats[i], v);
            }
            bad++;
        }
    }
    ferry_write32(&c->dev, FERRY_REG_SCRATCH, old);
    return bad == 0U ? 0 : 1;
}

/* selftest goes on to the next copy: fewer than CTL_MAX_FAILS failed and
 * the buffers are not kept (every channel a copy timed out on stopped). */
static bool more_copies(unsigned failed, const struct bufs *b)
{
    return failed < CTL_MAX_FAILS && !b->kept;
}

static int cmd_selftest(struct ctl *c)
{
    const size_t *ss = c->quick ? quick_small_sizes : small_sizes;
    const size_t nss = c->quick ? N_OF(quick_small_sizes) : N_OF(small_sizes);
    const size_t *os = c->quick ? quick_offsets : offsets;
    const size_t nos = c->quick ? N_OF(quick_offsets) : N_OF(offsets);
    const size_t *bs = c->quick ? quick_big_sizes : big_sizes;
    const size_t nbs = c->quick ? N_OF(quick_big_sizes) : N_OF(big_sizes);
    const struct ferry_caps *k;
    uint64_t seed = c->seed * 0x9E3779B97F4A7C15ULL + 1U;
    uint64_t bytes = 0, us;
    size_t max_len = 0, size;
    unsigned copies = 0, failed = 0, irq_copies = 0, nch, ch0;
    unsigned chan[FERRY_MAX_CHANNELS]; /* the channels copied on: memory to memory ones */
    struct ferry_counters before[FERRY_MAX_CHANNELS];
    bool can_irq, has_counters = true;
    ferry_status cst;
    struct bufs b;

    if (probe(c) != 0) {
        return 1;
    }
    k = ferry_caps(&c->dev);
    if (!k->direct) {
        return die(c, "the device has no direct mode (CAP1.DIRECT = 0)");
    }
    print_port(c);
    printf("selftest: %u channel%s, %u-bit data, seed %" PRIu64 "\n", k->channels, k->channels == 1U ? "" : "s",
           k->data_bytes * 8U, c->seed);
    if (scratch_walk(c) != 0) {
        return die(c, "FAIL: the SCRATCH register does not read back what was written (BAR0 access is broken)");
    }
    printf("selftest: SCRATCH register reads back 36 patterns\n");

    for (size_t i = 0; i < nss; i++) {
        max_len = ss[i] > max_len ? ss[i] : max_len;
    }
    for (size_t i = 0; i < nbs; i++) {
        max_len = bs[i] > max_len ? bs[i] : max_len;
    }
    size = CTL_BASE + 4096U + max_len + CTL_BASE;
    size = (size + 4095U) & ~(size_t)4095U;
    if (bufs_alloc(c, &b, size) != 0) {
        return 1;
    }
    can_irq = c->plat->wait_irq != NULL;
    nch = 0;
    for (unsigned ch = c->ch_set ? c->ch : 0U; ch < (c->ch_set ? c->ch + 1U : k->channels); ch++) {
        if (ferry_ch_kind(&c->dev, ch) == FERRY_KIND_MEM) {
            chan[nch++] = ch; /* stream channels do not copy memory (docs/streams.md) */
        }
    }
    if (nch == 0U) {
        (void)bufs_free(c, &b); /* no copy ran: nothing to stop */
        return die(c, "--ch %u is a %s stream channel: selftest copies memory to memory (docs/streams.md)", c->ch,
                   ferry_ch_kind(&c->dev, c->ch) == FERRY_KIND_H2C ? "host-to-card" : "card-to-host");
    }
    ch0 = chan[0];
    for (unsigned i = 0; i < nch && has_counters; i++) {
        cst = read_counters(c, chan[i], &before[i]);
        has_counters = cst == FERRY_OK;
        if (cst != FERRY_OK && cst != FERRY_E_UNSUPPORTED) {
            (void)bufs_free(c, &b); /* no copy ran yet */
            return counters_error(c, chan[i], cst);
        }
    }

    /* every small size at every offset pair, then the big sizes at a few; a
     * failed copy is counted and the next one runs (a copy that timed out
     * has had its channel stopped), until CTL_MAX_FAILS failed or a channel
     * did not stop: then its buffers are kept and no copy may use them */
    for (size_t phase = 0; phase < 2U && more_copies(failed, &b); phase++) {
        const size_t nsz = phase == 0U ? nss : nbs;
        const size_t npair = phase == 0U ? nos * nos : N_OF(big_pairs);
        for (size_t si = 0; si < nsz && more_copies(failed, &b); si++) {
            for (size_t pi = 0; pi < npair && more_copies(failed, &b); pi++) {
                struct copy_case cc;
                cc.len = phase == 0U ? ss[si] : bs[si];
                cc.src_off = phase == 0U ? os[pi / nos] : big_pairs[pi][0];
                cc.dst_off = phase == 0U ? os[pi % nos] : big_pairs[pi][1];
                cc.ch = chan[copies % nch];
                /* with --irq every copy waits on the interrupt, else every other one when the port can */
                cc.irq = c->irq || (can_irq && (copies & 1U) != 0U);
                if (one_copy(c, &b, &cc, &seed, &us) != 0) {
                    failed++;
                    if (failed == 1U) {
                        fprintf(stderr, "  first failure: copy %u\n", copies);
                    }
                }
                copies++;
                irq_copies += cc.irq ? 1U : 0U;
                bytes += cc.len;
            }
        }
    }
    if (bufs_free(c, &b) != 0 && failed == 0U) {
        return die(c, "FAIL: the buffers could not be freed (details above)");
    }
    if (failed != 0U) {
        return die(c, "FAIL: %u of %u copies wrong%s (details above); rerun with --seed %" PRIu64, failed, copies,
                   b.kept ? ", stopped there: a channel did not stop"
                          : (failed >= CTL_MAX_FAILS ? ", stopped there" : ""),
                   c->seed);
    }
    if (chan[nch - 1U] - ch0 == nch - 1U) {
        printf("selftest: %u copies, %" PRIu64 " bytes, %u with interrupts, sizes 1..%zu, source and destination "
               "offsets 0..4093, channels %u..%u\n",
               copies, bytes, irq_copies, max_len, ch0, ch0 + nch - 1U);
    } else {
        printf("selftest: %u copies, %" PRIu64 " bytes, %u with interrupts, sizes 1..%zu, source and destination "
               "offsets 0..4093, channels",
               copies, bytes, irq_copies, max_len);
        for (unsigned i = 0; i < nch; i++) {
            printf("%s%u", i == 0U ? " " : ", ", chan[i]);
        }
        printf(" (the memory-to-memory ones)\n");
    }
    printf("selftest: every destination byte and %u guard bytes each side checked against the reference model, "
           "sources untouched\n",
           CTL_GUARD);
    if (has_counters) {
        /* the device's own counters must agree with what was run */
        uint64_t rd = 0, wr = 0;
        uint32_t done = 0, errors = 0;
        for (unsigned ch = 0; ch < nch; ch++) {
            struct ferry_counters n;
            cst = read_counters(c, chan[ch], &n);
            if (cst != FERRY_OK) {
                return counters_error(c, chan[ch], cst);
            }
            rd += n.bytes_rd - before[ch].bytes_rd;
            wr += n.bytes_wr - before[ch].bytes_wr;
            done += n.desc_done - before[ch].desc_done; /* 32-bit, wraps */
            errors += n.errors - before[ch].errors;
        }
        printf("selftest: device counters: %" PRIu64 " bytes read, %" PRIu64 " written, %" PRIu32 " transfers, %" PRIu32
               " errors\n",
               rd, wr, done, errors);
        if (rd != bytes || wr != bytes || done != copies || errors != 0U) {
            return die(c, "FAIL: the device counters disagree: want %" PRIu64 " bytes read and written, %u transfers, "
                          "0 errors",
                       bytes, copies);
        }
    }
    if (check_sim(c) != 0) {
        return 1;
    }
    printf("selftest: PASS\n");
    return 0;
}

/* ---- bench ---- */

static int cmd_bench(struct ctl *c)
{
    static const size_t sizes[] = {4096, 65536, 1048576};
    const struct ferry_caps *k;
    uint64_t seed = c->seed * 0x9E3779B97F4A7C15ULL + 1U;
    const unsigned reps = c->quick ? CTL_BENCH_REPS_QUICK : CTL_BENCH_REPS;
    struct bufs b;
    size_t size;

    if (probe(c) != 0) {
        return 1;
    }
    if (need_mem_ch(c) != 0) {
        return 1;
    }
    k = ferry_caps(&c->dev);
    size = CTL_BASE + sizes[N_OF(sizes) - 1U] + CTL_BASE;
    if (bufs_alloc(c, &b, size) != 0) {
        return 1;
    }
    print_port(c);
    printf("bench: channel %u, %s, %u-bit data bus, page-aligned buffers, %u copies per size\n", c->ch,
           c->irq ? "waiting on the interrupt" : "polling STATUS", k->data_bytes * 8U, reps);
    if (c->port == PORT_SIM) {
        printf("bench: platform clock is simulated time (%s bus)\n", c->quiet_bus ? "quiet" : "random");
    }
    printf("  %10s %6s %12s %12s\n", "bytes", "copies", "us", "bytes/us");
    for (size_t i = 0; i < N_OF(sizes); i++) {
        uint64_t total = 0;
        for (unsigned r = 0; r < reps; r++) {
            struct copy_case cc;
            uint64_t us = 0;
            cc.ch = c->ch;
            cc.src_off = 0;
            cc.dst_off = 0;
            cc.len = sizes[i];
            cc.irq = c->irq;
            /* every copy is checked too: a number from a broken copy is no number */
            if (one_copy(c, &b, &cc, &seed, &us) != 0) {
                (void)bufs_free(c, &b); /* says so itself if it cannot */
                return die(c, "FAIL: copy of %zu bytes (details above)", sizes[i]);
            }
            total += us;
        }
        if (total == 0U) {
            printf("  %10zu %6u %12" PRIu64 " %12s\n", sizes[i], reps, total, "(too fast)");
        } else {
            printf("  %10zu %6u %12" PRIu64 " %12.1f\n", sizes[i], reps, total,
                   (double)sizes[i] * reps / (double)total);
        }
    }
    printf("bench: bytes/us is MB/s; time covers register writes, the copy and its completion check\n");
    if (bufs_free(c, &b) != 0) {
        return 1;
    }
    return check_sim(c);
}

/* ---- main ---- */

int main(int argc, char **argv)
{
    struct ctl c;
    const char *env_seed = getenv("SEED");
#ifndef FERRYCTL_NO_SIM
    const char *env_hold = getenv("FERRYCTL_SIM_HOLD_US");
    const char *env_foreign = getenv("FERRYCTL_SIM_FOREIGN_CH");
    uint64_t foreign_ch = 0;
#endif
    int i, rc;

    memset(&c, 0, sizeof(c));
    c.seed = 1;
    c.timeout_us = CTL_TIMEOUT_US;
    if (env_seed != NULL && *env_seed != '\0' && !parse_u64(env_seed, &c.seed)) {
        fprintf(stderr, "ferryctl: SEED=%s is not a number\n", env_seed);
        return 2;
    }
#ifndef FERRYCTL_NO_SIM
    if (env_hold != NULL && *env_hold != '\0') {
        if (strcmp(env_hold, "forever") == 0) {
            c.hold_us = UINT64_MAX;
        } else if (!parse_u64(env_hold, &c.hold_us) || c.hold_us == 0U ||
                   c.hold_us >= UINT64_MAX / FERRY_SIM_CYCLES_PER_US) {
            fprintf(stderr, "ferryctl: FERRYCTL_SIM_HOLD_US=%s: want microseconds (1 or more) or forever\n",
                    env_hold);
            return 2;
        }
    }
    if (env_foreign != NULL && *env_foreign != '\0') {
        if (!parse_u64(env_foreign, &foreign_ch) || foreign_ch >= FERRY_MAX_CHANNELS) {
            fprintf(stderr, "ferryctl: FERRYCTL_SIM_FOREIGN_CH=%s: want a channel, 0..%u\n", env_foreign,
                    FERRY_MAX_CHANNELS - 1U);
            return 2;
        }
        c.foreign = true;
        c.foreign_ch = (unsigned)foreign_ch;
    }
#endif
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const bool has_val = i + 1 < argc;
        uint64_t v;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--sim") == 0 || strcmp(a, "--vfio") == 0 || strcmp(a, "--uio") == 0) {
            if (c.port != PORT_NONE) {
                fprintf(stderr, "ferryctl: %s: give only one of --sim, --vfio BDF, --uio BDF\n", a);
                return 2;
            }
            if (strcmp(a, "--sim") == 0) {
                c.port = PORT_SIM;
                continue;
            }
            if (!has_val) {
                fprintf(stderr, "ferryctl: %s needs a PCI address (BDF, as lspci -D prints it)\n", a);
                return 2;
            }
            c.port = strcmp(a, "--vfio") == 0 ? PORT_VFIO : PORT_UIO;
            c.bdf = argv[++i];
        } else if (strcmp(a, "--ch") == 0 || strcmp(a, "--seed") == 0 || strcmp(a, "--timeout-us") == 0) {
            if (!has_val || !parse_u64(argv[i + 1], &v)) {
                fprintf(stderr, "ferryctl: %s needs an unsigned number%s%s\n", a, has_val ? ", got " : "",
                        has_val ? argv[i + 1] : "");
                return 2;
            }
            i++;
            if (strcmp(a, "--ch") == 0) {
                if (v >= FERRY_MAX_CHANNELS) {
                    fprintf(stderr, "ferryctl: --ch %" PRIu64 ": channels are 0..%u\n", v, FERRY_MAX_CHANNELS - 1U);
                    return 2;
                }
                c.ch = (unsigned)v;
                c.ch_set = true;
            } else if (strcmp(a, "--seed") == 0) {
                c.seed = v;
            } else {
                if (v == 0U) {
                    fprintf(stderr, "ferryctl: --timeout-us must be at least 1\n");
                    return 2;
                }
                c.timeout_us = v;
            }
        } else if (strcmp(a, "--irq") == 0) {
            c.irq = true;
        } else if (strcmp(a, "--quick") == 0) {
            c.quick = true;
        } else if (strcmp(a, "--quiet-bus") == 0) {
            c.quiet_bus = true;
        } else {
            fprintf(stderr, "ferryctl: unknown option %s (ferryctl --help lists them)\n", a);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "ferryctl: no command (info, regs, selftest, copy, bench, abort, reset)\n");
        usage(stderr);
        return 2;
    }
    c.cmd = argv[i++];
    if (strcmp(c.cmd, "info") != 0 && strcmp(c.cmd, "regs") != 0 && strcmp(c.cmd, "selftest") != 0 &&
        strcmp(c.cmd, "copy") != 0 && strcmp(c.cmd, "bench") != 0 && strcmp(c.cmd, "abort") != 0 &&
        strcmp(c.cmd, "reset") != 0) {
        fprintf(stderr, "ferryctl: unknown command %s (info, regs, selftest, copy, bench, abort, reset)\n", c.cmd);
        return 2;
    }
    if (strcmp(c.cmd, "copy") != 0 && i < argc) {
        fprintf(stderr, "ferryctl: %s takes no arguments (got %s)\n", c.cmd, argv[i]);
        return 2;
    }
    if (c.port == PORT_NONE) {
        fprintf(stderr, "ferryctl: %s: no port: give --sim, --vfio BDF or --uio BDF\n", c.cmd);
        return 2;
    }
    if (open_port(&c) != 0) {
        (void)close_port(&c);
        return 1;
    }
    if (c.irq && c.plat->wait_irq == NULL) {
        (void)close_port(&c);
        return die(&c, "--irq: this port has no interrupts (wait_irq unavailable); drop --irq to poll STATUS");
    }
    if (strcmp(c.cmd, "info") == 0) {
        rc = cmd_info(&c);
    } else if (strcmp(c.cmd, "regs") == 0) {
        rc = cmd_regs(&c);
    } else if (strcmp(c.cmd, "selftest") == 0) {
        rc = cmd_selftest(&c);
    } else if (strcmp(c.cmd, "copy") == 0) {
        rc = cmd_copy(&c, argc - i, argv + i);
    } else if (strcmp(c.cmd, "abort") == 0 || strcmp(c.cmd, "reset") == 0) {
        rc = cmd_stop(&c, strcmp(c.cmd, "reset") == 0);
    } else {
        rc = cmd_bench(&c);
    }
#ifndef FERRYCTL_NO_SIM
    if (c.foreign) {
        foreign_end(&c);
    }
#endif
    if (close_port(&c) != 0 && rc == 0) {
        rc = 1;
    }
    return rc;
}
