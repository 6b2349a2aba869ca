// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_skid: a two-entry register slice, where the registered bus boundary
// is made (ferry_axi_mux: AR, AW and W on the way out, R on the way in; the
// stream lanes: m_axis out of ferry_axis_tx, s_axis into ferry_s2mm).
//
//   in_* --> [skid register] --> [output register] --> out_*
//
// The output register drives out_valid_o / out_data_o. An item offered while
// the output register is free goes straight into it; one offered while the
// output waits for out_ready_i goes into the skid register, which empties
// into the output register when that frees up. in_ready_o is "the skid
// register is empty", a register, so neither side's ready reaches the other
// side's logic in the same cycle: out_ready_i is read only by clocked logic
// here, and in_valid_i / in_data_i only by clocked logic too.
//
// An item is taken when in_valid_i && in_ready_o. Full rate while out_ready_i
// stays high; after a stall the input pauses one cycle while the skid
// register drains.
//
// load_o / load_data_o: an item enters the output register at this clock
// edge (from the skid register or from the input), and which; for a caller
// that must act as an item becomes visible on out_* (ferry_axi_mux's W-order
// queue). load_o depends on out_ready_i: use it in clocked logic only.
module ferry_skid #(
    parameter WIDTH = 8
) (
    input  wire             clk,
    input  wire             rst_n,
    input  wire             in_valid_i,
    output wire             in_ready_o,
    input  wire [WIDTH-1:0] in_data_i,
    output wire             out_valid_o,
    input  wire             out_ready_i,
    output wire [WIDTH-1:0] out_data_o,
    output wire             load_o,
    output wire [WIDTH-1:0] load_data_o
);

    reg             out_valid_q, skid_valid_q;
    reg [WIDTH-1:0] out_data_q, skid_data_q;

    wire out_free = !out_valid_q || out_ready_i;

    always @(posedge clk) begin
        if (!rst_n) begin
            out_valid_q <= 1'b0;
            skid_valid_q <= 1'b0;
        end else if (out_free) begin
            if (skid_valid_q) begin
                out_valid_q <= 1'b1;
                skid_valid_q <= 1'b0;
            end else begin
                out_valid_q <= in_valid_i;
            end
        end else if (in_valid_i && !skid_valid_q) begin
            skid_valid_q <= 1'b1;
        end
    end

    // data registers: no reset (only read while their valid is set)
    always @(posedge clk) begin
        if (out_free) begin
            if (skid_valid_q) begin
                out_data_q <= skid_data_q;
            end else if (in_valid_i) begin
                out_data_q <= in_data_i;
            end
        end else if (in_valid_i && !skid_valid_q) begin
            skid_data_q <= in_data_i;
        end
    end

    assign in_ready_o = !skid_valid_q;
    assign out_valid_o = out_valid_q;
    assign out_data_o = out_data_q;
    assign load_o = out_free && (skid_valid_q || in_valid_i);
    assign load_data_o = skid_valid_q ? skid_data_q : in_data_i;

endmodule

`resetall
