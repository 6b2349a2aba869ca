/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axis_model.c: AXI-Stream sources, sinks and loopback. See axis_model.h.
 */
#include "axis_model.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LB_DEPTH 4u

struct pktq {
    axis_pkt_t *v;
    size_t head, n, cap;
};

struct lane {
    /* source (card-to-host) */
    struct pktq src;
    size_t off;          /* bytes of the head packet already taken */
    int offered;         /* beat below is on the lane, waiting for TREADY */
    fm_axis_lane_t beat;
    unsigned nb;         /* payload bytes of that beat */
    int from_lb;         /* the beat came from the loopback FIFO */
    /* sink (host-to-card) */
    struct pktq rec;
    uint8_t *cur;        /* packet being received */
    size_t cur_len, cur_cap;
    uint64_t cur_first;
    int ready;           /* TREADY driven this cycle */
    int ready_gap;       /* ... held low by a random gap */
    fm_axis_lane_t prev; /* lane seen last cycle */
    int waiting;         /* last cycle: TVALID and not TREADY */
    /* both */
    unsigned valid_pct, ready_pct;
    int lb_to;           /* h2c: c2h channel fed, -1 = none */
    int lb_from;         /* c2h: h2c channel feeding it, -1 = none */
    fm_axis_lane_t lbq[LB_DEPTH]; /* h2c side: loopback FIFO */
    unsigned lb_head, lb_n;
    axis_stats_t st;
};

struct axis_model {
    unsigned nch, db;
    uint32_t h2c, c2h;
    axi_rng_t *rng;
    struct lane ln[FM_MAX_CHANNELS];
    uint64_t keep_all;
    int in_reset;     /* cycles of the current reset seen */
    char err[256];
    uint64_t err_cycle;
    unsigned nerr;
};

static int q_push(struct pktq *q, const axis_pkt_t *p)
{
    if (q->n == q->cap) {
        size_t nc = q->cap ? 2 * q->cap : 16;
        axis_pkt_t *v = malloc(nc * sizeof(*v));
        if (!v) {
            return -1;
        }
        for (size_t i = 0; i < q->n; i++) {
            v[i] = q->v[(q->head + i) % q->cap];
        }
        free(q->v);
        q->v = v;
        q->head = 0;
        q->cap = nc;
    }
    q->v[(q->head + q->n) % q->cap] = *p;
    q->n++;
    return 0;
}

static axis_pkt_t *q_front(struct pktq *q) { return q->n ? &q->v[q->head] : NULL; }

static void q_pop(struct pktq *q)
{
    q->head = (q->head + 1) % q->cap;
    q->n--;
}

static void q_clear(struct pktq *q)
{
    while (q->n) {
        free(q->v[q->head].data);
        q_pop(q);
    }
}

