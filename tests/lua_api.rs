//! The Lua API on the headless backend: drawing checked by reading pixels back, struct values,
//! pointer parameters, strings, numbers, and the command line's contract.

mod common;

use common::{lunaray, script_lines, Game, Pixels, BLUE, DARKGREEN, RAYWHITE, RED};

#[test]
fn drawing_reaches_the_pixels() {
    let game = Game::new(
        r#"
rl.InitWindow(200, 120, "pixels")
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.DrawRectangle(10, 10, 30, 20, rl.RED)                 -- ints
  rl.DrawCircleV(rl.Vector2(100, 60), 15, rl.BLUE)         -- struct values
  rl.DrawRectangleRec({x = 150, y = 80, width = 20, height = 20}, {0, 117, 44, 255}) -- tables
  rl.DrawTriangleFan({{160, 10}, {160, 40}, {190, 40}, {190, 10}}, nil, rl.RED) -- array
  rl.EndDrawing()
end
rl.CloseWindow()
"#,
    );
    let shot = game.path("shot.png");
    game.run_ok(&["--frames", "2", "--screenshot", shot.to_str().unwrap()]);
    let px = Pixels::load(&shot);
    assert_eq!((px.width, px.height), (200, 120));
    assert_eq!(px.at(0, 0), RAYWHITE);
    assert_eq!(px.at(199, 119), RAYWHITE);
    assert_eq!(px.at(12, 12), RED, "rectangle, top-left of the frame");
    assert_eq!(px.at(38, 28), RED);
    assert_eq!(px.at(41, 31), RAYWHITE, "just outside the rectangle");
    assert_eq!(px.at(100, 60), BLUE, "circle centre");
    assert_eq!(px.at(100, 50), BLUE);
    assert_eq!(px.at(100, 80), RAYWHITE, "outside the circle");
    assert_eq!(px.at(160, 90), DARKGREEN, "rectangle from a named table");
    assert_eq!(px.at(175, 25), RED, "fan from a Lua array of points");
}

#[test]
fn struct_values_behave_like_c_structs() {
    let game = Game::new(
        r#"
local v = rl.new("Vector2", 3, 4)
assert(v.x == 3 and v.y == 4)
local w = rl.new("Vector2", v)         -- copy
w.x = 10
assert(v.x == 3 and w.x == 10, "copies are independent")
local z = rl.new("Image")
assert(z.width == 0 and z.data == nil, "zeroed")
local s = rl.Vector2(5, 6)
assert(s.x == 5 and tostring(s) == "Vector2(x=5, y=6)")
local cam = rl.new("Camera3D", {position = rl.Vector3(0, 10, 10), target = {0, 0, 0},
  up = {x = 0, y = 1, z = 0}, fovy = 45, projection = rl.CAMERA_PERSPECTIVE})
assert(cam.position.y == 10 and cam.up.y == 1 and cam.fovy == 45)
cam.position.y = 5                      -- nested write changes cam
assert(cam.position.y == 5)
local p = cam.position
p.z = 7
assert(cam.position.z == 7, "a nested field is a view into its parent")
cam.target = {1, 2, 3}
assert(cam.target.x == 1 and cam.target.z == 3)
assert(rl.Vector2(1, 2) == rl.new("Vector2", {1, 2}))
assert(rl.Vector2(1, 2) ~= rl.Vector2(2, 1))
local c = rl.Color(1, 2, 3, 4)
c.r = 255.9                              -- truncated like C
assert(c.r == 255)
local r = rl.Vector2Add(v, {x = 1, y = 1})
assert(r.x == 4 and r.y == 5)
local m = rl.MatrixMultiply(rl.MatrixIdentity(), rl.MatrixTranslate(1, 2, 3))
assert(m.m12 == 1 and m.m13 == 2 and m.m14 == 3 and m.m0 == 1)
local t = rl.new("Texture2D")            -- aliases work as names
assert(t.width == 0)
local cam2 = rl.Camera(cam)              -- Camera is Camera3D
assert(cam2.position.z == 7)
print("ok")
"#,
    );
    assert_eq!(script_lines(&game.run_ok(&[])), ["ok"]);
}

