// SPDX-License-Identifier: Apache-2.0
// arbiter_props.vh: properties of ferry_arbiter, included before its
// `endmodule` by tb/formal/run.sh (a copy in sim/out/formal/src), so they see
// the arbiter's state. Environment: arbiter_env.sv (weights constant).
//
// Properties (besides the RTL's own `ifdef FORMAL block: one-hot grant, only
// to a requester, work conserving, grant_idx_o names the grant)
//   A1 grant is one-hot or zero                  A2 a grant only to a requester
//   A3 bounded wait: a requester P (any one, $anyconst) that keeps
//      requesting is granted before the others take more than
//          BOUND(P) = sum over j != P of cap_j  +  (N - 2)
//          cap_j    = min(2 * max(w_j, 1), 2**W - 1)     (the credit cap)
//      Takes are cycles with take_i && valid_o. Why: while P has no credit
//      the others can spend at most what they hold (<= cap_j each); then
//      the round-robin pointer, which stands on another requester (not on
//      P) after their takes, passes at most N - 2 others (the refill take
//      included) before it reaches P.
// Invariants that make the induction close (asserted, so proven too)
//   I1 last_q < N                   I2 credit_j <= cap_j for every j
//   I3 while P has no credit: waited + sum(credit_j, j != P) <= sum(cap_j, j != P)
//   I4 while P has credit and waits: waited + dist(last_q, P) <= BOUND + 1,
//      dist = cyclic distance from last_q forward to P (1..N)
//   I5 waited != 0 implies last_q != P
//
// FORMAL_DOC_BOUND checks the bound ferry_arbiter.v's header used to state
// instead, 2 * sum(max(w_j, 1), j != P); it does not hold (make formal-deep
// runs it as an expected failure and keeps the counterexample; the header
// now states the proven bound).
//
// The mutation check (run.sh) breaks the copy of the RTL so that every
// eligible requester is granted (`if (!found && eligible[idx])` loses
// `!found &&`): A1 must fail.
`ifdef FORMAL
    localparam FV_CNT_W = 10;

    (* anyconst *) wire [IDX_W-1:0] fv_p;

    reg fv_past = 1'b0;
    always @(posedge clk) fv_past <= 1'b1;
    always @* begin
        if (!fv_past) assume (!rst_n);
        assume (fv_p < N);
    end

    function [FV_CNT_W-1:0] fv_cap;
        input [W-1:0] w;
        reg [FV_CNT_W-1:0] c;
        begin
            c = (w == {W{1'b0}}) ? 2 : 2 * w;
            fv_cap = (c > (1 << W) - 1) ? (1 << W) - 1 : c;
        end
    endfunction

    integer fv_j;
    integer fv_k;
    reg [FV_CNT_W-1:0] fv_capsum;     // sum of cap_j, j != P
    reg [FV_CNT_W-1:0] fv_credsum;    // sum of credit_j, j != P
    reg [FV_CNT_W-1:0] fv_bound;
    reg [FV_CNT_W-1:0] fv_dist;
    always @* begin
        fv_capsum = 0;
        fv_credsum = 0;
        for (fv_j = 0; fv_j < N; fv_j = fv_j + 1) begin
            if (fv_j != fv_p) begin
                fv_capsum = fv_capsum + fv_cap(weight_i[fv_j*W +: W]);
                fv_credsum = fv_credsum + credit_q[fv_j*W +: W];
            end
        end
        fv_bound = fv_capsum + N - 2;
`ifdef FORMAL_DOC_BOUND
        // the bound ferry_arbiter.v's header used to state: 2 * sum(w_j, j != P)
        fv_bound = 0;
        for (fv_j = 0; fv_j < N; fv_j = fv_j + 1) begin
            if (fv_j != fv_p) begin
                fv_bound = fv_bound + 2 * ((weight_i[fv_j*W +: W] == {W{1'b0}}) ? 1 : weight_i[fv_j*W +: W]);
            end
        end
`endif
        fv_dist = (fv_p > last_q) ? fv_p - last_q : fv_p + N - last_q;
    end

    // takes by the others while P requests and is not granted
    reg [FV_CNT_W-1:0] fv_waited = 0;
    wire fv_wait = req_i[fv_p] && !grant_o[fv_p];
    always @(posedge clk) begin
        if (!rst_n || !fv_wait) begin
            fv_waited <= 0;
        end else if (take_i && valid_o) begin
            fv_waited <= fv_waited + 1'b1;
        end
    end

    wire [W-1:0] fv_credit_p = credit_q[fv_p*W +: W];

    always @* begin
        if (fv_past && rst_n) begin
            assert ((grant_o & (grant_o - 1'b1)) == {N{1'b0}});                  // A1
            assert ((grant_o & ~req_i) == {N{1'b0}});                            // A2
            if (fv_wait) assert (fv_waited + (take_i && valid_o) <= fv_bound);   // A3
        end
        if (fv_past) begin
            assert (last_q < N);                                                 // I1
            for (fv_k = 0; fv_k < N; fv_k = fv_k + 1) begin
                assert (credit_q[fv_k*W +: W] <= fv_cap(weight_i[fv_k*W +: W])); // I2
            end
            if (fv_credit_p == 0) assert (fv_waited + fv_credsum <= fv_capsum);  // I3
            if (fv_credit_p != 0 && fv_waited != 0)
                assert (fv_waited + fv_dist <= fv_bound + 1);                    // I4
            if (fv_waited != 0) assert (last_q != fv_p);                         // I5
        end
    end
`endif
