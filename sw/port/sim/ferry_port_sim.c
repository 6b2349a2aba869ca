/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_port_sim.c: the ferry platform on the C test bench (tb.h). See
 * ferry_port_sim.h for what each callback maps to.
 */
#include "ferry_port_sim.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axi_mem.h"
#include "axis_model.h"

struct sim_buf {
    uint64_t bus;
    size_t len;     /* mapped bytes, whole pages */
    void *host;
    struct sim_buf *next;
};

struct ferry_sim {
    tb_t *tb;
    struct ferry_platform plat;
    int last_resp;
    uint64_t bad_resp;
    uint64_t reads, writes;
    uint64_t next_bus;
    uint64_t unsafe_frees;
    struct sim_buf *bufs;
};

#define BUMP_TRIES 64U

/* ---- platform callbacks ---- */

static void note_resp(struct ferry_sim *sim, int resp)
{
    sim->last_resp = resp;
    if (resp != TB_RESP_OKAY) {
        sim->bad_resp++;
    }
}

static uint32_t sim_reg_read(void *ctx, uint32_t off)
{
    struct ferry_sim *sim = ctx;
    uint32_t v = FERRY_UNDEFINED_READ;
    int resp = tb_bar_read(sim->tb, off, &v);

    sim->reads++;
    note_resp(sim, resp);
    return v;
}

static void sim_reg_write(void *ctx, uint32_t off, uint32_t val)
{
    struct ferry_sim *sim = ctx;

    sim->writes++;
    note_resp(sim, tb_bar_write(sim->tb, off, val, 0xFU));
}

static int sim_dma_alloc(void *ctx, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    return ferry_sim_alloc(ctx, size, align, mem) == FERRY_OK ? 0 : -1;
}

static void sim_dma_free(void *ctx, struct ferry_dma_mem *mem)
{
    ferry_sim_dma_free(ctx, mem);
}

static uint64_t us_to_cycles(uint64_t us)
{
    if (us > UINT64_MAX / FERRY_SIM_CYCLES_PER_US) {
        return UINT64_MAX;
    }
    return us * FERRY_SIM_CYCLES_PER_US;
}

static int sim_wait_irq(void *ctx, uint32_t ch_mask, uint64_t timeout_us)
{
    struct ferry_sim *sim = ctx;

    return tb_wait_irq(sim->tb, ch_mask, us_to_cycles(timeout_us)) ? FERRY_PLAT_IRQ_FIRED
                                                                    : FERRY_PLAT_IRQ_TIMEOUT;
}

static uint64_t sim_now_us(void *ctx)
{
    struct ferry_sim *sim = ctx;

    return tb_cycle(sim->tb) / FERRY_SIM_CYCLES_PER_US;
}

static void sim_delay_us(void *ctx, uint64_t us)
{
    struct ferry_sim *sim = ctx;
    uint64_t cycles = us_to_cycles(us);

    while (cycles > 0U) {
        unsigned step = cycles > 0x10000000U ? 0x10000000U : (unsigned)cycles;
        tb_step(sim->tb, step);
        cycles -= step;
    }
}

/* ---- port API ---- */

struct ferry_sim *ferry_sim_new(tb_t *tb)
{
    struct ferry_sim *sim;

    if (tb == NULL) {
        return NULL;
    }
    sim = calloc(1, sizeof(*sim));
    if (sim == NULL) {
        return NULL;
    }
    sim->tb = tb;
    sim->last_resp = TB_RESP_OKAY;
    sim->next_bus = FERRY_SIM_BUS_BASE;
    sim->plat.ctx = sim;
    sim->plat.reg_read = sim_reg_read;
    sim->plat.reg_write = sim_reg_write;
    sim->plat.dma_alloc = sim_dma_alloc;
    sim->plat.dma_free = sim_dma_free;
    sim->plat.wait_irq = sim_wait_irq;
    sim->plat.now_us = sim_now_us;
    sim->plat.delay_us = sim_delay_us;
    return sim;
}

void ferry_sim_free(struct ferry_sim *sim)
{
    if (sim == NULL) {
        return;
    }
    while (sim->bufs != NULL) {
        struct sim_buf *b = sim->bufs;
        sim->bufs = b->next;
        tb_mem_unmap(sim->tb, b->bus, b->len);
        free(b->host);
        free(b);
    }
    free(sim);
}

const struct ferry_platform *ferry_sim_platform(struct ferry_sim *sim)
{
    return sim != NULL ? &sim->plat : NULL;
}

tb_t *ferry_sim_tb(struct ferry_sim *sim)
{
    return sim != NULL ? sim->tb : NULL;
}

int ferry_sim_last_resp(const struct ferry_sim *sim)
{
    return sim->last_resp;
}

uint64_t ferry_sim_bad_resp_count(const struct ferry_sim *sim)
{
    return sim->bad_resp;
}

uint64_t ferry_sim_read_count(const struct ferry_sim *sim)
{
    return sim->reads;
}

