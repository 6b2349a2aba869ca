// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_channel: one DMA channel's direct mode (doorbell, checks, status, irq).
//
// At the doorbell (start_i) the channel either
//   - ignores it and sets DB_OVERRUN, when a transfer is already running
//     (the running transfer is not touched);
//   - rejects it with ERROR and an error code, without any bus traffic, when
//     LEN is 0 (ERR_LEN_ZERO) or SRC + LEN or DST + LEN passes 2^ADDR_WIDTH
//     (ERR_ADDR_RANGE);
//   - or latches SRC, DST and LEN, clears DONE/ERROR of the previous
//     transfer, sets BUSY and requests the mover.
// When the mover reports the transfer finished (after its last write
// response) BUSY drops and DONE, or ERROR with the mover's code, is set.
// DONE, ERROR and DB_OVERRUN are write-1-to-clear. irq_o is a level: high
// while (DONE and IRQ_ENABLE.DONE) or (ERROR and IRQ_ENABLE.ERROR).
//
// Parameters
//   ADDR_WIDTH  m_axi address bits, 32..64
module ferry_channel #(
    parameter ADDR_WIDTH = 64
) (
    input  wire                  clk,
    input  wire                  rst_n,

    // from the register block
    input  wire                  start_i,      // doorbell pulse
    input  wire [63:0]           src_i,
    input  wire [63:0]           dst_i,
    input  wire [31:0]           len_i,
    input  wire [2:0]            clear_i,      // W1C pulses: {DB_OVERRUN, ERROR, DONE}
    input  wire [1:0]            irq_en_i,     // {ERROR, DONE}
    output wire [31:0]           status_o,     // STATUS register image
    output wire                  irq_o,

    // to the arbiter / mover
    output wire                  req_o,
    input  wire                  grant_i,      // the mover took this channel's command
    output wire [ADDR_WIDTH-1:0] cmd_src_o,
    output wire [ADDR_WIDTH-1:0] cmd_dst_o,
    output wire [31:0]           cmd_len_o,
    input  wire                  done_i,       // the mover finished this channel's command
    input  wire [7:0]            done_err_i
);

    `include "ferry_regs.vh"

    reg                  busy_q, busy_d;
    reg                  req_q, req_d;
    reg                  done_q, done_d;
    reg                  error_q, error_d;
    reg                  overrun_q, overrun_d;
    reg [7:0]            code_q, code_d;
    reg [ADDR_WIDTH-1:0] src_q, src_d;
    reg [ADDR_WIDTH-1:0] dst_q, dst_d;
    reg [31:0]           len_q, len_d;
    reg                  irq_q, irq_d;

    // Range check: the last byte (addr + len - 1) must lie below 2^ADDR_WIDTH.
    wire [64:0] src_end = {1'b0, src_i} + {33'd0, len_i};
    wire [64:0] dst_end = {1'b0, dst_i} + {33'd0, len_i};
    wire [64:0] limit = 65'd1 << ADDR_WIDTH;
    wire range_bad = (src_end > limit) || (dst_end > limit);

    always @* begin
        busy_d = busy_q;
        req_d = req_q;
        done_d = done_q;
        error_d = error_q;
        overrun_d = overrun_q;
        code_d = code_q;
        src_d = src_q;
        dst_d = dst_q;
        len_d = len_q;

        if (clear_i[0]) begin
            done_d = 1'b0;
        end
        if (clear_i[1]) begin
            error_d = 1'b0;
            code_d = ERR_NONE;
        end
        if (clear_i[2]) begin
            overrun_d = 1'b0;
        end

        if (grant_i) begin
            req_d = 1'b0;
        end
        if (done_i) begin
            busy_d = 1'b0;
            if (done_err_i == ERR_NONE) begin
                done_d = 1'b1;
            end else begin
                error_d = 1'b1;
                code_d = done_err_i;
            end
        end

        if (start_i) begin
            if (busy_q) begin
                overrun_d = 1'b1;
            end else begin
                done_d = 1'b0;
                if (len_i == 32'd0) begin
                    error_d = 1'b1;
                    code_d = ERR_LEN_ZERO;
                end else if (range_bad) begin
                    error_d = 1'b1;
                    code_d = ERR_ADDR_RANGE;
                end else begin
                    error_d = 1'b0;
                    code_d = ERR_NONE;
                    busy_d = 1'b1;
                    req_d = 1'b1;
                    src_d = src_i[ADDR_WIDTH-1:0];
                    dst_d = dst_i[ADDR_WIDTH-1:0];
                    len_d = len_i;
                end
            end
        end

        irq_d = (done_d && irq_en_i[0]) || (error_d && irq_en_i[1]);
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            busy_q <= 1'b0;
            req_q <= 1'b0;
            done_q <= 1'b0;
            error_q <= 1'b0;
            overrun_q <= 1'b0;
            code_q <= 8'd0;
            src_q <= {ADDR_WIDTH{1'b0}};
            dst_q <= {ADDR_WIDTH{1'b0}};
            len_q <= 32'd0;
            irq_q <= 1'b0;
        end else begin
            busy_q <= busy_d;
            req_q <= req_d;
            done_q <= done_d;
            error_q <= error_d;
            overrun_q <= overrun_d;
            code_q <= code_d;
            src_q <= src_d;
            dst_q <= dst_d;
            len_q <= len_d;
            irq_q <= irq_d;
        end
    end

    assign status_o = {16'd0, code_q, 4'd0, overrun_q, error_q, done_q, busy_q};
    assign irq_o = irq_q;
    assign req_o = req_q;
    assign cmd_src_o = src_q;
    assign cmd_dst_o = dst_q;
    assign cmd_len_o = len_q;

endmodule

`resetall
