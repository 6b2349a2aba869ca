/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_fuzz.c: libFuzzer harness for the Verilated ferry_top (docs/fuzzing.md).
 *
 * Each input is decoded into a bounded program run on a fresh test bench
 * (tb_new, so nothing carries over from one input to the next):
 *   bytes 0-1   seed of the memory model's latency/backpressure profile
 *               (tb_config_random) and of the source buffers' contents;
 *   then ops    one op byte (op % OP_COUNT) and its operands, until the
 *               input ends, MAX_OPS ops ran or the step budget is spent.
 * Missing operand bytes read as 0, so every byte string is a program.
 *
 * After the program the clock runs with no register writes until every
 * channel reports STATUS.BUSY = 0, then the checks (any failure prints
 * what failed and calls abort(), so libFuzzer saves the input):
 *   a. the AXI4 and AXI4-Lite protocol checkers saw no violation and every
 *      register access got a response;
 *   b. every channel reaches BUSY = 0 within IDLE_BOUND cycles (with the
 *      interface 2.0 features: within IDLE_BOUND after CTRL.ABORT of what
 *      is still busy when the work left is too large to finish in the bound:
 *      more than HEAVY_BYTES, a 2D row counted as at least ROW_COST bytes);
 *   c. every byte the bus changed lies inside a possible destination: the
 *      DST range of a direct transfer (read back at CTRL.START), the extent
 *      of every descriptor the control port fetched (2D: first to last row;
 *      fixed: one beat), or a completion ring (read back at ring enable);
 *      memory is compared byte for byte with a shadow copy of every host
 *      write, on the pages the write tracking says the bus wrote;
 *   d. with address windows (CAP1.WINDOWS > 0): a channel whose WIN_CTRL
 *      enable and windows were set before it was first started and left
 *      alone afterwards (no CTRL.RESET either) issued no read outside its
 *      READ windows and no write outside its WRITE windows; the control
 *      port (descriptor fetches, records) likewise when every started
 *      channel is so checked.
 *
 * FERRY_FUZZ_VERBOSE=1 prints every decoded op and the final state;
 * FERRY_FUZZ_STATS=1 prints counts (programs, cycles, error codes seen,
 * checks skipped) at exit.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axi_mem.h"
#include "ferry/ferry_desc.h"
#include "ferry/ferry_regs.h"
#include "tb.h"

#ifndef FERRY_ADDR_WIDTH
#define FERRY_ADDR_WIDTH 64
#endif

#define MAX_OPS 48u
#define STEP_BUDGET 4000u    /* cycles of STEP ops per program */
#define IDLE_BOUND 20000u    /* cycles to reach BUSY = 0 after the program */
#define HOLD_WAIT 3000u      /* cycles before held responses are let go */
#define HEAVY_BYTES 32768u   /* more data than this may legitimately outlast IDLE_BOUND */
#define HEAVY_DESCS 64u      /* as many pending descriptors likewise */
#define ROW_COST 64u         /* a 2D row is a read and a write burst of its own and a
                              * write response: it costs at least this many bytes of
                              * work (13,318 rows of 1 byte outlast IDLE_BOUND) */
#define MAX_CH 16u
#define TRACE_MAX 65536u

/* Memory layout (bus addresses) */
#define RING_AREA(c) (0x00100000ull + (uint64_t)(c) * 0x10000ull)
#define CPL_AREA(c) (0x00180000ull + (uint64_t)(c) * 0x10000ull)
#define SRC_BUF(i) (0x00200000ull + (uint64_t)(i) * 0x2000ull)
#define DST_BUF(i) (0x00300000ull + (uint64_t)(i) * 0x2000ull)
#define NBUF 4u
#define BUF_SIZE 0x2000u

enum {
    OP_REG,     /* write any channel register */
    OP_DESC,    /* write a descriptor into a ring slot (maybe ring the doorbell) */
    OP_RING,    /* set up a ring: base, completion base, size, enable */
    OP_DIRECT,  /* direct transfer: SRC, DST, LEN, CTRL.START */
    OP_PROD,    /* RING_PROD */
    OP_CTRL,    /* CTRL: ABORT / RESUME / SKIP / RESET / START */
    OP_STEP,    /* run the clock */
    OP_WIN,     /* one window + WIN_CTRL */
    OP_WINALL,  /* windows over the buffers and rings + WIN_CTRL.ENABLE */
    OP_INJECT,  /* bus error range in the memory model */
    OP_WDOG,    /* watchdog */
    OP_GLOBAL,  /* any BAR offset, any value */
    OP_HOLD,    /* held responses (a while or forever) or random bus errors */
    OP_COUNT
};
static const char *const op_names[OP_COUNT] = {"reg", "desc", "ring", "direct", "prod", "ctrl",
                                               "step", "win", "winall", "inject", "wdog", "global", "hold"};

typedef struct {
    uint64_t lo, hi; /* inclusive */
} range_t;

typedef struct {
    const uint8_t *p;
    size_t n, i;
} rd_t;

typedef struct {
    tb_t *tb;
    axi_mem_t *mem;
    axi_mem_t *shadow; /* every host write, nothing else */
    axi_rng_t shadow_rng;
    unsigned nch, db, nwin;
    int verbose;
    unsigned steps;     /* STEP cycles used */
    size_t tpos;        /* trace events scanned */
    range_t *allow;     /* possible destinations */
    size_t nallow, callow;
    uint64_t work_bytes; /* data the program may move */
    int trace_lost;     /* the trace overflowed: checks c and d skipped */
    int held;           /* responses may be held back (OP_HOLD) */
    int win_on[MAX_CH]; /* WIN_CTRL written with ENABLE at some point */
    /* per channel */
    uint64_t ring_base[MAX_CH];
    unsigned log2[MAX_CH];
    unsigned prod[MAX_CH];
    int started[MAX_CH];   /* CTRL, RING_PROD or RING_CTRL written */
    int win_late[MAX_CH];  /* window registers written after started */
    int reset_seen[MAX_CH];
    int ring_used[MAX_CH];
} fz_t;

/* Run-wide statistics (FERRY_FUZZ_STATS=1) */
static struct {
    uint64_t programs, cycles, ops;
    uint64_t err_code[32];
    uint64_t win_checked, ctl_win_checked, heavy_skip, aborted_idle, trace_lost, bus_writes, released;
    uint64_t cap_windows;
} st;

static int g_verbose = -1;
/* FERRY_FUZZ_BREAK (self test of the checks, make fuzz-check): "writes"
 * allows no destination, "idle" gives no cycles to go idle, "windows" treats
 * every window as empty; each must turn the matching seed into a finding. */
static enum { BRK_NONE, BRK_WRITES, BRK_IDLE, BRK_WINDOWS } g_break;
/* FERRY_FUZZ_AVOID (comma-separated): steer clear of known open findings
 * (tb/fuzz/regress/KNOWN) so a short run looks for new ones:
 *   ring_disable_windows  no RING_CTRL.ENABLE = 0 write while the channel is
 *                         BUSY (in a build with windows) */
static int g_avoid_ring_disable_windows;
/*   abort_while_stopping  a channel already STOPPING when the idle check
 *                         writes CTRL.ABORT is not held to the bound */
