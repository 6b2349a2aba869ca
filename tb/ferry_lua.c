/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_lua: runs Lua scenarios (sim/scenarios/NAME.lua) against the Verilated
 * ferry_top through the C driver (sw/lib) and the simulation port (sw/port/sim).
 *
 *   ferry_lua [--list] SCENARIO.lua...
 *
 * A scenario file returns its tests, either as a list
 *     return { {name = "small", fn = function(t) ... end}, ... }
 * (run in list order) or as a map { small = function(t) ... end, ... } (run in
 * name order). Names use [A-Za-z0-9_.-]. Every test runs in a fresh Lua state
 * (the file is loaded anew) on a fresh test bench: tb_new with
 * tb_config_random(test seed) (random latency and backpressure on every
 * channel), a fresh sim port, ferry_probe; then fn(t) runs under lua_pcall
 * with a traceback. A test fails if fn raises an error or if the bus models
 * saw a protocol error (tb_error) during it. Output: one line per test,
 *     PASS scenario/test (seed=N, cycles=M) [scoreboard: ...]
 *     FAIL scenario/test (seed=N, profile=P): message  (then traceback, the bus
 *                                               settings and a rerun line)
 * and finally "N passed, N failed". Exit status 1 if a test (or loading a file)
 * failed, or if no test ran without TEST set; 2 on a usage error.
 *
 * Environment
 *   SEED=N    base seed (default 1). A test's own seed is derived from SEED and
 *             "scenario/test" only, so SEED=N TEST=scenario/test replays it
 *             exactly; N printed on each line is that SEED.
 *   TEST=s    run only tests whose "scenario/test" contains s (plain text).
 *   WAVES=1   write sim/out/waves/<scenario>_<test>.fst and print its path.
 *   QUIET=1   tb_config_default (no latency, no stalls) instead of random stress.
 *   VERBOSE=1 print t:log() lines as they come (else only for failed tests).
 *
 * The Lua API: fn(t) gets a context object t; call its methods with ':'.
 * Integers are Lua 64-bit integers; addresses are full 64-bit (a negative
 * integer is a high address: -1 is 0xFFFFFFFFFFFFFFFF). A bad argument raises
 * an error naming the argument. "st" below is a driver status name without
 * the FERRY_ prefix ("OK", "E_INVAL", "E_BUSY", "E_DEVICE", "E_TIMEOUT", ...);
 * "resp" is an AXI response name ("OKAY", "EXOKAY", "SLVERR", "DECERR", or
 * "TIMEOUT" when the register access got no answer).
 *
 * Fields
 *   t.caps      {id, if_version, version_major, version_minor, cap0, cap1,
 *                channels, data_bytes, addr_width, max_burst, max_outstanding,
 *                direct, ring} as read by ferry_probe
 *   t.regs      global register offsets (ID, IF_VERSION, CAP0, ..., IRQ_STATUS),
 *               regs.ch = channel register offsets within a block (SRC_LO ...
 *               IRQ_ENABLE), BAR_SIZE, CH_BASE, CH_STRIDE, MAX_CHANNELS, MAGIC
 *   t.bits      STATUS_BUSY, STATUS_DONE, STATUS_ERROR, STATUS_DB_OVERRUN,
 *               STATUS_CPL, STATUS_RING_ACTIVE, STATUS_ERR_CODE_MASK,
 *               STATUS_ERR_CODE_SHIFT, CTRL_START, IRQ_ENABLE_DONE,
 *               IRQ_ENABLE_ERROR, IRQ_ENABLE_CPL, RING_CTRL_ENABLE,
 *               RING_CTRL_LOG2_SIZE_MASK, RING_CTRL_LOG2_SIZE_SHIFT (masks)
 *   t.err       error codes by name (t.err.LEN_ZERO == 1) and names by code
 *               (t.err[1] == "LEN_ZERO")
 *   t.desc      FERRY_DESC_* of ferry_desc.h: IRQ, SRC_FIXED, DST_FIXED, TWO_D,
 *               EOP, FLAGS_RESERVED, SIZE, CPL_SIZE, LEN_MAX
 *   t.name, t.scenario
 * Driver (sw/lib/ferry.c)
 *   t:copy(ch, src, dst, len [, timeout_us]) -> st, err, res   blocking copy
 *   t:copy_start(ch, src, dst, len) -> st
 *   t:copy_wait(ch [, timeout_us]) -> st, err, res
 *   t:copy_poll(ch) -> st, err, res
 *       err: error code name ("NONE", "LEN_ZERO", ...); res: {status_reg,
 *       err_code, bytes, db_overrun}, nil unless st is "OK" or "E_DEVICE".
 *       timeout_us defaults to 100000 (25 M cycles).
 *   t:irq_enable(ch [, on = true]) -> st
 * Registers (straight to the AXI4-Lite master, no driver checks)
 *   t:bar_read(off) -> value, resp
 *   t:bar_write(off, val [, strb = 0xF]) -> resp
 *   t:ch_reg(ch, name) -> offset of channel register name ("STATUS") of ch
 *   t:status(ch) -> {raw, busy, done, error, db_overrun, cpl, ring_active, halted, stopping,
 *       err_code, err, resp}
 *   t:raw_start(ch, src, dst, len) -> resp   writes SRC_LO/HI, DST_LO/HI, LEN,
 *       CTRL.START with no checks; resp is the first non-OKAY answer or "OKAY"
 * Simulation
 *   t:step([n = 1]), t:cycle() -> n, t:irq() -> mask,
 *   t:wait_irq(mask, max_cycles) -> fired (boolean)
 *   t:reset([cycles = 8])   rst_n low that long, whatever is in flight
 *       (bus models and checkers forget it; memory contents stay)
 *   t:reg_info() -> {{name, offset, per_channel, access, reset}, ...}  the
 *       generated register table (sw/lib/ferry_regs_table.c)
 *   t:mem_write(addr, bytes), t:mem_read(addr, len) -> bytes
 *   t:pattern(len, pseed) -> bytes     deterministic pseudo-random bytes;
 *       pattern(n, s) is a prefix of pattern(m, s) for n < m
 *   t:mem_fill(addr, len, pseed)       same as mem_write(addr, t:pattern(len, pseed))
 *   t:mem_inject_error(lo, hi, "read"|"write" [, resp = "SLVERR"])  bus beats
 *       touching [lo, hi] answer resp ("OKAY" clears)
 *   t:mem_inject_random("read"|"write", permille [, resp = "SLVERR"])  each
 *       read / write burst answers resp ("SLVERR" or "DECERR") on all its
 *       beats / its B with probability permille/1000 (0..1000; 0 = off),
 *       drawn from the test's seeded PRNG (SEED= replays it); such a write
 *       stores nothing
 *   t:mem_hold("read"|"write", lo, hi, cycles | "forever")  bursts touching
 *       [lo, hi] get all their R beats / their B cycles later than they would
 *       otherwise come ("forever": until t:mem_release()); later bursts of
 *       the same ID wait behind them; cycles 0 clears the range (latest wins)
 *   t:mem_release()   every held response goes, all hold rules are removed
 *   (every test starts on a fresh bench: no errors, random rates or holds)
 *   t:set_latency(rd_min, rd_max, wr_min, wr_max)   cycles, 0..100000
 *   t:set_stall{ar=, r=, aw=, w=, b=, axil=}        percent 0..100; keys left out keep
 *   t:set_rd_outstanding(n)            read bursts the memory accepts (0 = unlimited)
 *   t:quiet()                          no latency and no stalls from now on
 *   t:bus_config() -> {seed, rd_lat_min, ..., stall_axil, max_outstanding_rd}
 *   t:stats() -> {ar_count, aw_count, r_beats, w_beats, b_count, r_bytes,
 *       w_bytes, first_ar_cycle, first_aw_cycle, last_b_cycle, last_w_cycle,
 *       max_rd_outstanding, ar_fixed, aw_fixed, r_reordered, r_interleaved,
 *       b_reordered, rd_err_injected, wr_err_injected, rd_held, wr_held,
 *       ar_by_id, aw_by_id, r_beats_by_id} (first_*_cycle nil
 *       when none; *_by_id[id] per AXI ID 0..31; rd_/wr_err_injected: read
 *       bursts with an error beat / B answered with an error, by
 *       mem_inject_error or mem_inject_random; rd_/wr_held: bursts mem_hold
 *       held); t:stats_clear()
 *   t:trace_start([max = 100000]); t:trace() -> events, dropped: bus
 *       handshakes {cycle, kind = "AR"|"AW"|"RLAST"|"B", id, addr, beats,
 *       burst, resp} since trace_start
 *   t:protocol_error() -> message or nil, count
 *   t:seed() -> this test's seed; t:rand(n) -> 0..n-1; t:rand(lo, hi) -> lo..hi
 *       (math.random is seeded with the test seed as well)
 * Descriptors (sw/include/ferry/ferry_desc.h) and the reference model. A
 * descriptor is a table {src, dst, len, flags, tag, rows, src_stride,
 * dst_stride} (absent fields 0). The runner keeps a shadow of the bench
 * memory: mem_write and mem_fill write both, the DMA only the bench memory,
 * ref_apply only the shadow.
 *   t:desc_encode(desc) -> 32 bytes; t:desc_decode(bytes [, pos]) -> desc
 *   t:cpl_decode(bytes [, pos]) -> {index, status, err, phase, bytes, tag,
 *       fault (address bits 47:0), reserved}; t:cpl_encode{index, status,
 *       phase, bytes, tag, fault} -> 16 bytes
 *   t:ref_check(desc) -> code, name      error before any bus traffic, or 0
 *   t:ref_apply(desc) -> bytes, code     applies desc to the shadow
 *   t:shadow_write(addr, bytes), t:shadow_read(addr, len) -> bytes,
 *   t:shadow_sync(addr, len)             bench memory -> shadow
 *   t:expect_shadow(addr, len [, what])  bench memory equals the shadow
 * Scoreboard. t:copy, t:copy_start (when the driver accepts the copy) and
 * t:raw_start (when the register writes are answered OKAY) apply the copy
 * to the shadow too, like t:ref_apply(desc [, what]) does for a descriptor.
 * After a test that passed, every 4 KiB page the bus or the host wrote in
 * the bench memory, or that the shadow changed, must equal the shadow byte
 * for byte; a mismatch fails the test with the address, the bytes found and
 * expected, and the last copy, descriptor or write that covers the address.
 *   t:unpredictable(addr, len, reason)   the bench bytes become the expectation
 *       (e.g. a destination after a bus error), counted on the PASS line
 *   t:scoreboard_off(reason)             no end-of-test check; reason on the PASS line
 *   t:scoreboard() -> {descs, bytes, skipped, synced, writers}
 *   t:shadow_write(addr, bytes [, what]) what names the write in mismatch messages
 * A failed test (without WAVES=1) runs once more with the same seed and
 * waves on; the runner prints the FST path and the gtkwave command.
 * Checks
 *   t:check(cond [, msg]), t:expect_eq(got, want [, what]),
 *   t:expect_mem(addr, bytes [, what])   memory equals bytes, else the first
 *       differing address and the number of differing bytes
 *   t:log(...)                          kept; printed for failed tests or VERBOSE=1
 *
 * Stream channels (issue 8; tb/axis_model.h; CFG=stream). Without stream
 * channels in the build each of these raises an error, except stream_caps.
 *   t:stream_caps() -> {cap2, h2c, c2h (channel masks from CAP2), models
 *       (the bench drives the stream ports), resp}
 *   t:axis_send(ch, bytes [, tuser = 0, tid = 0])  queue a packet on the
 *       source of card-to-host channel ch (sent with random TVALID gaps)
 *   t:axis_recv(ch) -> {bytes, len, tuser, tid, first_cycle, last_cycle} | nil
 *       the oldest packet the sink of host-to-card channel ch recorded
 *   t:axis_partial(ch) -> bytes of the packet the sink is in (no TLAST yet)
 *   t:axis_loopback(h2c, c2h [, on = true])  h2c's m_axis feeds c2h's s_axis
 *   t:axis_stats(ch) -> {beats, bytes, packets, stall (TVALID and not
 *       TREADY), gap (cycles the model's random gaps held back), first_cycle,
 *       last_cycle (nil without beats), queued, lb_beats}; t:axis_stats_clear()
 *   t:axis_clear()   drop queued, recorded and partial packets
 *   t:axis_gaps([valid_pct, ready_pct]) -> previous pair: the models' random
 *       TVALID / TREADY gaps (from the seed; 0 with QUIET=1 or t:quiet())
 *   t:cpl_decode(...) also gives sop, eop (w0 bits 24, 25), w3, tuser, tid
 *       (w3[7:0], w3[15:8]) for card-to-host records
 * Skipping
 *   t:skip(reason)   ends the test as skipped (SKIP line, counted apart)
 *   A list-form scenario may carry requires = function(t) -> nil | reason;
 *   it runs on the first test's bench, and a reason skips the whole file
 *   with one line "SKIP scenario (seed=N): reason". The summary line then
 *   reads "N passed, N failed, N skipped"; skipped alone is not a failure.
 *
 * require() finds modules in <scenario dir>/lib/ (e.g. lib/ferry_check.lua).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "axi_mem.h"
#include "axis_model.h"
#include "ferry/ferry.h"
#include "ferry/ferry_desc.h"
#include "ferry/ferry_regs.h"
#include "ferry_port_sim.h"
#include "tb.h"

#define CTX_MT "ferry.ctx"
#define DEFAULT_TIMEOUT_US 100000  /* 25 M simulated cycles */
#define MEM_ARG_MAX (256 * 1024 * 1024) /* longest mem_read / mem_fill / pattern */
#define LAT_MAX 100000
#define STEP_CHUNK 0x10000000U
#define WAVES_DIR "sim/out/waves"
#define LOG_MAX (64 * 1024)        /* bytes of t:log() kept per test */

/* ---- one test's world ---- */

struct ctx {
    tb_t *tb;
    struct ferry_sim *sim;
    struct ferry_dev dev;
    tb_config_t cfg;   /* current bus settings (tb has no getter) */
    axi_mem_t *shadow; /* the reference model's memory: a shadow of the bench memory */
    axi_rng_t shadow_rng;
    uint64_t seed;     /* the test seed */
    uint64_t rng;      /* t:rand state */
    bool verbose;
    char *log;         /* t:log() lines */
    size_t log_len;
    struct scoreboard *sb; /* end-of-test memory check (see "scoreboard" below) */
};

/* The userdata holds a pointer that is NULLed when the test ends. */
struct ctx_box {
    struct ctx *c;
};

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static struct ctx *get_ctx(lua_State *L)
{
    struct ctx_box *b = luaL_testudata(L, 1, CTX_MT);
    if (b == NULL) {
        lua_Debug ar;
        const char *fn = lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name != NULL ? ar.name : "?";
        luaL_error(L, "%s needs the test context first: call it as t:%s(...), not t.%s(...)", fn, fn, fn);
    }
    if (b->c == NULL) {
        luaL_error(L, "the test context was used after its test ended");
    }
    return b->c;
}

/* ---- argument helpers: every error names the argument ---- */

static lua_Integer arg_int(lua_State *L, int i, const char *name, lua_Integer lo, lua_Integer hi)
{
    int ok = 0;
    lua_Integer v = lua_tointegerx(L, i, &ok);

    if (!ok) {
        if (lua_type(L, i) == LUA_TNUMBER) {
            luaL_argerror(L, i, lua_pushfstring(L, "%s must be an integer, got %f", name, lua_tonumber(L, i)));
        }
        luaL_argerror(L, i, lua_pushfstring(L, "%s: integer expected, got %s", name, luaL_typename(L, i)));
    }
    if (v < lo || v > hi) {
        luaL_argerror(L, i, lua_pushfstring(L, "%s = %I out of range %I..%I", name, v, lo, hi));
    }
    return v;
}

static lua_Integer opt_int(lua_State *L, int i, const char *name, lua_Integer lo, lua_Integer hi, lua_Integer def)
{
    if (lua_isnoneornil(L, i)) {
        return def;
    }
    return arg_int(L, i, name, lo, hi);
}

/* Any 64-bit integer; negative values are high addresses. */
static uint64_t arg_addr(lua_State *L, int i, const char *name)
{
    return (uint64_t)arg_int(L, i, name, LUA_MININTEGER, LUA_MAXINTEGER);
}

static const char *arg_str(lua_State *L, int i, const char *name, size_t *len)
{
    if (lua_type(L, i) != LUA_TSTRING) {
        luaL_argerror(L, i, lua_pushfstring(L, "%s: string expected, got %s", name, luaL_typename(L, i)));
    }
    return lua_tolstring(L, i, len);
}

/* One of the strings in opts (NULL-terminated); def when absent (NULL: required). */
static int arg_option(lua_State *L, int i, const char *name, const char *def, const char *const opts[])
{
    const char *v = def;

    if (!lua_isnoneornil(L, i) || def == NULL) {
        v = arg_str(L, i, name, NULL);
    }
    for (int k = 0; opts[k] != NULL; k++) {
        if (strcmp(opts[k], v) == 0) {
            return k;
        }
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int k = 0; opts[k] != NULL; k++) {
        luaL_addstring(&b, k == 0 ? "'" : ", '");
        luaL_addstring(&b, opts[k]);
        luaL_addchar(&b, '\'');
    }
    luaL_pushresult(&b);
    return luaL_argerror(L, i, lua_pushfstring(L, "%s: one of %s expected, got '%s'", name, lua_tostring(L, -1), v));
}

static unsigned arg_ch(lua_State *L, int i)
{
    return (unsigned)arg_int(L, i, "ch", 0, 0xFFFFFFFF);
}

/* ---- names ---- */

static const char *resp_name(int resp)
{
    switch (resp) {
    case TB_RESP_OKAY:
        return "OKAY";
    case TB_RESP_EXOKAY:
        return "EXOKAY";
    case TB_RESP_SLVERR:
        return "SLVERR";
    case TB_RESP_DECERR:
        return "DECERR";
    case TB_TIMEOUT:
        return "TIMEOUT";
    default:
        return "UNKNOWN";
    }
}

/* "FERRY_E_BUSY (channel busy)" -> "E_BUSY" */
static void push_status(lua_State *L, ferry_status st)
{
    const char *s = ferry_status_str(st);
    size_t n;

    if (strncmp(s, "FERRY_", 6) == 0) {
        s += 6;
    }
    n = strcspn(s, " ");
    lua_pushlstring(L, s, n);
}

/* Pushes st, err name, res table: the returns of copy / copy_wait / copy_poll. */
static int push_result(lua_State *L, ferry_status st, const struct ferry_result *res, bool have_res)
{
    push_status(L, st);
    if (!have_res) {
        lua_pushstring(L, "NONE");
        lua_pushnil(L);
        return 3;
    }
    lua_pushstring(L, ferry_err_str(res->err_code));
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, (lua_Integer)res->status_reg);
    lua_setfield(L, -2, "status_reg");
    lua_pushinteger(L, (lua_Integer)res->err_code);
    lua_setfield(L, -2, "err_code");
    lua_pushinteger(L, (lua_Integer)res->bytes);
    lua_setfield(L, -2, "bytes");
    lua_pushboolean(L, res->db_overrun);
    lua_setfield(L, -2, "db_overrun");
    return 3;
}

