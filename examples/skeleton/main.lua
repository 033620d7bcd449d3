-- skeleton: the starting point for a new lunaray game. Copy this folder and edit it.
--
-- Run it:    lunaray run examples/skeleton
--   (from a checkout: cargo run --release -- run examples/skeleton)
--   Arguments after `--` reach the script in the global `arg` table.
--
-- Structure: `conf` holds the window settings; load() creates resources, update(dt)
-- changes the game state, draw() renders it, unload() frees what load() made. The loop at
-- the bottom is the script's own: the runtime does not call these functions for you.
-- Relative paths (assets, saves) resolve against this folder.
-- Keys: arrow keys move the square, SPACE changes its color, ESC quits.

local conf = {
  title = "lunaray - skeleton",
  width = 800,
  height = 450,
  fps = 60,
  background = rl.RAYWHITE,
}

-- All mutable game state lives here, so it is easy to find (and to reset).
local game = {}

local function load()
  game.time = 0
  game.player = { pos = rl.Vector2(conf.width / 2, conf.height / 2), size = 40, speed = 200 }
  game.palette = { rl.MAROON, rl.DARKBLUE, rl.DARKGREEN, rl.ORANGE, rl.VIOLET }
  game.color = 1
  -- Load textures, sounds, fonts... here (after InitWindow), e.g.
  --   game.tex = rl.LoadTexture("../../assets/wabbit_alpha.png")
end

local function update(dt)
  game.time = game.time + dt
  local p = game.player
  if rl.IsKeyDown(rl.KEY_RIGHT) then p.pos.x = p.pos.x + p.speed * dt end
  if rl.IsKeyDown(rl.KEY_LEFT) then p.pos.x = p.pos.x - p.speed * dt end
  if rl.IsKeyDown(rl.KEY_DOWN) then p.pos.y = p.pos.y + p.speed * dt end
  if rl.IsKeyDown(rl.KEY_UP) then p.pos.y = p.pos.y - p.speed * dt end
  local half = p.size / 2
  p.pos.x = math.max(half, math.min(conf.width - half, p.pos.x))
  p.pos.y = math.max(half, math.min(conf.height - half, p.pos.y))
  if rl.IsKeyPressed(rl.KEY_SPACE) then
    game.color = game.color % #game.palette + 1
  end
end

local function draw()
  rl.ClearBackground(conf.background)
  local p = game.player
  local rec = { p.pos.x - p.size / 2, p.pos.y - p.size / 2, p.size, p.size }
  rl.DrawRectangleRec(rec, game.palette[game.color])
  rl.DrawRectangleLinesEx(rec, 2, rl.BLACK)
  rl.DrawText("Your game is running! Edit examples/skeleton/main.lua", 20, 20, 20, rl.DARKGRAY)
  rl.DrawText("arrows: move   SPACE: color   ESC: quit", 20, 50, 10, rl.GRAY)
  rl.DrawText(string.format("time %.1f s", game.time), 20, conf.height - 30, 10, rl.GRAY)
  rl.DrawFPS(conf.width - 90, 10)
end

local function unload()
  -- Unload whatever load() created, e.g. rl.UnloadTexture(game.tex)
end

-- Main
rl.InitWindow(conf.width, conf.height, conf.title)
rl.SetTargetFPS(conf.fps)
load()

while not rl.WindowShouldClose() do
  update(rl.GetFrameTime())
  rl.BeginDrawing()
  draw()
  rl.EndDrawing()
end

unload()
rl.CloseWindow()
