/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_regmap: the register block against the generated map (ferry_regs.h,
 * docs/registers.md), over the AXI4-Lite bus of the Verilated ferry_top.
 *
 * Every test builds a fresh model with tb_config_random(SEED) (env SEED,
 * default 1; printed at start). Build parameters the model cannot report
 * come in as -D FERRY_ADDR_WIDTH / FERRY_MAX_BURST_LEN / FERRY_MAX_OUTSTANDING.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/ferry_regs.h"
#include "axi_mem.h" /* axi_rng_t */
#include "ferry_model.h"
#include "tb.h"
#include "unit.h"

#ifndef FERRY_ADDR_WIDTH
#define FERRY_ADDR_WIDTH 64
#endif
#ifndef FERRY_MAX_BURST_LEN
#define FERRY_MAX_BURST_LEN 64
#endif
#ifndef FERRY_MAX_OUTSTANDING
#define FERRY_MAX_OUTSTANDING 16
#endif

#define TEST_TIMEOUT_S 120
#define POLL_BUDGET 10000U /* STATUS reads before a transfer counts as hung */

static uint64_t g_seed = 1;

static tb_t *open_tb(void)
{
    tb_config_t cfg;
    tb_t *tb;

    tb_config_random(&cfg, g_seed);
    tb = tb_new(&cfg);
    ck_assert_msg(tb != NULL, "tb_new failed (seed %" PRIu64 ")", g_seed);
    return tb;
}

static void close_tb(tb_t *tb)
{
    ck_assert_msg(tb_error(tb) == NULL, "bus protocol error: %s", tb_error(tb) ? tb_error(tb) : "");
    tb_free(tb);
}

static uint32_t rd_ok(tb_t *tb, uint32_t off)
{
    uint32_t v = 0xDEADBEEFU;
    int resp = tb_bar_read(tb, off, &v);
    ck_assert_msg(resp == TB_RESP_OKAY, "read 0x%04" PRIX32 ": response %d, want OKAY", off, resp);
    return v;
}

static void wr_ok(tb_t *tb, uint32_t off, uint32_t val, unsigned strb)
{
    int resp = tb_bar_write(tb, off, val, strb);
    ck_assert_msg(resp == TB_RESP_OKAY, "write 0x%04" PRIX32 " strb 0x%X: response %d, want OKAY", off, strb,
                  resp);
}

static uint32_t expected_cap0(tb_t *tb)
{
    return FERRY_FIELD_PREP(FERRY_CAP0_CHANNELS, tb_num_channels(tb)) |
           FERRY_FIELD_PREP(FERRY_CAP0_DATA_BYTES, tb_data_bytes(tb)) |
           FERRY_FIELD_PREP(FERRY_CAP0_ADDR_WIDTH, FERRY_ADDR_WIDTH);
}

static uint32_t expected_cap1(void)
{
    return FERRY_FIELD_PREP(FERRY_CAP1_MAX_BURST, FERRY_MAX_BURST_LEN) |
           FERRY_FIELD_PREP(FERRY_CAP1_MAX_OUTSTANDING, FERRY_MAX_OUTSTANDING) |
           FERRY_FIELD_PREP(FERRY_CAP1_RING, 1U) | FERRY_FIELD_PREP(FERRY_CAP1_DIRECT, 1U) |
           FERRY_FIELD_PREP(FERRY_CAP1_WINDOWS, FERRY_NUM_WINDOWS);
}

/* Polls the channel's STATUS until BUSY drops; returns STATUS. */
static uint32_t wait_idle(tb_t *tb, unsigned ch)
{
    for (unsigned i = 0; i < POLL_BUDGET; i++) {
        uint32_t s = rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS));
        if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 0U) {
            return s;
        }
    }
    ck_abort_msg("channel %u still BUSY after %u STATUS reads (seed %" PRIu64 ")", ch, POLL_BUDGET, g_seed);
    return 0;
}

