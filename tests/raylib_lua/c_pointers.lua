-- C idioms: one-element buffers and rl.ref for pointer parameters, raygui state by pointer,
-- trailing out-parameters filled as in C.
rl.InitWindow(160, 120, "pointers")
local checked = rl.new("bool[1]", true)
local value = rl.ref("float", 25)
local point = rl.new("Vector2")
local hit = rl.CheckCollisionLines({ 0, 0 }, { 100, 100 }, { 0, 100 }, { 100, 0 }, point)
print("lines", hit, point.x, point.y)
rl.SaveFileText("c_pointers.txt", "abc")
local size = rl.new("int[1]")
local data = rl.LoadFileData("c_pointers.txt", size)
print("size", size[0])
rl.UnloadFileData(data)
-- A text raylib returned goes where C takes a const char *, until it is freed.
local text = rl.LoadFileText("c_pointers.txt")
print("text", rl.TextLength(text), rl.TextToUpper(text))
rl.UnloadFileText(text)
print("freed", pcall(rl.TextLength, text))
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.GuiCheckBox({ 10, 10, 30, 30 }, nil, checked)
  rl.GuiSliderBar({ 10, 60, 140, 20 }, nil, nil, value, 0, 100)
  rl.EndDrawing()
end
print("state", checked[0], value[0])
rl.CloseWindow()
