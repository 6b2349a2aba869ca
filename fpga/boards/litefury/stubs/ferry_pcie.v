// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// STUB FOR LINT ONLY, not the vendor core. make fpga-check lints
// ferry_litefury_top.v against this port list; Vivado generates the real
// module from build.tcl (create_ip -module_name ferry_pcie).
//
//   core: xilinx.com:ip:axi_pcie:2.9 (AXI Memory Mapped to PCI Express, PG055)
//   Gen2 (5.0 GT/s) x4 endpoint, 128-bit S_AXI and M_AXI (ID 4 bits on S_AXI),
//   32-bit AXI addresses, S_AXI_CTL present but unused, MSI request interface.
//
// Outputs are tied to zero; the inputs are not looked at.
/* verilator lint_off UNUSEDSIGNAL */
module ferry_pcie (
    input  wire           axi_aresetn,
    output wire           user_link_up,
    output wire           axi_aclk_out,
    output wire           axi_ctl_aclk_out,
    output wire           mmcm_lock,
    output wire           interrupt_out,
    input  wire           INTX_MSI_Request,
    output wire           INTX_MSI_Grant,
    output wire           MSI_enable,
    input  wire [4:0]     MSI_Vector_Num,
    output wire [2:0]     MSI_Vector_Width,
    input  wire [3:0]     s_axi_awid,
    input  wire [31:0]    s_axi_awaddr,
    input  wire [7:0]     s_axi_awlen,
    input  wire [2:0]     s_axi_awsize,
    input  wire [1:0]     s_axi_awburst,
    input  wire [3:0]     s_axi_awregion,
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
    input  wire [31:0]    s_axi_araddr,
    input  wire [7:0]     s_axi_arlen,
    input  wire [2:0]     s_axi_arsize,
    input  wire [1:0]     s_axi_arburst,
    input  wire [3:0]     s_axi_arregion,
    input  wire           s_axi_arvalid,
    output wire           s_axi_arready,
    output wire [3:0]     s_axi_rid,
    output wire [127:0]   s_axi_rdata,
    output wire [1:0]     s_axi_rresp,
    output wire           s_axi_rlast,
    output wire           s_axi_rvalid,
    input  wire           s_axi_rready,
    output wire [31:0]    m_axi_awaddr,
    output wire [7:0]     m_axi_awlen,
    output wire [2:0]     m_axi_awsize,
    output wire [1:0]     m_axi_awburst,
    output wire           m_axi_awlock,
    output wire [3:0]     m_axi_awcache,
    output wire [2:0]     m_axi_awprot,
    output wire           m_axi_awvalid,
    input  wire           m_axi_awready,
    output wire [127:0]   m_axi_wdata,
    output wire [15:0]    m_axi_wstrb,
    output wire           m_axi_wlast,
    output wire           m_axi_wvalid,
    input  wire           m_axi_wready,
    input  wire [1:0]     m_axi_bresp,
    input  wire           m_axi_bvalid,
    output wire           m_axi_bready,
    output wire [31:0]    m_axi_araddr,
    output wire [7:0]     m_axi_arlen,
    output wire [2:0]     m_axi_arsize,
    output wire [1:0]     m_axi_arburst,
    output wire           m_axi_arlock,
    output wire [3:0]     m_axi_arcache,
    output wire [2:0]     m_axi_arprot,
    output wire           m_axi_arvalid,
    input  wire           m_axi_arready,
    input  wire [127:0]   m_axi_rdata,
    input  wire [1:0]     m_axi_rresp,
    input  wire           m_axi_rlast,
    input  wire           m_axi_rvalid,
    output wire           m_axi_rready,
    output wire [3:0]     pci_exp_txp,
    output wire [3:0]     pci_exp_txn,
    input  wire [3:0]     pci_exp_rxp,
    input  wire [3:0]     pci_exp_rxn,
    input  wire           REFCLK,
    input  wire [31:0]    s_axi_ctl_awaddr,
    input  wire           s_axi_ctl_awvalid,
    output wire           s_axi_ctl_awready,
    input  wire [31:0]    s_axi_ctl_wdata,
    input  wire [3:0]     s_axi_ctl_wstrb,
    input  wire           s_axi_ctl_wvalid,
    output wire           s_axi_ctl_wready,
    output wire [1:0]     s_axi_ctl_bresp,
    output wire           s_axi_ctl_bvalid,
    input  wire           s_axi_ctl_bready,
    input  wire [31:0]    s_axi_ctl_araddr,
    input  wire           s_axi_ctl_arvalid,
    output wire           s_axi_ctl_arready,
    output wire [31:0]    s_axi_ctl_rdata,
    output wire [1:0]     s_axi_ctl_rresp,
    output wire           s_axi_ctl_rvalid,
    input  wire           s_axi_ctl_rready
);

    assign user_link_up = 1'b0;
    assign axi_aclk_out = 1'b0;
    assign axi_ctl_aclk_out = 1'b0;
    assign mmcm_lock = 1'b0;
    assign interrupt_out = 1'b0;
    assign INTX_MSI_Grant = 1'b0;
    assign MSI_enable = 1'b0;
    assign MSI_Vector_Width = {3{1'b0}};
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
    assign m_axi_awaddr = {32{1'b0}};
    assign m_axi_awlen = {8{1'b0}};
    assign m_axi_awsize = {3{1'b0}};
    assign m_axi_awburst = {2{1'b0}};
    assign m_axi_awlock = 1'b0;
    assign m_axi_awcache = {4{1'b0}};
    assign m_axi_awprot = {3{1'b0}};
    assign m_axi_awvalid = 1'b0;
    assign m_axi_wdata = {128{1'b0}};
    assign m_axi_wstrb = {16{1'b0}};
    assign m_axi_wlast = 1'b0;
    assign m_axi_wvalid = 1'b0;
    assign m_axi_bready = 1'b0;
    assign m_axi_araddr = {32{1'b0}};
    assign m_axi_arlen = {8{1'b0}};
    assign m_axi_arsize = {3{1'b0}};
    assign m_axi_arburst = {2{1'b0}};
    assign m_axi_arlock = 1'b0;
    assign m_axi_arcache = {4{1'b0}};
    assign m_axi_arprot = {3{1'b0}};
    assign m_axi_arvalid = 1'b0;
    assign m_axi_rready = 1'b0;
    assign pci_exp_txp = {4{1'b0}};
    assign pci_exp_txn = {4{1'b0}};
    assign s_axi_ctl_awready = 1'b0;
    assign s_axi_ctl_wready = 1'b0;
    assign s_axi_ctl_bresp = {2{1'b0}};
    assign s_axi_ctl_bvalid = 1'b0;
    assign s_axi_ctl_arready = 1'b0;
    assign s_axi_ctl_rdata = {32{1'b0}};
    assign s_axi_ctl_rresp = {2{1'b0}};
    assign s_axi_ctl_rvalid = 1'b0;

endmodule
/* verilator lint_on UNUSEDSIGNAL */

`resetall
