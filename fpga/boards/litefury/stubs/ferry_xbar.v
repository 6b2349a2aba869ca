// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// STUB FOR LINT ONLY, not the vendor core. make fpga-check lints
// ferry_litefury_top.v against this port list; Vivado generates the real
// module from build.tcl (create_ip -module_name ferry_xbar).
//
//   core: xilinx.com:ip:axi_crossbar:2.1 (PG059)
//   AXI4, 1 slave port x 2 master ports, 64-bit addresses, 128-bit data, 4 ID bits;
//   master ports packed as [port 1, port 0] in each vector.
//
// Outputs are tied to zero; the inputs are not looked at.
/* verilator lint_off UNUSEDSIGNAL */
module ferry_xbar (
    input  wire           aclk,
    input  wire           aresetn,
    input  wire [3:0]     s_axi_awid,
    input  wire [63:0]    s_axi_awaddr,
    input  wire [7:0]     s_axi_awlen,
    input  wire [2:0]     s_axi_awsize,
    input  wire [1:0]     s_axi_awburst,
    input  wire           s_axi_awlock,
    input  wire [3:0]     s_axi_awcache,
    input  wire [2:0]     s_axi_awprot,
    input  wire [3:0]     s_axi_awqos,
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
    input  wire [63:0]    s_axi_araddr,
    input  wire [7:0]     s_axi_arlen,
    input  wire [2:0]     s_axi_arsize,
    input  wire [1:0]     s_axi_arburst,
    input  wire           s_axi_arlock,
    input  wire [3:0]     s_axi_arcache,
    input  wire [2:0]     s_axi_arprot,
    input  wire [3:0]     s_axi_arqos,
    input  wire           s_axi_arvalid,
    output wire           s_axi_arready,
    output wire [3:0]     s_axi_rid,
    output wire [127:0]   s_axi_rdata,
    output wire [1:0]     s_axi_rresp,
    output wire           s_axi_rlast,
    output wire           s_axi_rvalid,
    input  wire           s_axi_rready,
    output wire [7:0]     m_axi_awid,
    output wire [127:0]   m_axi_awaddr,
    output wire [15:0]    m_axi_awlen,
    output wire [5:0]     m_axi_awsize,
    output wire [3:0]     m_axi_awburst,
    output wire [1:0]     m_axi_awlock,
    output wire [7:0]     m_axi_awcache,
    output wire [5:0]     m_axi_awprot,
    output wire [7:0]     m_axi_awregion,
    output wire [7:0]     m_axi_awqos,
    output wire [1:0]     m_axi_awvalid,
    input  wire [1:0]     m_axi_awready,
    output wire [255:0]   m_axi_wdata,
    output wire [31:0]    m_axi_wstrb,
    output wire [1:0]     m_axi_wlast,
    output wire [1:0]     m_axi_wvalid,
    input  wire [1:0]     m_axi_wready,
    input  wire [7:0]     m_axi_bid,
    input  wire [3:0]     m_axi_bresp,
    input  wire [1:0]     m_axi_bvalid,
    output wire [1:0]     m_axi_bready,
    output wire [7:0]     m_axi_arid,
    output wire [127:0]   m_axi_araddr,
    output wire [15:0]    m_axi_arlen,
    output wire [5:0]     m_axi_arsize,
    output wire [3:0]     m_axi_arburst,
    output wire [1:0]     m_axi_arlock,
    output wire [7:0]     m_axi_arcache,
    output wire [5:0]     m_axi_arprot,
    output wire [7:0]     m_axi_arregion,
    output wire [7:0]     m_axi_arqos,
    output wire [1:0]     m_axi_arvalid,
    input  wire [1:0]     m_axi_arready,
    input  wire [7:0]     m_axi_rid,
    input  wire [255:0]   m_axi_rdata,
    input  wire [3:0]     m_axi_rresp,
    input  wire [1:0]     m_axi_rlast,
    input  wire [1:0]     m_axi_rvalid,
    output wire [1:0]     m_axi_rready
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
    assign m_axi_awid = {8{1'b0}};
    assign m_axi_awaddr = {128{1'b0}};
    assign m_axi_awlen = {16{1'b0}};
    assign m_axi_awsize = {6{1'b0}};
    assign m_axi_awburst = {4{1'b0}};
    assign m_axi_awlock = {2{1'b0}};
    assign m_axi_awcache = {8{1'b0}};
    assign m_axi_awprot = {6{1'b0}};
    assign m_axi_awregion = {8{1'b0}};
    assign m_axi_awqos = {8{1'b0}};
    assign m_axi_awvalid = {2{1'b0}};
    assign m_axi_wdata = {256{1'b0}};
    assign m_axi_wstrb = {32{1'b0}};
    assign m_axi_wlast = {2{1'b0}};
    assign m_axi_wvalid = {2{1'b0}};
    assign m_axi_bready = {2{1'b0}};
    assign m_axi_arid = {8{1'b0}};
    assign m_axi_araddr = {128{1'b0}};
    assign m_axi_arlen = {16{1'b0}};
    assign m_axi_arsize = {6{1'b0}};
    assign m_axi_arburst = {4{1'b0}};
    assign m_axi_arlock = {2{1'b0}};
    assign m_axi_arcache = {8{1'b0}};
    assign m_axi_arprot = {6{1'b0}};
    assign m_axi_arregion = {8{1'b0}};
    assign m_axi_arqos = {8{1'b0}};
    assign m_axi_arvalid = {2{1'b0}};
    assign m_axi_rready = {2{1'b0}};

endmodule
/* verilator lint_on UNUSEDSIGNAL */

`resetall