static int g_avoid_abort_while_stopping;
/*   cpl_window_while_stopping  no window register write (WIN_CTRL, WINn_*)
 *                         while the channel is BUSY */
static int g_avoid_window_busy;

static void vlog(const fz_t *fz, const char *fmt, ...)
{
    if (!fz->verbose) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    printf("[%8llu] ", (unsigned long long)tb_cycle(fz->tb));
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* FERRY_FUZZ_VERBOSE=2: the bus handshakes of the program so far. */
static void fz_dump_trace(fz_t *fz)
{
    size_t n;
    const axi_mem_event_t *ev = axi_mem_trace(fz->mem, &n, NULL);
    static const char *const kn[] = {"AR", "AW", "RLAST", "B"};
    for (size_t i = 0; i < n && i < 400; i++) {
        printf("    bus [%6llu] %-5s id %llu 0x%llx x%u resp %u\n", (unsigned long long)ev[i].cycle,
               kn[ev[i].kind & 3u], (unsigned long long)ev[i].id, (unsigned long long)ev[i].addr, ev[i].beats,
               ev[i].resp);
    }
}

static void finding(fz_t *fz, const char *fmt, ...)
{
    va_list ap;
    if (fz->verbose > 1) {
        fz_dump_trace(fz);
    }
    fflush(stdout);
    va_start(ap, fmt);
    fprintf(stderr, "ferry_fuzz: FINDING at cycle %llu: ", (unsigned long long)tb_cycle(fz->tb));
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, "ferry_fuzz: replay with: make fuzz-replay FILE=<the saved input>\n");
    fflush(stderr);
    abort();
}

/* ---- input decoding ---- */

static unsigned u8(rd_t *r) { return r->i < r->n ? r->p[r->i++] : 0u; }
static unsigned u16(rd_t *r) { return u8(r) | u8(r) << 8; }
static uint32_t u32(rd_t *r) { return (uint32_t)u16(r) | (uint32_t)u16(r) << 16; }
static uint64_t u64(rd_t *r) { return (uint64_t)u32(r) | (uint64_t)u32(r) << 32; }

/* ---- allowed destinations ---- */

static void allow_add(fz_t *fz, uint64_t lo, uint64_t hi)
{
    if (g_break == BRK_WRITES) {
        return;
    }
    if (fz->nallow == fz->callow) {
        fz->callow = fz->callow ? fz->callow * 2 : 64;
        fz->allow = realloc(fz->allow, fz->callow * sizeof(range_t));
        if (!fz->allow) {
            fprintf(stderr, "ferry_fuzz: out of memory\n");
            abort();
        }
    }
    fz->allow[fz->nallow].lo = lo;
    fz->allow[fz->nallow].hi = hi;
    fz->nallow++;
}

/* [start, start + len) with wrap-around at 2^64 split in two. */
static void allow_len(fz_t *fz, uint64_t start, uint64_t len)
{
    if (len == 0) {
        return;
    }
    uint64_t last = start + (len - 1);
    if (last < start) {
        allow_add(fz, start, UINT64_MAX);
        allow_add(fz, 0, last);
    } else {
        allow_add(fz, start, last);
    }
}

static void fz_add_work(fz_t *fz, uint64_t bytes)
{
    fz->work_bytes += bytes;
    if (fz->work_bytes > (1ull << 40)) {
        fz->work_bytes = 1ull << 40;
    }
}

/* The destination extent of a descriptor however its fields are read:
 * rows 0..ROWS-1 (one row without TWO_D), each LEN bytes (one beat when
 * DST_FIXED), as one range from the first row's start to the last row's end. */
static void allow_desc(fz_t *fz, const uint8_t raw[FERRY_DESC_SIZE])
{
    struct ferry_desc d;
    ferry_desc_decode(&d, raw);
    uint64_t rows = (d.flags & FERRY_DESC_TWO_D) ? (d.rows ? d.rows : 1u) : 1u;
    uint64_t start = d.dst, ext = d.len;
    if (d.flags & FERRY_DESC_DST_FIXED) {
        start &= ~(uint64_t)(fz->db - 1);
        ext = fz->db;
    }
    if (d.len == 0) {
        return;
    }
    fz_add_work(fz, rows * (d.len > ROW_COST ? d.len : ROW_COST));
    uint64_t span = (rows - 1) * (uint64_t)d.dst_stride + ext; /* < 2^49 */
    allow_len(fz, start, span);
}

static int range_cmp(const void *a, const void *b)
{
    const range_t *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorts and merges the allowed ranges. */
static void allow_merge(fz_t *fz)
{
    if (fz->nallow == 0) {
        return;
    }
    qsort(fz->allow, fz->nallow, sizeof(range_t), range_cmp);
    size_t o = 0;
    for (size_t i = 1; i < fz->nallow; i++) {
        range_t *c = &fz->allow[o];
        if (fz->allow[i].lo <= c->hi || (c->hi != UINT64_MAX && fz->allow[i].lo == c->hi + 1)) {
            if (fz->allow[i].hi > c->hi) {
                c->hi = fz->allow[i].hi;
            }
        } else {
            fz->allow[++o] = fz->allow[i];
        }
    }
    fz->nallow = o + 1;
}

static int allowed(const fz_t *fz, uint64_t a)
{
    size_t lo = 0, hi = fz->nallow;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (fz->allow[mid].hi < a) {
            lo = mid + 1;
        } else if (fz->allow[mid].lo > a) {
            hi = mid;
        } else {
            return 1;
        }
    }
    return 0;
}

/* ---- bus trace: descriptor fetches ---- */

/* Every 32-byte slot a control-port read covers, as it is in memory now
 * (scanned after every op and every few cycles, at the AR and again at the
 * burst's last R beat), adds its destination extent. */
static void fetched(fz_t *fz, uint64_t addr, unsigned beats)
{
    uint64_t a = addr & ~(uint64_t)(FERRY_DESC_SIZE - 1);
    uint64_t end = (addr & ~(uint64_t)(fz->db - 1)) + (uint64_t)beats * fz->db;
    for (; a < end; a += FERRY_DESC_SIZE) {
        uint8_t raw[FERRY_DESC_SIZE];
        axi_mem_read(fz->mem, a, raw, sizeof(raw));
        allow_desc(fz, raw);
    }
}

static void scan_trace(fz_t *fz)
{
    size_t n;
    uint64_t dropped;
    const axi_mem_event_t *ev = axi_mem_trace(fz->mem, &n, &dropped);
    if (dropped) {
        fz->trace_lost = 1;
    }
    for (; fz->tpos < n; fz->tpos++) {
        const axi_mem_event_t *e = &ev[fz->tpos];
        if (e->id == fz->nch && (e->kind == AXI_EV_AR || e->kind == AXI_EV_RLAST)) {
            fetched(fz, e->addr, e->beats);
        }
    }
}

static void step(fz_t *fz, unsigned cycles)
{
    while (cycles) {
        unsigned k = cycles < 4 ? cycles : 4;
        tb_step(fz->tb, k);
        cycles -= k;
        scan_trace(fz);
    }
}

/* ---- register access ---- */

