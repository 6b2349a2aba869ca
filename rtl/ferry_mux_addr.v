// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_mux_addr: one address channel (AR or AW) of ferry_axi_mux; where a
// port's burst request becomes a bus address.
//
//   port p --valid/addr/len/burst--> [prio mask] -> ferry_arbiter
//                                          | grant (port index = ID)
//                                          v
//                                    ferry_skid --> m_* (output register)
//
// Prio ports (prio_i, lowest index first) bypass the weighted arbiter, which
// sees and counts only the other ports, so the light control traffic does
// not disturb the weighted shares. A grant is taken when the skid register
// is empty (its in_ready, a register, so no logic between the ports and the
// bus depends on m_ready_i in the same cycle), hold_i is low and, for a
// weighted port, fewer than MAX_OUTSTANDING of the weighted ports' bursts
// are in flight. Each taken weighted burst holds a slot until free_i (its
// last R beat or its B left the mux); a prio port's burst takes no slot.
//
// load_o / load_port_o: a grant enters the output register at this edge, and
// its port index (ferry_axi_mux's W-order queue on AW); load_o depends on
// m_ready_i: use it in clocked logic only.
//
// Parameters (ferry_axi_mux checks them at elaboration)
//   NUM_PORTS, ADDR_WIDTH, ID_WIDTH, WEIGHT_WIDTH, MAX_OUTSTANDING (1..64)
//
// Latency: a request taken in cycle t (p_ready_o high) is on m_* from cycle
// t+1 when the output register is free. Throughput: one grant per cycle.
module ferry_mux_addr #(
    parameter NUM_PORTS = 4,
    parameter ADDR_WIDTH = 64,
    parameter ID_WIDTH = 4,
    parameter WEIGHT_WIDTH = 8,
    parameter MAX_OUTSTANDING = 16
) (
    input  wire                                         clk,
    input  wire                                         rst_n,
    input  wire [NUM_PORTS*WEIGHT_WIDTH-1:0]            weight_i,
    input  wire [NUM_PORTS-1:0]                         prio_i,
    input  wire                                         hold_i,   // no grant this cycle
    input  wire                                         free_i,   // a weighted burst completed
    // ports (port p's field of width X at [p*X +: X])
    input  wire [NUM_PORTS*ADDR_WIDTH-1:0]              p_addr_i,
    input  wire [NUM_PORTS*8-1:0]                       p_len_i,
    input  wire [NUM_PORTS*2-1:0]                       p_burst_i,
    input  wire [NUM_PORTS-1:0]                         p_valid_i,
    output wire [NUM_PORTS-1:0]                         p_ready_o,
    // bus
    output wire [ID_WIDTH-1:0]                          m_id_o,
    output wire [ADDR_WIDTH-1:0]                        m_addr_o,
    output wire [7:0]                                   m_len_o,
    output wire [1:0]                                   m_burst_o,
    output wire                                         m_valid_o,
    input  wire                                         m_ready_i,
    // a grant enters the output register, and its port
    output wire                                         load_o,
    output wire [((NUM_PORTS > 1) ? $clog2(NUM_PORTS) : 1)-1:0] load_port_o
);

    localparam P = NUM_PORTS;
    localparam PIDX_W = (NUM_PORTS > 1) ? $clog2(NUM_PORTS) : 1;
    localparam A_W = ID_WIDTH + ADDR_WIDTH + 8 + 2;     // {id, addr, len, burst}

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

    wire              s_ready;
    wire [P-1:0]      prio_req = p_valid_i & prio_i;
    wire [P-1:0]      arb_grant;
    wire [PIDX_W-1:0] arb_idx;
    wire              arb_valid;
    wire              prio_sel = |prio_req;
    wire [P-1:0]      prio_onehot = prio_req & ~(prio_req - 1'b1);
    wire [P-1:0]      grant = prio_sel ? prio_onehot : arb_grant;
    wire [PIDX_W-1:0] idx = prio_sel ? onehot_idx(prio_onehot) : arb_idx;
    wire              valid = prio_sel || arb_valid;

    // Weighted bursts in flight: capped at MAX_OUTSTANDING so that under load
    // the ports queue here and the weights decide who gets the next slot.
    reg  [6:0]        out_q;
    wire              slot_free = s_ready && !hold_i && (prio_sel || out_q < MAX_OUTSTANDING[6:0]);
    wire              take = valid && slot_free;

    ferry_arbiter #(
        .N(NUM_PORTS),
        .WEIGHT_WIDTH(WEIGHT_WIDTH)
    ) u_arb (
        .clk(clk),
        .rst_n(rst_n),
        .req_i(p_valid_i & ~prio_i),
        .weight_i(weight_i),
        .take_i(take && !prio_sel),
        .grant_o(arb_grant),
        .grant_idx_o(arb_idx),
        .valid_o(arb_valid)
    );

    always @(posedge clk) begin
        if (!rst_n) begin
            out_q <= 7'd0;
        end else begin
            out_q <= out_q + {6'd0, take && !prio_sel} - {6'd0, free_i};
        end
    end

    // the granted port's request
    reg  [ADDR_WIDTH-1:0] sel_addr;
    reg  [7:0]            sel_len;
    reg  [1:0]            sel_burst;
    wire [ID_WIDTH-1:0]   sel_id = {{(ID_WIDTH-PIDX_W){1'b0}}, idx};
    integer i;

    always @* begin
        sel_addr = {ADDR_WIDTH{1'b0}};
        sel_len = 8'd0;
        sel_burst = 2'd0;
        for (i = 0; i < P; i = i + 1) begin
            if (idx == i[PIDX_W-1:0]) begin
                sel_addr = p_addr_i[i*ADDR_WIDTH +: ADDR_WIDTH];
                sel_len = p_len_i[i*8 +: 8];
                sel_burst = p_burst_i[i*2 +: 2];
            end
        end
    end

    wire [A_W-1:0] s_out;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [A_W-1:0] s_load_data;     // only its ID (the port index) is used
    /* verilator lint_on UNUSEDSIGNAL */

    ferry_skid #(
        .WIDTH(A_W)
    ) u_skid (
        .clk(clk),
        .rst_n(rst_n),
        .in_valid_i(take),
        .in_ready_o(s_ready),
        .in_data_i({sel_id, sel_addr, sel_len, sel_burst}),
        .out_valid_o(m_valid_o),
        .out_ready_i(m_ready_i),
        .out_data_o(s_out),
        .load_o(load_o),
        .load_data_o(s_load_data)
    );

    assign p_ready_o = grant & {P{slot_free}};
    assign {m_id_o, m_addr_o, m_len_o, m_burst_o} = s_out;
    assign load_port_o = s_load_data[A_W-ID_WIDTH +: PIDX_W];

`ifdef FORMAL
    // A grant goes only to a requesting port, never while held.
    always @* begin
        assert ((p_ready_o & ~p_valid_i) == {P{1'b0}});
        assert (!(take && hold_i));
    end
`endif

endmodule

`resetall
