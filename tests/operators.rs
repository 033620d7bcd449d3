//! Operators on Vector2/3/4 and Matrix values equal raymath's own functions bit for bit
//! (results compared byte for byte: `==` on struct values is exact), never change their
//! operands, and refuse what raymath has no operation for.

mod common;

use common::Game;

#[test]
fn operators_equal_raymath_bit_for_bit() {
    let game = Game::new(
        r##"
local unpack = table.unpack or unpack
-- A fixed pseudo-random stream of awkward floats: tiny, huge, negative, zero, inf, NaN.
local seed = 12345
local function rnd()
  seed = (seed * 1103515245 + 12345) % 2147483648
  local k = seed % 9
  local x = (seed / 2147483648 - 0.5)
  if k == 0 then return x * 1e-38 elseif k == 1 then return x * 1e30
  elseif k == 2 then return 0 elseif k == 3 then return 1 / 0
  elseif k == 4 then return 0 / 0 end
  return x * 100
end
local function same(a, b) -- numbers, bit for bit (NaN equals NaN)
  return string.format("%a", a) == string.format("%a", b) or (a ~= a and b ~= b)
end
local fails, checked = {}, 0
local function check(what, got, want)
  checked = checked + 1
  local ok
  if type(got) == "number" then ok = same(got, want) else ok = (got == want) end
  if not ok and #fails < 5 then fails[#fails + 1] = what .. ": " .. tostring(got) .. " vs " .. tostring(want) end
end
for _, T in ipairs{"Vector2", "Vector3", "Vector4"} do
  local V = rl[T]
  local n = ({Vector2 = 2, Vector3 = 3, Vector4 = 4})[T]
  local function vec() local c = {} for i = 1, n do c[i] = rnd() end return V(unpack(c)) end
  for _ = 1, 200 do
    local a, b, x = vec(), vec(), rnd()
    local a0 = rl.new(T, a)
    check(T .. " +", a + b, rl[T .. "Add"](a, b))
    check(T .. " -", a - b, rl[T .. "Subtract"](a, b))
    check(T .. " *", a * b, rl[T .. "Multiply"](a, b))
    check(T .. " /", a / b, rl[T .. "Divide"](a, b))
    check(T .. " * x", a * x, rl[T .. "Scale"](a, x))
    check("x * " .. T, x * a, rl[T .. "Scale"](a, x))
    check(T .. " + x", a + x, rl[T .. "AddValue"](a, x))
    check("x + " .. T, x + a, rl[T .. "AddValue"](a, x))
    check(T .. " - x", a - x, rl[T .. "SubtractValue"](a, x))
    local xs = {} for i = 1, n do xs[i] = x end
    local xv = V(unpack(xs))
    check("x - " .. T, x - a, rl[T .. "Subtract"](xv, a))
    check(T .. " / x", a / x, rl[T .. "Divide"](a, xv))
    check("x / " .. T, x / a, rl[T .. "Divide"](xv, a))
    check("-" .. T, -a, rl[T .. "Negate"](a))
    check("#" .. T, #a, rl[T .. "Length"](a))
    check(T .. " unchanged", a, a0)
  end
end
for _ = 1, 100 do
  local function mat()
    local m = rl.new("Matrix")
    for i = 0, 15 do m["m" .. i] = rnd() end
    return m
  end
  local a, b, v = mat(), mat(), rl.Vector3(rnd(), rnd(), rnd())
  local a0, b0, v0 = rl.new("Matrix", a), rl.new("Matrix", b), rl.new("Vector3", v)
  check("Matrix *", a * b, rl.MatrixMultiply(a, b))
  check("Matrix +", a + b, rl.MatrixAdd(a, b))
  check("Matrix -", a - b, rl.MatrixSubtract(a, b))
  check("Matrix * Vector3", a * v, rl.Vector3Transform(v, a))
  check("Matrix operands unchanged", a == a0 and b == b0 and v == v0, true)
end
-- Views (a struct value's field) are operands like any other value, and stay unchanged.
local cam = rl.new("Camera3D", {position = rl.Vector3(1.5, -2, 3), fovy = 45})
local w = rl.Vector3(0.25, 4, -8)
check("view +", cam.position + w, rl.Vector3Add(cam.position, w))
check("+ view", w + cam.position, rl.Vector3Add(w, cam.position))
check("view * x", cam.position * 3, rl.Vector3Scale(cam.position, 3))
check("x * view", 3 * cam.position, rl.Vector3Scale(cam.position, 3))
check("-view", -cam.position, rl.Vector3Negate(cam.position))
check("#view", #cam.position, rl.Vector3Length(cam.position))
check("Matrix * view", rl.MatrixRotateZ(1) * cam.position, rl.Vector3Transform(cam.position, rl.MatrixRotateZ(1)))
check("view unchanged", cam.position, rl.Vector3(1.5, -2, 3))
-- Quaternion is Vector4.
local q, r = rl.new("Quaternion", 1, 2, 3, 4), rl.new("Quaternion", -1, 0.5, 2, 8)
check("Quaternion +", q + r, rl.QuaternionAdd(q, r))
check("Quaternion * x", q * 0.5, rl.QuaternionScale(q, 0.5))
print(checked, #fails == 0 and "all equal" or table.concat(fails, "\n"))
"##,
    );
    let out = game.run_ok(&[]);
    assert_eq!(common::script_lines(&out), ["9510\tall equal"]);
}

#[test]
fn operators_refuse_what_raymath_does_not_define() {
    let game = Game::new(
        r#"
local v2, v3, m = rl.Vector2(1, 2), rl.Vector3(1, 2, 3), rl.MatrixIdentity()
for _, f in ipairs{
  function() return v2 + v3 end,
  function() return rl.RED * 2 end,
  function() return #rl.RED end,
  function() return v2 + "3" end,
  function() return -m end,
  function() return m / m end,
  function() return v3 * m end,
  function() return m * 2 end,
} do
  print(select(2, pcall(f)))
end
"#,
    );
    let out = game.run_ok(&[]);
    assert_eq!(
        common::script_lines(&out),
        [
            "main.lua:4: attempt to perform arithmetic (+) on a Vector2 and a Vector3",
            "main.lua:5: attempt to perform arithmetic (*) on a Color value",
            "main.lua:6: attempt to get length of a Color value",
            "main.lua:7: attempt to perform arithmetic (+) on a string value",
            "main.lua:8: attempt to perform arithmetic (unary -) on a Matrix value",
            "main.lua:9: attempt to perform arithmetic (/) on two Matrix values",
            "main.lua:10: attempt to perform arithmetic (*) on a Matrix and a value it has no raymath operation with",
            "main.lua:11: attempt to perform arithmetic (*) on a Matrix and a value it has no raymath operation with",
        ]
    );
}
