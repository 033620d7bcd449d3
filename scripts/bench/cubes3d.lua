-- bench/cubes3d: a 3D scene of many small draw calls with struct arguments.
--
-- Measures: per cube and frame one DrawCube and one DrawCubeWires call, each passing a
-- Vector3 and a Color, inside BeginMode3D/EndMode3D with a Camera3D (rl.new("Camera3D", ...))
-- orbiting a square grid of cubes that bob up and down, plus DrawGrid. Cube positions are
-- Vector3 struct values changed in place each frame from Lua.
--
-- Knobs (script arguments, `lunaray run cubes3d.lua -- key=value ...`; parsed by scene.lua):
--   load=N       cubes (default 400)
--   seed=S       rl.SetRandomSeed(S) before any random use (default 1); cube colors come
--                from rl.GetRandomValue
--   dt=X         fixed frame time in seconds instead of rl.GetFrameTime() (orbit and bobbing
--                follow the accumulated time), for reproducible runs; DrawFPS is skipped
--   fps=N        rl.SetTargetFPS(N) (default 0: unthrottled, so frame time is the work)
-- Frame-time statistics: `lunaray run cubes3d.lua --report FILE.json`. The runtime's
-- overlay is on (scene.lua), except when dt is given.
-- If the runtime provides lunaray.scale() (its +/- keys), each frame draws
-- max(1, floor(load * scale())) cubes; the grid and the camera distance follow that count.

local screenWidth, screenHeight = 800, 450
local SPACING = 1.6         -- grid step between cube centers
local SIZE = 1.0            -- cube edge
local ORBIT_SPEED = 0.35    -- camera, radians per second
local BOB_SPEED = 2.0       -- radians per second
local BOB_HEIGHT = 0.6

local scene = require("scene")
local opts = scene.options("cubes3d", { load = 400 })
local load = opts.load
local fixedDt = opts.dt

-- Initialization --------------------------------------------------------------------------
scene.start(opts, screenWidth, screenHeight)

local camera = rl.new("Camera3D", {
  position = rl.Vector3(20.0, 14.0, 20.0),
  target = { 0.0, 0.0, 0.0 },
  up = { 0.0, 1.0, 0.0 },
  fovy = 45.0,
  projection = rl.CAMERA_PERSPECTIVE,
})

local DrawCube, DrawCubeWires = rl.DrawCube, rl.DrawCubeWires
local WIRE = rl.DARKGRAY

-- One Vector3 (moved each frame) and one Color per cube, made when first needed
local positions, colors = {}, {}
local made = 0
local function makeCube()
  made = made + 1
  positions[made] = rl.Vector3(0, 0, 0)
  colors[made] = rl.Color(rl.GetRandomValue(60, 250), rl.GetRandomValue(60, 250),
                          rl.GetRandomValue(60, 250), 255)
end
for _ = 1, load do makeCube() end

local t = 0

-- Main game loop --------------------------------------------------------------------------
while not rl.WindowShouldClose() do
  -- Update
  local n = scene.count(load)
  while made < n do makeCube() end
  local dt = fixedDt or rl.GetFrameTime()
  t = t + dt

  -- A square grid around the origin, as many columns as rows
  local side = math.floor(math.sqrt(n))
  if side * side < n then side = side + 1 end
  local half = (side - 1) * SPACING / 2
  local extent = side * SPACING

  -- The camera orbits the grid at a distance that fits it
  local angle = t * ORBIT_SPEED
  local radius = extent * 0.95 + 6
  camera.position.x = math.cos(angle) * radius
  camera.position.y = radius * 0.65
  camera.position.z = math.sin(angle) * radius

  local bob = t * BOB_SPEED
  for i = 1, n do
    local k = i - 1
    local col = k % side
    local row = math.floor(k / side)
    local p = positions[i]
    p.x = col * SPACING - half
    p.y = SIZE / 2 + BOB_HEIGHT * math.sin(bob + (col + row) * 0.45)
    p.z = row * SPACING - half
  end

  -- Draw
  rl.BeginDrawing()

    rl.ClearBackground(rl.RAYWHITE)

    rl.BeginMode3D(camera)
      rl.DrawGrid(side + 4, SPACING)
      for i = 1, n do
        local p = positions[i]
        DrawCube(p, SIZE, SIZE, SIZE, colors[i])
        DrawCubeWires(p, SIZE, SIZE, SIZE, WIRE)
      end
    rl.EndMode3D()

    rl.DrawRectangle(0, 0, screenWidth, 40, rl.BLACK)
    rl.DrawText(string.format("cubes: %d  draw calls: %d", n, 2 * n), 120, 10, 20, rl.GREEN)

    if not fixedDt then rl.DrawFPS(10, 10) end

  rl.EndDrawing()
end

-- De-Initialization -----------------------------------------------------------------------
rl.CloseWindow()
