-- SPDX-License-Identifier: Apache-2.0
-- arbiter: every channel busy at once. Mixed sizes with every byte and the
-- bursts of each channel checked; the share of the bus each channel gets,
-- measured on the bus (AR bursts per ARID in the memory model's trace),
-- with equal weights and with weights 1:2:4:8; a random mix of descriptors
-- on every channel's ring checked against the reference model.
--
-- The share tests make the read address channel the contended resource:
-- no latency, no backpressure and a memory that takes one read burst at a
-- time, so every channel with work always has a read burst waiting for a
-- grant and the AR order is the arbiter's order. (When the memory accepts
-- every AR at once, the channels' MAX_OUT limits, not the arbiter, decide
-- who reads next.)
local fc = require "ferry_check"
local fr = require "ferry_ring"

local SRC = 0x01000000
local DST = 0x08000000
local SLOT = 0x00400000 -- per channel, in the share tests
local M = {
  MAX_GAP = 8, -- cycles from a read burst's RLAST to the next AR, all channels waiting
}

-- AR bursts of channels 0..n-1 in the trace, in order (IDs >= n are the
-- descriptor/completion port's), and for each the cycles since the last
-- read burst before it ended (RLAST; nil for the first).
local function ar_ids(t, n)
  local ids, gaps = {}, {}
  local last
  for _, e in ipairs(t:trace()) do
    if e.kind == "AR" and e.id < n then
      ids[#ids + 1] = e.id
      gaps[#ids] = last and e.cycle - last or nil
    elseif e.kind == "RLAST" and e.id < n then
      last = e.cycle
    end
  end
  return ids, gaps
end

local function weights_str(w, n)
  local s = {}
  for c = 0, n - 1 do
    s[#s + 1] = tostring(w[c])
  end
  return table.concat(s, ":")
end

local function counts(ids, n, from, to)
  local c = {}
  for k = 0, n - 1 do
    c[k] = 0
  end
  for i = from or 1, to or #ids do
    c[ids[i]] = c[ids[i]] + 1
  end
  return c
end

-- Starts a long copy on every channel with weight w[c], lets the arbiter
-- settle for `warm` AR bursts, returns the channel IDs of the next `window`
-- AR bursts; then waits for every copy and checks every byte.
local function measure(t, w, warm, window)
  local n = t.caps.channels
  local bb = t.caps.data_bytes * t.caps.max_burst -- bytes per full burst
  local sum = 0
  for c = 0, n - 1 do
    sum = sum + w[c]
  end
  t:quiet()
  t:set_rd_outstanding(1)
  local jobs = {}
  for c = 0, n - 1 do
    t:expect_eq(t:bar_write(t:ch_reg(c, "WEIGHT"), w[c]), "OKAY", "WEIGHT of ch " .. c)
    -- enough bursts to stay busy past the window, with a margin
    -- (channel 0 runs alone while the others are started: n + 8 more)
    local bursts = ((warm + window) * w[c] + sum - 1) // sum * 5 // 4 + 2 * w[c] + n + 8
    jobs[c] = fc.prepare(t, SRC + c * SLOT, DST + c * SLOT, bursts * bb)
    t:check(bursts * bb < SLOT - 4096, "slot too small")
  end
  for c = 0, n - 1 do
    t:expect_eq(t:copy_start(c, jobs[c].src, jobs[c].dst, jobs[c].len), "OK", "start ch " .. c)
  end
  t:trace_start(4 * (warm + window) + 4000)
  local budget = t:cycle() + (warm + window) * (t.caps.max_burst + 8) * 2 + 10000
  local ids, gaps
  repeat
    t:step(1000)
    ids, gaps = ar_ids(t, n)
    t:check(t:cycle() < budget, string.format("only %d read bursts in %d cycles", #ids, t:cycle()))
  until #ids >= warm + window
  -- every channel still had reads to make after the window (within the
  -- next round of grants)
  t:step((sum + n) * (t.caps.max_burst + 8) + 1000)
  ids, gaps = ar_ids(t, n)
  local after = counts(ids, n, warm + window + 1)
  local before = counts(ids, n, 1, warm + window)
  for c = 0, n - 1 do
    t:log(string.format("ch %d (weight %d): %d read bursts up to the window's end, %d after", c, w[c],
                        before[c], after[c]))
  end
  local starved = {}
  for c = 0, n - 1 do
    if after[c] == 0 then
      starved[#starved + 1] = c
    end
  end
  t:trace_start(0)
  for c = 0, n - 1 do
    local st, err = t:copy_wait(c)
    t:expect_eq(st, "OK", "ch " .. c .. " (err " .. err .. ")")
    fc.verify(t, jobs[c], "ch " .. c)
  end
  -- work conserving: with reads waiting on every channel, the next read
  -- burst follows the end of the previous one within a few cycles
  local out, worst = {}, 0
  for i = warm + 1, warm + window do
    out[#out + 1] = ids[i]
    worst = math.max(worst, gaps[i])
  end
  t:log("longest wait from RLAST to the next AR: " .. worst .. " cycles")
  t:check(worst <= M.MAX_GAP, string.format("the bus idled %d cycles between read bursts with reads " ..
                                            "waiting on every channel (limit %d)", worst, M.MAX_GAP))
  t:log("AR order (ID per burst, hex): " ..
        table.concat((function()
          local s = {}
          for i = 1, math.min(#out, 240) do
            s[i] = string.format("%x", out[i])
          end
          return s
        end)(), ""))
  -- checked after the shares, which say more when the arbiter is at fault
  local function check_busy()
    t:check(#starved == 0, string.format("ch %s ran out of work before the end of the window (test setup)",
                                         table.concat(starved, ", ")))
  end
  return out, check_busy
end

-- Checks every run of `len` consecutive grants: channel c gets k * w[c]
-- of them, give or take w[c] (the run need not start at a round's start).
local function check_runs(t, ids, w, n, k, what)
  local sum = 0
  for c = 0, n - 1 do
    sum = sum + w[c]
  end
  local len = k * sum
  for from = 1, #ids - len + 1 do
    local cnt = counts(ids, n, from, from + len - 1)
    for c = 0, n - 1 do
      if math.abs(cnt[c] - k * w[c]) > w[c] then
        t:check(false, string.format("%s: ch %d has %d of the %d read bursts from #%d on; weights %s give " ..
                                     "%d per %d, so %d +- %d", what, c, cnt[c], len, from, weights_str(w, n),
                                     w[c], sum, k * w[c], w[c]))
      end
    end
  end
end

return {
  {
    name = "all_channels_mixed_sizes",
    fn = function(t)
      local n, db, mb = t.caps.channels, t.caps.data_bytes, t.caps.max_burst
      local sizes = { 1, db - 1, 3 * db + 5, 4096, 3 * 4096 + 17, 20000, 65536 + 3, 777, 150000, 2 * db }
      -- three rounds, each channel a different size each round; with more
      -- channels than sizes one round already gives every size (the
      -- 16-channel build then spent 1.7 M cycles here, most of its scenarios' time)
      for round = 1, (n > #sizes and 1 or 3) do
        t:stats_clear()
        local jobs = {}
        for c = 0, n - 1 do
          local len = sizes[(c * 3 + round) % #sizes + 1]
          local src = 0x01000000 + c * 0x40000 + t:rand(0, 4095)
          local dst = 0x02000000 + c * 0x40000 + fc.GUARD + t:rand(0, 4095)
          jobs[c] = fc.prepare(t, src, dst, len)
        end
        for c = 0, n - 1 do
          t:expect_eq(t:copy_start(c, jobs[c].src, jobs[c].dst, jobs[c].len), "OK",
                      "round " .. round .. ": start ch " .. c)
        end
        for c = 0, n - 1 do
          local st, err = t:copy_wait(c)
          t:expect_eq(st, "OK", "round " .. round .. ": ch " .. c .. " (err " .. err .. ")")
        end
        local st = t:stats()
        for c = 0, n - 1 do
          local j = jobs[c]
          local what = string.format("round %d: ch %d, %d bytes 0x%X -> 0x%X", round, c, j.len, j.src, j.dst)
          fc.verify(t, j, what)
          t:expect_eq(st.ar_by_id[c], fc.bursts(j.src, j.len, db, mb), what .. ": read bursts with ARID " .. c)
          t:expect_eq(st.aw_by_id[c], fc.bursts(j.dst, j.len, db, mb), what .. ": write bursts with AWID " .. c)
        end
        t:expect_eq(st.ar_by_id[n] + st.aw_by_id[n], 0, "bursts of the descriptor port in direct mode")
      end
    end,
  },
  {
    name = "share_equal_weights",
    fn = function(t)
      local n = t.caps.channels
      local w = {}
      for c = 0, n - 1 do
        w[c] = 1
      end
      local rounds = 24
      local ids, check_busy = measure(t, w, 2 * n, rounds * n)
      if n == 1 then
        t:log("one channel: it gets every read burst")
      end
      local cnt = counts(ids, n)
      for c = 0, n - 1 do
        t:log(string.format("ch %d: %d of %d read bursts", c, cnt[c], #ids))
        t:check(math.abs(cnt[c] - rounds) <= 1,
                string.format("ch %d: %d of %d read bursts, expected %d +- 1", c, cnt[c], #ids, rounds))
      end
      -- each round of n grants: every channel once, give or take one
      check_runs(t, ids, w, n, 1, "equal weights")
      check_runs(t, ids, w, n, 8, "equal weights")
      check_busy()
    end,
  },
  {
    name = "share_weights_1_2_4_8",
    fn = function(t)
      local n = t.caps.channels
      local base = { 1, 2, 4, 8 }
      local w, sum = {}, 0
      for c = 0, n - 1 do
        w[c] = base[c % 4 + 1]
        sum = sum + w[c]
      end
      if n < 4 then
        t:log(string.format("only %d channel(s): weights 1:2:4:8 need 4; checking %s instead", n,
                            weights_str(w, n)))
      end
      local rounds = n == 1 and 40 or math.max(20, 600 // sum)
      local ids, check_busy = measure(t, w, 2 * sum, rounds * sum)
      local cnt = counts(ids, n)
      for c = 0, n - 1 do
        local want = #ids * w[c] / sum
        t:log(string.format("ch %d (weight %d): %d of %d read bursts, proportional %.1f", c, w[c], cnt[c],
                            #ids, want))
        t:check(math.abs(cnt[c] - want) <= 0.05 * want,
                string.format("ch %d (weight %d): %d of %d read bursts, expected %.1f +- 5%% (weights %s)", c,
                              w[c], cnt[c], #ids, want, weights_str(w, n)))
      end
      check_runs(t, ids, w, n, 1, "weights " .. weights_str(w, n))
      check_busy()
    end,
  },
  {
    name = "max_out_limits",
    fn = function(t)
      -- MAX_OUT caps a channel's bursts in flight per direction, seen on the
      -- bus (AR until RLAST, AW until B, per ID); 0 acts as 1, values above
      -- CAP1.MAX_OUTSTANDING as the maximum. Each channel alone copies with a
      -- slow memory (reads 600 cycles, write responses 3000), so it reaches
      -- its limit in both directions.
      local n, mo = t.caps.channels, t.caps.max_outstanding
      local db, mb = t.caps.data_bytes, t.caps.max_burst
      local choice = { mo, 0, 2, 63, 1, 3 }
      t:quiet()
      t:set_latency(600, 600, 3000, 3000)
      -- one channel per value, and the last channel
      local chans = {}
      for c = 0, math.min(n, #choice) - 1 do
        chans[#chans + 1] = c
      end
      if n > #choice then
        chans[#chans + 1] = n - 1
      end
      for _, c in ipairs(chans) do
        local v = choice[c % #choice + 1]
        local lim = math.min(math.max(v, 1), mo)
        local what = string.format("ch %d (MAX_OUT %d, limit %d)", c, v, lim)
        t:expect_eq(t:bar_write(t:ch_reg(c, "MAX_OUT"), v), "OKAY", what .. ": write MAX_OUT")
        local job = fc.prepare(t, SRC + c * SLOT + 4096, DST + c * SLOT, (2 * lim + 4) * db * mb)
        t:trace_start(100000)
        local st, err = t:copy(c, job.src, job.dst, job.len)
        t:expect_eq(st, "OK", what .. " (err " .. err .. ")")
        fc.verify(t, job, what)
        local ev, dropped = t:trace()
        t:expect_eq(dropped, 0, "trace events dropped")
        local rd, wr, rd_max, wr_max = 0, 0, 0, 0
        for _, e in ipairs(ev) do
          if e.id == c then
            if e.kind == "AR" then
              rd = rd + 1
              rd_max = math.max(rd_max, rd)
            elseif e.kind == "RLAST" then
              rd = rd - 1
            elseif e.kind == "AW" then
              wr = wr + 1
              wr_max = math.max(wr_max, wr)
            elseif e.kind == "B" then
              wr = wr - 1
            end
          end
        end
        t:log(string.format("%s: at most %d reads and %d writes in flight", what, rd_max, wr_max))
        t:expect_eq(rd_max, lim, what .. ": most read bursts in flight")
        t:expect_eq(wr_max, lim, what .. ": most write bursts in flight")
      end
    end,
  },
  {
    name = "weight_register",
    fn = function(t)
      -- WEIGHT keeps 8 bits, resets to 1; a lone channel with weight 0 or
      -- 255 still gets every grant (0 behaves as 1)
      local n = t.caps.channels
      for c = 0, n - 1 do
        local reg = t:ch_reg(c, "WEIGHT")
        t:expect_eq(t:bar_read(reg), 1, "WEIGHT reset value, ch " .. c)
        t:expect_eq(t:bar_write(reg, 0xFFFFFF05), "OKAY", "WEIGHT write, ch " .. c)
        t:expect_eq(t:bar_read(reg), 5, "WEIGHT keeps bits 7:0, ch " .. c)
      end
      for _, wt in ipairs({ 0, 255 }) do
        t:expect_eq(t:bar_write(t:ch_reg(0, "WEIGHT"), wt), "OKAY", "WEIGHT = " .. wt)
        fc.copy_checked(t, 0, SRC + 3, DST + 5, 20000, "ch 0 alone with weight " .. wt)
      end
    end,
  },
  {
    name = "random_mix_rings",
    fn = function(t)
      -- every channel runs its own ring of random descriptors (1D, 2D,
      -- fixed sides, some bad) with random WEIGHT and MAX_OUT; every
      -- destination area, with the bytes around each destination, is
      -- compared with the reference model at the end
      local n, db = t.caps.channels, t.caps.data_bytes
      local SRC_AREA, DST_AREA = 0x10000, 0x40000
      local SLOT_B = 0x2000
      local rings = {}
      for c = 0, n - 1 do
        local src, dst = 0x01000000 + c * 0x100000, 0x04000000 + c * 0x100000
        t:mem_fill(src, SRC_AREA, t:seed() + 10 + c)
        t:mem_fill(dst, DST_AREA, t:seed() + 100 + c)
        rings[c] = {
          src = src, dst = dst, slot = 0,
          r = fr.open(t, c, { base = 0x00100000 + c * 0x1000, cpl = 0x00200000 + c * 0x400, log2 = 4,
                              weight = t:rand(1, 8), max_out = t:rand(1, t.caps.max_outstanding) }),
        }
      end
      local function desc(g)
        local kind = t:rand(0, 9)
        local d = { tag = t:rand(0, 0xFFFF) }
        local dst = g.dst + g.slot * SLOT_B
        g.slot = g.slot + 1
        if kind <= 4 then -- 1D
          d.len = t:rand(1, SLOT_B - 64)
          d.src = g.src + t:rand(0, SRC_AREA - d.len)
          d.dst = dst + t:rand(0, SLOT_B - d.len)
        elseif kind <= 6 then -- 2D
          d.flags, d.rows, d.len = t.desc.TWO_D, t:rand(1, 8), t:rand(1, 256)
          d.src_stride, d.dst_stride = t:rand(0, 1024), t:rand(0, 900)
          d.src = g.src + t:rand(0, SRC_AREA - 8 * 1024 - 256)
          d.dst = dst + t:rand(0, 31)
        elseif kind == 7 then -- fixed source
          d.flags, d.len = t.desc.SRC_FIXED, t:rand(1, 2000)
          d.src = g.src + t:rand(0, SRC_AREA // db - 1) * db
          d.dst = dst + t:rand(0, 63)
        elseif kind == 8 then -- fixed destination
          d.flags, d.len = t.desc.DST_FIXED, t:rand(1, 2000)
          d.src = g.src + t:rand(0, SRC_AREA - 2000)
          d.dst = dst + t:rand(0, 31) * db % SLOT_B
        else -- bad: reserved flag or zero length
          d.len, d.flags = t:rand(0, 1) * 100, 0x40 * t:rand(0, 1)
          if d.len ~= 0 and d.flags == 0 then
            d.rows = 1
          end
          d.src, d.dst = g.src, dst
        end
        if t:rand(0, 3) == 0 then
          d.flags = (d.flags or 0) | t.desc.IRQ
        end
        return d
      end
      -- two ring-fulls per channel (one with more than 8 channels: 240 descriptors)
      for batch = 1, (n > 8 and 1 or 2) do
        for c = 0, n - 1 do
          local g = rings[c]
          for _ = 1, g.r:free() do
            g.r:put(desc(g))
          end
        end
        for c = 0, n - 1 do
          rings[c].r:doorbell()
        end
        for c = 0, n - 1 do
          rings[c].r:wait()
        end
        t:log("batch " .. batch .. " done at cycle " .. t:cycle())
      end
      local bad = 0
      for c = 0, n - 1 do
        local g = rings[c]
        t:expect_shadow(g.dst, DST_AREA, "ch " .. c .. ": destination area")
        t:expect_shadow(g.src, SRC_AREA, "ch " .. c .. ": source area")
        -- the channel's counters agree with the records
        local nbad, bytes = 0, 0
        for k = 1, g.r.written do
          local e = g.r:expected(k)
          if e.status ~= 0 then
            nbad = nbad + 1
          end
          bytes = bytes + e.bytes
        end
        local function reg64(name)
          return t:bar_read(t:ch_reg(c, name .. "_LO")) | (t:bar_read(t:ch_reg(c, name .. "_HI")) << 32)
        end
        t:expect_eq(t:bar_read(t:ch_reg(c, "DESC_DONE")), g.r.written, "ch " .. c .. ": DESC_DONE")
        t:expect_eq(t:bar_read(t:ch_reg(c, "ERRORS")), nbad, "ch " .. c .. ": ERRORS")
        t:expect_eq(reg64("BYTES_RD"), bytes, "ch " .. c .. ": BYTES_RD (sum of the records' BYTES)")
        t:expect_eq(reg64("BYTES_WR"), bytes, "ch " .. c .. ": BYTES_WR (sum of the records' BYTES)")
        bad = bad + nbad
      end
      t:log(bad .. " bad descriptors among " .. rings[0].r.written * n)
    end,
  },
}