START_TEST(test_reset_values)
{
    tb_t *tb = open_tb();
    unsigned nch = tb_num_channels(tb);

    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        const struct ferry_reg_info *r = &ferry_reg_info[i];
        unsigned copies = r->per_channel ? nch : 1U;
        for (unsigned ch = 0; ch < copies; ch++) {
            uint32_t off = r->per_channel ? FERRY_CH_REG(ch, r->offset) : r->offset;
            uint32_t want = r->reset;
            uint32_t got;
            if (!r->per_channel && r->offset == FERRY_REG_CYCLE_LO) {
                continue; /* counts cycles since reset: see test_cycle_counter */
            }
            if (!r->per_channel && r->offset == FERRY_REG_CAP0) {
                want = expected_cap0(tb);
            } else if (!r->per_channel && r->offset == FERRY_REG_CAP1) {
                want = expected_cap1();
            } else if (r->per_channel && r->offset == FERRY_CH_MAX_OUT) {
                want = FERRY_MAX_OUTSTANDING; /* reset value is the build parameter */
            } else if (!r->per_channel && r->offset == FERRY_REG_CAP2) {
                want = ((uint32_t)FERRY_C2H_MASK << 16) | (uint32_t)FERRY_H2C_MASK; /* build parameters */
            } else if (r->per_channel && r->offset == FERRY_CH_STREAM) {
                want = ((FERRY_C2H_MASK >> ch) & 1U) ? 2U : ((FERRY_H2C_MASK >> ch) & 1U) ? 1U : 0U; /* KIND */
            }
            got = rd_ok(tb, off);
            ck_assert_msg(got == want, "%s (0x%04" PRIX32 ") reads 0x%08" PRIX32 ", want 0x%08" PRIX32, r->name,
                          off, got, want);
        }
    }
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_ID), FERRY_MAGIC);
    ck_assert_uint_eq(FERRY_FIELD_GET(FERRY_IF_VERSION_MAJOR, rd_ok(tb, FERRY_REG_IF_VERSION)),
                      FERRY_IF_VERSION_MAJOR);
    close_tb(tb);
}
END_TEST

START_TEST(test_cycle_counter)
{
    tb_t *tb = open_tb();
    uint32_t a = rd_ok(tb, FERRY_REG_CYCLE_LO);
    uint32_t hi = rd_ok(tb, FERRY_REG_CYCLE_HI);
    uint32_t b;

    tb_step(tb, 100);
    b = rd_ok(tb, FERRY_REG_CYCLE_LO);
    ck_assert_msg(b - a >= 100U, "CYCLE_LO went from %" PRIu32 " to %" PRIu32 " over 100+ cycles", a, b);
    ck_assert_msg(b <= tb_cycle(tb), "CYCLE_LO %" PRIu32 " ahead of the clock %" PRIu64, b, tb_cycle(tb));
    ck_assert_uint_eq(hi, 0);
    close_tb(tb);
}
END_TEST

/* The generated field table (what ferryctl regs decodes with) agrees with
 * the header's masks and never overlaps fields; only CYCLE_LO has a read
 * side effect. No simulation needed. */
START_TEST(test_field_table)
{
    uint32_t used[96] = {0};
    unsigned status_fields = 0;

    ck_assert_uint_le(ferry_reg_info_count, 96);
    for (unsigned i = 0; i < ferry_field_info_count; i++) {
        const struct ferry_field_info *f = &ferry_field_info[i];
        uint32_t m;
        ck_assert_uint_lt(f->reg, ferry_reg_info_count);
        ck_assert_uint_ge(f->width, 1);
        ck_assert_uint_le(f->lsb + f->width, 32);
        m = (uint32_t)(((1ULL << f->width) - 1U) << f->lsb);
        ck_assert_msg((used[f->reg] & m) == 0U, "%s.%s overlaps", ferry_reg_info[f->reg].name, f->name);
        used[f->reg] |= m;
        if (strcmp(ferry_reg_info[f->reg].name, "STATUS") == 0) {
            status_fields++;
            if (strcmp(f->name, "ERR_CODE") == 0) {
                ck_assert_uint_eq(m, FERRY_STATUS_ERR_CODE_MASK);
            } else if (strcmp(f->name, "BUSY") == 0) {
                ck_assert_uint_eq(m, FERRY_STATUS_BUSY_MASK);
            }
        }
        if (i > 0U) {
            ck_assert_uint_ge(f->reg, ferry_field_info[i - 1U].reg); /* in register order */
        }
    }
    ck_assert_uint_eq(status_fields, 10);
    for (unsigned r = 0; r < ferry_reg_info_count; r++) {
        ck_assert_msg(used[r] != 0U, "%s has no field", ferry_reg_info[r].name);
        ck_assert_msg((ferry_reg_info[r].read_effect != NULL) == (strcmp(ferry_reg_info[r].name, "CYCLE_LO") == 0),
                      "%s: read_effect", ferry_reg_info[r].name);
    }
}
END_TEST

