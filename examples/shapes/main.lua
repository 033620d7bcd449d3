-- shapes: raylib's basic 2D shapes and colors, drawn every frame.
-- Circles, rectangles (plain, gradient, rounded, rotated), lines, triangles, regular
-- polygons, and DrawLineStrip fed with a Lua array of Vector2 points.
-- Keys: none needed; ESC closes the window.

local screenWidth, screenHeight = 800, 450

rl.InitWindow(screenWidth, screenHeight, "lunaray - basic shapes")
rl.SetTargetFPS(60)

-- A sine wave as a Lua array of points (plain tables work wherever a Vector2 is expected).
local wave = {}
for i = 0, 40 do
  wave[#wave + 1] = { x = 40 + i * 18, y = 430 }
end

local rotation = 0.0

while not rl.WindowShouldClose() do
  -- Update
  rotation = rotation + 0.2
  local t = rl.GetTime()
  for i = 1, #wave do
    wave[i].y = 430 + math.sin(t * 3 + i * 0.35) * 12
  end

  -- Draw
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)

  rl.DrawText("some basic shapes available on raylib", 20, 20, 20, rl.DARKGRAY)

  -- Circle shapes and lines
  rl.DrawCircle(math.floor(screenWidth / 5), 120, 35, rl.DARKBLUE)
  rl.DrawCircleGradient(rl.Vector2(screenWidth / 5, 220), 60, rl.GREEN, rl.SKYBLUE)
  rl.DrawCircleLines(math.floor(screenWidth / 5), 340, 80, rl.DARKBLUE)
  rl.DrawEllipse(math.floor(screenWidth / 5), 120, 25, 20, rl.YELLOW)
  rl.DrawEllipseLines(math.floor(screenWidth / 5), 120, 30, 25, rl.YELLOW)

  -- Rectangle shapes and lines
  rl.DrawRectangle(math.floor(screenWidth / 4 * 2 - 60), 100, 120, 60, rl.RED)
  rl.DrawRectangleGradientH(math.floor(screenWidth / 4 * 2 - 90), 170, 180, 130, rl.MAROON, rl.GOLD)
  rl.DrawRectangleLines(math.floor(screenWidth / 4 * 2 - 40), 320, 80, 60, rl.ORANGE)
  rl.DrawRectangleRounded({ x = screenWidth / 4 * 2 - 50, y = 200, width = 100, height = 50 },
    0.4, 8, rl.Fade(rl.WHITE, 0.6))
  -- Rotated around its centre (origin is relative to the rectangle's top-left corner)
  rl.DrawRectanglePro({ screenWidth / 4 * 2, 135, 30, 30 }, { 15, 15 }, rotation * 4, rl.DARKPURPLE)

  -- Triangle shapes and lines (vertices counter-clockwise)
  rl.DrawTriangle(rl.Vector2(screenWidth / 4.0 * 3.0, 80.0),
                  rl.Vector2(screenWidth / 4.0 * 3.0 - 60.0, 150.0),
                  rl.Vector2(screenWidth / 4.0 * 3.0 + 60.0, 150.0), rl.VIOLET)
  rl.DrawTriangleLines({ screenWidth / 4.0 * 3.0, 160.0 },
                       { screenWidth / 4.0 * 3.0 - 20.0, 230.0 },
                       { screenWidth / 4.0 * 3.0 + 20.0, 230.0 }, rl.DARKBLUE)

  -- Polygon shapes and lines
  local polyCenter = rl.Vector2(screenWidth / 4.0 * 3, 330)
  rl.DrawPoly(polyCenter, 6, 80, rotation, rl.BROWN)
  rl.DrawPolyLines(polyCenter, 6, 90, rotation, rl.BROWN)
  rl.DrawPolyLinesEx(polyCenter, 6, 85, rotation, 6, rl.BEIGE)

  -- Lines: a straight one, a thick one, and a strip through the wave points
  rl.DrawLine(18, 42, screenWidth - 18, 42, rl.BLACK)
  rl.DrawLineEx({ 20, 60 }, { 300, 70 }, 4, rl.LIME)
  rl.DrawLineStrip(wave, #wave, rl.MAROON)
  for i = 1, #wave, 5 do
    rl.DrawCircleV(wave[i], 3, rl.RED)
  end

  rl.EndDrawing()
end

rl.CloseWindow()
