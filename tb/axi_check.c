/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axi_check.c: AXI4 protocol checker for m_axi. See axi_check.h.
 */
#include "axi_check.h"
#include "check_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct rd_open {
    uint64_t id, addr;
    unsigned len;      /* AxLEN */
    unsigned beat;     /* R beats taken */
    uint64_t hs_cycle; /* AR handshake, UINT64_MAX before it */
} rd_open_t;

typedef struct wr_open {
    uint64_t id, addr;
    unsigned len, size, burst;
    unsigned beat;       /* W beats taken */
    uint64_t hs_cycle;   /* AW handshake, UINT64_MAX before it */
    uint64_t wlast_cycle; /* handshake of the last W beat, UINT64_MAX before it */
} wr_open_t;

/* A growing array with removal from the middle (lists stay short). */
typedef struct vec {
    void *buf;
    size_t esz, n, cap;
} vec_t;

struct axi_check {
    axi_check_cfg_t cfg;
    unsigned size_log2;
    vec_t rd, wr;
    axi_mem_req_t pq; /* previous cycle */
    axi_mem_rsp_t pr;
    int have_prev;
    int in_reset;       /* previous cycle was a reset cycle */
    int ar_shown;       /* the AR on the bus now has been counted */
    int aw_shown;
    int w_shown;        /* the W beat on the bus now has been checked */
    check_log_t log;
};

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n, sz);
    if (!p) {
        fprintf(stderr, "axi_check: out of memory\n");
        abort();
    }
    return p;
}

static void *vec_at(const vec_t *v, size_t i) { return (uint8_t *)v->buf + i * v->esz; }

static void *vec_push(vec_t *v)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? 2 * v->cap : 16;
        void *nb = xcalloc(nc, v->esz);
        if (v->n) {
            memcpy(nb, v->buf, v->n * v->esz);
        }
        free(v->buf);
        v->buf = nb;
        v->cap = nc;
    }
    void *e = vec_at(v, v->n++);
    memset(e, 0, v->esz);
    return e;
}

static void vec_remove(vec_t *v, size_t i)
{
    memmove(vec_at(v, i), vec_at(v, i + 1), (v->n - i - 1) * v->esz);
    v->n--;
}

static void record(axi_check_t *c, uint64_t cycle, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    check_log_vadd(&c->log, cycle, "m_axi", fmt, ap);
    va_end(ap);
}

axi_check_t *axi_check_new(const axi_check_cfg_t *cfg)
{
    unsigned db = cfg->data_bytes;
    if (db < 4 || db > AXI_MAX_DATA_BYTES || (db & (db - 1)) || cfg->max_burst_len > 256 ||
        cfg->ctl_max_burst_len > 256) {
        fprintf(stderr, "axi_check_new: bad arguments (data_bytes %u, max_burst_len %u)\n", db,
                cfg->max_burst_len);
        return NULL;
    }
    axi_check_t *c = xcalloc(1, sizeof(*c));
    c->cfg = *cfg;
    if (c->cfg.max_burst_len == 0) {
        c->cfg.max_burst_len = 256;
    }
    while ((1u << c->size_log2) < db) {
        c->size_log2++;
    }
    c->rd.esz = sizeof(rd_open_t);
    c->wr.esz = sizeof(wr_open_t);
    return c;
}

void axi_check_free(axi_check_t *c)
{
    if (!c) {
        return;
    }
    free(c->rd.buf);
    free(c->wr.buf);
    free(c);
}

void axi_check_reset(axi_check_t *c)
{
    c->rd.n = 0;
    c->wr.n = 0;
    c->have_prev = 0;
    c->ar_shown = c->aw_shown = c->w_shown = 0;
}

const char *axi_check_error(const axi_check_t *c, uint64_t *cycle) { return check_log_first(&c->log, cycle); }

const char *axi_check_last_error(const axi_check_t *c) { return check_log_last(&c->log); }
unsigned axi_check_error_count(const axi_check_t *c) { return c->log.n; }
unsigned axi_check_rd_open(const axi_check_t *c) { return (unsigned)c->rd.n; }
unsigned axi_check_wr_open(const axi_check_t *c) { return (unsigned)c->wr.n; }

/* ---- helpers ---- */

