// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_mover: the data mover. Copies LEN bytes from SRC to DST over m_axi.
//
//   cmd --> [setup] --> ferry_rd_engine --R--> ferry_fifo --> ferry_realign
//                          | beats received                        |
//                       m_axi AW/W/B <-- ferry_wr_engine <---------+
//
// One command at a time. The setup cycle turns (src, dst, len) into beat
// counts, beat-aligned start addresses, the realignment shift and the strobes
// of the first and last destination beat; then the read engine streams bursts
// (several outstanding) into the FIFO, the realigner shifts them onto the
// destination's byte alignment and the write engine writes them. done_o
// pulses once the last write response is back, with err_o = 0 (ERR_NONE),
// ERR_RD_RESP or ERR_WR_RESP and the command's tag.
//
// The command is checked by the channel before it gets here: len >= 1 and
// neither range wraps the address space.
//
// Latency: command accepted at cycle 0, SETUP (engines start) at cycle 1,
// first ARVALID at cycle 3. The first AW waits until its burst's data is in.
module ferry_mover #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter ID_WIDTH = 4,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 8,
    parameter FIFO_DEPTH = 512,
    parameter TAG_WIDTH = 4
) (
    input  wire                    clk,
    input  wire                    rst_n,

    input  wire                    cmd_valid_i,
    output wire                    cmd_ready_o,
    input  wire [ADDR_WIDTH-1:0]   cmd_src_i,
    input  wire [ADDR_WIDTH-1:0]   cmd_dst_i,
    input  wire [31:0]             cmd_len_i,
    input  wire [TAG_WIDTH-1:0]    cmd_tag_i,

    output wire                    done_o,
    output wire [TAG_WIDTH-1:0]    done_tag_o,
    output wire [7:0]              done_err_o,

    output wire [ID_WIDTH-1:0]     m_axi_awid,
    output wire [ADDR_WIDTH-1:0]   m_axi_awaddr,
    output wire [7:0]              m_axi_awlen,
    output wire                    m_axi_awvalid,
    input  wire                    m_axi_awready,
    output wire [DATA_WIDTH-1:0]   m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0] m_axi_wstrb,
    output wire                    m_axi_wlast,
    output wire                    m_axi_wvalid,
    input  wire                    m_axi_wready,
    input  wire [1:0]              m_axi_bresp,
    input  wire                    m_axi_bvalid,
    output wire                    m_axi_bready,
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

    `include "ferry_regs.vh"

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam BEAT_WIDTH = 34;
    localparam FIFO_CW = $clog2(FIFO_DEPTH) + 2;       // ferry_fifo's count width
    localparam COUNT_WIDTH = FIFO_CW + 4;              // beat counts in the read engine (>= 10)

    localparam [1:0] S_IDLE = 2'd0;
    localparam [1:0] S_SETUP = 2'd1;
    localparam [1:0] S_RUN = 2'd2;
    localparam [1:0] S_DONE = 2'd3;

    reg [1:0]             state_q, state_d;
    reg [ADDR_WIDTH-1:0]  src_q, src_d;
    reg [ADDR_WIDTH-1:0]  dst_q, dst_d;
    reg [31:0]            len_q, len_d;
    reg [TAG_WIDTH-1:0]   tag_q, tag_d;
    reg [7:0]             err_q, err_d;

    // Setup: derived from the latched command (registered into the engines at start).
    wire [OFF_W-1:0]      src_off = src_q[OFF_W-1:0];
    wire [OFF_W-1:0]      dst_off = dst_q[OFF_W-1:0];
    wire [BEAT_WIDTH-1:0] beat_round = {{(BEAT_WIDTH-OFF_W){1'b0}}, {OFF_W{1'b1}}};
    wire [BEAT_WIDTH-1:0] rd_beats = ({2'b0, len_q} + {{(BEAT_WIDTH-OFF_W){1'b0}}, src_off}
                                      + beat_round) >> OFF_W;
    wire [BEAT_WIDTH-1:0] wr_beats = ({2'b0, len_q} + {{(BEAT_WIDTH-OFF_W){1'b0}}, dst_off}
                                      + beat_round) >> OFF_W;
    wire [OFF_W-1:0]      end_off = dst_off + len_q[OFF_W-1:0] - 1'b1;   // lane of the last byte
    wire [OFF_W-1:0]      sh_mod = src_off - dst_off;
    wire [OFF_W:0]        shift = (sh_mod == {OFF_W{1'b0}}) ? BYTES[OFF_W:0] : {1'b0, sh_mod};
    wire                  prime = (src_off > dst_off);
    wire [BYTES-1:0]      first_strb = {BYTES{1'b1}} << dst_off;
    wire [BYTES-1:0]      last_strb = {BYTES{1'b1}} >> (BYTES[OFF_W:0] - 1'b1 - {1'b0, end_off});
    wire [ADDR_WIDTH-1:0] beat_mask = {{(ADDR_WIDTH-OFF_W){1'b1}}, {OFF_W{1'b0}}};

    wire start = (state_q == S_SETUP);
    wire rd_done, rd_err, wr_done, wr_err, ra_done;
    wire [BEAT_WIDTH-1:0] rd_rcvd;
    reg  [BEAT_WIDTH-1:0] wr_avail;   // destination beats the data received so far can produce

    wire [DATA_WIDTH-1:0]  rd_data;
    wire                   rd_push;
    wire [FIFO_CW-1:0]     fifo_count;
    wire [DATA_WIDTH-1:0]  fifo_data;
    wire                   fifo_valid, fifo_ready;
    wire [DATA_WIDTH-1:0]  ra_data;
    wire                   ra_valid, ra_ready;

    // Output beat k needs read beat k + prime (or none when the reads are all
    // in), so r received beats can produce r - prime write beats.
    always @* begin
        if (rd_rcvd == rd_beats) begin
            wr_avail = wr_beats;
        end else if (rd_rcvd > {{(BEAT_WIDTH-1){1'b0}}, prime}) begin
            wr_avail = rd_rcvd - {{(BEAT_WIDTH-1){1'b0}}, prime};
        end else begin
            wr_avail = {BEAT_WIDTH{1'b0}};
        end
    end

    always @* begin
        state_d = state_q;
        src_d = src_q;
        dst_d = dst_q;
        len_d = len_q;
        tag_d = tag_q;
        err_d = err_q;
        case (state_q)
            S_IDLE: begin
                if (cmd_valid_i) begin
                    src_d = cmd_src_i;
                    dst_d = cmd_dst_i;
                    len_d = cmd_len_i;
                    tag_d = cmd_tag_i;
                    state_d = S_SETUP;
                end
            end
            S_SETUP: begin
                state_d = S_RUN;
            end
            S_RUN: begin
                if (rd_done && ra_done && wr_done) begin
                    err_d = rd_err ? ERR_RD_RESP : (wr_err ? ERR_WR_RESP : ERR_NONE);
                    state_d = S_DONE;
                end
            end
            S_DONE: begin
                state_d = S_IDLE;
            end
            default: begin
                state_d = S_IDLE;
            end
        endcase
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            state_q <= S_IDLE;
            src_q <= {ADDR_WIDTH{1'b0}};
            dst_q <= {ADDR_WIDTH{1'b0}};
            len_q <= 32'd0;
            tag_q <= {TAG_WIDTH{1'b0}};
            err_q <= 8'd0;
        end else begin
            state_q <= state_d;
            src_q <= src_d;
            dst_q <= dst_d;
            len_q <= len_d;
            tag_q <= tag_d;
            err_q <= err_d;
        end
    end

    ferry_rd_engine #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .FIFO_DEPTH(FIFO_DEPTH + 1),
        .BEAT_WIDTH(BEAT_WIDTH),
        .COUNT_WIDTH(COUNT_WIDTH)
    ) u_rd (
        .clk(clk),
        .rst_n(rst_n),
        .start_i(start),
        .addr_i(src_q & beat_mask),
        .beats_i(rd_beats),
        .done_o(rd_done),
        .err_o(rd_err),
        .rcvd_o(rd_rcvd),
        .fifo_count_i({4'b0000, fifo_count}),
        .fifo_data_o(rd_data),
        .fifo_push_o(rd_push),
        .m_axi_arid(m_axi_arid),
        .m_axi_araddr(m_axi_araddr),
        .m_axi_arlen(m_axi_arlen),
        .m_axi_arvalid(m_axi_arvalid),
        .m_axi_arready(m_axi_arready),
        .m_axi_rdata(m_axi_rdata),
        .m_axi_rresp(m_axi_rresp),
        .m_axi_rlast(m_axi_rlast),
        .m_axi_rvalid(m_axi_rvalid),
        .m_axi_rready(m_axi_rready)
    );

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_fifo #(
        .WIDTH(DATA_WIDTH),
        .DEPTH(FIFO_DEPTH)
    ) u_fifo (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(rd_data),
        .in_valid_i(rd_push),
        .in_ready_o(),
        .out_data_o(fifo_data),
        .out_valid_o(fifo_valid),
        .out_ready_i(fifo_ready),
        .count_o(fifo_count)
    );
    /* verilator lint_on PINCONNECTEMPTY */

    ferry_realign #(
        .DATA_WIDTH(DATA_WIDTH),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_realign (
        .clk(clk),
        .rst_n(rst_n),
        .start_i(start),
        .shift_i(shift),
        .prime_i(prime),
        .rd_beats_i(rd_beats),
        .wr_beats_i(wr_beats),
        .done_o(ra_done),
        .in_data_i(fifo_data),
        .in_valid_i(fifo_valid),
        .in_ready_o(fifo_ready),
        .out_data_o(ra_data),
        .out_valid_o(ra_valid),
        .out_ready_i(ra_ready)
    );

    ferry_wr_engine #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_wr (
        .clk(clk),
        .rst_n(rst_n),
        .start_i(start),
        .addr_i(dst_q & beat_mask),
        .beats_i(wr_beats),
        .first_strb_i(first_strb),
        .last_strb_i(last_strb),
        .avail_i(wr_avail),
        .done_o(wr_done),
        .err_o(wr_err),
        .in_data_i(ra_data),
        .in_valid_i(ra_valid),
        .in_ready_o(ra_ready),
        .m_axi_awid(m_axi_awid),
        .m_axi_awaddr(m_axi_awaddr),
        .m_axi_awlen(m_axi_awlen),
        .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready),
        .m_axi_wdata(m_axi_wdata),
        .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast),
        .m_axi_wvalid(m_axi_wvalid),
        .m_axi_wready(m_axi_wready),
        .m_axi_bresp(m_axi_bresp),
        .m_axi_bvalid(m_axi_bvalid),
        .m_axi_bready(m_axi_bready)
    );

    assign cmd_ready_o = (state_q == S_IDLE);
    assign done_o = (state_q == S_DONE);
    assign done_tag_o = tag_q;
    assign done_err_o = err_q;

endmodule

`resetall
