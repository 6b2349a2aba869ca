-- SPDX-License-Identifier: Apache-2.0
-- cov_weights: the extreme arbiter weights while two channels compete:
-- WEIGHT 0 (behaves as 1) against WEIGHT 255 (the largest), reads one at a
-- time so the arbiter decides the order. The heavy channel must finish its
-- copy first although it starts second, and both copies must be exact.
-- Written for `make coverage` (the functional table's weight classes "a
-- weight of 0" and "the largest weight"); a test of its own.
local fc = require "ferry_check"

local SRC = 0x00400000
local DST = 0x00800000
local SLOT = 0x00100000

-- Copy on `light` (WEIGHT wl) started first, then on `heavy` (WEIGHT wh);
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
  t:expect_eq(t:copy_start(light, jobs[light].src, jobs[light].dst, len), "OK", "start the light channel")
  t:expect_eq(t:copy_start(heavy, jobs[heavy].src, jobs[heavy].dst, len), "OK", "start the heavy channel")
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
      local len = 40 * t.caps.data_bytes * t.caps.max_burst
      if n < 2 then
        t:log("one channel: WEIGHT 0 alone")
        t:expect_eq(t:bar_write(t:ch_reg(0, "WEIGHT"), 0), "OKAY", "WEIGHT 0")
        fc.copy_checked(t, 0, SRC + 1, DST + 3, 5000, "ch 0 alone with weight 0")
        return
      end
      local light = t:rand(0, n - 1)
      local heavy = (light + t:rand(1, n - 1)) % n
      local order = race(t, light, heavy, 0, 255, len)
      t:expect_eq(order[1], heavy, string.format("first to finish (ch %d has WEIGHT 0, ch %d WEIGHT 255, " ..
                                                  "ch %d started first)", light, heavy, light))
    end,
  },
}
