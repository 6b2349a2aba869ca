/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fcov.c: functional coverage counters of the test bench. See fcov.h.
 *
 * Everything is decoded from the pins: the AXI-Lite handshakes give register
 * accesses (address and data paired in order, as the slave answers them in
 * order), the m_axi handshakes give bursts per ID. Write data has no ID, so
 * W beats are matched to AW handshakes in order (the DUT, like AXI4, sends W
 * data in AW order); beats that come before their AW wait in a queue.
 */
#define _POSIX_C_SOURCE 200809L

#include "fcov.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry/ferry_desc.h"
#include "ferry/ferry_regs.h"

#define FCOV_AXIL_Q 8U   /* AXI-Lite requests waiting for their pair (power of two) */
#define FCOV_BURST_Q 256U /* m_axi bursts / W beats waiting for their pair (power of two) */
#define FCOV_PATTERNS 1024U
#define FCOV_KEY 64U
#define FCOV_DESC_FLAGS_OFF 0x13U /* flags byte of a 32-byte descriptor (docs/descriptors.md) */
#define FCOV_CPL_STATUS_OFF 0x02U /* STATUS byte of a 16-byte completion record */

typedef struct burst {
    uint64_t addr;
    unsigned id, len, size, burst, beat;
} burst_t;

typedef struct wbeat {
    uint8_t data[FM_MAX_DATA_BYTES];
    uint64_t strb;
    int last;
} wbeat_t;

typedef struct pattern {
    char key[FCOV_KEY];
    uint64_t cycles, entries;
} pattern_t;

struct fcov {
    char *dir;
    unsigned nc, db;
    /* counts */
    uint64_t *reg_rd, *reg_wr; /* per ferry_reg_info[] entry */
    uint64_t undef_rd, undef_wr;
    uint64_t err_status[256], err_cpl[256];
    uint64_t flags[256];
    pattern_t pat[FCOV_PATTERNS];
    unsigned npat, pat_dropped;
    int last_pat; /* pattern of the previous cycle, -1 if fewer than two channels were active */
    uint32_t last_mask;                        /* its active channels */
    uint32_t last_weight[FERRY_MAX_CHANNELS];  /* and weights */
    /* AXI-Lite pairing */
    uint32_t aw_addr[FCOV_AXIL_Q], w_data[FCOV_AXIL_Q], w_strb[FCOV_AXIL_Q], ar_addr[FCOV_AXIL_Q];
    unsigned aw_h, aw_n, w_h, w_n, ar_h, ar_n;
    /* m_axi bursts */
    burst_t awq[FCOV_BURST_Q];
    unsigned awq_h, awq_n;
    wbeat_t wq[FCOV_BURST_Q];
    unsigned wq_h, wq_n;
    burst_t arq[FCOV_BURST_Q]; /* reads of the control port ID (descriptor fetches) */
    unsigned arq_h, arq_n;
    uint32_t rd_out[FERRY_MAX_CHANNELS], wr_out[FERRY_MAX_CHANNELS];
    uint32_t weight[FERRY_MAX_CHANNELS];
    unsigned overflow; /* queue overflows (monitor lost track; reported in the file) */
};

fcov_t *fcov_new(unsigned num_channels, unsigned data_bytes)
{
    const char *dir = getenv("FERRY_FCOV_DIR");
    if (!dir || !*dir) {
        return NULL;
    }
    fcov_t *f = calloc(1, sizeof(*f));
    if (!f) {
        return NULL;
    }
    f->dir = strdup(dir);
    f->reg_rd = calloc(ferry_reg_info_count, sizeof(uint64_t));
    f->reg_wr = calloc(ferry_reg_info_count, sizeof(uint64_t));
    if (!f->dir || !f->reg_rd || !f->reg_wr) {
        free(f->dir);
        free(f->reg_rd);
        free(f->reg_wr);
        free(f);
        return NULL;
    }
    f->nc = num_channels < FERRY_MAX_CHANNELS ? num_channels : FERRY_MAX_CHANNELS;
    f->db = data_bytes;
    f->last_pat = -1;
    for (unsigned c = 0; c < FERRY_MAX_CHANNELS; c++) {
        f->weight[c] = FERRY_CH_WEIGHT_RESET & FERRY_WEIGHT_VALUE_MASK;
    }
    return f;
}

