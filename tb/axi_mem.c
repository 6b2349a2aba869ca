/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axi_mem.c: AXI4 memory slave model. See axi_mem.h.
 */
#include "axi_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)
#define W_BUF_MAX 4096u   /* W beats buffered ahead of their AW before WREADY drops */
#define AW_QUEUE_MAX 1024u /* AW bursts waiting for W data before AWREADY drops */

/* ---- helpers ---- */

static void *xmalloc(size_t n)
{
    void *p = calloc(1, n);
    if (!p) {
        fprintf(stderr, "axi_mem: out of memory\n");
        abort();
    }
    return p;
}

/* A FIFO of fixed-size elements in a power-of-two ring that grows. */
typedef struct fifo {
    uint8_t *buf;
    size_t esz, cap, head, n;
} fifo_t;

static void fifo_init(fifo_t *f, size_t esz)
{
    f->esz = esz;
    f->cap = 16;
    f->head = 0;
    f->n = 0;
    f->buf = xmalloc(f->cap * esz);
}

static void *fifo_at(const fifo_t *f, size_t i)
{
    return f->buf + ((f->head + i) & (f->cap - 1)) * f->esz;
}

static void *fifo_push(fifo_t *f)
{
    if (f->n == f->cap) {
        uint8_t *nb = xmalloc(2 * f->cap * f->esz);
        for (size_t i = 0; i < f->n; i++) {
            memcpy(nb + i * f->esz, fifo_at(f, i), f->esz);
        }
        free(f->buf);
        f->buf = nb;
        f->head = 0;
        f->cap *= 2;
    }
    void *slot = fifo_at(f, f->n);
    f->n++;
    memset(slot, 0, f->esz);
    return slot;
}

static void fifo_pop(fifo_t *f)
{
    f->head = (f->head + 1) & (f->cap - 1);
    f->n--;
}

/* Removes element i, keeping the order of the others. */
static void fifo_remove(fifo_t *f, size_t i)
{
    for (size_t k = i; k + 1 < f->n; k++) {
        memcpy(fifo_at(f, k), fifo_at(f, k + 1), f->esz);
    }
    f->n--;
}

static void fifo_clear(fifo_t *f)
{
    f->head = 0;
    f->n = 0;
}

/* ---- model state ---- */

typedef struct page {
    uint64_t pn;
    uint8_t *data;
    int mapped; /* data belongs to the caller */
    struct page *next;
} page_t;

typedef struct rd_burst {
    uint64_t id, addr;
    unsigned len, size, burst, beat;
    uint64_t ready_cycle;
    unsigned force_resp; /* random error drawn at AR (0 = none): every beat answers it */
    int err;             /* a beat was given with an error response */
    /* axi_mem_hold_responses: held `hold` cycles from the cycle the burst
     * would first have been offered (hold_until, set then) */
    uint64_t hold, hold_until;
    int hold_started;
} rd_burst_t;

typedef struct wr_burst {
    uint64_t id, addr;
    unsigned len, size, burst, beat;
    unsigned resp;
    uint64_t aw_cycle;
    unsigned force_resp; /* random error drawn at AW (0 = none): nothing stored, B answers it */
    uint64_t hold;       /* passed on to its B */
} wr_burst_t;

typedef struct w_beat {
    uint8_t data[AXI_MAX_DATA_BYTES];
    uint64_t strb;
    int last;
    uint64_t cycle;
} w_beat_t;

typedef struct b_resp {
    uint64_t id, addr;
    unsigned len, size, burst;
    unsigned resp;
    uint64_t ready_cycle;
    uint64_t hold, hold_until;
    int hold_started;
} b_resp_t;

typedef struct inj {
    uint64_t lo, hi;
    int is_write;
    unsigned resp;
} inj_t;

typedef struct hold_rule {
    uint64_t lo, hi;
    int is_write;
    uint64_t cycles;
} hold_rule_t;

struct axi_mem {
    unsigned data_bytes, size_log2;
    axi_rng_t *rng;
    axi_mem_cfg_t cfg;

    page_t **buckets;
    size_t nbuckets, npages;
    page_t *last_page;

    fifo_t rdq, awq, wq, bq;
    int r_held, b_held;
    size_t r_cur, b_cur; /* rdq / bq index of the burst whose R beat / B is offered */
    size_t r_started;    /* bursts of rdq with at least one R beat taken */
    struct run {
        int stalling;
        unsigned left;
    } run[5]; /* on/off backpressure state per channel (AR, R, AW, W, B) */
    axi_mem_rsp_t rsp; /* outputs of the current cycle */

    inj_t *inj;
    size_t ninj, inj_cap;
    unsigned rnd_permille[2], rnd_resp[2]; /* axi_mem_inject_random, [is_write] */
    hold_rule_t *holds;
    size_t nholds, holds_cap;

    axi_mem_stats_t st;
    axi_mem_event_t *trace;
    size_t trace_n, trace_max;
    uint64_t trace_dropped;
    struct dirty *dirty; /* write tracking, NULL when off (see the end of the file) */
};

