// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_burst_split: where a burst is split.
//
// Given the beat-aligned address of the next burst and the beats still to
// move, returns the length of the longest legal AXI4 burst starting there:
// at most MAX_BURST_LEN beats and never more than remain; an INCR burst never
// crosses a 4 KiB boundary (AMBA AXI A3.4.1) and a FIXED burst (fixed_i, for
// FIFO-like addresses) is at most 16 beats (A3.4.1). Purely combinational;
// the read and write engines each use one.
//
// Parameters
//   ADDR_WIDTH     address bits, 32..64
//   DATA_WIDTH     bus bits, 32..512 (power of two); a beat is DATA_WIDTH/8 bytes
//   MAX_BURST_LEN  beats per burst, 1..256 (need not be a power of two)
//   BEAT_WIDTH     width of the remaining-beats count
module ferry_burst_split #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter MAX_BURST_LEN = 64,
    parameter BEAT_WIDTH = 34
) (
    input  wire [ADDR_WIDTH-1:0] addr_i,   // beat aligned
    input  wire [BEAT_WIDTH-1:0] beats_i,  // beats still to move, >= 1 when used
    input  wire                  fixed_i,  // FIXED burst: the address does not advance
    output reg  [8:0]            len_o     // beats in this burst, 1..MAX_BURST_LEN
);

    localparam OFF_W = $clog2(DATA_WIDTH / 8);
    localparam PAGE_BEATS = 4096 / (DATA_WIDTH / 8);

    reg [12:0] page_left;   // beats from addr_i to the end of its 4 KiB page

    always @* begin
        page_left = 13'd4096 - {1'b0, addr_i[11:0]};
        page_left = page_left >> OFF_W;
        len_o = MAX_BURST_LEN[8:0];
        if (fixed_i) begin
            if (len_o > 9'd16) begin
                len_o = 9'd16;
            end
        end else if (page_left < {4'b0, len_o}) begin
            len_o = page_left[8:0];
        end
        if (beats_i < {{(BEAT_WIDTH-9){1'b0}}, len_o}) begin
            len_o = beats_i[8:0];
        end
    end

    wire unused = &{1'b0, addr_i[ADDR_WIDTH-1:12]};

    // The page size is a whole number of beats, so the result is never 0
    // while beats_i is not.
    generate
        if (PAGE_BEATS * (DATA_WIDTH / 8) != 4096) begin : g_bad_width
            ferry_burst_split_DATA_WIDTH_must_divide_4096 u_bad();
        end
    endgenerate

endmodule

`resetall