#[test]
fn pointer_parameters_have_their_declared_meaning() {
    let game = Game::new(
        r#"
-- T * by reference: C changes the Lua value
local img = rl.GenImageColor(8, 8, rl.RED)
rl.ImageResize(img, 16, 4)
assert(img.width == 16 and img.height == 4)
rl.ImageDrawPixel(img, 1, 1, rl.BLUE)
local c = rl.GetImageColor(img, 1, 1)
assert(c.r == 0 and c.g == 121 and c.b == 241)
-- pointers raylib returns are opaque values that go back to C
local colors = rl.LoadImageColors(img)
assert(type(colors) == "userdata" and tostring(colors):match("^Color pointer"))
rl.UnloadImageColors(colors)
-- out-parameters come back as extra results
local data, size = rl.LoadFileData("hello.txt")
assert(size == 5 and lunaray.string(data, size) == "hello")
-- a length past the buffer's mapping is an error, never a crash
local ok0, err0 = pcall(lunaray.string, data, 2^29)
assert(not ok0 and err0:find("memory not readable", 1, true), err0)
rl.UnloadFileData(data)
local hit, point = rl.CheckCollisionLines({0, 0}, {10, 10}, {0, 10}, {10, 0})
assert(hit == true and point.x == 5 and point.y == 5)
-- arrays: Lua array of structs, count optional, never past the end
assert(rl.CheckCollisionPointPoly({5, 5}, {{0, 0}, {10, 0}, {10, 10}, {0, 10}}, nil))
assert(rl.CheckCollisionPointPoly({5, 5}, {{0, 0}, {10, 0}, {10, 10}, {0, 10}}, 4))
local ok, err = pcall(rl.CheckCollisionPointPoly, {5, 5}, {{0, 0}}, 3)
assert(not ok and err:find("outside the array", 1, true), err)
-- bytes as strings
local compressed, n = rl.CompressData("aaaaaaaaaaaaaaaa")
local raw, m = rl.DecompressData(compressed, n)
assert(lunaray.string(raw, m) == "aaaaaaaaaaaaaaaa")
rl.MemFree(compressed) rl.MemFree(raw)
-- pointers cannot be forged from numbers
ok, err = pcall(rl.UnloadImageColors, 12345)
assert(not ok and err:find("Color pointer expected, got number", 1, true), err)
-- memory C frees must come from raylib: never a struct value Lua owns
ok, err = pcall(rl.UnloadImageColors, rl.Color(1, 2, 3, 4))
assert(not ok and err:find("Color pointer expected, got Color", 1, true), err)
-- a count may not claim elements behind nil
ok, err = pcall(rl.UnloadFontData, nil, 3)
assert(not ok and err:find("outside the array", 1, true), err)
ok, err = pcall(rl.SaveFileData, "out.bin", nil, 3)
assert(not ok and err:find("outside the array", 1, true), err)
assert(rl.SaveFileData("out.bin", "abc", nil) == true)
assert(rl.LoadFileText("out.bin") ~= nil)
ok, err = pcall(rl.MemFree, 12345)
assert(not ok and err:find("void pointer expected, got number", 1, true), err)
rl.UnloadImage(img)
print("ok")
"#,
    );
    game.file("hello.txt", b"hello");
    assert_eq!(script_lines(&game.run_ok(&[])), ["ok"]);
}

#[test]
fn strings_numbers_and_booleans() {
    let game = Game::new(
        r#"
assert(rl.TextToUpper("abc") == "ABC")
assert(rl.TextIsEqual("a", "a") == true and rl.TextIsEqual("a", "b") == false)
assert(rl.TextLength("hello") == 5)
assert(rl.TextSubtext("raylib", 1, 3) == "ayl")
assert(rl.GetFileExtension("x/y.png") == ".png")
assert(rl.TextFindIndex("hello", "ll") == 2)
-- floats to int parameters truncate toward zero, as raylib-lua does
rl.SetRandomSeed(1)
assert(rl.GetRandomValue(5.9, 5.9) == 5)
assert(rl.GetRandomValue(-3.9, -3.9) == -3)
-- unsigned parameters take values above 2^31
local col = rl.GetColor(0xFF0000FF)
assert(col.r == 255 and col.g == 0 and col.b == 0 and col.a == 255)
assert(rl.ColorToInt(rl.WHITE) == -1)   -- int result
local ok, err = pcall(rl.GetRandomValue, 0/0, 1)
assert(not ok and err:find("no integer representation", 1, true), err)
ok, err = pcall(rl.GetRandomValue, 2^40, 1)
assert(not ok and err:find("value out of range", 1, true), err)
ok, err = pcall(rl.GetColor, -1)
assert(not ok and err:find("value out of range", 1, true), err)
-- int results are integers: Lua 5.4 prints an integer "1" (a float would print "1.0"); LuaJIT
-- has only numbers and prints integral ones as "1"
assert(tostring(rl.GetRandomValue(1, 1)) == "1" and tostring(rl.ColorToInt(rl.WHITE)) == "-1")
assert(rl.Clamp(5, 0, 1) == 1)
assert(rl.FloatEquals(rl.Vector2Length({3, 4}), 5) == 1)
assert(rl.CheckCollisionRecs({0, 0, 10, 10}, {5, 5, 10, 10}) == true)
print("ok")
"#,
    );
    assert_eq!(script_lines(&game.run_ok(&[])), ["ok"]);
}

