-- lunaray's default game loop, for games written as callbacks (LÖVE style) instead of their
-- own `while not rl.WindowShouldClose()` loop.
--
-- The runtime calls `lunaray.run()` after main.lua when main.lua opened no window itself and
-- defined at least one of lunaray.load / lunaray.update / lunaray.draw. A game replaces the
-- whole loop by defining its own `lunaray.run` (as with `love.run`).
--
-- Configuration: `conf.lua` beside main.lua may define `function lunaray.conf(t)`, which gets
-- the defaults below and changes them (main.lua may define it too). The runtime calls it once,
-- before main.lua when conf.lua defines it, otherwise before the loop starts.
local private = ...
-- lunaray's rl whatever the mode (boot.lua's view).
local rl, lunaray = private.rl or rl, lunaray

-- The window and loop settings and their defaults (docs/callbacks.md lists them).
local function defaults()
  return {
    title = "lunaray",
    width = 800,
    height = 450,
    fps = 60,             -- SetTargetFPS; 0 or false: as fast as possible
    vsync = false,        -- FLAG_VSYNC_HINT
    resizable = false,    -- FLAG_WINDOW_RESIZABLE
    msaa = false,         -- FLAG_MSAA_4X_HINT
    highdpi = false,      -- FLAG_WINDOW_HIGHDPI
    fullscreen = false,   -- FLAG_FULLSCREEN_MODE
    borderless = false,   -- FLAG_BORDERLESS_WINDOWED_MODE
    undecorated = false,  -- FLAG_WINDOW_UNDECORATED
    always_run = false,   -- FLAG_WINDOW_ALWAYS_RUN: keep running while minimized
    flags = 0,            -- any other ConfigFlags, added as they are
    background = rl.Color(245, 245, 245, 255), -- cleared before lunaray.draw; false: no clear
    exit_key = rl.KEY_ESCAPE, -- SetExitKey; false or 0: no key closes the window
    icon = nil,           -- an image file for SetWindowIcon
    identity = nil,       -- the save folder's name (lunaray.save_dir()); default: the game's
    fixed_dt = nil,       -- seconds: lunaray.update(fixed_dt) runs at this fixed rate
  }
end

local FLAGS = {
  {"vsync", "FLAG_VSYNC_HINT"}, {"resizable", "FLAG_WINDOW_RESIZABLE"},
  {"msaa", "FLAG_MSAA_4X_HINT"}, {"highdpi", "FLAG_WINDOW_HIGHDPI"},
  {"fullscreen", "FLAG_FULLSCREEN_MODE"}, {"borderless", "FLAG_BORDERLESS_WINDOWED_MODE"},
  {"undecorated", "FLAG_WINDOW_UNDECORATED"}, {"always_run", "FLAG_WINDOW_ALWAYS_RUN"},
}

private.conf = defaults()
private.conf_applied = false

-- Calls lunaray.conf(t) once, if the game defined it.
function private.apply_conf()
  if private.conf_applied or type(lunaray.conf) ~= "function" then return end
  private.conf_applied = true
  local t = defaults()
  lunaray.conf(t)
  private.conf = t
end

-- The ConfigFlags the settings ask for. Flags are distinct bits, so adding them is OR-ing
-- them (LuaJIT has no `|` operator).
local function config_flags(t)
  local flags = tonumber(t.flags) or 0
  for _, f in ipairs(FLAGS) do
    if t[f[1]] then flags = flags + rl[f[2]] end
  end
  return flags
end

-- Opens the window the settings describe (the error screen uses it too).
function private.open_window(t)
  rl.SetConfigFlags(config_flags(t))
  rl.InitWindow(math.floor(t.width), math.floor(t.height), tostring(t.title))
end

-- The folder for the game's saves (engine/runtime/save_dir.rs), named after conf's
-- `identity` or the game; created on first use.
function lunaray.save_dir()
  return private.runtime.save_dir(tostring(private.conf.identity or lunaray.name))
end

-- UTF-8 for a codepoint (Lua 5.4 has utf8.char; LuaJIT does not).
local function utf8_char(c)
  if c < 0x80 then return string.char(c) end
  if c < 0x800 then return string.char(0xC0 + math.floor(c / 0x40), 0x80 + c % 0x40) end
  if c < 0x10000 then
    return string.char(0xE0 + math.floor(c / 0x1000), 0x80 + math.floor(c / 0x40) % 0x40,
      0x80 + c % 0x40)
  end
  return string.char(0xF0 + math.floor(c / 0x40000), 0x80 + math.floor(c / 0x1000) % 0x40,
    0x80 + math.floor(c / 0x40) % 0x40, 0x80 + c % 0x40)
