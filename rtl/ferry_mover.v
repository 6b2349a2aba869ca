// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_mover: one channel's data mover. Copies commands (src, dst, len,
// fixed flags) over an AXI4 port without IDs; ferry_axi_mux joins the ports.
//
//   cmd queue --> dispatch --> ferry_rd_engine --AR-->
//                    |  \----> realign queue ---.
//                    |                          v
//                    |   R --------------> ferry_realign --> ferry_fifo
//                    v                                          |
//               write queue --> ferry_wr_engine <---------------'
//                                 AW/W/B --> done (tag, error), in order
//
// Commands are pipelined: the reads of the next command start as soon as the
// last read burst of the current one is issued, while its writes are still
// going. Dispatch turns a command into read/write beat counts, beat-aligned
// start addresses, the realignment shift and the strobes of the first and
// last destination beat. A fixed (FIFO) address must be beat aligned: every
// beat of that side then uses the same address in FIXED bursts of at most 16
// beats. The data FIFO sits after the realigner, so a write address is only
// issued once its burst's data is here.
//
// done_o pulses once per command, in command order, one cycle after the
// command's last write response, with err_o = ERR_NONE, ERR_RD_RESP or
// ERR_WR_RESP and the command's tag.
//
// The caller checks commands first: len >= 1, no wrap past 2^ADDR_WIDTH,
// fixed addresses beat aligned.
//
// Stopping (abort_i, held by the channel after an error, ABORT, timeout or
// RESET): no new command is dispatched and no new read burst is issued;
// bursts already issued complete (R beats are taken, B responses too), and
// the data already read is written as far as whole write bursts of it are
// here (a beat read with an error is written with no strobes). quiet_o then
// rises: nothing is in flight, nothing more can move, and the last B's
// b_evt_o and done_o have been given (as ferry_s2mm's quiet_o), so the
// channel's count of the bytes written is final. The channel resets the
// mover (rst_n) to drop what is left.
//
// Errors are reported as they happen: rd_fault_o with every R beat that
// answers an error (the burst's address and the command's tag), and b_evt_o
// for every B (see ferry_wr_engine).
//
// Latency: a command offered at cycle 0 while the command queue is empty and
// the read engine free is dispatched in that cycle (it bypasses the queue);
// its first ARVALID rises at cycle 2. Otherwise it waits in the queue.
module ferry_mover #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 16,
    parameter FIFO_DEPTH = 1024,
    parameter TAG_WIDTH = 4,
    parameter CMDQ_DEPTH = 4
) (
    input  wire                    clk,
    input  wire                    rst_n,

    input  wire                    cmd_valid_i,
    output wire                    cmd_ready_o,
    input  wire [ADDR_WIDTH-1:0]   cmd_src_i,
    input  wire [ADDR_WIDTH-1:0]   cmd_dst_i,
    input  wire [31:0]             cmd_len_i,
    input  wire                    cmd_src_fixed_i,
    input  wire                    cmd_dst_fixed_i,
    input  wire [TAG_WIDTH-1:0]    cmd_tag_i,
    input  wire [5:0]              max_out_i,      // bursts in flight per direction
    input  wire                    abort_i,        // stop: no new command or read burst
    output wire                    quiet_o,        // stopped: nothing in flight, nothing can move
    output wire                    rd_fault_o,     // an R beat answered an error
    output wire [ADDR_WIDTH-1:0]   rd_fault_addr_o,
    output wire [TAG_WIDTH-1:0]    rd_fault_tag_o,
    output wire                    b_evt_o,        // a B came back the cycle before ...
    output wire                    b_ok_o,         // ... all its bytes written
    output wire                    b_resp_err_o,   // ... BRESP not OKAY
    output wire [15:0]             b_bytes_o,      // ... bytes it strobed
    output wire [TAG_WIDTH-1:0]    b_tag_o,
    output wire [ADDR_WIDTH-1:0]   b_addr_o,

    output wire                    done_o,
    output wire [TAG_WIDTH-1:0]    done_tag_o,
    output wire [7:0]              done_err_o,
    output wire                    idle_o,         // no command queued or in flight
    output wire [31:0]             rd_bytes_o,     // a command's bytes all read (pulse value, else 0)
    output wire [$clog2(DATA_WIDTH/8):0] wr_bytes_o, // bytes written by this cycle's W beat
    output wire                    stall_o,        // waiting on the bus (reads in flight, no R beat; or W held)

    output wire [ADDR_WIDTH-1:0]   araddr_o,
    output wire [7:0]              arlen_o,
    output wire [1:0]              arburst_o,
    output wire                    arvalid_o,
    input  wire                    arready_i,
    input  wire [DATA_WIDTH-1:0]   rdata_i,
    input  wire [1:0]              rresp_i,
    input  wire                    rlast_i,
    input  wire                    rvalid_i,
    output wire                    rready_o,
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

    `include "ferry_regs.vh"

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam BEAT_WIDTH = 34;
    localparam FIFO_CW = $clog2(FIFO_DEPTH) + 2;       // ferry_fifo's count width
    localparam COUNT_WIDTH = FIFO_CW + 4;              // beat counts against the FIFO (>= 10)
    localparam [1:0] RESP_OKAY = 2'b00;
    // Commands between dispatch and the realigner / the write engine. Small
    // commands (short descriptors) need many in flight to cover the memory
    // latency: 16 x 256 B covers about 500 cycles on a 64-bit bus.
    localparam PIPE_DEPTH = 16;

    // ---- command queue ----
    localparam CQ_W = 2 * ADDR_WIDTH + 32 + 2 + TAG_WIDTH;
    wire [CQ_W-1:0] cq_out;
    wire            cq_valid;
    wire            dispatch;
    wire            engines_ready;
    wire [CQ_W-1:0] cmd_in = {cmd_src_i, cmd_dst_i, cmd_len_i, cmd_src_fixed_i, cmd_dst_fixed_i, cmd_tag_i};
    // An empty queue is bypassed: a command the engines can take at once is
    // dispatched in the cycle it arrives.
    wire            bypass = !cq_valid && cmd_valid_i && engines_ready && !abort_i;
    wire [CQ_W-1:0] cmd = cq_valid ? cq_out : cmd_in;

    ferry_queue #(
        .WIDTH(CQ_W),
        .DEPTH(CMDQ_DEPTH)
    ) u_cq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(cmd_in),
        .in_valid_i(cmd_valid_i && !bypass),
        .in_ready_o(cmd_ready_o),
        .out_data_o(cq_out),
        .out_valid_o(cq_valid),
        .out_ready_i(dispatch && cq_valid)
    );

    wire [ADDR_WIDTH-1:0] src = cmd[CQ_W-1 -: ADDR_WIDTH];
    wire [ADDR_WIDTH-1:0] dst = cmd[CQ_W-ADDR_WIDTH-1 -: ADDR_WIDTH];
    wire [31:0]           len = cmd[TAG_WIDTH+33 -: 32];
    wire                  src_fixed = cmd[TAG_WIDTH+1];
    wire                  dst_fixed = cmd[TAG_WIDTH];
    wire [TAG_WIDTH-1:0]  tag = cmd[TAG_WIDTH-1:0];

    // ---- dispatch: beat counts, alignment, strobes ----
    // Evaluated only while a command is offered (zero otherwise, and unused):
    // the same hardware, but a Verilated model skips it when the mover idles.
    wire [OFF_W-1:0]      src_off = src[OFF_W-1:0];
    wire [OFF_W-1:0]      dst_off = dst[OFF_W-1:0];
    wire [BEAT_WIDTH-1:0] beat_round = {{(BEAT_WIDTH-OFF_W){1'b0}}, {OFF_W{1'b1}}};
    reg  [BEAT_WIDTH-1:0] rd_beats, wr_beats;
    reg  [OFF_W-1:0]      end_off;      // lane of the last byte
    reg  [OFF_W-1:0]      sh_mod;
    reg  [OFF_W:0]        shift;
    reg                   prime;
    reg  [BYTES-1:0]      first_strb, last_strb;
    always @* begin
        rd_beats = {BEAT_WIDTH{1'b0}};
        wr_beats = {BEAT_WIDTH{1'b0}};
        end_off = {OFF_W{1'b0}};
        sh_mod = {OFF_W{1'b0}};
        shift = {(OFF_W+1){1'b0}};
        prime = 1'b0;
        first_strb = {BYTES{1'b0}};
        last_strb = {BYTES{1'b0}};
        if (cq_valid || cmd_valid_i) begin
            rd_beats = ({2'b0, len} + {{(BEAT_WIDTH-OFF_W){1'b0}}, src_off} + beat_round) >> OFF_W;
            wr_beats = ({2'b0, len} + {{(BEAT_WIDTH-OFF_W){1'b0}}, dst_off} + beat_round) >> OFF_W;
            end_off = dst_off + len[OFF_W-1:0] - 1'b1;
            sh_mod = src_off - dst_off;
            shift = (sh_mod == {OFF_W{1'b0}}) ? BYTES[OFF_W:0] : {1'b0, sh_mod};
            prime = (src_off > dst_off);
            first_strb = {BYTES{1'b1}} << dst_off;
            last_strb = {BYTES{1'b1}} >> (BYTES[OFF_W:0] - 1'b1 - {1'b0, end_off});
        end
    end
    wire [ADDR_WIDTH-1:0] beat_mask = {{(ADDR_WIDTH-OFF_W){1'b1}}, {OFF_W{1'b0}}};

    wire rd_ready, ra_ready, wq_ready;
    assign engines_ready = rd_ready && ra_ready && wq_ready;
    assign dispatch = (cq_valid || cmd_valid_i) && engines_ready && !abort_i;

    // ---- read engine ----
    wire [FIFO_CW-1:0]     fifo_count;
    wire [COUNT_WIDTH-1:0] fifo_count_w = {4'b0000, fifo_count};
    wire                   ra_done;
    wire [BEAT_WIDTH-1:0]  ra_release;
    wire                   rd_busy;
    wire [ADDR_WIDTH-1:0]  r_addr;

    ferry_rd_engine #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .CAPACITY(FIFO_DEPTH + 1),
        .BEAT_WIDTH(BEAT_WIDTH),
        .COUNT_WIDTH(COUNT_WIDTH)
    ) u_rd (
        .clk(clk),
        .rst_n(rst_n),
        .start_i(dispatch),
        .addr_i(src & beat_mask),
        .beats_i(rd_beats),
        .fixed_i(src_fixed),
        .ready_o(rd_ready),
        .max_out_i(max_out_i),
        .stop_i(abort_i),
        .busy_o(rd_busy),
        .r_addr_o(r_addr),
        .pop_i(fifo_pop),
        .release_i(ra_release[COUNT_WIDTH-1:0]),
        .araddr_o(araddr_o),
        .arlen_o(arlen_o),
        .arburst_o(arburst_o),
        .arvalid_o(arvalid_o),
        .arready_i(arready_i),
        .r_last_hs_i(rvalid_i && rready_o && rlast_i)
    );

    // ---- realign queue and realigner ----
    localparam RA_W = TAG_WIDTH + (OFF_W + 1) + 1 + 2 * BEAT_WIDTH + 32;
    wire [RA_W-1:0] ra_out;
    wire            ra_valid, ra_pop;
    reg  [31:0]     ra_len_q;     // length of the command in the realigner (for rd_bytes_o)
    reg  [TAG_WIDTH-1:0] ra_tag_q; // ... and its tag (for rd_fault_tag_o)

    ferry_queue #(
        .WIDTH(RA_W),
        .DEPTH(PIPE_DEPTH)
    ) u_raq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i({tag, shift, prime, rd_beats, wr_beats, len}),
        .in_valid_i(dispatch),
        .in_ready_o(ra_ready),
        .out_data_o(ra_out),
        .out_valid_o(ra_valid),
        .out_ready_i(ra_pop)
    );

    wire [DATA_WIDTH-1:0] ra_data;
    wire                  ra_err, ra_out_valid, fifo_in_ready, ra_idle;

    ferry_realign #(
        .DATA_WIDTH(DATA_WIDTH),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_realign (
        .clk(clk),
        .rst_n(rst_n),
        .cmd_valid_i(ra_valid),
        .cmd_ready_o(ra_pop),
        .shift_i(ra_out[RA_W-TAG_WIDTH-1 -: OFF_W+1]),
        .prime_i(ra_out[RA_W-TAG_WIDTH-OFF_W-2]),
        .rd_beats_i(ra_out[2*BEAT_WIDTH+31 -: BEAT_WIDTH]),
        .wr_beats_i(ra_out[BEAT_WIDTH+31 -: BEAT_WIDTH]),
        .done_o(ra_done),
        .release_o(ra_release),
        .idle_o(ra_idle),
        .in_data_i(rdata_i),
        .in_err_i(rresp_i != RESP_OKAY),
        .in_valid_i(rvalid_i),
        .in_ready_o(rready_o),
        .out_data_o(ra_data),
        .out_err_o(ra_err),
        .out_valid_o(ra_out_valid),
        .out_ready_i(fifo_in_ready)
    );

    always @(posedge clk) begin
        if (!rst_n) begin
            ra_len_q <= 32'd0;
            ra_tag_q <= {TAG_WIDTH{1'b0}};
        end else if (ra_valid && ra_pop) begin
            ra_len_q <= ra_out[31:0];
            ra_tag_q <= ra_out[RA_W-1 -: TAG_WIDTH];
        end
    end

    // ---- data FIFO (destination aligned beats + read-error flag) ----
    wire [DATA_WIDTH:0] fifo_out;
    wire                fifo_valid, fifo_pop;

    ferry_fifo #(
        .WIDTH(DATA_WIDTH + 1),
        .DEPTH(FIFO_DEPTH)
    ) u_fifo (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i({ra_err, ra_data}),
        .in_valid_i(ra_out_valid),
        .in_ready_o(fifo_in_ready),
        .out_data_o(fifo_out),
        .out_valid_o(fifo_valid),
        .out_ready_i(fifo_pop),
        .count_o(fifo_count)
    );

    // ---- write queue and write engine ----
    localparam WQ_W = ADDR_WIDTH + BEAT_WIDTH + 2 * BYTES + 1 + TAG_WIDTH;
    wire [WQ_W-1:0] wq_out;
    wire            wq_valid, wq_pop;

    ferry_queue #(
        .WIDTH(WQ_W),
        .DEPTH(PIPE_DEPTH)
    ) u_wrq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i({dst & beat_mask, wr_beats, first_strb, last_strb, dst_fixed, tag}),
        .in_valid_i(dispatch),
        .in_ready_o(wq_ready),
        .out_data_o(wq_out),
        .out_valid_o(wq_valid),
        .out_ready_i(wq_pop)
    );

    wire                 wr_done, wr_rd_err, wr_wr_err, wr_idle, wr_stalled, w_stall;
    wire [TAG_WIDTH-1:0] wr_tag;
    wire                 wq_take;

    ferry_wr_engine #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .BEAT_WIDTH(BEAT_WIDTH),
        .COUNT_WIDTH(COUNT_WIDTH),
        .TAG_WIDTH(TAG_WIDTH)
    ) u_wr (
        .clk(clk),
        .rst_n(rst_n),
        .cmd_valid_i(wq_valid),
        .cmd_ready_o(wq_take),
        .cmd_addr_i(wq_out[WQ_W-1 -: ADDR_WIDTH]),
        .cmd_beats_i(wq_out[WQ_W-ADDR_WIDTH-1 -: BEAT_WIDTH]),
        .cmd_first_strb_i(wq_out[2*BYTES+TAG_WIDTH -: BYTES]),
        .cmd_last_strb_i(wq_out[BYTES+TAG_WIDTH -: BYTES]),
        .cmd_fixed_i(wq_out[TAG_WIDTH]),
        .cmd_tag_i(wq_out[TAG_WIDTH-1:0]),
        .max_out_i(max_out_i),
        .fifo_count_i(fifo_count_w),
        .fifo_data_i(fifo_out[DATA_WIDTH-1:0]),
        .fifo_err_i(fifo_out[DATA_WIDTH]),
        .fifo_valid_i(fifo_valid),
        .fifo_pop_o(fifo_pop),
        .done_o(wr_done),
        .done_tag_o(wr_tag),
        .done_rd_err_o(wr_rd_err),
        .done_wr_err_o(wr_wr_err),
        .idle_o(wr_idle),
        .stalled_o(wr_stalled),
        .w_stall_o(w_stall),
        .b_evt_o(b_evt_o),
        .b_ok_o(b_ok_o),
        .b_resp_err_o(b_resp_err_o),
        .b_bytes_o(b_bytes_o),
        .b_tag_o(b_tag_o),
        .b_addr_o(b_addr_o),
        .awaddr_o(awaddr_o),
        .awlen_o(awlen_o),
        .awburst_o(awburst_o),
        .awvalid_o(awvalid_o),
        .awready_i(awready_i),
        .wdata_o(wdata_o),
        .wstrb_o(wstrb_o),
        .wlast_o(wlast_o),
        .wvalid_o(wvalid_o),
        .wready_i(wready_i),
        .bresp_i(bresp_i),
        .bvalid_i(bvalid_i)
    );
    assign wq_pop = wq_take && wq_valid;

    // Bytes written this cycle: strobes of the W beat handed over.
    reg [OFF_W:0] wr_bytes;
    integer i;
    always @* begin
        wr_bytes = {(OFF_W+1){1'b0}};
        if (wvalid_o && wready_i) begin
            for (i = 0; i < BYTES; i = i + 1) begin
                wr_bytes = wr_bytes + {{OFF_W{1'b0}}, wstrb_o[i]};
            end
        end
    end

    assign done_o = wr_done;
    assign done_tag_o = wr_tag;
    assign done_err_o = wr_rd_err ? ERR_RD_RESP : (wr_wr_err ? ERR_WR_RESP : ERR_NONE);
    assign idle_o = !cq_valid && rd_ready && !rd_busy && ra_idle && !ra_valid && !fifo_valid
                    && (fifo_count == {FIFO_CW{1'b0}}) && !wq_valid && wr_idle;
    assign rd_bytes_o = ra_done ? ra_len_q : 32'd0;
    assign wr_bytes_o = wr_bytes;
    assign stall_o = (rd_busy && !rvalid_i) || w_stall;
    assign quiet_o = abort_i && !rd_busy && !ra_out_valid && wr_stalled && !b_evt_o && !wr_done;
    assign rd_fault_o = rvalid_i && rready_o && (rresp_i != RESP_OKAY);
    assign rd_fault_addr_o = r_addr;
    assign rd_fault_tag_o = ra_tag_q;

    // A release is at most 2 beats; the count width covers the FIFO.
    wire unused = &{1'b0, ra_release[BEAT_WIDTH-1:COUNT_WIDTH]};

endmodule

`resetall
