//! The benchmark scenes and the native C floors, carried inside the binary, so `lunaray bench
//! --scenes` runs from any folder and from an installed binary (no checkout needed).
//!
//! The scenes are written out to a temporary folder laid out as in the repository
//! (`scripts/bench/*.lua`, `assets/wabbit_alpha.png`: bunnymark loads `../../assets/...`);
//! the floors go next to the extracted copy of raylib they link against (their rpath is
//! `$ORIGIN`).

use std::path::{Path, PathBuf};

use crate::runtime::libraries::{self, Backend};

/// The scene scripts, by file name.
const SCRIPTS: &[(&str, &str)] = &[
    ("scene.lua", include_str!("../../scripts/bench/scene.lua")),
    (
        "bunnymark.lua",
        include_str!("../../scripts/bench/bunnymark.lua"),
    ),
    (
        "structstorm.lua",
        include_str!("../../scripts/bench/structstorm.lua"),
    ),
    ("text.lua", include_str!("../../scripts/bench/text.lua")),
    (
        "cubes3d.lua",
        include_str!("../../scripts/bench/cubes3d.lua"),
    ),
];

/// The assets the scenes load, by file name under `assets/`.
const ASSETS: &[(&str, &[u8])] = &[(
    "wabbit_alpha.png",
    include_bytes!("../../assets/wabbit_alpha.png"),
)];

/// Writes the scenes under `root`; returns their folder (`root/scripts/bench`).
pub fn unpack(root: &Path) -> std::io::Result<PathBuf> {
    let scenes = root.join("scripts").join("bench");
    std::fs::create_dir_all(&scenes)?;
    for (name, text) in SCRIPTS {
        std::fs::write(scenes.join(name), text)?;
    }
    let assets = root.join("assets");
    std::fs::create_dir_all(&assets)?;
    for (name, bytes) in ASSETS {
        std::fs::write(assets.join(name), bytes)?;
    }
    Ok(scenes)
}

/// The native floors built by build.rs, per backend.
fn native_bytes(name: &str, backend: Backend) -> Option<&'static [u8]> {
    Some(match (name, backend) {
        ("bunnymark_c", Backend::Headless) => {
            include_bytes!(concat!(env!("LUNARAY_NATIVE_DIR"), "/headless/bunnymark_c"))
        }
        ("structstorm_c", Backend::Headless) => {
            include_bytes!(concat!(
                env!("LUNARAY_NATIVE_DIR"),
                "/headless/structstorm_c"
            ))
        }
        ("bunnymark_c", Backend::Windowed) => {
            include_bytes!(concat!(env!("LUNARAY_NATIVE_DIR"), "/windowed/bunnymark_c"))
        }
        ("structstorm_c", Backend::Windowed) => {
            include_bytes!(concat!(
                env!("LUNARAY_NATIVE_DIR"),
                "/windowed/structstorm_c"
            ))
        }
        _ => return None,
    })
}

/// Writes the native floor `name` next to the extracted raylib for `backend` (unless an
/// identical copy is there); returns its path.
pub fn extract_native(name: &str, backend: Backend) -> Result<PathBuf, String> {
    let bytes = native_bytes(name, backend).ok_or_else(|| format!("no native floor {name}"))?;
    let lib =
        libraries::extract_embedded(backend).map_err(|(p, e)| format!("{}: {e}", p.display()))?;
    let dir = lib.parent().expect("the library has a folder");
    let path = dir.join(name);
    // Small programs: compare them whole, so a rebuilt floor replaces an old copy.
    if std::fs::read(&path).is_ok_and(|b| b == bytes) {
        return Ok(path);
    }
    libraries::write_replacing(&path, bytes, true)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