static uint32_t rd(fz_t *fz, uint32_t off)
{
    uint32_t v = 0;
    int rc = tb_bar_read(fz->tb, off, &v);
    if (rc == TB_TIMEOUT) {
        finding(fz, "AXI-Lite read of 0x%04x got no response", off);
    }
    scan_trace(fz);
    return v;
}

static uint32_t ch_rd(fz_t *fz, unsigned ch, uint32_t reg) { return rd(fz, FERRY_CH_REG(ch, reg)); }

static uint64_t ch_rd64(fz_t *fz, unsigned ch, uint32_t reg)
{
    uint64_t lo = ch_rd(fz, ch, reg);
    return lo | (uint64_t)ch_rd(fz, ch, reg + 4) << 32;
}

static int is_win_reg(uint32_t reg)
{
    return reg == FERRY_CH_WIN_CTRL || (reg >= FERRY_CH_WIN0_BASE_LO && reg <= FERRY_CH_WIN3_LIMIT_HI);
}

/* Every register write goes through here: it keeps the bookkeeping the
 * checks need and reads back what a write latched. */
static void bar_write(fz_t *fz, uint32_t off, uint32_t val, unsigned strb)
{
    strb &= 0xFu;
    if (off >= FERRY_CH_BASE && !(off & 3u) && (off - FERRY_CH_BASE) / FERRY_CH_STRIDE < fz->nch) {
        unsigned c = (off - FERRY_CH_BASE) / FERRY_CH_STRIDE;
        uint32_t reg = (off - FERRY_CH_BASE) % FERRY_CH_STRIDE;
        if (reg == FERRY_CH_WIN_CTRL && (strb & 1u) && (val & FERRY_WIN_CTRL_ENABLE_MASK)) {
            fz->win_on[c] = 1;
        }
        if (g_avoid_ring_disable_windows && reg == FERRY_CH_RING_CTRL && (strb & 1u) &&
            !(val & FERRY_RING_CTRL_ENABLE_MASK) && (fz->win_on[c] || fz->nwin) &&
            (rd(fz, FERRY_CH_REG(c, FERRY_CH_STATUS)) & FERRY_STATUS_BUSY_MASK)) {
            vlog(fz, "  (skipped: RING_CTRL.ENABLE = 0 while busy, FERRY_FUZZ_AVOID=ring_disable_windows)");
            return;
        }
        if (g_avoid_window_busy && fz->nwin && is_win_reg(reg) &&
            (rd(fz, FERRY_CH_REG(c, FERRY_CH_STATUS)) & FERRY_STATUS_BUSY_MASK)) {
            vlog(fz, "  (skipped: window write while busy, FERRY_FUZZ_AVOID=cpl_window_while_stopping)");
            return;
        }
    }
    int rc = tb_bar_write(fz->tb, off, val, strb);
    if (rc == TB_TIMEOUT) {
        finding(fz, "AXI-Lite write of 0x%08x to 0x%04x got no response", val, off);
    }
    scan_trace(fz);
    if (off < FERRY_CH_BASE || (off & 3u)) {
        return;
    }
    unsigned ch = (off - FERRY_CH_BASE) / FERRY_CH_STRIDE;
    uint32_t reg = (off - FERRY_CH_BASE) % FERRY_CH_STRIDE;
    if (ch >= fz->nch) {
        return;
    }
    int b0 = strb & 1u;
    if (is_win_reg(reg) && fz->started[ch]) {
        fz->win_late[ch] = 1;
    }
    if (reg == FERRY_CH_CTRL && b0 && (val & 0x1Fu)) {
        fz->started[ch] = 1;
        if (val & FERRY_CTRL_RESET_MASK) {
            fz->reset_seen[ch] = 1;
        }
        if (val & FERRY_CTRL_START_MASK) {
            /* What the doorbell latched: the registers as they read now. */
            uint64_t dst = ch_rd64(fz, ch, FERRY_CH_DST_LO);
            uint64_t len = ch_rd(fz, ch, FERRY_CH_LEN);
            allow_len(fz, dst, len);
            fz_add_work(fz, len);
            if (fz->reset_seen[ch]) { /* a per-channel reset may zero either half meanwhile */
                allow_len(fz, dst & 0xFFFFFFFFull, len);
                allow_len(fz, dst & ~0xFFFFFFFFull, len);
            }
        }
    }
    if (reg == FERRY_CH_RING_PROD && (strb & 3u)) {
        fz->started[ch] = 1;
    }
    if (reg == FERRY_CH_RING_CTRL && b0) {
        fz->started[ch] = 1;
        if (val & FERRY_RING_CTRL_ENABLE_MASK) {
            fz->ring_used[ch] = 1;
            uint64_t cpl = ch_rd64(fz, ch, FERRY_CH_CPL_BASE_LO);
            uint32_t rc2 = ch_rd(fz, ch, FERRY_CH_RING_CTRL);
            unsigned l2 = (rc2 & FERRY_RING_CTRL_LOG2_SIZE_MASK) >> FERRY_RING_CTRL_LOG2_SIZE_SHIFT;
            unsigned lw = (val & FERRY_RING_CTRL_LOG2_SIZE_MASK) >> FERRY_RING_CTRL_LOG2_SIZE_SHIFT;
            if (lw > l2) {
                l2 = lw;
            }
            allow_len(fz, cpl, (uint64_t)FERRY_CPL_SIZE << l2);
        }
    }
}

static void ch_wr(fz_t *fz, unsigned ch, uint32_t reg, uint32_t val)
{
    bar_write(fz, FERRY_CH_REG(ch, reg), val, 0xFu);
}

static void ch_wr64(fz_t *fz, unsigned ch, uint32_t reg, uint64_t val)
{
    ch_wr(fz, ch, reg, (uint32_t)val);
    ch_wr(fz, ch, reg + 4, (uint32_t)(val >> 32));
}

/* ---- host memory ---- */

static void host_write(fz_t *fz, uint64_t addr, const void *src, size_t len)
{
    axi_mem_write(fz->mem, addr, src, len);
    axi_mem_write(fz->shadow, addr, src, len);
}

/* ---- value pickers ---- */

static uint64_t pick_addr(fz_t *fz, rd_t *r, int dst)
{
    unsigned s = u8(r);
    unsigned o = u16(r);
    unsigned i = (s >> 3) & 3u;
    uint64_t off;
    switch ((s >> 5) & 7u) {
    case 0: off = 0; break;
    case 1: off = o & 7u; break;
    case 2: off = 0xFF8u + (o & 15u); break; /* across a 4 KiB page */
    case 3: off = (uint64_t)(o & 63u) * fz->db; break;
    default: off = o & (BUF_SIZE - 1u); break;
    }
    switch (s & 7u) {
    case 5: return (dst ? SRC_BUF(i) : DST_BUF(i)) + off;
    case 6: return ((s & 0x80u) ? CPL_AREA(i % fz->nch) : RING_AREA(i % fz->nch)) + (o & 0xFFFu);
    case 7:
        switch ((s >> 3) & 7u) {
        case 0: return 0;
        case 1: return 0xFFFFF000ull + (o & 0xFFFu);
        case 2: return 0xFFFFFFFFFFFFF000ull + (o & 0xFFFu);
        case 3: return FERRY_ADDR_WIDTH >= 64 ? 0x8000000000000000ull - (o & 0xFFFu)
                                              : (1ull << FERRY_ADDR_WIDTH) - 1u - (o & 0xFFFu);
        case 4: return 0x100000000ull + (o & 0xFFFu);
        default: return u64(r);
        }
    default: return (dst ? DST_BUF(i) : SRC_BUF(i)) + off;
    }
}

