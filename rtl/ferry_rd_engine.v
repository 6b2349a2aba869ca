// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_rd_engine: the mover's read side (AR and R channels).
//
// On start_i it walks beats_i beats from the beat-aligned addr_i, issuing one
// INCR burst per cycle while three conditions hold: beats remain, fewer than
// MAX_OUTSTANDING bursts await their RLAST, and the data FIFO has room for
// every beat already asked for plus this burst (so RREADY never has to drop
// and a slow write side never stalls the read bus mid-burst). R beats go
// straight into the FIFO. Any RRESP other than OKAY sets err_o, sticky until
// the next start_i; the engine still takes every beat it asked for.
//
// Parameters: see ferry_top. FIFO_DEPTH is the data FIFO's capacity in beats
// (RAM depth plus its output register).
//
// Timing: start_i loads the walk; the first AR is computed in the next cycle
// and is valid the cycle after (two cycles after start_i); then one burst per
// cycle as credits allow. rcvd_o counts the beats received since start_i,
// which the write engine uses to hold each AW until its data is here.
module ferry_rd_engine #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter ID_WIDTH = 4,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 8,
    parameter FIFO_DEPTH = 513,
    parameter BEAT_WIDTH = 34,
    parameter COUNT_WIDTH = 11
) (
    input  wire                    clk,
    input  wire                    rst_n,

    input  wire                    start_i,
    input  wire [ADDR_WIDTH-1:0]   addr_i,      // beat aligned
    input  wire [BEAT_WIDTH-1:0]   beats_i,     // >= 1
    output wire                    done_o,      // idle: all asked-for beats are in the FIFO
    output wire                    err_o,
    output wire [BEAT_WIDTH-1:0]   rcvd_o,      // beats received since start_i

    // data FIFO
    input  wire [COUNT_WIDTH-1:0]  fifo_count_i,
    output wire [DATA_WIDTH-1:0]   fifo_data_o,
    output wire                    fifo_push_o,

    output wire [ID_WIDTH-1:0]     m_axi_arid,
    output wire [ADDR_WIDTH-1:0]   m_axi_araddr,
    output wire [7:0]              m_axi_arlen,
    output wire                    m_axi_arvalid,
    input  wire                    m_axi_arready,
    input  wire [DATA_WIDTH-1:0]   m_axi_rdata,
    input  wire [1:0]              m_axi_rresp,
    input  wire                    m_axi_rlast,
    input  wire                    m_axi_rvalid,
    output wire                    m_axi_rready
);

    localparam OFF_W = $clog2(DATA_WIDTH / 8);
    localparam OUT_W = $clog2(MAX_OUTSTANDING + 1);
    localparam [1:0] RESP_OKAY = 2'b00;

    reg [ADDR_WIDTH-1:0]  addr_q, addr_d;          // next burst's address
    reg [BEAT_WIDTH-1:0]  left_q, left_d;          // beats not yet asked for
    reg [ADDR_WIDTH-1:0]  araddr_q, araddr_d;
    reg [7:0]             arlen_q, arlen_d;
    reg                   arvalid_q, arvalid_d;
    reg [OUT_W-1:0]       bursts_q, bursts_d;      // bursts asked for, RLAST not yet seen
    reg [COUNT_WIDTH-1:0] inflight_q, inflight_d;  // beats asked for, not yet in the FIFO
    reg                   err_q, err_d;
    reg [BEAT_WIDTH-1:0]  rcvd_q, rcvd_d;          // beats received since start

    wire [8:0] burst_len;

    ferry_burst_split #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_split (
        .addr_i(addr_q),
        .beats_i(left_q),
        .len_o(burst_len)
    );

    wire ar_hs = arvalid_q && m_axi_arready;
    wire r_hs  = m_axi_rvalid;   // RREADY is always high: FIFO room is reserved
    wire [COUNT_WIDTH:0] room_needed = {1'b0, fifo_count_i} + {1'b0, inflight_q}
                                     + {{(COUNT_WIDTH-8){1'b0}}, burst_len};
    wire credit_ok = (room_needed <= FIFO_DEPTH[COUNT_WIDTH:0]);
    wire slot_free = !arvalid_q || m_axi_arready;
    wire issue = (left_q != {BEAT_WIDTH{1'b0}}) && slot_free && credit_ok
                 && (bursts_q < MAX_OUTSTANDING[OUT_W-1:0]);

    always @* begin
        addr_d = addr_q;
        left_d = left_q;
        araddr_d = araddr_q;
        arlen_d = arlen_q;
        arvalid_d = arvalid_q;
        bursts_d = bursts_q;
        inflight_d = inflight_q;
        err_d = err_q;
        rcvd_d = rcvd_q;

        if (ar_hs) begin
            arvalid_d = 1'b0;
        end
        if (r_hs) begin
            inflight_d = inflight_d - 1'b1;
            rcvd_d = rcvd_d + 1'b1;
            if (m_axi_rresp != RESP_OKAY) begin
                err_d = 1'b1;
            end
            if (m_axi_rlast) begin
                bursts_d = bursts_d - 1'b1;
            end
        end
        if (start_i) begin
            addr_d = addr_i;
            left_d = beats_i;
            err_d = 1'b0;
            rcvd_d = {BEAT_WIDTH{1'b0}};
        end else if (issue) begin
            araddr_d = addr_q;
            arlen_d = burst_len[7:0] - 8'd1;
            arvalid_d = 1'b1;
            addr_d = addr_q + ({{(ADDR_WIDTH-9){1'b0}}, burst_len} << OFF_W);
            left_d = left_q - {{(BEAT_WIDTH-9){1'b0}}, burst_len};
            bursts_d = bursts_d + 1'b1;
            inflight_d = inflight_d + {{(COUNT_WIDTH-9){1'b0}}, burst_len};
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            addr_q <= {ADDR_WIDTH{1'b0}};
            left_q <= {BEAT_WIDTH{1'b0}};
            araddr_q <= {ADDR_WIDTH{1'b0}};
            arlen_q <= 8'd0;
            arvalid_q <= 1'b0;
            bursts_q <= {OUT_W{1'b0}};
            inflight_q <= {COUNT_WIDTH{1'b0}};
            err_q <= 1'b0;
            rcvd_q <= {BEAT_WIDTH{1'b0}};
        end else begin
            addr_q <= addr_d;
            left_q <= left_d;
            araddr_q <= araddr_d;
            arlen_q <= arlen_d;
            arvalid_q <= arvalid_d;
            bursts_q <= bursts_d;
            inflight_q <= inflight_d;
            err_q <= err_d;
            rcvd_q <= rcvd_d;
        end
    end

    assign done_o = (left_q == {BEAT_WIDTH{1'b0}}) && !arvalid_q && (bursts_q == {OUT_W{1'b0}});
    assign err_o = err_q;
    assign rcvd_o = rcvd_q;
    assign fifo_data_o = m_axi_rdata;
    assign fifo_push_o = r_hs;

    assign m_axi_arid = {ID_WIDTH{1'b0}};
    assign m_axi_araddr = araddr_q;
    assign m_axi_arlen = arlen_q;
    assign m_axi_arvalid = arvalid_q;
    assign m_axi_rready = 1'b1;

endmodule

`resetall