uint64_t ferry_sim_write_count(const struct ferry_sim *sim)
{
    return sim->writes;
}

uint64_t ferry_sim_unsafe_free_count(const struct ferry_sim *sim)
{
    return sim->unsafe_frees;
}

void ferry_sim_clear_counts(struct ferry_sim *sim)
{
    sim->bad_resp = 0;
    sim->reads = 0;
    sim->writes = 0;
}

static size_t round_pages(size_t size)
{
    return (size + FERRY_SIM_PAGE - 1U) & ~(size_t)(FERRY_SIM_PAGE - 1U);
}

/* Maps fresh zeroed host pages at bus. FERRY_E_INVAL if a page is taken. */
static ferry_status map_at(struct ferry_sim *sim, uint64_t bus, size_t size, struct ferry_dma_mem *mem)
{
    size_t len = round_pages(size);
    struct sim_buf *b;
    void *host;

    if (len < size || bus > UINT64_MAX - len + 1U) {
        return FERRY_E_INVAL; /* size overflowed, or the range wraps 2^64 */
    }
    b = calloc(1, sizeof(*b));
    host = aligned_alloc(FERRY_SIM_PAGE, len);
    if (b == NULL || host == NULL) {
        free(b);
        free(host);
        return FERRY_E_NOMEM;
    }
    memset(host, 0, len);
    if (tb_mem_map(sim->tb, bus, host, len) != 0) {
        free(b);
        free(host);
        return FERRY_E_INVAL;
    }
    b->bus = bus;
    b->len = len;
    b->host = host;
    b->next = sim->bufs;
    sim->bufs = b;
    mem->cpu = host;
    mem->bus = bus;
    mem->size = size;
    mem->handle = b;
    return FERRY_OK;
}

ferry_status ferry_sim_alloc_at(struct ferry_sim *sim, uint64_t bus, size_t size, struct ferry_dma_mem *mem)
{
    if (sim == NULL || mem == NULL || size == 0U || (bus & (FERRY_SIM_PAGE - 1U)) != 0U) {
        return FERRY_E_INVAL;
    }
    memset(mem, 0, sizeof(*mem));
    return map_at(sim, bus, size, mem);
}

ferry_status ferry_sim_alloc(struct ferry_sim *sim, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    if (sim == NULL || mem == NULL || size == 0U || (align & (align - 1U)) != 0U) {
        return FERRY_E_INVAL;
    }
    memset(mem, 0, sizeof(*mem));
    if (align < FERRY_SIM_PAGE) {
        align = FERRY_SIM_PAGE;
    }
    for (unsigned i = 0; i < BUMP_TRIES; i++) {
        uint64_t bus = (sim->next_bus + align - 1U) & ~(uint64_t)(align - 1U);
        ferry_status st = map_at(sim, bus, size, mem);
        /* Past the buffer, plus one unmapped guard page. */
        sim->next_bus = bus + round_pages(size) + FERRY_SIM_PAGE;
        if (st != FERRY_E_INVAL) {
            return st;
        }
        /* A page there is taken (ferry_sim_alloc_at): try further up. */
    }
    return FERRY_E_NOMEM;
}

void ferry_sim_dma_free(struct ferry_sim *sim, struct ferry_dma_mem *mem)
{
    struct sim_buf **pp;

    if (sim == NULL || mem == NULL || mem->handle == NULL) {
        return;
    }
    for (pp = &sim->bufs; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == mem->handle) {
            struct sim_buf *b = *pp;
            unsigned n = axi_mem_pending_in(tb_axi_mem(sim->tb), b->bus, b->bus + b->len - 1U);
            if (n != 0U) {
                sim->unsafe_frees++;
                fprintf(stderr,
                        "ferry_sim: DMA buffer at bus 0x%" PRIx64 " (%zu bytes) freed with %u bus burst%s to it "
                        "still outstanding: on a card the DMA would reach freed memory (stop the channel first, "
                        "ferry_stop_channels())\n",
                        b->bus, b->len, n, n == 1U ? "" : "s");
            }
            *pp = b->next;
            tb_mem_unmap(sim->tb, b->bus, b->len);
            free(b->host);
            free(b);
            break;
        }
    }
    memset(mem, 0, sizeof(*mem));
}

ferry_status ferry_sim_stream_loopback(struct ferry_sim *sim, unsigned h2c_ch, unsigned c2h_ch, bool on)
{
    struct axis_model *m;
    const char *why = NULL;

    if (sim == NULL) {
        return FERRY_E_INVAL;
    }
    m = tb_axis(sim->tb);
    if (m == NULL) {
        return FERRY_E_UNSUPPORTED; /* a build without stream channels */
    }
    if (axis_loopback(m, h2c_ch, c2h_ch, on ? 1 : 0, &why) != 0) {
        fprintf(stderr, "ferry_sim_stream_loopback(ch%u -> ch%u): %s\n", h2c_ch, c2h_ch,
                why != NULL ? why : "refused");
        return FERRY_E_INVAL;
    }
    return FERRY_OK;
}
