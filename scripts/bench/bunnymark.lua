-- bench/bunnymark: raylib's classic bunnymark (examples/textures/textures_bunnymark.c,
-- raylib 6.0), line for line in Lua.
--
-- Measures: per-bunny Lua arithmetic plus one rl.DrawTexture call per bunny per frame, i.e.
-- the cost of a simple, draw-heavy scene; the C twin is native/bunnymark.c.
--
-- Knobs (script arguments, `lunaray run bunnymark.lua -- key=value ...`; parsed by scene.lua):
--   load=N | bunnies=N  bunnies at start (default 1000; 0 starts empty, like the C example).
--                       They spawn at random positions; then, as in the example, holding the
--                       left mouse button adds 100 per frame at the cursor (up to MAX_BUNNIES).
--   seed=S              rl.SetRandomSeed(S) before any random use (default 1). Only
--                       rl.GetRandomValue is used, so native/bunnymark.c draws the same bunnies.
--   dt=X                fixed frame time in seconds instead of rl.GetFrameTime(), for
--                       reproducible runs. With dt set, DrawFPS is skipped (its number changes
--                       from run to run) and the runtime's overlay stays off, so the frame is
--                       pixel-identical to the C twin's.
--   fps=N               rl.SetTargetFPS(N) (default 0: unthrottled, so frame time is the work;
--                       the C example uses 60).
-- Frame-time statistics: `lunaray run bunnymark.lua --report FILE.json`.
-- If the runtime provides lunaray.scale() (its +/- keys), the bunny count follows
-- load * scale(): bunnies are added (at random positions) or removed from the end.
--
-- Differences from the C example, all deliberate: the initial `load` bunnies; speeds are
-- "pixels per 1/60 s" as in the example (GetRandomValue(-250, 250)/60) and are multiplied by
-- the frame time (dt * 60), so motion does not depend on the frame rate; screen size is read
-- once per frame instead of once per bunny. Bunny state is Lua numbers (doubles); the C twin
-- keeps doubles too so both compute the same positions.

local screenWidth, screenHeight = 800, 450
local MAX_BUNNIES = 50000      -- the example's limit for mouse-spawned bunnies
local MAX_BATCH_ELEMENTS = 8192 -- rlgl's quads per batch: only for the counter text

local scene = require("scene")
local opts = scene.options("bunnymark", { load = 1000, minLoad = 0, -- 0: start empty
                                          aliases = { bunnies = "load" } })
local fixedDt = opts.dt

-- Initialization --------------------------------------------------------------------------
scene.start(opts, screenWidth, screenHeight)

local texBunny = rl.LoadTexture("../../assets/wabbit_alpha.png")
if texBunny.id == 0 then error("could not load ../../assets/wabbit_alpha.png", 0) end
local texW, texH = texBunny.width, texBunny.height
local halfW, halfH = math.floor(texW / 2), math.floor(texH / 2) -- C's texBunny.width/2

local GetRandomValue = rl.GetRandomValue
local DrawTexture = rl.DrawTexture

local bunnies = {}
local bunniesCount = 0

-- The C example's bunny: position, speed (GetRandomValue(-250, 250)/60), color.
local function addBunny(x, y)
  bunniesCount = bunniesCount + 1
  bunnies[bunniesCount] = {
    x = x,
    y = y,
    vx = GetRandomValue(-250, 250) / 60,
    vy = GetRandomValue(-250, 250) / 60,
    color = rl.Color(GetRandomValue(50, 240), GetRandomValue(80, 240), GetRandomValue(100, 240), 255),
  }
end

local function addRandomBunny()
  local x = GetRandomValue(0, screenWidth - texW)
  local y = GetRandomValue(40, screenHeight - texH)
  addBunny(x, y)
end

-- `base * scale` is the bunny count the runtime's scale asks for; mouse-spawned bunnies
-- raise `base` so the scale does not take them away again.
local base = opts.load
local function matchScale()
  local s = scene.scale()
  local target = math.floor(base * s + 0.5)
  if base > 0 and target < 1 then target = 1 end
  while bunniesCount < target do addRandomBunny() end
  while bunniesCount > target do
    bunnies[bunniesCount] = nil
    bunniesCount = bunniesCount - 1
  end
  return s
end

matchScale()

-- Main game loop --------------------------------------------------------------------------
while not rl.WindowShouldClose() do
  -- Update
  local s = matchScale()
  local dt = fixedDt or rl.GetFrameTime()

  if rl.IsMouseButtonDown(rl.MOUSE_BUTTON_LEFT) then
    -- Create more bunnies
    local before = bunniesCount
    for _ = 1, 100 do
      if bunniesCount < MAX_BUNNIES then
        local m = rl.GetMousePosition()
        addBunny(m.x, m.y)
      end
    end
    base = base + (bunniesCount - before) / s
  end

  -- Update bunnies
  local k = dt * 60
  local sw, sh = rl.GetScreenWidth(), rl.GetScreenHeight()
  for i = 1, bunniesCount do
    local b = bunnies[i]
    b.x = b.x + b.vx * k
    b.y = b.y + b.vy * k

    if ((b.x + halfW) > sw) or ((b.x + halfW) < 0) then b.vx = -b.vx end
    if ((b.y + halfH) > sh) or ((b.y + halfH - 40) < 0) then b.vy = -b.vy end
  end

  -- Draw
  rl.BeginDrawing()

    rl.ClearBackground(rl.RAYWHITE)

    for i = 1, bunniesCount do
      local b = bunnies[i]
      -- x and y are floats: C's int parameters truncate them toward zero, like (int) in C
      DrawTexture(texBunny, b.x, b.y, b.color)
    end

    rl.DrawRectangle(0, 0, screenWidth, 40, rl.BLACK)
    rl.DrawText(string.format("bunnies: %d", bunniesCount), 120, 10, 20, rl.GREEN)
    rl.DrawText(string.format("batched draw calls: %d", 1 + math.floor(bunniesCount / MAX_BATCH_ELEMENTS)),
      320, 10, 20, rl.MAROON)

    if not fixedDt then rl.DrawFPS(10, 10) end

  rl.EndDrawing()
end

-- De-Initialization -----------------------------------------------------------------------
rl.UnloadTexture(texBunny)
rl.CloseWindow()