static uint64_t beat_addr(uint64_t a, unsigned size, unsigned burst, unsigned i)
{
    if (i == 0 || burst == AXI_BURST_FIXED) {
        return a;
    }
    return (a & ~(((uint64_t)1 << size) - 1)) + ((uint64_t)i << size);
}

static uint64_t lanes(unsigned lo, unsigned hi) /* bits lo..hi, hi < 64 */
{
    uint64_t top = hi >= 63 ? UINT64_MAX : (((uint64_t)1 << (hi + 1)) - 1);
    return top & ~(((uint64_t)1 << lo) - 1);
}

static const char *burst_name(unsigned b)
{
    static const char *const n[] = {"FIXED", "INCR", "WRAP", "reserved"};
    return n[b & 3];
}

/* Rules on an address the first cycle it is presented. */
/* A burst just shown (its ID id) made `open` bursts of its direction open,
 * `ctl` of them with the control port's ID: each group within its limit
 * (ctl_max 0: no separate control-port limit, ctl is 0). */
static void check_in_flight(axi_check_t *c, uint64_t cycle, const char *dir, const char *idname, uint64_t id,
                            size_t open, size_t ctl, unsigned ctl_max)
{
    if (ctl_max != 0 && id == c->cfg.ctl_id) {
        if (ctl > ctl_max) {
            record(c, cycle, "control-port %s bursts outstanding exceed its limit: %zu open, at most %u", dir, ctl,
                   ctl_max);
        }
    } else if (c->cfg.max_outstanding && open - ctl > c->cfg.max_outstanding) {
        record(c, cycle, "%s bursts outstanding exceed MAX_OUTSTANDING: %zu open, at most %u (%s %llu)", dir,
               open - ctl, c->cfg.max_outstanding, idname, (unsigned long long)id);
    }
}

static void check_addr(axi_check_t *c, uint64_t cycle, const char *ch, uint64_t id, uint64_t addr,
                       unsigned len, unsigned size, unsigned burst)
{
    unsigned long long a = (unsigned long long)addr;
    if (burst != AXI_BURST_INCR && burst != AXI_BURST_FIXED) {
        record(c, cycle, "%sBURST %u is not INCR or FIXED (addr 0x%llx)", ch, burst, a);
    }
    if (size != c->size_log2) {
        record(c, cycle, "%sSIZE %u is not the bus width (%u bytes, AxSIZE %u) (addr 0x%llx)", ch, size,
               c->cfg.data_bytes, c->size_log2, a);
    }
    if (burst == AXI_BURST_FIXED && len + 1 > AXI_FIXED_MAX_BEATS) {
        record(c, cycle, "%s FIXED burst of %u beats, at most %u allowed (addr 0x%llx)", ch, len + 1,
               AXI_FIXED_MAX_BEATS, a);
    }
    if (c->cfg.ctl_max_burst_len && id == c->cfg.ctl_id) {
        if (len + 1 > c->cfg.ctl_max_burst_len) {
            record(c, cycle, "%s burst of %u beats exceeds the limit of ID %llu, %u (addr 0x%llx)", ch, len + 1,
                   (unsigned long long)id, c->cfg.ctl_max_burst_len, a);
        }
    } else if (len + 1 > c->cfg.max_burst_len) {
        record(c, cycle, "%s burst of %u beats exceeds MAX_BURST_LEN %u (addr 0x%llx, ID %llu)", ch, len + 1,
               c->cfg.max_burst_len, a, (unsigned long long)id);
    }
    if (size <= 7) {
        uint64_t last = beat_addr(addr, size, burst, len & 0xff) | (((uint64_t)1 << size) - 1);
        if ((addr >> 12) != (last >> 12)) {
            record(c, cycle, "%s burst crosses a 4 KiB boundary (addr 0x%llx, %u beats, %s, last byte 0x%llx)",
                   ch, a, len + 1, burst_name(burst), (unsigned long long)last);
        }
    }
}

