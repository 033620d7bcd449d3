//! Direct invokers against libffi: every registered raylib and raymath function whose call
//! travels in registers is called with the same arguments through both, and the results
//! must be identical. Arguments are generated from each declaration.

mod common;

use std::fmt::Write as _;

use common::{script_lines, Game};
use lunaray::registry::semantics::{classify, ParamKind};
use lunaray::registry::{CType, Prim, Registry, Source};

/// Functions not called, and why: they end the process's window or audio, sleep, open
/// programs, change the window so later calls behave differently, or are raylib functions
/// that dereference NULL members of the zeroed structs this generator passes (raylib does
/// not check those; a script passing a zeroed Font or Material crashes raylib too, see the
/// README's notes on raylib's own preconditions).
const NOT_CALLED: &[(&str, &str)] = &[
    ("InitWindow", "opens the window the test runs in"),
    (
        "SeekMusicStream",
        "raylib reads the NULL context of the zeroed Music passed",
    ),
    (
        "ExportWaveAsCode",
        "raylib reads the NULL data of the zeroed Wave passed",
    ),
    (
        "LoadSoundAlias",
        "raylib reads the NULL buffer of the zeroed Sound passed",
    ),
    (
        "LoadSound",
        "decodes a file the test wrote with other contents",
    ),
    (
        "LoadWave",
        "decodes a file the test wrote with other contents",
    ),
    (
        "SetMaterialTexture",
        "raylib writes through the NULL maps of the zeroed Material passed",
    ),
    (
        "DrawMesh",
        "raylib reads the NULL maps of the zeroed Material passed",
    ),
    (
        "GetGlyphAtlasRec",
        "raylib reads the NULL recs of the zeroed Font passed",
    ),
    (
        "GetGlyphInfo",
        "raylib reads the NULL glyphs of the zeroed Font passed",
    ),
    (
        "DrawTextCodepoint",
        "raylib reads the NULL glyphs of the zeroed Font passed",
    ),
    (
        "ImageDrawTextEx",
        "raylib reads the NULL glyphs of the zeroed Font passed",
    ),
    (
        "ImageTextEx",
        "raylib reads the NULL glyphs of the zeroed Font passed",
    ),
    (
        "ExportImageAsCode",
        "raylib reads the NULL data of the zeroed Image passed",
    ),
    ("CloseWindow", "closes the window the test runs in"),
    ("InitAudioDevice", "needs an audio device"),
    ("CloseAudioDevice", "needs an audio device"),
    ("WaitTime", "sleeps"),
    ("OpenURL", "starts a browser"),
    ("TakeScreenshot", "writes a file"),
    ("EnableEventWaiting", "makes later frames block on input"),
    ("SetTargetFPS", "makes later frames sleep"),
    ("ToggleFullscreen", "changes the window"),
    ("ToggleBorderlessWindowed", "changes the window"),
    ("MaximizeWindow", "changes the window"),
    ("MinimizeWindow", "changes the window"),
    ("SetWindowState", "changes the window"),
    ("ClearWindowState", "changes the window"),
    ("SetConfigFlags", "changes the window"),
    ("SetWindowSize", "changes the window"),
    ("BeginDrawing", "frame structure is left to the frame"),
    ("BeginMode2D", "Begin/End modes must pair"),
    ("EndMode2D", "Begin/End modes must pair"),
    ("BeginMode3D", "Begin/End modes must pair"),
    ("EndMode3D", "Begin/End modes must pair"),
    ("BeginTextureMode", "Begin/End modes must pair"),
    ("EndTextureMode", "Begin/End modes must pair"),
    ("BeginShaderMode", "Begin/End modes must pair"),
    ("EndShaderMode", "Begin/End modes must pair"),
    ("BeginBlendMode", "Begin/End modes must pair"),
    ("EndBlendMode", "Begin/End modes must pair"),
    ("BeginScissorMode", "Begin/End modes must pair"),
    ("EndScissorMode", "Begin/End modes must pair"),
    ("BeginVrStereoMode", "Begin/End modes must pair"),
    ("EndVrStereoMode", "Begin/End modes must pair"),
    ("EndDrawing", "frame structure is left to the frame"),
    ("SwapScreenBuffer", "frame structure is left to the frame"),
    ("PollInputEvents", "frame structure is left to the frame"),
    ("SetTraceLogLevel", "changes what raylib logs"),
    ("MakeDirectory", "writes to the file system"),
    ("FileRemove", "removes a file"),
    ("FileRename", "moves a file"),
    ("ChangeDirectory", "changes the process's directory"),
];

