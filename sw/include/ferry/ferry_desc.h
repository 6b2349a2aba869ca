/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_desc.h: ring-mode descriptors, completion records and the reference
 * model of what a descriptor does to memory (docs/descriptors.md).
 *
 * Descriptors and records are encoded and decoded with explicit
 * little-endian byte stores and loads, never by casting structs onto DMA
 * memory. The reference model is shared by the test bench's scoreboard and
 * by the hardware self-test (ferryctl selftest), so a card is checked the
 * same way as the simulation.
 */
#ifndef FERRY_DESC_H
#define FERRY_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FERRY_DESC_SIZE 32U /* bytes per descriptor */
#define FERRY_CPL_SIZE 16U  /* bytes per completion record */

/* Descriptor flags (byte 0x13) */
#define FERRY_DESC_IRQ 0x01U       /* completion counts for interrupt coalescing */
#define FERRY_DESC_SRC_FIXED 0x02U /* source is a FIFO at one beat-aligned address */
#define FERRY_DESC_DST_FIXED 0x04U /* destination is a FIFO at one beat-aligned address */
#define FERRY_DESC_TWO_D 0x08U     /* ROWS rows of LEN bytes with strides */
#define FERRY_DESC_EOP 0x10U       /* end of packet (stream channels) */
#define FERRY_DESC_FENCE 0x20U     /* start only after every earlier descriptor has completed */
#define FERRY_DESC_FLAGS_RESERVED 0xC0U

#define FERRY_DESC_LEN_MAX 0xFFFFFFU /* LEN is 24 bits */

struct ferry_desc {
    uint64_t src;
    uint64_t dst;
    uint32_t len;        /* 1..FERRY_DESC_LEN_MAX (per row when TWO_D) */
    uint8_t flags;       /* FERRY_DESC_* */
    uint16_t tag;        /* echoed in the completion record */
    uint16_t rows;       /* TWO_D: 1..65535, else 0 */
    uint32_t src_stride; /* TWO_D only */
    uint32_t dst_stride; /* TWO_D only */
};

/* Completion record (docs/descriptors.md), 16 bytes, little-endian words:
 * w0 = {PHASE[31], reserved[30:26], EOP[25], SOP[24], STATUS[23:16], INDEX[15:0]},
 * w1 = BYTES, w2 = {FAULT_ADDR[47:32] in [31:16], USER_TAG[15:0]},
 * w3 = FAULT_ADDR[31:0]. SOP/EOP are set only by card-to-host stream
 * channels (docs/streams.md), whose records of STATUS 0 or TRUNCATED carry
 * {16'd0, TID[7:0], TUSER[7:0]} in w3 instead of a fault address (decode
 * leaves that in fault_addr; ferry_rx_reap() splits it).
 * ferry_cpl_encode/decode cover the record fields; residue and halted are
 * filled by ferry_ring_reap() (ferry.h) and are 0/false after decode. */
#define FERRY_CPL_SOP_BIT 24U /* w0 bit: the buffer holds a packet's first byte */
#define FERRY_CPL_EOP_BIT 25U /* w0 bit: the buffer holds a packet's last byte */
#define FERRY_CPL_FAULT_ADDR_BITS 48U
#define FERRY_CPL_FAULT_ADDR_MASK ((1ULL << FERRY_CPL_FAULT_ADDR_BITS) - 1U)

struct ferry_cpl {
    uint16_t index;      /* descriptor index in the ring */
    uint8_t status;      /* FERRY_ERR_*: 0 = fine */
    bool phase;          /* 1 on the first pass over the ring, then alternating */
    uint32_t bytes;      /* success: LEN x ROWS (mod 2^32); error: bytes written and
                          * acknowledged before the fault, counted from the start */
    uint16_t tag;
    uint64_t fault_addr; /* error: the fault address (burst start, descriptor, record, or
                          * the rejected range's start); 0 without error. The record holds
                          * bits 47:0; ferry_ring_reap() gives all 64 bits (from ERR_ADDR)
                          * for the descriptor the ring halted at */
    uint64_t residue;    /* reap only: the descriptor's LEN x ROWS minus bytes */
    bool halted;         /* reap only: the ring is halted at this descriptor (see
                          * ferry_ring_reap(): not consumed, reported again) */
    bool sop;            /* card-to-host streams: the buffer holds the packet's first byte */
    bool eop;            /* card-to-host streams: the buffer holds the packet's last byte */
};

/* Writes the 32 descriptor bytes (little-endian) to out. Fields are stored as
 * given, even illegal ones (tests use that to make bad descriptors), except a
 * len above FERRY_DESC_LEN_MAX, which the 24-bit field cannot hold: it is
 * stored as LEN 0 (the device refuses it with LEN_ZERO rather than copying
 * fewer bytes) and the call returns false. Returns true otherwise. */
bool ferry_desc_encode(uint8_t out[FERRY_DESC_SIZE], const struct ferry_desc *d);
void ferry_desc_decode(struct ferry_desc *d, const uint8_t in[FERRY_DESC_SIZE]);
void ferry_cpl_encode(uint8_t out[FERRY_CPL_SIZE], const struct ferry_cpl *c);
void ferry_cpl_decode(struct ferry_cpl *c, const uint8_t in[FERRY_CPL_SIZE]);

/* The error code (FERRY_ERR_*) the device gives this descriptor before any
 * bus traffic, or FERRY_ERR_NONE when it will run: reserved bits, zero
 * length or rows (a len above FERRY_DESC_LEN_MAX is LEN 0 once encoded), a
 * misaligned fixed address, any byte at or above 2^addr_width. data_bytes is
 * the bus width in bytes (CAP0.DATA_BYTES). */
uint32_t ferry_ref_check(const struct ferry_desc *d, unsigned data_bytes, unsigned addr_width);

/* Byte-level memory the reference model works on. */
struct ferry_ref_mem {
    void *ctx;
    void (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
    void (*write)(void *ctx, uint64_t addr, const void *buf, size_t len);
};

/* Applies a descriptor that ferry_ref_check() accepts to mem exactly as the
 * device does (rows in order; fixed sides wrap within one beat). Returns the
 * bytes moved (as in the completion record). Does nothing and returns 0 for
 * a descriptor ferry_ref_check() rejects. */
uint32_t ferry_ref_apply(const struct ferry_desc *d, unsigned data_bytes, unsigned addr_width,
                         const struct ferry_ref_mem *mem);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_DESC_H */
