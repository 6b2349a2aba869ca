// SPDX-License-Identifier: Apache-2.0
`timescale 1ns / 1ps
`default_nettype none

// ferry_icarus_tb: a minimal Verilog-2005 test bench for Icarus Verilog, the
// reference point of the simulation speed figures (make icarus-speed).
//
// One direct-mode copy of LEN bytes (plusarg +len=N, default 1 MiB, a
// multiple of the bus width, at most 2 MiB) on channel 0 of ferry_top with
// its default parameters, through a behavioural AXI4 memory that never stalls
// and answers with no added latency (like the C test bench with QUIET=1):
//   - AXI-Lite writes set SRC, DST, LEN, IRQ_ENABLE.DONE and CTRL.START;
//   - the test waits for irq[0], then reads STATUS (DONE set, ERROR clear);
//   - it checks every destination word against the source pattern and the
//     word after the destination (must be untouched).
// It prints the cycles from the doorbell (CTRL write response) to irq[0]:
//   icarus: copy of N bytes: C cycles doorbell->irq, T cycles in all
// and PASS or FAIL (with the reason). tb/icarus/icarus_speed.sh times it.
//
// Memory map of the behavioural memory: two windows of 2 MiB, source at
// SRC_BASE and destination at DST_BASE; any other address is an error.
module ferry_icarus_tb;
`include "ferry_regs.vh"

    localparam integer DATA_WIDTH = 64;
    localparam integer NUM_CHANNELS = 4;
    localparam integer ADDR_WIDTH = 64;
    localparam integer ID_WIDTH = 4;
    localparam integer BYTES = DATA_WIDTH / 8;
    localparam integer SZ = $clog2(BYTES);
    localparam integer WIN_LOG2 = 21;                      // 2 MiB windows
    localparam integer WORDS = 2 * (1 << (WIN_LOG2 - SZ));
    localparam [63:0] SRC_BASE = 64'h0000_0000_1000_0000;
    localparam [63:0] DST_BASE = 64'h0000_0000_2000_0000;
    localparam integer QD = 128;                            // queue depth (>= 4 x 16 outstanding)
    localparam integer QW = 7;

    reg clk = 1'b0;
    reg rst_n = 1'b0;
    always #5 clk = ~clk;

    reg [63:0] cycle = 64'd0;
    always @(posedge clk) cycle <= cycle + 64'd1;

    // ---------------------------------------------------------------- DUT
    reg  [15:0]             s_axil_awaddr = 16'd0;
    reg                     s_axil_awvalid = 1'b0;
    wire                    s_axil_awready;
    reg  [31:0]             s_axil_wdata = 32'd0;
    reg                     s_axil_wvalid = 1'b0;
    wire                    s_axil_wready;
    wire [1:0]              s_axil_bresp;
    wire                    s_axil_bvalid;
    reg                     s_axil_bready = 1'b0;
    reg  [15:0]             s_axil_araddr = 16'd0;
    reg                     s_axil_arvalid = 1'b0;
    wire                    s_axil_arready;
    wire [31:0]             s_axil_rdata;
    wire [1:0]              s_axil_rresp;
    wire                    s_axil_rvalid;
    reg                     s_axil_rready = 1'b0;

    wire [ID_WIDTH-1:0]     m_axi_awid;
    wire [ADDR_WIDTH-1:0]   m_axi_awaddr;
    wire [7:0]              m_axi_awlen;
    wire [2:0]              m_axi_awsize;
    wire [1:0]              m_axi_awburst;
    wire                    m_axi_awlock;
    wire [3:0]              m_axi_awcache;
    wire [2:0]              m_axi_awprot;
    wire                    m_axi_awvalid;
    wire                    m_axi_awready;
    wire [DATA_WIDTH-1:0]   m_axi_wdata;
    wire [BYTES-1:0]        m_axi_wstrb;
    wire                    m_axi_wlast;
    wire                    m_axi_wvalid;
    wire                    m_axi_wready;
    wire [ID_WIDTH-1:0]     m_axi_bid;
    wire [1:0]              m_axi_bresp;
    wire                    m_axi_bvalid;
    wire                    m_axi_bready;
    wire [ID_WIDTH-1:0]     m_axi_arid;
    wire [ADDR_WIDTH-1:0]   m_axi_araddr;
    wire [7:0]              m_axi_arlen;
    wire [2:0]              m_axi_arsize;
    wire [1:0]              m_axi_arburst;
    wire                    m_axi_arlock;
    wire [3:0]              m_axi_arcache;
    wire [2:0]              m_axi_arprot;
    wire                    m_axi_arvalid;
    wire                    m_axi_arready;
    wire [ID_WIDTH-1:0]     m_axi_rid;
    wire [DATA_WIDTH-1:0]   m_axi_rdata;
    wire [1:0]              m_axi_rresp;
    wire                    m_axi_rlast;
    wire                    m_axi_rvalid;
    wire                    m_axi_rready;
    wire [NUM_CHANNELS-1:0] irq;

    ferry_top #(
        .NUM_CHANNELS(NUM_CHANNELS), .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH),
        .ID_WIDTH(ID_WIDTH), .MAX_BURST_LEN(64), .MAX_OUTSTANDING(16), .FIFO_DEPTH(1024)
    ) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axil_awaddr(s_axil_awaddr), .s_axil_awprot(3'd0), .s_axil_awvalid(s_axil_awvalid),
        .s_axil_awready(s_axil_awready), .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(4'hF),
        .s_axil_wvalid(s_axil_wvalid), .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp),
        .s_axil_bvalid(s_axil_bvalid), .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr),
        .s_axil_arprot(3'd0), .s_axil_arvalid(s_axil_arvalid), .s_axil_arready(s_axil_arready),
        .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp), .s_axil_rvalid(s_axil_rvalid),
        .s_axil_rready(s_axil_rready),
        .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
        .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
        .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
        .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid),
        .m_axi_bready(m_axi_bready), .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr),
        .m_axi_arlen(m_axi_arlen), .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst),
        .m_axi_arlock(m_axi_arlock), .m_axi_arcache(m_axi_arcache), .m_axi_arprot(m_axi_arprot),
        .m_axi_arvalid(m_axi_arvalid), .m_axi_arready(m_axi_arready), .m_axi_rid(m_axi_rid),
        .m_axi_rdata(m_axi_rdata), .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast),
        .m_axi_rvalid(m_axi_rvalid), .m_axi_rready(m_axi_rready),
        // stream lanes: no stream channels in this build (inputs tied to 0)
        /* verilator lint_off PINCONNECTEMPTY */
        .m_axis_tdata(), .m_axis_tkeep(), .m_axis_tlast(), .m_axis_tuser(), .m_axis_tid(),
        .m_axis_tvalid(), .m_axis_tready({NUM_CHANNELS{1'b0}}),
        .s_axis_tdata({(NUM_CHANNELS*DATA_WIDTH){1'b0}}), .s_axis_tkeep({(NUM_CHANNELS*DATA_WIDTH/8){1'b0}}),
        .s_axis_tlast({NUM_CHANNELS{1'b0}}), .s_axis_tuser({(NUM_CHANNELS*8){1'b0}}),
        .s_axis_tid({(NUM_CHANNELS*8){1'b0}}), .s_axis_tvalid({NUM_CHANNELS{1'b0}}), .s_axis_tready(),
        /* verilator lint_on PINCONNECTEMPTY */
        .irq(irq)
    );

    // ---------------------------------------------------------------- behavioural AXI4 memory
    reg [DATA_WIDTH-1:0] mem [0:WORDS-1];
    integer errors = 0;

    // Word index of a bus address; -1 outside both windows.
    function integer word_of;
        input [63:0] a;
        begin
            if ((a & ~64'h1F_FFFF) == SRC_BASE) begin
                word_of = a[WIN_LOG2-1:SZ];
            end else if ((a & ~64'h1F_FFFF) == DST_BASE) begin
                word_of = (1 << (WIN_LOG2 - SZ)) + a[WIN_LOG2-1:SZ];
            end else begin
                word_of = -1;
            end
        end
    endfunction

    // Read address queue and the burst being answered (head).
    reg [63:0]         arq_addr [0:QD-1];
    reg [7:0]          arq_len  [0:QD-1];
    reg [ID_WIDTH-1:0] arq_id   [0:QD-1];
    reg [QW:0]         arq_wr = 0, arq_rd = 0;
    reg [7:0]          r_beat = 8'd0;
    wire               arq_empty = arq_wr == arq_rd;
    wire               arq_full = (arq_wr - arq_rd) == QD;
    wire [63:0]        r_addr = arq_addr[arq_rd[QW-1:0]] + {r_beat, {SZ{1'b0}}};
    integer            r_word;
    always @* r_word = word_of(r_addr);

    assign m_axi_arready = !arq_full;
    assign m_axi_rvalid = !arq_empty;
    assign m_axi_rid = arq_id[arq_rd[QW-1:0]];
    assign m_axi_rdata = r_word >= 0 ? mem[r_word] : {DATA_WIDTH{1'b0}};
    assign m_axi_rresp = 2'b00;
    assign m_axi_rlast = r_beat == arq_len[arq_rd[QW-1:0]];

    always @(posedge clk) begin
        if (rst_n && m_axi_arvalid && m_axi_arready) begin
            if (m_axi_arburst != 2'b01 || m_axi_arsize != SZ) begin
                $display("icarus: FAIL: AR at 0x%h: burst %0d size %0d (want INCR, %0d)",
                         m_axi_araddr, m_axi_arburst, m_axi_arsize, SZ);
                errors = errors + 1;
            end
            arq_addr[arq_wr[QW-1:0]] <= m_axi_araddr;
            arq_len[arq_wr[QW-1:0]] <= m_axi_arlen;
            arq_id[arq_wr[QW-1:0]] <= m_axi_arid;
            arq_wr <= arq_wr + 1'b1;
        end
        if (rst_n && m_axi_rvalid && m_axi_rready) begin
            if (r_word < 0) begin
                $display("icarus: FAIL: read outside the memory at 0x%h", r_addr);
                errors = errors + 1;
            end
            if (m_axi_rlast) begin
                r_beat <= 8'd0;
                arq_rd <= arq_rd + 1'b1;
            end else begin
                r_beat <= r_beat + 8'd1;
            end
        end
    end

    // Write address queue, the burst being written (head) and the B queue.
    reg [63:0]         awq_addr [0:QD-1];
    reg [7:0]          awq_len  [0:QD-1];
    reg [ID_WIDTH-1:0] awq_id   [0:QD-1];
    reg [QW:0]         awq_wr = 0, awq_rd = 0;
    reg [7:0]          w_beat = 8'd0;
    reg [ID_WIDTH-1:0] bq_id [0:QD-1];
    reg [QW:0]         bq_wr = 0, bq_rd = 0;
    wire               awq_empty = awq_wr == awq_rd;
    wire               awq_full = (awq_wr - awq_rd) == QD;
    wire               bq_empty = bq_wr == bq_rd;
    wire [63:0]        w_addr = awq_addr[awq_rd[QW-1:0]] + {w_beat, {SZ{1'b0}}};
    integer            w_word;
    integer            i;
    always @* w_word = word_of(w_addr);

    assign m_axi_awready = !awq_full;
    assign m_axi_wready = !awq_empty;     // W waits for its address (legal for a slave)
    assign m_axi_bvalid = !bq_empty;
    assign m_axi_bid = bq_id[bq_rd[QW-1:0]];
    assign m_axi_bresp = 2'b00;

    always @(posedge clk) begin
        if (rst_n && m_axi_awvalid && m_axi_awready) begin
            if (m_axi_awburst != 2'b01 || m_axi_awsize != SZ) begin
                $display("icarus: FAIL: AW at 0x%h: burst %0d size %0d (want INCR, %0d)",
                         m_axi_awaddr, m_axi_awburst, m_axi_awsize, SZ);
                errors = errors + 1;
            end
            awq_addr[awq_wr[QW-1:0]] <= m_axi_awaddr;
            awq_len[awq_wr[QW-1:0]] <= m_axi_awlen;
            awq_id[awq_wr[QW-1:0]] <= m_axi_awid;
            awq_wr <= awq_wr + 1'b1;
        end
        if (rst_n && m_axi_wvalid && m_axi_wready) begin
            if (w_word < 0) begin
                $display("icarus: FAIL: write outside the memory at 0x%h", w_addr);
                errors = errors + 1;
            end else begin
                for (i = 0; i < BYTES; i = i + 1) begin
                    if (m_axi_wstrb[i]) begin
                        mem[w_word][i*8 +: 8] <= m_axi_wdata[i*8 +: 8];
                    end
                end
            end
            if (m_axi_wlast != (w_beat == awq_len[awq_rd[QW-1:0]])) begin
                $display("icarus: FAIL: WLAST %0d at beat %0d of a %0d-beat burst",
                         m_axi_wlast, w_beat, awq_len[awq_rd[QW-1:0]] + 1);
                errors = errors + 1;
            end
            if (w_beat == awq_len[awq_rd[QW-1:0]]) begin
                w_beat <= 8'd0;
                awq_rd <= awq_rd + 1'b1;
                bq_id[bq_wr[QW-1:0]] <= awq_id[awq_rd[QW-1:0]];
                bq_wr <= bq_wr + 1'b1;
            end else begin
                w_beat <= w_beat + 8'd1;
            end
        end
        if (rst_n && m_axi_bvalid && m_axi_bready) begin
            bq_rd <= bq_rd + 1'b1;
        end
    end

    // ---------------------------------------------------------------- AXI-Lite master
    localparam TB_NAME = "icarus";
    `include "axil_master.vh"

    // ---------------------------------------------------------------- the test
    function [DATA_WIDTH-1:0] pattern;
        input integer w;
        integer k;
        begin
            for (k = 0; k < BYTES; k = k + 1) begin
                pattern[k*8 +: 8] = (w * BYTES + k) * 7 + 3 + (w >> 8);
            end
        end
    endfunction

    integer len;
    integer nwords;
    integer w;
    integer bad;
    reg [31:0] status;
    reg [63:0] t_door, t_irq;
    localparam [15:0] CH0 = CH_BASE;

    initial begin
        if (!$value$plusargs("len=%d", len)) begin
            len = 1024 * 1024;
        end
        if (len <= 0 || len % BYTES != 0 || len >= (1 << WIN_LOG2)) begin
            $display("icarus: FAIL: +len=%0d: must be a positive multiple of %0d below %0d", len, BYTES,
                     1 << WIN_LOG2);
            $finish;
        end
        nwords = len / BYTES;
        for (w = 0; w < nwords; w = w + 1) begin
            mem[w] = pattern(w);
            mem[(1 << (WIN_LOG2 - SZ)) + w] = {DATA_WIDTH{1'b0}};
        end
        mem[(1 << (WIN_LOG2 - SZ)) + nwords] = {(DATA_WIDTH/8){8'hA5}};   // guard word

        repeat (8) @(posedge clk);
        #1 rst_n = 1'b1;
        repeat (4) @(posedge clk);

        axil_write(CH0 + CH_SRC_LO, SRC_BASE[31:0]);
        axil_write(CH0 + CH_SRC_HI, SRC_BASE[63:32]);
        axil_write(CH0 + CH_DST_LO, DST_BASE[31:0]);
        axil_write(CH0 + CH_DST_HI, DST_BASE[63:32]);
        axil_write(CH0 + CH_LEN, len);
        axil_write(CH0 + CH_IRQ_ENABLE, 32'd1 << FLD_IRQ_ENABLE_DONE_LSB);
        axil_write(CH0 + CH_CTRL, 32'd1 << FLD_CTRL_START_LSB);
        t_door = cycle;
        while (!irq[0] && cycle - t_door < 64'd100 * len + 64'd10000) begin
            @(posedge clk);
        end
        t_irq = cycle;
        if (!irq[0]) begin
            $display("icarus: FAIL: no interrupt within %0d cycles", t_irq - t_door);
            errors = errors + 1;
        end
        axil_read(CH0 + CH_STATUS, status);
        if (!status[FLD_STATUS_DONE_LSB] || status[FLD_STATUS_ERROR_LSB]) begin
            $display("icarus: FAIL: STATUS 0x%h: want DONE without ERROR", status);
            errors = errors + 1;
        end
        bad = 0;
        for (w = 0; w < nwords; w = w + 1) begin
            if (mem[(1 << (WIN_LOG2 - SZ)) + w] !== pattern(w)) begin
                if (bad < 4) begin
                    $display("icarus: FAIL: destination word %0d is %h, want %h", w,
                             mem[(1 << (WIN_LOG2 - SZ)) + w], pattern(w));
                end
                bad = bad + 1;
            end
        end
        if (mem[(1 << (WIN_LOG2 - SZ)) + nwords] !== {(DATA_WIDTH/8){8'hA5}}) begin
            $display("icarus: FAIL: the word after the destination was overwritten");
            bad = bad + 1;
        end
        errors = errors + bad;
        $display("icarus: copy of %0d bytes: %0d cycles doorbell->irq, %0d cycles in all",
                 len, t_irq - t_door, cycle);
        if (errors == 0) begin
            $display("icarus: PASS");
        end else begin
            $display("icarus: FAIL (%0d errors)", errors);
        end
        $finish;
    end
endmodule

`default_nettype wire
