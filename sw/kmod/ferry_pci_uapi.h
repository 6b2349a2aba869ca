/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * ferry_pci_uapi.h: what userspace shares with sw/kmod/ferry_pci.c.
 *
 * /dev/ferryN (misc device, one per card):
 *   mmap(0, FERRY_PCI_BUF_SIZE)  the card's coherent DMA buffer
 *   FERRY_PCI_IOC_INFO           capabilities and the buffer's bus address
 *   FERRY_PCI_IOC_COPY           one direct-mode copy inside the buffer,
 *                                waiting on the channel's interrupt
 */
#ifndef FERRY_PCI_UAPI_H
#define FERRY_PCI_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define FERRY_PCI_BUF_SIZE (4U << 20) /* 4 MiB of dma_alloc_coherent memory */

struct ferry_pci_info {
	__u32 id;          /* ID register: 0x46525259 "FRRY" */
	__u32 if_version;  /* IF_VERSION */
	__u32 cap0, cap1;  /* CAP0, CAP1 */
	__u32 channels;    /* CAP0.CHANNELS */
	__u32 irq_vectors; /* vectors allocated (MSI-X, MSI or 1 INTx) */
	__u64 buf_bus;     /* bus address of the DMA buffer */
	__u64 buf_size;    /* FERRY_PCI_BUF_SIZE */
};

struct ferry_pci_copy {
	__u32 ch;          /* channel */
	__u32 len;         /* bytes, 1..buf_size */
	__u64 src_off;     /* offsets into the DMA buffer */
	__u64 dst_off;
	__u32 timeout_ms;  /* 0 means 1000 */
	__u32 status;      /* out: STATUS as the interrupt found it */
};

#define FERRY_PCI_IOC_MAGIC 'f'
#define FERRY_PCI_IOC_INFO _IOR(FERRY_PCI_IOC_MAGIC, 1, struct ferry_pci_info)
#define FERRY_PCI_IOC_COPY _IOWR(FERRY_PCI_IOC_MAGIC, 2, struct ferry_pci_copy)

#endif /* FERRY_PCI_UAPI_H */
