// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_fifo: synchronous first-word-fall-through FIFO.
//
// A RAM with a registered read port (infers block RAM) followed by that
// register as the output stage: out_valid_o/out_data_o show the head, and a
// pop (out_valid_o && out_ready_i) fetches the next word in the same cycle,
// so the FIFO sustains one push and one pop per cycle. A pushed word reaches
// the output two cycles later when the FIFO was empty.
//
// Parameters
//   WIDTH  data bits, >= 1
//   DEPTH  words, a power of two >= 2 (the output register adds one more)
//
// count_o is the number of words held (RAM plus output register), so
// DEPTH + 1 at most; in_ready_o is low when the RAM is full.
module ferry_fifo #(
    parameter WIDTH = 64,
    parameter DEPTH = 512
) (
    input  wire              clk,
    input  wire              rst_n,

    input  wire [WIDTH-1:0]  in_data_i,
    input  wire              in_valid_i,
    output wire              in_ready_o,

    output wire [WIDTH-1:0]  out_data_o,
    output wire              out_valid_o,
    input  wire              out_ready_i,

    output wire [$clog2(DEPTH)+1:0] count_o
);

    localparam AW = $clog2(DEPTH);

    generate
        if (DEPTH < 2 || (1 << AW) != DEPTH) begin : g_bad_depth
            ferry_fifo_DEPTH_must_be_a_power_of_two u_bad();
        end
    endgenerate

    reg [WIDTH-1:0] mem [0:DEPTH-1];

    reg [AW:0]      wr_ptr_q;
    reg [AW:0]      rd_ptr_q;
    reg             out_valid_q;
    reg [WIDTH-1:0] out_data_q;

    wire ram_empty = (wr_ptr_q == rd_ptr_q);
    wire ram_full  = (wr_ptr_q[AW-1:0] == rd_ptr_q[AW-1:0]) && (wr_ptr_q[AW] != rd_ptr_q[AW]);
    wire push      = in_valid_i && !ram_full;
    wire ram_rd    = !ram_empty && (!out_valid_q || out_ready_i);

    // Pointers and the output register's valid change in the clocked block
    // itself (no next-state copies: cheap to simulate while idle).
    always @(posedge clk) begin
        if (!rst_n) begin
            wr_ptr_q <= {(AW+1){1'b0}};
            rd_ptr_q <= {(AW+1){1'b0}};
            out_valid_q <= 1'b0;
        end else begin
            if (push) begin
                wr_ptr_q <= wr_ptr_q + 1'b1;
            end
            if (ram_rd) begin
                rd_ptr_q <= rd_ptr_q + 1'b1;
                out_valid_q <= 1'b1;
            end else if (out_ready_i) begin
                out_valid_q <= 1'b0;
            end
        end
    end

    // RAM: write port and registered read port, no reset (block RAM).
    always @(posedge clk) begin
        if (push) begin
            mem[wr_ptr_q[AW-1:0]] <= in_data_i;
        end
        if (ram_rd) begin
            out_data_q <= mem[rd_ptr_q[AW-1:0]];
        end
    end

    wire [AW:0] ram_count = wr_ptr_q - rd_ptr_q;

    assign in_ready_o = !ram_full;
    assign out_data_o = out_data_q;
    assign out_valid_o = out_valid_q;
    assign count_o = {1'b0, ram_count} + {{(AW+1){1'b0}}, out_valid_q};

endmodule

`resetall
