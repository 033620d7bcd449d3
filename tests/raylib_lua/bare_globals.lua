-- raylib-lua style: raylib's names as globals, the script owns its loop.
setmetatable(_G, { __index = rl })

InitWindow(160, 120, "bare globals")
SetTargetFPS(60)
local frames = 0
while not WindowShouldClose() do
  frames = frames + 1
  BeginDrawing()
  ClearBackground(RAYWHITE)
  DrawRectangle(10, 10, 40, 30, RED)
  DrawCircle(120, 80, 15, BLUE)
  EndDrawing()
end
CloseWindow()
print("frames", frames)
