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
-- An unloaded struct value is dead: unloading it again or using it is an error naming the
-- function that unloaded it; an Is*Valid answers false.
local twice = rl.GenImageColor(4, 4, rl.RED)
rl.UnloadImage(twice)
err(function() rl.UnloadImage(twice) end)
local mesh = rl.GenMeshCube(1, 1, 1)
rl.UnloadMesh(mesh)
err(function() rl.UnloadMesh(mesh) end)
local model = rl.LoadModelFromMesh(rl.GenMeshCube(1, 1, 1))
rl.UnloadModel(model)
err(function() rl.DrawModel(model, {0, 0, 0}, 1, rl.WHITE) end)
err(function() return twice.width end)
print(rl.IsImageValid(twice), rl.IsModelValid(model), tostring(mesh))
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
            "main.lua:28: bad argument #1 to 'DrawTriangleFan' (table expected, got Color pointer freed by UnloadImageColors)",
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
            "main.lua:53: bad argument #3 to 'ImageTextEx' (fontSize must be from 1 to 1024: raylib divides by it)",
            "main.lua:54: bad argument #1 to 'GetGamepadName' (gamepad must be from 0 to 3: raylib indexes its gamepad arrays with it unchecked)",
            "main.lua:55: bad argument #1 to 'IsGamepadAvailable' (gamepad must be from 0 to 3: raylib indexes its gamepad arrays with it unchecked)",
            "main.lua:56: bad argument #3 to 'TextInsert' (position must be from 0 to the length of text: raylib copies position bytes of text unchecked)",
            "main.lua:57: bad argument #3 to 'TextSubtext' (length must be at least 0: raylib copies length bytes unchecked)",
            "abcx\tfalse\t4",
            "main.lua:60: bad argument #2 to 'TextFindIndex' (string expected, got no value)",
            "main.lua:61: bad argument #1 to 'LoadWaveFromMemory' (string expected, got no value)",
            "4",
            "main.lua:67: bad argument #1 to 'UnloadImage' (Image expected, got Image unloaded by UnloadImage)",
            "main.lua:70: bad argument #1 to 'UnloadMesh' (Mesh expected, got Mesh unloaded by UnloadMesh)",
            "main.lua:73: bad argument #1 to 'DrawModel' (Model expected, got Model unloaded by UnloadModel)",
            "main.lua:74: Image unloaded by UnloadImage: its fields are gone",
            "false\tfalse\tMesh unloaded by UnloadMesh",
            "ok",
        ]
    );
}

