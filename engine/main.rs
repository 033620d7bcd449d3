//! The `lunaray` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lunaray::bench::counting_alloc::CountingAlloc;
use lunaray::registry::Registry;
use lunaray::runtime::game::{self, RunError, RunOptions};
use lunaray::runtime::libraries::{self, Backend};
use lunaray::runtime::modes::{Arena, Marshal};
use lunaray::runtime::{bundle, package, stubs};

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

/// How a game runs: `lunaray run`'s options, also those of a built game.
#[derive(Args, Clone)]
struct RunArgs {
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
    /// How arguments are converted: call plans, or the naive per-call path for comparison
    /// [default: jit on the LuaJIT build, planned on Lua 5.4].
    #[arg(long, value_enum)]
    marshal: Option<Marshal>,
    /// Where call temporaries come from: the frame arena, or the heap for comparison.
    #[arg(long, value_enum, default_value = "frame")]
    arena: Arena,
    /// Show the overlay: FPS, frame time split, calls per frame, ns per call, arena, modes
    /// (keys, held with Alt: M marshal, A arena, O hide, + and - load).
    #[arg(long)]
    overlay: bool,
    /// Ignore the script's SetTargetFPS, to measure frame cost rather than frame pacing.
    #[arg(long)]
    uncapped: bool,
    /// Write a frame-time report (JSON) when the game ends.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Show raylib's log (and rl.TraceLog) from this level up, on stderr: all, trace,
    /// debug, info, warning (the default: INFO lines hidden), error, fatal, none.
    #[arg(long, value_name = "LEVEL", default_value = "warning", value_parser = log_level)]
    log: i32,
    /// Show raylib's INFO lines too (the same as --log info).
    #[arg(short, long)]
    verbose: bool,
    /// LuaJIT build only: give scripts LuaJIT's own `ffi` library (`require "ffi"`), for code
    /// written against it (raylib-lua's `ffi.cdef`). This gives up lunaray's safety: ffi code
    /// reads and writes any memory and can crash the process.
    #[arg(long, conflicts_with = "sandbox")]
    ffi: bool,
    /// Run an untrusted game: no io, no os.execute/remove/rename/exit/getenv, no binary
    /// chunks, no package.loadlib; files (Lua's and raylib's) only inside the game's folder
    /// and its save folder; OpenURL refused.
    #[arg(long)]
    sandbox: bool,
    /// The most memory the Lua state may use, in MiB (0: no limit). Past it an allocation
    /// is the Lua error "not enough memory", which pcall catches, instead of the system
    /// running out.
    #[arg(long, value_name = "MIB", default_value_t = game::DEFAULT_MEMORY_LIMIT_MIB)]
    memory_limit: u64,
}

/// The command line of a built game (`lunaray build`): `run`'s options, then the game's own
/// arguments (after `--`, or from the first one that is not an option).
#[derive(Parser)]
#[command(version, about = "A game built with lunaray (raylib 6.0)")]
struct EmbeddedCli {
    #[command(flatten)]
    opts: RunArgs,
    /// Arguments for the script, in its global `arg` table.
    #[arg(trailing_var_arg = true)]
    args: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a game: a folder holding main.lua, a .lua file, or a .zip of a game folder.
    Run {
        /// The game: a folder holding main.lua, a .lua file, or a .zip of a game folder.
        path: PathBuf,
        /// Watch the game: changed modules are swapped into the running game (its state
        /// kept); main.lua, conf.lua or asset changes restart it (a .zip: when it changes).
        #[arg(long)]
        watch: bool,
        #[command(flatten)]
        opts: RunArgs,
        /// Arguments for the script, in its global `arg` table.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Build one executable holding the game (a copy of this binary with the game appended),
    /// which runs with nothing else installed.
    Build {
        /// The game: a folder holding main.lua, a .zip of one, or a .lua file.
        game: PathBuf,
        /// The executable to write.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
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
        /// With --scenes: also draw the results as an SVG chart (FPS per call path and
        /// scene, the C floor as a line) into FILE.
        #[arg(long, value_name = "FILE", requires = "scenes")]
        svg: Option<PathBuf>,
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
            value_parser = ["static", "planned", "planned-libffi", "naive-heap", "luajit-ffi", "jit"]
        )]
        mode: String,
        /// With --case: how many calls to make.
        #[arg(long, value_name = "N", default_value_t = 1_000_000)]
        iters: u64,
    },
    /// Write LuaLS annotation files (rl.lua, lunaray.lua) for editor completion and checks.
    Stubs {
        /// Where to write them [default: .lunaray/stubs in the current folder].
        dir: Option<PathBuf>,
    },
    /// Start a new game in DIR from the project skeleton (DIR/main.lua), with editor stubs
    /// and a .luarc.json.
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
    const COMMANDS: &[&str] = &[
        "run", "bench", "new", "api", "stubs", "build", "fuzz", "help",
    ];
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(first) = args.get(1).and_then(|a| a.to_str()) {
        if !first.starts_with('-') && !COMMANDS.contains(&first) {
            args.insert(1, "run".into());
        }
    }
    args
}

