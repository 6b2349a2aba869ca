# SPDX-License-Identifier: Apache-2.0
# ferry_litefury_top on the RHS Research LiteFury (XC7A100T-2L FGG484, M.2 2280 key M).
# Pins as the board's published pinout (RHS Research sample designs; LiteX-Boards
# rhsresearchllc_litefury.py). Read by fpga/boards/litefury/build.tcl; port names
# checked against ferry_litefury_top.v by `make fpga-check`.

# ---- configuration: 3.3 V banks, quad SPI flash, fast start so the card is up
# before the host enumerates PCIe
set_property CFGBVS VCCO [current_design]
set_property CONFIG_VOLTAGE 3.3 [current_design]
set_property CONFIG_MODE SPIx4 [current_design]
set_property BITSTREAM.CONFIG.SPI_BUSWIDTH 4 [current_design]
set_property BITSTREAM.CONFIG.SPI_FALL_EDGE YES [current_design]
set_property BITSTREAM.CONFIG.EXTMASTERCCLK_EN Div-1 [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]

# ---- PCIe reference clock (100 MHz from the host, MGTREFCLK0 of quad 216)
set_property PACKAGE_PIN F6 [get_ports pcie_refclk_p]
set_property PACKAGE_PIN E6 [get_ports pcie_refclk_n]
create_clock -name pcie_refclk -period 10.000 [get_ports pcie_refclk_p]

# ---- PERST# (active low, asynchronous to every clock here)
set_property PACKAGE_PIN J1 [get_ports pcie_perst_n]
set_property IOSTANDARD LVCMOS33 [get_ports pcie_perst_n]
set_property PULLUP true [get_ports pcie_perst_n]
set_false_path -from [get_ports pcie_perst_n]

# ---- CLKREQ# (driven low: the reference clock is wanted)
set_property PACKAGE_PIN G1 [get_ports pcie_clkreq_n]
set_property IOSTANDARD LVCMOS33 [get_ports pcie_clkreq_n]

# ---- PCIe lanes 0..3 (GTP transceivers; the bridge's own constraints place
# its lanes on the same channels)
set_property PACKAGE_PIN B10 [get_ports {pcie_rx_p[0]}]
set_property PACKAGE_PIN A10 [get_ports {pcie_rx_n[0]}]
set_property PACKAGE_PIN B6 [get_ports {pcie_tx_p[0]}]
set_property PACKAGE_PIN A6 [get_ports {pcie_tx_n[0]}]
set_property PACKAGE_PIN B8 [get_ports {pcie_rx_p[1]}]
set_property PACKAGE_PIN A8 [get_ports {pcie_rx_n[1]}]
set_property PACKAGE_PIN B4 [get_ports {pcie_tx_p[1]}]
set_property PACKAGE_PIN A4 [get_ports {pcie_tx_n[1]}]
set_property PACKAGE_PIN D11 [get_ports {pcie_rx_p[2]}]
set_property PACKAGE_PIN C11 [get_ports {pcie_rx_n[2]}]
set_property PACKAGE_PIN D5 [get_ports {pcie_tx_p[2]}]
set_property PACKAGE_PIN C5 [get_ports {pcie_tx_n[2]}]
set_property PACKAGE_PIN D9 [get_ports {pcie_rx_p[3]}]
set_property PACKAGE_PIN C9 [get_ports {pcie_rx_n[3]}]
set_property PACKAGE_PIN D7 [get_ports {pcie_tx_p[3]}]
set_property PACKAGE_PIN C7 [get_ports {pcie_tx_n[3]}]

# ---- user LEDs (polarity: LED_ACTIVE_LOW in ferry_litefury_top, 1 = lit when low;
# not confirmed on a card: flip the parameter if they show the inverse)
set_property PACKAGE_PIN G3 [get_ports {led_n[0]}]
set_property PACKAGE_PIN H3 [get_ports {led_n[1]}]
set_property PACKAGE_PIN G4 [get_ports {led_n[2]}]
set_property PACKAGE_PIN H4 [get_ports {led_n[3]}]
set_property IOSTANDARD LVCMOS33 [get_ports {led_n[*]}]
set_property DRIVE 8 [get_ports {led_n[*]}]
set_false_path -to [get_ports {led_n[*]}]