/// The crash classes `lunaray fuzz` found, each refused with a Lua error (or, in the software
/// renderer, fixed in raylib's own code): one call per class.
#[test]
fn fuzz_found_crash_classes_are_lua_errors() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_NONE)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
rl.InitWindow(64, 64, "fuzz classes")
rl.BeginDrawing()
-- Struct values with pointer fields go to C only as raylib made them.
local img = rl.GenImageColor(8, 8, rl.RED)
local wide = rl.new("Image", img) wide.width = 5000
err(function() rl.ImageResize(wide, 2, 2) end)
err(function() rl.ExportImageAsCode({data = nil, width = 16, height = 16, format = 7}, "x.h") end)
err(function() rl.GetGlyphAtlasRec(rl.new("Font"), 5) end)
err(function() rl.UnloadDroppedFiles({count = 12, paths = nil}) end)
local copy = rl.new("Image", img)
rl.UnloadImage(img)
err(function() rl.ImageCopy(copy) end)
local mesh = rl.GenMeshCube(1, 1, 1)
local model = rl.LoadModelFromMesh(mesh)
err(function() rl.UnloadMesh(mesh) end)
model.transform = rl.MatrixRotateX(1)
rl.DrawModel(model, {0, 0, 0}, 1, rl.WHITE)
rl.UnloadModel(model)
-- A void pointer is no array of pointers, and a pointer value's length is what raylib said.
local buf = rl.MemAlloc(64)
err(function() rl.TextJoin(buf, 10, ",") end)
local data, size = rl.LoadFileData("ten.txt")
err(function() rl.ComputeCRC32(data, size + 1) end)
print(rl.ComputeCRC32(data, size) == rl.ComputeCRC32(lunaray.string(data, size)))
rl.UnloadFileData(data)
err(function() rl.TextCopy(buf, ("x"):rep(64)) end)
print(rl.TextCopy(buf, "copied"), lunaray.string(buf))
rl.MemFree(buf)
-- Sizes raylib allocates unchecked, and counts it draws.
err(function() rl.GenImageColor(100000, 100000, rl.RED) end)
err(function() rl.rlReadScreenPixels(2147483647, 100) end)
err(function() rl.GenMeshSphere(1, 65535, 65535) end)
err(function() rl.DrawCircleSector({10, 10}, 5, 0, 90, 2147483647, rl.RED) end)
err(function() rl.DrawRing({10, 10}, 1, 5, 0, 1e9, 8, rl.RED) end)
err(function() rl.LoadRandomSequence(1e9, 0, 10) end)
err(function() rl.rlSetLineWidth(1e9) end)
-- Indices raylib checks only from above, or against fields.
err(function() rl.GetTouchPointId(-100000) end)
local blurred = rl.GenImageColor(4, 4, rl.RED)
err(function() rl.ImageBlurGaussian(blurred, 1000) end)
-- Image coordinates, rectangles and bytes read through const void *.
err(function() rl.ImageDrawLineV(blurred, {0/0, 0}, {2, 2}, rl.RED) end)
err(function() rl.ImageFromImage(blurred, {2, 2, 8, 8}) end)
err(function() rl.ImageResizeCanvas(blurred, 1, 3, 8, -10, rl.RED) end)
local tex = rl.LoadTextureFromImage(blurred)
err(function() rl.UpdateTexture(tex, "tiny") end)
err(function() rl.SetShaderValue(rl.LoadShader(nil, nil), 0, "ab", rl.SHADER_UNIFORM_VEC4) end)
err(function() rl.GenImageText(16, 16, "a") end)
err(function() rl.WaveFormat(rl.LoadWave("a.wav"), 22050, 24, 1) end)
err(function() rl.ImageText(("ab"):rep(40000), 32, rl.RED) end)
-- Files raylib reads without checking they loaded, and paths it copies into fixed buffers.
err(function() rl.FileTextFindIndex("empty.txt", "x") end)
err(function() rl.LoadWave("noext") end)
err(function() rl.ExportImageAsCode(blurred, ("n"):rep(500) .. ".h") end)
err(function() rl.ExportDataAsCode("abc", 0, "d.h") end)
-- A file that does not decode gives an Image with no pixels (but a format): not vouched for.
local bad = rl.LoadImageAnim("bad.qoi")
err(function() rl.ExportImageAsCode(bad, "bad.h") end)
-- OpenURL builds a shell command: only plain http(s) URLs reach it.
err(function() rl.OpenURL("https://x.org/$(touch pwned)") end)
err(function() rl.OpenURL(nil) end)
-- rlgl's own setup and teardown are not bound.
print(rl.rlglClose, rl.rlglInit)
-- C writes pixels only into memory of a length lunaray knows, long enough (fuzz seed 29).
err(function() rl.rlCopyFramebuffer(0, 0, 64, 64, 7, rl.LoadFileData("ten.txt")) end)
-- Software renderer fixes: popping the base matrix, huge handles, incomplete framebuffers.
rl.rlPopMatrix() rl.rlPopMatrix() rl.rlLoadIdentity()
rl.rlSetTexture(2147483648) rl.DrawRectangle(0, 0, 8, 8, rl.RED)
local target = rl.LoadRenderTexture(16, 16)
local ghost = rl.new("RenderTexture", target)
rl.UnloadRenderTexture(ghost)
err(function() rl.BeginTextureMode(target) end)
local fb = rl.rlLoadFramebuffer()
rl.rlEnableFramebuffer(fb) rl.DrawCircle(8, 8, 4, rl.RED) rl.rlDisableFramebuffer()
rl.rlViewport(0, 0, 100000, 100000) rl.DrawTriangle({0, 0}, {0, 60}, {60, 0}, rl.RED)
rl.rlViewport(0, 0, 64, 64)
rl.EndDrawing()
print("ok")
"#,
    );
    game.file("a.wav", &wav())
        .file("empty.txt", b"")
        .file("ten.txt", b"0123456789")
        .file("noext", b"RIFF")
        .file("bad.qoi", b"static unsigned char x[] = {1,2,3};\n");
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "main.lua:9: bad argument #1 to 'ImageResize' (Image not made by raylib: built from a table or rl.new, changed where it describes its memory (sizes, counts, formats, ids, pointers), or unloaded)",
            "main.lua:10: bad argument #1 to 'ExportImageAsCode' (Image not made by raylib: built from a table or rl.new, changed where it describes its memory (sizes, counts, formats, ids, pointers), or unloaded)",
            "main.lua:11: bad argument #1 to 'GetGlyphAtlasRec' (Font is empty (zeroed or unloaded))",
            "main.lua:12: bad argument #1 to 'UnloadDroppedFiles' (FilePathList not made by raylib: built from a table or rl.new, changed where it describes its memory (sizes, counts, formats, ids, pointers), or unloaded)",
            "main.lua:15: bad argument #1 to 'ImageCopy' (Image not made by raylib: built from a table or rl.new, changed where it describes its memory (sizes, counts, formats, ids, pointers), or unloaded)",
            "main.lua:18: bad argument #1 to 'UnloadMesh' (Mesh not made by raylib: built from a table or rl.new, changed where it describes its memory (sizes, counts, formats, ids, pointers), or unloaded)",
            "main.lua:24: bad argument #1 to 'TextJoin' (table expected, got void pointer)",
            "main.lua:26: bad argument #2 to 'ComputeCRC32' (count 11 outside the array's 10 elements)",
            "true",
            "main.lua:29: bad argument #1 to 'TextCopy' (dst must be memory of at least 65 bytes whose length lunaray knows (from MemAlloc): raylib writes the copy unchecked)",
            "6\tcopied",
            "main.lua:33: bad argument #1 to 'GenImageColor' (width must be from 1 to 8192: raylib allocates width*height pixels unchecked and writes through a failed allocation)",
            "main.lua:34: bad argument #1 to 'rlReadScreenPixels' (width must be from 1 to 8192: raylib allocates width*height pixels unchecked and writes through a failed allocation)",
            "main.lua:35: bad argument #2 to 'GenMeshSphere' (rings must be from 3 to 1024: raylib allocates vertices for every segment unchecked (par_shapes needs at least 3))",
            "main.lua:36: bad argument #5 to 'DrawCircleSector' (segments must be at most 4096: raylib draws that many segments unchecked (its counts overflow))",
            "main.lua:37: bad argument #5 to 'DrawRing' (endAngle must be from -36000 to 36000: raylib draws a segment per few degrees between the angles unchecked)",
            "main.lua:38: bad argument #1 to 'LoadRandomSequence' (count must be from 0 to 16384: raylib allocates count values unchecked and compares each new one with all before it)",
            "main.lua:39: bad argument #1 to 'rlSetLineWidth' (width must be from 0 to 1024: the software renderer draws a line once per pixel of width (1e9 is a hang))",
            "main.lua:41: bad argument #1 to 'GetTouchPointId' (index must be from 0 to 7: raylib indexes its touch arrays with it, checking only the upper bound)",
            "main.lua:43: bad argument #2 to 'ImageBlurGaussian' (blurSize must be from 0 to image width and height: raylib reads blurSize pixels along each row and column unchecked)",
            "main.lua:45: bad argument #2 to 'ImageDrawLineV' (coordinates must be finite and within ±16383: raylib's integer pixel math overflows beyond it)",
            "main.lua:46: bad argument #2 to 'ImageFromImage' (rectangle must lie within the image (and not be empty where raylib scales it): raylib copies its pixels unchecked)",
            "main.lua:47: bad argument #4 to 'ImageResizeCanvas' (offsetX must be from minus the image width to newWidth: raylib copies rows of the image's width less the offset: negative beyond it)",
            "main.lua:49: bad argument #2 to 'UpdateTexture' (pixels holds 4 bytes, and raylib reads 64 through it)",
            "main.lua:50: bad argument #3 to 'SetShaderValue' (value holds 2 bytes, and raylib reads 16 through it)",
            "main.lua:51: bad argument #3 to 'GenImageText' (text holds 1 bytes, and raylib reads 256 through it)",
            "main.lua:52: bad argument #3 to 'WaveFormat' (sampleSize must be one of 8, 16, 32: raylib converts to 32-bit floats for any other size into a buffer of that size)",
            "main.lua:53: bad argument #1 to 'ImageText' (text too long for its font size (bytes x size^2 at most 67108864): raylib allocates its image unchecked)",
            "main.lua:55: FileTextFindIndex: cannot open 'empty.txt' (an empty file)",
            "main.lua:56: LoadWave: cannot open 'noext' (no file extension: raylib picks the format by it)",
            "main.lua:57: bad argument #2 to 'ExportImageAsCode' (a path of at most 128 bytes expected, got 502: raylib copies paths into fixed buffers)",
            "main.lua:58: bad argument #2 to 'ExportDataAsCode' (a count of 0: raylib reads the array's last element)",
            "main.lua:61: bad argument #1 to 'ExportImageAsCode' (Image not made by raylib: built from a table or rl.new, changed where it describes its memory (sizes, counts, formats, ids, pointers), or unloaded)",
            "main.lua:63: bad argument #1 to 'OpenURL' (a plain http:// or https:// URL expected (letters, digits and -._~:/?#[]@+,=%&): raylib runs it through a shell)",
            "main.lua:64: bad argument #1 to 'OpenURL' (string expected, got nil)",
            "nil\tnil",
            "main.lua:68: bad argument #6 to 'rlCopyFramebuffer' (pixels must be memory of at least 16384 bytes whose length lunaray knows (from MemAlloc), got 10 bytes: raylib writes the pixels unchecked)",
            "main.lua:75: bad argument #1 to 'BeginTextureMode' (RenderTexture not made by raylib: built from a table or rl.new, changed where it describes its memory (sizes, counts, formats, ids, pointers), or unloaded)",
            "ok",
        ]
    );
}

