//! Zipped games: `lunaray run game.zip`, and the game inside a built executable. The archive is
//! extracted once to a cache folder named by a hash of its bytes
//! (`$XDG_CACHE_HOME/lunaray/games/<hash>/`, as the embedded raylib is), and the game runs
//! from there: `require`, and raylib's loaders that read files through C's `fopen` relative to
//! the process's folder, see ordinary files. `main.lua` may be at the archive's root or inside
//! one top-level folder (as "compress folder" makes them). Entries with absolute paths or `..`
//! (zip-slip) and symbolic links are refused before anything is written.

use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use zip::ZipArchive;

use crate::runtime::libraries::{cache_dir, fnv1a};

/// Marks a fully extracted folder: a folder without it is a half-written one (a crash while
/// extracting) and is extracted again.
const COMPLETE: &str = ".lunaray-extracted";

/// Extracts the zip file at `path`; returns the folder holding its `main.lua`.
pub fn extract_file(path: &Path) -> Result<PathBuf, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    extract(&bytes, &path.display().to_string())
}

/// Extracts a zip archive held in memory (`label` names it in errors); returns the folder
/// holding its `main.lua`.
pub fn extract(bytes: &[u8], label: &str) -> Result<PathBuf, String> {
    let (mut archive, names, root) = open(bytes, label)?;
    let dir = cache_dir()
        .join("games")
        .join(format!("{:016x}", fnv1a(bytes)));
    if !dir.join(COMPLETE).is_file() {
        unpack(&mut archive, &names, &dir, label)?;
    }
    Ok(dir.join(root))
}

/// Checks that `bytes` is a game archive (readable, every entry safe, a `main.lua`) without
/// extracting it.
pub fn check(bytes: &[u8], label: &str) -> Result<(), String> {
    open(bytes, label).map(|_| ())
}

type Opened<'a> = (ZipArchive<Cursor<&'a [u8]>>, Vec<PathBuf>, PathBuf);

/// The archive, its entries' checked paths, and the folder holding `main.lua`.
fn open<'a>(bytes: &'a [u8], label: &str) -> Result<Opened<'a>, String> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("{label}: not a readable zip archive ({e})"))?;
    let names = entry_names(&mut archive, label)?;
    let root = game_root(&names).ok_or_else(|| {
        format!("{label}: no main.lua at the top of the archive or in its one top-level folder")
    })?;
    Ok((archive, names, root))
}

/// Every entry's path, checked to stay inside the folder it is extracted to.
fn entry_names(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    label: &str,
) -> Result<Vec<PathBuf>, String> {
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| format!("{label}: entry {i}: {e}"))?;
        let name = entry.name().to_string();
        if entry.is_symlink() {
            return Err(format!(
                "{label}: entry '{name}' is a symbolic link; games must hold plain files"
            ));
        }
        let path = safe_path(&name).ok_or_else(|| {
            format!(
                "{label}: entry '{name}' would be written outside the game's folder \
                 (absolute path or '..'); refusing to extract"
            )
        })?;
        names.push(path);
    }
    Ok(names)
}

/// `name` as a relative path of normal components only; None for an absolute path, a drive
/// prefix, a backslash path, or a `..` anywhere.
fn safe_path(name: &str) -> Option<PathBuf> {
    if name.contains('\\') || name.contains('\0') {
        return None;
    }
    let mut path = PathBuf::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(path)
}

/// Where `main.lua` is: the archive's root, or the one folder every entry is in.
fn game_root(names: &[PathBuf]) -> Option<PathBuf> {
    if names.iter().any(|n| n == Path::new("main.lua")) {
        return Some(PathBuf::new());
    }
    let mut tops = names
        .iter()
        .filter_map(|n| n.components().next())
        .map(|c| c.as_os_str().to_owned())
        // macOS's "compress" adds a `__MACOSX` folder of resource forks beside the game.
        .filter(|t| t != "__MACOSX");
    let top = tops.next()?;
    if tops.any(|t| t != top) {
        return None;
    }
    let root = PathBuf::from(top);
    names
        .iter()
        .any(|n| *n == root.join("main.lua"))
        .then_some(root)
}

/// Writes every entry under a fresh temporary folder, then renames it to `dir`, so a folder
/// is either absent or complete.
fn unpack(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    names: &[PathBuf],
    dir: &Path,
    label: &str,
) -> Result<(), String> {
    let parent = dir.parent().unwrap_or(dir);
    let tmp = parent.join(format!(
        "{}.{}.tmp",
        dir.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let io = |p: &Path, e: std::io::Error| format!("{label}: extracting to {}: {e}", p.display());
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
    for (i, name) in names.iter().enumerate() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("{label}: entry '{}': {e}", name.display()))?;
        let target = tmp.join(name);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| io(&target, e))?;
            continue;
        }
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        // Streamed: an entry's size is whatever the archive claims, not memory to reserve.
        let mut file = std::fs::File::create(&target).map_err(|e| io(&target, e))?;
        std::io::copy(&mut entry, &mut file)
            .map_err(|e| format!("{label}: entry '{}': {e}", name.display()))?;
    }
    std::fs::write(tmp.join(COMPLETE), b"").map_err(|e| io(&tmp, e))?;
    // A half-written folder from a crash goes; one another lunaray finished meanwhile stays
    // (theirs is as good, and may be running).
    if !dir.join(COMPLETE).is_file() {
        let _ = std::fs::remove_dir_all(dir);
    }
    match std::fs::rename(&tmp, dir) {
        Ok(()) => Ok(()),
        Err(_) if dir.join(COMPLETE).is_file() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(())
        }
        Err(e) => Err(io(dir, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_folder_are_refused() {
        assert_eq!(safe_path("a/b.lua"), Some(PathBuf::from("a/b.lua")));
        assert_eq!(safe_path("./main.lua"), Some(PathBuf::from("main.lua")));
        for bad in ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", "C:\\x"] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn main_lua_at_the_root_or_in_one_folder() {
        let p = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(game_root(&p(&["main.lua", "a.png"])), Some(PathBuf::new()));
        assert_eq!(
            game_root(&p(&["g/", "g/main.lua", "__MACOSX/g/._main.lua"])),
            Some(PathBuf::from("g"))
        );
        assert_eq!(game_root(&p(&["g/main.lua", "h/x.lua"])), None);
        assert_eq!(game_root(&p(&["g/sub/main.lua"])), None);
    }
}