/* ---- scoreboard: every byte of memory against the reference model ----
 *
 * Both the bench memory and the shadow track the 4 KiB pages written to them
 * (axi_mem_track_writes). At the end of a test that passed, every page that
 * the bus or the host wrote in the bench memory, or that the shadow changed,
 * is compared byte for byte. t:unpredictable(addr, len, reason) copies the
 * bench bytes of a range into the shadow when it is called (with the reason
 * kept and counted), so undefined bytes are declared, never skipped.
 * Whatever updates the shadow is logged ("writers"), so a mismatch names the
 * copy or descriptor that should have written the byte. */

struct sb_range {
    uint64_t lo, hi; /* inclusive: rings may end at the top of the address space */
    char what[120];
};

struct sb_list {
    struct sb_range *v;
    size_t n, cap;
};

struct scoreboard {
    struct sb_list writers; /* shadow updates, in order */
    struct sb_list skip;    /* t:unpredictable, with the reasons */
    char off[160];          /* t:scoreboard_off reason, "" when on */
    uint64_t descs, bytes;  /* transfers the model ran, bytes they moved */
    uint64_t skipped;       /* bytes declared unpredictable */
    uint64_t synced;        /* bytes copied bench -> shadow by t:shadow_sync */
};

static void sb_add(struct sb_list *l, uint64_t lo, uint64_t len, const char *what)
{
    struct sb_range *r;

    if (len == 0U) {
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap != 0U ? 2U * l->cap : 64U;
        struct sb_range *v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL) {
            return; /* only the labels of a later mismatch message suffer */
        }
        l->v = v;
        l->cap = cap;
    }
    r = &l->v[l->n++];
    r->lo = lo;
    r->hi = lo + (len - 1U);
    if (r->hi < lo) {
        r->hi = UINT64_MAX;
    }
    snprintf(r->what, sizeof(r->what), "%s", what);
}

static bool sb_in(const struct sb_range *r, uint64_t a)
{
    return a >= r->lo && a <= r->hi;
}

static void sb_shadow_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    axi_mem_read(ctx, addr, buf, len);
}

static void sb_shadow_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
    axi_mem_write(ctx, addr, buf, len);
}

/* Logs a descriptor the model applied (code: ferry_ref_check's) as a writer
 * of its destination span. */
static void sb_note(struct ctx *c, const struct ferry_desc *d, uint32_t code, uint32_t bytes, const char *what)
{
    const struct ferry_caps *k = ferry_caps(&c->dev);
    char buf[120];

    if (code != FERRY_ERR_NONE || c->sb == NULL) {
        return;
    }
    bool two_d = (d->flags & FERRY_DESC_TWO_D) != 0U;
    uint64_t span = (d->flags & FERRY_DESC_DST_FIXED) != 0U ? (d->len < k->data_bytes ? d->len : k->data_bytes)
                                                            : (uint64_t)d->len;
    if (two_d && d->rows > 1U) {
        span += (uint64_t)(d->rows - 1U) * d->dst_stride;
    }
    if (what == NULL) {
        snprintf(buf, sizeof(buf),
                 "descriptor tag 0x%X: 0x%" PRIX64 " -> 0x%" PRIX64 ", %" PRIu32 " bytes%s, flags 0x%X",
                 d->tag, d->src, d->dst, d->len, two_d ? " per row" : "", d->flags);
        what = buf;
    }
    sb_add(&c->sb->writers, d->dst, span, what);
    c->sb->descs++;
    c->sb->bytes += bytes;
}

/* Applies d to the shadow through the reference model and logs it. */
static uint32_t sb_apply(struct ctx *c, const struct ferry_desc *d, const char *what)
{
    const struct ferry_caps *k = ferry_caps(&c->dev);
    const struct ferry_ref_mem mem = {c->shadow, sb_shadow_read, sb_shadow_write};
    uint32_t code = ferry_ref_check(d, k->data_bytes, k->addr_width);
    uint32_t bytes = ferry_ref_apply(d, k->data_bytes, k->addr_width, &mem);

    sb_note(c, d, code, bytes, what);
    return bytes;
}

/* [start, start + len) fits below 2^ADDR_WIDTH (ferry_desc.c's rule). */
static bool sb_end_ok(struct ctx *c, uint64_t start, uint64_t len)
{
    unsigned aw = ferry_caps(&c->dev)->addr_width;
    uint64_t lim;

    if (aw >= 64U) {
        return len - 1U <= UINT64_MAX - start;
    }
    lim = 1ULL << aw;
    return start <= lim && len <= lim - start;
}

/* A direct copy the device accepted: the shadow gets it too. LEN above the
 * descriptor's 24 bits is applied as consecutive pieces (a forward copy). */
static void sb_direct(struct ctx *c, const char *how, unsigned ch, uint64_t src, uint64_t dst, uint64_t len)
{
    char what[120];
    uint64_t done = 0;

    snprintf(what, sizeof(what), "%s ch %u: 0x%" PRIX64 " -> 0x%" PRIX64 ", %" PRIu64 " bytes", how, ch, src, dst, len);
    if (len > FERRY_DESC_LEN_MAX && (!sb_end_ok(c, src, len) || !sb_end_ok(c, dst, len))) {
        return; /* ADDR_RANGE: the device moves nothing */
    }
    while (done < len) {
        struct ferry_desc d;
        uint64_t n = len - done < FERRY_DESC_LEN_MAX ? len - done : FERRY_DESC_LEN_MAX;
        memset(&d, 0, sizeof(d));
        d.src = src + done;
        d.dst = dst + done;
        d.len = (uint32_t)n;
        (void)sb_apply(c, &d, what);
        done += n;
    }
    if (c->sb != NULL && len > FERRY_DESC_LEN_MAX) {
        c->sb->descs -= (len - 1U) / FERRY_DESC_LEN_MAX; /* one transfer */
    }
}

/* Host writes (both memories) and shadow-only writes, for the labels. */
static void sb_host(struct ctx *c, uint64_t addr, size_t len, const char *what)
{
    if (c->sb != NULL) {
        sb_add(&c->sb->writers, addr, len, what);
    }
}

/* The last writer whose span holds a, or NULL. */
static const char *sb_writer_of(const struct scoreboard *sb, uint64_t a)
{
    for (size_t i = sb->writers.n; i-- > 0U;) {
        if (sb_in(&sb->writers.v[i], a)) {
            return sb->writers.v[i].what;
        }
    }
    return NULL;
}

/* Union of two ascending page lists, with the bench's how bits. */
static size_t sb_pages(const uint64_t *a, const unsigned char *ah, size_t na, const uint64_t *b, size_t nb,
                       uint64_t *out, unsigned char *oh)
{
    size_t i = 0, j = 0, n = 0;

    while (i < na || j < nb) {
        if (j == nb || (i < na && a[i] < b[j])) {
            oh[n] = ah[i];
            out[n++] = a[i++];
        } else if (i == na || b[j] < a[i]) {
            oh[n] = 0;
            out[n++] = b[j++];
        } else {
            oh[n] = ah[i];
            out[n++] = a[i++];
            j++;
        }
    }
    return n;
}

/* Compares every written page; NULL if all match, else a malloc'ed message.
 * *pages / *bytes: what was compared. */
