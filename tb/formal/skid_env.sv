// SPDX-License-Identifier: Apache-2.0
// skid_env: formal environment of rtl/ferry_skid.v (WIDTH 8). The
// properties are in skid_props.vh, included at the end of a copy of the
// module; every input is free here.
`default_nettype none
module skid_env (
    input wire       clk,
    input wire       rst_n,
    input wire       in_valid,
    input wire [7:0] in_data,
    input wire       out_ready
);
    /* verilator lint_off PINCONNECTEMPTY */
    ferry_skid #(.WIDTH(8)) dut (
        .clk(clk), .rst_n(rst_n), .in_valid_i(in_valid), .in_ready_o(), .in_data_i(in_data),
        .out_valid_o(), .out_ready_i(out_ready), .out_data_o(), .load_o(), .load_data_o()
    );
endmodule