/// Runs the game a built executable carries: extracted to the cache, then run as `run` would.
fn run_embedded(payload: &[u8]) -> ExitCode {
    let cli = EmbeddedCli::parse();
    let dir = match package::extract(payload, "the embedded game") {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("lunaray: {e}");
            return ExitCode::from(2);
        }
    };
    // A built game is named after its executable (its save folder follows the name).
    let name = std::env::current_exe()
        .ok()
        .and_then(|e| e.file_stem().map(|s| s.to_string_lossy().into_owned()));
    run_game(dir, cli.opts, cli.args, name)
}

/// `run --watch`: the same command line, minus --watch, in a child restarted on changes.
fn watch_game(path: &std::path::Path) -> ExitCode {
    let mut seen_dashdash = false;
    let child_args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| {
            seen_dashdash |= a == "--";
            seen_dashdash || a != "--watch"
        })
        .collect();
    // A zipped game is watched as its file: a new archive is extracted again. A folder (or
    // a .lua file's folder) is watched by the game itself too, for hot reload.
    let zipped = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let target = if zipped && path.is_file() {
        path.to_path_buf()
    } else {
        match game::resolve_script(path) {
            Ok((dir, _)) => dir,
            Err(e) => {
                eprintln!("lunaray: {e}");
                return ExitCode::from(2);
            }
        }
    };
    match lunaray::runtime::watch::run(&target, &child_args) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("lunaray: {e}");
            ExitCode::from(2)
        }
    }
}

/// A progress bar on stderr for `len` steps (drawn only when stderr is a terminal).
fn progress_bar(len: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({elapsed})")
    {
        bar.set_style(style);
    }
    bar
}

/// `--log NAME` as raylib's level value.
fn log_level(name: &str) -> Result<i32, String> {
    lunaray::runtime::log::level_by_name(name).ok_or_else(|| {
        let names: Vec<&str> = lunaray::runtime::log::LEVELS.iter().map(|l| l.0).collect();
        format!("expected one of: {}", names.join(", "))
    })
}

