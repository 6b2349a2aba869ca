-- SPDX-License-Identifier: Apache-2.0
-- ring: descriptor ring mode by raw register access and memory writes
-- (docs/descriptors.md): the worked example byte for byte, wrapping small
-- rings (index, phase, bytes, tag of every record, RING_CONS), 2D with
-- strides, fixed (FIFO) sources and destinations, completion interrupts
-- with coalescing by count and by time, every descriptor error code with
-- the following descriptors still running, ring configuration errors.
--
-- Data is checked against the reference model: t:mem_write fills the bench
-- memory and its shadow alike, r:put() applies each descriptor to the shadow
-- (t:ref_apply), and t:expect_shadow compares whole areas, so a stray write
-- anywhere in an area (guard bytes, a rejected descriptor's destination)
-- shows.
local fc = require "ferry_check"
local fr = require "ferry_ring"

local RING = 0x00100000 -- descriptor ring (the worked example's)
local CPL = 0x00101000  -- completion ring
local SRC = 0x00200000  -- source area
local DST = 0x00300000  -- destination area
local AREA = 0x00080000 -- bytes of each area filled and compared

-- "00 10 00 01 ..." -> bytes
local function unhex(s)
  return (s:gsub("%s+", ""):gsub("..", function(h) return string.char(tonumber(h, 16)) end))
end

-- Fills the source and destination areas with distinct patterns (shadow too).
local function fill_areas(t, len)
  len = len or AREA
  t:mem_fill(SRC, len, t:seed() + 1)
  t:mem_fill(DST, len, t:seed() + 2)
end

local function check_areas(t, what, len)
  len = len or AREA
  t:expect_shadow(SRC, len, what .. ": source area")
  t:expect_shadow(DST, len, what .. ": destination area")
end

-- Channel under test: the last one, so the control port's ID and the
-- channel's differ from the direct-mode scenarios' channel 0.
local function test_ch(t)
  return t.caps.channels - 1
end

local function counters(t, ch)
  return t:bar_read(t:ch_reg(ch, "DESC_DONE")), t:bar_read(t:ch_reg(ch, "ERRORS"))
end

-- A random 1D descriptor inside the areas: len 1..maxlen at random
-- alignments, destination at dst_off (its own slot).
local function random_desc(t, dst_off, maxlen, tag)
  local len = t:rand(1, maxlen)
  return {
    src = SRC + t:rand(0, AREA - maxlen - 1),
    dst = DST + dst_off + t:rand(0, 63),
    len = len,
    tag = tag,
  }
end

return {
  {
    name = "worked_example",
    fn = function(t)
      local ch = test_ch(t)
      fill_areas(t, 0x4000)
      local d0 = { src = 0x00200000, dst = 0x00300000, len = 4096, flags = t.desc.IRQ, tag = 0x0011 }
      local d1 = { src = 0x00202003, dst = 0x00302000, len = 100, flags = t.desc.TWO_D, tag = 0x0022,
                   rows = 3, src_stride = 256, dst_stride = 128 }
      -- the encoder gives the document's bytes
      t:expect_eq(t:desc_encode(d0), unhex([[00 00 20 00 00 00 00 00  00 00 30 00 00 00 00 00
                                              00 10 00 01  11 00 00 00  00 00 00 00 00 00 00 00]]),
                  "descriptor 0 bytes")
      t:expect_eq(t:desc_encode(d1), unhex([[03 20 20 00 00 00 00 00  00 20 30 00 00 00 00 00
                                              64 00 00 08  22 00 03 00  00 01 00 00 80 00 00 00]]),
                  "descriptor 1 bytes")
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      r:put(d0)
      r:put(d1)
      t:expect_eq(r.prod, 2, "the doorbell value")
      r:doorbell() -- RING_PROD = 2
      r:wait()
      t:expect_eq(t:bar_read(t:ch_reg(ch, "RING_CONS")), 2, "RING_CONS")
      t:expect_mem(CPL, unhex([[00 00 00 80  00 10 00 00  11 00 00 00  00 00 00 00
                                01 00 00 80  2C 01 00 00  22 00 00 00  00 00 00 00]]),
                   "the two completion records")
      t:expect_mem(CPL + 32, string.rep("\0", 32), "records 2 and 3 still zero")
      check_areas(t, "worked example", 0x4000)
      local done, errs = counters(t, ch)
      t:expect_eq(done, 2, "DESC_DONE")
      t:expect_eq(errs, 0, "ERRORS")
      local s = t:status(ch)
      t:check(s.ring_active and not s.error and not s.busy,
              string.format("STATUS 0x%X: expected RING_ACTIVE only", s.raw))
      r:close()
    end,
  },
  {
    name = "wrap_small_ring",
    fn = function(t)
      -- 4 entries, 60 descriptors in batches of 1..3: 15 passes over the ring
      local ch = test_ch(t)
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      local n, slot = 0, 0
      while n < 60 do
        local k = math.min(t:rand(1, 3), 60 - n)
        for _ = 1, k do
          n = n + 1
          local d = random_desc(t, slot * 0x1000, 700, 0xA000 + n)
          r:put(d, { check = { d.dst, d.len } })
          slot = (slot + 1) % (AREA // 0x1000)
        end
        r:doorbell()
        r:wait()
        t:expect_eq(t:bar_read(r:reg("RING_CONS")), r.prod, "RING_CONS after " .. n .. " descriptors")
        t:expect_eq(t:bar_read(r:reg("RING_PROD")), r.prod, "RING_PROD after " .. n .. " descriptors")
      end
      t:expect_eq(r.done, 60, "records checked")
      check_areas(t, "60 descriptors through 4 entries")
      t:expect_eq((counters(t, ch)), 60, "DESC_DONE")
    end,
  },
  {
    name = "wrap_two_entries",
    fn = function(t)
      -- the smallest ring: one descriptor at a time, the phase flips every other
      local ch = 0
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING + 0x800, cpl = CPL + 0x800, log2 = 1 })
      for n = 1, 12 do
        local d = random_desc(t, n * 0x1000, 300, n)
        r:put(d, { check = { d.dst, d.len } })
        r:doorbell()
        r:wait()
      end
      check_areas(t, "12 descriptors through 2 entries")
    end,
  },
  {
    name = "wrap_streaming",
    fn = function(t)
      -- keep an 8-entry ring full: new descriptors as soon as CONS frees slots
      local ch = test_ch(t)
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      local total, n = 80, 0
      local cons_reg = r:reg("RING_CONS")
      local t0 = t:cycle()
      while r.done < total do
        local added = 0
        while n < total and r:free() > 0 do
          n = n + 1
          local d = random_desc(t, (n % 120) * 0x1000, 2000, n)
          if n % 7 == 0 then
            d.flags, d.rows, d.src_stride, d.dst_stride = t.desc.TWO_D, t:rand(1, 4), t:rand(0, 3000), 800
            d.len = t:rand(1, 800)
          end
          r:put(d)
          added = added + 1
        end
        if added > 0 then
          r:doorbell()
        end
        local cons = t:bar_read(cons_reg)
        r:collect(r:cons_to_seq(cons))
        t:check(t:cycle() - t0 < fr.BUDGET, "streaming: no progress; records " .. r.done)
        t:step(fr.POLL)
      end
      t:expect_eq(t:bar_read(cons_reg), r.prod, "RING_CONS at the end")
      check_areas(t, "80 descriptors streamed")
    end,
  },
  {
    name = "two_d_strides",
    fn = function(t)
      local ch = test_ch(t)
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 4 })
      local T = t.desc.TWO_D
      local shapes = {
        -- rows, len, src_stride, dst_stride: what it covers
        { 3, 100, 256, 128, "the worked example's shape" },
        { 8, 64, 64, 64, "strides = LEN: one contiguous block" },
        { 5, 37, 4096 + 3, 4096 - 5, "rows on different pages, unaligned" },
        { 4, 300, 1000, 200, "destination rows overlap: later rows win" },
        { 6, 50, 0, 64, "source stride 0: one source row repeated" },
        { 5, 70, 300, 0, "destination stride 0: the last row wins" },
        { 200, 3, 7, 5, "200 rows of 3 bytes" },
        { 1, 2000, 0, 0, "one row, strides 0" },
        { 2, 5000, 6000, 5003, "rows longer than a page" },
        { 65535 // 4096 + 2, 1, 4096, 1, "17 one-byte rows" },
      }
      local list = {}
      for i, sh in ipairs(shapes) do
        list[i] = { src = SRC + i * 0x8000 + t:rand(0, 63), dst = DST + i * 0x8000 + t:rand(0, 63),
                    len = sh[2], flags = T, rows = sh[1], src_stride = sh[3], dst_stride = sh[4], tag = i }
        t:log(string.format("desc %d: %d rows x %d, strides %d/%d: %s", i - 1, sh[1], sh[2], sh[3], sh[4], sh[5]))
      end
      r:run(list)
      check_areas(t, "2D descriptors")
    end,
  },
  {
    name = "fence_orders_descriptors",
    fn = function(t)
      -- a FENCE descriptor copies what earlier ones wrote: its reads of
      -- that area come after their last write response there, and the
      -- bytes arrive intact through a chain of 1D, 2D and fixed-destination
      -- descriptors (docs/descriptors.md, "Ordering"; without FENCE the
      -- channel pipelines and such bytes are undefined)
      local ch = test_ch(t)
      if not t.desc.FENCE then
        t:log("this build's ferry_desc.h has no FENCE flag: nothing to check")
        return
      end
      local db = t.caps.data_bytes
      local F = t.desc.FENCE
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      local len = 16 * db + 5
      local a = { src = SRC + 0x3000, dst = DST + 0x10000, len = len, tag = 1 }
      local b = { src = a.dst, dst = DST + 0x20000, len = len, flags = F, tag = 2 }
      local c = { src = b.dst + 3, dst = DST + 0x30000 + 1, len = 4 * db, flags = F | t.desc.TWO_D, rows = 4,
                  src_stride = 4 * db, dst_stride = 5 * db, tag = 3 }
      local d = { src = c.dst + 5 * db, dst = DST + 0x40000, len = 3 * db + 1, flags = F | t.desc.DST_FIXED,
                  tag = 4 }
      t:trace_start()
      r:run({ a, b, c, d })
      local function overlaps(e, lo, hi)
        local s0 = e.addr & ~(db - 1)
        local last = e.burst == "FIXED" and s0 + db - 1 or s0 + e.beats * db - 1
        return s0 <= hi and lo <= last
      end
      local ev = t:trace()
      -- each fenced descriptor's first read of its source after the last
      -- write response to that area (written only by earlier descriptors)
      for _, x in ipairs({ { b, "b" }, { c, "c (2D)" }, { d, "d (fixed destination)" } }) do
        local desc, name = x[1], x[2]
        local rows = desc.rows and desc.rows > 0 and desc.rows or 1
        local lo = desc.src
        local hi = desc.src + (rows - 1) * (desc.src_stride or 0) + desc.len - 1
        local first_ar, last_b
        for _, e in ipairs(ev) do
          if e.id == ch and e.kind == "AR" and not first_ar and overlaps(e, lo, hi) then
            first_ar = e
          elseif e.id == ch and e.kind == "B" and overlaps(e, lo, hi) then
            last_b = e
          end
        end
        t:check(first_ar and last_b, name .. ": no read or no write of its source area on the bus")
        t:check(first_ar.cycle > last_b.cycle,
                string.format("FENCE descriptor %s read 0x%X at cycle %d before the last write response there " ..
                              "(AW 0x%X, B at cycle %d)", name, first_ar.addr, first_ar.cycle, last_b.addr,
                              last_b.cycle))
      end
      t:expect_eq(t:mem_read(b.dst, len), t:mem_read(a.src, len), "bytes through the first two descriptors")
      check_areas(t, "fenced chain")
    end,
  },
  {
    name = "fixed_source",
    fn = function(t)
      local ch = test_ch(t)
      local db = t.caps.data_bytes
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      local F = t.desc.SRC_FIXED
      t:stats_clear()
      r:run({
        { src = SRC + 0x100, dst = DST + 0x1000, len = db, flags = F, tag = 1 },
        { src = SRC + 0x200, dst = DST + 0x2000 + 5, len = 40 * db + 3, flags = F, tag = 2 },
        { src = SRC + 0x300, dst = DST + 0x4000 + 1, len = 3, flags = F, tag = 3 },
        { src = SRC + 0x400, dst = DST + 0x6000 + db - 1, len = 1000, flags = F, tag = 4 },
        { src = SRC + 0x500, dst = DST + 0x8000 + 7, len = 90, flags = F | t.desc.TWO_D, rows = 3,
          dst_stride = 200, tag = 5 },
      })
      check_areas(t, "fixed sources")
      local st = t:stats()
      t:check(st.ar_fixed > 0, "no FIXED read burst on the bus")
      t:expect_eq(st.aw_fixed, 0, "FIXED write bursts")
    end,
  },
  {
    name = "fixed_destination",
    fn = function(t)
      local ch = test_ch(t)
      local db = t.caps.data_bytes
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      local F = t.desc.DST_FIXED
      t:stats_clear()
      r:run({
        { src = SRC + 0x100, dst = DST + 0x1000, len = db, flags = F, tag = 1 },
        { src = SRC + 0x200 + 5, dst = DST + 0x2000, len = 40 * db + 3, flags = F, tag = 2 },
        { src = SRC + 0x300 + 1, dst = DST + 0x3000, len = 3, flags = F, tag = 3 },
        { src = SRC + 0x400 + db - 1, dst = DST + 0x4000 + db, len = 1000, flags = F, tag = 4 },
        { src = SRC + 0x500 + 7, dst = DST + 0x5000, len = 90, flags = F | t.desc.TWO_D, rows = 3,
          src_stride = 200, tag = 5 },
      })
      check_areas(t, "fixed destinations")
      local st = t:stats()
      t:check(st.aw_fixed > 0, "no FIXED write burst on the bus")
      t:expect_eq(st.ar_fixed, 0, "FIXED read bursts")
    end,
  },
  {
    name = "fixed_both",
    fn = function(t)
      local ch = test_ch(t)
      local db = t.caps.data_bytes
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      local F = t.desc.SRC_FIXED | t.desc.DST_FIXED
      r:run({
        { src = SRC + 0x100, dst = DST + 0x1000, len = 33 * db + 1, flags = F, tag = 1 },
        { src = SRC + 0x200, dst = DST + 0x2000, len = 5, flags = F, tag = 2 },
        { src = SRC + 0x300, dst = DST + 0x3000, len = 64, flags = F | t.desc.TWO_D, rows = 4, tag = 3 },
      })
      check_areas(t, "fixed source and destination")
    end,
  },
  {
    name = "irq_coalesce_count",
    fn = function(t)
      local ch = test_ch(t)
      local bit = 1 << ch
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3, irq_count = 3, irq_cpl = true })
      local I = t.desc.IRQ
      local function batch(flags_list, what)
        for _, f in ipairs(flags_list) do
          local d = random_desc(t, (r.written % 100) * 0x1000, 200, r.written)
          d.flags = f
          r:put(d)
        end
        r:doorbell()
        r:wait()
        t:step(20)
        return t:status(ch)
      end
      -- 2 eligible of 5: no interrupt
      local s = batch({ I, 0, 0, I, 0 }, "2 of 5")
      t:check(not s.cpl, string.format("STATUS 0x%X: CPL after 2 eligible completions (IRQ_COUNT 3)", s.raw))
      t:expect_eq(t:irq() & bit, 0, "irq after 2 eligible completions")
      -- the third: CPL and the line
      s = batch({ 0, I }, "third")
      t:check(s.cpl, string.format("STATUS 0x%X: no CPL after 3 eligible completions", s.raw))
      t:expect_eq(t:irq() & bit, bit, "irq after 3 eligible completions")
      t:expect_eq(t:bar_read(t.regs.IRQ_STATUS) & bit, bit, "IRQ_STATUS")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_CPL), "OKAY", "clear CPL")
      t:expect_eq(t:irq() & bit, 0, "irq after clearing CPL")
      t:check(not t:status(ch).cpl, "CPL after writing 1 to it")
      -- errors count as eligible: 2 rejected descriptors and one IRQ descriptor
      r:put({ src = SRC, dst = DST + 0x70000, len = 0, tag = 0xE1 })
      r:put({ src = SRC, dst = DST + 0x70000, len = 8, flags = 0x80, tag = 0xE2 })
      s = batch({ 0 }, "two errors, no IRQ flag")
      t:check(not s.cpl, string.format("STATUS 0x%X: CPL after 2 eligible (errors)", s.raw))
      t:check(s.error, "STATUS.ERROR after the rejected descriptors")
      s = batch({ I }, "two errors and an IRQ descriptor")
      t:check(s.cpl, string.format("STATUS 0x%X: no CPL after 2 errors and an IRQ descriptor", s.raw))
      t:check(t:wait_irq(bit, 10), "irq line for CPL")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_CPL | t.bits.STATUS_ERROR), "OKAY",
                  "clear CPL and ERROR")
      t:expect_eq(t:irq() & bit, 0, "irq after clearing")
      -- IRQ_COUNT 0 behaves as 1; IRQ_ENABLE.CPL 0 keeps the line low
      t:expect_eq(t:bar_write(t:ch_reg(ch, "IRQ_COUNT"), 0), "OKAY", "IRQ_COUNT = 0")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "IRQ_ENABLE"), 0), "OKAY", "IRQ_ENABLE = 0")
      s = batch({ I }, "IRQ_COUNT 0")
      t:check(s.cpl, string.format("STATUS 0x%X: no CPL with IRQ_COUNT 0 after one", s.raw))
      t:expect_eq(t:irq() & bit, 0, "irq with IRQ_ENABLE.CPL clear")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "IRQ_ENABLE"), t.bits.IRQ_ENABLE_CPL), "OKAY", "IRQ_ENABLE.CPL")
      t:check(t:wait_irq(bit, 4), "irq once IRQ_ENABLE.CPL is set with CPL pending")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_CPL), "OKAY", "clear CPL")
      check_areas(t, "interrupt batches")
    end,
  },
  {
    name = "irq_wait_for_line",
    fn = function(t)
      -- software sleeps on the line: IRQ_COUNT 4, 8 descriptors all with IRQ,
      -- two interrupts, the records are there when each fires
      local ch = test_ch(t)
      local bit = 1 << ch
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 4, irq_count = 4, irq_cpl = true })
      for n = 1, 8 do
        local d = random_desc(t, n * 0x2000, 3000, n)
        d.flags = t.desc.IRQ
        r:put(d, { check = { d.dst, d.len } })
      end
      r:doorbell()
      -- the driver's loop: sleep, clear CPL, then read the records (a count
      -- reached while CPL was still set needs no second interrupt)
      local irqs = 0
      while r.done < 8 do
        t:check(t:wait_irq(bit, 2000000), string.format("no interrupt; %d records so far", r.done))
        irqs = irqs + 1
        local need = 4 * irqs
        t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_CPL), "OKAY", "clear CPL")
        local seq = r:cons_to_seq(t:bar_read(r:reg("RING_CONS")))
        t:check(seq >= need, string.format("interrupt %d with only %d descriptors complete", irqs, seq))
        r:collect(seq)
      end
      t:check(irqs <= 2, irqs .. " interrupts for 8 completions with IRQ_COUNT 4")
      t:step(50)
      t:expect_eq(t:irq() & bit, 0, "no third interrupt")
      check_areas(t, "8 descriptors")
    end,
  },
  {
    name = "irq_coalesce_timer",
    fn = function(t)
      local ch = test_ch(t)
      local bit = 1 << ch
      local TIMER = 600
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2, irq_count = 100, irq_timer = TIMER,
                                 irq_cpl = true })
      local cons_reg = r:reg("RING_CONS")
      for k = 1, 3 do
        local d = random_desc(t, k * 0x1000, 100, k)
        d.flags = k == 2 and 0 or t.desc.IRQ -- the second is not eligible: no timer
        r:put(d)
        r:doorbell()
        -- bracket the completion between two polls of RING_CONS
        local before = t:cycle()
        local after
        while true do
          local cons = t:bar_read(cons_reg)
          after = t:cycle()
          if cons == r.prod then
            break
          end
          before = after
          t:check(after < 2000000, "descriptor " .. k .. " does not complete")
        end
        r:collect(r.posted)
        if k == 2 then
          t:check(not t:wait_irq(bit, 2 * TIMER), "interrupt for a completion without the IRQ flag")
        else
          local fired = t:wait_irq(bit, TIMER + 100)
          local at = t:cycle()
          t:check(fired, "no interrupt within IRQ_TIMER + 100 cycles")
          -- the completion came between `before` and `after`; the CPL write
          -- response and the irq register add a few cycles
          t:log(string.format("completion in [%d, %d], irq at %d", before, after, at))
          t:check(at >= before + TIMER - 4 and at <= after + TIMER + 16,
                  string.format("irq at %d, completion in [%d, %d]: expected IRQ_TIMER (%d) cycles later",
                                at, before, after, TIMER))
          t:check(t:status(ch).cpl, "STATUS.CPL with the timer interrupt")
          t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_CPL), "OKAY", "clear CPL")
          t:expect_eq(t:irq() & bit, 0, "irq after clearing CPL")
        end
      end
      check_areas(t, "timer descriptors")
    end,
  },
  {
    name = "bad_descriptors",
    fn = function(t)
      local ch = test_ch(t)
      local db = t.caps.data_bytes
      local aw = t.caps.addr_width
      local top = aw == 64 and 0 or (1 << aw) -- 2^ADDR_WIDTH (0: wraps)
      fill_areas(t)
      -- memory just below the top, where ADDR_RANGE destinations point
      t:mem_fill(top - 0x4000, 0x4000, t:seed() + 3)
      local T, SF, DF = t.desc.TWO_D, t.desc.SRC_FIXED, t.desc.DST_FIXED
      local bad = {
        { "DESC_RESERVED", { len = 64, flags = 0x40 } },
        { "DESC_RESERVED", { len = 64, flags = 0x80 | t.desc.IRQ } },
        { "DESC_RESERVED", { len = 64, rows = 2 } },
        { "DESC_RESERVED", { len = 64, src_stride = 64 } },
        { "DESC_RESERVED", { len = 64, dst_stride = 64 } },
        { "DESC_RESERVED", { len = 64, flags = T | SF, rows = 2, src_stride = 64 } },
        { "DESC_RESERVED", { len = 64, flags = T | DF, rows = 2, dst_stride = 64 } },
        { "DESC_RESERVED", { len = 0, flags = 0x40 } },
        { "LEN_ZERO", { len = 0 } },
        { "LEN_ZERO", { len = 10, flags = T, rows = 0, src_stride = 16 } },
        { "LEN_ZERO", { len = 0, flags = SF, src_off = 1 } },
        { "FIXED_ALIGN", { len = 64, flags = SF, src_off = 1 } },
        { "FIXED_ALIGN", { len = 64, flags = DF, dst_off = db // 2 } },
        { "FIXED_ALIGN", { len = 64, flags = DF | T, rows = 2, src_stride = 64, dst_off = db - 1 } },
        { "ADDR_RANGE", { len = 16, src = top - 8 } },
        { "ADDR_RANGE", { len = 16, dst = top - 8 } },
        { "ADDR_RANGE", { len = 0x20, src = top - 0x3000, flags = T, rows = 4, src_stride = 0x1000 } },
        { "ADDR_RANGE", { len = 0x20, dst = top - 0x3000, flags = T, rows = 4, dst_stride = 0x1000 } },
        { "ADDR_RANGE", { len = 1, dst = top - 0x1000, flags = T, rows = 0xFFFF, dst_stride = 0x100000 } },
      }
      if aw < 64 then
        bad[#bad + 1] = { "ADDR_RANGE", { len = 1, src = top + 0x100 } }
        bad[#bad + 1] = { "ADDR_RANGE", { len = 64, dst = top | 0x1000 } }
      else
        bad[#bad + 1] = { "ADDR_RANGE", { len = 64, src = -32 } }
      end
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 4 })
      local list, expect = {}, {}
      for i, b in ipairs(bad) do
        local code, d = b[1], b[2]
        local slot = DST + 0x40000 + i * 0x1000
        local bd = {
          src = d.src or (SRC + i * 0x1000 + (d.src_off or 0)),
          dst = d.dst or (slot + (d.dst_off or 0)),
          len = d.len, flags = d.flags or 0, rows = d.rows or 0,
          src_stride = d.src_stride or 0, dst_stride = d.dst_stride or 0, tag = 0xBAD0 + i,
        }
        local got = select(2, t:ref_check(bd))
        t:expect_eq(got, code, string.format("reference model's code for bad descriptor %d", i))
        list[#list + 1] = bd
        expect[#list] = code
        -- a good one after each
        local g = random_desc(t, i * 0x1000, 500, 0x600D + i)
        list[#list + 1] = g
        expect[#list] = "NONE"
      end
      r:run(list, nil, function(k, d) return { check = expect[k] == "NONE" and { d.dst, d.len } or nil } end)
      for k = 1, #list do
        t:expect_eq(t.err[r:expected(k).record.status], expect[k],
                    string.format("record %d (tag 0x%X)", k - 1, list[k].tag))
      end
      check_areas(t, "bad and good descriptors")
      t:expect_shadow(top - 0x4000, 0x4000, "memory below 2^ADDR_WIDTH")
      local done, errs = counters(t, ch)
      t:expect_eq(done, #list, "DESC_DONE")
      t:expect_eq(errs, #bad, "ERRORS")
      local s = t:status(ch)
      t:check(s.error, string.format("STATUS 0x%X: ERROR expected", s.raw))
      t:expect_eq(s.err, bad[#bad][1], "ERR_CODE holds the last error")
    end,
  },
  {
    name = "desc_fetch_error",
    fn = function(t)
      local ch = test_ch(t)
      local db = t.caps.data_bytes
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      -- slot 2's fetch answers SLVERR; slots sharing its bus beats do too
      local lo, hi = RING + 2 * 32, RING + 2 * 32 + 31
      t:mem_inject_error(lo, hi, "read", "SLVERR")
      local function hit(slot)
        local a = (RING + 32 * slot) & ~(db - 1)
        local b = ((RING + 32 * slot + 31) & ~(db - 1)) + db - 1
        return a <= hi and lo <= b
      end
      for n = 0, 5 do
        local d = random_desc(t, n * 0x1000, 400, 0x100 + n)
        if hit(n) then
          r:put(d, { status = "DESC_FETCH", bytes = 0, no_ref = true, no_tag = true })
        else
          r:put(d, { check = { d.dst, d.len } })
        end
      end
      r:doorbell()
      r:wait()
      for n = 0, 5 do
        local e = r:expected(n + 1)
        t:log(string.format("slot %d: status %s, bytes %d, tag 0x%X", n, t.err[e.record.status],
                            e.record.bytes, e.record.tag))
      end
      check_areas(t, "descriptor fetch error")
      local s = t:status(ch)
      t:expect_eq(s.err, "DESC_FETCH", "ERR_CODE")
      t:mem_inject_error(lo, hi, "read", "OKAY")
      -- the same slots work on the next pass
      for n = 6, 13 do
        local d = random_desc(t, n * 0x1000, 400, 0x100 + n)
        r:put(d, { check = { d.dst, d.len } })
        if r:free() == 0 or n == 13 then
          r:doorbell()
          r:wait()
        end
      end
      check_areas(t, "after the fetch error")
    end,
  },
  {
    name = "data_bus_errors",
    fn = function(t)
      -- RD_RESP and WR_RESP in ring mode: the ring halts at the descriptor,
      -- whose record has the code, the bytes written before the fault (the
      -- destination holds the source there) and the failing burst's
      -- address; after CTRL.SKIP the next ones run normally
      local ch = test_ch(t)
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      local rd = { src = SRC + 0x10003, dst = DST + 0x10000, len = 3000, tag = 0xD1 }
      local wr = { src = SRC + 0x20000, dst = DST + 0x20005, len = 100, flags = t.desc.TWO_D, rows = 5,
                   src_stride = 300, dst_stride = 400, tag = 0xD2 }
      t:mem_inject_error(rd.src + 1000, rd.src + 1000, "read", "DECERR")
      t:mem_inject_error(wr.dst + 1210, wr.dst + 1210, "write", "SLVERR")
      local list = {}
      for k = 1, 3 do
        local d = random_desc(t, k * 0x1000, 500, k)
        d.src = SRC + 0x30000 + t:rand(0, 0x1000)
        list[#list + 1] = d
      end
      table.insert(list, 2, rd)
      table.insert(list, 4, wr)
      -- the failing burst starts at or below the bad byte, beat aligned, and
      -- covers it (MAX_BURST_LEN beats at most)
      local db, mbl = t.caps.data_bytes, t.caps.max_burst
      local function burst_of(a)
        return function(f)
          return f <= a and f % db == 0 and a < f + mbl * db
        end
      end
      r:run(list, nil, function(k)
        if k == 2 then
          return { status = "RD_RESP", no_ref = true, bytes = "prefix", fault = burst_of(rd.src + 1000) }
        elseif k == 4 then
          return { status = "WR_RESP", no_ref = true, bytes = "prefix", fault = burst_of(wr.dst + 1210) }
        end
        return nil
      end)
      t:expect_eq(r.halts, 2, "halts")
      for k = 2, 4, 2 do
        local e = r:expected(k)
        t:log(string.format("record %d: %s, BYTES %d (LEN x ROWS %d), fault 0x%X", k - 1, t.err[e.record.status],
                            e.record.bytes, e.desc.len * ((e.desc.rows or 0) > 0 and e.desc.rows or 1),
                            e.record.fault))
      end
      -- destination contents of the failed ones are undefined: take them as they are
      t:unpredictable(rd.dst, rd.len, "RD_RESP: destination contents undefined")
      for row = 0, wr.rows - 1 do
        t:unpredictable(wr.dst + row * wr.dst_stride, wr.len, "WR_RESP: destination contents undefined")
      end
      check_areas(t, "bus errors")
      local _, errs = counters(t, ch)
      t:expect_eq(errs, 2, "ERRORS")
    end,
  },
  {
    name = "high_addresses",
    fn = function(t)
      -- rings and data at the top of the address space: RING_BASE_HI and
      -- CPL_BASE_HI, 64-bit descriptor addresses, the last byte below 2^ADDR_WIDTH
      local ch = test_ch(t)
      local aw = t.caps.addr_width
      local top = aw == 64 and 0 or (1 << aw)
      local ring, cpl = top - 0x100000, top - 0xFF000
      local src, dst = top - 0x80000, top - 0x40000
      t:mem_fill(src, 0x20000, t:seed() + 7)
      t:mem_fill(dst, 0x40000, t:seed() + 8)
      local r = fr.open(t, ch, { base = ring, cpl = cpl, log2 = 3 })
      local list = {}
      for k = 1, 10 do
        local len = t:rand(1, 3000)
        list[k] = { src = src + t:rand(0, 0x20000 - len), dst = dst + k * 0x3000 + t:rand(0, 64), len = len, tag = k }
      end
      -- the very last bytes of the address space: read (a fixed source in
      -- the last beat), then written
      list[#list + 1] = { src = top - t.caps.data_bytes, dst = dst + 0x100, len = 64, flags = t.desc.SRC_FIXED,
                          tag = 0xF1F }
      r:run(list)
      r:run({ { src = src + 5, dst = top - 77, len = 77, tag = 0xE0D } })
      t:expect_shadow(src, 0x20000, "source area at the top")
      t:expect_shadow(dst, 0x40000, "destination area up to 2^ADDR_WIDTH")
    end,
  },
  {
    name = "disable_and_reenable",
    fn = function(t)
      -- RING_CTRL = 0 with descriptors pending: the fetched ones complete in
      -- order, the rest never run, RING_ACTIVE drops once the channel is
      -- idle; re-enabling starts over at index 0, phase 1
      local ch = test_ch(t)
      local N = 63
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 6 })
      local list = {}
      for k = 1, N do
        list[k] = { src = SRC + k * 0x100, dst = DST + k * 0x1000, len = 0x800, tag = k }
        r:put(list[k], { no_ref = true })
      end
      t:trace_start()
      r:doorbell()
      t:step(300)
      local c0 = t:cycle()
      t:expect_eq(t:bar_write(r:reg("RING_CTRL"), 0), "OKAY", "RING_CTRL = 0")
      local c1 = t:cycle()
      -- descriptors fetched: those in fetch bursts (the control port's reads
      -- of the ring) before the write, and in all
      local early, fetched = 0, 0
      local function count_fetches()
        early, fetched = 0, 0
        for _, e in ipairs(t:trace()) do
          if e.kind == "AR" and e.id == t.caps.channels and e.addr >= RING and e.addr < RING + 32 * 64 then
            -- a fetch reads a run of descriptors; on buses wider than a
            -- descriptor, one descriptor per (one-beat) read
            local db = t.caps.data_bytes
            local nd = db > 32 and 1 or e.beats * db // 32
            fetched = fetched + nd
            if e.cycle < c0 then
              early = early + nd
            end
          end
        end
      end
      local t0 = t:cycle()
      local s = t:status(ch)
      local last_cons, since = -1, t:cycle()
      while s.ring_active or s.busy do
        local cn = t:bar_read(r:reg("RING_CONS"))
        if cn ~= last_cons then
          last_cons, since = cn, t:cycle()
        end
        -- stuck: no completion for 5000 cycles (or no end at all)
        if t:cycle() - since > 5000 or t:cycle() - t0 > 400000 then
          count_fetches()
          t:check(false, string.format("STATUS 0x%X: RING_ACTIVE/BUSY stay set %d cycles after RING_CTRL = 0 " ..
                                       "(written in cycles %d..%d); RING_CONS %d, RING_PROD %d, %d descriptors " ..
                                       "fetched, DESC_DONE %d", s.raw, t:cycle() - c1, c0, c1,
                                       t:bar_read(r:reg("RING_CONS")), t:bar_read(r:reg("RING_PROD")), fetched,
                                       (counters(t, ch))))
        end
        t:step(256)
        s = t:status(ch)
      end
      count_fetches()
      local cons = t:bar_read(r:reg("RING_CONS"))
      t:log(string.format("disabled in cycles %d..%d: %d descriptors fetched before, %d in all; RING_CONS %d",
                          c0, c1, early, fetched, cons))
      t:check(fetched >= early and fetched < N, string.format("%d of %d descriptors fetched", fetched, N))
      t:expect_eq(cons, fetched, "RING_CONS after disabling: the fetched descriptors")
      -- records 0..cons-1 are there, the rest are not; the completed ones
      -- moved their data, the others wrote nothing
      for k = 1, N do
        local c = t:cpl_decode(t:mem_read(CPL + 16 * (k - 1), 16))
        if k <= cons then
          t:check(c.phase and c.index == k - 1 and c.status == 0 and c.tag == k,
                  string.format("record %d after disabling: index %d, status %d, tag %d, phase %s", k - 1,
                                c.index, c.status, c.tag, tostring(c.phase)))
          t:ref_apply(list[k])
        else
          t:check(not c.phase, string.format("record %d written for a descriptor after CONS %d", k - 1, cons))
          -- r:put() expected a record here; the descriptor never ran, the slot stays zero
          t:shadow_write(CPL + 16 * (k - 1), string.rep("\0", 16), "record slot of a descriptor that never ran")
        end
      end
      check_areas(t, "after disabling")
      -- again: PROD and CONS start at 0, the phase at 1
      local r2 = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      local more = {}
      for k = 1, 6 do
        more[k] = random_desc(t, 0x50000 + k * 0x1000, 500, 0x200 + k)
      end
      r2:run(more)
      check_areas(t, "after enabling again")
    end,
  },
  {
    name = "cpl_write_error",
    fn = function(t)
      -- a completion record write answers SLVERR: CPL_WRITE, the ring halts
      -- at that descriptor (RING_CONS stays there, ERR_ADDR is the record);
      -- after CTRL.RESUME it runs again from there and every record lands.
      -- The error hits the bus beat of record 2, so on wide buses its
      -- neighbours in that beat fail too: the first of them halts the ring.
      local ch = test_ch(t)
      local db = t.caps.data_bytes
      local function failing(k) -- record k (0-based) shares a beat with record 2
        return (CPL + 16 * k) // math.max(db, 16) == (CPL + 32) // math.max(db, 16)
      end
      local k0
      for k = 4, 0, -1 do
        if failing(k) then k0 = k end
      end
      fill_areas(t)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      t:mem_inject_error(CPL + 16 * 2, CPL + 16 * 2 + 15, "write", "SLVERR")
      for k = 1, 5 do
        local d = random_desc(t, k * 0x1000, 500, k)
        r:put(d, { check = { d.dst, d.len } })
      end
      r:doorbell()
      local t0 = t:cycle()
      while not t:status(ch).halted do
        t:check(t:cycle() - t0 < 2000000, "the ring does not halt after a failed record write")
        t:step(64)
      end
      local s = t:status(ch)
      t:check(s.error and not s.busy, string.format("STATUS 0x%X: ERROR, not BUSY expected", s.raw))
      t:expect_eq(s.err, "CPL_WRITE", "ERR_CODE")
      t:expect_eq(t:bar_read(r:reg("RING_CONS")), k0, "RING_CONS stays at the failed record")
      t:expect_eq(t:bar_read(r:reg("ERR_DESC")), k0, "ERR_DESC")
      t:expect_eq(t:bar_read(r:reg("ERR_ADDR_LO")), (CPL + 16 * k0) & 0xFFFFFFFF, "ERR_ADDR_LO: the record")
      local _, errs = counters(t, ch)
      t:expect_eq(errs, 1, "ERRORS (one halt)")
      local c = t:cpl_decode(t:mem_read(CPL + 16 * k0, 16))
      t:check(not c.phase, "record " .. k0 .. " landed although its write failed")
      -- resume: the failed descriptor and the ones after it run again
      t:mem_inject_error(CPL, CPL + 16 * 8 - 1, "write", "OKAY")
      t:expect_eq(t:bar_write(r:reg("STATUS"), t.bits.STATUS_ERROR), "OKAY", "clear ERROR")
      t:expect_eq(t:bar_write(r:reg("CTRL"), t.bits.CTRL_RESUME), "OKAY", "CTRL.RESUME")
      r:wait()
      s = t:status(ch)
      t:check(not s.error and not s.halted, string.format("STATUS 0x%X after resuming", s.raw))
      check_areas(t, "failed record write")
    end,
  },
  {
    name = "ring_sizes",
    fn = function(t)
      -- LOG2_SIZE 1..15: PROD beyond the ring refused, records in place;
      -- the largest ring (32768 entries) with its 16-bit indexes
      local ch = 0
      local rbase, cbase = 0x00400000, 0x00600000
      fill_areas(t, 0x10000)
      for _, log2 in ipairs({ 15, 1, 5, 12 }) do
        local size = 1 << log2
        local r = fr.open(t, ch, { base = rbase, cpl = cbase, log2 = log2, what = "ring of " .. size })
        t:expect_eq(t:bar_write(r:reg("RING_PROD"), size), "OKAY", "RING_PROD = size")
        local s = t:status(ch)
        t:expect_eq(s.err, "PROD_RANGE", size .. " entries: RING_PROD = " .. size)
        t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_ERROR), "OKAY", "clear ERROR")
        local n = math.min(size + 1, 5)
        local list = {}
        for k = 1, n do
          list[k] = random_desc(t, (k % 16) * 0x1000, 200, log2 * 0x100 + k)
          list[k].src = SRC + t:rand(0, 0x8000)
        end
        r:run(list)
        t:expect_eq(t:bar_read(r:reg("RING_CONS")), n % size, size .. " entries: RING_CONS")
        r:close()
      end
      check_areas(t, "ring sizes", 0x10000)
    end,
  },
  {
    name = "ring_active_only_in_ring_mode",
    fn = function(t)
      -- STATUS.RING_ACTIVE: "ring mode is enabled, or still draining after
      -- RING_CTRL.ENABLE was cleared"; a direct transfer is neither
      local ch = 0
      local job = fc.prepare(t, SRC + 1, DST + 0x10003, 60000)
      t:expect_eq(t:copy_start(ch, job.src, job.dst, job.len), "OK", "direct copy_start")
      local seen, polls = 0, 0
      while true do
        local s = t:status(ch)
        if not s.busy then
          break
        end
        polls = polls + 1
        if s.ring_active then
          seen = seen + 1
          if seen == 1 then
            t:log(string.format("STATUS 0x%X at cycle %d during the direct transfer", s.raw, t:cycle()))
          end
        end
        t:step(97)
      end
      local st, err = t:copy_wait(ch)
      t:expect_eq(st, "OK", "direct copy (err " .. err .. ")")
      fc.verify(t, job, "direct copy")
      t:check(seen == 0, string.format("STATUS.RING_ACTIVE read 1 in %d of %d polls during a direct transfer " ..
                                       "with the ring never enabled", seen, polls))
    end,
  },
  {
    name = "config_errors",
    fn = function(t)
      local ch = 0
      local function reg(n) return t:ch_reg(ch, n) end
      local function expect_err(code, what)
        local s = t:status(ch)
        t:check(s.error, string.format("%s: STATUS 0x%X, expected ERROR", what, s.raw))
        t:expect_eq(s.err, code, what .. ": ERR_CODE")
        t:expect_eq(t:bar_write(reg("STATUS"), t.bits.STATUS_ERROR), "OKAY", what .. ": clear ERROR")
      end
      local function enable(base, cpl, log2)
        t:bar_write(reg("RING_BASE_LO"), base)
        t:bar_write(reg("CPL_BASE_LO"), cpl)
        t:bar_write(reg("RING_CTRL"), 1 | (log2 << 8))
      end
      -- RING_PROD while disabled
      t:expect_eq(t:bar_write(reg("RING_PROD"), 1), "OKAY", "RING_PROD while disabled")
      expect_err("RING_OFF", "RING_PROD while disabled")
      for _, c in ipairs({ { RING + 16, CPL, 2, "ring base not 32-byte aligned", "RING_ALIGN" },
                           { RING, CPL + 8, 2, "completion base not 16-byte aligned", "CPL_ALIGN" },
                           { RING, CPL, 0, "LOG2_SIZE 0", "RING_CONFIG" },
                           { RING, CPL, 16, "LOG2_SIZE 16", "RING_CONFIG" } }) do
        enable(c[1], c[2], c[3])
        expect_err(c[5], c[4])
        t:check(not t:status(ch).ring_active, c[4] .. ": RING_ACTIVE")
      end
      -- RESUME or SKIP of a ring that is not halted
      for _, b in ipairs({ "CTRL_RESUME", "CTRL_SKIP" }) do
        t:expect_eq(t:bar_write(reg("CTRL"), t.bits[b]), "OKAY", b .. " while not halted")
        expect_err("NOT_HALTED", b .. " while not halted")
      end
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      t:expect_eq(t:bar_write(reg("RING_PROD"), 4), "OKAY", "RING_PROD = 4")
      expect_err("PROD_RANGE", "RING_PROD beyond the ring")
      -- configuration changed while the ring is active: ignored, CFG_BUSY
      for _, n in ipairs({ "RING_BASE_LO", "RING_BASE_HI", "CPL_BASE_LO", "CPL_BASE_HI" }) do
        local before = t:bar_read(reg(n))
        t:expect_eq(t:bar_write(reg(n), before ~ 0x100), "OKAY", n .. " while the ring is active")
        expect_err("CFG_BUSY", n .. " while the ring is active")
        t:expect_eq(t:bar_read(reg(n)), before, n .. " keeps its value")
      end
      t:expect_eq(t:bar_write(reg("RING_CTRL"), 1 | (3 << 8)), "OKAY", "LOG2_SIZE changed while enabled")
      expect_err("CFG_BUSY", "LOG2_SIZE changed while enabled")
      t:expect_eq(t:bar_read(reg("RING_CTRL")), 1 | (2 << 8), "RING_CTRL keeps its size")
      t:expect_eq(t:raw_start(ch, SRC, DST, 16), "OKAY", "CTRL.START while the ring is enabled")
      expect_err("RING_OFF", "CTRL.START in ring mode")
      -- the ring still works, and stops when disabled
      fill_areas(t, 0x10000)
      r:run({ random_desc(t, 0x1000, 100, 1), random_desc(t, 0x2000, 100, 2) })
      r:close()
      t:expect_eq(t:bar_write(reg("RING_PROD"), 1), "OKAY", "RING_PROD after disabling")
      expect_err("RING_OFF", "RING_PROD after disabling")
      check_areas(t, "configuration errors", 0x10000)
      -- direct mode works again once the ring is off
      fc.copy_checked(t, ch, SRC + 0x20003, DST + 0x60001, 3000, "direct copy after the ring")
    end,
  },
}
