// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_axi_mux: joins NUM_PORTS simple AXI4 masters (no IDs) onto one AXI4
// master with IDs.
//
//   port p --AR--> [prio mask] -> ferry_arbiter -> AR register --> m_axi_ar*
//   port p --AW--> [prio mask] -> ferry_arbiter -> AW register --> m_axi_aw*
//                                       | port index
//                                       v
//                                 W-order queue --> head selects port for W
//   port p --W---> W register (beats of the head port only) ------> m_axi_w*
//   port p <-R/B-- routed by RID/BID
//
// Port signals are flattened: port p's field of width X is at [p*X +: X].
//
// ID mapping: ARID = AWID = the port index, zero-extended to ID_WIDTH. RID and
// BID select the port: p_rvalid[p] = m_axi_rvalid && RID == p, m_axi_rready
// = p_rready[RID]; p_bvalid[p] = m_axi_bvalid && BID == p, m_axi_bready = 1
// (ports always accept B). A response whose ID names no port is accepted
// and dropped so that the bus cannot hang (a compliant slave never sends one).
//
// Arbitration: AR and AW each have a ferry_arbiter (weighted round robin,
// weight_i per port, 0 read as 1) over the ports without prio_i, granting
// one burst at a time. A requesting prio port wins over them (lowest index
// first) without the arbiter seeing or counting it, so the weighted shares
// among the other ports are undisturbed. A prio port that requests without
// pause starves the others: it is meant for the light descriptor and
// completion traffic.
//
// Ordering:
//   - AR and AW leave in the order they were granted (one register stage).
//   - W: each granted AW pushes its port index into a W-order queue of
//     W_QUEUE_DEPTH entries; the head port's W beats pass to m_axi_w*, the
//     beat with p_wlast pops the queue. So W bursts leave in AW order, whole
//     and uninterleaved, with the port's own WLAST. A port's W beats may be
//     presented before or after its AW is taken; p_wready stays low until
//     that AW is at the queue head, and the port must wait. W beats may reach
//     m_axi_w* before their AW has been accepted (AXI allows this; AW never
//     waits for W, so there is no deadlock). While the queue is full no AW is
//     granted.
//   - Responses: each port has one ID, so the slave returns a port's R bursts
//     in its AR order and its B responses in its AW order; bursts of
//     different ports may be interleaved. A port holding p_rready low stalls
//     R for every port (ferry's engines keep RREADY high).
//
// Parameters (checked at elaboration)
//   NUM_PORTS      ports, 2..17 (16 channels plus a control port)   (default 4)
//   ADDR_WIDTH     address bits, 32..64                              (default 64)
//   DATA_WIDTH     data bits, 32, 64, 128, 256 or 512                (default 64)
//   ID_WIDTH       m_axi ID bits, clog2(NUM_PORTS)..32               (default 4)
//   WEIGHT_WIDTH   bits per port weight, 1..16                       (default 8)
//   W_QUEUE_DEPTH  AWs whose W bursts have not all passed, a power of two,
//                  2..1024                                           (default 32)
//   MAX_OUTSTANDING  bursts in flight over the weighted (non-prio) ports,
//                  per direction, 1..64 (default 16); under load ports wait
//                  here for a slot, so the weights set each port's share of
//                  the bus. Prio ports' bursts (descriptor fetches,
//                  completion records) take no slot: they bound their own
//                  bursts in flight, and a short descriptor's fetch must
//                  not cost a data burst its place (at 400 cycles of latency
//                  the fetches of 256 B descriptors held half the slots).
//
// Latency: AR/AW: a request taken in cycle t (p_arready/p_awready high) is on
// m_axi_ar*/aw* from cycle t+1. W: a beat taken in cycle t is on m_axi_w*
// from cycle t+1; the first beat of a burst can be taken one cycle after its
// AW. R and B: combinational, zero cycles.
// Throughput: one AR, one AW and one W beat per cycle (also across W bursts
// of different ports) when the master accepts every cycle.
// All m_axi_*valid and payload outputs come from registers (R/B ready paths
// are combinational from the ports'); p_arready, p_awready and p_wready depend
// combinationally on m_axi_arready, m_axi_awready and m_axi_wready.
module ferry_axi_mux #(
    parameter NUM_PORTS = 4,
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter ID_WIDTH = 4,
    parameter WEIGHT_WIDTH = 8,
    parameter W_QUEUE_DEPTH = 32,
    parameter MAX_OUTSTANDING = 16
) (
    input  wire                                 clk,
    input  wire                                 rst_n,

    // arbitration
    input  wire [NUM_PORTS*WEIGHT_WIDTH-1:0]    weight_i,
    input  wire [NUM_PORTS-1:0]                 prio_i,

    // ports: AR
    input  wire [NUM_PORTS*ADDR_WIDTH-1:0]      p_araddr,
    input  wire [NUM_PORTS*8-1:0]               p_arlen,
    input  wire [NUM_PORTS*2-1:0]               p_arburst,
    input  wire [NUM_PORTS-1:0]                 p_arvalid,
    output wire [NUM_PORTS-1:0]                 p_arready,
    // ports: R
    output wire [NUM_PORTS*DATA_WIDTH-1:0]      p_rdata,
    output wire [NUM_PORTS*2-1:0]               p_rresp,
    output wire [NUM_PORTS-1:0]                 p_rlast,
    output wire [NUM_PORTS-1:0]                 p_rvalid,
    input  wire [NUM_PORTS-1:0]                 p_rready,
    // ports: AW
    input  wire [NUM_PORTS*ADDR_WIDTH-1:0]      p_awaddr,
    input  wire [NUM_PORTS*8-1:0]               p_awlen,
    input  wire [NUM_PORTS*2-1:0]               p_awburst,
    input  wire [NUM_PORTS-1:0]                 p_awvalid,
    output wire [NUM_PORTS-1:0]                 p_awready,
    // ports: W
    input  wire [NUM_PORTS*DATA_WIDTH-1:0]      p_wdata,
    input  wire [NUM_PORTS*DATA_WIDTH/8-1:0]    p_wstrb,
    input  wire [NUM_PORTS-1:0]                 p_wlast,
    input  wire [NUM_PORTS-1:0]                 p_wvalid,
    output wire [NUM_PORTS-1:0]                 p_wready,
    // ports: B (always accepted)
    output wire [NUM_PORTS*2-1:0]               p_bresp,
    output wire [NUM_PORTS-1:0]                 p_bvalid,

    // AXI4 master
    output wire [ID_WIDTH-1:0]                  m_axi_arid,
    output wire [ADDR_WIDTH-1:0]                m_axi_araddr,
    output wire [7:0]                           m_axi_arlen,
    output wire [1:0]                           m_axi_arburst,
    output wire                                 m_axi_arvalid,
    input  wire                                 m_axi_arready,
    input  wire [ID_WIDTH-1:0]                  m_axi_rid,
    input  wire [DATA_WIDTH-1:0]                m_axi_rdata,
    input  wire [1:0]                           m_axi_rresp,
    input  wire                                 m_axi_rlast,
    input  wire                                 m_axi_rvalid,
    output wire                                 m_axi_rready,
    output wire [ID_WIDTH-1:0]                  m_axi_awid,
    output wire [ADDR_WIDTH-1:0]                m_axi_awaddr,
    output wire [7:0]                           m_axi_awlen,
    output wire [1:0]                           m_axi_awburst,
    output wire                                 m_axi_awvalid,
    input  wire                                 m_axi_awready,
    output wire [DATA_WIDTH-1:0]                m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]              m_axi_wstrb,
    output wire                                 m_axi_wlast,
    output wire                                 m_axi_wvalid,
    input  wire                                 m_axi_wready,
    input  wire [ID_WIDTH-1:0]                  m_axi_bid,
    input  wire [1:0]                           m_axi_bresp,
    input  wire                                 m_axi_bvalid,
    output wire                                 m_axi_bready
);

    localparam P = NUM_PORTS;
    localparam PIDX_W = (NUM_PORTS > 1) ? $clog2(NUM_PORTS) : 1;
    localparam STRB_W = DATA_WIDTH / 8;
    localparam QA = (W_QUEUE_DEPTH > 1) ? $clog2(W_QUEUE_DEPTH) : 1;

    // ---- parameter checks ----
    generate
        if (NUM_PORTS < 2 || NUM_PORTS > 17) begin : g_bad_np
            ferry_axi_mux_NUM_PORTS_must_be_2_to_17 u_bad();
        end
        if (ADDR_WIDTH < 32 || ADDR_WIDTH > 64) begin : g_bad_aw
            ferry_axi_mux_ADDR_WIDTH_must_be_32_to_64 u_bad();
        end
        if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128 && DATA_WIDTH != 256
            && DATA_WIDTH != 512) begin : g_bad_dw
            ferry_axi_mux_DATA_WIDTH_must_be_32_64_128_256_or_512 u_bad();
        end
        if (ID_WIDTH < PIDX_W || ID_WIDTH > 32) begin : g_bad_id
            ferry_axi_mux_ID_WIDTH_must_be_at_least_clog2_NUM_PORTS_and_at_most_32 u_bad();
        end
        if (WEIGHT_WIDTH < 1 || WEIGHT_WIDTH > 16) begin : g_bad_ww
            ferry_axi_mux_WEIGHT_WIDTH_must_be_1_to_16 u_bad();
        end
        if (W_QUEUE_DEPTH < 2 || W_QUEUE_DEPTH > 1024
            || (1 << QA) != W_QUEUE_DEPTH) begin : g_bad_wq
            ferry_axi_mux_W_QUEUE_DEPTH_must_be_a_power_of_two_2_to_1024 u_bad();
        end
    endgenerate

    // index of the set bit of a one-hot vector
    function [PIDX_W-1:0] onehot_idx;
        input [P-1:0] v;
        integer k;
        begin
            onehot_idx = {PIDX_W{1'b0}};
            for (k = 0; k < P; k = k + 1) begin
                if (v[k]) begin
                    onehot_idx = k[PIDX_W-1:0];
                end
            end
        end
    endfunction

    // ================================================================
    // AR: prio mask, arbiter, output register
    // ================================================================
    reg  [ID_WIDTH-1:0]   arid_q, arid_d;
    reg  [ADDR_WIDTH-1:0] araddr_q, araddr_d;
    reg  [7:0]            arlen_q, arlen_d;
    reg  [1:0]            arburst_q, arburst_d;
    reg                   arvalid_q, arvalid_d;

    // Prio ports (lowest index first) bypass the weighted arbiter, which
    // sees and counts only the other ports, so the light control traffic
    // does not disturb the weighted shares.
    wire [P-1:0]      ar_prio_req = p_arvalid & prio_i;
    wire [P-1:0]      ar_req = p_arvalid & ~prio_i;
    wire [P-1:0]      ar_arb_grant;
    wire [PIDX_W-1:0] ar_arb_idx;
    wire              ar_arb_valid;
    wire              ar_prio_sel = |ar_prio_req;
    wire [P-1:0]      ar_prio_onehot = ar_prio_req & ~(ar_prio_req - 1'b1);
    wire [P-1:0]      ar_grant = ar_prio_sel ? ar_prio_onehot : ar_arb_grant;
    wire [PIDX_W-1:0] ar_idx = ar_prio_sel ? onehot_idx(ar_prio_onehot) : ar_arb_idx;
    wire              ar_valid = ar_prio_sel || ar_arb_valid;
    // Bursts in flight over the weighted ports, per direction: capped at
    // MAX_OUTSTANDING so that under load the ports queue here and the
    // weights decide who gets the next slot. A prio port's burst needs no
    // slot (see MAX_OUTSTANDING above).
    reg  [6:0]        rd_out_q, rd_out_d;
    reg  [6:0]        wr_out_q, wr_out_d;
    wire              ar_slot_free = (!arvalid_q || m_axi_arready)
                                     && (ar_prio_sel || rd_out_q < MAX_OUTSTANDING[6:0]);
    wire              ar_take = ar_valid && ar_slot_free;

    ferry_arbiter #(
        .N(NUM_PORTS),
        .WEIGHT_WIDTH(WEIGHT_WIDTH)
    ) u_ar_arb (
        .clk(clk),
        .rst_n(rst_n),
        .req_i(ar_req),
        .weight_i(weight_i),
        .take_i(ar_take && !ar_prio_sel),
        .grant_o(ar_arb_grant),
        .grant_idx_o(ar_arb_idx),
        .valid_o(ar_arb_valid)
    );

    integer i_ar;

    always @* begin
        arid_d = arid_q;
        araddr_d = araddr_q;
        arlen_d = arlen_q;
        arburst_d = arburst_q;
        arvalid_d = arvalid_q;
        i_ar = 0;

        if (m_axi_arready) begin
            arvalid_d = 1'b0;
        end
        if (ar_take) begin
            arvalid_d = 1'b1;
            arid_d = {ID_WIDTH{1'b0}};
            arid_d[PIDX_W-1:0] = ar_idx;
            for (i_ar = 0; i_ar < P; i_ar = i_ar + 1) begin
                if (ar_idx == i_ar[PIDX_W-1:0]) begin
                    araddr_d = p_araddr[i_ar*ADDR_WIDTH +: ADDR_WIDTH];
                    arlen_d = p_arlen[i_ar*8 +: 8];
                    arburst_d = p_arburst[i_ar*2 +: 2];
                end
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            arid_q <= {ID_WIDTH{1'b0}};
            araddr_q <= {ADDR_WIDTH{1'b0}};
            arlen_q <= 8'd0;
            arburst_q <= 2'd0;
            arvalid_q <= 1'b0;
        end else begin
            arid_q <= arid_d;
            araddr_q <= araddr_d;
            arlen_q <= arlen_d;
            arburst_q <= arburst_d;
            arvalid_q <= arvalid_d;
        end
    end

    assign p_arready = ar_grant & {P{ar_slot_free}};
    assign m_axi_arid = arid_q;
    assign m_axi_araddr = araddr_q;
    assign m_axi_arlen = arlen_q;
    assign m_axi_arburst = arburst_q;
    assign m_axi_arvalid = arvalid_q;

    // ================================================================
    // R: routed by RID
    // ================================================================
    reg [P-1:0] rid_hit;
    reg [P-1:0] bid_hit;
    integer     i_id;

    always @* begin
        rid_hit = {P{1'b0}};
        bid_hit = {P{1'b0}};
        for (i_id = 0; i_id < P; i_id = i_id + 1) begin
            rid_hit[i_id] = (m_axi_rid == i_id[ID_WIDTH-1:0]);
            bid_hit[i_id] = (m_axi_bid == i_id[ID_WIDTH-1:0]);
        end
    end

    assign p_rdata = {P{m_axi_rdata}};
    assign p_rresp = {P{m_axi_rresp}};
    assign p_rlast = {P{m_axi_rlast}};
    assign p_rvalid = rid_hit & {P{m_axi_rvalid}};
    assign m_axi_rready = |(rid_hit & p_rready) || !(|rid_hit);

    // ================================================================
    // AW: prio mask, arbiter, output register; pushes the W-order queue
    // ================================================================
    reg  [ID_WIDTH-1:0]   awid_q, awid_d;
    reg  [ADDR_WIDTH-1:0] awaddr_q, awaddr_d;
    reg  [7:0]            awlen_q, awlen_d;
    reg  [1:0]            awburst_q, awburst_d;
    reg                   awvalid_q, awvalid_d;

    reg  [PIDX_W-1:0]     wq_mem [0:W_QUEUE_DEPTH-1];
    reg  [QA:0]           wq_wr_q, wq_wr_d;
    reg  [QA:0]           wq_rd_q, wq_rd_d;
    wire                  wq_empty = (wq_wr_q == wq_rd_q);
    wire                  wq_full = (wq_wr_q[QA-1:0] == wq_rd_q[QA-1:0])
                                    && (wq_wr_q[QA] != wq_rd_q[QA]);
    wire [PIDX_W-1:0]     wq_head = wq_mem[wq_rd_q[QA-1:0]];

    // Prio ports (lowest index first) bypass the weighted arbiter, which
    // sees and counts only the other ports, so the light control traffic
    // does not disturb the weighted shares.
    wire [P-1:0]      aw_prio_req = p_awvalid & prio_i;
    wire [P-1:0]      aw_req = p_awvalid & ~prio_i;
    wire [P-1:0]      aw_arb_grant;
    wire [PIDX_W-1:0] aw_arb_idx;
    wire              aw_arb_valid;
    wire              aw_prio_sel = |aw_prio_req;
    wire [P-1:0]      aw_prio_onehot = aw_prio_req & ~(aw_prio_req - 1'b1);
    wire [P-1:0]      aw_grant = aw_prio_sel ? aw_prio_onehot : aw_arb_grant;
    wire [PIDX_W-1:0] aw_idx = aw_prio_sel ? onehot_idx(aw_prio_onehot) : aw_arb_idx;
    wire              aw_valid = aw_prio_sel || aw_arb_valid;
    wire              aw_slot_free = (!awvalid_q || m_axi_awready) && !wq_full
                                     && (aw_prio_sel || wr_out_q < MAX_OUTSTANDING[6:0]);
    wire              aw_take = aw_valid && aw_slot_free;

    ferry_arbiter #(
        .N(NUM_PORTS),
        .WEIGHT_WIDTH(WEIGHT_WIDTH)
    ) u_aw_arb (
        .clk(clk),
        .rst_n(rst_n),
        .req_i(aw_req),
        .weight_i(weight_i),
        .take_i(aw_take && !aw_prio_sel),
        .grant_o(aw_arb_grant),
        .grant_idx_o(aw_arb_idx),
        .valid_o(aw_arb_valid)
    );

    integer i_aw;

    always @* begin
        awid_d = awid_q;
        awaddr_d = awaddr_q;
        awlen_d = awlen_q;
        awburst_d = awburst_q;
        awvalid_d = awvalid_q;
        i_aw = 0;

        if (m_axi_awready) begin
            awvalid_d = 1'b0;
        end
        if (aw_take) begin
            awvalid_d = 1'b1;
            awid_d = {ID_WIDTH{1'b0}};
            awid_d[PIDX_W-1:0] = aw_idx;
            for (i_aw = 0; i_aw < P; i_aw = i_aw + 1) begin
                if (aw_idx == i_aw[PIDX_W-1:0]) begin
                    awaddr_d = p_awaddr[i_aw*ADDR_WIDTH +: ADDR_WIDTH];
                    awlen_d = p_awlen[i_aw*8 +: 8];
                    awburst_d = p_awburst[i_aw*2 +: 2];
                end
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            awid_q <= {ID_WIDTH{1'b0}};
            awaddr_q <= {ADDR_WIDTH{1'b0}};
            awlen_q <= 8'd0;
            awburst_q <= 2'd0;
            awvalid_q <= 1'b0;
        end else begin
            awid_q <= awid_d;
            awaddr_q <= awaddr_d;
            awlen_q <= awlen_d;
            awburst_q <= awburst_d;
            awvalid_q <= awvalid_d;
        end
    end

    assign p_awready = aw_grant & {P{aw_slot_free}};
    assign m_axi_awid = awid_q;
    assign m_axi_awaddr = awaddr_q;
    assign m_axi_awlen = awlen_q;
    assign m_axi_awburst = awburst_q;
    assign m_axi_awvalid = awvalid_q;

    // ================================================================
    // W: the queue head's beats pass through one register stage
    // ================================================================
    reg  [DATA_WIDTH-1:0] wdata_q, wdata_d;
    reg  [STRB_W-1:0]     wstrb_q, wstrb_d;
    reg                   wlast_q, wlast_d;
    reg                   wvalid_q, wvalid_d;

    reg  [DATA_WIDTH-1:0] sel_wdata;
    reg  [STRB_W-1:0]     sel_wstrb;
    reg                   sel_wlast;
    reg                   sel_wvalid;
    reg  [P-1:0]          head_onehot;
    integer               i_w;

    always @* begin
        sel_wdata = {DATA_WIDTH{1'b0}};
        sel_wstrb = {STRB_W{1'b0}};
        sel_wlast = 1'b0;
        sel_wvalid = 1'b0;
        head_onehot = {P{1'b0}};
        for (i_w = 0; i_w < P; i_w = i_w + 1) begin
            if (!wq_empty && wq_head == i_w[PIDX_W-1:0]) begin
                head_onehot[i_w] = 1'b1;
                sel_wdata = p_wdata[i_w*DATA_WIDTH +: DATA_WIDTH];
                sel_wstrb = p_wstrb[i_w*STRB_W +: STRB_W];
                sel_wlast = p_wlast[i_w];
                sel_wvalid = p_wvalid[i_w];
            end
        end
    end

    wire w_slot_free = !wvalid_q || m_axi_wready;
    wire w_load = sel_wvalid && w_slot_free;   // sel_wvalid implies !wq_empty
    wire wq_push = aw_take;
    wire wq_pop = w_load && sel_wlast;

    always @* begin
        wdata_d = wdata_q;
        wstrb_d = wstrb_q;
        wlast_d = wlast_q;
        wvalid_d = wvalid_q;
        wq_wr_d = wq_wr_q;
        wq_rd_d = wq_rd_q;

        if (m_axi_wready) begin
            wvalid_d = 1'b0;
        end
        if (w_load) begin
            wvalid_d = 1'b1;
            wdata_d = sel_wdata;
            wstrb_d = sel_wstrb;
            wlast_d = sel_wlast;
        end
        if (wq_push) begin
            wq_wr_d = wq_wr_q + 1'b1;
        end
        if (wq_pop) begin
            wq_rd_d = wq_rd_q + 1'b1;
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            wdata_q <= {DATA_WIDTH{1'b0}};
            wstrb_q <= {STRB_W{1'b0}};
            wlast_q <= 1'b0;
            wvalid_q <= 1'b0;
            wq_wr_q <= {(QA+1){1'b0}};
            wq_rd_q <= {(QA+1){1'b0}};
        end else begin
            wdata_q <= wdata_d;
            wstrb_q <= wstrb_d;
            wlast_q <= wlast_d;
            wvalid_q <= wvalid_d;
            wq_wr_q <= wq_wr_d;
            wq_rd_q <= wq_rd_d;
        end
    end

    // W-order queue storage: port index per granted AW, no reset (only
    // entries between the pointers are read).
    always @(posedge clk) begin
        if (wq_push) begin
            wq_mem[wq_wr_q[QA-1:0]] <= aw_idx;
        end
    end

    assign p_wready = head_onehot & {P{w_slot_free}};
    assign m_axi_wdata = wdata_q;
    assign m_axi_wstrb = wstrb_q;
    assign m_axi_wlast = wlast_q;
    assign m_axi_wvalid = wvalid_q;

    // ================================================================
    // B: routed by BID, always accepted
    // ================================================================
    assign p_bresp = {P{m_axi_bresp}};
    assign p_bvalid = bid_hit & {P{m_axi_bvalid}};
    assign m_axi_bready = 1'b1;

`ifdef FORMAL
    // The W-order queue never overflows or underflows, and a port is offered
    // W only while its AW is at the head.
    always @* begin
        assert (!(wq_push && wq_full));
        assert (!(wq_pop && wq_empty));
        assert ((p_wready & (p_wready - 1'b1)) == {P{1'b0}});
        assert ((p_arready & ~p_arvalid) == {P{1'b0}});
        assert ((p_awready & ~p_awvalid) == {P{1'b0}});
    end
`endif

    // ---- bursts in flight (see ar_slot_free) ----
    // A response counts when its ID names a weighted port (an ID that names
    // no port is dropped above and never took a slot).
    wire r_weighted = |(rid_hit & ~prio_i);
    wire b_weighted = |(bid_hit & ~prio_i);

    always @* begin
        rd_out_d = rd_out_q;
        wr_out_d = wr_out_q;
        if (ar_take && !ar_prio_sel) begin
            rd_out_d = rd_out_d + 7'd1;
        end
        if (m_axi_rvalid && m_axi_rready && m_axi_rlast && r_weighted) begin
            rd_out_d = rd_out_d - 7'd1;
        end
        if (aw_take && !aw_prio_sel) begin
            wr_out_d = wr_out_d + 7'd1;
        end
        if (m_axi_bvalid && m_axi_bready && b_weighted) begin
            wr_out_d = wr_out_d - 7'd1;
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            rd_out_q <= 7'd0;
            wr_out_q <= 7'd0;
        end else begin
            rd_out_q <= rd_out_d;
            wr_out_q <= wr_out_d;
        end
    end

endmodule

`resetall
