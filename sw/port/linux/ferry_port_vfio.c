/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_port_vfio.c: the ferry platform on Linux userspace, through VFIO or
 * (unsafe, no IOMMU) sysfs resource0. See ferry_port_vfio.h for what each
 * callback maps to and which files are used.
 */
#define _GNU_SOURCE
#include "ferry_port_vfio.h"

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#define LX_PATH 512
#define LX_ERR 512
#define LX_ALL_ONES 0xFFFFFFFFU
#define LX_PCI_COMMAND 0x04U
#define LX_PCI_COMMAND_MEMORY 0x0002U
#define LX_PCI_COMMAND_MASTER 0x0004U
#define LX_INTX_RECHECK_US 1000U /* INTx: how often a wait looks at IRQ_STATUS while it cannot unmask */

struct lx_buf {
    void *cpu;
    size_t map_len;  /* bytes mmapped (and mapped in the IOMMU) */
    uint64_t bus;
    struct lx_buf *next;
};

struct ferry_linux {
    enum ferry_linux_kind kind;
    char bdf[FERRY_LINUX_BDF_LEN];
    struct ferry_platform plat;
    char sysfs_root[LX_PATH];
    char dev_root[LX_PATH];
    char pagemap[LX_PATH];
    bool no_irq;
    bool test_dma;            /* opts.test_dma: DMA memory from ordinary pages (unit tests) */
    uint64_t stop_us;         /* close: budget for the channels to stop */
    /* VFIO */
    int container_fd, group_fd, device_fd;
    int group;
    uint64_t bar_offset;      /* region offset in device_fd (pread/pwrite path) */
    uint64_t cfg_offset;      /* config region offset in device_fd */
    bool cfg_ready;
    struct ferry_iova iova;
    bool iova_ready;
    /* sysfs */
    int res_fd;
    /* BAR0 */
    volatile uint8_t *bar;    /* NULL: pread/pwrite on device_fd */
    size_t bar_map_len;
    uint64_t bar_size;
    /* interrupts */
    int irq_fd[FERRY_MAX_CHANNELS];
    unsigned nirq;
    const char *irq_kind;
    int irq_index;            /* VFIO irq index, -1 for UIO / none */
    bool uio;
    bool intx_masked;         /* INTx: the kernel masked the line (it signalled); unmask before sleeping */
    /* DMA */
    struct lx_buf *bufs;
    uint64_t dma_bytes;
    uint64_t bad_access;
    char last_err[LX_ERR];
};

/* ---- small helpers ---- */

static ferry_status fail(char *err, size_t errlen, ferry_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static ferry_status fail(char *err, size_t errlen, ferry_status st, const char *fmt, ...)
{
    if (err != NULL && errlen > 0U) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

static void note(struct ferry_linux *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct ferry_linux *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->last_err, sizeof(p->last_err), fmt, ap);
    va_end(ap);
}

/* snprintf into a path buffer; false when it does not fit. */
static bool path_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool path_fmt(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < len;
}

static bool copy_str(char *dst, size_t len, const char *src)
{
    return path_fmt(dst, len, "%s", src);
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
    return (v + a - 1U) & ~(a - 1U);
}

static bool is_pow2(uint64_t v)
{
    return v != 0U && (v & (v - 1U)) == 0U;
}

static uint64_t mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000U + (uint64_t)ts.tv_nsec / 1000U;
}

void ferry_linux_us_to_timespec(uint64_t us, long long *sec, long *nsec)
{
    const uint64_t max_sec = (uint64_t)INT32_MAX; /* ~68 years: plenty, and fits any time_t */
    uint64_t s = us / 1000000U;

    if (s > max_sec) {
        *sec = (long long)max_sec;
        *nsec = 999999999L;
        return;
    }
    *sec = (long long)s;
    *nsec = (long)(us % 1000000U) * 1000L;
}

/* ---- BDF ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Reads 1..maxd hex digits from *s; false if none or more than maxd. */
static bool hexfield(const char **s, unsigned maxd, uint32_t *v)
{
    unsigned n = 0;

    *v = 0;
    while (hexval(**s) >= 0) {
        if (n == maxd) {
            return false;
        }
        *v = *v * 16U + (uint32_t)hexval(**s);
        (*s)++;
        n++;
    }
    return n > 0U;
}

ferry_status ferry_linux_parse_bdf(const char *s, char out[FERRY_LINUX_BDF_LEN])
{
    uint32_t a, b, dom = 0, bus, dev, fn;
    const char *p = s;

    if (out == NULL) {
        return FERRY_E_INVAL;
    }
    out[0] = '\0';
    if (s == NULL || strlen(s) >= 32U) {
        return FERRY_E_INVAL;
    }
    if (!hexfield(&p, 8, &a) || *p != ':') {
        return FERRY_E_INVAL;
    }
    p++;
    if (!hexfield(&p, 2, &b)) {
        return FERRY_E_INVAL;
    }
    if (*p == ':') { /* DDDD:BB:DD.F */
        p++;
        dom = a;
        bus = b;
        if (!hexfield(&p, 2, &dev)) {
            return FERRY_E_INVAL;
        }
    } else { /* BB:DD.F */
        if (a > 0xFFU) {
            return FERRY_E_INVAL;
        }
        bus = a;
        dev = b;
    }
    if (*p != '.') {
        return FERRY_E_INVAL;
    }
    p++;
    if (!hexfield(&p, 1, &fn) || *p != '\0' || dev > 0x1FU || fn > 7U) {
        return FERRY_E_INVAL;
    }
    snprintf(out, FERRY_LINUX_BDF_LEN, "%04" PRIx32 ":%02" PRIx32 ":%02" PRIx32 ".%" PRIx32, dom, bus, dev, fn);
    return FERRY_OK;
}

/* ---- IOVA allocator ---- */

ferry_status ferry_iova_init(struct ferry_iova *a, uint64_t base, uint64_t size)
{
    if (a == NULL) {
        return FERRY_E_INVAL;
    }
    memset(a, 0, sizeof(*a));
    if (size == 0U || (base % FERRY_LINUX_PAGE) != 0U || (size % FERRY_LINUX_PAGE) != 0U ||
        size - 1U > UINT64_MAX - base) {
        return FERRY_E_INVAL;
    }
    a->base = base;
    a->size = size;
    return FERRY_OK;
}

void ferry_iova_fini(struct ferry_iova *a)
{
    if (a == NULL) {
        return;
    }
    free(a->r);
    a->r = NULL;
    a->n = 0;
    a->cap = 0;
}

/* Does [start, start + len) fit below the inclusive limit last? */
static bool fits(uint64_t start, uint64_t len, uint64_t last)
{
    return start <= last && len - 1U <= last - start;
}

