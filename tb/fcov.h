/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fcov.h: functional coverage of the test bench, from the pins of ferry_top.
 *
 * Off unless the environment variable FERRY_FCOV_DIR names a directory: then
 * every test bench (tb_new .. tb_free) counts, cycle by cycle,
 *   - register reads and writes per register (AXI-Lite handshakes on s_axil,
 *     decoded with the generated table ferry_reg_info[]), and accesses
 *     outside every register;
 *   - error codes (ferry_err_info[]) read in a channel's STATUS.ERR_CODE and
 *     written in the STATUS byte of completion records (m_axi writes of the
 *     control port ID NUM_CHANNELS);
 *   - the flags byte (offset 0x13) of every descriptor the DUT fetched (R beats
 *     answering OKAY to reads of the control port ID: only descriptor fetches
 *     use that ID for reads);
 *   - arbiter weight patterns: in every cycle where two or more channels are
 *     active on m_axi (a burst of their ID requested or in flight), the WEIGHT
 *     values programmed for the active channels, e.g. "1/2/-/8" (channel 2
 *     idle); counted in cycles and in entries into the pattern.
 * tb_free appends the counts to FERRY_FCOV_DIR/fcov_<pid>_<n>.txt; make
 * coverage (sim/coverage.lua) merges the files into a table.
 */
#ifndef FERRY_FCOV_H
#define FERRY_FCOV_H

#include "ferry_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fcov fcov_t;

/* NULL when FERRY_FCOV_DIR is unset (nothing is counted; the calls below
 * accept NULL) or out of memory. */
fcov_t *fcov_new(unsigned num_channels, unsigned data_bytes);
/* One cycle: the DUT inputs and its settled outputs, before the clock edge.
 * With in->rst_n low the monitors reset (WEIGHT back to its reset value). */
void fcov_sample(fcov_t *f, const fm_in_t *in, const fm_out_t *out);
/* Writes the counts (see above) and frees f. */
void fcov_free(fcov_t *f);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_FCOV_H */
