-- SPDX-License-Identifier: Apache-2.0
-- bursts: maximum-length bursts. Page-aligned transfers whose length is a
-- multiple of MAX_BURST beats must go out as full bursts: the AR and AW
-- counts equal what the burst rules give (MAX_BURST beats, split at 4 KiB).
local fc = require "ferry_check"

local PAGE = 4096

local function full_bursts(t, src, dst, len)
  local db, mb = t.caps.data_bytes, t.caps.max_burst
  local what = string.format("0x%X -> 0x%X, %d bytes", src, dst, len)
  t:stats_clear()
  fc.copy_checked(t, 0, src, dst, len)
  local s = t:stats()
  local per_burst = math.min(mb * db, PAGE)
  t:expect_eq(s.ar_count, fc.bursts(src, len, db, mb), what .. ": read bursts")
  t:expect_eq(s.aw_count, fc.bursts(dst, len, db, mb), what .. ": write bursts")
  -- all bursts full when a burst divides the page (MAX_BURST_LEN need not)
  if src % PAGE == 0 and PAGE % per_burst == 0 then
    t:expect_eq(s.ar_count, (len + per_burst - 1) // per_burst, what .. ": read bursts (all full)")
  end
  if dst % PAGE == 0 and PAGE % per_burst == 0 then
    t:expect_eq(s.aw_count, (len + per_burst - 1) // per_burst, what .. ": write bursts (all full)")
  end
  t:expect_eq(s.r_beats, len // db, what .. ": read beats")
  t:expect_eq(s.w_beats, len // db, what .. ": write beats")
  t:expect_eq(s.b_count, s.aw_count, what .. ": write responses")
end

local function burst_bytes(t)
  return t.caps.max_burst * t.caps.data_bytes
end

return {
  {
    name = "one_burst",
    fn = function(t)
      full_bursts(t, 0x04000000, 0x05000000, burst_bytes(t))
    end,
  },
  {
    name = "one_page_of_bursts",
    fn = function(t)
      local bb = burst_bytes(t)
      local len = math.max(bb, PAGE // bb * bb)
      full_bursts(t, 0x04100000, 0x05100000, len)
    end,
  },
  {
    name = "many_bursts",
    fn = function(t)
      for _, k in ipairs({ 2, 7, 17, 64 }) do
        full_bursts(t, 0x04200000 + k * 0x40000, 0x05200000 + k * 0x40000, k * burst_bytes(t))
      end
    end,
  },
  {
    name = "dst_off_page",
    fn = function(t)
      -- source page aligned (full read bursts); destination half a page and
      -- three beats off, so its bursts are cut at page ends as the rules say
      full_bursts(t, 0x04400000, 0x05400000 + PAGE // 2 + 3 * t.caps.data_bytes, 8 * burst_bytes(t))
    end,
  },
  {
    name = "aw_waits_for_its_data",
    fn = function(t)
      -- With a long read latency, the first write address must not be
      -- issued before the data of its burst has come back: an accepted AW
      -- never holds the interconnect waiting for reads.
      t:quiet()
      local lat = 300
      t:set_latency(lat, lat, 0, 0)
      local db = t.caps.data_bytes
      local first_burst_beats = math.min(t.caps.max_burst, PAGE // db)
      full_bursts(t, 0x04800000, 0x05800000, 4 * burst_bytes(t))
      local s = t:stats()
      local earliest = s.first_ar_cycle + lat + first_burst_beats - 1
      t:check(s.first_aw_cycle >= earliest,
              string.format("first AW at cycle %d, but the first read burst's last beat could not arrive before %d",
                            s.first_aw_cycle, earliest))
    end,
  },
  {
    name = "max_outstanding_reads",
    fn = function(t)
      -- a quiet bus with read latency lets the mover fill its read window
      t:quiet()
      t:set_latency(100, 100, 0, 0)
      full_bursts(t, 0x04600000, 0x05600000, 4 * t.caps.max_outstanding * burst_bytes(t))
      local s = t:stats()
      local want = math.min(2, t.caps.max_outstanding)
      t:check(s.max_rd_outstanding >= want,
              string.format("expected at least %d read bursts in flight, saw %d", want, s.max_rd_outstanding))
      t:check(s.max_rd_outstanding <= t.caps.max_outstanding,
              string.format("%d read bursts in flight, CAP1.MAX_OUTSTANDING is %d",
                            s.max_rd_outstanding, t.caps.max_outstanding))
    end,
  },
}
