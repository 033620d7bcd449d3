-- bunnies: a tiny bunnymark-style toy built on one texture.
-- Every bunny is a Lua table with a position, a velocity and a tint; they bounce off the
-- window edges and are all drawn from the same texture (assets/wabbit_alpha.png).
-- Keys: hold the left mouse button to spawn bunnies at the cursor, SPACE spawns a burst
-- of 100, C clears them. ESC closes the window.

local screenWidth, screenHeight = 800, 450
local MAX_BUNNIES = 50000
local HUD_HEIGHT = 40

rl.InitWindow(screenWidth, screenHeight, "lunaray - bunnies")
rl.SetTargetFPS(60)

local texBunny = rl.LoadTexture("../../assets/wabbit_alpha.png")
local bw, bh = texBunny.width, texBunny.height

local bunnies = {}

local function spawn(x, y)
  if #bunnies >= MAX_BUNNIES then return end
  bunnies[#bunnies + 1] = {
    x = x - bw / 2,
    y = y - bh / 2,
    vx = rl.GetRandomValue(-250, 250),
    vy = rl.GetRandomValue(-250, 250),
    color = rl.Color(rl.GetRandomValue(80, 240), rl.GetRandomValue(80, 240),
                     rl.GetRandomValue(100, 240), 255),
  }
end

local function spawnBurst(n)
  for _ = 1, n do
    spawn(rl.GetRandomValue(bw, screenWidth - bw), rl.GetRandomValue(HUD_HEIGHT + bh, screenHeight - bh))
  end
end

spawnBurst(20) -- something to look at on the first frame

while not rl.WindowShouldClose() do
  -- Update
  local dt = rl.GetFrameTime()

  if rl.IsMouseButtonDown(rl.MOUSE_BUTTON_LEFT) then
    local m = rl.GetMousePosition()
    for _ = 1, 10 do spawn(m.x, m.y) end
  end
  if rl.IsKeyPressed(rl.KEY_SPACE) then spawnBurst(100) end
  if rl.IsKeyPressed(rl.KEY_C) then bunnies = {} end

  for i = 1, #bunnies do
    local b = bunnies[i]
    b.x = b.x + b.vx * dt
    b.y = b.y + b.vy * dt
    if b.x < 0 then b.x, b.vx = 0, -b.vx end
    if b.x + bw > screenWidth then b.x, b.vx = screenWidth - bw, -b.vx end
    if b.y < HUD_HEIGHT then b.y, b.vy = HUD_HEIGHT, -b.vy end
    if b.y + bh > screenHeight then b.y, b.vy = screenHeight - bh, -b.vy end
  end

  -- Draw
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)

  for i = 1, #bunnies do
    local b = bunnies[i]
    rl.DrawTexture(texBunny, math.floor(b.x), math.floor(b.y), b.color)
  end

  rl.DrawRectangle(0, 0, screenWidth, HUD_HEIGHT, rl.BLACK)
  rl.DrawText(string.format("bunnies: %d", #bunnies), 120, 10, 20, rl.GREEN)
  rl.DrawText("hold mouse: spawn   SPACE: +100   C: clear", 330, 14, 10, rl.LIGHTGRAY)
  rl.DrawFPS(10, 10)

  rl.EndDrawing()
end

rl.UnloadTexture(texBunny)
rl.CloseWindow()
