// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_channel: one DMA channel: direct mode, descriptor ring mode,
// completion sequencing, interrupt coalescing, status and counters. Its data
// moves through its own ferry_mover; descriptors arrive from the shared
// ferry_desc_fetch and completion records leave through the shared
// ferry_cpl_write.
//
// Direct mode: at the doorbell (start_i) the channel ignores it and sets
// DB_OVERRUN if a transfer is running; rejects it (ERROR, no bus traffic)
// for LEN = 0 (LEN_ZERO), a range past 2^ADDR_WIDTH (ADDR_RANGE) or an
// enabled ring (RING_OFF); otherwise it sends one command to the mover and
// sets DONE (or ERROR) when the mover reports its last write response.
//
// Ring mode (docs/descriptors.md):
//   1. RING_CTRL.ENABLE checks and latches the ring and completion bases and
//      the size, and resets PROD, CONS and the phase (first pass: phase 1).
//   2. Writes of RING_PROD make descriptors [fetch, PROD) pending; they are
//      fetched in runs of up to 4 (not past the ring end) into the
//      descriptor queue, several fetches in flight.
//   3. Each descriptor is checked (reserved bits, length, 2D shape, fixed
//      alignment, address wrap: a bad one moves nothing), then sent to the
//      mover one row at a time; a FENCE descriptor first waits until every
//      earlier command has completed (the mover pipelines otherwise).
//   4. Descriptors complete in ring order once their last row's last write
//      response is back; each completion record (16 bytes: index, status,
//      phase, bytes, user tag) is then written, and when its write
//      response returns, CONS advances and interrupt coalescing counts it.
// Errors stop the channel (docs/errors.md). An error is reported at once
// (STATUS.ERROR, ERR_CODE, ERR_ADDR, ERR_DESC) and the channel stops
// (STOPPING): nothing new is fetched or started, and for bus errors, ABORT,
// a watchdog timeout or RESET the mover stops issuing reads and drains. The
// descriptors before the failing one complete as usual; the failing one's
// completion record carries the error, the bytes written before the fault
// and the fault address; then everything left is dropped (queues and the
// mover are reset) and the ring is HALTED with RING_CONS at the failing
// descriptor. CTRL.RESUME runs it again, CTRL.SKIP goes on after it. A
// direct transfer stops the same way and simply ends with ERROR. CTRL.RESET
// drains like ABORT and then resets the whole channel (the register block
// resets its registers on ch_rst_o).
//
// Address windows (NUM_WINDOWS, WIN_CTRL.ENABLE): each descriptor's source
// and destination extents, a direct transfer's ranges, and the descriptor
// and completion rings as a whole must lie in a window with read or write
// permission; an access outside is never issued (WINDOW).
//
// Parameters
//   ADDR_WIDTH  m_axi address bits, 32..64
//   DATA_WIDTH  m_axi data bits, 32..512
//   DQ_DEPTH    descriptor queue entries, a power of two, 4..32: fetched
//               descriptors waiting to run; 16 keeps a ring of 256 B
//               descriptors at full rate with 400 cycles of read latency
//               (a fetch run of 4 costs one read latency; 8 halved the rate);
//               32 does the same for 64 B descriptors (ferry_top DQ_DEPTH)
//   NUM_WINDOWS address windows, 0..4
module ferry_channel #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter DQ_DEPTH = 16,
    parameter NUM_WINDOWS = 4,
    parameter KIND = 0,          // 0 memory to memory, 1 host-to-card, 2 card-to-host
    parameter WINS = (NUM_WINDOWS == 0) ? 1 : NUM_WINDOWS   // port width only: leave at default
) (
    input  wire                  clk,
    input  wire                  rst_n,

    // registers held in the register block
    input  wire                  start_i,        // CTRL.START pulse
    input  wire [63:0]           src_i,
    input  wire [63:0]           dst_i,
    input  wire [31:0]           len_i,
    input  wire [3:0]            clear_i,        // W1C pulses {CPL, DB_OVERRUN, ERROR, DONE}
    input  wire [2:0]            irq_en_i,       // {CPL, ERROR, DONE}
    input  wire [63:0]           ring_base_i,
    input  wire [63:0]           cpl_base_i,
    input  wire                  ring_ctrl_wr_i, // RING_CTRL written
    input  wire [31:0]           ring_ctrl_i,    // ... with this value
    input  wire                  prod_wr_i,      // RING_PROD written
    input  wire [15:0]           prod_i,
    input  wire [15:0]           irq_count_i,
    input  wire [31:0]           irq_timer_i,
    input  wire                  abort_i,        // CTRL.ABORT pulse
    input  wire                  resume_i,       // CTRL.RESUME pulse
    input  wire                  skip_i,         // CTRL.SKIP pulse
    input  wire                  reset_i,        // CTRL.RESET pulse
    input  wire                  cfg_busy_i,     // a ring base write was refused (ring active)
    input  wire [31:0]           wdog_i,
    input  wire                  win_en_i,
    input  wire [WINS*64-1:0]    win_base_i,       // window w: {address 63:12, ..., WRITE, READ}
    input  wire [WINS*64-1:0]    win_limit_i,     // window w: last page, address 63:12
    output wire                  ch_rst_o,       // per-channel reset: registers back to reset values
    output wire                  rst_pend_o,     // a CTRL.RESET is draining or completing
    output wire [63:0]           err_addr_o,
    output wire [15:0]           err_desc_o,
    output wire [31:0]           err_bytes_o,

    output wire [31:0]           status_o,
    output wire [31:0]           ring_ctrl_o,
    output wire [15:0]           prod_o,
    output wire [15:0]           cons_o,
    output wire                  irq_o,
    output wire [63:0]           cnt_bytes_rd_o,
    output wire [63:0]           cnt_bytes_wr_o,
    output wire [31:0]           cnt_desc_o,
    output wire [31:0]           cnt_err_o,
    output wire [63:0]           cnt_busy_o,
    output wire [63:0]           cnt_wait_o,
    output wire [63:0]           cnt_stall_o,

    // descriptor fetch (shared engine)
    output wire                  fetch_req_o,
    output wire [ADDR_WIDTH-1:0] fetch_addr_o,
    output wire [2:0]            fetch_cnt_o,    // descriptors, 1..4
    input  wire                  fetch_ack_i,
    input  wire                  desc_valid_i,
    input  wire [63:0]           desc_i,         // one quarter, lowest first
    input  wire                  desc_err_i,

    // completion records (shared engine)
    output wire                  cpl_req_o,
    output wire [ADDR_WIDTH-1:0] cpl_addr_o,
    output wire [127:0]          cpl_data_o,
    input  wire                  cpl_ack_i,
    input  wire                  cpl_done_i,     // oldest record's write response is back
    input  wire                  cpl_err_i,

    // mover
    output wire                  mv_valid_o,
    input  wire                  mv_ready_i,
    output wire [ADDR_WIDTH-1:0] mv_src_o,
    output wire [ADDR_WIDTH-1:0] mv_dst_o,
    output wire [31:0]           mv_len_o,
    output wire                  mv_src_fixed_o,
    output wire                  mv_dst_fixed_o,
    output wire [16:0]           mv_tag_o,       // {descriptor index, last row of its descriptor}
    output wire                  mv_eop_o,       // host-to-card: the command ends a packet
    output wire [15:0]           mv_sb_o,        // host-to-card: {TID, TUSER} of the command
    output wire                  mv_abort_o,     // stop the mover: no new reads, drain
    output wire                  mv_rst_n_o,     // reset the mover (after a stop: drop what is left)
    input  wire                  mv_quiet_i,     // stopped mover: nothing in flight or left to report
    input  wire                  mv_rd_fault_i,
    input  wire [ADDR_WIDTH-1:0] mv_rd_fault_addr_i,
    input  wire [16:0]           mv_rd_fault_tag_i,
    input  wire                  mv_b_evt_i,
    input  wire                  mv_b_ok_i,
    input  wire                  mv_b_resp_err_i,
    input  wire [15:0]           mv_b_bytes_i,
    input  wire [16:0]           mv_b_tag_i,
    input  wire [ADDR_WIDTH-1:0] mv_b_addr_i,
    input  wire                  mv_progress_i,  // a handshake on one of the mover's AXI channels
    input  wire                  mv_done_i,
    input  wire [16:0]           mv_done_tag_i,
    input  wire [7:0]            mv_done_err_i,
    input  wire [17:0]           mv_done_sb_i,   // card-to-host: {sop, eop, TID, TUSER} of the buffer
    output wire                  pkt_o,          // card-to-host: a record with EOP was issued
    output wire                  posted_o,       // card-to-host: ring descriptors not yet handed on
    input  wire                  mv_idle_i,      // no command queued or in flight
    input  wire [31:0]           mv_rd_bytes_i,
    input  wire [6:0]            mv_wr_bytes_i,
    input  wire                  mv_stall_i,
    input  wire                  wait_i          // a burst request waits for its grant
);

    `include "ferry_regs.vh"

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam IS_H2C = (KIND == 1);
    localparam IS_C2H = (KIND == 2);
    localparam FQ_W = IS_C2H ? 58 : 40;          // see fq_in
    localparam PQ_DEPTH = 32;     // descriptors between check and completion
    localparam AQ_DEPTH = 32;     // completion records awaiting their write response
    localparam PQ_W = 16 + 16 + 8 + 1 + 1 + 1;   // see pq_in
    localparam AQ_W = 16 + 1 + 1 + 8;            // see aq_in
    localparam [2:0] X_IDLE = 3'd0;
    localparam [2:0] X_CHECK = 3'd1;
    localparam [2:0] X_ROWS = 3'd2;
    localparam [2:0] X_DIRECT = 3'd3;
    localparam [2:0] X_FENCE = 3'd4;
    localparam [2:0] X_LOAD = 3'd5;     // quarters 1..3 of a descriptor leave the queue
    localparam [2:0] X_SPAN = 3'd6;     // 2D: row spans and total by shift-and-add

    generate
        if (DQ_DEPTH < 4 || DQ_DEPTH > 32 || (1 << $clog2(DQ_DEPTH)) != DQ_DEPTH) begin : g_bad_dq
            ferry_channel_DQ_DEPTH_must_be_a_power_of_two_4_to_32 u_bad();
        end
        if (NUM_WINDOWS < 0 || NUM_WINDOWS > 4) begin : g_bad_win
            ferry_channel_NUM_WINDOWS_must_be_0_to_4 u_bad();
        end
    endgenerate

    // ------------------------------------------------------------ state
    // status
    reg                  done_q, done_d;
    reg                  error_q, error_d;
    reg                  overrun_q, overrun_d;
    reg                  cplf_q, cplf_d;
    reg [7:0]            code_q, code_d;
    reg                  irq_q, irq_d;
    // error report (ERR_ADDR, ERR_DESC, ERR_BYTES)
    reg [63:0]           eaddr_q, eaddr_d;
    reg [15:0]           edesc_q, edesc_d;
    reg [31:0]           ebytes_q, ebytes_d;
    // stopping and halting
    reg                  stop_q, stop_d;         // no new requests; draining
    reg                  amv_q, amv_d;           // ... with the mover stopped too
    reg                  hold_q, hold_d;         // ... and no further completion record
    reg                  cfrz_q, cfrz_d;         // ... and CONS frozen (a record write failed)
    reg                  rstq_q, rstq_d;         // ... then a channel reset (CTRL.RESET)
    reg [7:0]            scode_q, scode_d;       // code for an unfinished descriptor (ABORTED, TIMEOUT)
    reg                  flush_q, flush_d;       // drained: drop queues and mover state
    reg                  chrst_q, chrst_d;       // per-channel reset pulse
    reg                  halt_q, halt_d;         // ring halted at CONS
    // the fault of the oldest descriptor seen while stopping
    reg                  fh_q, fh_d;
    reg [15:0]           fidx_q, fidx_d;
    reg [63:0]           faddr2_q, faddr2_d;
    reg [7:0]            fcode_q, fcode_d;
    // watchdog
    reg [31:0]           wd_q, wd_d;
    // direct mode
    reg                  dbusy_q, dbusy_d;       // a direct transfer is pending or running
    reg                  dreq_q, dreq_d;         // ... not yet handed to the mover
    reg [ADDR_WIDTH-1:0] dsrc_q, dsrc_d;
    reg [ADDR_WIDTH-1:0] ddst_q, ddst_d;
    reg [31:0]           dlen_q, dlen_d;
    // ring
    reg                  ren_q, ren_d;           // ring enabled
    reg                  rseen_q;                // ring_ok_q / cpl_ok_q are of the current ring bases
    reg [4:0]            log2_q, log2_d;
    reg [ADDR_WIDTH-1:0] rbase_q, rbase_d;
    reg [ADDR_WIDTH-1:0] cbase_q, cbase_d;
    reg [15:0]           prod_q, prod_d;
    reg [15:0]           fetch_q, fetch_d;       // next index to fetch
    reg [15:0]           exec_q, exec_d;         // index of the next descriptor to check
    reg [15:0]           widx_q, widx_d;         // index of the next completion record
    reg                  phase_q, phase_d;       // phase of that record
    reg [15:0]           cons_q, cons_d;
    reg                  cphase_q, cphase_d;     // phase of the record at CONS
    reg [5:0]            resv_q, resv_d;         // descriptors fetched-for, not yet arrived
    reg                  freq_q, freq_d;
    reg [ADDR_WIDTH-1:0] faddr_q, faddr_d;
    reg [2:0]            fcnt_q, fcnt_d;
    // exec
    reg [2:0]            xst_q, xst_d;
    reg [255:0]          cur_q, cur_d;           // descriptor being checked / run
    reg                  cur_ferr_q, cur_ferr_d;
    reg [1:0]            xq_q, xq_d;             // next quarter to load into cur_q
    reg [1:0]            qin_q, qin_d;           // quarters of the arriving descriptor so far
    reg [15:0]           m_q, m_d;               // X_SPAN: rows - 1 bits not yet used
    reg [47:0]           ms_q, ms_d;             // ... source stride, shifted
    reg [47:0]           mt_q, mt_d;             // ... destination stride, shifted
    reg [47:0]           ml_q, ml_d;             // ... row length, shifted
    reg [47:0]           s_span_q, s_span_d;     // (rows - 1) x source stride (0 if fixed or 1D)
    reg [47:0]           t_span_q, t_span_d;     // (rows - 1) x destination stride
    reg [47:0]           l_span_q, l_span_d;     // (rows - 1) x row length
    reg [15:0]           row_q, row_d;           // rows left to send
    reg [ADDR_WIDTH-1:0] rsrc_q, rsrc_d;
    reg [ADDR_WIDTH-1:0] rdst_q, rdst_d;
    // bytes of the oldest unfinished descriptor, counted at write responses
    reg [31:0]           acc_q, acc_d;
    reg                  abad_q, abad_d;         // ... a burst of it failed: stop counting
    reg [7:0]            hcode_q, hcode_d;
    // completion record
    reg                  creq_q, creq_d;
    reg [ADDR_WIDTH-1:0] caddr_q, caddr_d;
    reg [127:0]          cdata_q, cdata_d;
    // coalescing
    reg [15:0]           pend_q, pend_d;
    reg [31:0]           timer_q, timer_d;
    // counters
    reg [63:0]           c_rd_q, c_rd_d;
    reg [63:0]           c_wr_q, c_wr_d;
    reg [31:0]           c_desc_q, c_desc_d;
    reg [31:0]           c_err_q, c_err_d;
    reg [63:0]           c_busy_q, c_busy_d;
    reg [63:0]           c_wait_q, c_wait_d;
    reg [63:0]           c_stall_q, c_stall_d;
    // window checks of the rings (registered)
    reg                  ring_ok_q, cpl_ok_q;

    // Queues and the mover are reset by a flush (after a stop) and a channel reset.
    wire qrst_n = rst_n && !flush_q && !chrst_q;

    // ------------------------------------------------------------ queues
    // Descriptors as 64-bit quarters with the fetch-error flag: a narrow,
    // deep queue maps to few block or LUT RAMs.
    wire [64:0]  dq_out;
    wire         dq_valid, dq_ready;
    reg          dq_pop;
    wire [5:0]   dq_count;      // whole descriptors in the queue

    ferry_queue #(
        .WIDTH(65),
        .DEPTH(4 * DQ_DEPTH)
    ) u_dq (
        .clk(clk),
        .rst_n(qrst_n),
        .in_data_i({desc_err_i, desc_i}),
        .in_valid_i(desc_valid_i),
        .in_ready_o(dq_ready),
        .out_data_o(dq_out),
        .out_valid_o(dq_valid),
        .out_ready_i(dq_pop)
    );

    // Pending descriptors, in ring order:
    // {index, user tag, code, irq flag, rejected, direct}
    reg  [PQ_W-1:0] pq_in;
    reg             pq_push, pq_pop;
    wire [PQ_W-1:0] pq_out;
    wire            pq_valid, pq_ready;

    ferry_queue #(
        .WIDTH(PQ_W),
        .DEPTH(PQ_DEPTH)
    ) u_pq (
        .clk(clk),
        .rst_n(qrst_n),
        .in_data_i(pq_in),
        .in_valid_i(pq_push),
        .in_ready_o(pq_ready),
        .out_data_o(pq_out),
        .out_valid_o(pq_valid),
        .out_ready_i(pq_pop)
    );

    wire [15:0] h_idx = pq_out[PQ_W-1 -: 16];
    wire [15:0] h_tag = pq_out[PQ_W-17 -: 16];
    wire [7:0]  h_code = pq_out[PQ_W-33 -: 8];
    wire        h_irq = pq_out[2];
    wire        h_rej = pq_out[1];
    wire        h_direct = pq_out[0];

    // Results of descriptors whose last row is done, in order: {bytes, code},
    // card-to-host {side band, bytes, code}
    wire [FQ_W-1:0] fq_out;
    wire            fq_valid;
    wire            fq_ready;
    reg             fq_push, fq_pop;
    reg  [FQ_W-1:0] fq_in;

    ferry_queue #(
        .WIDTH(FQ_W),
        .DEPTH(PQ_DEPTH)
    ) u_fq (
        .clk(clk),
        .rst_n(qrst_n),
        .in_data_i(fq_in),
        .in_valid_i(fq_push),
        .in_ready_o(fq_ready),
        .out_data_o(fq_out),
        .out_valid_o(fq_valid),
        .out_ready_i(fq_pop)
    );
    wire [31:0] f_bytes = fq_out[39:8];
    wire [7:0]  f_code = fq_out[7:0];
    // card-to-host side band of the head result: {sop, eop, TID, TUSER}
    wire [17:0] f_sb;
    generate
        if (IS_C2H) begin : g_fsb
            assign f_sb = fq_out[FQ_W-1 -: 18];
        end else begin : g_nofsb
            assign f_sb = 18'd0;
        end
    endgenerate

    // Records written, awaiting their response: {index, halting, eligible for irq, code}
    reg  [AQ_W-1:0] aq_in;
    reg             aq_push;
    wire [AQ_W-1:0] aq_out;
    wire            aq_valid, aq_ready;

    ferry_queue #(
        .WIDTH(AQ_W),
        .DEPTH(AQ_DEPTH)
    ) u_aq (
        .clk(clk),
        .rst_n(qrst_n),
        .in_data_i(aq_in),
        .in_valid_i(aq_push),
        .in_ready_o(aq_ready),
        .out_data_o(aq_out),
        .out_valid_o(aq_valid),
        .out_ready_i(cpl_done_i)
    );
    wire [15:0] a_idx = aq_out[AQ_W-1 -: 16];
    wire        a_halt = aq_out[9];
    wire        a_elig = aq_out[8];

    // ------------------------------------------------------------ decode
    // descriptor fields (docs/descriptors.md)
    wire [63:0] d_src = cur_q[63:0];
    wire [63:0] d_dst = cur_q[127:64];
    wire [23:0] d_len = cur_q[151:128];
    wire        d_irq = cur_q[152];
    wire        d_sfix = cur_q[153];
    wire        d_dfix = cur_q[154];
    wire        d_2d = cur_q[155];
    wire        d_eop = cur_q[156];
    wire        d_fence = cur_q[157];
    wire [1:0]  d_rsvd = cur_q[159:158];
    wire [15:0] d_tag = cur_q[175:160];
    wire [15:0] d_rows = cur_q[191:176];
    wire [31:0] d_sstr = cur_q[223:192];
    wire [31:0] d_dstr = cur_q[255:224];

    wire [47:0] d_total = l_span_q + {24'd0, d_len};

    // The descriptor in cur_d once its last quarter is in (X_LOAD, quarter 3):
    // does it need X_SPAN (2D with more than one row)?
    wire [255:0] cur_n = {dq_out[63:0], cur_q[191:0]};
    wire [15:0]  n_rows = cur_n[191:176];
    wire         n_span = cur_n[155] && (n_rows > 16'd1);
    wire [65:0] limit = 66'd1 << ADDR_WIDTH;
    wire [OFF_W-1:0] s_off = d_src[OFF_W-1:0];
    wire [OFF_W-1:0] t_off = d_dst[OFF_W-1:0];

    // ---- address windows ----
    // Ranges checked: the source and destination of the descriptor in X_CHECK
    // or of the direct transfer in X_DIRECT, and the two rings.
    //
    // Logic that only one state uses is evaluated only in that state (zero
    // elsewhere): the same hardware, but a Verilated model skips it, and an
    // idle channel costs little to simulate (docs/performance.md).
    wire        in_check = (xst_q == X_CHECK);
    wire        in_direct = (xst_q == X_DIRECT);
    wire [63:0] dsrc64 = {{(64-ADDR_WIDTH){1'b0}}, dsrc_q};
    wire [63:0] ddst64 = {{(64-ADDR_WIDTH){1'b0}}, ddst_q};
    reg  [65:0] s_end, t_end;   // X_CHECK: end of the source and destination extents
    reg  [63:0] rng_s_lo, rng_s_hi, rng_t_lo, rng_t_hi;
    always @* begin
        s_end = 66'd0;
        t_end = 66'd0;
        rng_s_lo = 64'd0;
        rng_s_hi = 64'd0;
        rng_t_lo = 64'd0;
        rng_t_hi = 64'd0;
        if (in_check) begin
            s_end = {2'b0, d_src} + {18'd0, s_span_q} + {42'd0, d_len};
            t_end = {2'b0, d_dst} + {18'd0, t_span_q} + {42'd0, d_len};
            rng_s_lo = d_src;
            rng_s_hi = s_end[63:0] - 64'd1;
            rng_t_lo = d_dst;
            rng_t_hi = t_end[63:0] - 64'd1;
        end else if (in_direct) begin
            rng_s_lo = dsrc64;
            rng_s_hi = dsrc64 + {32'd0, dlen_q} - 64'd1;
            rng_t_lo = ddst64;
            rng_t_hi = ddst64 + {32'd0, dlen_q} - 64'd1;
        end
    end
    wire [63:0] rbase64 = {{(64-ADDR_WIDTH){1'b0}}, rbase_q};
    wire [63:0] cbase64 = {{(64-ADDR_WIDTH){1'b0}}, cbase_q};

    // Pages [lo, hi] (address bits 63:12) inside the window [base, lim] with its permission p?
    function in_win;
        input [51:0] lo;
        input [51:0] hi;
        input [51:0] base;
        input [51:0] lim;
        input        p;
        begin
            in_win = p && lo >= base && hi <= lim;
        end
    endfunction

    // Pages [lo, hi] inside any window with READ (wr = 0) or WRITE (wr = 1) permission?
    // Window k: base/limit pages at [k*64+12 +: 52], READ at bit k*64, WRITE at k*64+1.
    function in_wins;
        input [51:0] lo;
        input [51:0] hi;
        input        wr;
        integer      k;
        begin
            in_wins = 1'b0;
            for (k = 0; k < NUM_WINDOWS; k = k + 1) begin
                in_wins = in_wins | in_win(lo, hi, win_base_i[k*64+12 +: 52], win_limit_i[k*64+12 +: 52],
                                           win_base_i[k*64 + {31'd0, wr}]);
            end
        end
    endfunction

    reg win_s_ok, win_t_ok;
    always @* begin
        win_s_ok = 1'b0;
        win_t_ok = 1'b0;
        if (in_check || in_direct) begin
            win_s_ok = in_wins(rng_s_lo[63:12], rng_s_hi[63:12], 1'b0);
            win_t_ok = in_wins(rng_t_lo[63:12], rng_t_hi[63:12], 1'b1);
        end
    end

    wire src_win_bad = win_en_i && !win_s_ok;
    wire dst_win_bad = win_en_i && !win_t_ok;
    wire rings_ok = !win_en_i || (rseen_q && ring_ok_q && cpl_ok_q);

    // ---- descriptor check (X_CHECK) ----
    reg [7:0]  chk_code;
    reg [63:0] chk_addr;    // ERR_ADDR for it
    always @* begin
        chk_code = ERR_NONE;
        chk_addr = 64'd0;
        if (in_check) begin
            chk_addr = rbase64 + ({48'd0, exec_q} << 5);
            if (cur_ferr_q) begin
                chk_code = ERR_DESC_FETCH;
            end else if (d_rsvd != 2'd0 || (!d_2d && (d_rows != 16'd0 || d_sstr != 32'd0 || d_dstr != 32'd0))
                         || (d_2d && d_sfix && d_sstr != 32'd0) || (d_2d && d_dfix && d_dstr != 32'd0)
                         || (IS_H2C && (d_dst[63:16] != 48'd0 || d_dfix || d_dstr != 32'd0))
                         || (IS_C2H && (d_src != 64'd0 || d_sfix || d_dfix || d_2d || d_eop))) begin
                chk_code = ERR_DESC_RESERVED;
            end else if (d_len == 24'd0 || (d_2d && d_rows == 16'd0)) begin
                chk_code = ERR_LEN_ZERO;
            end else if (IS_C2H && (t_off != {OFF_W{1'b0}} || d_len[OFF_W-1:0] != {OFF_W{1'b0}})) begin
                chk_code = ERR_STREAM_ALIGN;
                chk_addr = d_dst;
            end else if ((d_sfix && s_off != {OFF_W{1'b0}}) || (d_dfix && t_off != {OFF_W{1'b0}})) begin
                chk_code = ERR_FIXED_ALIGN;
            end else if (d_total[47:32] != 16'd0) begin
                chk_code = ERR_LEN_MAX;
            end else if (s_end > limit || (!IS_H2C && t_end > limit)) begin
                chk_code = ERR_ADDR_RANGE;
            end else if (!IS_C2H && src_win_bad) begin
                chk_code = ERR_WINDOW;
                chk_addr = d_src;
            end else if (!IS_H2C && dst_win_bad) begin
                chk_code = ERR_WINDOW;
                chk_addr = d_dst;
            end
        end
    end

    // direct doorbell range check (at START)
    wire [64:0] dlimit = 65'd1 << ADDR_WIDTH;
    reg         dsrc_bad, drange_bad;
    always @* begin
        dsrc_bad = 1'b0;
        drange_bad = 1'b0;
        if (start_i) begin
            dsrc_bad = ({1'b0, src_i} + {33'd0, len_i}) > dlimit;
            drange_bad = dsrc_bad || (!IS_H2C && ({1'b0, dst_i} + {33'd0, len_i}) > dlimit);
        end
    end

    // ring geometry
    wire [15:0] mask = (16'd1 << log2_q) - 16'd1;
    wire [15:0] pending = (prod_q - fetch_q) & mask;
    wire [15:0] to_end = (mask - fetch_q) + 16'd1;
    wire [5:0]  space = DQ_DEPTH[5:0] - dq_count - resv_q;
    wire [15:0] cons_next = (cons_q + 16'd1) & mask;

    // Is descriptor a older (nearer CONS) than b?
    function older;
        input [15:0] a;
        input [15:0] b;
        input [15:0] c;
        input [15:0] m;
        begin
            older = ((a - c) & m) < ((b - c) & m);
        end
    endfunction

    // The next fetch run: its address and size (descriptors), while the ring
    // is enabled and no request is out.
    reg [ADDR_WIDTH-1:0] fetch_addr;
    reg [12:0] page_bytes;
    reg [2:0]  fetch_n;
    always @* begin
        fetch_addr = {ADDR_WIDTH{1'b0}};
        page_bytes = 13'd0;
        fetch_n = 3'd0;
        if (ren_q && !freq_q) begin
            fetch_addr = rbase_q + ({{(ADDR_WIDTH-16){1'b0}}, fetch_q} << 5);
            page_bytes = 13'd4096 - {1'b0, fetch_addr[11:0]};
            fetch_n = 3'd4;
            if (DATA_WIDTH > 256) begin
                fetch_n = 3'd1;    // one descriptor per beat-sized read
            end
            if (pending < {13'd0, fetch_n}) begin
                fetch_n = pending[2:0];
            end
            if (to_end < {13'd0, fetch_n}) begin
                fetch_n = to_end[2:0];
            end
            if ({1'b0, space} < {4'b0000, fetch_n}) begin
                fetch_n = space[2:0];
            end
            if (page_bytes[12:5] < {5'd0, fetch_n}) begin
                fetch_n = page_bytes[7:5];    // a run never crosses a 4 KiB page (1..128 descriptors left)
            end
        end
    end

    // DQ occupancy for the space calculation
    reg [5:0] dq_cnt_q, dq_cnt_d;
    assign dq_count = dq_cnt_q;

    // Ring work left: pending descriptors while enabled and not halted; once
    // disabled, only what was already fetched (fetching stops at once).
    // Direct mode and ring mode exclude each other, so while a direct
    // transfer runs the pending queue and the exec state belong to it.
    wire ring_busy = (ren_q && !halt_q && prod_q != cons_q) || (fetch_q != cons_q) || (resv_q != 6'd0) || freq_q
                     || dq_valid || ((pq_valid || xst_q != X_IDLE) && !dbusy_q) || creq_q || aq_valid;
    wire busy = dbusy_q || ring_busy || stop_q || flush_q || chrst_q;
    wire [15:0] cnt_thresh = (irq_count_i == 16'd0) ? 16'd1 : irq_count_i;

    // The rings inside the windows (registered in ring_ok_q, cpl_ok_q), while
    // a ring is enabled or drains.
    reg win_r_ok, win_c_ok;
    reg [63:0] rng_r_hi, rng_c_hi;
    always @* begin
        win_r_ok = 1'b0;
        win_c_ok = 1'b0;
        rng_r_hi = 64'd0;
        rng_c_hi = 64'd0;
        if (ren_q || ring_busy) begin
            rng_r_hi = rbase64 + ({48'd0, 16'd1 << log2_q} << 5) - 64'd1;
            rng_c_hi = cbase64 + ({48'd0, 16'd1 << log2_q} << 4) - 64'd1;
            win_r_ok = in_wins(rbase64[63:12], rng_r_hi[63:12], 1'b0);
            win_c_ok = in_wins(cbase64[63:12], rng_c_hi[63:12], 1'b1);
        end
    end

    // The head descriptor's completion: finished (fq), rejected, or, once a
    // stopped mover is quiet (its last B and done already given), unfinished
    // with its bytes so far.
    wire        synth = amv_q && mv_quiet_i && !fq_valid && !rstq_q;
    wire        h_ready = pq_valid && !creq_q && aq_ready && !hold_q && !flush_q && (h_direct || rings_ok)
                          && (h_rej || fq_valid || synth);
    wire        h_match = fh_q && (fidx_q == h_idx);
    wire [7:0]  h_res_code = h_rej ? h_code : (fq_valid ? f_code : (h_match ? fcode_q : scode_q));
    wire [31:0] h_res_bytes = h_rej ? 32'd0 : (fq_valid ? f_bytes : acc_q);
    wire [63:0] h_desc_addr = rbase64 + ({48'd0, h_idx} << 5);
    wire [63:0] h_res_addr = h_match ? faddr2_q : (h_direct ? 64'd0 : h_desc_addr);
    // card-to-host: the buffer's side band goes in the record when it wrote (STATUS 0 or TRUNCATED)
    wire [17:0] h_sb = (!h_rej && fq_valid) ? f_sb : 18'd0;
    wire        h_trunc = IS_C2H && (h_res_code == ERR_TRUNCATED) && !synth;
    wire        h_sb_ok = !h_rej && fq_valid && (f_code == ERR_NONE || f_code == ERR_TRUNCATED) && !h_match;

    // Nothing for ABORT to stop: no descriptor moves data or waits to, none is
    // left to fetch (or a bad descriptor already stops the channel).
    wire abort_moot = (xst_q == X_IDLE) && mv_idle_i && !dbusy_q
                      && (fh_q || (!dq_valid && !freq_q && (resv_q == 6'd0) && (fetch_q == prod_q || !ren_q)));

    // Drained: nothing in flight anywhere, nothing more to record.
    wire drained = stop_q && !flush_q && !freq_q && (resv_q == 6'd0) && !creq_q && !aq_valid
                   && (xst_q == X_IDLE) && (amv_q ? mv_quiet_i : mv_idle_i) && (hold_q || !pq_valid);

    // The rings left the windows (also while a disabled ring drains).
    wire ring_fault = (ren_q || ring_busy) && !halt_q && !hold_q && !flush_q && !rings_ok && rseen_q;

    // ---- wake: the channel's clock enable ----
    // Without a register write, an event from the mover, the fetcher or the
    // completion writer, or work in progress, the next state is the current
    // state: the state registers load only on wake, and the next-state logic
    // is evaluated only then (a Verilated model skips it: an idle channel
    // costs little to simulate). A build with FERRY_WAKE_CHECK (make test's
    // other configurations) evaluates it always and stops if a state would
    // change without wake.
    wire irq_now = (done_q && irq_en_i[0]) || (error_q && irq_en_i[1]) || (cplf_q && irq_en_i[2]);
    wire wake = start_i || (clear_i != 4'd0) || ring_ctrl_wr_i || prod_wr_i || cfg_busy_i || resume_i
                || skip_i || abort_i || reset_i || desc_valid_i || mv_b_evt_i || mv_rd_fault_i || mv_done_i
                || cpl_done_i || (mv_rd_bytes_i != 32'd0) || (mv_wr_bytes_i != 7'd0) || mv_stall_i || wait_i
                || busy || fq_valid || (dq_cnt_q != 6'd0) || (qin_q != 2'd0) || !rseen_q || (wd_q != 32'd0)
                || (pend_q != 16'd0) || ring_fault || (irq_q != irq_now);
`ifdef FERRY_WAKE_CHECK
    wire eval_next = 1'b1;
