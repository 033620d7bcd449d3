//! `lunaray run --watch`: runs the game in a child process and starts it again when needed.
//!
//! A game folder: the child swaps changed modules in itself (hot_reload.rs,
//! scripts/hot_reload.lua) and exits with `RESTART_STATUS` when a change needs a full restart
//! (main.lua, conf.lua, assets, a failed swap, any change while the error screen shows), which
//! this parent then does. A zipped game is watched as its one file (its folder,
//! non-recursively, for events naming it: tools replace an archive rather than edit it): a
//! change kills the child and starts it again, which extracts the new archive. A game that
//! ends normally (its window closed) ends the watch; one that stops on an error without a
//! window waits here for the next change.

use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::runtime::hot_reload::{HOT_RELOAD_ENV, RESTART_STATUS};

/// Runs `lunaray <args>` (the same command line without `--watch`) until it ends normally,
/// restarting it on every change under `target` (a folder, or one file). Returns the exit
/// status to end with.
pub fn run(target: &Path, args: &[String]) -> Result<i32, String> {
    let only = target
        .is_file()
        .then(|| target.file_name().map(|n| n.to_os_string()))
        .flatten();
    let dir = match &only {
        Some(_) => target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
        None => target,
    };
    let (tx, rx) = mpsc::channel();
    let wanted = only.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event {
            let named = wanted.as_ref().is_none_or(|name| {
                e.paths
                    .iter()
                    .any(|p| p.file_name() == Some(name.as_os_str()))
            });
            if named && (e.kind.is_modify() || e.kind.is_create() || e.kind.is_remove()) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    let mode = if only.is_some() {
        RecursiveMode::NonRecursive
    } else {
        RecursiveMode::Recursive
    };
    watcher
        .watch(dir, mode)
        .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    // A folder's game reloads its own modules; a zip is restarted from here.
    let hot = only.is_none();
    eprintln!(
        "lunaray: watching {} ({})",
        target.display(),
        if hot {
            "changed modules are swapped in; other changes restart the game"
        } else {
            "a change restarts the game"
        }
    );
    loop {
        let mut child = spawn(args, hot)?;
        let outcome = if hot {
            Outcome::Exited(wait_draining(&mut child, &rx))
        } else {
            wait_for_change_or_exit(&mut child, &rx)
        };
        match outcome {
            Outcome::Exited(status) if status.success() => return Ok(0),
            Outcome::Exited(status) if status.code() == Some(RESTART_STATUS) => {}
            Outcome::Exited(status) => {
                eprintln!("lunaray: the game stopped ({status}); waiting for a change");
                let _ = rx.recv();
            }
            Outcome::Changed => {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        // Editors write in bursts: let the burst settle, then drop what queued up.
        std::thread::sleep(Duration::from_millis(150));
        while rx.try_recv().is_ok() {}
        eprintln!("lunaray: restarting");
    }
}

enum Outcome {
    Exited(ExitStatus),
    Changed,
}

fn spawn(args: &[String], hot: bool) -> Result<Child, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new(exe);
    command.args(args);
    if hot {
        command.env(HOT_RELOAD_ENV, "1");
    }
    command
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

fn wait_for_change_or_exit(child: &mut Child, changes: &mpsc::Receiver<()>) -> Outcome {
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Outcome::Exited(status);
        }
        if changes.recv_timeout(Duration::from_millis(100)).is_ok() {
            return Outcome::Changed;
        }
    }
}