/// The crash classes the fuzzer's exclusion table held (issue 8), each refused with a Lua
/// error while ordinary calls of the same functions work.
#[test]
fn excluded_crash_classes_are_lua_errors() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_NONE)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
rl.InitWindow(64, 64, "excluded classes")
-- Text images: raylib scales the image at the font's base size and divides by the new size.
local hello = rl.ImageText("hello", 20, rl.RED)
print(hello.width, hello.height)
local img = rl.GenImageColor(32, 32, rl.BLUE)
rl.ImageDrawText(img, "hello", 0, 0, 4, rl.RED)
err(function() rl.ImageDrawText(img, "i", 0, 0, 1, rl.RED) end)
err(function() rl.ImageTextEx(rl.GetFontDefault(), "i", 1, 0, rl.RED) end)
err(function() rl.ImageDrawTextEx(img, rl.GetFontDefault(), "i", {0, 0}, 2, 0, rl.RED) end)
err(function() rl.ImageText(("w"):rep(6000), 20, rl.RED) end)
rl.SetTextLineSpacing(-1000)
err(function() rl.ImageText("\n", 20, rl.RED) end)
rl.SetTextLineSpacing(2)
-- Static text buffers of 1024 bytes, and reads past a text's end.
print(rl.TextJoin({"a", "b", "c"}, 3, ", "), #rl.TextJoin({("x"):rep(1023)}, 1, ","))
err(function() rl.TextJoin({("x"):rep(1000), "y"}, 2, (","):rep(30)) end)
print(rl.TextReplaceBetween("a[b]c", "[", "]", "XYZ"))
err(function() rl.TextReplaceBetween("a[b]c", "[", "]", ("R"):rep(2000)) end)
print(#rl.TextReplaceBetween(("q"):rep(500) .. "[" .. ("b"):rep(1600) .. "]c", "[", "]", "R"))
print(rl.TextInsert("abc", "xy", 3))
err(function() rl.TextInsert("abc", "xy", 1) end)
err(function() rl.TextInsertAlloc(("ab"):rep(40000), "\240\159\152\128", 1) end)
-- TextAppend writes only into memory of a known length, with room at the position.
local buf, pos = rl.MemAlloc(8), rl.new("int[1]")
rl.TextAppend(buf, "abc", pos)
rl.TextAppend(buf, "abcd", pos)
print(pos[0], lunaray.string(buf))
err(function() rl.TextAppend(buf, "x", pos) end)
pos[0] = -1
err(function() rl.TextAppend(buf, "", pos) end)
err(function() rl.TextAppend(buf, "x", rl.new("float[1]")) end)
err(function() rl.TextAppend(rl.TextSplit("a,b", 44), "x", pos) end)
rl.MemFree(buf)
-- GenImageFontAtlas: glyphCount counts the glyphs array.
local font = rl.GetFontDefault()
local a, b = rl.GetGlyphInfo(font, 65), rl.GetGlyphInfo(font, 66)
err(function() rl.GenImageFontAtlas(a, 5, 20, 2, 0) end)
err(function() rl.GenImageFontAtlas({}, nil, 20, 2, 0) end)
err(function() rl.GenImageFontAtlas({a, b}, 2, -20, 2, 0) end)
local atlas = rl.GenImageFontAtlas({a, b}, nil, 10, 1, 0)
print(atlas.width, atlas.height)
-- LoadImageRaw: the file holds the header and the pixels.
print(rl.LoadImageRaw("raw.bin", 4, 4, rl.PIXELFORMAT_UNCOMPRESSED_R8G8B8A8, 36).width)
err(function() rl.LoadImageRaw("raw.bin", 4, 4, rl.PIXELFORMAT_UNCOMPRESSED_R8G8B8A8, 2147483647) end)
-- OBJ files tinyobj would overflow on (fuzz seed 31: an 80 KB line).
rl.SaveFileText("m.obj", ("x"):rep(80000))
err(function() rl.LoadModel("m.obj") end)
err(function() rl.LoadModel("face.obj") end)
err(function() rl.LoadModel("index.obj") end)
print(rl.LoadModel("tri.obj").meshCount)
-- Data functions over a huge pointer value (fuzz seed 37 on LuaJIT: a CRC of 6 s; Base64's
-- int output size overflows, and raylib writes past it).
local huge = rl.MemAlloc(2147483647)
err(function() rl.ComputeCRC32(huge) end)
err(function() rl.EncodeDataBase64(huge, 2000000000) end)
rl.MemFree(huge)
-- rlMultMatrixf reads 16 floats (valgrind, a replay of fuzz seed 31).
err(function() rl.rlMultMatrixf(rl.new("float[?]", 8)) end)
rl.rlMultMatrixf(rl.new("float[?]", 16, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}))
-- Case conversions read past an empty text or a final '_', or leave no NUL (valgrind).
print(rl.TextToCamel("hello_world"), rl.TextToPascal("a__b"), #rl.TextToSnake(("a"):rep(1021) .. "B"))
err(function() rl.TextToCamel("") end)
err(function() rl.TextToPascal("ab_") end)
err(function() rl.TextToSnake(("a"):rep(1022) .. "B") end)
print("ok")
"#,
    );
    game.file("raw.bin", &[0u8; 100])
        .file("tri.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
        .file("face.obj", b"v 0 0 0\nf 1 1 1 1 1 1 1 1\n")
        .file("index.obj", b"v 0 0 0\nv 1 0 0\nf 1 2 3\n");
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "54\t20",
            "main.lua:10: bad argument #5 to 'ImageDrawText' (fontSize 1 scales the text's 1x10-pixel image to 0x1: raylib divides by the new size, and allocates it, unchecked (at least 1x1, at most 67108864 pixels))",
            "main.lua:11: bad argument #3 to 'ImageTextEx' (fontSize 1 scales the text's 1x10-pixel image to 0x1: raylib divides by the new size, and allocates it, unchecked (at least 1x1, at most 67108864 pixels))",
            "main.lua:12: bad argument #5 to 'ImageDrawTextEx' (fontSize 2 scales the text's 1x10-pixel image to 0x2: raylib divides by the new size, and allocates it, unchecked (at least 1x1, at most 67108864 pixels))",
            "main.lua:13: bad argument #1 to 'ImageText' (text is 41998x10 pixels at the font's base size: raylib scales it computing width << 16 in an int (sides below 32768))",
            "main.lua:15: bad argument #1 to 'ImageText' (text measures -2x-980 pixels at the font's base size: raylib makes an image of that size unchecked (at most 67108864 pixels, sides not negative))",
            "a, b, c\t1023",
            "main.lua:19: bad argument #1 to 'TextJoin' (the texts joined with 30-byte delimiters are at least 1030 bytes, more than the 1023 bytes raylib's static buffer holds with its NUL: raylib writes it unchecked)",
            "a[XYZ]c",
            "main.lua:21: bad argument #4 to 'TextReplaceBetween' (the text with the replacement is 2004 bytes, more than the 1023 bytes raylib's static buffer holds with its NUL: raylib writes it unchecked)",
            "504",
            "abcxy",
            "main.lua:24: bad argument #3 to 'TextInsert' (position must be the length of text (3) when insert is longer than a byte: raylib copies the rest of text from 2 bytes too far on, past its end)",
            "main.lua:25: bad argument #3 to 'TextInsertAlloc' (position must be the length of text (80000) when insert is longer than a byte: raylib copies the rest of text from 4 bytes too far on, past its end)",
            "7\tabcabcd",
            "main.lua:31: bad argument #1 to 'TextAppend' (text must be memory whose length lunaray knows (from MemAlloc), with room for 1 bytes and a NUL at position 7: raylib writes the copy unchecked)",
            "main.lua:33: bad argument #1 to 'TextAppend' (text must be memory whose length lunaray knows (from MemAlloc), with room for 0 bytes and a NUL at position -1: raylib writes the copy unchecked)",
            "main.lua:34: bad argument #3 to 'TextAppend' (int pointer expected, got float[1])",
            "main.lua:35: bad argument #1 to 'TextAppend' (char pointer expected, got char * pointer)",
            "main.lua:40: bad argument #2 to 'GenImageFontAtlas' (count 5 outside the array's 1 elements)",
            "main.lua:41: bad argument #2 to 'GenImageFontAtlas' (a count of 0: raylib reads 95 glyphs for it (its default count))",
            "main.lua:42: bad argument #3 to 'GenImageFontAtlas' (fontSize must be from 1 to 1024: raylib sizes the atlas by it unchecked (a negative size makes it NaN pixels wide))",
            "16\t32",
            "4",
            "main.lua:47: bad argument #5 to 'LoadImageRaw' (headerSize 2147483647 and 64 bytes of pixels need 2147483711 bytes, and the file holds 100: raylib adds them in an int unchecked (past its range it reads outside the file))",
            "main.lua:50: bad argument #1 to 'LoadModel' ('m.obj' is a file raylib's OBJ loader (tinyobj) reads or writes outside its buffers on: line 1 is 80000 bytes: tinyobj copies each line into a buffer of 4096 bytes)",
            "main.lua:51: bad argument #1 to 'LoadModel' ('face.obj' is a file raylib's OBJ loader (tinyobj) reads or writes outside its buffers on: line 2 is a face of 8 vertices: tinyobj triangulates at most 7 into its fixed arrays)",
            "main.lua:52: bad argument #1 to 'LoadModel' ('index.obj' is a file raylib's OBJ loader (tinyobj) reads or writes outside its buffers on: line 3 is a face whose index names no vertex, normal or texture coordinate of the file (2 vertices, 0 normals, 0 texture coordinates): raylib reads them by index unchecked)",
            "1",
            "main.lua:57: bad argument #2 to 'ComputeCRC32' (a count of 2147483647 bytes, more than 268435456: raylib works through them in one call (seconds beyond it))",
            "main.lua:58: bad argument #2 to 'EncodeDataBase64' (a count of 2000000000 bytes, more than 268435456: raylib computes 4 * dataSize / 3 in an int (past 1.6e9 it overflows and raylib writes past its output) and works through them in one call)",
            "main.lua:61: bad argument #1 to 'rlMultMatrixf' (matf holds 32 bytes, and raylib reads 64 through it)",
            "helloWorld\tA\t1023",
            "main.lua:65: bad argument #1 to 'TextToCamel' (text must not be empty nor end in a separating '_': raylib reads past its end)",
            "main.lua:66: bad argument #1 to 'TextToPascal' (text must not be empty nor end in a separating '_': raylib reads past its end)",
            "main.lua:67: bad argument #1 to 'TextToSnake' (the snake-cased text fills all 1024 bytes of raylib's static buffer, leaving no NUL: it would be read past its end)",
            "ok",
        ]
    );
}

