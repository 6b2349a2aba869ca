-- SPDX-License-Identifier: Apache-2.0
-- windows: the per-channel address windows (DMA firewall, docs/errors.md).
-- With WIN_CTRL.ENABLE every data read and write, descriptor fetch and
-- completion record must lie in a window with the right permission; an
-- access outside is never issued and gives ERROR WINDOW with its address.
-- LOCK holds the windows until a global reset (CTRL.RESET keeps them).
local fc = require "ferry_check"
local fr = require "ferry_ring"

local SRC = 0x01000000      -- readable window: [SRC, SRC + 1 MiB)
local DST = 0x02000000      -- writable window: [DST, DST + 1 MiB)
local RING = 0x00100000     -- rings window (read and write): [RING, RING + 64 KiB)
local CPL = 0x00108000
local MB = 0x100000

local function w(t, ch, name, v)
  t:expect_eq(t:bar_write(t:ch_reg(ch, name), v), "OKAY", "write " .. name)
end

-- Window n of channel ch: [base, limit] with READ/WRITE bits.
local function window(t, ch, n, base, limit, r, wr)
  w(t, ch, string.format("WIN%d_BASE_LO", n), (base & 0xFFFFF000) | (r and 1 or 0) | (wr and 2 or 0))
  w(t, ch, string.format("WIN%d_BASE_HI", n), base >> 32)
  w(t, ch, string.format("WIN%d_LIMIT_LO", n), limit & 0xFFFFF000)
  w(t, ch, string.format("WIN%d_LIMIT_HI", n), limit >> 32)
end

-- Windows 0..3 of channel ch (every build has 4: NUM_WINDOWS in the Makefile)
-- and WIN_CTRL.ENABLE (and LOCK).
local function setup(t, ch, lock)
  t:expect_eq(t.caps.cap1 >> 12 & 7, 4, "CAP1.WINDOWS")
  window(t, ch, 0, SRC, SRC + MB - 1, true, false)
  window(t, ch, 1, DST, DST + MB - 1, false, true)
  window(t, ch, 2, RING, RING + 0x10000 - 1, true, true)
  window(t, ch, 3, 0x7000000000, 0x7000000FFF, false, false) -- no permission: grants nothing
  w(t, ch, "WIN_CTRL", t.bits.WIN_CTRL_ENABLE | (lock and t.bits.WIN_CTRL_LOCK or 0))
end

local err_addr = fc.err_addr

-- A direct copy the windows refuse: ERROR WINDOW, ERR_ADDR, no bus traffic.
local function refused(t, ch, src, dst, len, bad, what)
  local s0 = t:stats()
  local keep = t:mem_read(dst, len)
  t:expect_eq(t:raw_start(ch, src, dst, len), "OKAY", what .. ": doorbell")
  -- the reference model does not know the windows: the destination must stay as it was
  t:shadow_write(dst, keep, what .. ": refused, destination unchanged")
  t:step(100)
  local s = t:status(ch)
  t:check(s.error and not s.busy, string.format("%s: STATUS 0x%X, expected ERROR", what, s.raw))
  t:expect_eq(s.err, "WINDOW", what .. ": ERR_CODE")
  t:expect_eq(err_addr(t, ch), bad, what .. ": ERR_ADDR")
  local s1 = t:stats()
  t:expect_eq((s1.ar_by_id[ch] or 0) - (s0.ar_by_id[ch] or 0), 0, what .. ": read bursts")
  t:expect_eq((s1.aw_by_id[ch] or 0) - (s0.aw_by_id[ch] or 0), 0, what .. ": write bursts")
  t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_ERROR), "OKAY", what .. ": clear ERROR")
end

