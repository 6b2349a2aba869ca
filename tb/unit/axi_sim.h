/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axi_sim.h: a scripted AXI4 master against the memory model (axi_mem.h),
 * every cycle watched by the protocol checker (axi_check.h). Shared by the
 * Check suites test_axi_mem.c and test_axi_check.c. The tests play the
 * master, cycle by cycle: sim_drive() (memory outputs), decide the master
 * outputs, sim_update() (checker, then memory).
 */
#ifndef FERRY_AXI_SIM_H
#define FERRY_AXI_SIM_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "axi_check.h"
#include "axi_mem.h"

#define BUDGET 100000u

typedef struct sim {
    axi_rng_t rng;
    axi_mem_t *m;
    uint64_t cycle;
    unsigned db;
    unsigned burst; /* AxBURST the bus_read / bus_write helpers use */
    axi_mem_rsp_t rsp;
    axi_check_t *chk; /* watches every cycle */
} sim_t;

static inline void sim_init(sim_t *s, unsigned db, uint64_t seed, const axi_mem_cfg_t *cfg)
{
    memset(s, 0, sizeof(*s));
    axi_rng_seed(&s->rng, seed);
    s->db = db;
    s->burst = AXI_BURST_INCR;
    s->m = axi_mem_new(db, &s->rng);
    ck_assert_ptr_nonnull(s->m);
    axi_check_cfg_t cc = {db, 256, 0, 0, 0, 0, 0};
    s->chk = axi_check_new(&cc);
    ck_assert_ptr_nonnull(s->chk);
    if (cfg) {
        axi_mem_set_config(s->m, cfg);
    }
}

static inline void sim_free(sim_t *s)
{
    axi_mem_free(s->m);
    axi_check_free(s->chk);
}

static inline void sim_drive(sim_t *s) { axi_mem_drive(s->m, s->cycle, &s->rsp); }

static inline void sim_update(sim_t *s, const axi_mem_req_t *q)
{
    axi_check_cycle(s->chk, s->cycle, 1, q, &s->rsp);
    axi_mem_update(s->m, s->cycle, q);
    s->cycle++;
}

static inline unsigned size_of(unsigned db)
{
    unsigned n = 0;
    while ((1u << n) < db) {
        n++;
    }
    return n;
}

static inline uint64_t all_strb(unsigned db) { return db == 64 ? UINT64_MAX : (((uint64_t)1 << db) - 1); }

/* Writes len+1 beats (data: (len+1)*db bytes), WLAST on beat wlast_beat.
 * strb NULL: all set. Returns BRESP; *b_cycle, *last_w_cycle if non-NULL. */
static inline unsigned bus_write_ex(sim_t *s, uint64_t addr, unsigned len, const uint8_t *data,
                             const uint64_t *strb, uint64_t id, unsigned wlast_beat,
                             uint64_t *b_cycle, uint64_t *last_w_cycle)
{
    int aw_done = 0;
    unsigned wi = 0;
    unsigned bresp = 99;
    for (unsigned n = 0;; n++) {
        ck_assert_uint_lt(n, BUDGET);
        sim_drive(s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (!aw_done) {
            q.awvalid = 1;
            q.awid = id;
            q.awaddr = addr;
            q.awlen = len;
            q.awsize = size_of(s->db);
            q.awburst = s->burst;
        }
        if (wi <= len) {
            q.wvalid = 1;
            memcpy(q.wdata, data + (size_t)wi * s->db, s->db);
            q.wstrb = strb ? strb[wi] : all_strb(s->db);
            q.wlast = wi == wlast_beat;
        }
        q.bready = 1;
        int done = 0;
        if (q.awvalid && s->rsp.awready) {
            aw_done = 1;
        }
        if (q.wvalid && s->rsp.wready) {
            if (wi == len && last_w_cycle) {
                *last_w_cycle = s->cycle;
            }
            wi++;
        }
        if (s->rsp.bvalid) {
            ck_assert_uint_eq(s->rsp.bid, id);
            bresp = s->rsp.bresp;
            if (b_cycle) {
                *b_cycle = s->cycle;
            }
            done = 1;
        }
        sim_update(s, &q);
        if (done) {
            ck_assert(aw_done && wi == len + 1);
            return bresp;
        }
    }
}

static inline unsigned bus_write(sim_t *s, uint64_t addr, unsigned len, const uint8_t *data,
                          const uint64_t *strb)
{
    return bus_write_ex(s, addr, len, data, strb, 3, len, NULL, NULL);
}

/* Reads len+1 beats into out. Returns the OR of the RRESPs; cycles of the AR
 * handshake and first R handshake if non-NULL. Checks RID and RLAST. */
static inline unsigned bus_read_ex(sim_t *s, uint64_t addr, unsigned len, uint8_t *out, uint64_t id,
                            unsigned rready_pct, uint64_t *ar_cycle, uint64_t *r_cycle)
{
    int ar_done = 0;
    unsigned ri = 0;
    unsigned resp = 0;
    for (unsigned n = 0;; n++) {
        ck_assert_uint_lt(n, BUDGET);
        sim_drive(s);
        axi_mem_req_t q;
        memset(&q, 0, sizeof(q));
        if (!ar_done) {
            q.arvalid = 1;
            q.arid = id;
            q.araddr = addr;
            q.arlen = len;
            q.arsize = size_of(s->db);
            q.arburst = s->burst;
        }
        q.rready = (unsigned)(rand() % 100) < rready_pct;
        if (q.arvalid && s->rsp.arready) {
            ar_done = 1;
            if (ar_cycle) {
                *ar_cycle = s->cycle;
            }
        }
        int done = 0;
        if (s->rsp.rvalid) {
            ck_assert_msg(ar_done, "R before AR handshake");
            if (q.rready) {
                ck_assert_uint_eq(s->rsp.rid, id);
                ck_assert_int_eq(s->rsp.rlast, ri == len);
                memcpy(out + (size_t)ri * s->db, s->rsp.rdata, s->db);
                resp |= s->rsp.rresp;
                if (ri == 0 && r_cycle) {
                    *r_cycle = s->cycle;
                }
                done = ri == len;
                ri++;
            }
        }
        sim_update(s, &q);
        if (done) {
            return resp;
        }
    }
}

static inline unsigned bus_read(sim_t *s, uint64_t addr, unsigned len, uint8_t *out)
{
    return bus_read_ex(s, addr, len, out, 5, 100, NULL, NULL);
}

static inline void fill(uint8_t *p, size_t n, unsigned salt)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * 131u + salt * 17u + (i >> 8));
    }
}

static inline axi_mem_cfg_t stressed(void)
{
    axi_mem_cfg_t c;
    memset(&c, 0, sizeof(c));
    c.rd_lat_min = 0;
    c.rd_lat_max = 20;
    c.wr_lat_min = 0;
    c.wr_lat_max = 20;
    c.stall_ar = c.stall_r = c.stall_aw = c.stall_w = c.stall_b = 30;
    return c;
}

/* Protocol violations the checker saw. */
static inline unsigned sim_errors(const sim_t *s) { return axi_check_error_count(s->chk); }

/* The first or the latest violation mentions `what`. */
static inline void assert_error(const sim_t *s, const char *what)
{
    const char *e = axi_check_error(s->chk, NULL);
    const char *l = axi_check_last_error(s->chk);
    ck_assert_msg(e != NULL, "no violation reported, expected '%s'", what);
    ck_assert_msg(strstr(e, what) != NULL || strstr(l, what) != NULL,
                  "violation '%s' (latest '%s') does not mention '%s'", e, l, what);
}

#endif /* FERRY_AXI_SIM_H */
