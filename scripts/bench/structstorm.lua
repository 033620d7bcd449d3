-- bench/structstorm: logic-heavy scene; the frame is dominated by script-to-C calls that
-- pass and return structs.
--
-- Measures: per entity and frame about 14 raylib/raymath calls with struct arguments and
-- results: Vector2Subtract, Vector2Length, Vector2Normalize, Vector2Scale and Vector2Add to
-- steer towards a moving attractor, CheckCollisionRecs of the entity's Rectangle against 4
-- fixed obstacle Rectangles, CheckCollisionCircles against the attractor, ColorAlpha for the
-- entity's fading tint (Fade for the obstacles and the attractor). Only every 16th entity is
-- drawn (a 4x4 rectangle), plus the obstacles and the attractor, so the drawing is cheap.
-- Entity state lives in struct values (rl.Vector2, rl.Rectangle, rl.Color) held in Lua tables.
-- The C twin is native/structstorm.c.
--
-- Knobs (script arguments, `lunaray run structstorm.lua -- key=value ...`; parsed by scene.lua):
--   load=N       entities (default 5000)
--   seed=S       rl.SetRandomSeed(S) before any random use (default 1). Only rl.GetRandomValue
--                is used, so native/structstorm.c makes the same entities.
--   dt=X         fixed frame time in seconds instead of rl.GetFrameTime(), for reproducible
--                runs. With dt set, DrawFPS is skipped (its number changes from run to run)
--                and the runtime's overlay stays off, so the frame is pixel-identical to the
--                C twin's.
--   fps=N        rl.SetTargetFPS(N) (default 0: unthrottled, so frame time is the work)
-- Frame-time statistics: `lunaray run structstorm.lua --report FILE.json`. The runtime's
-- overlay is on (scene.lua), except when dt is given.
-- If the runtime provides lunaray.scale() (its +/- keys), each frame updates
-- max(1, floor(load * scale())) entities; entities beyond `load` are made when first needed.
--
-- Numbers: struct fields are C floats; Lua reads them as doubles, computes in doubles and
-- stores back rounded to float. The C twin does exactly that (double temporaries, float
-- fields) so both produce the same bits.

local screenWidth, screenHeight = 800, 450
local HUD = 40              -- the top bar's height
local HALF = 2              -- entities are 4x4 rectangles around their position
local ENTITY_R = 3          -- entity radius for CheckCollisionCircles
local ATTRACT_R = 36        -- attractor radius
local ACCEL = 260           -- pull towards the attractor, px/s^2
local MAX_SPEED = 180       -- px/s
local FADE_RATE = 0.6       -- tint alpha lost per second
local MIN_LIFE = 0.25       -- the faintest tint
local DRAW_EVERY = 16       -- draw one entity in 16

local scene = require("scene")
local opts = scene.options("structstorm", { load = 5000 })
local load = opts.load
local fixedDt = opts.dt

-- Initialization --------------------------------------------------------------------------
scene.start(opts, screenWidth, screenHeight)

local GetRandomValue = rl.GetRandomValue
local Vector2Add, Vector2Subtract, Vector2Scale = rl.Vector2Add, rl.Vector2Subtract, rl.Vector2Scale
local Vector2Length, Vector2Normalize = rl.Vector2Length, rl.Vector2Normalize
local CheckCollisionRecs, CheckCollisionCircles = rl.CheckCollisionRecs, rl.CheckCollisionCircles
local ColorAlpha = rl.ColorAlpha

local obstacles = {
  rl.Rectangle(110, 100, 150, 60),
  rl.Rectangle(520, 80, 90, 170),
  rl.Rectangle(290, 300, 220, 50),
  rl.Rectangle(640, 330, 110, 70),
}
local obstacleHits = { 0, 0, 0, 0 } -- this frame's hits, for the obstacles' flash

local attractor = rl.Vector2(400, 245)
local avx, avy = 170, 110   -- attractor speed, px/s

local entities = {}
local made = 0
local function makeEntity()
  local x = GetRandomValue(0, screenWidth)
  local y = GetRandomValue(HUD, screenHeight)
  local vx = GetRandomValue(-120, 120)
  local vy = GetRandomValue(-120, 120)
  local color = rl.Color(GetRandomValue(40, 220), GetRandomValue(40, 220), GetRandomValue(40, 220), 255)
  made = made + 1
  entities[made] = {
    pos = rl.Vector2(x, y),
    vel = rl.Vector2(vx, vy),
    rect = rl.Rectangle(x - HALF, y - HALF, 2 * HALF, 2 * HALF),
    color = color,
    tint = color,
    life = 1.0,
  }
