// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_litefury_bram: on-card memory for the LiteFury board design, the
// RAM behind the AXI BRAM controller (its native BRAM port A): one port,
// byte write enables, registered read (one cycle, as the controller's
// default read latency expects). Vivado infers block RAM (RAMB36E1) from it.
//
// Parameters
//   DATA_WIDTH  bits per word, a multiple of 8
//   ADDR_WIDTH  byte address bits of the port (the controller's), so the
//               memory holds 2^ADDR_WIDTH bytes
module ferry_litefury_bram #(
    parameter DATA_WIDTH = 128,
    parameter ADDR_WIDTH = 16
) (
    input  wire                    clk,
    input  wire                    en_i,
    input  wire [DATA_WIDTH/8-1:0] we_i,
    input  wire [ADDR_WIDTH-1:0]   addr_i,     // byte address
    input  wire [DATA_WIDTH-1:0]   wdata_i,
    output wire [DATA_WIDTH-1:0]   rdata_o
);

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam WORDS = 1 << (ADDR_WIDTH - OFF_W);

    generate
        if (DATA_WIDTH % 8 != 0 || DATA_WIDTH < 8 || ADDR_WIDTH <= OFF_W) begin : g_bad
            ferry_litefury_bram_DATA_WIDTH_must_be_bytes_and_ADDR_WIDTH_above_the_offset u_bad();
        end
    endgenerate

    reg [DATA_WIDTH-1:0] mem [0:WORDS-1];
    reg [DATA_WIDTH-1:0] rdata_q;

    wire [ADDR_WIDTH-OFF_W-1:0] word = addr_i[ADDR_WIDTH-1:OFF_W];

    // Block RAM: no reset, contents undefined until written.
    integer b;
    always @(posedge clk) begin
        if (en_i) begin
            for (b = 0; b < BYTES; b = b + 1) begin
                if (we_i[b]) begin
                    mem[word][b*8 +: 8] <= wdata_i[b*8 +: 8];
                end
            end
            rdata_q <= mem[word];
        end
    end

    assign rdata_o = rdata_q;

    wire unused = &{1'b0, addr_i[OFF_W-1:0]};

endmodule

`resetall