static char *sb_check(struct ctx *c, uint64_t *pages, uint64_t *bytes)
{
    axi_mem_t *bench = tb_axi_mem(c->tb);
    const uint64_t *bp, *sp;
    const unsigned char *bh, *sh;
    size_t nb = axi_mem_dirty_pages(bench, &bp, &bh);
    size_t ns;
    uint64_t *pn;
    unsigned char *how;
    size_t n;
    uint8_t got[4096], want[4096];
    uint64_t diffs = 0, first = 0, last = 0, runs = 0;
    uint8_t first_got = 0, first_want = 0;
    unsigned first_how = 0;
    uint64_t run_lo[4], run_hi[4];
    char runtxt[200] = "";
    size_t rlen = 0;

    /* copy the bench list before the shadow's call */
    pn = malloc((nb + 1U) * sizeof(*pn));
    how = malloc(nb + 1U);
    if (pn == NULL || how == NULL) {
        free(pn);
        free(how);
        return strdup("scoreboard: out of memory");
    }
    memcpy(pn, bp, nb * sizeof(*pn));
    memcpy(how, bh, nb);
    ns = axi_mem_dirty_pages(c->shadow, &sp, &sh);
    (void)sh;
    {
        uint64_t *u = malloc((nb + ns + 1U) * sizeof(*u));
        unsigned char *uh = malloc(nb + ns + 1U);
        if (u == NULL || uh == NULL) {
            free(u);
            free(uh);
            free(pn);
            free(how);
            return strdup("scoreboard: out of memory");
        }
        n = sb_pages(pn, how, nb, sp, ns, u, uh);
        free(pn);
        free(how);
        pn = u;
        how = uh;
    }
    *pages = n;
    *bytes = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t base = pn[i] << 12;
        tb_mem_read(c->tb, base, got, sizeof(got));
        axi_mem_read(c->shadow, base, want, sizeof(want));
        *bytes += sizeof(got);
        if (memcmp(got, want, sizeof(got)) == 0) {
            continue;
        }
        for (unsigned k = 0; k < 4096U; k++) {
            uint64_t a = base + k;
            if (got[k] == want[k]) {
                continue;
            }
            if (diffs == 0U) {
                first = a;
                first_got = got[k];
                first_want = want[k];
                first_how = how[i];
            }
            if (diffs == 0U || a != last + 1U) {
                if (runs < 4U) {
                    run_lo[runs] = a;
                }
                runs++;
            }
            if (runs <= 4U) {
                run_hi[runs - 1U] = a;
            }
            last = a;
            diffs++;
        }
    }
    free(pn);
    free(how);
    if (diffs == 0U) {
        return NULL;
    }
    for (uint64_t r = 0; r < runs && r < 4U; r++) {
        rlen += (size_t)snprintf(runtxt + rlen, sizeof(runtxt) - rlen, "%s0x%" PRIX64 "..0x%" PRIX64,
                                 r > 0U ? ", " : "", run_lo[r], run_hi[r]);
        if (rlen >= sizeof(runtxt)) {
            break;
        }
    }
    {
        const char *w = sb_writer_of(c->sb, first);
        char *msg = malloc(1024);
        if (msg == NULL) {
            return strdup("scoreboard: mismatch (out of memory for the message)");
        }
        snprintf(msg, 1024,
                 "scoreboard: %" PRIu64 " byte(s) in %" PRIu64 " run(s) differ from the reference model "
                 "(%s%s); first at 0x%" PRIX64 ": found 0x%02X, expected 0x%02X; %s; %s%s",
                 diffs, runs, runtxt, runs > 4U ? ", ..." : "", first, first_got, first_want,
                 (first_how & AXI_MEM_DIRTY_BUS) != 0U ? "the bus wrote this page"
                                                       : "the bus did not write this page",
                 w != NULL ? "last expected writer: " : "no copy, descriptor or host write covers it "
                                                        "(memory that must stay untouched)",
                 w != NULL ? w : "");
        return msg;
    }
}

/* t:unpredictable(addr, len, reason): the bytes as the bench memory holds
 * them now become the expectation (call it once the transfer that makes
 * them unpredictable has ended); later writes there are checked again. */
static int l_unpredictable(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len = (size_t)arg_int(L, 3, "len", 1, MEM_ARG_MAX);
    size_t rl;
    const char *why = arg_str(L, 4, "reason", &rl);
    char what[120];
    uint8_t *p;

    if (rl == 0U) {
        return luaL_argerror(L, 4, "reason: say why these bytes are unpredictable");
    }
    p = malloc(len);
    if (p == NULL) {
        return luaL_error(L, "unpredictable: out of memory");
    }
    tb_mem_read(c->tb, addr, p, len);
    axi_mem_write(c->shadow, addr, p, len);
    free(p);
    snprintf(what, sizeof(what), "declared unpredictable (%s)", why);
    sb_add(&c->sb->writers, addr, len, what);
    sb_add(&c->sb->skip, addr, len, why);
    c->sb->skipped += len;
    return 0;
}

static int l_scoreboard_off(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    size_t rl;
    const char *why = arg_str(L, 2, "reason", &rl);

    if (rl == 0U) {
        return luaL_argerror(L, 2, "reason: say why this test cannot be checked byte for byte");
    }
    snprintf(c->sb->off, sizeof(c->sb->off), "%s", why);
    return 0;
}

/* {descs, bytes, skipped, synced, writers}: what the scoreboard knows so far. */
static int l_scoreboard(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    lua_createtable(L, 0, 5);
    lua_pushinteger(L, (lua_Integer)c->sb->descs);
    lua_setfield(L, -2, "descs");
    lua_pushinteger(L, (lua_Integer)c->sb->bytes);
    lua_setfield(L, -2, "bytes");
    lua_pushinteger(L, (lua_Integer)c->sb->skipped);
    lua_setfield(L, -2, "skipped");
    lua_pushinteger(L, (lua_Integer)c->sb->synced);
    lua_setfield(L, -2, "synced");
    lua_pushinteger(L, (lua_Integer)c->sb->writers.n);
    lua_setfield(L, -2, "writers");
    return 1;
}

static void sb_free(struct scoreboard *sb)
{
    if (sb != NULL) {
        free(sb->writers.v);
        free(sb->skip.v);
        free(sb);
    }
}

/* ---- driver ---- */

static int l_copy(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ch = arg_ch(L, 2);
    uint64_t src = arg_addr(L, 3, "src");
    uint64_t dst = arg_addr(L, 4, "dst");
    uint64_t len = arg_addr(L, 5, "len");
    uint64_t to = (uint64_t)opt_int(L, 6, "timeout_us", 0, LUA_MAXINTEGER, DEFAULT_TIMEOUT_US);
    struct ferry_result res;
    ferry_status st;

    memset(&res, 0, sizeof(res));
    st = ferry_copy_start(&c->dev, ch, src, dst, len);
    if (st != FERRY_OK) {
        return push_result(L, st, &res, false);
    }
    sb_direct(c, "t:copy", ch, src, dst, len);
    st = ferry_copy_wait(&c->dev, ch, to, &res);
    return push_result(L, st, &res, st == FERRY_OK || st == FERRY_E_DEVICE);
}

static int l_copy_start(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ch = arg_ch(L, 2);
    uint64_t src = arg_addr(L, 3, "src");
    uint64_t dst = arg_addr(L, 4, "dst");
    uint64_t len = arg_addr(L, 5, "len");

    ferry_status st = ferry_copy_start(&c->dev, ch, src, dst, len);

    if (st == FERRY_OK) {
        sb_direct(c, "t:copy_start", ch, src, dst, len);
    }
    push_status(L, st);
    return 1;
}

static int l_copy_wait(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ch = arg_ch(L, 2);
    uint64_t to = (uint64_t)opt_int(L, 3, "timeout_us", 0, LUA_MAXINTEGER, DEFAULT_TIMEOUT_US);
    struct ferry_result res;
    ferry_status st;

    memset(&res, 0, sizeof(res));
    st = ferry_copy_wait(&c->dev, ch, to, &res);
    return push_result(L, st, &res, st == FERRY_OK || st == FERRY_E_DEVICE);
}

static int l_copy_poll(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ch = arg_ch(L, 2);
    struct ferry_result res;
    ferry_status st;

    memset(&res, 0, sizeof(res));
    st = ferry_copy_poll(&c->dev, ch, &res);
    return push_result(L, st, &res, st == FERRY_OK || st == FERRY_E_DEVICE);
}

static int l_irq_enable(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ch = arg_ch(L, 2);
    bool on = lua_isnoneornil(L, 3) ? true : lua_toboolean(L, 3) != 0;

    push_status(L, ferry_irq_enable(&c->dev, ch, on));
    return 1;
}

/* ---- registers ---- */

static uint32_t arg_off(lua_State *L, int i)
{
    return (uint32_t)arg_int(L, i, "off", 0, 0xFFFFFFFF);
}

static int l_bar_read(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint32_t off = arg_off(L, 2);
    uint32_t v = 0;
    int resp = tb_bar_read(c->tb, off, &v);

    lua_pushinteger(L, (lua_Integer)v);
    lua_pushstring(L, resp_name(resp));
    return 2;
}

static int l_bar_write(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint32_t off = arg_off(L, 2);
    uint32_t val = (uint32_t)arg_int(L, 3, "val", 0, 0xFFFFFFFF);
    unsigned strb = (unsigned)opt_int(L, 4, "strb", 0, 0xF, 0xF);

    lua_pushstring(L, resp_name(tb_bar_write(c->tb, off, val, strb)));
    return 1;
}

static const struct ferry_reg_info *ch_reg_info(const char *name)
{
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        if (ferry_reg_info[i].per_channel != 0 && strcmp(ferry_reg_info[i].name, name) == 0) {
            return &ferry_reg_info[i];
        }
    }
    return NULL;
}

static int l_ch_reg(lua_State *L)
{
    unsigned ch;
    const char *name;
    const struct ferry_reg_info *r;

    (void)get_ctx(L);
    ch = (unsigned)arg_int(L, 2, "ch", 0, FERRY_MAX_CHANNELS - 1);
    name = arg_str(L, 3, "name", NULL);
    r = ch_reg_info(name);
    if (r == NULL) {
        luaL_argerror(L, 3, lua_pushfstring(L, "name: no channel register '%s'", name));
    }
    lua_pushinteger(L, (lua_Integer)FERRY_CH_REG(ch, r->offset));
    return 1;
}

static int l_status(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ch = (unsigned)arg_int(L, 2, "ch", 0, FERRY_MAX_CHANNELS - 1);
    uint32_t v = 0;
    int resp = tb_bar_read(c->tb, FERRY_CH_REG(ch, FERRY_CH_STATUS), &v);
    uint32_t code = FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, v);

    lua_createtable(L, 0, 10);
    lua_pushinteger(L, (lua_Integer)v);
    lua_setfield(L, -2, "raw");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_BUSY, v) != 0U);
    lua_setfield(L, -2, "busy");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_DONE, v) != 0U);
    lua_setfield(L, -2, "done");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_ERROR, v) != 0U);
    lua_setfield(L, -2, "error");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_DB_OVERRUN, v) != 0U);
    lua_setfield(L, -2, "db_overrun");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_CPL, v) != 0U);
    lua_setfield(L, -2, "cpl");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, v) != 0U);
    lua_setfield(L, -2, "ring_active");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_HALTED, v) != 0U);
    lua_setfield(L, -2, "halted");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_STATUS_STOPPING, v) != 0U);
    lua_setfield(L, -2, "stopping");
    lua_pushinteger(L, (lua_Integer)code);
    lua_setfield(L, -2, "err_code");
    lua_pushstring(L, ferry_err_str(code));
    lua_setfield(L, -2, "err");
    lua_pushstring(L, resp_name(resp));
    lua_setfield(L, -2, "resp");
    return 1;
}

static int l_raw_start(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ch = (unsigned)arg_int(L, 2, "ch", 0, FERRY_MAX_CHANNELS - 1);
    uint64_t src = arg_addr(L, 3, "src");
    uint64_t dst = arg_addr(L, 4, "dst");
    uint32_t len = (uint32_t)arg_int(L, 5, "len", 0, 0xFFFFFFFF);
    const struct {
        uint32_t reg;
        uint32_t val;
    } w[] = {
        {FERRY_CH_SRC_LO, (uint32_t)src},
        {FERRY_CH_SRC_HI, (uint32_t)(src >> 32)},
        {FERRY_CH_DST_LO, (uint32_t)dst},
        {FERRY_CH_DST_HI, (uint32_t)(dst >> 32)},
        {FERRY_CH_LEN, len},
        {FERRY_CH_CTRL, FERRY_FIELD_PREP(FERRY_CTRL_START, 1U)},
    };
    int first_bad = TB_RESP_OKAY;

    for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
        int resp = tb_bar_write(c->tb, FERRY_CH_REG(ch, w[i].reg), w[i].val, 0xFU);
        if (resp != TB_RESP_OKAY && first_bad == TB_RESP_OKAY) {
            first_bad = resp;
        }
    }
    if (first_bad == TB_RESP_OKAY) {
        sb_direct(c, "t:raw_start", ch, src, dst, len);
    }
    lua_pushstring(L, resp_name(first_bad));
    return 1;
}

/* ---- simulation ---- */

static int l_step(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t n = (uint64_t)opt_int(L, 2, "n", 0, LUA_MAXINTEGER, 1);

    while (n > 0U) {
        unsigned k = n > STEP_CHUNK ? STEP_CHUNK : (unsigned)n;
        tb_step(c->tb, k);
        n -= k;
    }
    return 0;
}

static int l_cycle(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    lua_pushinteger(L, (lua_Integer)tb_cycle(c->tb));
    return 1;
}

static int l_irq(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    lua_pushinteger(L, (lua_Integer)tb_irq(c->tb));
    return 1;
}

static int l_wait_irq(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint32_t mask = (uint32_t)arg_int(L, 2, "mask", 0, 0xFFFFFFFF);
    uint64_t max = (uint64_t)arg_int(L, 3, "max", 0, LUA_MAXINTEGER);

    lua_pushboolean(L, tb_wait_irq(c->tb, mask, max));
    return 1;
}

static int l_mem_write(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len;
    const char *s = arg_str(L, 3, "bytes", &len);

    tb_mem_write(c->tb, addr, s, len);
    axi_mem_write(c->shadow, addr, s, len);
    sb_host(c, addr, len, "host write (t:mem_write)");
    return 0;
}