static void monitor_reset(fcov_t *f)
{
    f->aw_n = f->w_n = f->ar_n = 0;
    f->awq_n = f->wq_n = f->arq_n = 0;
    memset(f->rd_out, 0, sizeof(f->rd_out));
    memset(f->wr_out, 0, sizeof(f->wr_out));
    for (unsigned c = 0; c < FERRY_MAX_CHANNELS; c++) {
        f->weight[c] = FERRY_CH_WEIGHT_RESET & FERRY_WEIGHT_VALUE_MASK;
    }
    f->last_pat = -1;
}

/* Index into ferry_reg_info[] of the register at BAR offset off; -1 if none.
 * *ch is the channel of a per-channel register. */
static int reg_lookup(const fcov_t *f, uint32_t off, unsigned *ch)
{
    int per_channel = 0;
    *ch = 0;
    off &= FERRY_BAR_SIZE - 1U;
    if (off >= FERRY_CH_BASE) {
        *ch = (off - FERRY_CH_BASE) / FERRY_CH_STRIDE;
        if (*ch >= f->nc) {
            return -1;
        }
        off = (off - FERRY_CH_BASE) % FERRY_CH_STRIDE;
        per_channel = 1;
    }
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        if (ferry_reg_info[i].offset == off && (ferry_reg_info[i].per_channel != 0) == per_channel) {
            return (int)i;
        }
    }
    return -1;
}

static void reg_write(fcov_t *f, uint32_t addr, uint32_t data, uint32_t strb)
{
    unsigned ch;
    int r = reg_lookup(f, addr, &ch);
    if (r < 0) {
        f->undef_wr++;
        return;
    }
    f->reg_wr[r]++;
    if (ferry_reg_info[r].per_channel && ferry_reg_info[r].offset == FERRY_CH_WEIGHT && (strb & 1U)) {
        f->weight[ch] = data & FERRY_WEIGHT_VALUE_MASK;
    }
}

static void reg_read(fcov_t *f, uint32_t addr, uint32_t data, unsigned resp)
{
    unsigned ch;
    int r = reg_lookup(f, addr, &ch);
    if (r < 0) {
        f->undef_rd++;
        return;
    }
    f->reg_rd[r]++;
    if (ferry_reg_info[r].per_channel && ferry_reg_info[r].offset == FERRY_CH_STATUS && resp == 0) {
        f->err_status[FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, data) & 0xFFU]++;
    }
}

static void axil_sample(fcov_t *f, const fm_in_t *in, const fm_out_t *out)
{
    const unsigned m = FCOV_AXIL_Q - 1U;
    if (in->s_axil_awvalid && out->s_axil_awready) {
        if (f->aw_n < FCOV_AXIL_Q) {
            f->aw_addr[(f->aw_h + f->aw_n++) & m] = (uint32_t)in->s_axil_awaddr;
        } else {
            f->overflow++;
        }
    }
    if (in->s_axil_wvalid && out->s_axil_wready) {
        if (f->w_n < FCOV_AXIL_Q) {
            unsigned i = (f->w_h + f->w_n++) & m;
            f->w_data[i] = (uint32_t)in->s_axil_wdata;
            f->w_strb[i] = (uint32_t)in->s_axil_wstrb;
        } else {
            f->overflow++;
        }
    }
    while (f->aw_n && f->w_n) {
        reg_write(f, f->aw_addr[f->aw_h], f->w_data[f->w_h], f->w_strb[f->w_h]);
        f->aw_h = (f->aw_h + 1U) & m;
        f->w_h = (f->w_h + 1U) & m;
        f->aw_n--;
        f->w_n--;
    }
    if (in->s_axil_arvalid && out->s_axil_arready) {
        if (f->ar_n < FCOV_AXIL_Q) {
            f->ar_addr[(f->ar_h + f->ar_n++) & m] = (uint32_t)in->s_axil_araddr;
        } else {
            f->overflow++;
        }
    }
    if (out->s_axil_rvalid && in->s_axil_rready && f->ar_n) {
        reg_read(f, f->ar_addr[f->ar_h], (uint32_t)out->s_axil_rdata, (unsigned)out->s_axil_rresp);
        f->ar_h = (f->ar_h + 1U) & m;
        f->ar_n--;
    }
}

/* Address of beat b->beat of burst b, and the number of bytes it carries. */
static uint64_t beat_addr(const burst_t *b, unsigned *nbytes)
{
    uint64_t bytes = 1ULL << b->size;
    uint64_t a = b->addr;
    if (b->burst == 1U && b->beat > 0) { /* INCR */
        a = (a & ~(bytes - 1U)) + (uint64_t)b->beat * bytes;
    }
    *nbytes = (unsigned)(bytes - (a & (bytes - 1U)));
    return a;
}

