-- text: drawing and measuring text with the default font.
-- DrawText, MeasureText to center a line, DrawTextEx with GetFontDefault() (size/spacing),
-- a typewriter effect with TextSubtext, TextToUpper, and a text box with a blinking cursor.
-- Keys: type letters to edit the box, BACKSPACE deletes, ENTER restarts the typewriter,
-- ESC closes the window.

local screenWidth, screenHeight = 800, 450
local MAX_INPUT = 24

rl.InitWindow(screenWidth, screenHeight, "lunaray - text")
rl.SetTargetFPS(60)

local font = rl.GetFontDefault()
local message = "This sample illustrates a text writing animation effect! Check it out! ;)"
local title = "Text in lunaray"
local typed = "hello raylib"
local framesCounter = 0

while not rl.WindowShouldClose() do
  -- Update
  framesCounter = framesCounter + 1
  if rl.IsKeyPressed(rl.KEY_ENTER) then framesCounter = 0 end

  -- Characters typed this frame (queued; 0 when the queue is empty)
  local ch = rl.GetCharPressed()
  while ch > 0 do
    if ch >= 32 and ch <= 125 and #typed < MAX_INPUT then
      typed = typed .. string.char(ch)
    end
    ch = rl.GetCharPressed()
  end
  if rl.IsKeyPressed(rl.KEY_BACKSPACE) or rl.IsKeyPressedRepeat(rl.KEY_BACKSPACE) then
    typed = string.sub(typed, 1, #typed - 1)
  end

  -- Draw
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)

  -- Centered title: MeasureText gives the width in pixels for the default font
  local titleSize = 40
  local titleWidth = rl.MeasureText(title, titleSize)
  rl.DrawText(title, math.floor((screenWidth - titleWidth) / 2), 30, titleSize, rl.MAROON)
  rl.DrawLine(math.floor((screenWidth - titleWidth) / 2), 75,
              math.floor((screenWidth + titleWidth) / 2), 75, rl.MAROON)

  -- DrawTextEx: the Font struct, a float size and extra spacing between letters
  rl.DrawTextEx(font, "DrawTextEx, size 20, spacing 6", rl.Vector2(40, 100), 20, 6, rl.DARKBLUE)
  local size = rl.MeasureTextEx(font, "measured box", 30, 3)
  rl.DrawRectangle(40, 140, math.floor(size.x), math.floor(size.y), rl.Fade(rl.SKYBLUE, 0.5))
  rl.DrawTextEx(font, "measured box", { 40, 140 }, 30, 3, rl.DARKBLUE)

  -- Typewriter: show the first N characters, N growing with time
  local shown = math.floor(framesCounter / 3)
  rl.DrawText(rl.TextSubtext(message, 0, shown), 40, 200, 20, rl.DARKGRAY)
  rl.DrawText("ENTER restarts the typewriter", 40, 225, 10, rl.GRAY)

  -- Text box with a blinking cursor
  local box = rl.new("Rectangle", 40, 270, 420, 50)
  rl.DrawRectangleRec(box, rl.LIGHTGRAY)
  rl.DrawRectangleLines(math.floor(box.x), math.floor(box.y), math.floor(box.width),
                        math.floor(box.height), rl.RED)
  rl.DrawText(typed, math.floor(box.x) + 10, math.floor(box.y) + 12, 30, rl.MAROON)
  if #typed < MAX_INPUT and math.floor(framesCounter / 20) % 2 == 0 then
    rl.DrawText("_", math.floor(box.x) + 14 + rl.MeasureText(typed, 30),
                math.floor(box.y) + 14, 30, rl.MAROON)
  end
  rl.DrawText(string.format("%d/%d characters (type, BACKSPACE)", #typed, MAX_INPUT),
              40, 330, 10, rl.GRAY)

  -- Upper case copy of the box's contents (raylib returns it from a static buffer; lunaray
  -- copies it into a Lua string)
  rl.DrawText("TextToUpper: " .. rl.TextToUpper(typed), 40, 370, 20, rl.DARKGREEN)

  rl.EndDrawing()
end

rl.CloseWindow()
