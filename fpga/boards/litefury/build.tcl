# SPDX-License-Identifier: Apache-2.0
# ferry on the RHS Research LiteFury: non-project Vivado build, from sources to
# bitstream and SPI flash image.
#
#   vivado -mode batch -source fpga/boards/litefury/build.tcl [-tclargs OUTDIR]
#
# OUTDIR defaults to sim/out/litefury. Needs Vivado with 7-series support (the
# free Standard edition covers the XC7A100T and every core used here). Writes
# OUTDIR/ferry_litefury.bit, .mcs (quad SPI flash), the routed checkpoint, reports
# (utilization, timing, clocks) and the generated IP under OUTDIR/ip.
#
# The design (ferry_litefury_top.v draws it):
#   axi_pcie (AXI Memory Mapped to PCI Express, PG055) as a Gen2 x4 endpoint,
#     BAR0 (64 KiB) -> its M_AXI -> 128->32 width converter -> AXI4-Lite -> ferry s_axil
#     its S_AXI: AXI address = PCIe bus address over 0..4 GiB (two 2 GiB windows,
#     32-bit TLPs), covering the VFIO IOVA window of sw/port/linux
#   ferry m_axi (128-bit, 64-bit addresses) -> axi_crossbar -> bridge S_AXI
#     (0x0_0000_0000, 4 GiB) and axi_bram_ctrl + 64 KiB BRAM (0x1_0000_0000)
#   ferry irq[3:0] -> ferry_litefury_msi -> MSI vectors 0..3 (INTX_MSI_Request)
#
# `make fpga-check` runs this script under tclsh with every Vivado command
# stubbed (fpga/check/vivado_stubs.tcl): that checks its Tcl, the files it
# reads and the IP names it creates, never Vivado's answer to them.

set here [file dirname [file normalize [info script]]]
set root [file normalize [file join $here .. .. ..]]
if {[llength $argv] > 0} {
    set out [file normalize [lindex $argv 0]]
} else {
    set out [file join $root sim out litefury]
}
set part xc7a100tfgg484-2L
set top ferry_litefury_top

file mkdir $out
file mkdir [file join $out ip]

# In-memory project: create_ip needs one, nothing is written but OUTDIR.
create_project -in_memory -part $part
set_property target_language Verilog [current_project]

# ---------------------------------------------------------------- vendor cores
# One create_ip per core; the module names are those ferry_litefury_top.v
# instantiates and fpga/boards/litefury/stubs/ mirrors.
proc ferry_ip {vlnv name config} {
    global out
    create_ip -vlnv $vlnv -module_name $name -dir [file join $out ip]
    set_property -dict $config [get_ips $name]
}

# PCIe bridge: Gen2 x4 endpoint, 128-bit AXI at 125 MHz (axi_aclk_out).
ferry_ip xilinx.com:ip:axi_pcie:2.9 ferry_pcie [list \
    CONFIG.INCLUDE_RC {PCI_Express_Endpoint_device} \
    CONFIG.NO_OF_LANES {X4} \
    CONFIG.MAX_LINK_SPEED {5.0_GT/s} \
    CONFIG.REF_CLK_FREQ {100_MHz} \
    CONFIG.VENDOR_ID {0x10EE} \
    CONFIG.DEVICE_ID {0x7024} \
    CONFIG.S_AXI_DATA_WIDTH {128} \
    CONFIG.M_AXI_DATA_WIDTH {128} \
    CONFIG.S_AXI_ID_WIDTH {4} \
    CONFIG.S_AXI_SUPPORTS_NARROW_BURST {false} \
    CONFIG.BAR_64BIT {false} \
    CONFIG.BAR0_SCALE {Kilobytes} \
    CONFIG.BAR0_SIZE {64} \
    CONFIG.PCIEBAR2AXIBAR_0 {0x00000000} \
    CONFIG.BAR1_ENABLED {false} \
    CONFIG.BAR2_ENABLED {false} \
    CONFIG.AXIBAR_NUM {2} \
    CONFIG.AXIBAR_0 {0x00000000} \
    CONFIG.AXIBAR_HIGHADDR_0 {0x7FFFFFFF} \
    CONFIG.AXIBAR_AS_0 {false} \
    CONFIG.AXIBAR2PCIEBAR_0 {0x00000000} \
    CONFIG.AXIBAR_1 {0x80000000} \
    CONFIG.AXIBAR_HIGHADDR_1 {0xFFFFFFFF} \
    CONFIG.AXIBAR_AS_1 {false} \
    CONFIG.AXIBAR2PCIEBAR_1 {0x80000000} \
    CONFIG.INCLUDE_BAROFFSET_REG {false} \
    CONFIG.NUM_MSI_REQ {2} \
    CONFIG.INTERRUPT_PIN {true} \
]

