// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_top: DMA engine for FPGA PCIe cards (top level). Direct mode today;
// descriptor rings are the next step.
//
//   s_axil (BAR0) --> ferry_axil_regs --> ferry_channel x NUM_CHANNELS
//                                              | req / cmd
//                                         ferry_arbiter (round robin)
//                                              v
//   m_axi <-------------------------------- ferry_mover (bursts, realign)
//   irq[c] <-- channel c
//
// Each channel offers direct mode: SRC, DST, LEN, doorbell (CTRL.START),
// STATUS and IRQ_ENABLE, see docs/registers.md. Channels with a pending
// transfer share the mover; the arbiter grants it per transfer, round robin.
//
// Parameters (checked at elaboration: an illegal value fails with a module
// name that says which rule broke)
//   NUM_CHANNELS     DMA channels, 1..16                        (default 4)
//   DATA_WIDTH       m_axi data bits, 32, 64, 128, 256 or 512   (default 64)
//   ADDR_WIDTH       m_axi address bits, 32..64                 (default 64)
//   ID_WIDTH         m_axi ID bits, 1..16; ferry uses ID 0      (default 4)
//   MAX_BURST_LEN    longest burst in beats, 1..256             (default 64)
//   MAX_OUTSTANDING  read bursts in flight, and write bursts awaiting B, 1..32 (default 16)
//   FIFO_DEPTH       read data FIFO in beats, power of two, 16..4096 and at least
//                    2 * MAX_BURST_LEN (default 1024): a write address waits for its
//                    whole burst of data, which can straddle two read bursts, and
//                    reads are only issued with room for a whole burst
//   AXIL_ADDR_WIDTH  s_axil address bits, 13..32 (BAR0 needs 8 KiB) (default 16)
//
// Throughput: one data beat per cycle in each direction once the FIFO has
// filled; at a memory latency of L cycles, full rate needs
// MAX_OUTSTANDING * MAX_BURST_LEN > L and FIFO_DEPTH >= that many beats.
// Interrupts: irq[c] is a level, high while channel c has an enabled
// DONE/ERROR status bit set.
module ferry_top #(
    parameter NUM_CHANNELS = 4,
    parameter DATA_WIDTH = 64,
    parameter ADDR_WIDTH = 64,
    parameter ID_WIDTH = 4,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 16,
    parameter FIFO_DEPTH = 1024,
    parameter AXIL_ADDR_WIDTH = 16
) (
    input  wire                         clk,
    input  wire                         rst_n,

    // AXI4-Lite slave: BAR0
    input  wire [AXIL_ADDR_WIDTH-1:0]   s_axil_awaddr,
    input  wire [2:0]                   s_axil_awprot,
    input  wire                         s_axil_awvalid,
    output wire                         s_axil_awready,
    input  wire [31:0]                  s_axil_wdata,
    input  wire [3:0]                   s_axil_wstrb,
    input  wire                         s_axil_wvalid,
    output wire                         s_axil_wready,
    output wire [1:0]                   s_axil_bresp,
    output wire                         s_axil_bvalid,
    input  wire                         s_axil_bready,
    input  wire [AXIL_ADDR_WIDTH-1:0]   s_axil_araddr,
    input  wire [2:0]                   s_axil_arprot,
    input  wire                         s_axil_arvalid,
    output wire                         s_axil_arready,
    output wire [31:0]                  s_axil_rdata,
    output wire [1:0]                   s_axil_rresp,
    output wire                         s_axil_rvalid,
    input  wire                         s_axil_rready,

    // AXI4 master: host and card memory
    output wire [ID_WIDTH-1:0]          m_axi_awid,
    output wire [ADDR_WIDTH-1:0]        m_axi_awaddr,
    output wire [7:0]                   m_axi_awlen,
    output wire [2:0]                   m_axi_awsize,
    output wire [1:0]                   m_axi_awburst,
    output wire                         m_axi_awlock,
    output wire [3:0]                   m_axi_awcache,
    output wire [2:0]                   m_axi_awprot,
    output wire                         m_axi_awvalid,
    input  wire                         m_axi_awready,
    output wire [DATA_WIDTH-1:0]        m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]      m_axi_wstrb,
    output wire                         m_axi_wlast,
    output wire                         m_axi_wvalid,
    input  wire                         m_axi_wready,
    input  wire [ID_WIDTH-1:0]          m_axi_bid,
    input  wire [1:0]                   m_axi_bresp,
    input  wire                         m_axi_bvalid,
    output wire                         m_axi_bready,
    output wire [ID_WIDTH-1:0]          m_axi_arid,
    output wire [ADDR_WIDTH-1:0]        m_axi_araddr,
    output wire [7:0]                   m_axi_arlen,
    output wire [2:0]                   m_axi_arsize,
    output wire [1:0]                   m_axi_arburst,
    output wire                         m_axi_arlock,
    output wire [3:0]                   m_axi_arcache,
    output wire [2:0]                   m_axi_arprot,
    output wire                         m_axi_arvalid,
    input  wire                         m_axi_arready,
    input  wire [ID_WIDTH-1:0]          m_axi_rid,
    input  wire [DATA_WIDTH-1:0]        m_axi_rdata,
    input  wire [1:0]                   m_axi_rresp,
    input  wire                         m_axi_rlast,
    input  wire                         m_axi_rvalid,
    output wire                         m_axi_rready,

    output wire [NUM_CHANNELS-1:0]      irq
);

    localparam CH_IDX_W = (NUM_CHANNELS > 1) ? $clog2(NUM_CHANNELS) : 1;
    localparam integer SIZE_LOG2 = $clog2(DATA_WIDTH / 8);
    localparam [2:0] AXSIZE = SIZE_LOG2[2:0];
    localparam [1:0] BURST_INCR = 2'b01;
    // Reads may come from any buffer; writes are non-bufferable so that the
    // write response comes from the final destination (DONE means landed).
    localparam [3:0] ARCACHE_NORMAL_NC_BUF = 4'b0011;   // normal non-cacheable bufferable
    localparam [3:0] AWCACHE_NORMAL_NC = 4'b0010;       // normal non-cacheable non-bufferable
    localparam [2:0] PROT_NONSECURE_DATA = 3'b010;      // unprivileged, non-secure, data

    // ---- parameter checks ----
    generate
        if (NUM_CHANNELS < 1 || NUM_CHANNELS > 16) begin : g_bad_ch
            ferry_top_NUM_CHANNELS_must_be_1_to_16 u_bad();
        end
        if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128 && DATA_WIDTH != 256
            && DATA_WIDTH != 512) begin : g_bad_dw
            ferry_top_DATA_WIDTH_must_be_32_64_128_256_or_512 u_bad();
        end
        if (ADDR_WIDTH < 32 || ADDR_WIDTH > 64) begin : g_bad_aw
            ferry_top_ADDR_WIDTH_must_be_32_to_64 u_bad();
        end
        if (ID_WIDTH < 1 || ID_WIDTH > 16) begin : g_bad_id
            ferry_top_ID_WIDTH_must_be_1_to_16 u_bad();
        end
        if (MAX_BURST_LEN < 1 || MAX_BURST_LEN > 256) begin : g_bad_bl
            ferry_top_MAX_BURST_LEN_must_be_1_to_256 u_bad();
        end
        if (MAX_OUTSTANDING < 1 || MAX_OUTSTANDING > 32) begin : g_bad_os
            ferry_top_MAX_OUTSTANDING_must_be_1_to_32 u_bad();
        end
        if (FIFO_DEPTH < 16 || FIFO_DEPTH > 4096 || FIFO_DEPTH < 2 * MAX_BURST_LEN
            || (1 << $clog2(FIFO_DEPTH)) != FIFO_DEPTH) begin : g_bad_fd
            ferry_top_FIFO_DEPTH_must_be_a_power_of_two_16_to_4096_and_at_least_2x_MAX_BURST_LEN u_bad();
        end
    endgenerate

    // ---- register block ----
    wire [NUM_CHANNELS*64-1:0] ch_src, ch_dst;
    wire [NUM_CHANNELS*32-1:0] ch_len;
    wire [NUM_CHANNELS*2-1:0]  ch_irq_en;
    wire [NUM_CHANNELS-1:0]    ch_start;
    wire [NUM_CHANNELS*3-1:0]  ch_clear;
    wire [NUM_CHANNELS*32-1:0] ch_status;

    ferry_axil_regs #(
        .NUM_CHANNELS(NUM_CHANNELS),
        .DATA_WIDTH(DATA_WIDTH),
        .ADDR_WIDTH(ADDR_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH)
    ) u_regs (
        .clk(clk),
        .rst_n(rst_n),
        .s_axil_awaddr(s_axil_awaddr),
        .s_axil_awvalid(s_axil_awvalid),
        .s_axil_awready(s_axil_awready),
        .s_axil_wdata(s_axil_wdata),
        .s_axil_wstrb(s_axil_wstrb),
        .s_axil_wvalid(s_axil_wvalid),
        .s_axil_wready(s_axil_wready),
        .s_axil_bresp(s_axil_bresp),
        .s_axil_bvalid(s_axil_bvalid),
        .s_axil_bready(s_axil_bready),
        .s_axil_araddr(s_axil_araddr),
        .s_axil_arvalid(s_axil_arvalid),
        .s_axil_arready(s_axil_arready),
        .s_axil_rdata(s_axil_rdata),
        .s_axil_rresp(s_axil_rresp),
        .s_axil_rvalid(s_axil_rvalid),
        .s_axil_rready(s_axil_rready),
        .ch_src_o(ch_src),
        .ch_dst_o(ch_dst),
        .ch_len_o(ch_len),
        .ch_irq_en_o(ch_irq_en),
        .ch_start_o(ch_start),
        .ch_clear_o(ch_clear),
        .ch_status_i(ch_status),
        .irq_i(irq)
    );

    // ---- channels ----
    wire [NUM_CHANNELS-1:0]            req;
    wire [NUM_CHANNELS-1:0]            grant;
    wire [CH_IDX_W-1:0]                grant_idx;
    wire [NUM_CHANNELS*ADDR_WIDTH-1:0] cmd_src, cmd_dst;
    wire [NUM_CHANNELS*32-1:0]         cmd_len;
    wire                               mv_ready;
    wire                               mv_done;
    wire [CH_IDX_W-1:0]                mv_done_tag;
    wire [7:0]                         mv_done_err;

    genvar g;
    generate
        for (g = 0; g < NUM_CHANNELS; g = g + 1) begin : g_ch
            ferry_channel #(
                .ADDR_WIDTH(ADDR_WIDTH)
            ) u_ch (
                .clk(clk),
                .rst_n(rst_n),
                .start_i(ch_start[g]),
                .src_i(ch_src[g*64 +: 64]),
                .dst_i(ch_dst[g*64 +: 64]),
                .len_i(ch_len[g*32 +: 32]),
                .clear_i(ch_clear[g*3 +: 3]),
                .irq_en_i(ch_irq_en[g*2 +: 2]),
                .status_o(ch_status[g*32 +: 32]),
                .irq_o(irq[g]),
                .req_o(req[g]),
                .grant_i(grant[g]),
                .cmd_src_o(cmd_src[g*ADDR_WIDTH +: ADDR_WIDTH]),
                .cmd_dst_o(cmd_dst[g*ADDR_WIDTH +: ADDR_WIDTH]),
                .cmd_len_o(cmd_len[g*32 +: 32]),
                .done_i(mv_done && (mv_done_tag == g[CH_IDX_W-1:0])),
                .done_err_i(mv_done_err)
            );
        end
    endgenerate

    // ---- arbiter: which channel's transfer the mover takes next ----
    ferry_arbiter #(
        .N(NUM_CHANNELS)
    ) u_arb (
        .clk(clk),
        .rst_n(rst_n),
        .req_i(req),
        .ready_i(mv_ready),
        .grant_o(grant),
        .grant_idx_o(grant_idx)
    );

    // ---- data mover ----
    ferry_mover #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .FIFO_DEPTH(FIFO_DEPTH),
        .TAG_WIDTH(CH_IDX_W)
    ) u_mover (
        .clk(clk),
        .rst_n(rst_n),
        .cmd_valid_i(|grant),
        .cmd_ready_o(mv_ready),
        .cmd_src_i(cmd_src[grant_idx*ADDR_WIDTH +: ADDR_WIDTH]),
        .cmd_dst_i(cmd_dst[grant_idx*ADDR_WIDTH +: ADDR_WIDTH]),
        .cmd_len_i(cmd_len[grant_idx*32 +: 32]),
        .cmd_tag_i(grant_idx),
        .done_o(mv_done),
        .done_tag_o(mv_done_tag),
        .done_err_o(mv_done_err),
        .m_axi_awid(m_axi_awid),
        .m_axi_awaddr(m_axi_awaddr),
        .m_axi_awlen(m_axi_awlen),
        .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready),
        .m_axi_wdata(m_axi_wdata),
        .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast),
        .m_axi_wvalid(m_axi_wvalid),
        .m_axi_wready(m_axi_wready),
        .m_axi_bresp(m_axi_bresp),
        .m_axi_bvalid(m_axi_bvalid),
        .m_axi_bready(m_axi_bready),
        .m_axi_arid(m_axi_arid),
        .m_axi_araddr(m_axi_araddr),
        .m_axi_arlen(m_axi_arlen),
        .m_axi_arvalid(m_axi_arvalid),
        .m_axi_arready(m_axi_arready),
        .m_axi_rdata(m_axi_rdata),
        .m_axi_rresp(m_axi_rresp),
        .m_axi_rlast(m_axi_rlast),
        .m_axi_rvalid(m_axi_rvalid),
        .m_axi_rready(m_axi_rready)
    );

    assign m_axi_awsize = AXSIZE;
    assign m_axi_awburst = BURST_INCR;
    assign m_axi_awlock = 1'b0;
    assign m_axi_awcache = AWCACHE_NORMAL_NC;
    assign m_axi_awprot = PROT_NONSECURE_DATA;
    assign m_axi_arsize = AXSIZE;
    assign m_axi_arburst = BURST_INCR;
    assign m_axi_arlock = 1'b0;
    assign m_axi_arcache = ARCACHE_NORMAL_NC_BUF;
    assign m_axi_arprot = PROT_NONSECURE_DATA;

    // Inputs ferry does not use: protection bits of BAR accesses, response IDs
    // (all requests use ID 0, so responses come back in order).
    wire unused = &{1'b0, s_axil_awprot, s_axil_arprot, m_axi_bid, m_axi_rid};

endmodule

`resetall
