-- A typed Color buffer filled pixel by pixel, 0-based as in C, uploaded with UpdateTexture.
local W, H = 32, 32
rl.InitWindow(160, 120, "pixel buffer")
local img = rl.GenImageColor(W, H, rl.BLANK)
local tex = rl.LoadTextureFromImage(img)
rl.UnloadImage(img)
local px = rl.new("Color[?]", W * H)
for y = 0, H - 1 do
  for x = 0, W - 1 do
    px[y * W + x] = (x < W / 2) and rl.RED or rl.BLUE
  end
end
rl.UpdateTexture(tex, px)
print("buffer", #px, px[0].r, px[W - 1].b)
local ok, err = pcall(function() return px[W * H] end)
print("bounds", ok, (err:gsub("^.-: ", "")))
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.DrawTexture(tex, 10, 10, rl.WHITE)
  rl.EndDrawing()
end
rl.UnloadTexture(tex)
rl.CloseWindow()