ferry_status ferry_iova_alloc(struct ferry_iova *a, uint64_t size, uint64_t align, uint64_t *iova)
{
    const uint64_t last = a != NULL ? a->base + (a->size - 1U) : 0U; /* last byte of the window */
    uint64_t len, cursor;

    if (a == NULL || iova == NULL || a->size == 0U || size == 0U || (align != 0U && !is_pow2(align))) {
        return FERRY_E_INVAL;
    }
    if (align < FERRY_LINUX_PAGE) {
        align = FERRY_LINUX_PAGE;
    }
    if (size > a->size) {
        return FERRY_E_NOMEM;
    }
    len = round_up(size, FERRY_LINUX_PAGE); /* no overflow: size <= a->size, whole pages */
    cursor = a->base;
    for (size_t i = 0; i <= a->n; i++) {
        /* The gap [cursor, limit]: before range i, or after the last one. */
        uint64_t limit;
        uint64_t start;

        if (i < a->n) {
            if (a->r[i].start == cursor) {
                cursor = a->r[i].start + a->r[i].len;
                if (a->r[i].start + (a->r[i].len - 1U) == last) {
                    break; /* this range ends the window */
                }
                continue;
            }
            limit = a->r[i].start - 1U;
        } else {
            limit = last;
        }
        if (cursor > UINT64_MAX - (align - 1U)) {
            break; /* aligning would wrap: nothing further fits */
        }
        start = round_up(cursor, align);
        if (fits(start, len, limit)) {
            if (a->n == a->cap) {
                size_t cap = a->cap != 0U ? a->cap * 2U : 16U;
                struct ferry_iova_range *r = realloc(a->r, cap * sizeof(*r));
                if (r == NULL) {
                    return FERRY_E_NOMEM;
                }
                a->r = r;
                a->cap = cap;
            }
            memmove(&a->r[i + 1U], &a->r[i], (a->n - i) * sizeof(a->r[0]));
            a->r[i].start = start;
            a->r[i].len = len;
            a->n++;
            *iova = start;
            return FERRY_OK;
        }
        if (i < a->n) {
            cursor = a->r[i].start + a->r[i].len;
            if (a->r[i].start + (a->r[i].len - 1U) == last) {
                break;
            }
        }
    }
    return FERRY_E_NOMEM;
}

ferry_status ferry_iova_free(struct ferry_iova *a, uint64_t iova)
{
    if (a == NULL) {
        return FERRY_E_INVAL;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (a->r[i].start == iova) {
            memmove(&a->r[i], &a->r[i + 1U], (a->n - i - 1U) * sizeof(a->r[0]));
            a->n--;
            return FERRY_OK;
        }
    }
    return FERRY_E_INVAL;
}

uint64_t ferry_iova_used(const struct ferry_iova *a)
{
    uint64_t used = 0;

    if (a == NULL) {
        return 0;
    }
    for (size_t i = 0; i < a->n; i++) {
        used += a->r[i].len;
    }
    return used;
}

/* ---- pagemap ---- */

ferry_status ferry_linux_pagemap_phys(const char *pagemap, uint64_t va, uint64_t *pa)
{
    const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t ent = 0;
    uint64_t pfn;
    int fd;
    ssize_t n;

    if (pagemap == NULL || pa == NULL) {
        return FERRY_E_INVAL;
    }
    fd = open(pagemap, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return FERRY_E_NODEV;
    }
    n = pread(fd, &ent, sizeof(ent), (off_t)((va / page) * sizeof(ent)));
    close(fd);
    if (n != (ssize_t)sizeof(ent)) {
        return FERRY_E_NODEV;
    }
    ent = le64toh(ent);
    pfn = ent & ((UINT64_C(1) << 55) - 1U);
    if ((ent >> 63) == 0U || pfn == 0U) {
        return FERRY_E_NOMEM; /* not present, or the PFN is hidden from non-root */
    }
    *pa = pfn * page + va % page;
    return FERRY_OK;
}

/* ---- platform callbacks ---- */

static bool bar_ok(struct ferry_linux *p, uint32_t off)
{
    if ((off & 3U) != 0U || (uint64_t)off + 4U > p->bar_size) {
        p->bad_access++;
        return false;
    }
    return true;
}

static uint32_t lx_reg_read(void *ctx, uint32_t off)
{
    struct ferry_linux *p = ctx;
    uint32_t v = LX_ALL_ONES;

    if (!bar_ok(p, off)) {
        return LX_ALL_ONES;
    }
    if (p->bar != NULL) {
        v = le32toh(*(volatile const uint32_t *)(p->bar + off));
    } else if (pread(p->device_fd, &v, sizeof(v), (off_t)(p->bar_offset + off)) == (ssize_t)sizeof(v)) {
        v = le32toh(v);
    } else {
        p->bad_access++;
        v = LX_ALL_ONES;
    }
    /* Later loads from DMA memory (results the engine wrote) stay after this read. */
    atomic_thread_fence(memory_order_seq_cst);
    return v;
}

static void lx_reg_write(void *ctx, uint32_t off, uint32_t val)
{
    struct ferry_linux *p = ctx;
    uint32_t le = htole32(val);

    if (!bar_ok(p, off)) {
        return;
    }
    /* Earlier stores to DMA memory reach memory before a doorbell. */
    atomic_thread_fence(memory_order_seq_cst);
    if (p->bar != NULL) {
        *(volatile uint32_t *)(p->bar + off) = le;
    } else if (pwrite(p->device_fd, &le, sizeof(le), (off_t)(p->bar_offset + off)) != (ssize_t)sizeof(le)) {
        p->bad_access++;
    }
}

static uint64_t lx_now_us(void *ctx)
{
    (void)ctx;
    return mono_us();
}

static void lx_delay_us(void *ctx, uint64_t us)
{
    struct timespec ts, rem;
    long long sec;
    long nsec;

    (void)ctx;
    ferry_linux_us_to_timespec(us, &sec, &nsec);
    ts.tv_sec = (time_t)sec;
    ts.tv_nsec = nsec;
    while (nanosleep(&ts, &rem) != 0 && errno == EINTR) {
        ts = rem;
    }
}

static bool vfio_intx_unmask(struct ferry_linux *p)
{
    struct vfio_irq_set set;

    memset(&set, 0, sizeof(set));
    set.argsz = sizeof(set);
    set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK;
    set.index = VFIO_PCI_INTX_IRQ_INDEX;
    set.start = 0;
    set.count = 1;
    return ioctl(p->device_fd, VFIO_DEVICE_SET_IRQS, &set) == 0;
}

static bool uio_unmask(struct ferry_linux *p)
{
    int32_t one = 1;

    return write(p->irq_fd[0], &one, sizeof(one)) == (ssize_t)sizeof(one);
}

/* INTx, through VFIO or uio: one level-triggered line, possibly shared. */
static bool is_intx(const struct ferry_linux *p)
{
    return p->uio || p->irq_index == VFIO_PCI_INTX_IRQ_INDEX;
}

/* Lets INTx signal again. The VFIO ioctl is compiled here but has never run
 * (no card, no vfio module on the build machine); the uio write is the one
 * the unit tests see (test_port_linux, a fake /dev/uioN). */
