-- SPDX-License-Identifier: Apache-2.0
-- ferry_ring: ring mode by raw register access and memory writes, with a
-- scoreboard (require "ferry_ring"). docs/descriptors.md is the contract.
--
--   local fr = require "ferry_ring"
--   local r = fr.open(t, ch, { base = 0x100000, cpl = 0x101000, log2 = 2 })
--   r:put({ src = ..., dst = ..., len = ..., tag = ... })  -- write a descriptor at PROD
--   r:doorbell()                                           -- RING_PROD = the next free slot
--   r:wait()                                               -- until every posted one completed
--   r:run(list_of_descs)                                   -- the three above, in ring-sized batches
--
-- r:put() also applies the reference model to the shadow memory
-- (t:ref_apply), and records what the completion record must say: the
-- descriptor's index, status (t:ref_check, or opts.status), the phase of
-- its pass, bytes (LEN x ROWS, 0 when rejected by the checks) and tag.
-- r:wait() polls RING_CONS; each time it advances, the records up to CONS
-- must already be in memory with the expected contents (a record means the
-- data landed, CONS moves after the record), and each descriptor's
-- destination (opts.check = {addr, len}) is compared with the shadow then.
--
-- Errors halt the ring at the failing descriptor (docs/errors.md). r:wait()
-- then checks the halt (STATUS.HALTED, ERR_CODE and ERR_DESC against the
-- expected status, the record already in its slot) and calls
-- r.on_halt(r, e, status) if set, else writes CTRL.SKIP: the record is then
-- collected as usual. ERROR stays set (tests check it).
local M = {}

local Ring = {}
Ring.__index = Ring

M.POLL = 32             -- cycles between RING_CONS polls
M.BUDGET = 4000000      -- cycles r:wait() waits at most

local function hex(v)
  return string.format("0x%X", v)
end

-- Writes the ring registers and enables the ring. o: base, cpl, log2 (1..15);
-- optional irq_count, irq_timer, irq_cpl (IRQ_ENABLE.CPL), weight, max_out,
-- no_zero (leave the completion ring as it is). Checks RING_ACTIVE, no ERROR,
-- PROD = CONS = 0.
function M.open(t, ch, o)
  local r = setmetatable({
    t = t, ch = ch, base = o.base, cpl = o.cpl, log2 = o.log2, size = 1 << o.log2,
    prod = 0,      -- slot the next descriptor goes to
    posted = 0,    -- descriptors made valid by a doorbell, in all
    written = 0,   -- descriptors written, in all (posted or not yet)
    rd = 0,        -- software read index of the completion ring
    phase = true,  -- the phase a new record at rd has
    done = 0,      -- records checked, in all
    exp = {},      -- expected records, by sequence number (1-based)
    what = o.what or string.format("ch %d ring", ch),
  }, Ring)
  if not o.no_zero then
    t:mem_write(o.cpl, string.rep("\0", 16 * r.size))
  end
  local function w(name, v)
    t:expect_eq(t:bar_write(t:ch_reg(ch, name), v), "OKAY", r.what .. ": write " .. name)
  end
  w("RING_BASE_LO", o.base & 0xFFFFFFFF)
  w("RING_BASE_HI", (o.base >> 32) & 0xFFFFFFFF)
  w("CPL_BASE_LO", o.cpl & 0xFFFFFFFF)
  w("CPL_BASE_HI", (o.cpl >> 32) & 0xFFFFFFFF)
  if o.irq_count then w("IRQ_COUNT", o.irq_count) end
  if o.irq_timer then w("IRQ_TIMER", o.irq_timer) end
  if o.irq_cpl ~= nil then w("IRQ_ENABLE", o.irq_cpl and t.bits.IRQ_ENABLE_CPL or 0) end
  if o.weight then w("WEIGHT", o.weight) end
  if o.max_out then w("MAX_OUT", o.max_out) end
  w("RING_CTRL", t.bits.RING_CTRL_ENABLE | (o.log2 << t.bits.RING_CTRL_LOG2_SIZE_SHIFT))
  local s = t:status(ch)
  t:check(s.ring_active and not s.error,
          string.format("%s: STATUS 0x%X after enabling (ERR_CODE %s), expected RING_ACTIVE",
                        r.what, s.raw, s.err))
  t:expect_eq(t:bar_read(t:ch_reg(ch, "RING_PROD")), 0, r.what .. ": RING_PROD after enabling")
  t:expect_eq(t:bar_read(t:ch_reg(ch, "RING_CONS")), 0, r.what .. ": RING_CONS after enabling")
  return r
end

function Ring:reg(name)
  return self.t:ch_reg(self.ch, name)
end

-- Descriptors that may still be added before the next doorbell.
function Ring:free()
  return self.size - 1 - (self.written - self.done)
end

