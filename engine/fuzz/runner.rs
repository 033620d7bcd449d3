//! The runner (`lunaray fuzz`): the parent process. It re-spawns its own binary as workers
//! over consecutive ranges of call indices, each in a fresh scratch directory under a memory
//! limit, reads each worker's announcements, and turns a worker that dies (a signal, or an
//! exit without the end marker) into a crash and one that goes quiet for longer than the
//! watchdog into a hang, both with the exact call and the command that replays it; then it
//! goes on with a new worker after the failed call.
//!
//! Contract: the report counts every call made, the Lua errors among them, and every crash
//! and hang; a worker that fails before its first call (its setup) ends the run with an
//! error instead of looping.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::worker::{CALL_MARK, DONE_MARK};

#[derive(Clone, Debug)]
pub struct Options {
    pub calls: u64,
    pub seed: u64,
    /// The first call index.
    pub start: u64,
    /// Calls per worker (a fresh process, pool and scratch directory each).
    pub per_worker: u64,
    /// The watchdog: a call that takes longer is a hang.
    pub timeout: Duration,
    /// Each worker's address-space limit, so huge allocations fail instead of exhausting the
    /// machine (and raylib's handling of a failed allocation is tested too).
    pub memory_mb: u64,
}

/// A crash or a hang, with the call that caused it.
#[derive(Clone, Debug)]
pub struct Finding {
    /// `signal 11 (SIGSEGV)`, `exit status 134`, `hang (no return within 5 s)`.
    pub what: String,
    pub index: u64,
    pub function: String,
    /// The call as Lua source (pool slots are the worker's `P` table).
    pub source: String,
    /// The first index of the worker that made it: replaying from there rebuilds its pool.
    pub worker_start: u64,
    /// The worker's last lines of other stderr output (glibc's or Rust's last words).
    pub stderr_tail: Vec<String>,
}

impl Finding {
    /// The command that replays the worker's calls up to and including this one.
    pub fn reproduce(&self, seed: u64) -> String {
        format!(
            "lunaray fuzz --seed {seed} --start {} --calls {}",
            self.worker_start,
            self.index - self.worker_start + 1
        )
    }

    pub fn describe(&self, seed: u64) -> String {
        let mut s = format!(
            "{} at call {} ({}):\n    {}\n    reproduce: {}\n",
            self.what,
            self.index,
            self.function,
            self.source,
            self.reproduce(seed)
        );
        for l in &self.stderr_tail {
            s.push_str(&format!("    | {l}\n"));
        }
        s
    }
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub calls: u64,
    pub errors: u64,
    pub crashes: Vec<Finding>,
    pub hangs: Vec<Finding>,
    pub workers: u64,
    pub seconds: f64,
}

impl Report {
    pub fn summary(&self, seed: u64) -> String {
        let mut s = format!(
            "lunaray fuzz: seed {seed}: {} calls in {:.1} s ({:.0} calls/s, {} workers)\n  Lua errors: {}\n  crashes: {}\n  hangs: {}\n",
            self.calls,
            self.seconds,
            self.calls as f64 / self.seconds.max(1e-9),
            self.workers,
            self.errors,
            self.crashes.len(),
            self.hangs.len()
        );
        for f in self.crashes.iter().chain(&self.hangs) {
            s.push_str(&format!("  - {}", f.describe(seed)));
        }
        s
    }
}

/// What one worker did.
enum Outcome {
    Done {
        calls: u64,
        errors: u64,
    },
    Failed {
        finding: Finding,
        errors: u64,
        hang: bool,
    },
}

