//! `lunaray run --watch`: runs the game in a child process and restarts it whenever a file in
//! its folder changes, so editing a script shows up without relaunching by hand. A game that
//! ends normally (its window closed) ends the watch; one that stops on an error waits for the
//! next change.

use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

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