-- Writes d at slot PROD (no doorbell). opts: status (expected code instead
-- of ref_check, e.g. "DESC_FETCH"), bytes (expected BYTES; "prefix": any
-- count below LEN x ROWS, and the destination's first BYTES bytes, row by
-- row, must equal the source), fault (expected fault address of an error
-- record; default: the descriptor's address for rejected descriptors),
-- no_tag (do not check the tag), no_ref (do not apply the reference model),
-- check = {addr, len} (compared with the shadow when the record arrives).
-- Returns the slot index.
function Ring:put(d, opts)
  opts = opts or {}
  local t = self.t
  t:check(self:free() > 0, self.what .. ": put() on a full ring")
  local idx = self.prod
  t:mem_write(self.base + 32 * idx, t:desc_encode(d))
  local code = t:ref_check(d)
  if not opts.no_ref then
    t:ref_apply(d, string.format("%s: descriptor %d (slot %d, tag 0x%X)", self.what, self.written, idx,
                                 d.tag or 0))
  end
  local status = code
  if opts.status then
    status = type(opts.status) == "string" and t.err[opts.status] or opts.status
  end
  local bytes = 0
  if code == 0 then
    local rows = (d.flags or 0) & t.desc.TWO_D ~= 0 and d.rows or 1
    bytes = (d.len * rows) & 0xFFFFFFFF
  end
  if opts.bytes then
    bytes = opts.bytes
  end
  local fault = opts.fault
  if fault == nil and status ~= 0 and status ~= "NONE" then
    fault = self.base + 32 * idx -- rejected, or its fetch failed: its own address
  end
  self.written = self.written + 1
  self.exp[self.written] = {
    index = idx, status = status, bytes = bytes, tag = d.tag or 0, no_tag = opts.no_tag,
    check = opts.check, desc = d, fault = fault,
  }
  -- the record this descriptor must leave in the completion ring, for the
  -- runner's end-of-test scoreboard (phase 1 on the first pass, then alternating)
  self:shadow_record(self.written, d.tag or 0)
  self.prod = (idx + 1) % self.size
  return idx
end

-- Writes the expected record of sequence number n (1-based) into the shadow.
function Ring:shadow_record(n, tag, bytes, fault)
  local e = self.exp[n]
  local t = self.t
  local b = bytes or e.bytes
  if b == "prefix" then
    b = 0 -- filled in from the record when it arrives
  end
  t:shadow_write(self.cpl + 16 * e.index,
                 t:cpl_encode{ index = e.index, status = e.status, bytes = b, tag = tag,
                               phase = ((n - 1) // self.size) % 2 == 0,
                               fault = (fault or (type(e.fault) == "number" and e.fault) or 0) & 0xFFFFFFFFFFFF },
                 string.format("%s: completion record %d (slot %d)", self.what, n - 1, e.index))
end

-- RING_PROD = the slot after the last written descriptor.
function Ring:doorbell()
  local t = self.t
  t:expect_eq(t:bar_write(self:reg("RING_PROD"), self.prod), "OKAY", self.what .. ": write RING_PROD")
  self.posted = self.written
end

-- Checks the records from the read index up to sequence number upto.
function Ring:collect(upto)
  local t = self.t
  while self.done < upto do
    local n = self.done + 1
    local e = self.exp[n]
    local raw = t:mem_read(self.cpl + 16 * self.rd, 16)
    local c = t:cpl_decode(raw)
    local what = string.format("%s: record %d (slot %d, pass %d)", self.what, n - 1, self.rd,
                               (n - 1) // self.size)
    t:expect_eq(c.phase, self.phase, what .. ": phase (is the record there?)")
    t:expect_eq(c.index, e.index, what .. ": INDEX")
    t:expect_eq(t.err[c.status] or c.status, t.err[e.status] or e.status, what .. ": STATUS")
    if e.bytes == "prefix" then
      self:check_prefix(e.desc, c.bytes, what)
    else
      t:expect_eq(c.bytes, e.bytes, what .. ": BYTES")
    end
    local err = (t.err[e.status] or e.status) ~= "NONE"
    if not err then
      t:expect_eq(c.fault, 0, what .. ": fault address of a good record")
    elseif type(e.fault) == "number" then
      t:expect_eq(c.fault, e.fault & 0xFFFFFFFFFFFF, what .. ": fault address")
    elseif type(e.fault) == "function" then
      t:check(e.fault(c.fault), string.format("%s: fault address 0x%X not as expected", what, c.fault))
    end
    if not e.no_tag then
      t:expect_eq(c.tag, e.tag, what .. ": USER_TAG")
    end
    self:shadow_record(n, c.tag, c.bytes, c.fault) -- the parts not known in advance
    t:expect_eq(c.reserved, 0, what .. ": reserved bits")
    if e.check then
      t:expect_shadow(e.check[1], e.check[2], what .. ": destination")
    end
    e.record = c
    self.done = n
    self.rd = self.rd + 1
    if self.rd == self.size then
      self.rd = 0
      self.phase = not self.phase
    end
  end
  -- with nothing outstanding, the next slot holds no new record (records
  -- of outstanding descriptors may land before CONS moves)
  if self.done == self.written then
    local nxt = t:cpl_decode(t:mem_read(self.cpl + 16 * self.rd, 16))
    t:check(nxt.phase ~= self.phase,
            string.format("%s: a record with the current phase at slot %d, after all %d descriptors",
                          self.what, self.rd, self.written))
  end
end

-- The destination's first `bytes` bytes (rows in order) equal the source:
-- what an error record's BYTES promises. Only for plain (not fixed) copies.
function Ring:check_prefix(d, bytes, what)
  local t = self.t
  local rows = (d.flags or 0) & t.desc.TWO_D ~= 0 and d.rows or 1
  t:check(bytes < d.len * rows, string.format("%s: BYTES %d not below LEN x ROWS %d", what, bytes, d.len * rows))
  local left, row = bytes, 0
  while left > 0 do
    local n = math.min(left, d.len)
    local s = t:mem_read(d.src + row * (d.src_stride or 0), n)
    local got = t:mem_read(d.dst + row * (d.dst_stride or 0), n)
    t:check(s == got, string.format("%s: destination row %d differs from the source within BYTES %d", what, row,
                                    bytes))
    left = left - n
    row = row + 1
  end
end

-- The ring halted at slot cons (sequence number n): check it, then let
-- r.on_halt decide, or skip the descriptor.
function Ring:halted(cons, n, s)
  local t = self.t
  local e = self.exp[n]
  local what = string.format("%s: halted at slot %d (descriptor %d)", self.what, cons, n - 1)
  local want = e and (type(e.status) == "number" and t.err[e.status] or e.status)
  t:check(e ~= nil and want ~= "NONE",
          string.format("%s: STATUS 0x%X, ERR_CODE %s, but no error was expected", what, s.raw, s.err))
  t:expect_eq(s.err, want, what .. ": ERR_CODE")
  t:check(not s.busy and not s.stopping, string.format("%s: STATUS 0x%X: BUSY or STOPPING", what, s.raw))
  t:expect_eq(t:bar_read(self:reg("ERR_DESC")), cons, what .. ": ERR_DESC")
  if self.on_halt then
    self.on_halt(self, e, s)
  else
    t:expect_eq(t:bar_write(self:reg("CTRL"), t.bits.CTRL_SKIP), "OKAY", what .. ": CTRL.SKIP")
  end
  self.halts = (self.halts or 0) + 1
end

-- Sequence number of completed descriptors implied by a RING_CONS value.
function Ring:cons_to_seq(cons)
  local behind = (self.posted % self.size - cons) % self.size
  return self.posted - behind
end

-- Polls RING_CONS until every posted descriptor completed, collecting and
-- checking records as CONS advances. Returns the cycles waited.
function Ring:wait(budget)
  local t = self.t
  budget = budget or M.BUDGET
  local t0 = t:cycle()
  local cons_reg = self:reg("RING_CONS")
  while true do
    local cons, resp = t:bar_read(cons_reg)
    t:expect_eq(resp, "OKAY", self.what .. ": RING_CONS read")
    t:check(cons < self.size, string.format("%s: RING_CONS %d >= ring size %d", self.what, cons, self.size))
    local seq = self:cons_to_seq(cons)
    t:check(seq >= self.done, string.format("%s: RING_CONS %d went backwards (records checked %d, posted %d)",
                                            self.what, cons, self.done, self.posted))
    self:collect(seq)
    if seq == self.posted then
      return t:cycle() - t0
    end
    local s = t:status(self.ch)
    if s.halted then
      -- CONS may have moved since it was read: once HALTED, it stays put
      cons = t:bar_read(cons_reg)
      seq = self:cons_to_seq(cons)
      self:collect(seq)
      self:halted(cons, seq + 1, s)
    end
    if t:cycle() - t0 > budget then
      local s = t:status(self.ch)
      t:check(false, string.format("%s: RING_CONS %d after %d cycles, expected %d (%d of %d complete); " ..
                                   "STATUS 0x%X", self.what, cons, t:cycle() - t0, self.prod, seq,
                                   self.posted, s.raw))
    end
    t:step(M.POLL)
  end
end

-- Puts, rings and waits for the descriptors of list in batches that fit the
-- ring (batch: at most this many per doorbell). opts_of(i, d) gives put()'s
-- opts for list[i] (optional).
function Ring:run(list, batch, opts_of)
  local i = 1
  while i <= #list do
    local n = math.min(self:free(), batch or self.size - 1, #list - i + 1)
    for k = i, i + n - 1 do
      self:put(list[k], opts_of and opts_of(k, list[k]) or nil)
    end
    self:doorbell()
    self:wait()
    i = i + n
  end
end

-- The expected record of sequence number n (1-based), with .record once checked.
function Ring:expected(n)
  return self.exp[n]
end

-- Disables the ring and waits for RING_ACTIVE to drop.
function Ring:close(budget)
  local t = self.t
  t:expect_eq(t:bar_write(self:reg("RING_CTRL"), 0), "OKAY", self.what .. ": RING_CTRL = 0")
  local t0 = t:cycle()
  while t:status(self.ch).ring_active do
    t:check(t:cycle() - t0 < (budget or 100000), self.what .. ": RING_ACTIVE stays set after disabling")
    t:step(M.POLL)
  end
end

M.hex = hex
return M
