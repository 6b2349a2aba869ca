-- SPDX-License-Identifier: Apache-2.0
-- Stream channel figures (issue 8), `make bench-stream` (CFG=stream, QUIET=1):
--
--   loopback_<size>  host-to-card ring -> m_axis -> s_axis -> card-to-host
--                    ring, 200 cycles of read and write latency, no stream
--                    gaps, every byte checked. rate = payload bytes /
--                    (last - first stream beat + 1 cycles) / DATA_BYTES,
--                    the share of the bus peak (one beat per cycle);
--                    bound = payload beats / beats on the busier AXI data
--                    channel (payload + 32 B per descriptor read, 16 B per
--                    completion record written, both rings).
--   h2c_64, c2h_64   one direction alone (64 B packets), to show which side
--                    limits the loopback; c2h_64_buf2048 with 2 KiB buffers
--   starve           card-to-host with no buffer posted: back-pressure
--                    cycles, STARVE counter, then buffers: bytes lost
--                    (bound 0).
-- Each figure is printed next to its bound.
package.path = "sim/scenarios/lib/?.lua;" .. package.path
local fs = require "ferry_stream"
local fr = require "ferry_ring"

local TX_RING, TX_CPL = 0x1000000, 0x1100000
local RX_RING, RX_CPL = 0x1200000, 0x1300000
local SRC = 0x2000000
local BUF = 0x8000000
local LAT = 200

