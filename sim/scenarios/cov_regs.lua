-- SPDX-License-Identifier: Apache-2.0
-- cov_regs: every register read back, and every storage register of every
-- channel written with random values under random byte strobes, the value
-- read back as the strobes say (fields narrower than 32 bits: the bits that
-- read back as 1 after writing all ones); the constant registers; the cycle
-- counter's HI latch; the statistics counters after one copy; CTRL reading 0.
-- Written for `make coverage` (register read and write paths of
-- ferry_axil_regs.v); a register test of its own.
local fc = require "ferry_check"

-- Channel registers that only store what software writes (no side effect
-- until a doorbell or ring enable).
local STORAGE = { "SRC_LO", "SRC_HI", "DST_LO", "DST_HI", "LEN", "IRQ_ENABLE", "RING_BASE_LO",
                  "RING_BASE_HI", "CPL_BASE_LO", "CPL_BASE_HI", "IRQ_COUNT", "IRQ_TIMER", "WEIGHT",
                  "MAX_OUT" }

local function bytemask(strb)
  local m = 0
  for i = 0, 3 do
    if strb & (1 << i) ~= 0 then m = m | (0xFF << (8 * i)) end
  end
  return m
end

local function rd(t, off, what)
  local v, resp = t:bar_read(off)
  t:expect_eq(resp, "OKAY", "read " .. what)
  return v
end

local function wr(t, off, v, strb, what)
  t:expect_eq(t:bar_write(off, v, strb), "OKAY", "write " .. what)
end

return {
  {
    name = "storage_strobes",
    fn = function(t)
      for ch = 0, t.caps.channels - 1 do
        for _, name in ipairs(STORAGE) do
          local off = t:ch_reg(ch, name)
          local what = string.format("ch %d %s", ch, name)
          local reset = rd(t, off, what)
          wr(t, off, 0xFFFFFFFF, 0xF, what)
          local mask = rd(t, off, what)
          t:check(mask ~= 0, what .. ": no bit reads back 1 after writing all ones")
          local cur = mask
          for _ = 1, 6 do
            local v, strb = t:rand(0, 0xFFFFFFFF), t:rand(0, 15)
            wr(t, off, v, strb, what)
            local B = bytemask(strb)
            cur = ((cur & ~B) | (v & B)) & mask
            t:expect_eq(rd(t, off, what), cur,
                        string.format("%s after writing 0x%08X with strobes 0x%X", what, v, strb))
          end
          wr(t, off, reset, 0xF, what) -- back to the reset value
          t:expect_eq(rd(t, off, what), reset, what .. " restored")
        end
      end
    end,
  },
  {
    name = "globals",
    fn = function(t)
      t:expect_eq(rd(t, t.regs.ID, "ID"), t.regs.MAGIC, "ID")
      t:expect_eq(rd(t, t.regs.IF_VERSION, "IF_VERSION"), t.caps.if_version, "IF_VERSION")
      t:expect_eq(rd(t, t.regs.CAP0, "CAP0"), t.caps.cap0, "CAP0")
      t:expect_eq(rd(t, t.regs.CAP1, "CAP1"), t.caps.cap1, "CAP1")
      t:expect_eq(rd(t, t.regs.IRQ_STATUS, "IRQ_STATUS"), 0, "IRQ_STATUS with no interrupt")
      -- SCRATCH keeps every bit, byte by byte.
      local cur = rd(t, t.regs.SCRATCH, "SCRATCH")
      for _ = 1, 8 do
        local v, strb = t:rand(0, 0xFFFFFFFF), t:rand(0, 15)
        wr(t, t.regs.SCRATCH, v, strb, "SCRATCH")
        local B = bytemask(strb)
        cur = (cur & ~B) | (v & B)
        t:expect_eq(rd(t, t.regs.SCRATCH, "SCRATCH"), cur, string.format("SCRATCH after 0x%08X/0x%X", v, strb))
      end
      -- CYCLE_LO latches the high word; the counter runs.
      local lo1 = rd(t, t.regs.CYCLE_LO, "CYCLE_LO")
      local hi1 = rd(t, t.regs.CYCLE_HI, "CYCLE_HI")
      t:step(100)
      local hi2 = rd(t, t.regs.CYCLE_HI, "CYCLE_HI")
      t:expect_eq(hi2, hi1, "CYCLE_HI changes only at a CYCLE_LO read")
      local lo2 = rd(t, t.regs.CYCLE_LO, "CYCLE_LO")
      local c1, c2 = (hi1 << 32) | lo1, (rd(t, t.regs.CYCLE_HI, "CYCLE_HI") << 32) | lo2
      t:check(c2 > c1 + 100, string.format("cycle counter 0x%X then 0x%X, 100 cycles apart", c1, c2))
      -- Writes to read-only globals answer SLVERR and change nothing.
      for _, name in ipairs({ "ID", "CAP0", "CYCLE_LO", "IRQ_STATUS" }) do
        t:expect_eq(t:bar_write(t.regs[name], 0x5A5A5A5A), "SLVERR", "write to read-only " .. name)
      end
      t:expect_eq(rd(t, t.regs.ID, "ID"), t.regs.MAGIC, "ID after the write")
    end,
  },
  {
    name = "counters_after_copy",
    fn = function(t)
      local ch = t:rand(0, t.caps.channels - 1)
      local len = t:rand(1, 3000)
      fc.copy_checked(t, ch, 0x10000 + t:rand(0, 63), 0x40000 + t:rand(0, 63), len)
      local function c(name) return rd(t, t:ch_reg(ch, name), name) end
      t:expect_eq(c("BYTES_RD_LO"), len, "BYTES_RD_LO")
      t:expect_eq(c("BYTES_RD_HI"), 0, "BYTES_RD_HI")
      t:expect_eq(c("BYTES_WR_LO"), len, "BYTES_WR_LO")
      t:expect_eq(c("BYTES_WR_HI"), 0, "BYTES_WR_HI")
      t:expect_eq(c("DESC_DONE"), 1, "DESC_DONE")
      t:expect_eq(c("ERRORS"), 0, "ERRORS")
      t:check(c("BUSY_LO") > 0, "BUSY_LO is 0 after a copy")
      t:expect_eq(c("BUSY_HI"), 0, "BUSY_HI")
      c("WAIT_LO")
      t:expect_eq(c("WAIT_HI"), 0, "WAIT_HI")
      c("STALL_LO")
      t:expect_eq(c("STALL_HI"), 0, "STALL_HI")
      t:expect_eq(c("CTRL"), 0, "CTRL reads 0 (write-only)")
      t:expect_eq(c("RING_CTRL"), 0, "RING_CTRL with the ring off")
      t:expect_eq(c("RING_CONS"), 0, "RING_CONS with the ring off")
    end,
  },
}
