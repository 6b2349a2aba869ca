// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_top: descriptor DMA engine for FPGA PCIe cards (top level).
//
//   s_axil (BAR0) --> ferry_axil_regs --> ferry_channel x NUM_CHANNELS --> irq[c]
//                                           |  direct mode, ring mode,
//                                           |  completions, coalescing
//                          ferry_desc_fetch <-+-> ferry_cpl_write   (shared)
//                                           |
//                                      ferry_mover x NUM_CHANNELS (bursts, realign)
//                                           |
//   m_axi <------------------------- ferry_axi_mux (ferry_arbiter: weighted
//                                     round robin per burst, IDs per port)
//
// Every channel offers direct mode (SRC, DST, LEN, doorbell) and descriptor
// ring mode (docs/descriptors.md), each with its own data mover; the movers
// and the shared control port (descriptor fetch, completion records) meet in
// ferry_axi_mux, which grants the bus one burst at a time, weighted round
// robin over the channels (WEIGHT registers), the control port first.
//
// Parameters (checked at elaboration: an illegal value fails with a module
// name that says which rule broke)
//   NUM_CHANNELS     DMA channels, 1..16                        (default 4)
//   DATA_WIDTH       m_axi data bits, 32, 64, 128, 256 or 512   (default 64)
//   ADDR_WIDTH       m_axi address bits, 32..64                 (default 64)
//   ID_WIDTH         m_axi ID bits, 16 at most and 2^ID_WIDTH >= NUM_CHANNELS + 1:
//                    channel c uses ID c, the control port (descriptor fetch and
//                    completion records) ID NUM_CHANNELS     (default 4)
//   MAX_BURST_LEN    longest burst in beats, 1..256             (default 64)
//   MAX_OUTSTANDING  per channel: read bursts in flight, and write bursts
//                    awaiting B, 1..32 (default 16; MAX_OUT lowers it at run time);
//                    also the cap on all channels' data bursts on m_axi together.
//                    The control port's bursts come on top: at most 8 descriptor
//                    fetch runs and 32 completion records in flight
//   FIFO_DEPTH       per channel: data FIFO in beats, power of two, 16..4096 and at least
//                    2 * MAX_BURST_LEN (default 1024): a write address waits for its
//                    whole burst of data, which can straddle two read bursts, and
//                    reads are only issued with room for a whole burst
//   AXIL_ADDR_WIDTH  s_axil address bits, 13..32 (BAR0 needs 8 KiB) (default 16)
//   NUM_WINDOWS      per channel: address windows (DMA firewall), 0..4 (default 4;
//                    0 removes the window comparators)
//   DQ_DEPTH         per channel: descriptors fetched ahead, power of two, 4..32
//                    (default 16: 256 B descriptors at full rate with 400 cycles
//                    of read latency; 32 for 64 B descriptors there, at twice the
//                    queue's RAM)
//   H2C_MASK         bit c: channel c is host-to-card (memory -> m_axis lane c)
//   C2H_MASK         bit c: channel c is card-to-host (s_axis lane c -> memory);
//                    disjoint from H2C_MASK, no bit at or above NUM_CHANNELS
//                    (default 0 and 0: every channel copies memory to memory)
//
// Throughput: one data beat per cycle in each direction once the FIFO has
// filled; at a memory latency of L cycles, full rate needs
// MAX_OUTSTANDING * MAX_BURST_LEN > L and FIFO_DEPTH >= that many beats.
// Registered boundary: m_axi, s_axil and stream inputs feed only registers
// (no combinational path from an input to an output or to the engine;
// `make lint` checks it on the netlist, sim/boundary_cones.sh); R and B
// take one register stage (ferry_axi_mux), an AXI-Lite read answers two
// cycles after its AR (ferry_axil_regs), and each stream lane passes a
// ferry_skid (ferry_axis_tx on m_axis, ferry_s2mm on s_axis).
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
    parameter AXIL_ADDR_WIDTH = 16,
    parameter NUM_WINDOWS = 4,
    parameter DQ_DEPTH = 16,
    parameter H2C_MASK = 0,   // bits [15:0] used (untyped so -GH2C_MASK=2 fits)
    parameter C2H_MASK = 0
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

    // AXI-Stream: one lane per channel (lane c at [c*W +: W]); host-to-card
    // channels drive m_axis, card-to-host channels take s_axis; the lanes of
    // other channels drive 0 (s_axis_tready 0) and ignore their inputs.
    output wire [NUM_CHANNELS*DATA_WIDTH-1:0]   m_axis_tdata,
    output wire [NUM_CHANNELS*DATA_WIDTH/8-1:0] m_axis_tkeep,
    output wire [NUM_CHANNELS-1:0]              m_axis_tlast,
    output wire [NUM_CHANNELS*8-1:0]            m_axis_tuser,
    output wire [NUM_CHANNELS*8-1:0]            m_axis_tid,
    output wire [NUM_CHANNELS-1:0]              m_axis_tvalid,
    input  wire [NUM_CHANNELS-1:0]              m_axis_tready,
    input  wire [NUM_CHANNELS*DATA_WIDTH-1:0]   s_axis_tdata,
    input  wire [NUM_CHANNELS*DATA_WIDTH/8-1:0] s_axis_tkeep,
    input  wire [NUM_CHANNELS-1:0]              s_axis_tlast,
    input  wire [NUM_CHANNELS*8-1:0]            s_axis_tuser,
    input  wire [NUM_CHANNELS*8-1:0]            s_axis_tid,
    input  wire [NUM_CHANNELS-1:0]              s_axis_tvalid,
    output wire [NUM_CHANNELS-1:0]              s_axis_tready,

    output wire [NUM_CHANNELS-1:0]      irq
);

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
        if (ID_WIDTH > 16 || (1 << ID_WIDTH) < NUM_CHANNELS + 1) begin : g_bad_id
            ferry_top_ID_WIDTH_must_be_at_most_16_and_give_an_ID_to_each_channel_plus_one u_bad();
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
        if (DQ_DEPTH < 4 || DQ_DEPTH > 32 || (1 << $clog2(DQ_DEPTH)) != DQ_DEPTH) begin : g_bad_dq
            ferry_top_DQ_DEPTH_must_be_a_power_of_two_4_to_32 u_bad();
        end
        if ((H2C_MASK & C2H_MASK) != 0) begin : g_bad_mask
            ferry_top_H2C_MASK_and_C2H_MASK_must_be_disjoint u_bad();
        end
        if (H2C_MASK < 0 || C2H_MASK < 0 || ((H2C_MASK | C2H_MASK) >> NUM_CHANNELS) != 0) begin : g_bad_mask_ch
            ferry_top_H2C_MASK_and_C2H_MASK_must_name_existing_channels u_bad();
        end
    endgenerate

    // ---- register block ----
    wire [NUM_CHANNELS*64-1:0]  ch_src, ch_dst, ch_ring_base, ch_cpl_base;
    wire [NUM_CHANNELS*32-1:0]  ch_len, ch_irq_timer, ch_status, ch_ring_ctrl;
    wire [NUM_CHANNELS*3-1:0]   ch_irq_en;
    wire [NUM_CHANNELS-1:0]     ch_start, ch_ring_ctrl_wr, ch_prod_wr;
    wire [NUM_CHANNELS*4-1:0]   ch_clear;
    wire [31:0]                 wr_data;
    wire [NUM_CHANNELS*16-1:0]  ch_irq_count, ch_prod, ch_cons;
    wire [NUM_CHANNELS*8-1:0]   ch_weight;
    wire [NUM_CHANNELS*6-1:0]   ch_max_out;
    wire [NUM_CHANNELS*384-1:0] ch_cnt;
    localparam WINS = (NUM_WINDOWS == 0) ? 1 : NUM_WINDOWS;
    wire [NUM_CHANNELS*4-1:0]   ch_ctl;
    wire [NUM_CHANNELS-1:0]     ch_cfg_busy, ch_win_en, ch_rst, ch_rst_pend;
    wire [NUM_CHANNELS*32-1:0]  ch_wdog, ch_err_bytes;
    wire [NUM_CHANNELS*WINS*64-1:0] ch_win_base, ch_win_limit;
    wire [NUM_CHANNELS*64-1:0]  ch_err_addr;
    wire [NUM_CHANNELS*16-1:0]  ch_err_desc;
    wire [NUM_CHANNELS*32-1:0]  ch_max_pkt, ch_packets;
    wire [NUM_CHANNELS-1:0]     ch_starved, ch_in_pkt;
    wire [NUM_CHANNELS*64-1:0]  ch_starve_cnt;

    ferry_axil_regs #(
        .NUM_CHANNELS(NUM_CHANNELS),
        .DATA_WIDTH(DATA_WIDTH),
        .ADDR_WIDTH(ADDR_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH),
        .NUM_WINDOWS(NUM_WINDOWS),
        .H2C_MASK(H2C_MASK[15:0]),
        .C2H_MASK(C2H_MASK[15:0])
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
        .ch_ring_base_o(ch_ring_base),
        .ch_cpl_base_o(ch_cpl_base),
        .ch_ring_ctrl_wr_o(ch_ring_ctrl_wr),
        .ch_prod_wr_o(ch_prod_wr),
        .wr_data_o(wr_data),
        .ch_irq_count_o(ch_irq_count),
        .ch_irq_timer_o(ch_irq_timer),
        .ch_weight_o(ch_weight),
        .ch_max_out_o(ch_max_out),
        .ch_ctl_o(ch_ctl),
        .ch_cfg_busy_o(ch_cfg_busy),
        .ch_wdog_o(ch_wdog),
        .ch_win_en_o(ch_win_en),
        .ch_win_base_o(ch_win_base),
        .ch_win_limit_o(ch_win_limit),
        .ch_rst_i(ch_rst),
        .ch_rst_pend_i(ch_rst_pend),
        .ch_err_addr_i(ch_err_addr),
        .ch_err_desc_i(ch_err_desc),
        .ch_err_bytes_i(ch_err_bytes),
        .ch_status_i(ch_status),
        .ch_ring_ctrl_i(ch_ring_ctrl),
        .ch_prod_i(ch_prod),
        .ch_cons_i(ch_cons),
        .ch_cnt_i(ch_cnt),
        .ch_max_pkt_o(ch_max_pkt),
        .ch_starved_i(ch_starved),
        .ch_in_pkt_i(ch_in_pkt),
        .ch_starve_cnt_i(ch_starve_cnt),
        .ch_packets_i(ch_packets),
        .irq_i(irq)
    );

    // ---- the AXI ports: one per channel (its mover) and the control port
    //      (descriptor fetch and completion records), joined by ferry_axi_mux ----
    localparam P = NUM_CHANNELS + 1;
    localparam BYTES = DATA_WIDTH / 8;
    wire [P*ADDR_WIDTH-1:0] p_araddr, p_awaddr;
    wire [P*8-1:0]          p_arlen, p_awlen;
    wire [P*2-1:0]          p_arburst, p_awburst, p_rresp, p_bresp;
    wire [P-1:0]            p_arvalid, p_arready, p_rlast, p_rvalid, p_rready;
    wire [P-1:0]            p_awvalid, p_awready, p_wlast, p_wvalid, p_wready, p_bvalid;
    wire [P*DATA_WIDTH-1:0] p_rdata, p_wdata;
    wire [P*BYTES-1:0]      p_wstrb;

    // descriptor fetch and completion write requests of every channel
    wire [NUM_CHANNELS-1:0]            f_req, f_ack, d_valid, c_req, c_ack, c_done;
    wire [NUM_CHANNELS*ADDR_WIDTH-1:0] f_addr, c_addr;
    wire [NUM_CHANNELS*3-1:0]          f_cnt;
    wire [NUM_CHANNELS*128-1:0]        c_data;
    wire [63:0]                        d_data;
    wire                               d_err, c_err;

    genvar g;
    generate
        for (g = 0; g < NUM_CHANNELS; g = g + 1) begin : g_ch
            wire                  mv_valid, mv_ready, mv_sfix, mv_dfix, mv_done, mv_idle, mv_stall;
            wire [ADDR_WIDTH-1:0] mv_src, mv_dst;
            wire [31:0]           mv_len, mv_rd_bytes;
            wire [16:0]           mv_tag, mv_done_tag, mv_rf_tag, mv_b_tag;
            wire                  mv_abort, mv_rst_n, mv_quiet, mv_rf, mv_b_evt, mv_b_ok, mv_b_rerr;
            wire [ADDR_WIDTH-1:0] mv_rf_addr, mv_b_addr;
            wire [15:0]           mv_b_bytes;
            // the mover's write side: to the bus (ferry_axi_mux), or to the
            // stream adapter on a host-to-card channel
            wire [ADDR_WIDTH-1:0] w_awaddr;
            wire [7:0]            w_awlen;
            wire [1:0]            w_awburst, w_bresp;
            wire                  w_awvalid, w_awready, w_wlast, w_wvalid, w_wready, w_bvalid;
            wire [DATA_WIDTH-1:0] w_wdata;
            wire [BYTES-1:0]      w_wstrb;
            wire                  mv_c_valid, mv_c_ready, mv_eop;
            wire [15:0]           mv_sb;
            wire [17:0]           mv_done_sb;
            wire                  mv_pkt, mv_posted;
            wire                  mv_progress = (p_arvalid[g] && p_arready[g]) || (p_rvalid[g] && p_rready[g])
                                  || (w_awvalid && w_awready) || (w_wvalid && w_wready) || w_bvalid;
            wire [7:0]            mv_err;
            wire [$clog2(BYTES):0] mv_wr_bytes;
            wire                  waiting = (p_arvalid[g] && !p_arready[g]) || (w_awvalid && !w_awready);
            localparam KIND = C2H_MASK[g] ? 2 : (H2C_MASK[g] ? 1 : 0);

            ferry_channel #(
                .ADDR_WIDTH(ADDR_WIDTH),
                .DATA_WIDTH(DATA_WIDTH),
                .NUM_WINDOWS(NUM_WINDOWS),
                .DQ_DEPTH(DQ_DEPTH),
                .KIND(KIND)
            ) u_ch (
                .clk(clk),
                .rst_n(rst_n),
                .start_i(ch_start[g]),
                .src_i(ch_src[g*64 +: 64]),
                .dst_i(ch_dst[g*64 +: 64]),
                .len_i(ch_len[g*32 +: 32]),
                .clear_i(ch_clear[g*4 +: 4]),
                .irq_en_i(ch_irq_en[g*3 +: 3]),
                .ring_base_i(ch_ring_base[g*64 +: 64]),
                .cpl_base_i(ch_cpl_base[g*64 +: 64]),
                .ring_ctrl_wr_i(ch_ring_ctrl_wr[g]),
                .ring_ctrl_i(wr_data),
                .prod_wr_i(ch_prod_wr[g]),
                .prod_i(wr_data[15:0]),
                .irq_count_i(ch_irq_count[g*16 +: 16]),
                .irq_timer_i(ch_irq_timer[g*32 +: 32]),
                .abort_i(ch_ctl[g*4]),
                .resume_i(ch_ctl[g*4+1]),
                .skip_i(ch_ctl[g*4+2]),
                .reset_i(ch_ctl[g*4+3]),
                .cfg_busy_i(ch_cfg_busy[g]),
                .wdog_i(ch_wdog[g*32 +: 32]),
                .win_en_i(ch_win_en[g]),
                .win_base_i(ch_win_base[g*WINS*64 +: WINS*64]),
                .win_limit_i(ch_win_limit[g*WINS*64 +: WINS*64]),
                .ch_rst_o(ch_rst[g]),
                .rst_pend_o(ch_rst_pend[g]),
                .err_addr_o(ch_err_addr[g*64 +: 64]),
                .err_desc_o(ch_err_desc[g*16 +: 16]),
                .err_bytes_o(ch_err_bytes[g*32 +: 32]),
                .status_o(ch_status[g*32 +: 32]),
                .ring_ctrl_o(ch_ring_ctrl[g*32 +: 32]),
                .prod_o(ch_prod[g*16 +: 16]),
                .cons_o(ch_cons[g*16 +: 16]),
                .irq_o(irq[g]),
                .cnt_bytes_rd_o(ch_cnt[g*384 +: 64]),
                .cnt_bytes_wr_o(ch_cnt[g*384+64 +: 64]),
                .cnt_desc_o(ch_cnt[g*384+128 +: 32]),
                .cnt_err_o(ch_cnt[g*384+160 +: 32]),
                .cnt_busy_o(ch_cnt[g*384+192 +: 64]),
                .cnt_wait_o(ch_cnt[g*384+256 +: 64]),
                .cnt_stall_o(ch_cnt[g*384+320 +: 64]),
                .fetch_req_o(f_req[g]),
                .fetch_addr_o(f_addr[g*ADDR_WIDTH +: ADDR_WIDTH]),
                .fetch_cnt_o(f_cnt[g*3 +: 3]),
                .fetch_ack_i(f_ack[g]),
                .desc_valid_i(d_valid[g]),
                .desc_i(d_data),
                .desc_err_i(d_err),
                .cpl_req_o(c_req[g]),
                .cpl_addr_o(c_addr[g*ADDR_WIDTH +: ADDR_WIDTH]),
                .cpl_data_o(c_data[g*128 +: 128]),
                .cpl_ack_i(c_ack[g]),
                .cpl_done_i(c_done[g]),
                .cpl_err_i(c_err),
                .mv_valid_o(mv_valid),
                .mv_ready_i(mv_c_ready),
                .mv_src_o(mv_src),
                .mv_dst_o(mv_dst),
                .mv_len_o(mv_len),
                .mv_src_fixed_o(mv_sfix),
                .mv_dst_fixed_o(mv_dfix),
                .mv_tag_o(mv_tag),
                .mv_eop_o(mv_eop),
                .mv_sb_o(mv_sb),
                .mv_abort_o(mv_abort),
                .mv_rst_n_o(mv_rst_n),
                .mv_quiet_i(mv_quiet),
                .mv_rd_fault_i(mv_rf),
                .mv_rd_fault_addr_i(mv_rf_addr),
                .mv_rd_fault_tag_i(mv_rf_tag),
                .mv_b_evt_i(mv_b_evt),
                .mv_b_ok_i(mv_b_ok),
                .mv_b_resp_err_i(mv_b_rerr),
                .mv_b_bytes_i(mv_b_bytes),
                .mv_b_tag_i(mv_b_tag),
                .mv_b_addr_i(mv_b_addr),
                .mv_progress_i(mv_progress),
                .mv_done_i(mv_done),
                .mv_done_tag_i(mv_done_tag),
                .mv_done_err_i(mv_err),
                .mv_done_sb_i(mv_done_sb),
                .pkt_o(mv_pkt),
                .posted_o(mv_posted),
                .mv_idle_i(mv_idle),
                .mv_rd_bytes_i(mv_rd_bytes),
                .mv_wr_bytes_i({{(6-$clog2(BYTES)){1'b0}}, mv_wr_bytes}),
                .mv_stall_i(mv_stall),
                .wait_i(waiting)
            );

            if (KIND == 2) begin : g_c2h
                // ---- card-to-host: ferry_s2mm instead of the mover ----
                wire       s_wait, s_hasbuf, st_pkt, posted;
                reg [31:0] pkts_q;
                reg [63:0] starve_q;

                ferry_s2mm #(
                    .ADDR_WIDTH(ADDR_WIDTH),
                    .DATA_WIDTH(DATA_WIDTH),
                    .MAX_BURST_LEN(MAX_BURST_LEN),
                    .MAX_OUTSTANDING(MAX_OUTSTANDING),
                    .FIFO_DEPTH(FIFO_DEPTH),
                    .TAG_WIDTH(17)
                ) u_s2mm (
                    .clk(clk),
                    .rst_n(rst_n),
                    .flush_n(mv_rst_n),
                    .cmd_valid_i(mv_c_valid),
                    .cmd_ready_o(mv_ready),
                    .cmd_dst_i(mv_dst),
                    .cmd_len_i(mv_len),
                    .cmd_tag_i(mv_tag),
                    .max_out_i(ch_max_out[g*6 +: 6]),
                    .max_pkt_i(ch_max_pkt[g*32 +: 32]),
                    .abort_i(mv_abort),
                    .quiet_o(mv_quiet),
                    .idle_o(mv_idle),
                    .b_evt_o(mv_b_evt),
                    .b_ok_o(mv_b_ok),
                    .b_resp_err_o(mv_b_rerr),
                    .b_bytes_o(mv_b_bytes),
                    .b_tag_o(mv_b_tag),
                    .b_addr_o(mv_b_addr),
                    .done_o(mv_done),
                    .done_tag_o(mv_done_tag),
                    .done_err_o(mv_err),
                    .done_sb_o(mv_done_sb),
                    .rd_bytes_o(mv_rd_bytes),
                    .wr_bytes_o(mv_wr_bytes),
                    .stall_o(mv_stall),
                    .data_wait_o(s_wait),
                    .has_buf_o(s_hasbuf),
                    .in_pkt_o(ch_in_pkt[g]),
                    .s_axis_tdata(s_axis_tdata[g*DATA_WIDTH +: DATA_WIDTH]),
                    .s_axis_tkeep(s_axis_tkeep[g*BYTES +: BYTES]),
                    .s_axis_tlast(s_axis_tlast[g]),
                    .s_axis_tuser(s_axis_tuser[g*8 +: 8]),
                    .s_axis_tid(s_axis_tid[g*8 +: 8]),
                    .s_axis_tvalid(s_axis_tvalid[g]),
                    .s_axis_tready(s_axis_tready[g]),
                    .awaddr_o(w_awaddr),
                    .awlen_o(w_awlen),
                    .awvalid_o(w_awvalid),
                    .awready_i(w_awready),
                    .wdata_o(w_wdata),
                    .wstrb_o(w_wstrb),
                    .wlast_o(w_wlast),
                    .wvalid_o(w_wvalid),
                    .wready_i(w_wready),
                    .bresp_i(w_bresp),
                    .bvalid_i(w_bvalid)
                );
                assign posted = mv_posted;
                assign st_pkt = mv_pkt;
                assign w_awburst = BURST_INCR;
                assign mv_c_valid = mv_valid;
                assign mv_c_ready = mv_ready;
                // no reads
                assign mv_rf = 1'b0;
                assign mv_rf_addr = {ADDR_WIDTH{1'b0}};
                assign mv_rf_tag = 17'd0;
                assign p_araddr[g*ADDR_WIDTH +: ADDR_WIDTH] = {ADDR_WIDTH{1'b0}};
                assign p_arlen[g*8 +: 8] = 8'd0;
                assign p_arburst[g*2 +: 2] = 2'b00;
                assign p_arvalid[g] = 1'b0;
                assign p_rready[g] = 1'b0;
                assign ch_starved[g] = s_wait && !s_hasbuf && !posted;
                always @(posedge clk) begin
                    if (!rst_n || ch_rst[g]) begin
                        pkts_q <= 32'd0;
                        starve_q <= 64'd0;
                    end else begin
                        pkts_q <= pkts_q + {31'd0, st_pkt};
                        starve_q <= starve_q + {63'd0, ch_starved[g]};
                    end
                end
                assign ch_packets[g*32 +: 32] = pkts_q;
                assign ch_starve_cnt[g*64 +: 64] = starve_q;
                assign m_axis_tdata[g*DATA_WIDTH +: DATA_WIDTH] = {DATA_WIDTH{1'b0}};
                assign m_axis_tkeep[g*BYTES +: BYTES] = {BYTES{1'b0}};
                assign m_axis_tlast[g] = 1'b0;
                assign m_axis_tuser[g*8 +: 8] = 8'd0;
                assign m_axis_tid[g*8 +: 8] = 8'd0;
                assign m_axis_tvalid[g] = 1'b0;
                wire unused_c2h = &{1'b0, mv_src, mv_sfix, mv_dfix, mv_eop, mv_sb, p_arready[g],
                                    p_rdata[g*DATA_WIDTH +: DATA_WIDTH], p_rresp[g*2 +: 2], p_rlast[g], p_rvalid[g]};
            end else begin : g_mv
                assign mv_done_sb = 18'd0;
                ferry_mover #(
                    .ADDR_WIDTH(ADDR_WIDTH),
                    .DATA_WIDTH(DATA_WIDTH),
                    .MAX_BURST_LEN(MAX_BURST_LEN),
                    .MAX_OUTSTANDING(MAX_OUTSTANDING),
                    .FIFO_DEPTH(FIFO_DEPTH),
                    .TAG_WIDTH(17)
                ) u_mover (
                    .clk(clk),
                    .rst_n(mv_rst_n),
                    .cmd_valid_i(mv_c_valid),
                    .cmd_ready_o(mv_ready),
                    .cmd_src_i(mv_src),
                    .cmd_dst_i(mv_dst),
                    .cmd_len_i(mv_len),
                    .cmd_src_fixed_i(mv_sfix),
                    .cmd_dst_fixed_i(mv_dfix),
                    .cmd_tag_i(mv_tag),
                    .max_out_i(ch_max_out[g*6 +: 6]),
                    .abort_i(mv_abort),
                    .quiet_o(mv_quiet),
                    .rd_fault_o(mv_rf),
                    .rd_fault_addr_o(mv_rf_addr),
                    .rd_fault_tag_o(mv_rf_tag),
                    .b_evt_o(mv_b_evt),
                    .b_ok_o(mv_b_ok),
                    .b_resp_err_o(mv_b_rerr),
                    .b_bytes_o(mv_b_bytes),
                    .b_tag_o(mv_b_tag),
                    .b_addr_o(mv_b_addr),
                    .done_o(mv_done),
                    .done_tag_o(mv_done_tag),
                    .done_err_o(mv_err),
                    .idle_o(mv_idle),
                    .rd_bytes_o(mv_rd_bytes),
                    .wr_bytes_o(mv_wr_bytes),
                    .stall_o(mv_stall),
                    .araddr_o(p_araddr[g*ADDR_WIDTH +: ADDR_WIDTH]),
                    .arlen_o(p_arlen[g*8 +: 8]),
                    .arburst_o(p_arburst[g*2 +: 2]),
                    .arvalid_o(p_arvalid[g]),
                    .arready_i(p_arready[g]),
                    .rdata_i(p_rdata[g*DATA_WIDTH +: DATA_WIDTH]),
                    .rresp_i(p_rresp[g*2 +: 2]),
                    .rlast_i(p_rlast[g]),
                    .rvalid_i(p_rvalid[g]),
                    .rready_o(p_rready[g]),
                    .awaddr_o(w_awaddr),
                    .awlen_o(w_awlen),
                    .awburst_o(w_awburst),
                    .awvalid_o(w_awvalid),
                    .awready_i(w_awready),
                    .wdata_o(w_wdata),
                    .wstrb_o(w_wstrb),
                    .wlast_o(w_wlast),
                    .wvalid_o(w_wvalid),
                    .wready_i(w_wready),
                    .bresp_i(w_bresp),
                    .bvalid_i(w_bvalid)
                );
            end

            if (KIND == 1) begin : g_h2c
                // ---- host-to-card: the mover writes into the stream adapter ----
                wire       sb_ready, pkt;
                reg [31:0] pkts_q;

                ferry_axis_tx #(
                    .DATA_WIDTH(DATA_WIDTH)
                ) u_tx (
                    .clk(clk),
                    .rst_n(rst_n),
                    .flush_n(mv_rst_n),
                    .drop_i(mv_abort),
                    .cmd_valid_i(mv_c_valid && mv_c_ready),
                    .cmd_ready_o(sb_ready),
                    .cmd_eop_i(mv_eop),
                    .cmd_user_i(mv_sb[7:0]),
                    .cmd_id_i(mv_sb[15:8]),
                    .cmd_lane_i(mv_dst[SIZE_LOG2-1:0]),
                    .cmd_len_i(mv_len),
                    .awvalid_i(w_awvalid),
                    .awready_o(w_awready),
                    .wdata_i(w_wdata),
                    .wstrb_i(w_wstrb),
                    .wlast_i(w_wlast),
                    .wvalid_i(w_wvalid),
                    .wready_o(w_wready),
                    .bvalid_o(w_bvalid),
                    .m_axis_tdata(m_axis_tdata[g*DATA_WIDTH +: DATA_WIDTH]),
                    .m_axis_tkeep(m_axis_tkeep[g*BYTES +: BYTES]),
                    .m_axis_tlast(m_axis_tlast[g]),
                    .m_axis_tuser(m_axis_tuser[g*8 +: 8]),
                    .m_axis_tid(m_axis_tid[g*8 +: 8]),
                    .m_axis_tvalid(m_axis_tvalid[g]),
                    .m_axis_tready(m_axis_tready[g]),
                    .pkt_o(pkt),
                    .in_pkt_o(ch_in_pkt[g])
                );
                assign w_bresp = 2'b00;
                // the mover takes a command only with room for its side band
                assign mv_c_valid = mv_valid && sb_ready;
                assign mv_c_ready = mv_ready && sb_ready;

                always @(posedge clk) begin
                    if (!rst_n || ch_rst[g]) begin
                        pkts_q <= 32'd0;
                    end else if (pkt) begin
                        pkts_q <= pkts_q + 32'd1;
                    end
                end
                assign ch_packets[g*32 +: 32] = pkts_q;
                assign ch_starved[g] = 1'b0;
                assign ch_starve_cnt[g*64 +: 64] = 64'd0;
                assign s_axis_tready[g] = 1'b0;
                // the bus port carries the mover's reads only
                assign p_awaddr[g*ADDR_WIDTH +: ADDR_WIDTH] = {ADDR_WIDTH{1'b0}};
                assign p_awlen[g*8 +: 8] = 8'd0;
                assign p_awburst[g*2 +: 2] = 2'b00;
                assign p_awvalid[g] = 1'b0;
                assign p_wdata[g*DATA_WIDTH +: DATA_WIDTH] = {DATA_WIDTH{1'b0}};
                assign p_wstrb[g*BYTES +: BYTES] = {BYTES{1'b0}};
                assign p_wlast[g] = 1'b0;
                assign p_wvalid[g] = 1'b0;
                wire unused_h2c = &{1'b0, w_awaddr, w_awlen, w_awburst, p_awready[g], p_wready[g],
                                    p_bresp[g*2 +: 2], p_bvalid[g], mv_dst[ADDR_WIDTH-1:SIZE_LOG2], mv_pkt, mv_posted};
            end else begin : g_wbus
                // the mover's (or ferry_s2mm's) writes go to the bus
                assign p_awaddr[g*ADDR_WIDTH +: ADDR_WIDTH] = w_awaddr;
                assign p_awlen[g*8 +: 8] = w_awlen;
                assign p_awburst[g*2 +: 2] = w_awburst;
                assign p_awvalid[g] = w_awvalid;
                assign w_awready = p_awready[g];
                assign p_wdata[g*DATA_WIDTH +: DATA_WIDTH] = w_wdata;
                assign p_wstrb[g*BYTES +: BYTES] = w_wstrb;
                assign p_wlast[g] = w_wlast;
                assign p_wvalid[g] = w_wvalid;
                assign w_wready = p_wready[g];
                assign w_bresp = p_bresp[g*2 +: 2];
                assign w_bvalid = p_bvalid[g];
            end
            if (KIND == 0) begin : g_mem
                assign mv_c_valid = mv_valid;
                assign mv_c_ready = mv_ready;
                assign m_axis_tdata[g*DATA_WIDTH +: DATA_WIDTH] = {DATA_WIDTH{1'b0}};
                assign m_axis_tkeep[g*BYTES +: BYTES] = {BYTES{1'b0}};
                assign m_axis_tlast[g] = 1'b0;
                assign m_axis_tuser[g*8 +: 8] = 8'd0;
                assign m_axis_tid[g*8 +: 8] = 8'd0;
                assign m_axis_tvalid[g] = 1'b0;
                assign s_axis_tready[g] = 1'b0;
                assign ch_starved[g] = 1'b0;
                assign ch_in_pkt[g] = 1'b0;
                assign ch_starve_cnt[g*64 +: 64] = 64'd0;
                assign ch_packets[g*32 +: 32] = 32'd0;
                wire unused_mem = &{1'b0, mv_eop, mv_sb, mv_pkt, mv_posted};
            end

        end
    endgenerate

    // ---- control port: descriptor fetch (AR/R) and completion records (AW/W/B) ----
    localparam CP = NUM_CHANNELS;

    ferry_desc_fetch #(
        .NUM_CHANNELS(NUM_CHANNELS),
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH)
    ) u_fetch (
        .clk(clk),
        .rst_n(rst_n),
        .req_i(f_req),
        .addr_i(f_addr),
        .cnt_i(f_cnt),
        .ack_o(f_ack),
        .desc_valid_o(d_valid),
        .desc_o(d_data),
        .desc_err_o(d_err),
        .araddr_o(p_araddr[CP*ADDR_WIDTH +: ADDR_WIDTH]),
        .arlen_o(p_arlen[CP*8 +: 8]),
        .arvalid_o(p_arvalid[CP]),
        .arready_i(p_arready[CP]),
        .rdata_i(p_rdata[CP*DATA_WIDTH +: DATA_WIDTH]),
        .rresp_i(p_rresp[CP*2 +: 2]),
        .rvalid_i(p_rvalid[CP]),
        .rready_o(p_rready[CP])
    );
    assign p_arburst[CP*2 +: 2] = BURST_INCR;

    ferry_cpl_write #(
        .NUM_CHANNELS(NUM_CHANNELS),
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH)
    ) u_cpl (
        .clk(clk),
        .rst_n(rst_n),
        .req_i(c_req),
        .addr_i(c_addr),
        .data_i(c_data),
        .ack_o(c_ack),
        .done_o(c_done),
        .err_o(c_err),
        .awaddr_o(p_awaddr[CP*ADDR_WIDTH +: ADDR_WIDTH]),
        .awlen_o(p_awlen[CP*8 +: 8]),
        .awvalid_o(p_awvalid[CP]),
        .awready_i(p_awready[CP]),
        .wdata_o(p_wdata[CP*DATA_WIDTH +: DATA_WIDTH]),
        .wstrb_o(p_wstrb[CP*BYTES +: BYTES]),
        .wlast_o(p_wlast[CP]),
        .wvalid_o(p_wvalid[CP]),
        .wready_i(p_wready[CP]),
        .bresp_i(p_bresp[CP*2 +: 2]),
        .bvalid_i(p_bvalid[CP])
    );
    assign p_awburst[CP*2 +: 2] = BURST_INCR;

    // ---- the arbiter grants the bus per burst: weighted round robin over the
    //      channels, the control port first ----
    ferry_axi_mux #(
        .NUM_PORTS(P),
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .MAX_OUTSTANDING(MAX_OUTSTANDING)
    ) u_mux (
        .clk(clk),
        .rst_n(rst_n),
        .weight_i({8'd1, ch_weight}),
        .prio_i({1'b1, {NUM_CHANNELS{1'b0}}}),
        .p_araddr(p_araddr),
        .p_arlen(p_arlen),
        .p_arburst(p_arburst),
        .p_arvalid(p_arvalid),
        .p_arready(p_arready),
        .p_rdata(p_rdata),
        .p_rresp(p_rresp),
        .p_rlast(p_rlast),
        .p_rvalid(p_rvalid),
        .p_rready(p_rready),
        .p_awaddr(p_awaddr),
        .p_awlen(p_awlen),
        .p_awburst(p_awburst),
        .p_awvalid(p_awvalid),
        .p_awready(p_awready),
        .p_wdata(p_wdata),
        .p_wstrb(p_wstrb),
        .p_wlast(p_wlast),
        .p_wvalid(p_wvalid),
        .p_wready(p_wready),
        .p_bresp(p_bresp),
        .p_bvalid(p_bvalid),
        .m_axi_arid(m_axi_arid),
        .m_axi_araddr(m_axi_araddr),
        .m_axi_arlen(m_axi_arlen),
        .m_axi_arburst(m_axi_arburst),
        .m_axi_arvalid(m_axi_arvalid),
        .m_axi_arready(m_axi_arready),
        .m_axi_rid(m_axi_rid),
        .m_axi_rdata(m_axi_rdata),
        .m_axi_rresp(m_axi_rresp),
        .m_axi_rlast(m_axi_rlast),
        .m_axi_rvalid(m_axi_rvalid),
        .m_axi_rready(m_axi_rready),
        .m_axi_awid(m_axi_awid),
        .m_axi_awaddr(m_axi_awaddr),
        .m_axi_awlen(m_axi_awlen),
        .m_axi_awburst(m_axi_awburst),
        .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready),
        .m_axi_wdata(m_axi_wdata),
        .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast),
        .m_axi_wvalid(m_axi_wvalid),
        .m_axi_wready(m_axi_wready),
        .m_axi_bid(m_axi_bid),
        .m_axi_bresp(m_axi_bresp),
        .m_axi_bvalid(m_axi_bvalid),
        .m_axi_bready(m_axi_bready)
    );

    assign m_axi_awsize = AXSIZE;
    assign m_axi_awlock = 1'b0;
    assign m_axi_awcache = AWCACHE_NORMAL_NC;
    assign m_axi_awprot = PROT_NONSECURE_DATA;
    assign m_axi_arsize = AXSIZE;
    assign m_axi_arlock = 1'b0;
    assign m_axi_arcache = ARCACHE_NORMAL_NC_BUF;
    assign m_axi_arprot = PROT_NONSECURE_DATA;

    // Inputs ferry does not use: protection bits of BAR accesses.
    // The control port's reads are single runs whose beats it counts itself.
    wire unused = &{1'b0, s_axil_awprot, s_axil_arprot, p_rlast[NUM_CHANNELS],
                    m_axis_tready, s_axis_tdata, s_axis_tkeep, s_axis_tlast, s_axis_tuser, s_axis_tid,
                    s_axis_tvalid, ch_max_pkt};

endmodule

`resetall
