/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry.c: the ferry driver core (direct mode and ring mode). Reaches the
 * device only through struct ferry_platform; see ferry.h for the API
 * contract, docs/registers.md and docs/descriptors.md for the register
 * sequences it follows.
 */
#include "ferry/ferry.h"

#include <stdatomic.h>
#include <string.h>

#include "ferry/ferry_regs.h"

/* Ties to the generated register map. */
_Static_assert(FERRY_IF_VERSION_MAJOR == 2U, "driver written for register interface 2.x");
_Static_assert(FERRY_CH_STRIDE * FERRY_MAX_CHANNELS + FERRY_CH_BASE <= FERRY_BAR_SIZE,
               "channel blocks fit in BAR0");
_Static_assert(FERRY_MAX_CHANNELS <= 32U, "irq masks are 32 bits");
_Static_assert(FERRY_LEN_BYTES_MASK == 0xFFFFFFFFU, "LEN is a full 32-bit byte count");
_Static_assert(FERRY_ERR_NONE == 0U, "ERR_CODE 0 means no error");
_Static_assert(FERRY_RING_PROD_INDEX_MASK == 0xFFFFU && FERRY_RING_CONS_INDEX_MASK == 0xFFFFU,
               "ring indices are 16 bits (LOG2_SIZE <= 15)");
_Static_assert(FERRY_SG_SPLIT % 64U == 0U && FERRY_SG_SPLIT <= FERRY_DESC_LEN_MAX,
               "submit_sg splits at whole beats of every bus width");

#define FERRY_STATUS_W1C_MASK \
    (FERRY_STATUS_DONE_MASK | FERRY_STATUS_ERROR_MASK | FERRY_STATUS_DB_OVERRUN_MASK)
#define FERRY_LEN_MAX 0xFFFFFFFFULL
#define FERRY_READ_DEAD 0xFFFFFFFFU /* what a read nobody answers returns on PCIe */

const char *ferry_status_str(ferry_status st)
{
    switch (st) {
    case FERRY_OK:
        return "FERRY_OK";
    case FERRY_E_INVAL:
        return "FERRY_E_INVAL (bad argument, no hardware touched)";
    case FERRY_E_NODEV:
        return "FERRY_E_NODEV (no ferry device: bad magic)";
    case FERRY_E_VERSION:
        return "FERRY_E_VERSION (unsupported register interface version)";
    case FERRY_E_UNSUPPORTED:
        return "FERRY_E_UNSUPPORTED (feature not in this build)";
    case FERRY_E_BUSY:
        return "FERRY_E_BUSY (channel busy)";
    case FERRY_E_AGAIN:
        return "FERRY_E_AGAIN (transfer still running)";
    case FERRY_E_TIMEOUT:
        return "FERRY_E_TIMEOUT (wait budget spent)";
    case FERRY_E_DEVICE:
        return "FERRY_E_DEVICE (device reported an error)";
    case FERRY_E_IDLE:
        return "FERRY_E_IDLE (channel idle, nothing to report)";
    case FERRY_E_NOMEM:
        return "FERRY_E_NOMEM (out of DMA memory)";
    case FERRY_E_NOTPROBED:
        return "FERRY_E_NOTPROBED (device not probed)";
    case FERRY_E_IO:
        return "FERRY_E_IO (device does not answer: a register read all ones)";
    case FERRY_E_HALTED:
        return "FERRY_E_HALTED (ring halted at a descriptor after an error: resume, skip or reset)";
    case FERRY_E_NOT_HALTED:
        return "FERRY_E_NOT_HALTED (ring not halted: nothing to resume or skip)";
    case FERRY_E_LOCKED:
        return "FERRY_E_LOCKED (address windows locked until a global reset)";
    case FERRY_E_KIND:
        return "FERRY_E_KIND (wrong channel kind: TX needs a host-to-card, RX a card-to-host channel; no hardware "
               "touched)";
    case FERRY_E_ALIGN:
        return "FERRY_E_ALIGN (receive buffer address or length not a multiple of the bus width; no hardware touched)";
    case FERRY_E_TRUNCATED:
        return "FERRY_E_TRUNCATED (packet longer than MAX_PKT: the device kept its first bytes only)";
    case FERRY_E_OVERFLOW:
        return "FERRY_E_OVERFLOW (packet longer than the caller's buffer)";
    default:
        return "FERRY_E_? (unknown status)";
    }
}

static const struct ferry_err_info *err_lookup(uint32_t code)
{
    for (unsigned i = 0; i < ferry_err_info_count; i++) {
        if (ferry_err_info[i].code == code) {
            return &ferry_err_info[i];
        }
    }
    return NULL;
}

const char *ferry_err_str(uint32_t err_code)
{
    const struct ferry_err_info *e = err_lookup(err_code);
    return e != NULL ? e->name : "UNKNOWN";
}

const char *ferry_err_desc(uint32_t err_code)
{
    const struct ferry_err_info *e = err_lookup(err_code);
    return e != NULL ? e->desc : "Error code not known to this driver.";
}

const struct ferry_reg_info *ferry_reg_lookup(uint32_t off, int *ch)
{
    int c = -1;
    uint32_t roff = off;

    if (off >= FERRY_BAR_SIZE) {
        return NULL;
    }
    if (off >= FERRY_CH_BASE) {
        uint32_t idx = (off - FERRY_CH_BASE) / FERRY_CH_STRIDE;
        if (idx >= FERRY_MAX_CHANNELS) {
            return NULL;
        }
        c = (int)idx;
        roff = (off - FERRY_CH_BASE) % FERRY_CH_STRIDE;
    }
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        const struct ferry_reg_info *r = &ferry_reg_info[i];
        if (r->offset == roff && (r->per_channel != 0) == (c >= 0)) {
            if (ch != NULL) {
                *ch = c;
            }
            return r;
        }
    }
    return NULL;
}

/* ---- register access ---- */

static uint32_t rd(struct ferry_dev *dev, uint32_t off)
{
    uint32_t v = dev->plat.reg_read(dev->plat.ctx, off);
    if (dev->trace != NULL) {
        dev->trace(dev->trace_user, off, v, FERRY_TRACE_READ);
    }
    return v;
}

/* STATUS of channel ch. A live device never reads all ones there (bits 7:6
 * and 31:16 are reserved and read 0); a PCIe read that nobody answers
 * (link down, card reset or removed) does, so that is FERRY_E_IO. */
static ferry_status rd_status(struct ferry_dev *dev, unsigned ch, uint32_t *s)
{
    *s = rd(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
    return *s == FERRY_READ_DEAD ? FERRY_E_IO : FERRY_OK;
}

static void wr(struct ferry_dev *dev, uint32_t off, uint32_t v)
{
    if (dev->trace != NULL) {
        dev->trace(dev->trace_user, off, v, FERRY_TRACE_WRITE);
    }
    dev->plat.reg_write(dev->plat.ctx, off, v);
}

uint32_t ferry_read32(struct ferry_dev *dev, uint32_t off)
{
    if (dev == NULL || dev->plat.reg_read == NULL) {
        return FERRY_UNDEFINED_READ;
    }
    return rd(dev, off);
}

void ferry_write32(struct ferry_dev *dev, uint32_t off, uint32_t val)
{
    if (dev == NULL || dev->plat.reg_write == NULL) {
        return;
    }
    wr(dev, off, val);
}

/* ---- time ---- */

static uint64_t now_us(struct ferry_dev *dev, uint64_t *ticks)
{
    if (dev->plat.now_us != NULL) {
        return dev->plat.now_us(dev->plat.ctx);
    }
    return *ticks; /* no clock: every loop iteration counts as (at least) 1 us */
}

/* Lets us microseconds pass (0: busy poll, no delay). *ticks counts the loop
 * as at least 1 us for ports without a clock, so every poll loop ends. */
static void pause_us(struct ferry_dev *dev, uint64_t us, uint64_t *ticks)
{
    if (us > 0U && dev->plat.delay_us != NULL) {
        dev->plat.delay_us(dev->plat.ctx, us);
    }
    *ticks += us > 0U ? us : 1U;
}

/* ---- probe ---- */

ferry_status ferry_probe(struct ferry_dev *dev, const struct ferry_platform *plat)
{
    struct ferry_caps *c;

    if (dev == NULL || plat == NULL || plat->reg_read == NULL || plat->reg_write == NULL) {
        return FERRY_E_INVAL;
    }
    memset(dev, 0, sizeof(*dev));
    dev->plat = *plat;
    dev->poll_interval_us = 1;
    c = &dev->caps;

    c->id = rd(dev, FERRY_REG_ID);
    if (FERRY_FIELD_GET(FERRY_ID_MAGIC, c->id) != FERRY_MAGIC) {
        return FERRY_E_NODEV;
    }
    c->if_version = rd(dev, FERRY_REG_IF_VERSION);
    c->version_major = FERRY_FIELD_GET(FERRY_IF_VERSION_MAJOR, c->if_version);
    c->version_minor = FERRY_FIELD_GET(FERRY_IF_VERSION_MINOR, c->if_version);
    if (c->version_major != FERRY_IF_VERSION_MAJOR) {
        return FERRY_E_VERSION;
    }
    c->cap0 = rd(dev, FERRY_REG_CAP0);
    c->cap1 = rd(dev, FERRY_REG_CAP1);
    c->channels = FERRY_FIELD_GET(FERRY_CAP0_CHANNELS, c->cap0);
    c->data_bytes = FERRY_FIELD_GET(FERRY_CAP0_DATA_BYTES, c->cap0);
    c->addr_width = FERRY_FIELD_GET(FERRY_CAP0_ADDR_WIDTH, c->cap0);
    c->max_burst = FERRY_FIELD_GET(FERRY_CAP1_MAX_BURST, c->cap1);
    c->max_outstanding = FERRY_FIELD_GET(FERRY_CAP1_MAX_OUTSTANDING, c->cap1);
    c->direct = FERRY_FIELD_GET(FERRY_CAP1_DIRECT, c->cap1) != 0U;
    c->ring = FERRY_FIELD_GET(FERRY_CAP1_RING, c->cap1) != 0U;
    c->windows = FERRY_FIELD_GET(FERRY_CAP1_WINDOWS, c->cap1);
    /* A device outside the documented ranges is not one this driver understands. */
    if (c->channels < 1U || c->channels > FERRY_MAX_CHANNELS || c->addr_width < 32U ||
        c->addr_width > 64U || c->data_bytes < 4U) {
        return FERRY_E_NODEV;
    }
    if (c->version_minor >= 1U) {
        /* Interface 2.1: CAP2 says which channels are streams. */
        c->cap2 = rd(dev, FERRY_REG_CAP2);
        c->h2c_mask = (uint16_t)FERRY_FIELD_GET(FERRY_CAP2_H2C, c->cap2);
        c->c2h_mask = (uint16_t)FERRY_FIELD_GET(FERRY_CAP2_C2H, c->cap2);
        if ((c->h2c_mask & c->c2h_mask) != 0U || ((uint32_t)(c->h2c_mask | c->c2h_mask) >> c->channels) != 0U) {
            return FERRY_E_NODEV; /* a channel of two kinds, or a kind for a channel that is not there */
        }
    }
    dev->probed = true;
    return FERRY_OK;
}

const struct ferry_caps *ferry_caps(const struct ferry_dev *dev)
{
    return dev != NULL ? &dev->caps : NULL;
}

void ferry_set_trace(struct ferry_dev *dev, ferry_trace_fn fn, void *user)
{
    if (dev != NULL) {
        dev->trace = fn;
        dev->trace_user = user;
    }
}

void ferry_set_poll_interval(struct ferry_dev *dev, unsigned us)
{
    if (dev != NULL) {
        dev->poll_interval_us = us;
    }
}

static ferry_status check_ch(const struct ferry_dev *dev, unsigned ch)
{
    if (dev == NULL) {
        return FERRY_E_INVAL;
    }
    if (!dev->probed) {
        return FERRY_E_NOTPROBED;
    }
    if (ch >= dev->caps.channels) {
        return FERRY_E_INVAL;
    }
    return FERRY_OK;
}

ferry_status ferry_irq_enable(struct ferry_dev *dev, unsigned ch, bool enable)
{
    const uint32_t owned = FERRY_IRQ_ENABLE_DONE_MASK | FERRY_IRQ_ENABLE_ERROR_MASK;
    ferry_status st = check_ch(dev, ch);
    uint32_t v;

    if (st != FERRY_OK) {
        return st;
    }
    /* Only DONE and ERROR are ours: CPL belongs to a ring (ferry_ring_init). */
    v = rd(dev, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE));
    if (v == FERRY_READ_DEAD) {
        return FERRY_E_IO; /* bits 31:3 read 0 on a live device */
    }
    v &= ~owned;
    if (enable) {
        v |= owned;
        dev->irq_mask |= 1U << ch;
    } else {
        dev->irq_mask &= ~(1U << ch);
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), v);
    return FERRY_OK;
}

