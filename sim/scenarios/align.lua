-- SPDX-License-Identifier: Apache-2.0
-- align: every source / destination alignment pair 0..(bus bytes - 1) for a
-- few lengths; destination and guard bytes checked after each copy. The
-- pairs are spread over all channels, one copy per channel at a time, so
-- the 64 x 64 pairs of a 512-bit bus take seconds, not a minute.
local fc = require "ferry_check"

local SRC_BASE = 0x01000000
local DST_BASE = 0x02000000

local function sweep(len_of)
  return function(t)
    local db = t.caps.data_bytes
    local nch = t.caps.channels
    local len = len_of(db)
    local slot = ((len + 2 * fc.GUARD + 2 * db) // 4096 + 1) * 4096
    for ch = 0, nch - 1 do
      t:expect_eq(t:irq_enable(ch), "OK", "irq_enable " .. ch) -- wake on the irq, not the poll interval
    end
    local pairs_list = {}
    for so = 0, db - 1 do
      for d = 0, db - 1 do
        pairs_list[#pairs_list + 1] = { so, d }
      end
    end
    for first = 1, #pairs_list, nch do
      local jobs = {}
      for k = 0, math.min(nch, #pairs_list - first + 1) - 1 do
        local n = first + k
        local so, d = pairs_list[n][1], pairs_list[n][2]
        local src = SRC_BASE + (n % (2 * nch + 6)) * slot + so
        local dst = DST_BASE + (n % (2 * nch + 6)) * slot + fc.GUARD + d
        jobs[k] = { ch = k, job = fc.prepare(t, src, dst, len),
                    what = string.format("ch %d: src align %d, dst align %d, %d bytes", k, so, d, len) }
        t:expect_eq(t:copy_start(k, src, dst, len), "OK", jobs[k].what .. ": copy_start")
      end
      for k = 0, #jobs do
        local j = jobs[k]
        local st, err, res = t:copy_wait(j.ch)
        t:expect_eq(st, "OK", j.what .. ": driver status (err " .. err .. ")")
        t:expect_eq(res.bytes, len, j.what .. ": bytes reported")
        fc.verify(t, j.job, j.what)
      end
    end
    t:expect_eq(#pairs_list, db * db, "pairs tried")
  end
end

return {
  { name = "len_1", fn = sweep(function() return 1 end) },
  { name = "len_bus_minus_1", fn = sweep(function(db) return db - 1 end) },
  { name = "len_3_bus_plus_5", fn = sweep(function(db) return 3 * db + 5 end) },
  { name = "len_300", fn = sweep(function() return 300 end) },
}
