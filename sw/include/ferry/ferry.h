/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry.h: the ferry DMA engine driver core (direct mode and ring mode).
 *
 * Usage (see docs/registers.md, "Direct-mode register sequence"):
 *
 *     struct ferry_dev dev;
 *     struct ferry_result res;
 *     if (ferry_probe(&dev, plat) != FERRY_OK) { ... }
 *     if (ferry_irq_enable(&dev, 0, true) != FERRY_OK) { ... }  (optional)
 *     if (ferry_copy(&dev, 0, src_bus, dst_bus, len, 1000000, &res) != FERRY_OK) { ... }
 *
 * Every call that can fail returns a ferry_status and is marked
 * FERRY_MUST_CHECK. FERRY_E_INVAL always means "bad argument: no hardware
 * touched" (no register read or written). The device is reached only through
 * the struct ferry_platform given to ferry_probe() (ferry_platform.h).
 *
 * Ring mode (docs/descriptors.md): ferry_ring_init() allocates and enables a
 * channel's descriptor and completion rings; ferry_ring_submit*() queue
 * descriptors and ring the doorbell; ferry_ring_reap() / ferry_ring_wait()
 * collect completion records; ferry_ring_fini() stops and frees.
 *
 * Errors and recovery (docs/errors.md): a failed direct transfer reports
 * ERR_CODE, the fault address and the bytes done in struct ferry_result; an
 * error in ring mode HALTS the ring at its descriptor (ferry_ring_reap()
 * returns FERRY_E_HALTED), and ferry_ring_resume() / ferry_ring_skip() /
 * ferry_ch_reset() get it going again. ferry_abort() stops a channel,
 * ferry_set_watchdog() bounds a stall, ferry_set_window() and
 * ferry_windows_enable() confine the channel's bus accesses.
 *
 * Not thread safe: one thread per struct ferry_dev (or lock around calls).
 */
#ifndef FERRY_H
#define FERRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferry/ferry_desc.h"
#include "ferry/ferry_platform.h"
#include "ferry/ferry_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define FERRY_MUST_CHECK __attribute__((warn_unused_result))
#else
#define FERRY_MUST_CHECK
#endif

/* The one status type of the driver. 0 is success, failures are negative. */
typedef enum ferry_status {
    FERRY_OK = 0,
    FERRY_E_INVAL = -1,       /* bad argument; no hardware touched */
    FERRY_E_NODEV = -2,       /* ID register is not FERRY_MAGIC: not a ferry device */
    FERRY_E_VERSION = -3,     /* IF_VERSION major is not FERRY_IF_VERSION_MAJOR */
    FERRY_E_UNSUPPORTED = -4, /* the build lacks the feature (e.g. CAP1.DIRECT = 0) */
    FERRY_E_BUSY = -5,        /* channel STATUS.BUSY: nothing was written */
    FERRY_E_AGAIN = -6,       /* transfer still running; poll again */
    FERRY_E_TIMEOUT = -7,     /* wait budget spent; the transfer may still be running */
    FERRY_E_DEVICE = -8,      /* device reported STATUS.ERROR; result err_code says why */
    FERRY_E_IDLE = -9,        /* channel idle with neither DONE nor ERROR: nothing to report */
    FERRY_E_NOMEM = -10,      /* DMA memory allocation failed */
    FERRY_E_NOTPROBED = -11,  /* ferry_probe() has not succeeded on this dev; no hardware touched */
    FERRY_E_IO = -12,         /* STATUS read all ones: the device stopped answering (link down, reset, removed) */
    FERRY_E_HALTED = -13,     /* the ring halted at a descriptor after an error: see ferry_ring_reap() */
    FERRY_E_NOT_HALTED = -14, /* resume/skip on a ring that is not halted; nothing written */
    FERRY_E_LOCKED = -15,     /* the channel's windows are locked (WIN_CTRL.LOCK); nothing written */
    FERRY_E_KIND = -16,       /* the call does not fit the channel's kind (TX needs host-to-card,
                               * RX card-to-host, see ferry_ch_kind()); no hardware touched */
    FERRY_E_ALIGN = -17,      /* a receive buffer's address or length is not a multiple of
                               * CAP0.DATA_BYTES; no hardware touched */
    FERRY_E_TRUNCATED = -18,  /* ferry_rx_packet(): the device cut the packet at MAX_PKT (TRUNCATED) */
    FERRY_E_OVERFLOW = -19    /* ferry_rx_packet(): the packet is longer than the caller's buffer */
} ferry_status;

/* Lowest ferry_status value (for tables and tests). */
#define FERRY_STATUS_MIN FERRY_E_OVERFLOW

/* Printable name of a status ("FERRY_OK", "FERRY_E_INVAL", ...); never NULL. */
const char *ferry_status_str(ferry_status st);
/* Name of a device error code (STATUS.ERR_CODE): "NONE", "LEN_ZERO", ...
 * (every code 0..FERRY_ERR_COUNT-1 of the generated table);
 * "UNKNOWN" for any other code. Never NULL. */
const char *ferry_err_str(uint32_t err_code);
/* One-sentence description of an error code from the generated table;
 * "Error code not known to this driver." for any other code. Never NULL. */
const char *ferry_err_desc(uint32_t err_code);