/* True if [addr, addr + len) lies below 2^aw (len >= 1). */
static bool range_ok(uint64_t addr, uint64_t len, unsigned aw)
{
    if (aw >= 64U) {
        /* addr + len <= 2^64  <=>  len - 1 <= UINT64_MAX - addr */
        return len - 1U <= UINT64_MAX - addr;
    }
    uint64_t lim = 1ULL << aw;
    return addr < lim && len <= lim - addr;
}

ferry_status ferry_copy_start(struct ferry_dev *dev, unsigned ch, uint64_t src, uint64_t dst,
                              uint64_t len)
{
    ferry_status st = check_ch(dev, ch);
    uint32_t s;

    if (st != FERRY_OK) {
        return st;
    }
    if (!dev->caps.direct) {
        return FERRY_E_UNSUPPORTED;
    }
    if ((dev->caps.c2h_mask >> ch & 1U) != 0U) {
        return FERRY_E_KIND; /* card-to-host receives into ring buffers only (STREAM_MODE) */
    }
    if (len < 1U || len > FERRY_LEN_MAX || !range_ok(src, len, dev->caps.addr_width) ||
        !range_ok(dst, len, dev->caps.addr_width)) {
        return FERRY_E_INVAL;
    }
    if (rd_status(dev, ch, &s) != FERRY_OK) {
        return FERRY_E_IO;
    }
    /* A ring owns the channel until ferry_ring_fini(): the device would
     * refuse the doorbell (RING_OFF), and clearing ERROR here would lose a
     * halted ring's ERR_CODE and ERR_ADDR. */
    if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U || FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) != 0U ||
        FERRY_FIELD_GET(FERRY_STATUS_HALTED, s) != 0U) {
        return FERRY_E_BUSY;
    }
    if ((s & FERRY_STATUS_W1C_MASK) != 0U) {
        wr(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS), s & FERRY_STATUS_W1C_MASK);
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_SRC_LO), FERRY_FIELD_PREP(FERRY_SRC_LO_ADDR, (uint32_t)src));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_SRC_HI), FERRY_FIELD_PREP(FERRY_SRC_HI_ADDR, (uint32_t)(src >> 32)));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_DST_LO), FERRY_FIELD_PREP(FERRY_DST_LO_ADDR, (uint32_t)dst));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_DST_HI), FERRY_FIELD_PREP(FERRY_DST_HI_ADDR, (uint32_t)(dst >> 32)));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_LEN), FERRY_FIELD_PREP(FERRY_LEN_BYTES, (uint32_t)len));
    dev->len[ch] = len;
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_FIELD_PREP(FERRY_CTRL_START, 1U));
    return FERRY_OK;
}

/* ERR_ADDR_HI:LO of channel ch. */
static uint64_t rd_err_addr(struct ferry_dev *dev, unsigned ch)
{
    uint32_t lo = FERRY_FIELD_GET(FERRY_ERR_ADDR_LO_ADDR, rd(dev, FERRY_CH_REG(ch, FERRY_CH_ERR_ADDR_LO)));
    uint32_t hi = FERRY_FIELD_GET(FERRY_ERR_ADDR_HI_ADDR, rd(dev, FERRY_CH_REG(ch, FERRY_CH_ERR_ADDR_HI)));
    return (uint64_t)hi << 32 | lo;
}

ferry_status ferry_copy_poll(struct ferry_dev *dev, unsigned ch, struct ferry_result *res)
{
    ferry_status st = check_ch(dev, ch);
    struct ferry_result r;
    uint32_t s, len;

    if (st != FERRY_OK) {
        return st;
    }
    if (rd_status(dev, ch, &s) != FERRY_OK) {
        return FERRY_E_IO;
    }
    if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U) {
        return FERRY_E_AGAIN;
    }
    memset(&r, 0, sizeof(r));
    r.status_reg = s;
    r.err_code = FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s);
    r.db_overrun = FERRY_FIELD_GET(FERRY_STATUS_DB_OVERRUN, s) != 0U;
    if (FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) != 0U) {
        /* Before the w1c: the ERR_* registers belong to this error. */
        r.status = FERRY_E_DEVICE;
        r.bytes = FERRY_FIELD_GET(FERRY_ERR_BYTES_BYTES, rd(dev, FERRY_CH_REG(ch, FERRY_CH_ERR_BYTES)));
        if (r.err_code == FERRY_ERR_LEN_ZERO || r.err_code == FERRY_ERR_ADDR_RANGE || r.err_code == FERRY_ERR_RING_OFF ||
            r.err_code == FERRY_ERR_WINDOW) {
            /* Refused before any bus traffic: nothing moved. (A refused
             * doorbell leaves ERR_BYTES as the last transfer set it.) */
            r.bytes = 0;
        }
        r.fault_addr = rd_err_addr(dev, ch);
        /* LEN as the device latched it (also right for a doorbell rung by hand). */
        len = FERRY_FIELD_GET(FERRY_LEN_BYTES, rd(dev, FERRY_CH_REG(ch, FERRY_CH_LEN)));
        r.residue = r.bytes <= len ? len - r.bytes : 0U;
    } else if (FERRY_FIELD_GET(FERRY_STATUS_DONE, s) != 0U) {
        r.status = FERRY_OK;
        r.err_code = FERRY_ERR_NONE;
        r.bytes = dev->len[ch];
    } else {
        return FERRY_E_IDLE;
    }
    /* Clear exactly what we saw; the interrupt line drops with DONE/ERROR. */
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS), s & FERRY_STATUS_W1C_MASK);
    if (res != NULL) {
        *res = r;
    }
    return r.status;
}

ferry_status ferry_copy_wait(struct ferry_dev *dev, unsigned ch, uint64_t timeout_us,
                             struct ferry_result *res)
{
    ferry_status st = check_ch(dev, ch);
    uint64_t ticks = 0;
    uint64_t start;
    bool use_irq;

    if (st != FERRY_OK) {
        return st;
    }
    use_irq = (dev->irq_mask & (1U << ch)) != 0U && dev->plat.wait_irq != NULL;
    start = now_us(dev, &ticks);
    for (;;) {
        uint64_t elapsed;

        st = ferry_copy_poll(dev, ch, res);
        if (st != FERRY_E_AGAIN) {
            return st;
        }
        elapsed = now_us(dev, &ticks) - start;
        if (elapsed >= timeout_us) {
            return FERRY_E_TIMEOUT;
        }
        if (use_irq) {
            uint64_t left = timeout_us - elapsed;
            int fired = dev->plat.wait_irq(dev->plat.ctx, 1U << ch, left);
            if (dev->plat.now_us == NULL) {
                ticks += fired == FERRY_PLAT_IRQ_FIRED ? 1U : left;
            }
            /* Fired or not, re-read STATUS: it is the truth, the line only a hint. */
        } else {
            pause_us(dev, dev->poll_interval_us, &ticks);
        }
    }
}

ferry_status ferry_copy(struct ferry_dev *dev, unsigned ch, uint64_t src, uint64_t dst, uint64_t len,
                        uint64_t timeout_us, struct ferry_result *res)
{
    ferry_status st = ferry_copy_start(dev, ch, src, dst, len);
    if (st != FERRY_OK) {
        return st;
    }
    return ferry_copy_wait(dev, ch, timeout_us, res);
}

