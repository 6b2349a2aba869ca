-- SPDX-License-Identifier: Apache-2.0
-- demo: the seeds' walk-through (as sw/tools/ferry_demo.c shows it), checked.
local fc = require "ferry_check"

local SRC = 0x001FF000  -- the seed's DMA buffer
local DST = 0x8000      -- the seed's card memory
local IRQ_BUDGET = 1000000

return {
  {
    name = "seed_32_bytes_irq",
    fn = function(t)
      local data = string.rep("\x01\x02\x03\x04", 8)
      t:mem_write(SRC, data)
      t:expect_eq(t:irq_enable(0), "OK", "irq_enable")
      t:expect_eq(t:copy_start(0, SRC, DST, 32), "OK", "copy_start")
      t:check(t:wait_irq(1, IRQ_BUDGET), "no interrupt on channel 0 within the budget")
      local s = t:status(0)
      t:check(s.done and not s.busy and not s.error,
              string.format("STATUS 0x%X: expected DONE without BUSY or ERROR", s.raw))
      local irq_status = t:bar_read(t.regs.IRQ_STATUS)
      t:expect_eq(irq_status & 1, 1, "IRQ_STATUS bit 0 while DONE")
      local st, err, res = t:copy_wait(0)
      t:expect_eq(st, "OK", "copy_wait")
      t:expect_eq(err, "NONE", "error code")
      t:expect_eq(res.bytes, 32, "bytes")
      t:expect_eq(t:irq() & 1, 0, "irq line after STATUS.DONE is cleared")
      t:expect_eq(t:status(0).raw, 0, "STATUS after clearing")
      t:expect_mem(DST, data, "destination")
      t:expect_mem(DST + 32, string.rep("\0", 16), "bytes after the destination")
      t:expect_mem(DST - 16, string.rep("\0", 16), "bytes before the destination")
    end,
  },
  {
    name = "copy_1MiB_unaligned",
    fn = function(t)
      -- 1 MiB as in the seed; 128 KiB on builds of more than 8 channels (ch16:
      -- 16 channels, a 32-bit bus and 2 bursts in flight simulate ~17 k cycles/s,
      -- and the 2.5 M cycles of 1 MiB were the regression's longest run; the
      -- full 1 MiB unaligned copy runs on every other configuration).
      local len = t.caps.channels > 8 and 128 * 1024 or 1024 * 1024
      local res = fc.copy_checked(t, 0, 0x10000003, 0x20000005, len)
      local s = t:stats()
      local db = t.caps.data_bytes
      t:expect_eq(s.r_beats, fc.beats(0x10000003, len, db), "read beats")
      t:expect_eq(s.w_beats, fc.beats(0x20000005, len, db), "write beats")
      t:expect_eq(s.w_bytes, len, "bytes written (strobed)")
      t:check(not res.db_overrun, "no doorbell overrun")
    end,
  },
}