static void check_reset(axi_check_t *c, uint64_t cycle, const axi_mem_req_t *q, const axi_mem_rsp_t *r)
{
    if (c->in_reset) { /* from the second reset cycle on */
        if (q->arvalid) {
            record(c, cycle, "ARVALID high during reset");
        }
        if (q->awvalid) {
            record(c, cycle, "AWVALID high during reset");
        }
        if (q->wvalid) {
            record(c, cycle, "WVALID high during reset");
        }
    }
    if (r->rvalid) {
        record(c, cycle, "RVALID high during reset");
    }
    if (r->bvalid) {
        record(c, cycle, "BVALID high during reset");
    }
}

/* Valid held and payload stable while waiting, on all five channels. */
static void check_stable(axi_check_t *c, uint64_t cycle, const axi_mem_req_t *q, const axi_mem_rsp_t *r)
{
    const axi_mem_req_t *p = &c->pq;
    const axi_mem_rsp_t *pr = &c->pr;
    unsigned db = c->cfg.data_bytes;
    if (p->arvalid && !pr->arready) {
        if (!q->arvalid) {
            record(c, cycle, "ARVALID dropped before ARREADY (addr 0x%llx)", (unsigned long long)p->araddr);
        } else if (q->arid != p->arid || q->araddr != p->araddr || q->arlen != p->arlen ||
                   q->arsize != p->arsize || q->arburst != p->arburst) {
            record(c, cycle, "AR payload changed while waiting for ARREADY (addr 0x%llx -> 0x%llx, len %u -> %u)",
                   (unsigned long long)p->araddr, (unsigned long long)q->araddr, p->arlen, q->arlen);
        }
    }
    if (p->awvalid && !pr->awready) {
        if (!q->awvalid) {
            record(c, cycle, "AWVALID dropped before AWREADY (addr 0x%llx)", (unsigned long long)p->awaddr);
        } else if (q->awid != p->awid || q->awaddr != p->awaddr || q->awlen != p->awlen ||
                   q->awsize != p->awsize || q->awburst != p->awburst) {
            record(c, cycle, "AW payload changed while waiting for AWREADY (addr 0x%llx -> 0x%llx, len %u -> %u)",
                   (unsigned long long)p->awaddr, (unsigned long long)q->awaddr, p->awlen, q->awlen);
        }
    }
    if (p->wvalid && !pr->wready) {
        if (!q->wvalid) {
            record(c, cycle, "WVALID dropped before WREADY");
        } else if (q->wstrb != p->wstrb || q->wlast != p->wlast || memcmp(q->wdata, p->wdata, db) != 0) {
            record(c, cycle, "W payload changed while waiting for WREADY (WSTRB 0x%llx -> 0x%llx, WLAST %d -> %d)",
                   (unsigned long long)p->wstrb, (unsigned long long)q->wstrb, p->wlast, q->wlast);
        }
    }
    if (pr->rvalid && !p->rready) {
        if (!r->rvalid) {
            record(c, cycle, "RVALID dropped before RREADY (RID %llu)", (unsigned long long)pr->rid);
        } else if (r->rid != pr->rid || r->rresp != pr->rresp || r->rlast != pr->rlast ||
                   memcmp(r->rdata, pr->rdata, db) != 0) {
            record(c, cycle, "R payload changed while waiting for RREADY (RID %llu -> %llu)",
                   (unsigned long long)pr->rid, (unsigned long long)r->rid);
        }
    }
    if (pr->bvalid && !p->bready) {
        if (!r->bvalid) {
            record(c, cycle, "BVALID dropped before BREADY (BID %llu)", (unsigned long long)pr->bid);
        } else if (r->bid != pr->bid || r->bresp != pr->bresp) {
            record(c, cycle, "B payload changed while waiting for BREADY (BID %llu -> %llu, BRESP %u -> %u)",
                   (unsigned long long)pr->bid, (unsigned long long)r->bid, pr->bresp, r->bresp);
        }
    }
}

/* The oldest write burst still taking W beats, or NULL. */
static wr_open_t *w_target(axi_check_t *c)
{
    for (size_t i = 0; i < c->wr.n; i++) {
        wr_open_t *w = vec_at(&c->wr, i);
        if (w->wlast_cycle == UINT64_MAX) {
            return w;
        }
    }
    return NULL;
}

