-- Vector and matrix operators mapped to raymath.
local a, b = rl.new("Vector2", 30, 40), rl.new("Vector2", 50, 20)
local mid = (a + b) / 2
local len = #(b - a)
local scaled = a * 2
local neg = -a
print("ops", mid.x, mid.y, string.format("%.4f", len), scaled.x, neg.y, tostring(a))
local m = rl.MatrixTranslate(100, 0, 0) * rl.MatrixScale(2, 2, 2)
local p = m * rl.new("Vector3", 10, 20, 0)
print("matrix", p.x, p.y)
print("unchanged", a.x, a.y, b.x, b.y)

rl.InitWindow(160, 120, "operators")
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.DrawCircleV(mid * 2, 10, rl.DARKGREEN)
  rl.EndDrawing()
end
rl.CloseWindow()
