-- abi_matrix.lua: the Lua side of tests/abi_matrix.rs. Calls every function of abi_matrix.h
-- through lunaray's `rl` table and checks every field of every result against values computed
-- here, independently of the C code. Returns a list of { name, function } cases; the Rust test
-- runs each one and reports every failure (not only the first).
--
-- Written for Lua 5.4 and LuaJIT alike: no integer-only operators (xor is computed).

local unpack = table.unpack or unpack
local M32 = 4294967296

---------------------------------------------------------------------------------------------
-- assertions
---------------------------------------------------------------------------------------------

local function show(v)
  if type(v) == "string" then
    return string.format("%q", v)
  end
  return tostring(v)
end

local function eq(actual, expected, what)
  if actual ~= expected then
    error(string.format("%s: got %s, expected %s", what, show(actual), show(expected)), 2)
  end
end

local function truthy(cond, what)
  if not cond then
    error(what, 2)
  end
end

local function bxor(a, b)
  local r, bit = 0, 1
  while a > 0 or b > 0 do
    local x, y = a % 2, b % 2
    if x ~= y then
      r = r + bit
    end
    a, b, bit = (a - x) / 2, (b - y) / 2, bit * 2
  end
  return r
end

---------------------------------------------------------------------------------------------
-- struct descriptors, mirroring abi_matrix.h (field order is memory order)
--
-- kinds: f float, d double, i int, u unsigned int, s short, c char, b unsigned char,
-- bool, p void pointer, h Hidden pointer, name8 char[8], a nested descriptor,
-- or { arr = kind, n = N } for an array field.
---------------------------------------------------------------------------------------------

local D = {}
D.ColorLike = { fn = "color", fields = { { "r", "b" }, { "g", "b" }, { "b", "b" }, { "a", "b" } } }
D.Vec2Like = { fn = "vec2", fields = { { "x", "f" }, { "y", "f" } } }
D.Bytes8Like = { fn = "bytes8", fields = {
  { "b0", "b" }, { "b1", "b" }, { "b2", "b" }, { "b3", "b" },
  { "b4", "b" }, { "b5", "b" }, { "b6", "b" }, { "b7", "b" } } }
D.Vec3Like = { fn = "vec3", fields = { { "x", "f" }, { "y", "f" }, { "z", "f" } } }
D.Vec4Like = { fn = "vec4", fields = { { "x", "f" }, { "y", "f" }, { "z", "f" }, { "w", "f" } } }
D.MixedFI = { fn = "mixedfi", fields = { { "a", "f" }, { "b", "i" }, { "c", "f" }, { "d", "i" } } }
D.MixedCSFD = { fn = "mixedcsfd", fields = { { "c", "c" }, { "s", "s" }, { "f", "f" }, { "d", "d" } } }
D.FlagsLike = { fn = "flags", fields = {
  { "visible", "bool" }, { "count", "i" }, { "active", "bool" }, { "weight", "f" } } }
D.ArrLike = { fn = "arr", fields = { { "n", "i" }, { "vals", { arr = "f", n = 3 } } } }
D.NamedLike = { fn = "named", fields = { { "name", "name8" }, { "parent", "i" } } }
D.TexLike = { fn = "tex", fields = {
  { "id", "u" }, { "width", "i" }, { "height", "i" }, { "mipmaps", "i" }, { "format", "i" } } }
-- An alias: its values are TexLike values.
D.Tex2DLike = { fn = "tex2d", fields = D.TexLike.fields, struct = "TexLike" }
D.ImgLike = { fn = "img", fields = {
  { "data", "p" }, { "width", "i" }, { "height", "i" }, { "mipmaps", "i" }, { "format", "i" } } }
D.Cam2DLike = { fn = "cam2d", fields = {
  { "offset", D.Vec2Like }, { "target", D.Vec2Like }, { "rotation", "f" }, { "zoom", "f" } } }
D.StreamLike = { fn = "stream", fields = {
  { "buffer", "h" }, { "rate", "u" }, { "size", "u" }, { "channels", "u" } } }
D.GlyphLike = { fn = "glyph", fields = {
  { "value", "i" }, { "offsetX", "i" }, { "offsetY", "i" }, { "advanceX", "i" },
  { "image", D.ImgLike } } }
