// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_arbiter: round-robin arbiter; where a grant is made.
//
// Each cycle, when ready_i is high and any req_i bit is set, grant_o is
// one-hot on the first requester after the one granted last (wrapping), and
// grant_idx_o is its index. The pointer moves only when a grant is taken
// (ready_i && |req_i), so the arbiter is work-conserving and fair:
//
//   Fairness: a requester that holds req_i waits for at most N-1 grants to
//   other requesters before it is granted.
//
// grant_o depends combinationally on req_i and ready_i; the pointer is a
// register.
//
// Parameters
//   N  requesters, 1..16
module ferry_arbiter #(
    parameter N = 4
) (
    input  wire                   clk,
    input  wire                   rst_n,
    input  wire [N-1:0]           req_i,
    input  wire                   ready_i,
    output reg  [N-1:0]           grant_o,
    output reg  [((N > 1) ? $clog2(N) : 1)-1:0] grant_idx_o
);

    localparam IDX_W = (N > 1) ? $clog2(N) : 1;

    generate
        if (N < 1 || N > 16) begin : g_bad_n
            ferry_arbiter_N_must_be_1_to_16 u_bad();
        end
    endgenerate

    reg [IDX_W-1:0] last_q, last_d;
    reg             found;
    integer         i;
    integer         idx;

    always @* begin
        grant_o = {N{1'b0}};
        grant_idx_o = {IDX_W{1'b0}};
        found = 1'b0;
        for (i = 1; i <= N; i = i + 1) begin
            idx = {{(32-IDX_W){1'b0}}, last_q} + i;
            if (idx >= N) begin
                idx = idx - N;
            end
            if (!found && ready_i && req_i[idx]) begin
                found = 1'b1;
                grant_o[idx] = 1'b1;
                grant_idx_o = idx[IDX_W-1:0];
            end
        end
        last_d = found ? grant_idx_o : last_q;
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            last_q <= {IDX_W{1'b0}};
        end else begin
            last_q <= last_d;
        end
    end

endmodule

`resetall