static void check_strobe(axi_check_t *c, uint64_t cycle, const wr_open_t *w, uint64_t strb)
{
    unsigned db = c->cfg.data_bytes;
    unsigned size = w->size <= 7 ? w->size : 7;
    uint64_t a = beat_addr(w->addr, size, w->burst, w->beat);
    uint64_t cont = a & ~(((uint64_t)1 << size) - 1); /* the 2^size container of the beat */
    uint64_t cont_end = cont + ((uint64_t)1 << size) - 1;
    unsigned lo = (unsigned)(a & (db - 1));
    uint64_t bus = db == 64 ? UINT64_MAX : (((uint64_t)1 << db) - 1);
    uint64_t in_beat = bus;
    if (((uint64_t)1 << size) < db) {
        in_beat = lanes((unsigned)(cont & (db - 1)), (unsigned)(cont_end & (db - 1)));
    }
    int first = w->beat == 0 || w->burst == AXI_BURST_FIXED;
    if (strb & ~in_beat) {
        record(c, cycle,
               "WSTRB outside the beat: 0x%llx strobes lanes 0x%llx past the beat (beat %u of %u, addr 0x%llx)",
               (unsigned long long)strb, (unsigned long long)(strb & ~in_beat), w->beat + 1, w->len + 1,
               (unsigned long long)a);
    } else if (first && (strb & lanes(0, lo) & ~((uint64_t)1 << lo))) {
        record(c, cycle, "WSTRB below the address: 0x%llx strobes lanes below byte %u (beat %u of %u, %s, addr 0x%llx)",
               (unsigned long long)strb, lo, w->beat + 1, w->len + 1, burst_name(w->burst),
               (unsigned long long)a);
    }
}

/* ---- the cycle ---- */