`else
    wire eval_next = wake;
`endif

    // ------------------------------------------------------------ next state
    // Report an error: STATUS.ERROR, ERR_CODE, ERR_ADDR, ERR_DESC.
    task report;
        input [7:0]  c;
        input [63:0] a;
        input [15:0] i;
        begin
            error_d = 1'b1;
            code_d = c;
            eaddr_d = a;
            edesc_d = i;
        end
    endtask

    // Report an error and count it (ERRORS).
    task raise;
        input [7:0]  c;
        input [63:0] a;
        input [15:0] i;
        begin
            report(c, a, i);
            c_err_d = c_err_d + 32'd1;
        end
    endtask

    // A fault of descriptor i: remember it if it is the oldest so far, and stop.
    task fault;
        input [7:0]  c;
        input [63:0] a;
        input [15:0] i;
        input        stop_mover;
        begin
            if (!fh_d || older(i, fidx_d, cons_q, mask)) begin
                fh_d = 1'b1;
                fidx_d = i;
                faddr2_d = a;
                fcode_d = c;
                raise(c, a, i);
            end
            stop_d = 1'b1;
            if (stop_mover) begin
                amv_d = 1'b1;
            end
        end
    endtask

    always @* begin
        done_d = done_q;
        error_d = error_q;
        overrun_d = overrun_q;
        cplf_d = cplf_q;
        code_d = code_q;
        eaddr_d = eaddr_q;
        edesc_d = edesc_q;
        ebytes_d = ebytes_q;
        stop_d = stop_q;
        amv_d = amv_q;
        hold_d = hold_q;
        cfrz_d = cfrz_q;
        rstq_d = rstq_q;
        scode_d = scode_q;
        flush_d = 1'b0;
        chrst_d = 1'b0;
        halt_d = halt_q;
        fh_d = fh_q;
        fidx_d = fidx_q;
        faddr2_d = faddr2_q;
        fcode_d = fcode_q;
        wd_d = wd_q;
        dbusy_d = dbusy_q;
        dreq_d = dreq_q;
        dsrc_d = dsrc_q;
        ddst_d = ddst_q;
        dlen_d = dlen_q;
        ren_d = ren_q;
        log2_d = log2_q;
        rbase_d = rbase_q;
        cbase_d = cbase_q;
        prod_d = prod_q;
        fetch_d = fetch_q;
        exec_d = exec_q;
        widx_d = widx_q;
        phase_d = phase_q;
        cons_d = cons_q;
        cphase_d = cphase_q;
        resv_d = resv_q;
        freq_d = freq_q;
        faddr_d = faddr_q;
        fcnt_d = fcnt_q;
        xst_d = xst_q;
        cur_d = cur_q;
        cur_ferr_d = cur_ferr_q;
        xq_d = xq_q;
        qin_d = qin_q;
        m_d = m_q;
        ms_d = ms_q;
        mt_d = mt_q;
        ml_d = ml_q;
        s_span_d = s_span_q;
        t_span_d = t_span_q;
        l_span_d = l_span_q;
        row_d = row_q;
        rsrc_d = rsrc_q;
        rdst_d = rdst_q;
        acc_d = acc_q;
        abad_d = abad_q;
        hcode_d = hcode_q;
        creq_d = creq_q;
        caddr_d = caddr_q;
        cdata_d = cdata_q;
        pend_d = pend_q;
        timer_d = timer_q;
        c_rd_d = c_rd_q + {32'd0, mv_rd_bytes_i};
        c_wr_d = c_wr_q + {57'd0, mv_wr_bytes_i};
        c_desc_d = c_desc_q;
        c_err_d = c_err_q;
        c_busy_d = c_busy_q + {63'd0, busy};
        c_wait_d = c_wait_q + {63'd0, wait_i};
        c_stall_d = c_stall_q + {63'd0, mv_stall_i};
        dq_cnt_d = dq_cnt_q;
        dq_pop = 1'b0;
        pq_push = 1'b0;
        pq_pop = 1'b0;
        pq_in = {PQ_W{1'b0}};
        aq_push = 1'b0;
        aq_in = {AQ_W{1'b0}};
        fq_push = 1'b0;
        fq_pop = 1'b0;
        fq_in = {FQ_W{1'b0}};

        if (eval_next) begin
            // ---- W1C ----
            if (clear_i[0]) begin
                done_d = 1'b0;
            end
            if (clear_i[1]) begin
                error_d = 1'b0;
                code_d = ERR_NONE;
            end
            if (clear_i[2]) begin
                overrun_d = 1'b0;
            end
            if (clear_i[3]) begin
                cplf_d = 1'b0;
            end

            // ---- direct doorbell ----
            if (start_i) begin
                if (IS_C2H) begin
                    raise(ERR_STREAM_MODE, 64'd0, 16'd0);   // receives into ring buffers only
                end else if (dbusy_q) begin
                    overrun_d = 1'b1;
                end else begin
                    done_d = 1'b0;
                    error_d = 1'b0;
                    code_d = ERR_NONE;
                    if (ren_q || ring_busy || stop_q) begin
                        raise(ERR_RING_OFF, 64'd0, 16'd0);
                    end else if (len_i == 32'd0) begin
                        raise(ERR_LEN_ZERO, src_i, 16'd0);
                    end else if (drange_bad) begin
                        raise(ERR_ADDR_RANGE, dsrc_bad ? src_i : dst_i, 16'd0);
                    end else begin
                        dbusy_d = 1'b1;
                        dreq_d = 1'b1;
                        dsrc_d = src_i[ADDR_WIDTH-1:0];
                        ddst_d = dst_i[ADDR_WIDTH-1:0];
                        dlen_d = len_i;
                        ebytes_d = 32'd0;
                    end
                end
            end

            // ---- ring control ----
            if (ring_ctrl_wr_i) begin
                if (ring_ctrl_i[0] && !ren_q) begin
                    if (dbusy_q || ring_busy || stop_q) begin
                        raise(ERR_CFG_BUSY, 64'd0, 16'd0);
                    end else if (ring_ctrl_i[12:8] == 5'd0 || ring_ctrl_i[12:8] > 5'd15) begin
                        raise(ERR_RING_CONFIG, 64'd0, 16'd0);
                    end else if (ring_base_i[4:0] != 5'd0) begin
                        raise(ERR_RING_ALIGN, ring_base_i, 16'd0);
                    end else if (cpl_base_i[3:0] != 4'd0) begin
                        raise(ERR_CPL_ALIGN, cpl_base_i, 16'd0);
                    end else begin
                        ren_d = 1'b1;
                        halt_d = 1'b0;
                        log2_d = ring_ctrl_i[12:8];
                        rbase_d = ring_base_i[ADDR_WIDTH-1:0];
                        cbase_d = cpl_base_i[ADDR_WIDTH-1:0];
                        prod_d = 16'd0;
                        fetch_d = 16'd0;
                        exec_d = 16'd0;
                        widx_d = 16'd0;
                        cons_d = 16'd0;
                        phase_d = 1'b1;
                        cphase_d = 1'b1;
                    end
                end else if (ring_ctrl_i[0]) begin
                    if (ring_ctrl_i[12:8] != log2_q) begin
                        raise(ERR_CFG_BUSY, 64'd0, 16'd0);
                    end
                end else begin
                    ren_d = 1'b0;
                    halt_d = 1'b0;
                end
            end
            if (cfg_busy_i) begin
                raise(ERR_CFG_BUSY, 64'd0, 16'd0);
            end
            if (prod_wr_i) begin
                if (!ren_q) begin
                    raise(ERR_RING_OFF, 64'd0, 16'd0);
                end else if ((prod_i & ~mask) != 16'd0) begin
                    raise(ERR_PROD_RANGE, 64'd0, prod_i);
                end else begin
                    prod_d = prod_i;
                end
            end

            // ---- resume, skip ----
            if (resume_i || skip_i) begin
                if (!halt_q || stop_q) begin
                    raise(ERR_NOT_HALTED, 64'd0, 16'd0);
                end else begin
                    halt_d = 1'b0;
                    if (skip_i && cons_q != prod_q) begin   // (halted at RING_PROD: nothing to skip)
                        cons_d = cons_next;
                        fetch_d = cons_next;
                        exec_d = cons_next;
                        widx_d = cons_next;
                        if (cons_next == 16'd0) begin
                            cphase_d = !cphase_q;
                        end
                        phase_d = cphase_d;
                    end
                end
            end

            // ---- descriptor fetch requests ----
            if (freq_q) begin
                if (fetch_ack_i) begin
                    freq_d = 1'b0;
                    fetch_d = (fetch_q + {13'd0, fcnt_q}) & mask;
                    resv_d = resv_d + {3'b000, fcnt_q};
                end else if (!ren_q || stop_q) begin
                    freq_d = 1'b0;     // ring disabled or stopping: withdraw the request
                end
            end else if (ren_q && !halt_q && !stop_q && rings_ok && fetch_n != 3'd0) begin
                freq_d = 1'b1;
                faddr_d = fetch_addr;
                fcnt_d = fetch_n;
            end
            if (desc_valid_i) begin
                qin_d = qin_q + 2'd1;
                if (qin_q == 2'd3) begin
                    resv_d = resv_d - 6'd1;
                    dq_cnt_d = dq_cnt_d + 6'd1;
                end
            end

            // ---- exec: check and run descriptors, or the direct transfer ----
            case (xst_q)
                X_IDLE: begin
                    // dreq_d: a doorbell taken this cycle goes straight on
                    if (dreq_d) begin
                        xst_d = X_DIRECT;
                    end else if (dq_cnt_q != 6'd0 && pq_ready && !stop_q && !halt_q) begin
                        dq_pop = 1'b1;
                        cur_d[63:0] = dq_out[63:0];
                        cur_ferr_d = dq_out[64];
                        xq_d = 2'd1;
                        xst_d = X_LOAD;
                    end
                end
                X_LOAD: begin
                    // the rest of a whole descriptor is in the queue: one quarter a cycle
                    dq_pop = 1'b1;
                    case (xq_q)
                        2'd1: cur_d[127:64] = dq_out[63:0];
                        2'd2: cur_d[191:128] = dq_out[63:0];
                        default: cur_d[255:192] = dq_out[63:0];
                    endcase
                    cur_ferr_d = cur_ferr_q | dq_out[64];
                    xq_d = xq_q + 2'd1;
                    if (xq_q == 2'd3) begin
                        dq_cnt_d = dq_cnt_d - 6'd1;
                        s_span_d = 48'd0;
                        t_span_d = 48'd0;
                        l_span_d = 48'd0;
                        m_d = n_rows - 16'd1;
                        ms_d = cur_n[153] ? 48'd0 : {16'd0, cur_n[223:192]};
                        mt_d = cur_n[154] ? 48'd0 : {16'd0, cur_n[255:224]};
                        ml_d = {24'd0, cur_n[151:128]};
                        xst_d = n_span ? X_SPAN : X_CHECK;
                    end
                end
                X_SPAN: begin
                    // shift-and-add, one bit of rows - 1 a cycle, ends at its top set bit
                    if (m_q[0]) begin
                        s_span_d = s_span_q + ms_q;
                        t_span_d = t_span_q + mt_q;
                        l_span_d = l_span_q + ml_q;
                    end
                    ms_d = ms_q << 1;
                    mt_d = mt_q << 1;
                    ml_d = ml_q << 1;
                    m_d = m_q >> 1;
                    if (m_d == 16'd0) begin
                        xst_d = X_CHECK;
                    end
                end
                X_CHECK: begin
                    if (stop_q) begin
                        xst_d = X_IDLE;    // stopping: dropped, fetched again after RESUME
                    end else begin
                        pq_push = 1'b1;
                        pq_in = {exec_q, d_tag, chk_code, d_irq, chk_code != ERR_NONE, 1'b0};
                        exec_d = (exec_q + 16'd1) & mask;
                        row_d = d_2d ? d_rows : 16'd1;
                        rsrc_d = d_src[ADDR_WIDTH-1:0];
                        rdst_d = d_dst[ADDR_WIDTH-1:0];
                        xst_d = (chk_code != ERR_NONE) ? X_IDLE : (d_fence ? X_FENCE : X_ROWS);
                        if (chk_code != ERR_NONE) begin
                            fault(chk_code, chk_addr, exec_q, 1'b0);
                        end
                    end
                end
                X_FENCE: begin
                    // FENCE: start only when every earlier command has completed
                    if (stop_q) begin
                        xst_d = X_IDLE;
                    end else if (mv_idle_i) begin
                        xst_d = X_ROWS;
                    end
                end
                X_ROWS: begin
                    if (stop_q) begin
                        xst_d = X_IDLE;
                    end else if (mv_ready_i) begin
                        row_d = row_q - 16'd1;
                        if (!d_sfix) begin
                            rsrc_d = rsrc_q + {{(ADDR_WIDTH-32){1'b0}}, d_sstr};
                        end
                        if (!d_dfix) begin
                            rdst_d = rdst_q + {{(ADDR_WIDTH-32){1'b0}}, d_dstr};
                        end
                        if (row_q == 16'd1) begin
                            xst_d = X_IDLE;
                            if (dq_cnt_q != 6'd0 && pq_ready) begin
                                // the next descriptor's first quarter, in the same cycle
                                dq_pop = 1'b1;
                                cur_d[63:0] = dq_out[63:0];
                                cur_ferr_d = dq_out[64];
                                xq_d = 2'd1;
                                xst_d = X_LOAD;
                            end
                        end
                    end
                end
                X_DIRECT: begin
                    if (stop_q) begin
                        dreq_d = 1'b0;
                        xst_d = X_IDLE;
                    end else if (src_win_bad || (!IS_H2C && dst_win_bad)) begin
                        // outside the windows: never issued (host-to-card: the source only)
                        raise(ERR_WINDOW, src_win_bad ? dsrc64 : ddst64, 16'd0);
                        dreq_d = 1'b0;
                        dbusy_d = 1'b0;
                        xst_d = X_IDLE;
                    end else if (mv_ready_i && pq_ready) begin
                        pq_push = 1'b1;
                        pq_in = {16'd0, 16'd0, ERR_NONE, 1'b0, 1'b0, 1'b1};
                        dreq_d = 1'b0;
                        xst_d = X_IDLE;
                    end
                end
                default: begin
                    xst_d = X_IDLE;
                end
            endcase

            // ---- bytes written, counted at write responses ----
            if (mv_b_evt_i) begin
                if (mv_b_ok_i && !abad_q) begin
                    acc_d = acc_q + {16'd0, mv_b_bytes_i};
                end else begin
                    abad_d = 1'b1;
                end
                if (mv_b_resp_err_i) begin
                    fault(ERR_WR_RESP, {{(64-ADDR_WIDTH){1'b0}}, mv_b_addr_i}, mv_b_tag_i[16:1], 1'b1);
                end
            end
            if (mv_rd_fault_i) begin
                fault(ERR_RD_RESP, {{(64-ADDR_WIDTH){1'b0}}, mv_rd_fault_addr_i}, mv_rd_fault_tag_i[16:1], 1'b1);
            end

            // ---- rows done: first error per descriptor ----
            if (mv_done_i) begin
                if (hcode_q == ERR_NONE) begin
                    hcode_d = mv_done_err_i;
                end
                if (mv_done_tag_i[0]) begin
                    fq_push = 1'b1;
                    fq_in = {FQ_W{1'b0}};
                    fq_in[39:0] = {acc_d, hcode_d};
                    if (IS_C2H) begin
                        fq_in[FQ_W-1 -: 18] = mv_done_sb_i;
                    end
                    acc_d = 32'd0;
                    abad_d = 1'b0;
                    hcode_d = ERR_NONE;
                end
            end

            // ---- completion of the head descriptor, in ring order ----
            if (h_ready) begin
                pq_pop = 1'b1;
                fq_pop = !h_rej && fq_valid;
                c_desc_d = c_desc_d + 32'd1;
                if (h_trunc) begin
                    raise(ERR_TRUNCATED, 64'd0, h_idx);      // reported and counted; the ring goes on
                end else if (h_res_code != ERR_NONE || synth) begin
                    // the descriptor the channel stops at
                    hold_d = 1'b1;
                    stop_d = 1'b1;
                    report(h_res_code, h_res_addr, h_idx);
                    ebytes_d = h_res_bytes;
                end
                if (h_direct) begin
                    if (h_res_code == ERR_NONE && !synth && !stop_q) begin
                        done_d = 1'b1;
                        dbusy_d = 1'b0;
                    end else if (h_res_code == ERR_NONE && !synth) begin
                        // finished after all while an ABORT or the watchdog
                        // stopped it: the stop's error stands (no DONE), and
                        // ERR_BYTES counts every byte, which all landed
                        ebytes_d = h_res_bytes;
                    end
                end else begin
                    creq_d = 1'b1;
                    caddr_d = cbase_q + ({{(ADDR_WIDTH-16){1'b0}}, widx_q} << 4);
                    cdata_d = {(h_res_code != ERR_NONE) ? h_res_addr[31:0] : 32'd0,
                               (h_res_code != ERR_NONE) ? h_res_addr[47:32] : 16'd0, h_tag,
                               h_res_bytes, phase_q, 7'd0, h_res_code, h_idx};
                    if (IS_C2H && h_sb_ok) begin
                        // card-to-host: SOP, EOP (w0 bits 24, 25) and {TID, TUSER} (w3)
                        cdata_d[25:24] = {h_sb[16], h_sb[17]};
                        cdata_d[127:80] = {16'd0, h_sb[15:0], 16'd0};
                    end
                    aq_push = 1'b1;
                    aq_in = {h_idx, (h_res_code != ERR_NONE && !h_trunc) || synth, h_irq || h_res_code != ERR_NONE,
                             h_res_code};
                    widx_d = (widx_q + 16'd1) & mask;
                    if (((widx_q + 16'd1) & mask) == 16'd0) begin
                        phase_d = !phase_q;
                    end
                end
            end
            if (creq_q && cpl_ack_i) begin
                creq_d = 1'b0;
            end

            // ---- completion record written: advance CONS, coalesce ----
            if (cpl_done_i) begin
                if (cpl_err_i) begin
                    fault(ERR_CPL_WRITE, cbase64 + ({48'd0, a_idx} << 4), a_idx, 1'b1);
                    hold_d = 1'b1;
                    cfrz_d = 1'b1;
                end else if (!a_halt && !cfrz_q) begin
                    cons_d = cons_next;
                    if (cons_next == 16'd0) begin
                        cphase_d = !cphase_q;
                    end
                end
                if (a_elig || cpl_err_i) begin
                    pend_d = pend_q + 16'd1;
                end
            end
            if (pend_d != 16'd0) begin
                timer_d = (pend_q == 16'd0) ? 32'd0 : timer_q + 32'd1;
                if (pend_d >= cnt_thresh || (irq_timer_i != 32'd0 && timer_q + 32'd1 >= irq_timer_i)) begin
                    cplf_d = 1'b1;
                    pend_d = 16'd0;
                    timer_d = 32'd0;
                end
            end

            // ---- the rings left the windows (also while a disabled ring drains) ----
            if (ring_fault) begin
                fault(ERR_WINDOW, ring_ok_q ? cbase64 : rbase64, cons_q, 1'b0);
                hold_d = 1'b1;     // no record may be written: halt at CONS
            end

            // ---- watchdog, abort, reset ----
            // (it runs on while a channel stops with its mover still going)
            if (!busy || amv_q || wdog_i == 32'd0 || mv_progress_i || desc_valid_i || cpl_done_i) begin
                wd_d = 32'd0;
            end else begin
                wd_d = wd_q + 32'd1;
                if (wd_d >= wdog_i) begin
                    wd_d = 32'd0;
                    stop_d = 1'b1;
                    amv_d = 1'b1;
                    scode_d = ERR_TIMEOUT;
                    raise(ERR_TIMEOUT, 64'd0, pq_valid ? h_idx : cons_q);
                end
            end
            // ABORT finds nothing to stop in the cycle a direct copy
            // completes (DONE is being set) or a drain ends (flush), nor
            // once no descriptor moves data and none is left to run (only
            // completion records in flight; or the channel stops for a bad
            // descriptor, whose code stays).
            if (abort_i && busy && !amv_q && !flush_q && !(dbusy_q && !dbusy_d) && !abort_moot) begin
                stop_d = 1'b1;
                amv_d = 1'b1;
                scode_d = ERR_ABORTED;
                raise(ERR_ABORTED, 64'd0, pq_valid ? h_idx : cons_q);
            end
            if (reset_i) begin
                stop_d = 1'b1;
                amv_d = 1'b1;
                hold_d = 1'b1;
                rstq_d = 1'b1;
            end

            // ---- drained: drop what is left, halt ----
            if (flush_q) begin
                stop_d = 1'b0;
                amv_d = 1'b0;
                hold_d = 1'b0;
                cfrz_d = 1'b0;
                rstq_d = 1'b0;
                fh_d = 1'b0;
                scode_d = ERR_ABORTED;
                dbusy_d = 1'b0;
                dreq_d = 1'b0;
                xst_d = X_IDLE;
                dq_cnt_d = 6'd0;
                qin_d = 2'd0;
                acc_d = 32'd0;
                abad_d = 1'b0;
                hcode_d = ERR_NONE;
                fetch_d = cons_q;
                exec_d = cons_q;
                widx_d = cons_q;
                phase_d = cphase_q;
                if (rstq_q || reset_i) begin   // a RESET in this very cycle is not lost
                    chrst_d = 1'b1;
                end else if (ren_d) begin   // (a RING_CTRL disable in this cycle leaves no halt)
                    halt_d = 1'b1;
                end
            end else if (drained) begin
                flush_d = 1'b1;
            end
        end

        irq_d = (done_d && irq_en_i[0]) || (error_d && irq_en_i[1]) || (cplf_d && irq_en_i[2]);
    end

    always @(posedge clk) begin
        if (!rst_n || chrst_q) begin
            done_q <= 1'b0;
            error_q <= 1'b0;
            overrun_q <= 1'b0;
            cplf_q <= 1'b0;
            code_q <= ERR_NONE;
            irq_q <= 1'b0;
            eaddr_q <= 64'd0;
            edesc_q <= 16'd0;
            ebytes_q <= 32'd0;
            stop_q <= 1'b0;
            amv_q <= 1'b0;
            hold_q <= 1'b0;
            cfrz_q <= 1'b0;
            rstq_q <= 1'b0;
            scode_q <= ERR_ABORTED;
            flush_q <= 1'b0;
            halt_q <= 1'b0;
            fh_q <= 1'b0;
            fidx_q <= 16'd0;
            faddr2_q <= 64'd0;
            fcode_q <= ERR_NONE;
            wd_q <= 32'd0;
            dbusy_q <= 1'b0;
            dreq_q <= 1'b0;
            dsrc_q <= {ADDR_WIDTH{1'b0}};
            ddst_q <= {ADDR_WIDTH{1'b0}};
            dlen_q <= 32'd0;
            ren_q <= 1'b0;
            rseen_q <= 1'b0;
            log2_q <= 5'd0;
            rbase_q <= {ADDR_WIDTH{1'b0}};
            cbase_q <= {ADDR_WIDTH{1'b0}};
            prod_q <= 16'd0;
            fetch_q <= 16'd0;
            exec_q <= 16'd0;
            widx_q <= 16'd0;
            phase_q <= 1'b1;
            cons_q <= 16'd0;
            cphase_q <= 1'b1;
            resv_q <= 6'd0;
            freq_q <= 1'b0;
            faddr_q <= {ADDR_WIDTH{1'b0}};
            fcnt_q <= 3'd0;
            xst_q <= X_IDLE;
            cur_q <= 256'd0;
            cur_ferr_q <= 1'b0;
            xq_q <= 2'd0;
            qin_q <= 2'd0;
            m_q <= 16'd0;
            ms_q <= 48'd0;
            mt_q <= 48'd0;
            ml_q <= 48'd0;
            s_span_q <= 48'd0;
            t_span_q <= 48'd0;
            l_span_q <= 48'd0;
            row_q <= 16'd0;
            rsrc_q <= {ADDR_WIDTH{1'b0}};
            rdst_q <= {ADDR_WIDTH{1'b0}};
            acc_q <= 32'd0;
            abad_q <= 1'b0;
            hcode_q <= ERR_NONE;
            creq_q <= 1'b0;
            caddr_q <= {ADDR_WIDTH{1'b0}};
            cdata_q <= 128'd0;
            pend_q <= 16'd0;
            timer_q <= 32'd0;
            c_rd_q <= 64'd0;
            c_wr_q <= 64'd0;
            c_desc_q <= 32'd0;
            c_err_q <= 32'd0;
            c_busy_q <= 64'd0;
            c_wait_q <= 64'd0;
            c_stall_q <= 64'd0;
            dq_cnt_q <= 6'd0;
        end else if (wake) begin
            done_q <= done_d;
            error_q <= error_d;
            overrun_q <= overrun_d;
            cplf_q <= cplf_d;
            code_q <= code_d;
            irq_q <= irq_d;
            eaddr_q <= eaddr_d;
            edesc_q <= edesc_d;
            ebytes_q <= ebytes_d;
            stop_q <= stop_d;
            amv_q <= amv_d;
            hold_q <= hold_d;
            cfrz_q <= cfrz_d;
            rstq_q <= rstq_d;
            scode_q <= scode_d;
            flush_q <= flush_d;
            halt_q <= halt_d;
            fh_q <= fh_d;
            fidx_q <= fidx_d;
            faddr2_q <= faddr2_d;
            fcode_q <= fcode_d;
            wd_q <= wd_d;
            dbusy_q <= dbusy_d;
            dreq_q <= dreq_d;
            dsrc_q <= dsrc_d;
            ddst_q <= ddst_d;
            dlen_q <= dlen_d;
            ren_q <= ren_d;
            // Stale for the cycle after enabling. Without wake it stays 1 (!rseen_q
            // wakes the channel, and ren is in wk_change).
            rseen_q <= !(ren_d && !ren_q);  // wake-check: see above
            log2_q <= log2_d;
            rbase_q <= rbase_d;
            cbase_q <= cbase_d;
            prod_q <= prod_d;
            fetch_q <= fetch_d;
            exec_q <= exec_d;
            widx_q <= widx_d;
            phase_q <= phase_d;
            cons_q <= cons_d;
            cphase_q <= cphase_d;
            resv_q <= resv_d;
            freq_q <= freq_d;
            faddr_q <= faddr_d;
            fcnt_q <= fcnt_d;
            xst_q <= xst_d;
            cur_q <= cur_d;
            cur_ferr_q <= cur_ferr_d;
            xq_q <= xq_d;
            qin_q <= qin_d;
            m_q <= m_d;
            ms_q <= ms_d;
            mt_q <= mt_d;
            ml_q <= ml_d;
            s_span_q <= s_span_d;
            t_span_q <= t_span_d;
            l_span_q <= l_span_d;
            row_q <= row_d;
            rsrc_q <= rsrc_d;
            rdst_q <= rdst_d;
            acc_q <= acc_d;
            abad_q <= abad_d;
            hcode_q <= hcode_d;
            creq_q <= creq_d;
            caddr_q <= caddr_d;
            cdata_q <= cdata_d;
            pend_q <= pend_d;
            timer_q <= timer_d;
            c_rd_q <= c_rd_d;
            c_wr_q <= c_wr_d;
            c_desc_q <= c_desc_d;
            c_err_q <= c_err_d;
            c_busy_q <= c_busy_d;
            c_wait_q <= c_wait_d;
            c_stall_q <= c_stall_d;
            dq_cnt_q <= dq_cnt_d;
        end
    end

`ifdef FERRY_WAKE_CHECK
    // Every register the clocked block above loads on wake (make lint checks
    // the list against that block: sim/wake_lists.lua).
    wire wk_change =
        (done_d != done_q) || (error_d != error_q) || (overrun_d != overrun_q) || (cplf_d != cplf_q) ||
        (code_d != code_q) || (irq_d != irq_q) || (eaddr_d != eaddr_q) || (edesc_d != edesc_q) ||
        (ebytes_d != ebytes_q) || (stop_d != stop_q) || (amv_d != amv_q) || (hold_d != hold_q) ||
        (cfrz_d != cfrz_q) || (rstq_d != rstq_q) || (scode_d != scode_q) || (flush_d != flush_q) ||
        (halt_d != halt_q) || (fh_d != fh_q) || (fidx_d != fidx_q) || (faddr2_d != faddr2_q) ||
        (fcode_d != fcode_q) || (wd_d != wd_q) || (dbusy_d != dbusy_q) || (dreq_d != dreq_q) ||
        (dsrc_d != dsrc_q) || (ddst_d != ddst_q) || (dlen_d != dlen_q) || (ren_d != ren_q) ||
        (log2_d != log2_q) || (rbase_d != rbase_q) || (cbase_d != cbase_q) || (prod_d != prod_q) ||
        (fetch_d != fetch_q) || (exec_d != exec_q) || (widx_d != widx_q) || (phase_d != phase_q) ||
        (cons_d != cons_q) || (cphase_d != cphase_q) || (resv_d != resv_q) || (freq_d != freq_q) ||
        (faddr_d != faddr_q) || (fcnt_d != fcnt_q) || (xst_d != xst_q) || (cur_d != cur_q) ||
        (cur_ferr_d != cur_ferr_q) || (xq_d != xq_q) || (qin_d != qin_q) || (m_d != m_q) || (ms_d != ms_q) ||
        (mt_d != mt_q) || (ml_d != ml_q) || (s_span_d != s_span_q) || (t_span_d != t_span_q) ||
        (l_span_d != l_span_q) || (row_d != row_q) || (rsrc_d != rsrc_q) || (rdst_d != rdst_q) ||
        (acc_d != acc_q) || (abad_d != abad_q) || (hcode_d != hcode_q) || (creq_d != creq_q) ||
        (caddr_d != caddr_q) || (cdata_d != cdata_q) || (pend_d != pend_q) || (timer_d != timer_q) ||
        (c_rd_d != c_rd_q) || (c_wr_d != c_wr_q) || (c_desc_d != c_desc_q) || (c_err_d != c_err_q) ||
        (c_busy_d != c_busy_q) || (c_wait_d != c_wait_q) || (c_stall_d != c_stall_q) || (dq_cnt_d != dq_cnt_q);
    always @(posedge clk) begin
        if (rst_n && !chrst_q && !wake
            && (wk_change || dq_pop || pq_push || pq_pop || aq_push || fq_push || fq_pop || chrst_d)) begin
            $display("%m: a state change without wake (FERRY_WAKE_CHECK): xst %0d busy %b", xst_q, busy);
            $fatal;
        end
    end
`endif

    // Window changes reach these while the channel sleeps (ring_fault wakes it).
    always @(posedge clk) begin
        if (!rst_n || chrst_q) begin
            ring_ok_q <= 1'b0;
            cpl_ok_q <= 1'b0;
        end else begin
            ring_ok_q <= win_r_ok;
            cpl_ok_q <= win_c_ok;
        end
    end

    // chrst_q is itself reset only by rst_n (it clears the rest).
    always @(posedge clk) begin
        if (!rst_n) begin
            chrst_q <= 1'b0;
        end else begin
            chrst_q <= chrst_d;
        end
    end

    // ------------------------------------------------------------ outputs
    assign status_o = {16'd0, code_q, stop_q, halt_q, ren_q || ring_busy, cplf_q, overrun_q, error_q, done_q, busy};
    assign ring_ctrl_o = {19'd0, log2_q, 7'd0, ren_q};
    assign prod_o = prod_q;
    assign cons_o = cons_q;
    assign irq_o = irq_q;
    assign cnt_bytes_rd_o = c_rd_q;
    assign cnt_bytes_wr_o = c_wr_q;
    assign cnt_desc_o = c_desc_q;
    assign cnt_err_o = c_err_q;
    assign cnt_busy_o = c_busy_q;
    assign cnt_wait_o = c_wait_q;
    assign cnt_stall_o = c_stall_q;
    assign ch_rst_o = chrst_q;
    assign rst_pend_o = rstq_q || chrst_q;
    assign err_addr_o = eaddr_q;
    assign err_desc_o = edesc_q;
    assign err_bytes_o = ebytes_q;

    assign fetch_req_o = freq_q;
    assign fetch_addr_o = faddr_q;
    assign fetch_cnt_o = fcnt_q;

    assign cpl_req_o = creq_q;
    assign cpl_addr_o = caddr_q;
    assign cpl_data_o = cdata_q;

    assign mv_valid_o = !stop_q && ((xst_q == X_ROWS)
                        || (xst_q == X_DIRECT && pq_ready && !src_win_bad && (IS_H2C || !dst_win_bad)));
    assign mv_src_o = (xst_q == X_DIRECT) ? dsrc_q : rsrc_q;
    assign mv_len_o = (xst_q == X_DIRECT) ? dlen_q : {8'd0, d_len};
    assign mv_src_fixed_o = (xst_q == X_ROWS) && d_sfix;
    assign mv_dst_fixed_o = (xst_q == X_ROWS) && d_dfix && !IS_H2C;

    // Host-to-card: the destination of each command is the packet's running
    // lane offset (bytes so far mod DATA_BYTES), so the mover's realigner
    // packs the packet's bytes; the side band (TUSER, TID, end of packet) goes
    // with the command to ferry_axis_tx. Direct mode: DST_LO[15:0] is the side
    // band and the transfer is one packet.
    generate
        if (IS_H2C) begin : g_h2c
            reg [OFF_W-1:0] lane_q;
            wire            eop = (xst_q == X_DIRECT) || (d_eop && row_q == 16'd1);
            always @(posedge clk) begin
                if (!qrst_n) begin
                    lane_q <= {OFF_W{1'b0}};
                end else if (mv_valid_o && mv_ready_i) begin
                    lane_q <= eop ? {OFF_W{1'b0}} : lane_q + mv_len_o[OFF_W-1:0];
                end
            end
            assign mv_dst_o = {{(ADDR_WIDTH-OFF_W){1'b0}}, lane_q};
            assign mv_eop_o = eop;
            assign mv_sb_o = (xst_q == X_DIRECT) ? ddst_q[15:0] : d_dst[15:0];
        end else begin : g_mem
            assign mv_dst_o = (xst_q == X_DIRECT) ? ddst_q : rdst_q;
            assign mv_eop_o = 1'b0;
            assign mv_sb_o = 16'd0;
        end
    endgenerate
    assign mv_tag_o = {(xst_q == X_DIRECT) ? 16'd0 : ((exec_q - 16'd1) & mask), (xst_q == X_DIRECT) || (row_q == 16'd1)};
    assign mv_abort_o = amv_q;
    assign pkt_o = IS_C2H && h_ready && !h_direct && h_sb_ok && h_sb[16];
    assign posted_o = ren_q && !halt_q && !stop_q && ((prod_q != exec_q) || (xst_q != X_IDLE));
    assign mv_rst_n_o = qrst_n;

    wire unused = &{1'b0, dq_ready, mv_done_tag_i[16:1], fq_ready, aq_out[7:0],
                    d_eop, page_bytes[4:0], ring_ctrl_i[31:13], ring_ctrl_i[7:1],
                    ring_base_i, cpl_base_i, src_i, dst_i, d_src, d_dst,
                    cur_n[175:156], cur_n[152:0], win_base_i, win_limit_i, rng_s_hi[11:0], rng_t_hi[11:0],
                    rng_r_hi[11:0], rng_c_hi[11:0], rng_s_lo[11:0], rng_t_lo[11:0], mv_rd_fault_tag_i[0],
                    mv_b_tag_i[0], d_total[31:0], dq_out, s_end[65:64], t_end[65:64]};

endmodule

`resetall
