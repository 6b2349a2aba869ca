#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""mkseeds.py: writes the hand-made fuzzer inputs of tb/fuzz/seeds/ (the
program encoding is described at the top of tb/fuzz/ferry_fuzz.c). Run from
the repository root; the outputs are committed, make does not run this."""
import os
import struct

REG, DESC, RING, DIRECT, PROD, CTRL, STEP, WIN, WINALL, INJECT, WDOG, GLOBAL, HOLD = range(13)


def u16(v):
    return list(struct.pack('<H', v))


def buf(i, dst=False, mode=0, o=0):
    """pick_addr: buffer i (source or destination), offset mode (0: start, 7: o)."""
    return [(i << 3) | (mode << 5)] + u16(o)


def special(k, o=0):
    """pick_addr: case 7: 1 -> 0xFFFFF000+o, 4 -> 2^32 + o."""
    return [7 | (k << 3)] + u16(o)


def length(n):
    """pick_len: 1..4096 (mode 2)."""
    return [2] + u16(n - 1)


def ring(ch, log2=2, sel=0):
    return [RING, ch, sel, log2 - 1]


def desc(ch, src, dst, ln, flags_sel=0, doorbell=True, extra=()):
    return [DESC, ch, 0x40 if doorbell else 0] + src + dst + ln + [flags_sel] + list(extra)


def step(n16):
    return [STEP, n16]


seeds = {
    # ring of 4 on channel 0: three copies, doorbell after each, run
    'ring_copies': [1, 0] + ring(0) + desc(0, buf(0), buf(0, True), length(256))
    + desc(0, buf(1, mode=7, o=5), buf(1, True, 7, 3), length(1000))
    + desc(0, buf(2), buf(2, True), length(64)) + step(200),
    # direct transfers on every channel, one over an injected read error
    'direct_errors': [2, 0] + [INJECT, 0x00 | (1 << 2), 0x00, 0x01, 4]
    + [DIRECT, 0] + buf(0) + buf(0, True) + length(512)
    + [DIRECT, 1] + buf(1) + buf(1, True) + length(512)
    + [DIRECT, 2] + buf(2, mode=7, o=0xFF0) + buf(2, True) + length(300)
    + [DIRECT, 3] + buf(3) + buf(3, True) + length(8) + step(120),
    # windows on channel 1, then a ring whose second descriptor writes outside them
    'windows': [3, 0] + [WINALL, 1, 0] + ring(1)
    + desc(1, buf(0), buf(0, True), length(128)) + desc(1, buf(1), special(4, 0x10), length(64))
    + desc(1, buf(2), buf(2, True), length(64)) + step(200) + [CTRL, 1, 2] + step(100),
    # 2D and fixed descriptors, ABORT in the middle, then RESUME and SKIP
    'abort_resume': [4, 0] + ring(2, 3)
    + desc(2, buf(0), buf(0, True), [1, 99], 5, extra=[0x02])
    + desc(2, buf(1), buf(1, True), length(2000)) + desc(2, buf(2), buf(2, True), [3], 8)
    + step(10) + [CTRL, 2, 0] + step(60) + [CTRL, 2, 1] + step(60) + [CTRL, 2, 2] + step(100),
    # watchdog, a write error on the completion ring, per-channel reset
    'wdog_reset': [5, 0] + [WDOG, 3, 2 | (2 << 2)] + [INJECT, 0x13 | (3 << 2) & 0xC, 0, 0, 2] + ring(3)
    + desc(3, buf(3), buf(3, True), length(512)) + desc(3, buf(0), buf(1, True), length(100))
    + step(100) + [CTRL, 3, 3] + step(100) + ring(3) + desc(3, buf(0), buf(0, True), length(40)) + step(60),
    # register misuse: read-only and undefined offsets, odd strobes, a bad ring
    'misuse': [6, 0] + [GLOBAL, 0x00, 0x10, 2] + [GLOBAL, 0x30, 0x10, 7, 1, 2, 3, 4]
    + [REG, 0, 20, 2, 0xF3] + [REG, 1, 5, 0, 0] + ring(0, 20 + 1, 6) + [PROD, 0, 0xC0, 0x34, 0x12]
    + [RING, 1, 0x05, 0xF0] + step(50),
    # a direct transfer still running when the program ends
    'busy_end': [7, 0] + [DIRECT, 0] + buf(1) + buf(1, True) + length(4096),
    # read responses of a source held forever under a 200-cycle watchdog, released after the program
    'held': [8, 0] + [WDOG, 0, 2 | (3 << 2)] + [HOLD, 0xC0, 0, 0, 8]
    + [DIRECT, 0] + buf(0) + buf(0, True) + length(256) + ring(1) + desc(1, buf(1), buf(1, True), length(64))
    + step(100),
}

out = 'tb/fuzz/seeds'
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(bytes(v & 0xFF for v in data))
print(f'mkseeds: wrote {len(seeds)} inputs to {out}/')
