//! Script inputs that used to crash the process (or fail silently) through ordinary calls,
//! each now a Lua error in Lua's own form: the crash classes the call pipeline can refuse by
//! itself, and loaders of missing files.

mod common;

use common::{script_lines, Game};

#[test]
fn crashing_calls_are_lua_errors() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_WARNING)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
-- No window: ImageText draws with the default font, which InitWindow loads.
err(function() rl.ImageText("hello", 10, rl.RED) end)
rl.InitWindow(64, 64, "crashes")
-- NULL where raylib dereferences a struct pointer.
err(function() rl.ImageResize(nil, 8, 8) end)
-- C writing into a Lua string (a heap overflow, or into interned "a").
err(function() rl.TextCopy("xy", string.rep("Z", 100000)) end)
err(function() rl.rlGetGlTextureFormats(7, "a", "b", "c") end)
assert(("a"):byte() == 97)
err(function() rl.rlCopyFramebuffer(0, 0, 64, 64, 7, "tiny") end)
-- NULL out-pointers C writes through.
err(function() rl.rlGetGlTextureFormats(7) end)
-- A struct's bytes taken as another pointee type.
local buf = rl.MemAlloc(64)
err(function() rl.TextAppend(buf, "x", rl.new("Vector2")) end)
rl.MemFree(buf)
-- Freeing memory raylib did not allocate for the caller.
err(function() rl.MemFree(rl.TextSplit("a,b,c", 44)) end)
local img = rl.GenImageColor(4, 4, rl.RED)
err(function() rl.UnloadImageColors(img.data) end)
-- Freeing twice, and using freed memory.
local colors = rl.LoadImageColors(img)
rl.UnloadImageColors(colors)
err(function() rl.UnloadImageColors(colors) end)
err(function() rl.DrawTriangleFan(colors, 3, rl.RED) end)
err(function() rl.MemFree(buf) end)
print(tostring(colors))
rl.UnloadImage(img)
-- NULL paths raylib dereferences (strchr(NULL)).
err(function() rl.TakeScreenshot() end)
err(function() rl.FileExists(nil) end)
-- A missing asset is an error from the caller's line, not an empty texture.
err(function() rl.LoadTexture("player.png") end)
err(function() rl.LoadImage(".") end)
err(function() rl.LoadShader(nil, "missing.fs") end)
-- Paths that exist load; NULL keeps its documented meaning where raylib gives it one.
local text = rl.LoadFileText("main.lua")
assert(lunaray.string(text):find("TakeScreenshot", 1, true))
rl.UnloadFileText(text)
local shader = rl.LoadShader(nil, nil)
assert(tostring(shader):find("^Shader%("), tostring(shader))
rl.UnloadShader(shader)
-- NULL where C reads one typed element.
err(function() rl.rlMultMatrixf() end)
-- Sounds, music and streams need the audio device, which this test never starts.
err(function() rl.SeekMusicStream(rl.new("Music"), 2) end)
err(function() rl.LoadSoundAlias(rl.new("Sound")) end)
-- Values raylib does not check: divisors, fixed-array indices, text positions.
err(function() rl.GenImageChecked(16, 100, 0, 1, rl.RED, rl.BLUE) end)
err(function() rl.ImageTextEx(rl.GetFontDefault(), "abc", 0.5, 2, rl.RED) end)
err(function() rl.GetGamepadName(1e9) end)
err(function() rl.IsGamepadAvailable(-100000) end)
err(function() rl.TextInsert("abc", "x", 4) end)
err(function() rl.TextSubtext("abc def", 1, -2147483648) end)
print(rl.TextInsert("abc", "x", 3), rl.IsGamepadAvailable(0), rl.GenImageChecked(4, 4, 2, 2, rl.RED, rl.BLUE).width)
-- Strings raylib reads without a NULL check.
err(function() rl.TextFindIndex("abc def") end)
err(function() rl.LoadWaveFromMemory() end)
print(rl.TextFindIndex("abc def", "def"))
-- Unloading a struct value zeroes it: a second unload frees nothing.
local twice = rl.GenImageColor(4, 4, rl.RED)
rl.UnloadImage(twice)
rl.UnloadImage(twice)
local mesh = rl.GenMeshCube(1, 1, 1)
rl.UnloadMesh(mesh)
rl.UnloadMesh(mesh)
local model = rl.LoadModelFromMesh(rl.GenMeshCube(1, 1, 1))
rl.UnloadModel(model)
rl.UnloadModel(model)
print(twice.width, mesh.vertexCount, model.meshCount, tostring(twice.data))
rl.CloseWindow()
print("ok")
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "main.lua:5: ImageText needs an open window (call rl.InitWindow first; the window is closed after rl.CloseWindow)",
            "main.lua:8: bad argument #1 to 'ImageResize' (Image expected, got nil)",
            "main.lua:10: bad argument #1 to 'TextCopy' (char pointer expected, got string)",
            "main.lua:11: bad argument #2 to 'rlGetGlTextureFormats' (unsigned int pointer expected, got string)",
            "main.lua:13: bad argument #6 to 'rlCopyFramebuffer' (void pointer expected, got string)",
            "main.lua:15: bad argument #2 to 'rlGetGlTextureFormats' (unsigned int pointer expected, got no value)",
            "main.lua:18: bad argument #3 to 'TextAppend' (int pointer expected, got Vector2)",
            "main.lua:21: bad argument #1 to 'MemFree' (char * pointer not allocated for the caller: only pointers from Load*, MemAlloc and the like can be freed)",
            "main.lua:23: bad argument #1 to 'UnloadImageColors' (void pointer not allocated for the caller: only pointers from Load*, MemAlloc and the like can be freed)",
            "main.lua:27: bad argument #1 to 'UnloadImageColors' (Color pointer already freed)",
            "main.lua:28: bad argument #1 to 'DrawTriangleFan' (table expected, got freed Color pointer)",
            "main.lua:29: bad argument #1 to 'MemFree' (void pointer already freed)",
            "Color pointer: freed",
            "main.lua:33: bad argument #1 to 'TakeScreenshot' (string expected, got no value)",
            "main.lua:34: bad argument #1 to 'FileExists' (string expected, got nil)",
            "main.lua:36: LoadTexture: cannot open 'player.png' (no such file)",
            "main.lua:37: LoadImage: cannot open '.' (a directory, not a file)",
            "main.lua:38: LoadShader: cannot open 'missing.fs' (no such file)",
            "main.lua:47: bad argument #1 to 'rlMultMatrixf' (float pointer expected, got no value)",
            "main.lua:49: SeekMusicStream needs an audio device (call rl.InitAudioDevice first; rl.IsAudioDeviceReady() tells whether it started)",
            "main.lua:50: LoadSoundAlias needs an audio device (call rl.InitAudioDevice first; rl.IsAudioDeviceReady() tells whether it started)",
            "main.lua:52: bad argument #3 to 'GenImageChecked' (checksX must be at least 1: raylib divides by it)",
            "main.lua:53: bad argument #3 to 'ImageTextEx' (fontSize must be at least 1: raylib divides by it)",
            "main.lua:54: bad argument #1 to 'GetGamepadName' (gamepad must be from 0 to 3: raylib indexes its gamepad arrays with it unchecked)",
            "main.lua:55: bad argument #1 to 'IsGamepadAvailable' (gamepad must be from 0 to 3: raylib indexes its gamepad arrays with it unchecked)",
            "main.lua:56: bad argument #3 to 'TextInsert' (position must be from 0 to the length of text: raylib copies position bytes of text unchecked)",
            "main.lua:57: bad argument #3 to 'TextSubtext' (length must be at least 0: raylib copies length bytes unchecked)",
            "abcx\tfalse\t4",
            "main.lua:60: bad argument #2 to 'TextFindIndex' (string expected, got no value)",
            "main.lua:61: bad argument #1 to 'LoadWaveFromMemory' (string expected, got no value)",
            "4",
            "0\t0\t0\tnil",
            "ok",
        ]
    );
}