static bool intx_unmask(struct ferry_linux *p)
{
    if (p->uio ? !uio_unmask(p) : !vfio_intx_unmask(p)) {
        note(p, "wait_irq: %s: %s", p->uio ? "unmasking INTx through uio" : "VFIO INTx unmask", strerror(errno));
        return false;
    }
    p->intx_masked = false;
    return true;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Level semantics on top of edge-like eventfds: IRQ_STATUS decides, the fds
 * only wake us; the deadline bounds the loop whatever the fds do.
 *
 * MSI-X / MSI: a vector signals once per rising line, so a line that stays
 * high (another channel's, not cleared) costs no wake-ups.
 *
 * INTx (VFIO or uio_pci_generic): the kernel masks the line each time it
 * signals the fd; only an unmask lets it signal again. The caller (the
 * driver core) handles and acknowledges ferry's status between waits, so a
 * wait unmasks (once) when it is about to sleep on the fd, never in a loop:
 * - IRQ_STATUS shows a line of ch_mask: FIRED. The line stays masked until
 *   the next wait, after the caller cleared the status.
 * - IRQ_STATUS is 0: ferry asserts nothing, so a signal was another
 *   device's (a shared line) or stale: unmask and sleep on the fd again.
 *   Should the fd keep signalling with ferry silent, every such signal after
 *   the first waits LX_INTX_RECHECK_US before the unmask, so a line held
 *   high elsewhere costs at most one wake-up per LX_INTX_RECHECK_US.
 * - IRQ_STATUS shows only lines outside ch_mask: ferry's own interrupt,
 *   which this waiter does not clear. Unmasking would raise it again at
 *   once (the old loop spun on that until the budget ran out), so the line
 *   stays masked and IRQ_STATUS is read every LX_INTX_RECHECK_US instead;
 *   once those lines drop, the wait unmasks and sleeps on the fd again. */
static int lx_wait_irq(void *ctx, uint32_t ch_mask, uint64_t timeout_us)
{
    struct ferry_linux *p = ctx;
    struct pollfd pfd[FERRY_MAX_CHANNELS];
    const bool intx = is_intx(p);
    const uint64_t t0 = mono_us();
    const uint64_t deadline = timeout_us > UINT64_MAX - t0 ? UINT64_MAX : t0 + timeout_us;
    unsigned quiet_signals = 0; /* INTx signals after which IRQ_STATUS read 0 */
    bool signalled = false;     /* the last sleep ended with a signal */

    for (;;) {
        const uint32_t st = lx_reg_read(p, FERRY_REG_IRQ_STATUS);
        struct timespec ts;
        long long sec;
        long nsec;
        uint64_t now;
        int n;

        if ((st & ch_mask) != 0U) {
            return FERRY_PLAT_IRQ_FIRED;
        }
        if (intx && signalled && st == 0U) {
            quiet_signals++;
        }
        signalled = false;
        now = mono_us();
        if (now >= deadline) {
            return FERRY_PLAT_IRQ_TIMEOUT;
        }
        if (intx && st != 0U) {
            /* Only other channels' lines: not ours to clear, and an unmask
             * would fire at once. Look again later. */
            lx_delay_us(p, min_u64(deadline - now, LX_INTX_RECHECK_US));
            continue;
        }
        if (intx && p->intx_masked) {
            if (quiet_signals > 1U) {
                lx_delay_us(p, min_u64(deadline - now, LX_INTX_RECHECK_US));
                now = mono_us();
                if (now >= deadline) {
                    continue; /* one last look at IRQ_STATUS, then TIMEOUT */
                }
            }
            if (!intx_unmask(p)) {
                return -1;
            }
        }
        for (unsigned i = 0; i < p->nirq; i++) {
            pfd[i].fd = p->irq_fd[i];
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        ferry_linux_us_to_timespec(deadline - now, &sec, &nsec);
        ts.tv_sec = (time_t)sec;
        ts.tv_nsec = nsec;
        n = ppoll(pfd, p->nirq, &ts, NULL);
        if (n < 0 && errno != EINTR) {
            note(p, "wait_irq: ppoll: %s", strerror(errno));
            return -1;
        }
        for (unsigned i = 0; n > 0 && i < p->nirq; i++) {
            if ((pfd[i].revents & POLLIN) != 0) {
                uint64_t cnt; /* eventfd: 8 bytes; uio: 4 bytes */
                signalled = true;
                if (read(pfd[i].fd, &cnt, p->uio ? 4U : sizeof(cnt)) < 0 && errno != EAGAIN) {
                    note(p, "wait_irq: read of interrupt fd: %s", strerror(errno));
                }
            }
        }
        if (intx && signalled) {
            p->intx_masked = true; /* the kernel masked the line when it signalled */
        }
    }
}

/* ---- DMA memory ---- */

static void buf_link(struct ferry_linux *p, struct lx_buf *b, size_t size, struct ferry_dma_mem *mem)
{
    b->next = p->bufs;
    p->bufs = b;
    p->dma_bytes += b->map_len;
    mem->cpu = b->cpu;
    mem->bus = b->bus;
    mem->size = size;
    mem->handle = b;
}

/* Returns an IOVA range to the allocator (it came from it: cannot fail). */
static void iova_put(struct ferry_linux *p, uint64_t iova)
{
    if (ferry_iova_free(&p->iova, iova) != FERRY_OK) {
        note(p, "internal: IOVA 0x%" PRIx64 " was not allocated", iova);
    }
}

/* A buffer record and len bytes of zeroed anonymous memory in *cpu; NULL
 * (with a note) if either cannot be had. */
static struct lx_buf *anon_buf(struct ferry_linux *p, size_t len, void **cpu)
{
    struct lx_buf *b = calloc(1, sizeof(*b));

    *cpu = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b == NULL || *cpu == MAP_FAILED) {
        note(p, "dma_alloc: mmap of %zu bytes: %s", len, strerror(errno));
        free(b);
        if (*cpu != MAP_FAILED) {
            munmap(*cpu, len);
        }
        return NULL;
    }
    return b;
}

static int vfio_dma_alloc(struct ferry_linux *p, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    struct vfio_iommu_type1_dma_map map;
    struct lx_buf *b;
    uint64_t iova;
    size_t len = (size_t)round_up(size, FERRY_LINUX_PAGE);
    void *cpu;
    ferry_status st;

    if (len < size) {
        note(p, "dma_alloc: size %zu too large", size);
        return -1;
    }
    st = ferry_iova_alloc(&p->iova, len, align, &iova);
    if (st != FERRY_OK) {
        note(p, "dma_alloc: no free IOVA range of %zu bytes aligned to %zu in the window 0x%" PRIx64 "+0x%" PRIx64,
             len, align, p->iova.base, p->iova.size);
        return -1;
    }
    b = anon_buf(p, len, &cpu);
    if (b == NULL) {
        iova_put(p, iova);
        return -1;
    }
    memset(&map, 0, sizeof(map));
    map.argsz = sizeof(map);
    map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
    map.vaddr = (uint64_t)(uintptr_t)cpu;
    map.iova = iova;
    map.size = len;
    if (ioctl(p->container_fd, VFIO_IOMMU_MAP_DMA, &map) != 0) {
        note(p, "dma_alloc: VFIO_IOMMU_MAP_DMA of %zu bytes at IOVA 0x%" PRIx64 ": %s%s", len, iova,
             strerror(errno), errno == ENOMEM ? " (locked-memory limit? see ulimit -l)" : "");
        munmap(cpu, len);
        free(b);
        iova_put(p, iova);
        return -1;
    }
    b->cpu = cpu;
    b->map_len = len;
    b->bus = iova;
    buf_link(p, b, size, mem);
    return 0;
}

static void vfio_dma_release(struct ferry_linux *p, struct lx_buf *b)
{
    struct vfio_iommu_type1_dma_unmap unmap;

    memset(&unmap, 0, sizeof(unmap));
    unmap.argsz = sizeof(unmap);
    unmap.iova = b->bus;
    unmap.size = b->map_len;
    if (ioctl(p->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap) != 0) {
        note(p, "dma_free: VFIO_IOMMU_UNMAP_DMA at IOVA 0x%" PRIx64 ": %s (memory kept mapped)", b->bus,
             strerror(errno));
        return; /* never hand memory back while the device may still reach it */
    }
    iova_put(p, b->bus);
    munmap(b->cpu, b->map_len);
}

static int sysfs_dma_alloc(struct ferry_linux *p, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    const uint64_t hp = FERRY_LINUX_HUGEPAGE;
    size_t len = (size_t)round_up(size, hp);
    struct lx_buf *b;
    uint64_t pa0 = 0;
    void *cpu;
    ferry_status st;

    if (len < size) {
        note(p, "dma_alloc: size %zu too large", size);
        return -1;
    }
    cpu = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE, -1, 0);
    if (cpu == MAP_FAILED) {
        note(p, "dma_alloc: %zu bytes of 2 MiB huge pages: %s (reserve some: echo 16 > /proc/sys/vm/nr_hugepages)",
             len, strerror(errno));
        return -1;
    }
    if (mlock(cpu, len) != 0) {
        note(p, "dma_alloc: mlock: %s", strerror(errno));
        munmap(cpu, len);
        return -1;
    }
    memset(cpu, 0, len);
    for (size_t off = 0; off < len; off += hp) {
        uint64_t pa;
        st = ferry_linux_pagemap_phys(p->pagemap, (uint64_t)(uintptr_t)cpu + off, &pa);
        if (st != FERRY_OK) {
            note(p, "dma_alloc: physical address from %s: %s", p->pagemap,
                 st == FERRY_E_NOMEM ? "hidden (run as root)" : "cannot read it");
            munmap(cpu, len);
            return -1;
        }
        if (off == 0U) {
            pa0 = pa;
        } else if (pa != pa0 + off) {
            note(p, "dma_alloc: the %zu bytes are not physically contiguous (use buffers of at most 2 MiB)", len);
            munmap(cpu, len);
            return -1;
        }
    }
    if (align != 0U && (pa0 & (align - 1U)) != 0U) {
        note(p, "dma_alloc: physical address 0x%" PRIx64 " is not aligned to %zu", pa0, align);
        munmap(cpu, len);
        return -1;
    }
    b = calloc(1, sizeof(*b));
    if (b == NULL) {
        note(p, "dma_alloc: out of memory");
        munmap(cpu, len);
        return -1;
    }
    b->cpu = cpu;
    b->map_len = len;
    b->bus = pa0;
    buf_link(p, b, size, mem);
    return 0;
}

/* opts.test_dma: ordinary zeroed pages, bus address = CPU address. Only for
 * unit tests on a fake tree: no device can use these bus addresses. */
static int test_dma_alloc(struct ferry_linux *p, size_t size, struct ferry_dma_mem *mem)
{
    size_t len = (size_t)round_up(size, FERRY_LINUX_PAGE);
    struct lx_buf *b;
    void *cpu;

    if (len < size) {
        note(p, "dma_alloc: size %zu too large", size);
        return -1;
    }
    b = anon_buf(p, len, &cpu);
    if (b == NULL) {
        return -1;
    }
    b->cpu = cpu;
    b->map_len = len;
    b->bus = (uint64_t)(uintptr_t)cpu;
    buf_link(p, b, size, mem);
    return 0;
}

static int lx_dma_alloc(void *ctx, size_t size, size_t align, struct ferry_dma_mem *mem)
{
    struct ferry_linux *p = ctx;

    if (mem == NULL || size == 0U || (align != 0U && !is_pow2(align))) {
        note(p, "dma_alloc: bad argument");
        return -1;
    }
    memset(mem, 0, sizeof(*mem));
    if (p->kind == FERRY_LINUX_VFIO) {
        return vfio_dma_alloc(p, size, align, mem);
    }
    return p->test_dma ? test_dma_alloc(p, size, mem) : sysfs_dma_alloc(p, size, align, mem);
}

static void buf_release(struct ferry_linux *p, struct lx_buf *b)
{
    p->dma_bytes -= b->map_len;
    if (p->kind == FERRY_LINUX_VFIO) {
        vfio_dma_release(p, b);
    } else {
        munmap(b->cpu, b->map_len);
    }
    free(b);
}

static void lx_dma_free(void *ctx, struct ferry_dma_mem *mem)
{
    struct ferry_linux *p = ctx;

    if (mem == NULL || mem->handle == NULL) {
        return;
    }
    for (struct lx_buf **pp = &p->bufs; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == mem->handle) {
            struct lx_buf *b = *pp;
            *pp = b->next;
            buf_release(p, b);
            break;
        }
    }
    memset(mem, 0, sizeof(*mem));
}

