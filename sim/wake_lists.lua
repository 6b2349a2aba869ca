-- SPDX-License-Identifier: Apache-2.0
-- wake_lists.lua (a step of make lint): the FERRY_WAKE_CHECK lists match the
-- clocked blocks they check.
--
--   lua5.4 sim/wake_lists.lua FILE...
--
-- A module with a clock enable `wake` loads its state registers in one block,
-- `end else if (wake) begin ... end`, and, under `ifdef FERRY_WAKE_CHECK`,
-- compares each next state with its register in `wire wk_change = (x_d != x_q)
-- || ...;` (docs/architecture.md, Clock enables). A register loaded on wake but
-- missing from wk_change would change without wake unnoticed, so for every
-- FILE that has a wk_change this script requires:
--   - each `x_q <= x_d;` of the wake block has its `(x_d != x_q)` term,
--   - each term names a register of the wake block,
--   - any other assignment in the wake block carries `// wake-check: REASON`
--     (why the register needs no term; e.g. it is a function of others).
-- Prints one line per problem with file and line, then a summary; exit 1 if
-- any.

local problems = 0
local function bad(file, line, msg)
  problems = problems + 1
  io.write(string.format("%s:%d: %s\n", file, line, msg))
end

local function check(file)
  local f, err = io.open(file, "r")
  if not f then
    bad(file, 0, "cannot open: " .. tostring(err))
    return 0
  end
  local lines = {}
  for l in f:lines() do lines[#lines + 1] = l end
  f:close()

  -- The wk_change expression: from `wire wk_change =` to the first `;`.
  local terms, first_wk = {}, nil
  for i, l in ipairs(lines) do
    if l:match("wire%s+wk_change%s*=") then
      first_wk = i
      local j = i
      while true do
        local text = lines[j]:gsub("//.*$", "")
        if j == i then text = text:gsub("^.-wk_change%s*=", "") end
        for d, q in text:gmatch("%(%s*([%w_]+)_d%s*!=%s*([%w_]+)_q%s*%)") do
          if d ~= q then
            bad(file, j, string.format("wk_change compares %s_d with %s_q", d, q))
          elseif terms[d] then
            bad(file, j, string.format("wk_change lists %s twice", d))
          else
            terms[d] = j
          end
        end
        if text:find(";") or j == #lines then break end
        j = j + 1
      end
      break
    end
  end
  if not first_wk then return 0 end

  -- The wake block: from `if (wake) begin` to its matching `end`.
  local start
  for i, l in ipairs(lines) do
    if l:match("if%s*%(%s*wake%s*%)%s*begin") then
      if start then
        bad(file, i, "a second `if (wake) begin` block (the script checks one per file)")
      else
        start = i
      end
    end
  end
  if not start then
    bad(file, first_wk, "wk_change but no `if (wake) begin` block")
    return 0
  end
  local regs, depth, i = {}, 1, start + 1   -- inside the block, after its `begin`
  repeat
    local l = lines[i]
    local code = l:gsub("//.*$", "")
    for w in code:gmatch("[%w_]+") do
      if w == "begin" then depth = depth + 1 elseif w == "end" then depth = depth - 1 end
    end
    local lhs, rhs = code:match("([%w_]+)_q%s*<=%s*(.-)%s*;")
    if lhs then
      if rhs == lhs .. "_d" then
        regs[lhs] = i
        if not terms[lhs] then
          bad(file, i, string.format("%s_q is loaded on wake but wk_change has no (%s_d != %s_q)", lhs, lhs, lhs))
        end
      elseif not l:match("//.*wake%-check:%s*%S") then
        bad(file, i, string.format("%s_q is loaded on wake from `%s`, not %s_d: give the reason"
          .. " in a `// wake-check: ...` comment, or load it from %s_d and list it", lhs, rhs, lhs, lhs))
      end
    end
    i = i + 1
  until depth <= 0 or i > #lines
  for name, line in pairs(terms) do
    if not regs[name] then
      bad(file, line, string.format("wk_change lists %s, which the wake block (line %d) does not load from %s_d",
        name, start, name))
    end
  end
  local n = 0
  for _ in pairs(regs) do n = n + 1 end
  return n
end

if #arg == 0 then
  io.stderr:write("usage: lua5.4 sim/wake_lists.lua FILE...\n")
  os.exit(2)
end
local files, regs = 0, 0
for _, file in ipairs(arg) do
  local n = check(file)
  if n > 0 then
    files = files + 1
    regs = regs + n
  end
end
if problems > 0 then
  io.write(string.format("wake-lists: %d problem(s): a FERRY_WAKE_CHECK list is out of step with its wake block\n",
    problems))
  os.exit(1)
end
if files == 0 then
  io.write("wake-lists: FAIL: no file with a wk_change list among the arguments\n")
  os.exit(1)
end
io.write(string.format("wake-lists: the wk_change lists of %d modules match their wake blocks (%d registers)\n",
  files, regs))