static int l_mem_read(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len = (size_t)arg_int(L, 3, "len", 0, MEM_ARG_MAX);
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, len);

    tb_mem_read(c->tb, addr, p, len);
    luaL_pushresultsize(&b, len);
    return 1;
}

/* Byte stream of splitmix64 outputs (little-endian) from the pattern seed. */
static void pattern_fill(uint8_t *p, size_t len, uint64_t pseed)
{
    uint64_t s = pseed ^ 0x3C6EF372FE94F82BULL;
    size_t i = 0;

    while (i < len) {
        uint64_t x = splitmix(&s);
        for (unsigned k = 0; k < 8U && i < len; k++, i++) {
            p[i] = (uint8_t)(x >> (8U * k));
        }
    }
}

static int l_pattern(lua_State *L)
{
    size_t len;
    uint64_t pseed;
    luaL_Buffer b;
    char *p;

    (void)get_ctx(L);
    len = (size_t)arg_int(L, 2, "len", 0, MEM_ARG_MAX);
    pseed = arg_addr(L, 3, "pseed");
    p = luaL_buffinitsize(L, &b, len);
    pattern_fill((uint8_t *)p, len, pseed);
    luaL_pushresultsize(&b, len);
    return 1;
}

static int l_mem_fill(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len = (size_t)arg_int(L, 3, "len", 0, MEM_ARG_MAX);
    uint64_t pseed = arg_addr(L, 4, "pseed");
    uint8_t *p = malloc(len > 0U ? len : 1U);

    if (p == NULL) {
        return luaL_error(L, "mem_fill: out of memory");
    }
    pattern_fill(p, len, pseed);
    tb_mem_write(c->tb, addr, p, len);
    axi_mem_write(c->shadow, addr, p, len);
    sb_host(c, addr, len, "host write (t:mem_fill)");
    free(p);
    return 0;
}

static int l_mem_inject_error(lua_State *L)
{
    static const char *const dirs[] = {"read", "write", NULL};
    static const char *const resps[] = {"OKAY", "EXOKAY", "SLVERR", "DECERR", NULL};
    struct ctx *c = get_ctx(L);
    uint64_t lo = arg_addr(L, 2, "lo");
    uint64_t hi = arg_addr(L, 3, "hi");
    int dir = arg_option(L, 4, "dir", NULL, dirs);
    int resp = arg_option(L, 5, "resp", "SLVERR", resps);

    if (lo > hi) {
        luaL_argerror(L, 3, "hi must not be below lo (as unsigned addresses)");
    }
    if (tb_mem_inject_error(c->tb, lo, hi, dir, resp) != 0) {
        return luaL_error(L, "tb_mem_inject_error refused its arguments");
    }
    return 0;
}

static int l_mem_inject_random(lua_State *L)
{
    static const char *const dirs[] = {"read", "write", NULL};
    static const char *const resps[] = {"OKAY", "EXOKAY", "SLVERR", "DECERR", NULL};
    struct ctx *c = get_ctx(L);
    int dir = arg_option(L, 2, "dir", NULL, dirs);
    unsigned permille = (unsigned)arg_int(L, 3, "permille", 0, 1000);
    int resp = arg_option(L, 4, "resp", "SLVERR", resps);

    if (resp != TB_RESP_SLVERR && resp != TB_RESP_DECERR) {
        luaL_argerror(L, 4, "resp must be \"SLVERR\" or \"DECERR\"");
    }
    if (tb_mem_inject_random(c->tb, dir, permille, resp) != 0) {
        return luaL_error(L, "tb_mem_inject_random refused its arguments");
    }
    return 0;
}

static int l_mem_hold(lua_State *L)
{
    static const char *const dirs[] = {"read", "write", NULL};
    struct ctx *c = get_ctx(L);
    int dir = arg_option(L, 2, "dir", NULL, dirs);
    uint64_t lo = arg_addr(L, 3, "lo");
    uint64_t hi = arg_addr(L, 4, "hi");
    uint64_t cycles;

    if (lo > hi) {
        luaL_argerror(L, 4, "hi must not be below lo (as unsigned addresses)");
    }
    if (lua_type(L, 5) == LUA_TSTRING) {
        if (strcmp(lua_tostring(L, 5), "forever") != 0) {
            luaL_argerror(L, 5, "cycles: an integer or \"forever\"");
        }
        cycles = TB_HOLD_FOREVER;
    } else {
        cycles = (uint64_t)arg_int(L, 5, "cycles", 0, LUA_MAXINTEGER);
    }
    if (tb_mem_hold_responses(c->tb, lo, hi, dir, cycles) != 0) {
        return luaL_error(L, "tb_mem_hold_responses refused its arguments");
    }
    return 0;
}

static int l_mem_release(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    tb_mem_release_responses(c->tb);
    return 0;
}

static int l_set_latency(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned rmin = (unsigned)arg_int(L, 2, "rd_min", 0, LAT_MAX);
    unsigned rmax = (unsigned)arg_int(L, 3, "rd_max", rmin, LAT_MAX);
    unsigned wmin = (unsigned)arg_int(L, 4, "wr_min", 0, LAT_MAX);
    unsigned wmax = (unsigned)arg_int(L, 5, "wr_max", wmin, LAT_MAX);

    c->cfg.rd_lat_min = rmin;
    c->cfg.rd_lat_max = rmax;
    c->cfg.wr_lat_min = wmin;
    c->cfg.wr_lat_max = wmax;
    tb_set_config(c->tb, &c->cfg);
    return 0;
}

static int l_set_stall(lua_State *L)
{
    static const char *const keys[] = {"ar", "r", "aw", "w", "b", "axil"};
    struct ctx *c = get_ctx(L);
    tb_config_t next = c->cfg;
    unsigned *fields[] = {&next.stall_ar, &next.stall_r, &next.stall_aw,
                          &next.stall_w,  &next.stall_b, &next.stall_axil};
    const size_t nkeys = sizeof(keys) / sizeof(keys[0]);

    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        lua_Integer v;
        size_t i;
        int ok = 0;

        for (i = 0; i < nkeys; i++) {
            if (strcmp(k, keys[i]) == 0) {
                break;
            }
        }
        if (i == nkeys) {
            return luaL_argerror(L, 2, lua_pushfstring(L, "unknown key '%s' (ar, r, aw, w, b, axil)",
                                                        luaL_tolstring(L, -2, NULL)));
        }
        v = lua_tointegerx(L, -1, &ok);
        if (!ok || v < 0 || v > 100) {
            return luaL_argerror(L, 2, lua_pushfstring(L, "%s: percent 0..100 expected", k));
        }
        *fields[i] = (unsigned)v;
        lua_pop(L, 1);
    }
    c->cfg = next;
    tb_set_config(c->tb, &c->cfg);
    return 0;
}

static int l_set_rd_outstanding(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    c->cfg.max_outstanding_rd = (unsigned)arg_int(L, 2, "n", 0, 1024);
    tb_set_config(c->tb, &c->cfg);
    return 0;
}

static int l_quiet(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t seed = c->cfg.seed;
    const char *fst = c->cfg.fst_path;

    tb_config_default(&c->cfg);
    c->cfg.seed = seed;
    c->cfg.fst_path = fst;
    tb_set_config(c->tb, &c->cfg);
    return 0;
}

#define SET_INT_FIELD(L, name, v)                 \
    do {                                          \
        lua_pushinteger((L), (lua_Integer)(v));   \
        lua_setfield((L), -2, (name));            \
    } while (0)

static int l_bus_config(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    lua_createtable(L, 0, 13);
    SET_INT_FIELD(L, "seed", c->cfg.seed);
    SET_INT_FIELD(L, "rd_lat_min", c->cfg.rd_lat_min);
    SET_INT_FIELD(L, "rd_lat_max", c->cfg.rd_lat_max);
    SET_INT_FIELD(L, "wr_lat_min", c->cfg.wr_lat_min);
    SET_INT_FIELD(L, "wr_lat_max", c->cfg.wr_lat_max);
    SET_INT_FIELD(L, "stall_ar", c->cfg.stall_ar);
    SET_INT_FIELD(L, "stall_r", c->cfg.stall_r);
    SET_INT_FIELD(L, "stall_aw", c->cfg.stall_aw);
    SET_INT_FIELD(L, "stall_w", c->cfg.stall_w);
    SET_INT_FIELD(L, "stall_b", c->cfg.stall_b);
    SET_INT_FIELD(L, "stall_axil", c->cfg.stall_axil);
    SET_INT_FIELD(L, "max_outstanding_rd", c->cfg.max_outstanding_rd);
    return 1;
}

/* {[0] = n0, [1] = n1, ...}: a per-ID counter array, keyed by ID from 0. */
static void push_per_id(lua_State *L, const uint64_t *v)
{
    lua_createtable(L, TB_STATS_IDS - 1, 1);
    for (unsigned i = 0; i < TB_STATS_IDS; i++) {
        lua_pushinteger(L, (lua_Integer)v[i]);
        lua_rawseti(L, -2, (lua_Integer)i);
    }
}

static int l_stats(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    tb_stats_t s;

    tb_stats(c->tb, &s);
    lua_createtable(L, 0, 20);
    SET_INT_FIELD(L, "ar_count", s.ar_count);
    SET_INT_FIELD(L, "aw_count", s.aw_count);
    SET_INT_FIELD(L, "r_beats", s.r_beats);
    SET_INT_FIELD(L, "w_beats", s.w_beats);
    SET_INT_FIELD(L, "b_count", s.b_count);
    SET_INT_FIELD(L, "r_bytes", s.r_bytes);
    SET_INT_FIELD(L, "w_bytes", s.w_bytes);
    if (s.first_ar_cycle != UINT64_MAX) {
        SET_INT_FIELD(L, "first_ar_cycle", s.first_ar_cycle);
    }
    if (s.first_aw_cycle != UINT64_MAX) {
        SET_INT_FIELD(L, "first_aw_cycle", s.first_aw_cycle);
    }
    SET_INT_FIELD(L, "last_b_cycle", s.last_b_cycle);
    SET_INT_FIELD(L, "last_w_cycle", s.last_w_cycle);
    SET_INT_FIELD(L, "max_rd_outstanding", s.max_rd_outstanding);
    SET_INT_FIELD(L, "ar_fixed", s.ar_fixed);
    SET_INT_FIELD(L, "aw_fixed", s.aw_fixed);
    SET_INT_FIELD(L, "r_reordered", s.r_reordered);
    SET_INT_FIELD(L, "r_interleaved", s.r_interleaved);
    SET_INT_FIELD(L, "b_reordered", s.b_reordered);
    SET_INT_FIELD(L, "rd_err_injected", s.rd_err_injected);
    SET_INT_FIELD(L, "wr_err_injected", s.wr_err_injected);
    SET_INT_FIELD(L, "rd_held", s.rd_held);
    SET_INT_FIELD(L, "wr_held", s.wr_held);
    push_per_id(L, s.ar_count_id);
    lua_setfield(L, -2, "ar_by_id");
    push_per_id(L, s.aw_count_id);
    lua_setfield(L, -2, "aw_by_id");
    push_per_id(L, s.r_beats_id);
    lua_setfield(L, -2, "r_beats_by_id");
    return 1;
}

static int l_stats_clear(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    tb_stats_clear(c->tb);
    return 0;
}

static int l_trace_start(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    size_t max = (size_t)opt_int(L, 2, "max", 0, 16 * 1024 * 1024, 100000);

    axi_mem_trace_start(tb_axi_mem(c->tb), max);
    return 0;
}

/* Events since trace_start as a list of tables, and the number dropped. */
static int l_trace(lua_State *L)
{
    static const char *const kinds[] = {"AR", "AW", "RLAST", "B"};
    static const char *const bursts[] = {"FIXED", "INCR", "WRAP", "RESERVED"};
    static const char *const resps[] = {"OKAY", "EXOKAY", "SLVERR", "DECERR"};
    struct ctx *c = get_ctx(L);
    size_t n;
    uint64_t dropped;
    const axi_mem_event_t *e = axi_mem_trace(tb_axi_mem(c->tb), &n, &dropped);

    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 7);
        SET_INT_FIELD(L, "cycle", e[i].cycle);
        lua_pushstring(L, kinds[e[i].kind]);
        lua_setfield(L, -2, "kind");
        SET_INT_FIELD(L, "id", e[i].id);
        SET_INT_FIELD(L, "addr", e[i].addr);
        SET_INT_FIELD(L, "beats", e[i].beats);
        lua_pushstring(L, bursts[e[i].burst & 3U]);
        lua_setfield(L, -2, "burst");
        lua_pushstring(L, resps[e[i].resp & 3U]);
        lua_setfield(L, -2, "resp");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushinteger(L, (lua_Integer)dropped);
    return 2;
}

static int l_protocol_error(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    const char *e = tb_error(c->tb);

    if (e == NULL) {
        lua_pushnil(L);
    } else {
        lua_pushstring(L, e);
    }
    lua_pushinteger(L, (lua_Integer)tb_error_count(c->tb));
    return 2;
}

static int l_seed(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    lua_pushinteger(L, (lua_Integer)c->seed);
    return 1;
}

/* Uniform in [0, n) without modulo bias. */
static uint64_t rand_below(struct ctx *c, uint64_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;

    do {
        x = splitmix(&c->rng);
    } while (x >= lim);
    return x % n;
}

