/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pcie_link.h: a PCIe link model between the DUT's m_axi and the memory
 * model (tb/axi_mem.h), for the bench's "what would this run at on a Gen3 x8
 * slot" figures. It stands for an AXI-to-PCIe bridge plus the link; the
 * memory model behind it stands for host memory (its latency knobs are the
 * round trip).
 *
 * What it models, per direction of the full-duplex link:
 *   - link rate: lanes x GT/s x encoding (8b/10b for Gen1/2, 128b/130b for
 *     Gen3+) / 8, less a DLLP share (ACK/NAK, flow-control updates), in bytes
 *     per DUT clock at cfg.clk_mhz;
 *   - per-TLP overhead: framing (Gen1/2: STP 1 + sequence 2 + LCRC 4 + END 1;
 *     Gen3+: STP token 4 + LCRC 4; 8 bytes either way) plus the header, 3 DW,
 *     or 4 DW for MRd/MWr above 4 GiB when cfg.addr64_hdr;
 *   - writes (TX): MWr TLPs, a new one at each AW burst and at every
 *     MPS-aligned address; payload in whole DWs (first to last strobed DW of
 *     each beat);
 *   - reads: each AR burst becomes MRd requests (TX, header only) split at
 *     MRRS-aligned addresses; each MRd takes a tag until its last completion
 *     has passed, at most cfg.tags at once (an AR waits until its tags are
 *     free); completions (RX) split at RCB-aligned addresses, each at most
 *     cfg.cpl_max bytes (0: MPS).
 * Timing: a deficit token bucket per direction (credit grows by the rate each
 * cycle, up to one cycle's worth; a beat or request may pass while credit >=
 * 0 and is charged its bytes and any TLP overhead it starts). The AR path has
 * a 2-entry buffer (one cycle of latency); W beats wait for their AW. Once a
 * valid is offered it stays until its handshake, so both sides see a legal
 * AXI4 slave / master.
 *
 * Use: each cycle, after axi_mem_drive(), pcie_link_drive() turns the
 * memory's outputs into what the DUT sees; after the DUT settles,
 * pcie_link_update() turns the DUT's outputs into what the memory sees and
 * does the bookkeeping; then axi_mem_update() with that.
 */
#ifndef FERRY_PCIE_LINK_H
#define FERRY_PCIE_LINK_H

#include <stdint.h>

#include "axi_mem.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PCIE_FRAMING_BYTES 8U /* per TLP besides the header, every generation */
#define PCIE_DW 4U

typedef struct pcie_link_cfg {
    unsigned gen;      /* 1..5: 2.5, 5, 8, 16, 32 GT/s */
    unsigned lanes;    /* 1, 2, 4, 8, 16 */
    double clk_mhz;    /* DUT clock, for bytes per clock */
    unsigned mps;      /* Max Payload Size: 128..4096, power of two */
    unsigned mrrs;     /* Max Read Request Size: 128..4096, power of two */
    unsigned rcb;      /* read completion boundary: 64 or 128 */
    unsigned cpl_max;  /* largest completion payload the completer sends, a multiple of rcb, <= mps; 0: mps */
    unsigned tags;     /* MRd requests outstanding at once, 1..1024 */
    double dllp_pct;   /* percent of link bytes taken by DLLPs, 0..50 */
    int addr64_hdr;    /* 1: MRd/MWr to addresses >= 4 GiB carry a 4 DW header */
} pcie_link_cfg_t;

typedef struct pcie_link_stats {
    uint64_t mwr_tlps, mrd_tlps, cpl_tlps;
    uint64_t tx_payload, rx_payload; /* bytes in whole DWs */
    uint64_t tx_bytes, rx_bytes;     /* link bytes: payload + headers + framing (DLLPs not included) */
    unsigned max_tags_used;
} pcie_link_stats_t;

typedef struct pcie_link pcie_link_t;

/* Gen3 x8 at 250 MHz, MPS 256, MRRS 512, RCB 64, completions up to MPS, 64
 * tags, no DLLP share, 4 DW headers above 4 GiB. */
void pcie_link_cfg_default(pcie_link_cfg_t *cfg);
/* NULL if cfg is valid, else what is wrong with it, in words. */
const char *pcie_link_cfg_check(const pcie_link_cfg_t *cfg);

/* ---- TLP arithmetic (pure) ---- */
/* Usable bytes per second of one lane after line encoding; 0 for a bad gen. */
double pcie_lane_bytes_per_s(unsigned gen);
/* Link bytes per second after encoding and the DLLP share. */
double pcie_link_bytes_per_s(const pcie_link_cfg_t *cfg);
/* Same, per DUT clock. */
double pcie_link_bytes_per_clk(const pcie_link_cfg_t *cfg);
/* Header + framing bytes of one TLP with a hdr_dw-DW header. */
unsigned pcie_tlp_overhead(unsigned hdr_dw);
/* TLPs for [addr, addr+len) split at multiples of `chunk` (MWr: MPS, MRd: MRRS). */
uint64_t pcie_split_count(uint64_t addr, uint64_t len, unsigned chunk);
/* Completions for one MRd of [addr, addr+len): split at RCB multiples, each <= cpl_max. */
uint64_t pcie_cpl_count(uint64_t addr, uint64_t len, unsigned rcb, unsigned cpl_max);
/* payload / (payload + overhead) for TLPs of `payload` bytes with a hdr_dw header. */
double pcie_tlp_efficiency(unsigned payload, unsigned hdr_dw);

/* ---- the bus layer ---- */
/* NULL (message on stderr) on a bad cfg. */
pcie_link_t *pcie_link_new(const pcie_link_cfg_t *cfg);
void pcie_link_free(pcie_link_t *link);
/* Forgets bus state (as axi_mem_reset); statistics stay. */
void pcie_link_reset(pcie_link_t *link);
const pcie_link_cfg_t *pcie_link_cfg(const pcie_link_t *link);

/* from_mem: the memory's outputs this cycle; to_dut: what the DUT sees (may alias from_mem). */
void pcie_link_drive(pcie_link_t *link, const axi_mem_rsp_t *from_mem, axi_mem_rsp_t *to_dut);
/* from_dut: the DUT's outputs this cycle; to_mem: what the memory sees (may not alias from_dut). */
void pcie_link_update(pcie_link_t *link, const axi_mem_req_t *from_dut, axi_mem_req_t *to_mem);

void pcie_link_stats(const pcie_link_t *link, pcie_link_stats_t *out);
void pcie_link_stats_clear(pcie_link_t *link);
/* MRd tags in use now. */
unsigned pcie_link_tags_used(const pcie_link_t *link);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PCIE_LINK_H */
