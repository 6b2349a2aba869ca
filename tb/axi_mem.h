/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axi_mem.h: AXI4 memory slave model (pure C) for the DUT's m_axi port.
 *
 * Storage: a sparse 64-bit byte-addressed space in 4 KiB pages kept in a
 * hash table. Unwritten bytes read as 0. Pages may be mapped onto caller
 * memory (axi_mem_map), so host stores and bus writes see each other.
 *
 * Bus behaviour, cycle based. Each cycle the owner calls
 *   axi_mem_drive(mem, cycle, &rsp)   decide the slave outputs from the model's
 *                                     own state and the PRNG only;
 *   ... the master settles its outputs ...
 *   axi_mem_update(mem, cycle, &req)  take the master outputs of the same
 *                                     cycle, do the handshakes (valid && ready),
 *                                     check the protocol, advance.
 * `cycle` must increase by one per call pair. Reads: AR bursts are queued
 * (ARREADY low per stall_ar, or when max_outstanding_rd bursts wait for
 * RLAST); a burst's first beat may be offered from cycle ar + max(1, lat),
 * lat drawn from [rd_lat_min, rd_lat_max]; bursts are answered strictly in
 * order, RID = ARID, RLAST on the last beat. Once offered, RVALID and BVALID
 * hold with their payload until the handshake. Writes: AW and W are accepted
 * independently (W beats may precede their AW); bytes land where WSTRB is
 * set; B (BID = AWID) may be offered from max(last W, AW) + max(1, lat),
 * lat drawn from [wr_lat_min, wr_lat_max], in burst order.
 *
 * Beat addressing: INCR (AxBURST 1): beat 0 at A, beat i>0 at
 * align(A, 2^size) + i * 2^size. FIXED (AxBURST 0, at most 16 beats): every
 * beat at A, so a FIFO-like target reads the same bytes on every beat and
 * a write's strobed bytes land on the same bytes each beat (the last beat
 * wins per byte). The data bus carries the DATA_WIDTH-aligned beat
 * containing the beat's address.
 *
 * The model is a memory, not a judge: it answers whatever it gets
 * (AxLEN is taken modulo 256, AxSIZE above 7 as 7, bursts pair with W
 * beats by count, WLAST is ignored). The protocol rules live in one place,
 * the checker axi_check.h, which watches the same signals.
 */
#ifndef FERRY_AXI_MEM_H
#define FERRY_AXI_MEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AXI_MAX_DATA_BYTES 64
#define AXI_RESP_OKAY 0
#define AXI_RESP_EXOKAY 1
#define AXI_RESP_SLVERR 2
#define AXI_RESP_DECERR 3
#define AXI_BURST_FIXED 0
#define AXI_BURST_INCR 1
#define AXI_FIXED_MAX_BEATS 16
#define AXI_MEM_STAT_IDS 32 /* IDs 0..31 are counted per ID in axi_mem_stats_t */

/* ---- PRNG (splitmix64), shared by all bus models of one test bench ---- */

typedef struct axi_rng {
    uint64_t s;
} axi_rng_t;

static inline void axi_rng_seed(axi_rng_t *r, uint64_t seed) { r->s = seed; }