/// Runs the whole range; `print` gets each crash or hang as it is found.
pub fn run(opts: &Options, print: &mut dyn FnMut(&str)) -> Result<Report, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find lunaray itself: {e}"))?;
    let started = Instant::now();
    let end = opts.start.saturating_add(opts.calls);
    let mut next = opts.start;
    let mut report = Report::default();
    while next < end {
        let n = (end - next).min(opts.per_worker.max(1));
        report.workers += 1;
        match run_worker(&exe, opts, next, n, report.workers)? {
            Outcome::Done { calls, errors } => {
                report.calls += calls;
                report.errors += errors;
                next += n;
            }
            Outcome::Failed {
                finding,
                errors,
                hang,
            } => {
                report.calls += finding.index - next + 1;
                report.errors += errors;
                next = finding.index + 1;
                print(&finding.describe(opts.seed));
                if hang {
                    report.hangs.push(finding);
                } else {
                    report.crashes.push(finding);
                }
            }
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The last announced call: index, errors so far, function, source.
type Announced = (u64, u64, String, String);

fn parse_call(rest: &str) -> Option<Announced> {
    let mut it = rest.splitn(4, ' ');
    let index = it.next()?.parse().ok()?;
    let errors = it.next()?.parse().ok()?;
    let function = it.next()?.to_string();
    Some((index, errors, function, it.next().unwrap_or("").to_string()))
}

fn run_worker(
    exe: &Path,
    opts: &Options,
    start: u64,
    calls: u64,
    number: u64,
) -> Result<Outcome, String> {
    let dir = scratch_dir(number);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // The shell sets the limit, then becomes the worker (same process, so a kill reaches it).
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg("ulimit -v \"$0\" && exec \"$@\"")
        .arg((opts.memory_mb * 1024).to_string())
        .arg(exe)
        .args(["fuzz", "--worker", "--seed"])
        .arg(opts.seed.to_string())
        .arg("--start")
        .arg(start.to_string())
        .arg("--calls")
        .arg(calls.to_string())
        .current_dir(&dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start a worker: {e}"))?;
    let stderr = child.stderr.take().ok_or("no worker stderr")?;
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).split(b'\n') {
            let Ok(line) = line else { break };
            if tx
                .send(String::from_utf8_lossy(&line).into_owned())
                .is_err()
            {
                break;
            }
        }
    });
    let mut last: Option<Announced> = None;
    let mut done: Option<(u64, u64)> = None;
    let mut tail: VecDeque<String> = VecDeque::new();
    let mut hung = false;
    loop {
        match rx.recv_timeout(opts.timeout) {
            Ok(line) => {
                if let Some(rest) = line.strip_prefix(CALL_MARK) {
                    last = parse_call(rest).or(last);
                    tail.clear();
                } else if let Some(rest) = line.strip_prefix(DONE_MARK) {
                    let mut it = rest.split(' ').filter_map(|x| x.parse().ok());
                    done = it.next().zip(it.next());
                } else {
                    if tail.len() == 6 {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                hung = true;
                let _ = child.kill();
                break;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let _ = reader.join();
    let _ = std::fs::remove_dir_all(&dir);
    if let (Some((calls, errors)), true) = (done, status.success()) {
        return Ok(Outcome::Done { calls, errors });
    }
    let tail: Vec<String> = tail.into_iter().collect();
    let Some((index, errors, function, source)) = last else {
        return Err(format!(
            "a worker failed before its first call ({}):\n{}",
            describe_status(&status, hung, opts.timeout),
            tail.join("\n")
        ));
    };
    Ok(Outcome::Failed {
        finding: Finding {
            what: describe_status(&status, hung, opts.timeout),
            index,
            function,
            source,
            worker_start: start,
            stderr_tail: tail,
        },
        errors,
        hang: hung,
    })
}

fn describe_status(status: &std::process::ExitStatus, hung: bool, timeout: Duration) -> String {
    use std::os::unix::process::ExitStatusExt;
    if hung {
        return format!("hang (no return within {} s)", timeout.as_secs_f64());
    }
    match (status.signal(), status.code()) {
        (Some(sig), _) => format!("crash: signal {sig} ({})", signal_name(sig)),
        (None, Some(code)) => format!("crash: exit status {code} without finishing"),
        _ => "crash".into(),
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        _ => "signal",
    }
}

fn scratch_dir(number: u64) -> PathBuf {
    std::env::temp_dir().join(format!("lunaray-fuzz-{}-{number}", std::process::id()))
}
