-- SPDX-License-Identifier: Apache-2.0
-- stream_packet: the waveform of docs/img/stream_packet.png (docs/streams.md).
-- One 100-byte packet (TUSER 0x5A, TID 0x03) in two host-to-card descriptors
-- at odd source addresses (37 bytes at 0x200003, 63 at 0x200031 with EOP)
-- goes out on channel 1's m_axis, loops back into channel 2's s_axis and
-- lands in one 256-byte receive buffer; packet, record and buffer checked.
-- Run on CFG=stream with QUIET=1 WAVES=1 (make stream-picture).
package.path = "sim/scenarios/lib/?.lua;" .. package.path
local fs = require "ferry_stream"
local fr = require "ferry_ring"

return {
  requires = fs.requires,
  { name = "one_packet", fn = function(t)
    local k = fs.kinds(t)
    local h2c, c2h = k.h2c[1], k.c2h[1]
    t:axis_gaps(0, 0)
    t:axis_loopback(h2c, c2h, true)
    local bytes = t:pattern(100, 0x5EED)
    t:mem_write(0x200003, bytes:sub(1, 37))
    t:mem_write(0x200031, bytes:sub(38, 100))
    t:mem_fill(0x400000 - 64, 256 + 128, 77)
    local rx = fs.rx_open(t, c2h, { base = 0x102000, cpl = 0x104000, log2 = 2 })
    rx:post(0x400000, 256, { tag = 1 })
    rx:doorbell()
    local descs = {
      { src = 0x200003, dst = 0x5A | (0x03 << 8), len = 37, flags = 0, tag = 0 },
      { src = 0x200031, dst = 0x5A | (0x03 << 8), len = 63, flags = t.desc.EOP, tag = 1 },
    }
    local want = fs.h2c_ref(t, descs)
    local exp = fs.c2h_ref(want, { { addr = 0x400000, len = 256 } }, 0, k.db)
    local r = fr.open(t, h2c, { base = 0x100000, cpl = 0x101000, log2 = 2, what = "host-to-card ring" })
    r:run(descs, nil, function() return { no_ref = true } end)
    local t0 = t:cycle()
    while #rx.recs < #exp do
      rx:poll()
      t:check(t:cycle() - t0 < fs.BUDGET, "no receive record")
      t:step(fs.POLL)
    end
    rx:check(exp)
    fs.expect_packets(t, fs.recv_packets(t, h2c, 1), want, "host-to-card side")
  end },
}
