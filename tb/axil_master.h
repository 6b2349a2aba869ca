/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axil_master.h: AXI4-Lite master model (pure C) for the DUT's s_axil port.
 *
 * One access at a time. A write raises AWVALID and WVALID, each after its own
 * random delay (each cycle the valid is still low it stays low with
 * probability stall percent), holds them with a stable payload until their
 * READY, and keeps BREADY low on random cycles (same rate) until B. A read
 * does the same with ARVALID and RREADY. PROT is always 0.
 *
 * Cycle protocol, as for axi_mem: axil_master_drive() decides the master
 * outputs from its own state and the PRNG, then axil_master_update() takes
 * the slave outputs of the same cycle.
 *
 * The master does not judge the slave: the rules live in axil_check.h,
 * which watches the same signals. A response is taken only by the access
 * waiting for it.
 */
#ifndef FERRY_AXIL_MASTER_H
#define FERRY_AXIL_MASTER_H

#include <stdint.h>

#include "axi_mem.h" /* axi_rng_t */

#ifdef __cplusplus
extern "C" {
#endif

/* Master outputs. */
typedef struct axil_m_out {
    uint64_t awaddr;
    int awvalid;
    uint32_t wdata;
    unsigned wstrb;
    int wvalid;
    int bready;
    uint64_t araddr;
    int arvalid;
    int rready;
} axil_m_out_t;

/* Slave outputs seen by the master. */
typedef struct axil_m_in {
    int awready, wready;
    unsigned bresp;
    int bvalid;
    int arready;
    uint32_t rdata;
    unsigned rresp;
    int rvalid;
} axil_m_in_t;

typedef struct axil_master axil_master_t;

/* rng: not owned, must outlive the master. */
axil_master_t *axil_master_new(axi_rng_t *rng);
void axil_master_free(axil_master_t *m);
void axil_master_set_stall(axil_master_t *m, unsigned pct);
/* Drops the access in flight. */
void axil_master_reset(axil_master_t *m);

/* 1 while an access is in flight (started and its response not yet taken). */
int axil_master_busy(const axil_master_t *m);
/* Start an access. -1 if busy (nothing changed). */
int axil_master_start_write(axil_master_t *m, uint64_t addr, uint32_t data, unsigned strb);
int axil_master_start_read(axil_master_t *m, uint64_t addr);
/* 1 once the response arrived: *resp and (reads) *rdata filled, access
 * finished. 0 while in flight or idle. */
int axil_master_done(axil_master_t *m, unsigned *resp, uint32_t *rdata);

void axil_master_drive(axil_master_t *m, uint64_t cycle, axil_m_out_t *out);
void axil_master_update(axil_master_t *m, uint64_t cycle, const axil_m_in_t *in);


#ifdef __cplusplus
}
#endif

#endif /* FERRY_AXIL_MASTER_H */