/* What ferry_probe() read from ID, IF_VERSION, CAP0 and CAP1. */
struct ferry_caps {
    uint32_t id;               /* FERRY_MAGIC */
    uint32_t if_version;       /* raw IF_VERSION */
    unsigned version_major;
    unsigned version_minor;
    uint32_t cap0, cap1;       /* raw */
    unsigned channels;         /* CAP0.CHANNELS (1..16) */
    unsigned data_bytes;       /* CAP0.DATA_BYTES: m_axi width in bytes */
    unsigned addr_width;       /* CAP0.ADDR_WIDTH: m_axi address bits (32..64) */
    unsigned max_burst;        /* CAP1.MAX_BURST: beats */
    unsigned max_outstanding;  /* CAP1.MAX_OUTSTANDING: read bursts in flight */
    bool direct;               /* CAP1.DIRECT */
    bool ring;                 /* CAP1.RING: ring mode, coalescing, counters */
    unsigned windows;          /* CAP1.WINDOWS: address windows per channel (0..4) */
    uint32_t cap2;             /* raw CAP2 (interface 2.1 and later; 0 before) */
    uint16_t h2c_mask;         /* CAP2.H2C: bit c = channel c is host-to-card (memory -> m_axis) */
    uint16_t c2h_mask;         /* CAP2.C2H: bit c = channel c is card-to-host (s_axis -> memory) */
};

/* Outcome of one direct transfer. */
struct ferry_result {
    ferry_status status;  /* FERRY_OK or FERRY_E_DEVICE (same as the call returned) */
    uint32_t err_code;    /* STATUS.ERR_CODE (FERRY_ERR_*); FERRY_ERR_NONE on success */
    uint64_t bytes;       /* bytes written: LEN on success; on error ERR_BYTES, the bytes
                           * written and acknowledged from the start before the fault */
    uint64_t residue;     /* LEN - bytes: what was not (known to be) written; 0 on success */
    uint64_t fault_addr;  /* on error ERR_ADDR_HI:LO (the failing burst, or the start of the
                           * access outside the windows; see docs/errors.md); 0 on success */
    uint32_t status_reg;  /* raw STATUS as read when the transfer was found finished */
    bool db_overrun;      /* STATUS.DB_OVERRUN was set: a doorbell rang while busy and was ignored */
};

/* Register access trace: called after every register read and before every
 * register write the core makes (including ferry_read32/ferry_write32). */
enum ferry_trace_dir { FERRY_TRACE_READ = 0, FERRY_TRACE_WRITE = 1 };
typedef void (*ferry_trace_fn)(void *user, uint32_t off, uint32_t val, enum ferry_trace_dir dir);

/* Device handle. Allocate it anywhere (stack, static, Lua userdata); ferry_probe()
 * initializes every field. Read caps through ferry_caps(); the rest is private. */
struct ferry_dev {
    struct ferry_platform plat;          /* copy of the platform given to probe */
    struct ferry_caps caps;
    bool probed;
    uint32_t irq_mask;                   /* channels with IRQ_ENABLE set by ferry_irq_enable */
    uint64_t len[FERRY_MAX_CHANNELS];    /* LEN of the last transfer started per channel */
    ferry_trace_fn trace;
    void *trace_user;
    unsigned poll_interval_us;           /* delay between STATUS polls; default 1 */
};

/* Reads ID, IF_VERSION, CAP0, CAP1 and, from interface 2.1 on, CAP2 (reads
 * only, no writes) and initializes
 * *dev (all fields, the trace hook included: set it after probe). The
 * platform struct is copied; its ctx must outlive dev.
 * FERRY_E_INVAL: dev or plat NULL, or plat lacks reg_read/reg_write.
 * FERRY_E_NODEV: ID != FERRY_MAGIC. FERRY_E_VERSION: major mismatch.
 * On failure caps hold what was read but dev is not usable. */
FERRY_MUST_CHECK ferry_status ferry_probe(struct ferry_dev *dev, const struct ferry_platform *plat);
/* Capabilities read by probe (NULL if dev is NULL). */
const struct ferry_caps *ferry_caps(const struct ferry_dev *dev);

/* Sets the register trace hook (NULL to remove). */
void ferry_set_trace(struct ferry_dev *dev, ferry_trace_fn fn, void *user);
/* Delay between STATUS polls in ferry_copy_wait without interrupts (0 = busy poll). */
void ferry_set_poll_interval(struct ferry_dev *dev, unsigned us);

/* Raw BAR0 access through the platform (and the trace hook), no checks;
 * meant for tests, tools and bindings. Needs a dev that went through
 * ferry_probe() (even a failed one); otherwise reads return
 * FERRY_UNDEFINED_READ and writes do nothing. */
uint32_t ferry_read32(struct ferry_dev *dev, uint32_t off);
void ferry_write32(struct ferry_dev *dev, uint32_t off, uint32_t val);

/* Enables (DONE and ERROR) or disables the channel's interrupt. While enabled,
 * ferry_copy_wait() sleeps in platform wait_irq instead of polling. Reads
 * IRQ_ENABLE and writes it back with only DONE and ERROR changed, so a
 * ring's CPL enable (ferry_ring_init()) stays. FERRY_E_INVAL: ch >= caps
 * channels. FERRY_E_IO: IRQ_ENABLE read all ones (nothing written). */
FERRY_MUST_CHECK ferry_status ferry_irq_enable(struct ferry_dev *dev, unsigned ch, bool enable);

