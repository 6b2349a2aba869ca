-- SPDX-License-Identifier: Apache-2.0
-- reset: rst_n asserted in the middle of traffic (t:reset), then normal
-- operation. Direct copies and ring traffic run on several channels; at a
-- random moment the reset comes, for a random 1..16 cycles, whatever is in
-- flight on the bus. The protocol checkers watch every cycle: ferry's
-- VALIDs must be low from the second reset cycle on (its reset is
-- synchronous), the memory model and the checkers forget the bursts in
-- flight. Afterwards every register reads its reset value from the
-- generated table (sw/lib/ferry_regs_table.c, through t:reg_info()), and new
-- direct copies and ring descriptors on every channel are byte-exact.
-- Builds with more than 4 channels or a bus narrower than 64 bits run fewer
-- rounds and smaller transfers (size(), rounds()).
local fc = require "ferry_check"
local fr = require "ferry_ring"

-- Every channel and round has its own slot of AREA bytes in each region
-- (at most 22 rounds x 16 channels fit below 64 MiB), all below 4 GiB.
local SRC = 0x10000000      -- direct copies: sources
local DST = 0x20000000      -- direct copies: destinations
local RING_SRC = 0x30000000 -- ring descriptors: sources
local RING_DST = 0x40000000 -- ring descriptors: destinations (2 KiB per descriptor)
local RINGS = 0x00100000    -- rings (2 KiB) and completion rings (1 KiB), 8 KiB per slot
local AREA = 0x20000

local function slot(round, c)
  return round * 16 + c
end

-- Transfer sizes shrink with more channels and narrower buses (1 on the
-- default build: 4 channels, 64 bits), so that a 16-channel 32-bit build
-- does not spend minutes here.
local function size(t, max)
  local s = math.min(1, 4 / t.caps.channels * t.caps.data_bytes / 8)
  return math.max(64, math.floor(max * s))
end

