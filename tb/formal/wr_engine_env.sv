// SPDX-License-Identifier: Apache-2.0
// wr_engine_env: formal environment of rtl/ferry_wr_engine.v (with its
// ferry_burst_split and ferry_queue). The properties are in
// wr_engine_props.vh, included at the end of a copy of the module. Every
// input is free here; the props file states what is assumed of them.
// Parameters: ADDR_WIDTH 32, DATA_WIDTH 32, MAX_BURST_LEN 20,
// MAX_OUTSTANDING 2, BEAT_WIDTH 12, COUNT_WIDTH 8, TAG_WIDTH 2.
`default_nettype none
module wr_engine_env (
    input wire        clk,
    input wire        rst_n,
    input wire        cmd_valid,
    input wire [31:0] cmd_addr,
    input wire [11:0] cmd_beats,
    input wire [3:0]  cmd_first_strb,
    input wire [3:0]  cmd_last_strb,
    input wire        cmd_fixed,
    input wire [1:0]  cmd_tag,
    input wire [5:0]  max_out,
    input wire [7:0]  fifo_count,
    input wire [31:0] fifo_data,
    input wire        fifo_err,
    input wire        fifo_valid,
    input wire        awready,
    input wire        wready,
    input wire [1:0]  bresp,
    input wire        bvalid
);
    /* verilator lint_off PINCONNECTEMPTY */
    ferry_wr_engine #(
        .ADDR_WIDTH(32), .DATA_WIDTH(32), .MAX_BURST_LEN(20), .MAX_OUTSTANDING(2),
        .BEAT_WIDTH(12), .COUNT_WIDTH(8), .TAG_WIDTH(2)
    ) dut (
        .clk(clk), .rst_n(rst_n),
        .cmd_valid_i(cmd_valid), .cmd_ready_o(), .cmd_addr_i(cmd_addr), .cmd_beats_i(cmd_beats),
        .cmd_first_strb_i(cmd_first_strb), .cmd_last_strb_i(cmd_last_strb),
        .cmd_fixed_i(cmd_fixed), .cmd_tag_i(cmd_tag), .max_out_i(max_out),
        .fifo_count_i(fifo_count), .fifo_data_i(fifo_data), .fifo_err_i(fifo_err),
        .fifo_valid_i(fifo_valid), .fifo_pop_o(),
        .done_o(), .done_tag_o(), .done_rd_err_o(), .done_wr_err_o(), .idle_o(), .stalled_o(), .w_stall_o(),
        .b_evt_o(), .b_ok_o(), .b_resp_err_o(), .b_bytes_o(), .b_tag_o(), .b_addr_o(),
        .awaddr_o(), .awlen_o(), .awburst_o(), .awvalid_o(), .awready_i(awready),
        .wdata_o(), .wstrb_o(), .wlast_o(), .wvalid_o(), .wready_i(wready),
        .bresp_i(bresp), .bvalid_i(bvalid)
    );
endmodule
