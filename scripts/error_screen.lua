-- lunaray's error screen: when a game stops on an error, the message and its traceback stay on
-- screen (as in LÖVE) instead of the window vanishing or freezing. stderr gets the same text and
-- the process still exits with status 1.
--
-- Loaded at boot, before the game runs, so it keeps raylib's functions as bound even if the game
-- replaces or removes `rl.*` later. Returns `show(message, forever)`: restores raylib's drawing
-- state (an error can stop a game inside BeginMode3D, BeginTextureMode, BeginScissorMode...),
-- opens a window if there is none (a syntax error, an error before InitWindow), then draws the
-- message until the window is closed (`forever`) or for one frame (--frames, --screenshot).
local private = ...
-- lunaray's rl whatever the mode (boot.lua's view).
local rl = private.rl or rl

local NAMES = {
  "IsWindowReady", "BeginDrawing", "EndDrawing", "WindowShouldClose", "ClearBackground",
  "DrawText", "MeasureText", "GetScreenWidth", "GetScreenHeight", "SetTargetFPS", "SetExitKey",
  "IsKeyDown", "IsKeyPressed", "IsKeyPressedRepeat", "GetMouseWheelMove", "SetClipboardText",
  "Color", "EndShaderMode", "EndBlendMode", "EndScissorMode", "EndTextureMode",
  "rlDrawRenderBatchActive", "rlPopMatrix", "rlMatrixMode", "rlDisableDepthTest",
  "rlEnableColorBlend", "rlDisableWireMode", "EnableCursor", "ShowCursor",
}
local KEYS = {
  "KEY_LEFT_CONTROL", "KEY_RIGHT_CONTROL", "KEY_C", "KEY_UP", "KEY_DOWN", "KEY_PAGE_UP",
  "KEY_PAGE_DOWN", "KEY_HOME", "KEY_END", "KEY_ESCAPE",
}
local raw, key = {}, {}
for _, name in ipairs(NAMES) do raw[name] = rl[name] end
for _, name in ipairs(KEYS) do key[name] = rl[name] end
local RL_MODELVIEW, RL_PROJECTION = rl.RL_MODELVIEW, rl.RL_PROJECTION
local RL_MAX_MATRIX_STACK_SIZE = 32

local BACKGROUND = raw.Color(30, 34, 42, 255)
local TITLE = raw.Color(255, 120, 120, 255)
local TEXT = raw.Color(245, 245, 245, 255)
local HINT = raw.Color(130, 130, 130, 255)
local SIZE, LINE, MARGIN = 16, 20, 30

-- Ends whatever the game left open, so the screen draws 2D text onto the window.
local function restore_drawing_state()
  raw.rlDrawRenderBatchActive()
  -- Pop what the game pushed (rlgl leaves vertices transformed by a pushed matrix until the
  -- stack is empty); popping an empty stack does nothing (build.rs fixes the software
  -- renderer's check).
  raw.rlMatrixMode(RL_PROJECTION)
  for _ = 1, RL_MAX_MATRIX_STACK_SIZE do raw.rlPopMatrix() end
  raw.rlMatrixMode(RL_MODELVIEW)
  for _ = 1, RL_MAX_MATRIX_STACK_SIZE do raw.rlPopMatrix() end
  raw.EndShaderMode()
  raw.EndBlendMode()
  raw.EndScissorMode()
  raw.rlDisableWireMode()
  raw.rlDisableDepthTest()
  raw.rlEnableColorBlend()
  -- Back to the window's framebuffer, with its viewport and a 2D projection.
  raw.EndTextureMode()
  raw.EnableCursor()
  raw.ShowCursor()
end

-- Splits the message into lines that fit `width` pixels, breaking at spaces where it can and
-- inside a word only when the word alone is too wide.
local function wrap(message, width)
  local out = {}
  for line in (message .. "\n"):gmatch("([^\n]*)\n") do
    line = line:gsub("\t", "    ")
    if raw.MeasureText(line, SIZE) <= width then
      out[#out + 1] = line
    else
      local current = ""
      for word in line:gmatch("%S+%s*") do
        if raw.MeasureText(current .. word, SIZE) <= width then
          current = current .. word
        else
          if current ~= "" then out[#out + 1] = current end
          current = word
          while raw.MeasureText(current, SIZE) > width and #current > 1 do
            local n = #current
            while n > 1 and raw.MeasureText(current:sub(1, n), SIZE) > width do n = n - 1 end
            out[#out + 1] = current:sub(1, n)
            current = current:sub(n + 1)
          end
        end
      end
      if current ~= "" then out[#out + 1] = current end
    end
  end
  return out
end

local function control_down()
  return raw.IsKeyDown(key.KEY_LEFT_CONTROL) or raw.IsKeyDown(key.KEY_RIGHT_CONTROL)
end

local function pressed(k)
  return raw.IsKeyPressed(k) or raw.IsKeyPressedRepeat(k)
end

return function(message, forever)
  if raw.IsWindowReady() then
    restore_drawing_state()
  else
    private.open_window(private.conf)
    if not raw.IsWindowReady() then return end
  end
  raw.SetTargetFPS(30)
  raw.SetExitKey(key.KEY_ESCAPE)
  local scroll, copied = 0, false
  local lines, width
  repeat
    local w, h = raw.GetScreenWidth(), raw.GetScreenHeight()
    if w ~= width then
      width = w
      lines = wrap(message, math.max(w - 2 * MARGIN, 100))
    end
    local with_hint = h >= 200
    local visible = math.max(1, math.floor((h - 70 - (with_hint and 40 or 0)) / LINE))
    local max_scroll = math.max(0, #lines - visible)
    local wheel = raw.GetMouseWheelMove()
    if wheel ~= 0 then scroll = scroll - math.floor(wheel * 3) end
    if pressed(key.KEY_DOWN) then scroll = scroll + 1 end
    if pressed(key.KEY_UP) then scroll = scroll - 1 end
    if pressed(key.KEY_PAGE_DOWN) then scroll = scroll + visible end
    if pressed(key.KEY_PAGE_UP) then scroll = scroll - visible end
    if raw.IsKeyPressed(key.KEY_HOME) then scroll = 0 end
    if raw.IsKeyPressed(key.KEY_END) then scroll = max_scroll end
    scroll = math.max(0, math.min(scroll, max_scroll))
    if control_down() and raw.IsKeyPressed(key.KEY_C) then
      raw.SetClipboardText(message)
      copied = true
    end

    raw.BeginDrawing()
    raw.ClearBackground(BACKGROUND)
    raw.DrawText("Error", MARGIN, 24, 30, TITLE)
    local y = 70
    for i = scroll + 1, math.min(#lines, scroll + visible) do
      raw.DrawText(lines[i], MARGIN, y, SIZE, TEXT)
      y = y + LINE
    end
    local hint = copied and "Copied to the clipboard." or "Ctrl+C copies the message."
    if max_scroll > 0 then hint = hint .. "  Up/Down, wheel: scroll." end
    if with_hint then
      hint = hint .. "  Close the window or press ESC to quit."
      if raw.MeasureText(hint, SIZE) > w - 2 * MARGIN then
        hint = (copied and "Copied." or "Ctrl+C: copy.") .. (max_scroll > 0 and "  Up/Down: scroll." or "")
          .. "  ESC: quit."
      end
      raw.DrawText(hint, MARGIN, h - 30, SIZE, HINT)
    end
    raw.EndDrawing()
  until not forever or raw.WindowShouldClose()
end
