/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_axis_model.c: Check suite for the AXI-Stream models (tb/axis_model.h)
 * alone, without Verilator. The tests play the DUT: a wire from a
 * card-to-host source lane to a host-to-card sink lane (so the sink checks
 * what the source drives), and hand-made lanes that break each rule.
 */
#include "axis_model.h"

#include "unit.h"

#define DB 8u
#define H2C 1u /* sink channel */
#define C2H 2u /* source channel */

/* One cycle with the DUT as a wire: s_axis lane C2H -> m_axis lane H2C,
 * m_axis_tready H2C -> s_axis_tready C2H. */
static void wire_cycle(axis_model_t *m, uint64_t cyc)
{
    fm_axis_in_t in;
    fm_axis_out_t out;
    axis_drive(m, &in);
    memset(&out, 0, sizeof(out));
    out.m[H2C] = in.s[C2H];
    out.s_tready = ((in.m_tready >> H2C) & 1u) << C2H;
    axis_update(m, cyc, 1, &in, &out);
}

static void fill(uint8_t *p, size_t n, unsigned salt)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * 7u + salt * 13u + (i >> 8));
    }
}

START_TEST(test_wire_packets)
{
    axi_rng_t rng;
    axi_rng_seed(&rng, unit_seed() + (uint64_t)_i);
    axis_model_t *m = axis_new(4, DB, 1u << H2C, 1u << C2H, &rng);
    ck_assert_ptr_nonnull(m);
    /* _i 0: no gaps; 1: gaps on both sides; 2: heavy gaps */
    static const unsigned gaps[3][2] = {{0, 0}, {30, 30}, {80, 70}};
    ck_assert_int_eq(axis_set_gaps(m, -1, gaps[_i][0], gaps[_i][1]), 0);
    static const size_t lens[] = {1, 2, DB - 1, DB, DB + 1, 3 * DB, 3 * DB + 5, 1000, 1};
    const size_t n = sizeof(lens) / sizeof(lens[0]);
    uint8_t buf[1000];
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        fill(buf, lens[i], (unsigned)i);
        ck_assert_int_eq(axis_send(m, C2H, buf, lens[i], (uint8_t)(0x10 + i), (uint8_t)(0x80 + i), NULL), 0);
        total += lens[i];
    }
    uint64_t cyc = 0;
    axis_stats_t st;
    do {
        wire_cycle(m, cyc++);
        ck_assert_uint_lt(cyc, 100000);
        axis_stats(m, H2C, &st);
    } while (st.packets < n);
    ck_assert_ptr_null(axis_error(m, NULL));
    for (size_t i = 0; i < n; i++) {
        axis_pkt_t p;
        ck_assert_int_eq(axis_recv(m, H2C, &p), 1);
        ck_assert_uint_eq(p.len, lens[i]);
        fill(buf, lens[i], (unsigned)i);
        ck_assert_mem_eq(p.data, buf, lens[i]);
        ck_assert_uint_eq(p.user, 0x10 + i);
        ck_assert_uint_eq(p.id, 0x80 + i);
        axis_pkt_free(&p);
    }
    axis_pkt_t p;
    ck_assert_int_eq(axis_recv(m, H2C, &p), 0);
    ck_assert_uint_eq(st.bytes, total);
    axis_stats_t ss;
    axis_stats(m, C2H, &ss);
    ck_assert_uint_eq(ss.bytes, total);
    ck_assert_uint_eq(ss.packets, n);
    ck_assert_uint_eq(ss.queued, 0);
    if (_i == 0) {
        /* no gaps: one beat per cycle */
        ck_assert_uint_eq(ss.last_cycle - ss.first_cycle + 1, ss.beats);
        ck_assert_uint_eq(ss.stall, 0);
    } else {
        ck_assert_uint_gt(st.stall, 0);
        ck_assert_uint_gt(ss.gap, 0);
    }
    axis_free(m);
}
END_TEST

/* A sink lane driven by hand: lane(valid, keep, last, data byte 0). */
static void drive_sink(axis_model_t *m, uint64_t cyc, int valid, uint64_t keep, int last, uint8_t d0, int *ready)
{
    fm_axis_in_t in;
    fm_axis_out_t out;
    axis_drive(m, &in);
    memset(&out, 0, sizeof(out));
    out.m[H2C].valid = (uint8_t)valid;
    out.m[H2C].keep = keep;
    out.m[H2C].last = (uint8_t)last;
    out.m[H2C].data[0] = d0;
    axis_update(m, cyc, 1, &in, &out);
    if (ready) {
        *ready = (int)((in.m_tready >> H2C) & 1u);
    }
}

static axis_model_t *new_sink(axi_rng_t *rng, unsigned ready_gap)
{
    axi_rng_seed(rng, unit_seed());
    axis_model_t *m = axis_new(4, DB, 1u << H2C, 1u << C2H, rng);
    ck_assert_ptr_nonnull(m);
    axis_set_gaps(m, -1, 0, ready_gap);
    return m;
}

