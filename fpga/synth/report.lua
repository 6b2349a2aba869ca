-- SPDX-License-Identifier: Apache-2.0
-- ferry: turn the reports of `make synth` into the results tables of docs/fpga.md.
--
--   lua5.4 fpga/synth/report.lua CONFIGS OUTDIR DOC SOURCE SECONDS JOBS LOADAVG
--
-- Reads OUTDIR/<name>.stat (yosys stat), <name>.log (yosys log: which memory
-- went where), <name>.time (wall, user, system seconds), and for the iCE40
-- fit and place-and-route runs <name>.nextpnr.log and <name>.icetime.txt;
-- writes OUTDIR/results.md and replaces the text between the markers
-- "<!-- synth-results:begin -->" and "<!-- synth-results:end -->" in DOC.
-- SOURCE says which RTL was synthesized, SECONDS how long the whole run took
-- with JOBS runs in parallel, LOADAVG the machine's load at the end. A
-- missing or unreadable report is an error that names the file.

local BEGIN = "<!-- synth-results:begin -->"
local END = "<!-- synth-results:end -->"

local function fail(msg)
    io.stderr:write("report.lua: " .. msg .. "\n")
    os.exit(1)
end

local function read_file(path)
    local f, err = io.open(path, "r")
    if not f then
        fail("cannot read " .. path .. " (" .. tostring(err) .. "): did its run fail?")
    end
    local s = f:read("a")
    f:close()
    return s
end

local function cmd_line(cmd)
    local p = io.popen(cmd .. " 2>/dev/null")
    if not p then
        return "?"
    end
    local s = p:read("l") or "?"
    p:close()
    return s
end

-- cell name -> count, from yosys `stat` text (top module, flattened)
local function parse_stat(path)
    local cells = {}
    for line in read_file(path):gmatch("[^\n]+") do
        local name, n = line:match("^%s+([%w_$]+)%s+(%d+)%s*$")
        if name and not line:match("Number of") then
            cells[name] = (cells[name] or 0) + tonumber(n)
        end
    end
    return cells
end

local function sum(cells, names)
    local n = 0
    for _, name in ipairs(names) do
        n = n + (cells[name] or 0)
    end
    return n
end

