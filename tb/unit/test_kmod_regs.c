/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_kmod_regs: the register values the kernel module repeats
 * (sw/kmod/ferry_pci_regs.h; the module cannot include the generated
 * header) against the generated map (sw/include/ferry/ferry_regs.h). No RTL
 * and no kernel: both headers are plain constants. A regenerated map that
 * moves a value the module uses fails here, not in a probe on a card.
 */
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sw/kmod/ferry_pci_regs.h"
#include "ferry/ferry_regs.h"
#include "unit.h"

#define TEST_TIMEOUT_S 10

/* Every constant of ferry_pci_regs.h, with the generated value it repeats. */
static const struct {
    const char *name;
    uint32_t kmod, gen;
} consts[] = {
#define SAME(k, g) {#k " vs " #g, (k), (g)}
    SAME(FERRY_PCI_MAGIC, FERRY_MAGIC),
    SAME(FERRY_PCI_IF_MAJOR, FERRY_IF_VERSION_MAJOR),
    SAME(FERRY_PCI_BAR_SIZE, FERRY_BAR_SIZE),
    SAME(FERRY_PCI_MAX_CHANNELS, FERRY_MAX_CHANNELS),
    SAME(FERRY_PCI_REG_ID, FERRY_REG_ID),
    SAME(FERRY_PCI_REG_IF_VERSION, FERRY_REG_IF_VERSION),
    SAME(FERRY_PCI_IF_VERSION_MAJOR_SHIFT, FERRY_IF_VERSION_MAJOR_SHIFT),
    SAME(FERRY_PCI_IF_VERSION_MINOR_MASK, FERRY_IF_VERSION_MINOR_MASK),
    SAME(FERRY_PCI_REG_CAP0, FERRY_REG_CAP0),
    SAME(FERRY_PCI_CAP0_CHANNELS_MASK, FERRY_CAP0_CHANNELS_MASK),
    SAME(FERRY_PCI_CAP0_ADDR_WIDTH_SHIFT, FERRY_CAP0_ADDR_WIDTH_SHIFT),
    SAME(FERRY_PCI_CAP0_ADDR_WIDTH_MASK, FERRY_CAP0_ADDR_WIDTH_MASK),
    SAME(FERRY_PCI_REG_CAP1, FERRY_REG_CAP1),
    SAME(FERRY_PCI_REG_IRQ_STATUS, FERRY_REG_IRQ_STATUS),
    SAME(FERRY_PCI_CH_BASE, FERRY_CH_BASE),
    SAME(FERRY_PCI_CH_STRIDE, FERRY_CH_STRIDE),
    SAME(FERRY_PCI_CH_SRC_LO, FERRY_CH_SRC_LO),
    SAME(FERRY_PCI_CH_SRC_HI, FERRY_CH_SRC_HI),
    SAME(FERRY_PCI_CH_DST_LO, FERRY_CH_DST_LO),
    SAME(FERRY_PCI_CH_DST_HI, FERRY_CH_DST_HI),
    SAME(FERRY_PCI_CH_LEN, FERRY_CH_LEN),
    SAME(FERRY_PCI_CH_CTRL, FERRY_CH_CTRL),
    SAME(FERRY_PCI_CH_STATUS, FERRY_CH_STATUS),
    SAME(FERRY_PCI_CH_IRQ_ENABLE, FERRY_CH_IRQ_ENABLE),
    SAME(FERRY_PCI_CH_RING_CTRL, FERRY_CH_RING_CTRL),
    SAME(FERRY_PCI_CTRL_START, FERRY_CTRL_START_MASK),
    SAME(FERRY_PCI_CTRL_ABORT, FERRY_CTRL_ABORT_MASK),
    SAME(FERRY_PCI_CTRL_RESET, FERRY_CTRL_RESET_MASK),
    SAME(FERRY_PCI_STATUS_BUSY, FERRY_STATUS_BUSY_MASK),
    SAME(FERRY_PCI_STATUS_DONE, FERRY_STATUS_DONE_MASK),
    SAME(FERRY_PCI_STATUS_ERROR, FERRY_STATUS_ERROR_MASK),
    SAME(FERRY_PCI_STATUS_DB_OVERRUN, FERRY_STATUS_DB_OVERRUN_MASK),
    SAME(FERRY_PCI_STATUS_RING_ACTIVE, FERRY_STATUS_RING_ACTIVE_MASK),
    SAME(FERRY_PCI_IRQ_ENABLE_DONE, FERRY_IRQ_ENABLE_DONE_MASK),
    SAME(FERRY_PCI_IRQ_ENABLE_ERROR, FERRY_IRQ_ENABLE_ERROR_MASK),
#undef SAME
};

START_TEST(test_kmod_consts)
{
    for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
        ck_assert_msg(consts[i].kmod == consts[i].gen, "%s: the module has 0x%" PRIX32 ", the map 0x%" PRIX32,
                      consts[i].name, consts[i].kmod, consts[i].gen);
    }
}
END_TEST

/* The module probes what the reset value of IF_VERSION says a card is. */
START_TEST(test_kmod_if_version)
{
    const uint32_t v = FERRY_REG_IF_VERSION_RESET;

    ck_assert_uint_eq(v >> FERRY_PCI_IF_VERSION_MAJOR_SHIFT, FERRY_PCI_IF_MAJOR);
    ck_assert_uint_eq(v & FERRY_PCI_IF_VERSION_MINOR_MASK, FERRY_IF_VERSION_MINOR);
}
END_TEST

START_TEST(test_kmod_ch_reg)
{
    for (unsigned ch = 0; ch < FERRY_MAX_CHANNELS; ch++) {
        for (uint32_t reg = 0; reg < FERRY_CH_STRIDE; reg += 4U) {
            ck_assert_uint_eq(FERRY_PCI_CH_REG(ch, reg), FERRY_CH_REG(ch, reg));
        }
    }
}
END_TEST

static Suite *kmod_regs_suite(void)
{
    Suite *s = suite_create("kmod_regs");
    TCase *tc = tcase_create("consts");

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_kmod_consts);
    UNIT_ADD_TEST(tc, test_kmod_if_version);
    UNIT_ADD_TEST(tc, test_kmod_ch_reg);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run("test_kmod_regs", kmod_regs_suite());
}
