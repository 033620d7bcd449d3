//! The `lunaray` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lunaray::bench::counting_alloc::CountingAlloc;
use lunaray::registry::Registry;
use lunaray::runtime::game::{self, RunError, RunOptions};
use lunaray::runtime::libraries::{self, Backend};
use lunaray::runtime::modes::{Arena, Marshal};

/// Counts heap allocations, for `lunaray bench`'s allocations per call.
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[derive(Parser)]
#[command(
    name = "lunaray",
    version,
    about = "Run Lua games on raylib 6.0",
    after_help = "`lunaray GAME [OPTIONS]` is short for `lunaray run GAME [OPTIONS]`, as `love GAME` is."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a game: a folder holding main.lua, or a .lua file.
    Run {
        /// The game: a folder holding main.lua, or a .lua file.
        path: PathBuf,
        /// Render with the software renderer, no display needed (the default without one).
        #[arg(long, conflicts_with = "window")]
        headless: bool,
        /// Open a window (GLFW/X11 + OpenGL) even if no display is detected.
        #[arg(long)]
        window: bool,
        /// End the game after N presented frames (WindowShouldClose() turns true).
        #[arg(long, value_name = "N")]
        frames: Option<u64>,
        /// Save the last presented frame as a PNG.
        #[arg(long, value_name = "FILE")]
        screenshot: Option<PathBuf>,
        /// Load this libraylib instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        raylib: Option<PathBuf>,
        /// How arguments are converted: call plans, or the naive per-call path for comparison.
        #[arg(long, value_enum, default_value = "planned")]
        marshal: Marshal,
        /// Where call temporaries come from: the frame arena, or the heap for comparison.
        #[arg(long, value_enum, default_value = "frame")]
        arena: Arena,
        /// Show the overlay: FPS, frame time split, calls per frame, ns per call, arena, modes
        /// (keys: M marshal, A arena, O hide, + and - load).
        #[arg(long)]
        overlay: bool,
        /// Restart the game whenever a file in its folder changes.
        #[arg(long)]
        watch: bool,
        /// Ignore the script's SetTargetFPS, to measure frame cost rather than frame pacing.
        #[arg(long)]
        uncapped: bool,
        /// Write a frame-time report (JSON) when the game ends.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Arguments for the script, in its global `arg` table.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Measure the cost of a call from Lua into raylib, per case and call path.
    Bench {
        /// Print the results as JSON (`[{name, mode, ns_per_call, allocs_per_call}]`).
        #[arg(long)]
        json: bool,
        /// Run the benchmark scenes (FPS per call path, and the C floor) instead.
        #[arg(long)]
        scenes: bool,
        /// With --scenes: on the windowed backend (GLFW/X11 + OpenGL; needs a display).
        #[arg(long, requires = "scenes")]
        window: bool,
        /// Load this libraylib instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        raylib: Option<PathBuf>,
        /// Run only this case (e.g. Vector2Add), once, printing nothing: for counting
        /// instructions per call under valgrind (benches/instructions.sh).
        #[arg(long, value_name = "NAME", conflicts_with_all = ["scenes", "json"])]
        case: Option<String>,
        /// With --case: the call path to run it on.
        #[arg(
            long,
            value_name = "MODE",
            default_value = "planned",
            value_parser = ["static", "planned", "planned-libffi", "naive-heap", "luajit-ffi"]
        )]
        mode: String,
        /// With --case: how many calls to make.
        #[arg(long, value_name = "N", default_value_t = 1_000_000)]
        iters: u64,
    },
    /// Start a new game in DIR from the project skeleton (DIR/main.lua).
    New {
        /// The folder to create (it must not hold a main.lua yet).
        dir: PathBuf,
    },
    /// Call every registered function with generated hostile arguments, in child processes,
    /// and report crashes and hangs with the call that caused them.
    Fuzz {
        /// How many calls to make.
        #[arg(long, value_name = "N", default_value_t = 1_000_000)]
        calls: u64,
        /// The seed: the same seed, start and count make the same calls.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// The first call index (a crash report names the one that replays it).
        #[arg(long, value_name = "I", default_value_t = 0)]
        start: u64,
        /// Calls per worker process (each starts with a fresh pool and scratch directory).
        #[arg(long, value_name = "N", default_value_t = 5000)]
        per_worker: u64,
        /// Seconds a call may take before it counts as a hang.
        #[arg(long, value_name = "SECS", default_value_t = 5.0)]
        timeout: f64,
        /// Address-space limit of each worker, in MiB.
        #[arg(long, value_name = "MIB", default_value_t = 4096)]
        memory_mb: u64,
        /// Print the calls as Lua source, one a line, instead of making them.
        #[arg(long)]
        list: bool,
        /// Make the calls listed in FILE (one line of Lua each, as --list prints them) in
        /// this process, in a fresh scratch directory, after the worker's setup.
        #[arg(long, value_name = "FILE", conflicts_with = "list")]
        replay: Option<PathBuf>,
        /// Run as a worker (started by `lunaray fuzz` itself).
        #[arg(long, hide = true)]
        worker: bool,
    },
    /// Show the registry as loaded: counts, or everything with --json.
    Api {
        /// Print the whole registry as JSON: library path, structs with layouts, functions
        /// with their parameters, enums, defines, colors.
        #[arg(long)]
        json: bool,
        /// Load the headless (software renderer) library even if a display is available.
        #[arg(long)]
        headless: bool,
        /// Load this libraylib instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        raylib: Option<PathBuf>,
    },
}