static int l_rand(lua_State *L)
{
    struct ctx *c = get_ctx(L);

    if (lua_isnoneornil(L, 3)) {
        lua_Integer n = arg_int(L, 2, "n", 1, LUA_MAXINTEGER);
        lua_pushinteger(L, (lua_Integer)rand_below(c, (uint64_t)n));
    } else {
        lua_Integer lo = arg_int(L, 2, "lo", LUA_MININTEGER, LUA_MAXINTEGER);
        lua_Integer hi = arg_int(L, 3, "hi", lo, LUA_MAXINTEGER);
        uint64_t span = (uint64_t)hi - (uint64_t)lo;
        uint64_t r = span == UINT64_MAX ? splitmix(&c->rng) : rand_below(c, span + 1U);
        lua_pushinteger(L, (lua_Integer)((uint64_t)lo + r));
    }
    return 1;
}

/* ---- descriptors, completion records, reference model ---- */

/* The fields of a descriptor table, each with its range; absent ones are 0. */
static const struct {
    const char *name;
    lua_Integer max;
} desc_fields[] = {
    {"src", -1}, {"dst", -1}, {"len", FERRY_DESC_LEN_MAX}, {"flags", 0xFF},
    {"tag", 0xFFFF}, {"rows", 0xFFFF}, {"src_stride", 0xFFFFFFFF}, {"dst_stride", 0xFFFFFFFF},
};
#define N_DESC_FIELDS (sizeof(desc_fields) / sizeof(desc_fields[0]))

/* Reads the descriptor table at index i into d. An unknown key, a value that
 * is not an integer or out of its field's range raises an error naming it. */
static void arg_desc(lua_State *L, int i, struct ferry_desc *d)
{
    lua_Integer v[N_DESC_FIELDS];

    if (lua_type(L, i) != LUA_TTABLE) {
        luaL_argerror(L, i, lua_pushfstring(L, "desc: table {src=, dst=, len=, ...} expected, got %s",
                                            luaL_typename(L, i)));
    }
    memset(v, 0, sizeof(v));
    lua_pushnil(L);
    while (lua_next(L, i) != 0) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        size_t f = N_DESC_FIELDS;
        int ok = 0;

        for (size_t j = 0; k != NULL && j < N_DESC_FIELDS; j++) {
            if (strcmp(k, desc_fields[j].name) == 0) {
                f = j;
            }
        }
        if (f == N_DESC_FIELDS) {
            luaL_argerror(L, i, lua_pushfstring(L, "desc: unknown field '%s' (src, dst, len, flags, tag, rows, "
                                                   "src_stride, dst_stride)",
                                                luaL_tolstring(L, -2, NULL)));
        }
        v[f] = lua_tointegerx(L, -1, &ok);
        if (!ok) {
            luaL_argerror(L, i, lua_pushfstring(L, "desc.%s: integer expected, got %s", k, luaL_typename(L, -1)));
        }
        if (desc_fields[f].max >= 0 && (v[f] < 0 || v[f] > desc_fields[f].max)) {
            luaL_argerror(L, i, lua_pushfstring(L, "desc.%s = %I out of range 0..%I", k, v[f], desc_fields[f].max));
        }
        lua_pop(L, 1);
    }
    memset(d, 0, sizeof(*d));
    d->src = (uint64_t)v[0];
    d->dst = (uint64_t)v[1];
    d->len = (uint32_t)v[2];
    d->flags = (uint8_t)v[3];
    d->tag = (uint16_t)v[4];
    d->rows = (uint16_t)v[5];
    d->src_stride = (uint32_t)v[6];
    d->dst_stride = (uint32_t)v[7];
}

static void push_desc(lua_State *L, const struct ferry_desc *d)
{
    lua_createtable(L, 0, (int)N_DESC_FIELDS);
    SET_INT_FIELD(L, "src", d->src);
    SET_INT_FIELD(L, "dst", d->dst);
    SET_INT_FIELD(L, "len", d->len);
    SET_INT_FIELD(L, "flags", d->flags);
    SET_INT_FIELD(L, "tag", d->tag);
    SET_INT_FIELD(L, "rows", d->rows);
    SET_INT_FIELD(L, "src_stride", d->src_stride);
    SET_INT_FIELD(L, "dst_stride", d->dst_stride);
}

/* The FERRY_SIZE bytes at 1-based position pos (default 1) of the string at i. */
static const uint8_t *arg_bytes_at(lua_State *L, int i, int ipos, size_t size, const char *what)
{
    size_t n;
    const char *str = arg_str(L, i, what, &n);
    lua_Integer pos = opt_int(L, ipos, "pos", 1, LUA_MAXINTEGER, 1);

    if (n < size || (size_t)(pos - 1) > n - size) {
        luaL_argerror(L, i, lua_pushfstring(L, "%s: %I bytes needed at position %I, the string has %I", what,
                                            (lua_Integer)size, pos, (lua_Integer)n));
    }
    return (const uint8_t *)str + (pos - 1);
}

static int l_desc_encode(lua_State *L)
{
    struct ferry_desc d;
    uint8_t out[FERRY_DESC_SIZE];

    (void)get_ctx(L);
    arg_desc(L, 2, &d);
    ferry_desc_encode(out, &d);
    lua_pushlstring(L, (const char *)out, sizeof(out));
    return 1;
}

static int l_desc_decode(lua_State *L)
{
    struct ferry_desc d;

    (void)get_ctx(L);
    ferry_desc_decode(&d, arg_bytes_at(L, 2, 3, FERRY_DESC_SIZE, "bytes"));
    push_desc(L, &d);
    return 1;
}

static int l_cpl_decode(lua_State *L)
{
    const uint8_t *p;
    struct ferry_cpl c;
    uint64_t reserved;

    (void)get_ctx(L);
    p = arg_bytes_at(L, 2, 3, FERRY_CPL_SIZE, "bytes");
    ferry_cpl_decode(&c, p);
    /* byte 3 bits 6:0 are reserved, 0; bytes 0x0C..0x0F and 0x0A..0x0B hold
     * bits 31:0 and 47:32 of the fault address (0 without an error) */
    reserved = (uint64_t)(p[3] & 0x7FU);
    uint64_t fault = (uint64_t)p[0x0A] << 32 | (uint64_t)p[0x0B] << 40;
    for (unsigned k = 0x0C; k < FERRY_CPL_SIZE; k++) {
        fault |= (uint64_t)p[k] << (8U * (k - 0x0CU));
    }
    lua_createtable(L, 0, 8);
    SET_INT_FIELD(L, "fault", fault);
    SET_INT_FIELD(L, "index", c.index);
    SET_INT_FIELD(L, "status", c.status);
    lua_pushstring(L, ferry_err_str(c.status));
    lua_setfield(L, -2, "err");
    lua_pushboolean(L, c.phase);
    lua_setfield(L, -2, "phase");
    SET_INT_FIELD(L, "bytes", c.bytes);
    SET_INT_FIELD(L, "tag", c.tag);
    SET_INT_FIELD(L, "reserved", reserved);
    /* stream channels (interface 2.1): w0 bit 24 SOP, bit 25 EOP (card-to-host
     * records; 0 elsewhere, and inside "reserved" above); w3 =
     * {16'd0, TID, TUSER} of a card-to-host record with STATUS 0 or TRUNCATED */
    lua_pushboolean(L, (p[3] & 0x01U) != 0);
    lua_setfield(L, -2, "sop");
    lua_pushboolean(L, (p[3] & 0x02U) != 0);
    lua_setfield(L, -2, "eop");
    uint32_t w3 = (uint32_t)p[0x0C] | (uint32_t)p[0x0D] << 8 | (uint32_t)p[0x0E] << 16 | (uint32_t)p[0x0F] << 24;
    SET_INT_FIELD(L, "w3", w3);
    SET_INT_FIELD(L, "tuser", w3 & 0xFFU);
    SET_INT_FIELD(L, "tid", (w3 >> 8) & 0xFFU);
    return 1;
}

static int l_cpl_encode(lua_State *L)
{
    struct ferry_cpl c;
    uint8_t out[FERRY_CPL_SIZE];

    (void)get_ctx(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    memset(&c, 0, sizeof(c));
    lua_getfield(L, 2, "index");
    c.index = (uint16_t)opt_int(L, -1, "cpl.index", 0, 0xFFFF, 0);
    lua_getfield(L, 2, "status");
    c.status = (uint8_t)opt_int(L, -1, "cpl.status", 0, 0xFF, 0);
    lua_getfield(L, 2, "phase");
    c.phase = lua_toboolean(L, -1) != 0;
    lua_getfield(L, 2, "bytes");
    c.bytes = (uint32_t)opt_int(L, -1, "cpl.bytes", 0, 0xFFFFFFFF, 0);
    lua_getfield(L, 2, "tag");
    c.tag = (uint16_t)opt_int(L, -1, "cpl.tag", 0, 0xFFFF, 0);
    lua_getfield(L, 2, "fault");
    uint64_t fault = (uint64_t)opt_int(L, -1, "cpl.fault", 0, 0xFFFFFFFFFFFF, 0);
    ferry_cpl_encode(out, &c);
    out[0x0A] = (uint8_t)(fault >> 32);
    out[0x0B] = (uint8_t)(fault >> 40);
    for (unsigned k = 0; k < 4U; k++) {
        out[0x0C + k] = (uint8_t)(fault >> (8U * k));
    }
    lua_pushlstring(L, (const char *)out, sizeof(out));
    return 1;
}

static int l_ref_check(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    const struct ferry_caps *k = ferry_caps(&c->dev);
    struct ferry_desc d;
    uint32_t code;

    arg_desc(L, 2, &d);
    code = ferry_ref_check(&d, k->data_bytes, k->addr_width);
    lua_pushinteger(L, (lua_Integer)code);
    lua_pushstring(L, ferry_err_str(code));
    return 2;
}

static void shadow_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    axi_mem_read(ctx, addr, buf, len);
}

static void shadow_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
    axi_mem_write(ctx, addr, buf, len);
}

static int l_ref_apply(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    const struct ferry_caps *k = ferry_caps(&c->dev);
    const struct ferry_ref_mem mem = {c->shadow, shadow_read, shadow_write};
    struct ferry_desc d;
    uint32_t code, bytes;

    arg_desc(L, 2, &d);
    code = ferry_ref_check(&d, k->data_bytes, k->addr_width);
    bytes = ferry_ref_apply(&d, k->data_bytes, k->addr_width, &mem);
    sb_note(c, &d, code, bytes, luaL_optstring(L, 3, NULL));
    lua_pushinteger(L, (lua_Integer)bytes);
    lua_pushinteger(L, (lua_Integer)code);
    return 2;
}

static int l_shadow_write(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len;
    const char *s = arg_str(L, 3, "bytes", &len);

    axi_mem_write(c->shadow, addr, s, len);
    sb_host(c, addr, len, luaL_optstring(L, 4, "t:shadow_write"));
    return 0;
}

static int l_shadow_read(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len = (size_t)arg_int(L, 3, "len", 0, MEM_ARG_MAX);
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, len);

    axi_mem_read(c->shadow, addr, p, len);
    luaL_pushresultsize(&b, len);
    return 1;
}

/* Copies bench memory [addr, addr+len) into the shadow. */
static int l_shadow_sync(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len = (size_t)arg_int(L, 3, "len", 0, MEM_ARG_MAX);
    uint8_t *p = malloc(len > 0U ? len : 1U);

    if (p == NULL) {
        return luaL_error(L, "shadow_sync: out of memory");
    }
    tb_mem_read(c->tb, addr, p, len);
    axi_mem_write(c->shadow, addr, p, len);
    sb_host(c, addr, len, "t:shadow_sync (taken from the bench memory)");
    c->sb->synced += len;
    free(p);
    return 0;
}

/* Bench memory equals the shadow over [addr, addr+len). */
static int l_expect_shadow(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len = (size_t)arg_int(L, 3, "len", 0, MEM_ARG_MAX);
    const char *what = luaL_optstring(L, 4, "memory against the reference model");
    uint8_t *got = malloc(len > 0U ? len : 1U);
    uint8_t *want = malloc(len > 0U ? len : 1U);
    size_t diffs = 0, first = 0, last = 0;
    char msg[320];

    if (got == NULL || want == NULL) {
        free(got);
        free(want);
        return luaL_error(L, "expect_shadow: out of memory");
    }
    tb_mem_read(c->tb, addr, got, len);
    axi_mem_read(c->shadow, addr, want, len);
    for (size_t i = 0; i < len; i++) {
        if (got[i] != want[i]) {
            if (diffs == 0U) {
                first = i;
            }
            last = i;
            diffs++;
        }
    }
    if (diffs == 0U) {
        free(got);
        free(want);
        return 0;
    }
    snprintf(msg, sizeof(msg),
             "%.80s: %zu of %zu bytes differ from the reference model; first at 0x%" PRIX64
             " (offset %zu): got 0x%02X, expected 0x%02X; last at 0x%" PRIX64,
             what, diffs, len, addr + first, first, got[first], want[first], addr + last);
    free(got);
    free(want);
    return luaL_error(L, "%s", msg);
}

/* ---- checks ---- */

static int l_check(lua_State *L)
{
    (void)get_ctx(L);
    luaL_checkany(L, 2);
    if (!lua_toboolean(L, 2)) {
        const char *msg = luaL_optstring(L, 3, "check failed");
        return luaL_error(L, "%s", msg);
    }
    return 0;
}

/* Printable description of the value at i, pushed on the stack. */
static const char *describe(lua_State *L, int i)
{
    if (lua_isinteger(L, i)) {
        lua_Integer v = lua_tointeger(L, i);
        char buf[64];
        snprintf(buf, sizeof(buf), "0x%" PRIX64 " (%" PRId64 ")", (uint64_t)v, (int64_t)v);
        return lua_pushstring(L, buf);
    }
    if (lua_type(L, i) == LUA_TSTRING) {
        size_t n;
        const char *s = lua_tolstring(L, i, &n);
        bool printable = n <= 200U;
        for (size_t k = 0; k < n && printable; k++) {
            printable = s[k] >= 0x20 && s[k] < 0x7F;
        }
        if (printable) {
            return lua_pushfstring(L, "\"%s\"", s);
        }
        return lua_pushfstring(L, "<%I-byte string>", (lua_Integer)n);
    }
    return luaL_tolstring(L, i, NULL);
}