void axi_check_cycle(axi_check_t *c, uint64_t cycle, int rst_n, const axi_mem_req_t *q, const axi_mem_rsp_t *r)
{
    if (!rst_n) {
        if (!c->in_reset) {
            axi_check_reset(c);
        }
        check_reset(c, cycle, q, r);
        c->in_reset = 1;
        return;
    }
    if (c->in_reset) {
        axi_check_reset(c);
        c->in_reset = 0;
    }
    if (c->have_prev) {
        check_stable(c, cycle, q, r);
    }

    /* A valid dropped before its handshake (reported above) takes its burst along. */
    if (!q->arvalid && c->ar_shown) {
        vec_remove(&c->rd, c->rd.n - 1);
        c->ar_shown = 0;
    }
    if (!q->awvalid && c->aw_shown) {
        for (size_t i = c->wr.n; i-- > 0;) {
            if (((wr_open_t *)vec_at(&c->wr, i))->hs_cycle == UINT64_MAX) {
                vec_remove(&c->wr, i);
                break;
            }
        }
        c->aw_shown = 0;
    }
    if (!q->wvalid) {
        c->w_shown = 0;
    }

    /* AR: counted and checked the first cycle it is shown */
    if (q->arvalid && !c->ar_shown) {
        check_addr(c, cycle, "AR", q->arid, q->araddr, q->arlen, q->arsize, q->arburst);
        rd_open_t *b = vec_push(&c->rd);
        b->id = q->arid;
        b->addr = q->araddr;
        b->len = q->arlen & 0xff;
        b->hs_cycle = UINT64_MAX;
        c->ar_shown = 1;
        size_t ctl = 0;
        for (size_t i = 0; c->cfg.ctl_max_rd != 0 && i < c->rd.n; i++) {
            ctl += ((rd_open_t *)vec_at(&c->rd, i))->id == c->cfg.ctl_id;
        }
        check_in_flight(c, cycle, "read", "ARID", q->arid, c->rd.n, ctl, c->cfg.ctl_max_rd);
    }
    /* AW */
    if (q->awvalid && !c->aw_shown) {
        check_addr(c, cycle, "AW", q->awid, q->awaddr, q->awlen, q->awsize, q->awburst);
        wr_open_t *b = vec_push(&c->wr);
        b->id = q->awid;
        b->addr = q->awaddr;
        b->len = q->awlen & 0xff;
        b->size = q->awsize & 7;
        b->burst = q->awburst & 3;
        b->hs_cycle = UINT64_MAX;
        b->wlast_cycle = UINT64_MAX;
        c->aw_shown = 1;
        size_t ctl = 0;
        for (size_t i = 0; c->cfg.ctl_max_wr != 0 && i < c->wr.n; i++) {
            ctl += ((wr_open_t *)vec_at(&c->wr, i))->id == c->cfg.ctl_id;
        }
        check_in_flight(c, cycle, "write", "AWID", q->awid, c->wr.n, ctl, c->cfg.ctl_max_wr);
    }
    /* W: checked the first cycle each beat is shown, taken at its handshake */
    if (q->wvalid) {
        wr_open_t *w = w_target(c);
        if (!c->w_shown) {
            c->w_shown = 1;
            if (!w) {
                record(c, cycle, "W beat ahead of its AW: no AW shown in this or an earlier cycle has beats left "
                                 "(WLAST %d, WSTRB 0x%llx)",
                       q->wlast, (unsigned long long)q->wstrb);
            } else {
                int is_last = w->beat >= w->len;
                if (q->wlast && !is_last) {
                    record(c, cycle, "WLAST early: on beat %u of %u (AW addr 0x%llx)", w->beat + 1, w->len + 1,
                           (unsigned long long)w->addr);
                } else if (!q->wlast && is_last) {
                    record(c, cycle, "WLAST missing on the last beat %u (AW addr 0x%llx)", w->len + 1,
                           (unsigned long long)w->addr);
                }
                check_strobe(c, cycle, w, q->wstrb);
            }
        }
        if (r->wready) {
            if (w) {
                if (w->beat >= w->len || q->wlast) {
                    w->wlast_cycle = cycle;
                }
                w->beat++;
            }
            c->w_shown = 0;
        }
    }
    if (q->arvalid && r->arready) {
        ((rd_open_t *)vec_at(&c->rd, c->rd.n - 1))->hs_cycle = cycle;
        c->ar_shown = 0;
    }
    if (q->awvalid && r->awready) {
        for (size_t i = c->wr.n; i-- > 0;) { /* the AW shown is the newest without a handshake */
            wr_open_t *w = vec_at(&c->wr, i);
            if (w->hs_cycle == UINT64_MAX) {
                w->hs_cycle = cycle;
                break;
            }
        }
        c->aw_shown = 0;
    }

    /* R: the oldest open read of that ID, handshaken in an earlier cycle */
    if (r->rvalid) {
        size_t i;
        rd_open_t *b = NULL;
        for (i = 0; i < c->rd.n; i++) {
            rd_open_t *e = vec_at(&c->rd, i);
            if (e->id == r->rid && e->hs_cycle < cycle) {
                b = e;
                break;
            }
        }
        if (!b) {
            record(c, cycle, "RVALID without a read burst: no AR with RID %llu handshaken before and still open",
                   (unsigned long long)r->rid);
        } else if (q->rready) {
            int is_last = b->beat >= b->len;
            if (r->rlast && !is_last) {
                record(c, cycle, "RLAST early: on beat %u of %u (RID %llu, addr 0x%llx)", b->beat + 1, b->len + 1,
                       (unsigned long long)b->id, (unsigned long long)b->addr);
            } else if (!r->rlast && is_last) {
                record(c, cycle, "RLAST missing on the last beat %u (RID %llu, addr 0x%llx)", b->len + 1,
                       (unsigned long long)b->id, (unsigned long long)b->addr);
            }
            b->beat++;
            if (is_last || r->rlast) {
                vec_remove(&c->rd, i);
            }
        }
    }
    /* B: the oldest open write of that ID, all of it taken in earlier cycles */
    if (r->bvalid) {
        size_t i;
        wr_open_t *b = NULL;
        for (i = 0; i < c->wr.n; i++) {
            wr_open_t *e = vec_at(&c->wr, i);
            if (e->id == r->bid) {
                b = e;
                break;
            }
        }
        if (!b || b->hs_cycle >= cycle || b->wlast_cycle >= cycle) {
            record(c, cycle, "BVALID without a write burst: BID %llu has no AW %s",
                   (unsigned long long)r->bid,
                   !b ? "open" : b->hs_cycle >= cycle ? "handshaken before" : "whose last W beat was taken before");
        } else if (q->bready) {
            vec_remove(&c->wr, i);
        }
    }

    c->pq = *q;
    c->pr = *r;
    c->have_prev = 1;
}
