/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pcie_link.c: PCIe link model between m_axi and the memory. See pcie_link.h.
 */
#include "pcie_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AR_BUF 2U

struct ar_req { /* an AR accepted from the DUT, not yet passed to the memory */
    uint64_t id, addr;
    unsigned len, size, burst;
};

struct rd_rec { /* an AR passed on, awaiting its R beats */
    uint64_t pos;      /* next byte the R beats deliver */
    uint64_t end;      /* end of the burst's bytes */
    uint64_t cpl_next; /* start of the next completion (end: none left) */
    uint64_t mrd_end;  /* end of the MRd the delivered bytes are in */
    unsigned bsz;
};

struct wr_rec { /* an AW passed on, awaiting its W beats */
    uint64_t addr;     /* address of the next beat (beat 0: AWADDR) */
    unsigned bsz;
    unsigned beats_left;
    int first;
};

struct queue { /* FIFO of fixed-size records */
    void *buf;
    size_t rec, cap, head, n;
};

struct pcie_link {
    pcie_link_cfg_t cfg;
    double rate; /* bytes per DUT clock */
    double tx_credit, rx_credit;
    struct ar_req arb[AR_BUF];
    unsigned ar_n;
    int ar_offered, w_offered, r_offered;
    int ar_allow, w_allow, r_allow;
    axi_mem_rsp_t mem_rsp; /* the memory's outputs this cycle */
    struct queue rdq, wrq;
    unsigned tags_used;
    pcie_link_stats_t st;
};

/* ---------------------------------------------------------------- queue */

static int q_init(struct queue *q, size_t rec)
{
    q->rec = rec;
    q->cap = 64;
    q->head = q->n = 0;
    q->buf = malloc(q->cap * rec);
    return q->buf != NULL ? 0 : -1;
}

static void *q_at(const struct queue *q, size_t i)
{
    return (char *)q->buf + ((q->head + i) % q->cap) * q->rec;
}

static void *q_push(struct queue *q)
{
    if (q->n == q->cap) {
        void *nb = malloc(2U * q->cap * q->rec);
        if (nb == NULL) {
            fprintf(stderr, "pcie_link: out of memory\n");
            abort();
        }
        for (size_t i = 0; i < q->n; i++) {
            memcpy((char *)nb + i * q->rec, q_at(q, i), q->rec);
        }
        free(q->buf);
        q->buf = nb;
        q->cap *= 2U;
        q->head = 0;
    }
    q->n++;
    return q_at(q, q->n - 1U);
}

static void q_pop(struct queue *q)
{
    q->head = (q->head + 1U) % q->cap;
    q->n--;
}

/* ---------------------------------------------------------------- arithmetic */

static int pow2_in(unsigned v, unsigned lo, unsigned hi)
{
    return v >= lo && v <= hi && (v & (v - 1U)) == 0;
}

void pcie_link_cfg_default(pcie_link_cfg_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->gen = 3;
    cfg->lanes = 8;
    cfg->clk_mhz = 250.0;
    cfg->mps = 256;
    cfg->mrrs = 512;
    cfg->rcb = 64;
    cfg->cpl_max = 0;
    cfg->tags = 64;
    cfg->dllp_pct = 0.0;
    cfg->addr64_hdr = 1;
}

const char *pcie_link_cfg_check(const pcie_link_cfg_t *cfg)
{
    if (cfg->gen < 1 || cfg->gen > 5) {
        return "gen must be 1..5";
    }
    if (!pow2_in(cfg->lanes, 1, 16)) {
        return "lanes must be 1, 2, 4, 8 or 16";
    }
    if (!(cfg->clk_mhz > 0.0)) {
        return "clk_mhz must be positive";
    }
    if (!pow2_in(cfg->mps, 128, 4096)) {
        return "mps must be a power of two 128..4096";
    }
    if (!pow2_in(cfg->mrrs, 128, 4096)) {
        return "mrrs must be a power of two 128..4096";
    }
    if (cfg->rcb != 64 && cfg->rcb != 128) {
        return "rcb must be 64 or 128";
    }
    unsigned cm = cfg->cpl_max != 0 ? cfg->cpl_max : cfg->mps;
    if (cm < cfg->rcb || cm % cfg->rcb != 0 || cm > cfg->mps) {
        return "cpl_max must be a multiple of rcb and at most mps";
    }
    if (cfg->tags < 1 || cfg->tags > 1024) {
        return "tags must be 1..1024";
    }
    if (!(cfg->dllp_pct >= 0.0 && cfg->dllp_pct <= 50.0)) {
        return "dllp_pct must be 0..50";
    }
    return NULL;
}

