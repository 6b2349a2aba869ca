/* SPDX-License-Identifier: Apache-2.0 */
/*
 * axis_model.h: AXI-Stream models for the stream channels (issue 8).
 *
 * One axis_model_t serves every lane of ferry_top's stream ports:
 *   - a SOURCE per card-to-host channel (drives s_axis_*): a queue of packets
 *     {bytes, tuser, tid}, sent beat by beat with seeded random TVALID gaps
 *     (only between beats: once TVALID is up it stays up, payload stable,
 *     until TREADY). TKEEP is all ones except on the TLAST beat, where it is
 *     the low (len mod DATA_BYTES, or all) lanes; bytes outside TKEEP carry
 *     random garbage (the DUT must not store them).
 *   - a SINK per host-to-card channel (watches m_axis_*, drives TREADY with
 *     seeded random gaps): records whole packets {bytes, tuser, tid of the
 *     TLAST beat} and checks the AXI-Stream rules on every cycle:
 *       TVALID, once up, stays up with TDATA/TKEEP/TLAST/TUSER/TID stable
 *       until TREADY; TKEEP all ones except on a TLAST beat, where it is
 *       non-zero and contiguous from lane 0; lanes of channels of another
 *       kind drive 0 (m_axis) and s_axis_tready 0; TVALID low in reset from
 *       the second reset cycle on. (Verilator is two-state: an X shows up as a
 *       seed-random value of a register without reset, which these checks
 *       and the data comparisons catch as a seed-dependent failure.)
 *   - LOOPBACK: host-to-card channel a's m_axis feeds card-to-host channel
 *     b's s_axis through a 4-beat FIFO, with the sink's TREADY gaps on one
 *     side and the source's TVALID gaps on the other (both 0 under QUIET):
 *     full rate is possible (one beat per cycle). The sink still records
 *     the packets that pass (tests may check or ignore them).
 *
 * Every random choice comes from the axi_rng_t given to axis_new (seeded
 * from the test seed by tb.c). One cycle, as tb.c drives it:
 *   axis_drive(m, &in)           outputs of the models (s_axis lanes, m_axis_tready)
 *   ... fm_set_axis, fm_eval, fm_get_axis ...
 *   axis_update(m, cycle, rst_n, &in, &out)   handshakes and checks
 */
#ifndef FERRY_AXIS_MODEL_H
#define FERRY_AXIS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "axi_mem.h" /* axi_rng_t */
#include "ferry_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axis_model axis_model_t;

typedef struct axis_pkt {
    uint8_t *data; /* malloc'ed; the receiver frees it (axis_pkt_free) */
    size_t len;
    uint8_t user, id;     /* TUSER / TID of the TLAST beat (sink) or of every beat (source) */
    uint64_t first_cycle; /* handshake of the first and last beat (sink) */
    uint64_t last_cycle;
} axis_pkt_t;

typedef struct axis_stats {
    uint64_t beats, bytes, packets; /* handshakes on this channel's lane */
    uint64_t stall;       /* cycles TVALID high and TREADY low */
    uint64_t gap;         /* source: cycles the model withheld TVALID although it had a beat;
                           * sink: cycles it held TREADY low by a random gap */
    uint64_t first_cycle; /* first / last handshake, UINT64_MAX / 0 if none */
    uint64_t last_cycle;
    uint64_t queued;      /* source: packets not yet fully sent; sink: packets recorded, not yet taken */
    uint64_t lb_beats;    /* loopback beats through this channel */
} axis_stats_t;

/* nch channels, data_bytes per beat; h2c / c2h: channel bit masks (disjoint). */
axis_model_t *axis_new(unsigned nch, unsigned data_bytes, uint32_t h2c_mask, uint32_t c2h_mask, axi_rng_t *rng);
void axis_free(axis_model_t *m);

uint32_t axis_h2c_mask(const axis_model_t *m);
uint32_t axis_c2h_mask(const axis_model_t *m);

/* Random gaps in percent (0..100) of cycles: TVALID withheld by the sources
 * before a beat, TREADY held low by the sinks. ch < 0: every channel. */
int axis_set_gaps(axis_model_t *m, int ch, unsigned valid_pct, unsigned ready_pct);

/* Source: queue a packet (len >= 1) on card-to-host channel ch. 0, or -1
 * (message in *why if non-NULL) on a bad channel or length. */
int axis_send(axis_model_t *m, unsigned ch, const uint8_t *data, size_t len, uint8_t user, uint8_t id,
              const char **why);
/* Sink: the oldest packet recorded on host-to-card channel ch. 1 and *out
 * (caller frees out->data with axis_pkt_free), 0 if none, -1 on a bad channel. */
int axis_recv(axis_model_t *m, unsigned ch, axis_pkt_t *out);
void axis_pkt_free(axis_pkt_t *p);
/* Bytes of the packet the sink is in the middle of (no TLAST yet) on ch. */
size_t axis_partial(const axis_model_t *m, unsigned ch);

/* Loopback from host-to-card channel h2c to card-to-host channel c2h (on)
 * or off. While on, c2h's own queue waits. 0, or -1 (message in *why). */
int axis_loopback(axis_model_t *m, unsigned h2c, unsigned c2h, int on, const char **why);

int axis_stats(const axis_model_t *m, unsigned ch, axis_stats_t *out);
void axis_stats_clear(axis_model_t *m);

/* Drops the sources' queues and the sinks' records and partial packets. */
void axis_clear(axis_model_t *m);

void axis_drive(axis_model_t *m, fm_axis_in_t *in);
void axis_update(axis_model_t *m, uint64_t cycle, int rst_n, const fm_axis_in_t *in, const fm_axis_out_t *out);
/* A reset starts: the checkers forget what was waiting. Queued packets stay
 * (a source re-offers the beat it was offering; the DUT resynchronises). */
void axis_reset(axis_model_t *m);

/* First stream rule broken (with its cycle), NULL if none; count of all. */
const char *axis_error(const axis_model_t *m, uint64_t *cycle);
unsigned axis_error_count(const axis_model_t *m);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_AXIS_MODEL_H */
