-- SPDX-License-Identifier: Apache-2.0
-- errors: rejected doorbells, doorbell overrun, undefined and read-only
-- registers, bus errors on data reads and writes. After each, a normal copy
-- still works.
local fc = require "ferry_check"

local SRC = 0x00200000
local DST = 0x00400000

-- A normal copy after the error case, on channel ch.
local function still_works(t, ch, what)
  fc.copy_checked(t, ch or 0, SRC + 0x10000 + 3, DST + 0x10000 + 5, 777, "normal copy after " .. what)
end

-- Rings the doorbell with raw register writes (the driver would refuse), lets
-- the channel settle and expects ERROR with err, no bus traffic, and the
-- error bit cleared by a W1C write.
local function rejected(t, ch, src, dst, len, err)
  local what = string.format("ch %d: SRC 0x%X, DST 0x%X, LEN %d", ch, src, dst, len)
  local before = t:stats()
  t:expect_eq(t:raw_start(ch, src, dst, len), "OKAY", what .. ": register writes")
  t:step(200)
  local s = t:status(ch)
  t:check(s.error and not s.busy and not s.done,
          string.format("%s: STATUS 0x%X, expected ERROR only", what, s.raw))
  t:expect_eq(s.err, err, what .. ": ERR_CODE")
  local after = t:stats()
  t:expect_eq(after.ar_count, before.ar_count, what .. ": read bursts issued")
  t:expect_eq(after.aw_count, before.aw_count, what .. ": write bursts issued")
  -- clear ERROR (and ERR_CODE with it)
  t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_ERROR), "OKAY", what .. ": clear ERROR")
  t:expect_eq(t:status(ch).raw, 0, what .. ": STATUS after clearing ERROR")
  still_works(t, ch, what)
end

-- 2^ADDR_WIDTH as a 64-bit integer (0 when the width is 64: it wraps).
local function top(t)
  return 1 << t.caps.addr_width
end

