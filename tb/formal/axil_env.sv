// SPDX-License-Identifier: Apache-2.0
// axil_env: formal properties of rtl/ferry_axil_regs.v as an AXI4-Lite slave
// (make formal). Black box: only the ports are observed.
//
// Parameters: NUM_CHANNELS 1, AXIL_ADDR_WIDTH 13 (the BAR's 8 KiB), the
// capability parameters at their defaults; channel inputs free.
// Master assumptions (a legal master): reset in the first cycle and no valid
// during reset; AWVALID, WVALID, ARVALID held until their ready with
// AWADDR, WDATA/WSTRB, ARADDR stable while waiting. BREADY/RREADY free.
//
// Properties (aw_o, w_o, ar_o count handshakes not yet answered)
//   L1 BVALID held until BREADY, BRESP stable while waiting
//   L2 RVALID held until RREADY, RDATA/RRESP stable while waiting
//   L3 no B without an AW and a W before it; no R without an AR
//   L4 every request is answered exactly once: the counts of accepted and
//      unanswered requests are what the outputs show
//        aw_o = !AWREADY + BVALID,  w_o = !WREADY + BVALID,
//        ar_o = !ARREADY + RVALID
//      (so a request is never lost or answered twice), and a write held
//      with both halves gets its B in the next cycle once no B waits, a
//      held read its R in the next cycle once no R waits
//   L5 BRESP and RRESP are OKAY or SLVERR
//
// FORMAL_MUTATE: the run uses a copy whose ARREADY ignores a held read
// (`assign s_axil_arready = 1'b1`): a second AR overwrites the first.
`default_nettype none
module axil_env #(
    parameter NC = 1,
    parameter AAW = 13
) (
    input wire           clk,
    input wire           rst_n,
    input wire [AAW-1:0] awaddr,
    input wire           awvalid,
    input wire [31:0]    wdata,
    input wire [3:0]     wstrb,
    input wire           wvalid,
    input wire           bready,
    input wire [AAW-1:0] araddr,
    input wire           arvalid,
    input wire           rready,
    input wire [NC*32-1:0]  ch_status,
    input wire [NC*32-1:0]  ch_ring_ctrl,
    input wire [NC*16-1:0]  ch_prod,
    input wire [NC*16-1:0]  ch_cons,
    input wire [NC*384-1:0] ch_cnt,
    input wire [NC-1:0]     irq,
    input wire [NC-1:0]     ch_rst,       // a channel reset completing
    input wire [NC-1:0]     ch_rst_pend   // a channel reset draining: writes refused
);
    wire        awready, wready, bvalid, arready, rvalid;
    wire [1:0]  bresp, rresp;
    wire [31:0] rdata;

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_axil_regs #(
        .NUM_CHANNELS(NC), .DATA_WIDTH(32), .ADDR_WIDTH(32), .MAX_BURST_LEN(16),
        .MAX_OUTSTANDING(4), .AXIL_ADDR_WIDTH(AAW)
    ) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
        .s_axil_wdata(wdata), .s_axil_wstrb(wstrb), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
        .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
        .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
        .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
        .ch_src_o(), .ch_dst_o(), .ch_len_o(), .ch_irq_en_o(), .ch_start_o(), .ch_clear_o(),
        .ch_ring_base_o(), .ch_cpl_base_o(), .ch_ring_ctrl_wr_o(), .ch_prod_wr_o(), .wr_data_o(),
        .ch_irq_count_o(), .ch_irq_timer_o(), .ch_weight_o(), .ch_max_out_o(),
        .ch_status_i(ch_status), .ch_ring_ctrl_i(ch_ring_ctrl), .ch_prod_i(ch_prod),
        .ch_cons_i(ch_cons), .ch_cnt_i(ch_cnt), .irq_i(irq),
        .ch_rst_i(ch_rst), .ch_rst_pend_i(ch_rst_pend),
        // stream channels: none here
        .ch_max_pkt_o(), .ch_starved_i({NC{1'b0}}), .ch_in_pkt_i({NC{1'b0}}),
        .ch_starve_cnt_i({(NC*64){1'b0}}), .ch_packets_i({(NC*32){1'b0}})
    );

    wire aw_hs = awvalid && awready;
    wire w_hs = wvalid && wready;
    wire b_hs = bvalid && bready;
    wire ar_hs = arvalid && arready;
    wire r_hs = rvalid && rready;

    reg past = 1'b0;
    always @(posedge clk) past <= 1'b1;

    // ---- master assumptions ----
    always @* begin
        if (!past) assume (!rst_n);
        if (past) assume (rst_n);
        if (!rst_n) assume (!awvalid && !wvalid && !arvalid);
    end
    always @(posedge clk) begin
        if (past && $past(rst_n)) begin
            if ($past(awvalid && !awready)) assume (awvalid && awaddr == $past(awaddr));
            if ($past(wvalid && !wready)) assume (wvalid && wdata == $past(wdata) && wstrb == $past(wstrb));
            if ($past(arvalid && !arready)) assume (arvalid && araddr == $past(araddr));
        end
    end

    // ---- bookkeeping: accepted, not yet answered ----
    reg [2:0] aw_o = 0, w_o = 0, ar_o = 0;
    always @(posedge clk) begin
        if (!rst_n) begin
            aw_o <= 0;
            w_o <= 0;
            ar_o <= 0;
        end else begin
            aw_o <= aw_o + aw_hs - b_hs;
            w_o <= w_o + w_hs - b_hs;
            ar_o <= ar_o + ar_hs - r_hs;
        end
    end

    // ---- properties ----
    always @(posedge clk) begin
        if (past && $past(rst_n) && rst_n) begin
            if ($past(bvalid && !bready)) assert (bvalid && bresp == $past(bresp));               // L1
            if ($past(rvalid && !rready)) assert (rvalid && rdata == $past(rdata) && rresp == $past(rresp)); // L2
            if ($past(!bvalid && aw_o != 0 && w_o != 0 && !awready && !wready)) assert (bvalid);  // L4
            if ($past(!rvalid && ar_o != 0 && !arready)) assert (rvalid);                         // L4
        end
    end
    always @* begin
        if (past && rst_n) begin
            if (bvalid) assert (aw_o != 0 && w_o != 0);                                 // L3
            if (rvalid) assert (ar_o != 0);                                             // L3
            assert (aw_o == {2'b0, !awready} + {2'b0, bvalid});                         // L4
            assert (w_o == {2'b0, !wready} + {2'b0, bvalid});                           // L4
            assert (ar_o == {2'b0, !arready} + {2'b0, rvalid});                         // L4
            if (bvalid) assert (bresp == 2'b00 || bresp == 2'b10);                      // L5
            if (rvalid) assert (rresp == 2'b00 || rresp == 2'b10);                      // L5
        end
    end
endmodule
