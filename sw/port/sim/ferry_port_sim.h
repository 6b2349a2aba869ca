/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_port_sim.h: ferry platform port on the Verilator test bench (tb.h).
 *
 * - Registers: tb_bar_read / tb_bar_write (WSTRB 0xF). The AXI response of the
 *   last access is kept (ferry_sim_last_resp) and responses other than OKAY
 *   are counted (ferry_sim_bad_resp_count), TB_TIMEOUT included.
 * - DMA memory: 4 KiB-aligned host memory, rounded up to whole pages, mapped
 *   with tb_mem_map so CPU and DMA share it. Bus addresses come from a bump
 *   allocator starting at FERRY_SIM_BUS_BASE, or from ferry_sim_alloc_at().
 *   A buffer freed while the memory model still has bursts to it
 *   (axi_mem_pending_in: accepted, not answered) is use after free on a card:
 *   dma_free says so on stderr and counts it (ferry_sim_unsafe_free_count).
 *   Bursts still inside the PCIe link model (tb_set_pcie) are not seen.
 * - Time: the simulated clock runs at FERRY_SIM_CLOCK_MHZ (250 MHz), i.e.
 *   FERRY_SIM_CYCLES_PER_US = 250 cycles per microsecond. now_us is
 *   tb_cycle() / 250, delay_us steps us * 250 cycles, wait_irq is
 *   tb_wait_irq with timeout_us * 250 cycles.
 */
#ifndef FERRY_PORT_SIM_H
#define FERRY_PORT_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferry/ferry.h"
#include "ferry/ferry_platform.h"
#include "tb.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FERRY_SIM_CLOCK_MHZ 250U
#define FERRY_SIM_CYCLES_PER_US FERRY_SIM_CLOCK_MHZ
#define FERRY_SIM_BUS_BASE 0x10000000ULL /* first bus address of the bump allocator */
#define FERRY_SIM_PAGE 4096U

struct ferry_sim;

/* A port on tb (not owned: free the port before tb). NULL if out of memory. */
struct ferry_sim *ferry_sim_new(tb_t *tb);
/* Unmaps and frees every buffer still allocated, then the port. NULL is fine. */
void ferry_sim_free(struct ferry_sim *sim);

/* The platform to hand to ferry_probe(); valid while sim lives. */
const struct ferry_platform *ferry_sim_platform(struct ferry_sim *sim);
tb_t *ferry_sim_tb(struct ferry_sim *sim);

/* TB_RESP_* (or TB_TIMEOUT) of the last register access; TB_RESP_OKAY before any. */
int ferry_sim_last_resp(const struct ferry_sim *sim);
/* Register accesses answered other than OKAY since ferry_sim_new / the last clear. */
uint64_t ferry_sim_bad_resp_count(const struct ferry_sim *sim);
/* Register reads / writes made through the port. */
uint64_t ferry_sim_read_count(const struct ferry_sim *sim);
uint64_t ferry_sim_write_count(const struct ferry_sim *sim);
/* Buffers freed while bursts to them were outstanding at the memory model
 * (each also reported on stderr); ferry_sim_clear_counts leaves it. */
uint64_t ferry_sim_unsafe_free_count(const struct ferry_sim *sim);
void ferry_sim_clear_counts(struct ferry_sim *sim);

/* Allocates like the platform's dma_alloc (zeroed, 4 KiB-aligned host
 * memory, bus address from the bump allocator aligned to align). */
FERRY_MUST_CHECK ferry_status ferry_sim_alloc(struct ferry_sim *sim, size_t size, size_t align,
                                              struct ferry_dma_mem *mem);
/* Places a buffer at bus address bus (must be 4 KiB aligned). FERRY_E_INVAL
 * if bus is unaligned, size is 0, or a page of the range is already mapped;
 * FERRY_E_NOMEM if host memory runs out. */
FERRY_MUST_CHECK ferry_status ferry_sim_alloc_at(struct ferry_sim *sim, uint64_t bus, size_t size,
                                                 struct ferry_dma_mem *mem);
/* Unmaps and frees a buffer from either allocator; mem->cpu is NULL after. */
void ferry_sim_dma_free(struct ferry_sim *sim, struct ferry_dma_mem *mem);

/* Stream channels (docs/streams.md): connects the test bench's loopback
 * (tb/axis_model.h, axis_loopback) from host-to-card channel h2c_ch's
 * m_axis lane to card-to-host channel c2h_ch's s_axis lane (on), or takes
 * it out (off: the lanes go back to the bench's source and sink). Beats
 * pass with the bench's seeded random TVALID/TREADY gaps (none under
 * tb_config_default). FERRY_E_INVAL: a channel of the wrong kind or out of
 * range (the bench's message on stderr); FERRY_E_UNSUPPORTED: the build
 * has no stream channels (tb_axis() is NULL). */
FERRY_MUST_CHECK ferry_status ferry_sim_stream_loopback(struct ferry_sim *sim, unsigned h2c_ch, unsigned c2h_ch,
                                                        bool on);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PORT_SIM_H */