/* ---- open / close ---- */

static struct ferry_linux *port_new(enum ferry_linux_kind kind, const char *bdf, const struct ferry_linux_opts *o)
{
    struct ferry_linux *p = calloc(1, sizeof(*p));

    if (p == NULL) {
        return NULL;
    }
    p->kind = kind;
    copy_str(p->bdf, sizeof(p->bdf), bdf);
    p->container_fd = -1;
    p->group_fd = -1;
    p->device_fd = -1;
    p->res_fd = -1;
    p->group = -1;
    p->irq_index = -1;
    p->irq_kind = "none";
    p->intx_masked = true; /* not known: the first INTx wait unmasks */
    for (unsigned i = 0; i < FERRY_MAX_CHANNELS; i++) {
        p->irq_fd[i] = -1;
    }
    if (!copy_str(p->sysfs_root, sizeof(p->sysfs_root),
                  o != NULL && o->sysfs_root != NULL ? o->sysfs_root : "/sys/bus/pci/devices") ||
        !copy_str(p->dev_root, sizeof(p->dev_root), o != NULL && o->dev_root != NULL ? o->dev_root : "/dev") ||
        !copy_str(p->pagemap, sizeof(p->pagemap), o != NULL && o->pagemap != NULL ? o->pagemap : "/proc/self/pagemap")) {
        free(p);
        return NULL;
    }
    p->no_irq = o != NULL && o->no_irq;
    p->test_dma = o != NULL && o->test_dma;
    p->stop_us = o != NULL && o->stop_us != 0U ? o->stop_us : FERRY_LINUX_STOP_US;
    p->plat.ctx = p;
    p->plat.reg_read = lx_reg_read;
    p->plat.reg_write = lx_reg_write;
    p->plat.dma_alloc = lx_dma_alloc;
    p->plat.dma_free = lx_dma_free;
    p->plat.wait_irq = NULL; /* set once interrupts are up */
    p->plat.now_us = lx_now_us;
    p->plat.delay_us = lx_delay_us;
    return p;
}

