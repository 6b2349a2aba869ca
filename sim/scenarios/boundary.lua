-- SPDX-License-Identifier: Apache-2.0
-- boundary: transfers crossing 4 KiB boundaries. The bus model flags any
-- burst that crosses a page (the runner fails the test on it); here the
-- burst counts are also checked against the burst rules, and that every
-- burst was answered.
local fc = require "ferry_check"

local PAGE = 4096

-- Copy, then: bytes, no protocol error, bursts as predicted, all answered.
local function crossing_copy(t, src, dst, len)
  local db, mb = t.caps.data_bytes, t.caps.max_burst
  t:stats_clear()
  fc.copy_checked(t, 0, src, dst, len)
  local s = t:stats()
  local what = string.format("0x%X -> 0x%X, %d bytes", src, dst, len)
  local perr = t:protocol_error()
  t:check(perr == nil, what .. ": " .. tostring(perr))
  t:expect_eq(s.ar_count, fc.bursts(src, len, db, mb), what .. ": read bursts")
  t:expect_eq(s.aw_count, fc.bursts(dst, len, db, mb), what .. ": write bursts")
  t:expect_eq(s.b_count, s.aw_count, what .. ": write responses")
  t:expect_eq(s.r_beats, fc.beats(src, len, db), what .. ": read beats")
  t:expect_eq(s.w_beats, fc.beats(dst, len, db), what .. ": write beats")
end

return {
  {
    name = "few_bytes_before_page_end",
    fn = function(t)
      -- starts 1..db+3 bytes before a page end, ends a little after it
      for back = 1, t.caps.data_bytes + 3 do
        crossing_copy(t, 0x00400000 + PAGE - back, 0x00600000 + 2 * PAGE - back, back + 7)
      end
    end,
  },
  {
    name = "both_cross_at_different_points",
    fn = function(t)
      -- source and destination sit at different page offsets, so they
      -- cross their pages at different points of the transfer
      crossing_copy(t, 0x00401000 - 5, 0x00602000 - 1000, 2000)
      crossing_copy(t, 0x00411000 - 1000, 0x00612000 - 3, 2000)
    end,
  },
  {
    name = "several_pages",
    fn = function(t)
      crossing_copy(t, 0x00800000 + PAGE - 3, 0x00A00000 + PAGE - 11, 5 * PAGE + 17)
      crossing_copy(t, 0x00820000 + 1, 0x00A20000 + PAGE // 2 + 3, 3 * PAGE)
      crossing_copy(t, 0x00840000, 0x00A40000 + 7, 4 * PAGE)
    end,
  },
  {
    name = "random_crossings",
    fn = function(t)
      for _ = 1, 12 do
        local src = 0x01000000 + t:rand(64) * PAGE + PAGE - t:rand(1, 200)
        local dst = 0x03000000 + t:rand(64) * PAGE + PAGE - t:rand(1, 200)
        crossing_copy(t, src, dst, t:rand(200, 3 * PAGE))
      end
    end,
  },
}
