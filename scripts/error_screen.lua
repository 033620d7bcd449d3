-- lunaray: when a game stops on an error and its window is open, the error and its traceback
-- stay on screen (as in LÖVE) until the window is closed, instead of the window vanishing.
-- The same text is printed on stderr, and the process still exits with status 1.
local message = ...
rl.SetTargetFPS(30)
local lines = {}
for line in (message .. "\n"):gmatch("([^\n]*)\n") do
  lines[#lines + 1] = (line:gsub("\t", "    "))
end
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.Color(30, 34, 42, 255))
  rl.DrawText("Error", 30, 24, 30, rl.Color(255, 120, 120, 255))
  local y = 70
  for i = 1, #lines do
    rl.DrawText(lines[i], 30, y, 16, rl.RAYWHITE)
    y = y + 20
  end
  rl.DrawText("Close the window or press ESC to quit.", 30, rl.GetScreenHeight() - 30, 16, rl.GRAY)
  rl.EndDrawing()
end
rl.CloseWindow()
