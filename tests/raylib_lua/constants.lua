-- Colour constants cannot be changed through a local that holds them.
local c = rl.RED
local ok = pcall(function() c.a = 100 end)
print("constant", ok, rl.RED.a)
local faded = rl.new("Color", rl.RED)
faded.a = 100
print("copy", faded.a, rl.RED.a)
rl.InitWindow(160, 120, "constants")
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.DrawRectangle(0, 0, 80, 120, rl.RED)
  rl.EndDrawing()
end
rl.CloseWindow()
