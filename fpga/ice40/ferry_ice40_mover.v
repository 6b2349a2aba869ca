// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_ice40_mover: one channel's data mover (rtl/ferry_mover.v: command
// queue, read engine, realigner, data FIFO, write engine) on five iCE40
// pins, for the place-and-route Fmax figure of make synth. Not a usable
// system.
//
// The whole of ferry_top does not fit any iCE40 (make synth reports how far
// off the smallest build is); the mover is the part every byte goes
// through, so its Fmax bounds the data path. ferry_ice40_serdes drives
// each mover input from a flip-flop and observes each output.
//
// Parameters: those of ferry_mover as ferry_top sets them (TAG_WIDTH 17);
// legal ranges as in rtl/ferry_top.v.
module ferry_ice40_mover #(
    parameter DATA_WIDTH = 32,
    parameter ADDR_WIDTH = 32,
    parameter MAX_BURST_LEN = 16,
    parameter MAX_OUTSTANDING = 4,
    parameter FIFO_DEPTH = 64
) (
    input  wire clk,
    input  wire rst_n_i,
    input  wire sin_i,
    input  wire cap_i,
    output wire sout_o
);

    localparam TAG_W = 17;
    localparam WB_W = $clog2(DATA_WIDTH / 8) + 1;
    localparam IN_W = 2 * ADDR_WIDTH + DATA_WIDTH + TAG_W + 52;
    localparam OUT_W = 4 * ADDR_WIDTH + DATA_WIDTH + DATA_WIDTH / 8 + 3 * TAG_W + WB_W + 90;

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

    wire                    cmd_valid, cmd_ready;
    wire [ADDR_WIDTH-1:0]   cmd_src, cmd_dst;
    wire [31:0]             cmd_len;
    wire                    cmd_src_fixed, cmd_dst_fixed;
    wire [TAG_W-1:0]        cmd_tag, done_tag;
    wire [5:0]              max_out;
    wire                    done, idle, stall;
    wire [7:0]              done_err;
    wire [31:0]             rd_bytes;
    wire [WB_W-1:0]         wr_bytes;
    wire [ADDR_WIDTH-1:0]   araddr, awaddr;
    wire [7:0]              arlen, awlen;
    wire [1:0]              arburst, awburst, rresp, bresp;
    wire                    arvalid, arready, rlast, rvalid, rready;
    wire                    awvalid, awready, wlast, wvalid, wready, bvalid;
    wire [DATA_WIDTH-1:0]   rdata, wdata;
    wire [DATA_WIDTH/8-1:0] wstrb;
    wire                    abort, quiet, rd_fault, b_evt, b_ok, b_resp_err;
    wire [ADDR_WIDTH-1:0]   rd_fault_addr, b_addr;
    wire [TAG_W-1:0]        rd_fault_tag, b_tag;
    wire [15:0]             b_bytes;

    assign {abort, cmd_valid, cmd_src, cmd_dst, cmd_len, cmd_src_fixed, cmd_dst_fixed, cmd_tag,
            max_out, arready, rdata, rresp, rlast, rvalid, awready, wready, bresp,
            bvalid} = in_bits;

    assign out_bits = {cmd_ready, done, done_tag, done_err, idle, rd_bytes, wr_bytes, stall,
                       araddr, arlen, arburst, arvalid, rready,
                       awaddr, awlen, awburst, awvalid, wdata, wstrb, wlast, wvalid,
                       quiet, rd_fault, rd_fault_addr, rd_fault_tag, b_evt, b_ok, b_resp_err, b_bytes,
                       b_tag, b_addr};

    ferry_mover #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .FIFO_DEPTH(FIFO_DEPTH),
        .TAG_WIDTH(TAG_W)
    ) u_mover (
        .clk(clk),
        .rst_n(rst_n),
        .cmd_valid_i(cmd_valid),
        .cmd_ready_o(cmd_ready),
        .cmd_src_i(cmd_src),
        .cmd_dst_i(cmd_dst),
        .cmd_len_i(cmd_len),
        .cmd_src_fixed_i(cmd_src_fixed),
        .cmd_dst_fixed_i(cmd_dst_fixed),
        .cmd_tag_i(cmd_tag),
        .max_out_i(max_out),
        .abort_i(abort),
        .quiet_o(quiet),
        .rd_fault_o(rd_fault),
        .rd_fault_addr_o(rd_fault_addr),
        .rd_fault_tag_o(rd_fault_tag),
        .b_evt_o(b_evt),
        .b_ok_o(b_ok),
        .b_resp_err_o(b_resp_err),
        .b_bytes_o(b_bytes),
        .b_tag_o(b_tag),
        .b_addr_o(b_addr),
        .done_o(done),
        .done_tag_o(done_tag),
        .done_err_o(done_err),
        .idle_o(idle),
        .rd_bytes_o(rd_bytes),
        .wr_bytes_o(wr_bytes),
        .stall_o(stall),
        .araddr_o(araddr),
        .arlen_o(arlen),
        .arburst_o(arburst),
        .arvalid_o(arvalid),
        .arready_i(arready),
        .rdata_i(rdata),
        .rresp_i(rresp),
        .rlast_i(rlast),
        .rvalid_i(rvalid),
        .rready_o(rready),
        .awaddr_o(awaddr),
        .awlen_o(awlen),
        .awburst_o(awburst),
        .awvalid_o(awvalid),
        .awready_i(awready),
        .wdata_o(wdata),
        .wstrb_o(wstrb),
        .wlast_o(wlast),
        .wvalid_o(wvalid),
        .wready_i(wready),
        .bresp_i(bresp),
        .bvalid_i(bvalid)
    );

endmodule

`resetall
