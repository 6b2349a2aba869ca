/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_platform.h: everything the ferry driver core needs from the system.
 *
 * The core (sw/lib/ferry.c) reaches the device, DMA memory, interrupts and
 * time only through a struct ferry_platform. A port fills one in:
 * sw/port/sim (the Verilator test bench) and, later, Linux VFIO/UIO ports.
 * This header includes only standard C headers; the core never includes an OS
 * or Verilator header.
 *
 * Every callback gets the port's ctx as its first argument. Callbacks marked
 * "optional" may be NULL; the core then falls back as described.
 */
#ifndef FERRY_PLATFORM_H
#define FERRY_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One DMA-able buffer: the CPU sees it at cpu, the device at bus. */
struct ferry_dma_mem {
    void *cpu;      /* CPU pointer to the first byte */
    uint64_t bus;   /* bus (device) address of the first byte */
    size_t size;    /* usable bytes (the port may have reserved more) */
    void *handle;   /* port-private; do not touch */
};

/* wait_irq results */
#define FERRY_PLAT_IRQ_TIMEOUT 0 /* budget passed, no line of the mask asserted */
#define FERRY_PLAT_IRQ_FIRED 1   /* at least one line of the mask is asserted */

struct ferry_platform {
    void *ctx; /* handed back to every callback */

    /* 32-bit register read / write at byte offset off (4-aligned) of BAR0.
     * Required. A bus error is the port's business (it may record it); the
     * read value is then whatever the bus returned. */
    uint32_t (*reg_read)(void *ctx, uint32_t off);
    void (*reg_write)(void *ctx, uint32_t off, uint32_t val);

    /* Allocates size bytes of zeroed, device-visible (coherent) memory whose
     * bus address is a multiple of align (a power of two; 0 means the port's
     * natural alignment, at least 4096). Returns 0 and fills *mem, or
     * nonzero (no memory). Optional: NULL means ferry_dma_alloc() fails. */
    int (*dma_alloc)(void *ctx, size_t size, size_t align, struct ferry_dma_mem *mem);
    /* Frees a buffer from dma_alloc; mem->cpu is NULL afterwards. Optional. */
    void (*dma_free)(void *ctx, struct ferry_dma_mem *mem);

    /* Waits until at least one interrupt line in ch_mask (bit c = channel c)
     * is asserted, or timeout_us microseconds passed. Returns
     * FERRY_PLAT_IRQ_FIRED or FERRY_PLAT_IRQ_TIMEOUT (negative: port error,
     * treated like a timeout). Lines are level: an asserted line returns at
     * once. Optional: NULL makes the core poll STATUS instead. */
    int (*wait_irq)(void *ctx, uint32_t ch_mask, uint64_t timeout_us);

    /* Monotonic time in microseconds (any origin). Optional: NULL makes poll
     * budgets count delay_us() calls instead. */
    uint64_t (*now_us)(void *ctx);
    /* Lets at least us microseconds pass. Optional: NULL means a busy poll
     * (each loop still counts as 1 us when now_us is NULL too). */
    void (*delay_us)(void *ctx, uint64_t us);
};

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PLATFORM_H */
