/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axi_check.h: AXI4 protocol checker (pure C) watching the DUT's m_axi port.
 *
 * Fed once per cycle, after both sides have settled, with what the master
 * (the DUT) and the slave (the memory model) drive in that cycle. It only
 * watches: it never changes the signals. Every rule below that breaks is
 * counted; the first and the last violation are kept in words, with their
 * cycle ("cycle N: m_axi: <rule>: <details>").
 *
 * Rules (the words in quotes start the message):
 *   "ARVALID dropped before ARREADY", "AWVALID ...", "WVALID ..."
 *   "RVALID dropped before RREADY", "BVALID dropped before BREADY"
 *   "AR payload changed while waiting" (ARID, ARADDR, ARLEN, ARSIZE, ARBURST),
 *   "AW payload changed while waiting", "W payload changed while waiting"
 *   (WDATA, WSTRB, WLAST), "R payload changed while waiting" (RID, RDATA,
 *   RRESP, RLAST), "B payload changed while waiting" (BID, BRESP)
 *   "ARBURST"/"AWBURST n is not INCR or FIXED"
 *   "ARSIZE"/"AWSIZE n is not the bus width"
 *   "AR FIXED burst of n beats" / "AW FIXED burst ..." (more than 16)
 *   "AR burst of n beats exceeds MAX_BURST_LEN" / "AW burst ..." (or "exceeds
 *   the limit of ID n" for cfg.ctl_id)
 *   "AR burst crosses a 4 KiB boundary" / "AW burst ..."
 *   "WLAST missing on the last beat", "WLAST early"
 *   "W beat ahead of its AW" (a W beat presented while no AW presented in this
 *   or an earlier cycle still has beats to come: W before its address, or more
 *   W beats than the AWs announced)
 *   "WSTRB below the address" (first beat of an INCR burst, every FIXED beat),
 *   "WSTRB outside the beat" (lanes past the end of the 2^AxSIZE container or
 *   the bus)
 *   "read bursts outstanding exceed MAX_OUTSTANDING",
 *   "write bursts outstanding exceed MAX_OUTSTANDING" (a burst counts from its
 *   first AxVALID cycle until its RLAST / B handshake)
 *   "RVALID without a read burst" (no AR with that RID handshaken in an
 *   earlier cycle and still open), "RLAST missing on the last beat",
 *   "RLAST early"
 *   "BVALID without a write burst" (no AW with that BID whose AW and last W
 *   beat were handshaken in an earlier cycle)
 *   "ARVALID high during reset", "AWVALID ...", "WVALID ...", "RVALID ...",
 *   "BVALID ..." (master outputs from the second reset cycle on: ferry's reset
 *   is synchronous, so its outputs fall at the first clock edge in reset; the
 *   slave outputs in every reset cycle)
 * Same-ID order: responses of one ID follow the request order of that ID;
 * different IDs may be reordered and R beats of different IDs interleaved.
 */
#ifndef FERRY_AXI_CHECK_H
#define FERRY_AXI_CHECK_H

#include <stdint.h>

#include "axi_mem.h" /* axi_mem_req_t, axi_mem_rsp_t */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axi_check_cfg {
    unsigned data_bytes;      /* bus width in bytes, a power of two 4..64 */
    unsigned max_burst_len;   /* longest burst in beats (1..256); 0 = 256 */
    unsigned max_outstanding; /* bursts per direction; 0 = no limit */
    /* One ID may have its own burst limit (ferry's control port, whose
     * descriptor runs are not bound by MAX_BURST_LEN): bursts with
     * AxID == ctl_id may have up to ctl_max_burst_len beats. 0 = none. */
    uint64_t ctl_id;
    unsigned ctl_max_burst_len;
    /* With ctl_max_rd / ctl_max_wr non-zero, bursts with AxID == ctl_id are
     * counted apart (at most that many per direction) and max_outstanding
     * bounds the other IDs' bursts: ferry's mux gives its control port
     * bursts no data slot (ferry_axi_mux.v). 0 = counted with the others. */
    unsigned ctl_max_rd;
    unsigned ctl_max_wr;
} axi_check_cfg_t;

typedef struct axi_check axi_check_t;

/* NULL on bad arguments (message on stderr). */
axi_check_t *axi_check_new(const axi_check_cfg_t *cfg);
void axi_check_free(axi_check_t *c);
/* Forgets the bursts in flight and the previous cycle (errors stay). */
void axi_check_reset(axi_check_t *c);

/* One cycle: q = master outputs, r = slave outputs, both of that cycle.
 * rst_n 0: a reset cycle (bursts in flight are forgotten, VALIDs checked low). */
void axi_check_cycle(axi_check_t *c, uint64_t cycle, int rst_n, const axi_mem_req_t *q,
                     const axi_mem_rsp_t *r);

/* First violation in words or NULL; its cycle in *cycle if non-NULL. */
const char *axi_check_error(const axi_check_t *c, uint64_t *cycle);
/* Latest violation in words or NULL. */
const char *axi_check_last_error(const axi_check_t *c);
unsigned axi_check_error_count(const axi_check_t *c);
/* Bursts open now: reads awaiting RLAST, writes awaiting B. */
unsigned axi_check_rd_open(const axi_check_t *c);
unsigned axi_check_wr_open(const axi_check_t *c);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_AXI_CHECK_H */
