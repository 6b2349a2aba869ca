/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * ferry_pci_regs.h: the register map values sw/kmod/ferry_pci.c uses.
 *
 * They repeat sw/include/ferry/ferry_regs.h (generated from
 * rtl/regmap/ferry_regs.lua), which the module cannot include: that header
 * needs <stdint.h>, and make kmod builds from a copy of sw/kmod/ alone. So
 * this file holds plain constants under the module's own prefix and
 * includes nothing; tb/unit/test_kmod_regs.c includes it next to the
 * generated header and compares every value, so a regenerated map that
 * moves one (IF_VERSION.MAJOR going from 1 to 2, say) fails the unit tests
 * instead of a probe on a card. Add a value here, add it to that test.
 */
#ifndef FERRY_PCI_REGS_H
#define FERRY_PCI_REGS_H

#define FERRY_PCI_MAGIC 0x46525259U /* ID: "FRRY" */
#define FERRY_PCI_IF_MAJOR 2U       /* the IF_VERSION.MAJOR this module speaks (any minor) */
#define FERRY_PCI_BAR_SIZE 0x2000U  /* BAR0 bytes the register map needs */
#define FERRY_PCI_MAX_CHANNELS 16U

#define FERRY_PCI_REG_ID 0x000U
#define FERRY_PCI_REG_IF_VERSION 0x004U
#define FERRY_PCI_IF_VERSION_MAJOR_SHIFT 16U
#define FERRY_PCI_IF_VERSION_MINOR_MASK 0x0000FFFFU
#define FERRY_PCI_REG_CAP0 0x008U
#define FERRY_PCI_CAP0_CHANNELS_MASK 0x000000FFU
#define FERRY_PCI_CAP0_ADDR_WIDTH_SHIFT 16U
#define FERRY_PCI_CAP0_ADDR_WIDTH_MASK 0x00FF0000U
#define FERRY_PCI_REG_CAP1 0x00CU
#define FERRY_PCI_REG_IRQ_STATUS 0x020U

#define FERRY_PCI_CH_BASE 0x1000U
#define FERRY_PCI_CH_STRIDE 0x100U
#define FERRY_PCI_CH_REG(ch, reg) \
	(FERRY_PCI_CH_BASE + (unsigned int)(ch) * FERRY_PCI_CH_STRIDE + (reg))
#define FERRY_PCI_CH_SRC_LO 0x000U
#define FERRY_PCI_CH_SRC_HI 0x004U
#define FERRY_PCI_CH_DST_LO 0x008U
#define FERRY_PCI_CH_DST_HI 0x00CU
#define FERRY_PCI_CH_LEN 0x010U
#define FERRY_PCI_CH_CTRL 0x014U
#define FERRY_PCI_CH_STATUS 0x018U
#define FERRY_PCI_CH_IRQ_ENABLE 0x01CU
#define FERRY_PCI_CH_RING_CTRL 0x028U

#define FERRY_PCI_CTRL_START 0x00000001U
#define FERRY_PCI_CTRL_ABORT 0x00000002U
#define FERRY_PCI_CTRL_RESET 0x00000010U
#define FERRY_PCI_STATUS_BUSY 0x00000001U
#define FERRY_PCI_STATUS_DONE 0x00000002U
#define FERRY_PCI_STATUS_ERROR 0x00000004U
#define FERRY_PCI_STATUS_DB_OVERRUN 0x00000008U
#define FERRY_PCI_STATUS_RING_ACTIVE 0x00000020U
#define FERRY_PCI_IRQ_ENABLE_DONE 0x00000001U
#define FERRY_PCI_IRQ_ENABLE_ERROR 0x00000002U

#endif /* FERRY_PCI_REGS_H */