START_TEST(test_scratch_strobes)
{
    tb_t *tb = open_tb();

    wr_ok(tb, FERRY_REG_SCRATCH, 0x12345678U, 0xF);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0x12345678U);
    wr_ok(tb, FERRY_REG_SCRATCH, 0xAABBCCDDU, 0x1);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0x123456DDU);
    wr_ok(tb, FERRY_REG_SCRATCH, 0xAABBCCDDU, 0x6);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0x12BBCCDDU);
    wr_ok(tb, FERRY_REG_SCRATCH, 0x55000000U, 0x8);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0x55BBCCDDU);
    wr_ok(tb, FERRY_REG_SCRATCH, 0xFFFFFFFFU, 0x0);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0x55BBCCDDU);
    wr_ok(tb, FERRY_REG_SCRATCH, 0x00FF00FFU, 0x5);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0x55FFCCFFU);
    wr_ok(tb, FERRY_REG_SCRATCH, 0U, 0xF);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0U);
    close_tb(tb);
}
END_TEST

START_TEST(test_rw_registers)
{
    tb_t *tb = open_tb();
    unsigned nch = tb_num_channels(tb);
    static const uint32_t full[] = {FERRY_CH_SRC_LO, FERRY_CH_SRC_HI, FERRY_CH_DST_LO, FERRY_CH_DST_HI,
                                    FERRY_CH_LEN};

    for (unsigned ch = 0; ch < nch; ch++) {
        for (unsigned i = 0; i < sizeof(full) / sizeof(full[0]); i++) {
            uint32_t off = FERRY_CH_REG(ch, full[i]);
            uint32_t v = 0xA5000000U ^ (ch << 16) ^ (i << 8) ^ off;
            wr_ok(tb, off, v, 0xF);
            ck_assert_uint_eq(rd_ok(tb, off), v);
            wr_ok(tb, off, ~v, 0xF);
            ck_assert_uint_eq(rd_ok(tb, off), ~v);
        }
        wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), 0xFFFFFFFFU, 0xF);
        ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE)),
                          FERRY_IRQ_ENABLE_DONE_MASK | FERRY_IRQ_ENABLE_ERROR_MASK | FERRY_IRQ_ENABLE_CPL_MASK);
        wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), 0U, 0xF);
        ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE)), 0U);
        /* CTRL is wo: bits above RESET do nothing, it reads 0 */
        wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_CTRL), 0xFFFFFFE0U, 0xF);
        ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_CTRL)), 0U);
        ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS)), 0U);
    }
    /* one channel's registers are its own */
    if (nch > 1U) {
        wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_SRC_LO), 0x11111111U, 0xF);
        wr_ok(tb, FERRY_CH_REG(1, FERRY_CH_SRC_LO), 0x22222222U, 0xF);
        ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(0, FERRY_CH_SRC_LO)), 0x11111111U);
    }
    close_tb(tb);
}
END_TEST

START_TEST(test_ro_writes_slverr)
{
    tb_t *tb = open_tb();
    unsigned n = 0;

    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        const struct ferry_reg_info *r = &ferry_reg_info[i];
        uint32_t off;
        uint32_t before;
        int resp;
        if (r->per_channel || strcmp(r->access, "ro") != 0) {
            continue;
        }
        off = r->offset;
        before = rd_ok(tb, off);
        resp = tb_bar_write(tb, off, ~before, 0xF);
        ck_assert_msg(resp == TB_RESP_SLVERR, "write to ro %s (0x%03" PRIX32 "): response %d, want SLVERR",
                      r->name, off, resp);
        if (off != FERRY_REG_CYCLE_LO && off != FERRY_REG_CYCLE_HI) {
            ck_assert_msg(rd_ok(tb, off) == before, "ro %s changed by a write", r->name);
        }
        n++;
    }
    ck_assert_uint_ge(n, 7);
    close_tb(tb);
}
END_TEST

static void check_undefined(tb_t *tb, uint32_t off)
{
    uint32_t v = 0xDEADBEEFU;
    int resp = tb_bar_read(tb, off, &v);

    ck_assert_msg(resp == TB_RESP_SLVERR, "read of undefined 0x%04" PRIX32 ": response %d, want SLVERR", off,
                  resp);
    ck_assert_msg(v == FERRY_UNDEFINED_READ, "read of undefined 0x%04" PRIX32 " returned 0x%08" PRIX32, off, v);
    resp = tb_bar_write(tb, off, 0xFFFFFFFFU, 0xF);
    ck_assert_msg(resp == TB_RESP_SLVERR, "write of undefined 0x%04" PRIX32 ": response %d, want SLVERR", off,
                  resp);
    v = 0xDEADBEEFU;
    resp = tb_bar_read(tb, off, &v);
    ck_assert_msg(resp == TB_RESP_SLVERR && v == FERRY_UNDEFINED_READ,
                  "undefined 0x%04" PRIX32 " after a write: response %d, value 0x%08" PRIX32, off, resp, v);
}