ferry_status ferry_dma_alloc(struct ferry_dev *dev, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    if (dev == NULL || mem == NULL || size == 0U || (align & (align - 1U)) != 0U) {
        return FERRY_E_INVAL;
    }
    memset(mem, 0, sizeof(*mem));
    if (dev->plat.dma_alloc == NULL) {
        return FERRY_E_NOMEM;
    }
    if (dev->plat.dma_alloc(dev->plat.ctx, size, align, mem) != 0) {
        memset(mem, 0, sizeof(*mem));
        return FERRY_E_NOMEM;
    }
    return FERRY_OK;
}

void ferry_dma_free(struct ferry_dev *dev, struct ferry_dma_mem *mem)
{
    if (dev == NULL || mem == NULL || mem->cpu == NULL || dev->plat.dma_free == NULL) {
        return;
    }
    dev->plat.dma_free(dev->plat.ctx, mem);
    mem->cpu = NULL;
}

/* ---- ring mode ---- */

#define FERRY_RING_LOG2_MIN 1U
#define FERRY_RING_LOG2_MAX 15U
#define FERRY_RING_IRQ_SLICE_US 1000U /* longest sleep in wait_irq between record checks */
#define FERRY_COUNTER_TRIES 3U
#define FERRY_STATUS_W1C_ALL (FERRY_STATUS_W1C_MASK | FERRY_STATUS_CPL_MASK)
#define FERRY_DESC_FLAGS_OFFSET 0x13U /* docs/descriptors.md: the flags byte */

static bool ring_ok(const struct ferry_ring *ring)
{
    return ring != NULL && ring->dev != NULL && ring->dev->probed && ring->entries >= 2U;
}

/* IRQ_ENABLE as direct mode wants it (ferry_irq_enable). */
static uint32_t direct_irq_enable(const struct ferry_dev *dev, unsigned ch)
{
    if ((dev->irq_mask & (1U << ch)) == 0U) {
        return 0;
    }
    return FERRY_FIELD_PREP(FERRY_IRQ_ENABLE_DONE, 1U) | FERRY_FIELD_PREP(FERRY_IRQ_ENABLE_ERROR, 1U);
}

ferry_status ferry_ring_init(struct ferry_dev *dev, unsigned ch, unsigned log2_entries, struct ferry_ring *ring)
{
    ferry_status st = check_ch(dev, ch);
    struct ferry_ring r;
    uint32_t s;

    if (st != FERRY_OK) {
        return st;
    }
    if (ring == NULL || log2_entries < FERRY_RING_LOG2_MIN || log2_entries > FERRY_RING_LOG2_MAX) {
        return FERRY_E_INVAL;
    }
    memset(ring, 0, sizeof(*ring));
    if (!dev->caps.ring) {
        return FERRY_E_UNSUPPORTED;
    }
    memset(&r, 0, sizeof(r));
    r.ch = ch;
    r.log2_entries = log2_entries;
    r.entries = 1U << log2_entries;
    if (rd_status(dev, ch, &s) != FERRY_OK) {
        return FERRY_E_IO;
    }
    if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U || FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) != 0U) {
        return FERRY_E_BUSY;
    }
    st = ferry_dma_alloc(dev, (size_t)r.entries * FERRY_DESC_SIZE, FERRY_DESC_SIZE, &r.desc);
    if (st != FERRY_OK) {
        return st;
    }
    st = ferry_dma_alloc(dev, (size_t)r.entries * FERRY_CPL_SIZE, FERRY_CPL_SIZE, &r.cpl);
    if (st != FERRY_OK) {
        ferry_dma_free(dev, &r.desc);
        return st;
    }
    /* Step 1: a zeroed completion ring, so no record has phase 1 yet. */
    memset(r.desc.cpu, 0, r.desc.size);
    memset(r.cpl.cpu, 0, r.cpl.size);
    atomic_thread_fence(memory_order_seq_cst);

    /* Step 2: bases and interrupt enable; stale status out of the way. */
    if ((s & FERRY_STATUS_W1C_ALL) != 0U) {
        wr(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS), s & FERRY_STATUS_W1C_ALL);
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_RING_BASE_LO), FERRY_FIELD_PREP(FERRY_RING_BASE_LO_ADDR, (uint32_t)r.desc.bus));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_RING_BASE_HI),
       FERRY_FIELD_PREP(FERRY_RING_BASE_HI_ADDR, (uint32_t)(r.desc.bus >> 32)));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_CPL_BASE_LO), FERRY_FIELD_PREP(FERRY_CPL_BASE_LO_ADDR, (uint32_t)r.cpl.bus));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_CPL_BASE_HI),
       FERRY_FIELD_PREP(FERRY_CPL_BASE_HI_ADDR, (uint32_t)(r.cpl.bus >> 32)));
    r.irq = dev->plat.wait_irq != NULL;
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), FERRY_FIELD_PREP(FERRY_IRQ_ENABLE_CPL, r.irq ? 1U : 0U));

    /* Step 3: enable and check. */
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_RING_CTRL),
       FERRY_FIELD_PREP(FERRY_RING_CTRL_ENABLE, 1U) | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, log2_entries));
    st = rd_status(dev, ch, &s);
    if (st != FERRY_OK || FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) != 0U ||
        FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U) {
        /* Refused (RING_CONFIG), or no answer (FERRY_E_IO): disabled again,
         * nothing runs, so the memory can go. */
        wr(dev, FERRY_CH_REG(ch, FERRY_CH_RING_CTRL), 0U);
        wr(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS), s & FERRY_STATUS_W1C_ALL);
        wr(dev, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), direct_irq_enable(dev, ch));
        ferry_dma_free(dev, &r.cpl);
        ferry_dma_free(dev, &r.desc);
        return st != FERRY_OK ? st : FERRY_E_DEVICE;
    }
    r.phase = true;
    r.cons_bound = dev->caps.data_bytes < FERRY_CPL_SIZE;
    r.dev = dev;
    *ring = r;
    return FERRY_OK;
}

ferry_status ferry_ring_fini(struct ferry_ring *ring, uint64_t timeout_us)
{
    struct ferry_dev *dev;
    uint64_t ticks = 0;
    uint64_t start;
    unsigned ch;
    bool c2h, aborted = false;

    if (!ring_ok(ring)) {
        return FERRY_E_INVAL;
    }
    dev = ring->dev;
    ch = ring->ch;
    c2h = ferry_ch_kind(dev, ch) == FERRY_KIND_C2H;
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_RING_CTRL), 0U);
    start = now_us(dev, &ticks);
    for (;;) {
        uint32_t s;
        if (rd_status(dev, ch, &s) != FERRY_OK) {
            return FERRY_E_IO; /* nothing freed: the device may still write */
        }
        if (FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U) {
            break;
        }
        if (c2h && !aborted && FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U) {
            /* A receive buffer waits for stream data that may never come:
             * give up the posted buffers (docs/streams.md). */
            wr(dev, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_FIELD_PREP(FERRY_CTRL_ABORT, 1U));
            aborted = true;
        }
        if (now_us(dev, &ticks) - start >= timeout_us) {
            return FERRY_E_TIMEOUT;
        }
        pause_us(dev, dev->poll_interval_us, &ticks);
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_IRQ_ENABLE), direct_irq_enable(dev, ch));
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS),
       FERRY_FIELD_PREP(FERRY_STATUS_CPL, 1U) | (aborted ? FERRY_STATUS_ERROR_MASK : 0U));
    ferry_dma_free(dev, &ring->cpl);
    ferry_dma_free(dev, &ring->desc);
    memset(ring, 0, sizeof(*ring));
    return FERRY_OK;
}

unsigned ferry_ring_space(const struct ferry_ring *ring)
{
    if (!ring_ok(ring)) {
        return 0;
    }
    return ring->entries - 1U - ring->outstanding;
}

/* Writes one descriptor at the producer slot (no doorbell). */
static void ring_put(struct ferry_ring *ring, const struct ferry_desc *d)
{
    uint8_t *slot = (uint8_t *)ring->desc.cpu + (size_t)ring->prod * FERRY_DESC_SIZE;

    (void)ferry_desc_encode(slot, d); /* every caller checked len <= FERRY_DESC_LEN_MAX */
    ring->prod = (ring->prod + 1U) & (ring->entries - 1U);
    ring->outstanding++;
}

/* Step 4: descriptors visible to the device before the doorbell. */
static void ring_doorbell(struct ferry_ring *ring)
{
    atomic_thread_fence(memory_order_seq_cst);
    wr(ring->dev, FERRY_CH_REG(ring->ch, FERRY_CH_RING_PROD), FERRY_FIELD_PREP(FERRY_RING_PROD_INDEX, ring->prod));
}

ferry_status ferry_ring_submit(struct ferry_ring *ring, const struct ferry_desc *descs, unsigned n)
{
    if (!ring_ok(ring) || (descs == NULL && n > 0U) || n > ring->entries - 1U) {
        return FERRY_E_INVAL;
    }
    for (unsigned i = 0; i < n; i++) {
        if (descs[i].len > FERRY_DESC_LEN_MAX) {
            return FERRY_E_INVAL; /* the 24-bit LEN cannot hold it */
        }
    }
    if (n > ferry_ring_space(ring)) {
        return FERRY_E_BUSY;
    }
    if (n == 0U) {
        return FERRY_OK;
    }
    for (unsigned i = 0; i < n; i++) {
        ring_put(ring, &descs[i]);
    }
    ring_doorbell(ring);
    return FERRY_OK;
}

#ifdef FERRY_DESC_FENCE
#define FERRY_SG_FLAGS \
    (FERRY_DESC_IRQ | FERRY_DESC_EOP | FERRY_DESC_SRC_FIXED | FERRY_DESC_DST_FIXED | FERRY_DESC_FENCE)
#else
#define FERRY_SG_FLAGS (FERRY_DESC_IRQ | FERRY_DESC_EOP | FERRY_DESC_SRC_FIXED | FERRY_DESC_DST_FIXED)
#endif

/* Descriptor k of sg element e (len > 0, k < chunks). */
static struct ferry_desc sg_desc(const struct ferry_sg *e, uint64_t k, uint8_t flags, uint16_t tag)
{
    struct ferry_desc d;
    const uint64_t off = k * FERRY_SG_SPLIT;
    const uint64_t left = e->len - off;