static void dirty_mark(axi_mem_t *m, uint64_t pn, unsigned how);

/* ---- pages ---- */

static size_t bucket_of(const axi_mem_t *m, uint64_t pn)
{
    return (size_t)((pn * 0x9E3779B97F4A7C15ull) >> 20) & (m->nbuckets - 1);
}

static page_t *page_find(axi_mem_t *m, uint64_t pn)
{
    if (m->last_page && m->last_page->pn == pn) {
        return m->last_page;
    }
    for (page_t *p = m->buckets[bucket_of(m, pn)]; p; p = p->next) {
        if (p->pn == pn) {
            m->last_page = p;
            return p;
        }
    }
    return NULL;
}

static void page_insert(axi_mem_t *m, page_t *p)
{
    if (m->npages >= 2 * m->nbuckets) {
        size_t ob = m->nbuckets;
        page_t **old = m->buckets;
        m->nbuckets *= 4;
        m->buckets = xmalloc(m->nbuckets * sizeof(*m->buckets));
        for (size_t i = 0; i < ob; i++) {
            page_t *q = old[i];
            while (q) {
                page_t *nx = q->next;
                size_t b = bucket_of(m, q->pn);
                q->next = m->buckets[b];
                m->buckets[b] = q;
                q = nx;
            }
        }
        free(old);
    }
    size_t b = bucket_of(m, p->pn);
    p->next = m->buckets[b];
    m->buckets[b] = p;
    m->npages++;
}

static void page_remove(axi_mem_t *m, uint64_t pn)
{
    page_t **pp = &m->buckets[bucket_of(m, pn)];
    while (*pp) {
        page_t *p = *pp;
        if (p->pn == pn) {
            *pp = p->next;
            if (!p->mapped) {
                free(p->data);
            }
            free(p);
            m->npages--;
            m->last_page = NULL;
            return;
        }
        pp = &p->next;
    }
}

static uint8_t *page_get(axi_mem_t *m, uint64_t pn, int create)
{
    page_t *p = page_find(m, pn);
    if (!p && create) {
        p = xmalloc(sizeof(*p));
        p->pn = pn;
        p->data = xmalloc(PAGE_SIZE);
        page_insert(m, p);
        m->last_page = p;
    }
    return p ? p->data : NULL;
}

void axi_mem_write(axi_mem_t *m, uint64_t addr, const void *src, size_t len)
{
    const uint8_t *s = src;
    while (len) {
        uint64_t off = addr & PAGE_MASK;
        size_t n = (size_t)(PAGE_SIZE - off);
        if (n > len) {
            n = len;
        }
        memcpy(page_get(m, addr >> PAGE_SHIFT, 1) + off, s, n);
        dirty_mark(m, addr >> PAGE_SHIFT, AXI_MEM_DIRTY_HOST);
        addr += n;
        s += n;
        len -= n;
    }
}

void axi_mem_read(axi_mem_t *m, uint64_t addr, void *dst, size_t len)
{
    uint8_t *d = dst;
    while (len) {
        uint64_t off = addr & PAGE_MASK;
        size_t n = (size_t)(PAGE_SIZE - off);
        if (n > len) {
            n = len;
        }
        const uint8_t *p = page_get(m, addr >> PAGE_SHIFT, 0);
        if (p) {
            memcpy(d, p + off, n);
        } else {
            memset(d, 0, n);
        }
        addr += n;
        d += n;
        len -= n;
    }
}

int axi_mem_map(axi_mem_t *m, uint64_t bus, void *host, size_t len)
{
    if ((bus & PAGE_MASK) || ((uintptr_t)host & PAGE_MASK) || (len & PAGE_MASK)) {
        return -1;
    }
    for (size_t o = 0; o < len; o += PAGE_SIZE) {
        page_t *p = page_find(m, (bus + o) >> PAGE_SHIFT);
        if (p && p->mapped) {
            return -1;
        }
    }
    for (size_t o = 0; o < len; o += PAGE_SIZE) {
        uint64_t pn = (bus + o) >> PAGE_SHIFT;
        page_remove(m, pn);
        page_t *p = xmalloc(sizeof(*p));
        p->pn = pn;
        p->data = (uint8_t *)host + o;
        p->mapped = 1;
        page_insert(m, p);
    }
    m->last_page = NULL;
    return 0;
}

void axi_mem_unmap(axi_mem_t *m, uint64_t bus, size_t len)
{
    uint64_t first = bus >> PAGE_SHIFT;
    uint64_t last = (bus + len + PAGE_MASK) >> PAGE_SHIFT;
    for (uint64_t pn = first; pn < last; pn++) {
        page_t *p = page_find(m, pn);
        if (p && p->mapped) {
            page_remove(m, pn);
        }
    }
    m->last_page = NULL;
}

