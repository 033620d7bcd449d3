-- lunaray's sandbox (`lunaray run --sandbox`), run after the runtime's own scripts and before
-- the game's: the standard library is taken down to what cannot reach outside the game.
-- Files are read only through the runtime's check (engine/marshal/sandbox.rs: inside the
-- game's folder or a save folder, symbolic links followed), chunks load as text only, and
-- what runs programs, touches files, reads the environment or ends the process is gone.
-- What stays and why: docs/sandbox.md.
local private = ...
local runtime = private.runtime
local read, readable = runtime.sandbox_read, runtime.sandbox_readable
local load, select, error, type, tostring = load, select, error, type, tostring
local concat, gsub = table.concat, string.gsub
local lua51 = _VERSION == "Lua 5.1"

-- Chunks: text only, whatever mode is asked for (a binary chunk is unchecked bytecode, which
-- can corrupt memory). The environment argument keeps its meaning, an explicit nil included.
local function load_text(chunk, name, _, ...)
  if select("#", ...) > 0 then return load(chunk, name, "t", (...)) end
  return load(chunk, name, "t")
end

local function loadfile_text(path, _, ...)
  if path == nil then return nil, "loadfile: standard input is not readable in the sandbox" end
  if type(path) ~= "string" then
    return nil, "loadfile: a path expected, got " .. type(path)
  end
  local source, err = read(path)
  if not source then return nil, err end
  -- A first line starting with '#' (a shebang) is skipped, as Lua's loadfile does; the line
  -- count stays.
  if source:sub(1, 1) == "#" then source = "--" .. source end
  return load_text(source, "@" .. path, "t", ...)
end

local function dofile_text(path)
  if path == nil then error("dofile: standard input is not readable in the sandbox", 2) end
  local chunk, err = loadfile_text(path)
  if not chunk then error(err, 2) end
  return chunk()
end

-- package.searchpath over the sandbox's check: a file outside is not there.
local function searchpath(name, path, sep, rep)
  sep, rep = sep or ".", rep or "/"
  if sep ~= "" then name = gsub(name, gsub(sep, "%p", "%%%0"), (gsub(rep, "%%", "%%%%"))) end
  local tried = {}
  for template in path:gmatch("[^;]+") do
    local file = gsub(template, "%?", (gsub(name, "%%", "%%%%")))
    if readable(file) then return file end
    tried[#tried + 1] = "no file '" .. file .. "'"
  end
  local sep_line = "\n\t"
  return nil, (lua51 and sep_line or "") .. concat(tried, sep_line)
end

-- require's searcher for Lua files, through the same check, in text mode.
local function lua_searcher(name)
  local file, err = searchpath(name, package.path)
  if not file then return err end
  local chunk, load_err = loadfile_text(file)
  if not chunk then
    error("error loading module '" .. tostring(name) .. "' from file '" .. file .. "':\n\t"
      .. tostring(load_err), 0)
  end
  return chunk, file
end

_G.load = load_text
_G.loadfile = loadfile_text
_G.dofile = dofile_text
if _G.loadstring then
  _G.loadstring = function(s, name) return load_text(s, name) end
end

-- package: Lua files from the game's folder only; no C libraries.
local searchers = package.searchers or package.loaders
local preload = searchers[1]
for i = #searchers, 1, -1 do searchers[i] = nil end
searchers[1], searchers[2] = preload, lua_searcher
package.path = "./?.lua;./?/init.lua"
package.cpath = ""
package.loadlib = nil
package.searchpath = searchpath
-- LuaJIT's modules that expose internals (bytecode and trace inspection, raw buffers), and
-- jit.attach, whose callbacks are handed the functions being compiled (the runtime's own).
for _, name in ipairs({ "jit.util", "jit.profile", "string.buffer", "ffi" }) do
  package.preload[name] = nil
  package.loaded[name] = nil
end
if jit then jit.attach = nil end

-- No file handles at all: the game's files go through require and raylib's loaders.
_G.io = nil
package.loaded.io = nil

-- os: time and date only. getenv answers only the locale variables (a game may pick its
-- language by them); anything else reads as unset, since the environment can hold secrets.
local os_lib = os
local locale = { LANG = true, LANGUAGE = true, LC_ALL = true, LC_MESSAGES = true }
local safe_os = {
  clock = os_lib.clock,
  date = os_lib.date,
  difftime = os_lib.difftime,
  time = os_lib.time,
  getenv = function(name)
    if locale[name] then return os_lib.getenv(name) end
    return nil
  end,
}
_G.os = safe_os
package.loaded.os = safe_os

-- No debug library (mlua leaves it out; this keeps it out).
_G.debug = nil
package.loaded.debug = nil

-- The runtime's hot reload loads modules through the same checks.
private.loadfile = loadfile_text
private.searchpath = searchpath