    memset(&d, 0, sizeof(d));
    d.src = (flags & FERRY_DESC_SRC_FIXED) != 0U ? e->src : e->src + off;
    d.dst = (flags & FERRY_DESC_DST_FIXED) != 0U ? e->dst : e->dst + off;
    d.len = left < FERRY_SG_SPLIT ? (uint32_t)left : FERRY_SG_SPLIT;
    d.flags = flags & (FERRY_DESC_SRC_FIXED | FERRY_DESC_DST_FIXED);
    d.tag = tag;
    return d;
}

ferry_status ferry_ring_submit_sg(struct ferry_ring *ring, const struct ferry_sg *list, unsigned n, uint8_t flags,
                                  unsigned *ndesc)
{
    uint64_t total = 0;
    struct ferry_dev *dev;

    if (ndesc != NULL) {
        *ndesc = 0;
    }
    if (!ring_ok(ring) || list == NULL || n == 0U || (flags & ~FERRY_SG_FLAGS) != 0U) {
        return FERRY_E_INVAL;
    }
    dev = ring->dev;
    /* Check everything before writing anything. */
    for (unsigned i = 0; i < n; i++) {
        const struct ferry_sg *e = &list[i];
        uint64_t chunks;

        if (e->len == 0U || !range_ok(e->src, e->len, dev->caps.addr_width) ||
            !range_ok(e->dst, e->len, dev->caps.addr_width)) {
            return FERRY_E_INVAL;
        }
        chunks = (e->len - 1U) / FERRY_SG_SPLIT + 1U;
        /* Before the per-descriptor checks, so those are bounded by the
         * ring size whatever len is (total <= entries - 1 here). */
        if (chunks > ring->entries - 1U - total) {
            return FERRY_E_INVAL; /* never fits */
        }
        for (uint64_t k = 0; k < chunks; k++) {
            struct ferry_desc d = sg_desc(e, k, flags, (uint16_t)i);
            if (ferry_ref_check(&d, dev->caps.data_bytes, dev->caps.addr_width) != FERRY_ERR_NONE) {
                return FERRY_E_INVAL;
            }
        }
        total += chunks;
    }
    if (total > ferry_ring_space(ring)) {
        return FERRY_E_BUSY;
    }
    for (unsigned i = 0; i < n; i++) {
        const struct ferry_sg *e = &list[i];
        const uint64_t chunks = (e->len - 1U) / FERRY_SG_SPLIT + 1U;

        for (uint64_t k = 0; k < chunks; k++) {
            struct ferry_desc d = sg_desc(e, k, flags, (uint16_t)i);
            if (i == n - 1U && k == chunks - 1U) {
                d.flags |= flags & (FERRY_DESC_IRQ | FERRY_DESC_EOP);
            }
#ifdef FERRY_DESC_FENCE
            if (i == 0U && k == 0U) {
                d.flags |= flags & FERRY_DESC_FENCE; /* the list waits for what came before */
            }
#endif
            ring_put(ring, &d);
        }
    }
    ring_doorbell(ring);
    if (ndesc != NULL) {
        *ndesc = (unsigned)total;
    }
    return FERRY_OK;
}

ferry_status ferry_ring_submit_2d(struct ferry_ring *ring, uint64_t src, uint64_t dst, uint32_t len, uint16_t rows,
                                  uint32_t src_stride, uint32_t dst_stride, uint8_t flags, uint16_t tag)
{
    struct ferry_desc d;

    if (!ring_ok(ring) || (flags & ~FERRY_SG_FLAGS) != 0U || len > FERRY_DESC_LEN_MAX) {
        return FERRY_E_INVAL;
    }
    memset(&d, 0, sizeof(d));
    d.src = src;
    d.dst = dst;
    d.len = len;
    d.flags = (uint8_t)(flags | FERRY_DESC_TWO_D);
    d.tag = tag;
    d.rows = rows;
    d.src_stride = src_stride;
    d.dst_stride = dst_stride;
    if (ferry_ref_check(&d, ring->dev->caps.data_bytes, ring->dev->caps.addr_width) != FERRY_ERR_NONE) {
        return FERRY_E_INVAL;
    }
    return ferry_ring_submit(ring, &d, 1);
}

/* ---- ring records: halts ---- */

static volatile uint8_t *cpl_slot(const struct ferry_ring *ring, uint32_t k)
{
    return (volatile uint8_t *)ring->cpl.cpu + (size_t)k * FERRY_CPL_SIZE;
}

/* The phase a new record in slot k has: slots at and after the read index
 * are on the current pass, those before it on the next one. */
static bool slot_phase(const struct ferry_ring *ring, uint32_t k)
{
    return k >= ring->read ? ring->phase : !ring->phase;
}

/* True if descriptor k was submitted and its completion not yet reaped. */
static bool slot_outstanding(const struct ferry_ring *ring, uint32_t k)
{
    return ((k - ring->read) & (ring->entries - 1U)) < ring->outstanding;
}

/* LEN x ROWS of the descriptor in slot k, as the device sees it (the
 * descriptor ring is only read by the device). */
static uint64_t desc_total(const struct ferry_ring *ring, uint32_t k)
{
    const volatile uint8_t *p = (const volatile uint8_t *)ring->desc.cpu + (size_t)k * FERRY_DESC_SIZE;
    uint8_t buf[FERRY_DESC_SIZE];
    struct ferry_desc d;

    for (unsigned i = 0; i < FERRY_DESC_SIZE; i++) {
        buf[i] = p[i];
    }
    ferry_desc_decode(&d, buf);
    return (uint64_t)(d.len & FERRY_DESC_LEN_MAX) * ((d.flags & FERRY_DESC_TWO_D) != 0U ? d.rows : 1U);
}

static void read_record(const struct ferry_ring *ring, uint32_t k, struct ferry_cpl *c)
{
    const volatile uint8_t *rec = cpl_slot(ring, k);
    uint8_t buf[FERRY_CPL_SIZE];

    for (unsigned i = 0; i < FERRY_CPL_SIZE; i++) {
        buf[i] = rec[i];
    }
    ferry_cpl_decode(c, buf);
}

static void write_record(const struct ferry_ring *ring, uint32_t k, const struct ferry_cpl *c)
{
    volatile uint8_t *rec = cpl_slot(ring, k);
    uint8_t buf[FERRY_CPL_SIZE];

    ferry_cpl_encode(buf, c);
    for (unsigned i = 0; i < FERRY_CPL_SIZE; i++) {
        rec[i] = buf[i];
    }
    atomic_thread_fence(memory_order_seq_cst);
}

static void fill_residue(const struct ferry_ring *ring, struct ferry_cpl *c, uint32_t k)
{
    uint64_t total = desc_total(ring, k);
    c->residue = c->bytes <= total ? total - c->bytes : 0U;
}

ferry_status ferry_ring_reap(struct ferry_ring *ring, struct ferry_cpl *out, unsigned max, unsigned *n)
{
    uint32_t limit, avail;
    unsigned got = 0;
    ferry_status ret = FERRY_OK;

    if (n != NULL) {
        *n = 0;
    }
    if (!ring_ok(ring) || out == NULL || n == NULL) {
        return FERRY_E_INVAL;
    }
    avail = ring->outstanding;
    limit = avail;
    if (ring->cons_bound && limit > 0U && max > 0U) {
        /* Records before CONS have landed whole (their write response is back). */
        uint32_t cons = FERRY_FIELD_GET(FERRY_RING_CONS_INDEX, rd(ring->dev, FERRY_CH_REG(ring->ch, FERRY_CH_RING_CONS)));
        uint32_t done = (cons - ring->read) & (ring->entries - 1U);
        if (done < limit) {
            limit = done;
        }
    }
    while (got < max && got < avail) {
        const volatile uint8_t *rec = cpl_slot(ring, ring->read);
        const bool whole = got < limit; /* before RING_CONS, or a wide bus */
        struct ferry_cpl c;

        if (((rec[3] & 0x80U) != 0U) != ring->phase) {
            break;
        }
        /* Step 5: the phase matched; read the rest after it. */
        atomic_thread_fence(memory_order_acquire);
        read_record(ring, ring->read, &c);
        if (!whole && c.status == FERRY_ERR_NONE) {
            break; /* narrow bus, at RING_CONS: still landing */
        }
        if (c.status != FERRY_ERR_NONE) {
            /* An error record: every error halts the ring at its descriptor.
             * STATUS sits in word 0 with PHASE, so it is valid even while
             * the rest of a record lands on a narrow bus. Ask the device. */
            uint32_t s, cons;
            if (rd_status(ring->dev, ring->ch, &s) != FERRY_OK) {
                ret = FERRY_E_IO;
                break;
            }
            cons = FERRY_FIELD_GET(FERRY_RING_CONS_INDEX,
                                   rd(ring->dev, FERRY_CH_REG(ring->ch, FERRY_CH_RING_CONS)));
            if (cons == ring->read && FERRY_FIELD_GET(FERRY_STATUS_HALTED, s) != 0U) {
                /* Halted here: the drain is over, the record is whole. */
                atomic_thread_fence(memory_order_acquire);
                read_record(ring, ring->read, &c);
                if (c.status == FERRY_ERR_NONE) {
                    break; /* not this record's error (cannot happen): wait */
                }
                c.halted = true;
                c.fault_addr = rd_err_addr(ring->dev, ring->ch);
                fill_residue(ring, &c, ring->read);
                out[got++] = c;
                ret = FERRY_E_HALTED;
                break;
            }
            if (!whole || (cons == ring->read && (FERRY_FIELD_GET(FERRY_STATUS_STOPPING, s) != 0U ||
                                                  FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U))) {
                break; /* still landing, or the halt is still draining (HALTED follows) */
            }
            /* Skipped, or the ring was disabled while halted: a normal completion. */
            if (ring->skip_valid && ring->skip_index == ring->read) {
                c.fault_addr = ring->skip_addr;
                ring->skip_valid = false;
            }
        }
        fill_residue(ring, &c, ring->read);
        out[got] = c;
        got++;
        ring->outstanding--;
        ring->read = (ring->read + 1U) & (ring->entries - 1U);
        if (ring->read == 0U) {
            ring->phase = !ring->phase;
        }
    }
    *n = got;
    return ret;
}

