//! LuaJIT builds: the jit marshal mode (`lunaray.mode{marshal = "jit"}`, `marshal::jit`)
//! gives the planned mode's results bit for bit and its error messages, its calls are
//! JIT-compiled, and scripts still get no `ffi`.
#![cfg(feature = "luajit")]

mod common;

use common::{script_lines, Game};

/// Float bit patterns every struct field and float argument is tried with: zeros of both
/// signs, denormals, infinities, quiet and signalling NaNs with payloads (some of which,
/// as the high half of a double, would read back as other Lua types), ordinary numbers.
const PATTERNS: &str = r#"
local PATTERNS = {
  0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00400000, 0x3f800000, 0xc2c80000,
  0x41200000, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001,
  0xff800001, 0x7fa00000, 0xfff90000, 0xfffa1234, 0xffffffff, 0x7fffffff, 0x7ff00000,
  0xfff00000, 0x7ff80001, 0x40490fdb,
}
"#;

/// Helpers run with `--ffi` (the test's own ffi, to write and read raw float bits; the
/// wrappers reach `ffi` on their own either way).
const HELPERS: &str = r#"
local ffi = require("ffi")
local U32P = ffi.typeof("uint32_t *")
local HDRP = ffi.typeof("struct { uint64_t magic; uint16_t ty; uint16_t len; uint32_t flags; uint8_t *data; } *")
-- Struct values of plain-number types are cdata; views (`cam.offset`) lunaray's userdata.
local function words(v)
  if type(v) == "cdata" then return ffi.cast(U32P, v) end
  return ffi.cast(U32P, ffi.cast(HDRP, v).data)
end
-- A struct value of `name` whose n float words are the given bit patterns.
local function make(name, ...)
  local v = rl.new(name)
  local w = words(v)
  for i, b in ipairs({...}) do w[i - 1] = b end
  return v
