-- bench/text: many strings into C (and back) per frame.
--
-- Measures: per line and frame five raylib text calls that take or return strings:
-- TextLength, TextSubtext (a 16-character window that scrolls along the line), TextToUpper,
-- TextIsEqual (is the window already upper case?) and MeasureText. Only every k-th line is
-- drawn with DrawText (about 30 rows, each the line and its upper-cased window), so the
-- frame is dominated by the string traffic, not by drawing.
--
-- Knobs (script arguments, `lunaray run text.lua -- key=value ...`; parsed by scene.lua):
--   load=N       lines (default 400)
--   seed=S       rl.SetRandomSeed(S) before any random use (default 1); lines are made from
--                a word list with rl.GetRandomValue
--   dt=X         fixed frame time in seconds instead of rl.GetFrameTime() (the scroll speed
--                is per second), for reproducible runs; DrawFPS is skipped when dt is set
--   fps=N        rl.SetTargetFPS(N) (default 0: unthrottled, so frame time is the work)
-- Frame-time statistics: `lunaray run text.lua --report FILE.json`. The runtime's
-- overlay is on (scene.lua), except when dt is given.
-- If the runtime provides lunaray.scale() (its +/- keys), each frame handles
-- max(1, floor(load * scale())) lines; lines beyond `load` are made when first needed.

local screenWidth, screenHeight = 800, 450
local HUD = 40
local ROWS = 30             -- drawn rows below the bar
local ROW_H = 13
local WINDOW = 16           -- TextSubtext's length
local SCROLL = 8            -- characters per second

local scene = require("scene")
local opts = scene.options("text", { load = 400 })
local load = opts.load
local fixedDt = opts.dt

-- Initialization --------------------------------------------------------------------------
scene.start(opts, screenWidth, screenHeight)

local TextLength, TextSubtext, TextToUpper = rl.TextLength, rl.TextSubtext, rl.TextToUpper
local TextIsEqual, MeasureText, DrawText = rl.TextIsEqual, rl.MeasureText, rl.DrawText

local WORDS = {
  "raylib", "lua", "bunny", "struct", "vector", "color", "frame", "batch", "texture", "camera",
  "shader", "render", "window", "input", "audio", "font", "glyph", "matrix", "mesh", "model",
  "SPRITE", "TILE", "RAY", "HIT", "FPS", "GPU", "CPU", "UI", "XYZ", "RGBA",
}

local lines = {}
local made = 0
local function makeLine()
  made = made + 1
  local parts = { string.format("%05d", made) }
  local count = rl.GetRandomValue(5, 9)
  for w = 1, count do
    parts[w + 1] = WORDS[rl.GetRandomValue(1, #WORDS)]
  end
  lines[made] = table.concat(parts, " ")
end
for _ = 1, load do makeLine() end

local t = 0
local uppers = {}

-- Main game loop --------------------------------------------------------------------------
while not rl.WindowShouldClose() do
  -- Update
  local n = scene.count(load)
  while made < n do makeLine() end
  local dt = fixedDt or rl.GetFrameTime()
  t = t + dt
  local scroll = math.floor(t * SCROLL)

  local totalWidth, equal, chars = 0, 0, 0
  for i = 1, n do
    local s = lines[i]
    local len = TextLength(s)
    local sub = TextSubtext(s, (scroll + i) % len, WINDOW)
    local upper = TextToUpper(sub)
    if TextIsEqual(upper, sub) then equal = equal + 1 end
    totalWidth = totalWidth + MeasureText(upper, 10)
    chars = chars + len
    uppers[i] = upper
  end

  -- Draw
  rl.BeginDrawing()

    rl.ClearBackground(rl.RAYWHITE)

    local step = math.floor((n + ROWS - 1) / ROWS)
    if step < 1 then step = 1 end
    local y = HUD + 6
    for i = 1, n, step do
      DrawText(lines[i], 10, y, 10, rl.DARKGRAY)
      DrawText(uppers[i], 560, y, 10, rl.MAROON)
      y = y + ROW_H
    end

    rl.DrawRectangle(0, 0, screenWidth, HUD, rl.BLACK)
    DrawText(string.format("lines: %d  chars: %d", n, chars), 120, 10, 20, rl.GREEN)
    DrawText(string.format("width: %d  upper: %d", totalWidth, equal), 460, 10, 20, rl.SKYBLUE)

    if not fixedDt then rl.DrawFPS(10, 10) end

  rl.EndDrawing()
end

-- De-Initialization -----------------------------------------------------------------------
rl.CloseWindow()