static int l_expect_eq(lua_State *L)
{
    const char *what;

    (void)get_ctx(L);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    what = luaL_optstring(L, 4, "value");
    if (lua_compare(L, 2, 3, LUA_OPEQ)) {
        return 0;
    }
    if (lua_type(L, 2) == LUA_TSTRING && lua_type(L, 3) == LUA_TSTRING) {
        size_t na, nb, k = 0;
        const char *a = lua_tolstring(L, 2, &na);
        const char *b = lua_tolstring(L, 3, &nb);
        char where[96];

        while (k < na && k < nb && a[k] == b[k]) {
            k++;
        }
        if (k < na && k < nb) {
            snprintf(where, sizeof(where), "first difference at byte %zu: got 0x%02X, expected 0x%02X", k,
                     (uint8_t)a[k], (uint8_t)b[k]);
        } else {
            snprintf(where, sizeof(where), "equal for the first %zu bytes", k);
        }
        return luaL_error(L, "%s: got %s, expected %s (lengths %I and %I; %s)", what, describe(L, 2),
                          describe(L, 3), (lua_Integer)na, (lua_Integer)nb, where);
    }
    return luaL_error(L, "%s: got %s, expected %s", what, describe(L, 2), describe(L, 3));
}

static int l_expect_mem(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint64_t addr = arg_addr(L, 2, "addr");
    size_t len, diffs = 0, first = 0;
    const char *want = arg_str(L, 3, "bytes", &len);
    const char *what = luaL_optstring(L, 4, "memory");
    uint8_t *got;

    if (len == 0U) {
        return 0;
    }
    got = malloc(len);
    if (got == NULL) {
        return luaL_error(L, "expect_mem: out of memory");
    }
    tb_mem_read(c->tb, addr, got, len);
    for (size_t i = 0; i < len; i++) {
        if (got[i] != (uint8_t)want[i]) {
            if (diffs == 0U) {
                first = i;
            }
            diffs++;
        }
    }
    if (diffs != 0U) {
        char msg[256];
        snprintf(msg, sizeof(msg),
                 "%.80s: %zu of %zu bytes differ; first at 0x%" PRIX64 " (offset %zu): got 0x%02X, expected 0x%02X",
                 what, diffs, len, addr + first, first, got[first], (uint8_t)want[first]);
        free(got);
        return luaL_error(L, "%s", msg);
    }
    free(got);
    return 0;
}

static int l_log(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    size_t len;
    const char *line;

    luaL_buffinit(L, &b);
    for (int i = 2; i <= n; i++) {
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
        if (i < n) {
            luaL_addchar(&b, ' ');
        }
    }
    luaL_pushresult(&b);
    line = lua_tolstring(L, -1, &len);
    if (c->verbose) {
        printf("    log: %s\n", line);
        fflush(stdout);
        return 0;
    }
    if (c->log_len + len + 16U < LOG_MAX) {
        char *p = realloc(c->log, c->log_len + len + 16U);
        if (p != NULL) {
            c->log = p;
            c->log_len += (size_t)sprintf(p + c->log_len, "    log: %s\n", line);
        }
    }
    return 0;
}

/* t:reset([cycles = 8]): rst_n low for `cycles` cycles in the middle of
 * whatever is in flight (tb_reset: the memory model, the AXI-Lite master and
 * the protocol checkers forget their bursts; memory contents stay). */
static int l_reset(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned n = (unsigned)opt_int(L, 2, "cycles", 1, 100000, 8);

    tb_reset(c->tb, n);
    return 0;
}

/* t:reg_info() -> list of {name, offset, per_channel, access, reset}: the
 * generated register table (sw/lib/ferry_regs_table.c). */
static int l_reg_info(lua_State *L)
{
    (void)get_ctx(L);
    lua_createtable(L, (int)ferry_reg_info_count, 0);
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        const struct ferry_reg_info *r = &ferry_reg_info[i];
        lua_createtable(L, 0, 5);
        lua_pushstring(L, r->name);
        lua_setfield(L, -2, "name");
        SET_INT_FIELD(L, "offset", r->offset);
        lua_pushboolean(L, r->per_channel != 0);
        lua_setfield(L, -2, "per_channel");
        lua_pushstring(L, r->access);
        lua_setfield(L, -2, "access");
        SET_INT_FIELD(L, "reset", r->reset);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}


/* ---- stream channels (tb/axis_model.h) ---- */

static axis_model_t *get_axis(lua_State *L, struct ctx *c)
{
    axis_model_t *m = tb_axis(c->tb);
    if (m == NULL) {
        luaL_error(L, "this build has no stream channels (CAP2 is 0): build with CFG=stream");
    }
    return m;
}

static unsigned arg_kind_ch(lua_State *L, int i, axis_model_t *m, int c2h)
{
    unsigned ch = arg_ch(L, i);
    uint32_t mask = c2h ? axis_c2h_mask(m) : axis_h2c_mask(m);
    if (((mask >> ch) & 1U) == 0U) {
        luaL_error(L, "bad argument #%d (ch): channel %u is not %s (CAP2 mask 0x%X)", i - 1, ch,
                   c2h ? "card-to-host" : "host-to-card", mask);
    }
    return ch;
}

static int l_stream_caps(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    uint32_t cap2 = 0;
    int resp = tb_bar_read(c->tb, FERRY_REG_CAP2, &cap2);

    lua_createtable(L, 0, 4);
    SET_INT_FIELD(L, "cap2", cap2);
    SET_INT_FIELD(L, "h2c", (cap2 & FERRY_CAP2_H2C_MASK) >> FERRY_CAP2_H2C_SHIFT);
    SET_INT_FIELD(L, "c2h", (cap2 & FERRY_CAP2_C2H_MASK) >> FERRY_CAP2_C2H_SHIFT);
    lua_pushboolean(L, tb_axis(c->tb) != NULL);
    lua_setfield(L, -2, "models");
    lua_pushstring(L, resp_name(resp));
    lua_setfield(L, -2, "resp");
    return 1;
}

static int l_axis_send(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    axis_model_t *m = get_axis(L, c);
    unsigned ch = arg_kind_ch(L, 2, m, 1);
    size_t len;
    const char *b = arg_str(L, 3, "bytes", &len);
    unsigned user = (unsigned)opt_int(L, 4, "tuser", 0, 255, 0);
    unsigned id = (unsigned)opt_int(L, 5, "tid", 0, 255, 0);
    const char *why = NULL;

    if (axis_send(m, ch, (const uint8_t *)b, len, (uint8_t)user, (uint8_t)id, &why) != 0) {
        luaL_error(L, "t:axis_send(%u, %d bytes): %s", ch, (int)len, why ? why : "failed");
    }
    return 0;
}

static int l_axis_recv(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    axis_model_t *m = get_axis(L, c);
    unsigned ch = arg_kind_ch(L, 2, m, 0);
    axis_pkt_t p;

    if (axis_recv(m, ch, &p) != 1) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 6);
    lua_pushlstring(L, (const char *)p.data, p.len);
    lua_setfield(L, -2, "bytes");
    SET_INT_FIELD(L, "len", p.len);
    SET_INT_FIELD(L, "tuser", p.user);
    SET_INT_FIELD(L, "tid", p.id);
    SET_INT_FIELD(L, "first_cycle", p.first_cycle);
    SET_INT_FIELD(L, "last_cycle", p.last_cycle);
    axis_pkt_free(&p);
    return 1;
}

static int l_axis_partial(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    axis_model_t *m = get_axis(L, c);
    unsigned ch = arg_kind_ch(L, 2, m, 0);

    lua_pushinteger(L, (lua_Integer)axis_partial(m, ch));
    return 1;
}

static int l_axis_loopback(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    axis_model_t *m = get_axis(L, c);
    unsigned a = arg_kind_ch(L, 2, m, 0);
    unsigned b = arg_kind_ch(L, 3, m, 1);
    int on = lua_isnoneornil(L, 4) ? 1 : lua_toboolean(L, 4);
    const char *why = NULL;

    if (axis_loopback(m, a, b, on, &why) != 0) {
        luaL_error(L, "t:axis_loopback(%u, %u): %s", a, b, why ? why : "failed");
    }
    return 0;
}

static int l_axis_stats(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    axis_model_t *m = get_axis(L, c);
    unsigned ch = arg_ch(L, 2);
    axis_stats_t s;

    if (axis_stats(m, ch, &s) != 0) {
        luaL_error(L, "bad argument #1 (ch): %u", ch);
    }
    lua_createtable(L, 0, 9);
    SET_INT_FIELD(L, "beats", s.beats);
    SET_INT_FIELD(L, "bytes", s.bytes);
    SET_INT_FIELD(L, "packets", s.packets);
    SET_INT_FIELD(L, "stall", s.stall);
    SET_INT_FIELD(L, "gap", s.gap);
    if (s.first_cycle != UINT64_MAX) {
        SET_INT_FIELD(L, "first_cycle", s.first_cycle);
        SET_INT_FIELD(L, "last_cycle", s.last_cycle);
    }
    SET_INT_FIELD(L, "queued", s.queued);
    SET_INT_FIELD(L, "lb_beats", s.lb_beats);
    return 1;
}

static int l_axis_stats_clear(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    axis_stats_clear(get_axis(L, c));
    return 0;
}

static int l_axis_clear(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    axis_clear(get_axis(L, c));
    return 0;
}

/* t:axis_gaps(valid_pct, ready_pct): the stream models' random gaps from now
 * on (t:quiet() sets both to 0); returns the previous pair. */
static int l_axis_gaps(lua_State *L)
{
    struct ctx *c = get_ctx(L);
    unsigned ov = c->cfg.axis_valid_gap, orr = c->cfg.axis_ready_gap;

    (void)get_axis(L, c);
    c->cfg.axis_valid_gap = (unsigned)opt_int(L, 2, "valid_pct", 0, 100, ov);
    c->cfg.axis_ready_gap = (unsigned)opt_int(L, 3, "ready_pct", 0, 100, orr);
    tb_set_config(c->tb, &c->cfg);
    lua_pushinteger(L, ov);
    lua_pushinteger(L, orr);
    return 2;
}

/* Raises the runner's skip marker: the test counts as skipped, not passed. */
#define SKIP_MARK "\001ferry-skip\001"
static int l_skip(lua_State *L)
{
    (void)get_ctx(L);
    lua_pushfstring(L, SKIP_MARK "%s", luaL_optstring(L, 2, "skipped"));
    return lua_error(L);
}

static const luaL_Reg ctx_methods[] = {
    {"reset", l_reset},
    {"reg_info", l_reg_info},
    {"copy", l_copy},
    {"copy_start", l_copy_start},
    {"copy_wait", l_copy_wait},
    {"copy_poll", l_copy_poll},
    {"irq_enable", l_irq_enable},
    {"bar_read", l_bar_read},
    {"bar_write", l_bar_write},
    {"ch_reg", l_ch_reg},
    {"status", l_status},
    {"raw_start", l_raw_start},
    {"step", l_step},
    {"cycle", l_cycle},
    {"irq", l_irq},
    {"wait_irq", l_wait_irq},
    {"mem_write", l_mem_write},
    {"mem_read", l_mem_read},
    {"pattern", l_pattern},
    {"mem_fill", l_mem_fill},
    {"mem_inject_error", l_mem_inject_error},
    {"mem_inject_random", l_mem_inject_random},
    {"mem_hold", l_mem_hold},
    {"mem_release", l_mem_release},
    {"set_latency", l_set_latency},
    {"set_stall", l_set_stall},
    {"set_rd_outstanding", l_set_rd_outstanding},
    {"quiet", l_quiet},
    {"bus_config", l_bus_config},
    {"stats", l_stats},
    {"stats_clear", l_stats_clear},
    {"trace_start", l_trace_start},
    {"trace", l_trace},
    {"protocol_error", l_protocol_error},
    {"desc_encode", l_desc_encode},
    {"desc_decode", l_desc_decode},
    {"cpl_encode", l_cpl_encode},
    {"cpl_decode", l_cpl_decode},
    {"ref_check", l_ref_check},
    {"ref_apply", l_ref_apply},
    {"shadow_write", l_shadow_write},
    {"shadow_read", l_shadow_read},
    {"shadow_sync", l_shadow_sync},
    {"expect_shadow", l_expect_shadow},
    {"unpredictable", l_unpredictable},
    {"scoreboard_off", l_scoreboard_off},
    {"scoreboard", l_scoreboard},
    {"seed", l_seed},
    {"rand", l_rand},
    {"check", l_check},
    {"expect_eq", l_expect_eq},
    {"expect_mem", l_expect_mem},
    {"log", l_log},
    {"stream_caps", l_stream_caps},
    {"axis_send", l_axis_send},
    {"axis_recv", l_axis_recv},
    {"axis_partial", l_axis_partial},
    {"axis_loopback", l_axis_loopback},
    {"axis_stats", l_axis_stats},
    {"axis_stats_clear", l_axis_stats_clear},
    {"axis_clear", l_axis_clear},
    {"axis_gaps", l_axis_gaps},
    {"skip", l_skip},
    {NULL, NULL},
};

/* __index(t, k): methods first, then the context's data fields (uservalue). */
static int ctx_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
        return 1;
    }
    lua_pop(L, 1);
    lua_getiuservalue(L, 1, 1);
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int ctx_newindex(lua_State *L)
{
    return luaL_error(L, "the test context is read-only (setting '%s'); keep test state in locals",
                      luaL_tolstring(L, 2, NULL));
}

