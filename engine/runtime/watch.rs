//! `lunaray run --watch`: runs the game in a child process that swaps changed modules in
//! itself (hot_reload.rs, scripts/hot_reload.lua) and exits with `RESTART_STATUS` when a
//! change needs a full restart (main.lua, conf.lua, assets, a failed swap, any change while
//! the error screen shows), which this parent then does. A game that ends normally (its window
//! closed) ends the watch; one that stops on an error without a window waits here for the next
//! change.

use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::runtime::hot_reload::{HOT_RELOAD_ENV, RESTART_STATUS};

/// Runs `lunaray <args>` (the same command line without `--watch`) until it ends normally,
/// restarting it on every change under `dir`. Returns the exit status to end with.
pub fn run(dir: &Path, args: &[String]) -> Result<i32, String> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event {
            if e.kind.is_modify() || e.kind.is_create() || e.kind.is_remove() {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    eprintln!(
        "lunaray: watching {} (changes restart the game)",
        dir.display()
    );
    loop {
        let mut child = spawn(args)?;
        let status = wait_draining(&mut child, &rx);
        if status.success() {
            return Ok(0);
        }
        if status.code() != Some(RESTART_STATUS) {
            eprintln!("lunaray: the game stopped ({status}); waiting for a change");
            let _ = rx.recv();
        }
        // Editors write in bursts: let the burst settle, then drop what queued up.
        std::thread::sleep(Duration::from_millis(150));
        while rx.try_recv().is_ok() {}
        eprintln!("lunaray: change detected, restarting");
    }
}

fn spawn(args: &[String]) -> Result<Child, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    Command::new(exe)
        .args(args)
        .env(HOT_RELOAD_ENV, "1")
        .spawn()
        .map_err(|e| format!("cannot start the game: {e}"))
}

/// Waits for the game to exit; the changes it sees meanwhile are its own to handle.
fn wait_draining(child: &mut Child, changes: &mpsc::Receiver<()>) -> ExitStatus {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status,
            Ok(None) => {}
            Err(_) => return child.wait().unwrap_or_else(|_| ExitStatus::default()),
        }
        let _ = changes.recv_timeout(Duration::from_millis(100));
    }
}