D.RTLike = { fn = "rt", fields = { { "id", "u" }, { "texture", D.TexLike }, { "depth", D.TexLike } } }
D.MatLike = { fn = "mat", fields = {
  { "m0", "f" }, { "m4", "f" }, { "m8", "f" }, { "m12", "f" },
  { "m1", "f" }, { "m5", "f" }, { "m9", "f" }, { "m13", "f" },
  { "m2", "f" }, { "m6", "f" }, { "m10", "f" }, { "m14", "f" },
  { "m3", "f" }, { "m7", "f" }, { "m11", "f" }, { "m15", "f" } } }
D.StereoLike = { fn = "stereo", fields = {
  { "proj", { arr = D.MatLike, n = 2 } }, { "lens", { arr = "f", n = 2 } }, { "eyes", "i" } } }

for name, d in pairs(D) do
  d.name = name
  d.struct = d.struct or name
end

-- The order the shapes are tested in (and their sizes, for the report).
local SHAPES = {
  "ColorLike", "Vec2Like", "Bytes8Like", "Vec3Like", "Vec4Like", "MixedFI", "MixedCSFD",
  "FlagsLike", "ArrLike", "NamedLike", "TexLike", "Tex2DLike", "ImgLike", "Cam2DLike",
  "StreamLike", "GlyphLike", "RTLike", "MatLike", "StereoLike",
}

---------------------------------------------------------------------------------------------
-- plain values: numbers, booleans, pointer offsets (numbers, or false for NULL), strings,
-- nested tables keyed by field name, arrays as lists
---------------------------------------------------------------------------------------------

local LETTERS = "abcdefghijklmnopqrstuvwxyz"

-- Distinct, exactly representable values for every field, from a running counter.
local function gen(kind, k)
  if type(kind) == "table" and kind.arr then
    local out = {}
    for i = 1, kind.n do
      out[i] = gen(kind.arr, k + i * 7)
    end
    return out
  elseif type(kind) == "table" then
    local out = {}
    for i, f in ipairs(kind.fields) do
      out[f[1]] = gen(f[2], k * 3 + i)
    end
    return out
  end
  local sign = (k % 2 == 0) and 1 or -1
  if kind == "f" or kind == "d" then
    return sign * ((k % 97) * 0.25 + 0.5)
  elseif kind == "i" then
    return sign * (k * 3 + 1)
  elseif kind == "u" then
    return 4000000000 + k
  elseif kind == "s" then
    return sign * (k % 1000 + 17)
  elseif kind == "c" then
    return sign * (k % 90 + 5)
  elseif kind == "b" then
    return (k * 37 + 11) % 256
  elseif kind == "bool" then
    return k % 2 == 0
  elseif kind == "p" or kind == "h" then
    return k % 200 + 1
  elseif kind == "name8" then
    local start = k % 20 + 1
    return LETTERS:sub(start, start + k % 7)
  end
  error("unknown kind " .. tostring(kind))
end

local function ptr_of(kind, off)
  if not off then
    return nil
  end
  if kind == "h" then
    return rl.abi_hidden(off)
  end
  return rl.abi_ptr(off)
end

-- The Lua value lunaray accepts for a plain value: named tables (`{x = 1}`) or positional
-- ones (`{1}`), pointers as pointer values.
local function to_lua(kind, v, positional)
  if type(kind) == "table" and kind.arr then
    local out = {}
    for i = 1, kind.n do
      out[i] = to_lua(kind.arr, v[i], positional)
    end
    return out
  elseif type(kind) == "table" then
    local out = {}
    for i, f in ipairs(kind.fields) do
      local x = to_lua(f[2], v[f[1]], positional)
      if positional then
        out[i] = x
      else
        out[f[1]] = x
      end
    end
    return out
  elseif kind == "p" or kind == "h" then
    return ptr_of(kind, v)
  end
  return v
end