local function loopback(t, len, npk, buflen)
  local h2c, c2h = fs.kinds(t).h2c[1], fs.kinds(t).c2h[1]
  local db = t.caps.data_bytes
  t:set_latency(LAT, LAT, LAT, LAT)
  t:axis_gaps(0, 0)
  t:axis_loopback(h2c, c2h, true)
  -- packets back to back in memory (beat-aligned sources), one descriptor each
  local data = t:pattern(len * npk, t:seed())
  t:mem_write(SRC, data)
  local descs, want = {}, {}
  for i = 0, npk - 1 do
    descs[#descs + 1] = { src = SRC + i * len, dst = (i & 0xFF) | 0x100, len = len, flags = t.desc.EOP,
                          tag = i & 0xFFFF }
    want[#want + 1] = { bytes = data:sub(i * len + 1, (i + 1) * len), tuser = i & 0xFF, tid = 1 }
  end
  local nbuf_pk = (len + buflen - 1) // buflen
  local bufs = {}
  for i = 0, npk * nbuf_pk - 1 do bufs[#bufs + 1] = { addr = BUF + i * buflen, len = buflen } end
  local exp = fs.c2h_ref(want, bufs, 0, db)
  local log2 = 1
  while (1 << log2) <= math.max(#descs, #bufs) and log2 < 15 do log2 = log2 + 1 end
  local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = log2 })
  local r = fr.open(t, h2c, { base = TX_RING, cpl = TX_CPL, log2 = log2, what = "host-to-card ring" })
  for i = 1, #exp do rx:post(bufs[i].addr, bufs[i].len, { tag = i & 0xFFFF }) end
  rx:doorbell()
  for _, d in ipairs(descs) do r:put(d, { no_ref = true }) end
  t:axis_stats_clear()
  r:doorbell()
  local t0 = t:cycle()
  while #rx.recs < #exp do
    t:step(2000)
    rx:poll()
    t:check(t:cycle() - t0 < 50000000, "loopback bench: stuck")
  end
  r:wait()
  rx:check(exp)
  fs.recv_packets(t, h2c, npk) -- the sink saw them all (and checked the stream rules)
  local a = t:axis_stats(c2h)
  local bytes = len * npk
  t:expect_eq(a.bytes, bytes, "bytes into card-to-host")
  local cyc = a.last_cycle - a.first_cycle + 1
  local beats = npk * ((len + db - 1) // db)
  local nd = npk + #exp -- descriptors read (both rings) = records written
  local rd = beats + nd * (32 // db)
  local wr = beats + nd * (16 // db)
  local bound = (bytes / db) / math.max(rd, wr)
  local rate = bytes / cyc / db
  print(string.format("  stream bench: loopback %6d B packets x %4d, %5d B buffers, latency %d: rate %.3f " ..
                      "of the bus peak, bound %.3f (ratio %.2f); %d cycles, stall h2c %d c2h %d",
                      len, npk, buflen, LAT, rate, bound, rate / bound, cyc, t:axis_stats(h2c).stall, a.stall))
end

-- One direction alone at the same latency, to show which side limits:
-- host-to-card into an always-ready sink, or card-to-host from a gap-free source.
local function one_way(t, dir, len, npk, buflen)
  local k = fs.kinds(t)
  local h2c, c2h, db = k.h2c[1], k.c2h[1], k.db
  t:set_latency(LAT, LAT, LAT, LAT)
  t:axis_gaps(0, 0)
  local data = t:pattern(len * npk, t:seed())
  local pk = {}
  for i = 0, npk - 1 do pk[#pk + 1] = { bytes = data:sub(i * len + 1, (i + 1) * len), tuser = i & 0xFF, tid = 1 } end
  local log2 = 1
  local nrec = npk * ((len + buflen - 1) // buflen)
  while (1 << log2) <= nrec and log2 < 15 do log2 = log2 + 1 end
  local a, nd
  t:axis_stats_clear()
  if dir == "h2c" then
    t:mem_write(SRC, data)
    local r = fr.open(t, h2c, { base = TX_RING, cpl = TX_CPL, log2 = log2, what = "host-to-card ring" })
    for i = 0, npk - 1 do
      r:put({ src = SRC + i * len, dst = (i & 0xFF) | 0x100, len = len, flags = t.desc.EOP, tag = i & 0xFFFF },
            { no_ref = true })
    end
    r:doorbell()
    r:wait()
    fs.expect_packets(t, fs.recv_packets(t, h2c, npk), pk, "host-to-card")
    a, nd = t:axis_stats(h2c), npk
  else
    for _, p in ipairs(pk) do t:axis_send(c2h, p.bytes, p.tuser, p.tid) end
    local bufs = {}
    for i = 0, nrec - 1 do bufs[#bufs + 1] = { addr = BUF + i * buflen, len = buflen } end
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = log2 })
    for i = 1, nrec do rx:post(bufs[i].addr, bufs[i].len, { tag = i & 0xFFFF }) end
    rx:doorbell()
    rx:wait(nrec, 50000000)
    rx:check((fs.c2h_ref(pk, bufs, 0, db)))
    a, nd = t:axis_stats(c2h), nrec
  end
  local bytes = len * npk
  local beats = npk * ((len + db - 1) // db)
  -- busier AXI data channel: host-to-card reads data and descriptors and
  -- writes records; card-to-host reads descriptors and writes data and records
  local rd = (dir == "h2c" and beats or 0) + nd * (32 // db)
  local wr = (dir == "h2c" and 0 or beats) + nd * (16 // db)
  local bound = beats / math.max(rd, wr)
  local cyc = a.last_cycle - a.first_cycle + 1
  local rate = bytes / cyc / db
  print(string.format("  stream bench: %s alone %6d B packets x %4d, %5d B buffers, latency %d: rate %.3f of the " ..
                      "bus peak, bound %.3f (ratio %.2f); %d cycles, %.1f cycles per packet",
                      dir == "h2c" and "host-to-card" or "card-to-host", len, npk, dir == "h2c" and 0 or buflen,
                      LAT, rate, bound, rate / bound, cyc, cyc / npk))
end

local function starve(t)
  local c2h = fs.kinds(t).c2h[1]
  local db = t.caps.data_bytes
  t:set_latency(LAT, LAT, LAT, LAT)
  t:axis_gaps(0, 0)
  local pk = {}
  for i = 1, 20 do pk[i] = { bytes = t:pattern(1500, t:seed() + i), tuser = i, tid = 2 } end
  for _, p in ipairs(pk) do t:axis_send(c2h, p.bytes, p.tuser, p.tid) end
  local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 6 })
  local WAIT = 20000
  t:step(WAIT)
  local s1 = fs.stream_regs(t, c2h)
  local a1 = t:axis_stats(c2h)
  local bufs = {}
  for i = 0, 39 do bufs[#bufs + 1] = { addr = BUF + i * 2048, len = 2048 } end
  local exp = fs.c2h_ref(pk, bufs, 0, db)
  for i = 1, #exp do rx:post(bufs[i].addr, bufs[i].len, { tag = i }) end
  rx:doorbell()
  rx:wait(#exp)
  rx:check(exp)
  local got = 0
  for _, e in ipairs(exp) do got = got + e.bytes end
  local s2 = fs.stream_regs(t, c2h)
  print(string.format("  stream bench: starve %d cycles with no buffer: back-pressure (TVALID, no TREADY) %d cycles, " ..
                      "STARVE %d (bound: the cycles data waited, about %d), %d beats held in the FIFO; after " ..
                      "posting: %d of %d bytes arrived, lost %d (bound 0), STARVED now %s",
                      WAIT, a1.stall, s1.starve, WAIT, a1.beats, got, 1500 * #pk, 1500 * #pk - got,
                      tostring(s2.starved)))
end

return {
  requires = fs.requires,
  { name = "loopback_64", fn = function(t) loopback(t, 64, 1000, 64) end },
  { name = "loopback_1500", fn = function(t) loopback(t, 1500, 200, 2048) end },
  { name = "loopback_65536", fn = function(t) loopback(t, 65536, 8, 4096) end },
  { name = "h2c_64", fn = function(t) one_way(t, "h2c", 64, 1000, 64) end },
  { name = "c2h_64", fn = function(t) one_way(t, "c2h", 64, 1000, 64) end },
  { name = "c2h_64_buf2048", fn = function(t) one_way(t, "c2h", 64, 1000, 2048) end },
  { name = "starve", fn = starve },
}
