-- SPDX-License-Identifier: Apache-2.0
-- verilator_speed: the Verilator side of `make icarus-speed` (and of the
-- simulation speed figures in docs/performance.md). One 1 MiB direct-mode
-- copy on channel 0 (SPEED_LEN=N bytes instead), source and destination 4 KiB aligned, checked, timed
-- from the doorbell to the interrupt with os.clock() (process CPU time, so a
-- loaded machine does not skew it) and printed as
--   speed: <cycles> cycles in <s> s CPU = <x> Mcycles/s
-- Run with QUIET=1 (no latency, no stalls), like the Icarus bench.
-- Second test, idle: IDLE_CYCLES (default 1,000,000) cycles with nothing to
-- do, the floor of what a cycle costs this model and harness, printed as
--   idle: <cycles> cycles in <s> s CPU = <x> Mcycles/s
package.path = "sim/scenarios/lib/?.lua;" .. package.path
local fc = require "ferry_check"

local SRC = 0x10000000
local DST = 0x20000000
local LEN = tonumber(os.getenv("SPEED_LEN") or "") or 1024 * 1024  -- bytes, a multiple of 4096

return {
  {
    name = "copy_1MiB",
    fn = function(t)
      local job = fc.prepare(t, SRC, DST, LEN)
      t:expect_eq(t:irq_enable(0), "OK", "irq_enable")
      local c0, s0 = t:cycle(), os.clock()
      t:expect_eq(t:copy_start(0, SRC, DST, LEN), "OK", "copy_start")
      t:check(t:wait_irq(1, 100 * LEN), "no interrupt on channel 0 within the budget")
      local c1, s1 = t:cycle(), os.clock()
      local st, err = t:copy_wait(0)
      t:expect_eq(st, "OK", "copy_wait (err " .. tostring(err) .. ")")
      fc.verify(t, job)
      local s = s1 - s0
      print(string.format("speed: %d cycles in %.3f s CPU = %.3f Mcycles/s", c1 - c0, s, (c1 - c0) / s / 1e6))
    end,
  },
  {
    name = "idle",
    fn = function(t)
      local n = tonumber(os.getenv("IDLE_CYCLES") or "") or 1000000
      for ch = 0, t.caps.channels - 1 do
        t:check(not t:status(ch).busy, "channel " .. ch .. " busy before the idle run")
      end
      local c0, s0 = t:cycle(), os.clock()
      t:step(n)
      local c1, s1 = t:cycle(), os.clock()
      for ch = 0, t.caps.channels - 1 do
        t:check(not t:status(ch).busy, "channel " .. ch .. " busy after the idle run")
      end
      local s = s1 - s0
      print(string.format("idle: %d cycles in %.3f s CPU = %.3f Mcycles/s", c1 - c0, s, (c1 - c0) / s / 1e6))
    end,
  },
}
