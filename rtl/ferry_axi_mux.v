// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_axi_mux: joins NUM_PORTS simple AXI4 masters (no IDs) onto one AXI4
// master with IDs.
//
//   port p --AR--> ferry_mux_addr: [prio mask] -> ferry_arbiter -> ferry_skid --> m_axi_ar*
//   port p --AW--> ferry_mux_addr: [prio mask] -> ferry_arbiter -> ferry_skid --> m_axi_aw*
//                                                        | port index
//                                                        v
//                                       W-order queue --> head selects port for W
//   port p --W---> ferry_skid (beats of the head port only) --> m_axi_w*
//   port p <-R---- routed by RID <-- ferry_skid <-- m_axi_r*
//   port p <-B---- routed by BID <-- B register <-------- m_axi_b*
//
// Registered boundary: every m_axi input is read only by clocked logic, and
// no output depends combinationally on an input (RREADY is "the R skid
// register is empty"). So the bus side closes timing on its own, and a
// Verilated model evaluates nothing of the engine when only the bus inputs
// change (the simulation speed of docs/performance.md). Costs: a cycle on
// R and on B, and a skid register on AR, AW, W and R.
//
// Port signals are flattened: port p's field of width X is at [p*X +: X].
//
// ID mapping: ARID = AWID = the port index, zero-extended to ID_WIDTH. RID and
// BID select the port: p_rvalid[p] = m_axi_rvalid && RID == p, m_axi_rready
// = p_rready[RID]; p_bvalid[p] = m_axi_bvalid && BID == p, m_axi_bready = 1
// (ports always accept B). A response whose ID names no port is accepted
// and dropped so that the bus cannot hang (a compliant slave never sends one).
//
// Arbitration: AR and AW each have a ferry_mux_addr, whose ferry_arbiter
// (weighted round robin, weight_i per port, 0 read as 1) is over the ports
// without prio_i, granting one burst at a time. A requesting prio port wins over them (lowest index
// first) without the arbiter seeing or counting it, so the weighted shares
// among the other ports are undisturbed. A prio port that requests without
// pause starves the others: it is meant for the light descriptor and
// completion traffic.
//
// Ordering:
//   - AR and AW leave in the order they were granted (one register stage;
//     the skid register holds a grant made while ARREADY/AWREADY is low).
//     Ports see "the skid register is free", so after a stall the grants
//     pause for a cycle while it drains.
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
// m_axi_ar*/aw* from cycle t+1 when the output register is free. W: a beat
// taken in cycle t is on m_axi_w* from cycle t+1; the first beat of a burst
// can be taken one cycle after its AW enters the output register. R and B:
// one cycle (an R beat is offered to its port the cycle after its handshake
// on m_axi; B likewise).
// Throughput: one AR, one AW and one W beat per cycle (also across W bursts
// of different ports) and one R beat per cycle while the master accepts /
// the ports take every cycle.
// Every m_axi output comes from a register, and every m_axi input goes only
// into registers (ferry_skid, the B register, the burst counters); p_arready,
// p_awready and p_wready depend on the skid registers' state, not on
// m_axi_arready, m_axi_awready or m_axi_wready.
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

    // ================================================================
    // AR: ferry_mux_addr (prio mask, ferry_arbiter, ferry_skid)
    // ================================================================
    // Ports see the skid's in_ready (a register), so no logic between the
    // ports and the bus depends on ARREADY in the same cycle.
    wire ar_free;   // a weighted read burst's last R beat leaves (below)

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_mux_addr #(
        .NUM_PORTS(NUM_PORTS),
        .ADDR_WIDTH(ADDR_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .WEIGHT_WIDTH(WEIGHT_WIDTH),
        .MAX_OUTSTANDING(MAX_OUTSTANDING)
    ) u_ar (
        .clk(clk),
        .rst_n(rst_n),
        .weight_i(weight_i),
        .prio_i(prio_i),
        .hold_i(1'b0),
        .free_i(ar_free),
        .p_addr_i(p_araddr),
        .p_len_i(p_arlen),
        .p_burst_i(p_arburst),
        .p_valid_i(p_arvalid),
        .p_ready_o(p_arready),
        .m_id_o(m_axi_arid),
        .m_addr_o(m_axi_araddr),
        .m_len_o(m_axi_arlen),
        .m_burst_o(m_axi_arburst),
        .m_valid_o(m_axi_arvalid),
        .m_ready_i(m_axi_arready),
        .load_o(),
        .load_port_o()
    );
    /* verilator lint_on PINCONNECTEMPTY */

    // ================================================================
    // R: ferry_skid as a register slice, then routed by RID
    // ================================================================
    // The slice's output holds the beat the ports see; RREADY is its
    // in_ready, a register, so the bus's R inputs reach the ports only
    // through registers.
    localparam R_W = ID_WIDTH + DATA_WIDTH + 2 + 1;     // {id, data, resp, last}
    wire                  r_valid;
    wire [R_W-1:0]        r_out;
    wire [ID_WIDTH-1:0]   r_id;
    wire [DATA_WIDTH-1:0] r_data;
    wire [1:0]            r_resp;
    wire                  r_last;
    assign {r_id, r_data, r_resp, r_last} = r_out;

    reg [P-1:0] rid_hit;
    reg [P-1:0] bid_hit;
    integer     i_id;

    // B: one register stage; BREADY is always high (ports always take B)
    reg  [ID_WIDTH-1:0]   b_id_q;
    reg  [1:0]            b_resp_q;
    reg                   b_valid_q;

    always @* begin
        rid_hit = {P{1'b0}};
        bid_hit = {P{1'b0}};
        for (i_id = 0; i_id < P; i_id = i_id + 1) begin
            rid_hit[i_id] = (r_id == i_id[ID_WIDTH-1:0]);
            bid_hit[i_id] = (b_id_q == i_id[ID_WIDTH-1:0]);
        end
    end

    // the beat leaves: its port took it, or no port has its ID (dropped)
    wire r_pop = r_valid && (|(rid_hit & p_rready) || !(|rid_hit));

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_skid #(
        .WIDTH(R_W)
    ) u_r_skid (
        .clk(clk),
        .rst_n(rst_n),
        .in_valid_i(m_axi_rvalid),
        .in_ready_o(m_axi_rready),
        .in_data_i({m_axi_rid, m_axi_rdata, m_axi_rresp, m_axi_rlast}),
        .out_valid_o(r_valid),
        .out_ready_i(r_pop),
        .out_data_o(r_out),
        .load_o(),
        .load_data_o()
    );
    /* verilator lint_on PINCONNECTEMPTY */

    assign p_rdata = {P{r_data}};
    assign p_rresp = {P{r_resp}};
    assign p_rlast = {P{r_last}};
    assign p_rvalid = rid_hit & {P{r_valid}};

    // ================================================================
    // AW: ferry_mux_addr (as AR); feeds the W-order queue, and no AW is
    // granted while that queue is full
    // ================================================================
    wire              aw_free;              // a weighted write burst's B leaves (below)
    wire              aw_s_load;            // an AW enters the AW output register
    wire [PIDX_W-1:0] aw_s_load_port;       // and its port index
    wire              wq_empty, wq_full;    // the W-order queue (below)
    wire [PIDX_W-1:0] wq_head;

    ferry_mux_addr #(
        .NUM_PORTS(NUM_PORTS),
        .ADDR_WIDTH(ADDR_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .WEIGHT_WIDTH(WEIGHT_WIDTH),
        .MAX_OUTSTANDING(MAX_OUTSTANDING)
    ) u_aw (
        .clk(clk),
        .rst_n(rst_n),
        .weight_i(weight_i),
        .prio_i(prio_i),
        .hold_i(wq_full),
        .free_i(aw_free),
        .p_addr_i(p_awaddr),
        .p_len_i(p_awlen),
        .p_burst_i(p_awburst),
        .p_valid_i(p_awvalid),
        .p_ready_o(p_awready),
        .m_id_o(m_axi_awid),
        .m_addr_o(m_axi_awaddr),
        .m_len_o(m_axi_awlen),
        .m_burst_o(m_axi_awburst),
        .m_valid_o(m_axi_awvalid),
        .m_ready_i(m_axi_awready),
        .load_o(aw_s_load),
        .load_port_o(aw_s_load_port)
    );

    // ================================================================
    // W: the queue head's beats pass through a ferry_skid
    // ================================================================
    localparam W_W = DATA_WIDTH + STRB_W + 1;          // {data, strb, last}
    wire            w_s_ready;
    wire [W_W-1:0]  w_s_out;

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

    wire w_load = sel_wvalid && w_s_ready;   // sel_wvalid implies !wq_empty
    wire wq_pop = w_load && sel_wlast;

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_skid #(
        .WIDTH(W_W)
    ) u_w_skid (
        .clk(clk),
        .rst_n(rst_n),
        .in_valid_i(w_load),
        .in_ready_o(w_s_ready),
        .in_data_i({sel_wdata, sel_wstrb, sel_wlast}),
        .out_valid_o(m_axi_wvalid),
        .out_ready_i(m_axi_wready),
        .out_data_o(w_s_out),
        .load_o(),
        .load_data_o()
    );
    /* verilator lint_on PINCONNECTEMPTY */

    assign p_wready = head_onehot & {P{w_s_ready}};
    assign {m_axi_wdata, m_axi_wstrb, m_axi_wlast} = w_s_out;

    // W-order queue: an AW's port index enters as the AW enters the AW
    // output register (aw_s_load), so its W beats never reach m_axi_w*
    // before the AW is shown on m_axi_aw*. (A grant is taken only with a
    // free entry and an empty skid register, so the skid's AW always finds
    // its entry.)
    wire              wq_ready, wq_valid;

    ferry_queue #(
        .WIDTH(PIDX_W),
        .DEPTH(W_QUEUE_DEPTH)
    ) u_wq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(aw_s_load_port),
        .in_valid_i(aw_s_load),
        .in_ready_o(wq_ready),
        .out_data_o(wq_head),
        .out_valid_o(wq_valid),
        .out_ready_i(wq_pop)
    );
    assign wq_full = !wq_ready;
    assign wq_empty = !wq_valid;

    // ================================================================
    // B: registered (see b_*_q above), routed by BID, always accepted
    // ================================================================
    always @(posedge clk) begin
        if (!rst_n) begin
            b_valid_q <= 1'b0;
        end else begin
            b_valid_q <= m_axi_bvalid;
        end
        b_id_q <= m_axi_bid;
        b_resp_q <= m_axi_bresp;
    end

    assign p_bresp = {P{b_resp_q}};
    assign p_bvalid = bid_hit & {P{b_valid_q}};
    assign m_axi_bready = 1'b1;

`ifdef FORMAL
    // The W-order queue never overflows or underflows, and a port is offered
    // W only while its AW is at the head.
    always @* begin
        assert (!(wq_pop && wq_empty));
        assert ((p_wready & (p_wready - 1'b1)) == {P{1'b0}});
        assert ((p_arready & ~p_arvalid) == {P{1'b0}});
        assert ((p_awready & ~p_awvalid) == {P{1'b0}});
    end
`endif

    // ---- bursts in flight (ferry_mux_addr's MAX_OUTSTANDING slots) ----
    // A slot is returned when the burst's last R beat leaves the slice or
    // its B leaves the B register, and only for a weighted port (an ID that
    // names no port is dropped above and never took a slot).
    assign ar_free = r_pop && r_last && |(rid_hit & ~prio_i);
    assign aw_free = b_valid_q && |(bid_hit & ~prio_i);

endmodule

`resetall