int axi_mem_inject_error(axi_mem_t *m, uint64_t lo, uint64_t hi, int is_write, unsigned resp)
{
    if (lo > hi || resp > 3) {
        return -1;
    }
    if (m->ninj == m->inj_cap) {
        size_t nc = m->inj_cap ? 2 * m->inj_cap : 8;
        inj_t *n = xmalloc(nc * sizeof(*n));
        if (m->ninj) {
            memcpy(n, m->inj, m->ninj * sizeof(*n));
        }
        free(m->inj);
        m->inj = n;
        m->inj_cap = nc;
    }
    m->inj[m->ninj++] = (inj_t){lo, hi, is_write ? 1 : 0, resp};
    return 0;
}

/* Injected response for the bus beat at `beat` (aligned), OKAY if none. */
static unsigned inj_resp(const axi_mem_t *m, uint64_t beat, int is_write)
{
    uint64_t end = beat + m->data_bytes - 1;
    for (size_t i = m->ninj; i-- > 0;) {
        const inj_t *e = &m->inj[i];
        if (e->is_write == is_write && e->lo <= end && beat <= e->hi) {
            return e->resp;
        }
    }
    return AXI_RESP_OKAY;
}

int axi_mem_inject_random(axi_mem_t *m, int is_write, unsigned permille, unsigned resp)
{
    if (permille > 1000 || (permille > 0 && resp != AXI_RESP_SLVERR && resp != AXI_RESP_DECERR)) {
        return -1;
    }
    m->rnd_permille[is_write ? 1 : 0] = permille;
    m->rnd_resp[is_write ? 1 : 0] = permille ? resp : AXI_RESP_OKAY;
    return 0;
}

/* The random error for a new burst, or OKAY. Draws only when enabled. */
static unsigned rnd_resp(axi_mem_t *m, int is_write)
{
    unsigned pm = m->rnd_permille[is_write];
    if (pm == 0 || axi_rng_next(m->rng) % 1000 >= pm) {
        return AXI_RESP_OKAY;
    }
    return m->rnd_resp[is_write];
}

int axi_mem_hold_responses(axi_mem_t *m, uint64_t lo, uint64_t hi, int is_write, uint64_t cycles)
{
    if (lo > hi) {
        return -1;
    }
    if (m->nholds == m->holds_cap) {
        size_t nc = m->holds_cap ? 2 * m->holds_cap : 8;
        hold_rule_t *n = xmalloc(nc * sizeof(*n));
        if (m->nholds) {
            memcpy(n, m->holds, m->nholds * sizeof(*n));
        }
        free(m->holds);
        m->holds = n;
        m->holds_cap = nc;
    }
    m->holds[m->nholds++] = (hold_rule_t){lo, hi, is_write ? 1 : 0, cycles};
    return 0;
}

/* Hold for a new burst covering bytes [lo, hi]: the latest matching rule's
 * cycles, 0 if none. */
static uint64_t hold_for(const axi_mem_t *m, uint64_t lo, uint64_t hi, int is_write)
{
    for (size_t i = m->nholds; i-- > 0;) {
        const hold_rule_t *h = &m->holds[i];
        if (h->is_write == is_write && h->lo <= hi && lo <= h->hi) {
            return h->cycles;
        }
    }
    return 0;
}

void axi_mem_release_responses(axi_mem_t *m)
{
    m->nholds = 0;
    for (size_t i = 0; i < m->rdq.n; i++) {
        rd_burst_t *b = fifo_at(&m->rdq, i);
        b->hold = 0;
        b->hold_until = 0;
    }
    for (size_t i = 0; i < m->awq.n; i++) {
        ((wr_burst_t *)fifo_at(&m->awq, i))->hold = 0;
    }
    for (size_t i = 0; i < m->bq.n; i++) {
        b_resp_t *b = fifo_at(&m->bq, i);
        b->hold = 0;
        b->hold_until = 0;
    }
}

/* ---- life cycle ---- */

axi_mem_t *axi_mem_new(unsigned data_bytes, axi_rng_t *rng)
{
    if (data_bytes < 4 || data_bytes > AXI_MAX_DATA_BYTES || (data_bytes & (data_bytes - 1)) ||
        !rng) {
        fprintf(stderr, "axi_mem_new: bad arguments\n");
        return NULL;
    }
    axi_mem_t *m = xmalloc(sizeof(*m));
    m->data_bytes = data_bytes;
    while ((1u << m->size_log2) < data_bytes) {
        m->size_log2++;
    }
    m->rng = rng;
    m->nbuckets = 1024;
    m->buckets = xmalloc(m->nbuckets * sizeof(*m->buckets));
    fifo_init(&m->rdq, sizeof(rd_burst_t));
    fifo_init(&m->awq, sizeof(wr_burst_t));
    fifo_init(&m->wq, sizeof(w_beat_t));
    fifo_init(&m->bq, sizeof(b_resp_t));
    axi_mem_stats_clear(m);
    return m;
}

void axi_mem_free(axi_mem_t *m)
{
    if (!m) {
        return;
    }
    for (size_t i = 0; i < m->nbuckets; i++) {
        page_t *p = m->buckets[i];
        while (p) {
            page_t *nx = p->next;
            if (!p->mapped) {
                free(p->data);
            }
            free(p);
            p = nx;
        }
    }
    free(m->buckets);
    free(m->rdq.buf);
    free(m->awq.buf);
    free(m->wq.buf);
    free(m->bq.buf);
    free(m->inj);
    free(m->holds);
    free(m->trace);
    axi_mem_track_writes(m, 0);
    free(m);
}

