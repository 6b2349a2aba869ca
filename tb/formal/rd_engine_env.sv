// SPDX-License-Identifier: Apache-2.0
// rd_engine_env: formal environment of rtl/ferry_rd_engine.v (with its
// ferry_burst_split). The properties are in rd_engine_props.vh, included at
// the end of a copy of the module. Every input is free here; the props file
// states what is assumed of them.
// Parameters: ADDR_WIDTH 32, DATA_WIDTH 32, MAX_BURST_LEN 20, MAX_OUTSTANDING
// 2, CAPACITY 33, BEAT_WIDTH 12, COUNT_WIDTH 8.
`default_nettype none
module rd_engine_env (
    input wire        clk,
    input wire        rst_n,
    input wire        start,
    input wire [31:0] addr,
    input wire [11:0] beats,
    input wire        fixed,
    input wire [5:0]  max_out,
    input wire        pop,
    input wire [7:0]  release_beats,
    input wire        arready,
    input wire        r_last_hs,
    input wire        stop
);
    /* verilator lint_off PINCONNECTEMPTY */
    ferry_rd_engine #(
        .ADDR_WIDTH(32), .DATA_WIDTH(32), .MAX_BURST_LEN(20), .MAX_OUTSTANDING(2),
        .CAPACITY(33), .BEAT_WIDTH(12), .COUNT_WIDTH(8)
    ) dut (
        .clk(clk), .rst_n(rst_n), .start_i(start), .addr_i(addr), .beats_i(beats),
        .fixed_i(fixed), .ready_o(), .max_out_i(max_out), .stop_i(stop), .busy_o(), .r_addr_o(),
        .pop_i(pop), .release_i(release_beats),
        .araddr_o(), .arlen_o(), .arburst_o(), .arvalid_o(), .arready_i(arready),
        .r_last_hs_i(r_last_hs)
    );
endmodule
