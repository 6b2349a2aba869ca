// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_ice40_top: ferry_top on five iCE40 pins, for the place-and-route fit
// check of make synth. Not a usable system.
//
//   sin_i, cap_i --> ferry_ice40_serdes --> every ferry_top input
//   every ferry_top output --> ferry_ice40_serdes --> sout_o
//
// ferry_ice40_serdes drives each ferry_top input from a flip-flop and
// observes each output, so synthesis keeps the whole engine; rst_n_i is
// synchronised into ferry_top's synchronous active-low reset.
//
// Parameters: those of ferry_top, passed through unchanged (legal ranges in
// rtl/ferry_top.v). The defaults are the smallest legal build: 1 channel,
// 32-bit data and addresses, one ID bit, 8-beat bursts, one burst
// outstanding, a 16-beat FIFO, an 8 KiB register window.
module ferry_ice40_top #(
    parameter NUM_CHANNELS = 1,
    parameter DATA_WIDTH = 32,
    parameter ADDR_WIDTH = 32,
    parameter ID_WIDTH = 1,
    parameter MAX_BURST_LEN = 8,
    parameter MAX_OUTSTANDING = 1,
    parameter FIFO_DEPTH = 16,
    parameter AXIL_ADDR_WIDTH = 13
) (
    input  wire clk,
    input  wire rst_n_i,
    input  wire sin_i,
    input  wire cap_i,
    output wire sout_o
);

    localparam AXW = AXIL_ADDR_WIDTH;
    // ferry_top inputs (without clk, rst_n) and outputs, in bits
    localparam IN_W = 2 * AXW + 47 + 2 * ID_WIDTH + DATA_WIDTH + 10;
    localparam OUT_W = 41 + 2 * ID_WIDTH + 2 * ADDR_WIDTH + DATA_WIDTH + DATA_WIDTH / 8 + 48
                       + NUM_CHANNELS;

    wire              rst_n;
    wire [IN_W-1:0]   in_bits;
    wire [OUT_W-1:0]  out_bits;

    ferry_ice40_serdes #(
        .IN_W(IN_W),
        .OUT_W(OUT_W)
    ) u_serdes (
        .clk(clk),
        .rst_n_i(rst_n_i),
        .sin_i(sin_i),
        .cap_i(cap_i),
        .sout_o(sout_o),
        .rst_n_o(rst_n),
        .par_o(in_bits),
        .par_i(out_bits)
    );

    // ---- ferry_top ports ----
    wire [AXW-1:0]              s_axil_awaddr, s_axil_araddr;
    wire [2:0]                  s_axil_awprot, s_axil_arprot;
    wire                        s_axil_awvalid, s_axil_awready;
    wire [31:0]                 s_axil_wdata;
    wire [3:0]                  s_axil_wstrb;
    wire                        s_axil_wvalid, s_axil_wready;
    wire [1:0]                  s_axil_bresp;
    wire                        s_axil_bvalid, s_axil_bready;
    wire                        s_axil_arvalid, s_axil_arready;
    wire [31:0]                 s_axil_rdata;
    wire [1:0]                  s_axil_rresp;
    wire                        s_axil_rvalid, s_axil_rready;

    wire [ID_WIDTH-1:0]         m_axi_awid, m_axi_bid, m_axi_arid, m_axi_rid;
    wire [ADDR_WIDTH-1:0]       m_axi_awaddr, m_axi_araddr;
    wire [7:0]                  m_axi_awlen, m_axi_arlen;
    wire [2:0]                  m_axi_awsize, m_axi_arsize;
    wire [1:0]                  m_axi_awburst, m_axi_arburst;
    wire                        m_axi_awlock, m_axi_arlock;
    wire [3:0]                  m_axi_awcache, m_axi_arcache;
    wire [2:0]                  m_axi_awprot, m_axi_arprot;
    wire                        m_axi_awvalid, m_axi_awready;
    wire [DATA_WIDTH-1:0]       m_axi_wdata, m_axi_rdata;
    wire [DATA_WIDTH/8-1:0]     m_axi_wstrb;
    wire                        m_axi_wlast, m_axi_wvalid, m_axi_wready;
    wire [1:0]                  m_axi_bresp, m_axi_rresp;
    wire                        m_axi_bvalid, m_axi_bready;
    wire                        m_axi_arvalid, m_axi_arready;
    wire                        m_axi_rlast, m_axi_rvalid, m_axi_rready;
    wire [NUM_CHANNELS-1:0]     irq;

    assign {s_axil_awaddr, s_axil_awprot, s_axil_awvalid, s_axil_wdata, s_axil_wstrb,
            s_axil_wvalid, s_axil_bready, s_axil_araddr, s_axil_arprot, s_axil_arvalid,
            s_axil_rready,
            m_axi_awready, m_axi_wready, m_axi_bid, m_axi_bresp, m_axi_bvalid,
            m_axi_arready, m_axi_rid, m_axi_rdata, m_axi_rresp, m_axi_rlast,
            m_axi_rvalid} = in_bits;

    assign out_bits = {s_axil_awready, s_axil_wready, s_axil_bresp, s_axil_bvalid,
                       s_axil_arready, s_axil_rdata, s_axil_rresp, s_axil_rvalid,
                       m_axi_awid, m_axi_awaddr, m_axi_awlen, m_axi_awsize, m_axi_awburst,
                       m_axi_awlock, m_axi_awcache, m_axi_awprot, m_axi_awvalid,
                       m_axi_wdata, m_axi_wstrb, m_axi_wlast, m_axi_wvalid, m_axi_bready,
                       m_axi_arid, m_axi_araddr, m_axi_arlen, m_axi_arsize, m_axi_arburst,
                       m_axi_arlock, m_axi_arcache, m_axi_arprot, m_axi_arvalid,
                       m_axi_rready, irq};

    ferry_top #(
        .NUM_CHANNELS(NUM_CHANNELS),
        .DATA_WIDTH(DATA_WIDTH),
        .ADDR_WIDTH(ADDR_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .FIFO_DEPTH(FIFO_DEPTH),
        .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH)
    ) u_ferry (
        .clk(clk),
        .rst_n(rst_n),
        .s_axil_awaddr(s_axil_awaddr),
        .s_axil_awprot(s_axil_awprot),
        .s_axil_awvalid(s_axil_awvalid),
        .s_axil_awready(s_axil_awready),
        .s_axil_wdata(s_axil_wdata),
        .s_axil_wstrb(s_axil_wstrb),
        .s_axil_wvalid(s_axil_wvalid),
        .s_axil_wready(s_axil_wready),
        .s_axil_bresp(s_axil_bresp),
        .s_axil_bvalid(s_axil_bvalid),
        .s_axil_bready(s_axil_bready),
        .s_axil_araddr(s_axil_araddr),
        .s_axil_arprot(s_axil_arprot),
        .s_axil_arvalid(s_axil_arvalid),
        .s_axil_arready(s_axil_arready),
        .s_axil_rdata(s_axil_rdata),
        .s_axil_rresp(s_axil_rresp),
        .s_axil_rvalid(s_axil_rvalid),
        .s_axil_rready(s_axil_rready),
        .m_axi_awid(m_axi_awid),
        .m_axi_awaddr(m_axi_awaddr),
        .m_axi_awlen(m_axi_awlen),
        .m_axi_awsize(m_axi_awsize),
        .m_axi_awburst(m_axi_awburst),
        .m_axi_awlock(m_axi_awlock),
        .m_axi_awcache(m_axi_awcache),
        .m_axi_awprot(m_axi_awprot),
        .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready),
        .m_axi_wdata(m_axi_wdata),
        .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast),
        .m_axi_wvalid(m_axi_wvalid),
        .m_axi_wready(m_axi_wready),
        .m_axi_bid(m_axi_bid),
        .m_axi_bresp(m_axi_bresp),
        .m_axi_bvalid(m_axi_bvalid),
        .m_axi_bready(m_axi_bready),
        .m_axi_arid(m_axi_arid),
        .m_axi_araddr(m_axi_araddr),
        .m_axi_arlen(m_axi_arlen),
        .m_axi_arsize(m_axi_arsize),
        .m_axi_arburst(m_axi_arburst),
        .m_axi_arlock(m_axi_arlock),
        .m_axi_arcache(m_axi_arcache),
        .m_axi_arprot(m_axi_arprot),
        .m_axi_arvalid(m_axi_arvalid),
        .m_axi_arready(m_axi_arready),
        .m_axi_rid(m_axi_rid),
        .m_axi_rdata(m_axi_rdata),
        .m_axi_rresp(m_axi_rresp),
        .m_axi_rlast(m_axi_rlast),
        .m_axi_rvalid(m_axi_rvalid),
        .m_axi_rready(m_axi_rready),
        // stream lanes: no stream channels in this build (inputs tied to 0)
        /* verilator lint_off PINCONNECTEMPTY */
        .m_axis_tdata(), .m_axis_tkeep(), .m_axis_tlast(), .m_axis_tuser(), .m_axis_tid(),
        .m_axis_tvalid(), .m_axis_tready({NUM_CHANNELS{1'b0}}),
        .s_axis_tdata({(NUM_CHANNELS*DATA_WIDTH){1'b0}}), .s_axis_tkeep({(NUM_CHANNELS*DATA_WIDTH/8){1'b0}}),
        .s_axis_tlast({NUM_CHANNELS{1'b0}}), .s_axis_tuser({(NUM_CHANNELS*8){1'b0}}),
        .s_axis_tid({(NUM_CHANNELS*8){1'b0}}), .s_axis_tvalid({NUM_CHANNELS{1'b0}}), .s_axis_tready(),
        /* verilator lint_on PINCONNECTEMPTY */
        .irq(irq)
    );

endmodule

`resetall