/* Starts a direct copy of len bytes from bus address src to dst on channel ch
 * and returns at once. Checks first, touching no hardware on failure
 * (FERRY_E_INVAL): ch < caps channels, 1 <= len <= 0xFFFFFFFF, src + len and
 * dst + len <= 2^ADDR_WIDTH; FERRY_E_KIND on a card-to-host stream channel
 * (a host-to-card one sends the bytes as one packet with DST[15:0] as
 * TID:TUSER, docs/streams.md). Then reads STATUS: FERRY_E_BUSY if BUSY,
 * RING_ACTIVE or HALTED (the channel runs a transfer or has a ring, even a
 * halted or idle one, until ferry_ring_fini(); its ERROR, ERR_CODE and
 * ERR_ADDR are kept), FERRY_E_IO if it reads all ones (the device does not
 * answer); nothing is written in either case. Otherwise clears stale DONE/ERROR/DB_OVERRUN, writes SRC, DST,
 * LEN and CTRL.START. The source must be visible to the device before. */
FERRY_MUST_CHECK ferry_status ferry_copy_start(struct ferry_dev *dev, unsigned ch, uint64_t src,
                                               uint64_t dst, uint64_t len);

/* Reads STATUS once. BUSY: FERRY_E_AGAIN. ERROR: reads ERR_BYTES and
 * ERR_ADDR, clears ERROR (w1c, the irq line drops), fills *res (bytes,
 * residue, fault_addr), FERRY_E_DEVICE. DONE: clears it, fills *res, FERRY_OK.
 * Neither: FERRY_E_IDLE. All ones (no answer from the device): FERRY_E_IO.
 * res may be NULL. */
FERRY_MUST_CHECK ferry_status ferry_copy_poll(struct ferry_dev *dev, unsigned ch, struct ferry_result *res);

/* Waits at most timeout_us for the channel's transfer to finish, in
 * platform wait_irq if the channel's interrupt is enabled (and the port has
 * wait_irq), else by polling STATUS. Returns as ferry_copy_poll, or
 * FERRY_E_TIMEOUT when the budget is spent (the transfer may still run). */
FERRY_MUST_CHECK ferry_status ferry_copy_wait(struct ferry_dev *dev, unsigned ch, uint64_t timeout_us,
                                              struct ferry_result *res);

/* ferry_copy_start + ferry_copy_wait. */
FERRY_MUST_CHECK ferry_status ferry_copy(struct ferry_dev *dev, unsigned ch, uint64_t src, uint64_t dst,
                                         uint64_t len, uint64_t timeout_us, struct ferry_result *res);

/* DMA memory through the platform. FERRY_E_INVAL: size 0 or align not a
 * power of two; FERRY_E_NOMEM: the port could not allocate. */
FERRY_MUST_CHECK ferry_status ferry_dma_alloc(struct ferry_dev *dev, size_t size, size_t align,
                                              struct ferry_dma_mem *mem);
void ferry_dma_free(struct ferry_dev *dev, struct ferry_dma_mem *mem);

/* ---- ring mode (docs/descriptors.md) ---- */

/* One channel's rings. Filled by ferry_ring_init(); read-only for callers. */
struct ferry_ring {
    struct ferry_dev *dev;        /* NULL: not initialized */
    unsigned ch;
    unsigned log2_entries;        /* 1..15 */
    uint32_t entries;             /* 2^log2_entries */
    struct ferry_dma_mem desc;    /* entries x FERRY_DESC_SIZE bytes */
    struct ferry_dma_mem cpl;     /* entries x FERRY_CPL_SIZE bytes */
    uint32_t prod;                /* next descriptor slot software writes (= RING_PROD) */
    uint32_t read;                /* next completion record to reap */
    bool phase;                   /* phase expected at read: 1 on the first pass */
    uint32_t outstanding;         /* submitted, record not yet reaped (<= entries - 1) */
    bool irq;                     /* IRQ_ENABLE.CPL set: ferry_ring_wait sleeps in wait_irq */
    bool cons_bound;              /* bus narrower than a record: reap also bounds by RING_CONS */
    bool skip_valid;              /* ferry_ring_skip() recorded skip_index / skip_addr */
    uint32_t skip_index;          /* the last descriptor skipped ... */
    uint64_t skip_addr;           /* ... and its full 64-bit fault address (ERR_ADDR) */
    /* ferry_rx_packet(): the packet being gathered across calls */
    size_t rx_len;                /* its bytes received so far */
    size_t rx_copied;             /* of those, copied to the caller's buffer */
    unsigned rx_bufs;             /* buffers so far */
};

/* What ferry_ring_halted() reports about a halted ring. */
struct ferry_halt {
    bool halted;         /* STATUS.HALTED: stopped at descriptor index, waiting for software */
    bool stopping;       /* STATUS.STOPPING: an error was seen, the channel is still draining
                          * (HALTED follows; a bus that never answers keeps it here) */
    uint32_t err_code;   /* STATUS.ERR_CODE, or the halted record's code if ERROR was cleared */
    uint16_t index;      /* RING_CONS: the descriptor the ring stopped at (= ERR_DESC unless a
                          * later configuration error overwrote that) */
    uint64_t fault_addr; /* ERR_ADDR_HI:LO */
    uint32_t bytes;      /* ERR_BYTES: bytes of that descriptor written before the fault
                          * (CPL_WRITE: its LEN x ROWS, the data had landed) */
    uint64_t residue;    /* its LEN x ROWS (from the descriptor ring) minus bytes */
    bool record;         /* its completion record was written (false e.g. for CPL_WRITE) */
};

