-- SPDX-License-Identifier: Apache-2.0
-- span: the 2D range check (ferry_channel's X_SPAN state, which forms
-- (rows - 1) x stride by shift-and-add over the bits of rows - 1).
--
-- Random row counts over all 16 bits and random 32-bit strides, with the
-- checked side placed one byte past 2^ADDR_WIDTH (ADDR_RANGE, nothing moved)
-- or ending exactly at it (the descriptor runs; every row is compared with
-- the reference model's shadow). Either side, with the other side fixed or
-- not. A wrong span in either direction shows: too small lets a bad
-- descriptor run, too large rejects a good one.
local fr = require "ferry_ring"

local RING = 0x00100000
local CPL = 0x00101000
local SRC = 0x00200000
local DST = 0x00300000
local AREA = 0x00040000

local function test_ch(t)
  return t.caps.channels - 1
end

-- 2^ADDR_WIDTH as a Lua integer (0 for 64 bits: addresses wrap there too).
local function top_of(t)
  return t.caps.addr_width == 64 and 0 or (1 << t.caps.addr_width)
end

-- Largest stride for rows so that the span stays below 2^(aw - 2).
local function max_stride(t, rows)
  local aw = t.caps.addr_width
  local lim = aw >= 40 and 0xFFFFFFFF or ((1 << (aw - 2)) // (rows - 1))
  return math.max(1, math.min(0xFFFFFFFF, lim))
end

-- One 2D descriptor whose src (side "src") or dst (side "dst") ends `over`
-- bytes past 2^ADDR_WIDTH (over = 1: ADDR_RANGE; over = 0: fits exactly).
local function edge_desc(t, side, rows, over, tag)
  local T = t.desc.TWO_D
  local db = t.caps.data_bytes
  local len = t:rand(1, 3 * db)
  local stride = t:rand(1, max_stride(t, rows))
  local span = (rows - 1) * stride
  local edge = top_of(t) - span - len + over
  local d = { len = len, flags = T, rows = rows, tag = tag }
  if side == "src" then
    d.src, d.src_stride = edge, stride
    d.dst, d.dst_stride = DST + t:rand(0, 63), len + t:rand(0, 7)
  else
    d.dst, d.dst_stride = edge, stride
    d.src, d.src_stride = SRC + t:rand(0, 63), len + t:rand(0, 7)
  end
  return d
end

return {
  {
    name = "one_byte_past",
    fn = function(t)
      local ch = test_ch(t)
      t:mem_fill(SRC, AREA, t:seed() + 1)
      t:mem_fill(DST, AREA, t:seed() + 2)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 5 })
      local list = {}
      for i = 1, 40 do
        -- row counts spread over all 16 bits: 2.., with the top bit set for some
        local bits = t:rand(1, 16)
        local rows = math.max(2, t:rand(1 << (bits - 1), (1 << bits) - 1))
        local d = edge_desc(t, i % 2 == 0 and "src" or "dst", rows, 1, 0x5000 + i)
        t:expect_eq(select(2, t:ref_check(d)), "ADDR_RANGE",
                    string.format("reference model: %d rows, stride %d, one byte past the top", rows,
                                  d.src_stride > 0 and d.src_stride or d.dst_stride))
        list[#list + 1] = d
      end
      local s0 = t:stats()
      r:run(list)
      local s1 = t:stats()
      -- only descriptor fetches and completion records on the bus: no data
      t:expect_eq(s1.aw_by_id[ch] or 0, s0.aw_by_id[ch] or 0, "data writes of rejected descriptors")
      t:expect_eq(s1.ar_by_id[ch] or 0, s0.ar_by_id[ch] or 0, "data reads of rejected descriptors")
      for k = 1, #list do
        t:expect_eq(t.err[r:expected(k).record.status], "ADDR_RANGE", string.format("record %d", k - 1))
      end
      t:expect_shadow(DST, AREA, "destination area")
    end,
  },
  {
    name = "exact_fit",
    fn = function(t)
      local ch = test_ch(t)
      t:mem_fill(SRC, AREA, t:seed() + 1)
      t:mem_fill(DST, AREA, t:seed() + 2)
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 5 })
      -- reads below the top first, then writes there (a later descriptor
      -- writing what an earlier one reads would need FENCE)
      local lists = { src = {}, dst = {} }
      for i = 1, 24 do
        local rows = t:rand(2, 24)
        local side = i % 2 == 0 and "src" or "dst"
        local d = edge_desc(t, side, rows, 0, 0x6000 + i)
        if side == "src" then
          -- memory below the top that the rows read
          for row = 0, rows - 1 do
            t:mem_fill(d.src + row * d.src_stride, d.len, t:seed() + 100 * i + row)
          end
          d.dst = DST + (i - 1) * 0x2000 + t:rand(0, 63)
        else
          d.src = SRC + (i - 1) * 0x2000 + t:rand(0, 63)
        end
        t:log(string.format("desc %d: %s side, %d rows x %d B, src 0x%X stride %d, dst 0x%X stride %d", i - 1, side,
                            rows, d.len, d.src, d.src_stride, d.dst, d.dst_stride))
        t:expect_eq(select(2, t:ref_check(d)), "NONE",
                    string.format("reference model: %d rows ending exactly at the top", rows))
        table.insert(lists[side], d)
      end
      local n = 0
      for _, side in ipairs({ "src", "dst" }) do
        r:run(lists[side])
        for _, d in ipairs(lists[side]) do
          n = n + 1
          t:expect_eq(t.err[r:expected(n).record.status], "NONE", string.format("record %d", n - 1))
          for row = 0, d.rows - 1 do
            t:expect_shadow(d.dst + row * d.dst_stride, d.len,
                            string.format("%s side, record %d, row %d", side, n - 1, row))
          end
        end
      end
      t:expect_shadow(DST, AREA, "destination area")
    end,
  },
}
