//! Running games through the real `lunaray` binary on the headless backend.
#![allow(dead_code)]

pub mod c_layouts;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A game folder in the temp dir, removed on drop.
pub struct Game {
    pub dir: PathBuf,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Game {
    pub fn new(main_lua: &str) -> Game {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("lunaray-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.lua"), main_lua).unwrap();
        Game { dir }
    }

    pub fn file(&self, name: &str, contents: &[u8]) -> &Game {
        std::fs::write(self.dir.join(name), contents).unwrap();
        self
    }

    /// Runs `lunaray run <dir> --headless <extra>`.
    pub fn run(&self, extra: &[&str]) -> Output {
        lunaray(&[&["run", self.dir.to_str().unwrap(), "--headless"], extra].concat())
    }

    /// Runs the game and expects success; returns stdout.
    pub fn run_ok(&self, extra: &[&str]) -> String {
        let out = self.run(extra);
        assert!(
            out.status.success(),
            "game failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Game {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn lunaray(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run lunaray")
}

/// Lines of a script's output that are not raylib's own log.
pub fn script_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| {
            !(l.starts_with("INFO:") || l.starts_with("WARNING:") || l.starts_with("DEBUG:"))
        })
        .map(str::to_string)
        .collect()
}

/// Replays raylib automation events right after a given frame's EndDrawing (after raylib
/// polled input), so the next frame's callbacks see them: `EVENTS[frame] = {{type, p0, p1}}`.
pub const EVENT_PLAYER: &str = r#"
local frame, EndDrawing = 0, rl.EndDrawing
function rl.EndDrawing()
  EndDrawing()
  frame = frame + 1
  for _, ev in ipairs(EVENTS[frame] or {}) do
    rl.PlayAutomationEvent(rl.new("AutomationEvent",
      {frame = frame, type = ev[1], params = {ev[2] or 0, ev[3] or 0, 0, 0}}))
  end
end
"#;

/// raylib's colours as a headless screenshot reads them back (RGBA8).
pub const RAYWHITE: [u8; 4] = [245, 245, 245, 255];
pub const RED: [u8; 4] = [230, 41, 55, 255];
pub const BLUE: [u8; 4] = [0, 121, 241, 255];
pub const DARKGREEN: [u8; 4] = [0, 117, 44, 255];
pub const BLACK: [u8; 4] = [0, 0, 0, 255];

/// An RGBA8 image decoded from a PNG.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Pixels {
    pub fn load(path: &Path) -> Pixels {
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgba);
        buf.truncate(info.buffer_size());
        Pixels {
            width: info.width,
            height: info.height,
            rgba: buf,
        }
    }

    pub fn at(&self, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * self.width + x) * 4) as usize;
        self.rgba[i..i + 4].try_into().unwrap()
    }

    pub fn distinct_colors(&self) -> usize {
        let mut set = std::collections::HashSet::new();
        for px in self.rgba.chunks_exact(4) {
            set.insert([px[0], px[1], px[2], px[3]]);
        }
        set.len()
    }
}