static uint32_t pick_len(fz_t *fz, rd_t *r)
{
    unsigned s = u8(r);
    switch (s & 7u) {
    case 0: return 1u + ((s >> 3) & 15u);
    case 1: return 1u + u8(r);
    case 2: return 1u + (u16(r) & 0xFFFu);
    case 3: return fz->db * (1u + ((s >> 3) & 31u));
    case 4: return (s & 0x80u) ? 0u : 4096u;
    case 5: return (s & 0x80u) ? 0xFFFFFFu : 0x10000u - (s & 0x78u);
    case 6: return 1u + (u16(r) & 0x1FFFu);
    default: return u32(r);
    }
}

static uint32_t pick_val(fz_t *fz, rd_t *r)
{
    unsigned s = u8(r);
    switch (s & 7u) {
    case 0: return 0;
    case 1: return 1u + (s >> 3);
    case 2: return 0xFFFFFFFFu;
    case 3: return 1u << (s >> 3);
    case 4: return (uint32_t)SRC_BUF(0) + (u16(r) & 0x7FFFu);
    case 5: return u8(r);
    case 6: return fz->db << (s >> 5);
    default: return u32(r);
    }
}

/* ---- ops ---- */

static void op_reg(fz_t *fz, rd_t *r)
{
    static unsigned idx[64], nidx;
    if (nidx == 0) {
        for (unsigned i = 0; i < ferry_reg_info_count && nidx < 64; i++) {
            if (ferry_reg_info[i].per_channel) {
                idx[nidx++] = i;
            }
        }
    }
    unsigned ch = u8(r) % fz->nch;
    const struct ferry_reg_info *ri = &ferry_reg_info[idx[u8(r) % nidx]];
    uint32_t v = pick_val(fz, r);
    unsigned sb = u8(r);
    unsigned strb = (sb & 0xF0u) == 0xF0u ? (sb & 0xFu) : 0xFu;
    vlog(fz, "reg ch%u %s = 0x%08x strb 0x%x", ch, ri->name, v, strb);
    bar_write(fz, FERRY_CH_REG(ch, ri->offset), v, strb);
}

static void op_desc(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    unsigned kind = u8(r);
    unsigned size = 1u << fz->log2[ch];
    unsigned slot = (kind & 0x80u) ? (u8(r) & (size - 1u)) : ((fz->prod[ch] + ((kind >> 4) & 3u)) & (size - 1u));
    uint8_t raw[FERRY_DESC_SIZE];
    if ((kind & 15u) == 15u) {
        for (unsigned i = 0; i < FERRY_DESC_SIZE; i++) {
            raw[i] = (uint8_t)u8(r);
        }
    } else {
        struct ferry_desc d;
        memset(&d, 0, sizeof(d));
        d.src = pick_addr(fz, r, 0);
        d.dst = pick_addr(fz, r, 1);
        d.len = pick_len(fz, r) & FERRY_DESC_LEN_MAX;
        static const uint8_t fl[16] = {0, 0, 0, FERRY_DESC_IRQ, FERRY_DESC_FENCE, FERRY_DESC_TWO_D,
                                       FERRY_DESC_TWO_D, FERRY_DESC_SRC_FIXED, FERRY_DESC_DST_FIXED,
                                       FERRY_DESC_IRQ | FERRY_DESC_TWO_D, FERRY_DESC_EOP,
                                       FERRY_DESC_SRC_FIXED | FERRY_DESC_DST_FIXED,
                                       FERRY_DESC_FENCE | FERRY_DESC_TWO_D, FERRY_DESC_IRQ, 0, 0xFF};
        unsigned fs = u8(r);
        d.flags = (fs & 15u) == 15u ? (uint8_t)u8(r) : fl[fs & 15u];
        if (d.flags & FERRY_DESC_SRC_FIXED && !(fs & 0x10u)) {
            d.src &= ~(uint64_t)(fz->db - 1);
        }
        if (d.flags & FERRY_DESC_DST_FIXED && !(fs & 0x10u)) {
            d.dst &= ~(uint64_t)(fz->db - 1);
        }
        if (d.flags & FERRY_DESC_TWO_D) {
            unsigned rs = u8(r);
            d.rows = (rs & 0xC0u) == 0xC0u ? (uint16_t)u16(r) : (uint16_t)(1u + (rs & 7u));
            d.len &= 0x3FFu;
            d.len |= d.len == 0;
            d.src_stride = (rs & 0x20u) ? (uint32_t)pick_val(fz, r) : d.len + (rs & 0x18u);
            d.dst_stride = (rs & 0x20u) ? (uint32_t)pick_val(fz, r) : d.len + ((rs >> 1) & 0x0Cu) * 16u;
        }
        d.tag = (uint16_t)(kind << 8 | slot);
        ferry_desc_encode(raw, &d);
    }
    uint64_t a = fz->ring_base[ch] + (uint64_t)slot * FERRY_DESC_SIZE;
    host_write(fz, a, raw, sizeof(raw));
    if (fz->verbose) {
        struct ferry_desc d;
        ferry_desc_decode(&d, raw);
        vlog(fz, "desc ch%u slot %u @0x%llx: src 0x%llx dst 0x%llx len %u flags 0x%02x rows %u strides %u/%u", ch,
             slot, (unsigned long long)a, (unsigned long long)d.src, (unsigned long long)d.dst, d.len, d.flags,
             d.rows, d.src_stride, d.dst_stride);
    }
    if (kind & 0x40u) {
        fz->prod[ch] = (slot + 1u) & (size - 1u);
        vlog(fz, "  doorbell ch%u RING_PROD = %u", ch, fz->prod[ch]);
        ch_wr(fz, ch, FERRY_CH_RING_PROD, fz->prod[ch]);
    }
}

