-- gui: raygui controls driving a small scene, in callbacks.
--
-- Run it:    lunaray run examples/gui
--   (from a checkout: cargo run --release -- run examples/gui)
--
-- raygui's controls are bound like raylib's functions (rl.GuiButton, rl.GuiSliderBar...).
-- A control's state goes in as a plain value and comes back after its result:
--   local changed, checked = rl.GuiCheckBox(bounds, "label", checked)
-- as in C (`GuiCheckBox(bounds, "label", &checked)`), where raygui writes the new state
-- through the pointer. A typed buffer works too, C-style: `local v = rl.new("float[1]", 5)`
-- then `rl.GuiSlider(bounds, nil, nil, v, 0, 10)` changes v[0]. Text boxes take the text and
-- its byte size and give the edited text back. Most controls return an int, not a boolean:
-- `if rl.GuiButton(...) ~= 0 then`.
-- Keys: ESC quits. Everything else is the mouse.

local ui = {
  speed = 120,        -- GuiSliderBar: a float in, the new float out
  size = 24,          -- GuiSpinner: an int
  trail = true,       -- GuiCheckBox: a bool
  shape = 0,          -- GuiToggleGroup: the active index
  color = rl.new("Color", rl.MAROON), -- GuiColorPicker: a struct, changed in place
  name = "ball",      -- GuiTextBox: a string and its byte size
  editing = false,
  paused = false,
}
local ball = { x = 480, y = 200, dx = 1, dy = 0.7 }
local trail = {}

local PANEL = { 10, 10, 250, 430 }
local ARENA = { 270, 10, 520, 430 }

local function move(dt)
  local r = ui.size / 2
  ball.x = ball.x + ball.dx * ui.speed * dt
  ball.y = ball.y + ball.dy * ui.speed * dt
  if ball.x < ARENA[1] + r or ball.x > ARENA[1] + ARENA[3] - r then ball.dx = -ball.dx end
  if ball.y < ARENA[2] + r or ball.y > ARENA[2] + ARENA[4] - r then ball.dy = -ball.dy end
  ball.x = math.max(ARENA[1] + r, math.min(ARENA[1] + ARENA[3] - r, ball.x))
  ball.y = math.max(ARENA[2] + r, math.min(ARENA[2] + ARENA[4] - r, ball.y))
  trail[#trail + 1] = { ball.x, ball.y }
  if #trail > 40 then table.remove(trail, 1) end
end

function lunaray.update(dt)
  if not ui.paused then move(dt) end
end

local function draw_ball(x, y, color)
  if ui.shape == 0 then
    rl.DrawCircleV({ x, y }, ui.size / 2, color)
  elseif ui.shape == 1 then
    rl.DrawRectangleV({ x - ui.size / 2, y - ui.size / 2 }, { ui.size, ui.size }, color)
  else
    local r = ui.size / 2
    rl.DrawTriangle({ x, y - r }, { x - r, y + r }, { x + r, y + r }, color)
  end
end

function lunaray.draw()
  rl.DrawRectangleLinesEx(ARENA, 1, rl.LIGHTGRAY)
  if ui.trail then
    for i, p in ipairs(trail) do
      draw_ball(p[1], p[2], rl.Fade(ui.color, i / #trail * 0.3))
    end
  end
  draw_ball(ball.x, ball.y, ui.color)
  rl.DrawText(ui.name, math.floor(ball.x - rl.MeasureText(ui.name, 10) / 2),
    math.floor(ball.y + ui.size / 2 + 4), 10, rl.DARKGRAY)

  -- The panel: each control returns its result first, then the new state.
  local _
  rl.GuiGroupBox(PANEL, "Ball")
  _, ui.speed = rl.GuiSliderBar({ 70, 30, 150, 20 }, "Speed", string.format("%d", math.floor(ui.speed)),
    ui.speed, 0, 400)
  _, ui.size = rl.GuiSpinner({ 70, 60, 150, 20 }, "Size ", ui.size, 4, 80, false)
  _, ui.trail = rl.GuiCheckBox({ 20, 92, 16, 16 }, "Trail", ui.trail)
  _, ui.shape = rl.GuiToggleGroup({ 20, 120, 70, 24 }, "Circle;Square;Triangle", ui.shape)
  rl.GuiColorPicker({ 20, 155, 196, 110 }, nil, ui.color)
  -- A text box edits while in edit mode; a click on it toggles the mode.
  local clicked
  clicked, ui.name = rl.GuiTextBox({ 20, 280, 220, 28 }, ui.name, 32, ui.editing)
  if clicked ~= 0 then ui.editing = not ui.editing end
  if rl.GuiButton({ 20, 320, 105, 30 }, ui.paused and "#131#Resume" or "#132#Pause") ~= 0 then
    ui.paused = not ui.paused
  end
  if rl.GuiButton({ 135, 320, 105, 30 }, "#211#Reset") ~= 0 then
    ball.x, ball.y, trail = 480, 200, {}
    ui.speed, ui.size = 120, 24
  end
  rl.GuiStatusBar({ 10, 405, 250, 35 }, string.format("at %d, %d", math.floor(ball.x), math.floor(ball.y)))
end
