/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axil_check.c: AXI4-Lite protocol checker for s_axil. See axil_check.h.
 */
#include "axil_check.h"
#include "check_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIMEOUT 10000u

struct axil_check {
    unsigned timeout;
    axil_m_out_t pm; /* previous cycle */
    axil_m_in_t ps;
    int have_prev;
    int in_reset;
    /* handshakes done and answers given; a write waits while min(aw, w) > b */
    uint64_t aw_hs, w_hs, b_done, ar_hs, r_done;
    uint64_t wr_since, rd_since; /* cycle the oldest unanswered request became complete */
    int wr_late, rd_late;        /* timeout reported for it */
    check_log_t log;
};

static void record(axil_check_t *c, uint64_t cycle, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    check_log_vadd(&c->log, cycle, "s_axil", fmt, ap);
    va_end(ap);
}

axil_check_t *axil_check_new(unsigned timeout)
{
    axil_check_t *c = calloc(1, sizeof(*c));
    if (!c) {
        fprintf(stderr, "axil_check_new: out of memory\n");
        return NULL;
    }
    c->timeout = timeout ? timeout : DEFAULT_TIMEOUT;
    return c;
}

void axil_check_free(axil_check_t *c) { free(c); }

void axil_check_reset(axil_check_t *c)
{
    c->have_prev = 0;
    c->aw_hs = c->w_hs = c->b_done = c->ar_hs = c->r_done = 0;
    c->wr_late = c->rd_late = 0;
}

const char *axil_check_error(const axil_check_t *c, uint64_t *cycle) { return check_log_first(&c->log, cycle); }

const char *axil_check_last_error(const axil_check_t *c) { return check_log_last(&c->log); }
unsigned axil_check_error_count(const axil_check_t *c) { return c->log.n; }

static void check_stable(axil_check_t *c, uint64_t cycle, const axil_m_out_t *m, const axil_m_in_t *s)
{
    const axil_m_out_t *pm = &c->pm;
    const axil_m_in_t *ps = &c->ps;
    if (pm->awvalid && !ps->awready) {
        if (!m->awvalid) {
            record(c, cycle, "AWVALID dropped before AWREADY (addr 0x%llx)", (unsigned long long)pm->awaddr);
        } else if (m->awaddr != pm->awaddr) {
            record(c, cycle, "AW payload changed while waiting for AWREADY (addr 0x%llx -> 0x%llx)",
                   (unsigned long long)pm->awaddr, (unsigned long long)m->awaddr);
        }
    }
    if (pm->wvalid && !ps->wready) {
        if (!m->wvalid) {
            record(c, cycle, "WVALID dropped before WREADY");
        } else if (m->wdata != pm->wdata || m->wstrb != pm->wstrb) {
            record(c, cycle, "W payload changed while waiting for WREADY (0x%08x/%x -> 0x%08x/%x)", pm->wdata,
                   pm->wstrb, m->wdata, m->wstrb);
        }
    }
    if (pm->arvalid && !ps->arready) {
        if (!m->arvalid) {
            record(c, cycle, "ARVALID dropped before ARREADY (addr 0x%llx)", (unsigned long long)pm->araddr);
        } else if (m->araddr != pm->araddr) {
            record(c, cycle, "AR payload changed while waiting for ARREADY (addr 0x%llx -> 0x%llx)",
                   (unsigned long long)pm->araddr, (unsigned long long)m->araddr);
        }
    }
    if (ps->bvalid && !pm->bready) {
        if (!s->bvalid) {
            record(c, cycle, "BVALID dropped before BREADY");
        } else if (s->bresp != ps->bresp) {
            record(c, cycle, "B payload changed while waiting for BREADY (BRESP %u -> %u)", ps->bresp, s->bresp);
        }
    }
    if (ps->rvalid && !pm->rready) {
        if (!s->rvalid) {
            record(c, cycle, "RVALID dropped before RREADY");
        } else if (s->rdata != ps->rdata || s->rresp != ps->rresp) {
            record(c, cycle, "R payload changed while waiting for RREADY (0x%08x/%u -> 0x%08x/%u)", ps->rdata,
                   ps->rresp, s->rdata, s->rresp);
        }
    }
}

void axil_check_cycle(axil_check_t *c, uint64_t cycle, int rst_n, const axil_m_out_t *m, const axil_m_in_t *s)
{
    if (!rst_n) {
        if (!c->in_reset) {
            axil_check_reset(c);
        } else {
            if (s->bvalid) {
                record(c, cycle, "BVALID high during reset");
            }
            if (s->rvalid) {
                record(c, cycle, "RVALID high during reset");
            }
        }
        if (m->awvalid || m->wvalid || m->arvalid) {
            record(c, cycle, "%s high during reset", m->awvalid ? "AWVALID" : m->wvalid ? "WVALID" : "ARVALID");
        }
        c->in_reset = 1;
        return;
    }
    if (c->in_reset) {
        axil_check_reset(c);
        c->in_reset = 0;
    }
    if (c->have_prev) {
        check_stable(c, cycle, m, s);
    }

    /* responses: only to requests complete before this cycle */
    uint64_t wr_wait = (c->aw_hs < c->w_hs ? c->aw_hs : c->w_hs) - c->b_done;
    uint64_t rd_wait = c->ar_hs - c->r_done;
    if (s->bvalid) {
        if (wr_wait == 0) {
            record(c, cycle, "BVALID without a write: %llu writes asked, %llu answered (BRESP %u)",
                   (unsigned long long)(c->aw_hs < c->w_hs ? c->aw_hs : c->w_hs), (unsigned long long)c->b_done,
                   s->bresp);
        } else if (m->bready) {
            c->b_done++;
            c->wr_late = 0;
            c->wr_since = cycle;
        }
    } else if (wr_wait && !c->wr_late && cycle - c->wr_since > c->timeout) {
        record(c, cycle, "write not answered within %u cycles", c->timeout);
        c->wr_late = 1;
    }
    if (s->rvalid) {
        if (rd_wait == 0) {
            record(c, cycle, "RVALID without a read: %llu reads asked, %llu answered (RDATA 0x%08x)",
                   (unsigned long long)c->ar_hs, (unsigned long long)c->r_done, s->rdata);
        } else if (m->rready) {
            c->r_done++;
            c->rd_late = 0;
            c->rd_since = cycle;
        }
    } else if (rd_wait && !c->rd_late && cycle - c->rd_since > c->timeout) {
        record(c, cycle, "read not answered within %u cycles", c->timeout);
        c->rd_late = 1;
    }

    /* requests */
    uint64_t before = c->aw_hs < c->w_hs ? c->aw_hs : c->w_hs;
    c->aw_hs += m->awvalid && s->awready;
    c->w_hs += m->wvalid && s->wready;
    if ((c->aw_hs < c->w_hs ? c->aw_hs : c->w_hs) > before && before == c->b_done) {
        c->wr_since = cycle; /* a write became complete with none waiting */
    }
    if (m->arvalid && s->arready) {
        if (c->ar_hs == c->r_done) {
            c->rd_since = cycle;
        }
        c->ar_hs++;
    }

    c->pm = *m;
    c->ps = *s;
    c->have_prev = 1;
}