static void op_ring(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    unsigned s = u8(r);
    unsigned ls = u8(r);
    unsigned l2 = (ls & 0xE0u) == 0xE0u ? (ls & 31u) : 1u + (ls & 3u);
    uint64_t base, cpl;
    switch (s & 7u) {
    case 5: base = RING_AREA((ch + 1u) % fz->nch); break; /* shared with another channel */
    case 6: base = RING_AREA(ch) + 8u * (1u + ((s >> 3) & 3u)); break; /* misaligned or shifted */
    case 7: base = pick_addr(fz, r, 0); break;
    default: base = RING_AREA(ch); break;
    }
    switch ((s >> 5) & 7u) {
    case 5: cpl = CPL_AREA(ch) + 4u; break;
    case 6: cpl = base; break; /* records over the descriptors */
    case 7: cpl = pick_addr(fz, r, 1); break;
    default: cpl = CPL_AREA(ch); break;
    }
    vlog(fz, "ring ch%u base 0x%llx cpl 0x%llx log2 %u%s", ch, (unsigned long long)base, (unsigned long long)cpl,
         l2, (ls & 0x10u) ? " (no disable first)" : "");
    if (!(ls & 0x10u)) {
        ch_wr(fz, ch, FERRY_CH_RING_CTRL, 0);
    }
    ch_wr64(fz, ch, FERRY_CH_RING_BASE_LO, base);
    ch_wr64(fz, ch, FERRY_CH_CPL_BASE_LO, cpl);
    if (l2 >= 1 && l2 <= 12 && cpl < (1ull << 40)) {
        static const uint8_t zero[FERRY_CPL_SIZE << 12];
        host_write(fz, cpl, zero, (size_t)FERRY_CPL_SIZE << l2);
    }
    fz->ring_base[ch] = base;
    fz->log2[ch] = l2 >= 1 && l2 <= 15 ? l2 : 1u;
    fz->prod[ch] = 0;
    ch_wr(fz, ch, FERRY_CH_RING_CTRL, FERRY_RING_CTRL_ENABLE_MASK | l2 << FERRY_RING_CTRL_LOG2_SIZE_SHIFT);
}

static void op_direct(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    uint64_t src = pick_addr(fz, r, 0);
    uint64_t dst = pick_addr(fz, r, 1);
    uint32_t len = pick_len(fz, r);
    vlog(fz, "direct ch%u src 0x%llx dst 0x%llx len %u", ch, (unsigned long long)src, (unsigned long long)dst,
         len);
    ch_wr64(fz, ch, FERRY_CH_SRC_LO, src);
    ch_wr64(fz, ch, FERRY_CH_DST_LO, dst);
    ch_wr(fz, ch, FERRY_CH_LEN, len);
    ch_wr(fz, ch, FERRY_CH_CTRL, FERRY_CTRL_START_MASK);
}

static void op_prod(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    unsigned s = u8(r);
    unsigned size = 1u << fz->log2[ch];
    unsigned v = (s & 0xC0u) == 0xC0u ? u16(r) : (fz->prod[ch] + 1u + (s & 7u)) & (size - 1u);
    fz->prod[ch] = v & (size - 1u);
    vlog(fz, "prod ch%u RING_PROD = %u", ch, v);
    ch_wr(fz, ch, FERRY_CH_RING_PROD, v);
}

static void op_ctrl(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    unsigned s = u8(r);
    static const uint32_t bits[8] = {FERRY_CTRL_ABORT_MASK, FERRY_CTRL_RESUME_MASK, FERRY_CTRL_SKIP_MASK,
                                     FERRY_CTRL_RESET_MASK, FERRY_CTRL_ABORT_MASK, FERRY_CTRL_RESUME_MASK,
                                     FERRY_CTRL_START_MASK, 0};
    uint32_t v = (s & 7u) == 7u ? (s >> 3) : bits[s & 7u];
    vlog(fz, "ctrl ch%u CTRL = 0x%02x", ch, v);
    ch_wr(fz, ch, FERRY_CH_CTRL, v);
}

static void op_step(fz_t *fz, rd_t *r)
{
    unsigned n = 16u * (1u + u8(r));
    if (n > STEP_BUDGET - fz->steps) {
        n = STEP_BUDGET - fz->steps;
    }
    vlog(fz, "step %u", n);
    fz->steps += n;
    step(fz, n);
}

static void write_window(fz_t *fz, unsigned ch, unsigned w, uint64_t base, uint64_t limit, unsigned perm)
{
    uint32_t o = FERRY_CH_WIN0_BASE_LO + w * 16u;
    ch_wr(fz, ch, o, (uint32_t)(base & 0xFFFFF000u) | (perm & 3u));
    ch_wr(fz, ch, o + 4, (uint32_t)(base >> 32));
    ch_wr(fz, ch, o + 8, (uint32_t)(limit & 0xFFFFF000u));
    ch_wr(fz, ch, o + 12, (uint32_t)(limit >> 32));
}

static void op_win(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    unsigned s = u8(r);
    unsigned w = s & 3u;
    uint64_t base = pick_addr(fz, r, (s >> 2) & 1u) & ~0xFFFull;
    uint64_t limit = base + 0x1000ull * (u8(r) & 15u);
    unsigned perm = (s >> 3) & 3u;
    unsigned wc = (s >> 5) == 7u ? 3u : (s >> 5) == 6u ? 0u : 1u;
    vlog(fz, "win ch%u win%u [0x%llx, 0x%llx] perm %u WIN_CTRL = %u", ch, w, (unsigned long long)base,
         (unsigned long long)limit, perm, wc);
    write_window(fz, ch, w, base, limit, perm);
    ch_wr(fz, ch, FERRY_CH_WIN_CTRL, wc);
}

static void op_winall(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    unsigned s = u8(r);
    /* src buffers R (RW with bit 0), dst buffers W (RW with bit 1), rings R, completion rings W;
     * bit 2..3: one of the windows narrowed to its first page; bit 4: lock */
    uint64_t lo[4] = {SRC_BUF(0), DST_BUF(0), RING_AREA(0), CPL_AREA(0)};
    uint64_t hi[4] = {SRC_BUF(NBUF) - 1, DST_BUF(NBUF) - 1, RING_AREA(fz->nch) - 1, CPL_AREA(fz->nch) - 1};
    unsigned perm[4] = {(s & 1u) ? 3u : 1u, (s & 2u) ? 3u : 2u, 1u, 2u};
    if (s & 0x80u) {
        unsigned n = (s >> 2) & 3u;
        hi[n] = lo[n] + 0xFFF;
    }
    vlog(fz, "winall ch%u sel 0x%02x", ch, s);
    for (unsigned w = 0; w < 4 && w < fz->nwin; w++) {
        write_window(fz, ch, w, lo[w], hi[w], perm[w]);
    }
    ch_wr(fz, ch, FERRY_CH_WIN_CTRL, (s & 0x10u) ? 3u : 1u);
}

static void op_inject(fz_t *fz, rd_t *r)
{
    unsigned s = u8(r);
    unsigned o = u16(r);
    unsigned len = 1u + u8(r) * 8u;
    uint64_t base;
    unsigned i = (s >> 2) & 3u;
    switch (s & 3u) {
    case 0: base = SRC_BUF(i); break;
    case 1: base = DST_BUF(i); break;
    case 2: base = RING_AREA(i % fz->nch); break;
    default: base = CPL_AREA(i % fz->nch); break;
    }
    uint64_t lo = base + (o & 0x1FFFu);
    int is_write = (s >> 4) & 1u;
    int resp = (s & 0x20u) ? ((s & 0x40u) ? TB_RESP_OKAY : TB_RESP_DECERR) : TB_RESP_SLVERR;
    vlog(fz, "inject %s [0x%llx, 0x%llx] resp %d", is_write ? "write" : "read", (unsigned long long)lo,
         (unsigned long long)(lo + len - 1), resp);
    tb_mem_inject_error(fz->tb, lo, lo + len - 1, is_write, resp);
}

