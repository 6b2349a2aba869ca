-- SPDX-License-Identifier: Apache-2.0
-- ferry_stream: stream channels (issue 8) for the scenarios (require "ferry_stream").
--
--   local fs = require "ferry_stream"
--   local k = fs.kinds(t)                     -- {h2c = {1}, c2h = {2}, db = 8, h2c_mask, c2h_mask}
--   fs.requires(t)                            -- nil, or why this build cannot run stream tests
--
-- Reference model (pure functions of their inputs and the memory contents):
--   fs.h2c_ref(t, descs) -> packets, partial
--       the packets {bytes, tuser, tid} the host-to-card stream must carry for
--       these descriptors in order (bytes packed across descriptors, a packet
--       ends at a descriptor with EOP; tuser/tid of its last descriptor);
--       partial = bytes of a packet not ended yet
--   fs.c2h_ref(packets, bufs, max_pkt, db) -> records, used
--       the record each receive buffer must get when these packets arrive
--       into these buffers (in order): {buf, bytes, sop, eop, status
--       ("NONE" | "TRUNCATED"), tuser, tid, data}; a packet starts in a fresh
--       buffer, a longer one continues in the next; MAX_PKT (0 = none) keeps
--       floor(MAX_PKT / db) beats (at least one) and marks the last record
--       TRUNCATED. used = buffers consumed (records made); stops when buffers
--       run out (the rest is back-pressured, not lost).
--
-- Receive ring (card-to-host): fs.rx_open(t, ch, o) with o as for
-- ferry_ring.open (base, cpl, log2, irq_count, irq_timer, irq_cpl);
--   rx:post(addr, len [, opts])  a buffer descriptor at PROD (opts: flags, tag,
--       desc = a whole descriptor table to write instead, status = expected
--       rejection code name for it, fault = its record's fault address,
--       default the descriptor's own); no doorbell
--   rx:doorbell()
--   rx:poll() -> number of new records (checks phase/index/tag, keeps them)
--   rx:wait(n [, budget])   until n records in all
--   rx:check(exp_records)   the records so far equal the reference model's
--       (BYTES, SOP, EOP, STATUS, TUSER/TID in w3, reserved bits) and each
--       buffer holds exactly the packet bytes (the rest of the buffer and
--       everything around it is left as it was: the shadow gets the bytes,
--       the runner's scoreboard compares every page written)
local fr = require "ferry_ring"

local M = {}

M.POLL = 32
M.BUDGET = 1000000

function M.kinds(t)
  local sc = t:stream_caps()
  local k = { h2c = {}, c2h = {}, db = t.caps.data_bytes, h2c_mask = sc.h2c, c2h_mask = sc.c2h,
              models = sc.models }
  for ch = 0, t.caps.channels - 1 do
    if sc.h2c & (1 << ch) ~= 0 then k.h2c[#k.h2c + 1] = ch end
    if sc.c2h & (1 << ch) ~= 0 then k.c2h[#k.c2h + 1] = ch end
  end
  return k
end

function M.requires(t)
  local k = M.kinds(t)
  if k.h2c_mask == 0 and k.c2h_mask == 0 then
    return "no stream channels in this build (CAP2 = 0); build CFG=stream"
  end
  if #k.h2c == 0 or #k.c2h == 0 then
    return string.format("needs a host-to-card and a card-to-host channel (CAP2 0x%X)",
                         k.h2c_mask | (k.c2h_mask << 16))
  end
  if not k.models then
    return "CAP2 is set but the model has no stream ports"
  end
  return nil
end

-- ---------------------------------------------------------------- reference model

function M.h2c_ref(t, descs)
  local pk, cur, curn = {}, {}, 0
  for _, d in ipairs(descs) do
    local flags = d.flags or 0
    local rows = flags & t.desc.TWO_D ~= 0 and d.rows or 1
    for r = 0, rows - 1 do
      cur[#cur + 1] = t:mem_read(d.src + r * (d.src_stride or 0), d.len)
      curn = curn + d.len
    end
    if flags & t.desc.EOP ~= 0 then
      pk[#pk + 1] = { bytes = table.concat(cur), tuser = d.dst & 0xFF, tid = (d.dst >> 8) & 0xFF }
      cur, curn = {}, 0
    end
  end
  return pk, curn
end

function M.c2h_ref(packets, bufs, max_pkt, db)
  local recs, bi = {}, 1
  local limit = math.huge
  if max_pkt and max_pkt > 0 then
    limit = math.max(max_pkt // db, 1) * db
  end
  for _, p in ipairs(packets) do
    local len = #p.bytes
    local kept, trunc = len, false
    if len > limit then
      kept, trunc = limit, true
    end
    local off = 0
    while off < kept do
      local b = bufs[bi]
      if not b then
        return recs, bi - 1
      end
      local n = math.min(kept - off, b.len)
      local last = off + n == kept
      recs[#recs + 1] = {
        buf = bi, addr = b.addr, bytes = n, sop = off == 0, eop = last,
        status = (last and trunc) and "TRUNCATED" or "NONE",
        tuser = p.tuser or 0, tid = p.tid or 0, data = p.bytes:sub(off + 1, off + n),
      }
      off = off + n
      bi = bi + 1
    end
  end
  return recs, bi - 1
end

-- ---------------------------------------------------------------- receive ring

local Rx = {}
Rx.__index = Rx

function M.rx_open(t, ch, o)
  local r = fr.open(t, ch, o) -- registers, enable, checks
  local rx = setmetatable({
    t = t, ch = ch, base = o.base, cpl = o.cpl, size = 1 << o.log2, log2 = o.log2,
    prod = 0, written = 0, posted = 0, rd = 0, phase = true, recs = {}, bufs = {},
    what = o.what or string.format("ch %d receive ring", ch), ring = r,
  }, Rx)
  return rx
end

function Rx:reg(name)
  return self.t:ch_reg(self.ch, name)
end

function Rx:free()
  return self.size - 1 - (self.written - #self.recs)
end

function Rx:post(addr, len, opts)
  opts = opts or {}
  local t = self.t
  t:check(self:free() > 0, self.what .. ": post() on a full ring")
  local d = opts.desc or { src = 0, dst = addr, len = len, flags = opts.flags or 0, tag = opts.tag or 0 }
  t:mem_write(self.base + 32 * self.prod, t:desc_encode(d))
  self.written = self.written + 1
  self.bufs[self.written] = { addr = d.dst, len = d.len, slot = self.prod, tag = d.tag or 0,
                              status = opts.status, fault = opts.fault or self.base + 32 * self.prod }
  self.prod = (self.prod + 1) % self.size
  return self.written
end

function Rx:doorbell()
  local t = self.t
  t:expect_eq(t:bar_write(self:reg("RING_PROD"), self.prod), "OKAY", self.what .. ": write RING_PROD")
  self.posted = self.written
end

-- Reads records up to RING_CONS (phase, index and tag checked here).
function Rx:poll()
  local t = self.t
  local cons = t:bar_read(self:reg("RING_CONS"))
  t:check(cons < self.size, string.format("%s: RING_CONS %d >= size %d", self.what, cons, self.size))
  local behind = (self.posted % self.size - cons) % self.size
  local seq = self.posted - behind
  local n0 = #self.recs
  t:check(seq >= n0, string.format("%s: RING_CONS %d went backwards (%d records read)", self.what, cons, n0))
  while #self.recs < seq do
    local n = #self.recs + 1
    local b = self.bufs[n]
    local raw = t:mem_read(self.cpl + 16 * self.rd, 16)
    local c = t:cpl_decode(raw)
    local what = string.format("%s: record %d (slot %d)", self.what, n - 1, self.rd)
    t:expect_eq(c.phase, self.phase, what .. ": phase (is the record there?)")
    t:expect_eq(c.index, b.slot, what .. ": INDEX")
    t:expect_eq(c.tag, b.tag, what .. ": USER_TAG")
    c.raw = raw
    c.slot = self.rd
    self.recs[n] = c
    -- the record as read goes to the shadow once rx:check has compared it
    self.rd = self.rd + 1
    if self.rd == self.size then
      self.rd = 0
      self.phase = not self.phase
    end
  end
  return #self.recs - n0
end

-- Polls until n records in all; a halted ring fails unless the record at the
-- halt was expected to be rejected (then CTRL.SKIP and go on).
function Rx:wait(n, budget)
  local t = self.t
  budget = budget or M.BUDGET
  local t0 = t:cycle()
  while true do
    self:poll()
    if #self.recs >= n then
      return t:cycle() - t0
    end
    local s = t:status(self.ch)
    if s.halted then
      self:poll()
      local nxt = #self.recs + 1
      local b = self.bufs[nxt]
      t:check(b ~= nil and b.status ~= nil,
              string.format("%s: halted (STATUS 0x%X, ERR_CODE %s) at buffer %d, no rejection expected",
                            self.what, s.raw, s.err, nxt - 1))
      t:expect_eq(s.err, b.status, self.what .. ": ERR_CODE at the halt")
      t:expect_eq(t:bar_read(self:reg("ERR_DESC")), b.slot, self.what .. ": ERR_DESC")
      t:expect_eq(t:bar_write(self:reg("CTRL"), t.bits.CTRL_SKIP), "OKAY", self.what .. ": CTRL.SKIP")
      local t1 = t:cycle()
      while self:poll() == 0 do
        t:check(t:cycle() - t1 < 100000, self.what .. ": no record after CTRL.SKIP")
        t:step(M.POLL)
      end
      -- the rejected descriptor's record
      local c = self.recs[nxt]
      t:expect_eq(t.err[c.status] or c.status, b.status, self.what .. ": rejected record STATUS")
      t:expect_eq(c.bytes, 0, self.what .. ": rejected record BYTES")
      t:check(not c.sop and not c.eop, self.what .. ": rejected record has SOP/EOP")
      t:expect_eq(c.fault, b.fault & 0xFFFFFFFFFFFF, self.what .. ": rejected record's fault address")
      t:shadow_write(self.cpl + 16 * c.slot, c.raw, self.what .. ": rejected record")
      c.checked = true
      t:expect_eq(t:bar_write(self:reg("STATUS"), t.bits.STATUS_ERROR), "OKAY", self.what .. ": clear ERROR")
    end
    t:check(t:cycle() - t0 <= budget,
            string.format("%s: %d records after %d cycles, expected %d; STATUS 0x%X", self.what, #self.recs,
                          t:cycle() - t0, n, s.raw))
    t:step(M.POLL)
  end
end

-- Compares the records read so far, skipping rejected ones, with exp (from
-- c2h_ref over the accepted buffers, in order).
function Rx:check(exp, what)
  local t = self.t
  what = what or self.what
  local ei = 1
  for n, c in ipairs(self.recs) do
    if not c.checked then
      local e = exp[ei]
      local w = string.format("%s: record %d (buffer %d, slot %d)", what, n - 1, n - 1, c.slot)
      t:check(e ~= nil, w .. ": more records than the reference model has")
      t:expect_eq(t.err[c.status] or c.status, e.status, w .. ": STATUS")
      t:expect_eq(c.bytes, e.bytes, w .. ": BYTES")
      t:expect_eq(c.sop, e.sop, w .. ": SOP")
      t:expect_eq(c.eop, e.eop, w .. ": EOP")
      t:expect_eq(c.tuser, e.tuser, w .. ": TUSER (w3[7:0])")
      t:expect_eq(c.tid, e.tid, w .. ": TID (w3[15:8])")
      t:expect_eq(c.w3 >> 16, 0, w .. ": w3[31:16]")
      t:expect_eq(c.fault >> 32, 0, w .. ": w2[31:16]")
      t:expect_eq(c.reserved & 0x7C, 0, w .. ": reserved bits 30:26")
      local b = self.bufs[n]
      t:expect_eq(b.addr, e.addr, w .. ": buffer address (test bug?)")
      t:expect_mem(b.addr, e.data, w .. ": buffer contents")
      t:shadow_write(b.addr, e.data, w .. ": packet bytes")
      t:shadow_write(self.cpl + 16 * c.slot, c.raw, w)
      c.checked = true
      ei = ei + 1
    else
      -- a rejected buffer takes no data: skip it in the reference buffers
    end
  end
  return ei - 1
end

-- Only the accepted buffers, in order (what the reference model places packets into).
function Rx:accepted_bufs()
  local l = {}
  for i = 1, self.written do
    local b = self.bufs[i]
    if not b.status then
      l[#l + 1] = { addr = b.addr, len = b.len }
    end
  end
  return l
end

-- ---------------------------------------------------------------- helpers

-- Register reads of a channel as a table: STATUS bits and the stream counters.
function M.stream_regs(t, ch)
  local s = t:bar_read(t:ch_reg(ch, "STREAM"))
  return {
    raw = s, kind = s & 3, starved = s & 0x100 ~= 0, in_packet = s & 0x200 ~= 0,
    starve = t:bar_read(t:ch_reg(ch, "STARVE_LO")) | (t:bar_read(t:ch_reg(ch, "STARVE_HI")) << 32),
    packets = t:bar_read(t:ch_reg(ch, "PACKETS")),
    status_starved = t:bar_read(t:ch_reg(ch, "STATUS")) & (1 << 16) ~= 0,
  }
end

-- Direct doorbell by raw register writes (no shadow bookkeeping: a stream
-- transfer writes no memory, or nothing at all when refused).
function M.direct(t, ch, src, dst, len)
  local function w(name, v)
    t:expect_eq(t:bar_write(t:ch_reg(ch, name), v), "OKAY", "direct: write " .. name)
  end
  w("SRC_LO", src & 0xFFFFFFFF)
  w("SRC_HI", (src >> 32) & 0xFFFFFFFF)
  w("DST_LO", dst & 0xFFFFFFFF)
  w("DST_HI", (dst >> 32) & 0xFFFFFFFF)
  w("LEN", len)
  w("CTRL", t.bits.CTRL_START)
end

-- Steps until the sink on h2c has n packets (taken with axis_recv) or budget.
function M.recv_packets(t, ch, n, budget)
  local got = {}
  local t0 = t:cycle()
  while #got < n do
    local p = t:axis_recv(ch)
    if p then
      got[#got + 1] = p
    else
      t:check(t:cycle() - t0 < (budget or 300000),
              string.format("ch %d stream: %d of %d packets after %d cycles (%d bytes of a partial one)", ch, #got,
                            n, t:cycle() - t0, t:axis_partial(ch)))
      t:step(16)
    end
  end
  return got
end

-- Stream packets equal the reference packets (bytes, TUSER, TID).
function M.expect_packets(t, got, want, what)
  t:expect_eq(#got, #want, what .. ": packet count")
  for i, w in ipairs(want) do
    local g = got[i]
    local wi = string.format("%s: packet %d (%d bytes)", what, i - 1, #w.bytes)
    t:expect_eq(g.len, #w.bytes, wi .. ": length")
    if g.bytes ~= w.bytes then
      local k = 1
      while g.bytes:byte(k) == w.bytes:byte(k) do k = k + 1 end
      t:check(false, string.format("%s: bytes differ from offset %d (got 0x%02X, want 0x%02X)", wi, k - 1,
                                   g.bytes:byte(k) or -1, w.bytes:byte(k) or -1))
    end
    t:expect_eq(g.tuser, w.tuser, wi .. ": TUSER")
    t:expect_eq(g.tid, w.tid, wi .. ": TID")
  end
end

M.hex = fr.hex
return M
