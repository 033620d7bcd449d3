//! `lunaray run --sandbox`: running a game nobody vouches for. The policy as data lives in
//! `marshal::sandbox` (which paths are inside), raylib's path parameters are checked by the
//! executor against it (`marshal/exec.rs`, `file_name_arg`), and the Lua side is
//! `scripts/sandbox.lua`, which takes the standard library down to what cannot reach outside
//! the game: see [docs/sandbox.md](../../docs/sandbox.md).

use std::path::{Path, PathBuf};

use crate::marshal::sandbox::Sandbox;
use crate::marshal::Ctx;

pub const SANDBOX_LUA: &str = include_str!("../../scripts/sandbox.lua");

/// Puts raylib's paths under the sandbox (files only in `game_dir`, and the save folders
/// `lunaray.save_dir()` hands out), raylib's own file reads too (`ffi::file_hooks`), and adds what `scripts/sandbox.lua` needs to `runtime`:
/// `sandbox_read(path)` (a file's text, or nil and Lua's message) and
/// `sandbox_readable(path)`, both through the same check, and a `save_dir` that lets its
/// folder through.
pub fn install(
    lua: &mlua::Lua,
    runtime: &mlua::Table,
    ctx: &'static Ctx,
    game_dir: &Path,
) -> mlua::Result<()> {
    let sandbox = Sandbox::new(&[game_dir.to_path_buf()])
        .map_err(|e| mlua::Error::runtime(format!("{}: {e}", game_dir.display())))?;
    *ctx.sandbox.borrow_mut() = Some(sandbox);
    // raylib's own reads of files other files name (a model's textures and buffers).
    let hooked = crate::ffi::file_hooks::install(&ctx.library, move |path| {
        match ctx.sandbox.try_borrow().as_deref() {
            Ok(Some(s)) => s.check(path).map(|_| ()),
            _ => Err("the sandbox is busy".into()),
        }
    });
    if !hooked {
        return Err(mlua::Error::runtime(
            "--sandbox: this raylib cannot route its file reads (no SetLoadFileDataCallback)",
        ));
    }

    let check = move |path: &mlua::LuaString| -> Result<PathBuf, String> {
        let bytes = path.as_bytes();
        if bytes.contains(&0) {
            return Err("a path with a NUL byte".into());
        }
        match ctx.sandbox.borrow().as_ref() {
            Some(s) => s.check(&bytes),
            None => Err("no sandbox".into()),
        }
    };
    runtime.set(
        "sandbox_read",
        lua.create_function(move |lua, path: mlua::LuaString| {
            let shown = path.to_string_lossy();
            let result = check(&path)
                .map_err(|why| format!("the sandbox refused it ({why})"))
                .and_then(|p| match std::fs::metadata(&p) {
                    Ok(m) if m.is_dir() => Err("a directory".into()),
                    _ => std::fs::read(&p).map_err(|e| e.to_string()),
                });
            match result {
                Ok(bytes) => Ok((Some(lua.create_string(bytes)?), None)),
                Err(why) => Ok((None, Some(format!("cannot open {shown}: {why}")))),
            }
        })?,
    )?;
    runtime.set(
        "sandbox_readable",
        lua.create_function(move |_, path: mlua::LuaString| {
            Ok(check(&path).is_ok_and(|p| p.is_file()))
        })?,
    )?;
    runtime.set(
        "save_dir",
        lua.create_function(move |_, name: String| {
            let dir = crate::runtime::save_dir::save_dir(&name)
                .map_err(|e| mlua::Error::runtime(format!("lunaray.save_dir: {e}")))?;
            if let Some(s) = ctx.sandbox.borrow_mut().as_mut() {
                s.add_root(&dir)
                    .map_err(|e| mlua::Error::runtime(format!("lunaray.save_dir: {e}")))?;
            }
            Ok(dir.to_string_lossy().into_owned())
        })?,
    )?;
    Ok(())
}