/* The descriptor a halted ring stopped at: RING_CONS, which stays there
 * (ERR_DESC says the same until a later configuration error, e.g.
 * PROD_RANGE, overwrites it). */
static uint32_t halt_index(struct ferry_ring *ring)
{
    return FERRY_FIELD_GET(FERRY_RING_CONS_INDEX, rd(ring->dev, FERRY_CH_REG(ring->ch, FERRY_CH_RING_CONS))) &
           (ring->entries - 1U);
}

ferry_status ferry_ring_halted(struct ferry_ring *ring, struct ferry_halt *info)
{
    struct ferry_dev *dev;
    struct ferry_halt h;
    uint32_t s, k;

    if (!ring_ok(ring) || info == NULL) {
        return FERRY_E_INVAL;
    }
    dev = ring->dev;
    memset(&h, 0, sizeof(h));
    if (rd_status(dev, ring->ch, &s) != FERRY_OK) {
        return FERRY_E_IO;
    }
    h.halted = FERRY_FIELD_GET(FERRY_STATUS_HALTED, s) != 0U;
    h.stopping = FERRY_FIELD_GET(FERRY_STATUS_STOPPING, s) != 0U;
    h.err_code = FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s);
    k = halt_index(ring);
    h.index = (uint16_t)k;
    h.fault_addr = rd_err_addr(dev, ring->ch);
    h.bytes = FERRY_FIELD_GET(FERRY_ERR_BYTES_BYTES, rd(dev, FERRY_CH_REG(ring->ch, FERRY_CH_ERR_BYTES)));
    {
        uint64_t total = desc_total(ring, k);
        if (h.err_code == FERRY_ERR_CPL_WRITE) {
            h.bytes = (uint32_t)total; /* the data had landed; ERR_BYTES is not updated for it */
        }
        h.residue = h.bytes <= total ? total - h.bytes : 0U;
    }
    if (slot_outstanding(ring, k)) {
        struct ferry_cpl c;
        atomic_thread_fence(memory_order_acquire);
        read_record(ring, k, &c);
        h.record = c.phase == slot_phase(ring, k) && c.index == k && c.status != FERRY_ERR_NONE;
        if (h.record && h.err_code == FERRY_ERR_NONE) {
            h.err_code = c.status; /* ERROR was cleared: the record still says why */
        }
    }
    *info = h;
    return FERRY_OK;
}

/* Common part of resume and skip: the ring must be halted. *k gets the
 * descriptor it halted at. */
static ferry_status halted_at(struct ferry_ring *ring, uint32_t *s, uint32_t *k)
{
    if (!ring_ok(ring)) {
        return FERRY_E_INVAL;
    }
    if (rd_status(ring->dev, ring->ch, s) != FERRY_OK) {
        return FERRY_E_IO;
    }
    if (FERRY_FIELD_GET(FERRY_STATUS_HALTED, *s) == 0U) {
        return FERRY_FIELD_GET(FERRY_STATUS_STOPPING, *s) != 0U ? FERRY_E_AGAIN : FERRY_E_NOT_HALTED;
    }
    *k = halt_index(ring);
    return FERRY_OK;
}

/* Clears ERROR, writes the CTRL bit, and checks the device took it. */
static ferry_status halt_ctrl(struct ferry_ring *ring, uint32_t s, uint32_t ctrl)
{
    struct ferry_dev *dev = ring->dev;

    if (FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) != 0U) {
        wr(dev, FERRY_CH_REG(ring->ch, FERRY_CH_STATUS), FERRY_STATUS_ERROR_MASK);
    }
    wr(dev, FERRY_CH_REG(ring->ch, FERRY_CH_CTRL), ctrl);
    if (rd_status(dev, ring->ch, &s) != FERRY_OK) {
        return FERRY_E_IO;
    }
    if (FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) != 0U &&
        FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s) == FERRY_ERR_NOT_HALTED) {
        return FERRY_E_DEVICE;
    }
    return FERRY_OK;
}

ferry_status ferry_ring_resume(struct ferry_ring *ring)
{
    uint32_t s, k;
    ferry_status st = halted_at(ring, &s, &k);

    if (st != FERRY_OK) {
        return st;
    }
    if (slot_outstanding(ring, k)) {
        /* Forget the stale error record: the phase not expected there. */
        struct ferry_cpl stale;
        memset(&stale, 0, sizeof(stale));
        stale.phase = !slot_phase(ring, k);
        write_record(ring, k, &stale);
    }
    if (ring->skip_valid && ring->skip_index == k) {
        ring->skip_valid = false;
    }
    return halt_ctrl(ring, s, FERRY_FIELD_PREP(FERRY_CTRL_RESUME, 1U));
}

ferry_status ferry_ring_skip(struct ferry_ring *ring)
{
    uint32_t s, k;
    ferry_status st = halted_at(ring, &s, &k);

    if (st != FERRY_OK) {
        return st;
    }
    ring->skip_valid = true;
    ring->skip_index = k;
    ring->skip_addr = rd_err_addr(ring->dev, ring->ch);
    if (slot_outstanding(ring, k)) {
        struct ferry_cpl c;
        atomic_thread_fence(memory_order_acquire);
        read_record(ring, k, &c);
        if (c.phase != slot_phase(ring, k) || c.index != k || c.status == FERRY_ERR_NONE) {
            /* No record (CPL_WRITE): write the one the device could not. */
            memset(&c, 0, sizeof(c));
            c.index = (uint16_t)k;
            c.status = (uint8_t)FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s);
            if (c.status == FERRY_ERR_NONE) {
                c.status = (uint8_t)FERRY_ERR_ABORTED; /* ERROR cleared by hand: some error it was */
            }
            c.phase = slot_phase(ring, k);
            if (c.status == FERRY_ERR_CPL_WRITE) {
                c.bytes = (uint32_t)desc_total(ring, k); /* its data had all landed; ERR_BYTES is not updated */
            } else {
                c.bytes = FERRY_FIELD_GET(FERRY_ERR_BYTES_BYTES,
                                          rd(ring->dev, FERRY_CH_REG(ring->ch, FERRY_CH_ERR_BYTES)));
            }
            c.tag = 0;
            c.fault_addr = ring->skip_addr & FERRY_CPL_FAULT_ADDR_MASK;
            {
                const volatile uint8_t *d = (const volatile uint8_t *)ring->desc.cpu + (size_t)k * FERRY_DESC_SIZE;
                c.tag = (uint16_t)(d[0x14] | d[0x15] << 8); /* USER_TAG, docs/descriptors.md */
            }
            write_record(ring, k, &c);
        }
    }
    return halt_ctrl(ring, s, FERRY_FIELD_PREP(FERRY_CTRL_SKIP, 1U));
}

/* True if one of the next k descriptors to complete was submitted with
 * FERRY_DESC_IRQ (read back from the descriptor ring, which the device only
 * reads): only then is an interrupt worth sleeping for. */
static bool awaits_irq(const struct ferry_ring *ring, unsigned k)
{
    const volatile uint8_t *base = (const volatile uint8_t *)ring->desc.cpu;

    for (uint32_t i = 0; i < k && i < ring->outstanding; i++) {
        uint32_t slot = (ring->read + i) & (ring->entries - 1U);
        if ((base[(size_t)slot * FERRY_DESC_SIZE + FERRY_DESC_FLAGS_OFFSET] & FERRY_DESC_IRQ) != 0U) {
            return true;
        }
    }
    return false;
}

ferry_status ferry_ring_wait(struct ferry_ring *ring, unsigned n, uint64_t timeout_us, struct ferry_cpl *out,
                             unsigned *got)
{
    struct ferry_dev *dev;
    unsigned have = 0;
    uint64_t ticks = 0;
    uint64_t start;
    uint64_t last_check = 0;

    if (got != NULL) {
        *got = 0;
    }
    if (!ring_ok(ring) || (out == NULL && n > 0U) || n > ring->entries - 1U) {
        return FERRY_E_INVAL;
    }
    dev = ring->dev;
    start = now_us(dev, &ticks);
    for (;;) {
        unsigned k = 0;
        uint64_t elapsed;
        ferry_status st;
        bool check_halt;

        if (ring->irq && have < n) {
            /* Acknowledge first: a completion after this sets CPL again. */
            wr(dev, FERRY_CH_REG(ring->ch, FERRY_CH_STATUS), FERRY_FIELD_PREP(FERRY_STATUS_CPL, 1U));
        }
        if (have < n) {
            st = ferry_ring_reap(ring, out + have, n - have, &k);
            have += k;
            if (got != NULL) {
                *got = have;
            }
            if (st != FERRY_OK) {
                return st; /* FERRY_E_HALTED (out[have - 1] is the notice) or FERRY_E_IO */
            }
        }
        if (got != NULL) {
            *got = have;
        }
        if (have == n) {
            return FERRY_OK;
        }
        elapsed = now_us(dev, &ticks) - start;
        /* A halt without a record (CPL_WRITE) shows only in STATUS: look
         * every millisecond and at the end. */
        check_halt = elapsed >= timeout_us || elapsed - last_check >= FERRY_RING_IRQ_SLICE_US;
        if (check_halt) {
            uint32_t sreg;
            last_check = elapsed;
            /* A card that stopped answering is not a slow card: say which. */
            if (rd_status(dev, ring->ch, &sreg) != FERRY_OK) {
                return FERRY_E_IO;
            }
            if (FERRY_FIELD_GET(FERRY_STATUS_HALTED, sreg) != 0U) {
                /* Its record, if any, landed before HALTED: one more look. */
                st = ferry_ring_reap(ring, out + have, n - have, &k);
                have += k;
                if (got != NULL) {
                    *got = have;
                }
                if (st != FERRY_OK) {
                    return st;
                }
                if (have == n) {
                    return FERRY_OK;
                }
                return FERRY_E_HALTED;
            }
            if (elapsed >= timeout_us) {
                return FERRY_E_TIMEOUT;
            }
        }
        if (ring->irq && awaits_irq(ring, n - have)) {
            uint64_t left = timeout_us - elapsed;
            uint64_t slice = left < FERRY_RING_IRQ_SLICE_US ? left : FERRY_RING_IRQ_SLICE_US;
            int fired = dev->plat.wait_irq(dev->plat.ctx, 1U << ring->ch, slice);
            if (dev->plat.now_us == NULL) {
                ticks += fired == FERRY_PLAT_IRQ_FIRED ? 1U : slice;
            }
        } else if (dev->poll_interval_us == 0U) {
            /* Busy poll: a register read per round, so time passes on every
             * port (a simulated clock only runs with bus activity). */
            uint32_t sreg;
            if (rd_status(dev, ring->ch, &sreg) != FERRY_OK) {
                return FERRY_E_IO;
            }
            ticks++;
        } else {
            pause_us(dev, dev->poll_interval_us, &ticks);
        }
    }
}