-- The offsets the register map leaves undefined.
local function undefined_offsets(t)
  local offs = { 0x014, 0x02C, 0x0FFC, 0x1000 + 0x06C, 0x1000 + 0x070, 0x10BC, 0x1FBC, 0xFFFC }
  if t.caps.channels < t.regs.MAX_CHANNELS then
    -- the block of the first channel the build does not have
    local base = t.regs.CH_BASE + t.caps.channels * t.regs.CH_STRIDE
    offs[#offs + 1] = base + t.regs.ch.SRC_LO
    offs[#offs + 1] = base + t.regs.ch.STATUS
  end
  return offs
end

return {
  {
    name = "len_zero",
    fn = function(t)
      rejected(t, 0, SRC, DST, 0, "LEN_ZERO")
      -- the driver refuses it without touching the device
      t:expect_eq(t:copy(0, SRC, DST, 0), "E_INVAL", "driver copy with len 0")
    end,
  },
  {
    name = "src_end_past_top",
    fn = function(t)
      rejected(t, 0, top(t) - 16, DST, 17, "ADDR_RANGE")
      rejected(t, 0, -1, DST, 2, "ADDR_RANGE")
      rejected(t, 0, -0x1000, DST, 0xFFFFFFFF, "ADDR_RANGE")
      t:expect_eq(t:copy(0, top(t) - 16, DST, 17), "E_INVAL", "driver copy past the top")
    end,
  },
  {
    name = "dst_end_past_top",
    fn = function(t)
      rejected(t, 0, SRC, top(t) - 16, 17, "ADDR_RANGE")
      rejected(t, 0, SRC, -1, 0xFFFFFFFF, "ADDR_RANGE")
      t:expect_eq(t:copy(0, SRC, top(t) - 1, 2), "E_INVAL", "driver copy past the top")
    end,
  },
  {
    name = "up_to_the_top_is_legal",
    fn = function(t)
      -- the last byte at 2^ADDR_WIDTH - 1 is inside the address space
      fc.copy_checked(t, 0, top(t) - 40, DST + 3, 40, "source ending at the top")
      local job = fc.prepare(t, SRC + 1, top(t) - 37, 37, 0)
      local st, err = t:copy(0, SRC + 1, top(t) - 37, 37)
      t:expect_eq(st, "OK", "destination ending at the top (err " .. err .. ")")
      fc.verify(t, job, "destination ending at the top")
      still_works(t, 0, "copies at the top")
    end,
  },
  {
    name = "doorbell_while_busy",
    fn = function(t)
      local len = 64 * 1024
      local job = fc.prepare(t, SRC + 1, DST + 2, len)
      t:expect_eq(t:copy_start(0, SRC + 1, DST + 2, len), "OK", "copy_start")
      t:check(t:status(0).busy, "channel not BUSY right after the doorbell")
      -- new values for the next transfer, then a second doorbell while busy
      local ctrl = t:ch_reg(0, "CTRL")
      t:expect_eq(t:bar_write(t:ch_reg(0, "SRC_LO"), SRC + 0x8000), "OKAY", "rewrite SRC_LO")
      t:expect_eq(t:bar_write(t:ch_reg(0, "LEN"), 8), "OKAY", "rewrite LEN")
      t:expect_eq(t:bar_write(ctrl, t.bits.CTRL_START), "OKAY", "doorbell while busy")
      local s = t:status(0)
      t:check(s.busy and s.db_overrun and not s.error,
              string.format("STATUS 0x%X: expected BUSY and DB_OVERRUN", s.raw))
      local st, err, res = t:copy_wait(0)
      t:expect_eq(st, "OK", "running transfer (err " .. err .. ")")
      t:check(res.db_overrun, "copy_wait did not report DB_OVERRUN")
      t:expect_eq(res.bytes, len, "bytes")
      fc.verify(t, job, "the running transfer")
      t:expect_eq(t:status(0).raw, 0, "STATUS after copy_wait cleared it")
      -- the ignored doorbell started nothing
      t:step(200)
      t:check(not t:status(0).busy, "the ignored doorbell started a transfer")
      still_works(t, 0, "the overrun")
    end,
  },
  {
    name = "undefined_offsets",
    fn = function(t)
      t:expect_eq(t:bar_write(t.regs.SCRATCH, 0x5A5A1234), "OKAY", "SCRATCH write")
      for _, off in ipairs(undefined_offsets(t)) do
        local what = string.format("offset 0x%04X", off)
        local v, resp = t:bar_read(off)
        t:expect_eq(resp, "SLVERR", what .. ": read response")
        t:expect_eq(v, t.regs.UNDEFINED_READ, what .. ": read value")
        t:expect_eq(t:bar_write(off, 0xFFFFFFFF), "SLVERR", what .. ": write response")
      end
      -- and nothing changed anywhere
      t:expect_eq(t:bar_read(t.regs.SCRATCH), 0x5A5A1234, "SCRATCH after the undefined writes")
      for ch = 0, t.caps.channels - 1 do
        t:expect_eq(t:status(ch).raw, 0, "STATUS of ch " .. ch)
      end
      still_works(t, 0, "undefined offsets")
      still_works(t, t.caps.channels - 1, "undefined offsets")
    end,
  },
  {
    name = "read_only_registers",
    fn = function(t)
      for _, name in ipairs({ "ID", "IF_VERSION", "CAP0", "CAP1", "IRQ_STATUS" }) do
        local off = t.regs[name]
        local before = t:bar_read(off)
        t:expect_eq(t:bar_write(off, 0), "SLVERR", name .. ": write response")
        t:expect_eq(t:bar_read(off), before, name .. " after the write")
      end
      local id, resp = t:bar_read(t.regs.ID)
      t:expect_eq(resp, "OKAY", "ID read response")
      t:expect_eq(id, t.regs.MAGIC, "ID")
      still_works(t, 0, "writes to read-only registers")
    end,
  },
  {
    name = "read_error",
    fn = function(t)
      for _, resp in ipairs({ "SLVERR", "DECERR" }) do
        local src, dst, len = SRC + 5, DST + 9, 3000
        fc.prepare(t, src, dst, len)
        -- one bad beat in the middle of the source
        t:mem_inject_error(src + 1500, src + 1500, "read", resp)
        local st, err, res = t:copy(0, src, dst, len)
        t:expect_eq(st, "E_DEVICE", resp .. " on a read: driver status")
        t:expect_eq(err, "RD_RESP", resp .. " on a read: ERR_CODE")
        -- the bytes written before the bad beat, and nothing after it
        t:check(res.bytes <= 1500, string.format("%s on a read: %d bytes reported, the bad byte is at 1500", resp,
                                                 res.bytes))
        t:check(t:mem_read(src, res.bytes) == t:mem_read(dst, res.bytes),
                resp .. " on a read: the reported bytes are not the source's")
        t:expect_eq(t:status(0).raw, 0, resp .. " on a read: STATUS after copy_wait")
        t:unpredictable(dst + res.bytes, len - res.bytes, "RD_RESP: destination past the bytes reported")
        t:mem_inject_error(src + 1500, src + 1500, "read", "OKAY")
        still_works(t, 0, resp .. " on a read")
      end
    end,
  },
  {
    name = "write_error",
    fn = function(t)
      for _, resp in ipairs({ "SLVERR", "DECERR" }) do
        local src, dst, len = SRC + 7, DST + 1, 3000
        fc.prepare(t, src, dst, len)
        t:mem_inject_error(dst + 2000, dst + 2000, "write", resp)
        local st, err = t:copy(0, src, dst, len)
        t:expect_eq(st, "E_DEVICE", resp .. " on a write: driver status")
        t:expect_eq(err, "WR_RESP", resp .. " on a write: ERR_CODE")
        t:unpredictable(dst, len, "WR_RESP: destination contents undefined (registers.md)")
        t:mem_inject_error(dst + 2000, dst + 2000, "write", "OKAY")
        still_works(t, 0, resp .. " on a write")
      end
    end,
  },
  {
    name = "held_and_random_responses",
    fn = function(t)
      -- the memory model's injection plumbing (t:mem_hold, t:mem_release,
      -- t:mem_inject_random, t:stats counters) against a plain direct copy
      local src, dst, len = SRC + 3, DST + 11, 1000
      local job = fc.prepare(t, src, dst, len)
      t:mem_hold("read", src, src + len - 1, 300)
      local before, c0 = t:stats(), t:cycle()
      local st, err = t:copy(0, src, dst, len)
      t:expect_eq(st, "OK", "copy with held read data (err " .. err .. ")")
      t:check(t:cycle() - c0 >= 300, string.format("held copy took %d cycles, expected >= 300", t:cycle() - c0))
      fc.verify(t, job, "copy with held read data")
      local after = t:stats()
      t:check(after.ar_count > before.ar_count, "no read burst issued")
      t:expect_eq(after.rd_held - before.rd_held, after.ar_count - before.ar_count, "read bursts held")
      t:mem_hold("read", src, src + len - 1, 0)
      -- held until released: nothing written meanwhile, then it completes
      job = fc.prepare(t, src, dst, len)
      t:mem_hold("read", src, src + len - 1, "forever")
      before = t:stats()
      t:expect_eq(t:copy_start(0, src, dst, len), "OK", "copy_start with read data held")
      t:step(2000)
      t:check(t:status(0).busy, "channel not BUSY while its read data is held")
      t:expect_eq(t:stats().w_beats, before.w_beats, "W beats while the read data is held")
      t:mem_release()
      st, err = t:copy_wait(0)
      t:expect_eq(st, "OK", "copy after the release (err " .. err .. ")")
      fc.verify(t, job, "copy after the release")
      -- every read burst answers DECERR, then none
      fc.prepare(t, src, dst, len)
      t:mem_inject_random("read", 1000, "DECERR")
      before = t:stats()
      st, err = t:copy(0, src, dst, len)
      t:expect_eq(st, "E_DEVICE", "copy with random read errors")
      t:expect_eq(err, "RD_RESP", "ERR_CODE with random read errors")
      t:check(t:stats().rd_err_injected > before.rd_err_injected, "no injected read error counted")
      t:unpredictable(dst, len, "RD_RESP: destination contents undefined (registers.md)")
      t:mem_inject_random("read", 0)
      still_works(t, 0, "random read errors")
    end,
  },
  {
    name = "error_irq",
    fn = function(t)
      -- ERROR raises the interrupt like DONE does, and clearing it drops the line
      t:expect_eq(t:irq_enable(1 % t.caps.channels), "OK", "irq_enable")
      local ch = 1 % t.caps.channels
      t:expect_eq(t:raw_start(ch, SRC, DST, 0), "OKAY", "doorbell with LEN 0")
      t:check(t:wait_irq(1 << ch, 1000), "no interrupt for ERROR")
      local st, err = t:copy_wait(ch)
      t:expect_eq(st, "E_DEVICE", "copy_wait")
      t:expect_eq(err, "LEN_ZERO", "ERR_CODE")
      t:expect_eq(t:irq() & (1 << ch), 0, "irq line after clearing ERROR")
      still_works(t, ch, "the error interrupt")
    end,
  },
}
