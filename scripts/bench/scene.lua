-- bench/scene: what the benchmark scenes share. Not a scene itself; the scenes use it as
--
--   local scene = require("scene")  -- lunaray runs a script in its own folder, so "./?.lua"
--                                   -- finds this file (Lua 5.4 and LuaJIT 2.1 alike)
--   local opts = scene.options("bunnymark", { load = 1000, minLoad = 0,
--                                             aliases = { bunnies = "load" } })
--   scene.start(opts, 800, 450)     -- InitWindow and the rest of the common start
--   ...each frame: local n = scene.count(opts.load)   (or scene.scale(), the bare factor)
--
-- scene.options(name, spec) reads the script arguments (the global `arg`, `key=value` each)
-- into numbers:
--   load=N   math.floor'd; spec.load is the default, loads below spec.minLoad (default 1)
--            are raised to it
--   seed=S   math.floor'd, default 1; rl.SetRandomSeed(S) right after InitWindow
--   dt=X     a fixed frame time in seconds (>= 0), nil when not given; see the overlay below
--   fps=N    math.floor'd, default 0 (unthrottled): rl.SetTargetFPS(N)
-- plus spec.extras = { name = default, ... } (the scene's own numeric knobs, returned as given)
-- and spec.aliases = { other = "knob", ... } (a second name for a knob; the knob's own name
-- wins when both are given). A value that is not a finite number is an error naming the
-- knob; an argument that is not `key=value`, or an unknown key, is reported on stderr and
-- ignored. The result is { name = ..., load = ..., seed = ..., dt = ..., fps = ..., extras... }.
--
-- scene.start(opts, width, height) is the common start: SetTraceLogLevel(LOG_WARNING),
-- InitWindow(width, height, "lunaray bench - NAME"), SetRandomSeed(seed) (after InitWindow,
-- which seeds raylib's generator from the clock), SetTargetFPS(fps), and the runtime's
-- overlay on (lunaray.overlay(true): FPS, frame split, calls, arena, modes; drawn inside
-- EndDrawing at the top right, from y = 48 down, below the scenes' 40-pixel top bar).
--
-- The overlay stays OFF when dt is given. A run with a fixed dt is a reproducible one, and
-- the pixel comparisons with the C floors (compare.sh, tests/scenes.rs) are such runs: the C
-- floors draw no overlay, and a headless run cannot press O to hide it. `lunaray run
-- --overlay` still turns it on for any run. It also stays off under `--uncapped`, the
-- measuring mode `lunaray bench --scenes` uses, so the Lua/C frame-time ratio compares the
-- scenes alone (the C floors draw no overlay).
--
-- scene.scale() is the runtime's load factor lunaray.scale() (its Alt++ and Alt+- keys), or 1 where
-- the runtime has none; scene.count(load) is the load each frame should handle:
-- max(1, floor(load * scale())), or `load` unchanged where there is no lunaray.scale.
--
-- Frame-time reports come from the runtime: `lunaray run SCENE.lua --report FILE.json`.

local scene = {}

local floor, huge = math.floor, math.huge

local scaleFn = nil
if type(lunaray) == "table" and type(lunaray.scale) == "function" then scaleFn = lunaray.scale end

local function warn(message)
  io.stderr:write(message, "\n")
end

function scene.options(name, spec)
  spec = spec or {}
  local aliases = spec.aliases or {}
  local extras = spec.extras or {}
  local known = { load = true, seed = true, dt = true, fps = true }
  for k in pairs(aliases) do known[k] = true end
  for k in pairs(extras) do known[k] = true end

  local raw = {}
  local args = arg or {}
  for i = 1, #args do
    local k, v = string.match(args[i], "^([%w_]+)=(.*)$")
    if not k then
      warn(name .. ": ignoring argument '" .. args[i] .. "' (key=value expected)")
    elseif k == "report" then
      warn(name .. ": ignoring report=" .. v .. ": the runtime writes reports, "
        .. "`lunaray run " .. name .. ".lua --report FILE.json`")
    elseif not known[k] then
      warn(name .. ": ignoring unknown knob '" .. k .. "'")
    else
      raw[k] = v
    end
  end
  -- A knob's own name wins over its aliases; `given` keeps the name used, for errors.
  local given = {}
  for other, knob in pairs(aliases) do
    if raw[knob] == nil and raw[other] ~= nil then
      raw[knob], raw[other], given[knob] = raw[other], nil, other
    end
  end

  local function number(key, default)
    local v = raw[key]
    if v == nil then return default end
    local n = tonumber(v)
    if n == nil or n ~= n or n == huge or n == -huge then
      error(name .. ": " .. (given[key] or key) .. "=" .. v .. ": a finite number expected", 0)
    end
    return n
  end

  local opts = { name = name }
  local minLoad = spec.minLoad or 1
  local load = floor(number("load", spec.load or 1))
  if load < minLoad then load = minLoad end
  opts.load = load
  opts.seed = floor(number("seed", 1))
  opts.dt = number("dt", nil)
  if opts.dt ~= nil and opts.dt < 0 then
    error(name .. ": dt=" .. raw.dt .. ": a frame time >= 0 expected", 0)
  end
  opts.fps = floor(number("fps", 0))
  for k, default in pairs(extras) do opts[k] = number(k, default) end
  return opts
end

function scene.start(opts, width, height)
  rl.SetTraceLogLevel(rl.LOG_WARNING)
  rl.InitWindow(width, height, "lunaray bench - " .. opts.name)
  rl.SetRandomSeed(opts.seed) -- after InitWindow, which seeds the generator from the clock
  rl.SetTargetFPS(opts.fps)
  -- Not with a fixed dt: those runs are compared pixel for pixel with the C floors.
  if opts.dt == nil and lunaray and lunaray.overlay and not lunaray.uncapped then
    lunaray.overlay(true)
  end
end

function scene.scale()
  if scaleFn then return scaleFn() end
  return 1
end

function scene.count(load)
  if not scaleFn then return load end
  local n = floor(load * scaleFn())
  if n < 1 then n = 1 end
  return n
end

return scene