static void push_caps(lua_State *L, const struct ferry_caps *k)
{
    lua_createtable(L, 0, 13);
    SET_INT_FIELD(L, "id", k->id);
    SET_INT_FIELD(L, "if_version", k->if_version);
    SET_INT_FIELD(L, "version_major", k->version_major);
    SET_INT_FIELD(L, "version_minor", k->version_minor);
    SET_INT_FIELD(L, "cap0", k->cap0);
    SET_INT_FIELD(L, "cap1", k->cap1);
    SET_INT_FIELD(L, "channels", k->channels);
    SET_INT_FIELD(L, "data_bytes", k->data_bytes);
    SET_INT_FIELD(L, "addr_width", k->addr_width);
    SET_INT_FIELD(L, "max_burst", k->max_burst);
    SET_INT_FIELD(L, "max_outstanding", k->max_outstanding);
    lua_pushboolean(L, k->direct);
    lua_setfield(L, -2, "direct");
    lua_pushboolean(L, FERRY_FIELD_GET(FERRY_CAP1_RING, k->cap1) != 0U);
    lua_setfield(L, -2, "ring");
}

static void push_regs(lua_State *L)
{
    lua_createtable(L, 0, 16);
    lua_createtable(L, 0, 8); /* regs.ch */
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        const struct ferry_reg_info *r = &ferry_reg_info[i];
        lua_pushinteger(L, (lua_Integer)r->offset);
        lua_setfield(L, r->per_channel != 0 ? -2 : -3, r->name);
    }
    lua_setfield(L, -2, "ch");
    SET_INT_FIELD(L, "BAR_SIZE", FERRY_BAR_SIZE);
    SET_INT_FIELD(L, "CH_BASE", FERRY_CH_BASE);
    SET_INT_FIELD(L, "CH_STRIDE", FERRY_CH_STRIDE);
    SET_INT_FIELD(L, "MAX_CHANNELS", FERRY_MAX_CHANNELS);
    SET_INT_FIELD(L, "MAGIC", FERRY_MAGIC);
    SET_INT_FIELD(L, "UNDEFINED_READ", FERRY_UNDEFINED_READ);
}

static void push_bits(lua_State *L)
{
    lua_createtable(L, 0, 15);
    SET_INT_FIELD(L, "STATUS_BUSY", FERRY_STATUS_BUSY_MASK);
    SET_INT_FIELD(L, "STATUS_DONE", FERRY_STATUS_DONE_MASK);
    SET_INT_FIELD(L, "STATUS_ERROR", FERRY_STATUS_ERROR_MASK);
    SET_INT_FIELD(L, "STATUS_DB_OVERRUN", FERRY_STATUS_DB_OVERRUN_MASK);
    SET_INT_FIELD(L, "STATUS_ERR_CODE_MASK", FERRY_STATUS_ERR_CODE_MASK);
    SET_INT_FIELD(L, "STATUS_ERR_CODE_SHIFT", FERRY_STATUS_ERR_CODE_SHIFT);
    SET_INT_FIELD(L, "CTRL_START", FERRY_CTRL_START_MASK);
    SET_INT_FIELD(L, "CTRL_ABORT", FERRY_CTRL_ABORT_MASK);
    SET_INT_FIELD(L, "CTRL_RESUME", FERRY_CTRL_RESUME_MASK);
    SET_INT_FIELD(L, "CTRL_SKIP", FERRY_CTRL_SKIP_MASK);
    SET_INT_FIELD(L, "CTRL_RESET", FERRY_CTRL_RESET_MASK);
    SET_INT_FIELD(L, "STATUS_HALTED", FERRY_STATUS_HALTED_MASK);
    SET_INT_FIELD(L, "STATUS_STOPPING", FERRY_STATUS_STOPPING_MASK);
    SET_INT_FIELD(L, "WIN_CTRL_ENABLE", FERRY_WIN_CTRL_ENABLE_MASK);
    SET_INT_FIELD(L, "WIN_CTRL_LOCK", FERRY_WIN_CTRL_LOCK_MASK);
    SET_INT_FIELD(L, "IRQ_ENABLE_DONE", FERRY_IRQ_ENABLE_DONE_MASK);
    SET_INT_FIELD(L, "IRQ_ENABLE_ERROR", FERRY_IRQ_ENABLE_ERROR_MASK);
    SET_INT_FIELD(L, "STATUS_CPL", FERRY_STATUS_CPL_MASK);
    SET_INT_FIELD(L, "STATUS_RING_ACTIVE", FERRY_STATUS_RING_ACTIVE_MASK);
    SET_INT_FIELD(L, "IRQ_ENABLE_CPL", FERRY_IRQ_ENABLE_CPL_MASK);
    SET_INT_FIELD(L, "RING_CTRL_ENABLE", FERRY_RING_CTRL_ENABLE_MASK);
    SET_INT_FIELD(L, "RING_CTRL_LOG2_SIZE_SHIFT", FERRY_RING_CTRL_LOG2_SIZE_SHIFT);
    SET_INT_FIELD(L, "RING_CTRL_LOG2_SIZE_MASK", FERRY_RING_CTRL_LOG2_SIZE_MASK);
}

static void push_desc_consts(lua_State *L)
{
    lua_createtable(L, 0, 9);
    SET_INT_FIELD(L, "SIZE", FERRY_DESC_SIZE);
    SET_INT_FIELD(L, "CPL_SIZE", FERRY_CPL_SIZE);
    SET_INT_FIELD(L, "IRQ", FERRY_DESC_IRQ);
    SET_INT_FIELD(L, "SRC_FIXED", FERRY_DESC_SRC_FIXED);
    SET_INT_FIELD(L, "DST_FIXED", FERRY_DESC_DST_FIXED);
    SET_INT_FIELD(L, "TWO_D", FERRY_DESC_TWO_D);
    SET_INT_FIELD(L, "EOP", FERRY_DESC_EOP);
    SET_INT_FIELD(L, "FENCE", FERRY_DESC_FENCE);
    SET_INT_FIELD(L, "FLAGS_RESERVED", FERRY_DESC_FLAGS_RESERVED);
    SET_INT_FIELD(L, "LEN_MAX", FERRY_DESC_LEN_MAX);
}

static void push_errs(lua_State *L)
{
    lua_createtable(L, (int)ferry_err_info_count, (int)ferry_err_info_count);
    for (unsigned i = 0; i < ferry_err_info_count; i++) {
        lua_pushinteger(L, (lua_Integer)ferry_err_info[i].code);
        lua_setfield(L, -2, ferry_err_info[i].name);
        lua_pushstring(L, ferry_err_info[i].name);
        lua_rawseti(L, -2, (lua_Integer)ferry_err_info[i].code);
    }
}

/* Pushes the context userdata for c. */
static void push_ctx(lua_State *L, struct ctx *c, const char *scenario, const char *name)
{
    struct ctx_box *b = lua_newuserdatauv(L, sizeof(*b), 1);

    b->c = c;
    if (luaL_newmetatable(L, CTX_MT)) {
        lua_newtable(L);
        luaL_setfuncs(L, ctx_methods, 0);
        lua_pushcclosure(L, ctx_index, 1);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, ctx_newindex);
        lua_setfield(L, -2, "__newindex");
        lua_pushliteral(L, "ferry test context");
        lua_setfield(L, -2, "__name");
    }
    lua_setmetatable(L, -2);

    lua_createtable(L, 0, 7);
    push_caps(L, ferry_caps(&c->dev));
    lua_setfield(L, -2, "caps");
    push_regs(L);
    lua_setfield(L, -2, "regs");
    push_bits(L);
    lua_setfield(L, -2, "bits");
    push_errs(L);
    lua_setfield(L, -2, "err");
    push_desc_consts(L);
    lua_setfield(L, -2, "desc");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, scenario);
    lua_setfield(L, -2, "scenario");
    lua_setiuservalue(L, -2, 1);
}

/* ---- runner ---- */

struct opts {
    uint64_t seed;
    const char *filter;
    bool waves, quiet, verbose, list;
    bool rerun; /* the rerun of a failed test with waves on: short output */
    const char *argv0;
};

struct tally {
    unsigned passed, failed, skipped;
};

/* run_test results */
enum { TEST_FAIL = 0, TEST_PASS = 1, TEST_SKIP = 2 };

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);

    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
            return 1;
        }
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static int pcall_tb(lua_State *L, int nargs, int nres)
{
    int base = lua_gettop(L) - nargs;
    int rc;

    lua_pushcfunction(L, traceback);
    lua_insert(L, base);
    rc = lua_pcall(L, nargs, nres, base);
    lua_remove(L, base);
    return rc;
}

/* Basename without ".lua". */
static void scenario_name(const char *path, char *out, size_t n)
{
    const char *b = strrchr(path, '/');
    size_t len;

    b = b != NULL ? b + 1 : path;
    len = strlen(b);
    if (len > 4U && strcmp(b + len - 4U, ".lua") == 0) {
        len -= 4U;
    }
    snprintf(out, n, "%.*s", (int)len, b);
}

static bool name_ok(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-' || *s == '.')) {
            return false;
        }
    }
    return true;
}

static uint64_t test_seed(uint64_t base, const char *full_name)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    uint64_t s;

    for (const char *p = full_name; *p != '\0'; p++) {
        h = (h ^ (uint8_t)*p) * 0x100000001B3ULL;
    }
    s = base ^ h;
    s = splitmix(&s) >> 1; /* 63 bits: positive as a Lua integer */
    return s != 0U ? s : 1U;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A fresh state with the standard libraries, math.random seeded and
 * require() looking in <dir of path>/lib first. */
static lua_State *new_state(const char *path, uint64_t seed)
{
    lua_State *L = luaL_newstate();
    const char *slash;

    if (L == NULL) {
        return NULL;
    }
    luaL_openlibs(L);
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)seed);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
    slash = strrchr(path, '/');
    lua_getglobal(L, "package");
    if (slash != NULL) {
        lua_pushfstring(L, "%s/lib/?.lua;", lua_pushlstring(L, path, (size_t)(slash - path)));
        lua_remove(L, -2);
    } else {
        lua_pushliteral(L, "lib/?.lua;");
    }
    lua_getfield(L, -2, "path");
    lua_concat(L, 2);
    lua_setfield(L, -2, "path");
    lua_pop(L, 1);
    return L;
}

/* Runs the file; leaves a normalized list {{name=, fn=}, ...} on the stack.
 * On error leaves the message and returns false. */
static bool load_tests(lua_State *L, const char *path)
{
    int list;
    lua_Integer n;

    if (luaL_loadfile(L, path) != LUA_OK) {
        return false;
    }
    if (pcall_tb(L, 0, 1) != LUA_OK) {
        return false;
    }
    if (!lua_istable(L, -1)) {
        lua_pushfstring(L, "%s must return a table of tests, returned %s", path, luaL_typename(L, -1));
        return false;
    }
    list = lua_gettop(L);
    lua_newtable(L); /* normalized */
    n = (lua_Integer)lua_rawlen(L, list);
    if (n > 0) {
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, list, i);
            if (!lua_istable(L, -1)) {
                lua_pushfstring(L, "%s: test #%I is not a table {name=, fn=}", path, i);
                return false;
            }
            lua_getfield(L, -1, "name");
            lua_getfield(L, -2, "fn");
            if (lua_type(L, -2) != LUA_TSTRING || !lua_isfunction(L, -1)) {
                lua_pushfstring(L, "%s: test #%I needs name (string) and fn (function)", path, i);
                return false;
            }
            lua_createtable(L, 0, 2);
            lua_insert(L, -3);
            lua_setfield(L, -3, "fn");
            lua_setfield(L, -2, "name");
            lua_rawseti(L, -3, i);
            lua_pop(L, 1);
        }
    } else {
        /* name -> fn map, run in name order */
        size_t cnt = 0, cap = 16;
        const char **names = malloc(cap * sizeof(*names));
        if (names == NULL) {
            lua_pushliteral(L, "out of memory");
            return false;
        }
        lua_pushnil(L);
        while (lua_next(L, list) != 0) {
            if (lua_type(L, -2) != LUA_TSTRING || !lua_isfunction(L, -1)) {
                free(names);
                lua_pushfstring(L, "%s: a map of tests needs string keys and function values", path);
                return false;
            }
            if (cnt == cap) {
                const char **p = realloc(names, 2U * cap * sizeof(*names));
                if (p == NULL) {
                    free(names);
                    lua_pushliteral(L, "out of memory");
                    return false;
                }
                names = p;
                cap *= 2U;
            }
            names[cnt++] = lua_tostring(L, -2); /* the key stays in the table */
            lua_pop(L, 1);
        }
        qsort(names, cnt, sizeof(*names), cmp_str);
        for (size_t i = 0; i < cnt; i++) {
            lua_createtable(L, 0, 2);
            lua_pushstring(L, names[i]);
            lua_setfield(L, -2, "name");
            lua_getfield(L, list, names[i]);
            lua_setfield(L, -2, "fn");
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        free(names);
    }
    /* names valid and unique */
    n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        const char *name;
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "name");
        name = lua_tostring(L, -1);
        if (!name_ok(name)) {
            lua_pushfstring(L, "%s: test name '%s' must be non-empty [A-Za-z0-9_.-]", path, name);
            return false;
        }
        for (lua_Integer j = 1; j < i; j++) {
            lua_rawgeti(L, -3, j);
            lua_getfield(L, -1, "name");
            if (strcmp(lua_tostring(L, -1), name) == 0) {
                lua_pushfstring(L, "%s: test name '%s' is used twice", path, name);
                return false;
            }
            lua_pop(L, 2);
        }
        lua_pop(L, 2);
    }
    /* A list may carry requires = function(t) -> nil | reason: checked on
     * the first test's bench; a reason skips the whole file (one SKIP line). */
    lua_getfield(L, list, "requires");
    if (!lua_isnil(L, -1) && !lua_isfunction(L, -1)) {
        lua_pushfstring(L, "%s: requires must be a function(t) returning nil or a reason", path);
        return false;
    }
    lua_setfield(L, -2, "requires");
    lua_remove(L, list);
    return true;
}

