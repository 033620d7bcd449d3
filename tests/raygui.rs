//! raygui through the registry, driven headless: the mouse and keys are played in as raylib
//! automation events, and the controls' results, their in/out values (plain values, typed
//! buffers, `rl.ref` views, edited texts) and their pixels are checked.

mod common;

use common::{Game, Pixels, EVENT_PLAYER, RAYWHITE};

/// raygui's default style colours (GuiLoadStyleDefault), as RGBA8.
const BORDER_NORMAL: [u8; 4] = [0x83, 0x83, 0x83, 0xff];
const BASE_NORMAL: [u8; 4] = [0xc9, 0xc9, 0xc9, 0xff];
const TEXT_NORMAL: [u8; 4] = [0x68, 0x68, 0x68, 0xff];

#[test]
fn buttons_check_boxes_and_sliders_answer_the_mouse() {
    // 7 INPUT_MOUSE_POSITION, 6 INPUT_MOUSE_BUTTON_DOWN, 5 INPUT_MOUSE_BUTTON_UP.
    let game = Game::new(&format!(
        r#"
EVENTS = {{
  [1] = {{{{7, 30, 30}}}}, [2] = {{{{6, 0}}}}, [3] = {{{{5, 0}}}},
  [4] = {{{{7, 210, 30}}}}, [5] = {{{{6, 0}}}}, [6] = {{{{5, 0}}}},
  [7] = {{{{7, 160, 110}}}}, [8] = {{{{6, 0}}}}, [9] = {{{{5, 0}}}},
  [10] = {{{{7, 300, 190}}}},
}}
{EVENT_PLAYER}
local clicks, checked, value, frames = 0, false, 10, 0
function lunaray.conf(t) t.width, t.height = 320, 200 end
function lunaray.draw()
  frames = frames + 1
  rl.ClearBackground(rl.RAYWHITE)
  if rl.GuiButton({{10, 10, 100, 40}}, "Press") ~= 0 then clicks = clicks + 1 end
  local pressed
  pressed, checked = rl.GuiCheckBox({{200, 20, 20, 20}}, "on", checked)
  pressed, value = rl.GuiSliderBar({{10, 100, 200, 20}}, nil, nil, value, 0, 100)
end
function lunaray.quit()
  print(clicks, checked, value > 70 and value < 80, frames)
end
"#
    ));
    let shot = game.path("shot.png");
    let out = game.run_ok(&["--frames", "12", "--screenshot", shot.to_str().unwrap()]);
    assert_eq!(common::script_lines(&out), ["1\ttrue\ttrue\t12"]);
    let px = Pixels::load(&shot);
    // The button in its normal state: border, then base colour away from its label.
    assert_eq!(px.at(10, 30), BORDER_NORMAL, "button border");
    assert_eq!(px.at(15, 15), BASE_NORMAL, "button base");
    // The check box is checked: its inside is filled with the text colour.
    assert_eq!(px.at(210, 30), TEXT_NORMAL, "check mark");
    // The slider bar is filled up to ~75%, and not beyond.
    let (filled, also_filled, empty) = (px.at(40, 110), px.at(130, 110), px.at(195, 110));
    assert_eq!(filled, also_filled, "the bar's filled part is one colour");
    assert_ne!(filled, empty, "the bar is not filled past its value");
    assert_ne!(filled, RAYWHITE);
    assert_eq!(
        px.at(300, 150),
        RAYWHITE,
        "nothing drawn outside the controls"
    );
}