static void irq_off(struct ferry_linux *p)
{
    if (p->irq_index >= 0 && p->device_fd >= 0) {
        struct vfio_irq_set set;
        memset(&set, 0, sizeof(set));
        set.argsz = sizeof(set);
        set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
        set.index = (uint32_t)p->irq_index;
        set.start = 0;
        set.count = 0;
        (void)ioctl(p->device_fd, VFIO_DEVICE_SET_IRQS, &set);
    }
    for (unsigned i = 0; i < FERRY_MAX_CHANNELS; i++) {
        if (p->irq_fd[i] >= 0) {
            close(p->irq_fd[i]);
            p->irq_fd[i] = -1;
        }
    }
    p->nirq = 0;
    p->irq_index = -1;
    p->uio = false;
    p->irq_kind = "none";
    p->plat.wait_irq = NULL;
}

/* Clears bus mastering (keeps memory decoding) in the command register,
 * reached by pread/pwrite on fd at off. false on failure (errno set). */
static bool disable_master(int fd, uint64_t off)
{
    uint16_t cmd = 0;

    if (pread(fd, &cmd, sizeof(cmd), (off_t)(off + LX_PCI_COMMAND)) != (ssize_t)sizeof(cmd)) {
        return false;
    }
    cmd = htole16((uint16_t)(le16toh(cmd) & ~LX_PCI_COMMAND_MASTER));
    return pwrite(fd, &cmd, sizeof(cmd), (off_t)(off + LX_PCI_COMMAND)) == (ssize_t)sizeof(cmd);
}

/* Bus mastering off, so the card starts no new DMA: through the VFIO config
 * region (never run here, see bringup.md) or sysfs config. "" when done,
 * else why not, in why. */
static void master_off(struct ferry_linux *p, char *why, size_t len)
{
    char path[LX_PATH];
    int fd;

    why[0] = '\0';
    if (p->kind == FERRY_LINUX_VFIO) {
        if (!p->cfg_ready || !disable_master(p->device_fd, p->cfg_offset)) {
            path_fmt(why, len, "the VFIO config region: %s", p->cfg_ready ? strerror(errno) : "not reached");
        }
        return;
    }
    if (!path_fmt(path, sizeof(path), "%s/%s/config", p->sysfs_root, p->bdf)) {
        path_fmt(why, len, "config path too long");
        return;
    }
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 || !disable_master(fd, 0)) {
        path_fmt(why, len, "%s: %s", path, strerror(errno));
    }
    if (fd >= 0) {
        close(fd);
    }
}

/* Stops every channel before the DMA memory goes (ferry_stop_channels() on
 * a probe of this port's BAR0). FERRY_OK: all idle. Otherwise the status and
 * in msg which channels did not stop, or why nothing is known. */
static ferry_status stop_channels(struct ferry_linux *p, char *msg, size_t len)
{
    struct ferry_dev dev;
    uint32_t stuck = 0;
    ferry_status st = ferry_probe(&dev, &p->plat);
    size_t used;

    if (st != FERRY_OK) {
        return fail(msg, len, st,
                    "cannot stop the channels: BAR0 does not probe as a ferry (%s, ID 0x%08" PRIX32
                    ": link down, card reset or another bitstream?)",
                    ferry_status_str(st), dev.caps.id);
    }
    st = ferry_stop_channels(&dev, (uint32_t)((1ULL << dev.caps.channels) - 1U), p->stop_us, &stuck);
    if (st == FERRY_OK) {
        return FERRY_OK;
    }
    used = (size_t)snprintf(msg, len, "channel%s", (stuck & (stuck - 1U)) != 0U ? "s" : "");
    for (unsigned ch = 0; ch < dev.caps.channels && used < len; ch++) {
        if ((stuck & (1U << ch)) != 0U) {
            used += (size_t)snprintf(msg + used, len - used, " %u", ch);
        }
    }
    if (used < len) {
        snprintf(msg + used, len - used, " did not stop within %" PRIu64 " us (%s)", p->stop_us,
                 st == FERRY_E_IO ? "STATUS reads all ones: the card does not answer"
                                  : "still BUSY or RING_ACTIVE: a bus response that never comes keeps a channel "
                                    "STOPPING, docs/errors.md");
    }
    return st;
}

ferry_status ferry_linux_close(struct ferry_linux *p, char *err, size_t errlen)
{
    ferry_status st = FERRY_OK;
    bool keep = false;

    if (err != NULL && errlen > 0U) {
        err[0] = '\0';
    }
    if (p == NULL) {
        return FERRY_OK;
    }
    /* A handle without DMA memory leaves the channels alone: nothing of
     * ours to protect, and (sysfs) another process may own them. */
    if (p->bufs != NULL) {
        char msg[2U * LX_ERR], why[LX_ERR];
        st = stop_channels(p, msg, sizeof(msg));
        if (st != FERRY_OK) {
            /* The card may still write into the buffers: never hand them
             * back (the kernel would reuse the pages). All of them: which
             * buffers a channel reaches is not known here (a ring's
             * descriptors may point anywhere). */
            keep = true;
            master_off(p, why, sizeof(why));
            note(p, "%s: %s; its %" PRIu64 " bytes of DMA memory stay mapped (leaked until the process exits), %s%s",
                 p->bdf, msg, p->dma_bytes, why[0] == '\0' ? "bus mastering switched off" : "bus mastering still on: ",
                 why);
            if (err != NULL && errlen > 0U) {
                copy_str(err, errlen, p->last_err);
            } else {
                fprintf(stderr, "ferry_linux_close: %s\n", p->last_err);
            }
        }
    }
    while (p->bufs != NULL) {
        struct lx_buf *b = p->bufs;
        p->bufs = b->next;
        if (keep) {
            free(b); /* the bookkeeping only: the memory and its IOMMU mapping stay */
        } else {
            buf_release(p, b);
        }
    }
    irq_off(p);
    if (p->bar != NULL) {
        munmap((void *)(uintptr_t)p->bar, p->bar_map_len);
    }
    if (p->res_fd >= 0) {
        close(p->res_fd);
    }
    if (p->device_fd >= 0) {
        close(p->device_fd);
    }
    if (p->group_fd >= 0) {
        /* Dropping the group fd detaches it from the container. */
        close(p->group_fd);
    }
    if (p->container_fd >= 0) {
        close(p->container_fd);
    }
    if (p->iova_ready) {
        ferry_iova_fini(&p->iova);
    }
    free(p);
    return st;
}

