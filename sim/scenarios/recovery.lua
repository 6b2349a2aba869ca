-- SPDX-License-Identifier: Apache-2.0
-- recovery: errors stop a channel cleanly (docs/errors.md). Bus errors on
-- data reads and writes stop a transfer at once with the faulting burst,
-- the bytes written before it and nothing written after it; the watchdog
-- ends a transfer whose responses stopped coming; ABORT stops at a burst
-- boundary and reports the residue, and the rest can be copied again;
-- CTRL.RESET puts one channel back to its reset values while the others
-- run, and refuses writes (SLVERR) until it is done; RESUME and SKIP restart a halted ring. Each time the other channels
-- keep running and the channel works again afterwards.
local fc = require "ferry_check"
local fr = require "ferry_ring"

local SRC = 0x01000000
local DST = 0x02000000
local RING = 0x00100000
local CPL = 0x00108000

-- A copy size that takes some 10000 cycles at most on this build (narrow
-- buses with few bursts in flight are slower).
local function big(t)
  return math.min(256 * 1024, 2048 * t.caps.data_bytes * t.caps.max_outstanding)
end

-- Waits until the channel is not BUSY; returns the cycles waited.
local function wait_idle(t, ch, budget, what)
  local t0 = t:cycle()
  while t:status(ch).busy do
    t:check(t:cycle() - t0 < budget, string.format("%s: still BUSY after %d cycles (STATUS 0x%X)", what,
                                                   budget, t:status(ch).raw))
    t:step(8)
  end
  return t:cycle() - t0
end

local function reg(t, ch, name)
  return t:bar_read(t:ch_reg(ch, name))
end

local err_addr = fc.err_addr

-- Waits for the watchdog's report: ERROR TIMEOUT while the channel is still
-- BUSY and STOPPING (a response is held back).
local function expect_timeout(t, ch, what)
  local t0 = t:cycle()
  while not t:status(ch).error do
    t:check(t:cycle() - t0 < 100000, what .. ": no TIMEOUT within 100000 cycles")
    t:step(16)
  end
  local s = t:status(ch)
  t:expect_eq(s.err, "TIMEOUT", what .. ": ERR_CODE")
  t:check(s.busy and s.stopping, string.format("%s: STATUS 0x%X: BUSY and STOPPING while a response is held",
                                               what, s.raw))
end

-- The burst that starts at or below addr, beat aligned, and covers it.
local function covers(t, f, addr)
  local db = t.caps.data_bytes
  return f <= addr and f % db == 0 and addr < f + t.caps.max_burst * db
end

-- The destination's first n bytes equal the source's.
local function expect_prefix(t, src, dst, n, what)
  t:check(t:mem_read(src, n) == t:mem_read(dst, n),
          string.format("%s: destination differs from the source within ERR_BYTES %d", what, n))
end

-- How many leading bytes of got equal want's.
local function landed_prefix(got, want)
  local n = 0
  while n < #got and got:byte(n + 1) == want:byte(n + 1) do
    n = n + 1
  end
  return n
end

-- Points channel ch's ring at RING and its completion ring at CPL; returns a
-- writer of its registers that expects OKAY.
local function ring_at(t, ch)
  local function w(name, v)
    t:expect_eq(t:bar_write(t:ch_reg(ch, name), v), "OKAY", name)
  end
  w("RING_BASE_LO", RING)
  w("RING_BASE_HI", 0)
  w("CPL_BASE_LO", CPL)
  w("CPL_BASE_HI", 0)
  return w
end

-- A direct copy of len bytes with a bus error at src/dst + at ("read" or
-- "write"); checks the stop and the report, then that the channel copies
-- again. Returns the cycles from the doorbell to idle.
local function direct_error(t, ch, dir, len, at, resp)
  local src, dst = SRC + 0x100000 * ch + 5, DST + 0x100000 * ch + 3
  local what = string.format("ch %d: %s error at byte %d of %d", ch, dir, at, len)
  local job = fc.prepare(t, src, dst, len)
  local bad = (dir == "read" and src or dst) + at
  t:mem_inject_error(bad, bad, dir, resp or "SLVERR")
  local s0 = t:stats()
  local c0 = t:cycle()
  t:expect_eq(t:raw_start(ch, src, dst, len), "OKAY", what .. ": doorbell")
  -- from the first STATUS read showing the error to the first showing idle
  local seen
  while true do
    local st = t:status(ch)
    if st.error and not seen then
      seen = t:cycle()
    end
    if not st.busy then
      break
    end
    t:check(t:cycle() - c0 < 2000000, what .. ": still BUSY after 2000000 cycles")
  end
  local cycles = t:cycle() - (seen or t:cycle())
  local s = t:status(ch)
  local code = dir == "read" and "RD_RESP" or "WR_RESP"
  t:check(s.error and not s.done and not s.halted and not s.stopping,
          string.format("%s: STATUS 0x%X, expected ERROR only", what, s.raw))
  t:expect_eq(s.err, code, what .. ": ERR_CODE")
  local fa = err_addr(t, ch)
  t:check(covers(t, fa, bad), string.format("%s: ERR_ADDR 0x%X does not cover 0x%X", what, fa, bad))
  local n = reg(t, ch, "ERR_BYTES")
  t:check(n <= at, string.format("%s: ERR_BYTES %d past the fault at %d", what, n, at))
  expect_prefix(t, src, dst, n, what)
  -- stopped at once: far fewer read bursts than the whole copy needs
  local s1 = t:stats()
  local need = fc.bursts(src, len, t.caps.data_bytes, t.caps.max_burst)
  local issued = (s1.ar_by_id[ch] or 0) - (s0.ar_by_id[ch] or 0)
  t:check(issued < need, string.format("%s: %d read bursts issued of %d: did not stop", what, issued, need))
  t:log(string.format("%s: ERR_ADDR 0x%X, ERR_BYTES %d, %d of %d read bursts, error seen to idle %d cycles",
                      what, fa, n, issued, need, cycles))
  -- what the stop left in the destination past ERR_BYTES is not defined
  t:unpredictable(dst + n, len - n, what .. ": destination past ERR_BYTES")
  t:mem_inject_error(bad, bad, dir, "OKAY")
  t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_ERROR), "OKAY", what .. ": clear ERROR")
  fc.copy_checked(t, ch, src + 0x40000, dst + 0x40000, 5000, what .. ": the next copy")
  return cycles