ferry_status ferry_ring_set_coalesce(struct ferry_ring *ring, unsigned count, uint32_t timer_cycles)
{
    if (!ring_ok(ring) || count > FERRY_IRQ_COUNT_COUNT_MASK >> FERRY_IRQ_COUNT_COUNT_SHIFT) {
        return FERRY_E_INVAL;
    }
    wr(ring->dev, FERRY_CH_REG(ring->ch, FERRY_CH_IRQ_COUNT), FERRY_FIELD_PREP(FERRY_IRQ_COUNT_COUNT, count));
    wr(ring->dev, FERRY_CH_REG(ring->ch, FERRY_CH_IRQ_TIMER), FERRY_FIELD_PREP(FERRY_IRQ_TIMER_CYCLES, timer_cycles));
    return FERRY_OK;
}

ferry_status ferry_set_weight(struct ferry_dev *dev, unsigned ch, unsigned weight)
{
    ferry_status st = check_ch(dev, ch);

    if (st != FERRY_OK) {
        return st;
    }
    if (weight < 1U || weight > FERRY_WEIGHT_VALUE_MASK >> FERRY_WEIGHT_VALUE_SHIFT) {
        return FERRY_E_INVAL;
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_WEIGHT), FERRY_FIELD_PREP(FERRY_WEIGHT_VALUE, weight));
    return FERRY_OK;
}

ferry_status ferry_set_max_out(struct ferry_dev *dev, unsigned ch, unsigned max_out)
{
    ferry_status st = check_ch(dev, ch);

    if (st != FERRY_OK) {
        return st;
    }
    if (max_out < 1U || max_out > dev->caps.max_outstanding) {
        return FERRY_E_INVAL;
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_MAX_OUT), FERRY_FIELD_PREP(FERRY_MAX_OUT_VALUE, max_out));
    return FERRY_OK;
}

/* ---- stopping and recovery, watchdog, windows ---- */

/* Waits at most timeout_us for STATUS.BUSY = 0. */
static ferry_status wait_not_busy(struct ferry_dev *dev, unsigned ch, uint64_t timeout_us)
{
    uint64_t ticks = 0;
    uint64_t start = now_us(dev, &ticks);

    for (;;) {
        uint32_t s;
        if (rd_status(dev, ch, &s) != FERRY_OK) {
            return FERRY_E_IO;
        }
        if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 0U) {
            return FERRY_OK;
        }
        if (now_us(dev, &ticks) - start >= timeout_us) {
            return FERRY_E_TIMEOUT;
        }
        pause_us(dev, dev->poll_interval_us, &ticks);
    }
}

ferry_status ferry_abort(struct ferry_dev *dev, unsigned ch, uint64_t timeout_us)
{
    ferry_status st = check_ch(dev, ch);
    uint32_t s;

    if (st != FERRY_OK) {
        return st;
    }
    if (rd_status(dev, ch, &s) != FERRY_OK) {
        return FERRY_E_IO;
    }
    if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 0U) {
        return FERRY_OK; /* idle: the device would ignore it */
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_FIELD_PREP(FERRY_CTRL_ABORT, 1U));
    return wait_not_busy(dev, ch, timeout_us);
}

ferry_status ferry_stop_channels(struct ferry_dev *dev, uint32_t ch_mask, uint64_t timeout_us, uint32_t *stuck)
{
    uint32_t pending = 0, dead = 0;
    uint64_t ticks = 0;
    uint64_t start;

    if (stuck != NULL) {
        *stuck = 0;
    }
    if (dev == NULL) {
        return FERRY_E_INVAL;
    }
    if (!dev->probed) {
        return FERRY_E_NOTPROBED;
    }
    if ((ch_mask >> dev->caps.channels) != 0U) { /* probe: 1 <= channels <= 16 */
        return FERRY_E_INVAL;
    }
    /* Every channel is told first, so one that drains slowly does not eat
     * the others' budget. The order is ferry_ring_fini()'s: no further
     * descriptor, then the running one stopped. */
    for (unsigned ch = 0; ch < dev->caps.channels; ch++) {
        uint32_t s;
        if ((ch_mask & (1U << ch)) == 0U) {
            continue;
        }
        if (rd_status(dev, ch, &s) != FERRY_OK) {
            dead |= 1U << ch;
            continue;
        }
        if (FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) != 0U) {
            wr(dev, FERRY_CH_REG(ch, FERRY_CH_RING_CTRL), 0U);
            pending |= 1U << ch;
        }
        if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U) {
            wr(dev, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_FIELD_PREP(FERRY_CTRL_ABORT, 1U));
            pending |= 1U << ch;
        }
    }
    start = now_us(dev, &ticks);
    while (pending != 0U) {
        for (unsigned ch = 0; ch < dev->caps.channels; ch++) {
            uint32_t s;
            if ((pending & (1U << ch)) == 0U) {
                continue;
            }
            if (rd_status(dev, ch, &s) != FERRY_OK) {
                dead |= 1U << ch;
                pending &= ~(1U << ch);
            } else if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) == 0U &&
                       FERRY_FIELD_GET(FERRY_STATUS_RING_ACTIVE, s) == 0U) {
                pending &= ~(1U << ch);
            }
        }
        if (pending == 0U || now_us(dev, &ticks) - start >= timeout_us) {
            break;
        }
        pause_us(dev, dev->poll_interval_us, &ticks);
    }
    if (stuck != NULL) {
        *stuck = pending | dead;
    }
    if (dead != 0U) {
        return FERRY_E_IO;
    }
    return pending != 0U ? FERRY_E_TIMEOUT : FERRY_OK;
}

ferry_status ferry_ch_reset(struct ferry_dev *dev, unsigned ch, uint64_t timeout_us)
{
    ferry_status st = check_ch(dev, ch);

    if (st != FERRY_OK) {
        return st;
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_CTRL), FERRY_FIELD_PREP(FERRY_CTRL_RESET, 1U));
    /* IRQ_ENABLE and LEN are back at their reset values. */
    dev->irq_mask &= ~(1U << ch);
    dev->len[ch] = 0;
    return wait_not_busy(dev, ch, timeout_us);
}

ferry_status ferry_set_watchdog(struct ferry_dev *dev, unsigned ch, uint32_t cycles)
{
    ferry_status st = check_ch(dev, ch);

    if (st != FERRY_OK) {
        return st;
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_WDOG), FERRY_FIELD_PREP(FERRY_WDOG_CYCLES, cycles));
    return FERRY_OK;
}

/* Window n's registers: BASE_LO, BASE_HI, LIMIT_LO, LIMIT_HI, 16 bytes apart. */
#define FERRY_WIN_STRIDE (FERRY_CH_WIN1_BASE_LO - FERRY_CH_WIN0_BASE_LO)
_Static_assert(FERRY_CH_WIN1_BASE_LO - FERRY_CH_WIN0_BASE_LO == 0x10U &&
                   FERRY_CH_WIN3_BASE_LO - FERRY_CH_WIN0_BASE_LO == 3U * 0x10U &&
                   FERRY_CH_WIN0_BASE_HI == FERRY_CH_WIN0_BASE_LO + 4U &&
                   FERRY_CH_WIN0_LIMIT_LO == FERRY_CH_WIN0_BASE_LO + 8U &&
                   FERRY_CH_WIN0_LIMIT_HI == FERRY_CH_WIN0_BASE_LO + 12U,
               "window registers: 4 words per window, windows 16 bytes apart");
_Static_assert(FERRY_WIN0_BASE_LO_READ_MASK == FERRY_WIN_READ && FERRY_WIN0_BASE_LO_WRITE_MASK == FERRY_WIN_WRITE &&
                   FERRY_WIN0_BASE_LO_ADDR_MASK == 0xFFFFF000U && FERRY_WIN0_LIMIT_LO_ADDR_MASK == 0xFFFFF000U,
               "FERRY_WIN_READ/WRITE are the BASE_LO permission bits; addresses in bits 31:12");
#define FERRY_WIN_MAX 4U

static ferry_status windows_locked(struct ferry_dev *dev, unsigned ch)
{
    uint32_t v = rd(dev, FERRY_CH_REG(ch, FERRY_CH_WIN_CTRL));
    return FERRY_FIELD_GET(FERRY_WIN_CTRL_LOCK, v) != 0U ? FERRY_E_LOCKED : FERRY_OK;
}

