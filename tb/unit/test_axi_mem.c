/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_axi_mem.c: Check suite for the AXI4 memory model alone (no Verilator).
 * The tests play the master, cycle by cycle: axi_mem_drive(), decide the
 * master outputs, axi_mem_update().
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "axi_mem.h"

#include "axi_sim.h"

static const unsigned widths[] = {4, 8, 16, 64};

/* ---- tests ---- */

START_TEST(test_single_beat)
{
    sim_t s;
    unsigned db = widths[_i];
    sim_init(&s, db, 1, NULL);
    uint8_t w[64], r[64], h[64];
    fill(w, db, 1);
    ck_assert_uint_eq(bus_write(&s, 0x2000 + db, 0, w, NULL), AXI_RESP_OKAY);
    axi_mem_read(s.m, 0x2000 + db, h, db);
    ck_assert_mem_eq(h, w, db);
    ck_assert_uint_eq(bus_read(&s, 0x2000 + db, 0, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, w, db);
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.ar_count, 1);
    ck_assert_uint_eq(st.aw_count, 1);
    ck_assert_uint_eq(st.r_beats, 1);
    ck_assert_uint_eq(st.w_beats, 1);
    ck_assert_uint_eq(st.b_count, 1);
    ck_assert_uint_eq(st.r_bytes, db);
    ck_assert_uint_eq(st.w_bytes, db);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

START_TEST(test_burst_256)
{
    sim_t s;
    unsigned db = widths[_i] > 16 ? 16 : widths[_i]; /* 256 beats fit one 4 KiB page */
    axi_mem_cfg_t c = stressed();
    sim_init(&s, db, 2, &c);
    size_t n = 256u * db;
    uint8_t *w = malloc(n), *r = malloc(n), *h = malloc(n);
    fill(w, n, 2);
    uint64_t base = 0x123456000ull;
    ck_assert_uint_eq(bus_write(&s, base, 255, w, NULL), AXI_RESP_OKAY);
    axi_mem_read(s.m, base, h, n);
    ck_assert_mem_eq(h, w, n);
    ck_assert_uint_eq(bus_read_ex(&s, base, 255, r, 9, 70, NULL, NULL), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, w, n);
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.r_beats, 256);
    ck_assert_uint_eq(st.w_beats, 256);
    ck_assert_uint_eq(st.r_bytes, n);
    ck_assert_uint_eq(sim_errors(&s), 0);
    free(w);
    free(r);
    free(h);
    sim_free(&s);
}
END_TEST

START_TEST(test_strobes)
{
    sim_t s;
    unsigned db = widths[_i];
    sim_init(&s, db, 3, NULL);
    uint8_t old[4 * 64], w[4 * 64], exp[4 * 64], r[4 * 64];
    fill(old, 4 * db, 3);
    fill(w, 4 * db, 4);
    axi_mem_write(s.m, 0x8000, old, 4 * db);
    uint64_t strb[4] = {0, all_strb(db), 0x5 & all_strb(db), (uint64_t)1 << (db - 1)};
    memcpy(exp, old, 4 * db);
    for (unsigned b = 0; b < 4; b++) {
        for (unsigned i = 0; i < db; i++) {
            if ((strb[b] >> i) & 1) {
                exp[b * db + i] = w[b * db + i];
            }
        }
    }
    ck_assert_uint_eq(bus_write(&s, 0x8000, 3, w, strb), AXI_RESP_OKAY);
    ck_assert_uint_eq(bus_read(&s, 0x8000, 3, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, exp, 4 * db);
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.w_bytes, db + 2 + 1);
    sim_free(&s);
}
END_TEST