/// Results that legitimately differ between two calls (clocks, frame counters); and every
/// `Load*`, which creates a new resource (a new id) each time.
const VARYING: &[&str] = &["GetTime", "GetFrameTime", "GetFPS"];

fn value_for(reg: &Registry, ty: &CType, i: usize) -> String {
    match ty {
        CType::Prim(Prim::Bool) => "true".into(),
        CType::Prim(p) if p.is_float() => format!("{}.25", i + 1),
        CType::Prim(_) => format!("{}", i + 1),
        CType::Struct(id) => {
            let s = &reg.structs[*id];
            let scalar_only = s
                .fields
                .iter()
                .all(|f| matches!(f.ty, CType::Prim(p) if p != Prim::Bool));
            if scalar_only {
                let vals: Vec<String> = s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(k, f)| match f.ty {
                        CType::Prim(p) if p.is_float() => format!("{}.5", k + i + 1),
                        _ => format!("{}", (k + i + 1) * 20),
                    })
                    .collect();
                format!("rl.new('{}', {})", s.name, vals.join(", "))
            } else {
                format!("rl.new('{}')", s.name)
            }
        }
        _ => "nil".into(),
    }
}

#[test]
fn direct_invokers_agree_with_libffi_on_every_function() {
    let reg = Registry::raylib();
    let lib =
        lunaray::runtime::libraries::load(lunaray::runtime::libraries::Backend::Headless, None)
            .unwrap();
    let lua = mlua::Lua::new();
    let bindings = lunaray::marshal::bind(&lua, Registry::raylib(), lib);
    let mut script = String::from(
        "rl.SetTraceLogLevel(rl.LOG_WARNING)\nrl.InitWindow(64, 64, 'invokers')\nlocal cases = {}\n",
    );
    let mut called = 0;
    for plan in bindings.plans {
        let f = &reg.functions[plan.decl];
        if !plan.has_direct_invoker()
            || f.source == Source::Rlgl
            || NOT_CALLED.iter().any(|(n, _)| *n == f.name)
        {
            continue;
        }
        let sem = classify(&reg, f).unwrap();
        let args: Vec<String> = f
            .params
            .iter()
            .zip(&sem.params)
            .enumerate()
            .filter(|(_, (_, k))| !matches!(k, ParamKind::Out(_)))
            .map(|(i, (p, k))| match k {
                ParamKind::CString | ParamKind::FileName { .. } | ParamKind::StringNotNull => {
                    "'lunaray'".to_string()
                }
                ParamKind::StructRef(id) => value_for(&reg, &CType::Struct(*id), i),
                _ => value_for(&reg, &p.ty, i),
            })
            .collect();
        writeln!(
            script,
            "cases[#cases + 1] = {{'{}', function() return rl.{}({}) end}}",
            f.name,
            f.name,
            args.join(", ")
        )
        .unwrap();
        called += 1;
    }
    script.push_str(&format!(
        r#"
local varying = {{{}}}
local function show(...)
  local out = {{}}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'userdata' and tostring(v):find('pointer', 1, true) then v = 'pointer' end
    out[#out + 1] = tostring(v)
  end
  return table.concat(out, ' ')
end
local function run(f)
  rl.SetRandomSeed(42)
  local ok, a = pcall(function() return show(f()) end)
  return (ok and '' or 'error: ') .. a
end
local n = 0
for _, c in ipairs(cases) do
  local name, f = c[1], c[2]
  io.stderr:write(name, '\n')
  lunaray.mode{{direct = true}}
  local direct = run(f)
  lunaray.mode{{direct = false}}
  local libffi = run(f)
  if direct ~= libffi and not varying[name] and not name:find("^Load") then
    print('MISMATCH ' .. name .. ': direct ' .. direct .. ' | libffi ' .. libffi)
  end
  n = n + 1
end
print('compared ' .. n)
"#,
        VARYING
            .iter()
            .map(|n| format!("{n} = true"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let game = Game::new(&script);
    let out = game.run(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the script died ({}); last function called: {}",
        out.status,
        stderr.lines().last().unwrap_or("")
    );
    let lines = script_lines(&String::from_utf8_lossy(&out.stdout));
    let mismatches: Vec<_> = lines.iter().filter(|l| l.starts_with("MISMATCH")).collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    assert_eq!(
        lines.last().map(String::as_str),
        Some(format!("compared {called}").as_str())
    );
    eprintln!("direct vs libffi: {called} functions compared");
    assert!(called >= 400, "only {called} functions compared");
}
