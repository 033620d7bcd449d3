//! The sandbox's file policy (`lunaray run --sandbox`): a path a script hands to raylib, or
//! to Lua's `require`/`loadfile`/`dofile`, must lead inside one of the sandbox's folders (the
//! game's folder and its save folder). The path is resolved as the kernel would resolve it
//! from the current folder: symbolic links followed (so a link out of the game's folder is
//! refused), `..` taken against the real parent. The part of the path that does not exist
//! yet (a file about to be written, a folder `MakeDirectory` creates) may not use `..` at
//! all, since nothing says where it would lead once created.
//!
//! C reads a path up to its first NUL byte, so that is the path checked.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The folders files may be in, canonical.
    roots: Vec<PathBuf>,
}

/// Symbolic links followed in one path before it is refused (Linux's own limit is 40).
const MAX_LINKS: usize = 40;

impl Sandbox {
    /// A sandbox over `roots` (each must exist; they are made canonical).
    pub fn new(roots: &[PathBuf]) -> std::io::Result<Sandbox> {
        let roots = roots
            .iter()
            .map(std::fs::canonicalize)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Sandbox { roots })
    }

    /// The folders files may be in.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Lets files in `root` (an existing folder) through too.
    pub fn add_root(&mut self, root: &Path) -> std::io::Result<()> {
        let root = std::fs::canonicalize(root)?;
        if !self.roots.contains(&root) {
            self.roots.push(root);
        }
        Ok(())
    }

    /// Where `path` (as C reads it: up to its first NUL) leads from the current folder, if
    /// that is inside the sandbox; otherwise why it is refused.
    pub fn check(&self, path: &[u8]) -> Result<PathBuf, String> {
        use std::os::unix::ffi::OsStrExt;
        let path = path.split(|&b| b == 0).next().unwrap_or_default();
        let path = Path::new(std::ffi::OsStr::from_bytes(path));
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .map_err(|e| format!("the current folder is unknown ({e})"))?;
        let resolved = resolve(&cwd, path)?;
        if self.roots.iter().any(|r| resolved.starts_with(r)) {
            Ok(resolved)
        } else {
            Err("outside the game's folder and its save folder".into())
        }
    }
}

impl Sandbox {
    /// The material libraries an OBJ model's text names (`mtllib NAME` lines), which
    /// raylib's OBJ loader (tinyobj) opens with `fopen` itself, past `ffi::file_hooks`: each
    /// must pass the sandbox too, from the model's folder (raylib changes into it while it
    /// parses).
    pub fn check_obj_materials(&self, obj: &Path) -> Result<(), String> {
        let Ok(text) = std::fs::read(obj) else {
            return Ok(()); // Not readable: the loader fails on its own.
        };
        let dir = obj.parent().unwrap_or(Path::new("/"));
        for line in text.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let start = line
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
            let Some(rest) = line[start..].strip_prefix(b"mtllib") else {
                continue;
            };
            if !rest.first().is_some_and(|b| matches!(b, b' ' | b'\t')) {
                continue;
            }
            let name = rest.trim_ascii_start();
            // tinyobj takes the rest of the line; a name with trailing blanks is checked as
            // written and trimmed.
            for candidate in [name, name.trim_ascii_end()] {
                use std::os::unix::ffi::OsStrExt;
                let path = dir.join(std::ffi::OsStr::from_bytes(candidate));
                if let Err(why) = self.check(path.as_os_str().as_bytes()) {
                    return Err(format!(
                        "its material library '{}' is refused: {why}",
                        String::from_utf8_lossy(candidate)
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `path` resolved from `cwd` (canonical) as the kernel would: see the module's note.
fn resolve(cwd: &Path, path: &Path) -> Result<PathBuf, String> {
    let mut now = if path.is_absolute() {
        PathBuf::from("/")
    } else {
        cwd.to_path_buf()
    };
    let mut missing = false;
    let mut links = 0;
    for c in path.components() {
        match c {
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
            Component::ParentDir if missing => {
                return Err("`..` after a folder that does not exist".into())
            }
            Component::ParentDir => {
                now.pop();
            }
            Component::Normal(name) => {
                let next = now.join(name);
                if missing {
                    now = next;
                    continue;
                }
                match std::fs::symlink_metadata(&next) {
                    Ok(m) if m.file_type().is_symlink() => {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err("too many symbolic links".into());
                        }
                        now = std::fs::canonicalize(&next)
                            .map_err(|_| "a symbolic link that leads nowhere".to_string())?;
                    }
                    Ok(_) => now = next,
                    Err(_) => {
                        missing = true;
                        now = next;
                    }
                }
            }
        }
    }
    Ok(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_as_the_kernel_does() {
        let base = std::env::temp_dir().join(format!("lunaray-sandbox-{}", std::process::id()));
        let game = base.join("game");
        std::fs::create_dir_all(game.join("sub")).unwrap();
        std::fs::write(game.join("a.png"), b"x").unwrap();
        std::os::unix::fs::symlink("/etc", game.join("out")).unwrap();
        std::os::unix::fs::symlink(game.join("sub"), game.join("in")).unwrap();
        let game = std::fs::canonicalize(&game).unwrap();
        let ok = |p: &str| resolve(&game, Path::new(p)).unwrap();
        assert_eq!(ok("a.png"), game.join("a.png"));
        assert_eq!(ok("sub/../a.png"), game.join("a.png"));
        assert_eq!(ok("./in/new.txt"), game.join("sub/new.txt"));
        assert_eq!(ok("in/../a.png"), game.join("a.png"));
        assert_eq!(ok("out/passwd"), PathBuf::from("/etc/passwd"));
        assert!(ok("../../../../../../proc/self/mem").starts_with("/proc"));
        assert_eq!(ok("new/dir"), game.join("new/dir"));
        assert!(resolve(&game, Path::new("new/../../x")).is_err());
        let _ = std::fs::remove_dir_all(&base);
    }
}
