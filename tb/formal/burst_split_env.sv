// SPDX-License-Identifier: Apache-2.0
// burst_split_env: formal properties of rtl/ferry_burst_split.v, for all
// inputs (it is combinational, so a depth-1 check is a proof).
//
// Two builds: DATA_WIDTH 32 with MAX_BURST_LEN 256 (a burst can reach the
// page end and the FIXED cap) and DATA_WIDTH 128 with MAX_BURST_LEN 13 (not
// a power of two); ADDR_WIDTH 32, BEAT_WIDTH 34.
// For beats >= 1:
//   S1 1 <= len <= MAX_BURST_LEN      S2 len <= beats
//   S3 FIXED: len <= 16               S4 INCR: the burst ends in addr's 4 KiB page
//   S5 len is the longest legal burst: min(MAX_BURST_LEN, beats, 16 or page end)
`default_nettype none
module burst_split_env (
    input wire        clk,
    input wire        rst_n,
    input wire [31:0] addr,
    input wire [33:0] beats,
    input wire        fixed
);
    split_check #(.DW(32), .MB(256)) u_a (.addr({addr[31:2], 2'b00}), .beats(beats), .fixed(fixed));
    split_check #(.DW(128), .MB(13)) u_b (.addr({addr[31:4], 4'b0000}), .beats(beats), .fixed(fixed));
    wire unused = &{1'b0, clk, rst_n};
endmodule

module split_check #(
    parameter DW = 32,
    parameter MB = 256
) (
    input wire [31:0] addr,
    input wire [33:0] beats,
    input wire        fixed
);
    localparam OFF = $clog2(DW / 8);
    wire [8:0] len;
    ferry_burst_split #(.ADDR_WIDTH(32), .DATA_WIDTH(DW), .MAX_BURST_LEN(MB), .BEAT_WIDTH(34)) dut (
        .addr_i(addr), .beats_i(beats), .fixed_i(fixed), .len_o(len)
    );
    wire [13:0] page_left = (14'd4096 - {2'b0, addr[11:0]}) >> OFF;
    reg  [33:0] best;
    always @* begin
        best = MB;
        if (fixed && best > 16) best = 16;
        if (!fixed && best > page_left) best = page_left;
        if (best > beats) best = beats;
        if (beats != 0) begin
            assert (len >= 1 && len <= MB);                                        // S1
            assert (len <= beats);                                                 // S2
            if (fixed) assert (len <= 16);                                         // S3
            if (!fixed) assert ({2'b0, addr[11:0]} + ({5'b0, len} << OFF) <= 14'd4096); // S4
            assert (len == best);                                                  // S5
        end
    end
endmodule