static void op_wdog(fz_t *fz, rd_t *r)
{
    unsigned ch = u8(r) % fz->nch;
    unsigned s = u8(r);
    uint32_t v = (s & 3u) == 0 ? 0u : (s & 3u) == 1 ? 1u + (s >> 2) : (s & 3u) == 2 ? 64u * (s >> 2) : u32(r);
    vlog(fz, "wdog ch%u WDOG = %u", ch, v);
    ch_wr(fz, ch, FERRY_CH_WDOG, v);
}

static void op_global(fz_t *fz, rd_t *r)
{
    uint32_t off = u16(r) & (FERRY_BAR_SIZE - 1u);
    if (!(off & 0x8000u)) {
        off &= ~3u;
    }
    uint32_t v = pick_val(fz, r);
    vlog(fz, "global 0x%04x = 0x%08x", off, v);
    bar_write(fz, off, v, 0xFu);
}

static void op_hold(fz_t *fz, rd_t *r)
{
    unsigned s = u8(r);
    unsigned o = u16(r);
    unsigned n = u8(r);
    uint64_t base;
    unsigned i = (s >> 2) & 3u;
    switch (s & 3u) {
    case 0: base = SRC_BUF(i); break;
    case 1: base = DST_BUF(i); break;
    case 2: base = RING_AREA(i % fz->nch); break;
    default: base = CPL_AREA(i % fz->nch); break;
    }
    uint64_t lo = base + (o & 0x1FFFu), hi = lo + 8u * n;
    int is_write = (s >> 4) & 1u;
#ifdef TB_HOLD_FOREVER
    switch (s >> 6) {
    case 0:
    case 1: {
        uint64_t cycles = 16u * (1u + (o >> 13) * 32u + (n & 31u));
        vlog(fz, "hold %s responses of [0x%llx, 0x%llx] %llu cycles", is_write ? "write" : "read",
             (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)cycles);
        tb_mem_hold_responses(fz->tb, lo, hi, is_write, cycles);
        fz->held = 1;
        break;
    }
    case 2: {
        unsigned permille = 1u + n % 200u;
        int resp = (o & 1u) ? TB_RESP_DECERR : TB_RESP_SLVERR;
        vlog(fz, "random %s errors: %u per mille, resp %d", is_write ? "write" : "read", permille, resp);
        tb_mem_inject_random(fz->tb, is_write, permille, resp);
        break;
    }
    default:
        vlog(fz, "hold %s responses of [0x%llx, 0x%llx] forever (released after the program)",
             is_write ? "write" : "read", (unsigned long long)lo, (unsigned long long)hi);
        tb_mem_hold_responses(fz->tb, lo, hi, is_write, TB_HOLD_FOREVER);
        fz->held = 1;
        break;
    }
#else
    (void)lo;
    (void)hi;
    (void)is_write;
    vlog(fz, "hold: this test bench has no held responses (a no-op)");
#endif
}

/* ---- checks ---- */

static const char *err_name(unsigned code)
{
    for (unsigned i = 0; i < ferry_err_info_count; i++) {
        if (ferry_err_info[i].code == code) {
            return ferry_err_info[i].name;
        }
    }
    return "?";
}

static void check_protocol(fz_t *fz)
{
    const char *e = tb_error(fz->tb);
    if (e) {
        finding(fz, "protocol checker: %s (%u violations)", e, tb_error_count(fz->tb));
    }
}

/* b: every channel idle within the bound. */
static void check_idle(fz_t *fz)
{
    uint64_t t0 = tb_cycle(fz->tb);
    int aborted = 0;
    uint32_t stopping = 0; /* channels STOPPING when the ABORT was written */
    for (;;) {
        uint32_t busy = 0;
        for (unsigned c = 0; c < fz->nch; c++) {
            if (ch_rd(fz, c, FERRY_CH_STATUS) & FERRY_STATUS_BUSY_MASK) {
                busy |= 1u << c;
            }
        }
        if (!busy) {
            break;
        }
        unsigned bound = g_break == BRK_IDLE ? 0u : fz->held ? HOLD_WAIT : IDLE_BOUND;
        if (tb_cycle(fz->tb) - t0 < bound) {
            step(fz, 256);
            continue;
        }
#ifdef TB_HOLD_FOREVER
        if (fz->held) {
            /* Held responses may keep a channel waiting (forever: a dead bus needs a bus
             * reset); let them all go: late responses are accepted, so it must go idle. */
            vlog(fz, "idle: busy 0x%x after %u cycles with held responses: all released", busy, HOLD_WAIT);
            tb_mem_release_responses(fz->tb);
            fz->held = 0;
            st.released++;
            t0 = tb_cycle(fz->tb);
            continue;
        }
#endif
        /* Not idle within the bound: a finding unless the work left is legitimately large. */
        unsigned pending = 0;
        for (unsigned c = 0; c < fz->nch; c++) {
            if (busy & (1u << c)) {
                uint32_t rc = ch_rd(fz, c, FERRY_CH_RING_CTRL);
                unsigned l2 = (rc & FERRY_RING_CTRL_LOG2_SIZE_MASK) >> FERRY_RING_CTRL_LOG2_SIZE_SHIFT;
                uint32_t mask = l2 >= 1 && l2 <= 16 ? (1u << l2) - 1u : 0xFFFFu;
                pending += (ch_rd(fz, c, FERRY_CH_RING_PROD) - ch_rd(fz, c, FERRY_CH_RING_CONS)) & mask;
            }
        }
        int heavy = (fz->work_bytes > HEAVY_BYTES || pending > HEAVY_DESCS) && g_break != BRK_IDLE;
        if (aborted && g_avoid_abort_while_stopping && (busy & ~stopping) == 0) {
            st.heavy_skip++;
            vlog(fz, "idle: busy 0x%x was STOPPING at the ABORT: not checked (FERRY_FUZZ_AVOID)", busy);
            return;
        }
        if (!heavy || aborted) {
            char buf[1200];
            size_t o = 0;
            for (unsigned c = 0; c < fz->nch && o < sizeof(buf) - 200; c++) {
                o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\n  ch%u STATUS 0x%08x", c,
                                      ch_rd(fz, c, FERRY_CH_STATUS));
                if (busy & (1u << c)) {
                    o += (size_t)snprintf(buf + o, sizeof(buf) - o,
                                          " RING_CTRL 0x%x PROD %u CONS %u ERR_DESC %u ERR_ADDR 0x%llx",
                                          ch_rd(fz, c, FERRY_CH_RING_CTRL), ch_rd(fz, c, FERRY_CH_RING_PROD),
                                          ch_rd(fz, c, FERRY_CH_RING_CONS), ch_rd(fz, c, FERRY_CH_ERR_DESC),
                                          (unsigned long long)ch_rd64(fz, c, FERRY_CH_ERR_ADDR_LO));
                }
            }
            size_t n;
            const axi_mem_event_t *ev = axi_mem_trace(fz->mem, &n, NULL);
            static const char *const kn[] = {"AR", "AW", "RLAST", "B"};
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\n  last bus events:");
            for (size_t i = n > 6 ? n - 6 : 0; i < n && o < sizeof(buf) - 80; i++) {
                o += (size_t)snprintf(buf + o, sizeof(buf) - o, " [%llu %s id %llu 0x%llx x%u resp %u]",
                                      (unsigned long long)ev[i].cycle, kn[ev[i].kind & 3u],
                                      (unsigned long long)ev[i].id, (unsigned long long)ev[i].addr, ev[i].beats,
                                      ev[i].resp);
            }
            finding(fz, "channels 0x%x still busy %llu cycles after the program%s (work %llu bytes, %u descriptors "
                        "pending):%s",
                    busy, (unsigned long long)(tb_cycle(fz->tb) - t0), aborted ? " and after CTRL.ABORT" : "",
                    (unsigned long long)fz->work_bytes, pending, buf);
        }
        if (fz->nwin == 0) { /* no ABORT in this RTL: nothing more to check */
            st.heavy_skip++;
            vlog(fz, "idle: still busy (0x%x) with %llu bytes of work: not checked", busy,
                 (unsigned long long)fz->work_bytes);
            return;
        }
        vlog(fz, "idle: busy 0x%x after %u cycles with heavy work: CTRL.ABORT", busy, IDLE_BOUND);
        for (unsigned c = 0; c < fz->nch; c++) {
            if (busy & (1u << c)) {
                if (ch_rd(fz, c, FERRY_CH_STATUS) & FERRY_STATUS_STOPPING_MASK) {
                    stopping |= 1u << c;
                }
                tb_bar_write(fz->tb, FERRY_CH_REG(c, FERRY_CH_CTRL), FERRY_CTRL_ABORT_MASK, 0xFu);
            }
        }
        aborted = 1;
        st.aborted_idle++;
        t0 = tb_cycle(fz->tb);
    }
}