const struct ferry_platform *ferry_linux_platform(struct ferry_linux *p)
{
    return p != NULL ? &p->plat : NULL;
}

void ferry_linux_get_info(const struct ferry_linux *p, struct ferry_linux_info *info)
{
    if (info == NULL) {
        return;
    }
    memset(info, 0, sizeof(*info));
    if (p == NULL) {
        info->iommu_group = -1;
        info->irq_kind = "none";
        return;
    }
    info->kind = p->kind;
    copy_str(info->bdf, sizeof(info->bdf), p->bdf);
    info->iommu_group = p->group;
    info->bar_size = p->bar_size;
    info->bar_mmapped = p->bar != NULL;
    info->irq_kind = p->irq_kind;
    info->irq_vectors = p->nirq;
    info->iova_base = p->iova_ready ? p->iova.base : 0U;
    info->iova_size = p->iova_ready ? p->iova.size : 0U;
    info->dma_bytes = p->dma_bytes;
}

const char *ferry_linux_last_error(const struct ferry_linux *p)
{
    return p != NULL ? p->last_err : "";
}

uint64_t ferry_linux_bad_access_count(const struct ferry_linux *p)
{
    return p != NULL ? p->bad_access : 0U;
}

/* The driver bound to the device, for messages ("none" if unbound). */
static void driver_name(const struct ferry_linux *p, char *out, size_t len)
{
    char path[LX_PATH], link[LX_PATH];
    ssize_t n;

    copy_str(out, len, "none");
    if (!path_fmt(path, sizeof(path), "%s/%s/driver", p->sysfs_root, p->bdf)) {
        return;
    }
    n = readlink(path, link, sizeof(link) - 1U);
    if (n > 0) {
        const char *base;
        link[n] = '\0';
        base = strrchr(link, '/');
        copy_str(out, len, base != NULL ? base + 1 : link);
    }
}

/* The device directory must exist. */
static ferry_status check_device(const struct ferry_linux *p, char *err, size_t errlen)
{
    char path[LX_PATH];
    struct stat sb;

    if (!path_fmt(path, sizeof(path), "%s/%s", p->sysfs_root, p->bdf)) {
        return fail(err, errlen, FERRY_E_INVAL, "path too long for device %s", p->bdf);
    }
    if (stat(path, &sb) != 0) {
        return fail(err, errlen, FERRY_E_NODEV, "no PCI device %s (%s: %s); list devices with lspci -D", p->bdf,
                    path, strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode)) {
        return fail(err, errlen, FERRY_E_NODEV, "no PCI device %s (%s is not a directory)", p->bdf, path);
    }
    return FERRY_OK;
}

/* Sets memory decoding and bus mastering in the command register, reached
 * by pread/pwrite on fd at off (config space start). */
static ferry_status enable_master(int fd, uint64_t off, const char *what, char *err, size_t errlen)
{
    uint16_t cmd = 0;

    if (pread(fd, &cmd, sizeof(cmd), (off_t)(off + LX_PCI_COMMAND)) != (ssize_t)sizeof(cmd)) {
        return fail(err, errlen, FERRY_E_NODEV, "cannot read the PCI command register through %s: %s", what,
                    strerror(errno));
    }
    cmd = htole16((uint16_t)(le16toh(cmd) | LX_PCI_COMMAND_MEMORY | LX_PCI_COMMAND_MASTER));
    if (pwrite(fd, &cmd, sizeof(cmd), (off_t)(off + LX_PCI_COMMAND)) != (ssize_t)sizeof(cmd)) {
        return fail(err, errlen, FERRY_E_NODEV, "cannot enable bus mastering through %s: %s", what, strerror(errno));
    }
    return FERRY_OK;
}

static void vfio_irq_setup(struct ferry_linux *p)
{
    static const struct {
        int index;
        const char *name;
    } order[] = {
        {VFIO_PCI_MSIX_IRQ_INDEX, "MSI-X"},
        {VFIO_PCI_MSI_IRQ_INDEX, "MSI"},
        {VFIO_PCI_INTX_IRQ_INDEX, "INTx"},
    };

    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        struct vfio_irq_info ii;
        struct vfio_irq_set *set;
        unsigned n;
        bool ok = true;

        memset(&ii, 0, sizeof(ii));
        ii.argsz = sizeof(ii);
        ii.index = (uint32_t)order[k].index;
        if (ioctl(p->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) != 0 || ii.count == 0U ||
            (ii.flags & VFIO_IRQ_INFO_EVENTFD) == 0U) {
            continue;
        }
        n = order[k].index == VFIO_PCI_INTX_IRQ_INDEX ? 1U
                                                      : (ii.count < FERRY_MAX_CHANNELS ? ii.count : FERRY_MAX_CHANNELS);
        set = calloc(1, sizeof(*set) + n * sizeof(int32_t));
        if (set == NULL) {
            return;
        }
        for (unsigned i = 0; i < n && ok; i++) {
            p->irq_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            ok = p->irq_fd[i] >= 0;
            if (ok) {
                int32_t fd = p->irq_fd[i];
                memcpy(set->data + i * sizeof(int32_t), &fd, sizeof(fd));
            }
        }
        set->argsz = (uint32_t)(sizeof(*set) + n * sizeof(int32_t));
        set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
        set->index = (uint32_t)order[k].index;
        set->start = 0;
        set->count = n;
        if (ok && ioctl(p->device_fd, VFIO_DEVICE_SET_IRQS, set) == 0) {
            free(set);
            p->nirq = n;
            p->irq_index = order[k].index;
            p->irq_kind = order[k].name;
            p->plat.wait_irq = lx_wait_irq;
            return;
        }
        free(set);
        note(p, "VFIO_DEVICE_SET_IRQS (%s, %u vectors): %s", order[k].name, n, strerror(errno));
        for (unsigned i = 0; i < n; i++) {
            if (p->irq_fd[i] >= 0) {
                close(p->irq_fd[i]);
                p->irq_fd[i] = -1;
            }
        }
    }
}

