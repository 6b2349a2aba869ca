/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_axi_dirty.c: Check suite for the memory model's write tracking
 * (axi_mem_track_writes / axi_mem_dirty_pages), which the scenario runner's
 * end-of-test scoreboard uses.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "axi_mem.h"

/* One INCR write burst of `beats` full beats at addr through the bus
 * (no stalls configured), up to its B. Returns BRESP. */
static unsigned bus_write(axi_mem_t *m, uint64_t *cycle, unsigned db, uint64_t addr, unsigned beats)
{
    axi_mem_req_t q;
    axi_mem_rsp_t r;
    unsigned sent = 0;
    int aw_done = 0;

    for (unsigned n = 0; n < 10000u; n++) {
        memset(&q, 0, sizeof(q));
        axi_mem_drive(m, *cycle, &r);
        if (!aw_done) {
            q.awvalid = 1;
            q.awaddr = addr;
            q.awlen = beats - 1;
            q.awsize = (unsigned)__builtin_ctz(db);
            q.awburst = AXI_BURST_INCR;
        }
        if (sent < beats) {
            q.wvalid = 1;
            memset(q.wdata, 0xA0 + (int)sent, db);
            q.wstrb = db == 64 ? ~0ull : (1ull << db) - 1;
            q.wlast = sent == beats - 1;
        }
        q.bready = 1;
        axi_mem_update(m, *cycle, &q);
        (*cycle)++;
        aw_done |= q.awvalid && r.awready;
        sent += q.wvalid && r.wready;
        if (r.bvalid && q.bready) {
            return r.bresp;
        }
    }
    ck_abort_msg("no B response");
    return 99;
}

START_TEST(off_by_default)
{
    axi_rng_t rng;
    axi_rng_seed(&rng, 1);
    axi_mem_t *m = axi_mem_new(8, &rng);
    const uint64_t *pn;
    const unsigned char *how;

    axi_mem_write(m, 0x1000, "x", 1);
    ck_assert_uint_eq(axi_mem_dirty_pages(m, &pn, &how), 0);
    ck_assert_ptr_null(pn);
    axi_mem_free(m);
}
END_TEST

START_TEST(host_and_bus_pages)
{
    axi_rng_t rng;
    axi_rng_seed(&rng, 2);
    axi_mem_t *m = axi_mem_new(8, &rng);
    const uint64_t *pn;
    const unsigned char *how;
    uint64_t cycle = 1;
    uint8_t buf[16];

    axi_mem_write(m, 0x5000, "early", 5); /* before tracking: not listed */
    axi_mem_track_writes(m, 1);
    axi_mem_write(m, 0x3FFE, "abcd", 4); /* pages 3 and 4 */
    ck_assert_uint_eq(bus_write(m, &cycle, 8, 0x4000, 2), AXI_RESP_OKAY);
    ck_assert_uint_eq(bus_write(m, &cycle, 8, 0x9000, 1), AXI_RESP_OKAY);
    /* an errored beat is not stored, so its page is not dirty */
    ck_assert_int_eq(axi_mem_inject_error(m, 0x20000, 0x20FFF, 1, AXI_RESP_SLVERR), 0);
    ck_assert_uint_eq(bus_write(m, &cycle, 8, 0x20000, 1), AXI_RESP_SLVERR);
    axi_mem_read(m, 0x4000, buf, 16);
    ck_assert_uint_eq(buf[0], 0xA0);
    ck_assert_uint_eq(buf[8], 0xA1);

    size_t n = axi_mem_dirty_pages(m, &pn, &how);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(pn[0], 3);
    ck_assert_uint_eq(how[0], AXI_MEM_DIRTY_HOST);
    ck_assert_uint_eq(pn[1], 4);
    ck_assert_uint_eq(how[1], AXI_MEM_DIRTY_HOST | AXI_MEM_DIRTY_BUS);
    ck_assert_uint_eq(pn[2], 9);
    ck_assert_uint_eq(how[2], AXI_MEM_DIRTY_BUS);

    /* starting again forgets; stopping lists nothing */
    axi_mem_track_writes(m, 1);
    ck_assert_uint_eq(axi_mem_dirty_pages(m, &pn, &how), 0);
    axi_mem_track_writes(m, 0);
    axi_mem_write(m, 0x7000, "y", 1);
    ck_assert_uint_eq(axi_mem_dirty_pages(m, &pn, &how), 0);
    axi_mem_free(m);
}
END_TEST

START_TEST(many_pages_sorted)
{
    axi_rng_t rng;
    axi_rng_seed(&rng, 3);
    axi_mem_t *m = axi_mem_new(4, &rng);
    const uint64_t *pn;
    const unsigned char *how;

    axi_mem_track_writes(m, 1);
    /* 5000 pages in a scrambled order, some twice, one at the top */
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t p = (i * 2654435761u) % 5000u;
        axi_mem_write(m, p << 12 | 7, "z", 1);
        if (i % 3 == 0) {
            axi_mem_write(m, p << 12, "w", 1);
        }
    }
    axi_mem_write(m, UINT64_MAX, "t", 1);
    size_t n = axi_mem_dirty_pages(m, &pn, &how);
    ck_assert_uint_eq(n, 5001);
    for (size_t i = 0; i < 5000; i++) {
        ck_assert_uint_eq(pn[i], i);
    }
    ck_assert_uint_eq(pn[5000], UINT64_MAX >> 12);
    axi_mem_free(m);
}
END_TEST

static Suite *dirty_suite(void)
{
    Suite *s = suite_create("axi_mem write tracking");
    TCase *tc = tcase_create("dirty");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, off_by_default);
    tcase_add_test(tc, host_and_bus_pages);
    tcase_add_test(tc, many_pages_sorted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dirty_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
