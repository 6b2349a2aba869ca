-- SPDX-License-Identifier: Apache-2.0
-- Stream channels (issue 8): host-to-card (memory -> m_axis) and card-to-host
-- (s_axis -> receive buffers) through the stream models of tb/axis_model.h
-- (seeded random TVALID / TREADY gaps; QUIET=1 turns them off) and the
-- reference model of lib/ferry_stream.lua. Every stream beat is checked
-- against the AXI-Stream rules by the sink; every record and buffer byte
-- against the reference model; the runner's scoreboard then checks that the
-- DMA wrote nothing else (guards around every buffer, unused buffer tails).
-- On a build without stream channels (CAP2 = 0) the file is skipped (one
-- SKIP line, counted as skipped).
local fs = require "ferry_stream"
local fr = require "ferry_ring"

local TX_RING, TX_CPL = 0x100000, 0x101000
local RX_RING, RX_CPL = 0x102000, 0x104000
local SRC = 0x200000  -- host-to-card packet bytes
local BUF = 0x400000  -- receive buffers
local GUARD = 64      -- bytes between receive buffers (pattern-filled, must stay)

-- Receive buffers of len bytes (multiple of DATA_BYTES), pattern-filled with
-- their guards: the DMA must touch only what the records say.
local function make_bufs(t, n, len, base)
  base = base or BUF
  local l = {}
  local stride = len + GUARD
  t:mem_fill(base - GUARD, n * stride + GUARD, t:seed() + base)
  for i = 0, n - 1 do
    l[#l + 1] = { addr = base + i * stride, len = len }
  end
  return l
end

-- Packets of the given lengths with fresh bytes; tuser/tid per packet.
local function make_packets(t, lens, salt)
  local l = {}
  for i, n in ipairs(lens) do
    l[#l + 1] = { bytes = t:pattern(n, t:seed() + 7919 * (salt or 1) + i), tuser = (0x30 + i) & 0xFF,
                  tid = (0xA0 + 3 * i) & 0xFF }
  end
  return l
end

-- Sends packets on a card-to-host channel and receives them through its ring,
-- posting bufs as the ring has room; checks every record and byte against
-- the reference model. Returns the expected records and cycles taken.
local function rx_run(t, rx, packets, bufs, max_pkt)
  local k = fs.kinds(t)
  local exp, used = fs.c2h_ref(packets, bufs, max_pkt or 0, k.db)
  t:check(used == #exp, "test bug: records and buffers")
  for _, p in ipairs(packets) do
    t:axis_send(rx.ch, p.bytes, p.tuser, p.tid)
  end
  local t0 = t:cycle()
  local nb = 0
  while #rx.recs < #exp do
    local posted = false
    while nb < #exp and rx:free() > 0 do
      nb = nb + 1
      rx:post(bufs[nb].addr, bufs[nb].len, { tag = nb & 0xFFFF })
      posted = true
    end
    if posted then
      rx:doorbell()
    end
    rx:poll()
    t:check(t:cycle() - t0 < fs.BUDGET, string.format("%s: %d of %d records after %d cycles", rx.what, #rx.recs,
                                                       #exp, t:cycle() - t0))
    t:step(fs.POLL)
  end
  rx:check(exp)
  return exp, t:cycle() - t0
end

-- Host-to-card descriptors for packets: each packet split into `parts`
-- descriptors at odd source alignments, EOP on the last only.
local function tx_descs(t, packets, o)
  o = o or {}
  local descs = {}
  local addr = o.src or SRC
  for _, p in ipairs(packets) do
    local n = #p.bytes
    local parts = math.min(o.parts and o.parts(n) or 1, n)
    local cuts = {}
    for i = 1, parts - 1 do cuts[i] = t:rand(1, n - 1) end
    table.sort(cuts)
    local prev = 0
    for i = 1, parts do
      local e = i < parts and cuts[i] or n
      if e > prev then
        addr = addr + t:rand(0, 15) -- odd alignments
        t:mem_write(addr, p.bytes:sub(prev + 1, e))
        descs[#descs + 1] = { src = addr, dst = p.tuser | (p.tid << 8), len = e - prev,
                              flags = (i == parts) and t.desc.EOP or 0, tag = #descs & 0xFFFF }
        addr = addr + (e - prev)
      end
      prev = e
    end
    -- the last part may have been empty (a cut at n): mark the last written one
    descs[#descs].flags = descs[#descs].flags | t.desc.EOP
  end
  return descs
end

local function tx_run(t, ch, descs, log2)
  local r = fr.open(t, ch, { base = TX_RING, cpl = TX_CPL, log2 = log2 or 3, what = "host-to-card ring" })
  r:run(descs, nil, function() return { no_ref = true } end)
  return r
end

-- Runs a loopback: puts descs on the host-to-card ring r as it has room and
-- posts bufs (from bufs[nb + 1] on) on the receive ring rx until nexp
-- records came back; what names the test in a timeout message.
local function pump(t, r, descs, rx, bufs, nexp, nb, what)
  local di = 1
  local t0 = t:cycle()
  while #rx.recs < nexp do
    local put = false
    while di <= #descs and r:free() > 0 do
      r:put(descs[di], { no_ref = true })
      di = di + 1
      put = true
    end
    if put then r:doorbell() end
    r:collect(r:cons_to_seq(t:bar_read(r:reg("RING_CONS"))))
    rx:poll()
    local posted = false
    while nb < nexp and rx:free() > 0 do
      nb = nb + 1
      rx:post(bufs[nb].addr, bufs[nb].len, { tag = nb })
      posted = true
    end
    if posted then rx:doorbell() end
    t:check(t:cycle() - t0 < fs.BUDGET, string.format("%s: %d of %d records", what, #rx.recs, nexp))
    t:step(fs.POLL)
  end
end

local function both(t)
  local k = fs.kinds(t)
  return k.h2c[1], k.c2h[1], k
end

-- CTRL.ABORT in the middle of a long host-to-card packet, the sink's TREADY
-- with 50 % gaps or (hold) held low over the abort: the stop completes, the
-- beats on m_axis (the lane's register slice) stay until taken (the sink checks TVALID is never
-- withdrawn), the stream got a prefix of the packet of at most the record's
-- BYTES and no TLAST, so the sink sees it run into the next packet.
local function h2c_abort(t, hold)
  local h2c, _, k = both(t)
  local a = t:pattern(4096 * k.db + 3, t:seed() + 1)
  local b = t:pattern(50, t:seed() + 2)
  t:mem_write(SRC, a)
  t:mem_write(SRC + 0x80000, b)
  t:axis_gaps(nil, hold and 100 or 50)
  local r = fr.open(t, h2c, { base = TX_RING, cpl = TX_CPL, log2 = 3, what = "host-to-card ring" })
  r:put({ src = SRC, dst = 0x44, len = #a, flags = t.desc.EOP, tag = 7 }, { no_ref = true })
  r:doorbell()
  t:step(hold and 2000 or 800 + t:rand(0, 400))
  t:expect_eq(t:bar_write(t:ch_reg(h2c, "CTRL"), t.bits.CTRL_ABORT), "OKAY", "CTRL.ABORT")
  local t0 = t:cycle()
  local s = t:status(h2c)
  while s.busy or s.stopping do
    t:check(t:cycle() - t0 < 200000, string.format("STATUS 0x%X: the abort does not finish (stream gaps %s)", s.raw,
                                                   hold and "TREADY held low" or "50 %"))
    t:step(32)
    s = t:status(h2c)
  end
  t:check(s.halted and s.err == "ABORTED", string.format("STATUS 0x%X (%s) after ABORT", s.raw, s.err))
  local raw = t:mem_read(TX_CPL, 16)
  local c = t:cpl_decode(raw)
  t:expect_eq(t.err[c.status], "ABORTED", "record STATUS")
  t:shadow_write(TX_CPL, raw, "aborted record")
  t:axis_gaps(nil, 0)
  t:step(200)
  local part = t:axis_partial(h2c)
  local st = t:axis_stats(h2c)
  t:log(string.format("after ABORT: record BYTES %d of %d, sink %d beats, %d packets, %d partial bytes", c.bytes, #a,
                      st.beats, st.packets, part))
  t:expect_eq(st.packets, 0, "packets with TLAST from the aborted descriptor")
  t:check(part < #a, string.format("all %d bytes of the aborted packet reached the sink", part))
  -- BYTES = bytes handed to the adapter; on a stop it takes and drops what
  -- the mover still writes (docs/architecture.md), so the stream got at
  -- most BYTES, and (checked below) a prefix of the packet
  t:check(part <= c.bytes, string.format("%d bytes on the stream, more than the record's BYTES %d", part, c.bytes))
  t:expect_eq(t:bar_write(t:ch_reg(h2c, "CTRL"), t.bits.CTRL_RESET), "OKAY", "CTRL.RESET")
  t0 = t:cycle()
  while t:status(h2c).busy do
    t:check(t:cycle() - t0 < 100000, "BUSY after CTRL.RESET")
    t:step(16)
  end
  fs.direct(t, h2c, SRC + 0x80000, 0x55 | (0x66 << 8), #b)
  local got = fs.recv_packets(t, h2c, 1)
  fs.expect_packets(t, got, { { bytes = a:sub(1, part) .. b, tuser = 0x55, tid = 0x66 } },
                    "the cut packet's bytes then the next packet")
end

return {
  requires = fs.requires,

  { name = "kinds", fn = function(t)
    local k = fs.kinds(t)
    for ch = 0, t.caps.channels - 1 do
      local want = (k.h2c_mask >> ch) & 1 ~= 0 and 1 or (k.c2h_mask >> ch) & 1 ~= 0 and 2 or 0
      t:expect_eq(fs.stream_regs(t, ch).kind, want, string.format("ch %d STREAM.KIND (CAP2 0x%X)", ch,
                                                                   k.h2c_mask | k.c2h_mask << 16))
    end
    t:expect_eq(fs.stream_regs(t, k.c2h[1]).starved, false, "STARVED after reset")
  end },

  -- packets spanning descriptors, odd lengths and alignments, 1-byte packets,
  -- TUSER/TID, EOP only on the last part, a TWO_D descriptor
  { name = "h2c_packets", fn = function(t)
    local h2c, _, k = both(t)
    local db = k.db
    local lens = { 1, 1, db - 1, db, db + 1, 3 * db + 5, 2, 250, 1, 1000, 17 }
    local pk = make_packets(t, lens, 1)
    local descs = tx_descs(t, pk, { parts = function(n) return n == 1 and 1 or t:rand(1, 3) end })
    -- a TWO_D descriptor: 3 rows of 37 bytes, stride 100, one packet
    local src2 = SRC + 0x40000 + 3
    t:mem_fill(src2, 300, t:seed() + 99)
    descs[#descs + 1] = { src = src2, dst = 0x5A | (0x7E << 8), len = 37, rows = 3, src_stride = 100,
                          flags = t.desc.TWO_D | t.desc.EOP, tag = 0x2D }
    local want = fs.h2c_ref(t, descs)
    local p0 = fs.stream_regs(t, h2c).packets
    tx_run(t, h2c, descs, 3)
    local got = fs.recv_packets(t, h2c, #want)
    fs.expect_packets(t, got, want, "host-to-card")
    t:expect_eq(fs.stream_regs(t, h2c).packets - p0, #want, "PACKETS counter")
    t:expect_eq(t:axis_partial(h2c), 0, "bytes after the last TLAST")
  end },

  -- the sink holds TREADY low: the channel waits (one beat offered, stable),
  -- nothing is lost or reordered when TREADY comes back
  { name = "h2c_backpressure", fn = function(t)
    local h2c, _, k = both(t)
    local pk = make_packets(t, { 3 * k.db + 1, 200, 1 }, 11)
    local descs = tx_descs(t, pk, { parts = function() return 2 end })
    local want = fs.h2c_ref(t, descs)
    t:axis_gaps(nil, 100)
    local r = fr.open(t, h2c, { base = TX_RING, cpl = TX_CPL, log2 = 3, what = "host-to-card ring" })
    for _, d in ipairs(descs) do r:put(d, { no_ref = true }) end
    r:doorbell()
    t:step(3000)
    local a = t:axis_stats(h2c)
    t:expect_eq(a.beats, 0, "beats taken with TREADY low")
    t:check(a.stall > 2500, string.format("TVALID waited %d of 3000 cycles, expected a beat offered", a.stall))
    t:check(t:bar_read(t:ch_reg(h2c, "RING_CONS")) ~= r.prod, "ring complete with the stream held")
    t:axis_gaps(nil, 0)
    r:wait()
    fs.expect_packets(t, fs.recv_packets(t, h2c, #want), want, "after back-pressure")
  end },

  { name = "h2c_abort", fn = function(t) h2c_abort(t, false) end },
  { name = "h2c_abort_held", fn = function(t) h2c_abort(t, true) end },

  { name = "h2c_direct", fn = function(t)
    local h2c = both(t)
    local data = t:pattern(77, t:seed())
    t:mem_write(SRC + 5, data)
    fs.direct(t, h2c, SRC + 5, 0xC3 | (0x12 << 8), 77)
    local got = fs.recv_packets(t, h2c, 1)
    fs.expect_packets(t, got, { { bytes = data, tuser = 0xC3, tid = 0x12 } }, "direct host-to-card")
    local t0 = t:cycle()
    local s = t:status(h2c)
    while s.busy do
      t:check(t:cycle() - t0 < 100000, "direct transfer stays BUSY")
      t:step(16)
      s = t:status(h2c)
    end
    t:check(s.done and not s.error, string.format("STATUS 0x%X after the direct transfer", s.raw))
  end },

  -- DST[63:16] set, DST_FIXED, DST_STRIDE: DESC_RESERVED; the ring goes on after SKIP
  { name = "h2c_reserved", fn = function(t)
    local h2c = both(t)
    local pk = make_packets(t, { 40, 9 }, 2)
    t:mem_write(SRC, pk[1].bytes)
    t:mem_write(SRC + 0x100, pk[2].bytes)
    local r = fr.open(t, h2c, { base = TX_RING, cpl = TX_CPL, log2 = 3, what = "host-to-card ring" })
    r:put({ src = SRC, dst = 0x10000, len = 40, flags = t.desc.EOP, tag = 1 }, { no_ref = true, status = "DESC_RESERVED", bytes = 0 })
    r:put({ src = SRC, dst = 0x11, len = 40, flags = t.desc.EOP | t.desc.DST_FIXED, tag = 2 },
          { no_ref = true, status = "DESC_RESERVED", bytes = 0 })
    r:put({ src = SRC, dst = 0x11, len = 8, rows = 2, src_stride = 8, dst_stride = 8,
            flags = t.desc.EOP | t.desc.TWO_D, tag = 3 }, { no_ref = true, status = "DESC_RESERVED", bytes = 0 })
    r:put({ src = SRC, dst = 0x11 | 0x2200, len = 40, flags = t.desc.EOP, tag = 4 }, { no_ref = true })
    r:put({ src = SRC + 0x100, dst = 0x33, len = 9, flags = t.desc.EOP, tag = 5 }, { no_ref = true })
    r:doorbell()
    r:wait()
    t:check((r.halts or 0) == 3, string.format("%d halts, expected 3", r.halts or 0))
    local got = fs.recv_packets(t, h2c, 2)
    fs.expect_packets(t, got, { { bytes = pk[1].bytes, tuser = 0x11, tid = 0x22 },
                                { bytes = pk[2].bytes, tuser = 0x33, tid = 0 } }, "after rejections")
  end },

  -- 1 byte to many buffers long, around the beat and buffer sizes; a small
  -- ring wraps several times
  { name = "c2h_sizes", fn = function(t)
    local _, c2h, k = both(t)
    local db, bl = k.db, 16 * k.db
    local lens = { 1, db - 1, db, db + 1, bl - 1, bl, bl + 1, 2 * bl, 5 * bl + 3, 1, 2, 3, 7 * bl - 1, db * 3 }
    local pk = make_packets(t, lens, 3)
    local bufs = make_bufs(t, 40, bl)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 3 })
    local p0 = fs.stream_regs(t, c2h).packets
    local exp = rx_run(t, rx, pk, bufs)
    t:check(#exp > 2 * rx.size, string.format("%d records do not wrap the %d-slot ring twice", #exp, rx.size))
    t:expect_eq(fs.stream_regs(t, c2h).packets - p0, #pk, "PACKETS counter (records with EOP)")
    local st = t:axis_stats(c2h)
    t:expect_eq(st.packets, #pk, "source: packets taken")
  end },

  -- no buffer: back-pressure, STARVED, STARVE counting; then buffers: every byte arrives
  { name = "c2h_starve", fn = function(t)
    local _, c2h, k = both(t)
    local bl = 128 * k.db
    -- more than the engine's FIFO holds (FIFO_DEPTH beats), so TREADY must drop
    local lens = {}
    for i = 1, 24 do lens[i] = ({ 3 * bl + 1, 2 * bl, 5, bl - 3 })[(i % 4) + 1] end
    local pk = make_packets(t, lens, 4)
    local bufs = make_bufs(t, 60, bl)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 4 })
    for _, p in ipairs(pk) do t:axis_send(c2h, p.bytes, p.tuser, p.tid) end
    t:step(4000)
    local s1 = fs.stream_regs(t, c2h)
    local a1 = t:axis_stats(c2h)
    t:check(s1.starved and s1.status_starved,
            string.format("STREAM 0x%X / STATUS.STARVED %s with data waiting and no buffer", s1.raw,
                          tostring(s1.status_starved)))
    t:check(a1.queued > 0, "every packet taken with no buffer posted: the FIFO is deeper than the test assumes")
    t:step(1000)
    local s2 = fs.stream_regs(t, c2h)
    local a2 = t:axis_stats(c2h)
    t:check(s2.starve >= s1.starve + 900, string.format("STARVE %d -> %d over 1000 cycles", s1.starve, s2.starve))
    t:check(a2.stall >= a1.stall + 900, string.format("back-pressure cycles %d -> %d over 1000 cycles (TREADY low)",
                                                      a1.stall, a2.stall))
    t:expect_eq(a2.beats, a1.beats, "beats taken while starved (internal FIFO full)")
    print(string.format("  stream/c2h_starve: %d cycles starved, %d back-pressure cycles, %d beats held in the FIFO",
                        s2.starve, a2.stall, a2.beats))
    -- post buffers: everything arrives
    local exp = fs.c2h_ref(pk, bufs, 0, k.db)
    local nb = 0
    while #rx.recs < #exp do
      local posted = false
      while nb < #exp and rx:free() > 0 do
        nb = nb + 1
        rx:post(bufs[nb].addr, bufs[nb].len, { tag = nb })
        posted = true
      end
      if posted then rx:doorbell() end
      rx:poll()
      t:step(fs.POLL)
      t:check(t:cycle() < 5000000, "records after posting buffers")
    end
    rx:check(exp)
    t:step(200)
    local s3 = fs.stream_regs(t, c2h)
    t:check(not s3.starved and not s3.status_starved, string.format("STREAM 0x%X: STARVED after recovery", s3.raw))
    t:step(500)
    t:expect_eq(fs.stream_regs(t, c2h).starve, s3.starve, "STARVE counting with buffers posted and nothing waiting")
    -- and the stream goes on after recovery
    local pk2 = make_packets(t, { 11, bl + 1 }, 5)
    local bufs2 = make_bufs(t, 6, bl, BUF + 0x40000)
    local rx_exp = fs.c2h_ref(pk2, bufs2, 0, k.db)
    for _, p in ipairs(pk2) do t:axis_send(c2h, p.bytes, p.tuser, p.tid) end
    local base = #rx.recs
    for i = 1, #rx_exp do rx:post(bufs2[i].addr, bufs2[i].len, { tag = 0x100 + i }) end
    rx:doorbell()
    rx:wait(base + #rx_exp)
    rx:check(rx_exp)
  end },

  -- MAX_PKT: the rest of a longer packet is dropped, TRUNCATED on its last
  -- record (EOP), the ring goes on; nothing written past the kept bytes
  { name = "c2h_truncate", fn = function(t)
    local _, c2h, k = both(t)
    local db = k.db
    local bl = 8 * db
    local max = 2 * bl + db + 3 -- rounded down to 2 buffers and one beat
    t:expect_eq(t:bar_write(t:ch_reg(c2h, "MAX_PKT"), max), "OKAY", "MAX_PKT")
    local e0 = t:bar_read(t:ch_reg(c2h, "ERRORS"))
    local pk = make_packets(t, { 5 * bl, 7, 2 * bl + db, 2 * bl + db + 1, 3 * bl + 2, db }, 6)
    local bufs = make_bufs(t, 20, bl)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 4 })
    local exp = rx_run(t, rx, pk, bufs, max)
    local ntr = 0
    for _, e in ipairs(exp) do if e.status == "TRUNCATED" then ntr = ntr + 1 end end
    t:expect_eq(ntr, 3, "truncated packets in the reference (test bug?)")
    local s = t:status(c2h)
    t:check(s.error and s.err == "TRUNCATED" and not s.halted,
            string.format("STATUS 0x%X (ERR_CODE %s): ERROR with TRUNCATED, not halted", s.raw, s.err))
    t:expect_eq(t:bar_read(t:ch_reg(c2h, "ERRORS")) - e0, 3, "ERRORS counter")
    t:check(s.ring_active, "ring still active after TRUNCATED")
  end },

  -- STREAM_ALIGN and DESC_RESERVED halt at the descriptor; STREAM_MODE on a direct doorbell
  { name = "c2h_reject", fn = function(t)
    local _, c2h, k = both(t)
    local db = k.db
    local bl = 4 * db
    local bufs = make_bufs(t, 4, bl)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 4 })
    local bad = {
      { status = "STREAM_ALIGN", desc = { src = 0, dst = BUF + 0x10000 + 1, len = bl } },
      { status = "STREAM_ALIGN", desc = { src = 0, dst = BUF + 0x10000, len = bl + 1 } },
      { status = "DESC_RESERVED", desc = { src = 8, dst = BUF + 0x10000, len = bl } },
      { status = "DESC_RESERVED", desc = { src = 0, dst = BUF + 0x10000, len = bl, flags = t.desc.EOP } },
      { status = "DESC_RESERVED", desc = { src = 0, dst = BUF + 0x10000, len = bl, flags = t.desc.DST_FIXED } },
      { status = "DESC_RESERVED", desc = { src = 0, dst = BUF + 0x10000, len = bl, rows = 2, dst_stride = bl,
                                           flags = t.desc.TWO_D } },
    }
    -- a halt stops the engine and drops what its FIFO holds (then it
    -- resynchronises on the next TLAST), so the stream starts after the halts
    for i, b in ipairs(bad) do
      b.desc.tag = 0x10 + i
      rx:post(nil, nil, { desc = b.desc, status = b.status,
                          fault = b.status == "STREAM_ALIGN" and b.desc.dst or nil })
    end
    rx:doorbell()
    rx:wait(#bad)
    local pk = make_packets(t, { bl + 3, 2 }, 7)
    for _, p in ipairs(pk) do t:axis_send(c2h, p.bytes, p.tuser, p.tid) end
    for i = 1, 3 do rx:post(bufs[i].addr, bufs[i].len, { tag = i }) end
    rx:doorbell()
    local exp = fs.c2h_ref(pk, rx:accepted_bufs(), 0, db)
    rx:wait(#exp + #bad)
    t:expect_eq(rx:check(exp), #exp, "good records")
    -- direct doorbell on a card-to-host channel: STREAM_MODE, nothing moves
    t:expect_eq(t:bar_write(t:ch_reg(c2h, "STATUS"), t.bits.STATUS_ERROR), "OKAY", "clear ERROR")
    rx.ring:close()
    fs.direct(t, c2h, 0, BUF + 0x20000, 64)
    t:step(200)
    local s = t:status(c2h)
    t:check(s.error and s.err == "STREAM_MODE" and not s.busy,
            string.format("direct doorbell on card-to-host: STATUS 0x%X, ERR_CODE %s, want STREAM_MODE", s.raw, s.err))
  end },

  -- CTRL.RESET inside a long packet (longer than the FIFO): the rest of that
  -- packet is discarded up to its TLAST, the next packet arrives whole with SOP
  { name = "c2h_reset_resync", fn = function(t)
    local _, c2h, k = both(t)
    local bl = 8 * k.db
    local pk = make_packets(t, { 2048 * k.db + 5, 100 }, 12)
    local bufs = make_bufs(t, 2, bl)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 3 })
    t:axis_send(c2h, pk[1].bytes, pk[1].tuser, pk[1].tid)
    for i = 1, 2 do rx:post(bufs[i].addr, bufs[i].len, { tag = i }) end
    rx:doorbell()
    rx:wait(2)
    local exp = fs.c2h_ref({ pk[1] }, bufs, 0, k.db)
    rx:check(exp, "before the reset")
    t:step(200)
    t:check(fs.stream_regs(t, c2h).in_packet, "STREAM.IN_PACKET inside the packet")
    t:expect_eq(t:bar_write(t:ch_reg(c2h, "CTRL"), t.bits.CTRL_RESET), "OKAY", "CTRL.RESET")
    local t0 = t:cycle()
    while t:status(c2h).busy do
      t:check(t:cycle() - t0 < 100000, "BUSY stays set after CTRL.RESET")
      t:step(16)
    end
    t:axis_send(c2h, pk[2].bytes, pk[2].tuser, pk[2].tid)
    local bufs2 = make_bufs(t, 4, bl, BUF + 0x10000)
    local rx2 = fs.rx_open(t, c2h, { base = RX_RING + 0x800, cpl = RX_CPL + 0x800, log2 = 3, what = "after reset" })
    for i = 1, 4 do rx2:post(bufs2[i].addr, bufs2[i].len, { tag = 0x20 + i }) end
    rx2:doorbell()
    local exp2 = fs.c2h_ref({ pk[2] }, bufs2, 0, k.db)
    rx2:wait(#exp2)
    rx2:check(exp2)
    t:step(500)
    t:expect_eq(rx2:poll(), 0, "records after the packet that followed the reset")
    t:expect_eq(t:axis_stats(c2h).queued, 0, "source: the cut packet's rest was taken (and discarded)")
    t:check(not fs.stream_regs(t, c2h).in_packet, "STREAM.IN_PACKET after the last TLAST")
  end },

  -- interrupt coalescing on the receive ring: IRQ_COUNT 3 of records with the IRQ flag
  { name = "c2h_irq", fn = function(t)
    local _, c2h, k = both(t)
    local bl = 4 * k.db
    local bit = 1 << c2h
    local bufs = make_bufs(t, 8, bl)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 4, irq_count = 3, irq_cpl = true })
    for i = 1, 6 do rx:post(bufs[i].addr, bufs[i].len, { tag = i, flags = t.desc.IRQ }) end
    rx:doorbell()
    local pk = make_packets(t, { 5, 6, 7, 8, 9, 10 }, 8)
    for i = 1, 2 do t:axis_send(c2h, pk[i].bytes, pk[i].tuser, pk[i].tid) end
    rx:wait(2)
    t:step(50)
    t:check(not t:status(c2h).cpl, "CPL after 2 records (IRQ_COUNT 3)")
    t:expect_eq(t:irq() & bit, 0, "irq after 2 records")
    t:axis_send(c2h, pk[3].bytes, pk[3].tuser, pk[3].tid)
    t:check(t:wait_irq(bit, 200000), "no interrupt after the third record")
    rx:wait(3)
    t:expect_eq(t:bar_write(t:ch_reg(c2h, "STATUS"), t.bits.STATUS_CPL), "OKAY", "clear CPL")
    t:expect_eq(t:irq() & bit, 0, "irq after clearing CPL")
    for i = 4, 6 do t:axis_send(c2h, pk[i].bytes, pk[i].tuser, pk[i].tid) end
    t:check(t:wait_irq(bit, 200000), "no interrupt after 3 more records")
    rx:wait(6)
    rx:check((fs.c2h_ref(pk, bufs, 0, k.db)))
  end },

  -- loopback: host-to-card feeds card-to-host at full rate (stream gaps off),
  -- every byte checked; prints the rate
  { name = "loopback", fn = function(t)
    local h2c, c2h, k = both(t)
    t:axis_gaps(0, 0)
    t:axis_loopback(h2c, c2h, true)
    local bl = 64 * k.db
    local lens = {}
    for i = 1, 24 do lens[i] = ({ 1, 64, 1500, 4 * bl + 5, 333 })[(i % 5) + 1] end
    local pk = make_packets(t, lens, 9)
    local descs = tx_descs(t, pk, { parts = function() return t:rand(1, 2) end })
    local want = fs.h2c_ref(t, descs)
    local bufs = make_bufs(t, 80, bl)
    local exp = fs.c2h_ref(want, bufs, 0, k.db)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = 6 })
    for i = 1, math.min(#exp, rx.size - 1) do rx:post(bufs[i].addr, bufs[i].len, { tag = i }) end
    rx:doorbell()
    local nb = math.min(#exp, rx.size - 1)
    local r = fr.open(t, h2c, { base = TX_RING, cpl = TX_CPL, log2 = 6, what = "host-to-card ring" })
    t:axis_stats_clear()
    pump(t, r, descs, rx, bufs, #exp, nb, "loopback")
    r:wait()
    rx:check(exp)
    fs.expect_packets(t, fs.recv_packets(t, h2c, #want), want, "host-to-card side of the loopback")
    local a = t:axis_stats(c2h)
    local bytes = 0
    for _, p in ipairs(want) do bytes = bytes + #p.bytes end
    t:expect_eq(a.bytes, bytes, "loopback bytes into card-to-host")
    local cyc = a.last_cycle - a.first_cycle + 1
    print(string.format("  stream/loopback: %d packets, %d payload bytes in %d cycles: %.3f of the stream peak " ..
                        "(payload bytes / cycles / DATA_BYTES), %d stall cycles h2c, %d c2h, bus %s",
                        #want, bytes, cyc, bytes / cyc / k.db, t:axis_stats(h2c).stall, a.stall,
                        t:bus_config().rd_lat_max .. " rd latency max"))
  end },

  -- random mixes through the reference model: random packet lengths split
  -- into random descriptors, random buffer size, both directions in loopback,
  -- stream gaps as the seed says
  { name = "random_mix", fn = function(t)
    local h2c, c2h, k = both(t)
    t:axis_loopback(h2c, c2h, true)
    local bl = t:rand(1, 40) * k.db
    -- a third of the seeds with a random MAX_PKT (some packets truncated)
    local max_pkt = t:rand(0, 2) == 0 and t:rand(1, 3 * bl) or 0
    t:expect_eq(t:bar_write(t:ch_reg(c2h, "MAX_PKT"), max_pkt), "OKAY", "MAX_PKT")
    local lens = {}
    for i = 1, t:rand(30, 60) do
      local r = t:rand(0, 9)
      lens[i] = r < 3 and t:rand(1, k.db + 1) or r < 8 and t:rand(1, 3 * bl) or t:rand(1, 2000)
    end
    local pk = make_packets(t, lens, 10)
    local descs = tx_descs(t, pk, { parts = function(n) return t:rand(1, math.min(n, 4)) end })
    local want = fs.h2c_ref(t, descs)
    local nbufs = 0
    for _, p in ipairs(want) do nbufs = nbufs + (#p.bytes + bl - 1) // bl end
    local bufs = make_bufs(t, nbufs, bl)
    local exp = fs.c2h_ref(want, bufs, max_pkt, k.db)
    local rx = fs.rx_open(t, c2h, { base = RX_RING, cpl = RX_CPL, log2 = t:rand(2, 5) })
    local r = fr.open(t, h2c, { base = TX_RING, cpl = TX_CPL, log2 = t:rand(2, 5), what = "host-to-card ring" })
    pump(t, r, descs, rx, bufs, #exp, 0, "random mix")
    r:wait()
    rx:check(exp)
    fs.expect_packets(t, fs.recv_packets(t, h2c, #want), want, "host-to-card side")
    t:log(string.format("%d packets, %d descriptors, %d buffers of %d bytes, MAX_PKT %d", #want, #descs, #exp, bl,
                        max_pkt))
  end },
}