void axi_mem_set_config(axi_mem_t *m, const axi_mem_cfg_t *cfg) { m->cfg = *cfg; }

void axi_mem_reset(axi_mem_t *m)
{
    fifo_clear(&m->rdq);
    fifo_clear(&m->awq);
    fifo_clear(&m->wq);
    fifo_clear(&m->bq);
    m->r_started = 0;
    m->r_held = 0;
    m->b_held = 0;
    memset(m->run, 0, sizeof(m->run));
    memset(&m->rsp, 0, sizeof(m->rsp));
}

unsigned axi_mem_rd_pending(const axi_mem_t *m) { return (unsigned)m->rdq.n; }
unsigned axi_mem_wr_pending(const axi_mem_t *m) { return (unsigned)(m->awq.n + m->bq.n); }

void axi_mem_stats(const axi_mem_t *m, axi_mem_stats_t *out) { *out = m->st; }

void axi_mem_stats_clear(axi_mem_t *m)
{
    memset(&m->st, 0, sizeof(m->st));
    m->st.first_ar_cycle = UINT64_MAX;
    m->st.first_aw_cycle = UINT64_MAX;
}

void axi_mem_trace_start(axi_mem_t *m, size_t max)
{
    free(m->trace);
    m->trace = NULL;
    m->trace_n = 0;
    m->trace_max = 0;
    m->trace_dropped = 0;
    if (max > 0) {
        m->trace = xmalloc(max * sizeof(*m->trace));
        m->trace_max = max;
    }
}

const axi_mem_event_t *axi_mem_trace(const axi_mem_t *m, size_t *n, uint64_t *dropped)
{
    *n = m->trace_n;
    if (dropped) {
        *dropped = m->trace_dropped;
    }
    return m->trace;
}

static void trace_add(axi_mem_t *m, axi_mem_ev_kind_t kind, uint64_t cycle, uint64_t id, uint64_t addr,
                      unsigned len, unsigned burst, unsigned resp)
{
    if (m->trace_max == 0) {
        return;
    }
    if (m->trace_n == m->trace_max) {
        m->trace_dropped++;
        return;
    }
    m->trace[m->trace_n++] = (axi_mem_event_t){cycle, id, addr, len + 1, burst, resp, kind};
}

/* ---- bus ---- */

/* Address of beat i of a burst: INCR steps by 2^size from the aligned start
 * after beat 0; FIXED stays at a. */
static uint64_t beat_addr(uint64_t a, unsigned size, unsigned burst, unsigned i)
{
    if (i == 0 || burst == AXI_BURST_FIXED) {
        return a;
    }
    return (a & ~(((uint64_t)1 << size) - 1)) + ((uint64_t)i << size);
}

/* Last byte a burst touches. */
static uint64_t burst_end(uint64_t a, unsigned size, unsigned burst, unsigned len)
{
    return beat_addr(a, size, burst, len) | (((uint64_t)1 << size) - 1);
}

/* A burst from a of beats 0..len touches a byte of [lo, hi]. */
static int burst_touches(uint64_t a, unsigned size, unsigned burst, unsigned len, uint64_t lo, uint64_t hi)
{
    return a <= hi && lo <= burst_end(a, size, burst, len);
}

unsigned axi_mem_pending_in(const axi_mem_t *m, uint64_t lo, uint64_t hi)
{
    unsigned n = 0;

    for (size_t i = 0; i < m->rdq.n; i++) {
        const rd_burst_t *b = fifo_at(&m->rdq, i);
        n += (unsigned)burst_touches(b->addr, b->size, b->burst, b->len, lo, hi);
    }
    for (size_t i = 0; i < m->awq.n; i++) {
        const wr_burst_t *b = fifo_at(&m->awq, i);
        n += (unsigned)burst_touches(b->addr, b->size, b->burst, b->len, lo, hi);
    }
    for (size_t i = 0; i < m->bq.n; i++) {
        const b_resp_t *b = fifo_at(&m->bq, i);
        n += (unsigned)burst_touches(b->addr, b->size, b->burst, b->len, lo, hi);
    }
    return n;
}

/* A response due from ready_cycle (and not held) may be offered this cycle.
 * A held one starts its hold the first time it would have been offered. */
static int resp_due(uint64_t cycle, uint64_t ready_cycle, uint64_t hold, uint64_t *hold_until, int *started)
{
    if (cycle < ready_cycle) {
        return 0;
    }
    if (hold == 0) {
        return 1;
    }
    if (!*started) {
        *started = 1;
        *hold_until = hold == AXI_MEM_HOLD_FOREVER || cycle > UINT64_MAX - hold ? UINT64_MAX : cycle + hold;
    }
    return cycle >= *hold_until && *hold_until != UINT64_MAX;
}

static unsigned popcount64(uint64_t v)
{
    unsigned n = 0;
    while (v) {
        v &= v - 1;
        n++;
    }
    return n;
}

