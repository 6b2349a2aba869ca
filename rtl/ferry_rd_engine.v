// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_rd_engine: the mover's read side (AR channel).
//
// start_i loads a command (beat-aligned address, read beats, fixed flag)
// while ready_o is high. The engine then walks it in bursts from
// ferry_burst_split, one AR per cycle while three conditions hold: beats of
// the command remain, fewer than max_out_i bursts await their RLAST, and the
// data FIFO behind the realigner has room for every beat already promised
// plus this burst (so RREADY never has to drop for lack of room and a slow
// write side never stalls the read bus mid-burst). A command's first burst
// also reserves one beat for the realigner's possible extra output beat;
// release_i returns reserved beats that turn out not to be needed, pop_i a
// beat leaving the FIFO. ready_o rises again when the last AR of the command
// has been loaded, so the next command's reads follow without a gap.
//
// The burst decision is registered: the next burst's length (blen_q) is
// computed a cycle ahead (from the command at start_i, from the address and
// count after this burst at each AR), and the FIFO beats in use or promised
// are one register (used_q = FIFO count + reservations), so an AR is issued
// on one add and one compare of registers.
//
// Parameters: see ferry_top. CAPACITY is the data FIFO's capacity in beats.
//
// stop_i (the channel is stopping after an error, ABORT or timeout) holds
// back every new AR; bursts already asked for complete normally. The
// addresses of the bursts awaiting RLAST are queued: r_addr_o is the address
// of the burst the next R beat belongs to (for error reports).
//
// Timing: the first AR of a command is valid two cycles after start_i.
module ferry_rd_engine #(
    parameter ADDR_WIDTH = 64,
    parameter DATA_WIDTH = 64,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 16,
    parameter CAPACITY = 1025,
    parameter BEAT_WIDTH = 34,
    parameter COUNT_WIDTH = 16
) (
    input  wire                    clk,
    input  wire                    rst_n,

    input  wire                    start_i,
    input  wire [ADDR_WIDTH-1:0]   addr_i,      // beat aligned
    input  wire [BEAT_WIDTH-1:0]   beats_i,     // >= 1
    input  wire                    fixed_i,
    output wire                    ready_o,     // can take a command
    input  wire [5:0]              max_out_i,   // bursts in flight allowed, 1..MAX_OUTSTANDING
    input  wire                    stop_i,      // issue no new burst
    output wire                    busy_o,      // bursts in flight
    output wire [ADDR_WIDTH-1:0]   r_addr_o,    // address of the oldest burst in flight

    input  wire                    pop_i,       // a beat left the data FIFO
    input  wire [COUNT_WIDTH-1:0]  release_i,   // reserved beats not needed after all

    output wire [ADDR_WIDTH-1:0]   araddr_o,
    output wire [7:0]              arlen_o,
    output wire [1:0]              arburst_o,
    output wire                    arvalid_o,
    input  wire                    arready_i,
    input  wire                    r_last_hs_i  // an R beat with RLAST was taken
);

    localparam OFF_W = $clog2(DATA_WIDTH / 8);
    localparam OUT_W = 6;
    localparam AQ_DEPTH = (MAX_OUTSTANDING <= 2) ? 2 : (1 << $clog2(MAX_OUTSTANDING));
    localparam [1:0] BURST_FIXED = 2'b00;
    localparam [1:0] BURST_INCR = 2'b01;

    reg [ADDR_WIDTH-1:0]  addr_q, addr_d;          // next burst's address
    reg [BEAT_WIDTH-1:0]  left_q, left_d;          // beats not yet asked for
    reg                   fixed_q, fixed_d;
    reg                   first_q, first_d;        // next burst is the command's first
    reg [8:0]             blen_q, blen_d;          // next burst's length
    reg [ADDR_WIDTH-1:0]  araddr_q, araddr_d;
    reg [7:0]             arlen_q, arlen_d;
    reg [1:0]             arburst_q, arburst_d;
    reg                   arvalid_q, arvalid_d;
    reg [OUT_W-1:0]       bursts_q, bursts_d;      // bursts asked for, RLAST not yet seen
    reg [COUNT_WIDTH-1:0] used_q, used_d;          // FIFO beats held or promised

    // The burst after this one, and the length of a new command's first.
    wire [ADDR_WIDTH-1:0] nxt_addr = fixed_q ? addr_q : addr_q + ({{(ADDR_WIDTH-9){1'b0}}, blen_q} << OFF_W);
    wire [BEAT_WIDTH-1:0] nxt_left = left_q - {{(BEAT_WIDTH-9){1'b0}}, blen_q};
    wire [8:0]            nxt_len, start_len;

    ferry_burst_split #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_split (
        .addr_i(nxt_addr),
        .beats_i(nxt_left),
        .fixed_i(fixed_q),
        .len_o(nxt_len)
    );

    ferry_burst_split #(
        .ADDR_WIDTH(ADDR_WIDTH),
        .DATA_WIDTH(DATA_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .BEAT_WIDTH(BEAT_WIDTH)
    ) u_split0 (
        .addr_i(addr_i),
        .beats_i(beats_i),
        .fixed_i(fixed_i),
        .len_o(start_len)
    );

    // FIFO room: one add and one compare of registers.
    wire [COUNT_WIDTH-1:0] want = {{(COUNT_WIDTH-9){1'b0}}, blen_q} + {{(COUNT_WIDTH-1){1'b0}}, first_q};
    wire [COUNT_WIDTH:0] room_needed = {1'b0, used_q} + {1'b0, want};
    wire credit_ok = (room_needed <= CAPACITY[COUNT_WIDTH:0]);
    wire slot_free = !arvalid_q || arready_i;
    wire [OUT_W-1:0] limit = (max_out_i == 6'd0) ? 6'd1
                           : ((max_out_i > MAX_OUTSTANDING[OUT_W-1:0]) ? MAX_OUTSTANDING[OUT_W-1:0] : max_out_i);
    wire active = (left_q != {BEAT_WIDTH{1'b0}});
    wire issue = active && slot_free && credit_ok && (bursts_q < limit) && !stop_i;

    // Wake: the clock enable of the state below. With no command, no burst to
    // ask for or awaited, and no FIFO credit returned, the next state is the
    // current one; the next-state logic is then not evaluated either (a
    // Verilated model skips it). FERRY_WAKE_CHECK evaluates it always and
    // stops on a change without wake.
    wire wake = start_i || active || arvalid_q || (bursts_q != {OUT_W{1'b0}})
                || (release_i != {COUNT_WIDTH{1'b0}}) || pop_i || r_last_hs_i;
`ifdef FERRY_WAKE_CHECK
    wire eval_next = 1'b1;
`else
    wire eval_next = wake;
`endif

    always @* begin
        addr_d = addr_q;
        left_d = left_q;
        fixed_d = fixed_q;
        first_d = first_q;
        blen_d = blen_q;
        araddr_d = araddr_q;
        arlen_d = arlen_q;
        arburst_d = arburst_q;
        arvalid_d = arvalid_q;
        bursts_d = bursts_q;
        used_d = used_q - release_i - {{(COUNT_WIDTH-1){1'b0}}, pop_i};

        if (eval_next) begin
            if (arvalid_q && arready_i) begin
                arvalid_d = 1'b0;
            end
            if (r_last_hs_i) begin
                bursts_d = bursts_d - 1'b1;
            end
            if (issue) begin
                araddr_d = addr_q;
                arlen_d = blen_q[7:0] - 8'd1;
                arburst_d = fixed_q ? BURST_FIXED : BURST_INCR;
                arvalid_d = 1'b1;
                addr_d = nxt_addr;
                left_d = nxt_left;
                blen_d = nxt_len;
                first_d = 1'b0;
                bursts_d = bursts_d + 1'b1;
                used_d = used_d + want;
            end
            if (start_i) begin
                addr_d = addr_i;
                left_d = beats_i;
                fixed_d = fixed_i;
                first_d = 1'b1;
                blen_d = start_len;
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            addr_q <= {ADDR_WIDTH{1'b0}};
            left_q <= {BEAT_WIDTH{1'b0}};
            fixed_q <= 1'b0;
            first_q <= 1'b0;
            blen_q <= 9'd0;
            araddr_q <= {ADDR_WIDTH{1'b0}};
            arlen_q <= 8'd0;
            arburst_q <= BURST_INCR;
            arvalid_q <= 1'b0;
            bursts_q <= {OUT_W{1'b0}};
            used_q <= {COUNT_WIDTH{1'b0}};
        end else if (wake) begin
            addr_q <= addr_d;
            left_q <= left_d;
            fixed_q <= fixed_d;
            first_q <= first_d;
            blen_q <= blen_d;
            araddr_q <= araddr_d;
            arlen_q <= arlen_d;
            arburst_q <= arburst_d;
            arvalid_q <= arvalid_d;
            bursts_q <= bursts_d;
            used_q <= used_d;
        end
    end

`ifdef FERRY_WAKE_CHECK
    // Every register the clocked block above loads on wake (make lint checks
    // the list against that block: sim/wake_lists.lua).
    wire wk_change =
        (addr_d != addr_q) || (left_d != left_q) || (fixed_d != fixed_q) || (first_d != first_q) ||
        (blen_d != blen_q) || (araddr_d != araddr_q) || (arlen_d != arlen_q) || (arburst_d != arburst_q) ||
        (arvalid_d != arvalid_q) || (bursts_d != bursts_q) || (used_d != used_q);
    always @(posedge clk) begin
        if (rst_n && !wake && (wk_change)) begin
            $display("%m: a state change without wake (FERRY_WAKE_CHECK)");
            $fatal;
        end
    end
`endif

    // Addresses of the bursts in flight, for error reports (at most
    // MAX_OUTSTANDING: bursts_q counts them from issue to RLAST).
    /* verilator lint_off PINCONNECTEMPTY */
    ferry_queue #(
        .WIDTH(ADDR_WIDTH),
        .DEPTH(AQ_DEPTH)
    ) u_aq (
        .clk(clk),
        .rst_n(rst_n),
        .in_data_i(addr_q),
        .in_valid_i(issue),
        .in_ready_o(),
        .out_data_o(r_addr_o),
        .out_valid_o(),
        .out_ready_i(r_last_hs_i)
    );
    /* verilator lint_on PINCONNECTEMPTY */

    // Ready for the next command once the current one's last AR is loaded.
    assign ready_o = !active;
    assign busy_o = (bursts_q != {OUT_W{1'b0}}) || arvalid_q;
    assign araddr_o = araddr_q;
    assign arlen_o = arlen_q;
    assign arburst_o = arburst_q;
    assign arvalid_o = arvalid_q;

endmodule

`resetall