START_TEST(test_undefined_offsets)
{
    tb_t *tb = open_tb();
    unsigned nch = tb_num_channels(tb);
    uint32_t offs[] = {0x014U, 0x02CU, 0x028U, 0x100U, 0x800U, 0x0FFCU, FERRY_CH_REG(0, 0x06CU),
                       FERRY_CH_REG(0, 0x0BCU), FERRY_CH_REG(nch - 1U, 0x070U), 0x1FBCU};

    wr_ok(tb, FERRY_REG_SCRATCH, 0x5CA77E55U, 0xF);
    for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        check_undefined(tb, offs[i]);
    }
    /* the blocks of channels this build does not have */
    for (unsigned ch = nch; ch < FERRY_MAX_CHANNELS; ch++) {
        check_undefined(tb, FERRY_CH_REG(ch, FERRY_CH_SRC_LO));
        check_undefined(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS));
    }
    if (nch < FERRY_MAX_CHANNELS) {
        /* a doorbell there starts nothing */
        tb_stats_t st;
        tb_stats_clear(tb);
        ck_assert_int_eq(tb_bar_write(tb, FERRY_CH_REG(nch, FERRY_CH_CTRL), 1U, 0xF), TB_RESP_SLVERR);
        tb_step(tb, 200);
        tb_stats(tb, &st);
        ck_assert_uint_eq(st.ar_count, 0);
        ck_assert_uint_eq(st.aw_count, 0);
    }
    /* nothing defined changed */
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_SCRATCH), 0x5CA77E55U);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_ID), FERRY_MAGIC);
    for (unsigned ch = 0; ch < nch; ch++) {
        ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS)), 0U);
        ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE)), 0U);
    }
    close_tb(tb);
}
END_TEST

static void program(tb_t *tb, unsigned ch, uint64_t src, uint64_t dst, uint32_t len)
{
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_SRC_LO), (uint32_t)src, 0xF);
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_SRC_HI), (uint32_t)(src >> 32), 0xF);
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_DST_LO), (uint32_t)dst, 0xF);
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_DST_HI), (uint32_t)(dst >> 32), 0xF);
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_LEN), len, 0xF);
}

START_TEST(test_status_done_w1c)
{
    tb_t *tb = open_tb();
    unsigned ch = tb_num_channels(tb) - 1U;
    uint8_t pat[16], got[16];
    uint32_t s;

    for (unsigned i = 0; i < sizeof(pat); i++) {
        pat[i] = (uint8_t)(0xC0U + i);
    }
    tb_mem_write(tb, 0x40000, pat, sizeof(pat));
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), FERRY_IRQ_ENABLE_DONE_MASK, 0xF);
    program(tb, ch, 0x40000, 0x50000, sizeof(pat));
    /* a doorbell whose byte lane is not strobed does nothing */
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_CTRL_START_MASK, 0xE);
    tb_step(tb, 50);
    ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS)), 0U);

    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_CTRL_START_MASK, 0xF);
    s = wait_idle(tb, ch);
    ck_assert_msg(s == FERRY_STATUS_DONE_MASK, "STATUS 0x%08" PRIX32 " after a good transfer, want DONE only", s);
    tb_mem_read(tb, 0x50000, got, sizeof(got));
    ck_assert_mem_eq(got, pat, sizeof(pat));
    ck_assert_uint_eq(tb_irq(tb) >> ch & 1U, 1U);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_IRQ_STATUS), 1U << ch);

    /* writing 0, or the DONE bit in an unstrobed lane, keeps DONE */
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS), 0U, 0xF);
    ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS)), FERRY_STATUS_DONE_MASK);
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS), FERRY_STATUS_DONE_MASK, 0xE);
    ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS)), FERRY_STATUS_DONE_MASK);
    /* write 1 clears, the interrupt line drops with it */
    wr_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS), FERRY_STATUS_DONE_MASK, 0xF);
    ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(ch, FERRY_CH_STATUS)), 0U);
    ck_assert_uint_eq(rd_ok(tb, FERRY_REG_IRQ_STATUS), 0U);
    ck_assert_uint_eq(tb_irq(tb) >> ch & 1U, 0U);
    close_tb(tb);
}
END_TEST

