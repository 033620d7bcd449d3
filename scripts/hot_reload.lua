-- lunaray's hot reload (`lunaray run --watch`) and `lunaray.restart(value)`.
--
-- After each frame the runtime hands over the files changed in the game's folder. A changed
-- module (a file some `require` loaded) is swapped into the running game, lume.hotswap style:
-- its new functions replace the old ones inside the old module table, so every reference to
-- the table, and metatables that are such tables, see them; its data (the game's state) is
-- kept; nested tables are merged the same way, and so are globals the module sets that were
-- tables already. Then `lunaray.reload(names)` runs, if the game defines it.
-- A change to main.lua or conf.lua, to anything that is not Lua (assets), or a swap that fails
-- (a syntax error, an error while the module runs) restarts the game instead, as before:
-- nothing is half swapped, since every changed module is loaded and run before any is applied.
local lunaray, private = lunaray, ...
local runtime = private.runtime
local pairs_raw, next, type, rawget, rawset = pairs, next, type, rawget, rawset
-- Kept from boot: the sandbox (scripts/sandbox.lua) takes `io` from the game.
local stdout, stderr = io.stdout, io.stderr
-- Modules are found and loaded as `require` does: under the sandbox, through its checks
-- (set later, so looked up when used); text only either way.
local function searchpath(name, path)
  local f = private.searchpath or package.searchpath
  return f and f(name, path)
end
local function load_module(file)
  if private.loadfile then return private.loadfile(file) end
  return loadfile(file, "t")
end

-- `lunaray.restart(value)`: the value is written as a Lua expression for the next run.
local function serialize(v, seen)
  local t = type(v)
  if t == "nil" or t == "boolean" then return tostring(v) end
  if t == "number" then
    if v ~= v then return "0/0" end
    if v == math.huge then return "1/0" end
    if v == -math.huge then return "-1/0" end
    if math.floor(v) == v and math.abs(v) < 2^53 then return string.format("%d", v) end
    return string.format("%.17g", v)
  end
  if t == "string" then return string.format("%q", v) end
  if t == "table" then
    seen = seen or {}
    if seen[v] then error("lunaray.restart: the value refers to itself (a cycle)", 0) end
    seen[v] = true
    local parts = {}
    for k, x in next, v do
      parts[#parts + 1] = "[" .. serialize(k, seen) .. "]=" .. serialize(x, seen)
    end
    seen[v] = nil
    return "{" .. table.concat(parts, ",") .. "}"
  end
  error("lunaray.restart: a " .. t .. " cannot be handed to the next run "
    .. "(nil, booleans, numbers, strings and tables of them can)", 0)
end

function lunaray.restart(value)
  local ok, text = pcall(serialize, value)
  if not ok then error(text, 2) end
  if value == nil then text = nil end
  stdout:flush()
  stderr:flush()
  runtime.restart(text)
end

-- The value the previous run handed over, read as data only (no globals, no functions).
local cookie = runtime.cookie()
if cookie then
  local chunk
  if setfenv then
    chunk = loadstring("return " .. cookie, "=[lunaray cookie]")
    if chunk then setfenv(chunk, {}) end
  else
    chunk = load("return " .. cookie, "=[lunaray cookie]", "t", {})
  end
  local ok, value = pcall(chunk or error)
  if ok then lunaray.cookie = value end
end

if not private.hot_reload then return end

local function normalize(path)
  return (path:gsub("\\", "/"):gsub("^%./", ""):gsub("/%./", "/"))
end

-- The name `require` loaded `file` under, if any.
local function module_for(file)
  for name in pairs_raw(package.loaded) do
    if type(name) == "string" then
      local path = searchpath(name, package.path)
      if path and normalize(path) == file then return name end
    end
  end
end

-- New functions (and keys the old table lacks) from `new` into `old`; tables merged.
-- `seen[new] = old` for every pair merged, so the new functions can be pointed at the old
-- tables afterwards.
local function merge(old, new, seen)
  if seen[new] or old == new then return end
  seen[new] = old
  for k, v in next, new do
    local o = rawget(old, k)
    if type(v) == "table" and type(o) == "table" then
      merge(o, v, seen)
    elseif type(v) == "function" or o == nil then
      rawset(old, k, v)
    end
  end
  local old_mt, new_mt = getmetatable(old), getmetatable(new)
  if type(old_mt) == "table" and type(new_mt) == "table" then merge(old_mt, new_mt, seen) end
end

-- Loads and runs the new version of each module; nothing is applied unless all succeed.
local function load_all(modules)
  local loaded = {}
  for _, m in ipairs(modules) do
    local before = {}
    for k, v in next, _G do before[k] = v end
    local chunk, err = load_module(m.file)
    if not chunk then return nil, err end
    local ok, new = pcall(chunk, m.name, m.file)
    -- Globals the module set: tables it replaced are merged back into the old ones.
    local globals = {}
    for k, v in next, _G do
      if before[k] ~= v then globals[k] = v end
    end
    for k, v in next, globals do
      if type(before[k]) == "table" and type(v) == "table" then
        rawset(_G, k, before[k])
        globals[k] = {old = before[k], new = v}
      else
        globals[k] = nil
      end
    end
    if not ok then return nil, new end
    if new == nil then new = true end
    loaded[#loaded + 1] = {name = m.name, file = m.file, new = new, globals = globals}
  end
  return loaded
end

local function apply(loaded)
  local seen = {}
  for _, m in ipairs(loaded) do
    local old = package.loaded[m.name]
    if type(old) == "table" and type(m.new) == "table" then
      merge(old, m.new, seen)
    else
      package.loaded[m.name] = m.new
    end
    for _, g in next, m.globals do merge(g.old, g.new, seen) end
  end
  -- The new functions' upvalues still hold the new tables (`local M = {}` ... `M.state`):
  -- point them at the old ones, which keep the game's state.
  for _, old in next, seen do
    for _, v in next, old do
      if type(v) == "function" then runtime.rebind(v, seen) end
    end
  end
end

local function restart(why)
  stderr:write("lunaray: ", why, "; restarting\n")
  stdout:flush()
  stderr:flush()
  runtime.restart_watched()
end

-- Called after each frame with the files changed since the last one.
function private.hot_reload_check()
  local changed = runtime.changes()
  if not changed then return end
  if private.in_error then return restart("changed " .. changed[1]) end
  local modules = {}
  for _, file in ipairs(changed) do
    if file == "main.lua" or file == "conf.lua" or not file:find("%.lua$") then
      return restart("changed " .. file)
    end
    local name = module_for(file)
    if name then modules[#modules + 1] = {name = name, file = file} end
  end
  if #modules == 0 then return end
  local loaded, err = load_all(modules)
  if not loaded then return restart("could not reload: " .. tostring(err)) end
  apply(loaded)
  local names = {}
  for i, m in ipairs(loaded) do names[i] = m.name end
  stderr:write("lunaray: reloaded ", table.concat(names, ", "), "\n")
  if lunaray.reload then lunaray.reload(names) end
end