/* c: every byte the bus changed is in an allowed range. */
static void check_writes(fz_t *fz)
{
    const uint64_t *pn;
    const unsigned char *how;
    size_t n = axi_mem_dirty_pages(fz->mem, &pn, &how);
    allow_merge(fz);
    for (size_t i = 0; i < n; i++) {
        if (!(how[i] & AXI_MEM_DIRTY_BUS)) {
            continue;
        }
        st.bus_writes++;
        uint8_t a[4096], b[4096];
        uint64_t base = pn[i] << 12;
        axi_mem_read(fz->mem, base, a, sizeof(a));
        axi_mem_read(fz->shadow, base, b, sizeof(b));
        if (memcmp(a, b, sizeof(a)) == 0) {
            continue;
        }
        for (unsigned k = 0; k < 4096; k++) {
            if (a[k] != b[k] && !allowed(fz, base + k)) {
                finding(fz, "the bus changed byte 0x%llx (0x%02x -> 0x%02x), outside every destination "
                            "(direct DST ranges, fetched descriptors' extents, completion rings)",
                        (unsigned long long)(base + k), b[k], a[k]);
            }
        }
    }
}

typedef struct {
    uint64_t base, limit; /* page numbers, inclusive */
    unsigned perm;
} win_t;

static int in_windows(const win_t *w, unsigned nw, uint64_t addr, unsigned need)
{
    uint64_t page = addr >> 12;
    if (g_break == BRK_WINDOWS) {
        return 0;
    }
    for (unsigned i = 0; i < nw; i++) {
        if ((w[i].perm & need) == need && page >= w[i].base && page <= w[i].limit) {
            return 1;
        }
    }
    return 0;
}

/* d: nothing issued outside the enabled windows. */
static void check_windows(fz_t *fz)
{
    win_t w[MAX_CH][4];
    unsigned nw[MAX_CH];
    int checked[MAX_CH];
    int ctl_ok = 1;
    win_t all[MAX_CH * 4];
    unsigned nall = 0;
    for (unsigned c = 0; c < fz->nch; c++) {
        checked[c] = 0;
        nw[c] = 0;
        if (!fz->started[c]) {
            continue;
        }
        uint32_t wc = ch_rd(fz, c, FERRY_CH_WIN_CTRL);
        if (!(wc & FERRY_WIN_CTRL_ENABLE_MASK) || fz->win_late[c] || fz->reset_seen[c]) {
            ctl_ok = 0;
            continue;
        }
        checked[c] = 1;
        for (unsigned i = 0; i < fz->nwin && i < 4; i++) {
            uint32_t o = FERRY_CH_WIN0_BASE_LO + i * 16u;
            uint64_t b = ch_rd64(fz, c, o), l = ch_rd64(fz, c, o + 8);
            w[c][i].base = b >> 12;
            w[c][i].limit = l >> 12;
            w[c][i].perm = (unsigned)(b & 3u);
            all[nall++] = w[c][i];
        }
        nw[c] = fz->nwin < 4 ? fz->nwin : 4;
        st.win_checked++;
    }
    if (ctl_ok && nall) {
        st.ctl_win_checked++;
    }
    size_t n;
    const axi_mem_event_t *ev = axi_mem_trace(fz->mem, &n, NULL);
    for (size_t i = 0; i < n; i++) {
        const axi_mem_event_t *e = &ev[i];
        if (e->kind != AXI_EV_AR && e->kind != AXI_EV_AW) {
            continue;
        }
        unsigned need = e->kind == AXI_EV_AR ? 1u : 2u;
        if (e->id < fz->nch && checked[e->id] && !in_windows(w[e->id], nw[e->id], e->addr, need)) {
            finding(fz, "channel %u issued %s 0x%llx (%u beats) at cycle %llu outside its %s windows "
                        "(WIN_CTRL.ENABLE set before the channel started)",
                    (unsigned)e->id, need == 1 ? "a read at" : "a write at", (unsigned long long)e->addr,
                    e->beats, (unsigned long long)e->cycle, need == 1 ? "READ" : "WRITE");
        }
        if (e->id == fz->nch && ctl_ok && nall && !in_windows(all, nall, e->addr, need)) {
            finding(fz, "the control port issued %s 0x%llx at cycle %llu outside every started channel's %s "
                        "windows",
                    need == 1 ? "a descriptor read at" : "a completion write at", (unsigned long long)e->addr,
                    (unsigned long long)e->cycle, need == 1 ? "READ" : "WRITE");
        }
    }
}

