-- SPDX-License-Identifier: Apache-2.0
-- ferry_check: helpers shared by the scenarios (require "ferry_check").
--
--   local fc = require "ferry_check"
--   local job = fc.prepare(t, src, dst, len)   -- source pattern, destination pre-fill
--   t:copy(...)                                -- or copy_start / copy_wait
--   fc.verify(t, job, "what")                  -- destination == source, guards intact
--   fc.copy_checked(t, ch, src, dst, len)      -- the three above, expecting OK
--   fc.bursts(addr, len, data_bytes, max_burst) -- AXI bursts the burst rules predict
local M = {}

M.GUARD = 16 -- bytes checked on each side of a destination

local pattern_seq = 0

-- Fills [src, src+len) with fresh pattern bytes and [dst-guard, dst+len+guard)
-- with other fresh bytes, so unwritten or misplaced destination bytes show.
-- Returns the job to hand to verify().
function M.prepare(t, src, dst, len, guard)
  guard = guard or M.GUARD
  pattern_seq = pattern_seq + 1
  local sseed = t:seed() + 2 * pattern_seq
  local data = t:pattern(len, sseed)
  t:mem_write(src, data)
  local pre = t:pattern(len + 2 * guard, sseed + 1)
  t:mem_write(dst - guard, pre)
  local want = pre:sub(1, guard) .. data .. pre:sub(guard + len + 1)
  return { src = src, dst = dst, len = len, guard = guard, want = want }
end

-- Destination bytes equal the source's, guard bytes around them untouched.
function M.verify(t, job, what)
  what = what or string.format("copy 0x%X -> 0x%X, %d bytes", job.src, job.dst, job.len)
  t:expect_mem(job.dst - job.guard, job.want:sub(1, job.guard), what .. ": guard bytes before the destination")
  t:expect_mem(job.dst, job.want:sub(job.guard + 1, job.guard + job.len), what .. ": destination")
  t:expect_mem(job.dst + job.len, job.want:sub(job.guard + job.len + 1), what .. ": guard bytes after the destination")
end

-- Copies through the driver, expects OK and checks every byte.
function M.copy_checked(t, ch, src, dst, len, what)
  what = what or string.format("ch %d: 0x%X -> 0x%X, %d bytes", ch, src, dst, len)
  local job = M.prepare(t, src, dst, len)
  local st, err, res = t:copy(ch, src, dst, len)
  t:expect_eq(st, "OK", what .. ": driver status (err " .. err .. ")")
  t:expect_eq(res.bytes, len, what .. ": bytes reported")
  M.verify(t, job, what)
  return res
end

-- ERR_ADDR_HI:LO of channel ch: the address of its last error.
function M.err_addr(t, ch)
  return t:bar_read(t:ch_reg(ch, "ERR_ADDR_LO")) | (t:bar_read(t:ch_reg(ch, "ERR_ADDR_HI")) << 32)
end

-- Bursts the burst rules give for a transfer of len bytes at addr: beat-aligned
-- start and end, at most max_burst beats, never across a 4 KiB page.
function M.bursts(addr, len, data_bytes, max_burst)
  local a = addr & ~(data_bytes - 1)
  local stop = (addr + len + data_bytes - 1) & ~(data_bytes - 1)
  local n = 0
  while a ~= stop do
    local page_beats = (4096 - (a & 4095)) // data_bytes
    local left = (stop - a) // data_bytes
    local beats = math.min(max_burst, page_beats, left)
    a = a + beats * data_bytes
    n = n + 1
  end
  return n
end

-- Beats the transfer moves on one side (beat-aligned span / data_bytes).
function M.beats(addr, len, data_bytes)
  local a = addr & ~(data_bytes - 1)
  local stop = (addr + len + data_bytes - 1) & ~(data_bytes - 1)
  return (stop - a) // data_bytes
end

return M
