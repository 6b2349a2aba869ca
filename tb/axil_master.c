/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axil_master.c: AXI4-Lite master model. See axil_master.h.
 */
#include "axil_master.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OP_IDLE, OP_WRITE, OP_READ };

struct axil_master {
    axi_rng_t *rng;
    unsigned stall;
    int op;
    int aw_pend, w_pend, ar_pend; /* address/data phase not yet handshaken */
    int resp_pend;                /* waiting for B or R */
    int done;                     /* response taken, not yet collected */
    uint64_t addr;
    uint32_t data;
    unsigned strb;
    unsigned resp;
    uint32_t rdata;
    axil_m_out_t out;
};

axil_master_t *axil_master_new(axi_rng_t *rng)
{
    if (!rng) {
        fprintf(stderr, "axil_master_new: no rng\n");
        return NULL;
    }
    axil_master_t *m = calloc(1, sizeof(*m));
    if (!m) {
        fprintf(stderr, "axil_master_new: out of memory\n");
        return NULL;
    }
    m->rng = rng;
    return m;
}

void axil_master_free(axil_master_t *m) { free(m); }

void axil_master_set_stall(axil_master_t *m, unsigned pct) { m->stall = pct; }

void axil_master_reset(axil_master_t *m)
{
    m->op = OP_IDLE;
    m->aw_pend = m->w_pend = m->ar_pend = m->resp_pend = m->done = 0;
    memset(&m->out, 0, sizeof(m->out));
}

int axil_master_busy(const axil_master_t *m) { return m->op != OP_IDLE; }

int axil_master_start_write(axil_master_t *m, uint64_t addr, uint32_t data, unsigned strb)
{
    if (m->op != OP_IDLE) {
        return -1;
    }
    m->op = OP_WRITE;
    m->aw_pend = m->w_pend = m->resp_pend = 1;
    m->done = 0;
    m->addr = addr;
    m->data = data;
    m->strb = strb & 0xf;
    return 0;
}

int axil_master_start_read(axil_master_t *m, uint64_t addr)
{
    if (m->op != OP_IDLE) {
        return -1;
    }
    m->op = OP_READ;
    m->ar_pend = m->resp_pend = 1;
    m->done = 0;
    m->addr = addr;
    return 0;
}

int axil_master_done(axil_master_t *m, unsigned *resp, uint32_t *rdata)
{
    if (!m->done) {
        return 0;
    }
    if (resp) {
        *resp = m->resp;
    }
    if (rdata) {
        *rdata = m->rdata;
    }
    m->done = 0;
    m->op = OP_IDLE;
    return 1;
}

void axil_master_drive(axil_master_t *m, uint64_t cycle, axil_m_out_t *out)
{
    axil_m_out_t *o = &m->out;
    (void)cycle;
    /* A valid, once raised, stays until its handshake (cleared in update). */
    if (m->aw_pend && !o->awvalid) {
        o->awvalid = !axi_rng_pct(m->rng, m->stall);
    }
    if (m->w_pend && !o->wvalid) {
        o->wvalid = !axi_rng_pct(m->rng, m->stall);
    }
    if (m->ar_pend && !o->arvalid) {
        o->arvalid = !axi_rng_pct(m->rng, m->stall);
    }
    o->awaddr = o->awvalid ? m->addr : 0;
    o->wdata = o->wvalid ? m->data : 0;
    o->wstrb = o->wvalid ? m->strb : 0;
    o->araddr = o->arvalid ? m->addr : 0;
    o->bready = m->op == OP_WRITE && m->resp_pend && !axi_rng_pct(m->rng, m->stall);
    o->rready = m->op == OP_READ && m->resp_pend && !axi_rng_pct(m->rng, m->stall);
    *out = *o;
}

void axil_master_update(axil_master_t *m, uint64_t cycle, const axil_m_in_t *in)
{
    axil_m_out_t *o = &m->out;
    (void)cycle;
    if (o->awvalid && in->awready) {
        m->aw_pend = 0;
        o->awvalid = 0;
    }
    if (o->wvalid && in->wready) {
        m->w_pend = 0;
        o->wvalid = 0;
    }
    if (o->arvalid && in->arready) {
        m->ar_pend = 0;
        o->arvalid = 0;
    }

    /* A response is taken only for the access waiting for it; anything else
     * is the checker's to report (axil_check.h). */
    if (in->bvalid && m->op == OP_WRITE && m->resp_pend && !m->aw_pend && !m->w_pend && o->bready) {
        m->resp = in->bresp & 3;
        m->resp_pend = 0;
        m->done = 1;
    }
    if (in->rvalid && m->op == OP_READ && m->resp_pend && !m->ar_pend && o->rready) {
        m->resp = in->rresp & 3;
        m->rdata = in->rdata;
        m->resp_pend = 0;
        m->done = 1;
    }
}