double pcie_lane_bytes_per_s(unsigned gen)
{
    static const double gts[] = {0.0, 2.5e9, 5e9, 8e9, 16e9, 32e9};
    if (gen < 1 || gen > 5) {
        return 0.0;
    }
    double enc = gen <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
    return gts[gen] * enc / 8.0;
}

double pcie_link_bytes_per_s(const pcie_link_cfg_t *cfg)
{
    return pcie_lane_bytes_per_s(cfg->gen) * cfg->lanes * (1.0 - cfg->dllp_pct / 100.0);
}

double pcie_link_bytes_per_clk(const pcie_link_cfg_t *cfg)
{
    return pcie_link_bytes_per_s(cfg) / (cfg->clk_mhz * 1e6);
}

unsigned pcie_tlp_overhead(unsigned hdr_dw)
{
    return PCIE_FRAMING_BYTES + hdr_dw * PCIE_DW;
}

uint64_t pcie_split_count(uint64_t addr, uint64_t len, unsigned chunk)
{
    if (len == 0) {
        return 0;
    }
    uint64_t first = addr / chunk;
    uint64_t last = (addr + len - 1U) / chunk;
    return last - first + 1U;
}

static uint64_t align_down(uint64_t a, uint64_t n) { return a - a % n; }

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* End of the completion starting at s inside an MRd ending at m. */
static uint64_t cpl_end(uint64_t s, uint64_t m, unsigned rcb, unsigned cpl_max)
{
    return min_u64(m, align_down(s + cpl_max, rcb));
}

uint64_t pcie_cpl_count(uint64_t addr, uint64_t len, unsigned rcb, unsigned cpl_max)
{
    uint64_t n = 0;
    uint64_t end = addr + len;
    for (uint64_t s = addr; s < end; s = cpl_end(s, end, rcb, cpl_max)) {
        n++;
    }
    return n;
}

double pcie_tlp_efficiency(unsigned payload, unsigned hdr_dw)
{
    return (double)payload / (double)(payload + pcie_tlp_overhead(hdr_dw));
}

/* ---------------------------------------------------------------- layer */

pcie_link_t *pcie_link_new(const pcie_link_cfg_t *cfg)
{
    const char *why = pcie_link_cfg_check(cfg);
    if (why != NULL) {
        fprintf(stderr, "pcie_link: bad configuration: %s\n", why);
        return NULL;
    }
    pcie_link_t *l = calloc(1, sizeof(*l));
    if (l == NULL) {
        fprintf(stderr, "pcie_link: out of memory\n");
        return NULL;
    }
    l->cfg = *cfg;
    if (l->cfg.cpl_max == 0) {
        l->cfg.cpl_max = l->cfg.mps;
    }
    l->rate = pcie_link_bytes_per_clk(&l->cfg);
    if (q_init(&l->rdq, sizeof(struct rd_rec)) != 0 || q_init(&l->wrq, sizeof(struct wr_rec)) != 0) {
        fprintf(stderr, "pcie_link: out of memory\n");
        pcie_link_free(l);
        return NULL;
    }
    pcie_link_reset(l);
    return l;
}

void pcie_link_free(pcie_link_t *link)
{
    if (link == NULL) {
        return;
    }
    free(link->rdq.buf);
    free(link->wrq.buf);
    free(link);
}

void pcie_link_reset(pcie_link_t *link)
{
    link->tx_credit = link->rx_credit = 0.0;
    link->ar_n = 0;
    link->ar_offered = link->w_offered = link->r_offered = 0;
    link->ar_allow = link->w_allow = link->r_allow = 0;
    memset(&link->mem_rsp, 0, sizeof(link->mem_rsp));
    link->rdq.head = link->rdq.n = 0;
    link->wrq.head = link->wrq.n = 0;
    link->tags_used = 0;
}