START_TEST(test_unaligned_first_beat)
{
    sim_t s;
    unsigned db = widths[_i];
    sim_init(&s, db, 4, NULL);
    uint8_t img[5 * 64], r[4 * 64];
    fill(img, 5 * db, 5);
    axi_mem_write(s.m, 0x4000, img, 5 * db);
    /* start 1 byte past the 2nd beat: beat 0 is the aligned beat 0x4000+db */
    ck_assert_uint_eq(bus_read(&s, 0x4000 + db + 1, 3, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, img + db, 4 * db);
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.r_bytes, 4 * db - 1);
    /* unaligned write: beat 0 still the aligned beat, strobes pick bytes */
    uint8_t w[2 * 64];
    uint64_t strb[2] = {all_strb(db) & ~(uint64_t)1, all_strb(db)};
    fill(w, 2 * db, 6);
    ck_assert_uint_eq(bus_write(&s, 0x4000 + 1, 1, w, strb), AXI_RESP_OKAY);
    axi_mem_read(s.m, 0x4000, r, 2 * db);
    ck_assert_uint_eq(r[0], img[0]);
    ck_assert_mem_eq(r + 1, w + 1, 2 * db - 1);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

START_TEST(test_mapped_pages)
{
    sim_t s;
    unsigned db = widths[_i];
    axi_mem_cfg_t c = stressed();
    sim_init(&s, db, 5, &c);
    uint8_t *host = aligned_alloc(4096, 3 * 4096);
    ck_assert_ptr_nonnull(host);
    memset(host, 0, 3 * 4096);
    uint64_t bus = 0x7fff0000000ull;
    ck_assert_int_eq(axi_mem_map(s.m, bus, host, 3 * 4096), 0);
    ck_assert_int_eq(axi_mem_map(s.m, bus + 4096, host, 4096), -1);  /* already mapped */
    ck_assert_int_eq(axi_mem_map(s.m, bus + 0x10000, host + 1, 4096), -1); /* unaligned */
    /* host store seen on the bus */
    fill(host + 4096 + 64, 4 * db, 7);
    uint8_t r[4 * 64], w[4 * 64];
    ck_assert_uint_eq(bus_read(&s, bus + 4096 + 64, 3, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, host + 4096 + 64, 4 * db);
    /* bus write seen by the host */
    fill(w, 4 * db, 8);
    ck_assert_uint_eq(bus_write(&s, bus + 2 * 4096, 3, w, NULL), AXI_RESP_OKAY);
    ck_assert_mem_eq(host + 2 * 4096, w, 4 * db);
    /* axi_mem_write goes to the host too */
    axi_mem_write(s.m, bus + 4095, "xy", 2);
    ck_assert_uint_eq(host[4095], 'x');
    ck_assert_uint_eq(host[4096], 'y');
    /* unmapped: reads zero again, host untouched by later bus writes */
    axi_mem_unmap(s.m, bus, 3 * 4096);
    uint8_t z[4 * 64];
    memset(z, 0, sizeof(z));
    ck_assert_uint_eq(bus_read(&s, bus + 4096 + 64, 3, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, z, 4 * db);
    fill(w, 4 * db, 9);
    ck_assert_uint_eq(bus_write(&s, bus, 3, w, NULL), AXI_RESP_OKAY);
    ck_assert_mem_eq(host, z, 4 * db);
    ck_assert_int_eq(axi_mem_map(s.m, bus, host, 4096), 0);
    axi_mem_unmap(s.m, bus, 4096);
    free(host);
    sim_free(&s);
}
END_TEST

START_TEST(test_sparse_zero_and_many_pages)
{
    sim_t s;
    sim_init(&s, 8, 6, NULL);
    uint8_t r[4 * 8], z[4 * 8];
    memset(z, 0, sizeof(z));
    ck_assert_uint_eq(bus_read(&s, 0xFFFFFFFFFFFFF000ull, 3, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, z, sizeof(z));
    ck_assert_uint_eq(bus_read(&s, 0x0, 3, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, z, sizeof(z));
    /* thousands of scattered pages */
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t a = (i * 0x9E3779B97F4A7C15ull) & ~(uint64_t)0xFFF;
        uint64_t v = i ^ 0xA5A5A5A5u;
        axi_mem_write(s.m, a + 8, &v, sizeof(v));
    }
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t a = (i * 0x9E3779B97F4A7C15ull) & ~(uint64_t)0xFFF;
        uint64_t v = 0, w = 1;
        axi_mem_read(s.m, a + 8, &v, sizeof(v));
        ck_assert_uint_eq(v, i ^ 0xA5A5A5A5u);
        axi_mem_read(s.m, a + 16, &w, sizeof(w));
        ck_assert_uint_eq(w, 0);
    }
    uint64_t a = (4321 * 0x9E3779B97F4A7C15ull) & ~(uint64_t)0xFFF;
    ck_assert_uint_eq(bus_read(&s, a, 3, r), AXI_RESP_OKAY);
    uint64_t v;
    memcpy(&v, r + 8, 8);
    ck_assert_uint_eq(v, 4321u ^ 0xA5A5A5A5u);
    sim_free(&s);
}
END_TEST

START_TEST(test_latency)
{
    sim_t s;
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.rd_lat_min = 10;
    c.rd_lat_max = 20;
    c.wr_lat_min = 7;
    c.wr_lat_max = 9;
    sim_init(&s, 8, 7, &c);
    uint8_t buf[8 * 4];
    fill(buf, sizeof(buf), 1);
    unsigned seen_min = 1000, seen_max = 0;
    for (int k = 0; k < 50; k++) {
        uint64_t ar = 0, r = 0, lw = 0, b = 0;
        bus_read_ex(&s, 0x1000, 3, buf, 1, 100, &ar, &r);
        ck_assert_uint_ge(r - ar, 10);
        ck_assert_uint_le(r - ar, 20);
        seen_min = (unsigned)(r - ar) < seen_min ? (unsigned)(r - ar) : seen_min;
        seen_max = (unsigned)(r - ar) > seen_max ? (unsigned)(r - ar) : seen_max;
        bus_write_ex(&s, 0x1000, 3, buf, NULL, 2, 3, &b, &lw);
        ck_assert_uint_ge(b - lw, 7);
        ck_assert_uint_le(b - lw, 9);
    }
    ck_assert_uint_lt(seen_min, seen_max); /* the latency does vary */
    sim_free(&s);
}
END_TEST

START_TEST(test_in_order)
{
    sim_t s;
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.rd_lat_min = 0;
    c.rd_lat_max = 60;
    c.stall_r = 20;
    sim_init(&s, 8, 8, &c);
    enum { N = 12 };
    for (unsigned k = 0; k < N; k++) {
        uint64_t v = 0x1111111111111111ull * k;
        axi_mem_write(s.m, 0x10000 + 0x100 * k, &v, 8);
    }
    unsigned issued = 0, got = 0, beat = 0;
    for (unsigned n = 0; got < N; n++) {
        ck_assert_uint_lt(n, BUDGET);
        sim_drive(&s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (issued < N) {
            q.arvalid = 1;
            q.arid = N - issued; /* ids differ, descending */
            q.araddr = 0x10000 + 0x100 * issued;
            q.arlen = issued % 3;
            q.arsize = 3;
            q.arburst = AXI_BURST_INCR;
            if (s.rsp.arready) {
                issued++;
            }
        }
        q.rready = 1;
        if (s.rsp.rvalid) {
            ck_assert_uint_eq(s.rsp.rid, N - got);
            if (beat == 0) {
                uint64_t v;
                memcpy(&v, s.rsp.rdata, 8);
                ck_assert_uint_eq(v, 0x1111111111111111ull * got);
            }
            ck_assert_int_eq(s.rsp.rlast, beat == got % 3);
            if (s.rsp.rlast) {
                got++;
                beat = 0;
            } else {
                beat++;
            }
        }
        sim_update(&s, &q);
    }
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_gt(st.max_rd_outstanding, 1);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

START_TEST(test_max_outstanding)
{
    sim_t s;
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.rd_lat_min = 30;
    c.rd_lat_max = 30;
    c.max_outstanding_rd = 2;
    sim_init(&s, 8, 9, &c);
    unsigned issued = 0, done = 0;
    for (unsigned n = 0; done < 6; n++) {
        ck_assert_uint_lt(n, BUDGET);
        sim_drive(&s);
        if (issued - done >= 2) {
            ck_assert_int_eq(s.rsp.arready, 0);
        }
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (issued < 6) {
            q.arvalid = 1;
            q.araddr = 0x1000 * issued;
            q.arsize = 3;
            q.arburst = AXI_BURST_INCR;
            issued += s.rsp.arready;
        }
        q.rready = 1;
        done += s.rsp.rvalid && s.rsp.rlast;
        sim_update(&s, &q);
    }
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.max_rd_outstanding, 2);
    sim_free(&s);
}
END_TEST

START_TEST(test_w_before_aw)
{
    sim_t s;
    sim_init(&s, 8, 10, NULL);
    uint8_t w[8 * 3], r[8 * 3];
    fill(w, sizeof(w), 11);
    for (unsigned n = 0; n < 3;) { /* W beats only */
        sim_drive(&s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        q.wvalid = 1;
        memcpy(q.wdata, w + 8 * n, 8);
        q.wstrb = 0xff;
        q.wlast = n == 2;
        n += s.rsp.wready;
        ck_assert_int_eq(s.rsp.bvalid, 0);
        sim_update(&s, &q);
    }
    for (unsigned k = 0; k < 5; k++) { /* no B without AW */
        sim_drive(&s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        q.bready = 1;
        ck_assert_int_eq(s.rsp.bvalid, 0);
        sim_update(&s, &q);
    }
    int aw_done = 0, b = 0;
    for (unsigned n = 0; !b; n++) {
        ck_assert_uint_lt(n, 1000);
        sim_drive(&s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (!aw_done) {
            q.awvalid = 1;
            q.awid = 6;
            q.awaddr = 0x3000;
            q.awlen = 2;
            q.awsize = 3;
            q.awburst = AXI_BURST_INCR;
            aw_done = s.rsp.awready;
        }
        q.bready = 1;
        if (s.rsp.bvalid) {
            ck_assert(aw_done);
            ck_assert_uint_eq(s.rsp.bid, 6);
            b = 1;
        }
        sim_update(&s, &q);
    }
    axi_mem_read(s.m, 0x3000, r, sizeof(r));
    ck_assert_mem_eq(r, w, sizeof(r));
    /* The memory takes W before AW (AXI allows it); the checker holds
     * ferry to its stricter rule and reports it. */
    ck_assert_uint_ge(sim_errors(&s), 1);
    assert_error(&s, "W beat ahead of its AW");
    sim_free(&s);
}
END_TEST

/* FIXED reads: every beat carries the same bus beat; up to 16 beats, even at
 * the end of a page (a FIXED burst never crosses 4 KiB). */
START_TEST(test_fixed_read)
{
    sim_t s;
    unsigned db = widths[_i];
    axi_mem_cfg_t c = stressed();
    sim_init(&s, db, 20, &c);
    uint8_t img[4 * 64], r[16 * 64];
    fill(img, 4 * db, 21);
    uint64_t a = 0x6000 - 2 * (uint64_t)db; /* the page's last two beats */
    axi_mem_write(s.m, a, img, 2 * db);
    s.burst = AXI_BURST_FIXED;
    ck_assert_uint_eq(bus_read_ex(&s, a, 15, r, 4, 60, NULL, NULL), AXI_RESP_OKAY);
    for (unsigned b = 0; b < 16; b++) {
        ck_assert_mem_eq(r + (size_t)b * db, img, db);
    }
    /* the second-to-last beat's address, unaligned: the beat containing it */
    ck_assert_uint_eq(bus_read(&s, a + db + 1, 3, r), AXI_RESP_OKAY);
    for (unsigned b = 0; b < 4; b++) {
        ck_assert_mem_eq(r + (size_t)b * db, img + db, db);
    }
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.ar_count, 2);
    ck_assert_uint_eq(st.ar_fixed, 2);
    ck_assert_uint_eq(st.r_beats, 20);
    ck_assert_uint_eq(st.r_bytes, 16 * db + 4 * (db - 1));
    /* INCR after FIXED on the same model: steps again */
    s.burst = AXI_BURST_INCR;
    ck_assert_uint_eq(bus_read(&s, a, 1, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, img, 2 * db);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

/* FIXED writes: every beat lands on the same bytes, strobes per beat, the
 * last strobed beat wins per byte; nothing beyond the one beat is touched. */
START_TEST(test_fixed_write)
{
    sim_t s;
    unsigned db = widths[_i];
    axi_mem_cfg_t c = stressed();
    sim_init(&s, db, 22, &c);
    uint8_t old[3 * 64], w[16 * 64], exp[3 * 64], h[3 * 64];
    fill(old, 3 * db, 23);
    fill(w, 16 * db, 24);
    uint64_t a = 0x9000 - (uint64_t)db; /* the last beat of a page */
    axi_mem_write(s.m, a - db, old, 3 * db);
    uint64_t strb[4] = {all_strb(db), 0x1, 0, (uint64_t)1 << (db - 1)};
    memcpy(exp, old, 3 * db);
    for (unsigned b = 0; b < 4; b++) {
        for (unsigned i = 0; i < db; i++) {
            if ((strb[b] >> i) & 1) {
                exp[db + i] = w[b * db + i];
            }
        }
    }
    s.burst = AXI_BURST_FIXED;
    ck_assert_uint_eq(bus_write(&s, a, 3, w, strb), AXI_RESP_OKAY);
    axi_mem_read(s.m, a - db, h, 3 * db);
    ck_assert_mem_eq(h, exp, 3 * db);
    /* 16 beats, all strobes: the last beat's data stays */
    ck_assert_uint_eq(bus_write(&s, a, 15, w, NULL), AXI_RESP_OKAY);
    axi_mem_read(s.m, a - db, h, 3 * db);
    ck_assert_mem_eq(h, old, db);
    ck_assert_mem_eq(h + db, w + 15 * db, db);
    ck_assert_mem_eq(h + 2 * db, old + 2 * db, db);
    /* FIXED read back on the bus sees the same beat each time */
    uint8_t r[2 * 64];
    ck_assert_uint_eq(bus_read(&s, a, 1, r), AXI_RESP_OKAY);
    ck_assert_mem_eq(r, w + 15 * db, db);
    ck_assert_mem_eq(r + db, w + 15 * db, db);
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.aw_fixed, 2);
    ck_assert_uint_eq(st.w_beats, 20);
    ck_assert_uint_eq(st.w_bytes, db + 1 + 1 + 16 * db);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

/* Address handshakes and R beats are counted per ID. */
START_TEST(test_stats_per_id)
{
    sim_t s;
    axi_mem_cfg_t c = stressed();
    sim_init(&s, 8, 29, &c);
    uint8_t buf[4 * 8];
    fill(buf, sizeof(buf), 30);
    const uint64_t ids[] = {0, 1, 1, 2, 31, 40};
    for (unsigned k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
        bus_read_ex(&s, 0x1000, k % 4, buf, ids[k], 100, NULL, NULL);
        bus_write_ex(&s, 0x2000, 0, buf, NULL, ids[k] ^ 1, 0, NULL, NULL);
    }
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.ar_count, 6);
    ck_assert_uint_eq(st.ar_count_id[0], 1);
    ck_assert_uint_eq(st.ar_count_id[1], 2);
    ck_assert_uint_eq(st.ar_count_id[2], 1);
    ck_assert_uint_eq(st.ar_count_id[31], 1);
    ck_assert_uint_eq(st.r_beats_id[1], 2 + 3);
    ck_assert_uint_eq(st.r_beats_id[31], 1);
    ck_assert_uint_eq(st.aw_count_id[1], 1);
    ck_assert_uint_eq(st.aw_count_id[0], 2);
    ck_assert_uint_eq(st.aw_count_id[3], 1);
    ck_assert_uint_eq(st.aw_count_id[30], 1);
    uint64_t sum = 0;
    for (unsigned i = 0; i < AXI_MEM_STAT_IDS; i++) {
        sum += st.ar_count_id[i];
    }
    ck_assert_uint_eq(sum, 5); /* ID 40 only in ar_count */
    ck_assert_uint_eq(st.ar_fixed + st.aw_fixed, 0);
    axi_mem_stats_clear(s.m);
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.ar_count_id[1] + st.aw_count_id[0] + st.r_beats_id[1], 0);
    sim_free(&s);
}
END_TEST

/* The trace keeps AR, AW, RLAST and B handshakes in order, up to its size. */
START_TEST(test_trace)
{
    sim_t s;
    axi_mem_cfg_t c = stressed();
    sim_init(&s, 8, 31, &c);
    uint8_t buf[4 * 8];
    fill(buf, sizeof(buf), 32);
    size_t n;
    uint64_t dropped = 9;
    ck_assert_ptr_null(axi_mem_trace(s.m, &n, &dropped));
    ck_assert_uint_eq(n, 0);
    axi_mem_trace_start(s.m, 5);
    uint64_t ar = 0, r = 0;
    bus_read_ex(&s, 0x1008, 2, buf, 7, 100, &ar, &r);
    s.burst = AXI_BURST_FIXED;
    uint64_t b = 0;
    bus_write_ex(&s, 0x2000, 3, buf, NULL, 6, 3, &b, NULL);
    s.burst = AXI_BURST_INCR;
    bus_read(&s, 0x3000, 0, buf); /* AR and RLAST: one kept, one dropped */
    const axi_mem_event_t *e = axi_mem_trace(s.m, &n, &dropped);
    ck_assert_uint_eq(n, 5);
    ck_assert_uint_eq(dropped, 1);
    ck_assert_int_eq(e[0].kind, AXI_EV_AR);
    ck_assert_uint_eq(e[0].cycle, ar);
    ck_assert_uint_eq(e[0].id, 7);
    ck_assert_uint_eq(e[0].addr, 0x1008);
    ck_assert_uint_eq(e[0].beats, 3);
    ck_assert_uint_eq(e[0].burst, AXI_BURST_INCR);
    ck_assert_int_eq(e[1].kind, AXI_EV_RLAST);
    ck_assert_uint_gt(e[1].cycle, r + 1);
    ck_assert_uint_eq(e[1].addr, 0x1008);
    ck_assert_int_eq(e[2].kind, AXI_EV_AW);
    ck_assert_uint_eq(e[2].burst, AXI_BURST_FIXED);
    ck_assert_uint_eq(e[2].beats, 4);
    ck_assert_int_eq(e[3].kind, AXI_EV_B);
    ck_assert_uint_eq(e[3].cycle, b);
    ck_assert_uint_eq(e[3].id, 6);
    ck_assert_uint_eq(e[3].addr, 0x2000);
    ck_assert_uint_eq(e[3].resp, AXI_RESP_OKAY);
    ck_assert_int_eq(e[4].kind, AXI_EV_AR);
    ck_assert_uint_eq(e[4].addr, 0x3000);
    axi_mem_trace_start(s.m, 0);
    ck_assert_ptr_null(axi_mem_trace(s.m, &n, &dropped));
    ck_assert_uint_eq(n + dropped, 0);
    sim_free(&s);
}
END_TEST

START_TEST(test_inject_error)
{
    sim_t s;
    axi_mem_cfg_t c = stressed();
    sim_init(&s, 8, 16, &c);
    uint8_t w[8 * 4], r[8 * 4], old[8 * 4];
    fill(old, sizeof(old), 1);
    fill(w, sizeof(w), 2);
    axi_mem_write(s.m, 0x5000, old, sizeof(old));
    ck_assert_int_eq(axi_mem_inject_error(s.m, 0x5010, 0x5010, 0, AXI_RESP_SLVERR), 0);
    ck_assert_int_eq(axi_mem_inject_error(s.m, 0x5018, 0x501f, 1, AXI_RESP_DECERR), 0);
    ck_assert_int_eq(axi_mem_inject_error(s.m, 2, 1, 1, AXI_RESP_DECERR), -1);
    ck_assert_uint_eq(bus_read(&s, 0x5000, 1, r), AXI_RESP_OKAY);
    ck_assert_uint_eq(bus_read(&s, 0x5000, 3, r), AXI_RESP_SLVERR);
    ck_assert_uint_eq(bus_write(&s, 0x5000, 3, w, NULL), AXI_RESP_DECERR);
    axi_mem_read(s.m, 0x5000, r, sizeof(r));
    ck_assert_mem_eq(r, w, 24);           /* beats 0..2 stored */
    ck_assert_mem_eq(r + 24, old + 24, 8); /* erroring beat not stored */
    ck_assert_uint_eq(bus_write(&s, 0x5000, 2, w, NULL), AXI_RESP_OKAY);
    /* later OKAY clears */
    ck_assert_int_eq(axi_mem_inject_error(s.m, 0, UINT64_MAX, 0, AXI_RESP_OKAY), 0);
    ck_assert_uint_eq(bus_read(&s, 0x5000, 3, r), AXI_RESP_OKAY);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

/* Ready and valid rates follow the stall settings; 100% blocks a channel. */
START_TEST(test_stall_rates)
{
    sim_t s;
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.stall_ar = 50;
    c.stall_aw = 25;
    c.stall_w = 75;
    c.stall_r = 50;
    sim_init(&s, 8, 17, &c);
    unsigned ar = 0, aw = 0, w = 0, rv = 0, cycles = 0, ar_done = 0, beats = 0;
    while (beats < 256) {
        ck_assert_uint_lt(cycles, BUDGET);
        sim_drive(&s);
        ar += s.rsp.arready;
        aw += s.rsp.awready;
        w += s.rsp.wready;
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (!ar_done) {
            q.arvalid = 1;
            q.arlen = 255;
            q.arsize = 3;
            q.arburst = AXI_BURST_INCR;
            ar_done = s.rsp.arready;
        } else {
            rv += s.rsp.rvalid;
        }
        q.rready = 1;
        beats += s.rsp.rvalid;
        sim_update(&s, &q);
        cycles++;
    }
    ck_assert_uint_ge(ar * 100, cycles * 35);
    ck_assert_uint_le(ar * 100, cycles * 65);
    ck_assert_uint_ge(aw * 100, cycles * 60);
    ck_assert_uint_le(aw * 100, cycles * 90);
    ck_assert_uint_ge(w * 100, cycles * 10);
    ck_assert_uint_le(w * 100, cycles * 40);
    ck_assert_uint_ge(cycles, 256 * 3 / 2); /* R at about half rate */
    ck_assert_uint_le(cycles, 256 * 5 / 2);
    sim_free(&s);

    /* stall_b 100: no B ever; 0: B comes */
    c.stall_b = 100;
    sim_init(&s, 8, 18, &c);
    uint8_t d[8] = {0};
    int aw_done = 0, w_done = 0;
    for (unsigned n = 0; n < 500; n++) {
        sim_drive(&s);
        ck_assert_int_eq(s.rsp.bvalid, 0);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (!aw_done) {
            q.awvalid = 1;
            q.awsize = 3;
            q.awburst = AXI_BURST_INCR;
            aw_done = s.rsp.awready;
        }
        if (!w_done) {
            q.wvalid = 1;
            q.wstrb = 0xff;
            q.wlast = 1;
            w_done = s.rsp.wready;
        }
        q.bready = 1;
        sim_update(&s, &q);
    }
    ck_assert(aw_done && w_done);
    c.stall_b = 0;
    axi_mem_set_config(s.m, &c);
    int got_b = 0;
    for (unsigned n = 0; n < 100 && !got_b; n++) {
        sim_drive(&s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        q.bready = 1;
        if (s.rsp.bvalid) {
            ck_assert_uint_eq(s.rsp.bid, 0);
            ck_assert_uint_eq(s.rsp.bresp, AXI_RESP_OKAY);
            got_b = 1;
        }
        sim_update(&s, &q);
    }
    ck_assert(got_b);
    ck_assert_uint_eq(bus_write(&s, 0x0, 0, d, NULL), AXI_RESP_OKAY);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

/* ---- stress: latency distributions, reordering, interleaving, stall runs ---- */

/* Latency of `n` single reads, one at a time (AR handshake to first R). */
static void latencies(unsigned dist, unsigned lo, unsigned hi, unsigned *out, unsigned n)
{
    sim_t s;
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.rd_lat_min = lo;
    c.rd_lat_max = hi;
    c.lat_dist = dist;
    sim_init(&s, 8, 40 + dist, &c);
    uint8_t buf[8];
    for (unsigned k = 0; k < n; k++) {
        uint64_t ar = 0, r = 0;
        bus_read_ex(&s, 0x1000, 0, buf, 1, 100, &ar, &r);
        out[k] = (unsigned)(r - ar);
        ck_assert_uint_ge(out[k], lo);
        ck_assert_uint_le(out[k], hi);
    }
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}

START_TEST(test_latency_distributions)
{
    enum { N = 400 };
    unsigned l[N];
    /* uniform over 10..90: every quarter gets about a quarter */
    latencies(AXI_LAT_UNIFORM, 10, 90, l, N);
    unsigned q[4] = {0, 0, 0, 0};
    for (unsigned k = 0; k < N; k++) {
        q[(l[k] - 10) * 4 / 81]++;
    }
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_msg(q[i] > N / 8 && q[i] < N * 3 / 8, "uniform: quarter %u has %u of %u", i, q[i], N);
    }
    /* bimodal: only 10..20 and 80..90, about 3:1 */
    latencies(AXI_LAT_BIMODAL, 10, 90, l, N);
    unsigned low = 0, high = 0;
    for (unsigned k = 0; k < N; k++) {
        ck_assert_msg(l[k] <= 20 || l[k] >= 80, "bimodal latency %u between the modes", l[k]);
        low += l[k] <= 20;
        high += l[k] >= 80;
    }
    ck_assert_msg(low > N * 6 / 10 && high > N / 8, "bimodal: %u low, %u high", low, high);
    /* long tail over 10..330: most near 10, a few far out */
    latencies(AXI_LAT_LONGTAIL, 10, 330, l, N);
    unsigned near = 0, far = 0;
    for (unsigned k = 0; k < N; k++) {
        near += l[k] <= 10 + 320 / 8;
        far += l[k] > 10 + 320 / 4;
    }
    ck_assert_msg(near > N * 6 / 10 && far > 0 && far < N / 8, "long tail: %u near, %u far", near, far);
}
END_TEST

/* Reads of IDs 0..3, three bursts each, issued at once: returns the bursts'
 * order of first beats; checks data, per-ID order, RLAST; *interleaved set
 * if a burst's beats were split by another's. */
static void many_reads(sim_t *s, unsigned order[12], int *interleaved)
{
    enum { N = 12 };
    for (unsigned k = 0; k < N; k++) {
        uint8_t v[8 * 8];
        for (unsigned i = 0; i < sizeof(v); i++) {
            v[i] = (uint8_t)(k * 16 + i / 8);
        }
        axi_mem_write(s->m, 0x10000 + 0x1000 * k, v, sizeof(v));
    }
    unsigned issued = 0, done = 0, started = 0;
    unsigned beat[N] = {0};
    long cur = -1;
    *interleaved = 0;
    for (unsigned n = 0; done < N; n++) {
        ck_assert_uint_lt(n, BUDGET);
        sim_drive(s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (issued < N) { /* burst k: ID k % 4, k % 5 + 1 beats */
            q.arvalid = 1;
            q.arid = issued % 4;
            q.araddr = 0x10000 + 0x1000 * issued;
            q.arlen = issued % 5;
            q.arsize = 3;
            q.arburst = AXI_BURST_INCR;
            issued += s->rsp.arready;
        }
        q.rready = 1;
        if (s->rsp.rvalid) {
            unsigned k = s->rsp.rdata[0] / 16;
            ck_assert_uint_lt(k, N);
            ck_assert_uint_eq(s->rsp.rid, k % 4);
            ck_assert_uint_eq(s->rsp.rdata[0] % 16, beat[k]);
            for (unsigned j = 0; j < k; j++) { /* same ID: the older burst is done */
                ck_assert(j % 4 != k % 4 || beat[j] == j % 5 + 1);
            }
            if (beat[k] == 0) {
                order[started++] = k;
            }
            if (cur >= 0 && (unsigned)cur != k && beat[cur] != (unsigned)cur % 5 + 1) {
                *interleaved = 1;
            }
            cur = k;
            ck_assert_int_eq(s->rsp.rlast, beat[k] == k % 5);
            beat[k]++;
            done += s->rsp.rlast;
        }
        sim_update(s, &q);
    }
    ck_assert_uint_eq(sim_errors(s), 0);
}

START_TEST(test_reorder_reads)
{
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.rd_lat_max = 60;
    /* in order: bursts start in AR order, never interleaved */
    unsigned order[12];
    int il;
    sim_t s;
    sim_init(&s, 8, 50, &c);
    many_reads(&s, order, &il);
    for (unsigned k = 0; k < 12; k++) {
        ck_assert_uint_eq(order[k], k);
    }
    ck_assert_int_eq(il, 0);
    sim_free(&s);
    /* reorder: some burst starts before an older one of another ID, still
     * no interleaving; over a few seeds */
    c.reorder = 1;
    unsigned reordered = 0;
    for (uint64_t seed = 51; seed < 55; seed++) {
        sim_init(&s, 8, seed, &c);
        many_reads(&s, order, &il);
        ck_assert_int_eq(il, 0);
        axi_mem_stats_t st;
        axi_mem_stats(s.m, &st);
        reordered += (unsigned)st.r_reordered;
        ck_assert_uint_eq(st.r_interleaved, 0);
        sim_free(&s);
    }
    ck_assert_uint_gt(reordered, 0);
    /* interleave: beats of different IDs mixed */
    c.interleave = 1;
    unsigned mixed = 0;
    for (uint64_t seed = 60; seed < 64; seed++) {
        sim_init(&s, 8, seed, &c);
        many_reads(&s, order, &il);
        axi_mem_stats_t st;
        axi_mem_stats(s.m, &st);
        mixed += il;
        ck_assert_int_eq(il, st.r_interleaved > 0);
        sim_free(&s);
    }
    ck_assert_uint_gt(mixed, 0);
}
END_TEST

/* Writes of IDs 0..3 issued at once: B per ID in AW order; with reorder some
 * B overtakes an older one of another ID. Returns the reorder count. */
static uint64_t many_writes(sim_t *s)
{
    enum { N = 16 };
    unsigned aw = 0, wb = 0, bs = 0;
    unsigned next_b[4] = {0, 1, 2, 3}; /* the burst each ID's next B must be for */
    for (unsigned n = 0; bs < N; n++) {
        ck_assert_uint_lt(n, BUDGET);
        sim_drive(s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (aw < N) {
            q.awvalid = 1;
            q.awid = aw % 4;
            q.awaddr = 0x20000 + 0x1000 * aw;
            q.awlen = 1;
            q.awsize = 3;
            q.awburst = AXI_BURST_INCR;
        }
        if (wb < 2 * N && wb < 2 * aw + 2) {
            q.wvalid = 1;
            q.wstrb = 0xff;
            q.wdata[0] = (uint8_t)(wb / 2);
            q.wlast = wb % 2;
        }
        q.bready = 1;
        if (s->rsp.bvalid) {
            unsigned id = (unsigned)s->rsp.bid;
            ck_assert_uint_lt(id, 4);
            ck_assert_uint_lt(next_b[id], N);
            next_b[id] += 4;
            bs++;
        }
        aw += q.awvalid && s->rsp.awready;
        wb += q.wvalid && s->rsp.wready;
        sim_update(s, &q);
    }
    for (unsigned k = 0; k < N; k++) {
        uint8_t v = 0xee;
        axi_mem_read(s->m, 0x20000 + 0x1000 * k + 8, &v, 1);
        ck_assert_uint_eq(v, k);
    }
    ck_assert_uint_eq(sim_errors(s), 0);
    axi_mem_stats_t st;
    axi_mem_stats(s->m, &st);
    return st.b_reordered;
}

START_TEST(test_reorder_writes)
{
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.wr_lat_max = 60;
    sim_t s;
    sim_init(&s, 8, 70, &c);
    ck_assert_uint_eq(many_writes(&s), 0);
    sim_free(&s);
    c.reorder = 1;
    uint64_t r = 0;
    for (uint64_t seed = 71; seed < 75; seed++) {
        sim_init(&s, 8, seed, &c);
        r += many_writes(&s);
        sim_free(&s);
    }
    ck_assert_uint_gt(r, 0);
}
END_TEST

/* Ready sampled over many cycles: the share of stalls and the mean length of
 * a stall run (AR, AW, W: their READY; every channel on its own). */
static void ready_runs(unsigned ch, unsigned pct, unsigned run, double *share, double *mean_run)
{
    sim_t s;
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    unsigned *st[] = {&c.stall_ar, &c.stall_aw, &c.stall_w};
    unsigned *rn[] = {&c.run_ar, &c.run_aw, &c.run_w};
    *st[ch] = pct;
    *rn[ch] = run;
    sim_init(&s, 8, 80 + ch, &c);
    unsigned stalled = 0, runs = 0, prev = 0, n = 20000;
    for (unsigned k = 0; k < n; k++) {
        sim_drive(&s);
        int rdy[] = {s.rsp.arready, s.rsp.awready, s.rsp.wready};
        for (unsigned o = 0; o < 3; o++) {
            if (o != ch) {
                ck_assert_int_eq(rdy[o], 1); /* the others untouched */
            }
        }
        unsigned now = !rdy[ch];
        stalled += now;
        runs += now && !prev;
        prev = now;
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        sim_update(&s, &q);
    }
    *share = (double)stalled / n;
    *mean_run = runs ? (double)stalled / runs : 0;
    sim_free(&s);
}

START_TEST(test_stall_runs)
{
    for (unsigned ch = 0; ch < 3; ch++) {
        double share, mean;
        ready_runs(ch, 30, 0, &share, &mean);
        ck_assert_msg(share > 0.25 && share < 0.35 && mean < 2.0, "ch %u per cycle: %.2f, runs %.1f", ch, share, mean);
        ready_runs(ch, 30, 20, &share, &mean);
        ck_assert_msg(share > 0.2 && share < 0.4 && mean > 15 && mean < 25, "ch %u runs of 20: %.2f, runs %.1f", ch,
                      share, mean);
        ready_runs(ch, 10, 100, &share, &mean);
        ck_assert_msg(share > 0.04 && share < 0.2 && mean > 70 && mean < 130, "ch %u runs of 100: %.2f, runs %.1f",
                      ch, share, mean);
    }
    /* R: RVALID held back in runs within one long read */
    for (unsigned run = 0; run <= 20; run += 20) {
        sim_t s;
        axi_mem_cfg_t c;
        memset(&c, 0, sizeof(c));
        c.stall_r = 30;
        c.run_r = run;
        sim_init(&s, 16, 90, &c);
        unsigned gaps = 0, gap_cycles = 0, prev = 1, beats = 0, n;
        int ar_done = 0;
        for (n = 0; beats < 256 * 4; n++) {
            ck_assert_uint_lt(n, BUDGET);
            sim_drive(&s);
            axi_mem_req_t q;
            memset(&q, 0, sizeof(q));
            if (!ar_done) {
                q.arvalid = 1;
                q.araddr = 0x1000 * (beats / 256);
                q.arlen = 255;
                q.arsize = 4;
                q.arburst = AXI_BURST_INCR;
                ar_done = s.rsp.arready;
            }
            q.rready = 1;
            if (ar_done && n > 2) {
                gap_cycles += !s.rsp.rvalid;
                gaps += !s.rsp.rvalid && prev;
            }
            prev = s.rsp.rvalid;
            if (s.rsp.rvalid) {
                beats++;
                if (s.rsp.rlast) {
                    ar_done = 0;
                }
            }
            sim_update(&s, &q);
        }
        double mean = gaps ? (double)gap_cycles / gaps : 0;
        ck_assert_msg(run ? mean > 12 : mean < 3, "R runs %u: mean gap %.1f", run, mean);
        ck_assert_uint_eq(sim_errors(&s), 0);
        sim_free(&s);
    }
}
END_TEST

START_TEST(test_profiles)
{
    ck_assert_uint_eq(axi_mem_profile_count(), 8);
    ck_assert_ptr_null(axi_mem_profile_name(8));
    axi_mem_cfg_t c, d;
    memset(&c, 0, sizeof(c));
    ck_assert_int_eq(axi_mem_profile(&c, "no-such-profile", 1), -1);
    unsigned runs_seen = 0, reorder_seen = 0, il_seen = 0, dist_seen = 0;
    for (unsigned i = 0; i < axi_mem_profile_count(); i++) {
        const char *p = axi_mem_profile_name(i);
        for (uint64_t seed = 1; seed < 40; seed++) {
            memset(&c, 0, sizeof(c));
            c.rd_lat_max = c.wr_lat_max = 20;
            d = c;
            ck_assert_int_eq(axi_mem_profile(&c, p, seed), 0);
            ck_assert_int_eq(axi_mem_profile(&d, p, seed), 0);
            ck_assert_mem_eq(&c, &d, sizeof(c)); /* same seed, same settings */
            ck_assert(!c.interleave || c.reorder);
            unsigned *run[] = {&c.run_ar, &c.run_r, &c.run_aw, &c.run_w, &c.run_b};
            unsigned *stl[] = {&c.stall_ar, &c.stall_r, &c.stall_aw, &c.stall_w, &c.stall_b};
            for (unsigned k = 0; k < 5; k++) {
                runs_seen |= (*run[k] != 0) << k;
                ck_assert(*run[k] == 0 || *stl[k] > 0); /* a run setting always stalls */
            }
            reorder_seen += c.reorder;
            il_seen += c.interleave;
            dist_seen |= 1u << c.lat_dist;
            if (strcmp(p, "uniform") == 0) {
                ck_assert(!c.reorder && c.lat_dist == AXI_LAT_UNIFORM && c.run_ar + c.run_r + c.run_w == 0);
            }
        }
    }
    ck_assert_uint_eq(runs_seen, 0x1f); /* every channel gets runs somewhere */
    ck_assert_uint_gt(reorder_seen, 0);
    ck_assert_uint_gt(il_seen, 0);
    ck_assert_uint_eq(dist_seen, 7);
}
END_TEST


/* Runs a fixed master script against a stressed memory; returns a hash of
 * every memory output of every cycle. */
static uint64_t trace_hash(uint64_t seed, const char *profile)
{
    sim_t s;
    axi_mem_cfg_t c = stressed();
    c.max_outstanding_rd = 3;
    ck_assert_int_eq(axi_mem_profile(&c, profile, seed), 0);
    sim_init(&s, 8, seed, &c);
    uint64_t h = 1469598103934665603ull;
    unsigned ar = 0, aw = 0, wb = 0;
    for (unsigned n = 0; n < 3000; n++) {
        sim_drive(&s);
        const axi_mem_rsp_t *o = &s.rsp;
        uint64_t sig[] = {(uint64_t)o->awready, (uint64_t)o->wready, (uint64_t)o->arready,
                          (uint64_t)o->rvalid, (uint64_t)o->rlast, o->rid,
                          (uint64_t)o->bvalid, o->bid};
        for (unsigned i = 0; i < sizeof(sig) / sizeof(sig[0]); i++) {
            h = (h ^ sig[i]) * 1099511628211ull;
        }
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (ar < 40) {
            q.arvalid = 1;
            q.arid = ar & 15;
            q.araddr = 0x1000 * ar;
            q.arlen = ar % 8;
            q.arsize = 3;
            q.arburst = AXI_BURST_INCR;
            ar += o->arready;
        }
        if (aw < 40) {
            q.awvalid = 1;
            q.awid = aw & 15;
            q.awaddr = 0x100000 + 0x1000 * aw;
            q.awlen = 3;
            q.awsize = 3;
            q.awburst = AXI_BURST_INCR;
            aw += o->awready;
        }
        if (wb < 160 && wb < 4 * (aw + 1 - (q.awvalid && o->awready))) { /* never ahead of the AW shown */
            q.wvalid = 1;
            q.wstrb = 0xff;
            q.wlast = wb % 4 == 3;
            wb += o->wready;
        }
        q.rready = n % 3 != 0;
        q.bready = n % 5 != 0;
        sim_update(&s, &q);
    }
    ck_assert_msg(sim_errors(&s) == 0, "%s: %s", profile, axi_check_error(s.chk, NULL));
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.b_count, 40);
    ck_assert_uint_eq(st.ar_count, 40);
    sim_free(&s);
    return h;
}

START_TEST(test_same_seed_same_cycles)
{
    for (unsigned i = 0; i < axi_mem_profile_count(); i++) {
        const char *p = axi_mem_profile_name(i);
        ck_assert_uint_eq(trace_hash(42, p), trace_hash(42, p));
        ck_assert_uint_ne(trace_hash(42, p), trace_hash(43, p));
    }
}
END_TEST

/* ---- injection: random errors, held responses ---- */

/* Reads len+1 beats at addr (ID 5, RREADY always); returns the OR of the
 * RRESPs, *and_resp the AND (so OR == AND means every beat answered alike). */
static unsigned read_resps(sim_t *s, uint64_t addr, unsigned len, unsigned *and_resp)
{
    uint8_t buf[8 * 16];
    int ar_done = 0;
    unsigned ri = 0, or_r = 0, and_r = 3;
    ck_assert_uint_le(len, 15);
    for (unsigned n = 0;; n++) {
        ck_assert_uint_lt(n, BUDGET);
        sim_drive(s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (!ar_done) {
            q.arvalid = 1;
            q.arid = 5;
            q.araddr = addr;
            q.arlen = len;
            q.arsize = size_of(s->db);
            q.arburst = AXI_BURST_INCR;
            ar_done = s->rsp.arready;
        }
        q.rready = 1;
        int done = 0;
        if (s->rsp.rvalid) {
            memcpy(buf + (size_t)ri * s->db, s->rsp.rdata, s->db);
            or_r |= s->rsp.rresp;
            and_r &= s->rsp.rresp;
            done = s->rsp.rlast;
            ri++;
        }
        sim_update(s, &q);
        if (done) {
            ck_assert_uint_eq(ri, len + 1);
            *and_resp = and_r;
            return or_r;
        }
    }
}

enum { RND_N = 1000 };

/* RND_N read bursts and RND_N write bursts (2 beats each, stressed bus) with
 * 200 permille SLVERR on reads and 100 permille DECERR on writes; pattern[k]
 * bit 0: read k errored, bit 1: write k errored. Checks every beat of an
 * errored read, that an errored write stored nothing, the stats. */
static void random_pattern(uint64_t seed, uint8_t *pattern, unsigned *rd_err, unsigned *wr_err)
{
    sim_t s;
    axi_mem_cfg_t c = stressed();
    sim_init(&s, 8, seed, &c);
    ck_assert_int_eq(axi_mem_inject_random(s.m, 0, 200, AXI_RESP_SLVERR), 0);
    ck_assert_int_eq(axi_mem_inject_random(s.m, 1, 100, AXI_RESP_DECERR), 0);
    uint8_t old[16], w[16], got[16];
    fill(old, sizeof(old), 3);
    fill(w, sizeof(w), 4);
    *rd_err = *wr_err = 0;
    for (unsigned k = 0; k < RND_N; k++) {
        uint64_t a = 0x100000 + 16 * (uint64_t)k;
        axi_mem_write(s.m, a, old, sizeof(old));
        unsigned and_r, or_r = read_resps(&s, a, 1, &and_r);
        ck_assert_uint_eq(or_r, and_r); /* all beats alike */
        ck_assert(or_r == AXI_RESP_OKAY || or_r == AXI_RESP_SLVERR);
        unsigned b = bus_write(&s, a, 1, w, NULL);
        ck_assert(b == AXI_RESP_OKAY || b == AXI_RESP_DECERR);
        axi_mem_read(s.m, a, got, sizeof(got));
        ck_assert_mem_eq(got, b == AXI_RESP_OKAY ? w : old, sizeof(got));
        pattern[k] = (uint8_t)((or_r != AXI_RESP_OKAY) | (b != AXI_RESP_OKAY) << 1);
        *rd_err += or_r != AXI_RESP_OKAY;
        *wr_err += b != AXI_RESP_OKAY;
    }
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.rd_err_injected, *rd_err);
    ck_assert_uint_eq(st.wr_err_injected, *wr_err);
    ck_assert_uint_eq(st.rd_held + st.wr_held, 0);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}

START_TEST(test_inject_random)
{
    static uint8_t p1[RND_N], p2[RND_N], p3[RND_N];
    unsigned r1, w1, r2, w2, r3, w3;
    random_pattern(91, p1, &r1, &w1);
    /* binomial(1000, 0.2): sd 12.6; (1000, 0.1): sd 9.5; bounds at ~4 sd */
    ck_assert_uint_ge(r1, 150);
    ck_assert_uint_le(r1, 250);
    ck_assert_uint_ge(w1, 60);
    ck_assert_uint_le(w1, 140);
    random_pattern(91, p2, &r2, &w2); /* same seed: same bursts */
    ck_assert_mem_eq(p1, p2, sizeof(p1));
    random_pattern(92, p3, &r3, &w3); /* another seed: others */
    ck_assert(memcmp(p1, p3, sizeof(p1)) != 0);

    /* bad arguments */
    sim_t s;
    sim_init(&s, 8, 93, NULL);
    ck_assert_int_eq(axi_mem_inject_random(s.m, 0, 1001, AXI_RESP_SLVERR), -1);
    ck_assert_int_eq(axi_mem_inject_random(s.m, 0, 5, AXI_RESP_OKAY), -1);
    ck_assert_int_eq(axi_mem_inject_random(s.m, 1, 5, AXI_RESP_EXOKAY), -1);
    ck_assert_int_eq(axi_mem_inject_random(s.m, 1, 0, AXI_RESP_OKAY), 0); /* off */
    /* 1000 permille: every burst; 0 turns it off again */
    uint8_t buf[8 * 4];
    unsigned and_r;
    ck_assert_int_eq(axi_mem_inject_random(s.m, 0, 1000, AXI_RESP_DECERR), 0);
    ck_assert_uint_eq(read_resps(&s, 0x2000, 3, &and_r), AXI_RESP_DECERR);
    ck_assert_uint_eq(and_r, AXI_RESP_DECERR);
    ck_assert_int_eq(axi_mem_inject_random(s.m, 0, 0, 0), 0);
    ck_assert_uint_eq(bus_read(&s, 0x2000, 3, buf), AXI_RESP_OKAY);
    sim_free(&s);
}
END_TEST

/* Turned off, the random injection draws nothing: the bus runs exactly as if
 * it had never been set. */
START_TEST(test_inject_random_off_draws_nothing)
{
    uint64_t cyc[2];
    for (int off = 0; off < 2; off++) {
        sim_t s;
        axi_mem_cfg_t c = stressed();
        sim_init(&s, 8, 94, &c);
        if (off) {
            ck_assert_int_eq(axi_mem_inject_random(s.m, 0, 0, AXI_RESP_SLVERR), 0);
            ck_assert_int_eq(axi_mem_inject_random(s.m, 1, 0, AXI_RESP_SLVERR), 0);
        }
        uint8_t buf[8 * 4];
        fill(buf, sizeof(buf), 5);
        for (unsigned k = 0; k < 50; k++) {
            ck_assert_uint_eq(bus_write(&s, 0x3000 + 32 * k, 3, buf, NULL), AXI_RESP_OKAY);
            ck_assert_uint_eq(bus_read(&s, 0x3000 + 32 * k, 3, buf), AXI_RESP_OKAY);
        }
        cyc[off] = s.cycle;
        sim_free(&s);
    }
    ck_assert_uint_eq(cyc[0], cyc[1]);
}
END_TEST

/* Range errors are counted per burst too. */
START_TEST(test_inject_error_stats)
{
    sim_t s;
    sim_init(&s, 8, 95, NULL);
    uint8_t buf[8 * 4];
    fill(buf, sizeof(buf), 6);
    ck_assert_int_eq(axi_mem_inject_error(s.m, 0x4018, 0x4018, 0, AXI_RESP_SLVERR), 0);
    ck_assert_int_eq(axi_mem_inject_error(s.m, 0x4008, 0x4008, 1, AXI_RESP_SLVERR), 0);
    ck_assert_uint_eq(bus_read(&s, 0x4000, 3, buf), AXI_RESP_SLVERR); /* last beat only */
    ck_assert_uint_eq(bus_read(&s, 0x4000, 2, buf), AXI_RESP_OKAY);
    ck_assert_uint_eq(bus_write(&s, 0x4000, 3, buf, NULL), AXI_RESP_SLVERR);
    ck_assert_uint_eq(bus_write(&s, 0x4010, 1, buf, NULL), AXI_RESP_OKAY);
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.rd_err_injected, 1);
    ck_assert_uint_eq(st.wr_err_injected, 1);
    sim_free(&s);
}
END_TEST

/* A held response comes exactly `cycles` later on a quiet bus, at least that
 * much later on a stressed one; outside the range, or cleared, no delay. */
START_TEST(test_hold_cycles)
{
    sim_t s;
    sim_init(&s, 8, 96, NULL);
    uint8_t w[8 * 4], r[8 * 4];
    fill(w, sizeof(w), 7);
    uint64_t ar, rc, lw, b;
    ck_assert_uint_eq(bus_write_ex(&s, 0x1000, 3, w, NULL, 2, 3, &b, &lw), AXI_RESP_OKAY);
    uint64_t wd0 = b - lw;
    bus_read_ex(&s, 0x1000, 3, r, 1, 100, &ar, &rc);
    uint64_t rd0 = rc - ar;
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 2, 1, 0, 5), -1);
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 0x1018, 0x1fff, 0, 300), 0);
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 0x1000, 0x1000, 1, 200), 0);
    /* the read touches 0x1018 on its last beat: all of it held */
    memset(r, 0, sizeof(r));
    ck_assert_uint_eq(bus_read_ex(&s, 0x1000, 3, r, 1, 100, &ar, &rc), AXI_RESP_OKAY);
    ck_assert_uint_eq(rc - ar, rd0 + 300);
    ck_assert_mem_eq(r, w, sizeof(r));
    bus_read_ex(&s, 0x1000, 2, r, 1, 100, &ar, &rc); /* ends at 0x1017: not held */
    ck_assert_uint_eq(rc - ar, rd0);
    ck_assert_uint_eq(bus_write_ex(&s, 0x1000, 3, w, NULL, 2, 3, &b, &lw), AXI_RESP_OKAY);
    ck_assert_uint_eq(b - lw, wd0 + 200);
    ck_assert_uint_eq(bus_write_ex(&s, 0x1008, 3, w, NULL, 2, 3, &b, &lw), AXI_RESP_OKAY);
    ck_assert_uint_eq(b - lw, wd0);
    /* a later rule wins: 0 clears */
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 0, UINT64_MAX, 0, 0), 0);
    bus_read_ex(&s, 0x1000, 3, r, 1, 100, &ar, &rc);
    ck_assert_uint_eq(rc - ar, rd0);
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.rd_held, 1);
    ck_assert_uint_eq(st.wr_held, 1);
    ck_assert_uint_eq(st.rd_err_injected + st.wr_err_injected, 0);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);

    /* stressed: at least the hold more than the latency can explain */
    axi_mem_cfg_t c = stressed();
    sim_init(&s, 8, 97, &c);
    axi_mem_write(s.m, 0x1000, w, sizeof(w));
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 0, UINT64_MAX, 0, 500), 0);
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 0, UINT64_MAX, 1, 400), 0);
    for (unsigned k = 0; k < 5; k++) {
        bus_read_ex(&s, 0x1000, 3, r, 1, 100, &ar, &rc);
        ck_assert_uint_ge(rc - ar, 501);
        ck_assert_mem_eq(r, w, sizeof(r));
        ck_assert_uint_eq(bus_write_ex(&s, 0x2000, 3, w, NULL, 2, 3, &b, &lw), AXI_RESP_OKAY);
        ck_assert_uint_ge(b - lw, 401);
    }
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}
END_TEST

