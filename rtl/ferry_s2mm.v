// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_s2mm: a card-to-host channel's data engine (stream to memory); it
// takes the place of ferry_mover (the channel sees the same command, B event
// and done interface; there is no read side).
//
//   s_axis --> ferry_skid --> input stage --> ferry_fifo (beats) --> W (from the FIFO)
//                                 |  (truncate, resync)      ^
//                  v                          | AW when a burst's beats are in
//                           packet-end queue --> burst former --> AW, W queue --> B queue --> b_evt, done
//
// Commands are receive buffers (dst, len: multiples of DATA_BYTES, checked
// by the channel), one at a time in order. Each packet starts at the start of
// a fresh buffer; a buffer completes when it is full or its packet ended.
//
// The stream port is registered: s_axis goes into a ferry_skid (two beats),
// so TREADY is a register (gated by rst_n: low in reset) and TVALID, TDATA,
// ... reach only clocked logic,
// the same boundary as m_axi and s_axil. A beat waits there while the input
// stage is full or flushing, and the skid is cleared only by the global
// reset: the beats it holds are the stream's next beats, whatever the
// channel does meanwhile.
//
// Input stage: a beat is taken from the skid while the FIFO and the packet-end
// queue have room, so TREADY falls two beats after either is full or a
// flush begins. Its byte count is popcount(TKEEP): legal beats have TKEEP
// all ones, or on a TLAST beat contiguous from lane 0; a beat breaking that
// is taken as having its low popcount(TKEEP) lanes (written with those
// strobes). With MAX_PKT (max_pkt_i, rounded down to whole beats, at least
// one) a packet's beats past the limit are taken and dropped up to its
// TLAST; the last kept beat ends the packet and is flagged truncated. After
// flush_n (the channel's drop of everything after a stop, or a channel
// reset) beats are discarded up to and including the next TLAST if the
// stream was in the middle of a packet (the last beat taken had no TLAST):
// writing resumes on a packet boundary. A global reset (rst_n) assumes the
// stream starts on a boundary.
//
// Bursts (store and forward): the burst former issues an AW only when every
// beat of the burst is in the FIFO and not claimed by an earlier burst: up
// to MAX_BURST_LEN beats, not crossing 4 KiB, not past the buffer's end and
// ending at the packet's last beat (known from the packet-end queue, which
// holds the FIFO sequence number of each packet end the FIFO holds). At most
// max_out_i bursts await their B. WSTRB is the low popcount(TKEEP) lanes of
// each beat. B responses come back in order; each is reported one cycle later
// (b_evt_o, with its bytes, tag and address) like ferry_wr_engine, and the
// B of a buffer's last burst completes it: done_o with the tag and
// done_sb_o = {sop, eop, TID, TUSER of the packet's last beat in it},
// done_err_o = ERR_WR_RESP (a B not OKAY in the buffer), else ERR_TRUNCATED
// (it ends a truncated packet), else ERR_NONE.
//
// Stopping (abort_i): no new buffer, no new burst; issued bursts finish
// (their beats are in the FIFO) and their B's are taken; then quiet_o.
// The channel then resets flush_n, which drops the FIFO and the buffer.
module ferry_s2mm #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 16,
    parameter FIFO_DEPTH = 1024,
    parameter TAG_WIDTH = 17
) (
    input  wire                    clk,
    input  wire                    rst_n,          // global
    input  wire                    flush_n,        // the channel's mover reset

    input  wire                    cmd_valid_i,
    output wire                    cmd_ready_o,
    input  wire [ADDR_WIDTH-1:0]   cmd_dst_i,
    input  wire [31:0]             cmd_len_i,
    input  wire [TAG_WIDTH-1:0]    cmd_tag_i,
    input  wire [5:0]              max_out_i,
    input  wire [31:0]             max_pkt_i,
    input  wire                    abort_i,
    output wire                    quiet_o,
    output wire                    idle_o,
    output wire                    b_evt_o,
    output wire                    b_ok_o,
    output wire                    b_resp_err_o,
    output wire [15:0]             b_bytes_o,
    output wire [TAG_WIDTH-1:0]    b_tag_o,
    output wire [ADDR_WIDTH-1:0]   b_addr_o,
    output wire                    done_o,
    output wire [TAG_WIDTH-1:0]    done_tag_o,
    output wire [7:0]              done_err_o,
    output wire [17:0]             done_sb_o,      // {sop, eop, TID, TUSER}
    output wire [31:0]             rd_bytes_o,     // stream bytes taken into the FIFO this cycle
    output wire [$clog2(DATA_WIDTH/8):0] wr_bytes_o, // bytes of this cycle's W beat
    output wire                    stall_o,        // W beat held by the bus
    output wire                    data_wait_o,    // stream data waiting (FIFO beats unclaimed, or a beat in the register slice)
    output wire                    has_buf_o,      // a buffer is in hand or queued
    output wire                    in_pkt_o,       // the last beat taken had no TLAST

    input  wire [DATA_WIDTH-1:0]   s_axis_tdata,
    input  wire [DATA_WIDTH/8-1:0] s_axis_tkeep,
    input  wire                    s_axis_tlast,
    input  wire [7:0]              s_axis_tuser,
    input  wire [7:0]              s_axis_tid,
    input  wire                    s_axis_tvalid,
    output wire                    s_axis_tready,

    output wire [ADDR_WIDTH-1:0]   awaddr_o,
    output wire [7:0]              awlen_o,
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

    `include "ferry_regs.vh"

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam NB_W = OFF_W + 1;                 // byte count of a beat, 0..BYTES
    localparam FW = DATA_WIDTH + NB_W + 1 + 1 + 8 + 8;   // {data, nbytes, last, trunc, user, id}
    localparam FC_W = $clog2(FIFO_DEPTH) + 2;
    localparam PQ_DEPTH = 32;                    // packet ends in the FIFO
    // bursts between AW and B: at most MAX_OUTSTANDING in the W and B queues together
    localparam BQ_DEPTH = (MAX_OUTSTANDING < 2) ? 2 : (1 << $clog2(MAX_OUTSTANDING));
    localparam BL_W = 9;                         // burst length in beats, 1..256
    // W queue: {buffer last, sop, eop, tag, address, beats}
    localparam WQ_W = 3 + TAG_WIDTH + ADDR_WIDTH + BL_W;
    // B queue: {buffer last, sop, eop, tag, address, trunc, user, id, bytes}
    localparam BQ_W = 3 + TAG_WIDTH + ADDR_WIDTH + 1 + 16 + 16;

    // ---------------------------------------------------------------- input stage
    reg        skip_q;          // resync: discarding up to the next TLAST
    reg        inpkt_q;         // the last beat taken had no TLAST (global reset only)
    reg [31:0] kept_q;          // beats kept of the current packet
    reg        drop_q;          // past MAX_PKT: dropping up to TLAST
    reg [15:0] in_seq_q;        // sequence number of the next beat pushed

    wire [31:0] max_beats_raw = max_pkt_i >> OFF_W;
    wire [31:0] max_beats = (max_beats_raw == 32'd0) ? 32'd1 : max_beats_raw;
    wire        limit_on = max_pkt_i != 32'd0;

    wire        f_in_ready, pq_in_ready;

    // The register slice on s_axis: {TDATA, TKEEP, TLAST, TUSER, TID}.
    localparam SK_W = DATA_WIDTH + BYTES + 1 + 8 + 8;
    wire [SK_W-1:0]       sk_out;
    wire                  in_valid;
    wire                  in_ready = f_in_ready && pq_in_ready && flush_n;
    wire                  sk_in_ready;
    // Low in reset (rst_n is read here directly, like flush_n before the
    // slice): a source in another reset domain loses no beat to the reset.
    assign s_axis_tready = sk_in_ready && rst_n;
    /* verilator lint_off PINCONNECTEMPTY */
    ferry_skid #(
        .WIDTH(SK_W)
    ) u_in (
        .clk(clk),
        .rst_n(rst_n),
        .in_valid_i(s_axis_tvalid),
        .in_ready_o(sk_in_ready),
        .in_data_i({s_axis_tdata, s_axis_tkeep, s_axis_tlast, s_axis_tuser, s_axis_tid}),
        .out_valid_o(in_valid),
        .out_ready_i(in_ready),
        .out_data_o(sk_out),
        .load_o(),
        .load_data_o()
    );
    /* verilator lint_on PINCONNECTEMPTY */
    wire [DATA_WIDTH-1:0] in_data = sk_out[SK_W-1 -: DATA_WIDTH];
    wire [BYTES-1:0]      in_keep = sk_out[16 + 1 +: BYTES];
    wire                  in_last = sk_out[16];
    wire [7:0]            in_user = sk_out[15:8];
    wire [7:0]            in_id = sk_out[7:0];

    wire        in_take = in_valid && in_ready;
    wire        in_cut = limit_on && !skip_q && !drop_q && (kept_q + 32'd1 >= max_beats) && !in_last;
    wire        in_push = in_take && !skip_q && !drop_q;
    wire        in_end = in_last || in_cut;               // the pushed beat ends its packet

    reg [NB_W-1:0] in_nb;
    integer k;
    always @* begin
        in_nb = {NB_W{1'b0}};
        for (k = 0; k < BYTES; k = k + 1) begin
            in_nb = in_nb + {{(NB_W-1){1'b0}}, in_keep[k]};
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            inpkt_q <= 1'b0;
        end else if (in_take) begin
            inpkt_q <= !in_last;
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            skip_q <= 1'b0;
            kept_q <= 32'd0;
            drop_q <= 1'b0;
            in_seq_q <= 16'd0;
        end else if (!flush_n) begin
            skip_q <= inpkt_q;
            kept_q <= 32'd0;
            drop_q <= 1'b0;
            in_seq_q <= 16'd0;
        end else if (in_take) begin
            if (skip_q || drop_q) begin
                if (in_last) begin
                    skip_q <= 1'b0;
                    drop_q <= 1'b0;
                end
            end else begin
                in_seq_q <= in_seq_q + 16'd1;
                kept_q <= in_last ? 32'd0 : kept_q + 32'd1;
                if (in_cut) begin
                    kept_q <= 32'd0;
                    drop_q <= 1'b1;
                end
            end
        end
    end

    // ---------------------------------------------------------------- FIFO and packet ends
    wire [FW-1:0]   f_out;
    wire            f_valid;
    wire            f_pop;
    wire [FC_W-1:0] f_count;

    ferry_fifo #(
        .WIDTH(FW),
        .DEPTH(FIFO_DEPTH)
    ) u_fifo (
        .clk(clk),
        .rst_n(rst_n && flush_n),
        .in_data_i({in_data, in_nb, in_end, in_cut, in_user, in_id}),
        .in_valid_i(in_push),
        .in_ready_o(f_in_ready),
        .out_data_o(f_out),
        .out_valid_o(f_valid),
        .out_ready_i(f_pop),
        .count_o(f_count)
    );
    wire [DATA_WIDTH-1:0] f_data = f_out[FW-1 -: DATA_WIDTH];
    wire [NB_W-1:0]       f_nb = f_out[17 + NB_W : 18];
    wire                  f_last = f_out[17];
    wire                  f_trunc = f_out[16];
    wire [7:0]            f_user = f_out[15:8];
    wire [7:0]            f_id = f_out[7:0];

    wire [15:0] pq_out;
    wire        pq_valid;
    reg         pq_pop;

    ferry_queue #(
        .WIDTH(16),
        .DEPTH(PQ_DEPTH)
    ) u_pq (
        .clk(clk),
        .rst_n(rst_n && flush_n),
        .in_data_i(in_seq_q),
        .in_valid_i(in_push && in_end),
        .in_ready_o(pq_in_ready),
        .out_data_o(pq_out),
        .out_valid_o(pq_valid),
        .out_ready_i(pq_pop)
    );

    // ---------------------------------------------------------------- buffers and the burst former
    reg                  buf_q;         // a buffer is in hand
    reg [ADDR_WIDTH-1:0] baddr_q;       // its next address
    reg [31:0]           brem_q;        // its beats left
    reg [TAG_WIDTH-1:0]  btag_q;
    reg                  bsop_q;        // its first burst started a packet (set at the first AW)
    reg                  bfirst_q;      // no burst of it issued yet
    reg [15:0]           avail_q;       // FIFO beats not claimed by a burst
    reg [15:0]           out_seq_q;     // sequence number of the next unclaimed beat
    reg [5:0]            outs_q;        // bursts issued, B not yet taken
    reg                  awv_q;         // AW valid
    reg [ADDR_WIDTH-1:0] awaddr_q;
    reg [7:0]            awlen_q;
    reg [15:0]           pq_seq_start;  // sequence number of the current packet's first beat

    wire [TAG_WIDTH-1:0] cq_tag;
    wire [ADDR_WIDTH-1:0] cq_dst;
    wire [31:0]          cq_len;
    wire                 cq_valid;
    wire                 cq_pop = cq_valid && !buf_q && !abort_i;

    ferry_queue #(
        .WIDTH(TAG_WIDTH + ADDR_WIDTH + 32),
        .DEPTH(2)
    ) u_cq (
        .clk(clk),
        .rst_n(flush_n && rst_n),
        .in_data_i({cmd_tag_i, cmd_dst_i, cmd_len_i}),
        .in_valid_i(cmd_valid_i),
        .in_ready_o(cmd_ready_o),
        .out_data_o({cq_tag, cq_dst, cq_len}),
        .out_valid_o(cq_valid),
        .out_ready_i(cq_pop)
    );

    wire [5:0]  mo_lim = (max_out_i == 6'd0) ? 6'd1
                       : ((max_out_i > MAX_OUTSTANDING[5:0]) ? MAX_OUTSTANDING[5:0] : max_out_i);
    wire [12:0] to4k_bytes = 13'd4096 - {1'b0, baddr_q[11:0]};
    wire [12:0] to4k = to4k_bytes >> OFF_W;
    wire [15:0] pdist = pq_out - out_seq_q + 16'd1;    // beats to the packet end (pq_valid)

    reg [31:0]  n_lim;
    always @* begin
        n_lim = MAX_BURST_LEN;
        if ({19'd0, to4k} < n_lim) begin
            n_lim = {19'd0, to4k};
        end
        if (brem_q < n_lim) begin
            n_lim = brem_q;
        end
        if (pq_valid && {16'd0, pdist} < n_lim) begin
            n_lim = {16'd0, pdist};
        end
    end
    wire        n_end = pq_valid && (n_lim == {16'd0, pdist});       // the burst ends the packet
    wire        n_blast = n_end || (n_lim == brem_q);               // ... or the buffer
    wire        wq_ready, bq_ready;
    wire        can_aw = buf_q && (!awv_q || awready_i) && !abort_i && ({16'd0, avail_q} >= n_lim) && (outs_q < mo_lim)
                         && wq_ready;
    wire        aw_hs = awv_q && awready_i;
    wire        b_take = bvalid_i;                 // B is always taken (the port has no BREADY)

    reg  [WQ_W-1:0] wq_in;
    always @* begin
        pq_pop = can_aw && n_end;
        wq_in = {n_blast, bfirst_q ? (out_seq_q == pq_seq_start) : bsop_q, n_end, btag_q, baddr_q, n_lim[BL_W-1:0]};
    end

    always @(posedge clk) begin
        if (!rst_n || !flush_n) begin
            pq_seq_start <= 16'd0;
        end else if (can_aw && n_end) begin
            pq_seq_start <= out_seq_q + n_lim[15:0];
        end
    end

    always @(posedge clk) begin
        if (!rst_n || !flush_n) begin
            buf_q <= 1'b0;
            baddr_q <= {ADDR_WIDTH{1'b0}};
            brem_q <= 32'd0;
            btag_q <= {TAG_WIDTH{1'b0}};
            bsop_q <= 1'b0;
            bfirst_q <= 1'b0;
            avail_q <= 16'd0;
            out_seq_q <= 16'd0;
            outs_q <= 6'd0;
            awv_q <= 1'b0;
            awaddr_q <= {ADDR_WIDTH{1'b0}};
            awlen_q <= 8'd0;
        end else begin
            avail_q <= avail_q + {15'd0, in_push} - (can_aw ? n_lim[15:0] : 16'd0);
            outs_q <= outs_q + {5'd0, can_aw} - {5'd0, b_take};
            if (cq_pop) begin
                buf_q <= 1'b1;
                baddr_q <= cq_dst;
                brem_q <= cq_len >> OFF_W;
                btag_q <= cq_tag;
                bfirst_q <= 1'b1;
            end
            if (aw_hs) begin
                awv_q <= 1'b0;     // (set again below by a new burst)
            end
            if (can_aw) begin
                awv_q <= 1'b1;
                awaddr_q <= baddr_q;
                awlen_q <= n_lim[7:0] - 8'd1;
                baddr_q <= baddr_q + ({{(ADDR_WIDTH-32){1'b0}}, n_lim} << OFF_W);
                brem_q <= brem_q - n_lim;
                out_seq_q <= out_seq_q + n_lim[15:0];
                bfirst_q <= 1'b0;
                if (bfirst_q) begin
                    bsop_q <= out_seq_q == pq_seq_start;
                end
                if (n_blast) begin
                    buf_q <= 1'b0;
                end
            end
        end
    end

    // ---------------------------------------------------------------- W
    wire [WQ_W-1:0] wq_out;
    wire            wq_valid;
    reg             wq_pop;
    wire [BL_W-1:0] wq_beats = wq_out[BL_W-1:0];

    ferry_queue #(
        .WIDTH(WQ_W),
        .DEPTH(BQ_DEPTH)
    ) u_wq (
        .clk(clk),
        .rst_n(rst_n && flush_n),
        .in_data_i(wq_in),
        .in_valid_i(can_aw),
        .in_ready_o(wq_ready),
        .out_data_o(wq_out),
        .out_valid_o(wq_valid),
        .out_ready_i(wq_pop)
    );

    reg [BL_W-1:0] wcnt_q;           // beats of the head burst sent
    reg [15:0]     wbytes_q;         // ... and their bytes
    wire           w_last = (wcnt_q + {{(BL_W-1){1'b0}}, 1'b1}) == wq_beats;
    wire           w_hs = wvalid_o && wready_i;
    reg [BYTES-1:0] w_strb;
    integer j;
    always @* begin
        for (j = 0; j < BYTES; j = j + 1) begin
            w_strb[j] = j < f_nb;
        end
        wq_pop = w_hs && w_last;
    end
    assign f_pop = w_hs;
    assign wvalid_o = wq_valid && f_valid && bq_ready;
    assign wdata_o = f_data;
    assign wstrb_o = w_strb;
    assign wlast_o = w_last;

    wire [15:0] w_bytes_n = wbytes_q + {{(16-NB_W){1'b0}}, f_nb};

    always @(posedge clk) begin
        if (!rst_n || !flush_n) begin
            wcnt_q <= {BL_W{1'b0}};
            wbytes_q <= 16'd0;
        end else if (w_hs) begin
            wcnt_q <= w_last ? {BL_W{1'b0}} : wcnt_q + {{(BL_W-1){1'b0}}, 1'b1};
            wbytes_q <= w_last ? 16'd0 : w_bytes_n;
        end
    end

    // ---------------------------------------------------------------- B
    wire [BQ_W-1:0] bq_out;
    wire            bq_valid;

    ferry_queue #(
        .WIDTH(BQ_W),
        .DEPTH(BQ_DEPTH)
    ) u_bq (
        .clk(clk),
        .rst_n(rst_n && flush_n),
        .in_data_i({wq_out[WQ_W-1:BL_W], f_trunc, f_id, f_user, w_bytes_n}),
        .in_valid_i(w_hs && w_last),
        .in_ready_o(bq_ready),
        .out_data_o(bq_out),
        .out_valid_o(bq_valid),
        .out_ready_i(b_take)
    );
    wire                  bq_blast = bq_out[BQ_W-1];
    wire                  bq_sop = bq_out[BQ_W-2];
    wire                  bq_eop = bq_out[BQ_W-3];
    wire [TAG_WIDTH-1:0]  bq_tag = bq_out[BQ_W-4 -: TAG_WIDTH];
    wire [ADDR_WIDTH-1:0] bq_addr = bq_out[BQ_W-4-TAG_WIDTH -: ADDR_WIDTH];
    wire                  bq_trunc = bq_out[32];
    wire [15:0]           bq_sb = bq_out[31:16];        // {TID, TUSER}
    wire [15:0]           bq_bytes = bq_out[15:0];

    reg                  bev_q, bok_q, berr_q, bad_q, done_q;
    reg [15:0]           bbytes_q;
    reg [TAG_WIDTH-1:0]  btg_q;
    reg [ADDR_WIDTH-1:0] bad_addr_q;
    reg [7:0]            derr_q;
    reg [17:0]           dsb_q;

    always @(posedge clk) begin
        if (!rst_n || !flush_n) begin
            bev_q <= 1'b0;
            bok_q <= 1'b0;
            berr_q <= 1'b0;
            bad_q <= 1'b0;
            done_q <= 1'b0;
            bbytes_q <= 16'd0;
            btg_q <= {TAG_WIDTH{1'b0}};
            bad_addr_q <= {ADDR_WIDTH{1'b0}};
            derr_q <= ERR_NONE;
            dsb_q <= 18'd0;
        end else begin
            bev_q <= b_take && bq_valid;
            done_q <= b_take && bq_valid && bq_blast;
            if (b_take && bq_valid) begin
                bok_q <= bresp_i == 2'b00;
                berr_q <= bresp_i != 2'b00;
                bbytes_q <= bq_bytes;
                btg_q <= bq_tag;
                bad_addr_q <= bq_addr;
                // the buffer's error: a failed B in it wins over truncation
                bad_q <= bq_blast ? 1'b0 : (bad_q || bresp_i != 2'b00);
                derr_q <= (bad_q || bresp_i != 2'b00) ? ERR_WR_RESP
                          : ((bq_eop && bq_trunc) ? ERR_TRUNCATED : ERR_NONE);
                dsb_q <= {bq_sop, bq_eop, bq_sb};
            end
        end
    end

    assign awaddr_o = awaddr_q;
    assign awlen_o = awlen_q;
    assign awvalid_o = awv_q;
    assign b_evt_o = bev_q;
    assign b_ok_o = bok_q;
    assign b_resp_err_o = berr_q;
    assign b_bytes_o = bbytes_q;
    assign b_tag_o = btg_q;
    assign b_addr_o = bad_addr_q;
    assign done_o = done_q;
    assign done_tag_o = btg_q;
    assign done_err_o = derr_q;
    assign done_sb_o = dsb_q;
    assign rd_bytes_o = in_push ? {{(32-NB_W){1'b0}}, in_nb} : 32'd0;
    assign wr_bytes_o = w_hs ? f_nb : {NB_W{1'b0}};
    assign stall_o = wvalid_o && !wready_i;
    assign quiet_o = abort_i && !awv_q && !wq_valid && (outs_q == 6'd0) && !bev_q;
    assign idle_o = !cq_valid && !buf_q && !awv_q && !wq_valid && (outs_q == 6'd0) && !bev_q;
    assign data_wait_o = (avail_q != 16'd0) || in_valid;
    assign has_buf_o = buf_q || cq_valid;
    assign in_pkt_o = inpkt_q;

    wire unused = &{1'b0, f_count, to4k_bytes[OFF_W-1:0], n_lim[31:BL_W], f_last};

endmodule

`resetall
