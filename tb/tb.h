/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tb.h: the C test bench around the Verilated ferry_top.
 *
 * One tb_t owns one Verilated model, the AXI4 memory slave on m_axi, the
 * AXI4-Lite master on s_axil and the clock. Everything is cycle based: each
 * tb_step() cycle first lets every bus model drive its outputs (decided from
 * its own state and the seeded PRNG only), settles the model, records the
 * handshakes, then clocks the model once.
 *
 * Every random choice (latency, backpressure) comes from cfg.seed, so the
 * same seed replays the same cycles. Protocol checkers (axi_check.h,
 * axil_check.h) watch both ports every cycle; see tb_error().
 *
 * Reset values: the model is verilated with --x-initial unique (Makefile
 * VFLAGS), and tb_new passes "+verilator+rand+reset+2 +verilator+seed+N"
 * with N drawn from cfg.seed, so every register without a reset starts
 * from a seed-dependent random value (FERRY_VL_ARGS can override).
 */
#ifndef FERRY_TB_H
#define FERRY_TB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_RESP_OKAY 0
#define TB_RESP_EXOKAY 1
#define TB_RESP_SLVERR 2
#define TB_RESP_DECERR 3
#define TB_TIMEOUT (-1) /* the register access got no response within its budget */

typedef struct tb tb_t;

typedef struct tb_config {
    uint64_t seed;
    const char *fst_path;   /* NULL: no waveform; else FST written here */
    /* memory model on m_axi */
    unsigned rd_lat_min;    /* cycles from AR handshake until its first R beat may be offered */
    unsigned rd_lat_max;
    unsigned wr_lat_min;    /* cycles from a burst's last W beat until its B may be offered */
    unsigned wr_lat_max;
    unsigned stall_ar;      /* percent (0..100) of cycles ARREADY is held low */
    unsigned stall_r;       /* percent of cycles RVALID is withheld although data is ready */
    unsigned stall_aw;      /* percent of cycles AWREADY is held low */
    unsigned stall_w;       /* percent of cycles WREADY is held low */
    unsigned stall_b;       /* percent of cycles BVALID is withheld */
    /* AXI4-Lite master on s_axil */
    unsigned stall_axil;    /* percent: random delays before AWVALID/WVALID/ARVALID and BREADY/RREADY */
    unsigned max_outstanding_rd; /* reads the memory accepts before ARREADY drops; 0 = unlimited */
    /* memory stress (axi_mem.h, axi_mem_cfg_t): latency distribution, responses
     * reordered / R interleaved across IDs, on/off backpressure runs per channel */
    const char *profile;    /* name of the stress profile (static string), NULL = none */
    unsigned lat_dist;      /* AXI_LAT_* */
    int reorder, interleave;
    unsigned run_ar, run_r, run_aw, run_w, run_b; /* 0 = stalls cycle by cycle; N = mean stall run */
    /* stream channels (tb/axis_model.h): percent of cycles a source withholds
     * TVALID before a beat / a sink holds TREADY low */
    unsigned axis_valid_gap, axis_ready_gap;
} tb_config_t;

/* Zero latency, no stalls, seed 1, no waveform. */
void tb_config_default(tb_config_t *cfg);
/* Latencies and stall rates drawn from seed (latency 0..64, stalls 0..40%), never
 * all-quiet, then a stress profile (axi_mem.h: uniform, bimodal, longtail,
 * reorder, interleave, bursty, longstall, mixed) picked from the seed; the
 * environment variable PROFILE=name forces one. */
void tb_config_random(tb_config_t *cfg, uint64_t seed);
/* The memory settings of cfg in one line, for failure reports: profile,
 * latencies and their distribution, stall rates and runs, ordering. */
void tb_config_describe(const tb_config_t *cfg, char *buf, size_t size);

/* Builds the model and holds rst_n low for 8 cycles. NULL on failure (message on stderr). */
tb_t *tb_new(const tb_config_t *cfg);
/* Finishes the model (final()), closes the FST, frees everything. */
void tb_free(tb_t *tb);

/* Build parameters of the Verilated model (compile-time). */
unsigned tb_data_bytes(const tb_t *tb);
unsigned tb_num_channels(const tb_t *tb);
/* The Verilated model under the bench, for a test that drives its pins itself
 * (test_regmap's boundary check). After that, do not step the bench again:
 * its bus models no longer match the pins. */
struct fm;
struct fm *tb_model(tb_t *tb);
uint64_t tb_seed(const tb_t *tb);

uint64_t tb_cycle(const tb_t *tb);
void tb_step(tb_t *tb, unsigned cycles);
/* rst_n low for `cycles` cycles, also in the middle of traffic: the bus
 * models and the checkers forget what was in flight (memory contents stay),
 * and the checkers see the VALIDs low from the second reset cycle on. */
void tb_reset(tb_t *tb, unsigned cycles);

/* BAR0 access through the AXI4-Lite master. Blocking: the clock runs (and the
 * DMA with it) until the response; budget 10000 cycles. Returns the AXI
 * response (TB_RESP_*) or TB_TIMEOUT. strb is the 4-bit WSTRB. */
int tb_bar_write(tb_t *tb, uint32_t off, uint32_t val, unsigned strb);
int tb_bar_read(tb_t *tb, uint32_t off, uint32_t *val);

/* irq[NUM_CHANNELS-1:0] as sampled now. */
uint32_t tb_irq(const tb_t *tb);
/* Steps until (irq & mask) != 0 or max_cycles passed. 1 if it fired, 0 at budget. */
int tb_wait_irq(tb_t *tb, uint32_t mask, uint64_t max_cycles);