/// A short 16-bit mono WAV file.
fn wav() -> Vec<u8> {
    let frames: u32 = 64;
    let mut v = Vec::new();
    v.extend(b"RIFF");
    v.extend((36 + frames * 2).to_le_bytes());
    v.extend(b"WAVEfmt ");
    v.extend(16u32.to_le_bytes());
    v.extend(1u16.to_le_bytes());
    v.extend(1u16.to_le_bytes());
    v.extend(22050u32.to_le_bytes());
    v.extend(44100u32.to_le_bytes());
    v.extend(2u16.to_le_bytes());
    v.extend(16u16.to_le_bytes());
    v.extend(b"data");
    v.extend((frames * 2).to_le_bytes());
    v.extend(std::iter::repeat_n(0u8, frames as usize * 2));
    v
}

/// `ImageRotate` of a wide image: raylib multiplies the rotated sides in an int and writes
/// every pixel (fuzz seed 71, a 479999x10 text image turned 3 degrees, SIGSEGV).
#[test]
fn rotating_past_an_int_of_pixels_is_refused() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_WARNING)
rl.InitWindow(64, 64, "rotate")
local wide = rl.ImageText(("ab"):rep(40000), 10, rl.RED)
print(wide.width, wide.height, pcall(rl.ImageRotate, wide, 3))
local img = rl.GenImageColor(40, 20, rl.RED)
rl.ImageRotate(img, 45)
print(img.width, img.height)
rl.CloseWindow()
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "479999\t10\tfalse\tbad argument #2 to 'ImageRotate' (the 479999x10 image turned 3 degrees is 479341x25131 pixels, more than the 268435456 bytes a rotation may take: raylib multiplies its sides in an int and writes every pixel unchecked)",
            "42\t42",
        ]
    );
}

