// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_realign: shifts source-aligned beats onto destination alignment.
//
// The read engine fetches beats aligned to the source, the write engine
// needs beats aligned to the destination. For each command (taken from the
// command queue in order) with src_off and dst_off the byte offsets of its
// first byte inside a beat, output beat k is the 2-beat window {cur, prev}
// shifted right by SHIFT bytes, where
//   SHIFT = (src_off - dst_off) mod BYTES, or BYTES when that is 0, and
//   (prev, cur) = (read beat k, read beat k+1) if src_off > dst_off (PRIME:
//                 one read beat is loaded before the first output), else
//                 (read beat k-1, read beat k).
// Output beat k takes a new read beat only while read beats remain; the last
// output beat may come from prev alone. Lanes outside the transfer carry
// don't-care bytes that the write engine's strobes mask off. A read beat's
// error flag (RRESP not OKAY) is carried onto every later output beat of the
// same command.
//
// done_o pulses with the command's last output beat; release_o then says how
// many of the beats the read engine reserved for the command (read beats + 1)
// were not produced (read beats + 1 - write beats).
//
// Throughput: one beat in and one out per cycle within a command; one idle
// cycle between commands. in_ready_o depends combinationally on out_ready_i.
module ferry_realign #(
    parameter DATA_WIDTH = 64,
    parameter BEAT_WIDTH = 34
) (
    input  wire                          clk,
    input  wire                          rst_n,

    input  wire                          cmd_valid_i,
    output reg                           cmd_ready_o,
    input  wire [$clog2(DATA_WIDTH/8):0] shift_i,     // 1..BYTES
    input  wire                          prime_i,
    input  wire [BEAT_WIDTH-1:0]         rd_beats_i,  // read beats of the command
    input  wire [BEAT_WIDTH-1:0]         wr_beats_i,  // output beats to produce
    output reg                           done_o,
    output wire [BEAT_WIDTH-1:0]         release_o,
    output wire                          idle_o,

    input  wire [DATA_WIDTH-1:0]         in_data_i,
    input  wire                          in_err_i,
    input  wire                          in_valid_i,
    output reg                           in_ready_o,

    output wire [DATA_WIDTH-1:0]         out_data_o,
    output reg                           out_err_o,
    output reg                           out_valid_o,
    input  wire                          out_ready_i
);

    localparam SH_W = $clog2(DATA_WIDTH / 8) + 1;

    reg                  active_q, active_d;
    reg [SH_W-1:0]       shift_q, shift_d;
    reg                  prime_q, prime_d;
    reg [BEAT_WIDTH-1:0] rd_left_q, rd_left_d;
    reg [BEAT_WIDTH-1:0] wr_left_q, wr_left_d;
    reg [BEAT_WIDTH-1:0] spare_q, spare_d;    // reserved beats this command will not produce
    reg [DATA_WIDTH-1:0] prev_q, prev_d;
    reg                  err_q, err_d;

    wire need_cur = (rd_left_q != {BEAT_WIDTH{1'b0}});
    // The output beat: the two-beat window shifted, only while beats flow
    // (a Verilated model then skips the wide shift of an idle realigner).
    reg [2*DATA_WIDTH-1:0] shifted;
    always @* begin
        shifted = {(2*DATA_WIDTH){1'b0}};
        if (active_q && !prime_q) begin
            shifted = {in_data_i, prev_q} >> {shift_q, 3'b000};
        end
    end

    always @* begin
        active_d = active_q;
        shift_d = shift_q;
        prime_d = prime_q;
        rd_left_d = rd_left_q;
        wr_left_d = wr_left_q;
        spare_d = spare_q;
        prev_d = prev_q;
        err_d = err_q;
        cmd_ready_o = 1'b0;
        in_ready_o = 1'b0;
        out_valid_o = 1'b0;
        out_err_o = err_q;
        done_o = 1'b0;

        if (!active_q) begin
            cmd_ready_o = 1'b1;
            if (cmd_valid_i) begin
                active_d = 1'b1;
                shift_d = shift_i;
                prime_d = prime_i;
                rd_left_d = rd_beats_i;
                wr_left_d = wr_beats_i;
                spare_d = rd_beats_i + 1'b1 - wr_beats_i;
                err_d = 1'b0;
            end
        end else if (prime_q) begin
            in_ready_o = 1'b1;
            if (in_valid_i) begin
                prev_d = in_data_i;
                rd_left_d = rd_left_q - 1'b1;
                prime_d = 1'b0;
                err_d = err_q | in_err_i;
            end
        end else begin
            out_valid_o = need_cur ? in_valid_i : 1'b1;
            out_err_o = err_q | (need_cur && in_err_i);
            in_ready_o = need_cur && out_ready_i;
            if (out_valid_o && out_ready_i) begin
                wr_left_d = wr_left_q - 1'b1;
                if (need_cur) begin
                    prev_d = in_data_i;
                    rd_left_d = rd_left_q - 1'b1;
                    err_d = out_err_o;
                end
                if (wr_left_q == {{(BEAT_WIDTH-1){1'b0}}, 1'b1}) begin
                    // The last output beat; every read beat has been taken
                    // (prime + min(W, R - prime) = R).
                    done_o = 1'b1;
                    active_d = 1'b0;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            active_q <= 1'b0;
            shift_q <= {SH_W{1'b0}};
            prime_q <= 1'b0;
            rd_left_q <= {BEAT_WIDTH{1'b0}};
            wr_left_q <= {BEAT_WIDTH{1'b0}};
            spare_q <= {BEAT_WIDTH{1'b0}};
            prev_q <= {DATA_WIDTH{1'b0}};
            err_q <= 1'b0;
        end else begin
            active_q <= active_d;
            shift_q <= shift_d;
            prime_q <= prime_d;
            rd_left_q <= rd_left_d;
            wr_left_q <= wr_left_d;
            spare_q <= spare_d;
            prev_q <= prev_d;
            err_q <= err_d;
        end
    end

    assign out_data_o = shifted[DATA_WIDTH-1:0];
    assign release_o = done_o ? spare_q : {BEAT_WIDTH{1'b0}};
    assign idle_o = !active_q;

    wire unused = &{1'b0, shifted[2*DATA_WIDTH-1:DATA_WIDTH]};

endmodule

`resetall