static unsigned lat(axi_mem_t *m, unsigned lo, unsigned hi)
{
    unsigned l;
    if (hi < lo) {
        hi = lo;
    }
    switch (m->cfg.lat_dist) {
    case AXI_LAT_BIMODAL: {
        /* three in four near lo, the rest near hi */
        unsigned w = (hi - lo) / 8;
        l = axi_rng_pct(m->rng, 75) ? axi_rng_range(m->rng, lo, lo + w) : axi_rng_range(m->rng, hi - w, hi);
        break;
    }
    case AXI_LAT_LONGTAIL: {
        /* the span halves five times out of six coin tosses: mostly near lo,
         * one draw in 64 anywhere up to hi */
        unsigned k = 0;
        while (k < 6 && axi_rng_pct(m->rng, 50)) {
            k++;
        }
        l = axi_rng_range(m->rng, lo, lo + ((hi - lo) >> (6 - k)));
        break;
    }
    default:
        l = axi_rng_range(m->rng, lo, hi);
        break;
    }
    return l ? l : 1;
}

enum { CH_AR, CH_R, CH_AW, CH_W, CH_B };

/* 1 if channel ch holds back this time. run 0: each time on its own with
 * probability pct; else in on/off runs: stall runs of 1..2*run-1 times
 * (mean run), pass runs sized so that pct percent of the times stall. */
static int stall(axi_mem_t *m, unsigned ch, unsigned pct, unsigned run)
{
    if (run == 0 || pct == 0 || pct >= 100) {
        return axi_rng_pct(m->rng, pct);
    }
    struct run *s = &m->run[ch];
    if (s->left == 0) {
        s->stalling = !s->stalling;
        if (s->stalling) {
            s->left = axi_rng_range(m->rng, 1, 2 * run - 1);
        } else {
            unsigned go = (unsigned)((uint64_t)run * (100 - pct) / pct);
            s->left = axi_rng_range(m->rng, 1, go > 0 ? 2 * go - 1 : 1);
        }
    }
    s->left--;
    return s->stalling;
}

/* rdq index of the burst to offer an R beat from, or -1. In order: the head.
 * reorder: the oldest burst of any ID whose data is due (random pick), but a
 * burst once started runs to its end unless interleave. */
static long pick_read(axi_mem_t *m, uint64_t cycle)
{
    if (!m->rdq.n) {
        return -1;
    }
    if (!m->cfg.reorder) {
        rd_burst_t *b = fifo_at(&m->rdq, 0);
        return resp_due(cycle, b->ready_cycle, b->hold, &b->hold_until, &b->hold_started) ? 0 : -1;
    }
    size_t cand[64];
    size_t nc = 0;
    for (size_t i = 0; i < m->rdq.n && nc < 64; i++) {
        rd_burst_t *b = fifo_at(&m->rdq, i);
        if (b->beat > 0 && !m->cfg.interleave) {
            return (long)i; /* started: finish it first */
        }
        int oldest = 1;
        for (size_t k = 0; k < i && oldest; k++) {
            oldest = ((const rd_burst_t *)fifo_at(&m->rdq, k))->id != b->id;
        }
        if (oldest && resp_due(cycle, b->ready_cycle, b->hold, &b->hold_until, &b->hold_started)) {
            cand[nc++] = i;
        }
    }
    return nc ? (long)cand[nc == 1 ? 0 : axi_rng_range(m->rng, 0, (unsigned)nc - 1)] : -1;
}

/* bq index of the B to offer, or -1: the head, or with reorder the oldest of
 * any ID that is due. */
static long pick_b(axi_mem_t *m, uint64_t cycle)
{
    if (!m->bq.n) {
        return -1;
    }
    if (!m->cfg.reorder) {
        b_resp_t *b = fifo_at(&m->bq, 0);
        return resp_due(cycle, b->ready_cycle, b->hold, &b->hold_until, &b->hold_started) ? 0 : -1;
    }
    size_t cand[64];
    size_t nc = 0;
    for (size_t i = 0; i < m->bq.n && nc < 64; i++) {
        b_resp_t *b = fifo_at(&m->bq, i);
        int oldest = 1;
        for (size_t k = 0; k < i && oldest; k++) {
            oldest = ((const b_resp_t *)fifo_at(&m->bq, k))->id != b->id;
        }
        if (oldest && resp_due(cycle, b->ready_cycle, b->hold, &b->hold_until, &b->hold_started)) {
            cand[nc++] = i;
        }
    }
    return nc ? (long)cand[nc == 1 ? 0 : axi_rng_range(m->rng, 0, (unsigned)nc - 1)] : -1;
}