end

return {
  {
    name = "direct_read_error_stops_at_once",
    fn = function(t)
      local len = big(t)
      for _, at in ipairs({ 0, 777, len * 2 // 5 }) do
        direct_error(t, 0, "read", len, at, at == 777 and "DECERR" or "SLVERR")
      end
    end,
  },
  {
    name = "direct_write_error_stops",
    fn = function(t)
      local len = big(t)
      for _, at in ipairs({ 0, 4099, len * 3 // 5 }) do
        direct_error(t, 0, "write", len, at, "SLVERR")
      end
    end,
  },
  {
    name = "other_channels_keep_running",
    fn = function(t)
      if t.caps.channels < 2 then
        return
      end
      local len = big(t) // 2
      local job = fc.prepare(t, SRC + 0x800000, DST + 0x800000, len)
      t:expect_eq(t:copy_start(1, job.src, job.dst, len), "OK", "ch 1 start")
      direct_error(t, 0, "read", big(t) // 4, big(t) // 12)
      local st, err = t:copy_wait(1)
      t:expect_eq(st, "OK", "ch 1 copy beside the failing channel (err " .. err .. ")")
      fc.verify(t, job, "ch 1 copy")
    end,
  },
  {
    name = "watchdog_times_out_and_drains",
    fn = function(t)
      -- the source's responses are held back 20000 cycles; WDOG 2000
      local ch = 0
      local len = big(t) // 4
      local src, dst = SRC + 3, DST + 1
      local job = fc.prepare(t, src, dst, len)
      t:expect_eq(t:bar_write(t:ch_reg(ch, "WDOG"), 2000), "OKAY", "WDOG = 2000")
      t:mem_hold("read", src + len // 3, src + len // 3, 20000)
      local c0 = t:cycle()
      t:expect_eq(t:raw_start(ch, src, dst, len), "OKAY", "doorbell")
      -- the timeout is reported while the held burst is still out
      expect_timeout(t, ch, "read held 20000 cycles")
      local report = t:cycle() - c0
      -- the late response is taken, then the channel is idle
      wait_idle(t, ch, 40000, "after the held response")
      local idle = t:cycle() - c0
      local n = reg(t, ch, "ERR_BYTES")
      t:check(n < len, "ERR_BYTES below LEN")
      expect_prefix(t, src, dst, n, "timeout")
      t:unpredictable(dst + n, len - n, "destination past ERR_BYTES after the timeout")
      t:log(string.format("TIMEOUT reported %d cycles after the doorbell, idle after %d; ERR_BYTES %d", report,
                          idle, n))
      t:check(t:protocol_error() == nil, "protocol errors")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_ERROR), "OKAY", "clear ERROR")
      fc.copy_checked(t, ch, SRC + 0x40000, DST + 0x40000, 3000, "copy after the timeout")
      -- progress resets the watchdog: a slow but steady copy does not time out
      t:set_latency(500, 1500, 500, 1500)
      fc.copy_checked(t, ch, SRC + 0x50000, DST + 0x50000, 20000, "slow copy under WDOG 2000")
    end,
  },
  {
    name = "watchdog_with_a_response_held_forever",
    fn = function(t)
      -- a write response that never comes: TIMEOUT, STOPPING until it is
      -- released, then idle; nothing is dropped on the bus
      local ch = 0
      local len = 20000
      local src, dst = SRC, DST
      local job = fc.prepare(t, src, dst, len)
      t:expect_eq(t:bar_write(t:ch_reg(ch, "WDOG"), 1000), "OKAY", "WDOG = 1000")
      t:mem_hold("write", dst + 8000, dst + 8000, "forever")
      t:expect_eq(t:raw_start(ch, src, dst, len), "OKAY", "doorbell")
      expect_timeout(t, ch, "write response held forever")
      t:step(5000)
      t:check(t:status(ch).stopping, "still STOPPING: the held response is outstanding")
      t:mem_release()
      wait_idle(t, ch, 20000, "after the release")
      local n = reg(t, ch, "ERR_BYTES")
      expect_prefix(t, src, dst, n, "held forever")
      if n < len then -- (every burst may have been out before the timeout: then all landed)
        t:unpredictable(dst + n, len - n, "destination past ERR_BYTES")
      end
      t:check(t:protocol_error() == nil, "protocol errors")
      fc.copy_checked(t, ch, SRC + 0x40000, DST + 0x40000, 3000, "copy after the release")
    end,
  },
  {
    name = "abort_direct_and_copy_the_rest",
    fn = function(t)
      local ch = t.caps.channels - 1
      local len = 2 * big(t)
      local src, dst = SRC + 0x11, DST + 0x7
      local job = fc.prepare(t, src, dst, len)
      t:expect_eq(t:raw_start(ch, src, dst, len), "OKAY", "doorbell")
      t:step(t:rand(200, 2000))
      local s0 = t:stats()
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_ABORT), "OKAY", "CTRL.ABORT")
      local c0 = t:cycle()
      wait_idle(t, ch, 50000, "abort")
      local s = t:status(ch)
      t:expect_eq(s.err, "ABORTED", "ERR_CODE")
      local n = reg(t, ch, "ERR_BYTES")
      t:check(n > 0 and n < len, string.format("ERR_BYTES %d of %d", n, len))
      t:log(string.format("aborted after %d bytes; idle %d cycles after ABORT", n, t:cycle() - c0))
      t:check(t:protocol_error() == nil, "protocol errors")
      -- the rest, from the residue
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_ERROR), "OKAY", "clear ERROR")
      local st, err, res = t:copy(ch, src + n, dst + n, len - n)
      t:expect_eq(st, "OK", "copy of the residue (err " .. err .. ")")
      fc.verify(t, job, "aborted copy completed from its residue")
      -- ABORT of an idle channel does nothing
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_ABORT), "OKAY", "CTRL.ABORT while idle")
      t:step(50)
      s = t:status(ch)
      t:check(not s.error and not s.busy, string.format("STATUS 0x%X after ABORT of an idle channel", s.raw))
    end,
  },
  {
    name = "abort_ring_then_resume",
    fn = function(t)
      local ch = 0
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 3 })
      local list = {}
      for k = 1, 6 do
        local len = big(t) // 6 + 1000 * k
        local d = { src = SRC + k * 0x20000 + k, dst = DST + k * 0x20000 + 2 * k, len = len, tag = 0xA0 + k }
        t:mem_fill(d.src, len, t:seed() + k)
        list[k] = d
      end
      local halted_at
      r.on_halt = function(rr, e, s)
        halted_at = e.index
        -- record of the aborted descriptor: ABORTED, the bytes so far
        local c = t:cpl_decode(t:mem_read(CPL + 16 * e.index, 16))
        if c.phase == rr.phase and c.index == e.index then
          -- stopped inside the descriptor: its record says how far it got
          t:expect_eq(c.err, "ABORTED", "record status")
          t:check(c.bytes < e.desc.len, "record BYTES below LEN")
          rr:check_prefix(e.desc, c.bytes, "aborted descriptor")
          t:expect_eq(reg(t, ch, "ERR_BYTES"), c.bytes, "ERR_BYTES = record BYTES")
        else
          t:log("stopped between descriptors: no record")
        end
        t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_ERROR), "OKAY", "clear ERROR")
        -- run it again: the descriptor is fetched again and completes
        e.status = 0
        e.bytes = e.desc.len
        e.fault = nil
        rr:shadow_record(rr.done + 1, e.tag)
        t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_RESUME), "OKAY", "CTRL.RESUME")
      end
      for k = 1, 6 do
        r:put(list[k])
      end
      r:doorbell()
      -- abort once 20..60 % of the bytes are written (any bus width)
      local total, at = 0, 0
      for k = 1, 6 do total = total + list[k].len end
      at = total * t:rand(20, 60) // 100
      local w0 = reg(t, ch, "BYTES_WR_LO")
      local t0 = t:cycle()
      while reg(t, ch, "BYTES_WR_LO") - w0 < at do
        t:check(t:cycle() - t0 < 2000000, "the ring does not get going")
        t:step(8)
      end
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_ABORT), "OKAY", "CTRL.ABORT")
      wait_idle(t, ch, 100000, "abort of the ring")
      local s = t:status(ch)
      if s.halted then
        -- the halted descriptor expects ABORTED until on_halt resumes it
        local cons = reg(t, ch, "RING_CONS")
        local e = r:expected(r:cons_to_seq(cons) + 1)
        e.status = t.err.ABORTED
      end
      r:wait()
      t:check(halted_at ~= nil, "the ring halted after ABORT")
      for k = 1, 6 do
        t:expect_shadow(list[k].dst, list[k].len, "descriptor " .. k)
      end
    end,
  },
  {
    name = "abort_while_stopping_for_a_bad_descriptor",
    fn = function(t)
      -- (a fuzzer finding) descriptor 1 fails its check while descriptor 0,
      -- a long one, runs: the channel is STOPPING with the mover going;
      -- ABORT must still stop descriptor 0 at a burst boundary
      local ch = 0
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 2 })
      local len = 2 * big(t)
      local d0 = { src = SRC, dst = DST, len = len, tag = 1 }
      t:mem_fill(SRC, len, t:seed())
      r:put(d0, { status = "ABORTED", bytes = "prefix", no_ref = true })
      r:put({ src = SRC, dst = DST + 0x100000, len = 0, tag = 2 })
      r:doorbell()
      local t0 = t:cycle()
      while not t:status(ch).stopping do
        t:check(t:cycle() - t0 < 20000, "not STOPPING after the bad descriptor")
        t:step(8)
      end
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_ABORT), "OKAY", "CTRL.ABORT")
      local c0 = t:cycle()
      wait_idle(t, ch, 20000, "ABORT while stopping")
      t:log(string.format("idle %d cycles after ABORT", t:cycle() - c0))
      local s = t:status(ch)
      t:check(s.halted, string.format("STATUS 0x%X: HALTED expected", s.raw))
      t:expect_eq(s.err, "ABORTED", "ERR_CODE")
      t:expect_eq(reg(t, ch, "RING_CONS"), 0, "halted at the long descriptor")
      t:unpredictable(DST, len, "aborted descriptor's destination")
      -- the halted ring: skip the aborted one, then the bad one halts it again
      r.on_halt = nil
      r:wait()
    end,
  },
  {
    name = "channel_reset_while_others_run",
    fn = function(t)
      local ch = 0
      -- registers away from their reset values
      local function w(n, v) t:expect_eq(t:bar_write(t:ch_reg(ch, n), v), "OKAY", "write " .. n) end
      w("WEIGHT", 7)
      w("IRQ_COUNT", 5)
      w("WDOG", 123456)
      w("IRQ_ENABLE", 3)
      local job1
      if t.caps.channels > 1 then
        job1 = fc.prepare(t, SRC + 0x800000, DST + 0x800000, big(t) // 2)
        t:expect_eq(t:copy_start(1, job1.src, job1.dst, job1.len), "OK", "ch 1 start")
      end
      local len = 2 * big(t)
      local job = fc.prepare(t, SRC, DST, len)
      t:expect_eq(t:raw_start(ch, SRC, DST, len), "OKAY", "doorbell")
      t:step(t:rand(1000, 10000))
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_RESET), "OKAY", "CTRL.RESET")
      wait_idle(t, ch, 50000, "channel reset")
      t:unpredictable(DST, len, "destination of the copy cut by the channel reset")
      -- every register of the channel at its reset value
      for _, r in ipairs(t:reg_info()) do
        if r.per_channel then
          local want = r.name == "MAX_OUT" and t.caps.max_outstanding or r.reset
          t:expect_eq(reg(t, ch, r.name), want, "after CTRL.RESET: " .. r.name)
        end
      end
      t:check(t:protocol_error() == nil, "protocol errors")
      if job1 then
        local st, err = t:copy_wait(1)
        t:expect_eq(st, "OK", "ch 1 beside the reset (err " .. err .. ")")
        fc.verify(t, job1, "ch 1 copy")
      end
      fc.copy_checked(t, ch, SRC + 0x100000, DST + 0x100000, 7777, "copy after the channel reset")
    end,
  },
  {
    name = "writes_while_a_channel_reset_drains",
    fn = function(t)
      -- From CTRL.RESET until the reset completes, a write to any of the
      -- channel's registers but STATUS, and a doorbell, answers SLVERR and
      -- changes nothing (the reset would wipe it); a write answered OKAY is
      -- never lost.
      local ch = 0
      t:expect_eq(t:bar_write(t:ch_reg(ch, "WEIGHT"), 7), "OKAY", "WEIGHT before the reset")
      local len = big(t)
      fc.prepare(t, SRC, DST, len) -- source data; the copy is cut, so not verified
      -- held write responses keep the drain going for a while
      t:mem_hold("write", DST, DST + len - 1, 1500)
      t:expect_eq(t:raw_start(ch, SRC, DST, len), "OKAY", "doorbell")
      t:step(t:rand(200, 2000))
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_RESET), "OKAY", "CTRL.RESET")
      local n = 0
      for _, r in ipairs(t:reg_info()) do
        if r.per_channel and r.name ~= "CTRL" and r.name ~= "STATUS" then
          -- 5: WIN_CTRL.LOCK (bit 1) clear, should the write land after all
          t:expect_eq(t:bar_write(t:ch_reg(ch, r.name), 5), "SLVERR", "write of " .. r.name .. " while resetting")
          n = n + 1
        end
      end
      t:check(t:status(ch).busy, "the reset drained before the writes were done: hold longer")
      t:expect_eq(reg(t, ch, "WEIGHT"), 7, "WEIGHT unchanged by the refused write")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), t.bits.STATUS_DONE), "OKAY", "STATUS write while resetting")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_RESET), "OKAY", "CTRL.RESET again while resetting")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_START), "SLVERR", "doorbell while resetting")
      -- with LOCK (bit 1): refused as well, although locked windows outlive the reset
      t:expect_eq(t:bar_write(t:ch_reg(ch, "WIN_CTRL"), 3), "SLVERR", "WIN_CTRL.LOCK while resetting")
      -- back-to-back writes across the cycle the reset completes
      local last, refused = nil, 0
      local k = 0
      repeat
        k = k + 1
        local resp = t:bar_write(t:ch_reg(ch, "SRC_LO"), k)
        if resp == "OKAY" then
          last = k
        else
          t:expect_eq(resp, "SLVERR", "SRC_LO write " .. k)
          t:check(last == nil, "SRC_LO write " .. k .. " refused after one was taken")
          refused = refused + 1
        end
        t:check(k < 100000, "the reset did not complete")
      until last ~= nil and not t:status(ch).busy
      t:expect_eq(reg(t, ch, "SRC_LO"), last, "the last SRC_LO write answered OKAY")
      t:expect_eq(reg(t, ch, "WEIGHT"), 1, "WEIGHT at its reset value")
      t:unpredictable(DST, len, "destination of the copy cut by the channel reset")
      t:log(string.format("%d registers refused while draining, then %d SRC_LO writes until the reset completed",
                          n, refused))
      t:check(refused > 0, "no SRC_LO write saw the reset pending")
      fc.copy_checked(t, ch, SRC + 0x100000, DST + 0x100000, 4096, "copy after the channel reset")
      t:check(t:protocol_error() == nil, "protocol errors")
    end,
  },
  {
    name = "reset_close_behind_an_abort",
    fn = function(t)
      -- CTRL.RESET a few cycles after CTRL.ABORT, also in the very cycle the
      -- abort's drain completes: every reset must still put the channel's
      -- registers back (WEIGHT to 1, STATUS to 0). First at random distances
      -- on the seed's bus; then without latency or stalls (t:quiet), where
      -- the timing repeats exactly: one read burst in flight (MAX_OUT 1), the
      -- reset 0 to 2 x MAX_BURST_LEN + 40 cycles after the abort, which sweeps
      -- it across the end of the drain (this found a RESET lost in the cycle
      -- an ABORT's drain completed).
      local ch = 0
      local len = 1024 * t.caps.data_bytes
      fc.prepare(t, SRC, DST, len) -- source data; the copies are cut, so not verified
      local function trial(what, d1, d2, max_out)
        t:expect_eq(t:bar_write(t:ch_reg(ch, "WEIGHT"), 7), "OKAY", "WEIGHT")
        if max_out then
          t:expect_eq(t:bar_write(t:ch_reg(ch, "MAX_OUT"), max_out), "OKAY", "MAX_OUT")
        end
        t:expect_eq(t:raw_start(ch, SRC, DST, len), "OKAY", "doorbell")
        t:step(d1)
        t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_ABORT), "OKAY", "CTRL.ABORT")
        t:step(d2)
        t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_RESET), "OKAY", "CTRL.RESET")
        wait_idle(t, ch, 50000, what)
        t:expect_eq(reg(t, ch, "WEIGHT"), 1, what .. ": WEIGHT after CTRL.RESET")
        t:expect_eq(reg(t, ch, "STATUS"), 0, what .. ": STATUS after CTRL.RESET")
      end
      for i = 1, 40 do
        local d1, d2 = t:rand(0, 200), t:rand(0, 200)
        trial(string.format("random %d (abort +%d, reset +%d)", i, d1, d2), d1, d2)
      end
      t:quiet()
      for d = 0, 2 * t.caps.max_burst + 40 do
        trial(string.format("quiet, reset %d cycles after the abort", d), 100, d, 1)
      end
      t:unpredictable(DST, len, "destinations of the aborted copies")
      fc.copy_checked(t, ch, SRC + 0x100000, DST + 0x100000, 4096, "copy after the resets")
      t:check(t:protocol_error() == nil, "protocol errors")
    end,
  },
  {
    name = "abort_reports_the_bytes_landed",
    fn = function(t)
      -- CTRL.ABORT of a direct copy: ERR_BYTES must be exactly the bytes that
      -- landed (the destination starts as the inverse of the source, so the
      -- written prefix can be measured), and a copy ends either DONE (every
      -- byte landed) or ERROR ABORTED, never both. First at random moments on
      -- the seed's bus; then without latency or stalls (t:quiet), ABORT swept
      -- across the end of a one-burst copy. This found ERR_BYTES short by the
      -- last burst when the drain ended on its write response, and DONE with
      -- ERROR ABORTED when ABORT met the completion.
      local ch = 0
      local function inverse(b)
        return (b:gsub(".", function(c) return string.char(255 - c:byte()) end))
      end
      local function trial(what, len, d)
        local src = t:pattern(len, 11 + d)
        t:mem_write(SRC, src)
        t:mem_write(DST, inverse(src))
        t:expect_eq(t:raw_start(ch, SRC, DST, len), "OKAY", what .. ": doorbell")
        t:step(d)
        t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_ABORT), "OKAY", what .. ": CTRL.ABORT")
        wait_idle(t, ch, 100000, what)
        local s = t:status(ch)
        local got = t:mem_read(DST, len)
        local landed = landed_prefix(got, src)
        t:check(got:sub(landed + 1) == inverse(src):sub(landed + 1),
                what .. ": bytes written past the first unwritten one")
        t:check(s.done ~= s.error, string.format("%s: STATUS 0x%X: DONE %s and ERROR %s", what, s.raw,
                                                 tostring(s.done), tostring(s.error)))
        if s.done then
          t:expect_eq(landed, len, what .. ": bytes landed with DONE")
        else
          t:expect_eq(s.err, "ABORTED", what .. ": ERR_CODE")
          t:expect_eq(reg(t, ch, "ERR_BYTES"), landed, what .. ": ERR_BYTES against the bytes landed")
        end
        t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), 0xF), "OKAY", what .. ": clear STATUS")
        t:unpredictable(DST, len, "destination of an aborted copy")
        return s.done
      end
      local len = 64 * t.caps.data_bytes * t.caps.max_burst
      for i = 1, 12 do
        trial(string.format("random %d", i), len, t:rand(0, 1500))
      end
      t:quiet()
      -- how long a one-burst copy runs from its doorbell, then ABORT across its end
      local one = t.caps.data_bytes * t.caps.max_burst
      t:expect_eq(t:raw_start(ch, SRC, DST, one), "OKAY", "doorbell")
      local c = wait_idle(t, ch, 100000, "one-burst copy")
      t:expect_eq(t:bar_write(t:ch_reg(ch, "STATUS"), 0xF), "OKAY", "clear STATUS")
      local dones = 0
      for d = math.max(0, c - 40), c + 8 do
        if trial(string.format("quiet, one burst, abort %d cycles after the doorbell", d), one, d) then
          dones = dones + 1
        end
      end
      t:log(string.format("one-burst copy %d cycles; %d of the swept aborts came after the end (DONE)", c, dones))
      t:check(t:protocol_error() == nil, "protocol errors")
    end,
  },
  {
    name = "abort_ring_record_counts_the_bytes_landed",
    fn = function(t)
      -- CTRL.ABORT of a ring's only descriptor (two bursts), swept across its
      -- life without latency or stalls: its completion record is OK with every
      -- byte, or ABORTED with BYTES exactly the bytes landed. This found
      -- ABORTED records one burst short of the data that had landed.
      t:quiet()
      local ch = 0
      local len = 2 * t.caps.data_bytes * t.caps.max_burst
      local src = t:pattern(len, 5)
      t:mem_write(SRC, src)
      local w = ring_at(t, ch)
      t:mem_write(RING, t:desc_encode({ src = SRC, dst = DST, len = len, tag = 0x77 }))
      local aborted = 0
      for d = 0, 4 * t.caps.max_burst + 40, 3 do
        local what = string.format("abort %d cycles after RING_PROD", d)
        t:mem_write(DST, string.rep("\0", len))
        t:mem_write(CPL, string.rep("\0", 16))
        w("RING_CTRL", 1 | (1 << 8))
        w("RING_PROD", 1)
        t:step(d)
        w("CTRL", t.bits.CTRL_ABORT)
        wait_idle(t, ch, 100000, what)
        local rec = t:cpl_decode(t:mem_read(CPL, 16))
        local landed = landed_prefix(t:mem_read(DST, len), src)
        t:log(string.format("%s: record phase %s %s bytes %d, landed %d", what, tostring(rec.phase), rec.err,
                            rec.bytes, landed))
        if rec.phase then -- a record was written (phase 1 on the first pass)
          if rec.err == "NONE" then
            t:expect_eq(rec.bytes, len, what .. ": BYTES of an OK record")
            t:expect_eq(landed, len, what .. ": bytes landed under an OK record")
          else
            t:expect_eq(rec.err, "ABORTED", what .. ": record status")
            t:expect_eq(rec.bytes, landed, what .. ": record BYTES against the bytes landed")
            aborted = aborted + 1
          end
        end
        w("RING_CTRL", 0)
        wait_idle(t, ch, 100000, what .. ": disable")
        w("STATUS", 0xF)
        t:unpredictable(DST, len, "destination of an aborted descriptor")
        t:unpredictable(CPL, 16, "record of an aborted descriptor")
      end
      t:check(aborted > 0, "no sweep point aborted the descriptor")
      t:check(t:protocol_error() == nil, "protocol errors")
    end,
  },
  {
    name = "ring_disable_at_the_end_of_an_abort_leaves_no_halt",
    fn = function(t)
      -- RING_CTRL = 0 swept across the end of an ABORT's drain (no latency or
      -- stalls): a disabled ring is never left HALTED (docs/registers.md:
      -- clearing ENABLE leaves HALTED). This found HALTED set with the ring
      -- off when the disable met the drain's last cycle.
      t:quiet()
      local ch = 0
      local len = 16 * t.caps.data_bytes * t.caps.max_burst
      t:mem_fill(SRC, len, 3)
      t:mem_write(RING, t:desc_encode({ src = SRC, dst = DST, len = len, tag = 1 }))
      local w = ring_at(t, ch)
      local function start_and_abort()
        w("RING_CTRL", 1 | (1 << 8))
        w("RING_PROD", 1)
        t:step(40)
        w("CTRL", t.bits.CTRL_ABORT)
      end
      -- the drain's length, ABORT to idle
      start_and_abort()
      local c0 = t:cycle()
      while t:status(ch).busy do
        t:step(1)
      end
      local drain = t:cycle() - c0
      w("RING_CTRL", 0)
      w("STATUS", 0xF)
      for d = math.max(0, drain - 30), drain + 10 do
        local what = string.format("disable %d cycles after the abort (drain %d)", d, drain)
        start_and_abort()
        t:step(d)
        w("RING_CTRL", 0)
        wait_idle(t, ch, 100000, what)
        local s = t:status(ch)
        t:check(not s.halted and not s.ring_active, string.format("%s: STATUS 0x%X: HALTED or RING_ACTIVE"
                                                                  .. " with the ring disabled", what, s.raw))
        w("STATUS", 0xF)
      end
      t:unpredictable(DST, len, "destinations of the aborted descriptors")
      t:unpredictable(CPL, 16, "records of the aborted descriptors")
      t:check(t:protocol_error() == nil, "protocol errors")
    end,
  },
  {
    name = "abort_across_a_bad_descriptor_halt_keeps_the_first_code",
    fn = function(t)
      -- CTRL.ABORT swept, one cycle at a time and without latency or stalls,
      -- across a ring's halt on a descriptor with LEN 0. The ring halts at it
      -- either way, having written no data: ERR_CODE ABORTED (ERR_ADDR 0, no
      -- record) if the ABORT came before the check, else LEN_ZERO (ERR_ADDR
      -- the descriptor's, its record LEN_ZERO with BYTES 0). The first code
      -- stays (docs/errors.md): never ABORTED again after a LEN_ZERO, which
      -- an ABORT in the drain's last cycle once overwrote.
      t:quiet()
      local ch = 0
      local w = ring_at(t, ch)
      t:mem_write(RING, t:desc_encode({ src = SRC, dst = DST, len = 0, tag = 0x55 }))
      local codes, first_lz, last_ab = {}, nil, nil
      for d = 0, 60 do
        local what = string.format("abort %d cycles after RING_PROD", d)
        t:mem_write(CPL, string.rep("\0", 16))
        local s0 = t:stats()
        w("RING_CTRL", 1 | (1 << 8))
        w("RING_PROD", 1)
        t:step(d)
        w("CTRL", t.bits.CTRL_ABORT)
        wait_idle(t, ch, 10000, what)
        local s = t:status(ch)
        t:check(s.halted and s.error and not s.done and not s.stopping,
                string.format("%s: STATUS 0x%X, expected HALTED and ERROR", what, s.raw))
        t:expect_eq(reg(t, ch, "RING_CONS"), 0, what .. ": RING_CONS (halted at the bad descriptor)")
        t:expect_eq(reg(t, ch, "ERR_DESC"), 0, what .. ": ERR_DESC")
        t:expect_eq(reg(t, ch, "ERR_BYTES"), 0, what .. ": ERR_BYTES")
        t:expect_eq((t:stats().aw_by_id[ch] or 0) - (s0.aw_by_id[ch] or 0), 0, what .. ": data write bursts")
        if s.err == "LEN_ZERO" then
          first_lz = first_lz or d
          codes[#codes + 1] = "L"
          t:expect_eq(err_addr(t, ch), RING, what .. ": ERR_ADDR of LEN_ZERO")
          local rec = t:cpl_decode(t:mem_read(CPL, 16))
          t:check(rec.phase and rec.err == "LEN_ZERO" and rec.bytes == 0 and rec.index == 0 and rec.tag == 0x55,
                  string.format("%s: record phase %s %s bytes %d index %d tag 0x%X, expected LEN_ZERO, 0 bytes,"
                                .. " index 0, tag 0x55", what, tostring(rec.phase), tostring(rec.err), rec.bytes,
                                rec.index, rec.tag))
        else
          t:expect_eq(s.err, "ABORTED", what .. ": ERR_CODE")
          last_ab = d
          codes[#codes + 1] = "A"
          t:expect_eq(err_addr(t, ch), 0, what .. ": ERR_ADDR of ABORTED")
          t:expect_eq(t:mem_read(CPL, 16), string.rep("\0", 16), what .. ": no record before the check")
        end
        w("RING_CTRL", 0)
        wait_idle(t, ch, 10000, what .. ": disable")
        w("STATUS", 0xF)
        t:check(not t:status(ch).halted, what .. ": HALTED after the ring was disabled")
      end
      t:unpredictable(CPL, 16, "records of the halted descriptor")
      t:log("ERR_CODE by abort cycle (A ABORTED, L LEN_ZERO): " .. table.concat(codes))
      t:check(first_lz ~= nil and last_ab ~= nil, "the sweep did not reach both sides of the check")
      t:check(last_ab < first_lz, string.format("ABORTED at cycle %d after LEN_ZERO at cycle %d: the abort"
                                                .. " overwrote the first code", last_ab or -1, first_lz or -1))
      t:check(t:protocol_error() == nil, "protocol errors")
    end,
  },
  {
    name = "abort_at_a_ring_end_then_skip_runs_nothing_past_prod",
    fn = function(t)
      -- One descriptor in a 4-entry ring whose other slots hold stale valid
      -- descriptors; CTRL.ABORT swept across its life, then CTRL.SKIP if the
      -- ring halted. A halt at RING_CONS = RING_PROD (the ABORT found every
      -- burst issued: the descriptor finishes with an OK record) leaves
      -- nothing to skip: SKIP must not run the stale slots (it once moved
      -- RING_CONS past RING_PROD and ran them). With writes 300 cycles
      -- late, an ABORT while only the completion record is in flight finds
      -- nothing to stop: no halt, no error (it once halted the ring there).
      t:quiet()
      t:set_latency(0, 0, 300, 300)
      local ch = 0
      local w = ring_at(t, ch)
      local len = 256
      local stale = DST + 0x10000
      t:mem_fill(SRC, len, 9)
      t:mem_write(RING, t:desc_encode({ src = SRC, dst = DST, len = len, tag = 0x21 }))
      for k = 1, 3 do
        t:mem_write(RING + 32 * k, t:desc_encode({ src = SRC, dst = stale + 0x1000 * k, len = len, tag = k }))
      end
      t:mem_write(stale, string.rep("\xA5", 0x4000))
      local nb = fc.bursts(DST, len, t.caps.data_bytes, t.caps.max_burst)
      -- the descriptor's life without ABORT, RING_PROD to idle
      w("RING_CTRL", 1 | (2 << 8))
      w("RING_PROD", 1)
      local life = wait_idle(t, ch, 100000, "the descriptor alone")
      w("RING_CTRL", 0)
      local halts, ignored = 0, 0
      for d = 0, life + 20, math.max(1, life // 50) do
        local what = string.format("abort %d cycles after RING_PROD", d)
        t:mem_write(CPL, string.rep("\0", 64))
        local aw0 = t:stats().aw_by_id[ch] or 0
        w("RING_CTRL", 1 | (2 << 8))
        w("RING_PROD", 1)
        t:step(d)
        local busy = t:status(ch).busy
        w("CTRL", t.bits.CTRL_ABORT)
        wait_idle(t, ch, 10000, what)
        local s = t:status(ch)
        local cons = reg(t, ch, "RING_CONS")
        local rec = t:cpl_decode(t:mem_read(CPL, 16))
        if s.halted then
          halts = halts + 1
          t:expect_eq(s.err, "ABORTED", what .. ": ERR_CODE")
          t:check(cons == 0 or (cons == 1 and rec.phase and rec.err == "NONE"),
                  string.format("%s: halted at RING_CONS %d, record %s %s", what, cons, tostring(rec.phase), rec.err))
          w("STATUS", 0xF)
          w("CTRL", t.bits.CTRL_SKIP)
          t:step(2000)
          local s2 = t:status(ch)
          t:check(not s2.halted and not s2.error and not s2.busy,
                  string.format("%s: STATUS 0x%X after SKIP at RING_CONS %d", what, s2.raw, cons))
          t:expect_eq(reg(t, ch, "RING_CONS"), 1, what .. ": RING_CONS after SKIP (RING_PROD 1)")
        elseif busy and not s.error and rec.phase and rec.err == "NONE" then
          ignored = ignored + 1   -- BUSY just before the ABORT, yet nothing stopped
        end
        t:check(t:mem_read(stale, 0x4000) == string.rep("\xA5", 0x4000), what .. ": a stale descriptor ran")
        t:check((t:stats().aw_by_id[ch] or 0) - aw0 <= nb, what .. ": more write bursts than the descriptor's")
        w("RING_CTRL", 0)
        wait_idle(t, ch, 10000, what .. ": disable")
        w("STATUS", 0xF)
      end
      t:log(string.format("%d halts, %d aborts with only the record in flight ignored", halts, ignored))
      t:check(halts > 0, "no sweep point halted the ring")
      t:check(ignored >= 3, string.format("only %d aborts found only the record in flight and were ignored", ignored))
      t:unpredictable(DST, len, "destination of the aborted descriptor")
      t:unpredictable(CPL, 64, "records of the aborted descriptor")
      t:check(t:protocol_error() == nil, "protocol errors")
    end,
  },
  {
    name = "random_bus_errors_halt_and_skip",
    fn = function(t)
      -- random SLVERR/DECERR on the channel's data and descriptor reads and
      -- writes; every halt is checked and skipped, every descriptor that did
      -- not fail lands exactly; counts per error class
      local ch = t.caps.channels > 1 and 1 or 0
      local r = fr.open(t, ch, { base = RING, cpl = CPL, log2 = 4 })
      local counts = {}
      local good = {}
      r.on_halt = function(rr, e, s)
        counts[s.err] = (counts[s.err] or 0) + 1
        t:expect_eq(t:bar_write(t:ch_reg(ch, "CTRL"), t.bits.CTRL_SKIP), "OKAY", "CTRL.SKIP")
      end
      -- errors on the data areas only (the rings stay clean so the test's
      -- expectations are exact): 1 in 40 bursts of a data range
      local n = 60
      local list = {}
      for k = 1, n do
        local len = t:rand(1, 3000)
        list[k] = { src = SRC + k * 0x2000 + t:rand(0, 64), dst = DST + k * 0x2000 + t:rand(0, 64), len = len,
                    tag = k }
        t:mem_fill(list[k].src, len, t:seed() + k)
      end
      -- decide the failing ones in advance: an error byte inside the range
      local fail = {}
      for k = 1, n do
        if t:rand(0, 6) == 0 then
          local d = list[k]
          local dir = t:rand(0, 1) == 0 and "read" or "write"
          local off = t:rand(0, d.len - 1)
          local a = (dir == "read" and d.src or d.dst) + off
          t:mem_inject_error(a, a, dir, t:rand(0, 1) == 0 and "SLVERR" or "DECERR")
          fail[k] = { dir = dir, at = a }
        end
      end
      r:run(list, nil, function(k, d)
        if fail[k] then
          return { status = fail[k].dir == "read" and "RD_RESP" or "WR_RESP", no_ref = true, bytes = "prefix",
                   fault = function(f) return covers(t, f, fail[k].at) end }
        end
        return { check = { d.dst, d.len } }
      end)
      local total = 0
      for k = 1, n do
        if fail[k] then
          total = total + 1
          t:unpredictable(list[k].dst, list[k].len, "destination of a failed descriptor")
        end
      end
      t:expect_eq((counts.RD_RESP or 0) + (counts.WR_RESP or 0), total, "halts")
      t:log(string.format("%d descriptors, %d failed: RD_RESP %d, WR_RESP %d, all halts skipped", n, total,
                          counts.RD_RESP or 0, counts.WR_RESP or 0))
    end,
  },
}