#[test]
fn argument_errors_read_like_lua() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "errors")
local function err(f) local ok, e = pcall(f); assert(not ok); print(e) end
err(function() rl.DrawCircleV({1, 2}, "40", rl.RED) end)
err(function() rl.DrawCircleV(rl.RED, 40, rl.RED) end)
err(function() rl.DrawCircleV({1, 2}, 40) end)
err(function() return rl.Vector2(1, 2).z end)
err(function() local v = rl.Vector2(1, 2); v.z = 1 end)
err(function() local _ = rl.new("Nope") end)  -- not `return`: LuaJIT's tail calls drop the position
err(function() local _ = rl.new("Vector2", {x = 1, y = {}}) end)
rl.DrawText(nil, 1, 2, 10, rl.RED)
err(function() rl.DrawText({}, 1, 2, 10, rl.RED) end)
err(function() local v = rl.Vector2(1, 2); v.x = "a" end)
err(function() rl.DrawRectangleRec({x = "a"}, rl.RED) end)
-- after any number of errors the runtime keeps working
for i = 1, 10000 do pcall(rl.DrawCircleV, {1, 2}, "x", rl.RED) end
rl.BeginDrawing() rl.ClearBackground(rl.RED) rl.EndDrawing()
rl.CloseWindow()
err(function() rl.DrawCircleV({1, 2}, 3, rl.RED) end)
print("ok")
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "main.lua:4: bad argument #2 to 'DrawCircleV' (number expected, got string)",
            "main.lua:5: bad argument #1 to 'DrawCircleV' (Vector2 expected, got Color)",
            "main.lua:6: bad argument #3 to 'DrawCircleV' (Color expected, got no value)",
            "main.lua:7: Vector2 has no field 'z'",
            "main.lua:8: Vector2 has no field 'z'",
            "main.lua:9: bad argument #1 to 'new' (unknown struct 'Nope')",
            "main.lua:10: bad argument #2 to 'new' (field 'y' of Vector2: number expected, got table)",
            // nil is NULL for `const char *`; raylib's DrawText ignores NULL, so no error.
            "main.lua:12: bad argument #1 to 'DrawText' (string expected, got table)",
            "main.lua:13: field 'x' of Vector2: number expected, got string",
            "main.lua:14: bad argument #1 to 'DrawRectangleRec' (field 'x' of Rectangle: number expected, got string)",
            "main.lua:19: DrawCircleV needs an open window (call rl.InitWindow first; the window is closed after rl.CloseWindow)",
            "ok",
        ]
    );
}

#[test]
fn an_uncaught_error_prints_position_and_traceback_and_fails() {
    let game = Game::new("rl.InitWindow(64, 64, 'x')\nlocal pos = rl.Vector2(1, 2)\n\nrl.DrawCircleV(pos, 'big', rl.RED)\n");
    let out = game.run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("main.lua:4: bad argument #2 to 'DrawCircleV' (number expected, got string)"),
        "{err}"
    );
    assert!(err.contains("stack traceback:"), "{err}");
    let syntax = Game::new("local x = = 1\n");
    let out = syntax.run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("main.lua:1:"));
}

#[test]
fn frames_end_the_loop_and_cleanup_runs() {
    let game = Game::new(
        r#"
rl.InitWindow(32, 32, "frames")
local n = 0
while not rl.WindowShouldClose() do
  rl.BeginDrawing() rl.ClearBackground(rl.BLACK) rl.EndDrawing()
  n = n + 1
end
rl.CloseWindow()
print("frames", n, arg[0], arg[1], arg[2])
"#,
    );
    let lines = script_lines(&game.run_ok(&["--frames", "7", "--", "one", "two"]));
    assert_eq!(lines, ["frames\t7\tmain.lua\tone\ttwo"]);
}

