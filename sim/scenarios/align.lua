-- SPDX-License-Identifier: Apache-2.0
-- align: every source / destination alignment pair 0..(bus bytes - 1) for a
-- few lengths; destination and guard bytes checked after each copy.
local fc = require "ferry_check"

local SRC_BASE = 0x01000000
local DST_BASE = 0x02000000

local function sweep(len_of)
  return function(t)
    local db = t.caps.data_bytes
    local len = len_of(db)
    local slot = ((len + 2 * fc.GUARD + 2 * db) // 4096 + 1) * 4096
    t:expect_eq(t:irq_enable(0), "OK", "irq_enable") -- wake on the irq, not the poll interval
    local n = 0
    for so = 0, db - 1 do
      for d = 0, db - 1 do
        n = n + 1
        local src = SRC_BASE + (n % 8) * slot + so
        local dst = DST_BASE + (n % 8) * slot + fc.GUARD + d
        fc.copy_checked(t, 0, src, dst, len,
          string.format("src align %d, dst align %d, %d bytes", so, d, len))
      end
    end
    t:expect_eq(n, db * db, "pairs tried")
  end
end

return {
  { name = "len_1", fn = sweep(function() return 1 end) },
  { name = "len_bus_minus_1", fn = sweep(function(db) return db - 1 end) },
  { name = "len_3_bus_plus_5", fn = sweep(function(db) return 3 * db + 5 end) },
  { name = "len_300", fn = sweep(function() return 300 end) },
}
