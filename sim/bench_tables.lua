-- SPDX-License-Identifier: Apache-2.0
--
-- bench_tables.lua: the tables of docs/performance.md ("The run"), made from
-- the CSV of `make bench` (tb/ferry_bench.c writes it), so every figure on
-- that page comes from one run that anyone can repeat.
--
--   lua5.4 sim/bench_tables.lua sim/out/bench.csv docs/performance.md
--
-- Rewrites the text between <!-- bench-tables:begin --> and
-- <!-- bench-tables:end --> in the Markdown file. PCIE_CLK_MHZ (default 250)
-- is the DUT clock the PCIe points assumed, for "the AXI bus is the limit".

local csv_path, md_path = arg[1], arg[2]
if not (csv_path and md_path) then
  io.stderr:write("usage: lua5.4 sim/bench_tables.lua BENCH.csv PERFORMANCE.md\n")
  os.exit(2)
end
local clk_mhz = tonumber(os.getenv("PCIE_CLK_MHZ") or "250")

local function die(msg)
  io.stderr:write("bench_tables: " .. msg .. "\n")
  os.exit(1)
end

-- rows of the CSV as tables keyed by the header's names; numbers converted
local rows, head = {}, nil
local fh = io.open(csv_path) or die("cannot read " .. csv_path .. ": run make bench first")
for line in fh:lines() do
  local f = {}
  for x in (line .. ","):gmatch("([^,]*),") do f[#f + 1] = x end
  if not head then
    head = f
  elseif f[1] ~= "sweep" then
    local r = {}
    for i, k in ipairs(head) do r[k] = tonumber(f[i]) or f[i] end
    rows[#rows + 1] = r
  end
end
fh:close()
if not head or #rows == 0 then die(csv_path .. " has no rows") end

local function sweep(name)
  local out = {}
  for _, r in ipairs(rows) do if r.sweep == name then out[#out + 1] = r end end
  return out
end

local function size(n)
  if n >= 1048576 and n % 1048576 == 0 then return (n // 1048576) .. " MiB" end
  if n >= 1024 and n % 1024 == 0 then return (n // 1024) .. " KiB" end
  return n .. " B"
end
local function p2(x) return string.format("%.2f", x) end
local function p1(x) return string.format("%.1f", x) end
local function rw(r) return p2(r.rd_util_pct) .. " / " .. p2(r.wr_util_pct) end

local o = {}
local function p(s) o[#o + 1] = s end
local function blank() p("") end

p("### Direct copy: size × memory latency (64-bit, channel 0, aligned)")
blank()
p("util is end to end; rd / wr per direction; bound for the point; ratio = util / bound. Percent.")
blank()
do
  local by, sizes, lats, seen = {}, {}, {}, {}
  for _, r in ipairs(sweep("size")) do
    if not by[r.bytes] then by[r.bytes] = {}; sizes[#sizes + 1] = r.bytes end
    by[r.bytes][r.latency] = r
    if not seen[r.latency] then seen[r.latency] = true; lats[#lats + 1] = r.latency end
  end
  table.sort(sizes); table.sort(lats)
  local h, s = "| size |", "| ---: |"
  for _, l in ipairs(lats) do h = h .. " lat " .. l .. ": util | rd / wr |"; s = s .. " ---: | ---: |" end
  p(h .. " bound |"); p(s .. " ---: |")
  for _, n in ipairs(sizes) do
    local line, bound = "| " .. size(n) .. " |", ""
    for _, l in ipairs(lats) do
      local r = by[n][l]
      line = line .. (r and (" " .. p2(r.util_pct) .. " | " .. rw(r) .. " |") or " - | - |")
      if r then bound = p2(r.bound_pct) end
    end
    p(line .. " " .. bound .. " |")
  end
end
blank()

p("### Alignment (direct, 1 MiB)")
blank()
p("| src → dst offset | latency | util | rd / wr | bound | ratio |")
p("| --- | ---: | ---: | ---: | ---: | ---: |")
for _, r in ipairs(sweep("align")) do
  p(string.format("| %d → %d | %d | %s | %s | %s | %s |", r.src_off, r.dst_off, r.latency, p2(r.util_pct), rw(r),
    p2(r.bound_pct), p2(r.ratio_pct)))
end
blank()

p("### Outstanding-burst limit (direct, 256 KiB)")
blank()
p("MAX_OUT is the channel's limit (driver `ferry_set_max_out`, 0 = reset value 16); mem is the memory model's read limit (`max_outstanding_rd`, 0 = none).")
blank()
p("| MAX_OUT | mem | latency | util | rd / wr |")
p("| ---: | ---: | ---: | ---: | ---: |")
for _, r in ipairs(sweep("outstanding")) do
  p(string.format("| %d | %d | %d | %s | %s |", r.max_out, r.mem_max_rd, r.latency, p2(r.util_pct), rw(r)))
end
blank()

p("### Active channels (direct, 1 MiB in all, split evenly, all started back to back)")
blank()
p("| channels | latency | util | rd / wr | doorbell → AR |")
p("| ---: | ---: | ---: | ---: | ---: |")
for _, r in ipairs(sweep("channels")) do
  p(string.format("| %d | %d | %s | %s | %d |", r.channels, r.latency, p2(r.util_pct), rw(r), r.doorbell_to_first))
end
blank()

p("### Ring mode (channel 0, all descriptors queued before the doorbell)")
blank()
p("| descriptor | count | latency | util | bound | ratio | descriptor ceiling | % of it | desc / 1000 cycles | doorbell → fetch | B → cpl AW | B → irq |")
p("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for _, r in ipairs(sweep("ring")) do
  p(string.format("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %d | %d | %d |", size(r.desc_bytes), r.ndesc, r.latency,
    p2(r.util_pct), p2(r.bound_pct), p2(r.ratio_pct), p2(r.desc_ceiling_pct), p1(100 * r.util_pct / r.desc_ceiling_pct),
    p1(r.desc_per_kcycle), r.doorbell_to_first, r.lastb_to_cpl, r.lastb_to_irq))
end
blank()

p("### Per-descriptor overhead (ring, prefetch, latency 0)")
blank()
p("| descriptors | util | bound | overhead (cycles / descriptor) |")
p("| --- | ---: | ---: | ---: |")
for _, r in ipairs(sweep("overhead")) do
  p(string.format("| %d × %s | %s | %s | %.2f |", r.ndesc, size(r.desc_bytes), p2(r.util_pct), p2(r.bound_pct),
    r.overhead_per_desc))
end
blank()

p("### DATA_WIDTH (4 channels, otherwise default parameters)")
blank()
p("| DATA_WIDTH | point | latency | util | rd / wr | bound | ratio |")
p("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
do
  local w = sweep("width")
  table.sort(w, function(a, b)
    if a.data_width ~= b.data_width then return a.data_width < b.data_width end
    if a.mode ~= b.mode then return a.mode < b.mode end
    if a.latency ~= b.latency then return a.latency < b.latency end
    if a.mode == "ring" then return a.desc_bytes < b.desc_bytes end
    return a.bytes < b.bytes
  end)
  for _, r in ipairs(w) do
    local pt = r.mode == "ring" and string.format("ring %d × %s", r.ndesc, size(r.desc_bytes))
      or ("direct " .. size(r.bytes))
    p(string.format("| %d | %s | %d | %s | %s | %s | %s |", r.data_width, pt, r.latency, p2(r.util_pct), rw(r),
      p2(r.bound_pct), p2(r.ratio_pct)))
  end
end
blank()

p("### PCIe")
blank()
do
  local pc = sweep("pcie")
  if #pc > 0 then
    local r0 = pc[1]
    local bus = r0.data_width / 8 * clk_mhz / 1000
    p(string.format("1 MiB direct copy through the link model, %d-bit AXI bus at %d MHz (%.1f GB/s), memory latency %d cycles behind the link; MPS %d, MRRS %d. Each cell: GB/s achieved (%% of the link's TLP ceiling); * where the AXI bus, not the link, is the limit.",
      r0.data_width, clk_mhz, bus, r0.latency, r0.mps, r0.mrrs))
    blank()
    local cell, gens, widths, gseen, wseen = {}, {}, {}, {}, {}
    for _, r in ipairs(pc) do
      local g, x = tostring(r.pcie):match("^gen(%d+)x(%d+)$")
      g, x = tonumber(g), tonumber(x)
      if g then
        cell[g .. "x" .. x] = string.format("%.2f (%.1f %%)%s", r.gbps, r.link_pct, r.link_ceiling_gbps > bus and "*" or "")
        if not gseen[g] then gseen[g] = true; gens[#gens + 1] = g end
        if not wseen[x] then wseen[x] = true; widths[#widths + 1] = x end
      end
    end
    table.sort(gens); table.sort(widths)
    local h, s = "| |", "| --- |"
    for _, x in ipairs(widths) do h = h .. " x" .. x .. " |"; s = s .. " ---: |" end
    p(h); p(s)
    for _, g in ipairs(gens) do
      local line = "| Gen" .. g .. " |"
      for _, x in ipairs(widths) do line = line .. " " .. (cell[g .. "x" .. x] or "-") .. " |" end
      p(line)
    end
    blank()
  end
  local mps = sweep("pcie-mps")
  if #mps > 0 then
    p(string.format("Max Payload Size at %s (link-bound), MRRS %d:", tostring(mps[1].pcie):gsub("gen", "Gen"):gsub("x", " x"),
      mps[1].mrrs))
    blank()
    p("| MPS | GB/s | link TLP ceiling GB/s | % of it |")
    p("| ---: | ---: | ---: | ---: |")
    for _, r in ipairs(mps) do
      p(string.format("| %d | %.2f | %.2f | %.1f |", r.mps, r.gbps, r.link_ceiling_gbps, r.link_pct))
    end
    blank()
  end
  local pr = sweep("pcie-ring")
  if #pr > 0 then
    p(string.format("Ring mode through the link (%s, memory latency %d behind it; descriptors and completion records are TLPs too):",
      tostring(pr[1].pcie):gsub("gen", "Gen"):gsub("x", " x"), pr[1].latency))
    blank()
    p("| descriptors | GB/s | link TLP ceiling GB/s | % of it | desc / 1000 cycles |")
    p("| --- | ---: | ---: | ---: | ---: |")
    for _, r in ipairs(pr) do
      p(string.format("| %d × %s | %.2f | %.2f | %.1f | %.1f |", r.ndesc, size(r.desc_bytes), r.gbps, r.link_ceiling_gbps,
        r.link_pct, r.desc_per_kcycle))
    end
  end
end

-- splice into the Markdown file
local mf = io.open(md_path) or die("cannot read " .. md_path)
local md = mf:read("a")
mf:close()
local b0, b1 = md:find("<!%-%- bench%-tables:begin %-%->\n")
local e0 = md:find("<!%-%- bench%-tables:end %-%->", b1 or 1)
if not (b0 and e0) then die(md_path .. ": no <!-- bench-tables:begin/end --> markers") end
md = md:sub(1, b1) .. table.concat(o, "\n") .. "\n" .. md:sub(e0)
mf = io.open(md_path, "w") or die("cannot write " .. md_path)
mf:write(md)
mf:close()
print("bench_tables: " .. #rows .. " rows of " .. csv_path .. " -> " .. md_path)