-- The echo transform of abi_matrix.h.
local function xf(kind, v)
  if type(kind) == "table" and kind.arr then
    local out = {}
    for i = 1, kind.n do
      out[i] = xf(kind.arr, v[i])
    end
    return out
  elseif type(kind) == "table" then
    local out = {}
    for _, f in ipairs(kind.fields) do
      out[f[1]] = xf(f[2], v[f[1]])
    end
    return out
  end
  if kind == "f" or kind == "d" then
    return v * 2 + 1
  elseif kind == "i" then
    return v + 1
  elseif kind == "u" then
    return (v + 1) % M32
  elseif kind == "s" then
    return v * 2
  elseif kind == "c" then
    return v - 3
  elseif kind == "b" then
    return bxor(v, 0x5A)
  elseif kind == "bool" then
    return not v
  elseif kind == "p" or kind == "h" then
    return v and v + 1
  elseif kind == "name8" then
    return (v:gsub(".", function(ch)
      return string.char(bxor(ch:byte(), 0x20))
    end))
  end
  error("unknown kind " .. tostring(kind))
end

-- The checksum of abi_matrix.h: h = (h*31 + v) mod 2^32 over every field.
local function h_u(h, v)
  return (h * 31 + v % M32) % M32
end

local function sum(kind, v, h)
  if type(kind) == "table" and kind.arr then
    for i = 1, kind.n do
      h = sum(kind.arr, v[i], h)
    end
    return h
  elseif type(kind) == "table" then
    for _, f in ipairs(kind.fields) do
      h = sum(f[2], v[f[1]], h)
    end
    return h
  end
  if kind == "f" or kind == "d" then
    local q = v * 4
    assert(q == math.floor(q), "checksum inputs are multiples of 0.25")
    return h_u(h, q)
  elseif kind == "bool" then
    return h_u(h, v and 1 or 0)
  elseif kind == "p" or kind == "h" then
    return h_u(h, v or 0)
  elseif kind == "name8" then
    for i = 1, #v do
      h = h_u(h, v:byte(i))
    end
    return h
  end
  return h_u(h, v)
end

local function checksum(desc, v)
  return sum(desc, v, 7)
end

-- Checks every field of the struct value `actual` against the plain value `expected`.
local function check(kind, actual, expected, path)
  if type(kind) == "table" and kind.arr then
    eq(type(actual), "table", path .. " (array field)")
    for i = 1, kind.n do
      check(kind.arr, actual[i], expected[i], path .. "[" .. i .. "]")
    end
    return
  elseif type(kind) == "table" then
    -- lunaray's userdata, or on LuaJIT cdata for structs of plain numbers.
    local t = type(actual)
    truthy(t == "userdata" or t == "cdata", path .. " (struct value): got " .. t)
    for _, f in ipairs(kind.fields) do
      check(f[2], actual[f[1]], expected[f[1]], path .. "." .. f[1])
    end
    return
  end
  if kind == "p" or kind == "h" then
    if not expected then
      eq(actual, nil, path)
    else
      eq(type(actual), "userdata", path .. " (pointer value)")
      eq(rl.abi_ptr_offset(actual), expected, path .. " (offset into abi_buffer)")
    end
  elseif kind == "bool" then
    eq(actual, expected, path)
  elseif kind == "name8" then
    eq(actual, expected, path)
  else
    eq(type(actual), "number", path .. " (type)")
    eq(actual, expected, path)
  end
end

---------------------------------------------------------------------------------------------
-- cases
---------------------------------------------------------------------------------------------

local cases = {}