-- Rounds: n on builds of up to 4 channels, fewer (at least 2) beyond.
local function rounds(t, n)
  return math.min(n, math.max(2, n * 4 // t.caps.channels))
end

-- Every register of the table reads its reset value (CAP0, CAP1 and MAX_OUT
-- are build values: those read before the reset; CYCLE_LO counts from the
-- reset).
local function check_reset_values(t, what, since)
  local n = 0
  for _, r in ipairs(t:reg_info()) do
    for c = 0, (r.per_channel and t.caps.channels or 1) - 1 do
      local off = r.per_channel and t:ch_reg(c, r.name) or r.offset
      local name = r.per_channel and string.format("ch %d %s", c, r.name) or r.name
      local want = r.reset
      if not r.per_channel and r.name == "CAP0" then
        want = t.caps.cap0
      elseif not r.per_channel and r.name == "CAP1" then
        want = t.caps.cap1
      elseif r.per_channel and r.name == "MAX_OUT" then
        want = t.caps.max_outstanding
      end
      local v, resp = t:bar_read(off)
      t:expect_eq(resp, "OKAY", what .. ": read " .. name)
      if not r.per_channel and r.name == "CYCLE_LO" then
        t:check(v <= t:cycle() - since, string.format("%s: CYCLE_LO %d, only %d cycles since the reset",
                                                      what, v, t:cycle() - since))
      else
        t:expect_eq(v, want, string.format("%s: %s (0x%04X) reset value", what, name, off))
      end
      n = n + 1
    end
  end
  return n
end

-- Resets after a random 0..max_wait cycles; returns how many channels were
-- BUSY just before (read through STATUS, so the moment is after that read).
local function reset_now(t, max_wait, what)
  t:step(t:rand(0, max_wait))
  local busy = 0
  for c = 0, t.caps.channels - 1 do
    if t:status(c).busy then
      busy = busy + 1
    end
  end
  local cycles = t:rand(1, 16)
  t:log(string.format("%s: reset for %d cycles at cycle %d, %d channels busy", what, cycles, t:cycle(), busy))
  t:reset(cycles)
  local msg = t:protocol_error()
  t:check(msg == nil, what .. ": protocol error around the reset: " .. tostring(msg))
  return busy
end

-- The reset cut these transfers short: what they left in their
-- destinations (and completion rings) is not defined, so the scoreboard
-- takes those bytes as they are now.
local function cut_short(t, areas, what)
  for _, a in ipairs(areas) do
    t:unpredictable(a[1], a[2], what .. ": transfer cut short by the reset")
  end
end

-- New direct copies on every channel at once, every byte checked.
local function copies_after(t, round, what)
  local n = t.caps.channels
  local jobs = {}
  for c = 0, n - 1 do
    local base = slot(round, c) * AREA
    local len = t:rand(1, size(t, 20000))
    jobs[c] = fc.prepare(t, SRC + base + t:rand(0, 63), DST + base + t:rand(0, 63), len)
    t:expect_eq(t:copy_start(c, jobs[c].src, jobs[c].dst, len), "OK", what .. ": copy_start ch " .. c)
  end
  for c = 0, n - 1 do
    local st, err, res = t:copy_wait(c)
    t:expect_eq(st, "OK", string.format("%s: ch %d after the reset (err %s)", what, c, err))
    t:expect_eq(res.bytes, jobs[c].len, what .. ": bytes reported, ch " .. c)
    fc.verify(t, jobs[c], string.format("%s: ch %d copy after the reset", what, c))
  end
end

-- A ring of 2^log2 slots on channel c with `count` random 1D descriptors
-- written (no doorbell yet); returns the ring and its destination area.
local function ring_with(t, c, round, count, log2)
  local base = RINGS + slot(round, c) * 0x2000
  local r = fr.open(t, c, { base = base, cpl = base + 0x1000, log2 = log2, what = string.format("ch %d ring", c) })
  local src = RING_SRC + slot(round, c) * AREA
  local dst = RING_DST + slot(round, c) * AREA
  local fill = size(t, 0x8000)
  t:mem_fill(src, fill, t:seed() + slot(round, c))
  for k = 0, count - 1 do
    local len = t:rand(1, size(t, 1500))
    r:put({ src = src + t:rand(0, fill - len), dst = dst + k * 0x800 + t:rand(0, 0x800 - len), len = len, tag = k })
  end
  return r, dst, { { dst, count * 0x800 }, { base + 0x1000, (1 << log2) * 16 } }
end

return {
  {
    name = "during_direct_copies",
    fn = function(t)
      -- direct copies of 1 B .. 64 KiB on every channel, reset at a random
      -- moment, 6 rounds
      local n = t.caps.channels
      local busy = 0
      for round = 0, rounds(t, 6) - 1 do
        local what = "round " .. round
        local areas = {}
        for c = 0, n - 1 do
          local base = slot(round, c) * AREA
          local len = t:rand(1, size(t, 65536))
          t:mem_fill(SRC + base, len + 64, t:seed() + slot(round, c))
          t:expect_eq(t:copy_start(c, SRC + base + t:rand(0, 63), DST + base + t:rand(0, 63), len),
                      "OK", what .. ": copy_start ch " .. c)
          areas[#areas + 1] = { DST + base, len + 64 }
        end
        busy = busy + reset_now(t, 3000, what)
        cut_short(t, areas, what)
        local since = t:cycle()
        check_reset_values(t, what, since)
        copies_after(t, round + 8, what)
      end
      t:check(busy > 0, "no channel was busy at any of the resets")
    end,
  },
  {
    name = "during_ring_traffic",
    fn = function(t)
      -- rings of 8..64 slots full of descriptors on every channel, reset
      -- while they run; afterwards rings opened again run byte-exact
      local n = t.caps.channels
      local busy = 0
      for round = 0, rounds(t, 4) - 1 do
        local what = "round " .. round
        local areas = {}
        for c = 0, n - 1 do
          local log2 = t:rand(3, 6)
          local r, _, a = ring_with(t, c, round, (1 << log2) - 1, log2)
          r:doorbell()
          table.move(a, 1, #a, #areas + 1, areas)
        end
        busy = busy + reset_now(t, 4000, what)
        cut_short(t, areas, what)
        check_reset_values(t, what, t:cycle())
        -- new rings on every channel, checked against the reference model
        local rings = {}
        for c = 0, n - 1 do
          -- put() applied the reference model to the shadow (the area was
          -- untouched before, in the bench memory and the shadow alike)
          local r, dst = ring_with(t, c, round + 8, 7, 3)
          rings[c] = { r = r, dst = dst }
          r:doorbell()
        end
        for c = 0, n - 1 do
          rings[c].r:wait()
          rings[c].r:close()
          t:expect_shadow(rings[c].dst, 8 * 0x800, string.format("%s: ch %d ring destinations after the reset", what, c))
        end
      end
      t:check(busy > 0, "no channel was busy at any of the resets")
    end,
  },
  {
    name = "mixed_random_moments",
    fn = function(t)
      -- rings on even channels, direct copies on odd ones, several resets
      -- short and long, some right after the traffic starts
      local n = t.caps.channels
      for round = 0, rounds(t, 5) - 1 do
        local what = "round " .. round
        local areas = {}
        for c = 0, n - 1 do
          if c % 2 == 0 then
            local r, _, a = ring_with(t, c, round, 15, 4)
            r:doorbell()
            table.move(a, 1, #a, #areas + 1, areas)
          else
            local base = slot(round, c) * AREA
            local len = t:rand(1, size(t, 40000))
            t:mem_fill(SRC + base, len, t:seed() + 77 + round)
            t:expect_eq(t:copy_start(c, SRC + base, DST + base, len), "OK", what .. ": copy_start")
            areas[#areas + 1] = { DST + base, len }
          end
        end
        reset_now(t, round == 0 and 20 or 2500, what)
        if round % 2 == 1 then -- a second reset right after the first
          reset_now(t, 5, what .. " (again)")
        end
        cut_short(t, areas, what)
        check_reset_values(t, what, t:cycle())
        copies_after(t, round + 16, what)
      end
    end,
  },
}