START_TEST(test_rule_keep)
{
    axi_rng_t rng;
    /* all ones without TLAST: fine; 0x0F without TLAST: error */
    axis_model_t *m = new_sink(&rng, 0);
    drive_sink(m, 0, 1, 0xFF, 0, 1, NULL);
    ck_assert_ptr_null(axis_error(m, NULL));
    drive_sink(m, 1, 1, 0x0F, 0, 1, NULL);
    ck_assert_ptr_nonnull(axis_error(m, NULL));
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "not all ones"));
    axis_free(m);
    /* TLAST beat: 0x07 fine, 0x05 and 0 not contiguous */
    m = new_sink(&rng, 0);
    drive_sink(m, 0, 1, 0x07, 1, 1, NULL);
    ck_assert_ptr_null(axis_error(m, NULL));
    drive_sink(m, 1, 1, 0x05, 1, 1, NULL);
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "contiguous"));
    axis_free(m);
    m = new_sink(&rng, 0);
    drive_sink(m, 0, 1, 0, 1, 1, NULL);
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "contiguous"));
    axis_free(m);
}
END_TEST

START_TEST(test_rule_stable)
{
    axi_rng_t rng;
    /* never ready: a beat offered must stay, unchanged */
    axis_model_t *m = new_sink(&rng, 100);
    int ready;
    drive_sink(m, 0, 1, 0xFF, 0, 5, &ready);
    ck_assert_int_eq(ready, 0);
    drive_sink(m, 1, 1, 0xFF, 0, 5, NULL);
    ck_assert_ptr_null(axis_error(m, NULL));
    drive_sink(m, 2, 1, 0xFF, 0, 6, NULL); /* payload changed */
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "changed while waiting"));
    axis_free(m);
    m = new_sink(&rng, 100);
    drive_sink(m, 0, 1, 0xFF, 0, 5, NULL);
    drive_sink(m, 1, 0, 0, 0, 0, NULL); /* withdrawn */
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "TVALID dropped"));
    axis_free(m);
}
END_TEST

START_TEST(test_rule_other_lanes)
{
    axi_rng_t rng;
    axis_model_t *m = new_sink(&rng, 0);
    fm_axis_in_t in;
    fm_axis_out_t out;
    axis_drive(m, &in);
    memset(&out, 0, sizeof(out));
    out.m[0].data[3] = 1; /* a memory channel's lane */
    axis_update(m, 0, 1, &in, &out);
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "not host-to-card"));
    axis_free(m);
    m = new_sink(&rng, 0);
    axis_drive(m, &in);
    memset(&out, 0, sizeof(out));
    out.s_tready = 1u << 3;
    axis_update(m, 0, 1, &in, &out);
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "s_axis_tready"));
    axis_free(m);
    /* TVALID in reset: fine in the first reset cycle, an error after */
    m = new_sink(&rng, 0);
    memset(&in, 0, sizeof(in));
    memset(&out, 0, sizeof(out));
    out.m[H2C].valid = 1;
    out.m[H2C].keep = 0xFF;
    axis_update(m, 0, 0, &in, &out);
    ck_assert_ptr_null(axis_error(m, NULL));
    axis_update(m, 1, 0, &in, &out);
    ck_assert_ptr_nonnull(strstr(axis_error(m, NULL), "reset"));
    axis_free(m);
}
END_TEST

START_TEST(test_bad_args)
{
    axi_rng_t rng;
    axis_model_t *m = new_sink(&rng, 0);
    uint8_t b[4] = {0};
    const char *why = NULL;
    ck_assert_int_eq(axis_send(m, H2C, b, 4, 0, 0, &why), -1); /* not card-to-host */
    ck_assert_ptr_nonnull(why);
    ck_assert_int_eq(axis_send(m, C2H, b, 0, 0, 0, &why), -1); /* empty packet */
    ck_assert_int_eq(axis_loopback(m, C2H, H2C, 1, &why), -1); /* wrong way round */
    ck_assert_int_eq(axis_loopback(m, H2C, C2H, 1, NULL), 0);
    ck_assert_int_eq(axis_set_gaps(m, -1, 101, 0), -1);
    ck_assert_ptr_null(axis_new(4, DB, 3, 2, &rng)); /* overlapping masks */
    ck_assert_ptr_null(axis_new(2, DB, 4, 0, &rng)); /* channel above NUM_CHANNELS */
    axis_free(m);
}
END_TEST

static Suite *axis_suite(void)
{
    Suite *s = suite_create("axis_model");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_wire_packets, 0, 3);
    UNIT_ADD_TEST(tc, test_rule_keep);
    UNIT_ADD_TEST(tc, test_rule_stable);
    UNIT_ADD_TEST(tc, test_rule_other_lanes);
    UNIT_ADD_TEST(tc, test_bad_args);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return unit_run("test_axis_model", axis_suite()); }