return {
  {
    name = "direct_inside_and_outside",
    fn = function(t)
      local ch = 0
      setup(t, ch)
      fc.copy_checked(t, ch, SRC + 5, DST + 3, 20000, "inside the windows")
      fc.copy_checked(t, ch, SRC + MB - 100, DST + MB - 100, 100, "up to the last byte of both windows")
      refused(t, ch, SRC + MB - 100, DST, 101, SRC + MB - 100, "source one byte past its window")
      refused(t, ch, SRC, DST + MB - 10, 11, DST + MB - 10, "destination one byte past its window")
      refused(t, ch, SRC - 1, DST, 8, SRC - 1, "source one byte below its window")
      refused(t, ch, DST, DST + 0x1000, 64, DST, "reading a write-only window")
      refused(t, ch, SRC, SRC + 0x1000, 64, SRC + 0x1000, "writing a read-only window")
      -- the other channels are not restricted
      if t.caps.channels > 1 then
        fc.copy_checked(t, 1, SRC - 0x10000, DST + 2 * MB, 3000, "ch 1 without windows")
      end
      -- disabled: anything goes again
      w(t, ch, "WIN_CTRL", 0)
      fc.copy_checked(t, ch, SRC - 0x10000, SRC + 0x2000, 3000, "windows disabled")
    end,
  },
  {
    name = "ring_descriptors_outside",
    fn = function(t)
      local ch = 0
      setup(t, ch)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      local list = {}
      for k = 1, 12 do
        local len = t:rand(1, 4000)
        list[k] = { src = SRC + k * 0x8000 + t:rand(0, 99), dst = DST + k * 0x8000 + t:rand(0, 99), len = len,
                    tag = k }
        t:mem_fill(list[k].src, len, t:seed() + k)
      end
      -- three that leave the windows: their bytes must never move
      list[3].dst = SRC + 0x40000
      list[6].src = RING - 0x1000
      list[9] = { src = SRC, dst = DST + MB - 0x100, len = 0x20, flags = t.desc.TWO_D, rows = 3, dst_stride = 0x80,
                  tag = 9 }
      local bad = { [3] = list[3].dst, [6] = list[6].src, [9] = list[9].dst }
      local s0 = t:stats()
      r:run(list, nil, function(k, d)
        if bad[k] then
          return { status = "WINDOW", bytes = 0, fault = bad[k], no_ref = true }
        end
        return { check = { d.dst, d.len } }
      end)
      t:expect_eq(r.halts, 3, "halts")
      t:expect_shadow(SRC + 0x40000, 0x1000, "read-only window area a refused descriptor pointed at")
      t:check(t:protocol_error() == nil, "protocol errors")
      -- no data burst outside the windows ever went out
      local s1 = t:stats()
      t:log(string.format("%d read and %d write bursts", (s1.ar_by_id[ch] or 0) - (s0.ar_by_id[ch] or 0),
                          (s1.aw_by_id[ch] or 0) - (s0.aw_by_id[ch] or 0)))
    end,
  },
  {
    name = "rings_outside_the_windows",
    fn = function(t)
      local ch = 0
      setup(t, ch)
      -- a completion ring outside every window: halted at once (as soon as
      -- the ring is enabled), before any fetch or record
      t:trace_start(10000)
      t:mem_write(RING, t:desc_encode({ src = SRC, dst = DST, len = 64, tag = 1 }))
      w(t, ch, "RING_BASE_LO", RING)
      w(t, ch, "CPL_BASE_LO", DST - 0x1000)
      w(t, ch, "RING_CTRL", t.bits.RING_CTRL_ENABLE | (2 << t.bits.RING_CTRL_LOG2_SIZE_SHIFT))
      w(t, ch, "RING_PROD", 1)
      local t0 = t:cycle()
      while not t:status(ch).halted do
        t:check(t:cycle() - t0 < 20000, "no halt with the completion ring outside the windows")
        t:step(16)
      end
      local s = t:status(ch)
      t:expect_eq(s.err, "WINDOW", "ERR_CODE")
      t:expect_eq(err_addr(t, ch), DST - 0x1000, "ERR_ADDR: the completion ring")
      for _, e in ipairs(t:trace()) do
        t:check(e.kind ~= "AR" or e.addr < RING or e.addr >= RING + 0x10000 or e.id ~= t.caps.channels,
                "descriptor fetch outside the windows")
        t:check(not (e.kind == "AW" and e.addr >= DST - 0x1000 and e.addr < DST),
                string.format("completion record written at 0x%X outside the windows", e.addr))
      end
      t:shadow_write(DST - 0x1000, t:mem_read(DST - 0x1000, 64), "completion ring outside the windows: untouched")
      w(t, ch, "RING_CTRL", 0)
    end,
  },
  {
    name = "ring_disabled_with_a_descriptor_in_flight",
    fn = function(t)
      -- (a fuzzer finding) windows on, RING_CTRL.ENABLE = 0 while a
      -- descriptor runs: it completes, its record lands, the channel idles
      local ch = 0
      setup(t, ch)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      local d = { src = SRC, dst = DST, len = 0x8000, tag = 1 }
      t:mem_fill(SRC, d.len, t:seed())
      r:put(d, { check = { d.dst, d.len } })
      r:doorbell()
      t:step(200)
      w(t, ch, "RING_CTRL", 0)
      r:wait(200000)
      local t0 = t:cycle()
      while t:status(ch).busy or t:status(ch).ring_active do
        t:check(t:cycle() - t0 < 100000, "BUSY or RING_ACTIVE stays after the disabled ring drained")
        t:step(32)
      end
    end,
  },
  {
    name = "lock_holds_until_reset",
    fn = function(t)
      local ch = 0
      setup(t, ch, true)
      local lo = t:ch_reg(ch, "WIN0_BASE_LO")
      local before = t:bar_read(lo)
      t:expect_eq(t:bar_write(lo, 0), "SLVERR", "write of a locked window")
      t:expect_eq(t:bar_read(lo), before, "locked window keeps its value")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "WIN_CTRL"), 0), "SLVERR", "write of a locked WIN_CTRL")
      t:expect_eq(t:bar_read(t:ch_reg(ch, "WIN_CTRL")), t.bits.WIN_CTRL_ENABLE | t.bits.WIN_CTRL_LOCK, "WIN_CTRL")
      -- a channel reset keeps locked windows
      w(t, ch, "CTRL", t.bits.CTRL_RESET)
      t:step(50)
      t:expect_eq(t:bar_read(lo), before, "locked window after CTRL.RESET")
      refused(t, ch, SRC - 0x1000, DST, 16, SRC - 0x1000, "locked windows after CTRL.RESET")
      -- a global reset clears them
      t:reset(8)
      t:expect_eq(t:bar_read(lo), 0, "window after a global reset")
      t:expect_eq(t:bar_read(t:ch_reg(ch, "WIN_CTRL")), 0, "WIN_CTRL after a global reset")
      fc.copy_checked(t, ch, SRC - 0x1000, DST, 16, "copy after the global reset")
    end,
  },
  {
    name = "partial_strobes",
    fn = function(t)
      -- a CTRL or STATUS write acts only if its byte lane is strobed
      local ch = 0
      local job = fc.prepare(t, SRC, DST, 64)
      w(t, ch, "SRC_LO", SRC)
      w(t, ch, "DST_LO", DST)
      w(t, ch, "LEN", 64)
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_START, 0xE), "OKAY", "CTRL.START without lane 0")
      t:step(100)
      local s = t:status(ch)
      t:check(not s.busy and not s.done, string.format("STATUS 0x%X: a doorbell without its strobe", s.raw))
      t:expect_eq(t:bar_write(t:ch_reg(ch, "LEN"), 0xFFFFFF00, 0xE), "OKAY", "LEN upper bytes only")
      t:expect_eq(t:bar_read(t:ch_reg(ch, "LEN")), 0xFFFFFF40, "LEN keeps its strobed-off byte")
      w(t, ch, "LEN", 64)
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_START, 0x1), "OKAY", "CTRL.START with lane 0")
      t:step(500)
      t:check(t:status(ch).done, "the strobed doorbell ran")
      fc.verify(t, job, "strobed doorbell")
      -- raw register writes bypass the reference model: tell the scoreboard
      t:shadow_write(DST, job.want:sub(job.guard + 1, job.guard + 64), "strobed doorbell")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_DONE, 0x2), "OKAY", "W1C DONE without lane 0")
      t:check(t:status(ch).done, "DONE cleared by a W1C without its strobe")
    end,
  },
  {
    name = "len_max",
    fn = function(t)
      -- a 2D descriptor of 2^32 bytes or more: LEN_MAX, nothing moves
      local ch = 0
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      local d = { src = SRC, dst = DST, len = 0xFFFFFF, flags = t.desc.TWO_D, rows = 0x101, tag = 7 }
      t:expect_eq(select(2, t:ref_check(d)), "LEN_MAX", "reference model")
      local ok = { src = SRC, dst = DST, len = 0x10000, flags = t.desc.TWO_D, rows = 0xFF, tag = 8 }
      t:expect_eq(select(2, t:ref_check(ok)), "NONE", "reference model: just below")
      local s0 = t:stats()
      r:run({ d })
      t:expect_eq(r.halts, 1, "halts")
      local s1 = t:stats()
      t:expect_eq((s1.ar_by_id[ch] or 0) - (s0.ar_by_id[ch] or 0), 0, "read bursts")
    end,
  },
}