static inline uint64_t axi_rng_next(axi_rng_t *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (hi < lo is treated as hi == lo). */
static inline unsigned axi_rng_range(axi_rng_t *r, unsigned lo, unsigned hi)
{
    if (hi <= lo) {
        return lo;
    }
    return lo + (unsigned)(axi_rng_next(r) % ((uint64_t)hi - lo + 1));
}

/* 1 with probability pct percent. Draws nothing when pct is 0. */
static inline int axi_rng_pct(axi_rng_t *r, unsigned pct)
{
    if (pct == 0) {
        return 0;
    }
    return axi_rng_next(r) % 100 < pct;
}

/* ---- bus signals ---- */

/* Outputs of the master = inputs of the memory. */
typedef struct axi_mem_req {
    uint64_t awid, awaddr;
    unsigned awlen, awsize, awburst;
    int awvalid;
    uint8_t wdata[AXI_MAX_DATA_BYTES];
    uint64_t wstrb;
    int wlast, wvalid;
    int bready;
    uint64_t arid, araddr;
    unsigned arlen, arsize, arburst;
    int arvalid;
    int rready;
} axi_mem_req_t;

/* Outputs of the memory. */
typedef struct axi_mem_rsp {
    int awready;
    int wready;
    uint64_t bid;
    unsigned bresp;
    int bvalid;
    int arready;
    uint64_t rid;
    uint8_t rdata[AXI_MAX_DATA_BYTES];
    unsigned rresp;
    int rlast, rvalid;
} axi_mem_rsp_t;

#define AXI_LAT_UNIFORM 0  /* latency uniform in [min, max] */
#define AXI_LAT_BIMODAL 1  /* 3/4 in the lowest eighth of [min, max], 1/4 in the highest */
#define AXI_LAT_LONGTAIL 2 /* mostly near min: the span halves with each of 6 coin tosses */

typedef struct axi_mem_cfg {
    unsigned rd_lat_min, rd_lat_max; /* cycles, see above */
    unsigned wr_lat_min, wr_lat_max;
    unsigned stall_ar, stall_r, stall_aw, stall_w, stall_b; /* percent 0..100 */
    unsigned max_outstanding_rd;                            /* 0 = unlimited */
    /* stress (all 0: uniform latency, in order, stalls drawn cycle by cycle) */
    unsigned lat_dist; /* AXI_LAT_*, for reads and writes */
    int reorder;       /* R bursts and B responses of different IDs may overtake each
                        * other (each ID stays in its own order) */
    int interleave;    /* with reorder: R beats of different IDs may interleave */
    /* Backpressure in on/off runs: 0 = each cycle on its own (stall_x percent);
     * N = stall runs of 1..2N-1 cycles (mean N), pass runs sized so that
     * stall_x percent of the cycles still stall. */
    unsigned run_ar, run_r, run_aw, run_w, run_b;
} axi_mem_cfg_t;

typedef struct axi_mem_stats {
    uint64_t ar_count, aw_count;
    uint64_t r_beats, w_beats, b_count;
    uint64_t r_bytes;          /* bytes asked for, counted as their R beats complete */
    uint64_t w_bytes;          /* bytes with WSTRB set */
    uint64_t first_ar_cycle;   /* UINT64_MAX if none */
    uint64_t first_aw_cycle;   /* UINT64_MAX if none */
    uint64_t last_b_cycle;     /* 0 if none */
    uint64_t last_w_cycle;     /* 0 if none */
    uint64_t max_rd_outstanding;
    uint64_t ar_fixed, aw_fixed; /* FIXED bursts among ar_count, aw_count */
    /* Address handshakes per ARID / AWID (IDs >= AXI_MEM_STAT_IDS are only
     * in ar_count / aw_count) and R beats per RID. */
    uint64_t ar_count_id[AXI_MEM_STAT_IDS];
    uint64_t aw_count_id[AXI_MEM_STAT_IDS];
    uint64_t r_beats_id[AXI_MEM_STAT_IDS];
    /* stress seen: R bursts begun before an older one (of another ID), R beats
     * given while another burst was part way, B given before an older one */
    uint64_t r_reordered, r_interleaved, b_reordered;
    /* injection (axi_mem_inject_error, axi_mem_inject_random): read bursts
     * whose RLAST was handed over with at least one beat answered with an
     * error, B handshakes with an error BRESP; bursts accepted that a hold
     * rule matched (axi_mem_hold_responses) */
    uint64_t rd_err_injected, wr_err_injected;
    uint64_t rd_held, wr_held;
} axi_mem_stats_t;

typedef struct axi_mem axi_mem_t;

/* Stress profiles, each a recipe for the stress fields above:
 *   uniform     uniform latency, in order, stalls cycle by cycle (the base)
 *   bimodal     bimodal latency
 *   longtail    long-tail latency, max raised to min + 300
 *   reorder     R bursts and B of different IDs reordered; the write
 *               latency span widened to 64..128 cycles so that a later B is
 *               often due first
 *   interleave  as reorder, and R beats of different IDs interleaved
 *   bursty      on/off backpressure, mean stall run 2..8 cycles, on each of
 *               AR, R, AW, W, B independently (each channel 1 in 4 left
 *               cycle by cycle), stall rates 10..40%
 *   longstall   long on/off backpressure, mean stall run 20..100 cycles on
 *               one to three of the five channels, stall rate 10..30%
 *   mixed       every field drawn on its own
 * axi_mem_profile() applies profile `name` to *cfg, drawing from seed; the
 * other fields (latency bounds, stall rates) are kept unless the profile
 * says otherwise. 0, or -1 for an unknown name. */
unsigned axi_mem_profile_count(void);
const char *axi_mem_profile_name(unsigned i); /* NULL past the end */
int axi_mem_profile(axi_mem_cfg_t *cfg, const char *name, uint64_t seed);

/* data_bytes: bus width in bytes, a power of two 4..64. rng: the PRNG to draw
 * from (not owned, must outlive the model). Config starts all zero (no
 * latency, no stalls, unlimited reads). NULL on bad arguments. */
axi_mem_t *axi_mem_new(unsigned data_bytes, axi_rng_t *rng);
void axi_mem_free(axi_mem_t *mem);
void axi_mem_set_config(axi_mem_t *mem, const axi_mem_cfg_t *cfg);
/* Forgets all bus state (queued bursts, buffered W beats, responses being
 * offered or held back). Memory contents, mappings, injected errors, random
 * error rates, hold rules and statistics stay. */
void axi_mem_reset(axi_mem_t *mem);

void axi_mem_drive(axi_mem_t *mem, uint64_t cycle, axi_mem_rsp_t *rsp);
void axi_mem_update(axi_mem_t *mem, uint64_t cycle, const axi_mem_req_t *req);

/* Bus bursts accepted and not finished (AR awaiting RLAST, AW awaiting B). */
unsigned axi_mem_rd_pending(const axi_mem_t *mem);
unsigned axi_mem_wr_pending(const axi_mem_t *mem);
/* Those of them (either kind) whose bytes [AxADDR, last beat's end] touch
 * [lo, hi] (inclusive): what a buffer there may still see of the bus.
 * W beats waiting for their AW have no address yet and do not count. */
unsigned axi_mem_pending_in(const axi_mem_t *mem, uint64_t lo, uint64_t hi);

/* Host access, bypassing the bus. */
void axi_mem_write(axi_mem_t *mem, uint64_t addr, const void *src, size_t len);
void axi_mem_read(axi_mem_t *mem, uint64_t addr, void *dst, size_t len);
/* Backs [bus, bus+len) with `host`. bus and host 4 KiB aligned, len a
 * multiple of 4096. Previously written (unmapped) contents of those pages
 * are discarded. 0, or -1 (nothing changed) if a page is already mapped or
 * the alignment is wrong. */
int axi_mem_map(axi_mem_t *mem, uint64_t bus, void *host, size_t len);
/* Removes the mappings in [bus, bus+len); those pages then read as 0. */
void axi_mem_unmap(axi_mem_t *mem, uint64_t bus, size_t len);

/* Makes bus beats touching [lo, hi] (inclusive) answer `resp` on reads
 * (is_write 0) or writes (is_write 1). A write beat so answered is not
 * stored; the burst's B carries resp. Later calls take precedence over
 * earlier ones for overlapping ranges, so AXI_RESP_OKAY clears. -1 on bad
 * arguments (lo > hi, resp > 3). */
int axi_mem_inject_error(axi_mem_t *mem, uint64_t lo, uint64_t hi, int is_write, unsigned resp);

/* Random errors: from now on each read burst (is_write 0) or write burst (1)
 * accepted answers `resp` (AXI_RESP_SLVERR or AXI_RESP_DECERR) with
 * probability permille / 1000: a read on all its beats, a write in its B,
 * and such a write stores nothing. The draw (one per burst, at its AR / AW
 * handshake) comes from the model's PRNG, so the same seed gives the same
 * bursts; nothing is drawn while permille is 0, which turns it off (resp is
 * then ignored). A drawn error wins over axi_mem_inject_error ranges. -1 on
 * bad arguments (permille > 1000, resp not SLVERR/DECERR), nothing changed. */
int axi_mem_inject_random(axi_mem_t *mem, int is_write, unsigned permille, unsigned resp);

/* Held ("dropped") responses, e.g. for a watchdog: from now on read bursts
 * (is_write 0) / write bursts (1) touching [lo, hi] (inclusive; matched at
 * their AR / AW handshake against the bytes [AxADDR, last beat's end]) have
 * all their R beats / their B held back for `cycles` cycles counted from the
 * cycle they would first have been offered (so exactly `cycles` later when
 * nothing else is in the way). AXI_MEM_HOLD_FOREVER holds them until
 * axi_mem_release_responses. The latest rule matching a burst wins, so
 * cycles 0 clears a range. Order stays legal: a held burst keeps the
 * responses behind it waiting, in order mode all of them, with
 * cfg.reorder only those of its ID. -1 on bad arguments (lo > hi). */
#define AXI_MEM_HOLD_FOREVER UINT64_MAX
int axi_mem_hold_responses(axi_mem_t *mem, uint64_t lo, uint64_t hi, int is_write, uint64_t cycles);
/* Removes every hold rule and lets every held response go: each is offered
 * as soon as it is due by its latency and order. */
void axi_mem_release_responses(axi_mem_t *mem);

void axi_mem_stats(const axi_mem_t *mem, axi_mem_stats_t *out);
void axi_mem_stats_clear(axi_mem_t *mem);

/* ---- bus trace: handshakes in cycle order, for checks on order and timing ---- */

typedef enum axi_mem_ev_kind {
    AXI_EV_AR,    /* AR handshake */
    AXI_EV_AW,    /* AW handshake */
    AXI_EV_RLAST, /* R handshake of a burst's last beat */
    AXI_EV_B      /* B handshake */
} axi_mem_ev_kind_t;

typedef struct axi_mem_event {
    uint64_t cycle;
    uint64_t id;
    uint64_t addr;   /* AR, AW: AxADDR; RLAST, B: the burst's address */
    unsigned beats;  /* AxLEN + 1 */
    unsigned burst;  /* AxBURST */
    unsigned resp;   /* RLAST: RRESP of the last beat; B: BRESP; else 0 */
    axi_mem_ev_kind_t kind;
} axi_mem_event_t;

/* Starts a new trace that keeps the first `max` events from now on (later
 * ones are counted as dropped); max 0 stops tracing and frees the trace. */
void axi_mem_trace_start(axi_mem_t *mem, size_t max);
/* The events recorded since axi_mem_trace_start (n of them; *dropped if
 * non-NULL). Valid until the next trace call or axi_mem_free. */
const axi_mem_event_t *axi_mem_trace(const axi_mem_t *mem, size_t *n, uint64_t *dropped);


/* ---- write tracking, for the scoreboard: which 4 KiB pages were written ---- */

#define AXI_MEM_DIRTY_HOST 1u /* by axi_mem_write */
#define AXI_MEM_DIRTY_BUS 2u  /* by a W beat with a strobe set (not by an errored beat) */

/* on: starts tracking with an empty set (again if it was on); 0: stops and
 * forgets. Writes through axi_mem_map'ped host memory are not seen. */
void axi_mem_track_writes(axi_mem_t *mem, int on);
/* The pages (page number = address >> 12) written since tracking started,
 * ascending, and how[i] = AXI_MEM_DIRTY_* bits of each. Returns their number
 * (0 when tracking is off). Valid until the next call or axi_mem_free. */
size_t axi_mem_dirty_pages(const axi_mem_t *mem, const uint64_t **pn, const unsigned char **how);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_AXI_MEM_H */
