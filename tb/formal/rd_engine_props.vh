// SPDX-License-Identifier: Apache-2.0
// rd_engine_props.vh: AXI master rules of ferry_rd_engine's AR channel,
// included before its `endmodule` by tb/formal/run.sh. Environment:
// rd_engine_env.sv.
//
// Assumed: reset in the first cycle; a command only while ready_o, beat
// aligned, >= 1 beat; an RLAST handshake only while a burst is outstanding
// (AR taken, RLAST not yet seen). ARREADY, max_out_i, pop_i and
// release_i are free (any slave timing, any FIFO state, any limit).
// Properties
//   R1 ARVALID held until ARREADY, ARADDR/ARLEN/ARBURST stable meanwhile
//   R2 ARLEN + 1 <= MAX_BURST_LEN; ARBURST FIXED or INCR; ARADDR beat aligned
//   R3 FIXED: at most 16 beats;  R4 INCR: no 4 KiB crossing
//   R5 outstanding bursts (AR taken, RLAST not seen) <= MAX_OUTSTANDING, and
//      <= the configured limit (max_out_i, 0 read as 1, capped) while
//      max_out_i has not changed since reset
// Invariants (for the induction): bursts_q = outstanding + ARVALID, bursts_q
// <= MAX_OUTSTANDING (and <= limit while max_out_i is unchanged), addr_q
// beat aligned; while beats are left, the precomputed burst length blen_q
// is a legal burst at addr_q (1..MAX_BURST_LEN, within the beats left,
// FIXED <= 16, INCR inside the 4 KiB page).
`ifdef FORMAL
    reg fv_past = 1'b0;
    always @(posedge clk) fv_past <= 1'b1;

    reg [OUT_W-1:0] fv_out = 0;           // ARs taken, RLAST not yet seen
    reg             fv_mo_same = 1'b0;    // max_out_i unchanged since reset
    reg [5:0]       fv_mo_prev = 0;
    always @(posedge clk) begin
        fv_mo_prev <= max_out_i;
        if (!rst_n) begin
            fv_out <= 0;
            fv_mo_same <= 1'b1;
        end else begin
            fv_out <= fv_out + (arvalid_o && arready_i) - r_last_hs_i;
            if (max_out_i != fv_mo_prev) fv_mo_same <= 1'b0;
        end
    end
    wire fv_mo_ok = fv_mo_same && max_out_i == fv_mo_prev;

    always @* begin
        if (!fv_past) assume (!rst_n);
        if (fv_past) assume (rst_n);
        if (start_i) assume (ready_o && beats_i != 0 && addr_i[OFF_W-1:0] == 0);
        if (r_last_hs_i) assume (fv_out != 0);
    end

    always @(posedge clk) begin
        if (fv_past && $past(rst_n) && rst_n && $past(arvalid_o && !arready_i)) begin
            assert (arvalid_o && araddr_o == $past(araddr_o) && arlen_o == $past(arlen_o)
                    && arburst_o == $past(arburst_o));                                 // R1
        end
    end
    always @* begin
        if (fv_past && rst_n) begin
            if (arvalid_o) begin
                assert ({1'b0, arlen_o} + 9'd1 <= MAX_BURST_LEN);                        // R2
                assert (arburst_o == BURST_FIXED || arburst_o == BURST_INCR);            // R2
                assert (araddr_o[OFF_W-1:0] == 0);                                       // R2
                if (arburst_o == BURST_FIXED) assert (arlen_o <= 8'd15);                 // R3
                if (arburst_o == BURST_INCR)
                    assert ({1'b0, araddr_o[11:0]} + (({5'b0, arlen_o} + 13'd1) << OFF_W) <= 13'd4096); // R4
            end
            assert (fv_out <= MAX_OUTSTANDING);                                          // R5
            if (fv_mo_ok) assert (fv_out <= limit);                                      // R5
            assert (bursts_q == fv_out + arvalid_q);                                     // inv
            assert (bursts_q <= MAX_OUTSTANDING);                                        // inv
            if (fv_mo_ok) assert (bursts_q <= limit);                                    // inv
            assert (addr_q[OFF_W-1:0] == 0);                                             // inv
            if (left_q != {BEAT_WIDTH{1'b0}}) begin                                      // inv: blen_q
                assert (blen_q != 9'd0 && blen_q <= MAX_BURST_LEN);
                assert ({{(BEAT_WIDTH-9){1'b0}}, blen_q} <= left_q);
                if (fixed_q) assert (blen_q <= 9'd16);
                else assert ({1'b0, addr_q[11:0]} + ({4'b0, blen_q} << OFF_W) <= 13'd4096);
            end
        end
    end
`endif
