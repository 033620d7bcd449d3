-- camera3d: a 3D scene seen through a Camera3D that orbits its target.
-- UpdateCamera(camera, CAMERA_ORBITAL) changes the camera in place each frame; the scene
-- uses DrawGrid, DrawCube / DrawCubeWires, DrawSphere / DrawSphereWires, and DrawFPS.
-- Keys: mouse wheel zooms (raylib's orbital mode), SPACE pauses the orbit,
-- R resets the camera. ESC closes the window.

local screenWidth, screenHeight = 800, 450

rl.InitWindow(screenWidth, screenHeight, "lunaray - 3d camera orbit")
rl.SetTargetFPS(60)

local function newCamera()
  return rl.new("Camera3D", {
    position = rl.Vector3(10.0, 10.0, 10.0), -- camera position
    target = { 0.0, 0.0, 0.0 },                -- camera looking at point
    up = { 0.0, 1.0, 0.0 },                    -- camera up vector (rotation towards target)
    fovy = 45.0,                               -- field-of-view Y
    projection = rl.CAMERA_PERSPECTIVE,
  })
end

local camera = newCamera()
local paused = false

-- A ring of colored cubes around the origin
local ring = {}
local ringColors = { rl.RED, rl.ORANGE, rl.GOLD, rl.LIME, rl.SKYBLUE, rl.BLUE, rl.VIOLET, rl.PINK }
for i = 1, #ringColors do
  local a = (i - 1) / #ringColors * 2 * math.pi
  ring[i] = { pos = rl.Vector3(math.cos(a) * 6, 0.5, math.sin(a) * 6), color = ringColors[i] }
end

while not rl.WindowShouldClose() do
  -- Update
  if rl.IsKeyPressed(rl.KEY_SPACE) then paused = not paused end
  if rl.IsKeyPressed(rl.KEY_R) then camera = newCamera() end
  if not paused then rl.UpdateCamera(camera, rl.CAMERA_ORBITAL) end

  local t = rl.GetTime()
  local bob = 2.0 + math.sin(t * 2) * 0.5

  -- Draw
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)

  rl.BeginMode3D(camera)
    rl.DrawGrid(20, 1.0)

    rl.DrawCube({ 0, 1, 0 }, 2.0, 2.0, 2.0, rl.MAROON)
    rl.DrawCubeWires({ 0, 1, 0 }, 2.0, 2.0, 2.0, rl.DARKGRAY)

    rl.DrawSphere(rl.Vector3(0, 2.0 + bob, 0), 0.8, rl.GOLD)
    rl.DrawSphereWires(rl.Vector3(0, 2.0 + bob, 0), 0.82, 8, 12, rl.ORANGE)

    for i = 1, #ring do
      rl.DrawCube(ring[i].pos, 1.0, 1.0, 1.0, ring[i].color)
      rl.DrawCubeWires(ring[i].pos, 1.0, 1.0, 1.0, rl.DARKGRAY)
    end
  rl.EndMode3D()

  rl.DrawRectangle(10, 40, 260, 76, rl.Fade(rl.SKYBLUE, 0.5))
  rl.DrawRectangleLines(10, 40, 260, 76, rl.BLUE)
  rl.DrawText("Orbital camera:", 20, 48, 10, rl.BLACK)
  rl.DrawText(string.format("position (%.1f, %.1f, %.1f)",
    camera.position.x, camera.position.y, camera.position.z), 40, 66, 10, rl.DARKGRAY)
  rl.DrawText("- mouse wheel to zoom", 40, 82, 10, rl.DARKGRAY)
  rl.DrawText(paused and "- SPACE resumes, R resets" or "- SPACE pauses, R resets", 40, 98, 10, rl.DARKGRAY)

  rl.DrawFPS(10, 10)

  rl.EndDrawing()
end

rl.CloseWindow()