local function case(name, fn)
  cases[#cases + 1] = { name, fn }
end

case("defines and pointer helpers", function()
  eq(rl.ABI_BUFFER_SIZE, 256, "rl.ABI_BUFFER_SIZE")
  eq(rl.ABI_MATRIX_VERSION, "1.0", "rl.ABI_MATRIX_VERSION")
  eq(rl.abi_ptr_offset(rl.abi_ptr(17)), 17, "abi_ptr_offset(abi_ptr(17))")
  eq(rl.abi_ptr_offset(rl.abi_hidden(23)), 23, "abi_ptr_offset(abi_hidden(23))")
  eq(rl.abi_hidden_offset(rl.abi_hidden(42)), 42, "abi_hidden_offset(abi_hidden(42))")
  eq(rl.abi_ptr_offset(nil), -1, "abi_ptr_offset(nil)")
  eq(rl.abi_ptr(5), rl.abi_ptr(5), "pointer values compare by address")
end)

for si, name in ipairs(SHAPES) do
  local d = D[name]
  local fn = d.fn
  local echo, sumf = "abi_echo_" .. fn, "abi_sum_" .. fn
  local input = gen(d, si * 11)
  local once, twice = xf(d, input), xf(d, xf(d, input))

  case(name .. ": echo and checksum of a struct value (rl.new, named)", function()
    local v = rl.new(name, to_lua(d, input, false))
    check(d, v, input, name .. " as built")
    local r = rl[echo](v)
    check(d, r, once, echo .. "(v)")
    truthy(tostring(r):sub(1, #d.struct + 1) == d.struct .. "(", echo .. " returns a "
      .. d.struct .. " value, got " .. tostring(r))
    check(d, v, input, name .. " argument unchanged after " .. echo)
    eq(rl[sumf](v), checksum(d, input), sumf .. "(v)")
    eq(rl[sumf](r), checksum(d, once), sumf .. "(echo(v))")
    -- A returned struct value passed straight back.
    check(d, rl[echo](r), twice, echo .. "(" .. echo .. "(v))")
  end)

  case(name .. ": rl.new positional arguments and the constructor", function()
    local args = to_lua(d, input, true)
    local v = rl.new(name, unpack(args, 1, #d.fields))
    check(d, v, input, "rl.new(" .. name .. ", ...)")
    check(d, rl[echo](v), once, echo .. "(rl.new positional)")
    local c = rl[name](unpack(args, 1, #d.fields))
    check(d, c, input, "rl." .. name .. "(...)")
    eq(rl[sumf](c), checksum(d, input), sumf .. "(constructor value)")
    local copy = rl.new(name, v)
    check(d, copy, input, "rl.new(" .. name .. ", v) copy")
  end)

  case(name .. ": echo and checksum of a plain named table", function()
    local t = to_lua(d, input, false)
    check(d, rl[echo](t), once, echo .. "{name = ...}")
    eq(rl[sumf](t), checksum(d, input), sumf .. "{name = ...}")
  end)

  case(name .. ": echo and checksum of a plain positional table", function()
    local t = to_lua(d, input, true)
    check(d, rl[echo](t), once, echo .. "{...}")
    eq(rl[sumf](t), checksum(d, input), sumf .. "{...}")
  end)

  case(name .. ": zeroed value", function()
    local z = rl.new(name)
    local zero = gen(d, 0)
    local function zero_of(kind, v)
      if type(kind) == "table" and kind.arr then
        local out = {}
        for i = 1, kind.n do
          out[i] = zero_of(kind.arr, v[i])
        end
        return out
      elseif type(kind) == "table" then
        local out = {}
        for _, f in ipairs(kind.fields) do
          out[f[1]] = zero_of(f[2], v[f[1]])
        end
        return out
      elseif kind == "bool" then
        return false
      elseif kind == "p" or kind == "h" then
        return false
      elseif kind == "name8" then
        return ""
      end
      return 0
    end
    zero = zero_of(d, zero)
    check(d, z, zero, "rl.new(" .. name .. ")")
    check(d, rl[echo](z), xf(d, zero), echo .. "(zeroed)")
    eq(rl[sumf](z), checksum(d, zero), sumf .. "(zeroed)")
  end)

  local ref = "abi_ref_" .. fn
  if rl[ref] then
    case(name .. ": by reference, changed in place", function()
      local v = rl.new(name, to_lua(d, input, false))
      local n = select("#", rl[ref](v))
      eq(n, 0, ref .. " results")
      check(d, v, once, ref .. "(v)")
      rl[ref](v)
      check(d, v, twice, ref .. "(v) twice")
    end)
  end
end

case("by reference: a nested struct view changes its parent", function()
  local d = D.RTLike
  local input = gen(d, 5)
  local rt = rl.new("RTLike", to_lua(d, input, false))
  rl.abi_ref_tex(rt.texture)
  local expected = gen(d, 5)
  expected.texture = xf(D.TexLike, input.texture)
  check(d, rt, expected, "abi_ref_tex(rt.texture)")
  -- A view passed by value is its parent's bytes.
  check(D.TexLike, rl.abi_echo_tex(rt.depth), xf(D.TexLike, input.depth), "abi_echo_tex(rt.depth)")
  eq(rl.abi_sum_tex(rt.texture), checksum(D.TexLike, expected.texture), "abi_sum_tex(rt.texture)")
  -- And a view of a view of an Image inside a Glyph.
  local g = rl.new("GlyphLike", to_lua(D.GlyphLike, gen(D.GlyphLike, 3), false))
  rl.abi_ref_img(g.image)
  local ge = gen(D.GlyphLike, 3)
  ge.image = xf(D.ImgLike, ge.image)
  check(D.GlyphLike, g, ge, "abi_ref_img(g.image)")
end)

case("by reference with a result: abi_ref_tex_scaled", function()
  local t = rl.TexLike(1, 3, 5, 7, 9)
  local n = { rl.abi_ref_tex_scaled(t, 4) }
  eq(#n, 1, "abi_ref_tex_scaled results")
  eq(n[1], 12 * 20, "abi_ref_tex_scaled result")
  check(D.TexLike, t, { id = 1, width = 12, height = 20, mipmaps = 7, format = 9 }, "scaled texture")
  local ok, err = pcall(rl.abi_ref_tex, { 1, 2, 3, 4, 5 })
  truthy(not ok, "a plain table is not accepted by reference")
  truthy(tostring(err):find("TexLike expected", 1, true), "by-reference error names the struct: "
    .. tostring(err))
end)

case("mixed arguments: abi_mix (SSE, INTEGER and memory structs with scalars)", function()
  local m = gen(D.MatLike, 2)
  m.m0, m.m5, m.m15 = 0.5, 1.25, -3.5
  local mv = rl.new("MatLike", to_lua(D.MatLike, m, false))
  local r = rl.abi_mix({ 1.5, -2.25 }, 0.75, rl.ColorLike(10, 20, 30, 40),
    { id = 7, width = 8, height = 9, mipmaps = 10, format = 11 }, mv, 3)
  local expected = 1.5 + 2 * -2.25 + 3 * 0.75 + 10 + 20 * 0.5 + 40 + 7 + 8 * 10 + 11 * 100
    + 0.5 + 1.25 * 2 + -3.5 * 4 + 3 * 1000
  eq(r, expected, "abi_mix")
end)

case("mixed arguments: abi_mix_sse (SSE registers run out mid-list)", function()
  local a, b = { 0.5, 1.5 }, rl.Vec2Like(2.5, -3.5)
  local c = { x = 4.25, y = 5.25, z = -6.25 }
  local dd = rl.Vec4Like(7.5, 8.5, 9.5, 10.5)
  local e = { 11.75, 12.75 }
  local f = rl.Vec3Like(13.5, 14.5, 15.5)
  local g = -16.125
  local h = { y = 18.5, x = 17.5 }
  local expected = 1 * 0.5 + 2 * 1.5 + 3 * 2.5 + 4 * -3.5
    + 5 * 4.25 + 6 * 5.25 + 7 * -6.25
    + 8 * 7.5 + 9 * 8.5 + 10 * 9.5 + 11 * 10.5
    + 12 * 11.75 + 13 * 12.75
    + 14 * 13.5 + 15 * 14.5 + 16 * 15.5
    + 17 * g + 18 * 17.5 + 19 * 18.5
  eq(rl.abi_mix_sse(a, b, c, dd, e, f, g, h), expected, "abi_mix_sse")
end)

case("mixed arguments: abi_mix_int (INTEGER registers run out mid-list)", function()
  local a = rl.ColorLike(200, 1, 2, 130)
  local b = { a = 5, b = -6, c = 7, d = 8 }
  local c = 9
  local d = rl.MixedCSFD(-10, -300, 12, 13)
  local e = { true, 14, false, 15 }
  local f = -16
  local g = rl.ImgLike(rl.abi_ptr(17), 18, 19, 20, 21)
  local h = 22
  local x = { 200, 130, -6, 8, 5, 7, 9, -10, -300, 12, 13, 1, 14, 0, 15, -16, 17, 18, 21, 22 }
  local expected = 0
  for i = 1, 20 do
    expected = expected + i * x[i] * ((i - 1) % 2 == 1 and 1000 or 1)
  end
  eq(rl.abi_mix_int(a, b, c, d, e, f, g, h), expected, "abi_mix_int")
end)

case("mixed arguments: abi_mix_ret (a 64-byte result with struct and scalar arguments)", function()
  local m = gen(D.MatLike, 9)
  local r = rl.abi_mix_ret(2, to_lua(D.MatLike, m, true), { 0.25, -0.75 }, 6)
  local expected = {}
  for i, f in ipairs(D.MatLike.fields) do
    expected[f[1]] = m[f[1]] * 2 + (i - 1)
  end
  expected.m12 = expected.m12 + 0.25
  expected.m13 = expected.m13 - 0.75
  expected.m15 = expected.m15 + 6
  check(D.MatLike, r, expected, "abi_mix_ret")
end)

case("mixed arguments: abi_mix_tex (20-byte result, char and double arguments)", function()
  local r = rl.abi_mix_tex({ 3, 0, 0, 250 }, 100.75, rl.Tex2DLike(1000, 20, 30, 40, 50), -7,
    { 1, 2, 3 })
  check(D.TexLike, r, { id = 1003, width = 120, height = 23, mipmaps = 43, format = 303 },
    "abi_mix_tex")
  eq(tostring(r):sub(1, 8), "TexLike(", "abi_mix_tex returns a TexLike (Tex2DLike is its alias)")
end)

case("narrow scalar returns", function()
  eq(rl.abi_is_visible({ true, 3, false, 0 }), true, "abi_is_visible true")
  eq(rl.abi_is_visible({ visible = true, count = 0 }), false, "abi_is_visible false")
  eq(rl.abi_is_visible(rl.FlagsLike(false, 5)), false, "abi_is_visible false (not visible)")
  local m = rl.MixedCSFD(-100, -1234, 1.5, 2.5)
  eq(rl.abi_char_of(m), -100, "abi_char_of")
  eq(rl.abi_short_of(m), -1234, "abi_short_of")
  eq(rl.abi_alpha_of({ 1, 2, 3, 201 }), 201, "abi_alpha_of")
end)

case("out-parameters come back after the return value", function()
  local q, r = rl.abi_divide(17, 5)
  eq(select("#", rl.abi_divide(17, 5)), 2, "abi_divide result count")
  eq(q, 3, "abi_divide quotient")
  eq(r, 2, "abi_divide count (out)")
  eq(select("#", rl.abi_out_vec(1.5)), 1, "abi_out_vec result count")
  check(D.Vec2Like, rl.abi_out_vec(1.5), { x = 1.5, y = 3 }, "abi_out_vec")
  local ok, t = rl.abi_out_tex(4000000001)
  eq(ok, true, "abi_out_tex result")
  check(D.TexLike, t, { id = 4000000001, width = 2, height = 3, mipmaps = 4, format = 5 },
    "abi_out_tex outTexture")
end)

case("strings", function()
  local s = rl.abi_describe_color({ 1, 2, 3, 255 })
  eq(type(s), "string", "abi_describe_color type")
  eq(s, "ColorLike(1,2,3,255)", "abi_describe_color")
  eq(rl.abi_describe_color(rl.ColorLike(9, 8, 7, 6)), "ColorLike(9,8,7,6)", "abi_describe_color")
  eq(rl.abi_name_of(1), "one", "abi_name_of(1)")
  eq(rl.abi_name_of(2), "two", "abi_name_of(2)")
  eq(rl.abi_name_of(7), nil, "abi_name_of(7) (NULL)")
  eq(rl.abi_echo_text("h\195\169llo, world"), "h\195\169llo, world", "abi_echo_text")
end)

case("wrong struct types are refused", function()
  local ok, err = pcall(rl.abi_echo_vec2, rl.Vec3Like(1, 2, 3))
  truthy(not ok, "abi_echo_vec2(Vec3Like) must fail")
  truthy(tostring(err):find("bad argument #1 to 'abi_echo_vec2' (Vec2Like expected, got Vec3Like)",
    1, true), "error message: " .. tostring(err))
end)

return cases