-- Where the memories went, from the yosys log: memory_libmap's "mapping
-- memory X via Y" lines, and memory_map's "Mapping memory X in module" for
-- those left to flip-flops. Returns the data FIFO's mapping and a summary
-- of the others, each as "kind ×N".
local function parse_memories(path)
    local fifo, other = {}, {}
    local function add(t, kind)
        t[kind] = (t[kind] or 0) + 1
    end
    for line in read_file(path):gmatch("[^\n]+") do
        local mem, via = line:match("^mapping memory (%S+) via (%S+)")
        if mem then
            via = via:gsub("^%$__", ""):gsub("_$", "")
        else
            mem = line:match("^Mapping memory \\(%S+) in module")
            via = "flip-flops"
        end
        if mem then
            if mem:match("u_fifo%.mem$") then
                add(fifo, via)
            else
                add(other, via)
            end
        end
    end
    local function fmt(t)
        local parts = {}
        for kind, n in pairs(t) do
            parts[#parts + 1] = kind .. " ×" .. n
        end
        table.sort(parts)
        if #parts == 0 then
            return "none"
        end
        return table.concat(parts, ", ")
    end
    return fmt(fifo), fmt(other)
end

local function parse_configs(path)
    local list = {}
    for line in read_file(path):gmatch("[^\n]+") do
        if not line:match("^%s*#") and line:match("%S") then
            local f = {}
            for w in line:gmatch("%S+") do
                f[#f + 1] = w
            end
            if #f ~= 9 then
                fail(path .. ": expected 9 fields in '" .. line .. "'")
            end
            list[#list + 1] = {
                name = f[1], arch = f[2], dw = f[3], nc = f[4], aw = f[5],
                mb = f[6], mo = f[7], fd = f[8], iw = f[9],
            }
        end
    end
    return list
end

local function params(c)
    if c.arch == "pnr" then
        return string.format("one mover: %s-bit data, %s-bit addr, burst %s, %s outstanding, FIFO %s",
            c.dw, c.aw, c.mb, c.mo, c.fd)
    end
    return string.format("%s ch, %s-bit data, %s-bit addr, ID %s, burst %s, %s outstanding, FIFO %s",
        c.nc, c.dw, c.aw, c.iw, c.mb, c.mo, c.fd)
end

-- "wall / CPU" seconds of a run (NAME.time: wall user system)
local function seconds(out, c)
    local path = out .. "/" .. c.name .. ".time"
    local wall, user, sys = read_file(path):match("([%d.]+)%s+([%d.]+)%s+([%d.]+)")
    if not wall then
        fail(path .. ": no 'wall user system' seconds")
    end
    return string.format("%.0f / %.0f", tonumber(wall), tonumber(user) + tonumber(sys))
end

local XC7_LUTS = { "LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6", "INV" }
local XC7_FFS = { "FDRE", "FDSE", "FDCE", "FDPE", "LDCE", "LDPE" }
local XC7_LUTRAM = { "RAM32M", "RAM64M", "RAM32M16", "RAM64M8", "RAM32X1D", "RAM64X1D",
    "RAM128X1D", "RAM256X1D", "RAM32X1S", "RAM64X1S", "RAM128X1S", "RAM256X1S",
    "SRL16E", "SRLC16E", "SRLC32E" }
local ICE_FFS = { "SB_DFF", "SB_DFFE", "SB_DFFSR", "SB_DFFSS", "SB_DFFESR", "SB_DFFESS",
    "SB_DFFR", "SB_DFFS", "SB_DFFER", "SB_DFFES", "SB_DFFN", "SB_DFFNE", "SB_DFFNSR",
    "SB_DFFNESR" }

local function nonzero_list(cells, names)
    local parts = {}
    for _, name in ipairs(names) do
        if (cells[name] or 0) > 0 then
            parts[#parts + 1] = cells[name] .. " " .. name
        end
    end
    if #parts == 0 then
        return "0"
    end
    return table.concat(parts, " + ")
end

local function xc7_row(out, c)
    local cells = parse_stat(out .. "/" .. c.name .. ".stat")
    local b36, b18 = cells.RAMB36E1 or 0, cells.RAMB18E1 or 0
    local bram = string.format("%g (%d RAMB36E1 + %d RAMB18E1)", b36 + b18 / 2, b36, b18)
    local fifo, other = parse_memories(out .. "/" .. c.name .. ".log")
    return string.format("| %s | %s | %d | %d | %s | %s | %d | %s | %s | %s |",
        c.name, params(c), sum(cells, XC7_LUTS), sum(cells, XC7_FFS), bram,
        nonzero_list(cells, XC7_LUTRAM), cells.DSP48E1 or 0, fifo, other, seconds(out, c))
end

local function ice40_row(out, c)
    local cells = parse_stat(out .. "/" .. c.name .. ".stat")
    local fifo, other = parse_memories(out .. "/" .. c.name .. ".log")
    return string.format("| %s | %s | %d | %d | %d | %d | %s | %s | %s |",
        c.name, params(c), cells.SB_LUT4 or 0, sum(cells, ICE_FFS), cells.SB_CARRY or 0,
        cells.SB_RAM40_4K or 0, fifo, other, seconds(out, c))
end

local function utilisation(log, path)
    local lc_used, lc_all = log:match("ICESTORM_LC:%s*(%d+)/%s*(%d+)")
    local ram_used, ram_all = log:match("ICESTORM_RAM:%s*(%d+)/%s*(%d+)")
    if not lc_used then
        fail(path .. ": no 'ICESTORM_LC: used/available' line")
    end
    return tonumber(lc_used), tonumber(lc_all), ram_used, ram_all
end

local function fit_row(out, c)
    local path = out .. "/" .. c.name .. ".nextpnr.log"
    local lc, lc_all, ram, ram_all = utilisation(read_file(path), path)
    local verdict = "fits"
    if lc > lc_all then
        verdict = string.format("**does not fit**: %.0f %% of the logic cells", 100 * lc / lc_all)
    end
    return string.format("| %s | %s | iCE40-HX8K | %d / %d | %s / %s | %s | %s |",
        c.name, params(c), lc, lc_all, ram, ram_all, verdict, seconds(out, c))
end

local function pnr_row(out, c)
    local path = out .. "/" .. c.name .. ".nextpnr.log"
    local log = read_file(path)
    local fmax, target
    for mhz, tgt in log:gmatch("Max frequency for clock '[^']*': ([%d.]+) MHz %(%a+ at ([%d.]+) MHz%)") do
        fmax, target = mhz, tgt   -- the last one is after routing
    end
    if not fmax then
        fail(path .. ": no 'Max frequency' line")
    end
    local lc, lc_all, ram, ram_all = utilisation(log, path)
    -- critical path: the named nets along it, in order, bus bits and the
    -- cell suffixes synthesis adds dropped
    local section = log:match("Critical path report for clock[^\n]*\n(.-)\nInfo: [%d.]+ ns logic")
    local nets = {}
    if section then
        for net in section:gmatch("Net (%S+)") do
            if not net:match("^%$") then
                local base = net:gsub("%[%d+%]$", ""):gsub("_SB_.*$", "")
                if nets[#nets] ~= base then
                    nets[#nets + 1] = base
                end
            end
        end
    end
    local it = read_file(out .. "/" .. c.name .. ".icetime.txt")
    local levels = it:match("Total number of logic levels: (%d+)") or "?"
    local it_mhz = it:match("Total path delay: [%d.]+ ns %(([%d.]+) MHz%)") or "?"
    local path_text = "not found in the log"
    if #nets > 0 then
        path_text = "`" .. table.concat(nets, "` → `") .. "`"
    end
    return string.format("| %s | %s | iCE40-HX8K ct256 | %d / %d | %s / %s | **%s MHz** (target %s) | %s MHz, %s logic levels | %s |",
        c.name, params(c), lc, lc_all, ram, ram_all, fmax, target, it_mhz, levels, seconds(out, c)),
        string.format("- `%s` critical path (nextpnr, after routing), the nets it runs through: %s.",
            c.name, path_text)
end

-- ---------------------------------------------------------------- main
local configs_path, out, doc, source, secs, jobs, load = table.unpack(arg)
if not load then
    fail("usage: lua5.4 report.lua CONFIGS OUTDIR DOC SOURCE SECONDS JOBS LOADAVG")
end

local configs = parse_configs(configs_path)
local xc7, ice40, fit, pnr, paths = {}, {}, {}, {}, {}
for _, c in ipairs(configs) do
    if c.arch == "xc7" then
        xc7[#xc7 + 1] = xc7_row(out, c)
    elseif c.arch == "ice40" then
        ice40[#ice40 + 1] = ice40_row(out, c)
    elseif c.arch == "fit" then
        fit[#fit + 1] = fit_row(out, c)
    elseif c.arch == "pnr" then
        local row, path = pnr_row(out, c)
        pnr[#pnr + 1] = row
        paths[#paths + 1] = path
    else
        fail(configs_path .. ": unknown arch '" .. c.arch .. "' in " .. c.name)
    end
end

local function add(t, ...)
    for _, l in ipairs({ ... }) do
        t[#t + 1] = l
    end
end

local cpu = cmd_line("grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'")
local lines = {}
add(lines, BEGIN,
    "<!-- Generated by fpga/synth/report.lua (make synth): edit the script, not this table. -->",
    "",
    string.format("`make synth` on %s, on %s (%s, %s cores): %s s wall with %s runs in parallel; load"
        .. " average %s at the end (the machine was shared when this ran, so compare the CPU seconds).",
        os.date("!%Y-%m-%d %H:%M UTC"), cmd_line("uname -srm"), cpu, cmd_line("nproc"), secs, jobs, load),
    string.format("RTL: %s. Tools: %s; %s; icetime (fpga-icestorm %s).",
        source, cmd_line("yosys -V"),
        cmd_line("nextpnr-ice40 --version 2>&1 | sed 's/ -- Next Generation Place and Route//'"),
        cmd_line("dpkg-query -W -f '${Version}' fpga-icestorm")),
    "",
    "**Xilinx 7-series** (`synth_xilinx -family xc7 -flatten -noiopad -noclkbuf`, out of context;"
        .. " LUTs count LUT1..LUT6 and INV; block RAM in RAMB36 equivalents; s = wall / CPU seconds):",
    "",
    "| run | configuration | LUTs | flip-flops | block RAM | LUT RAM / SRL | DSP48E1 | data FIFO maps to | other memories | s |",
    "| --- | --- | ---: | ---: | --- | --- | ---: | --- | --- | ---: |")
add(lines, table.unpack(xc7))
add(lines, "",
    "**Lattice iCE40** (`synth_ice40`, out of context):",
    "",
    "| run | configuration | SB_LUT4 | flip-flops | SB_CARRY | SB_RAM40_4K | data FIFO maps to | other memories | s |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: |")
add(lines, table.unpack(ice40))
add(lines, "",
    "**Does ferry_top fit an iCE40?** (`fpga/ice40/ferry_ice40_top.v` around ferry_top, `synth_ice40`,"
        .. " nextpnr-ice40 `--hx8k --pack-only`; the HX8K is the largest iCE40):",
    "",
    "| run | configuration | device | logic cells needed / available | block RAM | result | s |",
    "| --- | --- | --- | ---: | ---: | --- | ---: |")
add(lines, table.unpack(fit))
add(lines, "",
    "**iCE40 place and route, maximum frequency** (`fpga/ice40/ferry_ice40_mover.v` around one channel's"
        .. " ferry_mover, nextpnr-ice40 `--hx8k --package ct256`, seed 1; Fmax is nextpnr's after routing,"
        .. " icetime's a second opinion on the same placement):",
    "",
    "| run | configuration | device | logic cells | block RAM | Fmax (nextpnr) | icetime | s |",
    "| --- | --- | --- | ---: | ---: | --- | --- | ---: |")
add(lines, table.unpack(pnr))
add(lines, "")
add(lines, table.unpack(paths))
add(lines, END)
local block = table.concat(lines, "\n")

local f = io.open(out .. "/results.md", "w") or fail("cannot write " .. out .. "/results.md")
f:write(block, "\n")
f:close()

local text = read_file(doc)
local b = text:find(BEGIN, 1, true)
local e = text:find(END, 1, true)
if not b or not e or e < b then
    fail(doc .. ": markers " .. BEGIN .. " / " .. END .. " not found")
end
text = text:sub(1, b - 1) .. block .. text:sub(e + #END)
f = io.open(doc, "w") or fail("cannot write " .. doc)
f:write(text)
f:close()
print("synth: results written to " .. doc .. " and " .. out .. "/results.md")
