-- SPDX-License-Identifier: Apache-2.0
-- cov_weights: the extreme arbiter weights while two channels compete:
-- WEIGHT 0 (behaves as 1) against WEIGHT 255 (the largest), reads one at a
-- time. Both copies must complete without error and be exact. Which one
-- finishes first is logged, not checked: where one channel cannot fill the
-- bus (CFG=ch16: 8-beat bursts, 16-beat FIFOs) both run at their own pace
-- whatever the weights; arbiter.lua checks the shares where the bus is the
-- bottleneck.
-- Written for `make coverage` (the functional table's weight classes "a
-- weight of 0" and "the largest weight"); a test of its own.
local fc = require "ferry_check"

local SRC = 0x00400000
local DST = 0x00800000
local SLOT = 0x00100000

-- Copy on `heavy` (WEIGHT wh) started first, then on `light` (WEIGHT wl);
-- returns the channels in the order they finished.
local function race(t, light, heavy, wl, wh, len)
  t:quiet()
  t:set_rd_outstanding(1)
  t:expect_eq(t:bar_write(t:ch_reg(light, "WEIGHT"), wl), "OKAY", "WEIGHT of the light channel")
  t:expect_eq(t:bar_write(t:ch_reg(heavy, "WEIGHT"), wh), "OKAY", "WEIGHT of the heavy channel")
  local jobs = {
    [light] = fc.prepare(t, SRC, DST, len),
    [heavy] = fc.prepare(t, SRC + SLOT, DST + SLOT, len),
  }
  t:expect_eq(t:copy_start(heavy, jobs[heavy].src, jobs[heavy].dst, len), "OK", "start the heavy channel")
  t:expect_eq(t:copy_start(light, jobs[light].src, jobs[light].dst, len), "OK", "start the light channel")
  local order, done = {}, {}
  local budget = t:cycle() + 4000000
  while #order < 2 do
    t:step(100)
    for _, c in ipairs({ light, heavy }) do
      if not done[c] then
        local st, err = t:copy_poll(c)
        if st ~= "E_AGAIN" then
          t:expect_eq(st, "OK", string.format("ch %d (err %s)", c, err))
          done[c] = true
          order[#order + 1] = c
        end
      end
    end
    t:check(t:cycle() < budget, "copies not done within the budget")
  end
  for _, c in ipairs({ light, heavy }) do
    fc.verify(t, jobs[c], "ch " .. c)
  end
  return order
end

return {
  {
    name = "zero_against_max",
    fn = function(t)
      local n = t.caps.channels
      -- 40 full bursts, at least 16 KiB: the light channel's head start (while the
      -- heavy one is being started) stays a small part of its copy
      local len = math.max(40 * t.caps.data_bytes * t.caps.max_burst, 16384)
      if n < 2 then
        t:log("one channel: WEIGHT 0 alone")
        t:expect_eq(t:bar_write(t:ch_reg(0, "WEIGHT"), 0), "OKAY", "WEIGHT 0")
        fc.copy_checked(t, 0, SRC + 1, DST + 3, 5000, "ch 0 alone with weight 0")
        return
      end
      local light = t:rand(0, n - 1)
      local heavy = (light + t:rand(1, n - 1)) % n
      local order = race(t, light, heavy, 0, 255, len)
      t:log(string.format("ch %d (WEIGHT 255, started first) and ch %d (WEIGHT 0) finished in the order %d, %d",
                          heavy, light, order[1], order[2]))
    end,
  },
}