#[test]
fn text_boxes_edit_strings_and_char_buffers() {
    // 2 INPUT_KEY_DOWN, 1 INPUT_KEY_UP: End (the cursor to the text's end), then two
    // backspaces into the box in edit mode.
    let game = Game::new(&format!(
        r#"
EVENTS = {{
  [1] = {{{{2, rl.KEY_END}}}}, [2] = {{{{1, rl.KEY_END}}}},
  [3] = {{{{2, rl.KEY_BACKSPACE}}}}, [4] = {{{{1, rl.KEY_BACKSPACE}}}},
  [5] = {{{{2, rl.KEY_BACKSPACE}}}}, [6] = {{{{1, rl.KEY_BACKSPACE}}}},
}}
{EVENT_PLAYER}
local text = "hello"
local buf = rl.new("char[?]", 8)
for i, c in ipairs({{("world"):byte(1, -1)}}) do buf[i - 1] = c end
local from_buffer
function lunaray.draw()
  rl.ClearBackground(rl.RAYWHITE)
  local r
  r, text = rl.GuiTextBox({{10, 10, 200, 30}}, text, 64, true)
  r, from_buffer = rl.GuiTextBox({{10, 50, 200, 30}}, buf, 8, false)
end
function lunaray.quit()
  print(text, from_buffer, #buf, buf[5])
  -- A string longer than its size is cut to size - 1 bytes, with the NUL.
  local _, cut = rl.GuiTextBox({{0, 0, 10, 10}}, "abcdef", 4, false)
  print(cut)
end
"#
    ));
    let out = game.run_ok(&["--frames", "10"]);
    assert_eq!(
        common::script_lines(&out),
        ["hel\tworld\t8\t0", "abc"],
        "two backspaces edited the string; the buffer came back as text"
    );
}

#[test]
fn in_out_values_take_plain_values_buffers_and_refs() {
    let game = Game::new(
        r#"
rl.InitWindow(200, 200, "in/out")
rl.BeginDrawing()
-- A plain value in, the new one out after the result.
local r, active = rl.GuiToggleGroup({0, 0, 40, 20}, "a;b;c", 2)
print("group", r, active)
-- A one-element buffer: C writes into it.
local v = rl.new("int[1]", {7})
print("spinner", rl.GuiSpinner({0, 30, 100, 20}, nil, v, 0, 5, false), v[0])
local f = rl.ref("float", 150)
local _, clamped = rl.GuiSliderBar({0, 60, 100, 20}, nil, nil, f, 0, 100)
print("slider", string.format("%g %g", clamped, f[0]))
-- A struct through rl.ref, changed in place: raygui clamps the scroll to its limits (here
-- (1, 0): the border width across, none down).
local scroll = rl.new("Vector2", 500, 500)
local _, s2, view = rl.GuiScrollPanel({0, 0, 100, 100}, nil, {0, 0, 150, 150}, rl.ref(scroll), nil)
print("scroll", scroll.x == s2.x and scroll.y == s2.y, string.format("%g %g", scroll.x, scroll.y), view.width > 0)
-- A constant is read, never written: the new colour comes back instead.
local _, picked = rl.GuiColorPicker({0, 0, 100, 100}, nil, rl.RED)
print("constant", rl.RED.r, rl.RED.g, rl.RED.b, picked.a)
rl.EndDrawing()
-- raylib's own trailing out-parameters take a buffer or value to fill, as in C.
local point = rl.new("Vector2")
local hit, p = rl.CheckCollisionLines({0, 0}, {10, 10}, {0, 10}, {10, 0}, point)
print("lines", hit, string.format("%g %g %g", point.x, point.y, p.x))
rl.SaveFileText("data.txt", "12345")
local size = rl.new("int[1]")
local data, n = rl.LoadFileData("data.txt", size)
print("size", size[0], n)
rl.UnloadFileData(data)
"#,
    );
    let out = game.run_ok(&[]);
    assert_eq!(
        common::script_lines(&out),
        [
            "group\t0\t2",
            "spinner\t0\t5",
            "slider\t100 100",
            "scroll\ttrue\t1 0\ttrue",
            "constant\t230\t41\t55\t255",
            "lines\ttrue\t5 5 5",
            "size\t5\t5",
        ]
    );
}

#[test]
fn raygui_errors_read_like_lua() {
    let game = Game::new(
        r#"
rl.InitWindow(100, 100, "errors")
local function try(line, f)
  local ok, e = pcall(f)
  print(line, e)
end
try(1, function() rl.GuiSetStyle(100000, 0, 1) end)
try(2, function() rl.GuiCheckBox({0, 0, 10, 10}, "x", "yes") end)
try(3, function() rl.GuiTextBox({0, 0, 10, 10}, rl.new("char[4]", {65, 66, 67, 68}), 4, false) end)
try(4, function() rl.GuiTextBox({0, 0, 10, 10}, rl.new("char[4]"), 8, false) end)
try(5, function() rl.GuiDrawIcon(999, 0, 0, 1, rl.RED) end)
try(6, function() local c = rl.RED; c.a = 100 end)
try(7, function() rl.CheckCollisionLines({0, 0}, {1, 1}, {0, 1}, {1, 0}, 5) end)
print(rl.RED.a)
"#,
    );
    let out = game.run_ok(&[]);
    let lines = common::script_lines(&out);
    let expected = [
        "1\tmain.lua:7: bad argument #1 to 'GuiSetStyle' (control must be from 0 to 15: raygui indexes its style table (16 controls of 24 properties) with them unchecked)",
        "2\tmain.lua:8: bad argument #3 to 'GuiCheckBox' (boolean expected, got string)",
        "3\tmain.lua:9: bad argument #2 to 'GuiTextBox' (the text buffer has no NUL in its first 4 bytes: C would read past them)",
        "4\tmain.lua:10: bad argument #3 to 'GuiTextBox' (a text size of 8 bytes, but the buffer holds 4)",
        "5\tmain.lua:11: bad argument #1 to 'GuiDrawIcon' (iconId must be from 0 to 255: raygui reads its icon array (RAYGUI_ICON_MAX_ICONS) with it unchecked)",
        "6\tmain.lua:12: Color constant cannot be changed: change a copy (rl.new(\"Color\", value))",
        "7\tmain.lua:13: bad argument #5 to 'CheckCollisionLines' (Vector2 or Vector2[1] buffer or nil expected, got number)",
        "255",
    ];
    assert_eq!(lines, expected);
}

#[test]
fn icons_in_texts_and_hostile_styles_stay_in_bounds() {
    // Icon ids in any text ("#999#") and style files that claim more than they hold are
    // refused inside raygui (build.rs RAYGUI_PATCHES): nothing is read out of bounds.
    let game = Game::new(
        r##"
rl.InitWindow(100, 100, "icons")
rl.BeginDrawing()
print(rl.GuiLabel({0, 0, 100, 20}, "#999#far"), rl.GuiButton({0, 0, 50, 20}, "#12#ok"))
rl.EndDrawing()
-- Little-endian 4-byte integers (no string.pack on LuaJIT).
local function i32(...)
  local out = {}
  for _, n in ipairs({...}) do
    out[#out + 1] = string.char(n % 256, math.floor(n / 256) % 256,
      math.floor(n / 65536) % 256, math.floor(n / 16777216) % 256)
  end
  return table.concat(out)
end
-- A binary style whose header claims 2^30 properties, then one whose font claims a huge atlas.
rl.GuiLoadStyleFromMemory("rGS " .. string.char(0, 4, 0, 0) .. i32(2 ^ 30) .. string.rep("\0", 8), 20)
local font = "rGS " .. string.char(0, 4, 0, 0) .. i32(0, 64, 10, 95, 0) .. string.rep("\0", 16)
  .. i32(2 ^ 30, 0, 16384, 16384, 7)
rl.GuiLoadStyleFromMemory(font, #font)
-- An icon set of the wrong size and a text style with a huge font size keep raygui's own.
rl.GuiLoadIconsFromMemory("rGI " .. string.char(0, 1, 0, 0, 44, 1, 64, 0), 12, false)
rl.SaveFileText("big.rgs", "#\nf 100000 0 nothere.ttf\np 00 00 0x11223344 TEXT\n")
rl.GuiLoadStyle("big.rgs")
print(string.format("%x", rl.GuiGetStyle(0, 0)), rl.GuiGetStyle(0, 16))
"##,
    );
    let out = game.run_ok(&[]);
    assert_eq!(common::script_lines(&out), ["0\t0", "11223344\t10"]);
}

/// raygui keeps the tooltip's pointer and draws it under every hovered control until the
/// next GuiSetTooltip: the string passed stays alive that long, whatever the collector does
/// (a freed one was read by the fuzzer's GuiMessageBox under valgrind).
#[test]
fn a_tooltip_outlives_its_string_until_the_next_one() {
    let game = Game::new(&format!(
        r#"
EVENTS = {{ [1] = {{{{7, 30, 20}}}} }}
{EVENT_PLAYER}
function lunaray.conf(t) t.width, t.height = 200, 120 end
local frames = 0
function lunaray.draw()
  frames = frames + 1
  rl.ClearBackground(rl.RAYWHITE)
  rl.GuiEnableTooltip()
  if frames == 2 then
    -- A string made here and referenced nowhere else once the call returns.
    rl.GuiSetTooltip(string.rep("W", 12) .. frames)
  end
  for _ = 1, 3 do collectgarbage() end
  rl.GuiButton({{10, 10, 60, 20}}, "Hover")
end
"#
    ));
    let shot = game.path("shot.png");
    game.run_ok(&["--frames", "6", "--screenshot", shot.to_str().unwrap()]);
    let px = Pixels::load(&shot);
    // The tooltip is a label box below the hovered button, its text drawn in it.
    let below: Vec<[u8; 4]> = (12..120).map(|x| px.at(x, 42)).collect();
    assert!(
        below.iter().any(|&c| c != RAYWHITE),
        "no tooltip drawn below the button"
    );
}
