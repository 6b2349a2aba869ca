// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_cpl_write: writes completion records (shared by all channels).
//
// A channel offers one 16-byte record with its bus address (req/addr/data,
// held until ack). Records are taken round robin, one at a time, and each
// becomes one INCR burst: 16 / bus-bytes beats on a 32..128-bit bus, or a
// single beat with the 16 record bytes strobed at their offset on a wider
// bus. Write responses come back in order (one ID); done_o pulses for the
// record's channel when its response is back, with err_o if it was not OKAY,
// so the channel advances CONS only for records that have landed.
//
// Parameters
//   NUM_CHANNELS  1..16
//   ADDR_WIDTH    32..64
//   DATA_WIDTH    32..512
module ferry_cpl_write #(
    parameter NUM_CHANNELS = 4,
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64
) (
    input  wire                               clk,
    input  wire                               rst_n,

    input  wire [NUM_CHANNELS-1:0]            req_i,
    input  wire [NUM_CHANNELS*ADDR_WIDTH-1:0] addr_i,
    input  wire [NUM_CHANNELS*128-1:0]        data_i,
    output wire [NUM_CHANNELS-1:0]            ack_o,
    output wire [NUM_CHANNELS-1:0]            done_o,
    output wire                               err_o,

    output wire [ADDR_WIDTH-1:0]              awaddr_o,
    output wire [7:0]                         awlen_o,
    output wire                               awvalid_o,
    input  wire                               awready_i,
    output wire [DATA_WIDTH-1:0]              wdata_o,
    output wire [DATA_WIDTH/8-1:0]            wstrb_o,
    output wire                               wlast_o,
    output wire                               wvalid_o,
    input  wire                               wready_i,
    input  wire [1:0]                         bresp_i,
    input  wire                               bvalid_i
);

    localparam BYTES = DATA_WIDTH / 8;
    localparam BEATS = (BYTES >= 16) ? 1 : 16 / BYTES;
    localparam CH_W = (NUM_CHANNELS > 1) ? $clog2(NUM_CHANNELS) : 1;
    localparam [1:0] RESP_OKAY = 2'b00;

    wire [NUM_CHANNELS-1:0] grant;
    wire [CH_W-1:0]         grant_idx;
    wire                    grant_valid;
    wire                    bq_ready;

    reg                     busy_q, busy_d;       // a record is being sent
    reg [127:0]             rec_q, rec_d;
    reg [3:0]               beat_q, beat_d;       // W beats sent of this record
    reg [ADDR_WIDTH-1:0]    awaddr_q, awaddr_d;
    reg                     awvalid_q, awvalid_d;
    reg                     aw_done_q, aw_done_d;
    reg [DATA_WIDTH-1:0]    wdata_q, wdata_d;
    reg [BYTES-1:0]         wstrb_q, wstrb_d;
    reg                     wlast_q, wlast_d;
    reg                     wvalid_q, wvalid_d;
    reg                     w_done_q, w_done_d;

    wire take = grant_valid && !busy_q && bq_ready;

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

    // ---- response routing: channel of each record in flight ----
    wire [CH_W-1:0] bq_out;
    wire            bq_valid;

    ferry_queue #(
        .WIDTH(CH_W),
        .DEPTH(32)
    ) u_bq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(grant_idx),
        .in_valid_i(take),
        .in_ready_o(bq_ready),
        .out_data_o(bq_out),
        .out_valid_o(bq_valid),
        .out_ready_i(bvalid_i)
    );

    // The W beat for beat index b of record rec placed at address addr.
    // wide/wstrb are one record wider than the bus so every width shifts the
    // same way; the bits above the bus are the unused remainder.
    /* verilator lint_off UNUSEDSIGNAL */
    function [DATA_WIDTH+BYTES-1:0] beat_of;   // {strb, data}
        input [127:0]          rec;
        input [3:0]            b;
        input [ADDR_WIDTH-1:0] addr;
        reg [DATA_WIDTH+127:0] wide;
        reg [BYTES+15:0]       wstrb;
        integer                off;
        begin
            if (BYTES >= 16) begin
                off = (BYTES > 16) ? ({26'd0, addr[5:0]} % BYTES) : 0;
                wide = {{DATA_WIDTH{1'b0}}, rec} << (off * 8);
                wstrb = {{BYTES{1'b0}}, 16'hFFFF} << off;
            end else begin
                wide = {{DATA_WIDTH{1'b0}}, rec} >> (b * DATA_WIDTH);
                wstrb = {{16{1'b0}}, {BYTES{1'b1}}};
            end
            beat_of = {wstrb[BYTES-1:0], wide[DATA_WIDTH-1:0]};
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    always @* begin
        busy_d = busy_q;
        rec_d = rec_q;
        beat_d = beat_q;
        awaddr_d = awaddr_q;
        awvalid_d = awvalid_q;
        aw_done_d = aw_done_q;
        wdata_d = wdata_q;
        wstrb_d = wstrb_q;
        wlast_d = wlast_q;
        wvalid_d = wvalid_q;
        w_done_d = w_done_q;

        if (take) begin
            busy_d = 1'b1;
            rec_d = data_i[grant_idx*128 +: 128];
            awaddr_d = addr_i[grant_idx*ADDR_WIDTH +: ADDR_WIDTH];
            awvalid_d = 1'b1;
            aw_done_d = 1'b0;
            w_done_d = 1'b0;
            beat_d = 4'd0;
        end else if (busy_q) begin
            if (awvalid_q && awready_i) begin
                awvalid_d = 1'b0;
                aw_done_d = 1'b1;
            end
            if (wvalid_q && wready_i) begin
                wvalid_d = 1'b0;
                if (wlast_q) begin
                    w_done_d = 1'b1;
                end
            end
            if (!w_done_d && !wvalid_d) begin
                {wstrb_d, wdata_d} = beat_of(rec_q, beat_q, awaddr_q);
                wlast_d = (beat_q == BEATS[3:0] - 4'd1);
                wvalid_d = 1'b1;
                beat_d = beat_q + 4'd1;
            end
            if (aw_done_d && w_done_d) begin
                busy_d = 1'b0;
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            busy_q <= 1'b0;
            rec_q <= 128'd0;
            beat_q <= 4'd0;
            awaddr_q <= {ADDR_WIDTH{1'b0}};
            awvalid_q <= 1'b0;
            aw_done_q <= 1'b0;
            wdata_q <= {DATA_WIDTH{1'b0}};
            wstrb_q <= {BYTES{1'b0}};
            wlast_q <= 1'b0;
            wvalid_q <= 1'b0;
            w_done_q <= 1'b0;
        end else begin
            busy_q <= busy_d;
            rec_q <= rec_d;
            beat_q <= beat_d;
            awaddr_q <= awaddr_d;
            awvalid_q <= awvalid_d;
            aw_done_q <= aw_done_d;
            wdata_q <= wdata_d;
            wstrb_q <= wstrb_d;
            wlast_q <= wlast_d;
            wvalid_q <= wvalid_d;
            w_done_q <= w_done_d;
        end
    end

    reg [NUM_CHANNELS-1:0] done_q;
    reg                    err_q;
    always @(posedge clk) begin
        if (!rst_n) begin
            done_q <= {NUM_CHANNELS{1'b0}};
            err_q <= 1'b0;
        end else begin
            done_q <= (bvalid_i && bq_valid) ? ({{(NUM_CHANNELS-1){1'b0}}, 1'b1} << bq_out) : {NUM_CHANNELS{1'b0}};
            err_q <= bresp_i != RESP_OKAY;
        end
    end

    assign ack_o = take ? grant : {NUM_CHANNELS{1'b0}};
    assign done_o = done_q;
    assign err_o = err_q;
    assign awaddr_o = awaddr_q;
    assign awlen_o = BEATS[7:0] - 8'd1;
    assign awvalid_o = awvalid_q;
    assign wdata_o = wdata_q;
    assign wstrb_o = wstrb_q;
    assign wlast_o = wlast_q;
    assign wvalid_o = wvalid_q;

endmodule

`resetall
