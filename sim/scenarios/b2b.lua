-- SPDX-License-Identifier: Apache-2.0
-- b2b: back-to-back transfers on one channel, and transfers on all channels
-- at once (start every channel, then wait for all); every copy checked.
local fc = require "ferry_check"

local SLOT = 0x10000 -- each job gets its own 64 KiB source and destination slot

local function random_job(t, i)
  local len = t:rand(1, 5000)
  local src = 0x10000000 + i * SLOT + t:rand(64)
  local dst = 0x30000000 + i * SLOT + fc.GUARD + t:rand(64)
  return src, dst, len
end

return {
  {
    name = "one_channel_back_to_back",
    fn = function(t)
      for i = 1, 24 do
        local src, dst, len = random_job(t, i)
        fc.copy_checked(t, 0, src, dst, len)
      end
    end,
  },
  {
    name = "restart_at_once",
    fn = function(t)
      -- ring the next doorbell as soon as the previous transfer is reported
      -- done; all sources are written before the first doorbell
      local ch = t.caps.channels - 1
      local jobs = {}
      for i = 1, 8 do
        local src, dst, len = random_job(t, i)
        jobs[i] = fc.prepare(t, src, dst, len)
      end
      t:expect_eq(t:copy_start(ch, jobs[1].src, jobs[1].dst, jobs[1].len), "OK", "first start")
      for i = 1, 8 do
        local st = t:copy_wait(ch)
        t:expect_eq(st, "OK", "job " .. i)
        if i < 8 then
          t:expect_eq(t:copy_start(ch, jobs[i + 1].src, jobs[i + 1].dst, jobs[i + 1].len), "OK",
                      "start job " .. (i + 1))
        end
      end
      for i = 1, 8 do
        fc.verify(t, jobs[i], "job " .. i)
      end
    end,
  },
  {
    name = "all_channels_at_once",
    fn = function(t)
      local n = t.caps.channels
      for round = 1, 3 do
        local jobs = {}
        for ch = 0, n - 1 do
          local src, dst, len = random_job(t, round * 16 + ch)
          jobs[ch] = fc.prepare(t, src, dst, len)
        end
        for ch = 0, n - 1 do
          t:expect_eq(t:copy_start(ch, jobs[ch].src, jobs[ch].dst, jobs[ch].len), "OK",
                      "round " .. round .. ": start ch " .. ch)
        end
        local busy = 0
        for ch = 0, n - 1 do
          if t:status(ch).busy then
            busy = busy + 1
          end
        end
        t:log("round", round, busy, "channels busy after the last doorbell")
        for ch = 0, n - 1 do
          local st, err = t:copy_wait(ch)
          t:expect_eq(st, "OK", "round " .. round .. ": ch " .. ch .. " (err " .. err .. ")")
        end
        for ch = 0, n - 1 do
          fc.verify(t, jobs[ch], "round " .. round .. ": ch " .. ch)
        end
      end
    end,
  },
  {
    name = "random_mix",
    fn = function(t)
      -- batches of random jobs on random channels, some channels idle
      local n = t.caps.channels
      -- 12 batches; 6 above 8 channels (each batch has 4x the jobs there)
      for batch = 1, (n > 8 and 6 or 12) do
        local jobs = {}
        for ch = 0, n - 1 do
          if t:rand(3) ~= 0 then
            local src, dst, len = random_job(t, batch * 16 + ch)
            if t:rand(4) == 0 then
              len = t:rand(1, 40000)
              src, dst = 0x50000000 + ch * 0x100000 + t:rand(4096), 0x60000000 + ch * 0x100000 + fc.GUARD + t:rand(4096)
            end
            jobs[ch] = fc.prepare(t, src, dst, len)
            t:expect_eq(t:copy_start(ch, src, dst, len), "OK", "batch " .. batch .. ": start ch " .. ch)
          end
        end
        for ch = 0, n - 1 do
          if jobs[ch] then
            local st, err = t:copy_wait(ch)
            t:expect_eq(st, "OK", "batch " .. batch .. ": ch " .. ch .. " (err " .. err .. ")")
            fc.verify(t, jobs[ch], "batch " .. batch .. ": ch " .. ch)
          end
        end
      end
    end,
  },
  {
    name = "all_channels_irq",
    fn = function(t)
      local n = t.caps.channels
      local all = (1 << n) - 1
      local jobs = {}
      for ch = 0, n - 1 do
        t:expect_eq(t:irq_enable(ch), "OK", "irq_enable " .. ch)
        local src, dst, len = random_job(t, ch)
        jobs[ch] = fc.prepare(t, src, dst, len)
      end
      for ch = 0, n - 1 do
        t:expect_eq(t:copy_start(ch, jobs[ch].src, jobs[ch].dst, jobs[ch].len), "OK", "start ch " .. ch)
      end
      local done = 0
      while done ~= all do
        t:check(t:wait_irq(all & ~done, 2000000), "interrupt missing; channels done: " .. done)
        local lines = t:irq() & ~done
        t:expect_eq(t:bar_read(t.regs.IRQ_STATUS) & lines, lines, "IRQ_STATUS shows the raised lines")
        for ch = 0, n - 1 do
          if lines & (1 << ch) ~= 0 then
            local st, err = t:copy_poll(ch)
            t:expect_eq(st, "OK", "ch " .. ch .. " (err " .. err .. ")")
            t:expect_eq(t:irq() & (1 << ch), 0, "irq line " .. ch .. " after clearing DONE")
            done = done | (1 << ch)
          end
        end
      end
      for ch = 0, n - 1 do
        fc.verify(t, jobs[ch], "ch " .. ch)
      end
    end,
  },
}
