-- SPDX-License-Identifier: Apache-2.0
-- soak: constrained-random traffic, checked by the reference model and the
-- runner's end-of-test scoreboard.
--
-- Every test runs rounds; in a round every channel gets work at once, in
-- direct mode (the driver's copy_start / copy_wait, the interrupt on or
-- off) or in ring mode (ferry_ring: random ring size, WEIGHT, MAX_OUT,
-- interrupt coalescing), then the test waits for all of them. Transfers:
--   sizes 1 B .. 1 MiB, log-distributed and mostly small; any alignment;
--   flags IRQ, EOP, FENCE, TWO_D (rows, strides, overlapping destination
--   rows), SRC_FIXED / DST_FIXED on beat-aligned addresses; a few bad
--   descriptors (LEN 0, reserved flag, misaligned fixed side, ROWS 0) that
--   must write nothing but their error record.
-- Sources are fresh pattern bytes or an earlier destination of the same
-- channel: from an earlier round (it has landed), or from this round when
-- the descriptor has FENCE (the device waits until it has landed).
-- Destinations are fresh: never a byte another transfer of the round reads
-- or writes. Each destination is compared with the shadow as it completes;
-- the scoreboard compares all memory at the end.
--
-- Knobs (environment): SOAK_N transfers per test (default 20), SOAK_MAXLOG
-- largest size as log2 bytes (default 20 = 1 MiB), SOAK_BYTES bytes a test
-- moves at most (default 1 MiB on a 64-bit bus, scaled with the square of
-- the bus width and divided by channels / 4, at most 4 MiB, so the test
-- stays short on narrow buses and with many channels; 0 = no limit, as
-- `make soak` runs it): once it is spent, sizes are halved to fit.
local fr = require "ferry_ring"

local N = tonumber(os.getenv("SOAK_N") or "") or 20
local MAXLOG = tonumber(os.getenv("SOAK_MAXLOG") or "") or 20
local BYTES = tonumber(os.getenv("SOAK_BYTES") or "")

local RING_BASE = 0x00100000 -- channel c: ring at + c * 0x1000 (64 slots at most)
local CPL_BASE = 0x00200000  -- channel c: completion ring at + c * 0x400
local SRC_BASE = 0x10000000  -- channel c: sources at + c * REGION
local DST_BASE = 0x40000000  -- channel c: destinations at + c * REGION
local REGION = 0x01000000    -- 16 MiB per channel and side (16 channels fit below 2^31)
local GUARD = 16

-- What the test generated, logged at its end (VERBOSE=1 shows it).
local tally = {}
local function count(k)
  tally[k] = (tally[k] or 0) + 1
end

-- A size 1 .. 2^maxlog, log-distributed and mostly small: the octave e
-- (sizes 2^e .. 2^(e+1)-1) is geometric, P(e) ~ 0.87^e, drawn again above
-- maxlog; the top octave is 2^maxlog exactly. With maxlog 20: half the
-- sizes are below 64 B, about 1 in 110 is 1 MiB.
local function rand_size(t, maxlog)
  local e
  repeat
    e = math.floor(math.log(1 - math.random()) / math.log(0.87))
  until e <= maxlog
  if e == maxlog then
    return 1 << maxlog
  end
  return t:rand(1 << e, (2 << e) - 1)
end

-- Bump allocator of one region; fresh ranges never overlap until reset.
local function bump(base)
  return { base = base, next = base }
end

local function take(b, len, align)
  local a = b.next + math.random(0, 64) + GUARD
  if align and align > 1 then
    a = (a + align - 1) // align * align
  end
  b.next = a + len + GUARD
  return a
end

local function room(b, len)
  return b.next + len + 256 < b.base + REGION
end

-- One channel's world.
local function new_chan(t, c)
  return {
    c = c,
    src = bump(SRC_BASE + c * REGION),
    dst = bump(DST_BASE + c * REGION),
    old = {},   -- destinations of earlier rounds (landed): {addr, len}
    round = {}, -- destinations of this round (1D, not fixed): {addr, len}
  }
end