/* Three read bursts (ID 1 at 0x1000, ID 1 at 0x3000, ID 2 at 0x5000) and three
 * write bursts (same IDs at 0x11000, 0x13000, 0x15000), 2 beats each; the
 * first of each held until released. In order: nothing comes while held.
 * Reorder: ID 2's comes, ID 1's second waits behind its first; the waiting
 * ones counted by range (axi_mem_pending_in). After the release all come,
 * each ID in order. */
static void hold_forever_run(int reorder)
{
    sim_t s;
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.reorder = reorder;
    sim_init(&s, 8, 98 + (uint64_t)reorder, &c);
    axi_mem_trace_start(s.m, 100);
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 0x1000, 0x1fff, 0, AXI_MEM_HOLD_FOREVER), 0);
    ck_assert_int_eq(axi_mem_hold_responses(s.m, 0x11000, 0x11fff, 1, AXI_MEM_HOLD_FOREVER), 0);
    static const uint64_t id[3] = {1, 1, 2};
    static const uint64_t ra[3] = {0x1000, 0x3000, 0x5000};
    unsigned ar = 0, aw = 0, wb = 0, rlast = 0, bs = 0;
    for (unsigned n = 0; n < 3000; n++) {
        if (n == 1000) {
            /* held meanwhile: reads 0 (in order) or 1 (reorder: ID 2) */
            ck_assert_uint_eq(ar, 3);
            ck_assert_uint_eq(aw, 3);
            ck_assert_uint_eq(rlast, reorder ? 1 : 0);
            ck_assert_uint_eq(bs, reorder ? 1 : 0);
            ck_assert_uint_eq(axi_mem_rd_pending(s.m), reorder ? 2 : 3);
            /* by range: the held read's 16 bytes, nothing between, the held write */
            ck_assert_uint_eq(axi_mem_pending_in(s.m, 0, UINT64_MAX), reorder ? 4 : 6);
            ck_assert_uint_eq(axi_mem_pending_in(s.m, 0x1000, 0x1fff), 1);
            ck_assert_uint_eq(axi_mem_pending_in(s.m, 0x100f, 0x100f), 1);
            ck_assert_uint_eq(axi_mem_pending_in(s.m, 0x1010, 0x2fff), 0);
            ck_assert_uint_eq(axi_mem_pending_in(s.m, 0x11000, 0x11fff), 1);
            ck_assert_uint_eq(axi_mem_pending_in(s.m, 0x5000, 0x5fff), reorder ? 0 : 1);
            axi_mem_release_responses(s.m);
        }
        sim_drive(&s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (ar < 3) {
            q.arvalid = 1;
            q.arid = id[ar];
            q.araddr = ra[ar];
            q.arlen = 1;
            q.arsize = 3;
            q.arburst = AXI_BURST_INCR;
        }
        if (aw < 3) {
            q.awvalid = 1;
            q.awid = id[aw];
            q.awaddr = 0x10000 + ra[aw];
            q.awlen = 1;
            q.awsize = 3;
            q.awburst = AXI_BURST_INCR;
        }
        if (wb < 6 && wb < 2 * aw + 2) {
            q.wvalid = 1;
            q.wstrb = 0xff;
            q.wdata[0] = (uint8_t)(wb / 2 + 1);
            q.wlast = wb % 2;
        }
        q.rready = 1;
        q.bready = 1;
        rlast += s.rsp.rvalid && s.rsp.rlast;
        bs += s.rsp.bvalid;
        ar += q.arvalid && s.rsp.arready;
        aw += q.awvalid && s.rsp.awready;
        wb += q.wvalid && s.rsp.wready;
        sim_update(&s, &q);
    }
    ck_assert_uint_eq(rlast, 3);
    ck_assert_uint_eq(bs, 3);
    ck_assert_uint_eq(axi_mem_pending_in(s.m, 0, UINT64_MAX), 0);
    /* the order of responses */
    size_t ne;
    const axi_mem_event_t *ev = axi_mem_trace(s.m, &ne, NULL);
    uint64_t rd[3], wr[3];
    unsigned nr = 0, nw = 0;
    for (size_t i = 0; i < ne; i++) {
        if (ev[i].kind == AXI_EV_RLAST) {
            rd[nr++] = ev[i].addr;
            ck_assert_uint_ge(ev[i].cycle, ev[i].addr == 0x5000 && reorder ? 0 : 1000);
        } else if (ev[i].kind == AXI_EV_B) {
            wr[nw++] = ev[i].addr;
            ck_assert_uint_ge(ev[i].cycle, ev[i].addr == 0x15000 && reorder ? 0 : 1000);
        }
    }
    ck_assert_uint_eq(nr, 3);
    ck_assert_uint_eq(nw, 3);
    if (reorder) {
        const uint64_t rwant[3] = {0x5000, 0x1000, 0x3000};
        for (unsigned k = 0; k < 3; k++) {
            ck_assert_uint_eq(rd[k], rwant[k]);
            ck_assert_uint_eq(wr[k], 0x10000 + rwant[k]);
        }
    } else {
        for (unsigned k = 0; k < 3; k++) {
            ck_assert_uint_eq(rd[k], ra[k]);
            ck_assert_uint_eq(wr[k], 0x10000 + ra[k]);
        }
    }
    for (unsigned k = 0; k < 3; k++) {
        uint8_t v = 0;
        axi_mem_read(s.m, 0x10000 + ra[k] + 8, &v, 1);
        ck_assert_uint_eq(v, k + 1);
    }
    axi_mem_stats_t st;
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.rd_held, 1);
    ck_assert_uint_eq(st.wr_held, 1);
    ck_assert_uint_eq(sim_errors(&s), 0);
    /* the rules went with the release: a new burst in the range is not held */
    uint8_t r[16];
    bus_read(&s, 0x1000, 1, r);
    axi_mem_stats(s.m, &st);
    ck_assert_uint_eq(st.rd_held, 1);
    ck_assert_uint_eq(sim_errors(&s), 0);
    sim_free(&s);
}