__attribute__((format(printf, 3, 4))) static void fail(axis_model_t *m, uint64_t cycle, const char *fmt, ...)
{
    if (m->nerr++ == 0) {
        char what[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        snprintf(m->err, sizeof(m->err), "stream rule, cycle %" PRIu64 ": %s", cycle, what);
        m->err_cycle = cycle;
    }
}

axis_model_t *axis_new(unsigned nch, unsigned data_bytes, uint32_t h2c_mask, uint32_t c2h_mask, axi_rng_t *rng)
{
    if (nch == 0 || nch > FM_MAX_CHANNELS || data_bytes == 0 || data_bytes > FM_MAX_DATA_BYTES ||
        (h2c_mask & c2h_mask) != 0 || ((h2c_mask | c2h_mask) >> nch) != 0) {
        fprintf(stderr, "axis_new: bad parameters (%u channels, %u bytes, H2C 0x%X, C2H 0x%X)\n", nch, data_bytes,
                h2c_mask, c2h_mask);
        return NULL;
    }
    axis_model_t *m = calloc(1, sizeof(*m));
    if (!m) {
        return NULL;
    }
    m->nch = nch;
    m->db = data_bytes;
    m->h2c = h2c_mask;
    m->c2h = c2h_mask;
    m->rng = rng;
    m->keep_all = data_bytes == 64 ? ~0ull : (1ull << data_bytes) - 1;
    for (unsigned c = 0; c < FM_MAX_CHANNELS; c++) {
        m->ln[c].lb_to = -1;
        m->ln[c].lb_from = -1;
        m->ln[c].st.first_cycle = UINT64_MAX;
    }
    return m;
}

void axis_clear(axis_model_t *m)
{
    for (unsigned c = 0; c < m->nch; c++) {
        struct lane *l = &m->ln[c];
        q_clear(&l->src);
        q_clear(&l->rec);
        l->off = 0;
        l->cur_len = 0;
        l->lb_n = 0;
        /* a beat on the lane stays offered (never withdraw TVALID) */
    }
}

void axis_free(axis_model_t *m)
{
    if (!m) {
        return;
    }
    for (unsigned c = 0; c < m->nch; c++) {
        q_clear(&m->ln[c].src);
        q_clear(&m->ln[c].rec);
        free(m->ln[c].src.v);
        free(m->ln[c].rec.v);
        free(m->ln[c].cur);
    }
    free(m);
}

uint32_t axis_h2c_mask(const axis_model_t *m) { return m->h2c; }
uint32_t axis_c2h_mask(const axis_model_t *m) { return m->c2h; }

int axis_set_gaps(axis_model_t *m, int ch, unsigned valid_pct, unsigned ready_pct)
{
    if (valid_pct > 100 || ready_pct > 100 || ch >= (int)m->nch) {
        return -1;
    }
    for (unsigned c = 0; c < m->nch; c++) {
        if (ch < 0 || (unsigned)ch == c) {
            m->ln[c].valid_pct = valid_pct;
            m->ln[c].ready_pct = ready_pct;
        }
    }
    return 0;
}

int axis_send(axis_model_t *m, unsigned ch, const uint8_t *data, size_t len, uint8_t user, uint8_t id,
              const char **why)
{
    if (ch >= m->nch || !((m->c2h >> ch) & 1u)) {
        if (why) {
            *why = "not a card-to-host channel (CAP2.C2H)";
        }
        return -1;
    }
    if (len == 0) {
        if (why) {
            *why = "a packet needs at least 1 byte";
        }
        return -1;
    }
    axis_pkt_t p;
    memset(&p, 0, sizeof(p));
    p.data = malloc(len);
    if (!p.data) {
        if (why) {
            *why = "out of memory";
        }
        return -1;
    }
    memcpy(p.data, data, len);
    p.len = len;
    p.user = user;
    p.id = id;
    if (q_push(&m->ln[ch].src, &p) != 0) {
        free(p.data);
        if (why) {
            *why = "out of memory";
        }
        return -1;
    }
    return 0;
}

int axis_recv(axis_model_t *m, unsigned ch, axis_pkt_t *out)
{
    if (ch >= m->nch || !((m->h2c >> ch) & 1u)) {
        return -1;
    }
    axis_pkt_t *p = q_front(&m->ln[ch].rec);
    if (!p) {
        return 0;
    }
    *out = *p;
    q_pop(&m->ln[ch].rec);
    return 1;
}

void axis_pkt_free(axis_pkt_t *p)
{
    if (p) {
        free(p->data);
        p->data = NULL;
    }
}

size_t axis_partial(const axis_model_t *m, unsigned ch) { return ch < m->nch ? m->ln[ch].cur_len : 0; }

int axis_loopback(axis_model_t *m, unsigned h2c, unsigned c2h, int on, const char **why)
{
    if (h2c >= m->nch || !((m->h2c >> h2c) & 1u)) {
        if (why) {
            *why = "first channel is not host-to-card (CAP2.H2C)";
        }
        return -1;
    }
    if (c2h >= m->nch || !((m->c2h >> c2h) & 1u)) {
        if (why) {
            *why = "second channel is not card-to-host (CAP2.C2H)";
        }
        return -1;
    }
    struct lane *a = &m->ln[h2c], *b = &m->ln[c2h];
    if (on) {
        if ((a->lb_to >= 0 && a->lb_to != (int)c2h) || (b->lb_from >= 0 && b->lb_from != (int)h2c)) {
            if (why) {
                *why = "a channel is already in another loopback";
            }
            return -1;
        }
        a->lb_to = (int)c2h;
        b->lb_from = (int)h2c;
    } else if (a->lb_to == (int)c2h) {
        a->lb_to = -1;
        b->lb_from = -1;
        /* beats still in the FIFO are dropped; a beat on the lane stays until taken */
        a->lb_n = 0;
    }
    return 0;
}

int axis_stats(const axis_model_t *m, unsigned ch, axis_stats_t *out)
{
    if (ch >= m->nch) {
        return -1;
    }
    *out = m->ln[ch].st;
    const struct lane *l = &m->ln[ch];
    out->queued = ((m->c2h >> ch) & 1u) ? l->src.n : l->rec.n;
    return 0;
}

void axis_stats_clear(axis_model_t *m)
{
    for (unsigned c = 0; c < m->nch; c++) {
        memset(&m->ln[c].st, 0, sizeof(m->ln[c].st));
        m->ln[c].st.first_cycle = UINT64_MAX;
    }
}

/* The next beat of a source: from the loopback FIFO or the packet queue. */
static int next_beat(axis_model_t *m, struct lane *l)
{
    if (l->lb_from >= 0) {
        struct lane *a = &m->ln[l->lb_from];
        if (a->lb_n == 0) {
            return 0;
        }
        l->beat = a->lbq[a->lb_head];
        l->beat.valid = 1;
        uint64_t k = l->beat.keep;
        unsigned nb = 0;
        while (k) {
            nb += (unsigned)(k & 1u);
            k >>= 1;
        }
        l->nb = nb;
        l->from_lb = 1;
        return 1;
    }
    axis_pkt_t *p = q_front(&l->src);
    if (!p) {
        return 0;
    }
    size_t left = p->len - l->off;
    unsigned nb = left < m->db ? (unsigned)left : m->db;
    memcpy(l->beat.data, p->data + l->off, nb);
    for (unsigned i = nb; i < m->db; i++) {
        l->beat.data[i] = (uint8_t)axi_rng_next(m->rng); /* garbage outside TKEEP */
    }
    l->beat.keep = nb == m->db ? m->keep_all : (1ull << nb) - 1;
    l->beat.last = l->off + nb == p->len;
    l->beat.user = p->user;
    l->beat.id = p->id;
    l->beat.valid = 1;
    l->nb = nb;
    l->from_lb = 0;
    return 1;
}

void axis_drive(axis_model_t *m, fm_axis_in_t *in)
{
    memset(in, 0, sizeof(*in));
    for (unsigned c = 0; c < m->nch; c++) {
        struct lane *l = &m->ln[c];
        if ((m->c2h >> c) & 1u) {
            if (!l->offered && !axi_rng_pct(m->rng, l->valid_pct) && next_beat(m, l)) {
                l->offered = 1;
            } else if (!l->offered && (l->lb_from >= 0 ? m->ln[l->lb_from].lb_n != 0 : l->src.n != 0)) {
                l->st.gap++;
            }
            if (l->offered) {
                in->s[c] = l->beat;
            }
        } else if ((m->h2c >> c) & 1u) {
            int room = l->lb_to < 0 || l->lb_n < LB_DEPTH;
            l->ready_gap = axi_rng_pct(m->rng, l->ready_pct);
            l->ready = room && !l->ready_gap;
            if (l->ready) {
                in->m_tready |= 1u << c;
            }
        }
    }
}

static int lane_zero(const fm_axis_lane_t *x, unsigned db)
{
    if (x->valid || x->last || x->keep || x->user || x->id) {
        return 0;
    }
    for (unsigned i = 0; i < db; i++) {
        if (x->data[i]) {
            return 0;
        }
    }
    return 1;
}

static int lane_same(const fm_axis_lane_t *a, const fm_axis_lane_t *b, unsigned db)
{
    return a->keep == b->keep && a->last == b->last && a->user == b->user && a->id == b->id &&
           memcmp(a->data, b->data, db) == 0;
}

static void sink_take(axis_model_t *m, unsigned c, uint64_t cycle, const fm_axis_lane_t *x)
{
    struct lane *l = &m->ln[c];
    unsigned nb = 0;
    for (unsigned i = 0; i < m->db; i++) {
        nb += (unsigned)((x->keep >> i) & 1u);
    }
    if (l->cur_len + nb > l->cur_cap) {
        size_t nc = l->cur_cap ? 2 * l->cur_cap : 4096;
        while (nc < l->cur_len + nb) {
            nc *= 2;
        }
        uint8_t *p = realloc(l->cur, nc);
        if (!p) {
            fail(m, cycle, "m_axis ch %u: out of memory recording a packet", c);
            return;
        }
        l->cur = p;
        l->cur_cap = nc;
    }
    if (l->cur_len == 0) {
        l->cur_first = cycle;
    }
    /* the low popcount lanes (TKEEP is checked contiguous separately) */
    memcpy(l->cur + l->cur_len, x->data, nb);
    l->cur_len += nb;
    l->st.beats++;
    l->st.bytes += nb;
    if (l->st.first_cycle == UINT64_MAX) {
        l->st.first_cycle = cycle;
    }
    l->st.last_cycle = cycle;
    if (x->last) {
        axis_pkt_t p;
        memset(&p, 0, sizeof(p));
        p.data = malloc(l->cur_len ? l->cur_len : 1);
        if (!p.data) {
            fail(m, cycle, "m_axis ch %u: out of memory recording a packet", c);
            return;
        }
        memcpy(p.data, l->cur, l->cur_len);
        p.len = l->cur_len;
        p.user = x->user;
        p.id = x->id;
        p.first_cycle = l->cur_first;
        p.last_cycle = cycle;
        if (q_push(&l->rec, &p) != 0) {
            free(p.data);
            fail(m, cycle, "m_axis ch %u: out of memory recording a packet", c);
        }
        l->cur_len = 0;
        l->st.packets++;
    }
    if (l->lb_to >= 0) {
        l->lbq[(l->lb_head + l->lb_n) % LB_DEPTH] = *x;
        l->lb_n++;
        l->st.lb_beats++;
    }
}

void axis_update(axis_model_t *m, uint64_t cycle, int rst_n, const fm_axis_in_t *in, const fm_axis_out_t *out)
{
    if (!rst_n) {
        /* registers may hold their random initial value in the first reset cycle */
        if (m->in_reset++ > 0) {
            for (unsigned c = 0; c < m->nch; c++) {
                if (out->m[c].valid) {
                    fail(m, cycle, "m_axis ch %u: TVALID high during reset", c);
                }
            }
        }
        return;
    }
    m->in_reset = 0;
    if ((out->s_tready & ~m->c2h & ((1u << m->nch) - 1u)) != 0) {
        fail(m, cycle, "s_axis_tready 0x%X high on a channel that is not card-to-host (C2H mask 0x%X)", out->s_tready, m->c2h);
    }
    for (unsigned c = 0; c < m->nch; c++) {
        struct lane *l = &m->ln[c];
        const fm_axis_lane_t *x = &out->m[c];
        if (!((m->h2c >> c) & 1u)) {
            if (!lane_zero(x, m->db)) {
                fail(m, cycle, "m_axis ch %u: lane of a channel that is not host-to-card is not 0", c);
            }
        } else {
            if (l->waiting) {
                if (!x->valid) {
                    fail(m, cycle, "m_axis ch %u: TVALID dropped before TREADY", c);
                } else if (!lane_same(x, &l->prev, m->db)) {
                    fail(m, cycle, "m_axis ch %u: TDATA/TKEEP/TLAST/TUSER/TID changed while waiting for TREADY",
                         c);
                }
            }
            if (x->valid) {
                if ((x->keep & ~m->keep_all) != 0) {
                    fail(m, cycle, "m_axis ch %u: TKEEP has bits above DATA_BYTES", c);
                } else if (!x->last && x->keep != m->keep_all) {
                    fail(m, cycle, "m_axis ch %u: TKEEP 0x%" PRIX64 " not all ones on a beat without TLAST", c, x->keep);
                } else if (x->last && (x->keep == 0 || (x->keep & (x->keep + 1)) != 0)) {
                    fail(m, cycle, "m_axis ch %u: TKEEP 0x%" PRIX64 " of the TLAST beat not contiguous from lane 0", c, x->keep);
                }
                if (l->ready) {
                    sink_take(m, c, cycle, x);
                } else {
                    l->st.stall++;
                    if (l->ready_gap) {
                        l->st.gap++;
                    }
                }
            }
            l->prev = *x;
            l->waiting = x->valid && !l->ready;
        }
        if ((m->c2h >> c) & 1u) {
            if (l->offered && ((out->s_tready >> c) & 1u)) {
                l->st.beats++;
                l->st.bytes += l->nb;
                if (l->st.first_cycle == UINT64_MAX) {
                    l->st.first_cycle = cycle;
                }
                l->st.last_cycle = cycle;
                if (l->beat.last) {
                    l->st.packets++;
                }
                if (l->from_lb) {
                    struct lane *a = &m->ln[l->lb_from >= 0 ? l->lb_from : 0];
                    if (a->lb_n) {
                        a->lb_head = (a->lb_head + 1) % LB_DEPTH;
                        a->lb_n--;
                    }
                    l->st.lb_beats++;
                } else {
                    axis_pkt_t *p = q_front(&l->src);
                    if (p) {
                        l->off += l->nb;
                        if (l->off >= p->len) {
                            free(p->data);
                            q_pop(&l->src);
                            l->off = 0;
                        }
                    }
                }
                l->offered = 0;
            } else if (l->offered) {
                l->st.stall++;
            }
        }
    }
    (void)in;
}

void axis_reset(axis_model_t *m)
{
    for (unsigned c = 0; c < m->nch; c++) {
        m->ln[c].waiting = 0;
    }
    m->in_reset = 0;
}

const char *axis_error(const axis_model_t *m, uint64_t *cycle)
{
    if (m->nerr == 0) {
        return NULL;
    }
    if (cycle) {
        *cycle = m->err_cycle;
    }
    return m->err;
}

unsigned axis_error_count(const axis_model_t *m) { return m->nerr; }
