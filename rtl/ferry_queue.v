// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_queue: small first-word-fall-through queue in flip-flops.
//
// For control information (commands, burst records, tags) that must be
// read in the cycle it is needed: the head is visible combinationally on
// out_data_o while out_valid_o is high. One push and one pop per cycle;
// a push into a full queue is ignored (in_ready_o is low), as is a pop of
// an empty one. A word pushed into an empty queue is visible next cycle.
//
// Parameters
//   WIDTH  data bits, >= 1
//   DEPTH  entries, a power of two >= 2
module ferry_queue #(
    parameter WIDTH = 8,
    parameter DEPTH = 4
) (
    input  wire             clk,
    input  wire             rst_n,
    input  wire [WIDTH-1:0] in_data_i,
    input  wire             in_valid_i,
    output wire             in_ready_o,
    output wire [WIDTH-1:0] out_data_o,
    output wire             out_valid_o,
    input  wire             out_ready_i
);

    localparam AW = $clog2(DEPTH);

    generate
        if (DEPTH < 2 || (1 << AW) != DEPTH) begin : g_bad_depth
            ferry_queue_DEPTH_must_be_a_power_of_two u_bad();
        end
    endgenerate

    reg [WIDTH-1:0] mem_q [0:DEPTH-1];
    reg [AW:0]      wr_q;
    reg [AW:0]      rd_q;

    wire empty = (wr_q == rd_q);
    wire full = (wr_q[AW-1:0] == rd_q[AW-1:0]) && (wr_q[AW] != rd_q[AW]);
    wire push = in_valid_i && !full;
    wire pop = out_ready_i && !empty;

    // Pointers advance in the clocked block itself: no next-state copies, so
    // the many queues of a Verilated model cost little while they idle.
    always @(posedge clk) begin
        if (!rst_n) begin
            wr_q <= {(AW+1){1'b0}};
            rd_q <= {(AW+1){1'b0}};
        end else begin
            if (push) begin
                wr_q <= wr_q + 1'b1;
            end
            if (pop) begin
                rd_q <= rd_q + 1'b1;
            end
        end
    end

    // Storage: written only on push, no reset needed (read only while valid).
    always @(posedge clk) begin
        if (push) begin
            mem_q[wr_q[AW-1:0]] <= in_data_i;
        end
    end

    assign in_ready_o = !full;
    assign out_valid_o = !empty;
    assign out_data_o = mem_q[rd_q[AW-1:0]];

endmodule

`resetall