/// Runs a game with `run`'s options; the exit status is 1 for a script error, 2 for the rest.
fn run_game(path: PathBuf, o: RunArgs, args: Vec<String>, name: Option<String>) -> ExitCode {
    let name = name.unwrap_or_else(|| game::game_name(&path));
    let (backend, auto) = choose_backend(o.headless, o.window);
    let frames = match (auto, o.frames) {
        (true, None) => {
            eprintln!(
                "lunaray: no display found (DISPLAY is unset); running headless for \
                 {AUTO_HEADLESS_FRAMES} frames (--frames N to change, --screenshot FILE to see one)"
            );
            Some(AUTO_HEADLESS_FRAMES)
        }
        (true, Some(_)) => {
            eprintln!("lunaray: no display found (DISPLAY is unset); running headless");
            o.frames
        }
        (false, _) => o.frames,
    };
    let opts = RunOptions {
        name,
        path,
        backend,
        frames,
        screenshot: o.screenshot,
        raylib: o.raylib,
        args,
        marshal: o.marshal,
        arena: o.arena,
        overlay: o.overlay,
        report: o.report,
        uncapped: o.uncapped,
        log: if o.verbose {
            o.log.min(lunaray::runtime::log::LOG_INFO)
        } else {
            o.log
        },
        hot_reload: std::env::var_os(lunaray::runtime::hot_reload::HOT_RELOAD_ENV).is_some(),
        ffi: o.ffi,
        sandbox: o.sandbox,
        memory_limit: usize::try_from(o.memory_limit.saturating_mul(1 << 20)).unwrap_or(usize::MAX),
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
    // A built game runs its own game, with `run`'s options, instead of the command line.
    match bundle::embedded_payload() {
        Ok(Some(payload)) => return run_embedded(&payload),
        Ok(None) => {}
        Err(e) => {
            eprintln!("lunaray: {e}");
            return ExitCode::from(2);
        }
    }
    let cli = Cli::parse_from(command_line());
    match cli.command {
        Command::Run {
            path,
            watch,
            opts,
            args,
        } => {
            // A game that does not exist says so before anything else happens.
            if let Err(e) = game::resolve_script(&path) {
                eprintln!("lunaray: {e}");
                return ExitCode::from(2);
            }
            if watch {
                return watch_game(&path);
            }
            run_game(path, opts, args, None)
        }
        Command::Build { game, output } => match bundle::build(&game, &output) {
            Ok(built) => print_out(&format!(
                "built {} ({} file{} of the game, {:.1} KiB zipped; {:.1} MiB in all)\nrun it with: {}\n",
                output.display(),
                built.files,
                if built.files == 1 { "" } else { "s" },
                built.payload_bytes as f64 / 1024.0,
                built.total_bytes as f64 / 1048576.0,
                if output.is_absolute() || output.components().count() > 1 {
                    output.display().to_string()
                } else {
                    format!("./{}", output.display())
                }
            )),
            Err(e) => {
                eprintln!("lunaray: {e}");
                ExitCode::from(2)
            }
        },
        Command::Bench {
            json,
            scenes: true,
            window,
            svg,
            ..
        } => {
            let backend = if window {
                Backend::Windowed
            } else {
                Backend::Headless
            };
            let bar = progress_bar(lunaray::bench::scenes::run_count());
            let results = lunaray::bench::scenes::run_all(backend, &|what| {
                bar.set_message(what.to_string());
                bar.inc(1);
            });
            bar.finish_and_clear();
            match results {
                Ok(results) => {
                    if let Some(path) = svg {
                        let chart = lunaray::bench::scenes::svg(&results, backend);
                        if let Err(e) = std::fs::write(&path, chart) {
                            eprintln!("lunaray: {}: {e}", path.display());
                            return ExitCode::from(2);
                        }
                        eprintln!("lunaray: wrote the chart to {}", path.display());
                    }
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
            let bar = progress_bar(lunaray::bench::calls::run_count());
            let ms = lunaray::bench::calls::run_all(&harness, &|case| {
                bar.set_message(case.to_string());
                bar.inc(1);
            });
            bar.finish_and_clear();
            if json {
                let text = serde_json::to_string_pretty(&ms).expect("json");
                print_out(&format!("{text}\n"))
            } else {
                print_out(&lunaray::bench::calls::table(&ms))
            }
        }
        Command::Stubs { dir } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from(stubs::DEFAULT_DIR));
            match stubs::write(&dir) {
                Ok(files) => {
                    let names: Vec<String> =
                        files.iter().map(|p| p.display().to_string()).collect();
                    print_out(&format!(
                        "wrote {}\npoint LuaLS at them: \"workspace.library\": [\"{}\"] in .luarc.json\n",
                        names.join(", "),
                        dir.display()
                    ))
                }
                Err(e) => {
                    eprintln!("lunaray: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::New { dir } => match lunaray::runtime::new_game::create(&dir) {
            Ok(made) => print_out(&format!(
                "created {}, {}{}\neditor stubs in {}\nrun it with: lunaray run {}   \
                 (add --watch to reload it as you edit)\n",
                made.main.display(),
                made.conf.display(),
                made.luarc
                    .map(|p| format!(" and {}", p.display()))
                    .unwrap_or_default(),
                made.stubs.display(),
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
            let (_lua, bindings) = match bind_library(backend, raylib.as_deref()) {
                Ok(b) => b,
                Err(code) => return code,
            };
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

/// The registry bound to the library for `backend` (or `raylib`) in a fresh Lua state, for the
/// commands that inspect bindings without running a game; a load failure is printed.
fn bind_library(
    backend: Backend,
    raylib: Option<&std::path::Path>,
) -> Result<(mlua::Lua, lunaray::marshal::Bindings), ExitCode> {
    let library = libraries::load(backend, raylib).map_err(|e| {
        eprintln!("lunaray: {e}");
        ExitCode::from(2)
    })?;
    let lua = mlua::Lua::new();
    let bindings = lunaray::marshal::bind(&lua, Registry::raylib(), library);
    Ok((lua, bindings))
}

/// `lunaray fuzz --list`: the calls as Lua source, one a line.
fn fuzz_list(calls: u64, seed: u64, start: u64) -> ExitCode {
    // The functions the worker's `rl` table has, so the indices match its calls.
    let (_lua, bindings) = match bind_library(Backend::Headless, None) {
        Ok(b) => b,
        Err(code) => return code,
    };
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
