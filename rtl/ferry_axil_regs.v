// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_axil_regs: the card's BAR0, an AXI4-Lite slave over the register file.
//
// The register map (offsets, fields, reset values, error codes) is generated
// from rtl/regmap/ferry_regs.lua into ferry_regs.vh; docs/registers.md is the
// reference. This block decodes it:
//   - global registers: ID, IF_VERSION, CAP0, CAP1, SCRATCH, CYCLE_LO/HI,
//     IRQ_STATUS;
//   - per channel c at CH_BASE + c * CH_STRIDE: SRC, DST, LEN, IRQ_ENABLE,
//     ring and completion bases, coalescing, weight, burst limit, watchdog
//     and the address windows are stored here; CTRL bits become pulses
//     (doorbell, abort, resume, skip, reset), a STATUS write
//     write-1-to-clear pulses, RING_CTRL and RING_PROD writes are handed to
//     the channel (which checks them), and STATUS, RING_*, ERR_* and the
//     counters are read from the channel; CAP2 and STREAM.KIND come from the
//     H2C_MASK / C2H_MASK parameters, STATUS.STARVED, STREAM.STARVED /
//     IN_PACKET and the STARVE / PACKETS counters from the stream engines,
//     MAX_PKT is stored here.
//   - RING_BASE and CPL_BASE writes while the channel's ring is active are
//     ignored (the channel reports CFG_BUSY); WIN_CTRL.LOCK makes WIN_CTRL
//     and the windows answer writes with SLVERR until rst_n; windows at or
//     above NUM_WINDOWS read 0 and ignore writes.
//   - ch_rst_i[c] (the channel's CTRL.RESET, once drained) puts channel c's
//     registers back to their reset values, locked windows excepted. From
//     the CTRL.RESET write until that cycle (ch_rst_pend_i and the RESET
//     pulse) every write to the channel answers SLVERR and changes nothing
//     (the reset would wipe it: refused visibly instead of lost), except
//     STATUS and a CTRL write without START. Window and WIN_CTRL writes are
//     refused too, although locked windows outlive the reset.
// An access to an offset not in the map (or a channel the build does not
// have) answers SLVERR and reads FERRY_UNDEF_READ; a write to a read-only
// register answers SLVERR and changes nothing. Writes honour WSTRB per byte.
//
// Timing: AW, W and AR are taken into holding registers (AWREADY, WREADY,
// ARREADY are registered, high when the holder is empty); the write happens
// once both halves are held and no B waits, BVALID follows one cycle later;
// the read is decoded from the held address once no R waits, RVALID follows
// one cycle later (so two cycles after the AR handshake). One write and one
// read can be in progress at the same time. The bus inputs are read only by
// the clocked handshake block: no logic of the register file depends on
// them combinationally, and no output does (timing closure at the BAR, and
// nothing to evaluate when only the bus inputs change in a Verilated model).
module ferry_axil_regs #(
    parameter NUM_CHANNELS = 4,
    parameter DATA_WIDTH = 64,
    parameter ADDR_WIDTH = 64,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 8,
    parameter AXIL_ADDR_WIDTH = 16,
    parameter NUM_WINDOWS = 4,
    parameter [15:0] H2C_MASK = 16'd0,   // channel kinds (CAP2, STREAM.KIND)
    parameter [15:0] C2H_MASK = 16'd0,
    parameter WINS = (NUM_WINDOWS == 0) ? 1 : NUM_WINDOWS   // port width only: leave at default
) (
    input  wire                         clk,
    input  wire                         rst_n,

    input  wire [AXIL_ADDR_WIDTH-1:0]   s_axil_awaddr,
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
    input  wire                         s_axil_arvalid,
    output wire                         s_axil_arready,
    output wire [31:0]                  s_axil_rdata,
    output wire [1:0]                   s_axil_rresp,
    output wire                         s_axil_rvalid,
    input  wire                         s_axil_rready,

    // channel c's fields at [c*W +: W]
    output wire [NUM_CHANNELS*64-1:0]   ch_src_o,
    output wire [NUM_CHANNELS*64-1:0]   ch_dst_o,
    output wire [NUM_CHANNELS*32-1:0]   ch_len_o,
    output wire [NUM_CHANNELS*3-1:0]    ch_irq_en_o,      // {CPL, ERROR, DONE}
    output wire [NUM_CHANNELS-1:0]      ch_start_o,       // doorbell pulses
    output wire [NUM_CHANNELS*4-1:0]    ch_clear_o,       // W1C pulses {CPL, DB_OVERRUN, ERROR, DONE}
    output wire [NUM_CHANNELS*64-1:0]   ch_ring_base_o,
    output wire [NUM_CHANNELS*64-1:0]   ch_cpl_base_o,
    output wire [NUM_CHANNELS-1:0]      ch_ring_ctrl_wr_o, // RING_CTRL written (value on wr_data_o)
    output wire [NUM_CHANNELS-1:0]      ch_prod_wr_o,      // RING_PROD written (value on wr_data_o)
    output wire [31:0]                  wr_data_o,
    output wire [NUM_CHANNELS*16-1:0]   ch_irq_count_o,
    output wire [NUM_CHANNELS*32-1:0]   ch_irq_timer_o,
    output wire [NUM_CHANNELS*8-1:0]    ch_weight_o,
    output wire [NUM_CHANNELS*6-1:0]    ch_max_out_o,
    output wire [NUM_CHANNELS*4-1:0]    ch_ctl_o,          // CTRL pulses {RESET, SKIP, RESUME, ABORT}
    output wire [NUM_CHANNELS-1:0]      ch_cfg_busy_o,     // a RING_BASE / CPL_BASE write was refused
    output wire [NUM_CHANNELS*32-1:0]   ch_wdog_o,
    output wire [NUM_CHANNELS-1:0]      ch_win_en_o,
    output wire [NUM_CHANNELS*WINS*64-1:0] ch_win_base_o,  // {ADDR 63:12, 10'b0, WRITE, READ}
    output wire [NUM_CHANNELS*WINS*64-1:0] ch_win_limit_o, // {ADDR 63:12, 12'b0}
    input  wire [NUM_CHANNELS-1:0]      ch_rst_i,
    input  wire [NUM_CHANNELS-1:0]      ch_rst_pend_i,     // CTRL.RESET draining or completing
    input  wire [NUM_CHANNELS*64-1:0]   ch_err_addr_i,
    input  wire [NUM_CHANNELS*16-1:0]   ch_err_desc_i,
    input  wire [NUM_CHANNELS*32-1:0]   ch_err_bytes_i,
    input  wire [NUM_CHANNELS*32-1:0]   ch_status_i,
    input  wire [NUM_CHANNELS*32-1:0]   ch_ring_ctrl_i,
    input  wire [NUM_CHANNELS*16-1:0]   ch_prod_i,
    input  wire [NUM_CHANNELS*16-1:0]   ch_cons_i,
    // counters: {stall, wait, busy (64 each), errors, descriptors (32 each), bytes written, bytes read (64 each)}
    input  wire [NUM_CHANNELS*384-1:0]  ch_cnt_i,
    // stream channels: MAX_PKT, live STARVED / IN_PACKET, STARVE and PACKETS counters
    output wire [NUM_CHANNELS*32-1:0]   ch_max_pkt_o,
    input  wire [NUM_CHANNELS-1:0]      ch_starved_i,
    input  wire [NUM_CHANNELS-1:0]      ch_in_pkt_i,
    input  wire [NUM_CHANNELS*64-1:0]   ch_starve_cnt_i,
    input  wire [NUM_CHANNELS*32-1:0]   ch_packets_i,
    input  wire [NUM_CHANNELS-1:0]      irq_i
);

    `include "ferry_regs.vh"

    localparam [1:0] RESP_OKAY = 2'b00;
    localparam [1:0] RESP_SLVERR = 2'b10;
    localparam CH_SHIFT = $clog2(CH_STRIDE);
    localparam CH_W = 5;   // enough for 16 channels and the "none" value

    generate
        if (AXIL_ADDR_WIDTH < $clog2(BAR_SIZE) || AXIL_ADDR_WIDTH > 32) begin : g_bad_aw
            ferry_axil_regs_AXIL_ADDR_WIDTH_must_be_13_to_32 u_bad();
        end
    endgenerate

    // Capability values (constant per build)
    wire [31:0] cap0 = {8'd0, ADDR_WIDTH[7:0], DATA_WIDTH[10:3], NUM_CHANNELS[7:0]};
    wire [31:0] cap1 = {2'b11, 8'd0, MAX_OUTSTANDING[5:0], 1'b0, NUM_WINDOWS[2:0], 3'd0, MAX_BURST_LEN[8:0]};
    wire [31:0] cap2 = {C2H_MASK, H2C_MASK};
    // STREAM.KIND of channel c: 0 memory, 1 host-to-card, 2 card-to-host
    function [1:0] kind_of;
        input [3:0] ch;
        begin
            kind_of = C2H_MASK[ch] ? 2'd2 : (H2C_MASK[ch] ? 2'd1 : 2'd0);
        end
    endfunction

    // AXI4-Lite state
    reg [AXIL_ADDR_WIDTH-1:0] awaddr_q;
    reg                       aw_full_q;
    reg [31:0]                wdata_q;
    reg [3:0]                 wstrb_q;
    reg                       w_full_q;
    reg                       bvalid_q;
    reg [AXIL_ADDR_WIDTH-1:0] araddr_q;
    reg                       ar_full_q;
    reg [1:0]                 bresp_q, bresp_d;
    reg                       rvalid_q;
    reg [1:0]                 rresp_q, rresp_d;
    reg [31:0]                rdata_q, rdata_d;

    // Registers
    reg [31:0]                scratch_q, scratch_d;
    reg [63:0]                cycle_q, cycle_d;
    reg [31:0]                cycle_hi_q, cycle_hi_d;
    reg [NUM_CHANNELS*64-1:0] src_q, src_d;
    reg [NUM_CHANNELS*64-1:0] dst_q, dst_d;
    reg [NUM_CHANNELS*32-1:0] len_q, len_d;
    reg [NUM_CHANNELS*3-1:0]  irq_en_q, irq_en_d;
    reg [NUM_CHANNELS-1:0]    start_q, start_d;
    reg [NUM_CHANNELS*4-1:0]  clear_q, clear_d;
    reg [NUM_CHANNELS*64-1:0] rbase_q, rbase_d;
    reg [NUM_CHANNELS*64-1:0] cbase_q, cbase_d;
    reg [NUM_CHANNELS-1:0]    rctl_wr_q, rctl_wr_d;
    reg [NUM_CHANNELS-1:0]    prod_wr_q, prod_wr_d;
    reg [31:0]                wr_data_q, wr_data_d;
    reg [NUM_CHANNELS*16-1:0] icount_q, icount_d;
    reg [NUM_CHANNELS*32-1:0] itimer_q, itimer_d;
    reg [NUM_CHANNELS*8-1:0]  weight_q, weight_d;
    reg [NUM_CHANNELS*6-1:0]  maxout_q, maxout_d;
    reg [NUM_CHANNELS*4-1:0]  ctl_q, ctl_d;
    reg [NUM_CHANNELS*32-1:0] maxpkt_q, maxpkt_d;
    reg [NUM_CHANNELS-1:0]    cfgb_q, cfgb_d;
    reg [NUM_CHANNELS*32-1:0] wdog_q, wdog_d;
    reg [NUM_CHANNELS-1:0]    wen_q, wen_d;        // WIN_CTRL.ENABLE
    reg [NUM_CHANNELS-1:0]    wlock_q, wlock_d;    // WIN_CTRL.LOCK
    reg [NUM_CHANNELS*WINS*64-1:0] wbase_q, wbase_d;
    reg [NUM_CHANNELS*WINS*64-1:0] wlim_q, wlim_d;
    // stored bits of the window registers
    localparam [63:0] WBASE_MASK = 64'hFFFF_FFFF_FFFF_F003;
    localparam [63:0] WLIM_MASK = 64'hFFFF_FFFF_FFFF_F000;

    // Address decode: global offset, or channel index + offset in its block.
    function [CH_W-1:0] ch_of;   // channel index, or 31 for "not a channel register"
        input [AXIL_ADDR_WIDTH-1:0] a;
        reg [31:0] off;
        reg [31:0] idx;
        begin
            off = {{(32-AXIL_ADDR_WIDTH){1'b0}}, a};
            idx = (off - CH_BASE) >> CH_SHIFT;
            if (off >= CH_BASE && off < BAR_SIZE && idx < NUM_CHANNELS) begin
                ch_of = idx[CH_W-1:0];
            end else begin
                ch_of = {CH_W{1'b1}};
            end
        end
    endfunction

    function [31:0] apply_strb;
        input [31:0] old;
        input [31:0] val;
        input [3:0]  strb;
        integer b;
        begin
            for (b = 0; b < 4; b = b + 1) begin
                apply_strb[b*8 +: 8] = strb[b] ? val[b*8 +: 8] : old[b*8 +: 8];
            end
        end
    endfunction

    wire [31:0]     wr_off = {{(32-AXIL_ADDR_WIDTH){1'b0}}, awaddr_q[AXIL_ADDR_WIDTH-1:2], 2'b00};
    wire [31:0]     rd_off = {{(32-AXIL_ADDR_WIDTH){1'b0}}, araddr_q[AXIL_ADDR_WIDTH-1:2], 2'b00};
    wire [CH_W-1:0] wr_ch = ch_of(awaddr_q);
    wire [CH_W-1:0] rd_ch = ch_of(araddr_q);
    wire [31:0]     wr_reg = wr_off & (CH_STRIDE - 1);
    wire [31:0]     rd_reg = rd_off & (CH_STRIDE - 1);
    wire            do_write = aw_full_q && w_full_q && !bvalid_q;
    wire            do_read = ar_full_q && !rvalid_q;

    integer c;
    integer n;
    // a window register: channel offset CH_WIN0_BASE_LO + 16 n + 4 k
    wire        wr_win = (wr_reg >= CH_WIN0_BASE_LO) && (wr_reg < CH_WIN0_BASE_LO + 32'd64);
    wire [31:0] wr_wn = (wr_reg - CH_WIN0_BASE_LO) >> 4;
    wire [1:0]  wr_wk = wr_reg[3:2];
    wire        rd_win = (rd_reg >= CH_WIN0_BASE_LO) && (rd_reg < CH_WIN0_BASE_LO + 32'd64);
    wire [31:0] rd_wn = (rd_reg - CH_WIN0_BASE_LO) >> 4;
    wire [1:0]  rd_wk = rd_reg[3:2];

    // Channels whose CTRL.RESET is on its way (the pulse goes to the channel
    // this cycle), draining or completing: their writes answer SLVERR.
    wire [NUM_CHANNELS-1:0] rst_busy;
    genvar gc;
    generate
        for (gc = 0; gc < NUM_CHANNELS; gc = gc + 1) begin : g_rst_busy
            assign rst_busy[gc] = ch_rst_pend_i[gc] || ctl_q[gc*4+3];
        end
    endgenerate

    always @* begin
        bresp_d = bresp_q;
        rresp_d = rresp_q;
        rdata_d = rdata_q;
        scratch_d = scratch_q;
        cycle_d = cycle_q + 64'd1;
        cycle_hi_d = cycle_hi_q;
        src_d = src_q;
        dst_d = dst_q;
        len_d = len_q;
        irq_en_d = irq_en_q;
        start_d = {NUM_CHANNELS{1'b0}};
        clear_d = {(NUM_CHANNELS*4){1'b0}};
        rbase_d = rbase_q;
        cbase_d = cbase_q;
        rctl_wr_d = {NUM_CHANNELS{1'b0}};
        prod_wr_d = {NUM_CHANNELS{1'b0}};
        wr_data_d = wr_data_q;
        icount_d = icount_q;
        itimer_d = itimer_q;
        weight_d = weight_q;
        maxout_d = maxout_q;
        maxpkt_d = maxpkt_q;
        ctl_d = {(NUM_CHANNELS*4){1'b0}};
        cfgb_d = {NUM_CHANNELS{1'b0}};
        wdog_d = wdog_q;
        wen_d = wen_q;
        wlock_d = wlock_q;
        wbase_d = wbase_q;
        wlim_d = wlim_q;

        // ---- write (the handshakes are in the clocked block below) ----
        if (do_write) begin
            bresp_d = RESP_OKAY;
            if (wr_ch == {CH_W{1'b1}}) begin
                case (wr_off)
                    REG_SCRATCH: scratch_d = apply_strb(scratch_q, wdata_q, wstrb_q);
                    default: bresp_d = RESP_SLVERR;   // read-only or undefined
                endcase
            end else begin
                for (c = 0; c < NUM_CHANNELS; c = c + 1) begin
                    if (wr_ch == c[CH_W-1:0] && rst_busy[c] && wr_reg != CH_STATUS
                        && (wr_reg != CH_CTRL || (wdata_q[FLD_CTRL_START_LSB] && wstrb_q[0]))) begin
                        bresp_d = RESP_SLVERR;            // the channel reset would wipe it
                    end else if (wr_ch == c[CH_W-1:0] && wr_win) begin
                        if (wlock_q[c]) begin
                            bresp_d = RESP_SLVERR;
                        end
                        for (n = 0; n < NUM_WINDOWS; n = n + 1) begin
                            if (!wlock_q[c] && wr_wn == n) begin
                                case (wr_wk)
                                    2'd0: wbase_d[(c*WINS+n)*64 +: 32] =
                                              apply_strb(wbase_q[(c*WINS+n)*64 +: 32], wdata_q, wstrb_q) & WBASE_MASK[31:0];
                                    2'd1: wbase_d[(c*WINS+n)*64+32 +: 32] =
                                              apply_strb(wbase_q[(c*WINS+n)*64+32 +: 32], wdata_q, wstrb_q);
                                    2'd2: wlim_d[(c*WINS+n)*64 +: 32] =
                                              apply_strb(wlim_q[(c*WINS+n)*64 +: 32], wdata_q, wstrb_q) & WLIM_MASK[31:0];
                                    default: wlim_d[(c*WINS+n)*64+32 +: 32] =
                                              apply_strb(wlim_q[(c*WINS+n)*64+32 +: 32], wdata_q, wstrb_q);
                                endcase
                            end
                        end
                    end else if (wr_ch == c[CH_W-1:0]) begin
                        case (wr_reg)
                            CH_SRC_LO: src_d[c*64 +: 32] = apply_strb(src_q[c*64 +: 32], wdata_q, wstrb_q);
                            CH_SRC_HI: src_d[c*64+32 +: 32] = apply_strb(src_q[c*64+32 +: 32], wdata_q, wstrb_q);
                            CH_DST_LO: dst_d[c*64 +: 32] = apply_strb(dst_q[c*64 +: 32], wdata_q, wstrb_q);
                            CH_DST_HI: dst_d[c*64+32 +: 32] = apply_strb(dst_q[c*64+32 +: 32], wdata_q, wstrb_q);
                            CH_LEN: len_d[c*32 +: 32] = apply_strb(len_q[c*32 +: 32], wdata_q, wstrb_q);
                            CH_CTRL: begin
                                start_d[c] = wdata_q[FLD_CTRL_START_LSB] && wstrb_q[0];
                                ctl_d[c*4 +: 4] = {wdata_q[FLD_CTRL_RESET_LSB], wdata_q[FLD_CTRL_SKIP_LSB],
                                                   wdata_q[FLD_CTRL_RESUME_LSB], wdata_q[FLD_CTRL_ABORT_LSB]}
                                                  & {4{wstrb_q[0]}};
                            end
                            CH_STATUS: begin
                                clear_d[c*4] = wdata_q[FLD_STATUS_DONE_LSB] && wstrb_q[0];
                                clear_d[c*4+1] = wdata_q[FLD_STATUS_ERROR_LSB] && wstrb_q[0];
                                clear_d[c*4+2] = wdata_q[FLD_STATUS_DB_OVERRUN_LSB] && wstrb_q[0];
                                clear_d[c*4+3] = wdata_q[FLD_STATUS_CPL_LSB] && wstrb_q[0];
                            end
                            CH_IRQ_ENABLE: begin
                                if (wstrb_q[0]) begin
                                    irq_en_d[c*3 +: 3] = {wdata_q[FLD_IRQ_ENABLE_CPL_LSB],
                                                          wdata_q[FLD_IRQ_ENABLE_ERROR_LSB],
                                                          wdata_q[FLD_IRQ_ENABLE_DONE_LSB]};
                                end
                            end
                            CH_RING_BASE_LO, CH_RING_BASE_HI, CH_CPL_BASE_LO, CH_CPL_BASE_HI: begin
                                if (ch_status_i[c*32 + FLD_STATUS_RING_ACTIVE_LSB]) begin
                                    cfgb_d[c] = 1'b1;     // in use: ignored, the channel reports CFG_BUSY
                                end else begin
                                    case (wr_reg)
                                        CH_RING_BASE_LO: rbase_d[c*64 +: 32] = apply_strb(rbase_q[c*64 +: 32], wdata_q, wstrb_q);
                                        CH_RING_BASE_HI: rbase_d[c*64+32 +: 32] = apply_strb(rbase_q[c*64+32 +: 32], wdata_q, wstrb_q);
                                        CH_CPL_BASE_LO: cbase_d[c*64 +: 32] = apply_strb(cbase_q[c*64 +: 32], wdata_q, wstrb_q);
                                        default: cbase_d[c*64+32 +: 32] = apply_strb(cbase_q[c*64+32 +: 32], wdata_q, wstrb_q);
                                    endcase
                                end
                            end
                            CH_RING_CTRL: begin
                                rctl_wr_d[c] = 1'b1;
                                wr_data_d = apply_strb(ch_ring_ctrl_i[c*32 +: 32], wdata_q, wstrb_q);
                            end
                            CH_RING_PROD: begin
                                prod_wr_d[c] = 1'b1;
                                wr_data_d = apply_strb({16'd0, ch_prod_i[c*16 +: 16]}, wdata_q, wstrb_q);
                            end
                            CH_IRQ_COUNT: begin
                                if (wstrb_q[0]) begin
                                    icount_d[c*16 +: 8] = wdata_q[7:0];
                                end
                                if (wstrb_q[1]) begin
                                    icount_d[c*16+8 +: 8] = wdata_q[15:8];
                                end
                            end
                            CH_IRQ_TIMER: itimer_d[c*32 +: 32] = apply_strb(itimer_q[c*32 +: 32], wdata_q, wstrb_q);
                            CH_WEIGHT: begin
                                if (wstrb_q[0]) begin
                                    weight_d[c*8 +: 8] = wdata_q[7:0];
                                end
                            end
                            CH_MAX_OUT: begin
                                if (wstrb_q[0]) begin
                                    maxout_d[c*6 +: 6] = wdata_q[5:0];
                                end
                            end
                            CH_WDOG: wdog_d[c*32 +: 32] = apply_strb(wdog_q[c*32 +: 32], wdata_q, wstrb_q);
                            CH_MAX_PKT: maxpkt_d[c*32 +: 32] = apply_strb(maxpkt_q[c*32 +: 32], wdata_q, wstrb_q);
                            CH_WIN_CTRL: begin
                                if (wlock_q[c]) begin
                                    bresp_d = RESP_SLVERR;
                                end else if (wstrb_q[0]) begin
                                    wen_d[c] = wdata_q[FLD_WIN_CTRL_ENABLE_LSB] && (NUM_WINDOWS != 0);
                                    wlock_d[c] = wdata_q[FLD_WIN_CTRL_LOCK_LSB];
                                end
                            end
                            default: bresp_d = RESP_SLVERR;
                        endcase
                    end
                end
            end
        end

        // ---- read ----
        if (do_read) begin
            rresp_d = RESP_OKAY;
            rdata_d = FERRY_UNDEF_READ;
            if (rd_ch == {CH_W{1'b1}}) begin
                case (rd_off)
                    REG_ID: rdata_d = FERRY_MAGIC;
                    REG_IF_VERSION: rdata_d = {FERRY_IF_MAJOR, FERRY_IF_MINOR};
                    REG_CAP0: rdata_d = cap0;
                    REG_CAP1: rdata_d = cap1;
                    REG_CAP2: rdata_d = cap2;
                    REG_SCRATCH: rdata_d = scratch_q;
                    REG_CYCLE_LO: begin
                        rdata_d = cycle_q[31:0];
                        cycle_hi_d = cycle_q[63:32];
                    end
                    REG_CYCLE_HI: rdata_d = cycle_hi_q;
                    REG_IRQ_STATUS: rdata_d = {{(32-NUM_CHANNELS){1'b0}}, irq_i};
                    default: rresp_d = RESP_SLVERR;
                endcase
            end else begin
                for (c = 0; c < NUM_CHANNELS; c = c + 1) begin
                    if (rd_ch == c[CH_W-1:0] && rd_win) begin
                        rdata_d = 32'd0;
                        for (n = 0; n < NUM_WINDOWS; n = n + 1) begin
                            if (rd_wn == n) begin
                                case (rd_wk)
                                    2'd0: rdata_d = wbase_q[(c*WINS+n)*64 +: 32];
                                    2'd1: rdata_d = wbase_q[(c*WINS+n)*64+32 +: 32];
                                    2'd2: rdata_d = wlim_q[(c*WINS+n)*64 +: 32];
                                    default: rdata_d = wlim_q[(c*WINS+n)*64+32 +: 32];
                                endcase
                            end
                        end
                    end else if (rd_ch == c[CH_W-1:0]) begin
                        case (rd_reg)
                            CH_SRC_LO: rdata_d = src_q[c*64 +: 32];
                            CH_SRC_HI: rdata_d = src_q[c*64+32 +: 32];
                            CH_DST_LO: rdata_d = dst_q[c*64 +: 32];
                            CH_DST_HI: rdata_d = dst_q[c*64+32 +: 32];
                            CH_LEN: rdata_d = len_q[c*32 +: 32];
                            CH_CTRL: rdata_d = 32'd0;
                            CH_STATUS: rdata_d = ch_status_i[c*32 +: 32]
                                                 | ({31'd0, ch_starved_i[c]} << FLD_STATUS_STARVED_LSB);
                            CH_IRQ_ENABLE: rdata_d = {29'd0, irq_en_q[c*3 +: 3]};
                            CH_RING_BASE_LO: rdata_d = rbase_q[c*64 +: 32];
                            CH_RING_BASE_HI: rdata_d = rbase_q[c*64+32 +: 32];
                            CH_RING_CTRL: rdata_d = ch_ring_ctrl_i[c*32 +: 32];
                            CH_RING_PROD: rdata_d = {16'd0, ch_prod_i[c*16 +: 16]};
                            CH_RING_CONS: rdata_d = {16'd0, ch_cons_i[c*16 +: 16]};
                            CH_CPL_BASE_LO: rdata_d = cbase_q[c*64 +: 32];
                            CH_CPL_BASE_HI: rdata_d = cbase_q[c*64+32 +: 32];
                            CH_IRQ_COUNT: rdata_d = {16'd0, icount_q[c*16 +: 16]};
                            CH_IRQ_TIMER: rdata_d = itimer_q[c*32 +: 32];
                            CH_WEIGHT: rdata_d = {24'd0, weight_q[c*8 +: 8]};
                            CH_MAX_OUT: rdata_d = {26'd0, maxout_q[c*6 +: 6]};
                            CH_WDOG: rdata_d = wdog_q[c*32 +: 32];
                            CH_STREAM: rdata_d = {22'd0, ch_in_pkt_i[c], ch_starved_i[c], 6'd0, kind_of(c[3:0])};
                            CH_MAX_PKT: rdata_d = maxpkt_q[c*32 +: 32];
                            CH_STARVE_LO: rdata_d = ch_starve_cnt_i[c*64 +: 32];
                            CH_STARVE_HI: rdata_d = ch_starve_cnt_i[c*64+32 +: 32];
                            CH_PACKETS: rdata_d = ch_packets_i[c*32 +: 32];
                            CH_ERR_ADDR_LO: rdata_d = ch_err_addr_i[c*64 +: 32];
                            CH_ERR_ADDR_HI: rdata_d = ch_err_addr_i[c*64+32 +: 32];
                            CH_ERR_DESC: rdata_d = {16'd0, ch_err_desc_i[c*16 +: 16]};
                            CH_ERR_BYTES: rdata_d = ch_err_bytes_i[c*32 +: 32];
                            CH_WIN_CTRL: rdata_d = {30'd0, wlock_q[c], wen_q[c]};
                            CH_BYTES_RD_LO: rdata_d = ch_cnt_i[c*384 +: 32];
                            CH_BYTES_RD_HI: rdata_d = ch_cnt_i[c*384+32 +: 32];
                            CH_BYTES_WR_LO: rdata_d = ch_cnt_i[c*384+64 +: 32];
                            CH_BYTES_WR_HI: rdata_d = ch_cnt_i[c*384+96 +: 32];
                            CH_DESC_DONE: rdata_d = ch_cnt_i[c*384+128 +: 32];
                            CH_ERRORS: rdata_d = ch_cnt_i[c*384+160 +: 32];
                            CH_BUSY_LO: rdata_d = ch_cnt_i[c*384+192 +: 32];
                            CH_BUSY_HI: rdata_d = ch_cnt_i[c*384+224 +: 32];
                            CH_WAIT_LO: rdata_d = ch_cnt_i[c*384+256 +: 32];
                            CH_WAIT_HI: rdata_d = ch_cnt_i[c*384+288 +: 32];
                            CH_STALL_LO: rdata_d = ch_cnt_i[c*384+320 +: 32];
                            CH_STALL_HI: rdata_d = ch_cnt_i[c*384+352 +: 32];
                            default: rresp_d = RESP_SLVERR;
                        endcase
                    end
                end
            end
        end

        // ---- per-channel reset (after the write above: it wins) ----
        for (c = 0; c < NUM_CHANNELS; c = c + 1) begin
            if (ch_rst_i[c]) begin
                src_d[c*64 +: 64] = 64'd0;
                dst_d[c*64 +: 64] = 64'd0;
                len_d[c*32 +: 32] = 32'd0;
                irq_en_d[c*3 +: 3] = 3'd0;
                rbase_d[c*64 +: 64] = 64'd0;
                cbase_d[c*64 +: 64] = 64'd0;
                icount_d[c*16 +: 16] = CH_IRQ_COUNT_RESET[15:0];
                itimer_d[c*32 +: 32] = 32'd0;
                weight_d[c*8 +: 8] = CH_WEIGHT_RESET[7:0];
                maxout_d[c*6 +: 6] = MAX_OUTSTANDING[5:0];
                maxpkt_d[c*32 +: 32] = 32'd0;
                wdog_d[c*32 +: 32] = 32'd0;
                if (!wlock_q[c]) begin
                    wen_d[c] = 1'b0;
                    wbase_d[c*WINS*64 +: WINS*64] = {(WINS*64){1'b0}};
                    wlim_d[c*WINS*64 +: WINS*64] = {(WINS*64){1'b0}};
                end
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            bresp_q <= RESP_OKAY;
            rresp_q <= RESP_OKAY;
            rdata_q <= 32'd0;
            scratch_q <= REG_SCRATCH_RESET;
            cycle_q <= 64'd0;
            cycle_hi_q <= 32'd0;
            src_q <= {(NUM_CHANNELS*64){1'b0}};
            dst_q <= {(NUM_CHANNELS*64){1'b0}};
            len_q <= {(NUM_CHANNELS*32){1'b0}};
            irq_en_q <= {(NUM_CHANNELS*3){1'b0}};
            start_q <= {NUM_CHANNELS{1'b0}};
            clear_q <= {(NUM_CHANNELS*4){1'b0}};
            rbase_q <= {(NUM_CHANNELS*64){1'b0}};
            cbase_q <= {(NUM_CHANNELS*64){1'b0}};
            rctl_wr_q <= {NUM_CHANNELS{1'b0}};
            prod_wr_q <= {NUM_CHANNELS{1'b0}};
            wr_data_q <= 32'd0;
            icount_q <= {NUM_CHANNELS{CH_IRQ_COUNT_RESET[15:0]}};
            itimer_q <= {(NUM_CHANNELS*32){1'b0}};
            weight_q <= {NUM_CHANNELS{CH_WEIGHT_RESET[7:0]}};
            maxout_q <= {NUM_CHANNELS{MAX_OUTSTANDING[5:0]}};
            maxpkt_q <= {(NUM_CHANNELS*32){1'b0}};
            ctl_q <= {(NUM_CHANNELS*4){1'b0}};
            cfgb_q <= {NUM_CHANNELS{1'b0}};
            wdog_q <= {(NUM_CHANNELS*32){1'b0}};
            wen_q <= {NUM_CHANNELS{1'b0}};
            wlock_q <= {NUM_CHANNELS{1'b0}};
            wbase_q <= {(NUM_CHANNELS*WINS*64){1'b0}};
            wlim_q <= {(NUM_CHANNELS*WINS*64){1'b0}};
        end else begin
            bresp_q <= bresp_d;
            rresp_q <= rresp_d;
            rdata_q <= rdata_d;
            cycle_q <= cycle_d;
            cycle_hi_q <= cycle_hi_d;
            start_q <= start_d;
            clear_q <= clear_d;
            rctl_wr_q <= rctl_wr_d;
            prod_wr_q <= prod_wr_d;
            ctl_q <= ctl_d;
            cfgb_q <= cfgb_d;
            // Configuration changes only by a write or a channel reset (a
            // Verilated model skips these wide copies in the other cycles).
            if (do_write || ch_rst_i != {NUM_CHANNELS{1'b0}}) begin
                scratch_q <= scratch_d;
                src_q <= src_d;
                dst_q <= dst_d;
                len_q <= len_d;
                irq_en_q <= irq_en_d;
                rbase_q <= rbase_d;
                cbase_q <= cbase_d;
                wr_data_q <= wr_data_d;
                icount_q <= icount_d;
                itimer_q <= itimer_d;
                weight_q <= weight_d;
                maxout_q <= maxout_d;
                maxpkt_q <= maxpkt_d;
                wdog_q <= wdog_d;
                wen_q <= wen_d;
                wlock_q <= wlock_d;
                wbase_q <= wbase_d;
                wlim_q <= wlim_d;
            end
        end
    end

    // ---- AXI-Lite handshakes: the only reader of the bus inputs ----
    // A holder empties when its request is carried out (do_write, do_read);
    // its READY is low while it is full, so it never takes a new request in
    // the same cycle.
    always @(posedge clk) begin
        if (!rst_n) begin
            aw_full_q <= 1'b0;
            w_full_q <= 1'b0;
            bvalid_q <= 1'b0;
            ar_full_q <= 1'b0;
            rvalid_q <= 1'b0;
        end else begin
            if (do_write) begin
                aw_full_q <= 1'b0;
                w_full_q <= 1'b0;
                bvalid_q <= 1'b1;
            end else begin
                if (s_axil_awvalid) begin
                    aw_full_q <= 1'b1;
                end
                if (s_axil_wvalid) begin
                    w_full_q <= 1'b1;
                end
                if (s_axil_bready) begin
                    bvalid_q <= 1'b0;
                end
            end
            if (do_read) begin
                ar_full_q <= 1'b0;
                rvalid_q <= 1'b1;
            end else begin
                if (s_axil_arvalid) begin
                    ar_full_q <= 1'b1;
                end
                if (s_axil_rready) begin
                    rvalid_q <= 1'b0;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (!aw_full_q) begin
            awaddr_q <= s_axil_awaddr;
        end
        if (!w_full_q) begin
            wdata_q <= s_axil_wdata;
            wstrb_q <= s_axil_wstrb;
        end
        if (!ar_full_q) begin
            araddr_q <= s_axil_araddr;
        end
    end

    assign s_axil_awready = !aw_full_q;
    assign s_axil_wready = !w_full_q;
    assign s_axil_bresp = bresp_q;
    assign s_axil_bvalid = bvalid_q;
    assign s_axil_arready = !ar_full_q;
    assign s_axil_rdata = rdata_q;
    assign s_axil_rresp = rresp_q;
    assign s_axil_rvalid = rvalid_q;

    assign ch_src_o = src_q;
    assign ch_dst_o = dst_q;
    assign ch_len_o = len_q;
    assign ch_irq_en_o = irq_en_q;
    assign ch_start_o = start_q;
    assign ch_clear_o = clear_q;
    assign ch_ring_base_o = rbase_q;
    assign ch_cpl_base_o = cbase_q;
    assign ch_ring_ctrl_wr_o = rctl_wr_q;
    assign ch_prod_wr_o = prod_wr_q;
    assign wr_data_o = wr_data_q;
    assign ch_irq_count_o = icount_q;
    assign ch_irq_timer_o = itimer_q;
    assign ch_weight_o = weight_q;
    assign ch_max_out_o = maxout_q;
    assign ch_max_pkt_o = maxpkt_q;
    assign ch_ctl_o = ctl_q;
    assign ch_cfg_busy_o = cfgb_q;
    assign ch_wdog_o = wdog_q;
    assign ch_win_en_o = wen_q;
    assign ch_win_base_o = wbase_q;
    assign ch_win_limit_o = wlim_q;

endmodule

`resetall