/* One scatter-gather element for ferry_ring_submit_sg(). */
struct ferry_sg {
    uint64_t src;
    uint64_t dst;
    uint64_t len; /* >= 1; split into descriptors of at most FERRY_SG_SPLIT bytes */
};

/* Longest descriptor ferry_ring_submit_sg() makes: FERRY_DESC_LEN_MAX rounded
 * down to whole 64-byte beats, so a fixed side keeps its byte lanes. */
#define FERRY_SG_SPLIT (FERRY_DESC_LEN_MAX & ~0x3FU)

/* Channel counters (docs/registers.md); 64-bit ones read HI, LO, HI. */
struct ferry_counters {
    uint64_t bytes_rd;
    uint64_t bytes_wr;
    uint32_t desc_done;
    uint32_t errors;
    uint64_t busy_cycles;
    uint64_t wait_cycles;
    uint64_t stall_cycles;
    /* stream channels only (0 on memory channels, whose registers are not read): */
    uint64_t starve_cycles; /* STARVE: card-to-host cycles back-pressured for want of a buffer */
    uint32_t packets;       /* PACKETS: H2C beats sent with TLAST / C2H records with EOP (wraps) */
};

/* Allocates a descriptor ring and a completion ring of 2^log2_entries
 * entries through the platform's dma_alloc (zeroed), programs RING_BASE and
 * CPL_BASE, sets IRQ_ENABLE to CPL alone if the platform has wait_irq (else
 * 0), clears stale STATUS bits and writes RING_CTRL = ENABLE | LOG2_SIZE.
 * FERRY_E_INVAL: NULL, ch out of range or log2_entries outside 1..15 (no
 * hardware touched). FERRY_E_UNSUPPORTED: CAP1.RING = 0. FERRY_E_NOMEM.
 * FERRY_E_BUSY: STATUS.BUSY or RING_ACTIVE (nothing written).
 * FERRY_E_DEVICE: the device refused the enable (STATUS.ERR_CODE
 * RING_CONFIG, cleared) or did not set RING_ACTIVE; the memory is freed.
 * FERRY_E_IO: STATUS read all ones before (nothing written) or after the
 * enable (RING_CTRL written 0 again, the memory freed).
 * On any failure *ring is left not initialized. */
FERRY_MUST_CHECK ferry_status ferry_ring_init(struct ferry_dev *dev, unsigned ch, unsigned log2_entries,
                                              struct ferry_ring *ring);

/* Writes RING_CTRL = 0 and waits at most timeout_us for STATUS.RING_ACTIVE
 * to drop (descriptors already fetched complete first), then restores the
 * direct-mode IRQ_ENABLE, clears STATUS.CPL and frees both rings.
 * FERRY_E_TIMEOUT: still active; nothing freed (the device may still write
 * the rings): call again. FERRY_E_IO: STATUS read all ones (the device does
 * not answer); nothing freed either. FERRY_E_INVAL: ring not initialized. */
FERRY_MUST_CHECK ferry_status ferry_ring_fini(struct ferry_ring *ring, uint64_t timeout_us);

/* Free descriptor slots: entries - 1 - outstanding (0 if not initialized). */
unsigned ferry_ring_space(const struct ferry_ring *ring);

/* Writes n descriptors as given (ferry_desc_encode: bad ones too, the device
 * judges them and halts the ring at the first bad one, see ferry_ring_reap())
 * at slots prod..prod+n-1, then RING_PROD after a release fence.
 * FERRY_E_INVAL: ring not initialized, descs NULL with n > 0, a len above
 * FERRY_DESC_LEN_MAX (the descriptor cannot hold it), or n larger than the
 * ring can ever hold (entries - 1); FERRY_E_BUSY: fewer than n
 * free slots (ferry_ring_space). Nothing is written on failure. n = 0 is OK
 * and writes nothing. */
FERRY_MUST_CHECK ferry_status ferry_ring_submit(struct ferry_ring *ring, const struct ferry_desc *descs,
                                                unsigned n);

/* Submits a scatter-gather list: element i becomes ceil(len / FERRY_SG_SPLIT)
 * descriptors with USER_TAG = i (mod 2^16). flags may hold FERRY_DESC_IRQ,
 * _EOP, _SRC_FIXED, _DST_FIXED (and _FENCE where ferry_desc.h has it); IRQ
 * and EOP go on the list's last descriptor only, FENCE on its first, the
 * fixed flags on all (a fixed side keeps its address, the other advances).
 * *ndesc (may be NULL) gets the descriptors used.
 * FERRY_E_INVAL: bad ring or list, n = 0, a length of 0, TWO_D or reserved
 * flags, more descriptors than the ring can ever hold (entries - 1; found
 * before any of them is made, so a huge len fails at once), or a descriptor
 * ferry_ref_check() would reject (range, fixed alignment); FERRY_E_BUSY: not
 * enough free slots. Nothing is written on failure. */
FERRY_MUST_CHECK ferry_status ferry_ring_submit_sg(struct ferry_ring *ring, const struct ferry_sg *list,
                                                   unsigned n, uint8_t flags, unsigned *ndesc);

