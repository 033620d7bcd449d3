//! Pointer views on the headless backend: struct pointer fields with a declared length
//! (`model.materials`, `mesh.vertices`, `font.glyphs`) indexed as bounded arrays over
//! raylib's memory, alive-checked on every access, accepted where C takes the pointer or the
//! element, and never a way to forge what describes raylib's memory.

mod common;

use common::{script_lines, Game, Pixels, BLUE, RED};

/// The cube of raylib's models examples, seen from the front and a little above.
const SCENE: &str = r#"
rl.InitWindow(160, 120, "views")
local camera = rl.Camera3D{position = {0, 1.5, 3}, target = {0, 0, 0}, up = {0, 1, 0}, fovy = 45}
local img = rl.GenImageChecked(8, 8, 4, 4, rl.RED, rl.BLUE)
local tex = rl.LoadTextureFromImage(img)
rl.UnloadImage(img)
local model = rl.LoadModelFromMesh(rl.GenMeshCube(1, 1, 1))
"#;

fn run_scene(body: &str, frames: &str) -> (Game, Pixels, Vec<String>) {
    let game = Game::new(&format!("{SCENE}{body}"));
    let shot = game.path("shot.png");
    let out = game.run_ok(&["--frames", frames, "--screenshot", shot.to_str().unwrap()]);
    let px = Pixels::load(&shot);
    (game, px, script_lines(&out))
}

/// How many pixels of the middle 40 x 40 are exactly `c`.
fn count_in_middle(px: &Pixels, c: [u8; 4]) -> usize {
    let (cx, cy) = (px.width / 2, px.height / 2);
    let mut n = 0;
    for y in cy - 20..cy + 20 {
        for x in cx - 20..cx + 20 {
            n += (px.at(x, y) == c) as usize;
        }
    }
    n
}

const DRAW_LOOP: &str = r#"
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.BLACK)
  rl.BeginMode3D(camera)
  rl.DrawModel(model, {0, 0, 0}, 1, rl.WHITE)
  rl.EndMode3D()
  rl.EndDrawing()
end
rl.CloseWindow()
"#;

#[test]
fn the_models_idiom_textures_a_cube() {
    let body = format!(
        "model.materials[0].maps[rl.MATERIAL_MAP_ALBEDO].texture = tex   -- raylib's models examples\n\
         print(#model.materials, model.materials[0].maps[rl.MATERIAL_MAP_ALBEDO].texture.id == tex.id)\n\
         {DRAW_LOOP}"
    );
    let (_g, px, lines) = run_scene(&body, "2");
    assert_eq!(lines, ["1\ttrue"]);
    let (red, blue) = (count_in_middle(&px, RED), count_in_middle(&px, BLUE));
    assert!(
        red > 100 && blue > 100,
        "the checked texture on the cube: {red} red, {blue} blue"
    );

    // The same scene without the texture: a white cube, neither colour.
    let (_g, px, _) = run_scene(DRAW_LOOP, "2");
    assert_eq!(count_in_middle(&px, RED) + count_in_middle(&px, BLUE), 0);
    assert_eq!(
        px.at(80, 60),
        [255, 255, 255, 255],
        "untextured cube is white"
    );
}

#[test]
fn views_are_accepted_where_c_takes_the_pointer_or_the_element() {
    // SetMaterialTexture takes `Material *`; DrawMesh takes the mesh and material by value.
    let body = r#"
rl.SetMaterialTexture(model.materials[0], rl.MATERIAL_MAP_ALBEDO, tex)
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.BLACK)
  rl.BeginMode3D(camera)
  rl.DrawMesh(model.meshes[0], model.materials[0], rl.MatrixIdentity())
  rl.EndMode3D()
  rl.EndDrawing()
end
rl.CloseWindow()
"#;
    let (_g, px, _) = run_scene(body, "2");
    let (red, blue) = (count_in_middle(&px, RED), count_in_middle(&px, BLUE));
    assert!(
        red > 100 && blue > 100,
        "DrawMesh of views: {red} red, {blue} blue"
    );
}

