//! `lunaray build GAME -o OUT`: one executable file holding the game. OUT is a copy of the
//! running lunaray binary with the game appended as a zip archive and a trailer at the very
//! end: the payload's length (u64, little-endian) then [`MAGIC`]. A binary that finds the
//! trailer on itself at start-up runs its game (extracted as `package` does) instead of the
//! normal command line. raylib is already inside the binary (see `libraries`), so OUT runs
//! with nothing else installed.
//!
//! The zip holds the game folder's files at its root, except the `.lunaray` folder (editor
//! stubs), `.git`, and OUT itself when it is inside the folder.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::ZipWriter;

/// The last bytes of a built game.
pub const MAGIC: &[u8; 16] = b"LUNARAY-GAME-v1\n";
const TRAILER: usize = 8 + MAGIC.len();

/// Folders of a game folder that never go into a build.
const SKIPPED_DIRS: &[&str] = &[".lunaray", ".git"];

/// What `build` wrote.
pub struct Built {
    pub files: usize,
    pub payload_bytes: u64,
    pub total_bytes: u64,
}

/// Writes OUT: this binary (without any game it already carries), then GAME zipped, then the
/// trailer. GAME is a folder with `main.lua`, a `.zip` of one, or a single `.lua` file (stored
/// as `main.lua`).
pub fn build(game: &Path, out: &Path) -> Result<Built, String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the lunaray binary: {e}"))?;
    let mut base = std::fs::read(&exe).map_err(|e| format!("{}: {e}", exe.display()))?;
    if let Some(len) = trailer(&base) {
        base.truncate(base.len() - TRAILER - len as usize);
    }
    let (payload, files) = payload_of(game, out)?;
    let tmp = out.with_file_name(format!(
        ".{}.{}.tmp",
        out.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = File::create(&tmp)?;
        f.write_all(&base)?;
        f.write_all(&payload)?;
        f.write_all(&(payload.len() as u64).to_le_bytes())?;
        f.write_all(MAGIC)?;
        f.sync_all()?;
        drop(f);
        set_executable(&tmp)?;
        std::fs::rename(&tmp, out)
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("{}: {e}", out.display()));
    }
    Ok(Built {
        files,
        payload_bytes: payload.len() as u64,
        total_bytes: (base.len() + payload.len() + TRAILER) as u64,
    })
}

#[cfg(unix)]
fn set_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The zip to append, and how many files it holds.
fn payload_of(game: &Path, out: &Path) -> Result<(Vec<u8>, usize), String> {
    if game.is_dir() {
        if !game.join("main.lua").is_file() {
            return Err(format!("{}: no main.lua in this folder", game.display()));
        }
        return zip_folder(game, out);
    }
    let ext = game
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    if !game.is_file() {
        return Err(format!(
            "{}: no such game (give a folder with main.lua, a .lua file or a .zip)",
            game.display()
        ));
    }
    let bytes = std::fs::read(game).map_err(|e| format!("{}: {e}", game.display()))?;
    if ext.eq_ignore_ascii_case("zip") {
        // Checked now (entries, main.lua) rather than when the built game first starts.
        crate::runtime::package::check(&bytes, &game.display().to_string())?;
        let n = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).map_or(0, |z| z.len());
        return Ok((bytes, n));
    }
    if ext != "lua" {
        return Err(format!(
            "{}: not a game (give a folder with main.lua, a .lua file or a .zip)",
            game.display()
        ));
    }
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let err = |e: zip::result::ZipError| format!("{}: {e}", game.display());
    zip.start_file("main.lua", SimpleFileOptions::default())
        .map_err(err)?;
    zip.write_all(&bytes)
        .map_err(|e| format!("{}: {e}", game.display()))?;
    Ok((zip.finish().map_err(err)?.into_inner(), 1))
}

/// Zips every file under `dir` (paths relative to it), skipping [`SKIPPED_DIRS`] at its top,
/// `out`, and symbolic links to folders (which could loop).
fn zip_folder(dir: &Path, out: &Path) -> Result<(Vec<u8>, usize), String> {
    let out = std::fs::canonicalize(
        out.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .ok()
    .and_then(|p| out.file_name().map(|n| p.join(n)));
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        let entries = std::fs::read_dir(&here).map_err(|e| format!("{}: {e}", here.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", here.display()))?;
            let name = entry.file_name();
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if rel.as_os_str().is_empty() && SKIPPED_DIRS.iter().any(|s| name == *s) {
                continue;
            }
            if kind.is_dir() {
                stack.push(rel.join(&name));
            } else if path.is_file() {
                if out.is_some() && std::fs::canonicalize(&path).ok() == out {
                    continue;
                }
                files.push(rel.join(&name));
            }
        }
    }
    files.sort();
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for rel in &files {
        let path = dir.join(rel);
        let name = rel
            .iter()
            .map(|c| c.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let bytes = zip
        .finish()
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .into_inner();
    Ok((bytes, files.len()))
}

/// The payload length a trailer at the end of `bytes` announces, if it is one.
fn trailer(bytes: &[u8]) -> Option<u64> {
    let end = bytes.len().checked_sub(TRAILER)?;
    parse_trailer(&bytes[end..], bytes.len() as u64)
}

fn parse_trailer(t: &[u8], file_len: u64) -> Option<u64> {
    let (len, magic) = t.split_at(8);
    if magic != MAGIC {
        return None;
    }
    let len = u64::from_le_bytes(len.try_into().ok()?);
    (len <= file_len - TRAILER as u64).then_some(len)
}

/// The game this binary carries, if it is a built one: the zip's bytes. Reads only the
/// trailer unless there is one.
pub fn embedded_payload() -> Result<Option<Vec<u8>>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let read = || -> std::io::Result<Option<Vec<u8>>> {
        let mut f = File::open(&exe)?;
        let file_len = f.metadata()?.len();
        if file_len < TRAILER as u64 {
            return Ok(None);
        }
        f.seek(SeekFrom::End(-(TRAILER as i64)))?;
        let mut t = [0u8; TRAILER];
        f.read_exact(&mut t)?;
        let Some(len) = parse_trailer(&t, file_len) else {
            return Ok(None);
        };
        f.seek(SeekFrom::End(-(TRAILER as i64) - len as i64))?;
        let mut payload = vec![0u8; len as usize];
        f.read_exact(&mut payload)?;
        Ok(Some(payload))
    };
    read().map_err(|e| format!("{}: reading the embedded game: {e}", exe.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailer_is_recognised_only_with_its_magic_and_a_fitting_length() {
        let mut file = b"binary".to_vec();
        file.extend_from_slice(b"zip!");
        file.extend_from_slice(&4u64.to_le_bytes());
        file.extend_from_slice(MAGIC);
        assert_eq!(trailer(&file), Some(4));
        let mut long = file.clone();
        let at = long.len() - TRAILER;
        long[at..at + 8].copy_from_slice(&1000u64.to_le_bytes());
        assert_eq!(trailer(&long), None);
        assert_eq!(trailer(b"just a binary with no game at all"), None);
    }
}
