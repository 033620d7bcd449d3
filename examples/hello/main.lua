-- examples/hello/main.lua
rl.InitWindow(800, 450, "hello")
rl.SetTargetFPS(60)
local pos = rl.Vector2(400, 225)
while not rl.WindowShouldClose() do
  if rl.IsKeyDown(rl.KEY_RIGHT) then pos.x = pos.x + 4 end
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.DrawCircleV(pos, 40, rl.MAROON)
  rl.DrawText("move the ball with the right arrow", 10, 10, 20, rl.DARKGRAY)
  rl.EndDrawing()
end
rl.CloseWindow()