/// par_shapes welds a torus's or a knot's vertices to compute its normals, and on denser
/// ones leaves indices uninitialised that it then writes through (heap corruption found by
/// the fuzzer, pinned down with valgrind): their segment counts are bounded, and the counts
/// below the bound still make meshes.
#[test]
fn dense_knots_and_tori_are_refused() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "meshes")
print(select(2, pcall(rl.GenMeshKnot, 0.5, 1, 128, 7)))
print(select(2, pcall(rl.GenMeshTorus, 0.1, 1, 7, 256)))
local knot, torus = rl.GenMeshKnot(0.5, 1, 96, 96), rl.GenMeshTorus(0.1, 1, 96, 96)
print(knot.vertexCount > 0, torus.vertexCount > 0)
rl.UnloadMesh(knot)
rl.UnloadMesh(torus)
rl.CloseWindow()
"#,
    );
    assert_eq!(
        script_lines(&game.run_ok(&[])),
        [
            "bad argument #3 to 'GenMeshKnot' (radSeg must be from 3 to 96: par_shapes' welded normals read uninitialised indices on denser knots and tori)",
            "bad argument #4 to 'GenMeshTorus' (sides must be from 3 to 96: par_shapes' welded normals read uninitialised indices on denser knots and tori)",
            "true\ttrue",
        ]
    );
}
