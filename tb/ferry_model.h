/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_model.h: C view of the Verilated ferry_top (Vferry_top).
 *
 * The only C++ in the test bench is ferry_model.cpp; this header is plain C.
 * A model is an opaque fm_t owning its own VerilatedContext, so several
 * models may be created and freed one after another in one process.
 *
 * Pins are exchanged as plain structs: fm_in_t holds every DUT input except
 * clk, fm_out_t every output. Scalars and addresses are uint64_t; data buses
 * are little-endian byte arrays (byte 0 = bits 7:0) of which the first
 * fm_data_bytes() bytes are used; strobes are uint64_t bit masks.
 *
 * Build parameters come from the preprocessor: FERRY_DATA_WIDTH (default 64)
 * and FERRY_NUM_CHANNELS (default 4) must match the -G values given to
 * verilator; ferry_model.cpp checks the data width against the port types.
 *
 * One cycle, as driven by tb.c:
 *   fm_set_inputs(); fm_eval(); fm_get_outputs(); ...; fm_clock();
 */
#ifndef FERRY_MODEL_H
#define FERRY_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FM_MAX_DATA_BYTES 64 /* DATA_WIDTH up to 512 */

typedef struct fm fm_t;

typedef struct fm_in {
    uint64_t rst_n;
    /* s_axil (AXI4-Lite slave port of the DUT) */
    uint64_t s_axil_awaddr, s_axil_awprot, s_axil_awvalid;
    uint64_t s_axil_wdata, s_axil_wstrb, s_axil_wvalid;
    uint64_t s_axil_bready;
    uint64_t s_axil_araddr, s_axil_arprot, s_axil_arvalid;
    uint64_t s_axil_rready;
    /* m_axi (inputs of the DUT's AXI4 master port) */
    uint64_t m_axi_awready;
    uint64_t m_axi_wready;
    uint64_t m_axi_bid, m_axi_bresp, m_axi_bvalid;
    uint64_t m_axi_arready;
    uint64_t m_axi_rid, m_axi_rresp, m_axi_rlast, m_axi_rvalid;
    uint8_t m_axi_rdata[FM_MAX_DATA_BYTES];
} fm_in_t;

typedef struct fm_out {
    /* s_axil */
    uint64_t s_axil_awready, s_axil_wready;
    uint64_t s_axil_bresp, s_axil_bvalid;
    uint64_t s_axil_arready;
    uint64_t s_axil_rdata, s_axil_rresp, s_axil_rvalid;
    /* m_axi */
    uint64_t m_axi_awid, m_axi_awaddr, m_axi_awlen, m_axi_awsize, m_axi_awburst;
    uint64_t m_axi_awlock, m_axi_awcache, m_axi_awprot, m_axi_awvalid;
    uint8_t m_axi_wdata[FM_MAX_DATA_BYTES];
    uint64_t m_axi_wstrb, m_axi_wlast, m_axi_wvalid;
    uint64_t m_axi_bready;
    uint64_t m_axi_arid, m_axi_araddr, m_axi_arlen, m_axi_arsize, m_axi_arburst;
    uint64_t m_axi_arlock, m_axi_arcache, m_axi_arprot, m_axi_arvalid;
    uint64_t m_axi_rready;
    uint64_t irq;
} fm_out_t;

/*
 * Creates the context and the model. fst_path: NULL for no waveform, else the
 * FST file to write. vl_args: NULL or a whitespace-separated list of Verilator
 * runtime arguments, e.g. "+verilator+rand+reset+2 +verilator+seed+7"; the
 * environment variable FERRY_VL_ARGS, if set, is appended after them (so it
 * wins). Arguments are applied before the model is constructed, so reset
 * randomization (needs verilator --x-initial unique) takes effect.
 * NULL on failure (message on stderr). Clock starts low, all inputs 0.
 */
fm_t *fm_new(const char *fst_path, const char *vl_args);
/* Calls final(), flushes and closes the FST, frees the model and context. */
void fm_free(fm_t *fm);

void fm_set_inputs(fm_t *fm, const fm_in_t *in);
/* Settles combinational logic with clk low (dumped to the FST at the current time). */
void fm_eval(fm_t *fm);
void fm_get_outputs(const fm_t *fm, fm_out_t *out);
/* Rising edge then falling edge; each eval is dumped with its own time stamp.
 * Without a waveform the falling edge is settled by the next fm_eval (see
 * ferry_model.cpp); the outputs after fm_clock are those after the rising edge. */
void fm_clock(fm_t *fm);
/* The irq output alone (cheaper than fm_get_outputs, for sampling after fm_clock). */
uint32_t fm_get_irq(const fm_t *fm);

unsigned fm_data_bytes(void);
unsigned fm_num_channels(void);

/*
 * Stream ports (issue 8): m_axis_* (host-to-card, DUT outputs) and s_axis_*
 * (card-to-host, DUT inputs), one lane per channel, lane c packed at
 * [c*W +: W] in the RTL. Here they are unpacked per channel. A model built
 * from RTL without the ports (fm_has_axis() == 0) ignores fm_set_axis and
 * fm_get_axis returns all lanes idle. Only tb.c calls these, and only when
 * the build has stream channels (FERRY_H2C_MASK / FERRY_C2H_MASK), so other
 * builds pay nothing per cycle.
 */
#define FM_MAX_CHANNELS 16

typedef struct fm_axis_lane {
    uint8_t data[FM_MAX_DATA_BYTES];
    uint64_t keep; /* bit i: byte i */
    uint8_t last, user, id, valid;
} fm_axis_lane_t;

typedef struct fm_axis_in {
    fm_axis_lane_t s[FM_MAX_CHANNELS]; /* s_axis lanes (card-to-host input) */
    uint32_t m_tready;                 /* m_axis_tready, bit per channel */
} fm_axis_in_t;

typedef struct fm_axis_out {
    fm_axis_lane_t m[FM_MAX_CHANNELS]; /* m_axis lanes (host-to-card output) */
    uint32_t s_tready;                 /* s_axis_tready, bit per channel */
} fm_axis_out_t;

int fm_has_axis(void);
void fm_set_axis(fm_t *fm, const fm_axis_in_t *in);
void fm_get_axis(const fm_t *fm, fm_axis_out_t *out);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_MODEL_H */
