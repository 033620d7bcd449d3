-- raylib-lua's easing functions: (t, b, c, d).
local d = 60
print("ease", rl.EaseLinearNone(30, 0, 100, d), rl.EaseQuadIn(30, 0, 100, d),
  rl.EaseBounceOut(d, 0, 100, d), rl.EaseElasticOut(0, 10, 100, d))
rl.InitWindow(160, 120, "easings")
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  -- A bar as long as the eased value at the end of the time: the full 150 pixels.
  rl.DrawRectangle(0, 50, math.floor(rl.EaseCubicInOut(d, 0, 150, d)), 20, rl.MAROON)
  rl.EndDrawing()
end
rl.CloseWindow()
