/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_port_vfio.h: ferry platform port for Linux userspace on a real card.
 *
 * Two ways to reach the card, one handle type (struct ferry_linux):
 *
 * ferry_vfio_open(): the safe way. The card is bound to vfio-pci and sits
 *   behind an IOMMU, which confines its DMA to the buffers this port mapped.
 *   - /sys/bus/pci/devices/<BDF>/iommu_group names the group; /dev/vfio/vfio
 *     is the container, /dev/vfio/<group> the group (it must be viable: every
 *     device of the group bound to vfio-pci). VFIO_SET_IOMMU type1 (v2 when
 *     the kernel has it), VFIO_GROUP_GET_DEVICE_FD(BDF).
 *   - BAR0: VFIO_DEVICE_GET_REGION_INFO, mmap of the device fd at the region
 *     offset (pread/pwrite on the region when it cannot be mmapped).
 *     Bus mastering and memory decoding are switched on in the command
 *     register through the config region.
 *   - DMA memory: anonymous mmap (zeroed), VFIO_IOMMU_MAP_DMA at an IOVA from
 *     a first-fit allocator over the window [iova_base, iova_base+iova_size)
 *     (default FERRY_LINUX_IOVA_BASE, FERRY_LINUX_IOVA_SIZE: below 4 GiB for
 *     32-bit-address builds, clear of the x86 MSI window at 0xFEE00000).
 *     The IOVA is the bus address the engine gets.
 *   - Interrupts: VFIO_DEVICE_SET_IRQS on MSI-X, else MSI (one eventfd per
 *     vector, up to FERRY_MAX_CHANNELS), else INTx (one eventfd). wait_irq
 *     reads IRQ_STATUS first (lines are level), then ppoll()s every eventfd
 *     with the remaining budget, and confirms with IRQ_STATUS again, so a
 *     vector shared by channels or a stale count never reports a line that
 *     is low. INTx (level, maybe shared; the kernel masks it each time it
 *     signals): a wait unmasks it once before it sleeps, after the caller
 *     handled and cleared ferry's status. A signal with IRQ_STATUS 0 was not
 *     ferry's (another device on a shared line, or stale): the wait just
 *     unmasks and sleeps again (the second such signal and later ones wait
 *     1 ms first). While only lines outside the awaited mask are high
 *     (ferry's own, not cleared) an unmask would fire at once, so the wait
 *     leaves INTx masked and reads IRQ_STATUS every 1 ms instead. Never a
 *     busy loop. The VFIO unmask ioctl is compiled, never run here; the same
 *     loop is tested through a fake uio (test_port_linux).
 *     No interrupt at all: wait_irq is NULL and the core polls STATUS.
 *
 * ferry_sysfs_open(): the UNSAFE fallback for machines without an IOMMU.
 *   The card can write anywhere in physical memory; a wrong address from a
 *   bug corrupts the kernel. Use on a lab machine only.
 *   - BAR0: mmap of /sys/bus/pci/devices/<BDF>/resource0 (its size is the
 *     BAR size); "1" written to .../enable; bus mastering set through .../config.
 *   - DMA memory: huge pages (MAP_HUGETLB, 2 MiB, see
 *     /proc/sys/vm/nr_hugepages), locked, physical addresses from
 *     /proc/self/pagemap (root only); a buffer is one run of physically
 *     contiguous huge pages, else FERRY_E_NOMEM.
 *   - Interrupts: when the device is bound to uio_pci_generic
 *     (.../uio/uioN exists), INTx through /dev/uioN (write 1 to unmask, then
 *     poll), handled as VFIO INTx above; otherwise wait_irq is NULL.
 *
 * Closing (ferry_linux_close): a handle that holds DMA memory first stops
 * every channel that runs or has a ring (ferry_stop_channels(): RING_CTRL =
 * 0, CTRL.ABORT, then at most opts.stop_us for all to go idle), and only
 * then unmaps and frees the memory. If a channel does not stop (a bus
 * response that never comes) or the card does not answer, all the memory
 * is deliberately kept (leaked, mapped, until the process exits: which
 * buffers a channel reaches is not known, a ring's descriptors may point
 * anywhere), bus mastering is switched off, and close returns the error
 * naming the channels. VFIO: the IOMMU mapping stays until the container
 * closes a moment later, and vfio-pci clears bus mastering itself when the
 * device file closes (the VFIO side is compiled, never run here). sysfs:
 * nothing guards the pages once the process exits; reset the card
 * (docs/bringup.md). A handle without DMA memory (ferryctl info, regs,
 * abort, reset) leaves the channels alone: under sysfs another process may
 * own them.
 *
 * Both: registers are 32-bit volatile loads and stores; a full fence before
 * every register write makes earlier stores to DMA memory visible before a
 * doorbell, and one after every register read keeps later buffer reads after
 * it. now_us is CLOCK_MONOTONIC, delay_us nanosleep.
 *
 * Errors: every open returns a ferry_status and, when err is not NULL, a
 * message naming the file and the cause. FERRY_E_INVAL: bad argument (a BDF
 * that is not [DDDD:]BB:DD.F); FERRY_E_NODEV: the device, its IOMMU group,
 * the VFIO files or BAR0 are missing or refuse us (permissions included);
 * FERRY_E_UNSUPPORTED: the kernel lacks what is needed (VFIO API version,
 * type1 IOMMU); FERRY_E_NOMEM: out of memory.
 *
 * Not thread safe: one thread per handle.
 */
#ifndef FERRY_PORT_VFIO_H
#define FERRY_PORT_VFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferry/ferry.h"
#include "ferry/ferry_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FERRY_LINUX_IOVA_BASE UINT64_C(0x40000000) /* 1 GiB */
#define FERRY_LINUX_IOVA_SIZE UINT64_C(0x80000000) /* 2 GiB: window ends at 3 GiB */
#define FERRY_LINUX_PAGE 4096U
#define FERRY_LINUX_HUGEPAGE (2U * 1024U * 1024U)
#define FERRY_LINUX_BDF_LEN 20U /* canonical "dddd:bb:dd.f" (domain up to 8 digits) plus the NUL */
#define FERRY_LINUX_STOP_US 1000000U /* close: default budget for the channels to stop (1 s) */

/* Where the port looks for its files. Tests point these at a fake tree;
 * NULL or zero fields take the defaults. */
struct ferry_linux_opts {
    const char *sysfs_root;   /* default "/sys/bus/pci/devices" */
    const char *dev_root;     /* default "/dev" (vfio/vfio, vfio/<group>, uioN) */
    const char *pagemap;      /* default "/proc/self/pagemap" */
    uint64_t iova_base;       /* default FERRY_LINUX_IOVA_BASE (must be page aligned) */
    uint64_t iova_size;       /* default FERRY_LINUX_IOVA_SIZE */
    bool no_irq;              /* do not set up interrupts (wait_irq NULL) */
    uint64_t stop_us;         /* close: budget for the channels to stop (default FERRY_LINUX_STOP_US) */
    bool test_dma;            /* sysfs, unit tests on a fake tree ONLY: DMA memory from ordinary pages
                               * with bus address = CPU address, which no card can use */
};

enum ferry_linux_kind { FERRY_LINUX_VFIO = 0, FERRY_LINUX_SYSFS = 1 };

struct ferry_linux;

/* Parses "DDDD:BB:DD.F" or "BB:DD.F" as lspci -D prints it (hexadecimal;
 * domain 1..8 digits, 0 when absent; bus 1..2 digits; device 1..2 digits,
 * <= 0x1f; function 1 digit, <= 7) into the canonical lower-case
 * "%04x:%02x:%02x.%x" in out[FERRY_LINUX_BDF_LEN]. FERRY_E_INVAL otherwise
 * (out is then ""). */
FERRY_MUST_CHECK ferry_status ferry_linux_parse_bdf(const char *s, char out[FERRY_LINUX_BDF_LEN]);

/* Opens the card at bdf through VFIO. *out is NULL on failure. err (may be
 * NULL) receives a message naming the problem; opts may be NULL. */
FERRY_MUST_CHECK ferry_status ferry_vfio_open(const char *bdf, const struct ferry_linux_opts *opts,
                                              struct ferry_linux **out, char *err, size_t errlen);
/* Opens the card at bdf through sysfs resource0 (UNSAFE without an IOMMU,
 * see above). Same conventions as ferry_vfio_open. */
FERRY_MUST_CHECK ferry_status ferry_sysfs_open(const char *bdf, const struct ferry_linux_opts *opts,
                                               struct ferry_linux **out, char *err, size_t errlen);
/* Stops the channels if the handle holds DMA memory (see "Closing" above),
 * frees every DMA buffer still allocated, switches interrupts off, unmaps
 * BAR0, closes every file, frees the handle. FERRY_OK, or the status of the
 * stop (FERRY_E_TIMEOUT: a channel did not stop; FERRY_E_IO: the card does
 * not answer; FERRY_E_NODEV / FERRY_E_VERSION: BAR0 is no ferry) with the
 * DMA memory kept and err (may be NULL: then the message goes to stderr)
 * naming the channels, the bytes kept and whether bus mastering went off.
 * NULL is fine (FERRY_OK). */
ferry_status ferry_linux_close(struct ferry_linux *port, char *err, size_t errlen);

/* The platform to hand to ferry_probe(); valid while port lives. */
const struct ferry_platform *ferry_linux_platform(struct ferry_linux *port);

/* What was opened, for tools. */
struct ferry_linux_info {
    enum ferry_linux_kind kind;
    char bdf[FERRY_LINUX_BDF_LEN];
    int iommu_group;          /* -1 for sysfs */
    uint64_t bar_size;        /* bytes of BAR0 */
    bool bar_mmapped;         /* false: register access by pread/pwrite (VFIO) */
    const char *irq_kind;     /* "MSI-X", "MSI", "INTx", "UIO INTx" or "none" */
    unsigned irq_vectors;     /* eventfds / uio fds in use */
    uint64_t iova_base, iova_size; /* VFIO IOVA window; 0 for sysfs */
    uint64_t dma_bytes;       /* bytes of DMA memory currently allocated */
};
void ferry_linux_get_info(const struct ferry_linux *port, struct ferry_linux_info *info);
/* Why the last failed port call (dma_alloc, wait_irq) failed; "" if none. */
const char *ferry_linux_last_error(const struct ferry_linux *port);
/* Register accesses refused because they fell outside BAR0 or failed (read as all-ones). */
uint64_t ferry_linux_bad_access_count(const struct ferry_linux *port);

/* ---- IOVA allocator (used by the VFIO port, exposed for tests) ----
 * First fit over [base, base + size). Every allocation is a whole number of
 * pages and aligned to max(align, FERRY_LINUX_PAGE); ranges never overlap;
 * a freed range is reused. */
struct ferry_iova_range {
    uint64_t start, len;
};
struct ferry_iova {
    uint64_t base, size;
    struct ferry_iova_range *r; /* sorted by start */
    size_t n, cap;
};
/* FERRY_E_INVAL: base not page aligned, size 0 or not whole pages, or the
 * window wraps 2^64. */
FERRY_MUST_CHECK ferry_status ferry_iova_init(struct ferry_iova *a, uint64_t base, uint64_t size);
void ferry_iova_fini(struct ferry_iova *a);
/* FERRY_E_INVAL: size 0, align not a power of two (0 means one page);
 * FERRY_E_NOMEM: no free range that large and aligned (or no host memory). */
FERRY_MUST_CHECK ferry_status ferry_iova_alloc(struct ferry_iova *a, uint64_t size, uint64_t align, uint64_t *iova);
/* FERRY_E_INVAL: iova is not the start of an allocated range. */
FERRY_MUST_CHECK ferry_status ferry_iova_free(struct ferry_iova *a, uint64_t iova);
/* Bytes currently allocated. */
uint64_t ferry_iova_used(const struct ferry_iova *a);

/* ---- helpers exposed for tests ---- */

/* Physical address of the virtual address va from a pagemap file (format of
 * /proc/self/pagemap: one little-endian 64-bit entry per 4 KiB page, bit 63
 * present, bits 54:0 the page frame number). FERRY_E_NODEV: the file cannot
 * be read; FERRY_E_NOMEM: page not present or its PFN hidden (not root). */
FERRY_MUST_CHECK ferry_status ferry_linux_pagemap_phys(const char *pagemap, uint64_t va, uint64_t *pa);

/* The ppoll timeout for a budget of us microseconds (saturating). */
void ferry_linux_us_to_timespec(uint64_t us, long long *sec, long *nsec);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PORT_VFIO_H */
