//! `lunaray run --watch`: runs the game in a child process and restarts it whenever a file in
//! its folder changes, so editing a script shows up without relaunching by hand. A zipped game
//! is watched as its one file (its folder, non-recursively, for events naming it: tools
//! replace an archive rather than edit it), and the child extracts the new archive. A game that
//! ends normally (its window closed) ends the watch; one that stops on an error waits for the
//! next change.

use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

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
    eprintln!(
        "lunaray: watching {} (changes restart the game)",
        target.display()
    );
    loop {
        let mut child = spawn(args)?;
        match wait_for_change_or_exit(&mut child, &rx) {
            Outcome::Exited(status) if status.success() => return Ok(0),
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
        eprintln!("lunaray: change detected, restarting");
    }
}

enum Outcome {
    Exited(ExitStatus),
    Changed,
}

fn spawn(args: &[String]) -> Result<Child, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    Command::new(exe)
        .args(args)
        .spawn()
        .map_err(|e| format!("cannot start the game: {e}"))
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
