// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_axis_tx: a host-to-card channel's stream output. It stands in for
// memory on the write side of the channel's ferry_mover and turns the
// mover's writes into AXI-Stream beats on m_axis.
//
// The channel gives every mover command the packet's running lane offset
// (bytes so far mod DATA_BYTES) as its destination address, so the mover's
// realigner already places the command's first byte at that lane. Per
// command the channel also pushes {eop, tuser, tid, lane, len} here (cmd_*,
// in the same cycle as the mover takes the command); the command's W beats
// are ceil((lane + len) / DATA_BYTES).
//
//   - AW is taken at once (awready high); a B (OKAY) is given for each burst
//     once its WLAST beat was taken, one per cycle, in order.
//   - A command's W beat becomes a stream beat with TKEEP = its strobes,
//     TUSER/TID of its command. The last beat of a command that does not end
//     the packet (no eop) and does not fill the beat is held in the merge
//     register and ORed with the first beat(s) of the next command (whose
//     strobes are the complementary upper lanes); a merged beat takes the
//     TUSER/TID of the later command. The last beat of an eop command has
//     TLAST. A beat with no strobes (a read that failed: the channel is
//     stopping) is dropped.
//   - m_axis is driven by a ferry_skid (two beats): TVALID never waits for
//     TREADY and, once up, stays up with its payload until taken; TREADY
//     reaches only clocked logic (the registered boundary, as on m_axi). Full
//     rate while TREADY stays high; after a stall one beat pauses while the
//     slice drains.
//   - drop_i (the channel is stopping: error, ABORT, timeout, RESET): the
//     W beats the mover still writes while it drains are taken and dropped
//     (their B's are still given), so a stalled stream sink cannot hold the
//     stop; flush_n (the mover's reset once drained, or a channel reset)
//     clears the command queue, the beat count, the merge register and the
//     pending B's, but not the register slice: the beats in it (at most two)
//     stay until they are taken. A packet cut by a stop therefore has no
//     TLAST.
//
// pkt_o pulses for each beat taken with TLAST; in_pkt_o is high between a
// beat taken without TLAST and the next beat taken with TLAST.
module ferry_axis_tx #(
    parameter DATA_WIDTH = 64,
    parameter QDEPTH = 16
) (
    input  wire                    clk,
    input  wire                    rst_n,       // global: everything
    input  wire                    flush_n,     // the mover's reset: all but the register slice
    input  wire                    drop_i,      // the channel is stopping: W beats are taken and dropped

    // per-command side band from the channel
    input  wire                    cmd_valid_i,
    output wire                    cmd_ready_o,
    input  wire                    cmd_eop_i,
    input  wire [7:0]              cmd_user_i,
    input  wire [7:0]              cmd_id_i,
    input  wire [$clog2(DATA_WIDTH/8)-1:0] cmd_lane_i,
    input  wire [31:0]             cmd_len_i,

    // the mover's write side
    input  wire                    awvalid_i,
    output wire                    awready_o,
    input  wire [DATA_WIDTH-1:0]   wdata_i,
    input  wire [DATA_WIDTH/8-1:0] wstrb_i,
    input  wire                    wlast_i,
    input  wire                    wvalid_i,
    output wire                    wready_o,
    output wire                    bvalid_o,

    // stream out
    output wire [DATA_WIDTH-1:0]   m_axis_tdata,
    output wire [DATA_WIDTH/8-1:0] m_axis_tkeep,
    output wire                    m_axis_tlast,
    output wire [7:0]              m_axis_tuser,
    output wire [7:0]              m_axis_tid,
    output wire                    m_axis_tvalid,
    input  wire                    m_axis_tready,

    output wire                    pkt_o,
    output wire                    in_pkt_o
);

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam BW = 33 - OFF_W;      // beats of a command: up to ceil((BYTES-1 + 2^32-1) / BYTES)
    localparam QW = 1 + 8 + 8 + BW;

    // ---- side-band queue: {eop, tuser, tid, beats} ----
    wire [32:0]   span = {1'b0, cmd_len_i} + {{(33-OFF_W){1'b0}}, cmd_lane_i} + BYTES - 1;
    wire [BW-1:0] q_beats_in = span[32:OFF_W];
    wire [QW-1:0] q_out;
    wire          q_valid;
    wire          beat = wvalid_i && wready_o;
    reg  [BW-1:0] cnt_q;                           // beats of the head command taken so far
    wire [BW-1:0] q_beats = q_out[BW-1:0];
    wire          q_eop = q_out[QW-1];
    wire [7:0]    q_user = q_out[QW-2 -: 8];
    wire [7:0]    q_id = q_out[QW-10 -: 8];
    wire          cmd_last = (cnt_q + {{(BW-1){1'b0}}, 1'b1}) == q_beats;

    ferry_queue #(
        .WIDTH(QW),
        .DEPTH(QDEPTH)
    ) u_q (
        .clk(clk),
        .rst_n(flush_n),
        .in_data_i({cmd_eop_i, cmd_user_i, cmd_id_i, q_beats_in}),
        .in_valid_i(cmd_valid_i),
        .in_ready_o(cmd_ready_o),
        .out_data_o(q_out),
        .out_valid_o(q_valid),
        .out_ready_i(beat && cmd_last)
    );

    // ---- merge register, then the register slice to m_axis ----
    reg [DATA_WIDTH-1:0] mdata_q;
    reg [BYTES-1:0]      mkeep_q;                  // 0: empty
    reg                  inpkt_q;
    reg [5:0]            bcnt_q;                   // bursts whose WLAST was taken, B not yet given
    wire                 out_free;                 // the slice can take a beat (a register)

    assign wready_o = q_valid && (out_free || drop_i);
    assign awready_o = 1'b1;

    reg [DATA_WIDTH-1:0] wmask;
    integer i;
    always @* begin
        for (i = 0; i < BYTES; i = i + 1) begin
            wmask[i*8 +: 8] = {8{wstrb_i[i]}};
        end
    end
    wire [DATA_WIDTH-1:0] n_data = mdata_q | (wdata_i & wmask);
    wire [BYTES-1:0]      n_keep = mkeep_q | wstrb_i;
    wire                  n_hold = cmd_last && !q_eop && !(&n_keep);
    wire                  n_send = beat && !drop_i && !n_hold && (n_keep != {BYTES{1'b0}});
    wire                  taken = m_axis_tvalid && m_axis_tready;

    always @(posedge clk) begin
        if (!rst_n || !flush_n) begin
            cnt_q <= {BW{1'b0}};
            mdata_q <= {DATA_WIDTH{1'b0}};
            mkeep_q <= {BYTES{1'b0}};
            bcnt_q <= 6'd0;
        end else begin
            if (beat) begin
                cnt_q <= cmd_last ? {BW{1'b0}} : cnt_q + {{(BW-1){1'b0}}, 1'b1};
                if (n_hold && !drop_i) begin
                    mdata_q <= n_data;
                    mkeep_q <= n_keep;
                end else begin
                    mdata_q <= {DATA_WIDTH{1'b0}};
                    mkeep_q <= {BYTES{1'b0}};
                end
            end
            bcnt_q <= bcnt_q + {5'd0, beat && wlast_i} - {5'd0, bcnt_q != 6'd0};
        end
    end

    /* verilator lint_off PINCONNECTEMPTY */
    ferry_skid #(
        .WIDTH(DATA_WIDTH + BYTES + 1 + 8 + 8)
    ) u_out (
        .clk(clk),
        .rst_n(rst_n),
        .in_valid_i(n_send),
        .in_ready_o(out_free),
        .in_data_i({n_data, n_keep, cmd_last && q_eop, q_user, q_id}),
        .out_valid_o(m_axis_tvalid),
        .out_ready_i(m_axis_tready),
        .out_data_o({m_axis_tdata, m_axis_tkeep, m_axis_tlast, m_axis_tuser, m_axis_tid}),
        .load_o(),
        .load_data_o()
    );
    /* verilator lint_on PINCONNECTEMPTY */

    always @(posedge clk) begin
        if (!rst_n) begin
            inpkt_q <= 1'b0;
        end else if (taken) begin
            inpkt_q <= !m_axis_tlast;
        end
    end

    assign bvalid_o = bcnt_q != 6'd0;
    assign pkt_o = taken && m_axis_tlast;
    assign in_pkt_o = inpkt_q;

    wire unused = &{1'b0, awvalid_i, span[OFF_W-1:0]};

endmodule

`resetall
