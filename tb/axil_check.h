/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axil_check.h: AXI4-Lite protocol checker (pure C) watching the DUT's s_axil
 * port.
 *
 * Fed once per cycle with what the master (the test bench's axil_master) and
 * the slave (the DUT) drive in that cycle; it only watches. Every broken rule
 * is counted; the first and the last are kept in words with their cycle
 * ("cycle N: s_axil: <rule>: <details>").
 *
 * Rules (the words in quotes start the message):
 *   master: "AWVALID dropped before AWREADY", "WVALID ...", "ARVALID ...";
 *   "AW payload changed while waiting" (AWADDR), "W payload changed while
 *   waiting" (WDATA, WSTRB), "AR payload changed while waiting" (ARADDR)
 *   slave: "BVALID dropped before BREADY", "RVALID dropped before RREADY";
 *   "B payload changed while waiting" (BRESP), "R payload changed while
 *   waiting" (RDATA, RRESP)
 *   "BVALID without a write": no write whose AW and W were both handshaken in
 *   an earlier cycle is waiting for its answer (a second answer, or one too
 *   early); "RVALID without a read": likewise for AR
 *   "write not answered within N cycles", "read not answered ..." (from the
 *   last of its AW/W handshakes, or its AR handshake, until BVALID / RVALID;
 *   N = timeout, default 10000)
 *   "BVALID high during reset", "RVALID high during reset" (from the second
 *   reset cycle on: the reset is synchronous), "AWVALID high during reset",
 *   "WVALID ...", "ARVALID ..." (every reset cycle).
 * The slave's READY outputs may change freely (AXI allows it).
 */
#ifndef FERRY_AXIL_CHECK_H
#define FERRY_AXIL_CHECK_H

#include <stdint.h>

#include "axil_master.h" /* axil_m_out_t, axil_m_in_t */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axil_check axil_check_t;

/* timeout: cycles a request may wait for its answer; 0 = 10000. */
axil_check_t *axil_check_new(unsigned timeout);
void axil_check_free(axil_check_t *c);
/* Forgets the requests in flight and the previous cycle (errors stay). */
void axil_check_reset(axil_check_t *c);

/* One cycle: m = master outputs, s = slave outputs. rst_n 0: a reset cycle. */
void axil_check_cycle(axil_check_t *c, uint64_t cycle, int rst_n, const axil_m_out_t *m,
                      const axil_m_in_t *s);

const char *axil_check_error(const axil_check_t *c, uint64_t *cycle);
const char *axil_check_last_error(const axil_check_t *c);
unsigned axil_check_error_count(const axil_check_t *c);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_AXIL_CHECK_H */
