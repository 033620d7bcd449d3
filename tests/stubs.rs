//! `lunaray stubs` writes LuaLS annotation files that Lua itself loads, and that name every
//! function, struct, constant and colour `lunaray api --json` reports, with their parameters
//! and raylib's comments.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use common::lunaray;

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lunaray-stubs-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn lua_param(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// Each `function rl.NAME(params) end` line and the annotation lines right above it.
fn functions(text: &str) -> HashMap<String, (Vec<String>, Vec<String>)> {
    let mut out = HashMap::new();
    let mut block: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("function rl.") {
            let (name, rest) = rest.split_once('(').unwrap();
            let params = rest.split_once(')').unwrap().0;
            let params = params
                .split(", ")
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            out.insert(name.to_string(), (params, std::mem::take(&mut block)));
        } else if line.starts_with("---") {
            block.push(line.to_string());
        } else {
            block.clear();
        }
    }
    out
}

#[test]
fn stubs_load_in_lua_and_cover_the_whole_registry() {
    let dir = temp_dir("all");
    let stubs = dir.join("stubs");
    let out = lunaray(&["stubs", stubs.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rl_lua = std::fs::read_to_string(stubs.join("rl.lua")).unwrap();
    let lunaray_lua = std::fs::read_to_string(stubs.join("lunaray.lua")).unwrap();

    // Both parse and run as plain Lua (a meta file's bodies are empty, its values literals).
    let lua = mlua::Lua::new();
    for (name, text) in [("rl.lua", &rl_lua), ("lunaray.lua", &lunaray_lua)] {
        assert!(text.starts_with("---@meta"), "{name}");
        lua.load(text.as_str())
            .set_name(format!("@{name}"))
            .exec()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let rl: mlua::Table = lua.globals().get("rl").unwrap();
    assert_eq!(rl.get::<i64>("KEY_SPACE").unwrap(), 32);

    let api = lunaray(&["api", "--json", "--headless"]);
    assert!(api.status.success());
    let api: serde_json::Value = serde_json::from_slice(&api.stdout).unwrap();
    let funcs = functions(&rl_lua);

    // Every callable function, with its Lua parameters (out- and in/out parameters are also
    // results) typed.
    let listed = api["functions"].as_array().unwrap();
    assert!(listed.len() > 800, "{}", listed.len());
    for f in listed {
        let name = f["name"].as_str().unwrap();
        let (params, block) = funcs
            .get(name)
            .unwrap_or_else(|| panic!("rl.{name} missing from rl.lua"));
        let mut expected = Vec::new();
        let ps = f["params"].as_array().unwrap();
        let is_out = |p: &serde_json::Value| p["contract"].as_str().unwrap().starts_with("out:");
        // Trailing out-parameters are results and may also be given (C style).
        let trailing = ps.len() - ps.iter().rev().take_while(|p| is_out(p)).count();
        for (i, p) in ps.iter().enumerate() {
            let pname = p["name"].as_str().unwrap();
            let contract = p["contract"].as_str().unwrap();
            if is_out(p) || contract.starts_with("in/out") {
                assert!(
                    block
                        .iter()
                        .any(|l| l.starts_with("---@return ") && l.ends_with(&format!(" {pname}"))),
                    "{name}: out-parameter {pname} is not a result: {block:?}"
                );
            }
            if is_out(p) && i < trailing {
                continue;
            }
            {
                let lp = lua_param(pname);
                assert!(
                    block
                        .iter()
                        .any(|l| l.starts_with(&format!("---@param {lp} "))
                            || l.starts_with(&format!("---@param {lp}? "))),
                    "{name}: no ---@param for {lp}: {block:?}"
                );
                expected.push(lp);
            }
        }
        assert_eq!(params, &expected, "{name}");
        if f["returns"] != "void" {
            assert!(
                block.iter().any(|l| l.starts_with("---@return ")),
                "{name}: no ---@return"
            );
        }
        if let Some(doc) = f["doc"].as_str() {
            let first = doc.lines().next().unwrap();
            assert!(
                block.iter().any(|l| l == &format!("---{first}")),
                "{name}: raylib's comment '{first}' missing"
            );
        }
        assert!(
            block.iter().any(|l| l.starts_with("---C: `")),
            "{name}: no C signature"
        );
    }
    // And nothing the `rl` table lacks: functions, struct constructors and `rl.new` only.
    let structs: Vec<&str> = api["structs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for name in funcs.keys() {
        assert!(
            name == "new"
                || structs.contains(&name.as_str())
                || listed.iter().any(|f| f["name"] == name.as_str()),
            "rl.lua declares rl.{name}, which the rl table does not have"
        );
    }
    for a in api["aliases"].as_array().unwrap() {
        let (alias, target) = (a["name"].as_str().unwrap(), a["type"].as_str().unwrap());
        if structs.contains(&target) {
            assert!(
                rl_lua.contains(&format!("\nrl.{alias} = rl.{target}\n")),
                "{alias}"
            );
        }
    }
    for a in api["function_aliases"].as_array().unwrap() {
        let line = format!(
            "\nrl.{} = rl.{}\n",
            a["name"].as_str().unwrap(),
            a["target"].as_str().unwrap()
        );
        assert!(rl_lua.contains(&line), "{line}");
    }
    let (_, init) = &funcs["InitWindow"];
    assert!(init.contains(&"---Initialize window and OpenGL context".to_string()));
    assert!(
        init.contains(
            &"---@param title string? a string, or a char * text raylib returned (LoadFileText); nil is NULL"
                .to_string()
        ),
        "{init:?}"
    );
    assert!(init.contains(
        &"---C: `void InitWindow(int width, int height, const char *title)`".to_string()
    ));
    let (_, fan) = &funcs["DrawTriangleFan"];
    assert!(
        fan.iter().any(|l| l
            .starts_with("---@param pointCount? integer the element count of `points`: optional")),
        "{fan:?}"
    );
    let (_, load) = &funcs["LoadFileData"];
    assert!(
        load.contains(&"---@return integer dataSize".to_string()),
        "{load:?}"
    );

    // Every struct as a class with typed fields, and its constructor.
    for s in api["structs"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let class = format!("---@class {name}\n");
        let at = rl_lua
            .find(&class)
            .unwrap_or_else(|| panic!("no class {name}"));
        let body: Vec<&str> = rl_lua[at + class.len()..]
            .lines()
            .take_while(|l| l.starts_with("---@field"))
            .collect();
        let fields: Vec<&str> = s["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(body.len(), fields.len(), "{name}: {body:?}");
        for (line, field) in body.iter().zip(&fields) {
            let mut words = line.split_whitespace().skip(1);
            assert_eq!(words.next(), Some(*field), "{name}");
            assert!(words.next().is_some(), "{name}.{field} has no type");
        }
        assert!(funcs.contains_key(name), "no constructor rl.{name}");
        assert!(rl_lua.contains(&format!("---@overload fun(ctype: \"{name}\", ...): {name}")));
    }
    assert!(rl_lua.contains("---@field x number Vector x component\n"));
    assert!(rl_lua.contains("---@class Camera3D\n---@field position Vector3 Camera position\n"));

    // Every enum value, define and colour as a constant with its value.
    for e in api["enums"].as_array().unwrap() {
        for v in e["values"].as_array().unwrap() {
            let line = format!("rl.{} = {}\n", v["name"].as_str().unwrap(), v["value"]);
            assert!(rl_lua.contains(&line), "missing {line}");
            assert_eq!(
                rl.get::<i64>(v["name"].as_str().unwrap()).unwrap(),
                v["value"].as_i64().unwrap()
            );
        }
    }
    for d in api["defines"].as_array().unwrap() {
        let name = d["name"].as_str().unwrap();
        assert!(
            rl_lua.contains(&format!("\nrl.{name} = ")),
            "missing define {name}"
        );
        match &d["value"] {
            serde_json::Value::String(s) => assert_eq!(&rl.get::<String>(name).unwrap(), s),
            n => assert_eq!(rl.get::<f64>(name).unwrap(), n.as_f64().unwrap(), "{name}"),
        }
    }
    for c in api["colors"].as_array().unwrap() {
        let line = format!(
            "---@type Color\nrl.{} = rl.Color({}, {}, {}, {})\n",
            c["name"].as_str().unwrap(),
            c["r"],
            c["g"],
            c["b"],
            c["a"]
        );
        assert!(rl_lua.contains(&line), "missing {line}");
    }
    assert!(rl_lua.contains("---Light Gray\n---@type Color\nrl.LIGHTGRAY = "));
    assert!(rl_lua.contains("function rl.new(ctype, ...) end"));

    // The runtime's table and every callback a game may define on it.
    for f in ["string", "stats", "overlay", "scale", "mode", "restart"] {
        assert!(
            lunaray_lua.contains(&format!("function lunaray.{f}(")),
            "{f}"
        );
    }
    for cb in [
        "load? fun(arg: string[], cookie: any)",
        "update? fun(dt: number)",
        "draw? fun()",
        "keypressed? fun(key: integer)",
        "keyreleased? fun(key: integer)",
        "textinput? fun(text: string, codepoint: integer)",
        "mousepressed? fun(x: number, y: number, button: integer)",
        "mousereleased? fun(x: number, y: number, button: integer)",
        "mousemoved? fun(x: number, y: number, dx: number, dy: number)",
        "wheelmoved? fun(dx: number, dy: number)",
        "resize? fun(w: integer, h: integer)",
        "filedropped? fun(paths: string[])",
        "focus? fun(f: boolean)",
        "quit? fun(): boolean?",
        "conf? fun(t: lunaray.Conf)",
        "run? fun()",
        "reload? fun(modules: string[])",
    ] {
        assert!(
            lunaray_lua.contains(&format!("---@field {cb}")),
            "callback {cb}"
        );
    }
    // The raylib functions the runtime supplies in Lua (boot.lua) are annotated with it.
    for f in [
        "TextFormat(fmt, ...)",
        "TraceLog(level, fmt, ...)",
        "SetTraceLogCallback(fn)",
    ] {
        assert!(lunaray_lua.contains(&format!("function rl.{f} end")), "{f}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stubs_default_to_dot_lunaray_in_the_current_folder() {
    let dir = temp_dir("default");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .arg("stubs")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.join(".lunaray/stubs/rl.lua").is_file());
    assert!(dir.join(".lunaray/stubs/lunaray.lua").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}
