-- SPDX-License-Identifier: Apache-2.0
-- tiny: 1 to 8 bytes at several source and destination alignments; the
-- guard bytes around the destination stay untouched.
local fc = require "ferry_check"

local SRC_BASE = 0x00100000
local DST_BASE = 0x00300000

-- Offsets within a bus word (and one past it) worth trying.
local function offsets(db)
  local seen, list = {}, {}
  for _, o in ipairs({ 0, 1, 2, 3, db // 2 - 1, db // 2, db - 3, db - 1, db + 1 }) do
    if o >= 0 and not seen[o] then
      seen[o] = true
      list[#list + 1] = o
    end
  end
  return list
end

local tests = {}
for len = 1, 8 do
  tests[#tests + 1] = {
    name = "len" .. len,
    fn = function(t)
      local offs = offsets(t.caps.data_bytes)
      local n = 0
      for _, so in ipairs(offs) do
        for _, d in ipairs(offs) do
          n = n + 1
          -- a fresh pair of 256-byte slots per copy, so nothing stale helps
          fc.copy_checked(t, 0, SRC_BASE + n * 256 + so, DST_BASE + n * 256 + d, len)
        end
      end
      t:log(n .. " copies of " .. len .. " bytes")
    end,
  }
end

-- Tiny copies that end exactly at, or straddle, a 4 KiB page boundary.
tests[#tests + 1] = {
  name = "page_edges",
  fn = function(t)
    for len = 1, 8 do
      for back = 1, 8 do
        fc.copy_checked(t, 0, 0x00501000 - back, 0x00702000 - (9 - back), len)
      end
    end
  end,
}

return tests
