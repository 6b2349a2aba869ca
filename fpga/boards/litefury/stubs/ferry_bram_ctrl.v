// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// STUB FOR LINT ONLY, not the vendor core. make fpga-check lints
// ferry_litefury_top.v against this port list; Vivado generates the real
// module from build.tcl (create_ip -module_name ferry_bram_ctrl).
//
//   core: xilinx.com:ip:axi_bram_ctrl:4.1 (PG078)
//   AXI4, 128-bit data, 4 ID bits, 64 KiB (16-bit addresses), one BRAM port, no ECC.
//
// Outputs are tied to zero; the inputs are not looked at.
/* verilator lint_off UNUSEDSIGNAL */
module ferry_bram_ctrl (
    input  wire           s_axi_aclk,
    input  wire           s_axi_aresetn,
    input  wire [3:0]     s_axi_awid,
    input  wire [15:0]    s_axi_awaddr,
    input  wire [7:0]     s_axi_awlen,
    input  wire [2:0]     s_axi_awsize,
    input  wire [1:0]     s_axi_awburst,
    input  wire           s_axi_awlock,
    input  wire [3:0]     s_axi_awcache,
    input  wire [2:0]     s_axi_awprot,
    input  wire           s_axi_awvalid,
    output wire           s_axi_awready,
    input  wire [127:0]   s_axi_wdata,
    input  wire [15:0]    s_axi_wstrb,
    input  wire           s_axi_wlast,
    input  wire           s_axi_wvalid,
    output wire           s_axi_wready,
    output wire [3:0]     s_axi_bid,
    output wire [1:0]     s_axi_bresp,
    output wire           s_axi_bvalid,
    input  wire           s_axi_bready,
    input  wire [3:0]     s_axi_arid,
    input  wire [15:0]    s_axi_araddr,
    input  wire [7:0]     s_axi_arlen,
    input  wire [2:0]     s_axi_arsize,
    input  wire [1:0]     s_axi_arburst,
    input  wire           s_axi_arlock,
    input  wire [3:0]     s_axi_arcache,
    input  wire [2:0]     s_axi_arprot,
    input  wire           s_axi_arvalid,
    output wire           s_axi_arready,
    output wire [3:0]     s_axi_rid,
    output wire [127:0]   s_axi_rdata,
    output wire [1:0]     s_axi_rresp,
    output wire           s_axi_rlast,
    output wire           s_axi_rvalid,
    input  wire           s_axi_rready,
    output wire           bram_rst_a,
    output wire           bram_clk_a,
    output wire           bram_en_a,
    output wire [15:0]    bram_we_a,
    output wire [15:0]    bram_addr_a,
    output wire [127:0]   bram_wrdata_a,
    input  wire [127:0]   bram_rddata_a
);

    assign s_axi_awready = 1'b0;
    assign s_axi_wready = 1'b0;
    assign s_axi_bid = {4{1'b0}};
    assign s_axi_bresp = {2{1'b0}};
    assign s_axi_bvalid = 1'b0;
    assign s_axi_arready = 1'b0;
    assign s_axi_rid = {4{1'b0}};
    assign s_axi_rdata = {128{1'b0}};
    assign s_axi_rresp = {2{1'b0}};
    assign s_axi_rlast = 1'b0;
    assign s_axi_rvalid = 1'b0;
    assign bram_rst_a = 1'b0;
    assign bram_clk_a = 1'b0;
    assign bram_en_a = 1'b0;
    assign bram_we_a = {16{1'b0}};
    assign bram_addr_a = {16{1'b0}};
    assign bram_wrdata_a = {128{1'b0}};

endmodule
/* verilator lint_on UNUSEDSIGNAL */

`resetall