#[test]
fn assets_resolve_against_the_game_folder_and_single_files_run() {
    let game = Game::new("print(rl.LoadFileText and rl.FileExists('data.txt'))\n");
    game.file("data.txt", b"x");
    game.file("solo.lua", b"print('solo', arg[0])\n");
    assert_eq!(script_lines(&game.run_ok(&[])), ["true"]);
    let out = lunaray(&["run", game.path("solo.lua").to_str().unwrap(), "--headless"]);
    assert!(out.status.success());
    assert_eq!(
        script_lines(&String::from_utf8_lossy(&out.stdout)),
        ["solo\tsolo.lua"]
    );
}

#[test]
fn a_missing_library_says_what_was_tried() {
    let game = Game::new("print(1)\n");
    let out = game.run(&["--raylib", "/nonexistent/libraylib.so"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot load libraylib"), "{err}");
    assert!(
        err.contains("/nonexistent/libraylib.so: not found"),
        "{err}"
    );
}

#[test]
fn no_display_means_headless() {
    let game = Game::new("print(lunaray.backend)\n");
    let out = lunaray(&["run", game.dir.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        script_lines(&String::from_utf8_lossy(&out.stdout)),
        ["headless"]
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no display found"));
}

#[test]
fn api_json_describes_the_loaded_registry() {
    let out = lunaray(&["api", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lib = v["library"].as_str().unwrap();
    assert!(std::path::Path::new(lib).is_absolute() && std::path::Path::new(lib).exists());
    let structs = v["structs"].as_array().unwrap();
    let v2 = structs.iter().find(|s| s["name"] == "Vector2").unwrap();
    assert_eq!(
        (v2["size"].as_u64(), v2["align"].as_u64()),
        (Some(8), Some(4))
    );
    assert_eq!(v2["fields"][1]["name"], "y");
    assert_eq!(v2["fields"][1]["offset"], 4);
    let funcs = v["functions"].as_array().unwrap();
    let dc = funcs.iter().find(|f| f["name"] == "DrawCircleV").unwrap();
    assert_eq!(dc["returns"], "void");
    assert_eq!(dc["params"][0]["type"], "Vector2");
    assert_eq!(dc["params"][2]["name"], "color");
    assert!(funcs.len() >= 880, "{}", funcs.len());
    assert!(v["colors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "RAYWHITE" && c["r"] == 245));
    assert!(v["enums"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == "KeyboardKey"));
}

/// Table keys that name no field are ignored, as LuaJIT's ffi.new does (a field name from an
/// older raylib must not stop a raylib-lua script), with one warning per struct and key on
/// stderr naming the line; reading or writing an unknown field of a value stays an error.
#[test]
fn unknown_table_keys_are_ignored_with_one_warning_each() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "keys")
local cam = rl.new("Camera3D", {position = {0, 2, 6}, target = {0, 0, 0}, up = {0, 1, 0},
  fovy = 45, type = rl.CAMERA_PERSPECTIVE})
for i = 1, 3 do
  rl.DrawRectangleRec({x = 1, y = 2, width = 3, height = 4, colour = "red"}, rl.RED)
end
print(("%g %d %g"):format(cam.fovy, cam.projection, cam.position.y))
print(rl.CheckCollisionRecs({0, 0, 2, 2, 99}, {1, 1, 2, 2}))
print(pcall(function() return cam.type end))
print(pcall(function() cam.type = 1 end))
rl.CloseWindow()
"#,
    );
    let out = game.run(&[]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        script_lines(&stdout),
        [
            "45 0 2",
            "true",
            "false\tmain.lua:10: Camera3D has no field 'type'",
            "false\tmain.lua:11: Camera3D has no field 'type'",
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "main.lua:3: warning: Camera3D has no field 'type' (ignored, as LuaJIT's ffi.new does)",
            "main.lua:6: warning: Rectangle has no field 'colour' (ignored, as LuaJIT's ffi.new does)",
            "main.lua:9: warning: Rectangle has no field '[5]' (ignored, as LuaJIT's ffi.new does)",
        ]
    );
}