void axi_mem_drive(axi_mem_t *m, uint64_t cycle, axi_mem_rsp_t *rsp)
{
    axi_mem_rsp_t *o = &m->rsp;

    o->arready = (m->cfg.max_outstanding_rd == 0 || m->rdq.n < m->cfg.max_outstanding_rd) &&
                 !stall(m, CH_AR, m->cfg.stall_ar, m->cfg.run_ar);
    o->awready = m->awq.n < AW_QUEUE_MAX && !stall(m, CH_AW, m->cfg.stall_aw, m->cfg.run_aw);
    o->wready = m->wq.n < W_BUF_MAX && !stall(m, CH_W, m->cfg.stall_w, m->cfg.run_w);

    long ri = m->r_held ? -1 : pick_read(m, cycle);
    if (ri >= 0) {
        const rd_burst_t *b = fifo_at(&m->rdq, (size_t)ri);
        if (!stall(m, CH_R, m->cfg.stall_r, m->cfg.run_r)) {
            m->r_cur = (size_t)ri;
            uint64_t a = beat_addr(b->addr, b->size, b->burst, b->beat) & ~(uint64_t)(m->data_bytes - 1);
            axi_mem_read(m, a, o->rdata, m->data_bytes);
            o->rid = b->id;
            o->rresp = b->force_resp ? b->force_resp : inj_resp(m, a, 0);
            o->rlast = b->beat == b->len;
            m->r_held = 1;
        }
    }
    o->rvalid = m->r_held;
    if (!m->r_held) {
        o->rid = 0;
        o->rresp = 0;
        o->rlast = 0;
        memset(o->rdata, 0, sizeof(o->rdata));
    }

    long bi = m->b_held ? -1 : pick_b(m, cycle);
    if (bi >= 0) {
        const b_resp_t *b = fifo_at(&m->bq, (size_t)bi);
        if (!stall(m, CH_B, m->cfg.stall_b, m->cfg.run_b)) {
            m->b_cur = (size_t)bi;
            o->bid = b->id;
            o->bresp = b->resp;
            m->b_held = 1;
        }
    }
    o->bvalid = m->b_held;
    if (!m->b_held) {
        o->bid = 0;
        o->bresp = 0;
    }
    *rsp = *o;
}

/* Pairs buffered W beats with queued AW bursts and completes bursts. */
static void drain_writes(axi_mem_t *m)
{
    while (m->awq.n && m->wq.n) {
        wr_burst_t *b = fifo_at(&m->awq, 0);
        const w_beat_t *w = fifo_at(&m->wq, 0);
        int is_last = b->beat == b->len; /* beats are counted; WLAST is the checker's (axi_check) */
        uint64_t a = beat_addr(b->addr, b->size, b->burst, b->beat) & ~(uint64_t)(m->data_bytes - 1);
        unsigned r = b->force_resp ? b->force_resp : inj_resp(m, a, 1);
        if (r != AXI_RESP_OKAY) {
            if (b->resp == AXI_RESP_OKAY) {
                b->resp = r;
            }
        } else if (w->strb) {
            uint8_t *p = page_get(m, a >> PAGE_SHIFT, 1) + (a & PAGE_MASK);
            dirty_mark(m, a >> PAGE_SHIFT, AXI_MEM_DIRTY_BUS);
            for (unsigned i = 0; i < m->data_bytes; i++) {
                if ((w->strb >> i) & 1) {
                    p[i] = w->data[i];
                }
            }
        }
        if (is_last) {
            b_resp_t *br = fifo_push(&m->bq);
            uint64_t from = w->cycle > b->aw_cycle ? w->cycle : b->aw_cycle;
            br->id = b->id;
            br->addr = b->addr;
            br->len = b->len;
            br->size = b->size;
            br->burst = b->burst;
            br->resp = b->resp;
            br->hold = b->hold;
            br->ready_cycle = from + lat(m, m->cfg.wr_lat_min, m->cfg.wr_lat_max);
            fifo_pop(&m->awq);
        } else {
            b->beat++;
        }
        fifo_pop(&m->wq);
    }
}