end

-- Mouse buttons raylib reports (MOUSE_BUTTON_LEFT .. MOUSE_BUTTON_BACK).
local MOUSE_BUTTONS = 6

-- Calls the event callbacks the game defined, from raylib's input state for this frame.
-- Keys pressed are taken from raylib's queue (GetKeyPressed) only when keypressed or
-- keyreleased is defined, so a game that reads the queue itself still gets it otherwise.
local function event_dispatcher()
  local down = {}
  local focused = rl.IsWindowFocused()
  return function()
    local cb = lunaray
    if cb.keypressed or cb.keyreleased then
      for key in pairs(down) do
        if rl.IsKeyReleased(key) or not rl.IsKeyDown(key) then
          down[key] = nil
          if cb.keyreleased then cb.keyreleased(key) end
        end
      end
      local key = rl.GetKeyPressed()
      while key ~= 0 do
        down[key] = true
        if cb.keypressed then cb.keypressed(key) end
        key = rl.GetKeyPressed()
      end
    end
    if cb.textinput then
      local c = rl.GetCharPressed()
      while c ~= 0 do
        cb.textinput(utf8_char(c), c)
        c = rl.GetCharPressed()
      end
    end
    if cb.mousepressed or cb.mousereleased then
      local x, y = rl.GetMouseX(), rl.GetMouseY()
      for b = 0, MOUSE_BUTTONS do
        if cb.mousepressed and rl.IsMouseButtonPressed(b) then cb.mousepressed(x, y, b) end
        if cb.mousereleased and rl.IsMouseButtonReleased(b) then cb.mousereleased(x, y, b) end
      end
    end
    if cb.mousemoved then
      local d = rl.GetMouseDelta()
      if d.x ~= 0 or d.y ~= 0 then cb.mousemoved(rl.GetMouseX(), rl.GetMouseY(), d.x, d.y) end
    end
    if cb.wheelmoved then
      local w = rl.GetMouseWheelMoveV()
      if w.x ~= 0 or w.y ~= 0 then cb.wheelmoved(w.x, w.y) end
    end
    if cb.resize and rl.IsWindowResized() then
      cb.resize(rl.GetScreenWidth(), rl.GetScreenHeight())
    end
    if cb.filedropped and rl.IsFileDropped() then
      cb.filedropped(private.dropped_files())
    end
    if cb.focus then
      local f = rl.IsWindowFocused()
      if f ~= focused then
        focused = f
        cb.focus(f)
      end
    end
  end
end

-- At most this many fixed steps per frame, so a long stall does not snowball.
local MAX_FIXED_STEPS = 8

function lunaray.run()
  local t = private.conf
  private.open_window(t)
  if t.fps then rl.SetTargetFPS(math.floor(t.fps)) end
  rl.SetExitKey(t.exit_key or 0)
  if t.icon then
    local icon = rl.LoadImage(t.icon)
    rl.SetWindowIcon(icon)
    rl.UnloadImage(icon)
  end
  if lunaray.load then lunaray.load(arg, lunaray.cookie) end

  local dispatch = event_dispatcher()
  local fixed = tonumber(t.fixed_dt)
  if fixed and fixed <= 0 then error("conf: fixed_dt must be a positive number of seconds", 0) end
  local pending = 0
  while true do
    if rl.WindowShouldClose() then
      -- lunaray.quit() returning true keeps the game running (not after --frames N).
      local cancel = lunaray.quit and lunaray.quit()
      if not cancel or private.frames_done() then break end
    end
    dispatch()
    if lunaray.update then
      local dt = rl.GetFrameTime()
      if fixed then
        pending = pending + dt
        local steps = 0
        while pending >= fixed and steps < MAX_FIXED_STEPS do
          lunaray.update(fixed)
          pending, steps = pending - fixed, steps + 1
        end
        if steps == MAX_FIXED_STEPS then pending = 0 end
      else
        lunaray.update(dt)
      end
    end
    rl.BeginDrawing()
    if t.background then rl.ClearBackground(t.background) end
    if lunaray.draw then lunaray.draw() end
    rl.EndDrawing()
  end
  rl.CloseWindow()
end
private.default_run = lunaray.run