ferry_status ferry_set_window(struct ferry_dev *dev, unsigned ch, unsigned n, uint64_t base, uint64_t limit,
                              unsigned perms)
{
    ferry_status st = check_ch(dev, ch);
    uint32_t w;

    if (st != FERRY_OK) {
        return st;
    }
    if (n >= dev->caps.windows || n >= FERRY_WIN_MAX || (base & (FERRY_WIN_PAGE - 1U)) != 0U ||
        (limit & (FERRY_WIN_PAGE - 1U)) != 0U || limit < base || (perms & ~(FERRY_WIN_READ | FERRY_WIN_WRITE)) != 0U) {
        return FERRY_E_INVAL;
    }
    if ((st = windows_locked(dev, ch)) != FERRY_OK) {
        return st;
    }
    w = FERRY_CH_WIN0_BASE_LO + n * FERRY_WIN_STRIDE;
    /* No permission while the range is half written. */
    wr(dev, FERRY_CH_REG(ch, w), FERRY_FIELD_PREP(FERRY_WIN0_BASE_LO_ADDR, (uint32_t)base >> 12));
    wr(dev, FERRY_CH_REG(ch, w + 4U), FERRY_FIELD_PREP(FERRY_WIN0_BASE_HI_ADDR, (uint32_t)(base >> 32)));
    wr(dev, FERRY_CH_REG(ch, w + 8U), FERRY_FIELD_PREP(FERRY_WIN0_LIMIT_LO_ADDR, (uint32_t)limit >> 12));
    wr(dev, FERRY_CH_REG(ch, w + 12U), FERRY_FIELD_PREP(FERRY_WIN0_LIMIT_HI_ADDR, (uint32_t)(limit >> 32)));
    if (perms != 0U) {
        wr(dev, FERRY_CH_REG(ch, w),
           FERRY_FIELD_PREP(FERRY_WIN0_BASE_LO_ADDR, (uint32_t)base >> 12) | (perms & (FERRY_WIN_READ | FERRY_WIN_WRITE)));
    }
    return FERRY_OK;
}

ferry_status ferry_windows_enable(struct ferry_dev *dev, unsigned ch, bool enable, bool lock)
{
    ferry_status st = check_ch(dev, ch);

    if (st != FERRY_OK) {
        return st;
    }
    if (dev->caps.windows == 0U) {
        return FERRY_E_UNSUPPORTED;
    }
    if ((st = windows_locked(dev, ch)) != FERRY_OK) {
        return st;
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_WIN_CTRL),
       FERRY_FIELD_PREP(FERRY_WIN_CTRL_ENABLE, enable ? 1U : 0U) | FERRY_FIELD_PREP(FERRY_WIN_CTRL_LOCK, lock ? 1U : 0U));
    return FERRY_OK;
}

/* ---- stream channels (docs/streams.md) ---- */

_Static_assert(FERRY_TX_EOP == FERRY_DESC_EOP, "TX EOP is the descriptor's EOP flag");
_Static_assert(FERRY_STREAM_KIND_MASK == 0x3U && FERRY_KIND_H2C == 1 && FERRY_KIND_C2H == 2,
               "STREAM.KIND codes are enum ferry_ch_kind");
_Static_assert(FERRY_CAP2_H2C_MASK == 0xFFFFU && FERRY_CAP2_C2H_SHIFT == 16U, "CAP2 masks are 16 bits each");

#ifdef FERRY_DESC_FENCE
#define FERRY_TX_FLAGS (FERRY_TX_EOP | FERRY_DESC_IRQ | FERRY_DESC_FENCE)
#define FERRY_TX_SEND_FLAGS (FERRY_DESC_IRQ | FERRY_DESC_FENCE)
#else
#define FERRY_TX_FLAGS (FERRY_TX_EOP | FERRY_DESC_IRQ)
#define FERRY_TX_SEND_FLAGS FERRY_DESC_IRQ
#endif
#define FERRY_RX_REAP_CHUNK 16U

enum ferry_ch_kind ferry_ch_kind(const struct ferry_dev *dev, unsigned ch)
{
    if (dev == NULL || !dev->probed || ch >= dev->caps.channels) {
        return FERRY_KIND_MEM;
    }
    if ((dev->caps.h2c_mask >> ch & 1U) != 0U) {
        return FERRY_KIND_H2C;
    }
    if ((dev->caps.c2h_mask >> ch & 1U) != 0U) {
        return FERRY_KIND_C2H;
    }
    return FERRY_KIND_MEM;
}

/* A ring of the given kind: FERRY_E_INVAL for a bad ring, FERRY_E_KIND for another kind. */
static ferry_status ring_kind(const struct ferry_ring *ring, enum ferry_ch_kind kind)
{
    if (!ring_ok(ring)) {
        return FERRY_E_INVAL;
    }
    return ferry_ch_kind(ring->dev, ring->ch) == kind ? FERRY_OK : FERRY_E_KIND;
}

static struct ferry_desc tx_desc(uint64_t bus, uint32_t len, uint8_t flags, uint8_t tuser, uint8_t tid)
{
    struct ferry_desc d;

    memset(&d, 0, sizeof(d));
    d.src = bus;
    d.dst = (uint64_t)tid << 8 | tuser; /* DST[7:0] TUSER, DST[15:8] TID, the rest 0 */
    d.len = len;
    d.flags = flags;
    return d;
}

ferry_status ferry_tx_post(struct ferry_ring *ring, uint64_t bus, uint32_t len, uint8_t flags, uint8_t tuser,
                           uint8_t tid)
{
    ferry_status st = ring_kind(ring, FERRY_KIND_H2C);
    struct ferry_desc d;

    if (st != FERRY_OK) {
        return st;
    }
    if (len < 1U || len > FERRY_DESC_LEN_MAX || (flags & ~FERRY_TX_FLAGS) != 0U ||
        !range_ok(bus, len, ring->dev->caps.addr_width)) {
        return FERRY_E_INVAL;
    }
    if (ferry_ring_space(ring) < 1U) {
        return FERRY_E_BUSY;
    }
    d = tx_desc(bus, len, flags, tuser, tid);
    ring_put(ring, &d);
    ring_doorbell(ring);
    return FERRY_OK;
}

ferry_status ferry_tx_send(struct ferry_ring *ring, uint64_t bus, uint64_t len, uint8_t flags, uint8_t tuser,
                           uint8_t tid, unsigned *ndesc)
{
    ferry_status st = ring_kind(ring, FERRY_KIND_H2C);
    uint64_t chunks;

    if (ndesc != NULL) {
        *ndesc = 0;
    }
    if (st != FERRY_OK) {
        return st;
    }
    if (len < 1U || len > FERRY_LEN_MAX || (flags & ~FERRY_TX_SEND_FLAGS) != 0U ||
        !range_ok(bus, len, ring->dev->caps.addr_width)) {
        return FERRY_E_INVAL;
    }
    chunks = (len - 1U) / FERRY_SG_SPLIT + 1U;
    if (chunks > ring->entries - 1U) {
        return FERRY_E_INVAL; /* never fits */
    }
    if (chunks > ferry_ring_space(ring)) {
        return FERRY_E_BUSY;
    }
    for (uint64_t k = 0; k < chunks; k++) {
        const uint64_t off = k * FERRY_SG_SPLIT;
        const uint32_t n = len - off < FERRY_SG_SPLIT ? (uint32_t)(len - off) : FERRY_SG_SPLIT;
        uint8_t f = 0;
        struct ferry_desc d;

        if (k == chunks - 1U) {
            f |= (uint8_t)(FERRY_TX_EOP | (flags & FERRY_DESC_IRQ));
        }
#ifdef FERRY_DESC_FENCE
        if (k == 0U) {
            f |= flags & FERRY_DESC_FENCE;
        }
#endif
        d = tx_desc(bus + off, n, f, tuser, tid);
        ring_put(ring, &d);
    }
    ring_doorbell(ring);
    if (ndesc != NULL) {
        *ndesc = (unsigned)chunks;
    }
    return FERRY_OK;
}

ferry_status ferry_rx_post(struct ferry_ring *ring, uint64_t bus, uint32_t len, uint16_t user_tag)
{
    ferry_status st = ring_kind(ring, FERRY_KIND_C2H);
    const uint64_t beat = ring_ok(ring) ? ring->dev->caps.data_bytes : 1U;
    struct ferry_desc d;

    if (st != FERRY_OK) {
        return st;
    }
    if (len < 1U || len > FERRY_DESC_LEN_MAX || !range_ok(bus, len, ring->dev->caps.addr_width)) {
        return FERRY_E_INVAL;
    }
    if (bus % beat != 0U || len % beat != 0U) {
        return FERRY_E_ALIGN;
    }
    if (ferry_ring_space(ring) < 1U) {
        return FERRY_E_BUSY;
    }
    memset(&d, 0, sizeof(d));
    d.dst = bus;
    d.len = len;
    d.flags = FERRY_DESC_IRQ;
    d.tag = user_tag;
    ring_put(ring, &d);
    ring_doorbell(ring);
    return FERRY_OK;
}

/* A reaped record of a C2H ring as a buffer completion: the buffer from the
 * descriptor slot (only the device reads it; not yet re-used: the caller
 * posts again only after this), side-band from word 3. */
static void rx_convert(const struct ferry_ring *ring, const struct ferry_cpl *c, ferry_rx_cpl_t *o)
{
    const volatile uint8_t *p =
        (const volatile uint8_t *)ring->desc.cpu + (size_t)(c->index & (ring->entries - 1U)) * FERRY_DESC_SIZE;
    uint8_t buf[FERRY_DESC_SIZE];
    struct ferry_desc d;

    for (unsigned i = 0; i < FERRY_DESC_SIZE; i++) {
        buf[i] = p[i];
    }
    ferry_desc_decode(&d, buf);
    memset(o, 0, sizeof(*o));
    o->index = c->index;
    o->user_tag = c->tag;
    o->bus = d.dst;
    o->size = d.len;
    o->bytes = c->bytes;
    o->sop = c->sop;
    o->eop = c->eop;
    o->status = c->status;
    o->halted = c->halted;
    if (c->status == FERRY_ERR_NONE || c->status == FERRY_ERR_TRUNCATED) {
        o->tuser = (uint8_t)c->fault_addr;        /* w3[7:0] */
        o->tid = (uint8_t)(c->fault_addr >> 8);   /* w3[15:8] */
    } else {
        o->fault_addr = c->fault_addr;
    }
}

ferry_status ferry_rx_reap(struct ferry_ring *ring, ferry_rx_cpl_t *out, unsigned max, unsigned *n)
{
    ferry_status st = ring_kind(ring, FERRY_KIND_C2H);
    unsigned got = 0;

    if (n != NULL) {
        *n = 0;
    }
    if (st != FERRY_OK) {
        return st;
    }
    if (out == NULL || n == NULL) {
        return FERRY_E_INVAL;
    }
    while (got < max) {
        struct ferry_cpl c[FERRY_RX_REAP_CHUNK];
        unsigned want = max - got < FERRY_RX_REAP_CHUNK ? max - got : FERRY_RX_REAP_CHUNK;
        unsigned k = 0;

        st = ferry_ring_reap(ring, c, want, &k);
        for (unsigned i = 0; i < k; i++) {
            rx_convert(ring, &c[i], &out[got + i]);
        }
        got += k;
        if (st != FERRY_OK || k < want) {
            break;
        }
    }
    *n = got;
    return st;
}