#[test]
fn lengths_bounds_and_element_views() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "views")
local mesh = rl.GenMeshCube(1, 1, 1)
local before = {}
for i = 0, #mesh.vertices - 1 do before[i] = mesh.vertices[i] end
local model = rl.LoadModelFromMesh(mesh)
print(#model.materials, #model.meshes, #model.meshMaterial, #model.materials[0].maps)
local m = model.meshes[0]
local v = m.vertices
print(m.vertexCount, m.triangleCount, #v, #m.normals, #m.texcoords, #m.indices)
local same, half = true, true
for i = 0, #v - 1 do
  if v[i] ~= before[i] then same = false end
  if math.abs(v[i]) ~= 0.5 then half = false end
end
print(same, half, v[0], v[1], v[2])
print(m.texcoords2, m.tangents, m.colors)          -- NULL arrays are nil
for _, k in ipairs({72, -1}) do
  local ok, e = pcall(function() local x = v[k] return x end)
  print(e)
end
local ok, e = pcall(function() local x = v.x return x end)
print(e)
-- Scalar and struct elements read and write.
v[0] = 0.25
print(v[0], model.meshes[0].vertices[0])
local maps = model.materials[0].maps
maps[1].color = rl.GREEN
maps[1].value = 0.5
print(maps[1].color.g, maps[1].value, model.materials[0].maps[1].color.g)
model.materials[0].params = {1, 2, 3, 4}
model.transform = rl.MatrixTranslate(1, 2, 3)
print(model.materials[0].params[3] == 3, model.transform.m12 == 1)
local locs = model.materials[0].shader.locs print(locs == nil or #locs == 32)
local font = rl.GetFontDefault()
print(#font.glyphs == font.glyphCount, #font.recs == font.glyphCount, font.glyphs[0].value)
print(tostring(v):match("^float%[72%] view of Mesh.vertices: 0x"))
rl.UnloadModel(model)
rl.CloseWindow()
"#,
    );
    let out = game.run_ok(&["--frames", "1"]);
    assert_eq!(
        script_lines(&out),
        [
            "1\t1\t1\t12",
            "24\t12\t72\t72\t48\t36",
            "true\ttrue\t-0.5\t-0.5\t0.5",
            "nil\tnil\tnil",
            "main.lua:19: index 72 out of range for float[72] (0 to 71)",
            "main.lua:19: index -1 out of range for float[72] (0 to 71)",
            "main.lua:22: float[72] is indexed by integers from 0, got string",
            "0.25\t0.25",
            "228\t0.5\t228",
            "true\ttrue",
            "true",
            "true\ttrue\t32",
            "float[72] view of Mesh.vertices: 0x",
        ]
    );
}

#[test]
fn views_die_with_the_struct_they_point_into() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "views")
local model = rl.LoadModelFromMesh(rl.GenMeshCube(1, 1, 1))
local copy = rl.new("Model", model)     -- holds the same pointers
local mat = model.materials[0]
local maps = mat.maps
local verts = model.meshes[0].vertices
local mesh = model.meshes[0]
local copied = copy.materials
local map0 = maps[0]
rl.UnloadModel(model)
local function try(f) local ok, e = pcall(f) print(e) end
try(function() local x = mat.maps return x end)
try(function() local x = maps[0] return x end)
try(function() local x = verts[0] return x end)
try(function() local x = #verts return x end)
try(function() maps[0].value = 1 end)
try(function() local x = copy.materials return x end)
try(function() local x = copied[0] return x end)
try(function() rl.DrawMesh(mesh, rl.LoadMaterialDefault(), rl.MatrixIdentity()) end)
try(function() local x = map0.color return x end)
rl.CloseWindow()
"#,
    );
    let out = game.run_ok(&["--frames", "1"]);
    let unloaded = "the Model it points into was unloaded by UnloadModel";
    let not_made = "the Model it points into is no longer one raylib made (a copy of an \
                    unloaded value, or changed where it describes its memory)";
    assert_eq!(
        script_lines(&out),
        [
            format!("main.lua:13: view into Model.materials: {unloaded}"),
            format!("main.lua:14: Material.maps: {unloaded}"),
            format!("main.lua:15: Mesh.vertices: {unloaded}"),
            format!("main.lua:16: Mesh.vertices: {unloaded}"),
            format!("main.lua:17: Material.maps: {unloaded}"),
            format!("main.lua:18: Model.materials: {not_made}"),
            format!("main.lua:19: Model.materials: {not_made}"),
            format!(
                "main.lua:20: bad argument #1 to 'DrawMesh' (Mesh expected, got view into \
                 Model.meshes: {unloaded})"
            ),
            format!("main.lua:21: view into Material.maps: {unloaded}"),
        ]
    );
}

