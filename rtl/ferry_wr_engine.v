// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_wr_engine: the mover's write side (AW, W and B channels).
//
// On start_i it walks beats_i beats from the beat-aligned addr_i. The AW side
// issues one INCR burst per cycle while fewer than MAX_OUTSTANDING bursts
// await their write response and the burst's data has arrived (avail_i, in
// destination beats), so an accepted write address never waits for reads. The W side walks the same burst sequence with
// its own ferry_burst_split, sends a burst's beats only after that burst's AW
// was issued, sets WLAST on each burst's last beat, and masks the first and
// last beat of the transfer with first_strb_i / last_strb_i (write strobes on
// partial beats). BREADY is always high. done_o rises only when every burst's
// write response has come back, so a completion raised on it means the data
// has landed. Any BRESP other than OKAY sets err_o, sticky until start_i.
//
// W is driven from an output register (one beat per cycle).
module ferry_wr_engine #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter ID_WIDTH = 4,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 8,
    parameter BEAT_WIDTH = 34
) (
    input  wire                    clk,
    input  wire                    rst_n,

    input  wire                    start_i,
    input  wire [ADDR_WIDTH-1:0]   addr_i,        // beat aligned
    input  wire [BEAT_WIDTH-1:0]   beats_i,       // >= 1
    input  wire [DATA_WIDTH/8-1:0] first_strb_i,
    input  wire [DATA_WIDTH/8-1:0] last_strb_i,
    input  wire [BEAT_WIDTH-1:0]   avail_i,       // beats of this transfer whose data has arrived
    output wire                    done_o,
    output wire                    err_o,

    input  wire [DATA_WIDTH-1:0]   in_data_i,
    input  wire                    in_valid_i,
    output wire                    in_ready_o,

    output wire [ID_WIDTH-1:0]     m_axi_awid,
    output wire [ADDR_WIDTH-1:0]   m_axi_awaddr,
    output wire [7:0]              m_axi_awlen,
    output wire                    m_axi_awvalid,
    input  wire                    m_axi_awready,
    output wire [DATA_WIDTH-1:0]   m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0] m_axi_wstrb,
    output wire                    m_axi_wlast,
    output wire                    m_axi_wvalid,
    input  wire                    m_axi_wready,
    input  wire [1:0]              m_axi_bresp,
    input  wire                    m_axi_bvalid,
    output wire                    m_axi_bready
);

    localparam BYTES = DATA_WIDTH / 8;
    localparam OFF_W = $clog2(BYTES);
    localparam OUT_W = $clog2(MAX_OUTSTANDING + 1);
    localparam [1:0] RESP_OKAY = 2'b00;

    // AW side
    reg [ADDR_WIDTH-1:0] aw_addr_q, aw_addr_d;      // next AW burst's address
    reg [BEAT_WIDTH-1:0] aw_left_q, aw_left_d;      // beats not yet covered by an AW
    reg [ADDR_WIDTH-1:0] awaddr_q, awaddr_d;
    reg [7:0]            awlen_q, awlen_d;
    reg                  awvalid_q, awvalid_d;
    reg [OUT_W-1:0]      b_wait_q, b_wait_d;        // AWs issued whose B has not come
    reg [OUT_W-1:0]      aw_ahead_q, aw_ahead_d;    // AWs issued whose W burst has not started
    reg [BEAT_WIDTH-1:0] aw_beats_q, aw_beats_d;    // beats covered by issued AWs
    // W side
    reg [ADDR_WIDTH-1:0] w_addr_q, w_addr_d;        // next W burst's address
    reg [BEAT_WIDTH-1:0] w_left_q, w_left_d;        // beats not yet sent
    reg [8:0]            w_burst_q, w_burst_d;      // beats left in the current W burst, 0 = none open
    reg                  w_first_q, w_first_d;      // next beat is the transfer's first
    reg [DATA_WIDTH-1:0] wdata_q, wdata_d;
    reg [BYTES-1:0]      wstrb_q, wstrb_d;
    reg                  wlast_q, wlast_d;
    reg                  wvalid_q, wvalid_d;
    reg [BYTES-1:0]      first_strb_q, first_strb_d;
    reg [BYTES-1:0]      last_strb_q, last_strb_d;
    reg                  err_q, err_d;

    wire [8:0] aw_len;
    wire [8:0] w_len;

    ferry_burst_split #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_split_aw (
        .addr_i(aw_addr_q),
        .beats_i(aw_left_q),
        .len_o(aw_len)
    );

    ferry_burst_split #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_split_w (
        .addr_i(w_addr_q),
        .beats_i(w_left_q),
        .len_o(w_len)
    );

    wire aw_hs = awvalid_q && m_axi_awready;
    wire b_hs  = m_axi_bvalid;   // BREADY is always high
    // An AW goes out only once every beat of its burst can be produced from
    // data already received, so a write burst never holds the bus (or an
    // interconnect slot) waiting for reads.
    wire [BEAT_WIDTH-1:0] aw_need = aw_beats_q + {{(BEAT_WIDTH-9){1'b0}}, aw_len};
    wire aw_issue = (aw_left_q != {BEAT_WIDTH{1'b0}}) && (!awvalid_q || m_axi_awready)
                    && (b_wait_q < MAX_OUTSTANDING[OUT_W-1:0]) && (aw_need <= avail_i);
    // A W burst may open once its AW has been issued (loaded into the AW register).
    wire w_open = (w_burst_q == 9'd0) && (aw_ahead_q != {OUT_W{1'b0}});
    wire w_slot = !wvalid_q || m_axi_wready;
    wire w_take = in_valid_i && w_slot && ((w_burst_q != 9'd0) || w_open);

    always @* begin
        aw_addr_d = aw_addr_q;
        aw_left_d = aw_left_q;
        awaddr_d = awaddr_q;
        awlen_d = awlen_q;
        awvalid_d = awvalid_q;
        b_wait_d = b_wait_q;
        aw_ahead_d = aw_ahead_q;
        aw_beats_d = aw_beats_q;
        w_addr_d = w_addr_q;
        w_left_d = w_left_q;
        w_burst_d = w_burst_q;
        w_first_d = w_first_q;
        wdata_d = wdata_q;
        wstrb_d = wstrb_q;
        wlast_d = wlast_q;
        wvalid_d = wvalid_q;
        first_strb_d = first_strb_q;
        last_strb_d = last_strb_q;
        err_d = err_q;

        // AW
        if (aw_hs) begin
            awvalid_d = 1'b0;
        end
        if (b_hs) begin
            b_wait_d = b_wait_d - 1'b1;
            if (m_axi_bresp != RESP_OKAY) begin
                err_d = 1'b1;
            end
        end
        if (start_i) begin
            aw_addr_d = addr_i;
            aw_left_d = beats_i;
            aw_beats_d = {BEAT_WIDTH{1'b0}};
            w_addr_d = addr_i;
            w_left_d = beats_i;
            w_first_d = 1'b1;
            first_strb_d = first_strb_i;
            last_strb_d = last_strb_i;
            err_d = 1'b0;
        end else if (aw_issue) begin
            awaddr_d = aw_addr_q;
            awlen_d = aw_len[7:0] - 8'd1;
            awvalid_d = 1'b1;
            aw_addr_d = aw_addr_q + ({{(ADDR_WIDTH-9){1'b0}}, aw_len} << OFF_W);
            aw_left_d = aw_left_q - {{(BEAT_WIDTH-9){1'b0}}, aw_len};
            aw_beats_d = aw_need;
            b_wait_d = b_wait_d + 1'b1;
            aw_ahead_d = aw_ahead_d + 1'b1;
        end

        // W
        if (wvalid_q && m_axi_wready) begin
            wvalid_d = 1'b0;
        end
        if (w_take) begin
            if (w_burst_q == 9'd0) begin
                // open the next burst
                aw_ahead_d = aw_ahead_d - 1'b1;
                w_burst_d = w_len - 9'd1;
                w_addr_d = w_addr_q + ({{(ADDR_WIDTH-9){1'b0}}, w_len} << OFF_W);
                wlast_d = (w_len == 9'd1);
            end else begin
                w_burst_d = w_burst_q - 9'd1;
                wlast_d = (w_burst_q == 9'd1);
            end
            wdata_d = in_data_i;
            wstrb_d = {BYTES{1'b1}};
            if (w_first_q) begin
                wstrb_d = wstrb_d & first_strb_q;
            end
            if (w_left_q == {{(BEAT_WIDTH-1){1'b0}}, 1'b1}) begin
                wstrb_d = wstrb_d & last_strb_q;
            end
            w_first_d = 1'b0;
            w_left_d = w_left_q - 1'b1;
            wvalid_d = 1'b1;
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            aw_addr_q <= {ADDR_WIDTH{1'b0}};
            aw_left_q <= {BEAT_WIDTH{1'b0}};
            awaddr_q <= {ADDR_WIDTH{1'b0}};
            awlen_q <= 8'd0;
            awvalid_q <= 1'b0;
            b_wait_q <= {OUT_W{1'b0}};
            aw_ahead_q <= {OUT_W{1'b0}};
            aw_beats_q <= {BEAT_WIDTH{1'b0}};
            w_addr_q <= {ADDR_WIDTH{1'b0}};
            w_left_q <= {BEAT_WIDTH{1'b0}};
            w_burst_q <= 9'd0;
            w_first_q <= 1'b0;
            wdata_q <= {DATA_WIDTH{1'b0}};
            wstrb_q <= {BYTES{1'b0}};
            wlast_q <= 1'b0;
            wvalid_q <= 1'b0;
            first_strb_q <= {BYTES{1'b0}};
            last_strb_q <= {BYTES{1'b0}};
            err_q <= 1'b0;
        end else begin
            aw_addr_q <= aw_addr_d;
            aw_left_q <= aw_left_d;
            awaddr_q <= awaddr_d;
            awlen_q <= awlen_d;
            awvalid_q <= awvalid_d;
            b_wait_q <= b_wait_d;
            aw_ahead_q <= aw_ahead_d;
            aw_beats_q <= aw_beats_d;
            w_addr_q <= w_addr_d;
            w_left_q <= w_left_d;
            w_burst_q <= w_burst_d;
            w_first_q <= w_first_d;
            wdata_q <= wdata_d;
            wstrb_q <= wstrb_d;
            wlast_q <= wlast_d;
            wvalid_q <= wvalid_d;
            first_strb_q <= first_strb_d;
            last_strb_q <= last_strb_d;
            err_q <= err_d;
        end
    end

    assign in_ready_o = w_slot && ((w_burst_q != 9'd0) || w_open);
    assign done_o = (aw_left_q == {BEAT_WIDTH{1'b0}}) && !awvalid_q && (b_wait_q == {OUT_W{1'b0}})
                    && (w_left_q == {BEAT_WIDTH{1'b0}}) && !wvalid_q;
    assign err_o = err_q;

    assign m_axi_awid = {ID_WIDTH{1'b0}};
    assign m_axi_awaddr = awaddr_q;
    assign m_axi_awlen = awlen_q;
    assign m_axi_awvalid = awvalid_q;
    assign m_axi_wdata = wdata_q;
    assign m_axi_wstrb = wstrb_q;
    assign m_axi_wlast = wlast_q;
    assign m_axi_wvalid = wvalid_q;
    assign m_axi_bready = 1'b1;

endmodule

`resetall