const pcie_link_cfg_t *pcie_link_cfg(const pcie_link_t *link) { return &link->cfg; }

static unsigned req_hdr_dw(const pcie_link_t *l, uint64_t addr)
{
    return l->cfg.addr64_hdr && addr >= (1ULL << 32) ? 4U : 3U;
}

/* Bytes an AR burst covers: from ARADDR to the end of its last beat. */
static uint64_t ar_end(const struct ar_req *a)
{
    uint64_t bsz = 1ULL << a->size;
    return align_down(a->addr, bsz) + (uint64_t)(a->len + 1U) * bsz;
}

static unsigned ar_tags(const pcie_link_t *l, const struct ar_req *a)
{
    return (unsigned)pcie_split_count(a->addr, ar_end(a) - a->addr, l->cfg.mrrs);
}

void pcie_link_drive(pcie_link_t *link, const axi_mem_rsp_t *from_mem, axi_mem_rsp_t *to_dut)
{
    pcie_link_t *l = link;
    l->tx_credit += l->rate;
    if (l->tx_credit > l->rate) {
        l->tx_credit = l->rate;
    }
    l->rx_credit += l->rate;
    if (l->rx_credit > l->rate) {
        l->rx_credit = l->rate;
    }
    l->mem_rsp = *from_mem;
    /* AR to the memory: the buffer's head, when its tags are free (all of
     * them, for a burst needing more than the limit) and TX has credit. */
    l->ar_allow = 0;
    if (l->ar_n > 0) {
        unsigned need = ar_tags(l, &l->arb[0]);
        int tags_ok = l->tags_used + need <= l->cfg.tags || l->tags_used == 0;
        l->ar_allow = l->ar_offered || (tags_ok && l->tx_credit >= 0.0);
    }
    l->w_allow = l->w_offered || (l->tx_credit >= 0.0 && l->wrq.n > 0);
    l->r_allow = l->r_offered || l->rx_credit >= 0.0;

    *to_dut = l->mem_rsp;
    to_dut->arready = l->ar_n < AR_BUF;
    to_dut->wready = l->mem_rsp.wready && l->w_allow;
    to_dut->rvalid = l->mem_rsp.rvalid && l->r_allow;
}

/* Charges the R beat that just passed and frees the tags of MRds it finished. */
static void r_beat(pcie_link_t *l)
{
    if (l->rdq.n == 0) {
        return; /* a beat the memory answers without an AR (its protocol checker reports it) */
    }
    struct rd_rec *r = q_at(&l->rdq, 0);
    uint64_t lo = r->pos;
    uint64_t hi = min_u64(r->end, align_down(lo, r->bsz) + r->bsz);
    uint64_t bytes = (hi + 3U) / 4U * 4U - align_down(lo, 4);
    uint64_t cost = bytes;
    while (r->cpl_next < hi) {
        cost += pcie_tlp_overhead(3);
        l->st.cpl_tlps++;
        uint64_t s = r->cpl_next;
        uint64_t m = min_u64(r->end, align_down(s, l->cfg.mrrs) + l->cfg.mrrs);
        r->cpl_next = cpl_end(s, m, l->cfg.rcb, l->cfg.cpl_max);
    }
    while (r->mrd_end <= hi && r->mrd_end > lo) {
        if (l->tags_used > 0) {
            l->tags_used--;
        }
        r->mrd_end = r->mrd_end == r->end ? UINT64_MAX : min_u64(r->end, r->mrd_end + l->cfg.mrrs);
    }
    r->pos = hi;
    l->st.rx_payload += bytes;
    l->st.rx_bytes += cost;
    l->rx_credit -= (double)cost;
    if (hi >= r->end) {
        q_pop(&l->rdq);
    }
}