/* Submits one 2D descriptor: rows rows of len bytes, row r at src + r x
 * src_stride and dst + r x dst_stride. flags as for submit_sg (TWO_D is
 * added). FERRY_E_INVAL if ferry_ref_check() rejects it (or bad ring /
 * flags); FERRY_E_BUSY if the ring is full. */
FERRY_MUST_CHECK ferry_status ferry_ring_submit_2d(struct ferry_ring *ring, uint64_t src, uint64_t dst,
                                                   uint32_t len, uint16_t rows, uint32_t src_stride,
                                                   uint32_t dst_stride, uint8_t flags, uint16_t tag);

/* Copies up to max new completion records to out, in ring order: those whose
 * phase matches the expected one (on a bus narrower than 16 bytes also only
 * those before RING_CONS, read once, since a record then lands in several
 * beats). Advances the read index, flipping the expected phase at the wrap.
 * Each gets residue (LEN x ROWS from the descriptor ring, minus bytes).
 * *n gets the count (0 is FERRY_OK too). Touches no register on wide buses
 * while every record is fine.
 *
 * Halts (interface 2.0: every descriptor error halts the ring at it, see
 * docs/errors.md): on meeting a record with an error, reap reads STATUS and
 * RING_CONS. If the ring is halted at that descriptor, the record is copied
 * as the LAST entry of out with halted = true and fault_addr = the full
 * ERR_ADDR, *n counts it, and reap returns FERRY_E_HALTED. That entry is a
 * notice, not a completion: it is NOT consumed, and every reap returns it
 * again (FERRY_E_HALTED) until software calls ferry_ring_resume() (the
 * descriptor runs again; its new record comes as a normal completion),
 * ferry_ring_skip() (the error record is then reaped once more as a normal
 * completion, halted = false, status = the error) or tears the ring down
 * (ferry_ring_fini(), ferry_ch_reset()). While the channel is still
 * draining (STATUS.STOPPING) reap stops before the record and returns
 * FERRY_OK. A ring halted without a record (CPL_WRITE: the record write
 * failed) shows no entry here; ferry_ring_wait() notices the halt from
 * STATUS, and ferry_ring_halted() tells in every case.
 * An error record of a descriptor skipped by hand, or of a ring disabled
 * while halted, is a normal completion with its error.
 * FERRY_E_INVAL: ring not initialized, out or n NULL. FERRY_E_IO: STATUS
 * read all ones while looking at an error record (*n records are valid). */
FERRY_MUST_CHECK ferry_status ferry_ring_reap(struct ferry_ring *ring, struct ferry_cpl *out, unsigned max,
                                              unsigned *n);

/* Reaps until n records are in out (room for n) or timeout_us passed. With
 * ring->irq it acknowledges STATUS.CPL (w1c) and, while one of the awaited
 * descriptors carries FERRY_DESC_IRQ, sleeps in wait_irq (slices of at most
 * 1 ms, since coalescing may hold the interrupt back); otherwise it polls
 * the records every poll interval (ferry_set_poll_interval).
 * FERRY_OK: n records; FERRY_E_TIMEOUT: fewer (*got says how many, they
 * are in out). FERRY_E_IO instead of FERRY_E_TIMEOUT (and at once when
 * busy-polling) if STATUS reads all ones: the device stopped answering.
 * FERRY_E_HALTED: the ring halted (see ferry_ring_reap(): if its record
 * was written, out[*got - 1] is the halted = true notice). Besides the
 * records it reads STATUS at least every millisecond of waiting, and at the
 * timeout, so a halt without a record is reported too.
 * got may be NULL. FERRY_E_INVAL: bad ring / out with n > 0,
 * or n > entries - 1. */
FERRY_MUST_CHECK ferry_status ferry_ring_wait(struct ferry_ring *ring, unsigned n, uint64_t timeout_us,
                                              struct ferry_cpl *out, unsigned *got);

/* State of a halted ring: reads STATUS, RING_CONS, ERR_ADDR_LO/HI,
 * ERR_BYTES (and the descriptor and record at RING_CONS in memory). Fills
 * *info whatever the state (info->halted false: not halted, the rest as
 * the registers read). FERRY_E_INVAL: ring not initialized or info NULL;
 * FERRY_E_IO: STATUS read all ones. */
FERRY_MUST_CHECK ferry_status ferry_ring_halted(struct ferry_ring *ring, struct ferry_halt *info);

/* Runs the halted descriptor again (CTRL.RESUME), e.g. after software fixed
 * it in the descriptor ring or made its memory reachable. Before the write
 * the driver overwrites the stale error record in the completion ring (with
 * the phase not expected there), so reaping waits for the new record, and
 * clears STATUS.ERROR. Descriptors after the halted one may already have
 * run partly: they run again in full (docs/errors.md: beware FIFO / fixed
 * addresses). FERRY_E_NOT_HALTED: the ring is not halted (nothing written);
 * FERRY_E_AGAIN: still STOPPING (draining), call again; FERRY_E_DEVICE: the
 * device answered ERROR NOT_HALTED; FERRY_E_INVAL: ring not initialized;
 * FERRY_E_IO: STATUS read all ones. */
FERRY_MUST_CHECK ferry_status ferry_ring_resume(struct ferry_ring *ring);

