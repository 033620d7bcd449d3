-- Struct values as raylib-lua scripts make them: positional, named, nested views, copies, and
-- an initialiser with a field an older raylib had (Camera3D.type), which is ignored.
local camera = rl.new("Camera3D", {
  position = rl.new("Vector3", 4, 4, 4),
  target = { 0, 0, 0 },
  up = { x = 0, y = 1, z = 0 },
  fovy = 45,
  type = rl.CAMERA_PERSPECTIVE,
})
camera.projection = rl.CAMERA_PERSPECTIVE
local copy = rl.new("Camera3D", camera)
copy.position.y = 40
print("copy", camera.position.y, copy.position.y)

rl.InitWindow(160, 120, "structs")
local frames = 0
while not rl.WindowShouldClose() do
  frames = frames + 1
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.BeginMode3D(camera)
  rl.DrawCube({ 0, 0, 0 }, 2, 2, 2, rl.RED)
  rl.EndMode3D()
  rl.EndDrawing()
end
rl.CloseWindow()
