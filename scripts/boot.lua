-- lunaray boot: runs before the game's main.lua.
--
-- It wraps the few raylib functions the runtime needs to see, and leaves every other `rl`
-- function exactly as bound:
--   InitWindow         fails loudly when no window could be opened (instead of drawing into
--                      nothing);
--   EndDrawing         closes the script's part of the frame, draws the overlay and reads
--                      its keys when enabled, captures --screenshot, counts the presented
--                      frame and ends it (the per-frame arenas are reset, mode switches
--                      take effect);
--   WindowShouldClose  turns true after --frames N, so the game's own loop ends and its
--                      cleanup code runs.
local rl, lunaray = rl, lunaray
-- What the runtime's own scripts (run.lua, error_screen.lua) share; the game never sees it.
local private = ...
local runtime = private.runtime

local InitWindow, IsWindowReady = rl.InitWindow, rl.IsWindowReady
local EndDrawing, WindowShouldClose = rl.EndDrawing, rl.WindowShouldClose
local LoadImageFromScreen, UnloadImage = rl.LoadImageFromScreen, rl.UnloadImage
local DrawRenderBatchActive = rl.rlDrawRenderBatchActive

local IsKeyPressed, DrawRectangle, DrawText = rl.IsKeyPressed, rl.DrawRectangle, rl.DrawText
local GetScreenWidth, Fade, BLACK, RAYWHITE = rl.GetScreenWidth, rl.Fade, rl.BLACK, rl.RAYWHITE
local stats, mode, scale = lunaray.stats, lunaray.mode, lunaray.scale
local format = string.format

local finished = false
private.window_opened = false
function private.frames_done() return finished end

-- The log (engine/runtime/log.rs): raylib's variadic TraceLog and TextFormat, formatted here
-- with string.format so no format string ever reaches C's printf with Lua's arguments, and
-- raylib's log callback and level, which the runtime's log honours.
local SetTraceLogLevel, sformat = rl.SetTraceLogLevel, string.format

-- string.format's errors, renamed for the function the script called; `shift` is how many
-- arguments come before the format string.
local function format_for(name, shift, fmt, ...)
  if type(fmt) ~= "string" then
    error(sformat("bad argument #%d to '%s' (string expected, got %s)", shift + 1, name,
      type(fmt)), 3)
  end
  local ok, text = pcall(sformat, fmt, ...)
  if ok then return text end
  text = tostring(text):gsub("^bad argument #(%d+) to '[^']*'", function(n)
    return sformat("bad argument #%d to '%s'", tonumber(n) + shift, name)
  end)
  error(text, 3)
end

local function check_level(name, level)
  if type(level) ~= "number" then
    error(sformat("bad argument #1 to '%s' (number expected, got %s)", name, type(level)), 3)
  end
end

function rl.TextFormat(fmt, ...)
  local text = format_for("TextFormat", 0, fmt, ...) -- not a tail call: error levels count it
  return text
end

function rl.TraceLog(level, fmt, ...)
  check_level("TraceLog", level)
  runtime.log(level, format_for("TraceLog", 1, fmt, ...))
end

function rl.SetTraceLogLevel(level)
  check_level("SetTraceLogLevel", level)
  SetTraceLogLevel(level)
  runtime.log_level(level)
end