void axi_mem_update(axi_mem_t *m, uint64_t cycle, const axi_mem_req_t *q)
{
    const axi_mem_rsp_t *o = &m->rsp;

    /* R */
    if (m->r_held && q->rready) {
        rd_burst_t *b = fifo_at(&m->rdq, m->r_cur);
        m->st.r_beats++;
        m->st.r_reordered += b->beat == 0 && m->r_cur != 0;
        m->st.r_interleaved += m->r_started > (b->beat > 0); /* another burst is part way */
        if (b->id < AXI_MEM_STAT_IDS) {
            m->st.r_beats_id[b->id]++;
        }
        uint64_t sz = (uint64_t)1 << (b->size < 7 ? b->size : 7);
        int at_start = b->beat == 0 || b->burst == AXI_BURST_FIXED;
        m->st.r_bytes += at_start ? sz - (b->addr & (sz - 1)) : sz;
        m->r_held = 0;
        b->err |= o->rresp != AXI_RESP_OKAY;
        if (b->beat == b->len) {
            m->st.rd_err_injected += b->err != 0;
            trace_add(m, AXI_EV_RLAST, cycle, b->id, b->addr, b->len, b->burst, o->rresp);
            m->r_started -= b->beat > 0;
            fifo_remove(&m->rdq, m->r_cur);
        } else {
            m->r_started += b->beat == 0;
            b->beat++;
        }
    }
    /* AR */
    if (q->arvalid && o->arready) {
        rd_burst_t *b = fifo_push(&m->rdq);
        b->id = q->arid;
        b->addr = q->araddr;
        b->len = q->arlen & 0xff;
        b->size = q->arsize & 7;
        b->burst = q->arburst & 3;
        b->ready_cycle = cycle + lat(m, m->cfg.rd_lat_min, m->cfg.rd_lat_max);
        b->force_resp = rnd_resp(m, 0);
        if (m->nholds) {
            b->hold = hold_for(m, b->addr, burst_end(b->addr, b->size, b->burst, b->len), 0);
            m->st.rd_held += b->hold != 0;
        }
        m->st.ar_count++;
        m->st.ar_fixed += b->burst == AXI_BURST_FIXED;
        trace_add(m, AXI_EV_AR, cycle, b->id, b->addr, b->len, b->burst, 0);
        if (b->id < AXI_MEM_STAT_IDS) {
            m->st.ar_count_id[b->id]++;
        }
        if (m->st.first_ar_cycle == UINT64_MAX) {
            m->st.first_ar_cycle = cycle;
        }
        if (m->rdq.n > m->st.max_rd_outstanding) {
            m->st.max_rd_outstanding = m->rdq.n;
        }
    }
    /* AW */
    if (q->awvalid && o->awready) {
        wr_burst_t *b = fifo_push(&m->awq);
        b->id = q->awid;
        b->addr = q->awaddr;
        b->len = q->awlen & 0xff;
        b->size = q->awsize & 7;
        b->burst = q->awburst & 3;
        b->resp = AXI_RESP_OKAY;
        b->aw_cycle = cycle;
        b->force_resp = rnd_resp(m, 1);
        b->resp = b->force_resp;
        if (m->nholds) {
            b->hold = hold_for(m, b->addr, burst_end(b->addr, b->size, b->burst, b->len), 1);
            m->st.wr_held += b->hold != 0;
        }
        m->st.aw_count++;
        m->st.aw_fixed += b->burst == AXI_BURST_FIXED;
        trace_add(m, AXI_EV_AW, cycle, b->id, b->addr, b->len, b->burst, 0);
        if (b->id < AXI_MEM_STAT_IDS) {
            m->st.aw_count_id[b->id]++;
        }
        if (m->st.first_aw_cycle == UINT64_MAX) {
            m->st.first_aw_cycle = cycle;
        }
    }
    /* W */
    if (q->wvalid && o->wready) {
        w_beat_t *w = fifo_push(&m->wq);
        memcpy(w->data, q->wdata, m->data_bytes);
        w->strb = m->data_bytes == 64 ? q->wstrb : q->wstrb & (((uint64_t)1 << m->data_bytes) - 1);
        w->last = q->wlast ? 1 : 0;
        w->cycle = cycle;
        m->st.w_beats++;
        m->st.w_bytes += popcount64(w->strb);
        m->st.last_w_cycle = cycle;
    }
    drain_writes(m);
    /* B */
    if (m->b_held && q->bready) {
        const b_resp_t *br = fifo_at(&m->bq, m->b_cur);
        m->st.b_reordered += m->b_cur != 0;
        m->st.wr_err_injected += br->resp != AXI_RESP_OKAY;
        trace_add(m, AXI_EV_B, cycle, br->id, br->addr, br->len, br->burst, br->resp);
        fifo_remove(&m->bq, m->b_cur);
        m->b_held = 0;
        m->st.b_count++;
        m->st.last_b_cycle = cycle;
    }

}

/* ---- stress profiles ---- */

static const char *const profiles[] = {"uniform", "bimodal",  "longtail", "reorder",
                                       "interleave", "bursty", "longstall", "mixed"};

unsigned axi_mem_profile_count(void) { return sizeof(profiles) / sizeof(profiles[0]); }

const char *axi_mem_profile_name(unsigned i) { return i < axi_mem_profile_count() ? profiles[i] : NULL; }