#[test]
fn what_describes_raylibs_memory_cannot_be_written_through_a_view() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "views")
local model = rl.LoadModelFromMesh(rl.GenMeshCube(1, 1, 1))
local mesh = model.meshes[0]
local function try(f) local ok, e = pcall(f) print(e) end
try(function() mesh.vertexCount = 100000 end)
try(function() mesh.vertices = nil end)
try(function() mesh.vaoId = 7 end)
try(function() model.materials[0].maps = nil end)
try(function() model.materials[0].maps[0].texture.id = 99 end)
try(function() model.materials[0].maps[0].texture = {id = 99, width = 4096, height = 4096} end)
try(function() model.materials[0] = rl.LoadMaterialDefault() end)
try(function() mesh.indices[0] = 60000 end)
try(function() model.meshMaterial[0] = 7 end)
try(function() rl.UnloadMesh(model.meshes[0]) end)
try(function() rl.UnloadMaterial(model.materials[0]) end)
try(function() rl.ref(model.materials[0]) end)
-- A count forged on a copy of the owned value: views of the copy are refused.
local forged = rl.new("Model", model)
forged.materialCount = 1000
try(function() local x = forged.materials return x end)
try(function() rl.DrawModel(forged, {0, 0, 0}, 1, rl.WHITE) end)
print(mesh.vertexCount, #mesh.vertices, #model.materials)
rl.UnloadModel(model)
rl.CloseWindow()
"#,
    );
    let out = game.run_ok(&["--frames", "1"]);
    let through = "cannot be written through a view into raylib's memory";
    let own = "is a view into raylib's memory: it is never freed or handed over on its own \
               (unload what it was read from)";
    let lines = script_lines(&out);
    let expected = [
        format!(
            "main.lua:6: Mesh.vertexCount {through}: it counts the elements of a pointer field"
        ),
        format!("main.lua:7: Mesh.vertices {through}: it is a pointer raylib owns"),
        format!(
            "main.lua:8: Mesh.vaoId {through}: it describes raylib's memory (ids, sizes, formats)"
        ),
        format!("main.lua:9: Material.maps {through}: it is a pointer raylib owns"),
        format!(
            "main.lua:10: Texture.id {through}: it describes raylib's memory (ids, sizes, formats)"
        ),
        format!(
            "main.lua:11: MaterialMap.texture {through}: only a Texture raylib made goes there"
        ),
        "main.lua:12: a Material in Model.materials cannot be replaced through a view: its fields \
         describe raylib's memory (write its plain fields instead)"
            .to_string(),
        "main.lua:13: Mesh.indices is read-only through a view: each indexes the vertex arrays, \
         which raylib reads unchecked (GenMeshTangents, ExportMesh)"
            .to_string(),
        "main.lua:14: Model.meshMaterial is read-only through a view: DrawModel reads \
         materials[meshMaterial[i]] unchecked"
            .to_string(),
        format!("main.lua:15: bad argument #1 to 'UnloadMesh' (Mesh in Model.meshes {own})"),
        format!(
            "main.lua:16: bad argument #1 to 'UnloadMaterial' (Material in Model.materials {own})"
        ),
        "main.lua:17: bad argument #1 to 'ref' (a view into raylib's memory is passed as it is \
         (it already stands for the pointer): no rl.ref of it)"
            .to_string(),
        "main.lua:21: Model.materials: the Model it points into is no longer one raylib made (a \
         copy of an unloaded value, or changed where it describes its memory)"
            .to_string(),
    ];
    assert_eq!(lines[..expected.len()], expected[..]);
    assert!(
        lines[expected.len()].contains("Model not made by raylib"),
        "{}",
        lines[expected.len()]
    );
    assert_eq!(lines[expected.len() + 1], "24\t72\t1");
}
