// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_ice40_serdes: a wide port on four pins, for place-and-route
// experiments (make synth). Not a usable interface.
//
//   sin_i --> [IN_W-bit shift register] --> par_o     (every input of the core)
//   par_i --> [OUT_W-bit parallel-load shift register] --> sout_o
//
// The input register shifts sin_i in one bit per cycle; the output register
// loads par_i while cap_i is high and shifts towards sout_o otherwise. Every
// core input is then driven by a flip-flop and every core output observed,
// so synthesis keeps the whole core, and each core port has a register on
// its far side, as it would in a real design: the timing figure is the
// core's own register-to-register paths.
//
// rst_n_i, sin_i and cap_i come from pins and are sampled twice before use;
// rst_n_o is the synchronised, active-low reset for the core.
//
// Parameters
//   IN_W   bits into the core, >= 2
//   OUT_W  bits out of the core, >= 2
module ferry_ice40_serdes #(
    parameter IN_W = 8,
    parameter OUT_W = 8
) (
    input  wire             clk,
    input  wire             rst_n_i,
    input  wire             sin_i,
    input  wire             cap_i,
    output wire             sout_o,

    output wire             rst_n_o,
    output wire [IN_W-1:0]  par_o,
    input  wire [OUT_W-1:0] par_i
);

    generate
        if (IN_W < 2 || OUT_W < 2) begin : g_bad_w
            ferry_ice40_serdes_IN_W_and_OUT_W_must_be_at_least_2 u_bad();
        end
    endgenerate

    // Pin synchronisers and shift registers: no reset (they carry the
    // reset, and their contents are don't-care data).
    reg [1:0]       rst_sync_q, rst_sync_d;
    reg [1:0]       sin_sync_q, sin_sync_d;
    reg [1:0]       cap_sync_q, cap_sync_d;
    reg [IN_W-1:0]  in_q, in_d;
    reg [OUT_W-1:0] out_q, out_d;

    always @* begin
        rst_sync_d = {rst_sync_q[0], rst_n_i};
        sin_sync_d = {sin_sync_q[0], sin_i};
        cap_sync_d = {cap_sync_q[0], cap_i};
        in_d = {in_q[IN_W-2:0], sin_sync_q[1]};
        out_d = {out_q[OUT_W-2:0], 1'b0};
        if (cap_sync_q[1]) begin
            out_d = par_i;
        end
    end

    always @(posedge clk) begin
        rst_sync_q <= rst_sync_d;
        sin_sync_q <= sin_sync_d;
        cap_sync_q <= cap_sync_d;
        in_q <= in_d;
        out_q <= out_d;
    end

    assign rst_n_o = rst_sync_q[1];
    assign par_o = in_q;
    assign sout_o = out_q[OUT_W-1];

endmodule

`resetall
