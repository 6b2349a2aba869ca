/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry.c: the ferry driver core (direct mode). Reaches the device only
 * through struct ferry_platform; see ferry.h for the API contract and
 * docs/registers.md for the register sequence it follows.
 */
#include "ferry/ferry.h"

#include <string.h>

#include "ferry/ferry_regs.h"

/* Ties to the generated register map. */
_Static_assert(FERRY_IF_VERSION_MAJOR == 1U, "driver written for register interface 1.x");
_Static_assert(FERRY_CH_STRIDE * FERRY_MAX_CHANNELS + FERRY_CH_BASE <= FERRY_BAR_SIZE,
               "channel blocks fit in BAR0");
_Static_assert(FERRY_MAX_CHANNELS <= 32U, "irq masks are 32 bits");
_Static_assert(FERRY_LEN_BYTES_MASK == 0xFFFFFFFFU, "LEN is a full 32-bit byte count");
_Static_assert(FERRY_ERR_NONE == 0U, "ERR_CODE 0 means no error");

#define FERRY_STATUS_W1C_MASK \
    (FERRY_STATUS_DONE_MASK | FERRY_STATUS_ERROR_MASK | FERRY_STATUS_DB_OVERRUN_MASK)
#define FERRY_LEN_MAX 0xFFFFFFFFULL

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
    /* A device outside the documented ranges is not one this driver understands. */
    if (c->channels < 1U || c->channels > FERRY_MAX_CHANNELS || c->addr_width < 32U ||
        c->addr_width > 64U || c->data_bytes < 4U) {
        return FERRY_E_NODEV;
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
    ferry_status st = check_ch(dev, ch);
    uint32_t v = 0;

    if (st != FERRY_OK) {
        return st;
    }
    if (enable) {
        v = FERRY_FIELD_PREP(FERRY_IRQ_ENABLE_DONE, 1U) | FERRY_FIELD_PREP(FERRY_IRQ_ENABLE_ERROR, 1U);
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
    if (len < 1U || len > FERRY_LEN_MAX || !range_ok(src, len, dev->caps.addr_width) ||
        !range_ok(dst, len, dev->caps.addr_width)) {
        return FERRY_E_INVAL;
    }
    s = rd(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
    if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U) {
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

ferry_status ferry_copy_poll(struct ferry_dev *dev, unsigned ch, struct ferry_result *res)
{
    ferry_status st = check_ch(dev, ch);
    struct ferry_result r;
    uint32_t s;

    if (st != FERRY_OK) {
        return st;
    }
    s = rd(dev, FERRY_CH_REG(ch, FERRY_CH_STATUS));
    if (FERRY_FIELD_GET(FERRY_STATUS_BUSY, s) != 0U) {
        return FERRY_E_AGAIN;
    }
    memset(&r, 0, sizeof(r));
    r.status_reg = s;
    r.err_code = FERRY_FIELD_GET(FERRY_STATUS_ERR_CODE, s);
    r.db_overrun = FERRY_FIELD_GET(FERRY_STATUS_DB_OVERRUN, s) != 0U;
    if (FERRY_FIELD_GET(FERRY_STATUS_ERROR, s) != 0U) {
        r.status = FERRY_E_DEVICE;
        r.bytes = 0;
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
