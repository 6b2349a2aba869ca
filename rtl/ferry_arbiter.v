// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_arbiter: weighted round-robin arbiter; where a grant is made.
//
// The arbiter keeps a current requester (cur) and the number of takes it has
// had in a row (used). Each cycle:
//
//   - if cur requests and used < weight(cur), cur keeps the grant;
//   - otherwise the grant goes to the first requester after cur in index
//     order, wrapping (cur itself comes last, so a lone requester is granted
//     again and starts a new run of weight(cur) takes);
//   - with no request, grant_o is zero and valid_o is low.
//
// State moves only on take_i (the grant is used this cycle): a take by cur
// counts one more take; a take by another requester makes it cur with one
// take used. A requester that stops requesting loses the rest of its run as
// soon as someone else takes. weight_i of 0 counts as 1.
//
// grant_o is combinational from req_i, weight_i and the state (no path from
// take_i), so a grant may be taken in the cycle it is first offered. It is
// never given to a non-requester, and some requester is always granted when
// any requests (work-conserving: a lone requester is granted in the cycle it
// requests). The caller holds take_i low when valid_o is low.
//
// Fairness, counted in takes (cycles with take_i && valid_o):
//   - Under continuous requests from a set S, requester i in S receives a
//     run of weight_i consecutive takes in every sum(weight_j, j in S) takes,
//     in index order.
//   - A requester that holds req_i is granted after at most
//     sum(weight_j, j != i) takes by the others: cur finishes its run, then
//     each requester between cur and i has at most one run.
// A grant offered but not taken may move to another requester on a later
// cycle if req_i changes; takes are what is fair, not offers.
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
    output wire [N-1:0]                         grant_o,
    output wire [((N > 1) ? $clog2(N) : 1)-1:0] grant_idx_o,
    output wire                                 valid_o
);

    localparam IDX_W = (N > 1) ? $clog2(N) : 1;
    localparam W = WEIGHT_WIDTH;
    localparam integer LAST_I = N - 1;
    localparam [IDX_W-1:0] LAST = LAST_I[IDX_W-1:0];
    localparam integer ONE_I = 1;
    localparam [N-1:0] ONE_N = ONE_I[N-1:0];
    localparam [W-1:0] ONE_W = ONE_I[W-1:0];

    generate
        if (N < 1 || N > 32) begin : g_bad_n
            ferry_arbiter_N_must_be_1_to_32 u_bad();
        end
        if (WEIGHT_WIDTH < 1 || WEIGHT_WIDTH > 16) begin : g_bad_ww
            ferry_arbiter_WEIGHT_WIDTH_must_be_1_to_16 u_bad();
        end
    endgenerate

    reg [IDX_W-1:0] cur_q, cur_d;     // current requester
    reg [W-1:0]     used_q, used_d;   // takes cur has had in its run
    reg [N-1:0]     grant;
    reg [IDX_W-1:0] grant_idx;
    reg [W-1:0]     cur_weight;
    reg             stay;
    reg             found;
    integer         i;
    integer         idx;

    always @* begin
        grant = {N{1'b0}};
        grant_idx = cur_q;
        found = 1'b0;
        idx = 0;

        // weight of cur, 0 read as 1
        cur_weight = {W{1'b0}};
        for (i = 0; i < N; i = i + 1) begin
            if (cur_q == i[IDX_W-1:0]) begin
                cur_weight = weight_i[i*W +: W];
            end
        end
        if (cur_weight == {W{1'b0}}) begin
            cur_weight = ONE_W;
        end

        stay = (used_q < cur_weight) && |(req_i & (ONE_N << cur_q));

        if (stay) begin
            found = 1'b1;
            grant_idx = cur_q;
        end else begin
            for (i = 1; i <= N; i = i + 1) begin
                idx = {{(32-IDX_W){1'b0}}, cur_q} + i;
                if (idx >= N) begin
                    idx = idx - N;
                end
                if (!found && req_i[idx]) begin
                    found = 1'b1;
                    grant_idx = idx[IDX_W-1:0];
                end
            end
        end
        if (found) begin
            grant = ONE_N << grant_idx;
        end
    end

    // Next state: apart from the grant logic so that take_i, which the caller
    // derives from valid_o, has no path back into the grant.
    always @* begin
        cur_d = cur_q;
        used_d = used_q;
        if (take_i && found) begin
            if (stay) begin
                used_d = used_q + 1'b1;
            end else begin
                cur_d = grant_idx;
                used_d = ONE_W;
            end
        end
    end

    // Reset: cur is the last requester with its run spent, so the first
    // grant goes to the lowest-numbered requester.
    always @(posedge clk) begin
        if (!rst_n) begin
            cur_q <= LAST;
            used_q <= {W{1'b1}};
        end else begin
            cur_q <= cur_d;
            used_q <= used_d;
        end
    end

    assign grant_o = grant;
    assign grant_idx_o = grant_idx;
    assign valid_o = found;

`ifdef FORMAL
    // grant is one-hot or zero, only to a requester, and present whenever
    // anyone requests; grant_idx_o names the granted requester.
    always @* begin
        assert ((grant_o & (grant_o - 1'b1)) == {N{1'b0}});
        assert ((grant_o & ~req_i) == {N{1'b0}});
        assert (valid_o == |req_i);
        assert (valid_o == |grant_o);
        if (valid_o) begin
            assert (grant_o[grant_idx_o]);
        end
    end
`endif

endmodule

`resetall
