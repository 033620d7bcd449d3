-- lunaray boot: runs before the game's main.lua.
--
-- It wraps the few raylib functions the runtime needs to see, and leaves every other `rl`
-- function exactly as bound:
--   InitWindow         fails loudly when no window could be opened (instead of drawing into
--                      nothing);
--   EndDrawing         counts presented frames, captures --screenshot, ends the frame (the
--                      per-frame arenas are reset here);
--   WindowShouldClose  turns true after --frames N, so the game's own loop ends and its
--                      cleanup code runs.
local rl, lunaray = rl, lunaray
local runtime = lunaray._runtime
lunaray._runtime = nil

local InitWindow, IsWindowReady = rl.InitWindow, rl.IsWindowReady
local EndDrawing, WindowShouldClose = rl.EndDrawing, rl.WindowShouldClose
local LoadImageFromScreen, UnloadImage = rl.LoadImageFromScreen, rl.UnloadImage
local DrawRenderBatchActive = rl.rlDrawRenderBatchActive

local finished = false

function rl.InitWindow(width, height, title)
  InitWindow(width, height, title)
  if not IsWindowReady() then
    error("could not open a window on the " .. lunaray.backend .. " backend"
      .. " (run with --headless to render without a display)", 2)
  end
end

function rl.EndDrawing()
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
end

function rl.WindowShouldClose()
  if finished then
    return true
  end
  return WindowShouldClose()
end
