//! Finding the libraylib to load: `--raylib FILE`, else the backend's library next to the
//! binary, else where `cargo build` put it, else the copy embedded in the binary (extracted
//! once to the user's cache), so `cargo install` works with no environment variables.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ffi::library::Library;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// GLFW/X11 + OpenGL.
    Windowed,
    /// raylib's `PLATFORM=Memory` software renderer: no display, no GPU, real pixels.
    Headless,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Windowed => "windowed",
            Backend::Headless => "headless",
        }
    }

    fn build_path(self) -> &'static str {
        match self {
            Backend::Windowed => env!("LUNARAY_LIB_WINDOWED"),
            Backend::Headless => env!("LUNARAY_LIB_HEADLESS"),
        }
    }

    fn embedded(self) -> &'static [u8] {
        match self {
            Backend::Windowed => include_bytes!(env!("LUNARAY_LIB_WINDOWED")),
            Backend::Headless => include_bytes!(env!("LUNARAY_LIB_HEADLESS")),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot load libraylib ({backend} backend); tried:\n{}", tried_list(.tried))]
pub struct LoadError {
    pub backend: &'static str,
    pub tried: Vec<(PathBuf, String)>,
}

fn tried_list(tried: &[(PathBuf, String)]) -> String {
    tried
        .iter()
        .map(|(p, why)| format!("  {}: {why}", p.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads the library for `backend`, or `explicit` if given.
pub fn load(backend: Backend, explicit: Option<&Path>) -> Result<Arc<Library>, LoadError> {
    let mut tried = Vec::new();
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p.to_path_buf()],
        None => {
            let mut c = Vec::new();
            if let Some(dir) = std::env::current_exe()
                .ok()
                .and_then(|e| e.parent().map(Path::to_path_buf))
            {
                c.push(dir.join("raylib").join(backend.name()).join("libraylib.so"));
                // `target/<profile>/deps/<test binary>` during `cargo test`.
                if let Some(up) = dir.parent() {
                    c.push(up.join("raylib").join(backend.name()).join("libraylib.so"));
                }
            }
            c.push(PathBuf::from(backend.build_path()));
            c
        }
    };
    for path in candidates {
        if !path.exists() {
            tried.push((path, "not found".into()));
            continue;
        }
        match Library::open(&path) {
            Ok(lib) => return Ok(with_hooks(lib)),
            Err(e) => tried.push((path, e.to_string())),
        }
    }
    if explicit.is_none() {
        match extract_embedded(backend) {
            Ok(path) => match Library::open(&path) {
                Ok(lib) => return Ok(with_hooks(lib)),
                Err(e) => tried.push((path, e.to_string())),
            },
            Err((path, e)) => tried.push((path, format!("extracting the embedded copy: {e}"))),
        }
    }
    Err(LoadError {
        backend: backend.name(),
        tried,
    })
}

/// A loaded library with lunaray's hooks that every use needs: raygui's style font check.
fn with_hooks(lib: Library) -> Arc<Library> {
    crate::ffi::style_fonts::install(&lib);
    Arc::new(lib)
}

/// Writes the embedded library to `$XDG_CACHE_HOME/lunaray/<hash>/<backend>/libraylib.so`
/// (or `~/.cache/...`, or the temp dir) unless an identical copy is there already.
pub(crate) fn extract_embedded(backend: Backend) -> Result<PathBuf, (PathBuf, std::io::Error)> {
    let bytes = backend.embedded();
    let dir = cache_dir()
        .join(format!("{:016x}", fnv1a(bytes)))
        .join(backend.name());
    let path = dir.join("libraylib.so");
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
        return Ok(path);
    }
    write_replacing(&path, bytes, false)
        .map(|()| path.clone())
        .map_err(|e| (path, e))
}

/// Writes `bytes` to `path` (creating its folder) through a temporary file beside it and a
/// rename, so another lunaray starting meanwhile never sees half a file; `executable` makes
/// it mode 755.
pub(crate) fn write_replacing(path: &Path, bytes: &[u8], executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    if executable {
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
    }
    std::fs::rename(&tmp, path)
}

/// lunaray's cache: `$XDG_CACHE_HOME/lunaray`, or `~/.cache/lunaray`, or the temp dir's.
pub(crate) fn cache_dir() -> PathBuf {
    xdg_base("XDG_CACHE_HOME", ".cache").join("lunaray")
}

/// An XDG base folder: `$var` if set, else `~/<under_home>`, else the temp dir.
pub(crate) fn xdg_base(var: &str, under_home: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(under_home)))
        .unwrap_or_else(std::env::temp_dir)
}

/// FNV-1a: a cheap, stable content hash for cache folder names (not for security).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// True when a display server is reachable by name (X11 or Wayland).
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}
