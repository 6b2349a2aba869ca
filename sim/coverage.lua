-- SPDX-License-Identifier: Apache-2.0
-- coverage.lua DIR: the report of `make coverage` (sim/coverage.sh runs it).
--
--   DIR/coverage.dat   merged Verilator coverage (line and toggle points)
--   DIR/fcov/*.txt     functional coverage counts of each test bench (tb/fcov.c)
--
-- Prints line and toggle coverage per rtl/ file and in total, then every
-- unexercised RTL line that sim/coverage_waivers.txt does not waive, writes
-- DIR/line_report.txt (the same, plus the waived lines with their reasons) and
-- DIR/functional.md (the functional coverage table, with the items never hit).
-- Exits 1 if an unexercised line is not waived. Toggle coverage and
-- functional holes are reported, not enforced.
--
-- `coverage.lua --functional DIR [--check]` only writes DIR/functional.md (and
-- with --check exits 1 if an item outside sim/fcov_expected_holes.txt is never
-- hit); make fcov-check uses it.

local WAIVERS = "sim/coverage_waivers.txt"
local REGS_H = "sw/include/ferry/ferry_regs.h"
local DESC_H = "sw/include/ferry/ferry_desc.h"

local function die(msg)
  io.stderr:write("coverage: " .. msg .. "\n")
  os.exit(2)
end

local function read_lines(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local t = {}
  for l in f:lines() do t[#t + 1] = l end
  f:close()
  return t
end

local function pct(hit, all)
  if all == 0 then return "-" end
  return string.format("%.1f %%", 100 * hit / all)
end

------------------------------------------------------------------ waivers
-- FILE | PATTERN | REASON. PATTERN is plain text found in the source line
-- (not a line number, so waivers survive edits); "START ... END" covers the
-- lines from one containing START to the next one containing END.
local function load_waivers()
  local lines = read_lines(WAIVERS)
  if not lines then die("cannot read " .. WAIVERS) end
  local w = {}
  for n, l in ipairs(lines) do
    if not l:match("^%s*#") and l:match("%S") then
      local file, pat, reason = l:match("^%s*(%S+)%s*|%s*(.-)%s*|%s*(.-)%s*$")
      if not file or pat == "" or reason == "" then
        die(string.format("%s:%d: expected 'FILE | PATTERN | REASON', got: %s", WAIVERS, n, l))
      end
      local from, to = pat:match("^(.-)%s+%.%.%.%s+(.-)$")
      w[#w + 1] = {file = file, pat = pat, from = from, to = to, reason = reason,
                   where = WAIVERS .. ":" .. n, used = 0}
    end
  end
  return w
end

-- Lines of src (a list) a waiver covers: a set.
local function waived_lines(wv, src)
  local set = {}
  if wv.from then
    local i = 1
    while i <= #src do
      if src[i]:find(wv.from, 1, true) then
        local j = i
        while j <= #src and not (j > i and src[j]:find(wv.to, 1, true)) and
              not (j == i and src[j]:find(wv.to, 1, true) and wv.to ~= wv.from) do
          set[j] = true
          j = j + 1
        end
        if j <= #src then set[j] = true end
        i = j + 1
      else
        i = i + 1
      end
    end
  else
    for i, l in ipairs(src) do
      if l:find(wv.pat, 1, true) then set[i] = true end
    end
  end
  return set
end

------------------------------------------------------------------ Verilator coverage
local function parse_dat(path)
  local f = io.open(path, "r")
  if not f then die("cannot read " .. path) end
  local files = {}
  local function file(name)
    local e = files[name]
    if not e then
      e = {hit = {}, miss = {}, tog_hit = 0, tog_all = 0, pts_hit = 0, pts_all = 0}
      files[name] = e
    end
    return e
  end
  for l in f:lines() do
    local body, count = l:match("^C '(.*)' (%d+)%s*$")
    if body then
      local kv = {}
      for k, v in body:gmatch("\1([^\2]*)\2([^\1]*)") do kv[k] = v end
      local page = kv.page or ""
      local fname = kv.f and kv.f:match("([^/]+%.v)$")
      if fname then
        local e = file(fname)
        local n = tonumber(count)
        if page:match("^v_toggle/") then
          e.tog_all = e.tog_all + 1
          if n > 0 then e.tog_hit = e.tog_hit + 1 end
        elseif page:match("^v_line/") or page:match("^v_branch/") then
          e.pts_all = e.pts_all + 1
          if n > 0 then e.pts_hit = e.pts_hit + 1 end
          local set = n > 0 and e.hit or e.miss
          local spans = kv.S or kv.l or ""
          for a, b in spans:gmatch("(%d+)%-?(%d*)") do
            a = tonumber(a)
            b = tonumber(b) or a
            for i = a, b do set[i] = true end
          end
        end
      end
    end
  end
  f:close()
  return files
end

local function line_report(dir)
  local files = parse_dat(dir .. "/coverage.dat")
  local waivers = load_waivers()
  local names = {}
  for name in pairs(files) do names[#names + 1] = name end
  table.sort(names)
  if #names == 0 then die("no rtl/ coverage points in " .. dir .. "/coverage.dat") end

  local rep = {}
  local function out(s)
    print(s)
    rep[#rep + 1] = s
  end
  local unwaived, waived = {}, {}
  local T = {lines = 0, lhit = 0, waived = 0, tog = 0, thit = 0}
  out("")
  out(string.format("%-22s %7s %7s %8s %7s %9s %9s", "rtl/ file", "lines", "hit", "line %",
                    "waived", "toggles", "toggle %"))
  for _, name in ipairs(names) do
    local e = files[name]
    local src = read_lines("rtl/" .. name) or {}
    local wset = {}
    for _, wv in ipairs(waivers) do
      if wv.file == name then
        for i in pairs(waived_lines(wv, src)) do
          wset[i] = wset[i] or wv
        end
      end
    end
    local nl, nh, nw = 0, 0, 0
    local miss = {}
    for i in pairs(e.hit) do nl = nl + 1; nh = nh + 1 end
    for i in pairs(e.miss) do
      if not e.hit[i] then
        nl = nl + 1
        miss[#miss + 1] = i
      end
    end
    table.sort(miss)
    for _, i in ipairs(miss) do
      local text = (src[i] or ""):gsub("^%s+", "")
      local wv = wset[i]
      if wv then
        nw = nw + 1
        wv.used = wv.used + 1
        waived[#waived + 1] = string.format("rtl/%s:%d: %s    [waived: %s]", name, i, text, wv.reason)
      else
        unwaived[#unwaived + 1] = string.format("rtl/%s:%d: %s", name, i, text)
      end
    end
    T.lines, T.lhit, T.waived = T.lines + nl, T.lhit + nh, T.waived + nw
    T.tog, T.thit = T.tog + e.tog_all, T.thit + e.tog_hit
    out(string.format("%-22s %7d %7d %8s %7d %9d %9s", name, nl, nh, pct(nh, nl), nw, e.tog_all,
                      pct(e.tog_hit, e.tog_all)))
  end
  out(string.format("%-22s %7d %7d %8s %7d %9d %9s", "total", T.lines, T.lhit, pct(T.lhit, T.lines),
                    T.waived, T.tog, pct(T.thit, T.tog)))
  out(string.format("line coverage %s (%d of %d lines), with waivers %s; toggle coverage %s (%d of %d toggle points)",
                    pct(T.lhit, T.lines), T.lhit, T.lines, pct(T.lhit + T.waived, T.lines),
                    pct(T.thit, T.tog), T.thit, T.tog))
  for _, wv in ipairs(waivers) do
    if wv.used == 0 then
      out(string.format("note: waiver %s (%s | %s) matches no unexercised line", wv.where, wv.file, wv.pat))
    end
  end
  out("")
  if #unwaived > 0 then
    out(string.format("%d unexercised RTL lines without a waiver (add a test, or a waiver in %s):",
                      #unwaived, WAIVERS))
    for _, s in ipairs(unwaived) do out("  " .. s) end
  else
    out("every unexercised RTL line has a waiver (" .. #waived .. " waived lines)")
  end
  rep[#rep + 1] = ""
  rep[#rep + 1] = "waived lines:"
  for _, s in ipairs(waived) do rep[#rep + 1] = "  " .. s end
  local f = assert(io.open(dir .. "/line_report.txt", "w"))
  f:write(table.concat(rep, "\n"), "\n")
  f:close()
  return #unwaived == 0
end

------------------------------------------------------------------ functional coverage
local function header_flags()
  local lines = read_lines(DESC_H) or die("cannot read " .. DESC_H)
  local flags, reserved = {}, nil
  local on = false
  for _, l in ipairs(lines) do
    if l:match("Descriptor flags") then
      on = true
    elseif on then
      local name, val = l:match("^#define%s+FERRY_DESC_([%w_]+)%s+0x(%x+)U")
      if not name then break end
      if name == "FLAGS_RESERVED" then
        reserved = tonumber(val, 16)
      else
        flags[#flags + 1] = {name = name, bit = tonumber(val, 16)}
      end
    end
  end
  if #flags == 0 or not reserved then die("no descriptor flags found in " .. DESC_H) end
  return flags, reserved
end

local function header_weight_max()
  for _, l in ipairs(read_lines(REGS_H) or die("cannot read " .. REGS_H)) do
    local v = l:match("^#define%s+FERRY_WEIGHT_VALUE_MASK%s+0x(%x+)U")
    if v then return tonumber(v, 16) end
  end
  die("FERRY_WEIGHT_VALUE_MASK not found in " .. REGS_H)
end

local function load_fcov(dir)
  local D = {files = 0, nc = 0, overflow = 0, dropped = 0, regs = {}, reg_order = {}, errs = {},
             err_order = {}, flags = {}, wpat = {}}
  local p = io.popen("ls " .. dir .. "/fcov/ 2>/dev/null")
  for name in p:lines() do
    if name:match("^fcov_.*%.txt$") then
      D.files = D.files + 1
      for l in io.lines(dir .. "/fcov/" .. name) do
        local w = {}
        for x in l:gmatch("%S+") do w[#w + 1] = x end
        if w[1] == "meta" and w[2] == "channels" then
          D.nc = math.max(D.nc, tonumber(w[3]))
        elseif w[1] == "meta" and w[2] == "overflow" then
          D.overflow = D.overflow + tonumber(w[3])
        elseif w[1] == "meta" and w[2] == "patterns_dropped" then
          D.dropped = D.dropped + tonumber(w[3])
        elseif w[1] == "reg" then
          local key = w[2] .. " " .. w[3]
          local r = D.regs[key]
          if not r then
            r = {block = w[2], name = w[3], access = w[4], rd = 0, wr = 0}
            D.regs[key] = r
            D.reg_order[#D.reg_order + 1] = key
          end
          r.rd, r.wr = r.rd + tonumber(w[5]), r.wr + tonumber(w[6])
        elseif w[1] == "err" then
          local code = tonumber(w[2])
          local e = D.errs[code]
          if not e then
            e = {code = code, name = w[3], st = 0, cpl = 0}
            D.errs[code] = e
            D.err_order[#D.err_order + 1] = code
          end
          e.st, e.cpl = e.st + tonumber(w[4]), e.cpl + tonumber(w[5])
        elseif w[1] == "flags" then
          local b = tonumber(w[2])
          D.flags[b] = (D.flags[b] or 0) + tonumber(w[3])
        elseif w[1] == "wpat" then
          local e = D.wpat[w[2]] or {cycles = 0, entries = 0}
          e.cycles, e.entries = e.cycles + tonumber(w[3]), e.entries + tonumber(w[4])
          D.wpat[w[2]] = e
        end
      end
    end
  end
  p:close()
  table.sort(D.err_order)
  return D
end

-- Weight pattern key "1/2/-/8" -> list of the active channels' weights.
local function pattern_weights(key)
  local ws = {}
  for x in key:gmatch("[^/]+") do
    if x ~= "-" then ws[#ws + 1] = tonumber(x) end
  end
  return ws
end

local function functional(dir)
  local D = load_fcov(dir)
  if D.files == 0 then die("no functional coverage files in " .. dir .. "/fcov (FERRY_FCOV_DIR)") end
  local flags, reserved = header_flags()
  local wmax = header_weight_max()
  local holes = {}
  local items, hit_items = 0, 0
  local o = {}
  local function w(s) o[#o + 1] = s end
  local function item(section, name, n)
    items = items + 1
    if n > 0 then hit_items = hit_items + 1 else holes[#holes + 1] = section .. ": " .. name end
  end
  local sec = {}

  w("# Functional coverage")
  w("")
  w(string.format("Written by `make coverage` (sim/coverage.lua) from %d test benches' counts " ..
                  "(tb/fcov.c, files under %s/fcov/). Counts are summed over all channels and tests.", D.files, dir))
  if D.overflow > 0 or D.dropped > 0 then
    w(string.format("Warning: monitor queue overflows %d, weight patterns dropped %d.", D.overflow, D.dropped))
  end

  -- registers
  local n0, h0 = items, hit_items
  local rows = {}
  for _, key in ipairs(D.reg_order) do
    local r = D.regs[key]
    local need = {}
    if r.access == "ro" or r.access == "rw" then need[#need + 1] = "read" end
    if r.access == "wo" or r.access == "rw" then need[#need + 1] = "write" end
    local miss = {}
    for _, a in ipairs(need) do
      local n = a == "read" and r.rd or r.wr
      item("register", r.name .. " " .. a, n)
      if n == 0 then miss[#miss + 1] = a end
    end
    rows[#rows + 1] = string.format("| %s | %s | %s | %d | %d | %s |", r.name, r.block == "ch" and "channel" or r.block,
                                    r.access, r.rd, r.wr, #miss > 0 and ("**never " .. table.concat(miss, ", ") .. "**") or "")
  end
  sec.regs = {items - n0, hit_items - h0}
  w("")
  w(string.format("## Registers (%d of %d expected accesses hit)", sec.regs[2], sec.regs[1]))
  w("")
  w("AXI-Lite reads and writes per register of sw/lib/ferry_regs_table.c; expected: reads of ro/rw, writes of rw/wo registers.")
  w("")
  w("| register | block | access | reads | writes | hole |")
  w("| --- | --- | --- | ---: | ---: | --- |")
  for _, r in ipairs(rows) do w(r) end

  -- error codes
  n0, h0 = items, hit_items
  rows = {}
  for _, code in ipairs(D.err_order) do
    local e = D.errs[code]
    if e.name ~= "UNKNOWN" then item("error code", string.format("%d %s", code, e.name), e.st + e.cpl) end
    rows[#rows + 1] = string.format("| %d | %s | %d | %d | %s |", code, e.name, e.st, e.cpl,
                                    (e.st + e.cpl == 0) and "**never seen**" or "")
  end
  sec.errs = {items - n0, hit_items - h0}
  w("")
  w(string.format("## Error codes (%d of %d seen)", sec.errs[2], sec.errs[1]))
  w("")
  w("Codes of sw/lib/ferry_regs_table.c as read in STATUS.ERR_CODE (reads answering OKAY) and as written in the STATUS byte of completion records.")
  w("")
  w("| code | name | STATUS reads | completion records | hole |")
  w("| ---: | --- | ---: | ---: | --- |")
  for _, r in ipairs(rows) do w(r) end

  -- descriptor flags
  n0, h0 = items, hit_items
  local mask = 0
  for _, f in ipairs(flags) do mask = mask | f.bit end
  rows = {}
  local function fname(b)
    local t = {}
    for _, f in ipairs(flags) do
      if b & f.bit ~= 0 then t[#t + 1] = f.name end
    end
    return #t > 0 and table.concat(t, "+") or "(none)"
  end
  for b = 0, mask do
    if b & ~mask == 0 then
      local n = D.flags[b] or 0
      item("descriptor flags", string.format("0x%02X %s", b, fname(b)), n)
      rows[#rows + 1] = string.format("| 0x%02X | %s | %d | %s |", b, fname(b), n, n == 0 and "**never fetched**" or "")
    end
  end
  local rsv = 0
  for b, n in pairs(D.flags) do
    if b & reserved ~= 0 then rsv = rsv + n end
  end
  item("descriptor flags", "reserved bits set", rsv)
  rows[#rows + 1] = string.format("| any with 0x%02X | reserved bits set | %d | %s |", reserved, rsv, rsv == 0 and "**never fetched**" or "")
  sec.flags = {items - n0, hit_items - h0}
  w("")
  w(string.format("## Descriptor flag combinations (%d of %d fetched)", sec.flags[2], sec.flags[1]))
  w("")
  w("Flags byte (offset 0x13) of every descriptor the DUT fetched, decoded from the R beats (OKAY) of the " ..
    "control port's reads on m_axi; flag names from sw/include/ferry/ferry_desc.h.")
  w("")
  w("| flags | combination | fetched | hole |")
  w("| --- | --- | ---: | --- |")
  for _, r in ipairs(rows) do w(r) end

  -- weight patterns
  n0, h0 = items, hit_items
  local classes = {}
  local corder = {}
  local function class(name, pred)
    corder[#corder + 1] = name
    classes[name] = {pred = pred, cycles = 0, entries = 0, patterns = 0}
  end
  for k = 2, math.max(D.nc, 2) do
    class(string.format("%d channels active", k), function(ws) return #ws == k end)
  end
  local function minmax(ws)
    local lo, hi = math.huge, -1
    for _, x in ipairs(ws) do
      local e = x == 0 and 1 or x -- WEIGHT 0 behaves as 1
      lo, hi = math.min(lo, e), math.max(hi, e)
    end
    return lo, hi
  end
  class("equal weights", function(ws) local lo, hi = minmax(ws) return lo == hi end)
  class("unequal weights", function(ws) local lo, hi = minmax(ws) return lo ~= hi end)
  class("max/min weight >= 8", function(ws) local lo, hi = minmax(ws) return hi >= 8 * lo end)
  class("a weight of 0 (behaves as 1)", function(ws)
    for _, x in ipairs(ws) do if x == 0 then return true end end
    return false
  end)
  class(string.format("the largest weight (%d)", wmax), function(ws)
    for _, x in ipairs(ws) do if x == wmax then return true end end
    return false
  end)
  local keys = {}
  for key, e in pairs(D.wpat) do
    keys[#keys + 1] = key
    local ws = pattern_weights(key)
    for _, cn in ipairs(corder) do
      local c = classes[cn]
      if c.pred(ws) then
        c.cycles, c.entries, c.patterns = c.cycles + e.cycles, c.entries + e.entries, c.patterns + 1
      end
    end
  end
  table.sort(keys, function(a, b) return D.wpat[a].cycles > D.wpat[b].cycles end)
  w("")
  rows = {}
  for _, cn in ipairs(corder) do
    local c = classes[cn]
    item("weight pattern", cn, c.cycles)
    rows[#rows + 1] = string.format("| %s | %d | %d | %d | %s |", cn, c.patterns, c.entries, c.cycles,
                                    c.cycles == 0 and "**never hit**" or "")
  end
  sec.wpat = {items - n0, hit_items - h0}
  w(string.format("## Arbiter weight patterns (%d of %d classes hit, %d distinct patterns)", sec.wpat[2], sec.wpat[1], #keys))
  w("")
  w("A pattern is the WEIGHT values (from the AXI-Lite writes) of the channels active in a cycle where two " ..
    "or more channels are active on m_axi (a burst of the channel's ID requested or in flight), written " ..
    "per channel with `-` for an idle one. Entries count the cycles a pattern began; cycles count its cycles.")
  w("")
  w("| class | patterns | entries | cycles | hole |")
  w("| --- | ---: | ---: | ---: | --- |")
  for _, r in ipairs(rows) do w(r) end
  w("")
  w("| pattern (by cycles) | entries | cycles |")
  w("| --- | ---: | ---: |")
  for i, key in ipairs(keys) do
    if i > 40 then
      w(string.format("| ... %d more | | |", #keys - 40))
      break
    end
    w(string.format("| `%s` | %d | %d |", key, D.wpat[key].entries, D.wpat[key].cycles))
  end

  -- summary and holes
  local s = {}
  s[#s + 1] = string.format("Hit %d of %d items: registers %d/%d, error codes %d/%d, flag combinations %d/%d, weight classes %d/%d.",
                            hit_items, items, sec.regs[2], sec.regs[1], sec.errs[2], sec.errs[1], sec.flags[2], sec.flags[1],
                            sec.wpat[2], sec.wpat[1])
  table.insert(o, 4, "")
  table.insert(o, 5, s[1])
  w("")
  w(string.format("## Never hit (%d)", #holes))
  w("")
  for _, h in ipairs(holes) do w("- " .. h) end
  local f = assert(io.open(dir .. "/functional.md", "w"))
  f:write(table.concat(o, "\n"), "\n")
  f:close()
  print("functional coverage: " .. s[1] .. " Table: " .. dir .. "/functional.md")
  if #holes > 0 then
    print(string.format("functional coverage: %d items never hit:", #holes))
    for _, h in ipairs(holes) do print("  " .. h) end
  end
  return holes
end

------------------------------------------------------------------ main
local args = {...}
if args[1] == "--functional" then
  local dir = args[2] or die("usage: coverage.lua --functional DIR [--check]")
  local holes = functional(dir)
  if args[3] == "--check" then
    local exp = {}
    for _, l in ipairs(read_lines("sim/fcov_expected_holes.txt") or {}) do
      local h = l:match("^%s*([^#].-)%s*|") or l:match("^%s*([^#].-)%s*$")
      if h and h ~= "" then exp[h] = true end
    end
    local bad = 0
    for _, h in ipairs(holes) do
      if not exp[h] then
        bad = bad + 1
        print("fcov-check: never hit and not expected: " .. h)
      end
    end
    if bad > 0 then os.exit(1) end
    print("fcov-check: every functional coverage item was hit (holes listed in sim/fcov_expected_holes.txt, if any, are allowed)")
  end
  os.exit(0)
end
local dir = args[1] or die("usage: coverage.lua DIR | --functional DIR [--check]")
local ok = line_report(dir)
print("")
functional(dir)
os.exit(ok and 0 or 1)