end
for _ = 1, load do makeEntity() end

local hitsTotal, caughtTotal = 0, 0

-- Main game loop --------------------------------------------------------------------------
while not rl.WindowShouldClose() do
  -- Update
  local n = scene.count(load)
  while made < n do makeEntity() end
  local dt = fixedDt or rl.GetFrameTime()

  -- The attractor bounces around the play field
  attractor.x = attractor.x + avx * dt
  attractor.y = attractor.y + avy * dt
  if attractor.x < ATTRACT_R then attractor.x = ATTRACT_R; avx = -avx end
  if attractor.x > screenWidth - ATTRACT_R then attractor.x = screenWidth - ATTRACT_R; avx = -avx end
  if attractor.y < HUD + ATTRACT_R then attractor.y = HUD + ATTRACT_R; avy = -avy end
  if attractor.y > screenHeight - ATTRACT_R then attractor.y = screenHeight - ATTRACT_R; avy = -avy end

  for j = 1, #obstacles do obstacleHits[j] = 0 end

  local accel = ACCEL * dt
  for i = 1, n do
    local e = entities[i]
    local vel = e.vel

    -- Steer towards the attractor, limit the speed, move
    local toA = Vector2Subtract(attractor, e.pos)
    if Vector2Length(toA) > 1 then
      vel = Vector2Add(vel, Vector2Scale(Vector2Normalize(toA), accel))
    end
    local speed = Vector2Length(vel)
    if speed > MAX_SPEED then vel = Vector2Scale(vel, MAX_SPEED / speed) end
    local pos = Vector2Add(e.pos, Vector2Scale(vel, dt))

    -- Screen edges
    if pos.x < 0 then pos.x = 0; vel.x = -vel.x end
    if pos.x > screenWidth then pos.x = screenWidth; vel.x = -vel.x end
    if pos.y < HUD then pos.y = HUD; vel.y = -vel.y end
    if pos.y > screenHeight then pos.y = screenHeight; vel.y = -vel.y end

    -- Obstacles: bounce back out of any one hit
    local rect = e.rect
    rect.x = pos.x - HALF
    rect.y = pos.y - HALF
    local hit = false
    for j = 1, 4 do
      if CheckCollisionRecs(rect, obstacles[j]) then
        hit = true
        obstacleHits[j] = obstacleHits[j] + 1
      end
    end
    if hit then
      vel = Vector2Scale(vel, -1)
      pos = Vector2Add(pos, Vector2Scale(vel, dt))
      hitsTotal = hitsTotal + 1
      e.life = 1.0
    end

    -- Caught by the attractor: flung away at full speed
    if CheckCollisionCircles(pos, ENTITY_R, attractor, ATTRACT_R) then
      vel = Vector2Scale(Vector2Normalize(Vector2Subtract(pos, attractor)), MAX_SPEED)
      caughtTotal = caughtTotal + 1
      e.life = 1.0
    end

    -- The tint fades until the next hit
    local life = e.life - dt * FADE_RATE
    if life < MIN_LIFE then life = MIN_LIFE end
    e.life = life
    e.tint = ColorAlpha(e.color, life)

    e.pos = pos
    e.vel = vel
  end

  -- Draw
  rl.BeginDrawing()

    rl.ClearBackground(rl.RAYWHITE)

    for j = 1, #obstacles do
      local flash = obstacleHits[j] / 40
      if flash > 0.6 then flash = 0.6 end
      rl.DrawRectangleRec(obstacles[j], rl.Fade(rl.DARKBLUE, 0.3 + flash))
    end
    rl.DrawCircleV(attractor, ATTRACT_R, rl.Fade(rl.MAROON, 0.35))

    for i = 1, n, DRAW_EVERY do
      local e = entities[i]
      rl.DrawRectangleRec(e.rect, e.tint)
    end

    rl.DrawRectangle(0, 0, screenWidth, HUD, rl.BLACK)
    rl.DrawText(string.format("entities: %d", n), 120, 10, 20, rl.GREEN)
    rl.DrawText(string.format("hits: %d  caught: %d", hitsTotal, caughtTotal), 360, 10, 20, rl.SKYBLUE)

    if not fixedDt then rl.DrawFPS(10, 10) end

  rl.EndDrawing()
end

-- De-Initialization -----------------------------------------------------------------------
rl.CloseWindow()