static void w_beat(fcov_t *f, burst_t *b, const wbeat_t *w)
{
    if (b->id == f->nc) { /* completion records */
        unsigned n;
        uint64_t a = beat_addr(b, &n);
        for (unsigned i = 0; i < n; i++) {
            uint64_t x = a + i;
            unsigned lane = (unsigned)(x % f->db);
            if ((x & (FERRY_CPL_SIZE - 1U)) == FCOV_CPL_STATUS_OFF && (w->strb >> lane & 1U)) {
                f->err_cpl[w->data[lane]]++;
            }
        }
    }
    b->beat++;
}

static void r_beat(fcov_t *f, burst_t *b, const fm_in_t *in)
{
    if (in->m_axi_rresp == 0) {
        unsigned n;
        uint64_t a = beat_addr(b, &n);
        for (unsigned i = 0; i < n; i++) {
            uint64_t x = a + i;
            if ((x & (FERRY_DESC_SIZE - 1U)) == FCOV_DESC_FLAGS_OFF) {
                f->flags[in->m_axi_rdata[x % f->db]]++;
            }
        }
    }
    b->beat++;
}

static void maxi_sample(fcov_t *f, const fm_in_t *in, const fm_out_t *out)
{
    const unsigned m = FCOV_BURST_Q - 1U;
    if (out->m_axi_awvalid && in->m_axi_awready) {
        unsigned id = (unsigned)out->m_axi_awid;
        if (f->awq_n < FCOV_BURST_Q) {
            burst_t *b = &f->awq[(f->awq_h + f->awq_n++) & m];
            b->addr = out->m_axi_awaddr;
            b->id = id;
            b->len = (unsigned)out->m_axi_awlen;
            b->size = (unsigned)out->m_axi_awsize;
            b->burst = (unsigned)out->m_axi_awburst;
            b->beat = 0;
        } else {
            f->overflow++;
        }
        if (id < f->nc) {
            f->wr_out[id]++;
        }
    }
    if (out->m_axi_wvalid && in->m_axi_wready) {
        if (f->wq_n < FCOV_BURST_Q) {
            wbeat_t *w = &f->wq[(f->wq_h + f->wq_n++) & m];
            memcpy(w->data, out->m_axi_wdata, f->db);
            w->strb = out->m_axi_wstrb;
            w->last = out->m_axi_wlast != 0;
        } else {
            f->overflow++;
        }
    }
    while (f->awq_n && f->wq_n) {
        burst_t *b = &f->awq[f->awq_h];
        const wbeat_t *w = &f->wq[f->wq_h];
        w_beat(f, b, w);
        f->wq_h = (f->wq_h + 1U) & m;
        f->wq_n--;
        if (w->last || b->beat > b->len) {
            f->awq_h = (f->awq_h + 1U) & m;
            f->awq_n--;
        }
    }
    if (in->m_axi_bvalid && out->m_axi_bready && in->m_axi_bid < f->nc && f->wr_out[in->m_axi_bid]) {
        f->wr_out[in->m_axi_bid]--;
    }
    if (out->m_axi_arvalid && in->m_axi_arready) {
        unsigned id = (unsigned)out->m_axi_arid;
        if (id < f->nc) {
            f->rd_out[id]++;
        } else if (id == f->nc) {
            if (f->arq_n < FCOV_BURST_Q) {
                burst_t *b = &f->arq[(f->arq_h + f->arq_n++) & m];
                b->addr = out->m_axi_araddr;
                b->id = id;
                b->len = (unsigned)out->m_axi_arlen;
                b->size = (unsigned)out->m_axi_arsize;
                b->burst = (unsigned)out->m_axi_arburst;
                b->beat = 0;
            } else {
                f->overflow++;
            }
        }
    }
    if (in->m_axi_rvalid && out->m_axi_rready) {
        unsigned id = (unsigned)in->m_axi_rid;
        if (id < f->nc) {
            if (in->m_axi_rlast && f->rd_out[id]) {
                f->rd_out[id]--;
            }
        } else if (id == f->nc && f->arq_n) {
            burst_t *b = &f->arq[f->arq_h];
            r_beat(f, b, in);
            if (in->m_axi_rlast || b->beat > b->len) {
                f->arq_h = (f->arq_h + 1U) & m;
                f->arq_n--;
            }
        }
    }
}

