// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_desc_fetch: where a descriptor is fetched (shared by all channels).
//
// Each channel asks for a run of 1..4 consecutive 32-byte descriptors at a
// ring address (req/addr/cnt, held until ack). Requests are served round
// robin, one AR burst per run (a run never crosses the ring end, and a ring
// is 32-byte aligned, so it never crosses 4 KiB unless the ring does: the
// channel keeps runs inside one ring pass, and ring bases are aligned to the
// descriptor size). Up to FETCH_DEPTH runs are in flight; their R beats come
// back in order (one ID) and are handed to their channel as 64-bit quarters,
// lowest first, one per cycle: a one-cycle desc_valid_o pulse with the
// quarter on desc_o and an error flag (a beat of it answered SLVERR/DECERR).
// Channels store quarters in a narrow, deep queue (few block or LUT RAMs) and
// reserve its space before asking. RREADY stays high on buses up to 64 bits;
// on wider ones a beat holds several quarters and RREADY drops while they
// leave (one R cycle per quarter, 4 per descriptor).
//
// With DATA_WIDTH = 512 a beat holds two descriptors; runs are then one
// descriptor (one beat) long and the half is chosen by address bit 5.
//
// Parameters
//   NUM_CHANNELS  1..16
//   ADDR_WIDTH    32..64
//   DATA_WIDTH    32..512
module ferry_desc_fetch #(
    parameter NUM_CHANNELS = 4,
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64
) (
    input  wire                           clk,
    input  wire                           rst_n,

    input  wire [NUM_CHANNELS-1:0]        req_i,
    input  wire [NUM_CHANNELS*ADDR_WIDTH-1:0] addr_i,
    input  wire [NUM_CHANNELS*3-1:0]      cnt_i,
    output wire [NUM_CHANNELS-1:0]        ack_o,

    output wire [NUM_CHANNELS-1:0]        desc_valid_o,
    output wire [63:0]                    desc_o,
    output wire                           desc_err_o,

    output wire [ADDR_WIDTH-1:0]          araddr_o,
    output wire [7:0]                     arlen_o,
    output wire                           arvalid_o,
    input  wire                           arready_i,
    input  wire [DATA_WIDTH-1:0]          rdata_i,
    input  wire [1:0]                     rresp_i,
    input  wire                           rvalid_i,
    output wire                           rready_o
);

    localparam BYTES = DATA_WIDTH / 8;
    localparam BPD = (BYTES >= 32) ? 1 : 32 / BYTES;      // beats per descriptor
    localparam CH_W = (NUM_CHANNELS > 1) ? $clog2(NUM_CHANNELS) : 1;
    localparam FETCH_DEPTH = 8;
    localparam FQ_W = CH_W + 3 + 1;
    localparam QPB = (BYTES >= 32) ? 4 : ((BYTES >= 8) ? BYTES / 8 : 1);   // quarters per group
    localparam GW = QPB * 64;                             // bits of a group
    localparam [1:0] RESP_OKAY = 2'b00;

    // ---- requests ----
    wire [NUM_CHANNELS-1:0] grant;
    wire [CH_W-1:0]         grant_idx;
    wire                    grant_valid;
    wire                    fq_ready;
    reg  [ADDR_WIDTH-1:0]   araddr_q, araddr_d;
    reg  [7:0]              arlen_q, arlen_d;
    reg                     arvalid_q, arvalid_d;
    wire                    take = grant_valid && fq_ready && (!arvalid_q || arready_i);

    ferry_arbiter #(
        .N(NUM_CHANNELS)
    ) u_arb (
        .clk(clk),
        .rst_n(rst_n),
        .req_i(req_i),
        .weight_i({(NUM_CHANNELS*8){1'b0}}),
        .take_i(take),
        .grant_o(grant),
        .grant_idx_o(grant_idx),
        .valid_o(grant_valid)
    );

    wire [ADDR_WIDTH-1:0] g_addr = addr_i[grant_idx*ADDR_WIDTH +: ADDR_WIDTH];
    wire [2:0]            g_cnt = cnt_i[grant_idx*3 +: 3];
    wire [10:0]           g_beats = {8'd0, g_cnt} * BPD[10:0];

    // ---- runs in flight: {channel, descriptors, half} ----
    wire [FQ_W-1:0] fq_out;
    wire            fq_valid;
    reg             fq_pop;

    ferry_queue #(
        .WIDTH(FQ_W),
        .DEPTH(FETCH_DEPTH)
    ) u_fq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i({grant_idx, g_cnt, (BYTES > 32) ? g_addr[5] : 1'b0}),
        .in_valid_i(take),
        .in_ready_o(fq_ready),
        .out_data_o(fq_out),
        .out_valid_o(fq_valid),
        .out_ready_i(fq_pop)
    );

    wire [CH_W-1:0] r_ch = fq_out[FQ_W-1 -: CH_W];
    wire [2:0]      r_cnt = fq_out[3:1];
    wire            r_half = fq_out[0];

    // ---- quarters: a group is a beat (two beats of a 32-bit bus) ----
    wire [GW-1:0] group;
    reg  [31:0]   half_q;       // 32-bit bus: the quarter's first beat
    wire          rready;
    wire          take_beat = rvalid_i && fq_valid && rready;
    reg  [3:0]    beat_q, beat_d;     // beats of the current descriptor so far
    wire          group_end = (BYTES >= 8) || beat_q[0];

    generate
        if (BYTES > 32) begin : g_wide
            assign group = r_half ? rdata_i[511:256] : rdata_i[255:0];
        end else if (BYTES >= 8) begin : g_beat
            assign group = rdata_i;
        end else begin : g_pair
            assign group = {rdata_i, half_q};
        end
    endgenerate

    reg [2:0]              ndesc_q, ndesc_d;   // descriptors of the current run so far
    reg                    err_q, err_d;       // error in the group so far
    reg [GW-1:0]           ser_q, ser_d;       // quarters still to hand over, lowest first
    reg [2:0]              sn_q, sn_d;         // ... how many
    reg [CH_W-1:0]         sch_q, sch_d;       // ... for this channel
    reg                    serr_q, serr_d;     // ... with this error flag

    assign rready = (sn_q <= 3'd1);

    always @* begin
        araddr_d = araddr_q;
        arlen_d = arlen_q;
        arvalid_d = arvalid_q;
        beat_d = beat_q;
        ndesc_d = ndesc_q;
        err_d = err_q;
        ser_d = ser_q;
        sn_d = sn_q;
        sch_d = sch_q;
        serr_d = serr_q;
        fq_pop = 1'b0;

        if (arvalid_q && arready_i) begin
            arvalid_d = 1'b0;
        end
        if (take) begin
            araddr_d = g_addr;
            arlen_d = g_beats[7:0] - 8'd1;
            arvalid_d = 1'b1;
        end

        if (sn_q != 3'd0) begin
            ser_d = ser_q >> 64;
            sn_d = sn_q - 3'd1;
        end
        if (take_beat) begin
            err_d = err_q || (rresp_i != RESP_OKAY);
            if (group_end) begin
                ser_d = group;
                sn_d = QPB[2:0];
                sch_d = r_ch;
                serr_d = err_d;
                err_d = 1'b0;
            end
            if (beat_q == BPD[3:0] - 4'd1) begin
                beat_d = 4'd0;
                if (ndesc_q == r_cnt - 3'd1) begin
                    ndesc_d = 3'd0;
                    fq_pop = 1'b1;
                end else begin
                    ndesc_d = ndesc_q + 3'd1;
                end
            end else begin
                beat_d = beat_q + 4'd1;
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            araddr_q <= {ADDR_WIDTH{1'b0}};
            arlen_q <= 8'd0;
            arvalid_q <= 1'b0;
            beat_q <= 4'd0;
            ndesc_q <= 3'd0;
            err_q <= 1'b0;
            sn_q <= 3'd0;
            sch_q <= {CH_W{1'b0}};
            serr_q <= 1'b0;
        end else begin
            araddr_q <= araddr_d;
            arlen_q <= arlen_d;
            arvalid_q <= arvalid_d;
            beat_q <= beat_d;
            ndesc_q <= ndesc_d;
            err_q <= err_d;
            sn_q <= sn_d;
            sch_q <= sch_d;
            serr_q <= serr_d;
        end
    end

    // Data registers: read only while their count says so, no reset needed.
    always @(posedge clk) begin
        ser_q <= ser_d;
        if (take_beat) begin
            half_q <= rdata_i[31:0];
        end
    end

    reg [NUM_CHANNELS-1:0] dvalid;
    integer c;
    always @* begin
        for (c = 0; c < NUM_CHANNELS; c = c + 1) begin
            dvalid[c] = (sn_q != 3'd0) && (sch_q == c[CH_W-1:0]);
        end
    end

    assign ack_o = take ? grant : {NUM_CHANNELS{1'b0}};
    assign desc_valid_o = dvalid;
    assign desc_o = ser_q[63:0];
    assign desc_err_o = serr_q;
    assign araddr_o = araddr_q;
    assign arlen_o = arlen_q;
    assign arvalid_o = arvalid_q;
    assign rready_o = rready;

    // g_beats is at most 4 * 8 = 32; r_half only matters on a 512-bit bus,
    // half_q only on a 32-bit one.
    wire unused = &{1'b0, g_beats[10:8], r_half, half_q};

endmodule

`resetall