# BAR0 path: 128-bit AXI4 -> 32-bit AXI4 -> AXI4-Lite.
ferry_ip xilinx.com:ip:axi_dwidth_converter:2.1 ferry_bar_dwidth [list \
    CONFIG.PROTOCOL {AXI4} \
    CONFIG.ADDR_WIDTH {32} \
    CONFIG.SI_DATA_WIDTH {128} \
    CONFIG.MI_DATA_WIDTH {32} \
    CONFIG.SI_ID_WIDTH {0} \
    CONFIG.ACLK_ASYNC {0} \
]
ferry_ip xilinx.com:ip:axi_protocol_converter:2.1 ferry_bar_lite [list \
    CONFIG.SI_PROTOCOL {AXI4} \
    CONFIG.MI_PROTOCOL {AXI4LITE} \
    CONFIG.ADDR_WIDTH {32} \
    CONFIG.DATA_WIDTH {32} \
    CONFIG.ID_WIDTH {0} \
    CONFIG.TRANSLATION_MODE {2} \
]

# m_axi: 1 x 2 crossbar, host memory at 0, BRAM at 4 GiB.
ferry_ip xilinx.com:ip:axi_crossbar:2.1 ferry_xbar [list \
    CONFIG.PROTOCOL {AXI4} \
    CONFIG.NUM_SI {1} \
    CONFIG.NUM_MI {2} \
    CONFIG.ADDR_WIDTH {64} \
    CONFIG.DATA_WIDTH {128} \
    CONFIG.ID_WIDTH {4} \
    CONFIG.ADDR_RANGES {1} \
    CONFIG.M00_A00_BASE_ADDR {0x0000000000000000} \
    CONFIG.M00_A00_ADDR_WIDTH {32} \
    CONFIG.M01_A00_BASE_ADDR {0x0000000100000000} \
    CONFIG.M01_A00_ADDR_WIDTH {16} \
]

# On-card memory: the controller; the RAM itself is ferry_litefury_bram.v.
ferry_ip xilinx.com:ip:axi_bram_ctrl:4.1 ferry_bram_ctrl [list \
    CONFIG.PROTOCOL {AXI4} \
    CONFIG.DATA_WIDTH {128} \
    CONFIG.ID_WIDTH {4} \
    CONFIG.MEM_DEPTH {4096} \
    CONFIG.SINGLE_PORT_BRAM {1} \
    CONFIG.ECC_TYPE {0} \
]

set ips [get_ips {ferry_pcie ferry_bar_dwidth ferry_bar_lite ferry_xbar ferry_bram_ctrl}]
generate_target all $ips
synth_ip $ips

# ---------------------------------------------------------------- sources
set rtl [file join $root rtl]
read_verilog [glob -directory $rtl *.v]
read_verilog [list \
    [file join $here ferry_litefury_top.v] \
    [file join $here ferry_litefury_msi.v] \
    [file join $here ferry_litefury_bram.v] \
]
read_xdc [file join $here ferry_litefury.xdc]

# ---------------------------------------------------------------- implement
synth_design -top $top -part $part -include_dirs [list $rtl]
report_utilization -file [file join $out synth_utilization.txt]
opt_design
place_design
phys_opt_design
route_design
report_utilization -hierarchical -file [file join $out utilization.txt]
report_timing_summary -max_paths 20 -file [file join $out timing_summary.txt]
report_clocks -file [file join $out clocks.txt]
write_checkpoint -force [file join $out ferry_litefury_routed.dcp]

# Refuse to write a bitstream that misses timing.
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
if {$wns < 0} {
    error "build.tcl: timing not met (worst setup slack $wns ns): see [file join $out timing_summary.txt]"
}

write_bitstream -force [file join $out ferry_litefury.bit]
# 16 MiB quad SPI flash; the image at address 0.
write_cfgmem -force -format mcs -interface SPIx4 -size 16 \
    -loadbit [list up 0x0 [file join $out ferry_litefury.bit]] \
    -file [file join $out ferry_litefury.mcs]
puts "build.tcl: [file join $out ferry_litefury.bit] and .mcs written"