static ferry_status vfio_setup(struct ferry_linux *p, const struct ferry_linux_opts *o, char *err, size_t errlen)
{
    char path[LX_PATH], link[LX_PATH], drv[64];
    struct vfio_group_status gs;
    struct vfio_device_info di;
    struct vfio_region_info ri;
    int iommu_type, api;
    const char *base;
    char *end = NULL;
    ssize_t n;
    long g;
    ferry_status st = check_device(p, err, errlen);

    if (st != FERRY_OK) {
        return st;
    }
    driver_name(p, drv, sizeof(drv));
    /* IOMMU group */
    if (!path_fmt(path, sizeof(path), "%s/%s/iommu_group", p->sysfs_root, p->bdf)) {
        return fail(err, errlen, FERRY_E_INVAL, "path too long");
    }
    n = readlink(path, link, sizeof(link) - 1U);
    if (n <= 0) {
        return fail(err, errlen, FERRY_E_NODEV,
                    "%s has no IOMMU group (%s: %s): the IOMMU is off; boot with intel_iommu=on or amd_iommu=on "
                    "and check dmesg, or use --uio (unsafe)",
                    p->bdf, path, strerror(errno));
    }
    link[n] = '\0';
    base = strrchr(link, '/');
    base = base != NULL ? base + 1 : link;
    errno = 0;
    g = strtol(base, &end, 10);
    if (errno != 0 || end == base || *end != '\0' || g < 0 || g > INT_MAX) {
        return fail(err, errlen, FERRY_E_NODEV, "%s points to \"%s\", not an IOMMU group number", path, link);
    }
    p->group = (int)g;

    /* container */
    if (!path_fmt(path, sizeof(path), "%s/vfio/vfio", p->dev_root)) {
        return fail(err, errlen, FERRY_E_INVAL, "path too long");
    }
    p->container_fd = open(path, O_RDWR | O_CLOEXEC);
    if (p->container_fd < 0) {
        return fail(err, errlen, FERRY_E_NODEV, "cannot open the VFIO container %s: %s%s", path, strerror(errno),
                    errno == ENOENT ? " (modprobe vfio-pci)" : "");
    }
    api = ioctl(p->container_fd, VFIO_GET_API_VERSION);
    if (api < 0) {
        return fail(err, errlen, FERRY_E_NODEV, "%s is not a VFIO container (VFIO_GET_API_VERSION: %s)", path,
                    strerror(errno));
    }
    if (api != VFIO_API_VERSION) {
        return fail(err, errlen, FERRY_E_UNSUPPORTED, "%s: VFIO API version %d, this port needs %d", path, api,
                    VFIO_API_VERSION);
    }
    if (ioctl(p->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0) {
        iommu_type = VFIO_TYPE1v2_IOMMU;
    } else if (ioctl(p->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0) {
        iommu_type = VFIO_TYPE1_IOMMU;
    } else {
        return fail(err, errlen, FERRY_E_UNSUPPORTED, "%s: the kernel offers no VFIO type1 IOMMU", path);
    }

    /* group */
    if (!path_fmt(path, sizeof(path), "%s/vfio/%d", p->dev_root, p->group)) {
        return fail(err, errlen, FERRY_E_INVAL, "path too long");
    }
    p->group_fd = open(path, O_RDWR | O_CLOEXEC);
    if (p->group_fd < 0) {
        int e = errno;
        return fail(err, errlen, FERRY_E_NODEV, "cannot open VFIO group %s: %s%s (driver of %s: %s)", path,
                    strerror(e),
                    e == ENOENT ? "; bind the device to vfio-pci" : e == EBUSY ? "; another process holds it" : "",
                    p->bdf, drv);
    }
    memset(&gs, 0, sizeof(gs));
    gs.argsz = sizeof(gs);
    if (ioctl(p->group_fd, VFIO_GROUP_GET_STATUS, &gs) != 0) {
        return fail(err, errlen, FERRY_E_NODEV, "%s: VFIO_GROUP_GET_STATUS: %s", path, strerror(errno));
    }
    if ((gs.flags & VFIO_GROUP_FLAGS_VIABLE) == 0U) {
        return fail(err, errlen, FERRY_E_NODEV,
                    "IOMMU group %d is not viable: bind every device in /sys/kernel/iommu_groups/%d/devices "
                    "to vfio-pci (or leave it driverless)",
                    p->group, p->group);
    }
    if (ioctl(p->group_fd, VFIO_GROUP_SET_CONTAINER, &p->container_fd) != 0) {
        return fail(err, errlen, FERRY_E_NODEV, "VFIO_GROUP_SET_CONTAINER (group %d): %s", p->group, strerror(errno));
    }
    if (ioctl(p->container_fd, VFIO_SET_IOMMU, iommu_type) != 0) {
        return fail(err, errlen, FERRY_E_NODEV, "VFIO_SET_IOMMU type1: %s", strerror(errno));
    }

    /* device */
    p->device_fd = ioctl(p->group_fd, VFIO_GROUP_GET_DEVICE_FD, p->bdf);
    if (p->device_fd < 0) {
        return fail(err, errlen, FERRY_E_NODEV, "VFIO_GROUP_GET_DEVICE_FD %s: %s", p->bdf, strerror(errno));
    }
    memset(&di, 0, sizeof(di));
    di.argsz = sizeof(di);
    if (ioctl(p->device_fd, VFIO_DEVICE_GET_INFO, &di) != 0) {
        return fail(err, errlen, FERRY_E_NODEV, "VFIO_DEVICE_GET_INFO: %s", strerror(errno));
    }
    if ((di.flags & VFIO_DEVICE_FLAGS_PCI) == 0U || di.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
        return fail(err, errlen, FERRY_E_NODEV, "%s is not a VFIO PCI device", p->bdf);
    }

    /* BAR0 */
    memset(&ri, 0, sizeof(ri));
    ri.argsz = sizeof(ri);
    ri.index = VFIO_PCI_BAR0_REGION_INDEX;
    if (ioctl(p->device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri) != 0) {
        return fail(err, errlen, FERRY_E_NODEV, "VFIO_DEVICE_GET_REGION_INFO BAR0: %s", strerror(errno));
    }
    if (ri.size == 0U || (ri.flags & VFIO_REGION_INFO_FLAG_READ) == 0U || (ri.flags & VFIO_REGION_INFO_FLAG_WRITE) == 0U) {
        return fail(err, errlen, FERRY_E_NODEV, "BAR0 of %s is not implemented or not read/write (size %" PRIu64
                    "): check the bitstream's PCIe BAR settings", p->bdf, (uint64_t)ri.size);
    }
    p->bar_size = ri.size;
    p->bar_offset = ri.offset;
    if ((ri.flags & VFIO_REGION_INFO_FLAG_MMAP) != 0U && ri.size <= SIZE_MAX) {
        void *m = mmap(NULL, (size_t)ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, p->device_fd, (off_t)ri.offset);
        if (m != MAP_FAILED) {
            p->bar = m;
            p->bar_map_len = (size_t)ri.size;
        }
    }
    /* else: pread/pwrite on the region (slower, same semantics) */

    /* bus mastering through the config region */
    memset(&ri, 0, sizeof(ri));
    ri.argsz = sizeof(ri);
    ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
    if (ioctl(p->device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri) != 0) {
        return fail(err, errlen, FERRY_E_NODEV, "VFIO_DEVICE_GET_REGION_INFO config: %s", strerror(errno));
    }
    st = enable_master(p->device_fd, ri.offset, "the VFIO config region", err, errlen);
    if (st != FERRY_OK) {
        return st;
    }
    p->cfg_offset = ri.offset;
    p->cfg_ready = true;

    /* IOVA window */
    st = ferry_iova_init(&p->iova, o != NULL && o->iova_base != 0U ? o->iova_base : FERRY_LINUX_IOVA_BASE,
                         o != NULL && o->iova_size != 0U ? o->iova_size : FERRY_LINUX_IOVA_SIZE);
    if (st != FERRY_OK) {
        return fail(err, errlen, FERRY_E_INVAL, "bad IOVA window (base and size must be whole 4 KiB pages)");
    }
    p->iova_ready = true;

    if (!p->no_irq) {
        vfio_irq_setup(p);
    }
    return FERRY_OK;
}

ferry_status ferry_vfio_open(const char *bdf, const struct ferry_linux_opts *opts, struct ferry_linux **out,
                             char *err, size_t errlen)
{
    char canon[FERRY_LINUX_BDF_LEN];
    struct ferry_linux *p;
    ferry_status st;

    if (err != NULL && errlen > 0U) {
        err[0] = '\0';
    }
    if (out == NULL) {
        return fail(err, errlen, FERRY_E_INVAL, "no place for the handle (out is NULL)");
    }
    *out = NULL;
    if (ferry_linux_parse_bdf(bdf, canon) != FERRY_OK) {
        return fail(err, errlen, FERRY_E_INVAL, "bad PCI address \"%s\": want DDDD:BB:DD.F or BB:DD.F (hex), as lspci -D prints it",
                    bdf != NULL ? bdf : "(null)");
    }
    p = port_new(FERRY_LINUX_VFIO, canon, opts);
    if (p == NULL) {
        return fail(err, errlen, FERRY_E_NOMEM, "out of memory (or a root path too long)");
    }
    st = vfio_setup(p, opts, err, errlen);
    if (st != FERRY_OK) {
        (void)ferry_linux_close(p, NULL, 0); /* no DMA memory yet: nothing to stop */
        return st;
    }
    *out = p;
    return FERRY_OK;
}

/* uio_pci_generic: .../uio/uioN names /dev/uioN. */
static void uio_setup(struct ferry_linux *p)
{
    char path[LX_PATH];
    struct dirent *de;
    DIR *d;

    if (!path_fmt(path, sizeof(path), "%s/%s/uio", p->sysfs_root, p->bdf)) {
        return;
    }
    d = opendir(path);
    if (d == NULL) {
        return;
    }
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "uio", 3) == 0 && de->d_name[3] >= '0' && de->d_name[3] <= '9') {
            if (path_fmt(path, sizeof(path), "%s/%s", p->dev_root, de->d_name)) {
                p->irq_fd[0] = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
            }
            break;
        }
    }
    closedir(d);
    if (p->irq_fd[0] >= 0) {
        p->nirq = 1;
        p->uio = true;
        p->irq_kind = "UIO INTx";
        p->plat.wait_irq = lx_wait_irq;
    }
}