/* Memory model: sparse 64-bit byte-addressed space in 4 KiB pages. Unwritten,
 * unmapped bytes read as 0. */
void tb_mem_write(tb_t *tb, uint64_t addr, const void *src, size_t len);
void tb_mem_read(tb_t *tb, uint64_t addr, void *dst, size_t len);
/* Backs the bus pages [bus, bus+len) with caller memory `host` so that CPU
 * stores are seen by the DMA and DMA writes by the CPU. bus and host must be
 * 4 KiB aligned, len a multiple of 4096. Returns 0, or -1 if a page is mapped. */
int tb_mem_map(tb_t *tb, uint64_t bus, void *host, size_t len);
void tb_mem_unmap(tb_t *tb, uint64_t bus, size_t len);

/* Change latency / stall settings between transfers (same meaning as tb_config_t). */
void tb_set_config(tb_t *tb, const tb_config_t *cfg);

/* Bus statistics since tb_new() or tb_stats_clear(). */
#define TB_STATS_IDS 32
typedef struct tb_stats {
    uint64_t ar_count, aw_count;       /* address handshakes */
    uint64_t r_beats, w_beats, b_count;
    uint64_t r_bytes, w_bytes;         /* bytes with WSTRB set / bytes asked for */
    uint64_t first_ar_cycle;           /* cycle of the first AR handshake (UINT64_MAX if none) */
    uint64_t first_aw_cycle;
    uint64_t last_b_cycle;             /* cycle of the last B handshake */
    uint64_t last_w_cycle;
    uint64_t max_rd_outstanding;       /* most AR bursts awaiting RLAST at once */
    uint64_t ar_fixed, aw_fixed;       /* FIXED bursts among ar_count / aw_count */
    /* Per AXI ID (channel c uses ID c, the control port ID NUM_CHANNELS):
     * AR and AW handshakes and R beats; IDs >= TB_STATS_IDS are not counted here. */
    uint64_t ar_count_id[TB_STATS_IDS];
    uint64_t aw_count_id[TB_STATS_IDS];
    uint64_t r_beats_id[TB_STATS_IDS];
    /* stress the memory applied (axi_mem_stats_t): R bursts begun before an
     * older one, R beats given while another burst was part way, B given
     * before an older one */
    uint64_t r_reordered, r_interleaved, b_reordered;
    /* injection: read bursts finished with an error beat / B answered with an
     * error (range or random); bursts a hold rule held back */
    uint64_t rd_err_injected, wr_err_injected, rd_held, wr_held;
} tb_stats_t;
void tb_stats(const tb_t *tb, tb_stats_t *out);
void tb_stats_clear(tb_t *tb);

/* The memory model on m_axi (tb/axi_mem.h), for what the calls above do not
 * cover (e.g. its bus trace). Owned by tb. */
struct axi_mem *tb_axi_mem(tb_t *tb);

/* Protocol violations the checkers saw on m_axi (axi_check.h: valid dropped
 * or payload changed while waiting, burst type, size and length, 4 KiB
 * crossing, WLAST, W ahead of its AW, strobes, MAX_OUTSTANDING, responses
 * without a request, VALIDs during reset) and on s_axil (axil_check.h).
 * NULL when none; else the first one, in words, with its cycle number. */
const char *tb_error(const tb_t *tb);
unsigned tb_error_count(const tb_t *tb);

/* Error injection (addition to the original contract): bus beats touching
 * [lo, hi] (inclusive) answer `resp` (TB_RESP_*) on reads (is_write 0) or
 * writes (is_write 1); such write beats are not stored and the burst's B
 * carries resp. The latest call wins where ranges overlap, so TB_RESP_OKAY
 * clears. 0, or -1 on bad arguments (lo > hi, resp > 3). */
int tb_mem_inject_error(tb_t *tb, uint64_t lo, uint64_t hi, int is_write, int resp);
/* Random errors: each read (is_write 0) / write (1) burst answers resp
 * (TB_RESP_SLVERR or TB_RESP_DECERR) with probability permille / 1000,
 * drawn from the bench's seeded PRNG; such a write stores nothing; permille
 * 0 turns it off. Held responses: bursts touching [lo, hi] get their R beats
 * / B `cycles` later than they would otherwise come (TB_HOLD_FOREVER: until
 * tb_mem_release_responses, which lets every held response go and removes
 * all hold rules). See axi_mem_inject_random / axi_mem_hold_responses.
 * 0, or -1 on bad arguments. */
#define TB_HOLD_FOREVER UINT64_MAX
int tb_mem_inject_random(tb_t *tb, int is_write, unsigned permille, int resp);
int tb_mem_hold_responses(tb_t *tb, uint64_t lo, uint64_t hi, int is_write, uint64_t cycles);
void tb_mem_release_responses(tb_t *tb);

/* PCIe link model between m_axi and the memory (tb/pcie_link.h); cfg NULL
 * takes it out. Call while the bus is idle. 0, or -1 on a bad cfg (message
 * on stderr; the previous setting stays). */
struct pcie_link_cfg;
struct pcie_link;
int tb_set_pcie(tb_t *tb, const struct pcie_link_cfg *cfg);
struct pcie_link *tb_pcie(tb_t *tb); /* NULL when off */

/* Stream channel models (tb/axis_model.h) on m_axis / s_axis, NULL when the
 * build has no stream channels (FERRY_H2C_MASK | FERRY_C2H_MASK == 0) or the
 * RTL has no stream ports. Owned by tb; their rule violations count in
 * tb_error / tb_error_count. */
struct axis_model;
struct axis_model *tb_axis(tb_t *tb);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_TB_H */
