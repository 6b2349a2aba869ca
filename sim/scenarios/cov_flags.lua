-- SPDX-License-Identifier: Apache-2.0
-- cov_flags: every combination of the descriptor flags of ferry_desc.h
-- (t.desc: IRQ, SRC_FIXED, DST_FIXED, TWO_D, EOP, FENCE) in one ring, each a
-- legal descriptor (fixed sides beat aligned and without stride, 2D with
-- three rows), plus reserved flag bits; every record (status, bytes, tag) and
-- the source and destination areas are checked against the reference model.
-- Written for `make coverage` (the functional coverage table lists every
-- flag combination the DUT fetched), and a test of its own: combinations no
-- other scenario builds (e.g. FENCE with both sides fixed and 2D).
local fr = require "ferry_ring"

local RING = 0x00100000
local CPL = 0x00101000
local SRC = 0x00200000
local DST = 0x00300000
local AREA = 0x00040000
local SLOT = 0x1000 -- destination bytes per descriptor

local function flag_list(t)
  local d = t.desc
  return { d.IRQ, d.SRC_FIXED, d.DST_FIXED, d.TWO_D, d.EOP, d.FENCE }
end

-- A legal descriptor with flags f, its own destination slot i.
local function desc_for(t, f, i)
  local db = t.caps.data_bytes
  local d = t.desc
  local two_d = f & d.TWO_D ~= 0
  local sfix = f & d.SRC_FIXED ~= 0
  local dfix = f & d.DST_FIXED ~= 0
  local x = {
    src = SRC + (i * 97) % (AREA - SLOT),
    dst = DST + i * SLOT + (i % db),
    len = 2 * db + 1 + i % 5,
    flags = f,
    tag = 0x100 + i,
  }
  if sfix then x.src = x.src - x.src % db end
  if dfix then x.dst = x.dst - x.dst % db end
  if two_d then
    x.rows = 3
    x.src_stride = sfix and 0 or 3 * db + 7
    x.dst_stride = dfix and 0 or 4 * db + 3
  end
  return x
end

return {
  {
    name = "all_combinations",
    fn = function(t)
      local ch = t:rand(0, t.caps.channels - 1)
      local bits = flag_list(t)
      local all = 0
      for _, b in ipairs(bits) do all = all | b end
      t:mem_fill(SRC, AREA, t:seed() + 1)
      t:mem_fill(DST, 64 * SLOT + SLOT, t:seed() + 2)
      local list = {}
      for f = 0, all do
        if f & ~all == 0 then list[#list + 1] = desc_for(t, f, #list) end
      end
      t:check(#list == 1 << #bits, string.format("%d flag combinations, expected %d", #list, 1 << #bits))
      -- Random order, so each combination follows different ones across seeds.
      for i = #list, 2, -1 do
        local j = t:rand(1, i)
        list[i], list[j] = list[j], list[i]
      end
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 4 })
      r:run(list)
      t:expect_shadow(SRC, AREA, "source area")
      t:expect_shadow(DST, 64 * SLOT + SLOT, "destination slots")
      t:expect_eq(t:bar_read(t:ch_reg(ch, "DESC_DONE")), #list, "DESC_DONE")
      t:expect_eq(t:bar_read(t:ch_reg(ch, "ERRORS")), 0, "ERRORS")
      r:close()
    end,
  },
  {
    name = "reserved_bits",
    fn = function(t)
      local ch = t:rand(0, t.caps.channels - 1)
      local R = t.desc.FLAGS_RESERVED
      t:mem_fill(SRC, AREA, t:seed() + 1)
      t:mem_fill(DST, 8 * SLOT, t:seed() + 2)
      local list, opts = {}, {}
      local low = R & -R -- lowest reserved bit
      for i, f in ipairs({ low, R, R | t.desc.IRQ, R & ~low | t.desc.TWO_D, 0 }) do
        list[i] = desc_for(t, f, i)
        opts[i] = f & R ~= 0 and { status = "DESC_RESERVED" } or nil
      end
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      r:run(list, nil, function(i) return opts[i] end)
      t:expect_shadow(DST, 8 * SLOT, "destination slots (nothing written for reserved flags)")
      t:expect_eq(t:bar_read(t:ch_reg(ch, "ERRORS")), 4, "ERRORS")
      r:close()
    end,
  },
}