end
local function show(r, n)
  if type(r) == "cdata" or type(r) == "userdata" then
    local w, out = words(r), {}
    for i = 0, n - 1 do out[#out + 1] = string.format("%08x", w[i]) end
    return table.concat(out, ":")
  end
  return tostring(r)
end
-- A float's value as a Lua number. NaNs are 0/0: LuaJIT reads some NaN payloads from C
-- memory as other Lua types (the hazard the wrappers guard against).
local function bits_to_number(b)
  if bit.band(b, 0x7f800000) == 0x7f800000 and bit.band(b, 0x7fffff) ~= 0 then return 0 / 0 end
  local f = ffi.new("float[1]")
  ffi.cast(U32P, f)[0] = b
  return f[0]
end
local PLANNED = {marshal = "planned"}
local JIT = {marshal = "jit"}
-- Calls f(...) in both modes; the results, shown as bits, must be the same.
local checked = 0
local function same(name, n, ...)
  lunaray.mode(PLANNED)
  local a = show(rl[name](...), n)
  lunaray.mode(JIT)
  local b = show(rl[name](...), n)
  lunaray.mode(PLANNED)
  if a ~= b then error(name .. ": planned " .. a .. " ~= jit " .. b, 2) end
  checked = checked + 1
end
"#;

#[test]
fn jit_mode_matches_planned_bit_for_bit() {
    let script = format!(
        "{PATTERNS}{HELPERS}{}",
        r#"
assert(lunaray.mode(JIT).marshal == "jit")
lunaray.mode(PLANNED)
for i, p in ipairs(PATTERNS) do
  local q = PATTERNS[(i * 7) % #PATTERNS + 1]
  local r = PATTERNS[(i * 5) % #PATTERNS + 1]
  local v1, v2 = make("Vector2", p, q), make("Vector2", q, r)
  local r1 = make("Rectangle", 0, 0, 0x41200000, p)
  local r2 = make("Rectangle", p, q, 0x41200000, 0x41200000)
  local r3 = make("Rectangle", q, p, r, p)
  local c1 = rl.Color(i * 10 % 256, 255 - i, i * 3 % 256, i * 11 % 256)
  local v3a, v3b = make("Vector3", p, q, r), make("Vector3", r, p, p)
  local v4a, v4b = make("Vector4", p, q, r, p), make("Vector4", p, q, r, p)
  local x = bits_to_number(p)
  same("Vector2Add", 2, v1, v2)
  same("Vector2Subtract", 2, v2, v1)
  same("Vector2Scale", 2, v1, x)
  same("Vector2Scale", 2, v1, 0 / 0)
  same("Vector2Normalize", 2, v2)
  same("Vector2Lerp", 2, v1, v2, x)
  same("Vector2Zero", 2)
  same("Vector2Rotate", 2, v1, 0.5)
  same("CheckCollisionRecs", 0, r1, r2)
  same("CheckCollisionRecs", 0, r2, r3)
  same("CheckCollisionPointRec", 0, v1, r3)
  same("CheckCollisionSpheres", 0, v3a, x, v3b, 2)
  same("Vector3Equals", 0, v3a, v3b)
  same("Vector4Equals", 0, v4a, v4b)
  same("ColorAlpha", 1, c1, x)
  same("ColorAlpha", 1, rl.RED, 0.25)
  same("ColorTint", 1, c1, rl.SKYBLUE)
  same("ColorToInt", 0, c1)
  same("GetColor", 1, p)
  same("ColorIsEqual", 0, c1, rl.Color(c1.r, c1.g, c1.b, c1.a))
  same("Fade", 1, rl.BLUE, x)
  same("GetRandomValue", 0, 5, 5)
  -- Two-register, memory and float returns; memory arguments.
  same("Vector3Add", 3, v3a, v3b)
  same("Vector3CrossProduct", 3, v3a, v3b)
  same("Vector4Add", 4, v4a, v4b)
  same("Vector3Length", 0, v3a)
  same("Vector2Distance", 0, v1, v2)
  local m = make("Matrix", p, q, r, p, q, r, p, q, r, p, q, r, p, q, r, p)
  same("MatrixMultiply", 16, m, m)
  same("MatrixTranspose", 16, m)
  same("Vector3Transform", 3, v3a, m)
  same("MatrixRotateZ", 16, x)
  collectgarbage()
end
-- The same comparisons from hot loops, whose calls the JIT compiles.
local function hot(name, n, ...)
  lunaray.mode(PLANNED)
  local want = show(rl[name](...), n)
  lunaray.mode(JIT)
  for i = 1, 200 do
    local got = show(rl[name](...), n)
    if got ~= want then error(name .. " compiled: " .. got .. " ~= " .. want) end
  end
  lunaray.mode(PLANNED)
  checked = checked + 1
end
for i, p in ipairs(PATTERNS) do
  local q = PATTERNS[(i * 7) % #PATTERNS + 1]
  hot("Vector2Add", 2, make("Vector2", p, q), make("Vector2", q, p))
  hot("CheckCollisionRecs", 0, make("Rectangle", p, q, 0x41200000, p), make("Rectangle", 0, 0, q, q))
  hot("ColorTint", 1, rl.Color(i, 2 * i, 3 * i, 255), rl.Color(200, i, 100, i))
  hot("Vector2Scale", 2, make("Vector2", q, p), 1.5)
end
-- Views into a parent's bytes are struct values too.
local cam = rl.new("Camera2D", {offset = {1, 2}, target = {3, 4}})
same("Vector2Add", 2, cam.offset, cam.target)
-- Read-only constants as arguments.
same("ColorTint", 1, rl.RED, rl.GREEN)
-- Tables and numbers standing in for structs take the planned path in both modes.
same("Vector2Add", 2, {1, 2}, {x = 3, y = 4})
same("CheckCollisionRecs", 0, {0, 0, 10, 10}, rl.Rectangle(5, 5, 10, 10))
-- Integer arguments out of range or fractional: planned in both.
same("GetColor", 1, 0x12345678 + 0.5)
same("GetRandomValue", 0, 3.7, 3.9)
-- Texts: strings in (embedded NULs end them for C in both), copied strings out; bounded
-- integers (TextSubtext's position and length); numbers and nil go planned in both.
rl.InitWindow(40, 30, "texts") -- MeasureText needs the default font
for _, t in ipairs({"", "lunaray", "a\0b", string.rep("xY", 300), "\255\1\127"}) do
  same("TextLength", 0, t)
  same("TextToUpper", 0, t)
  same("TextToLower", 0, t)
  same("MeasureText", 0, t, 10)
  same("TextIsEqual", 0, t, "lunaray")
  same("TextSubtext", 0, t, 1, 3)
  same("TextSubtext", 0, t, 0, 1000)
  same("GetCodepointCount", 0, t)
end
same("TextLength", 0, 12345)
same("TextToUpper", 0, nil)
same("TextSubtext", 0, "lunaray", 2.5, 2)
hot("TextToUpper", 0, "hot loop")
hot("TextSubtext", 0, "hot loop", 2, 4)
-- Counted as calls into C in both modes.
lunaray.mode(JIT)
local before = lunaray.stats().ffi_calls_total
for i = 1, 100 do rl.CheckCollisionRecs(rl.Rectangle(0, 0, 1, 1), rl.Rectangle(0, 0, 1, 1)) end
print("calls", lunaray.stats().ffi_calls_total - before)
print("checked", checked)
"#
    );
    let game = Game::new(&script);
    let lines = script_lines(&game.run_ok(&["--ffi"]));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], "calls\t100");
    let n: usize = lines[1].strip_prefix("checked\t").unwrap().parse().unwrap();
    assert!(n > 24 * 20, "{n} comparisons");
}

#[test]
fn jit_mode_errors_are_the_planned_ones() {
    let game = Game::new(
        r#"
local proxy = newproxy(true)
getmetatable(proxy).__metatable = "lunaray struct"
local img = rl.GenImageColor(2, 2, rl.RED)
local R = rl.Rectangle(0, 0, 1, 1)
local cases = {
  {"CheckCollisionRecs", 2, R, 5},
  {"CheckCollisionRecs", 1, R},
  {"CheckCollisionRecs", 2, R, nil},
  {"CheckCollisionRecs", 0},
  {"CheckCollisionRecs", 2, rl.Vector2(0, 0), R},
  {"CheckCollisionRecs", 2, proxy, R},
  {"CheckCollisionRecs", 2, img, R},
  {"CheckCollisionRecs", 2, io.stdout, R},
  {"CheckCollisionRecs", 2, {x = "a"}, R},
  {"Vector2Add", 2, rl.Vector2(1, 2), "x"},
  {"Vector2Add", 3, rl.Vector2(1, 2), rl.Vector2(1, 2), 3},
  {"Vector2Scale", 2, rl.Vector2(1, 2), "two"},
  {"Vector2Scale", 2, rl.Vector2(1, 2), {}},
  {"ColorAlpha", 2, rl.RED, nil},
  {"ColorAlpha", 2, rl.Vector2(1, 1), 0.5},
  {"GetColor", 1, -1},
  {"GetColor", 1, 2 ^ 40},
  {"GetColor", 1, 0 / 0},
  {"GetRandomValue", 2, 1, 2 ^ 31},
  {"GetRandomValue", 2, 1, true},
  {"TextSubtext", 2, "lunaray", -1, 2},
  {"TextSubtext", 3, "lunaray", 1, -2},
  {"TextSubtext", 3, "lunaray", 1, 2 ^ 31},
  {"TextLength", 1, {}},
  {"DrawText", 5, "x", 1, 2, 3, 4},
  {"MeasureText", 2, "x", "y"},
}
local unloaded = rl.GenImageColor(2, 2, rl.RED)
rl.UnloadImage(unloaded)
cases[#cases + 1] = {"CheckCollisionPointRec", 2, rl.Vector2(1, 1), unloaded}
local n = 0
for _, case in ipairs(cases) do
  local name, count = case[1], case[2]
  local msgs = {}
  for _, mode in ipairs({"planned", "jit"}) do
    lunaray.mode{marshal = mode}
    msgs[mode] = select(2, pcall(rl[name], unpack(case, 3, count + 2)))
  end
  lunaray.mode{marshal = "planned"}
  assert(msgs.planned == msgs.jit, name .. ": '" .. tostring(msgs.planned) .. "' ~= '" .. tostring(msgs.jit) .. "'")
  n = n + 1
end
-- A failed call raised in a script reports the script's line in both modes.
for _, mode in ipairs({"planned", "jit"}) do
  lunaray.mode{marshal = mode}
  local ok, err = pcall(rl.Vector2Add, rl.Vector2(1, 2), 7)
  print(mode, err)
end
lunaray.mode{marshal = "planned"}
print("cases", n)
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[0].replacen("planned", "", 1),
        lines[1].replacen("jit", "", 1)
    );
    assert!(
        lines[0].contains("bad argument #2 to 'Vector2Add' (Vector2 expected, got number)"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[2], "cases\t27");
}

/// `jit.attach` reports every trace that stops; a loop trace (`linktype == "loop"`) over
/// the hot loop, with no trace ended by a C function (`"stitch"`), means the call itself
/// was compiled. The planned mode, a C function per call, shows the stitch: the control.
#[test]
fn jit_mode_calls_are_compiled() {
    let game = Game::new(
        r#"
local util = require("jit.util")
local function hot(n, a, b)
  local hits = 0
  for i = 1, n do
    if rl.CheckCollisionRecs(a, b) then hits = hits + 1 end
  end
  return hits
end
local function hot_struct(n, a, b)
  local c
  for i = 1, n do c = rl.ColorTint(a, b) end
  return c
end
local function traces(f, ...)
  local links = {}
  jit.flush()
  jit.attach(function(what, tr)
    if what == "stop" then links[#links + 1] = util.traceinfo(tr).linktype end
  end, "trace")
  f(...)
  jit.attach(function() end)
  return table.concat(links, ",")
end
local a, b = rl.Rectangle(0, 0, 10, 10), rl.Rectangle(5, 5, 10, 10)
rl.InitWindow(40, 30, "texts") -- MeasureText needs the default font
local function hot_text(n, s)
  local w = 0
  for i = 1, n do w = w + rl.MeasureText(rl.TextToUpper(rl.TextSubtext(s, i % 4, 3)), 10) end
  return w
end
local function hot_scalar(n)
  local s = 0
  for i = 1, n do s = s + rl.GetRandomValue(i % 3, 3) + rl.GetScreenWidth() end
  return s
end
lunaray.mode{marshal = "jit"}
print("jit scalar", traces(hot_scalar, 1000))
print("jit", traces(hot, 1000, a, b))
print("jit color", traces(hot_struct, 1000, rl.RED, rl.BLUE))
print("jit text", traces(hot_text, 1000, "lunaray"))
lunaray.mode{marshal = "planned"}
print("planned", traces(hot, 1000, a, b))
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(lines.len(), 5, "{lines:?}");
    let links = |l: &str, prefix: &str| -> Vec<String> {
        l.strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{l}"))
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    // Functions of numbers are called straight through LuaJIT's FFI: compiled too.
    let scalar = links(&lines[0], "jit scalar\t");
    assert!(
        scalar.iter().any(|l| l == "loop") && !scalar.iter().any(|l| l == "stitch"),
        "the scalar loop was not compiled as one loop trace: {scalar:?}"
    );
    let lines = &lines[1..];
    let jit = links(&lines[0], "jit\t");
    assert!(
        jit.iter().any(|l| l == "loop") && !jit.iter().any(|l| l == "stitch"),
        "the jit loop was not compiled as one loop trace: {jit:?}"
    );
    // A struct result is a new cdata value: the loop compiles whole too.
    let color = links(&lines[1], "jit color\t");
    assert!(
        color.iter().any(|l| l == "loop") && !color.iter().any(|l| l == "stitch"),
        "the struct-returning loop was not compiled as one loop trace: {color:?}"
    );
    // Strings in and out: the calls compile, the results are new Lua strings.
    let text = links(&lines[2], "jit text\t");
    assert!(
        text.iter().any(|l| l == "loop") && !text.iter().any(|l| l == "stitch"),
        "the text loop was not compiled as one loop trace: {text:?}"
    );
    let planned = links(&lines[3], "planned\t");
    assert!(
        planned.iter().any(|l| l == "stitch"),
        "control: the planned loop should stitch around its C function: {planned:?}"
    );
}

#[test]
fn scripts_get_no_ffi() {
    let game = Game::new(
        r#"
local x = 1ULL
print(type(x), package.loaded.ffi, ffi, (pcall(require, "ffi")))
lunaray.mode{marshal = "jit"}
print(rl.CheckCollisionRecs(rl.Rectangle(0, 0, 2, 2), rl.Rectangle(1, 1, 2, 2)))
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(lines, ["cdata\tnil\tnil\tfalse", "true"]);
    // With --ffi the game keeps its own.
    let game = Game::new(
        "print(type(require('ffi').cast), package.loaded.ffi ~= nil)\n\
         lunaray.mode{marshal = 'jit'}\n\
         print(rl.CheckCollisionRecs(rl.Rectangle(0, 0, 2, 2), rl.Rectangle(5, 5, 2, 2)))\n",
    );
    let lines = script_lines(&game.run_ok(&["--ffi"]));
    assert_eq!(lines, ["function\ttrue", "false"]);
}

/// Views into raylib's memory (`font.recs[0]`) and unloaded values take the planned path in
/// jit mode, whose liveness checks refuse them once their memory is gone.
#[test]
fn jit_mode_refuses_dead_views_and_values() {
    let font = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/pixel_operator.ttf");
    let game = Game::new(&format!(
        r#"
rl.InitWindow(64, 64, "jit views")
local font = rl.LoadFontEx("{}", 16, nil, 95)
local img = rl.GenImageColor(4, 4, rl.RED)
lunaray.mode{{marshal = "jit"}}
local r = font.recs[1]
print(rl.CheckCollisionRecs(r, r))
rl.UnloadFont(font)
local ok, err = pcall(rl.CheckCollisionRecs, r, r)
print(ok, (err:gsub("^.-: ", "", 0)))
rl.UnloadImage(img)
print(pcall(rl.ColorAlpha, img, 1))
"#,
        font.display()
    ));
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(lines[0], "true", "a live view is read");
    assert!(
        lines[1].starts_with("false\t") && lines[1].contains("unloaded by UnloadFont"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("false\t")
            && lines[2].contains("Color expected, got Image unloaded by UnloadImage"),
        "{lines:?}"
    );
}

/// The benchmark scene dominated by struct calls runs its per-entity loop as compiled code
/// on the LuaJIT build's default mode: a loop trace starts inside it and no trace started
/// there ends in a C function (`stitch`). A regression to the interpreter (a C function per
/// call, an aborted trace) fails here, not only in the benchmarks.
#[test]
fn structstorm_entity_loop_is_compiled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench");
    let scene = std::fs::read_to_string(dir.join("structstorm.lua")).unwrap();
    let line_of = |needle: &str| {
        scene
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("structstorm.lua has no line with {needle:?}"))
            + 1
    };
    let (first, last) = (line_of("for i = 1, n do"), line_of("e.vel = vel"));
    let game = Game::new(&format!(
        r#"
local util = require("jit.util")
local starts, links = {{}}, {{}}
jit.attach(function(what, tr, func, pc)
  if what == "start" then
    local info = util.funcinfo(func, pc)
    starts[tr] = info.source:match("structstorm") and info.currentline or -1
  elseif what == "stop" then
    links[tr] = util.traceinfo(tr).linktype
  end
end, "trace")
require("structstorm")
jit.attach(function() end)
local loops, stitches = 0, 0
for tr, line in pairs(starts) do
  if line >= {first} and line <= {last} then
    if links[tr] == "loop" then loops = loops + 1 end
    if links[tr] == "stitch" then stitches = stitches + 1 end
  end
end
print("mode", lunaray.mode().marshal)
print("entity loop traces", loops, stitches)
"#
    ));
    game.file("structstorm.lua", scene.as_bytes());
    game.file("scene.lua", &std::fs::read(dir.join("scene.lua")).unwrap());
    let lines = script_lines(&game.run_ok(&["--frames", "30", "--", "load=300", "dt=0.016"]));
    assert_eq!(lines[0], "mode\tjit", "{lines:?}");
    let counts: Vec<u32> = lines[1]
        .strip_prefix("entity loop traces\t")
        .unwrap_or_else(|| panic!("{lines:?}"))
        .split('\t')
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        counts[0] >= 1 && counts[1] == 0,
        "structstorm's entity loop (lines {first}-{last}): {} loop traces, {} stitched",
        counts[0],
        counts[1]
    );
}