-- A source range of len bytes for channel g; with fence, possibly inside a
-- destination of this round. Returns addr and where it came from.
local function pick_src(t, g, len, fence, align)
  local pool = nil
  if fence and #g.round > 0 and t:rand(0, 1) == 0 then
    pool = g.round
  elseif #g.old > 0 and t:rand(0, 2) == 0 then
    pool = g.old
  end
  if pool then
    local r = pool[t:rand(1, #pool)]
    if r[2] >= len then
      local a = r[1] + t:rand(0, r[2] - len)
      if not align or a % align == 0 then
        count(pool == g.round and "src: this round's destination (FENCE)" or "src: an earlier destination")
        return a
      end
    end
  end
  local a = take(g.src, len, align)
  t:mem_fill(a, len, t:rand(0, 0x7FFFFFFF))
  count("src: fresh")
  return a
end

-- Bytes a descriptor moves (for the budget), 0 for a bad one.
local function desc_bytes(t, d)
  if t:ref_check(d) ~= 0 then
    return 0
  end
  return d.len * ((d.flags & t.desc.TWO_D ~= 0) and d.rows or 1)
end

-- A random legal (or, rarely, bad) descriptor for channel g.
local function rand_desc(t, g, total_left)
  local db = t.caps.data_bytes
  local D = t.desc
  local d = { tag = t:rand(0, 0xFFFF), flags = 0 }
  local maxlog = MAXLOG
  while maxlog > 0 and (1 << maxlog) > total_left do
    maxlog = maxlog - 1
  end
  local kind = t:rand(1, 100)
  if kind <= 3 then -- bad: must write nothing but its record
    local bad = t:rand(1, 4)
    d.len = t:rand(1, 300)
    d.src = take(g.src, d.len)
    d.dst = take(g.dst, d.len)
    if bad == 1 then
      d.len = 0
    elseif bad == 2 then
      d.flags = D.FLAGS_RESERVED & -D.FLAGS_RESERVED -- lowest reserved bit
    elseif bad == 3 then
      d.flags = D.DST_FIXED
      d.dst = (d.dst // db) * db + t:rand(1, db - 1)
    else
      d.flags, d.rows = D.TWO_D, 0
    end
    count("bad descriptor " .. bad)
    return d, "bad"
  end
  local fence = t:rand(0, 3) == 0
  if kind <= 23 then -- 2D
    local rows = t:rand(1, 16)
    local len = math.max(1, rand_size(t, math.max(0, maxlog - 4)))
    d.flags, d.rows, d.len = D.TWO_D, rows, len
    d.src_stride = len + t:rand(0, 64)
    d.dst_stride = t:rand(0, 3) == 0 and t:rand(0, len) or len + t:rand(0, 64) -- sometimes overlapping rows
    local sspan = (rows - 1) * d.src_stride + len
    local dspan = (rows - 1) * d.dst_stride + len
    d.src = pick_src(t, g, sspan, fence)
    d.dst = take(g.dst, dspan)
  elseif kind <= 33 then -- fixed source and/or destination
    local which = t:rand(1, 3)
    d.len = rand_size(t, math.min(maxlog, 14))
    if which & 1 ~= 0 then
      d.flags = d.flags | D.SRC_FIXED
      d.src = pick_src(t, g, db, fence, db)
    else
      d.src = pick_src(t, g, d.len, fence)
    end
    if which & 2 ~= 0 then
      d.flags = d.flags | D.DST_FIXED
      d.dst = take(g.dst, db, db)
    else
      d.dst = take(g.dst, d.len)
      g.round[#g.round + 1] = { d.dst, d.len }
    end
  else -- 1D
    d.len = rand_size(t, maxlog)
    d.src = pick_src(t, g, d.len, fence)
    d.dst = take(g.dst, d.len)
    g.round[#g.round + 1] = { d.dst, d.len }
  end
  if fence and D.FENCE then
    d.flags = d.flags | D.FENCE
  end
  if t:rand(0, 3) == 0 then
    d.flags = d.flags | D.IRQ
  end
  if t:rand(0, 7) == 0 then
    d.flags = d.flags | D.EOP
  end
  for _, f in ipairs({ "TWO_D", "SRC_FIXED", "DST_FIXED", "FENCE", "IRQ", "EOP" }) do
    if D[f] and d.flags & D[f] ~= 0 then
      count("flag " .. f)
    end
  end
  count(string.format("size 2^%d", math.floor(math.log(desc_bytes(t, d), 2))))
  return d, "ok"
end

-- The destination span of d (for expect_shadow when its record arrives).
local function dst_span(t, d)
  if d.flags & t.desc.DST_FIXED ~= 0 then
    return d.dst, t.caps.data_bytes
  end
  local rows = (d.flags & t.desc.TWO_D ~= 0) and d.rows or 1
  return d.dst, math.max(1, (rows - 1) * (d.dst_stride or 0) + d.len)
end

-- Runs `budget` transfers over all channels, in rounds. modes: "direct",
-- "ring" or "mixed" (every channel picks per round).
local function soak(t, mode)
  local n = t.caps.channels
  local chans = {}
  for c = 0, n - 1 do
    chans[c] = new_chan(t, c)
  end
  local left = N
  local per_round_bytes = 4 << 20 -- bytes a round moves at most, all channels
  local db = t.caps.data_bytes
  local test_left = BYTES or math.min(4 << 20, (db * db << 14) // math.max(1, n // 4))
  if test_left <= 0 then
    test_left = math.maxinteger
  end
  local rounds = 0
  while left > 0 do
    rounds = rounds + 1
    local bytes_left = math.min(per_round_bytes, test_left)
    local active = {}
    for c = 0, n - 1 do
      local g = chans[c]
      -- start over in the regions once they fill (everything has landed)
      if not room(g.src, 6 << 20) or not room(g.dst, 6 << 20) then
        g.src.next, g.dst.next, g.old = g.src.base, g.dst.base, {}
      end
      g.round = {}
      local m = mode
      if m == "mixed" then
        m = t:rand(0, 1) == 0 and "direct" or "ring"
      end
      if left > 0 and t.caps[m] ~= false then
        g.mode = m
        active[#active + 1] = g
        if m == "direct" then
          local len = rand_size(t, MAXLOG)
          while len > bytes_left and len > 1 do
            len = len // 2
          end
          bytes_left = bytes_left - len
          test_left = test_left - len
          g.len = len
          g.s = pick_src(t, g, len, false)
          g.d = take(g.dst, len)
          count("direct copy")
          g.irq = t:rand(0, 1) == 0
          t:expect_eq(t:irq_enable(g.c, g.irq), "OK", "irq_enable")
          if t:rand(0, 1) == 0 then -- the arbiter settings apply to direct copies too
            t:expect_eq(t:bar_write(t:ch_reg(g.c, "WEIGHT"), t:rand(0, 255)), "OKAY", "WEIGHT")
            t:expect_eq(t:bar_write(t:ch_reg(g.c, "MAX_OUT"), t:rand(0, t.caps.max_outstanding + 1)), "OKAY",
                        "MAX_OUT")
          end
          local st = t:copy_start(g.c, g.s, g.d, len)
          t:expect_eq(st, "OK", string.format("ch %d: copy_start 0x%X -> 0x%X, %d bytes", g.c, g.s, g.d, len))
          left = left - 1
        else
          local log2 = t:rand(1, 6)
          g.r = fr.open(t, g.c, {
            base = RING_BASE + g.c * 0x1000, cpl = CPL_BASE + g.c * 0x400, log2 = log2,
            weight = t:rand(0, 1) == 0 and t:rand(1, 255) or t:rand(1, 8),
            max_out = t:rand(0, t.caps.max_outstanding + 1),
            irq_cpl = t:rand(0, 1) == 0, irq_count = t:rand(0, 4), irq_timer = t:rand(0, 200),
          })
          local k = math.min(g.r:free(), left, t:rand(1, g.r.size - 1))
          for _ = 1, k do
            local d, kind = rand_desc(t, g, math.max(1, bytes_left))
            local nb = desc_bytes(t, d)
            bytes_left = bytes_left - nb
            test_left = test_left - nb
            local a, l = dst_span(t, d)
            g.r:put(d, kind == "ok" and { check = { a - GUARD, l + 2 * GUARD } } or nil)
            t:log(string.format("round %d ch %d: %s desc src 0x%X dst 0x%X len %d flags 0x%X rows %s strides %s/%s",
                                rounds, g.c, kind, d.src, d.dst, d.len, d.flags, tostring(d.rows),
                                tostring(d.src_stride), tostring(d.dst_stride)))
          end
          left = left - k
          g.r:doorbell()
        end
      end
    end
    -- wait for every channel; each destination against the shadow
    for _, g in ipairs(active) do
      if g.mode == "direct" then
        local what = string.format("round %d ch %d: direct 0x%X -> 0x%X, %d bytes (irq %s)", rounds, g.c, g.s,
                                   g.d, g.len, tostring(g.irq))
        local st, err, res = t:copy_wait(g.c)
        t:expect_eq(st, "OK", what .. ": copy_wait (err " .. err .. ")")
        t:expect_eq(res.bytes, g.len, what .. ": bytes reported")
        t:expect_shadow(g.d - GUARD, g.len + 2 * GUARD, what)
        g.round[#g.round + 1] = { g.d, g.len }
      else
        g.r:wait()
        g.r:close()
        -- bad descriptors leave STATUS.ERROR (and CPL) set: clear them (W1C)
        -- so the ring opens cleanly next time
        local b = t.bits
        t:expect_eq(t:bar_write(t:ch_reg(g.c, "STATUS"), b.STATUS_ERROR | b.STATUS_CPL | b.STATUS_DONE), "OKAY",
                    "clear STATUS")
      end
    end
    for _, g in ipairs(active) do
      for _, r in ipairs(g.round) do
        g.old[#g.old + 1] = r
      end
    end
  end
  t:log(string.format("%d transfers in %d rounds", N, rounds))
  local keys = {}
  for k in pairs(tally) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  for _, k in ipairs(keys) do
    t:log(string.format("  %-40s %d", k, tally[k]))
  end
end

return {
  { name = "direct", fn = function(t) soak(t, "direct") end },
  { name = "ring", fn = function(t) soak(t, "ring") end },
  { name = "mixed", fn = function(t) soak(t, "mixed") end },
}
