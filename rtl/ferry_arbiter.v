// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_arbiter: weighted round-robin arbiter; where a grant is made.
//
// Arbitration runs in rounds of credit. Each cycle the grant goes to the
// first requester after the last one granted (index order, wrapping) that
// requests and has credit; a take (take_i) spends one credit of the granted
// requester. When no requester with credit requests but some requester
// does, a new round starts at once: every requester's credit grows by its
// weight (0 counts as 1), capped at twice its weight. So the arbiter is
// work-conserving (a lone requester is granted in the cycle it requests; a
// grant never goes to a non-requester), and a requester whose requests come
// and go (waiting for data or a free slot) keeps what it did not use of one
// round instead of losing its share the moment it pauses.
//
// Fairness, counted in takes (cycles with take_i && valid_o):
//   - Under continuous requests from a set S, requester i receives
//     weight_i takes per round: its share is weight_i / sum(weight_j, S).
//   - A requester that holds req_i is granted after at most
//     sum(min(2 * max(weight_j, 1), 2**WEIGHT_WIDTH - 1), j != i) + N - 2
//     takes by the others (proven by induction in make formal; the N - 2
//     are others' leftover credits that a refill can meet before i).
//
// grant_o is combinational from req_i, weight_i and the state (no path from
// take_i), so a grant may be taken in the cycle it is first offered.
//
// Parameters (checked at elaboration)
//   N             requesters, 1..32 (32 so that a 17-port ferry_axi_mux fits)
//   WEIGHT_WIDTH  bits per weight, 1..16 (default 8): weights 1..2**W-1
//
// Latency: zero cycles from req_i to grant_o. Throughput: one take per cycle.
module ferry_arbiter #(
    parameter N = 4,
    parameter WEIGHT_WIDTH = 8
) (
    input  wire                                 clk,
    input  wire                                 rst_n,
    input  wire [N-1:0]                         req_i,
    input  wire [N*WEIGHT_WIDTH-1:0]            weight_i,   // requester i at [i*W +: W]
    input  wire                                 take_i,
    output reg  [N-1:0]                         grant_o,
    output reg  [((N > 1) ? $clog2(N) : 1)-1:0] grant_idx_o,
    output wire                                 valid_o
);

    localparam IDX_W = (N > 1) ? $clog2(N) : 1;
    localparam W = WEIGHT_WIDTH;

    generate
        if (N < 1 || N > 32) begin : g_bad_n
            ferry_arbiter_N_must_be_1_to_32 u_bad();
        end
        if (W < 1 || W > 16) begin : g_bad_w
            ferry_arbiter_WEIGHT_WIDTH_must_be_1_to_16 u_bad();
        end
    endgenerate

    reg [N*W-1:0]   credit_q;
    reg [IDX_W-1:0] last_q;

    reg [N*W-1:0]   credit;      // credits this cycle (reloaded if the round is over)
    reg [N*W-1:0]   credit_take; // ... less the one the grant spends
    reg [N-1:0]     eligible;
    reg             found;
    integer         i;
    integer         idx;

    function [W-1:0] refill;
        input [W-1:0] c;
        input [W-1:0] w;
        reg [W:0] w1;
        reg [W+1:0] sum;
        reg [W+1:0] cap;
        begin
            w1 = (w == {W{1'b0}}) ? {{W{1'b0}}, 1'b1} : {1'b0, w};
            sum = {2'b00, c} + {1'b0, w1};
            cap = {w1, 1'b0};
            if (cap > {2'b00, {W{1'b1}}}) begin
                cap = {2'b00, {W{1'b1}}};
            end
            refill = (sum > cap) ? cap[W-1:0] : sum[W-1:0];
        end
    endfunction

    // Evaluated only while someone requests (a Verilated model skips an
    // arbiter with no requests).
    always @* begin
        credit = credit_q;
        credit_take = credit_q;
        eligible = {N{1'b0}};
        grant_o = {N{1'b0}};
        grant_idx_o = {IDX_W{1'b0}};
        found = 1'b0;
        idx = 0;
        if (req_i != {N{1'b0}}) begin
            for (i = 0; i < N; i = i + 1) begin
                eligible[i] = req_i[i] && (credit_q[i*W +: W] != {W{1'b0}});
            end
            if (eligible == {N{1'b0}}) begin
                for (i = 0; i < N; i = i + 1) begin
                    credit[i*W +: W] = refill(credit_q[i*W +: W], weight_i[i*W +: W]);
                end
                eligible = req_i;
            end

            for (i = 1; i <= N; i = i + 1) begin
                idx = {{(32-IDX_W){1'b0}}, last_q} + i;
                if (idx >= N) begin
                    idx = idx - N;
                end
                if (!found && eligible[idx]) begin
                    found = 1'b1;
                    grant_o[idx] = 1'b1;
                    grant_idx_o = idx[IDX_W-1:0];
                end
            end
            credit_take = credit;
            credit_take[grant_idx_o*W +: W] = credit[grant_idx_o*W +: W] - {{(W-1){1'b0}}, 1'b1};
        end
    end

    // A take spends one credit of the granted requester and moves the
    // round-robin pointer to it.
    always @(posedge clk) begin
        if (!rst_n) begin
            credit_q <= {(N*W){1'b0}};
            last_q <= {IDX_W{1'b0}};
        end else if (take_i && found) begin
            credit_q <= credit_take;
            last_q <= grant_idx_o;
        end
    end

    assign valid_o = |grant_o;

`ifdef FORMAL
    // grant is one-hot or zero, only to a requester, and present whenever
    // anyone requests; grant_idx_o names the granted requester.
    always @* begin
        assert ((grant_o & (grant_o - 1'b1)) == {N{1'b0}});
        assert ((grant_o & ~req_i) == {N{1'b0}});
        assert (valid_o == |req_i);
        if (valid_o) begin
            assert (grant_o[grant_idx_o]);
        end
    end
`endif

endmodule

`resetall