START_TEST(test_hold_forever_release)
{
    hold_forever_run(0);
    hold_forever_run(1);
}
END_TEST

static Suite *axi_mem_suite(void)
{
    Suite *s = suite_create("axi_mem");
    unsigned nw = sizeof(widths) / sizeof(widths[0]);

    TCase *tc = tcase_create("data");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_single_beat, 0, (int)nw);
    tcase_add_loop_test(tc, test_burst_256, 0, (int)nw);
    tcase_add_loop_test(tc, test_strobes, 0, (int)nw);
    tcase_add_loop_test(tc, test_unaligned_first_beat, 0, (int)nw);
    tcase_add_loop_test(tc, test_mapped_pages, 0, (int)nw);
    tcase_add_test(tc, test_sparse_zero_and_many_pages);
    tcase_add_test(tc, test_w_before_aw);
    tcase_add_test(tc, test_inject_error);
    tcase_add_loop_test(tc, test_fixed_read, 0, (int)nw);
    tcase_add_loop_test(tc, test_fixed_write, 0, (int)nw);
    tcase_add_test(tc, test_stats_per_id);
    tcase_add_test(tc, test_trace);
    suite_add_tcase(s, tc);

    tc = tcase_create("timing");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_latency);
    tcase_add_test(tc, test_in_order);
    tcase_add_test(tc, test_max_outstanding);
    tcase_add_test(tc, test_same_seed_same_cycles);
    tcase_add_test(tc, test_stall_rates);
    suite_add_tcase(s, tc);

    tc = tcase_create("stress");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_latency_distributions);
    tcase_add_test(tc, test_reorder_reads);
    tcase_add_test(tc, test_reorder_writes);
    tcase_add_test(tc, test_stall_runs);
    tcase_add_test(tc, test_profiles);
    suite_add_tcase(s, tc);

    tc = tcase_create("inject");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_inject_random);
    tcase_add_test(tc, test_inject_random_off_draws_nothing);
    tcase_add_test(tc, test_inject_error_stats);
    tcase_add_test(tc, test_hold_cycles);
    tcase_add_test(tc, test_hold_forever_release);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(axi_mem_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