/* Gives up the halted descriptor (CTRL.SKIP): RING_CONS moves past it and the
 * ring goes on with the next one. Its error record stays and is reaped as a
 * normal completion (halted = false, status = the error, fault_addr all 64
 * bits). If the device could not write that record (CPL_WRITE), the driver
 * writes one in its slot from STATUS.ERR_CODE, ERR_ADDR and the bytes
 * (LEN x ROWS: the data had landed), so
 * every submitted descriptor still gets exactly one completion. Clears
 * STATUS.ERROR. Returns as ferry_ring_resume(). */
FERRY_MUST_CHECK ferry_status ferry_ring_skip(struct ferry_ring *ring);

/* Interrupt coalescing: STATUS.CPL after count eligible completions (0..65535,
 * 0 acts as 1) or timer_cycles after the first one (0 = off).
 * FERRY_E_INVAL: ring not initialized or count > 65535. */
FERRY_MUST_CHECK ferry_status ferry_ring_set_coalesce(struct ferry_ring *ring, unsigned count,
                                                      uint32_t timer_cycles);

/* Arbiter weight of a channel, 1..255: when channels compete for the bus each
 * gets weight / (sum of the competing weights) of the bursts. */
FERRY_MUST_CHECK ferry_status ferry_set_weight(struct ferry_dev *dev, unsigned ch, unsigned weight);
/* A channel's limit on bursts in flight per direction, 1..CAP1.MAX_OUTSTANDING. */
FERRY_MUST_CHECK ferry_status ferry_set_max_out(struct ferry_dev *dev, unsigned ch, unsigned max_out);

/* ---- stopping and recovery, watchdog, address windows (docs/errors.md) ---- */

/* Stops channel ch (CTRL.ABORT) at a burst boundary and waits at most
 * timeout_us for BUSY = 0 (the channel drains what is outstanding). A
 * direct transfer then reports ERROR ABORTED through ferry_copy_poll() (bytes
 * done, residue); a ring halts at its oldest unfinished descriptor with
 * ABORTED (ferry_ring_reap() returns FERRY_E_HALTED). An idle channel
 * ignores it: FERRY_OK at once. FERRY_E_TIMEOUT: still busy (a bus response
 * that never comes keeps it STOPPING: only a bus reset ends that);
 * FERRY_E_INVAL: bad ch; FERRY_E_IO: STATUS read all ones. */
FERRY_MUST_CHECK ferry_status ferry_abort(struct ferry_dev *dev, unsigned ch, uint64_t timeout_us);

/* Stops every channel of ch_mask that runs or has a ring, so that none of
 * them makes another bus access: RING_CTRL = 0 on each whose STATUS reads
 * RING_ACTIVE (no further descriptor is taken), then CTRL.ABORT on each that
 * reads BUSY (as ferry_abort(): a direct transfer then reports ERROR
 * ABORTED, a ring stops at its oldest unfinished descriptor), and waits at
 * most timeout_us in all (one budget, not one per channel) until each reads
 * BUSY = 0 and RING_ACTIVE = 0. A channel idle without a ring is only read.
 * Meant for before the DMA memory the channels may reach is released (a
 * port's close, an exit path). A ring stopped so still needs
 * ferry_ring_fini() (it then returns at once) to free its memory; ERROR
 * ABORTED stays in STATUS. *stuck (may be NULL) gets the channels that did
 * not stop: 0 on FERRY_OK. FERRY_E_TIMEOUT: some still BUSY or RING_ACTIVE
 * (a bus response that never comes keeps a channel STOPPING: only a bus
 * reset ends that, docs/errors.md); FERRY_E_IO: a STATUS read all ones (the
 * device does not answer: nothing is known about that channel, it counts as
 * stuck); FERRY_E_INVAL: dev NULL or ch_mask names a channel beyond
 * CAP0.CHANNELS (nothing touched); FERRY_E_NOTPROBED. */
FERRY_MUST_CHECK ferry_status ferry_stop_channels(struct ferry_dev *dev, uint32_t ch_mask, uint64_t timeout_us,
                                                  uint32_t *stuck);

/* Per-channel reset (CTRL.RESET): stops and drains like ABORT, then every
 * register of the channel (addresses, IRQ_*, ring state, counters, ERR_*,
 * WDOG, WEIGHT, MAX_OUT; windows too unless WIN_CTRL.LOCK) returns to its
 * reset value; waits at most timeout_us for BUSY = 0. The driver forgets the
 * channel's interrupt enable (ferry_irq_enable() again if wanted). A ring on
 * the channel is dead afterwards (RING_CTRL = 0): call ferry_ring_fini() on
 * it (it returns at once and frees the memory), then ferry_ring_init() for a
 * new one. Returns as ferry_abort(). */
FERRY_MUST_CHECK ferry_status ferry_ch_reset(struct ferry_dev *dev, unsigned ch, uint64_t timeout_us);

/* Watchdog: ERROR TIMEOUT (the channel stops like ABORT) after cycles device
 * clock cycles without progress while BUSY; 0 turns it off. FERRY_E_INVAL:
 * bad ch. */
FERRY_MUST_CHECK ferry_status ferry_set_watchdog(struct ferry_dev *dev, unsigned ch, uint32_t cycles);

/* Window permissions for ferry_set_window(). */
#define FERRY_WIN_READ 0x1U  /* data reads and descriptor fetches */
#define FERRY_WIN_WRITE 0x2U /* data writes and completion records */
#define FERRY_WIN_PAGE 0x1000ULL

