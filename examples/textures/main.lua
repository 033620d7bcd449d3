-- textures: loading and drawing textures.
-- Shows LoadTexture from a PNG, DrawTexture / DrawTextureEx (rotation + scale) /
-- DrawTexturePro (source and dest rectangles, origin), and an Image generated on the CPU
-- (GenImageChecked), edited in place (ImageDrawCircle, ImageResize take the Image by
-- reference) and uploaded with LoadTextureFromImage.
-- Keys: SPACE pauses the rotation; ESC closes the window.

local screenWidth, screenHeight = 800, 450

rl.InitWindow(screenWidth, screenHeight, "lunaray - textures")
rl.SetTargetFPS(60)

-- NOTE: textures must be loaded after InitWindow (they need the OpenGL context).
-- The path is relative to this example's folder.
local wabbit = rl.LoadTexture("../../assets/wabbit_alpha.png")

-- A CPU-side image: a checkerboard, drawn on, then resized. C changes `img` in place.
local img = rl.GenImageChecked(64, 64, 8, 8, rl.SKYBLUE, rl.DARKBLUE)
rl.ImageDrawCircle(img, 32, 32, 20, rl.GOLD)
rl.ImageDrawCircle(img, 32, 32, 10, rl.ORANGE)
rl.ImageResize(img, 160, 160)
local checked = rl.LoadTextureFromImage(img)
rl.UnloadImage(img) -- the pixels now live on the GPU

local rotation = 0.0
local paused = false

while not rl.WindowShouldClose() do
  -- Update
  if rl.IsKeyPressed(rl.KEY_SPACE) then paused = not paused end
  if not paused then rotation = rotation + 1.5 end

  -- Draw
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)

  -- Plain: top-left corner at an integer position, no tint (WHITE)
  rl.DrawTexture(wabbit, 40, 60, rl.WHITE)
  rl.DrawText("DrawTexture", 20, 100, 10, rl.GRAY)

  -- Ex: position, rotation (degrees, around the top-left corner) and uniform scale
  rl.DrawTextureEx(wabbit, rl.Vector2(270, 130), rotation, 3.0, rl.WHITE)
  rl.DrawCircle(270, 130, 3, rl.RED)
  rl.DrawText("DrawTextureEx (x3, rotating around its corner)", 200, 290, 10, rl.GRAY)

  -- Pro: a source rectangle (the whole texture; a negative width flips it) drawn into a
  -- destination rectangle, rotating around its centre
  local source = rl.new("Rectangle", 0, 0, -wabbit.width, wabbit.height)
  local dest = rl.new("Rectangle", 560, 130, wabbit.width * 4, wabbit.height * 4)
  local origin = rl.Vector2(dest.width / 2, dest.height / 2)
  rl.DrawTexturePro(wabbit, source, dest, origin, -rotation, rl.PINK)
  rl.DrawLine(math.floor(dest.x), 40, math.floor(dest.x), 220, rl.LIGHTGRAY)
  rl.DrawLine(480, math.floor(dest.y), 640, math.floor(dest.y), rl.LIGHTGRAY)
  rl.DrawText("DrawTexturePro (flipped, tinted)", 480, 240, 10, rl.GRAY)

  -- The generated texture, with a row of tinted bunnies over it
  rl.DrawTexture(checked, 40, 260, rl.WHITE)
  rl.DrawText(string.format("GenImageChecked -> %dx%d texture", checked.width, checked.height),
    40, 425, 10, rl.GRAY)
  local tints = { rl.RED, rl.ORANGE, rl.GOLD, rl.LIME, rl.SKYBLUE, rl.VIOLET }
  for i = 1, #tints do
    rl.DrawTexture(wabbit, 240 + (i - 1) * 48, 330, tints[i])
  end

  rl.DrawText(paused and "paused (SPACE)" or "SPACE to pause", 640, 420, 10, rl.DARKGRAY)

  rl.EndDrawing()
end

rl.UnloadTexture(checked)
rl.UnloadTexture(wabbit)
rl.CloseWindow()
