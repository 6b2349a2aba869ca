// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_litefury_top: ferry on the RHS Research LiteFury (Artix-7
// XC7A100T-2L FGG484, M.2 2280 key M, PCIe Gen2 x4). Built by
// fpga/boards/litefury/build.tcl (Vivado, non-project); the vendor cores it
// instantiates are created there with create_ip, and their port lists are
// mirrored, for lint only, in fpga/boards/litefury/stubs/.
//
//   PCIe x4 <-> u_pcie (axi_pcie v2.9, "ferry_pcie": AXI Memory Mapped to PCIe)
//     M_AXI (BAR0, 128-bit AXI4) -> u_bar_dw (axi_dwidth_converter 128->32)
//                                -> u_bar_lite (axi_protocol_converter AXI4->AXI4-Lite)
//                                -> ferry_top s_axil
//     ferry_top m_axi (128-bit, 64-bit addresses)
//       -> u_xbar (axi_crossbar, 1 x 2):
//            0x0_0000_0000 .. 0x0_FFFF_FFFF -> u_pcie S_AXI (host memory; AXI
//                                              address = PCIe bus address)
//            0x1_0000_0000 .. 0x1_0000_FFFF -> u_bram_ctrl (axi_bram_ctrl)
//                                              -> ferry_litefury_bram (64 KiB)
//            anything else: DECERR from the crossbar (ferry reports RD_RESP/WR_RESP)
//     ferry_top irq[c] -> ferry_litefury_msi -> INTX_MSI_Request, MSI vector c
//
// One clock: the bridge's axi_aclk_out (125 MHz for 128-bit Gen2 x4) runs
// ferry, the converters, the crossbar and the BRAM. Reset: PERST# resets
// the bridge; everything else leaves reset when PERST# is high and the
// bridge's MMCM is locked (two-flop synchroniser).
//
// LEDs (led_n[3:0], see LED_ACTIVE_LOW): 0 link up, 1 heartbeat (about 1 Hz:
// the clock runs), 2 MSI enabled by the host, 3 any ferry irq line high.
//
// Parameters: ferry_top's (rtl/ferry_top.v); DATA_WIDTH must stay 128 (the
// bridge, crossbar and BRAM controller are generated for it) and ADDR_WIDTH
// 64, ID_WIDTH 4, AXIL_ADDR_WIDTH 16 (BAR0 is 64 KiB), as build.tcl sets
// the cores. LED_ACTIVE_LOW: 1 when a LED lights with its pin driven low.
module ferry_litefury_top #(
    parameter NUM_CHANNELS = 4,
    parameter DATA_WIDTH = 128,
    parameter ADDR_WIDTH = 64,
    parameter ID_WIDTH = 4,
    parameter MAX_BURST_LEN = 64,
    parameter MAX_OUTSTANDING = 8,
    parameter FIFO_DEPTH = 512,
    parameter AXIL_ADDR_WIDTH = 16,
    parameter LED_ACTIVE_LOW = 1
) (
    input  wire       pcie_refclk_p,   // 100 MHz from the host
    input  wire       pcie_refclk_n,
    input  wire       pcie_perst_n,
    input  wire [3:0] pcie_rx_p,
    input  wire [3:0] pcie_rx_n,
    output wire [3:0] pcie_tx_p,
    output wire [3:0] pcie_tx_n,
    output wire       pcie_clkreq_n,   // M.2 CLKREQ#: low, the reference clock is wanted
    output wire [3:0] led_n
);

    localparam BYTES = DATA_WIDTH / 8;
    localparam BRAM_AW = 16;           // 64 KiB of on-card memory

    generate
        if (DATA_WIDTH != 128 || ADDR_WIDTH != 64 || ID_WIDTH != 4 || AXIL_ADDR_WIDTH != 16)
        begin : g_bad_cfg
            ferry_litefury_top_widths_are_fixed_by_the_generated_cores u_bad();
        end
    endgenerate

    // ------------------------------------------------------------ clock, reset
    wire refclk, refclk_div2;
    wire clk, ctl_aclk;
    wire mmcm_lock;
    wire link_up;

    IBUFDS_GTE2 u_refclk_buf (
        .I(pcie_refclk_p),
        .IB(pcie_refclk_n),
        .CEB(1'b0),
        .O(refclk),
        .ODIV2(refclk_div2)
    );

    // Asynchronous assertion would need a different style; the cores below
    // take a synchronous active-low reset, so PERST# and lock are
    // synchronised (no reset on the synchroniser itself).
    reg [1:0] rst_sync_q, rst_sync_d;
    always @* begin
        rst_sync_d = {rst_sync_q[0], pcie_perst_n & mmcm_lock};
    end
    always @(posedge clk) begin
        rst_sync_q <= rst_sync_d;
    end
    wire rst_n = rst_sync_q[1];

    // ------------------------------------------------------------ BAR0 path
    // bridge M_AXI (128-bit AXI4, no ID)
    wire [31:0]        bar_awaddr, bar_araddr;
    wire [7:0]         bar_awlen, bar_arlen;
    wire [2:0]         bar_awsize, bar_arsize, bar_awprot, bar_arprot;
    wire [1:0]         bar_awburst, bar_arburst, bar_bresp, bar_rresp;
    wire               bar_awlock, bar_arlock;
    wire [3:0]         bar_awcache, bar_arcache;
    wire               bar_awvalid, bar_awready, bar_wlast, bar_wvalid, bar_wready;
    wire               bar_bvalid, bar_bready, bar_arvalid, bar_arready;
    wire               bar_rlast, bar_rvalid, bar_rready;
    wire [127:0]       bar_wdata, bar_rdata;
    wire [15:0]        bar_wstrb;
    // after the width converter (32-bit AXI4)
    wire [31:0]        n_awaddr, n_araddr;
    wire [7:0]         n_awlen, n_arlen;
    wire [2:0]         n_awsize, n_arsize, n_awprot, n_arprot;
    wire [1:0]         n_awburst, n_arburst, n_bresp, n_rresp;
    wire [0:0]         n_awlock, n_arlock;
    wire [3:0]         n_awcache, n_arcache, n_awregion, n_arregion, n_awqos, n_arqos;
    wire               n_awvalid, n_awready, n_wlast, n_wvalid, n_wready;
    wire               n_bvalid, n_bready, n_arvalid, n_arready;
    wire               n_rlast, n_rvalid, n_rready;
    wire [31:0]        n_wdata, n_rdata;
    wire [3:0]         n_wstrb;
    // AXI4-Lite into ferry
    wire [31:0]        l_awaddr, l_araddr;
    wire [2:0]         l_awprot, l_arprot;
    wire               l_awvalid, l_awready, l_wvalid, l_wready, l_bvalid, l_bready;
    wire               l_arvalid, l_arready, l_rvalid, l_rready;
    wire [31:0]        l_wdata, l_rdata;
    wire [3:0]         l_wstrb;
    wire [1:0]         l_bresp, l_rresp;

    // ------------------------------------------------------------ m_axi path
    wire [ID_WIDTH-1:0]   m_awid, m_bid, m_arid, m_rid;
    wire [ADDR_WIDTH-1:0] m_awaddr, m_araddr;
    wire [7:0]            m_awlen, m_arlen;
    wire [2:0]            m_awsize, m_arsize, m_awprot, m_arprot;
    wire [1:0]            m_awburst, m_arburst, m_bresp, m_rresp;
    wire                  m_awlock, m_arlock;
    wire [3:0]            m_awcache, m_arcache;
    wire                  m_awvalid, m_awready, m_wlast, m_wvalid, m_wready;
    wire                  m_bvalid, m_bready, m_arvalid, m_arready;
    wire                  m_rlast, m_rvalid, m_rready;
    wire [DATA_WIDTH-1:0] m_wdata, m_rdata;
    wire [BYTES-1:0]      m_wstrb;

    // crossbar master side: port 0 host (bridge S_AXI), port 1 BRAM
    wire [2*ID_WIDTH-1:0]   x_awid, x_bid, x_arid, x_rid;
    wire [2*ADDR_WIDTH-1:0] x_awaddr, x_araddr;
    wire [15:0]             x_awlen, x_arlen;
    wire [5:0]              x_awsize, x_arsize, x_awprot, x_arprot;
    wire [3:0]              x_awburst, x_arburst, x_bresp, x_rresp;
    wire [1:0]              x_awlock, x_arlock;
    wire [7:0]              x_awcache, x_arcache, x_awregion, x_arregion, x_awqos, x_arqos;
    wire [1:0]              x_awvalid, x_awready, x_wlast, x_wvalid, x_wready;
    wire [1:0]              x_bvalid, x_bready, x_arvalid, x_arready;
    wire [1:0]              x_rlast, x_rvalid, x_rready;
    wire [2*DATA_WIDTH-1:0] x_wdata, x_rdata;
    wire [2*BYTES-1:0]      x_wstrb;

    // BRAM port
    wire                  bram_clk, bram_rst, bram_en;
    wire [BYTES-1:0]      bram_we;
    wire [BRAM_AW-1:0]    bram_addr;
    wire [DATA_WIDTH-1:0] bram_wdata, bram_rdata;

    // bridge outputs not used: S_AXI_CTL responses (the port is idle) and the
    // root-port interrupt output
    wire       ctl_awready, ctl_wready, ctl_bvalid, ctl_arready, ctl_rvalid, rc_interrupt;
    wire [1:0] ctl_bresp, ctl_rresp;
    wire [31:0] ctl_rdata;

    // interrupts
    wire [NUM_CHANNELS-1:0] irq;
    wire       msi_request, msi_grant, msi_enable;
    wire [4:0] msi_vector;
    wire [2:0] msi_width;

    // ------------------------------------------------------------ PCIe bridge
    ferry_pcie u_pcie (
        .axi_aresetn(pcie_perst_n),
        .user_link_up(link_up),
        .axi_aclk_out(clk),
        .axi_ctl_aclk_out(ctl_aclk),
        .mmcm_lock(mmcm_lock),
        .interrupt_out(rc_interrupt),
        .INTX_MSI_Request(msi_request),
        .INTX_MSI_Grant(msi_grant),
        .MSI_enable(msi_enable),
        .MSI_Vector_Num(msi_vector),
        .MSI_Vector_Width(msi_width),
        // S_AXI: host memory (crossbar port 0, low 32 address bits)
        .s_axi_awid(x_awid[0 +: ID_WIDTH]),
        .s_axi_awaddr(x_awaddr[31:0]),
        .s_axi_awregion(x_awregion[3:0]),
        .s_axi_awlen(x_awlen[7:0]),
        .s_axi_awsize(x_awsize[2:0]),
        .s_axi_awburst(x_awburst[1:0]),
        .s_axi_awvalid(x_awvalid[0]),
        .s_axi_awready(x_awready[0]),
        .s_axi_wdata(x_wdata[0 +: DATA_WIDTH]),
        .s_axi_wstrb(x_wstrb[0 +: BYTES]),
        .s_axi_wlast(x_wlast[0]),
        .s_axi_wvalid(x_wvalid[0]),
        .s_axi_wready(x_wready[0]),
        .s_axi_bid(x_bid[0 +: ID_WIDTH]),
        .s_axi_bresp(x_bresp[1:0]),
        .s_axi_bvalid(x_bvalid[0]),
        .s_axi_bready(x_bready[0]),
        .s_axi_arid(x_arid[0 +: ID_WIDTH]),
        .s_axi_araddr(x_araddr[31:0]),
        .s_axi_arregion(x_arregion[3:0]),
        .s_axi_arlen(x_arlen[7:0]),
        .s_axi_arsize(x_arsize[2:0]),
        .s_axi_arburst(x_arburst[1:0]),
        .s_axi_arvalid(x_arvalid[0]),
        .s_axi_arready(x_arready[0]),
        .s_axi_rid(x_rid[0 +: ID_WIDTH]),
        .s_axi_rdata(x_rdata[0 +: DATA_WIDTH]),
        .s_axi_rresp(x_rresp[1:0]),
        .s_axi_rlast(x_rlast[0]),
        .s_axi_rvalid(x_rvalid[0]),
        .s_axi_rready(x_rready[0]),
        // M_AXI: BAR0
        .m_axi_awaddr(bar_awaddr),
        .m_axi_awlen(bar_awlen),
        .m_axi_awsize(bar_awsize),
        .m_axi_awburst(bar_awburst),
        .m_axi_awprot(bar_awprot),
        .m_axi_awvalid(bar_awvalid),
        .m_axi_awready(bar_awready),
        .m_axi_awlock(bar_awlock),
        .m_axi_awcache(bar_awcache),
        .m_axi_wdata(bar_wdata),
        .m_axi_wstrb(bar_wstrb),
        .m_axi_wlast(bar_wlast),
        .m_axi_wvalid(bar_wvalid),
        .m_axi_wready(bar_wready),
        .m_axi_bresp(bar_bresp),
        .m_axi_bvalid(bar_bvalid),
        .m_axi_bready(bar_bready),
        .m_axi_araddr(bar_araddr),
        .m_axi_arlen(bar_arlen),
        .m_axi_arsize(bar_arsize),
        .m_axi_arburst(bar_arburst),
        .m_axi_arprot(bar_arprot),
        .m_axi_arvalid(bar_arvalid),
        .m_axi_arready(bar_arready),
        .m_axi_arlock(bar_arlock),
        .m_axi_arcache(bar_arcache),
        .m_axi_rdata(bar_rdata),
        .m_axi_rresp(bar_rresp),
        .m_axi_rlast(bar_rlast),
        .m_axi_rvalid(bar_rvalid),
        .m_axi_rready(bar_rready),
        .pci_exp_txp(pcie_tx_p),
        .pci_exp_txn(pcie_tx_n),
        .pci_exp_rxp(pcie_rx_p),
        .pci_exp_rxn(pcie_rx_n),
        .REFCLK(refclk),
        // S_AXI_CTL (bridge registers): not used, the translation is static
        .s_axi_ctl_awaddr(32'd0),
        .s_axi_ctl_awvalid(1'b0),
        .s_axi_ctl_awready(ctl_awready),
        .s_axi_ctl_wdata(32'd0),
        .s_axi_ctl_wstrb(4'd0),
        .s_axi_ctl_wvalid(1'b0),
        .s_axi_ctl_wready(ctl_wready),
        .s_axi_ctl_bresp(ctl_bresp),
        .s_axi_ctl_bvalid(ctl_bvalid),
        .s_axi_ctl_bready(1'b1),
        .s_axi_ctl_araddr(32'd0),
        .s_axi_ctl_arvalid(1'b0),
        .s_axi_ctl_arready(ctl_arready),
        .s_axi_ctl_rdata(ctl_rdata),
        .s_axi_ctl_rresp(ctl_rresp),
        .s_axi_ctl_rvalid(ctl_rvalid),
        .s_axi_ctl_rready(1'b1)
    );

    // ------------------------------------------------------------ BAR0 -> s_axil
    ferry_bar_dwidth u_bar_dw (
        .s_axi_aclk(clk),
        .s_axi_aresetn(rst_n),
        .s_axi_awaddr(bar_awaddr),
        .s_axi_awlen(bar_awlen),
        .s_axi_awsize(bar_awsize),
        .s_axi_awburst(bar_awburst),
        .s_axi_awlock(bar_awlock),
        .s_axi_awcache(bar_awcache),
        .s_axi_awprot(bar_awprot),
        .s_axi_awregion(4'd0),
        .s_axi_awqos(4'd0),
        .s_axi_awvalid(bar_awvalid),
        .s_axi_awready(bar_awready),
        .s_axi_wdata(bar_wdata),
        .s_axi_wstrb(bar_wstrb),
        .s_axi_wlast(bar_wlast),
        .s_axi_wvalid(bar_wvalid),
        .s_axi_wready(bar_wready),
        .s_axi_bresp(bar_bresp),
        .s_axi_bvalid(bar_bvalid),
        .s_axi_bready(bar_bready),
        .s_axi_araddr(bar_araddr),
        .s_axi_arlen(bar_arlen),
        .s_axi_arsize(bar_arsize),
        .s_axi_arburst(bar_arburst),
        .s_axi_arlock(bar_arlock),
        .s_axi_arcache(bar_arcache),
        .s_axi_arprot(bar_arprot),
        .s_axi_arregion(4'd0),
        .s_axi_arqos(4'd0),
        .s_axi_arvalid(bar_arvalid),
        .s_axi_arready(bar_arready),
        .s_axi_rdata(bar_rdata),
        .s_axi_rresp(bar_rresp),
        .s_axi_rlast(bar_rlast),
        .s_axi_rvalid(bar_rvalid),
        .s_axi_rready(bar_rready),
        .m_axi_awaddr(n_awaddr),
        .m_axi_awlen(n_awlen),
        .m_axi_awsize(n_awsize),
        .m_axi_awburst(n_awburst),
        .m_axi_awlock(n_awlock),
        .m_axi_awcache(n_awcache),
        .m_axi_awprot(n_awprot),
        .m_axi_awregion(n_awregion),
        .m_axi_awqos(n_awqos),
        .m_axi_awvalid(n_awvalid),
        .m_axi_awready(n_awready),
        .m_axi_wdata(n_wdata),
        .m_axi_wstrb(n_wstrb),
        .m_axi_wlast(n_wlast),
        .m_axi_wvalid(n_wvalid),
        .m_axi_wready(n_wready),
        .m_axi_bresp(n_bresp),
        .m_axi_bvalid(n_bvalid),
        .m_axi_bready(n_bready),
        .m_axi_araddr(n_araddr),
        .m_axi_arlen(n_arlen),
        .m_axi_arsize(n_arsize),
        .m_axi_arburst(n_arburst),
        .m_axi_arlock(n_arlock),
        .m_axi_arcache(n_arcache),
        .m_axi_arprot(n_arprot),
        .m_axi_arregion(n_arregion),
        .m_axi_arqos(n_arqos),
        .m_axi_arvalid(n_arvalid),
        .m_axi_arready(n_arready),
        .m_axi_rdata(n_rdata),
        .m_axi_rresp(n_rresp),
        .m_axi_rlast(n_rlast),
        .m_axi_rvalid(n_rvalid),
        .m_axi_rready(n_rready)
    );

    ferry_bar_lite u_bar_lite (
        .aclk(clk),
        .aresetn(rst_n),
        .s_axi_awaddr(n_awaddr),
        .s_axi_awlen(n_awlen),
        .s_axi_awsize(n_awsize),
        .s_axi_awburst(n_awburst),
        .s_axi_awlock(n_awlock),
        .s_axi_awcache(n_awcache),
        .s_axi_awprot(n_awprot),
        .s_axi_awregion(n_awregion),
        .s_axi_awqos(n_awqos),
        .s_axi_awvalid(n_awvalid),
        .s_axi_awready(n_awready),
        .s_axi_wdata(n_wdata),
        .s_axi_wstrb(n_wstrb),
        .s_axi_wlast(n_wlast),
        .s_axi_wvalid(n_wvalid),
        .s_axi_wready(n_wready),
        .s_axi_bresp(n_bresp),
        .s_axi_bvalid(n_bvalid),
        .s_axi_bready(n_bready),
        .s_axi_araddr(n_araddr),
        .s_axi_arlen(n_arlen),
        .s_axi_arsize(n_arsize),
        .s_axi_arburst(n_arburst),
        .s_axi_arlock(n_arlock),
        .s_axi_arcache(n_arcache),
        .s_axi_arprot(n_arprot),
        .s_axi_arregion(n_arregion),
        .s_axi_arqos(n_arqos),
        .s_axi_arvalid(n_arvalid),
        .s_axi_arready(n_arready),
        .s_axi_rdata(n_rdata),
        .s_axi_rresp(n_rresp),
        .s_axi_rlast(n_rlast),
        .s_axi_rvalid(n_rvalid),
        .s_axi_rready(n_rready),
        .m_axi_awaddr(l_awaddr),
        .m_axi_awprot(l_awprot),
        .m_axi_awvalid(l_awvalid),
        .m_axi_awready(l_awready),
        .m_axi_wdata(l_wdata),
        .m_axi_wstrb(l_wstrb),
        .m_axi_wvalid(l_wvalid),
        .m_axi_wready(l_wready),
        .m_axi_bresp(l_bresp),
        .m_axi_bvalid(l_bvalid),
        .m_axi_bready(l_bready),
        .m_axi_araddr(l_araddr),
        .m_axi_arprot(l_arprot),
        .m_axi_arvalid(l_arvalid),
        .m_axi_arready(l_arready),
        .m_axi_rdata(l_rdata),
        .m_axi_rresp(l_rresp),
        .m_axi_rvalid(l_rvalid),
        .m_axi_rready(l_rready)
    );

    // ------------------------------------------------------------ ferry
    ferry_top #(
        .NUM_CHANNELS(NUM_CHANNELS),
        .DATA_WIDTH(DATA_WIDTH),
        .ADDR_WIDTH(ADDR_WIDTH),
        .ID_WIDTH(ID_WIDTH),
        .MAX_BURST_LEN(MAX_BURST_LEN),
        .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .FIFO_DEPTH(FIFO_DEPTH),
        .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH)
    ) u_ferry (
        .clk(clk),
        .rst_n(rst_n),
        // BAR0 offset = AXI address (PCIEBAR2AXIBAR_0 = 0); 64 KiB window
        .s_axil_awaddr(l_awaddr[AXIL_ADDR_WIDTH-1:0]),
        .s_axil_awprot(l_awprot),
        .s_axil_awvalid(l_awvalid),
        .s_axil_awready(l_awready),
        .s_axil_wdata(l_wdata),
        .s_axil_wstrb(l_wstrb),
        .s_axil_wvalid(l_wvalid),
        .s_axil_wready(l_wready),
        .s_axil_bresp(l_bresp),
        .s_axil_bvalid(l_bvalid),
        .s_axil_bready(l_bready),
        .s_axil_araddr(l_araddr[AXIL_ADDR_WIDTH-1:0]),
        .s_axil_arprot(l_arprot),
        .s_axil_arvalid(l_arvalid),
        .s_axil_arready(l_arready),
        .s_axil_rdata(l_rdata),
        .s_axil_rresp(l_rresp),
        .s_axil_rvalid(l_rvalid),
        .s_axil_rready(l_rready),
        .m_axi_awid(m_awid),
        .m_axi_awaddr(m_awaddr),
        .m_axi_awlen(m_awlen),
        .m_axi_awsize(m_awsize),
        .m_axi_awburst(m_awburst),
        .m_axi_awlock(m_awlock),
        .m_axi_awcache(m_awcache),
        .m_axi_awprot(m_awprot),
        .m_axi_awvalid(m_awvalid),
        .m_axi_awready(m_awready),
        .m_axi_wdata(m_wdata),
        .m_axi_wstrb(m_wstrb),
        .m_axi_wlast(m_wlast),
        .m_axi_wvalid(m_wvalid),
        .m_axi_wready(m_wready),
        .m_axi_bid(m_bid),
        .m_axi_bresp(m_bresp),
        .m_axi_bvalid(m_bvalid),
        .m_axi_bready(m_bready),
        .m_axi_arid(m_arid),
        .m_axi_araddr(m_araddr),
        .m_axi_arlen(m_arlen),
        .m_axi_arsize(m_arsize),
        .m_axi_arburst(m_arburst),
        .m_axi_arlock(m_arlock),
        .m_axi_arcache(m_arcache),
        .m_axi_arprot(m_arprot),
        .m_axi_arvalid(m_arvalid),
        .m_axi_arready(m_arready),
        .m_axi_rid(m_rid),
        .m_axi_rdata(m_rdata),
        .m_axi_rresp(m_rresp),
        .m_axi_rlast(m_rlast),
        .m_axi_rvalid(m_rvalid),
        .m_axi_rready(m_rready),
        // stream lanes: no stream channels in this build (inputs tied to 0)
        /* verilator lint_off PINCONNECTEMPTY */
        .m_axis_tdata(), .m_axis_tkeep(), .m_axis_tlast(), .m_axis_tuser(), .m_axis_tid(),
        .m_axis_tvalid(), .m_axis_tready({NUM_CHANNELS{1'b0}}),
        .s_axis_tdata({(NUM_CHANNELS*DATA_WIDTH){1'b0}}), .s_axis_tkeep({(NUM_CHANNELS*DATA_WIDTH/8){1'b0}}),
        .s_axis_tlast({NUM_CHANNELS{1'b0}}), .s_axis_tuser({(NUM_CHANNELS*8){1'b0}}),
        .s_axis_tid({(NUM_CHANNELS*8){1'b0}}), .s_axis_tvalid({NUM_CHANNELS{1'b0}}), .s_axis_tready(),
        /* verilator lint_on PINCONNECTEMPTY */
        .irq(irq)
    );

    // ------------------------------------------------------------ m_axi crossbar
    ferry_xbar u_xbar (
        .aclk(clk),
        .aresetn(rst_n),
        .s_axi_awid(m_awid),
        .s_axi_awaddr(m_awaddr),
        .s_axi_awlen(m_awlen),
        .s_axi_awsize(m_awsize),
        .s_axi_awburst(m_awburst),
        .s_axi_awlock(m_awlock),
        .s_axi_awcache(m_awcache),
        .s_axi_awprot(m_awprot),
        .s_axi_awqos(4'd0),
        .s_axi_awvalid(m_awvalid),
        .s_axi_awready(m_awready),
        .s_axi_wdata(m_wdata),
        .s_axi_wstrb(m_wstrb),
        .s_axi_wlast(m_wlast),
        .s_axi_wvalid(m_wvalid),
        .s_axi_wready(m_wready),
        .s_axi_bid(m_bid),
        .s_axi_bresp(m_bresp),
        .s_axi_bvalid(m_bvalid),
        .s_axi_bready(m_bready),
        .s_axi_arid(m_arid),
        .s_axi_araddr(m_araddr),
        .s_axi_arlen(m_arlen),
        .s_axi_arsize(m_arsize),
        .s_axi_arburst(m_arburst),
        .s_axi_arlock(m_arlock),
        .s_axi_arcache(m_arcache),
        .s_axi_arprot(m_arprot),
        .s_axi_arqos(4'd0),
        .s_axi_arvalid(m_arvalid),
        .s_axi_arready(m_arready),
        .s_axi_rid(m_rid),
        .s_axi_rdata(m_rdata),
        .s_axi_rresp(m_rresp),
        .s_axi_rlast(m_rlast),
        .s_axi_rvalid(m_rvalid),
        .s_axi_rready(m_rready),
        .m_axi_awid(x_awid),
        .m_axi_awaddr(x_awaddr),
        .m_axi_awlen(x_awlen),
        .m_axi_awsize(x_awsize),
        .m_axi_awburst(x_awburst),
        .m_axi_awlock(x_awlock),
        .m_axi_awcache(x_awcache),
        .m_axi_awprot(x_awprot),
        .m_axi_awregion(x_awregion),
        .m_axi_awqos(x_awqos),
        .m_axi_awvalid(x_awvalid),
        .m_axi_awready(x_awready),
        .m_axi_wdata(x_wdata),
        .m_axi_wstrb(x_wstrb),
        .m_axi_wlast(x_wlast),
        .m_axi_wvalid(x_wvalid),
        .m_axi_wready(x_wready),
        .m_axi_bid(x_bid),
        .m_axi_bresp(x_bresp),
        .m_axi_bvalid(x_bvalid),
        .m_axi_bready(x_bready),
        .m_axi_arid(x_arid),
        .m_axi_araddr(x_araddr),
        .m_axi_arlen(x_arlen),
        .m_axi_arsize(x_arsize),
        .m_axi_arburst(x_arburst),
        .m_axi_arlock(x_arlock),
        .m_axi_arcache(x_arcache),
        .m_axi_arprot(x_arprot),
        .m_axi_arregion(x_arregion),
        .m_axi_arqos(x_arqos),
        .m_axi_arvalid(x_arvalid),
        .m_axi_arready(x_arready),
        .m_axi_rid(x_rid),
        .m_axi_rdata(x_rdata),
        .m_axi_rresp(x_rresp),
        .m_axi_rlast(x_rlast),
        .m_axi_rvalid(x_rvalid),
        .m_axi_rready(x_rready)
    );

    // ------------------------------------------------------------ on-card BRAM
    ferry_bram_ctrl u_bram_ctrl (
        .s_axi_aclk(clk),
        .s_axi_aresetn(rst_n),
        .s_axi_awid(x_awid[ID_WIDTH +: ID_WIDTH]),
        .s_axi_awaddr(x_awaddr[ADDR_WIDTH +: BRAM_AW]),
        .s_axi_awlen(x_awlen[15:8]),
        .s_axi_awsize(x_awsize[5:3]),
        .s_axi_awburst(x_awburst[3:2]),
        .s_axi_awlock(x_awlock[1]),
        .s_axi_awcache(x_awcache[7:4]),
        .s_axi_awprot(x_awprot[5:3]),
        .s_axi_awvalid(x_awvalid[1]),
        .s_axi_awready(x_awready[1]),
        .s_axi_wdata(x_wdata[DATA_WIDTH +: DATA_WIDTH]),
        .s_axi_wstrb(x_wstrb[BYTES +: BYTES]),
        .s_axi_wlast(x_wlast[1]),
        .s_axi_wvalid(x_wvalid[1]),
        .s_axi_wready(x_wready[1]),
        .s_axi_bid(x_bid[ID_WIDTH +: ID_WIDTH]),
        .s_axi_bresp(x_bresp[3:2]),
        .s_axi_bvalid(x_bvalid[1]),
        .s_axi_bready(x_bready[1]),
        .s_axi_arid(x_arid[ID_WIDTH +: ID_WIDTH]),
        .s_axi_araddr(x_araddr[ADDR_WIDTH +: BRAM_AW]),
        .s_axi_arlen(x_arlen[15:8]),
        .s_axi_arsize(x_arsize[5:3]),
        .s_axi_arburst(x_arburst[3:2]),
        .s_axi_arlock(x_arlock[1]),
        .s_axi_arcache(x_arcache[7:4]),
        .s_axi_arprot(x_arprot[5:3]),
        .s_axi_arvalid(x_arvalid[1]),
        .s_axi_arready(x_arready[1]),
        .s_axi_rid(x_rid[ID_WIDTH +: ID_WIDTH]),
        .s_axi_rdata(x_rdata[DATA_WIDTH +: DATA_WIDTH]),
        .s_axi_rresp(x_rresp[3:2]),
        .s_axi_rlast(x_rlast[1]),
        .s_axi_rvalid(x_rvalid[1]),
        .s_axi_rready(x_rready[1]),
        .bram_rst_a(bram_rst),
        .bram_clk_a(bram_clk),
        .bram_en_a(bram_en),
        .bram_we_a(bram_we),
        .bram_addr_a(bram_addr),
        .bram_wrdata_a(bram_wdata),
        .bram_rddata_a(bram_rdata)
    );

    ferry_litefury_bram #(
        .DATA_WIDTH(DATA_WIDTH),
        .ADDR_WIDTH(BRAM_AW)
    ) u_bram (
        .clk(bram_clk),
        .en_i(bram_en),
        .we_i(bram_we),
        .addr_i(bram_addr),
        .wdata_i(bram_wdata),
        .rdata_o(bram_rdata)
    );

    // ------------------------------------------------------------ interrupts
    ferry_litefury_msi #(
        .NUM_IRQ(NUM_CHANNELS)
    ) u_msi (
        .clk(clk),
        .rst_n(rst_n),
        .irq_i(irq),
        .msi_enable_i(msi_enable),
        .msi_width_i(msi_width),
        .msi_request_o(msi_request),
        .msi_vector_o(msi_vector),
        .msi_grant_i(msi_grant)
    );

    // ------------------------------------------------------------ LEDs
    reg [26:0] beat_q, beat_d;
    always @* begin
        beat_d = beat_q + 27'd1;
    end
    always @(posedge clk) begin
        if (!rst_n) begin
            beat_q <= 27'd0;
        end else begin
            beat_q <= beat_d;
        end
    end

    wire [3:0] led_on = {|irq, msi_enable, beat_q[26], link_up};
    assign led_n = (LED_ACTIVE_LOW != 0) ? ~led_on : led_on;
    assign pcie_clkreq_n = 1'b0;

    // Unused: the bridge's side of the crossbar carries 64-bit addresses of
    // which it decodes the low 32 (its window); QoS, region, lock, cache and
    // prot of the bridge port; the BRAM's reset output; BAR0 offsets past
    // ferry's 64 KiB (BAR0 is 64 KiB, so they are zero); the idle control
    // port, the second reference clock and the control clock (the same as clk).
    wire unused = &{1'b0, l_awaddr[31:AXIL_ADDR_WIDTH], l_araddr[31:AXIL_ADDR_WIDTH], refclk_div2,
                    ctl_aclk, rc_interrupt, ctl_awready, ctl_wready, ctl_bvalid, ctl_arready,
                    ctl_rvalid, ctl_bresp, ctl_rresp, ctl_rdata, x_awaddr[63:32], x_araddr[63:32], x_awaddr[2*ADDR_WIDTH-1:ADDR_WIDTH+BRAM_AW],
                    x_araddr[2*ADDR_WIDTH-1:ADDR_WIDTH+BRAM_AW], x_awregion[7:4], x_arregion[7:4],
                    x_awqos, x_arqos, x_awlock[0], x_arlock[0], x_awcache[3:0], x_arcache[3:0],
                    x_awprot[2:0], x_arprot[2:0], bram_rst};

endmodule

`resetall