/* Programs address window n of channel ch: bus addresses base ..
 * limit + 0xFFF (limit is the address of the window's LAST 4 KiB page,
 * inclusive) with perms (FERRY_WIN_READ | FERRY_WIN_WRITE; 0 = the window
 * allows nothing). Writes BASE_LO without permissions first and with them
 * last, so the window never allows a half-written range.
 * FERRY_E_INVAL (no hardware touched): bad ch, n >= CAP1.WINDOWS, base or
 * limit not 4 KiB aligned, limit < base, other perms bits.
 * FERRY_E_LOCKED: WIN_CTRL.LOCK is set (nothing written). */
FERRY_MUST_CHECK ferry_status ferry_set_window(struct ferry_dev *dev, unsigned ch, unsigned n, uint64_t base,
                                               uint64_t limit, unsigned perms);

/* WIN_CTRL: enable = every data range, descriptor ring and completion ring
 * must lie inside one window with the needed permission; lock = WIN_CTRL and
 * the windows answer writes with SLVERR until a global reset (CTRL.RESET
 * keeps them). FERRY_E_INVAL: bad ch; FERRY_E_UNSUPPORTED: CAP1.WINDOWS = 0
 * (neither touches hardware); FERRY_E_LOCKED: already locked (nothing
 * written). */
FERRY_MUST_CHECK ferry_status ferry_windows_enable(struct ferry_dev *dev, unsigned ch, bool enable, bool lock);

/* Reads every counter of channel ch; 64-bit ones HI, LO, HI, again if HI
 * moved. FERRY_E_AGAIN if HI kept moving (cannot happen below 2^32
 * events per read); FERRY_E_INVAL for a bad ch or NULL. */
FERRY_MUST_CHECK ferry_status ferry_read_counters(struct ferry_dev *dev, unsigned ch,
                                                  struct ferry_counters *out);

/* ---- stream channels (interface 2.1, docs/streams.md) ---- */

/* The kind of a channel (CAP2, fixed at build time). */
enum ferry_ch_kind {
    FERRY_KIND_MEM = 0, /* memory to memory */
    FERRY_KIND_H2C = 1, /* host-to-card: descriptors read memory, data leaves on m_axis */
    FERRY_KIND_C2H = 2  /* card-to-host: s_axis packets land in posted receive buffers */
};

/* The channel's kind from the CAP2 read by probe (no register access).
 * FERRY_KIND_MEM for a device before interface 2.1, an unprobed dev, NULL
 * or ch out of range. */
enum ferry_ch_kind ferry_ch_kind(const struct ferry_dev *dev, unsigned ch);

/* TX flags for ferry_tx_post() */
#define FERRY_TX_EOP FERRY_DESC_EOP /* the descriptor's last byte ends the packet (TLAST) */

/* Posts one host-to-card descriptor on a ring opened (ferry_ring_init) on an
 * H2C channel: len bytes at bus address bus (any alignment) go out on the
 * stream with TUSER = tuser and TID = tid on every beat (encoded in DST[7:0]
 * and DST[15:8]). flags: FERRY_TX_EOP (this descriptor ends the packet; a
 * packet may span descriptors), FERRY_DESC_IRQ, FERRY_DESC_FENCE. The
 * completion comes through ferry_ring_reap() / ferry_ring_wait() (BYTES =
 * bytes handed to the stream). FERRY_E_KIND: not an H2C channel;
 * FERRY_E_INVAL: bad ring, len 0 or above FERRY_DESC_LEN_MAX, a range past
 * 2^ADDR_WIDTH, other flags; FERRY_E_BUSY: ring full. Nothing is written on
 * failure. */
FERRY_MUST_CHECK ferry_status ferry_tx_post(struct ferry_ring *ring, uint64_t bus, uint32_t len, uint8_t flags,
                                            uint8_t tuser, uint8_t tid);

/* Sends a whole packet: len bytes (1..2^32-1) at bus as ceil(len /
 * FERRY_SG_SPLIT) descriptors, EOP on the last (and FERRY_DESC_IRQ there if
 * flags has it; flags may hold only FERRY_DESC_IRQ and FERRY_DESC_FENCE,
 * the latter going on the first). All or nothing: FERRY_E_BUSY if the ring
 * lacks the slots (nothing written), FERRY_E_INVAL if it can never hold
 * them. *ndesc (may be NULL) gets the descriptors used. Errors as
 * ferry_tx_post(). */
FERRY_MUST_CHECK ferry_status ferry_tx_send(struct ferry_ring *ring, uint64_t bus, uint64_t len, uint8_t flags,
                                            uint8_t tuser, uint8_t tid, unsigned *ndesc);

/* Posts one receive buffer on a ring opened on a C2H channel: len bytes at
 * bus, both multiples of CAP0.DATA_BYTES (else FERRY_E_ALIGN, before any
 * register access: the device would halt the ring with STREAM_ALIGN),
 * 1..FERRY_DESC_LEN_MAX. user_tag comes back in the buffer's completion.
 * Every buffer carries FERRY_DESC_IRQ (interrupts then follow the ring's
 * coalescing). FERRY_E_KIND: not a C2H channel; FERRY_E_INVAL: bad ring,
 * len 0, a range past 2^ADDR_WIDTH; FERRY_E_BUSY: ring full. */