ferry_status ferry_rx_repost(struct ferry_ring *ring, const ferry_rx_cpl_t *c)
{
    if (c == NULL) {
        return FERRY_E_INVAL;
    }
    return ferry_rx_post(ring, c->bus, c->size, c->user_tag);
}

static void rx_pkt_reset(struct ferry_ring *ring)
{
    ring->rx_len = 0;
    ring->rx_copied = 0;
    ring->rx_bufs = 0;
}

ferry_status ferry_rx_packet(struct ferry_ring *ring, const struct ferry_dma_mem *pool, void *out, size_t cap,
                             ferry_rx_pkt_t *pkt, uint64_t timeout_us)
{
    ferry_status st = ring_kind(ring, FERRY_KIND_C2H);
    struct ferry_dev *dev;
    uint64_t ticks = 0;
    uint64_t start;

    if (pkt != NULL) {
        memset(pkt, 0, sizeof(*pkt));
    }
    if (st != FERRY_OK) {
        return st;
    }
    if (pool == NULL || pool->cpu == NULL || (out == NULL && cap > 0U) || pkt == NULL) {
        return FERRY_E_INVAL;
    }
    dev = ring->dev;
    start = now_us(dev, &ticks);
    for (bool reaped = false;; reaped = true) {
        const uint64_t elapsed = now_us(dev, &ticks) - start;
        struct ferry_cpl fc;
        ferry_rx_cpl_t c;
        unsigned got = 0;
        size_t n;

        pkt->len = ring->rx_len;
        pkt->copied = ring->rx_copied;
        pkt->bufs = ring->rx_bufs;
        if (reaped && elapsed >= timeout_us) {
            return FERRY_E_TIMEOUT; /* a packet without end yet: gathered so far, go on next call */
        }
        st = ferry_ring_wait(ring, 1, elapsed < timeout_us ? timeout_us - elapsed : 0U, &fc, &got);
        if (got == 0U || fc.halted) {
            /* FERRY_E_TIMEOUT (the packet so far stays gathered), _HALTED, _IO */
            return st != FERRY_OK ? st : FERRY_E_TIMEOUT;
        }
        if (dev->plat.now_us == NULL) {
            ticks++; /* every record counts as time too, so the budget ends */
        }
        rx_convert(ring, &fc, &c);
        if (c.bus < pool->bus || c.bus - pool->bus > pool->size || c.bytes > pool->size - (c.bus - pool->bus)) {
            rx_pkt_reset(ring);
            return FERRY_E_INVAL; /* not a buffer of this pool: nothing to copy from */
        }
        if (c.status != FERRY_ERR_NONE && c.status != FERRY_ERR_TRUNCATED) {
            /* An error record reaped as a completion (after a skip): what was
             * gathered is dropped. The buffer goes back unless it can never
             * be used (not beat aligned: STREAM_ALIGN). */
            pkt->status = c.status;
            rx_pkt_reset(ring);
            st = ferry_rx_repost(ring, &c);
            return st == FERRY_OK || st == FERRY_E_ALIGN ? FERRY_E_DEVICE : st;
        }
        n = c.bytes;
        if (ring->rx_copied < cap) {
            size_t room = cap - ring->rx_copied;
            size_t k = n < room ? n : room;
            memcpy((uint8_t *)out + ring->rx_copied, (const uint8_t *)pool->cpu + (c.bus - pool->bus), k);
            ring->rx_copied += k;
        }
        ring->rx_len += n;
        ring->rx_bufs++;
        st = ferry_rx_repost(ring, &c);
        pkt->len = ring->rx_len;
        pkt->copied = ring->rx_copied;
        pkt->bufs = ring->rx_bufs;
        if (st != FERRY_OK) {
            return st;
        }
        if (c.eop) {
            pkt->status = c.status;
            pkt->tuser = c.tuser;
            pkt->tid = c.tid;
            rx_pkt_reset(ring);
            if (pkt->copied < pkt->len) {
                return FERRY_E_OVERFLOW;
            }
            return c.status == FERRY_ERR_TRUNCATED ? FERRY_E_TRUNCATED : FERRY_OK;
        }
    }
}

ferry_status ferry_set_max_pkt(struct ferry_dev *dev, unsigned ch, uint32_t bytes)
{
    ferry_status st = check_ch(dev, ch);

    if (st != FERRY_OK) {
        return st;
    }
    if (ferry_ch_kind(dev, ch) != FERRY_KIND_C2H) {
        return FERRY_E_KIND;
    }
    wr(dev, FERRY_CH_REG(ch, FERRY_CH_MAX_PKT), FERRY_FIELD_PREP(FERRY_MAX_PKT_BYTES, bytes));
    return FERRY_OK;
}

ferry_status ferry_stream_state(struct ferry_dev *dev, unsigned ch, struct ferry_stream_state *out)
{
    ferry_status st = check_ch(dev, ch);
    uint32_t v;

    if (st != FERRY_OK) {
        return st;
    }
    if (out == NULL) {
        return FERRY_E_INVAL;
    }
    if (ferry_ch_kind(dev, ch) == FERRY_KIND_MEM) {
        return FERRY_E_KIND;
    }
    v = rd(dev, FERRY_CH_REG(ch, FERRY_CH_STREAM));
    out->kind = (enum ferry_ch_kind)FERRY_FIELD_GET(FERRY_STREAM_KIND, v);
    out->starved = FERRY_FIELD_GET(FERRY_STREAM_STARVED, v) != 0U;
    out->in_packet = FERRY_FIELD_GET(FERRY_STREAM_IN_PACKET, v) != 0U;
    return FERRY_OK;
}

/* Every LO/HI counter half is one whole-register VALUE field, so read64()
 * may take the raw words. */
#define FERRY_WHOLE(F) (F##_MASK == 0xFFFFFFFFU && F##_SHIFT == 0U)
_Static_assert(FERRY_WHOLE(FERRY_BYTES_RD_LO_VALUE) && FERRY_WHOLE(FERRY_BYTES_RD_HI_VALUE) &&
                   FERRY_WHOLE(FERRY_BYTES_WR_LO_VALUE) && FERRY_WHOLE(FERRY_BYTES_WR_HI_VALUE) &&
                   FERRY_WHOLE(FERRY_BUSY_LO_VALUE) && FERRY_WHOLE(FERRY_BUSY_HI_VALUE) &&
                   FERRY_WHOLE(FERRY_WAIT_LO_VALUE) && FERRY_WHOLE(FERRY_WAIT_HI_VALUE) &&
                   FERRY_WHOLE(FERRY_STALL_LO_VALUE) && FERRY_WHOLE(FERRY_STALL_HI_VALUE) &&
                   FERRY_WHOLE(FERRY_STARVE_LO_VALUE) && FERRY_WHOLE(FERRY_STARVE_HI_VALUE),
               "64-bit counters are two whole 32-bit registers");

/* A 64-bit counter: HI, LO, HI until HI holds still. */
static ferry_status read64(struct ferry_dev *dev, unsigned ch, uint32_t lo_off, uint32_t hi_off, uint64_t *out)
{
    uint32_t hi = rd(dev, FERRY_CH_REG(ch, hi_off));

    for (unsigned i = 0; i < FERRY_COUNTER_TRIES; i++) {
        uint32_t lo = rd(dev, FERRY_CH_REG(ch, lo_off));
        uint32_t hi2 = rd(dev, FERRY_CH_REG(ch, hi_off));
        if (hi2 == hi) {
            *out = (uint64_t)hi << 32 | lo;
            return FERRY_OK;
        }
        hi = hi2;
    }
    return FERRY_E_AGAIN;
}

ferry_status ferry_read_counters(struct ferry_dev *dev, unsigned ch, struct ferry_counters *out)
{
    ferry_status st = check_ch(dev, ch);
    struct ferry_counters c;

    if (st != FERRY_OK) {
        return st;
    }
    if (out == NULL) {
        return FERRY_E_INVAL;
    }
    memset(&c, 0, sizeof(c));
    if ((st = read64(dev, ch, FERRY_CH_BYTES_RD_LO, FERRY_CH_BYTES_RD_HI, &c.bytes_rd)) != FERRY_OK ||
        (st = read64(dev, ch, FERRY_CH_BYTES_WR_LO, FERRY_CH_BYTES_WR_HI, &c.bytes_wr)) != FERRY_OK ||
        (st = read64(dev, ch, FERRY_CH_BUSY_LO, FERRY_CH_BUSY_HI, &c.busy_cycles)) != FERRY_OK ||
        (st = read64(dev, ch, FERRY_CH_WAIT_LO, FERRY_CH_WAIT_HI, &c.wait_cycles)) != FERRY_OK ||
        (st = read64(dev, ch, FERRY_CH_STALL_LO, FERRY_CH_STALL_HI, &c.stall_cycles)) != FERRY_OK) {
        return st;
    }
    c.desc_done = FERRY_FIELD_GET(FERRY_DESC_DONE_VALUE, rd(dev, FERRY_CH_REG(ch, FERRY_CH_DESC_DONE)));
    c.errors = FERRY_FIELD_GET(FERRY_ERRORS_VALUE, rd(dev, FERRY_CH_REG(ch, FERRY_CH_ERRORS)));
    if (ferry_ch_kind(dev, ch) != FERRY_KIND_MEM) {
        if ((st = read64(dev, ch, FERRY_CH_STARVE_LO, FERRY_CH_STARVE_HI, &c.starve_cycles)) != FERRY_OK) {
            return st;
        }
        c.packets = FERRY_FIELD_GET(FERRY_PACKETS_VALUE, rd(dev, FERRY_CH_REG(ch, FERRY_CH_PACKETS)));
    }
    *out = c;
    return FERRY_OK;
}
