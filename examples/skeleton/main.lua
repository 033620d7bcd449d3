-- skeleton: the starting point for a new lunaray game. Copy this folder and edit it.
--
-- Run it:    lunaray run examples/skeleton
--   (from a checkout: cargo run --release -- run examples/skeleton)
--   Arguments after `--` reach lunaray.load(arg) and the global `arg` table.
--
-- Structure: conf.lua sets the window up; the runtime opens it and then calls
-- lunaray.load(arg) once, and every frame lunaray.update(dt) and lunaray.draw() (the screen is
-- already cleared to conf's background). Input can be polled in update (rl.IsKeyDown) or
-- received as events (lunaray.keypressed). Closing the window calls lunaray.quit().
-- A script that calls rl.InitWindow itself keeps its own loop instead, as in raylib's C examples.
-- Relative paths (assets, saves) resolve against this folder: put a `player.png` here and
-- load it in lunaray.load with rl.LoadTexture("player.png").
-- Keys: arrow keys move the square, SPACE changes its color, ESC quits.

-- All mutable game state lives here, so it is easy to find (and to reset).
local game = {}

function lunaray.load(arg)
  local w, h = rl.GetScreenWidth(), rl.GetScreenHeight()
  game.time = 0
  game.player = { pos = rl.Vector2(w / 2, h / 2), size = 40, speed = 200 }
  game.palette = { rl.MAROON, rl.DARKBLUE, rl.DARKGREEN, rl.ORANGE, rl.VIOLET }
  game.color = 1
end

function lunaray.update(dt)
  game.time = game.time + dt
  local p = game.player
  if rl.IsKeyDown(rl.KEY_RIGHT) then p.pos.x = p.pos.x + p.speed * dt end
  if rl.IsKeyDown(rl.KEY_LEFT) then p.pos.x = p.pos.x - p.speed * dt end
  if rl.IsKeyDown(rl.KEY_DOWN) then p.pos.y = p.pos.y + p.speed * dt end
  if rl.IsKeyDown(rl.KEY_UP) then p.pos.y = p.pos.y - p.speed * dt end
  local half = p.size / 2
  p.pos.x = math.max(half, math.min(rl.GetScreenWidth() - half, p.pos.x))
  p.pos.y = math.max(half, math.min(rl.GetScreenHeight() - half, p.pos.y))
end

function lunaray.keypressed(key)
  if key == rl.KEY_SPACE then
    game.color = game.color % #game.palette + 1
  end
end

function lunaray.draw()
  local p = game.player
  local rec = { p.pos.x - p.size / 2, p.pos.y - p.size / 2, p.size, p.size }
  rl.DrawRectangleRec(rec, game.palette[game.color])
  rl.DrawRectangleLinesEx(rec, 2, rl.BLACK)
  rl.DrawText("Your game is running! Edit examples/skeleton/main.lua", 20, 20, 20, rl.DARKGRAY)
  rl.DrawText("arrows: move   SPACE: color   ESC: quit", 20, 50, 10, rl.GRAY)
  rl.DrawText(string.format("time %.1f s", game.time), 20, rl.GetScreenHeight() - 30, 10, rl.GRAY)
  rl.DrawFPS(rl.GetScreenWidth() - 90, 10)
end

function lunaray.quit()
  -- Unload whatever lunaray.load created, e.g. rl.UnloadTexture(game.tex).
  -- Return true to keep running instead (an "are you sure?" prompt).
end