FERRY_MUST_CHECK ferry_status ferry_rx_post(struct ferry_ring *ring, uint64_t bus, uint32_t len, uint16_t user_tag);

/* One receive buffer's completion. */
typedef struct ferry_rx_cpl {
    uint16_t index;    /* descriptor slot */
    uint16_t user_tag; /* as posted */
    uint64_t bus;      /* the buffer as posted (read back from the descriptor ring) */
    uint32_t size;     /* its length as posted */
    uint32_t bytes;    /* bytes written into it (from its start) */
    bool sop;          /* it holds the packet's first byte */
    bool eop;          /* it holds the packet's last byte */
    uint8_t status;    /* FERRY_ERR_NONE, FERRY_ERR_TRUNCATED (with eop: the packet was
                        * cut at MAX_PKT, the ring goes on) or the error that halted it */
    uint8_t tuser;     /* TUSER / TID of the packet's last beat in this buffer */
    uint8_t tid;       /*   (status NONE or TRUNCATED only; else 0) */
    uint64_t fault_addr; /* other errors: the fault address (as ferry_ring_reap gives it) */
    bool halted;       /* the ring halted at this buffer (a notice, see ferry_ring_reap()) */
} ferry_rx_cpl_t;

/* Reaps up to max buffer completions of a C2H ring into out, in order, as
 * ferry_ring_reap() does (halts included: FERRY_E_HALTED with the notice
 * last). A TRUNCATED record does not halt the ring; it is a normal
 * completion with status FERRY_ERR_TRUNCATED (STATUS.ERROR stays set: the
 * driver does not clear it). The buffer is the caller's again: re-post it
 * with ferry_rx_repost(). FERRY_E_KIND: not a C2H channel. */
FERRY_MUST_CHECK ferry_status ferry_rx_reap(struct ferry_ring *ring, ferry_rx_cpl_t *out, unsigned max,
                                            unsigned *n);

/* Posts the buffer of a reaped completion again (its bus, size, user_tag). */
FERRY_MUST_CHECK ferry_status ferry_rx_repost(struct ferry_ring *ring, const ferry_rx_cpl_t *c);

/* What ferry_rx_packet() received. */
typedef struct ferry_rx_pkt {
    size_t len;     /* packet bytes received (as written by the device) */
    size_t copied;  /* bytes copied to the caller's buffer (< len only with FERRY_E_OVERFLOW) */
    unsigned bufs;  /* receive buffers it spanned */
    uint8_t status; /* FERRY_ERR_NONE, or FERRY_ERR_TRUNCATED when cut at MAX_PKT */
    uint8_t tuser;  /* TUSER / TID of the packet's last beat */
    uint8_t tid;
} ferry_rx_pkt_t;

/* Receives one whole packet on a C2H ring whose buffers all lie in pool (a
 * ferry_dma_mem the caller allocated and posted buffers from): waits at
 * most timeout_us for the buffers of one packet, copies their bytes in
 * order to out (at most cap bytes), re-posts each buffer at once and fills
 * *pkt. FERRY_OK: a whole packet; FERRY_E_TRUNCATED: the device cut it at
 * MAX_PKT (pkt->len bytes are the kept part); FERRY_E_OVERFLOW: longer than
 * cap (cap bytes copied, the rest of the packet consumed); FERRY_E_TIMEOUT:
 * no packet end within the budget: the buffers reaped so far stay
 * gathered in the ring and the next call (same out and cap) continues
 * the packet; FERRY_E_HALTED: the ring halted (ferry_ring_halted());
 * FERRY_E_DEVICE: a buffer completed with another error (pkt->status:
 * its record reaped after ferry_ring_skip()); the packet gathered so far
 * is dropped and the buffer re-posted unless it is not beat aligned;
 * FERRY_E_INVAL: bad arguments, or a completed buffer outside pool;
 * FERRY_E_KIND: not a C2H channel. */
FERRY_MUST_CHECK ferry_status ferry_rx_packet(struct ferry_ring *ring, const struct ferry_dma_mem *pool, void *out,
                                              size_t cap, ferry_rx_pkt_t *pkt, uint64_t timeout_us);

/* MAX_PKT of a C2H channel: longest packet in bytes (0 = no limit; the
 * device rounds down to whole beats, at least one). FERRY_E_KIND: not a
 * C2H channel (nothing written); FERRY_E_INVAL: bad ch. */
FERRY_MUST_CHECK ferry_status ferry_set_max_pkt(struct ferry_dev *dev, unsigned ch, uint32_t bytes);

/* Live stream state (STREAM register). */
struct ferry_stream_state {
    enum ferry_ch_kind kind; /* STREAM.KIND as the channel reports it */
    bool starved;            /* STREAM.STARVED: data waiting, no receive buffer posted */
    bool in_packet;          /* STREAM.IN_PACKET: inside a packet (no TLAST yet) */
};
/* Reads STREAM. FERRY_E_KIND: a memory channel (nothing read);
 * FERRY_E_INVAL: bad ch or NULL. */
FERRY_MUST_CHECK ferry_status ferry_stream_state(struct ferry_dev *dev, unsigned ch, struct ferry_stream_state *out);

/* Register name for a BAR0 offset from the generated table: *ch is set to
 * the channel (or -1 for a global register). NULL if off names no register. */
const struct ferry_reg_info *ferry_reg_lookup(uint32_t off, int *ch);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_H */