function rl.SetTraceLogCallback(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error(sformat("bad argument #1 to 'SetTraceLogCallback' (function expected, got %s)",
      type(fn)), 2)
  end
  runtime.log_callback(fn)
end

-- The paths of files dropped on the window (for lunaray.filedropped).
local LoadDroppedFiles, UnloadDroppedFiles = rl.LoadDroppedFiles, rl.UnloadDroppedFiles
function private.dropped_files()
  local list = LoadDroppedFiles()
  local paths = runtime.path_list(list)
  UnloadDroppedFiles(list)
  return paths
end

-- --uncapped: frames run as fast as they can, whatever the game asks for.
if lunaray.uncapped then
  rl.SetTargetFPS = function() end
end

-- The overlay's keys are held with Alt, so a game's own M, A, O, + and - keys stay its own.
local KEY_LEFT_ALT, KEY_RIGHT_ALT, IsKeyDown = rl.KEY_LEFT_ALT, rl.KEY_RIGHT_ALT, rl.IsKeyDown
local OVERLAY_KEYS = {
  {rl.KEY_M, "M"}, {rl.KEY_A, "A"}, {rl.KEY_O, "O"},
  {rl.KEY_EQUAL, "+"}, {rl.KEY_KP_ADD, "+"}, {rl.KEY_MINUS, "-"}, {rl.KEY_KP_SUBTRACT, "-"},
}

local function bytes(n)
  if n >= 1048576 then return format("%.1f MiB", n / 1048576) end
  if n >= 1024 then return format("%.1f KiB", n / 1024) end
  return format("%d B", n)
end

local function draw_overlay()
  local s, m = stats(), mode()
  local lines = {
    format("%.0f FPS   %.2f ms/frame", s.fps, s.frame_ms),
    format("script+FFI %.2f ms   rest %.2f ms", s.script_ms, s.rest_ms),
    format("%d FFI calls/frame   %.0f ns/call", s.ffi_calls_smooth, s.ffi_ns_per_call),
    format("arena %s this frame   peak %s", bytes(s.arena_bytes), bytes(s.arena_peak)),
    format("[Alt+M] marshal %s   [Alt+A] arena %s", m.marshal, m.arena),
    format("[Alt+ +/-] load x%g   [Alt+O] hide", scale()),
  }
  local w, h = 270, 14 * #lines + 8
  local x, y = GetScreenWidth() - w - 8, 48
  DrawRectangle(x, y, w, h, Fade(BLACK, 0.75))
  for i = 1, #lines do
    DrawText(lines[i], x + 8, y + 4 + (i - 1) * 14, 10, RAYWHITE)
  end
end

function rl.InitWindow(width, height, title)
  InitWindow(width, height, title)
  private.window_opened = true
  if not IsWindowReady() then
    error("could not open a window on the " .. lunaray.backend .. " backend"
      .. " (run with --headless to render without a display)", 2)
  end
end

function rl.EndDrawing()
  runtime.mark()
  if runtime.overlay_keys() then
    if IsKeyDown(KEY_LEFT_ALT) or IsKeyDown(KEY_RIGHT_ALT) then
      for i = 1, #OVERLAY_KEYS do
        if IsKeyPressed(OVERLAY_KEYS[i][1]) then runtime.key(OVERLAY_KEYS[i][2]) end
      end
    end
    if runtime.overlay_visible() then draw_overlay() end
  end
  if runtime.capture_due() then
    -- Flush raylib's batch so the capture holds everything drawn this frame, then read the
    -- frame before it is presented (after a swap the back buffer's contents are undefined).
    DrawRenderBatchActive()
    local image = LoadImageFromScreen()
    runtime.keep_capture(image)
    UnloadImage(image)
  end
  EndDrawing()
  finished = runtime.frame_end()
  if private.hot_reload_check then private.hot_reload_check() end
end

function rl.WindowShouldClose()
  if finished then
    return true
  end
  return WindowShouldClose()
end

-- Where the luajit-ffi peer can be switched on (LuaJIT run with --ffi), the runtime's own
-- scripts (the default loop, the error screen) call rl through this view: what the game sees,
-- entries it replaced included, but where the peer's entries are in rl (marshal/peer.rs sets
-- `private.unpeer`) they read as lunaray's, so the runtime's calls keep working on lunaray's
-- values in every mode. Elsewhere they use rl itself.
if private.peer_possible then private.rl = setmetatable({}, {
  __index = function(_, k)
    local v = rl[k]
    local unpeer = private.unpeer
    if unpeer ~= nil then
      local l = unpeer[v] -- a nil key reads as nil
      if l ~= nil then return l end
    end
    return v
  end,
  __newindex = rl,
}) end