static void weights_sample(fcov_t *f, const fm_out_t *out)
{
    uint32_t mask = 0;
    unsigned active = 0;
    for (unsigned c = 0; c < f->nc; c++) {
        if (f->rd_out[c] || f->wr_out[c] || (out->m_axi_arvalid && out->m_axi_arid == c) ||
            (out->m_axi_awvalid && out->m_axi_awid == c)) {
            mask |= 1U << c;
            active++;
        }
    }
    if (active < 2) {
        f->last_pat = -1;
        return;
    }
    /* Same channels and weights as the cycle before: same pattern. */
    if (f->last_pat >= 0 && mask == f->last_mask &&
        memcmp(f->weight, f->last_weight, sizeof(f->weight)) == 0) {
        f->pat[f->last_pat].cycles++;
        return;
    }
    char key[FCOV_KEY];
    size_t k = 0;
    for (unsigned c = 0; c < f->nc; c++) {
        int n = (mask >> c & 1U) ? snprintf(key + k, sizeof(key) - k, "%s%u", c ? "/" : "", (unsigned)f->weight[c])
                                 : snprintf(key + k, sizeof(key) - k, "%s-", c ? "/" : "");
        if (n > 0 && (size_t)n < sizeof(key) - k) {
            k += (size_t)n;
        }
    }
    int p = f->last_pat;
    if (p < 0 || strcmp(f->pat[p].key, key) != 0) {
        for (p = 0; p < (int)f->npat && strcmp(f->pat[p].key, key) != 0; p++) {
        }
        if (p == (int)f->npat) {
            if (f->npat == FCOV_PATTERNS) {
                f->pat_dropped++;
                f->last_pat = -1;
                return;
            }
            memcpy(f->pat[p].key, key, sizeof(key));
            f->npat++;
        }
        f->pat[p].entries++;
    }
    f->pat[p].cycles++;
    f->last_pat = p;
    f->last_mask = mask;
    memcpy(f->last_weight, f->weight, sizeof(f->weight));
}

void fcov_sample(fcov_t *f, const fm_in_t *in, const fm_out_t *out)
{
    if (!f) {
        return;
    }
    if (!in->rst_n) {
        monitor_reset(f);
        return;
    }
    axil_sample(f, in, out);
    maxi_sample(f, in, out);
    weights_sample(f, out);
}

static void dump(const fcov_t *f)
{
    static unsigned seq;
    char path[4096];
    snprintf(path, sizeof(path), "%s/fcov_%ld_%u.txt", f->dir, (long)getpid(), seq++);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        fprintf(stderr, "fcov: cannot write '%s'\n", path);
        return;
    }
    fprintf(fp, "meta channels %u\nmeta data_bytes %u\nmeta overflow %u\nmeta patterns_dropped %u\n",
            f->nc, f->db, f->overflow, f->pat_dropped);
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        fprintf(fp, "reg %s %s %s %llu %llu\n", ferry_reg_info[i].per_channel ? "ch" : "global",
                ferry_reg_info[i].name, ferry_reg_info[i].access, (unsigned long long)f->reg_rd[i],
                (unsigned long long)f->reg_wr[i]);
    }
    fprintf(fp, "reg undefined - - %llu %llu\n", (unsigned long long)f->undef_rd,
            (unsigned long long)f->undef_wr);
    for (unsigned i = 0; i < ferry_err_info_count; i++) {
        unsigned c = ferry_err_info[i].code & 0xFFU;
        fprintf(fp, "err %u %s %llu %llu\n", c, ferry_err_info[i].name,
                (unsigned long long)f->err_status[c], (unsigned long long)f->err_cpl[c]);
    }
    for (unsigned c = 0; c < 256; c++) {
        int known = 0;
        for (unsigned i = 0; i < ferry_err_info_count; i++) {
            known |= ferry_err_info[i].code == c;
        }
        if (!known && (f->err_status[c] || f->err_cpl[c])) {
            fprintf(fp, "err %u UNKNOWN %llu %llu\n", c, (unsigned long long)f->err_status[c],
                    (unsigned long long)f->err_cpl[c]);
        }
    }
    for (unsigned b = 0; b < 256; b++) {
        if (f->flags[b]) {
            fprintf(fp, "flags 0x%02X %llu\n", b, (unsigned long long)f->flags[b]);
        }
    }
    for (unsigned p = 0; p < f->npat; p++) {
        fprintf(fp, "wpat %s %llu %llu\n", f->pat[p].key, (unsigned long long)f->pat[p].cycles,
                (unsigned long long)f->pat[p].entries);
    }
    fclose(fp);
}

void fcov_free(fcov_t *f)
{
    if (!f) {
        return;
    }
    dump(f);
    free(f->dir);
    free(f->reg_rd);
    free(f->reg_wr);
    free(f);
}