int axi_mem_profile(axi_mem_cfg_t *c, const char *name, uint64_t seed)
{
    unsigned p = 0;
    while (p < axi_mem_profile_count() && strcmp(profiles[p], name) != 0) {
        p++;
    }
    if (p == axi_mem_profile_count()) {
        return -1;
    }
    axi_rng_t r;
    axi_rng_seed(&r, seed ^ 0x3C6EF372FE94F82Bull);
    unsigned *stall[] = {&c->stall_ar, &c->stall_r, &c->stall_aw, &c->stall_w, &c->stall_b};
    unsigned *run[] = {&c->run_ar, &c->run_r, &c->run_aw, &c->run_w, &c->run_b};
    c->lat_dist = AXI_LAT_UNIFORM;
    c->reorder = 0;
    c->interleave = 0;
    for (unsigned i = 0; i < 5; i++) {
        *run[i] = 0;
    }
    switch (p) {
    case 1:
        c->lat_dist = AXI_LAT_BIMODAL;
        break;
    case 2:
        c->lat_dist = AXI_LAT_LONGTAIL;
        c->rd_lat_max = c->rd_lat_min + 300;
        c->wr_lat_max = c->wr_lat_min + 300;
        break;
    case 4:
        c->interleave = 1;
        /* fall through */
    case 3:
        /* write latencies spread wider than a write burst lasts, so that a
         * later B is often due first (reads reorder with the spans they have) */
        c->reorder = 1;
        c->wr_lat_max = c->wr_lat_min + 64 + axi_rng_range(&r, 0, 64);
        break;
    case 5:
        for (unsigned i = 0; i < 5; i++) {
            if (axi_rng_range(&r, 0, 3) != 0) {
                *run[i] = axi_rng_range(&r, 2, 8);
                *stall[i] = axi_rng_range(&r, 10, 40);
            }
        }
        break;
    case 6: {
        unsigned n = axi_rng_range(&r, 1, 3);
        for (unsigned k = 0; k < n; k++) {
            unsigned i = axi_rng_range(&r, 0, 4);
            *run[i] = axi_rng_range(&r, 20, 100);
            *stall[i] = axi_rng_range(&r, 10, 30);
        }
        break;
    }
    case 7:
        c->lat_dist = axi_rng_range(&r, AXI_LAT_UNIFORM, AXI_LAT_LONGTAIL);
        if (c->lat_dist == AXI_LAT_LONGTAIL) {
            c->rd_lat_max = c->rd_lat_min + 300;
            c->wr_lat_max = c->wr_lat_min + 300;
        }
        c->reorder = axi_rng_pct(&r, 50);
        c->interleave = c->reorder && axi_rng_pct(&r, 50);
        for (unsigned i = 0; i < 5; i++) {
            unsigned k = axi_rng_range(&r, 0, 2);
            *run[i] = k == 0 ? 0 : k == 1 ? axi_rng_range(&r, 2, 8) : axi_rng_range(&r, 20, 60);
            if (*run[i] && *stall[i] == 0) {
                *stall[i] = axi_rng_range(&r, 10, 30);
            }
        }
        break;
    default:
        break;
    }
    return 0;
}

/* ---- write tracking: a set of dirty pages (for the scoreboard) ---- */

struct dirty {
    uint64_t *pn;     /* open addressing, key pn + 1 (0 = empty) */
    unsigned char *how;
    size_t cap, n;
    uint64_t *out_pn; /* the sorted list handed out by axi_mem_dirty_pages */
    unsigned char *out_how;
};

static void dirty_put(struct dirty *d, uint64_t pn, unsigned how)
{
    size_t i = (size_t)((pn * 0x9E3779B97F4A7C15ull) >> 20) & (d->cap - 1);
    while (d->pn[i] != 0 && d->pn[i] != pn + 1) {
        i = (i + 1) & (d->cap - 1);
    }
    if (d->pn[i] == 0) {
        d->pn[i] = pn + 1;
        d->n++;
    }
    d->how[i] |= (unsigned char)how;
}

static void dirty_mark(axi_mem_t *m, uint64_t pn, unsigned how)
{
    struct dirty *d = m->dirty;
    if (!d) {
        return;
    }
    if (2 * (d->n + 1) > d->cap) {
        struct dirty old = *d;
        d->cap = old.cap ? 2 * old.cap : 256;
        d->n = 0;
        d->pn = xmalloc(d->cap * sizeof(*d->pn));
        d->how = xmalloc(d->cap);
        for (size_t i = 0; i < old.cap; i++) {
            if (old.pn[i] != 0) {
                dirty_put(d, old.pn[i] - 1, old.how[i]);
            }
        }
        free(old.pn);
        free(old.how);
    }
    dirty_put(d, pn, how);
}

void axi_mem_track_writes(axi_mem_t *m, int on)
{
    if (m->dirty) {
        free(m->dirty->pn);
        free(m->dirty->how);
        free(m->dirty->out_pn);
        free(m->dirty->out_how);
        free(m->dirty);
        m->dirty = NULL;
    }
    if (on) {
        m->dirty = xmalloc(sizeof(*m->dirty));
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t axi_mem_dirty_pages(const axi_mem_t *m, const uint64_t **pn, const unsigned char **how)
{
    struct dirty *d = m->dirty;
    size_t k = 0;

    *pn = NULL;
    *how = NULL;
    if (!d || d->n == 0) {
        return 0;
    }
    free(d->out_pn);
    free(d->out_how);
    d->out_pn = xmalloc(d->n * sizeof(*d->out_pn));
    d->out_how = xmalloc(d->n);
    for (size_t i = 0; i < d->cap; i++) {
        if (d->pn[i] != 0) {
            d->out_pn[k++] = d->pn[i] - 1;
        }
    }
    qsort(d->out_pn, k, sizeof(*d->out_pn), cmp_u64);
    for (size_t i = 0; i < k; i++) {
        size_t j = (size_t)((d->out_pn[i] * 0x9E3779B97F4A7C15ull) >> 20) & (d->cap - 1);
        while (d->pn[j] != d->out_pn[i] + 1) {
            j = (j + 1) & (d->cap - 1);
        }
        d->out_how[i] = d->how[j];
    }
    *pn = d->out_pn;
    *how = d->out_how;
    return k;
}
