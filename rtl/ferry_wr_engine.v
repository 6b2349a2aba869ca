// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_wr_engine: the mover's write side (AW, W and B channels).
//
// Commands (beat-aligned address, write beats, strobes of the first and last
// beat, fixed flag, tag) are taken in order. The AW side walks a command in
// bursts from ferry_burst_split and issues a burst only when
//   - the data FIFO already holds every beat of it (beats not yet claimed by
//     an earlier AW >= burst length), so an accepted write address never
//     waits for reads and never holds the interconnect hostage;
//   - fewer than max_out_i bursts await their write response;
//   - the burst and response queues have room.
// The W side sends each issued burst's beats from the FIFO, WLAST on the
// last, masking the command's first and last beat with its strobes. B
// responses come back in AW order (one ID per port); the response of a
// command's last burst completes it: done_o pulses with its tag, rd_err_o
// (a read error on any of its beats) and wr_err_o (any BRESP not OKAY). So a
// completion means every byte of the command has been written.
//
// The burst decision is registered: the next burst's length and whether it
// is the command's last are computed a cycle ahead (when the command is
// loaded, and at each AW for the burst after it), so an AW is issued on one
// subtract and compare of registers (FIFO beats not yet claimed against the
// burst length).
//
// A beat read with an error (fifo_err_i) is sent with no strobes: a failed
// read never writes the destination. Every B is reported one cycle later
// (b_evt_o) with the burst's address, its tag, its bytes (strobes of its
// beats) and whether it wrote them all (OKAY and no failed read in it), so
// the channel can count the bytes acknowledged before a fault.
//
// stalled_o: nothing in flight (no AW pending, no W beat owed, no B
// awaited) and no burst can be issued with the data the FIFO holds: once
// reads have stopped, this engine will not move again.
//
// W is driven from an output register (one beat per cycle).
module ferry_wr_engine #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 16,
    parameter BEAT_WIDTH = 34,
    parameter COUNT_WIDTH = 16,
    parameter TAG_WIDTH = 4
) (
    input  wire                    clk,
    input  wire                    rst_n,

    input  wire                    cmd_valid_i,
    output wire                    cmd_ready_o,
    input  wire [ADDR_WIDTH-1:0]   cmd_addr_i,        // beat aligned
    input  wire [BEAT_WIDTH-1:0]   cmd_beats_i,       // >= 1
    input  wire [DATA_WIDTH/8-1:0] cmd_first_strb_i,
    input  wire [DATA_WIDTH/8-1:0] cmd_last_strb_i,
    input  wire                    cmd_fixed_i,
    input  wire [TAG_WIDTH-1:0]    cmd_tag_i,
    input  wire [5:0]              max_out_i,

    input  wire [COUNT_WIDTH-1:0]  fifo_count_i,
    input  wire [DATA_WIDTH-1:0]   fifo_data_i,
    input  wire                    fifo_err_i,
    input  wire                    fifo_valid_i,
    output wire                    fifo_pop_o,

    output wire                    done_o,
    output wire [TAG_WIDTH-1:0]    done_tag_o,
    output wire                    done_rd_err_o,
    output wire                    done_wr_err_o,
    output wire                    idle_o,
    output wire                    stalled_o,
    output wire                    w_stall_o,         // a W beat waits for WREADY

    output wire                    b_evt_o,           // a B came back (the cycle before)
    output wire                    b_ok_o,            // ... OKAY, and no beat read with an error
    output wire                    b_resp_err_o,      // ... BRESP not OKAY
    output wire [15:0]             b_bytes_o,         // ... bytes its beats strobed
    output wire [TAG_WIDTH-1:0]    b_tag_o,
    output wire [ADDR_WIDTH-1:0]   b_addr_o,

    output wire [ADDR_WIDTH-1:0]   awaddr_o,
    output wire [7:0]              awlen_o,
    output wire [1:0]              awburst_o,
    output wire                    awvalid_o,
    input  wire                    awready_i,
    output wire [DATA_WIDTH-1:0]   wdata_o,
    output wire [DATA_WIDTH/8-1:0] wstrb_o,
    output wire                    wlast_o,
    output wire                    wvalid_o,
    input  wire                    wready_i,
    input  wire [1:0]              bresp_i,
    input  wire                    bvalid_i
);

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam OUT_W = 6;
    localparam BQ_DEPTH = 32;           // >= MAX_OUTSTANDING: one entry per burst awaiting B
    // Bursts issued whose W beats have not all gone: as many as may be in
    // flight, or the W order at the interconnect would cap this channel's
    // share of the write bus below its weight.
    localparam WQ_DEPTH = (MAX_OUTSTANDING <= 2) ? 2 : (1 << $clog2(MAX_OUTSTANDING));
    localparam WQ_W = 9 + 2 * BYTES + 1;
    localparam BQ_W = 1 + TAG_WIDTH + ADDR_WIDTH;
    localparam CQ_W = 17;             // per burst, at its WLAST: {read error in it, bytes}
    localparam [1:0] BURST_FIXED = 2'b00;
    localparam [1:0] BURST_INCR = 2'b01;
    localparam [1:0] RESP_OKAY = 2'b00;

    // ---- AW walker ----
    reg                   act_q, act_d;               // a command is being walked
    reg [ADDR_WIDTH-1:0]  aw_addr_q, aw_addr_d;
    reg [BEAT_WIDTH-1:0]  aw_left_q, aw_left_d;
    reg                   aw_fixed_q, aw_fixed_d;
    reg                   aw_first_q, aw_first_d;     // next burst is the command's first
    reg [8:0]             blen_q, blen_d;             // next burst's length
    reg                   last_q, last_d;             // ... and it is the command's last
    reg [BYTES-1:0]       fstrb_q, fstrb_d;
    reg [BYTES-1:0]       lstrb_q, lstrb_d;
    reg [TAG_WIDTH-1:0]   tag_q, tag_d;
    reg [ADDR_WIDTH-1:0]  awaddr_q, awaddr_d;
    reg [7:0]             awlen_q, awlen_d;
    reg [1:0]             awburst_q, awburst_d;
    reg                   awvalid_q, awvalid_d;
    reg [OUT_W-1:0]       b_wait_q, b_wait_d;         // bursts issued, B not yet back
    reg [COUNT_WIDTH-1:0] claimed_q, claimed_d;       // FIFO beats covered by issued AWs

    // ---- W side ----
    reg [8:0]             w_beat_q, w_beat_d;         // beats sent of the head burst
    reg                   w_err_q, w_err_d;           // read error seen in the current command
    reg [15:0]            w_bytes_q, w_bytes_d;       // bytes strobed in the current burst so far
    reg                   w_berr_q, w_berr_d;         // a beat of the current burst read with an error
    reg [DATA_WIDTH-1:0]  wdata_q, wdata_d;
    reg [BYTES-1:0]       wstrb_q, wstrb_d;
    reg                   wlast_q, wlast_d;
    reg                   wvalid_q, wvalid_d;

    // ---- B side ----
    reg                   b_err_q, b_err_d;           // write error seen in the current command

    // The burst after this one, and the length of a new command's first.
    wire [ADDR_WIDTH-1:0] nxt_addr = aw_fixed_q ? aw_addr_q
                                   : aw_addr_q + ({{(ADDR_WIDTH-9){1'b0}}, blen_q} << OFF_W);
    wire [BEAT_WIDTH-1:0] nxt_left = aw_left_q - {{(BEAT_WIDTH-9){1'b0}}, blen_q};
    wire [8:0]            nxt_len, start_len;
    wire [8:0]            burst_len = blen_q;

    ferry_burst_split #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_split (
        .addr_i(nxt_addr),
        .beats_i(nxt_left),
        .fixed_i(aw_fixed_q),
        .len_o(nxt_len)
    );

    ferry_burst_split #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_split0 (
        .addr_i(cmd_addr_i),
        .beats_i(cmd_beats_i),
        .fixed_i(cmd_fixed_i),
        .len_o(start_len)
    );

    // Burst records for the W side: {len, first-beat mask, last-beat mask, last burst of command}
    wire [WQ_W-1:0] wq_in, wq_out;
    wire            wq_ready, wq_valid;
    reg             wq_push, wq_pop;
    // Response records, one per burst: {last burst of command, tag, address}
    wire [BQ_W-1:0] bq_in, bq_out;
    wire            bq_ready, bq_valid;
    reg             bq_push;
    // Read-error flag per command whose W beats are all sent
    wire            eq_ready, eq_valid, eq_out;
    reg             eq_push;
    reg             eq_in;

    wire last_burst = last_q;
    wire [COUNT_WIDTH-1:0] unclaimed = fifo_count_i - claimed_q;
    wire [OUT_W-1:0] limit = (max_out_i == 6'd0) ? 6'd1
                           : ((max_out_i > MAX_OUTSTANDING[OUT_W-1:0]) ? MAX_OUTSTANDING[OUT_W-1:0] : max_out_i);
    wire aw_issue = act_q && (!awvalid_q || awready_i) && (b_wait_q < limit) && wq_ready && bq_ready
                    && (unclaimed >= {{(COUNT_WIDTH-9){1'b0}}, burst_len});

    assign wq_in = {burst_len,
                    aw_first_q ? fstrb_q : {BYTES{1'b1}},
                    last_burst ? lstrb_q : {BYTES{1'b1}},
                    last_burst};
    assign bq_in = {last_burst, tag_q, aw_addr_q};

    wire [8:0]       wq_len = wq_out[WQ_W-1 -: 9];
    wire [BYTES-1:0] wq_fmask = wq_out[2*BYTES:BYTES+1];
    wire [BYTES-1:0] wq_lmask = wq_out[BYTES:1];
    wire             wq_cmd_last = wq_out[0];

    wire w_slot = !wvalid_q || wready_i;
    wire w_take = wq_valid && fifo_valid_i && w_slot;
    wire w_is_last = (w_beat_q == wq_len - 9'd1);
    wire b_last = bq_out[BQ_W-1];
    wire [TAG_WIDTH-1:0] b_tag = bq_out[BQ_W-2 -: TAG_WIDTH];

    // Bytes and read-error flag of each burst whose W beats are all sent
    reg  [CQ_W-1:0] cq_in;
    reg             cq_push;
    wire [CQ_W-1:0] cq_out;

    // strobes of the beat taken this cycle
    // Wake: the clock enable of the state below. With no command offered or
    // walked, no AW or W held, no B awaited or arriving, the next state is the
    // current one; the next-state logic is then not evaluated either (a
    // Verilated model skips it: an idle engine costs little to simulate).
    // FERRY_WAKE_CHECK evaluates it always and stops on a change without wake.
    wire wake = cmd_valid_i || act_q || awvalid_q || wvalid_q || (b_wait_q != {OUT_W{1'b0}}) || wq_valid
                || bvalid_i;
`ifdef FERRY_WAKE_CHECK
    wire eval_next = 1'b1;
`else
    wire eval_next = wake;
`endif

    reg [BYTES-1:0] take_strb;
    reg [15:0]      take_bytes;
    integer i;
    always @* begin
        take_strb = {BYTES{1'b0}};
        take_bytes = 16'd0;
        if (w_take) begin
            take_strb = {BYTES{1'b1}};
            if (w_beat_q == 9'd0) begin
                take_strb = take_strb & wq_fmask;
            end
            if (w_is_last) begin
                take_strb = take_strb & wq_lmask;
            end
            if (fifo_err_i) begin
                take_strb = {BYTES{1'b0}};
            end
            for (i = 0; i < BYTES; i = i + 1) begin
                take_bytes = take_bytes + {15'd0, take_strb[i]};
            end
        end
    end

    always @* begin
        act_d = act_q;
        aw_addr_d = aw_addr_q;
        aw_left_d = aw_left_q;
        aw_fixed_d = aw_fixed_q;
        aw_first_d = aw_first_q;
        blen_d = blen_q;
        last_d = last_q;
        fstrb_d = fstrb_q;
        lstrb_d = lstrb_q;
        tag_d = tag_q;
        awaddr_d = awaddr_q;
        awlen_d = awlen_q;
        awburst_d = awburst_q;
        awvalid_d = awvalid_q;
        b_wait_d = b_wait_q;
        claimed_d = claimed_q;
        w_beat_d = w_beat_q;
        w_err_d = w_err_q;
        w_bytes_d = w_bytes_q;
        w_berr_d = w_berr_q;
        cq_push = 1'b0;
        cq_in = {CQ_W{1'b0}};
        wdata_d = wdata_q;
        wstrb_d = wstrb_q;
        wlast_d = wlast_q;
        wvalid_d = wvalid_q;
        b_err_d = b_err_q;
        wq_push = 1'b0;
        wq_pop = 1'b0;
        bq_push = 1'b0;
        eq_push = 1'b0;
        eq_in = 1'b0;

        if (eval_next) begin
            // ---- AW ----
            if (awvalid_q && awready_i) begin
                awvalid_d = 1'b0;
            end
            if (!act_q) begin
                if (cmd_valid_i) begin
                    act_d = 1'b1;
                    aw_addr_d = cmd_addr_i;
                    aw_left_d = cmd_beats_i;
                    aw_fixed_d = cmd_fixed_i;
                    aw_first_d = 1'b1;
                    blen_d = start_len;
                    last_d = (cmd_beats_i == {{(BEAT_WIDTH-9){1'b0}}, start_len});
                    fstrb_d = cmd_first_strb_i;
                    lstrb_d = cmd_last_strb_i;
                    tag_d = cmd_tag_i;
                end
            end else if (aw_issue) begin
                awaddr_d = aw_addr_q;
                awlen_d = burst_len[7:0] - 8'd1;
                awburst_d = aw_fixed_q ? BURST_FIXED : BURST_INCR;
                awvalid_d = 1'b1;
                aw_addr_d = nxt_addr;
                aw_left_d = nxt_left;
                blen_d = nxt_len;
                last_d = (nxt_left == {{(BEAT_WIDTH-9){1'b0}}, nxt_len});
                aw_first_d = 1'b0;
                b_wait_d = b_wait_d + 1'b1;
                claimed_d = claimed_d + {{(COUNT_WIDTH-9){1'b0}}, burst_len};
                wq_push = 1'b1;
                bq_push = 1'b1;
                if (last_burst) begin
                    act_d = 1'b0;
                end
            end

            // ---- W ----
            if (wvalid_q && wready_i) begin
                wvalid_d = 1'b0;
            end
            if (w_take) begin
                claimed_d = claimed_d - 1'b1;
                wdata_d = fifo_data_i;
                wstrb_d = take_strb;
                wlast_d = w_is_last;
                wvalid_d = 1'b1;
                w_err_d = w_err_q | fifo_err_i;
                w_bytes_d = w_bytes_q + take_bytes;
                w_berr_d = w_berr_q | fifo_err_i;
                if (w_is_last) begin
                    cq_push = 1'b1;
                    cq_in = {w_berr_d, w_bytes_d[15:0]};
                    w_bytes_d = 16'd0;
                    w_berr_d = 1'b0;
                    w_beat_d = 9'd0;
                    wq_pop = 1'b1;
                    if (wq_cmd_last) begin
                        eq_push = 1'b1;
                        eq_in = w_err_q | fifo_err_i;
                        w_err_d = 1'b0;
                    end
                end else begin
                    w_beat_d = w_beat_q + 9'd1;
                end
            end

            // ---- B ----
            if (bvalid_i) begin
                b_wait_d = b_wait_d - 1'b1;
                b_err_d = b_err_q || (bresp_i != RESP_OKAY);
                if (b_last) begin
                    b_err_d = 1'b0;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            act_q <= 1'b0;
            aw_addr_q <= {ADDR_WIDTH{1'b0}};
            aw_left_q <= {BEAT_WIDTH{1'b0}};
            aw_fixed_q <= 1'b0;
            aw_first_q <= 1'b0;
            blen_q <= 9'd0;
            last_q <= 1'b0;
            fstrb_q <= {BYTES{1'b0}};
            lstrb_q <= {BYTES{1'b0}};
            tag_q <= {TAG_WIDTH{1'b0}};
            awaddr_q <= {ADDR_WIDTH{1'b0}};
            awlen_q <= 8'd0;
            awburst_q <= BURST_INCR;
            awvalid_q <= 1'b0;
            b_wait_q <= {OUT_W{1'b0}};
            claimed_q <= {COUNT_WIDTH{1'b0}};
            w_beat_q <= 9'd0;
            w_err_q <= 1'b0;
            w_bytes_q <= 16'd0;
            w_berr_q <= 1'b0;
            wdata_q <= {DATA_WIDTH{1'b0}};
            wstrb_q <= {BYTES{1'b0}};
            wlast_q <= 1'b0;
            wvalid_q <= 1'b0;
            b_err_q <= 1'b0;
        end else if (wake) begin
            act_q <= act_d;
            aw_addr_q <= aw_addr_d;
            aw_left_q <= aw_left_d;
            aw_fixed_q <= aw_fixed_d;
            aw_first_q <= aw_first_d;
            blen_q <= blen_d;
            last_q <= last_d;
            fstrb_q <= fstrb_d;
            lstrb_q <= lstrb_d;
            tag_q <= tag_d;
            awaddr_q <= awaddr_d;
            awlen_q <= awlen_d;
            awburst_q <= awburst_d;
            awvalid_q <= awvalid_d;
            b_wait_q <= b_wait_d;
            claimed_q <= claimed_d;
            w_beat_q <= w_beat_d;
            w_err_q <= w_err_d;
            w_bytes_q <= w_bytes_d;
            w_berr_q <= w_berr_d;
            wdata_q <= wdata_d;
            wstrb_q <= wstrb_d;
            wlast_q <= wlast_d;
            wvalid_q <= wvalid_d;
            b_err_q <= b_err_d;
        end
    end

`ifdef FERRY_WAKE_CHECK
    // Every register the clocked block above loads on wake (make lint checks
    // the list against that block: sim/wake_lists.lua).
    wire wk_change =
        (act_d != act_q) || (aw_addr_d != aw_addr_q) || (aw_left_d != aw_left_q) ||
        (aw_fixed_d != aw_fixed_q) || (aw_first_d != aw_first_q) || (blen_d != blen_q) || (last_d != last_q) ||
        (fstrb_d != fstrb_q) || (lstrb_d != lstrb_q) || (tag_d != tag_q) || (awaddr_d != awaddr_q) ||
        (awlen_d != awlen_q) || (awburst_d != awburst_q) || (awvalid_d != awvalid_q) ||
        (b_wait_d != b_wait_q) || (claimed_d != claimed_q) || (w_beat_d != w_beat_q) || (w_err_d != w_err_q) ||
        (w_bytes_d != w_bytes_q) || (w_berr_d != w_berr_q) || (wdata_d != wdata_q) || (wstrb_d != wstrb_q) ||
        (wlast_d != wlast_q) || (wvalid_d != wvalid_q) || (b_err_d != b_err_q);
    always @(posedge clk) begin
        if (rst_n && !wake && (wk_change || wq_push || wq_pop || bq_push || eq_push || cq_push)) begin
            $display("%m: a state change without wake (FERRY_WAKE_CHECK)");
            $fatal;
        end
    end
`endif

    ferry_queue #(
        .WIDTH(WQ_W),
        .DEPTH(WQ_DEPTH)
    ) u_wq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(wq_in),
        .in_valid_i(wq_push),
        .in_ready_o(wq_ready),
        .out_data_o(wq_out),
        .out_valid_o(wq_valid),
        .out_ready_i(wq_pop)
    );

    ferry_queue #(
        .WIDTH(BQ_W),
        .DEPTH(BQ_DEPTH)
    ) u_bq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(bq_in),
        .in_valid_i(bq_push),
        .in_ready_o(bq_ready),
        .out_data_o(bq_out),
        .out_valid_o(bq_valid),
        .out_ready_i(bvalid_i)
    );

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_queue #(
        .WIDTH(1),
        .DEPTH(BQ_DEPTH)
    ) u_eq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(eq_in),
        .in_valid_i(eq_push),
        .in_ready_o(eq_ready),
        .out_data_o(eq_out),
        .out_valid_o(eq_valid),
        .out_ready_i(bvalid_i && b_last)
    );
    /* verilator lint_on PINCONNECTEMPTY */

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_queue #(
        .WIDTH(CQ_W),
        .DEPTH(BQ_DEPTH)
    ) u_cq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(cq_in),
        .in_valid_i(cq_push),
        .in_ready_o(),
        .out_data_o(cq_out),
        .out_valid_o(),
        .out_ready_i(bvalid_i)
    );
    /* verilator lint_on PINCONNECTEMPTY */

    // Every B, registered: the burst's address, tag, bytes and outcome.
    reg                  bev_q, bok_q, bresp_err_q;
    reg [15:0]           bbytes_q;
    reg [TAG_WIDTH-1:0]  btag_q;
    reg [ADDR_WIDTH-1:0] baddr_q;
    always @(posedge clk) begin
        if (!rst_n) begin
            bev_q <= 1'b0;
            bok_q <= 1'b0;
            bresp_err_q <= 1'b0;
            bbytes_q <= 16'd0;
            btag_q <= {TAG_WIDTH{1'b0}};
            baddr_q <= {ADDR_WIDTH{1'b0}};
        end else begin
            bev_q <= bvalid_i;
            bok_q <= (bresp_i == RESP_OKAY) && !cq_out[CQ_W-1];
            bresp_err_q <= (bresp_i != RESP_OKAY);
            bbytes_q <= cq_out[15:0];
            btag_q <= b_tag;
            baddr_q <= bq_out[ADDR_WIDTH-1:0];
        end
    end

    // Completion: registered, one cycle after the command's last B.
    reg                 done_q;
    reg [TAG_WIDTH-1:0] done_tag_q;
    reg                 done_rd_err_q, done_wr_err_q;
    always @(posedge clk) begin
        if (!rst_n) begin
            done_q <= 1'b0;
            done_tag_q <= {TAG_WIDTH{1'b0}};
            done_rd_err_q <= 1'b0;
            done_wr_err_q <= 1'b0;
        end else begin
            done_q <= bvalid_i && b_last;
            done_tag_q <= b_tag;
            done_rd_err_q <= eq_out;
            done_wr_err_q <= b_err_q || (bresp_i != RESP_OKAY);
        end
    end

    assign cmd_ready_o = !act_q;
    assign fifo_pop_o = w_take;
    assign done_o = done_q;
    assign done_tag_o = done_tag_q;
    assign done_rd_err_o = done_rd_err_q;
    assign done_wr_err_o = done_wr_err_q;
    assign idle_o = !act_q && !awvalid_q && (b_wait_q == {OUT_W{1'b0}}) && !wq_valid && !wvalid_q;
    assign stalled_o = !awvalid_q && (b_wait_q == {OUT_W{1'b0}}) && !wq_valid && !wvalid_q
                       && (act_q ? (unclaimed < {{(COUNT_WIDTH-9){1'b0}}, burst_len}) : !cmd_valid_i);
    assign w_stall_o = wvalid_q && !wready_i;
    assign b_evt_o = bev_q;
    assign b_ok_o = bok_q;
    assign b_resp_err_o = bresp_err_q;
    assign b_bytes_o = bbytes_q;
    assign b_tag_o = btag_q;
    assign b_addr_o = baddr_q;
    assign awaddr_o = awaddr_q;
    assign awlen_o = awlen_q;
    assign awburst_o = awburst_q;
    assign awvalid_o = awvalid_q;
    assign wdata_o = wdata_q;
    assign wstrb_o = wstrb_q;
    assign wlast_o = wlast_q;
    assign wvalid_o = wvalid_q;

    wire unused = &{1'b0, bq_valid, eq_ready, eq_valid};

endmodule

`resetall