START_TEST(test_status_error_w1c)
{
    tb_t *tb = open_tb();
    uint32_t s;

    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_IRQ_ENABLE), FERRY_IRQ_ENABLE_ERROR_MASK, 0xF);
    program(tb, 0, 0x1000, 0x2000, 0);
    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_CTRL), FERRY_CTRL_START_MASK, 0xF);
    s = wait_idle(tb, 0);
    ck_assert_msg(FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) == 1U && FERRY_FIELD_GET(FERRY_STATUS_DONE, s) == 0U &&
                      FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s) == FERRY_ERR_LEN_ZERO,
                  "STATUS 0x%08" PRIX32 " after LEN=0, want ERROR with ERR_CODE LEN_ZERO", s);
    ck_assert_uint_eq(tb_irq(tb) & 1U, 1U);
    /* ERR_CODE is ro: writing it changes nothing, and answers OKAY (STATUS is rw) */
    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_STATUS), FERRY_STATUS_ERR_CODE_MASK, 0xF);
    ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(0, FERRY_CH_STATUS)), s);
    /* clearing ERROR clears ERR_CODE and the line */
    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_STATUS), FERRY_STATUS_ERROR_MASK, 0xF);
    ck_assert_uint_eq(rd_ok(tb, FERRY_CH_REG(0, FERRY_CH_STATUS)), 0U);
    ck_assert_uint_eq(tb_irq(tb) & 1U, 0U);
    close_tb(tb);
}
END_TEST

/* ---- the registered boundary: no output depends on an input in the same cycle ---- */

static void bnd_random_inputs(axi_rng_t *r, fm_in_t *in)
{
    unsigned ids = 1U << FERRY_ID_WIDTH, first_free = fm_num_channels() + 1U;
    in->rst_n = 1;
    in->s_axil_awaddr = axi_rng_next(r) & 0xFFFC;
    in->s_axil_awvalid = axi_rng_next(r) & 1;
    in->s_axil_wdata = axi_rng_next(r) & 0xFFFFFFFFu;
    in->s_axil_wstrb = axi_rng_next(r) & 0xF;
    in->s_axil_wvalid = axi_rng_next(r) & 1;
    in->s_axil_bready = axi_rng_next(r) & 1;
    in->s_axil_araddr = axi_rng_next(r) & 0xFFFC;
    in->s_axil_arvalid = axi_rng_next(r) & 1;
    in->s_axil_rready = axi_rng_next(r) & 1;
    in->m_axi_awready = axi_rng_next(r) & 1;
    in->m_axi_wready = axi_rng_next(r) & 1;
    in->m_axi_bid = axi_rng_next(r) & (ids - 1U);
    in->m_axi_bresp = axi_rng_next(r) & 3;
    in->m_axi_bvalid = axi_rng_next(r) & 1;
    in->m_axi_arready = axi_rng_next(r) & 1;
    /* channel 0 (the copy) or an ID that names no port (dropped): a beat for
     * an idle port would stall R for good (it never takes it) */
    in->m_axi_rid = ((axi_rng_next(r) & 1) || first_free >= ids) ? 0 : axi_rng_range(r, first_free, ids - 1U);
    in->m_axi_rresp = axi_rng_next(r) & 3;
    in->m_axi_rlast = axi_rng_next(r) & 1;
    in->m_axi_rvalid = axi_rng_next(r) & 1;
    for (unsigned i = 0; i < FM_MAX_DATA_BYTES; i++) {
        in->m_axi_rdata[i] = (uint8_t)axi_rng_next(r);
    }
}