static void w_beat(pcie_link_t *l, uint64_t wstrb)
{
    struct wr_rec *w = q_at(&l->wrq, 0);
    uint64_t cost = 0;
    if (w->first || w->addr % l->cfg.mps == 0) {
        cost += pcie_tlp_overhead(req_hdr_dw(l, w->addr));
        l->st.mwr_tlps++;
    }
    unsigned first = 64, last = 0;
    for (unsigned b = 0; b < w->bsz; b++) {
        if ((wstrb >> b) & 1U) {
            first = b < first ? b : first;
            last = b;
        }
    }
    uint64_t bytes = first <= last ? (uint64_t)(last / 4U - first / 4U + 1U) * 4U : 0;
    cost += bytes;
    l->st.tx_payload += bytes;
    l->st.tx_bytes += cost;
    l->tx_credit -= (double)cost;
    w->addr = align_down(w->addr, w->bsz) + w->bsz;
    w->first = 0;
    if (--w->beats_left == 0) {
        q_pop(&l->wrq);
    }
}

void pcie_link_update(pcie_link_t *link, const axi_mem_req_t *from_dut, axi_mem_req_t *to_mem)
{
    pcie_link_t *l = link;
    const axi_mem_rsp_t *m = &l->mem_rsp;
    *to_mem = *from_dut;

    /* AR: the buffer's head goes to the memory; new ones come from the DUT. */
    to_mem->arvalid = l->ar_n > 0 && l->ar_allow;
    if (to_mem->arvalid) {
        to_mem->arid = l->arb[0].id;
        to_mem->araddr = l->arb[0].addr;
        to_mem->arlen = l->arb[0].len;
        to_mem->arsize = l->arb[0].size;
        to_mem->arburst = l->arb[0].burst;
    } else {
        to_mem->arid = 0;
        to_mem->araddr = 0;
        to_mem->arlen = to_mem->arsize = to_mem->arburst = 0;
    }
    int dut_ar = from_dut->arvalid && l->ar_n < AR_BUF;
    if (to_mem->arvalid && m->arready) {
        const struct ar_req *a = &l->arb[0];
        unsigned n = ar_tags(l, a);
        uint64_t cost = (uint64_t)n * pcie_tlp_overhead(req_hdr_dw(l, a->addr));
        l->tags_used += n;
        if (l->tags_used > l->st.max_tags_used) {
            l->st.max_tags_used = l->tags_used;
        }
        l->st.mrd_tlps += n;
        l->st.tx_bytes += cost;
        l->tx_credit -= (double)cost;
        struct rd_rec *r = q_push(&l->rdq);
        r->bsz = 1U << a->size;
        r->pos = a->addr;
        r->end = ar_end(a);
        r->cpl_next = a->addr;
        r->mrd_end = min_u64(r->end, align_down(a->addr, l->cfg.mrrs) + l->cfg.mrrs);
        l->arb[0] = l->arb[1];
        l->ar_n--;
        l->ar_offered = 0;
    } else {
        l->ar_offered = to_mem->arvalid;
    }
    if (dut_ar) {
        struct ar_req *a = &l->arb[l->ar_n++];
        a->id = from_dut->arid;
        a->addr = from_dut->araddr;
        a->len = from_dut->arlen;
        a->size = from_dut->arsize;
        a->burst = from_dut->arburst;
    }

    /* R: passes while RX has credit. */
    to_mem->rready = from_dut->rready && l->r_allow;
    int r_hs = m->rvalid && l->r_allow && from_dut->rready;
    l->r_offered = m->rvalid && l->r_allow && !r_hs;
    if (r_hs) {
        r_beat(l);
    }

    /* W: passes once its AW is known and TX has credit. */
    to_mem->wvalid = from_dut->wvalid && l->w_allow;
    int w_hs = to_mem->wvalid && m->wready;
    l->w_offered = to_mem->wvalid && !w_hs;
    if (w_hs && l->wrq.n > 0) {
        w_beat(l, from_dut->wstrb);
    }

    /* AW passes straight through; remember it for its W beats. */
    if (from_dut->awvalid && m->awready) {
        struct wr_rec *w = q_push(&l->wrq);
        w->addr = from_dut->awaddr;
        w->bsz = 1U << from_dut->awsize;
        w->beats_left = from_dut->awlen + 1U;
        w->first = 1;
    }
}

void pcie_link_stats(const pcie_link_t *link, pcie_link_stats_t *out) { *out = link->st; }

void pcie_link_stats_clear(pcie_link_t *link)
{
    memset(&link->st, 0, sizeof(link->st));
    link->st.max_tags_used = link->tags_used;
}

unsigned pcie_link_tags_used(const pcie_link_t *link) { return link->tags_used; }