/// Frames a game runs for when lunaray falls back to headless on its own: a game loop with no
/// window to close would otherwise never end.
const AUTO_HEADLESS_FRAMES: u64 = 300;

/// The backend, and whether it was chosen for lack of a display.
fn choose_backend(headless: bool, window: bool) -> (Backend, bool) {
    if headless {
        (Backend::Headless, false)
    } else if window || libraries::display_available() {
        (Backend::Windowed, false)
    } else {
        (Backend::Headless, true)
    }
}

/// The command line, with `lunaray GAME ...` read as `lunaray run GAME ...`.
fn command_line() -> Vec<std::ffi::OsString> {
    const COMMANDS: &[&str] = &["run", "bench", "new", "api", "fuzz", "help"];
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(first) = args.get(1).and_then(|a| a.to_str()) {
        if !first.starts_with('-') && !COMMANDS.contains(&first) {
            args.insert(1, "run".into());
        }
    }
    args
}

/// Writes `text` to stdout; a closed pipe (`lunaray api --json | head`) ends quietly.
fn print_out(text: &str) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lunaray: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(command_line());
    match cli.command {
        Command::Run {
            path,
            headless,
            window,
            frames,
            screenshot,
            raylib,
            marshal,
            arena,
            overlay,
            report,
            uncapped,
            watch,
            args,
        } => {
            // A game that does not exist says so before anything else happens.
            if let Err(e) = game::resolve_script(&path) {
                eprintln!("lunaray: {e}");
                return ExitCode::from(2);
            }
            if watch {
                // The same command line, minus --watch, in a child restarted on changes.
                let mut seen_dashdash = false;
                let child_args: Vec<String> = std::env::args()
                    .skip(1)
                    .filter(|a| {
                        seen_dashdash |= a == "--";
                        seen_dashdash || a != "--watch"
                    })
                    .collect();
                let dir = match game::resolve_script(&path) {
                    Ok((dir, _)) => dir,
                    Err(e) => {
                        eprintln!("lunaray: {e}");
                        return ExitCode::from(2);
                    }
                };
                return match lunaray::runtime::watch::run(&dir, &child_args) {
                    Ok(code) => ExitCode::from(code as u8),
                    Err(e) => {
                        eprintln!("lunaray: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            let (backend, auto) = choose_backend(headless, window);
            let frames = match (auto, frames) {
                (true, None) => {
                    eprintln!(
                        "lunaray: no display found (DISPLAY is unset); running headless for \
                         {AUTO_HEADLESS_FRAMES} frames (--frames N to change, --screenshot FILE to see one)"
                    );
                    Some(AUTO_HEADLESS_FRAMES)
                }
                (true, Some(_)) => {
                    eprintln!("lunaray: no display found (DISPLAY is unset); running headless");
                    frames
                }
                (false, _) => frames,
            };
            let opts = RunOptions {
                path,
                backend,
                frames,
                screenshot,
                raylib,
                args,
                marshal,
                arena,
                overlay,
                report,
                uncapped,
            };
            match game::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(RunError::Script(msg)) => {
                    eprintln!("{msg}");
                    ExitCode::from(1)
                }
                Err(RunError::ScriptShown(_)) => ExitCode::from(1),
                Err(e) => {
                    eprintln!("lunaray: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Bench {
            json,
            scenes: true,
            window,
            ..
        } => {
            let backend = if window {
                Backend::Windowed
            } else {
                Backend::Headless
            };
            match lunaray::bench::scenes::run_all(backend) {
                Ok(results) => {
                    if json {
                        let text = serde_json::to_string_pretty(&results).expect("json");
                        print_out(&format!("{text}\n"))
                    } else {
                        print_out(&lunaray::bench::scenes::table(&results, backend))
                    }
                }
                Err(e) => {
                    eprintln!("lunaray: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Bench {
            json,
            raylib,
            case,
            mode,
            iters,
            ..
        } => {
            let harness = match lunaray::bench::calls::Harness::new(raylib.as_deref()) {
                Ok(h) => h,
                Err(e) => {
                    eprintln!("lunaray: {e}");
                    return ExitCode::from(2);
                }
            };
            if let Some(case) = case {
                let mode = lunaray::bench::calls::Mode::from_name(&mode)
                    .expect("clap checked the mode name");
                return match lunaray::bench::calls::run_one(&harness, &case, mode, iters) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("lunaray: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            let ms = lunaray::bench::calls::run_all(&harness);
            if json {
                let text = serde_json::to_string_pretty(&ms).expect("json");
                print_out(&format!("{text}\n"))
            } else {
                print_out(&lunaray::bench::calls::table(&ms))
            }
        }
        Command::New { dir } => match lunaray::runtime::new_game::create(&dir) {
            Ok(main) => print_out(&format!(
                "created {}\nrun it with: lunaray run {}\n",
                main.display(),
                dir.display()
            )),
            Err(e) => {
                eprintln!("lunaray: {e}");
                ExitCode::from(2)
            }
        },
        Command::Fuzz {
            calls,
            seed,
            start,
            per_worker,
            timeout,
            memory_mb,
            list,
            replay,
            worker,
        } => {
            if list {
                return fuzz_list(calls, seed, start);
            }
            if let Some(file) = replay {
                return fuzz_replay(&file);
            }
            fuzz(calls, seed, start, per_worker, timeout, memory_mb, worker)
        }
        Command::Api {
            json,
            headless,
            raylib,
        } => {
            let backend = if headless || !libraries::display_available() {
                Backend::Headless
            } else {
                Backend::Windowed
            };
            let library = match libraries::load(backend, raylib.as_deref()) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("lunaray: {e}");
                    return ExitCode::from(2);
                }
            };
            let lua = mlua::Lua::new();
            let bindings = lunaray::marshal::bind(&lua, Registry::raylib(), library);
            if json {
                let v = lunaray::runtime::api::json(&bindings);
                let text = serde_json::to_string_pretty(&v).expect("json");
                print_out(&format!("{text}\n"))
            } else {
                print_out(&lunaray::runtime::api::summary(&bindings))
            }
        }
    }
}

/// `lunaray fuzz`: the runner, or (with `--worker`) one worker. Exit status 1 if any call
/// crashed or hung.
fn fuzz(
    calls: u64,
    seed: u64,
    start: u64,
    per_worker: u64,
    timeout: f64,
    memory_mb: u64,
    worker: bool,
) -> ExitCode {
    use lunaray::fuzz::{exclusions, runner};
    if worker {
        let calls = lunaray::fuzz::worker::Calls::Generated { seed, start, calls };
        return match lunaray::fuzz::worker::run(calls) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lunaray fuzz worker: {e}");
                ExitCode::from(3)
            }
        };
    }
    let opts = runner::Options {
        calls,
        seed,
        start,
        per_worker,
        timeout: std::time::Duration::from_secs_f64(timeout.max(0.1)),
        memory_mb,
    };
    let mut found = |s: &str| print!("{s}");
    match runner::run(&opts, &mut found) {
        Ok(report) => {
            let code = print_out(&format!("{}{}", exclusions::table(), report.summary(seed)));
            if !report.crashes.is_empty() || !report.hangs.is_empty() {
                return ExitCode::from(1);
            }
            code
        }
        Err(e) => {
            eprintln!("lunaray fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

/// `lunaray fuzz --list`: the calls as Lua source, one a line.
fn fuzz_list(calls: u64, seed: u64, start: u64) -> ExitCode {
    // The functions the worker's `rl` table has, so the indices match its calls.
    let library = match libraries::load(Backend::Headless, None) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("lunaray: {e}");
            return ExitCode::from(2);
        }
    };
    let lua = mlua::Lua::new();
    let bindings = lunaray::marshal::bind(&lua, Registry::raylib(), library);
    let names: Vec<&str> = bindings.plans.iter().map(|p| p.name.as_str()).collect();
    let mut gen = lunaray::fuzz::gen::Generator::new(&bindings.ctx.registry, &names, seed);
    let mut text = String::new();
    for i in start..start.saturating_add(calls) {
        text.push_str(&gen.call(i).source);
        text.push('\n');
    }
    print_out(&text)
}

/// `lunaray fuzz --replay FILE`: the listed calls, in this process.
fn fuzz_replay(file: &std::path::Path) -> ExitCode {
    let lines: Vec<String> = match std::fs::read_to_string(file) {
        Ok(t) => t.lines().map(str::to_string).collect(),
        Err(e) => {
            eprintln!("lunaray fuzz: {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    // Like a worker, in a fresh scratch directory: the calls create, rename and remove files.
    let scratch = std::env::temp_dir().join(format!("lunaray-replay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    if let Err(e) =
        std::fs::create_dir_all(&scratch).and_then(|()| std::env::set_current_dir(&scratch))
    {
        eprintln!("lunaray fuzz: {}: {e}", scratch.display());
        return ExitCode::from(2);
    }
    let result = lunaray::fuzz::worker::run(lunaray::fuzz::worker::Calls::Listed(&lines));
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lunaray fuzz: {e}");
            ExitCode::from(3)
        }
    }
}