static void mkdirs(const char *dir)
{
    char buf[256];

    snprintf(buf, sizeof(buf), "%s", dir);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            (void)mkdir(buf, 0777);
            *p = '/';
        }
    }
    (void)mkdir(buf, 0777);
}

static void print_indented(const char *text)
{
    const char *p = text;

    while (*p != '\0') {
        size_t n = strcspn(p, "\n");
        printf("    %.*s\n", (int)n, p);
        p += n;
        if (*p == '\n') {
            p++;
        }
    }
}

/* Runs test `name` of `path` in a fresh state and model. Returns TEST_PASS,
 * TEST_FAIL or TEST_SKIP (t:skip(reason), or the file's requires(t) gave a
 * reason: then *file_skip is set, if given, and one line names the file). */
static int run_test(const struct opts *o, const char *path, const char *scen, const char *name, bool *file_skip)
{
    char *skip = NULL;
    bool skip_file = false;
    char full[512];
    char fst[640];
    char *err = NULL;
    struct ctx_box *box;
    struct ctx c;
    lua_State *L = NULL;
    ferry_status st;
    bool ok = false;
    uint64_t sb_pages_n = 0, sb_bytes_n = 0;

    snprintf(full, sizeof(full), "%s/%s", scen, name);
    memset(&c, 0, sizeof(c));
    c.seed = test_seed(o->seed, full);
    c.rng = c.seed ^ 0xA54FF53A5F1D36F1ULL;
    c.verbose = o->verbose;
    if (o->quiet) {
        tb_config_default(&c.cfg);
        c.cfg.seed = c.seed;
    } else {
        tb_config_random(&c.cfg, c.seed);
    }
    if (o->waves) {
        mkdirs(WAVES_DIR);
        snprintf(fst, sizeof(fst), WAVES_DIR "/%s_%s.fst", scen, name);
        c.cfg.fst_path = fst;
    }

    c.tb = tb_new(&c.cfg);
    if (c.tb == NULL) {
        err = strdup("tb_new failed");
        goto out;
    }
    c.cfg.fst_path = NULL; /* tb keeps its own copy of the path */
    axi_rng_seed(&c.shadow_rng, c.seed);
    c.shadow = axi_mem_new(tb_data_bytes(c.tb), &c.shadow_rng);
    if (c.shadow == NULL) {
        err = strdup("shadow memory: axi_mem_new failed");
        goto out;
    }
    c.sb = calloc(1, sizeof(*c.sb));
    if (c.sb == NULL) {
        err = strdup("scoreboard: out of memory");
        goto out;
    }
    axi_mem_track_writes(c.shadow, 1);
    axi_mem_track_writes(tb_axi_mem(c.tb), 1);
    c.sim = ferry_sim_new(c.tb);
    if (c.sim == NULL) {
        err = strdup("ferry_sim_new failed");
        goto out;
    }
    st = ferry_probe(&c.dev, ferry_sim_platform(c.sim));
    if (st != FERRY_OK) {
        char buf[160];
        snprintf(buf, sizeof(buf), "ferry_probe: %s (ID 0x%08" PRIX32 ")", ferry_status_str(st), c.dev.caps.id);
        err = strdup(buf);
        goto out;
    }

    L = new_state(path, c.seed);
    if (L == NULL) {
        err = strdup("out of memory (lua state)");
        goto out;
    }
    if (!load_tests(L, path)) {
        err = strdup(lua_tostring(L, -1) != NULL ? lua_tostring(L, -1) : "scenario failed to load");
        goto out;
    }
    lua_getfield(L, -1, "requires");
    lua_insert(L, -2); /* requires (or nil), list */
    int req = lua_gettop(L) - 1;
    {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        bool found = false;
        for (lua_Integer i = 1; i <= n && !found; i++) {
            lua_rawgeti(L, -1, i);
            lua_getfield(L, -1, "name");
            if (strcmp(lua_tostring(L, -1), name) == 0) {
                found = true;
                lua_pop(L, 1);
                lua_getfield(L, -1, "fn");
                lua_remove(L, -2);
            } else {
                lua_pop(L, 2);
            }
        }
        if (!found) {
            err = strdup("test disappeared when the scenario was loaded again");
            goto out;
        }
    }
    push_ctx(L, &c, scen, name);
    lua_pushvalue(L, -1);
    lua_insert(L, -3); /* requires, list, ctx, fn, ctx */
    box = lua_touserdata(L, -1);
    if (lua_isfunction(L, req)) {
        lua_pushvalue(L, req);
        lua_pushvalue(L, -2);
        if (pcall_tb(L, 1, 1) != LUA_OK) {
            const char *m = lua_tostring(L, -1);
            err = strdup(m != NULL ? m : "(error without message)");
        } else if (!lua_isnil(L, -1)) {
            skip = strdup(luaL_tolstring(L, -1, NULL));
            lua_pop(L, 1);
            skip_file = true;
        }
        lua_pop(L, 1);
    }
    if (err == NULL && skip == NULL && pcall_tb(L, 1, 0) != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        const char *k = m != NULL ? strstr(m, SKIP_MARK) : NULL;
        if (k != NULL) {
            const char *r = k + strlen(SKIP_MARK);
            skip = strndup(r, strcspn(r, "\n"));
        } else {
            err = strdup(m != NULL ? m : "(error without message)");
        }
    }
    /* The context dies with the test even if a closure kept it. */
    box->c = NULL;
    if (err == NULL && tb_error(c.tb) != NULL) {
        char buf[512];
        snprintf(buf, sizeof(buf), "bus protocol error (%u in all): %s", tb_error_count(c.tb), tb_error(c.tb));
        err = strdup(buf);
    }
    if (err == NULL && c.sb->off[0] == '\0') {
        err = sb_check(&c, &sb_pages_n, &sb_bytes_n);
    }
    ok = err == NULL;

out:
    if (ok && skip != NULL) {
        if (skip_file) {
            printf("SKIP %s (seed=%" PRIu64 "): %s\n", scen, o->seed, skip);
        } else {
            printf("SKIP %s (seed=%" PRIu64 "): %s\n", full, o->seed, skip);
        }
    } else if (o->rerun) {
        printf("    rerun with WAVES=1: %s\n", ok ? "passed this time (the failure did not repeat)" : "failed again");
    } else if (ok) {
        printf("PASS %s (seed=%" PRIu64 ", cycles=%" PRIu64 ")", full, o->seed, tb_cycle(c.tb));
        if (c.sb->off[0] != '\0') {
            printf(" [scoreboard off: %s]\n", c.sb->off);
        } else {
            printf(" [scoreboard: %" PRIu64 " pages, %" PRIu64 " transfers, %" PRIu64 " bytes moved",
                   sb_pages_n, c.sb->descs, c.sb->bytes);
            if (c.sb->skipped != 0U) {
                printf(", %" PRIu64 " bytes unpredictable: \"%s\"%s", c.sb->skipped, c.sb->skip.v[0].what,
                       c.sb->skip.n > 1U ? " ..." : "");
            }
            if (c.sb->synced != 0U) {
                printf(", %" PRIu64 " bytes synced", c.sb->synced);
            }
            printf("]\n");
        }
        (void)sb_bytes_n;
    } else {
        const char *nl = err != NULL ? strchr(err, '\n') : NULL;
        printf("FAIL %s (seed=%" PRIu64 ", profile=%s): %.*s\n", full, o->seed,
               c.cfg.profile != NULL ? c.cfg.profile : "none",
               err != NULL ? (nl != NULL ? (int)(nl - err) : (int)strlen(err)) : 13,
               err != NULL ? err : "out of memory");
        if (nl != NULL) {
            print_indented(nl + 1);
        }
        if (c.tb != NULL) {
            char bus[512];
            tb_config_describe(&c.cfg, bus, sizeof(bus));
            printf("    at cycle %" PRIu64 "; test seed %" PRIu64 "; bus: %s\n", tb_cycle(c.tb), c.seed, bus);
        }
        if (c.log != NULL) {
            fputs(c.log, stdout);
        }
        printf("    rerun: SEED=%" PRIu64 " TEST=%s WAVES=1 %s %s\n", o->seed, full, o->argv0, path);
    }
    if (o->waves && c.tb != NULL) {
        printf("    waves: %s\n", fst);
        if (!ok) {
            printf("    view: gtkwave %s sim/ferry.gtkw\n", fst);
        }
    }
    fflush(stdout);
    if (L != NULL) {
        lua_close(L);
    }
    ferry_sim_free(c.sim);
    axi_mem_free(c.shadow);
    tb_free(c.tb);
    sb_free(c.sb);
    free(c.log);
    free(err);
    if (ok && skip != NULL) {
        free(skip);
        if (file_skip != NULL) {
            *file_skip = skip_file;
        }
        return TEST_SKIP;
    }
    free(skip);
    return ok ? TEST_PASS : TEST_FAIL;
}

/* A failed test once more with the same seed and waves on, for its FST. */
static void rerun_with_waves(const struct opts *o, const char *path, const char *scen, const char *name)
{
    struct opts w = *o;

    w.waves = true;
    w.rerun = true;
    (void)run_test(&w, path, scen, name, NULL);
}

static void run_file(const struct opts *o, const char *path, struct tally *t)
{
    char scen[128];
    lua_State *L = new_state(path, o->seed);
    lua_Integer n;

    scenario_name(path, scen, sizeof(scen));
    if (L == NULL) {
        printf("FAIL %s (seed=%" PRIu64 "): out of memory\n", scen, o->seed);
        t->failed++;
        return;
    }
    if (!load_tests(L, path)) {
        const char *m = lua_tostring(L, -1);
        const char *nl = m != NULL ? strchr(m, '\n') : NULL;
        printf("FAIL %s (seed=%" PRIu64 "): %.*s\n", scen, o->seed,
               m == NULL ? 7 : (nl != NULL ? (int)(nl - m) : (int)strlen(m)), m == NULL ? "no load" : m);
        if (nl != NULL) {
            print_indented(nl + 1);
        }
        fflush(stdout);
        t->failed++;
        lua_close(L);
        return;
    }
    n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        char full[512];
        char name[256];
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "name");
        snprintf(name, sizeof(name), "%s", lua_tostring(L, -1));
        lua_pop(L, 2);
        snprintf(full, sizeof(full), "%s/%s", scen, name);
        if (o->filter != NULL && strstr(full, o->filter) == NULL) {
            continue;
        }
        if (o->list) {
            printf("%s\n", full);
            continue;
        }
        bool file_skip = false;
        int r = run_test(o, path, scen, name, &file_skip);
        if (r == TEST_SKIP) {
            t->skipped++;
            if (file_skip) {
                break; /* the file's requires() said no: its other tests are not run */
            }
        } else if (r == TEST_PASS) {
            t->passed++;
        } else {
            t->failed++;
            if (!o->waves) {
                rerun_with_waves(o, path, scen, name);
            }
        }
    }
    lua_close(L);
}

static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

static void usage(FILE *f, const char *argv0)
{
    fprintf(f,
            "usage: %s [--list] SCENARIO.lua...\n"
            "  --list     print the tests (scenario/test) instead of running them\n"
            "env: SEED=N (default 1)  TEST=substring  WAVES=1  QUIET=1  VERBOSE=1\n",
            argv0);
}

int main(int argc, char **argv)
{
    struct opts o;
    struct tally t = {0, 0, 0};
    const char *s;
    int nfiles = 0;

    memset(&o, 0, sizeof(o));
    o.argv0 = argv[0];
    o.seed = 1;
    s = getenv("SEED");
    if (s != NULL && *s != '\0') {
        char *end;
        errno = 0;
        o.seed = strtoull(s, &end, 0);
        if (errno != 0 || *end != '\0') {
            fprintf(stderr, "%s: SEED=%s is not a number\n", argv[0], s);
            return 2;
        }
    }
    s = getenv("TEST");
    o.filter = s != NULL && *s != '\0' ? s : NULL;
    o.waves = env_flag("WAVES");
    o.quiet = env_flag("QUIET");
    o.verbose = env_flag("VERBOSE");

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--list") == 0) {
            o.list = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout, argv[0]);
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "%s: unknown option %s\n", argv[0], argv[i]);
            usage(stderr, argv[0]);
            return 2;
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0) {
        usage(stderr, argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-') {
            run_file(&o, argv[i], &t);
        }
    }
    if (o.list) {
        return 0;
    }
    if (t.passed + t.failed + t.skipped == 0U) {
        /* With TEST set, a file without a match is fine (regress.sh runs one file at a time). */
        fprintf(stderr, "%s: no test ran%s%s\n", argv[0], o.filter != NULL ? ": none matches TEST=" : "",
                o.filter != NULL ? o.filter : "");
    }
    if (t.skipped != 0U) {
        printf("%u passed, %u failed, %u skipped\n", t.passed, t.failed, t.skipped);
    } else {
        printf("%u passed, %u failed\n", t.passed, t.failed);
    }
    if (t.failed != 0U || (t.passed + t.skipped == 0U && o.filter == NULL)) {
        return 1;
    }
    return 0;
}