START_TEST(test_registered_boundary)
{
    tb_t *tb = open_tb();
    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_SRC_LO), 0x10000, 0xF);
    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_DST_LO), 0x80000, 0xF);
    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_LEN), 65536, 0xF);
    wr_ok(tb, FERRY_CH_REG(0, FERRY_CH_CTRL), FERRY_CTRL_START_MASK, 0xF);
    ck_assert_msg(tb_error(tb) == NULL, "bus protocol error: %s", tb_error(tb) ? tb_error(tb) : "");
    fm_t *fm = tb_model(tb); /* from here on the pins are driven here, not by the bench */
    axi_rng_t r;
    axi_rng_seed(&r, g_seed);
    fm_in_t in;
    memset(&in, 0, sizeof(in));
    unsigned arvalid_seen = 0;
    for (unsigned c = 0; c < 3000; c++) {
        fm_out_t a, b;
        bnd_random_inputs(&r, &in);
        fm_set_inputs(fm, &in);
        fm_eval(fm);
        fm_get_outputs(fm, &a);
        bnd_random_inputs(&r, &in);
        fm_set_inputs(fm, &in);
        fm_eval(fm);
        fm_get_outputs(fm, &b);
        ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0,
                      "cycle %u: an output changed with the inputs alone (no clock edge): a combinational path "
                      "from an input (ARVALID %" PRIu64 "/%" PRIu64 ", RREADY %" PRIu64 "/%" PRIu64
                      ", AWREADY %" PRIu64 "/%" PRIu64 ")",
                      c, a.m_axi_arvalid, b.m_axi_arvalid, a.m_axi_rready, b.m_axi_rready, a.s_axil_awready,
                      b.s_axil_awready);
        arvalid_seen += a.m_axi_arvalid != 0;
        fm_clock(fm);
    }
    ck_assert_msg(arvalid_seen > 0, "the copy never showed a read address: the check ran on an idle engine");
    tb_free(tb); /* not close_tb: the bench's bus checkers did not follow the pins driven here */
}
END_TEST

/* ---- stream lanes in reset: s_axis_tready low, no beat taken ---- */

/* A card-to-host lane's TREADY stays low for every cycle of a reset while its
 * source offers a beat (a source in another reset domain must not lose one),
 * and comes up once the reset is over. Only in builds with card-to-host
 * channels (FERRY_C2H_MASK), where regmap_suite adds it. */
START_TEST(test_stream_tready_low_in_reset)
{
    tb_t *tb = open_tb();
    fm_t *fm = tb_model(tb); /* the pins are driven here from now on */
    fm_in_t in;
    fm_axis_in_t ain;
    fm_axis_out_t aout;
    memset(&in, 0, sizeof(in));
    memset(&ain, 0, sizeof(ain));
    for (unsigned ch = 0; ch < FM_MAX_CHANNELS; ch++) {
        ain.s[ch].valid = 1;
        ain.s[ch].keep = ~0ULL;
    }
    in.rst_n = 0;
    for (unsigned c = 0; c < 8; c++) {
        fm_set_inputs(fm, &in);
        fm_set_axis(fm, &ain);
        fm_eval(fm);
        fm_get_axis(fm, &aout);
        ck_assert_msg((aout.s_tready & (uint32_t)FERRY_C2H_MASK) == 0U,
                      "reset cycle %u: s_axis_tready 0x%x with rst_n low (a beat offered now is lost)", c,
                      (unsigned)aout.s_tready);
        fm_clock(fm);
    }
    in.rst_n = 1;
    uint32_t seen = 0;
    for (unsigned c = 0; c < 8; c++) {
        fm_set_inputs(fm, &in);
        fm_set_axis(fm, &ain);
        fm_eval(fm);
        fm_get_axis(fm, &aout);
        seen |= aout.s_tready;
        fm_clock(fm);
    }
    ck_assert_msg((seen & (uint32_t)FERRY_C2H_MASK) == (uint32_t)FERRY_C2H_MASK,
                  "s_axis_tready of the card-to-host lanes (0x%x) never came up after the reset: 0x%x",
                  (unsigned)FERRY_C2H_MASK, (unsigned)seen);
    tb_free(tb); /* not close_tb: the bench's checkers did not follow the pins driven here */
}
END_TEST

static Suite *regmap_suite(void)
{
    Suite *s = suite_create("regmap");
    TCase *tc = tcase_create("regs");

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_reset_values);
    UNIT_ADD_TEST(tc, test_cycle_counter);
    UNIT_ADD_TEST(tc, test_field_table);
    UNIT_ADD_TEST(tc, test_scratch_strobes);
    UNIT_ADD_TEST(tc, test_rw_registers);
    UNIT_ADD_TEST(tc, test_ro_writes_slverr);
    UNIT_ADD_TEST(tc, test_undefined_offsets);
    UNIT_ADD_TEST(tc, test_status_done_w1c);
    UNIT_ADD_TEST(tc, test_status_error_w1c);
    UNIT_ADD_TEST(tc, test_registered_boundary);
    if (FERRY_C2H_MASK != 0) {
        UNIT_ADD_TEST(tc, test_stream_tready_low_in_reset);
    }
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    g_seed = unit_seed();
    return unit_run("test_regmap", regmap_suite());
}
