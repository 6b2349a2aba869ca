// SPDX-License-Identifier: Apache-2.0
// arbiter_env: formal environment of rtl/ferry_arbiter.v (make formal).
//
// The properties are in arbiter_props.vh, which run.sh includes at the end
// of a copy of the module (sim/out/formal/src/ferry_arbiter.v) so that they
// see its state; this top only drives it: requests and takes are free, the
// weights are free but constant ($anyconst), and the run starts in reset.
`default_nettype none
module arbiter_env #(
    parameter N = 3,
    parameter W = 3
) (
    input wire         clk,
    input wire         rst_n,
    input wire [N-1:0] req,
    input wire         take
);
    localparam IDX_W = (N > 1) ? $clog2(N) : 1;

    (* anyconst *) wire [N*W-1:0] weight;

    wire [N-1:0]     grant;
    wire [IDX_W-1:0] grant_idx;
    wire             valid;

    ferry_arbiter #(.N(N), .WEIGHT_WIDTH(W)) dut (
        .clk(clk), .rst_n(rst_n), .req_i(req), .weight_i(weight), .take_i(take),
        .grant_o(grant), .grant_idx_o(grant_idx), .valid_o(valid)
    );
endmodule