static ferry_status sysfs_setup(struct ferry_linux *p, char *err, size_t errlen)
{
    char path[LX_PATH];
    struct stat sb;
    void *m;
    int fd;
    ferry_status st = check_device(p, err, errlen);

    if (st != FERRY_OK) {
        return st;
    }
    /* enable (memory decoding); absent in some trees, harmless if already on */
    if (!path_fmt(path, sizeof(path), "%s/%s/enable", p->sysfs_root, p->bdf)) {
        return fail(err, errlen, FERRY_E_INVAL, "path too long");
    }
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t w = write(fd, "1", 1);
        int e = errno;
        close(fd);
        if (w != 1) {
            return fail(err, errlen, FERRY_E_NODEV, "cannot enable %s (%s: %s)", p->bdf, path, strerror(e));
        }
    } else if (errno != ENOENT) {
        return fail(err, errlen, FERRY_E_NODEV, "cannot enable %s (%s: %s; run as root)", p->bdf, path,
                    strerror(errno));
    }
    /* bus mastering */
    if (!path_fmt(path, sizeof(path), "%s/%s/config", p->sysfs_root, p->bdf)) {
        return fail(err, errlen, FERRY_E_INVAL, "path too long");
    }
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return fail(err, errlen, FERRY_E_NODEV, "cannot open config space %s: %s", path, strerror(errno));
    }
    st = enable_master(fd, 0, path, err, errlen);
    close(fd);
    if (st != FERRY_OK) {
        return st;
    }
    /* BAR0 */
    if (!path_fmt(path, sizeof(path), "%s/%s/resource0", p->sysfs_root, p->bdf)) {
        return fail(err, errlen, FERRY_E_INVAL, "path too long");
    }
    p->res_fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
    if (p->res_fd < 0) {
        return fail(err, errlen, FERRY_E_NODEV, "cannot open BAR0 %s: %s%s", path, strerror(errno),
                    errno == ENOENT ? " (the device has no memory BAR0: check the bitstream's BAR settings)" : "");
    }
    if (fstat(p->res_fd, &sb) != 0 || sb.st_size < 4) {
        return fail(err, errlen, FERRY_E_NODEV, "BAR0 %s is empty (size %lld)", path, (long long)sb.st_size);
    }
    p->bar_size = (uint64_t)sb.st_size;
    m = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, p->res_fd, 0);
    if (m == MAP_FAILED) {
        return fail(err, errlen, FERRY_E_NODEV, "cannot mmap BAR0 %s: %s", path, strerror(errno));
    }
    p->bar = m;
    p->bar_map_len = (size_t)sb.st_size;
    if (!p->no_irq) {
        uio_setup(p);
    }
    return FERRY_OK;
}

ferry_status ferry_sysfs_open(const char *bdf, const struct ferry_linux_opts *opts, struct ferry_linux **out,
                              char *err, size_t errlen)
{
    char canon[FERRY_LINUX_BDF_LEN];
    struct ferry_linux *p;
    ferry_status st;

    if (err != NULL && errlen > 0U) {
        err[0] = '\0';
    }
    if (out == NULL) {
        return fail(err, errlen, FERRY_E_INVAL, "no place for the handle (out is NULL)");
    }
    *out = NULL;
    if (ferry_linux_parse_bdf(bdf, canon) != FERRY_OK) {
        return fail(err, errlen, FERRY_E_INVAL, "bad PCI address \"%s\": want DDDD:BB:DD.F or BB:DD.F (hex), as lspci -D prints it",
                    bdf != NULL ? bdf : "(null)");
    }
    p = port_new(FERRY_LINUX_SYSFS, canon, opts);
    if (p == NULL) {
        return fail(err, errlen, FERRY_E_NOMEM, "out of memory (or a root path too long)");
    }
    st = sysfs_setup(p, err, errlen);
    if (st != FERRY_OK) {
        (void)ferry_linux_close(p, NULL, 0); /* no DMA memory yet: nothing to stop */
        return st;
    }
    *out = p;
    return FERRY_OK;
}
