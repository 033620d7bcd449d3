-- Mutated copies of a real font through raylib's TrueType loaders (LoadFontFromMemory with
-- the default or random codepoints, LoadFontData of every glyph type): byte flips, overwrites
-- and truncations of the font at FONT_MUTANTS_FONT (default: font.ttf beside this script,
-- the folder lunaray runs it in), from a fixed seed. Every copy lunaray's font check accepts reaches stb_truetype;
-- run under valgrind to see that those read only inside their buffer:
--   FONT_MUTANTS_FONT=$PWD/assets/pixel_operator.ttf \
--     valgrind --error-exitcode=1 target/release/lunaray run scripts/font_mutants --headless
-- Prints how many loads were accepted and refused. FONT_MUTANTS (count, 2000),
-- FONT_MUTANTS_SEED (1) change the run; FONT_MUTANTS_VERBOSE prints each load,
-- FONT_MUTANTS_DUMP=N writes the Nth copy to mutant.ttf there. tests/fonts.rs runs 400 of them.
rl.SetTraceLogLevel(rl.LOG_ERROR)
rl.InitWindow(64, 32, "font mutants")
local path = os.getenv("FONT_MUTANTS_FONT") or "font.ttf"
local f = assert(io.open(path, "rb"))
local font = f:read("a")
f:close()
local count = tonumber(os.getenv("FONT_MUTANTS") or "2000")
local seed = tonumber(os.getenv("FONT_MUTANTS_SEED") or "1")

-- Park-Miller: exact in doubles, so Lua 5.4 and LuaJIT draw the same numbers.
local state = seed % 2147483646 + 1
local function rand(n)
  state = state * 16807 % 2147483647
  return state % n
end

local function mutate(s)
  for _ = 1, 1 + rand(4) do
    local n = #s
    if n == 0 then break end
    local i = 1 + rand(n)
    local op = rand(4)
    -- Truncations mostly end the font before the glyphs: one in eight of them.
    if op == 2 and rand(8) > 0 then op = 0 end
    local function put(at, byte)
      if at <= #s then s = s:sub(1, at - 1) .. string.char(byte) .. s:sub(at + 1) end
    end
    if op == 0 then
      -- One bit flipped (arithmetic, for LuaJIT too).
      local bit, b = 2 ^ rand(8), s:byte(i)
      put(i, math.floor(b / bit) % 2 == 1 and b - bit or b + bit)
    elseif op == 1 then
      put(i, rand(256))
    elseif op == 2 then
      s = s:sub(1, i - 1)
    else
      put(i, 255)
      put(i + 1, rand(256))
    end
  end
  return s
end

local accepted, refused = 0, 0
local sizes = { 8, 16, 33, 100 }
for n = 1, count do
  local data = mutate(font)
  local size = sizes[1 + rand(#sizes)]
  local ok, result
  local how = rand(3)
  if os.getenv("FONT_MUTANTS_DUMP") == tostring(n) then
    -- The copy as loaded, to look at: mutant.ttf beside the font.
    local out = assert(io.open("mutant.ttf", "wb"))
    out:write(data)
    out:close()
    print("mutant", n, "size", size, "how", how)
  end
  if how == 0 then
    ok, result = pcall(rl.LoadFontFromMemory, ".ttf", data, #data, size, nil, 95)
    if ok then rl.UnloadFont(result) end
  elseif how == 1 then
    local cps = {}
    for k = 1, 20 do cps[k] = rand(70000) - 10 end
    ok, result = pcall(rl.LoadFontFromMemory, ".ttf", data, #data, size, cps, #cps)
    if ok then rl.UnloadFont(result) end
  else
    local glyphs, got
    ok, glyphs, got = pcall(rl.LoadFontData, data, #data, size, nil, 95, rand(3))
    if ok then rl.UnloadFontData(glyphs, got) end
  end
  if ok then accepted = accepted + 1 else refused = refused + 1 end
  if os.getenv("FONT_MUTANTS_VERBOSE") then print(n, ok, ok and "" or result) end
end
print(("font mutants: %d loads, %d accepted (through stb_truetype), %d refused"):format(count, accepted, refused))
rl.CloseWindow()
