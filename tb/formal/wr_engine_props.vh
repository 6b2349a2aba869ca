// SPDX-License-Identifier: Apache-2.0
// wr_engine_props.vh: AXI master rules of ferry_wr_engine's AW, W and B
// channels, included before its `endmodule` by tb/formal/run.sh.
// Environment: wr_engine_env.sv. Checked by BMC (see run.sh for the depth):
// the reference queue of AW lengths below is not tied to the engine's own
// burst queue, so induction would need those invariants too.
//
// Assumed: reset in the first cycle; commands beat aligned, >= 1 beat; a B
// only while a burst has both its AW and its WLAST taken and no B yet.
// AWREADY, WREADY, BRESP, max_out_i and the whole FIFO side are free.
// Properties
//   W1 AWVALID held until AWREADY, AWADDR/AWLEN/AWBURST stable meanwhile
//   W2 AWLEN + 1 <= MAX_BURST_LEN; AWBURST FIXED or INCR; AWADDR beat aligned
//   W3 FIXED: at most 16 beats;  W4 INCR: no 4 KiB crossing
//   W5 WVALID held until WREADY, WDATA/WSTRB/WLAST stable meanwhile
//   W6 W data never ahead of its address: a W beat only after its burst's
//      AW has been presented
//   W7 WLAST exactly on the last beat of each burst (AWLEN + 1 beats)
//   W8 bursts outstanding (AW taken, B not yet) <= MAX_OUTSTANDING, and
//      <= the limit from max_out_i while it has not changed since reset
`ifdef FORMAL
    reg fv_past = 1'b0;
    always @(posedge clk) fv_past <= 1'b1;

    wire fv_aw_hs = awvalid_o && awready_i;
    wire fv_w_hs = wvalid_o && wready_i;
    wire fv_wl_hs = fv_w_hs && wlast_o;

    // AW presented for the first time this cycle
    reg  fv_aw_wait = 1'b0;                 // last cycle: AWVALID && !AWREADY
    always @(posedge clk) fv_aw_wait <= rst_n && awvalid_o && !awready_i;
    wire fv_aw_new = awvalid_o && !fv_aw_wait;

    // reference queue of presented AW lengths, popped by WLAST handshakes
    reg [8:0] fv_q [0:7];
    reg [3:0] fv_qw = 0, fv_qr = 0;
    reg [8:0] fv_wbeat = 0;                 // W beats taken of the head burst
    reg [OUT_W-1:0] fv_awo = 0;             // AW taken, B not yet
    reg [OUT_W-1:0] fv_wlo = 0;             // WLAST taken, B not yet
    reg             fv_mo_same = 1'b0;
    reg [5:0]       fv_mo_prev = 0;
    always @(posedge clk) begin
        fv_mo_prev <= max_out_i;
        if (!rst_n) begin
            fv_qw <= 0;
            fv_qr <= 0;
            fv_wbeat <= 0;
            fv_awo <= 0;
            fv_wlo <= 0;
            fv_mo_same <= 1'b1;
        end else begin
            if (fv_aw_new) begin
                fv_q[fv_qw[2:0]] <= {1'b0, awlen_o} + 9'd1;
                fv_qw <= fv_qw + 1'b1;
            end
            if (fv_w_hs) fv_wbeat <= wlast_o ? 9'd0 : fv_wbeat + 9'd1;
            if (fv_wl_hs) fv_qr <= fv_qr + 1'b1;
            fv_awo <= fv_awo + fv_aw_hs - bvalid_i;
            fv_wlo <= fv_wlo + fv_wl_hs - bvalid_i;
            if (max_out_i != fv_mo_prev) fv_mo_same <= 1'b0;
        end
    end
    wire fv_mo_ok = fv_mo_same && max_out_i == fv_mo_prev;
    wire [3:0] fv_qn = fv_qw - fv_qr;
    wire [8:0] fv_head = fv_q[fv_qr[2:0]];

    always @* begin
        if (!fv_past) assume (!rst_n);
        if (fv_past) assume (rst_n);
        if (cmd_valid_i) assume (cmd_beats_i != 0 && cmd_addr_i[OFF_W-1:0] == 0);
        if (bvalid_i) assume (fv_awo != 0 && fv_wlo != 0);
    end

    always @(posedge clk) begin
        if (fv_past && $past(rst_n) && rst_n) begin
            if ($past(awvalid_o && !awready_i))
                assert (awvalid_o && awaddr_o == $past(awaddr_o) && awlen_o == $past(awlen_o)
                        && awburst_o == $past(awburst_o));                               // W1
            if ($past(wvalid_o && !wready_i))
                assert (wvalid_o && wdata_o == $past(wdata_o) && wstrb_o == $past(wstrb_o)
                        && wlast_o == $past(wlast_o));                                   // W5
        end
    end
    always @* begin
        if (fv_past && rst_n) begin
            if (awvalid_o) begin
                assert ({1'b0, awlen_o} + 9'd1 <= MAX_BURST_LEN);                        // W2
                assert (awburst_o == BURST_FIXED || awburst_o == BURST_INCR);            // W2
                assert (awaddr_o[OFF_W-1:0] == 0);                                       // W2
                if (awburst_o == BURST_FIXED) assert (awlen_o <= 8'd15);                 // W3
                if (awburst_o == BURST_INCR)
                    assert ({1'b0, awaddr_o[11:0]} + (({5'b0, awlen_o} + 13'd1) << OFF_W) <= 13'd4096); // W4
            end
            if (wvalid_o) assert (fv_qn != 0);                                           // W6
            if (fv_w_hs && fv_qn != 0) begin
                assert (wlast_o == (fv_wbeat + 9'd1 == fv_head));                        // W7
                assert (fv_wbeat < fv_head);                                             // W7
            end
            assert (fv_qn < 4'd8);                                                       // bookkeeping
            assert (fv_awo <= MAX_OUTSTANDING);                                          // W8
            if (fv_mo_ok) assert (fv_awo <= limit);                                      // W8
        end
    end
`endif
