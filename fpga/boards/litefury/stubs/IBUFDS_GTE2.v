// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// STUB FOR LINT ONLY, not the vendor core. make fpga-check lints
// ferry_litefury_top.v against this port list; Vivado provides the real
// primitive (UNISIM library); it is not created by build.tcl.
//
//   core: UNISIM primitive IBUFDS_GTE2 (7-series GT reference clock buffer, UG482)
//
// Outputs are tied to zero; the inputs are not looked at.
/* verilator lint_off UNUSEDSIGNAL */
module IBUFDS_GTE2 (
    input  wire           I,
    input  wire           IB,
    input  wire           CEB,
    output wire           O,
    output wire           ODIV2
);

    assign O = 1'b0;
    assign ODIV2 = 1'b0;

endmodule
/* verilator lint_on UNUSEDSIGNAL */

`resetall