/* ---- one program ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (g_verbose < 0) {
        const char *v = getenv("FERRY_FUZZ_VERBOSE");
        g_verbose = v && *v && *v != '0' ? (*v == '2' ? 2 : 1) : 0;
    }
    rd_t r = {data, size, 0};
    unsigned seed = u16(&r);
    tb_config_t cfg;
    tb_config_random(&cfg, seed);
    fz_t fz;
    memset(&fz, 0, sizeof(fz));
    fz.verbose = g_verbose;
    fz.tb = tb_new(&cfg);
    if (!fz.tb) {
        fprintf(stderr, "ferry_fuzz: tb_new failed\n");
        abort();
    }
    fz.mem = tb_axi_mem(fz.tb);
    axi_rng_seed(&fz.shadow_rng, 1);
    fz.shadow = axi_mem_new(tb_data_bytes(fz.tb), &fz.shadow_rng);
    fz.nch = tb_num_channels(fz.tb);
    fz.db = tb_data_bytes(fz.tb);
    if (fz.nch > MAX_CH) {
        fz.nch = MAX_CH;
    }
    /* Read in every program (not once), so a program runs the same cycles however it is run. */
    fz.nwin = (rd(&fz, FERRY_REG_CAP1) & FERRY_CAP1_WINDOWS_MASK) >> FERRY_CAP1_WINDOWS_SHIFT;
    st.cap_windows = fz.nwin;
    if (fz.verbose) {
        char buf[400];
        tb_config_describe(&cfg, buf, sizeof(buf));
        vlog(&fz, "program of %zu bytes: memory seed %u: %s; %u channels, %u-byte bus, %u windows", size, seed, buf,
             fz.nch, fz.db, fz.nwin);
    }
    for (unsigned c = 0; c < fz.nch; c++) {
        fz.ring_base[c] = RING_AREA(c);
        fz.log2[c] = 1;
    }
    /* Source buffers: bytes from the seed; everything else reads 0. */
    axi_rng_t br;
    axi_rng_seed(&br, seed * 0x9E3779B97F4A7C15ull + 7u);
    for (unsigned i = 0; i < NBUF; i++) {
        uint64_t buf[BUF_SIZE / 8];
        for (unsigned k = 0; k < BUF_SIZE / 8; k++) {
            buf[k] = axi_rng_next(&br);
        }
        host_write(&fz, SRC_BUF(i), buf, sizeof(buf));
    }
    axi_mem_track_writes(fz.mem, 1);
    axi_mem_trace_start(fz.mem, TRACE_MAX);

    unsigned ops = 0;
    while (r.i < r.n && ops < MAX_OPS && fz.steps < STEP_BUDGET) {
        unsigned op = u8(&r) % OP_COUNT;
        ops++;
        switch (op) {
        case OP_REG: op_reg(&fz, &r); break;
        case OP_DESC: op_desc(&fz, &r); break;
        case OP_RING: op_ring(&fz, &r); break;
        case OP_DIRECT: op_direct(&fz, &r); break;
        case OP_PROD: op_prod(&fz, &r); break;
        case OP_CTRL: op_ctrl(&fz, &r); break;
        case OP_STEP: op_step(&fz, &r); break;
        case OP_WIN: op_win(&fz, &r); break;
        case OP_WINALL: op_winall(&fz, &r); break;
        case OP_INJECT: op_inject(&fz, &r); break;
        case OP_WDOG: op_wdog(&fz, &r); break;
        case OP_GLOBAL: op_global(&fz, &r); break;
        default: op_hold(&fz, &r); break;
        }
    }
    (void)op_names;
    vlog(&fz, "program done: %u ops; waiting for idle", ops);

    check_protocol(&fz);
    check_idle(&fz);
    check_protocol(&fz);
    if (fz.trace_lost) {
        st.trace_lost++;
        vlog(&fz, "trace overflowed: write and window checks skipped");
    } else {
        check_writes(&fz);
        if (fz.nwin) {
            check_windows(&fz);
        }
    }
    for (unsigned c = 0; c < fz.nch; c++) {
        uint32_t s = ch_rd(&fz, c, FERRY_CH_STATUS);
        unsigned code = (s & FERRY_STATUS_ERR_CODE_MASK) >> FERRY_STATUS_ERR_CODE_SHIFT;
        if (s & FERRY_STATUS_ERROR_MASK) {
            st.err_code[code & 31u]++;
        }
        if (fz.verbose) {
            vlog(&fz, "ch%u STATUS 0x%08x%s%s%s ERR_CODE %u (%s) CONS %u ERR_ADDR 0x%llx ERR_BYTES %u", c, s,
                 (s & FERRY_STATUS_ERROR_MASK) ? " ERROR" : "", (s & FERRY_STATUS_HALTED_MASK) ? " HALTED" : "",
                 (s & FERRY_STATUS_RING_ACTIVE_MASK) ? " RING_ACTIVE" : "", code, err_name(code),
                 ch_rd(&fz, c, FERRY_CH_RING_CONS), (unsigned long long)ch_rd64(&fz, c, FERRY_CH_ERR_ADDR_LO),
                 ch_rd(&fz, c, FERRY_CH_ERR_BYTES));
        }
    }
    check_protocol(&fz);
    if (fz.verbose > 1) {
        fz_dump_trace(&fz);
    }
    vlog(&fz, "checks passed: %zu allowed ranges, %llu bytes of work", fz.nallow,
         (unsigned long long)fz.work_bytes);
    st.programs++;
    st.ops += ops;
    st.cycles += tb_cycle(fz.tb);
    axi_mem_free(fz.shadow);
    free(fz.allow);
    tb_free(fz.tb);
    return 0;
}

static void print_stats(void)
{
    fprintf(stderr, "ferry_fuzz: %llu programs, %llu ops, %llu cycles (%llu per program), %llu windows "
                    "checks (%llu with the control port), %llu heavy idle skips, %llu ABORTs at the bound, "
                    "%llu traces lost, %llu releases of held responses; CAP1.WINDOWS %llu\n",
            (unsigned long long)st.programs, (unsigned long long)st.ops, (unsigned long long)st.cycles,
            (unsigned long long)(st.programs ? st.cycles / st.programs : 0), (unsigned long long)st.win_checked,
            (unsigned long long)st.ctl_win_checked, (unsigned long long)st.heavy_skip,
            (unsigned long long)st.aborted_idle, (unsigned long long)st.trace_lost,
            (unsigned long long)st.released, (unsigned long long)st.cap_windows);
    fprintf(stderr, "ferry_fuzz: channels ending with ERROR, by code:");
    for (unsigned i = 0; i < 32; i++) {
        if (st.err_code[i]) {
            fprintf(stderr, " %s %llu", err_name(i), (unsigned long long)st.err_code[i]);
        }
    }
    fputc('\n', stderr);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *b = getenv("FERRY_FUZZ_BREAK");
    if (b && *b) {
        g_break = strcmp(b, "writes") == 0 ? BRK_WRITES : strcmp(b, "idle") == 0 ? BRK_IDLE
                : strcmp(b, "windows") == 0 ? BRK_WINDOWS : BRK_NONE;
        if (g_break == BRK_NONE) {
            fprintf(stderr, "ferry_fuzz: unknown FERRY_FUZZ_BREAK '%s' (writes, idle, windows)\n", b);
            exit(2);
        }
        fprintf(stderr, "ferry_fuzz: FERRY_FUZZ_BREAK=%s: a check is broken on purpose\n", b);
    }
    const char *av = getenv("FERRY_FUZZ_AVOID");
    if (av && *av) {
        g_avoid_ring_disable_windows = strstr(av, "ring_disable_windows") != NULL;
        g_avoid_abort_while_stopping = strstr(av, "abort_while_stopping") != NULL;
        g_avoid_window_busy = strstr(av, "cpl_window_while_stopping") != NULL;
        fprintf(stderr, "ferry_fuzz: FERRY_FUZZ_AVOID=%s: known findings avoided\n", av);
    }
    const char *s = getenv("FERRY_FUZZ_STATS");
    if (s && *s && *s != '0') {
        atexit(print_stats);
    }
    return 0;
}
