-- input: keyboard, mouse buttons, mouse position and mouse wheel.
-- Keys: arrow keys or WASD move the ball (IsKeyDown); left/right/middle mouse click
-- (IsMouseButtonPressed) changes its color; the mouse wheel (GetMouseWheelMove) scales it;
-- R resets. The panel shows the current key and mouse state. ESC closes the window.

local screenWidth, screenHeight = 800, 450

rl.InitWindow(screenWidth, screenHeight, "lunaray - keyboard and mouse input")
rl.SetTargetFPS(60)

local ballPosition = rl.Vector2(screenWidth / 2, screenHeight / 2)
local ballRadius = 50.0
local ballColor = rl.DARKBLUE
local speed = 240.0 -- pixels per second

local colors = { rl.DARKBLUE, rl.MAROON, rl.LIME, rl.ORANGE, rl.PURPLE, rl.GOLD }
local colorIndex = 1

-- Keys watched by the state panel: label, then the raylib key codes that count for it.
local watched = {
  { "UP / W", rl.KEY_UP, rl.KEY_W },
  { "LEFT / A", rl.KEY_LEFT, rl.KEY_A },
  { "DOWN / S", rl.KEY_DOWN, rl.KEY_S },
  { "RIGHT / D", rl.KEY_RIGHT, rl.KEY_D },
}

local function down(k1, k2)
  return rl.IsKeyDown(k1) or rl.IsKeyDown(k2)
end

while not rl.WindowShouldClose() do
  -- Update
  local dt = rl.GetFrameTime()
  if down(rl.KEY_RIGHT, rl.KEY_D) then ballPosition.x = ballPosition.x + speed * dt end
  if down(rl.KEY_LEFT, rl.KEY_A) then ballPosition.x = ballPosition.x - speed * dt end
  if down(rl.KEY_DOWN, rl.KEY_S) then ballPosition.y = ballPosition.y + speed * dt end
  if down(rl.KEY_UP, rl.KEY_W) then ballPosition.y = ballPosition.y - speed * dt end

  -- Keep the ball on screen
  ballPosition.x = math.max(ballRadius, math.min(screenWidth - ballRadius, ballPosition.x))
  ballPosition.y = math.max(ballRadius, math.min(screenHeight - ballRadius, ballPosition.y))

  local mouse = rl.GetMousePosition()
  if rl.IsMouseButtonPressed(rl.MOUSE_BUTTON_LEFT) then
    colorIndex = colorIndex % #colors + 1
  elseif rl.IsMouseButtonPressed(rl.MOUSE_BUTTON_RIGHT) then
    colorIndex = (colorIndex - 2) % #colors + 1
  elseif rl.IsMouseButtonPressed(rl.MOUSE_BUTTON_MIDDLE) then
    colorIndex = rl.GetRandomValue(1, #colors)
  end
  ballColor = colors[colorIndex]

  ballRadius = ballRadius + rl.GetMouseWheelMove() * 4
  ballRadius = math.max(10, math.min(150, ballRadius))

  if rl.IsKeyPressed(rl.KEY_R) then
    ballPosition = rl.Vector2(screenWidth / 2, screenHeight / 2)
    ballRadius, colorIndex = 50.0, 1
  end

  -- Draw
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)

  -- Mouse cursor marker and a line from the ball to it (drawn first, so it goes under)
  rl.DrawLineV(ballPosition, mouse, rl.Fade(rl.GRAY, 0.5))
  rl.DrawCircleV(mouse, 6, rl.Fade(rl.MAROON, 0.6))

  rl.DrawCircleV(ballPosition, ballRadius, ballColor)
  rl.DrawCircleLinesV(ballPosition, ballRadius + 4, rl.Fade(ballColor, 0.4))

  -- State panel
  rl.DrawRectangle(10, 10, 250, 180, rl.Fade(rl.SKYBLUE, 0.9))
  rl.DrawRectangleLines(10, 10, 250, 180, rl.BLUE)
  rl.DrawText("move: arrows / WASD", 20, 20, 10, rl.DARKGRAY)
  for i = 1, #watched do
    local w = watched[i]
    local isDown = down(w[2], w[3])
    local y = 36 + (i - 1) * 18
    rl.DrawRectangle(20, y, 12, 12, isDown and rl.LIME or rl.LIGHTGRAY)
    rl.DrawText(w[1] .. (isDown and "  DOWN" or "  up"), 40, y, 10, isDown and rl.DARKGREEN or rl.GRAY)
  end
  rl.DrawText(string.format("mouse: (%d, %d)", math.floor(mouse.x), math.floor(mouse.y)),
    20, 114, 10, rl.DARKGRAY)
  rl.DrawText("click: color (L next, R previous, M random)", 20, 132, 10, rl.DARKGRAY)
  rl.DrawText(string.format("wheel: radius %.0f", ballRadius), 20, 150, 10, rl.DARKGRAY)
  rl.DrawText("R: reset", 20, 168, 10, rl.DARKGRAY)

  rl.EndDrawing()
end

rl.CloseWindow()
