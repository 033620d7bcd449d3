//! `lunaray bench`: the cost of one call from Lua into raylib, per case and per call path,
//! measured side by side in one process on the loaded library. The criterion benches
//! (`benches/calls.rs`) run the same cases through the same [`Harness`].

use std::time::{Duration, Instant};

use crate::bench::counting_alloc::allocations;
use crate::bench::static_calls::{self as st, StructIds};
use crate::ffi::lua_stack::{build_value, LuaHandler};
use crate::marshal::Bindings;
use crate::registry::Registry;
use crate::runtime::libraries::{self, Backend};

/// A call path to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Hand-written bindings with the C types compiled in: the floor.
    Static,
    /// Call plans with direct invokers (the default path).
    Planned,
    /// Call plans, every call through libffi.
    PlannedLibffi,
    /// The naive path with heap temporaries: the "before".
    NaiveHeap,
    /// LuaJIT 2.1's own FFI calling the same library (LuaJIT builds only).
    LuajitFfi,
    /// lunaray's jit mode: wrappers the JIT compiles where a function has one, else planned
    /// (LuaJIT builds only).
    Jit,
}

impl Mode {
    #[cfg(not(feature = "luajit"))]
    pub const ALL: &'static [Mode] = &[
        Mode::Static,
        Mode::Planned,
        Mode::PlannedLibffi,
        Mode::NaiveHeap,
    ];
    #[cfg(feature = "luajit")]
    pub const ALL: &'static [Mode] = &[
        Mode::Static,
        Mode::Planned,
        Mode::PlannedLibffi,
        Mode::NaiveHeap,
        Mode::LuajitFfi,
        Mode::Jit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::Planned => "planned",
            Mode::PlannedLibffi => "planned-libffi",
            Mode::NaiveHeap => "naive-heap",
            Mode::LuajitFfi => "luajit-ffi",
            Mode::Jit => "jit",
        }
    }

    /// The mode [`Mode::name`] calls `name`, if any.
    pub fn from_name(name: &str) -> Option<Mode> {
        [
            Mode::Static,
            Mode::Planned,
            Mode::PlannedLibffi,
            Mode::NaiveHeap,
            Mode::LuajitFfi,
            Mode::Jit,
        ]
        .into_iter()
        .find(|m| m.name() == name)
    }
}

/// A benchmark case: the Lua that makes one call, given the fixtures as locals.
pub struct Case {
    pub name: &'static str,
    /// Whether the case passes structs (the targets for planned vs static apply to these).
    pub structs: bool,
    /// The call, for the planned/naive modes (`rl`) and the static mode (`static`).
    call: &'static str,
    static_call: &'static str,
    /// The same call through LuaJIT's FFI (`J` is the ffi.load'ed library, `j*` cdata).
    luajit_call: &'static str,
}

pub const CASES: &[Case] = &[
    Case {
        name: "DrawCircleV",
        structs: true,
        call: "rl.DrawCircleV(v1, 4, red)",
        static_call: "S.DrawCircleV(v1, 4, red)",
        luajit_call: "J.DrawCircleV(jv1, 4, jred)",
    },
    Case {
        name: "CheckCollisionRecs",
        structs: true,
        call: "rl.CheckCollisionRecs(r1, r2)",
        static_call: "S.CheckCollisionRecs(r1, r2)",
        luajit_call: "J.CheckCollisionRecs(jr1, jr2)",
    },
    Case {
        name: "Vector2Add",
        structs: true,
        call: "rl.Vector2Add(v1, v2)",
        static_call: "S.Vector2Add(v1, v2)",
        luajit_call: "J.Vector2Add(jv1, jv2)",
    },
    // The operator form of the call above: its static column is still S.Vector2Add, so the
    // ratios compare `v1 + v2` with the hand-written binding of the same raymath function.
    // Operators do not go through call plans (operators.rs), so the planned-libffi and
    // naive-heap columns of these rows measure the same path as planned.
    Case {
        name: "op v1 + v2",
        structs: true,
        call: "x = v1 + v2",
        static_call: "S.Vector2Add(v1, v2)",
        luajit_call: "J.Vector2Add(jv1, jv2)",
    },
    Case {
        name: "ColorAlpha",
        structs: true,
        call: "rl.ColorAlpha(red, 0.5)",
        static_call: "S.ColorAlpha(red, 0.5)",
        luajit_call: "J.ColorAlpha(jred, 0.5)",
    },
    Case {
        name: "DrawTexture",
        structs: true,
        call: "rl.DrawTexture(tex, 1, 2, red)",
        static_call: "S.DrawTexture(tex, 1, 2, red)",
        luajit_call: "J.DrawTexture(jtex, 1, 2, jred)",
    },
    Case {
        name: "MatrixMultiply",
        structs: true,
        call: "rl.MatrixMultiply(m1, m2)",
        static_call: "S.MatrixMultiply(m1, m2)",
        luajit_call: "J.MatrixMultiply(jm1, jm2)",
    },
    Case {
        name: "op m1 * m2",
        structs: true,
        call: "x = m1 * m2",
        static_call: "S.MatrixMultiply(m1, m2)",
        luajit_call: "J.MatrixMultiply(jm1, jm2)",
    },
    Case {
        name: "DrawText",
        structs: true,
        call: "rl.DrawText('lunaray', 1, 2, 10, red)",
        static_call: "S.DrawText('lunaray', 1, 2, 10, red)",
        luajit_call: "J.DrawText('lunaray', 1, 2, 10, jred)",
    },
    Case {
        name: "GetMousePosition",
        structs: true,
        call: "rl.GetMousePosition()",
        static_call: "S.GetMousePosition()",
        luajit_call: "J.GetMousePosition()",
    },
    Case {
        name: "GetRandomValue",
        structs: false,
        call: "rl.GetRandomValue(1, 100)",
        static_call: "S.GetRandomValue(1, 100)",
        luajit_call: "J.GetRandomValue(1, 100)",
    },
    // Field access: a struct value's field against a plain table's field plus an empty C call.
    Case {
        name: "field get",
        structs: false,
        call: "x = v1.x",
        static_call: "x = t.x; S.Nop()",
        luajit_call: "x = jv1.x",
    },
    Case {
        name: "field set",
        structs: false,
        call: "v1.x = i",
        static_call: "t.x = i; S.Nop()",
        luajit_call: "jv1.x = i",
    },
];

#[derive(Clone, Debug, serde::Serialize)]
pub struct Measurement {
    pub name: &'static str,
    pub mode: Mode,
    pub ns_per_call: f64,
    pub allocs_per_call: f64,
}

/// A Lua state with `rl`, the static bindings (`S`) and the fixtures, on a headless window.
pub struct Harness {
    lua: mlua::Lua,
    bindings: Bindings,
}

const FIXTURES: &str = r#"
rl.SetTraceLogLevel(rl.LOG_WARNING)
rl.InitWindow(64, 64, "bench")
v1, v2 = rl.Vector2(1, 2), rl.Vector2(3, 4)
r1, r2 = rl.Rectangle(0, 0, 10, 10), rl.Rectangle(5, 5, 10, 10)
m1, m2 = rl.MatrixTranslate(1, 2, 3), rl.MatrixRotateZ(0.5)
red = rl.Color(230, 41, 55, 255)
tex = rl.LoadTextureFromImage(rl.GenImageColor(4, 4, red))
t = {x = 1, y = 2}
"#;

/// The same fixtures as cdata for LuaJIT's FFI, declared as raylib.h declares them.
#[cfg(feature = "luajit")]
const LUAJIT_FIXTURES: &str = r#"
local ffi = require("ffi")
ffi.cdef[[
typedef struct Vector2 { float x, y; } Vector2;
typedef struct Color { unsigned char r, g, b, a; } Color;
typedef struct Rectangle { float x, y, width, height; } Rectangle;
typedef struct Texture { unsigned int id; int width, height, mipmaps, format; } Texture;
typedef struct Matrix { float m0, m4, m8, m12, m1, m5, m9, m13, m2, m6, m10, m14, m3, m7, m11, m15; } Matrix;
void DrawCircleV(Vector2 center, float radius, Color color);
bool CheckCollisionRecs(Rectangle rec1, Rectangle rec2);
Vector2 Vector2Add(Vector2 v1, Vector2 v2);
Color ColorAlpha(Color color, float alpha);
void DrawTexture(Texture texture, int posX, int posY, Color tint);
Matrix MatrixMultiply(Matrix left, Matrix right);
void DrawText(const char *text, int posX, int posY, int fontSize, Color color);
Vector2 GetMousePosition(void);
int GetRandomValue(int min, int max);
]]
J = ffi.load(libpath)
jv1, jv2 = ffi.new("Vector2", 1, 2), ffi.new("Vector2", 3, 4)
jr1, jr2 = ffi.new("Rectangle", 0, 0, 10, 10), ffi.new("Rectangle", 5, 5, 10, 10)
jm1 = J.MatrixMultiply(ffi.new("Matrix", {1,0,0,1, 0,1,0,2, 0,0,1,3, 0,0,0,1}), ffi.new("Matrix", {1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1}))
jm2 = ffi.new("Matrix", m2.m0, m2.m4, m2.m8, m2.m12, m2.m1, m2.m5, m2.m9, m2.m13, m2.m2, m2.m6, m2.m10, m2.m14, m2.m3, m2.m7, m2.m11, m2.m15)
jred = ffi.new("Color", 230, 41, 55, 255)
jtex = ffi.new("Texture", tex.id, tex.width, tex.height, tex.mipmaps, tex.format)
"#;

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

impl Harness {
    pub fn new(raylib: Option<&std::path::Path>) -> Result<Harness, String> {
        let library = libraries::load(Backend::Headless, raylib).map_err(|e| e.to_string())?;
        #[cfg(not(feature = "luajit"))]
        let lua = mlua::Lua::new();
        #[cfg(feature = "luajit")]
        let lua = crate::ffi::lua_stack::luajit_with_ffi();
        let bindings = crate::marshal::bind(&lua, Registry::raylib(), library.clone());
        let rl = crate::lua::build_rl_table(&lua, &bindings).map_err(|e| e.to_string())?;
        lua.globals().set("rl", rl).map_err(|e| e.to_string())?;
        let reg = &bindings.ctx.registry;
        let id = |n: &str| reg.struct_id(n).expect("raylib struct") as u32;
        let ids = StructIds {
            vector2: id("Vector2"),
            color: id("Color"),
            rectangle: id("Rectangle"),
            texture: id("Texture"),
            matrix: id("Matrix"),
            struct_mt: bindings.ctx.struct_mt,
        };
        // The static bindings live in a table as large as `rl` (a copy of it, the measured
        // functions replaced), so looking a function up costs the same in both modes.
        let s = lua.create_table().map_err(|e| e.to_string())?;
        let rl_table: mlua::Table = lua.globals().get("rl").map_err(|e| e.to_string())?;
        for pair in rl_table.pairs::<mlua::Value, mlua::Value>() {
            let (k, v) = pair.map_err(|e| e.to_string())?;
            s.raw_set(k, v).map_err(|e| e.to_string())?;
        }
        let lib = &library;
        let missing = |n: &str| format!("{n} is not exported by {}", lib.path().display());
        macro_rules! add {
            ($t:ident) => {{
                let h = st::$t::new(lib, ids).ok_or_else(|| missing(st::$t::C_NAME))?;
                s.set(st::$t::C_NAME, handler(&lua, leak(h))?)
                    .map_err(|e| e.to_string())?;
            }};
        }
        add!(DrawCircleV);
        add!(CheckCollisionRecs);
        add!(Vector2Add);
        add!(ColorAlpha);
        add!(DrawTexture);
        add!(MatrixMultiply);
        add!(DrawText);
        add!(GetMousePosition);
        add!(GetRandomValue);
        s.set("Nop", handler(&lua, leak(st::Nop))?)
            .map_err(|e| e.to_string())?;
        lua.globals().set("S", s).map_err(|e| e.to_string())?;
        lua.load(FIXTURES)
            .set_name("@bench")
            .exec()
            .map_err(|e| e.to_string())?;
        #[cfg(feature = "luajit")]
        {
            lua.globals()
                .set("libpath", library.path().to_string_lossy().into_owned())
                .map_err(|e| e.to_string())?;
            lua.load(LUAJIT_FIXTURES)
                .set_name("@bench-luajit")
                .exec()
                .map_err(|e| e.to_string())?;
        }
        Ok(Harness { lua, bindings })
    }

    fn set_mode(&self, mode: Mode) {
        let m = &self.bindings.ctx.modes;
        m.set_naive(mode == Mode::NaiveHeap);
        m.set_heap(mode == Mode::NaiveHeap);
        m.set_direct(mode != Mode::PlannedLibffi);
        m.set_jit(mode == Mode::Jit);
        #[cfg(feature = "luajit")]
        crate::marshal::jit::sync_lua(&self.lua, self.bindings.ctx);
    }

    /// A Lua function running the case `n` times.
    pub fn loop_fn(&self, case: &Case, mode: Mode) -> mlua::Function {
        let call = match mode {
            Mode::Static => case.static_call,
            Mode::LuajitFfi => case.luajit_call,
            _ => case.call,
        };
        let locals = if mode == Mode::LuajitFfi {
            "local J, jv1, jv2, jr1, jr2, jm1, jm2, jred, jtex = J, jv1, jv2, jr1, jr2, jm1, jm2, jred, jtex"
        } else {
            "local rl, S, v1, v2, r1, r2, m1, m2, red, tex, t = rl, S, v1, v2, r1, r2, m1, m2, red, tex, t"
        };
        let src =
            format!("{locals}\nreturn function(n) local x for i = 1, n do {call} end return x end");
        self.lua
            .load(src)
            .set_name("@bench")
            .eval()
            .expect("benchmark loops compile")
    }

    /// Runs `iters` calls of `case` in `mode`; returns the time they took.
    pub fn time(&self, case: &Case, mode: Mode, iters: u64) -> Duration {
        self.set_mode(mode);
        let f = self.loop_fn(case, mode);
        let start = Instant::now();
        f.call::<()>(iters).expect("benchmark case runs");
        let elapsed = start.elapsed();
        // Between batches, as between frames: the arena resets, the draw batch is flushed.
        crate::arena::end_frame();
        self.set_mode(Mode::Planned);
        elapsed
    }

    /// Measures `case` in `mode`: the best of a few batches of about 30 ms each.
    pub fn measure(&self, case: &Case, mode: Mode) -> Measurement {
        let mut n = 1000u64;
        while self.time(case, mode, n) < Duration::from_millis(30) && n < 1 << 26 {
            n *= 2;
        }
        let mut best = f64::INFINITY;
        let mut allocs = f64::INFINITY;
        for _ in 0..3 {
            let before = allocations();
            let t = self.time(case, mode, n);
            let a = (allocations() - before) as f64 / n as f64;
            best = best.min(t.as_nanos() as f64 / n as f64);
            allocs = allocs.min(a);
        }
        Measurement {
            name: case.name,
            mode,
            ns_per_call: best,
            allocs_per_call: allocs,
        }
    }
}

fn handler<H: LuaHandler>(lua: &mlua::Lua, h: &'static H) -> Result<mlua::Function, String> {
    build_value(lua, |s| s.push_handler(h)).map_err(|e| e.to_string())
}

/// Every case in every mode.
pub fn run_all(h: &Harness, progress: &dyn Fn(&str)) -> Vec<Measurement> {
    let mut out = Vec::new();
    for case in CASES {
        progress(case.name);
        for &mode in Mode::ALL {
            let field_case = case.name.starts_with("field");
            if field_case && !matches!(mode, Mode::Static | Mode::Planned | Mode::LuajitFfi) {
                continue;
            }
            out.push(h.measure(case, mode));
        }
    }
    out
}

/// How many cases `run_all` measures (for a progress bar).
pub fn run_count() -> usize {
    CASES.len()
}

/// Runs the case called `case_name` once, `iters` calls in `mode`, and nothing else: for
/// counting instructions per call under a profiler (`benches/instructions.sh`), where the
/// difference between two iteration counts removes the startup cost.
pub fn run_one(h: &Harness, case_name: &str, mode: Mode, iters: u64) -> Result<(), String> {
    let Some(case) = CASES.iter().find(|c| c.name == case_name) else {
        let names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
        return Err(format!(
            "no bench case {case_name:?}; the cases are: {}",
            names.join(", ")
        ));
    };
    if !Mode::ALL.contains(&mode) {
        let names: Vec<&str> = Mode::ALL.iter().map(|m| m.name()).collect();
        return Err(format!(
            "mode {} is not available in this build; the modes are: {}",
            mode.name(),
            names.join(", ")
        ));
    }
    h.time(case, mode, iters);
    Ok(())
}

/// The table `lunaray bench` prints: ns per call and the ratio to `static` per mode.
pub fn table(ms: &[Measurement]) -> String {
    let luajit = ms.iter().any(|m| m.mode == Mode::LuajitFfi);
    let mut out = format!(
        "{:<20} {:>16} {:>16} {:>16} {:>16}{}   allocs/call (planned, naive)\n",
        "case",
        "static ns",
        "planned",
        "planned-libffi",
        "naive-heap",
        if luajit {
            format!(" {:>16} {:>16}", "luajit-ffi", "jit")
        } else {
            String::new()
        }
    );
    for case in CASES {
        let get = |m: Mode| ms.iter().find(|x| x.name == case.name && x.mode == m);
        let Some(base) = get(Mode::Static) else {
            continue;
        };
        let cell = |m: Mode| match get(m) {
            Some(x) => format!(
                "{:.1} ({:.2}x)",
                x.ns_per_call,
                x.ns_per_call / base.ns_per_call
            ),
            None => "-".into(),
        };
        let allocs = |m: Mode| get(m).map_or("-".into(), |x| format!("{:.2}", x.allocs_per_call));
        out.push_str(&format!(
            "{:<20} {:>16.1} {:>16} {:>16} {:>16}{}   {}, {}\n",
            case.name,
            base.ns_per_call,
            cell(Mode::Planned),
            cell(Mode::PlannedLibffi),
            cell(Mode::NaiveHeap),
            if luajit {
                format!(" {:>16} {:>16}", cell(Mode::LuajitFfi), cell(Mode::Jit))
            } else {
                String::new()
            },
            allocs(Mode::Planned),
            allocs(Mode::NaiveHeap),
        ));
    }
    out.push_str(
        "\nns per call from Lua into raylib, on the headless library; (x) = ratio to static.\n\
         static          a hand-written binding per function (what a C programmer would write): the floor\n\
         planned         lunaray's default: the call plan and a direct invoker\n\
         planned-libffi  the same plan, calling through libffi (targets without direct invokers)\n\
         naive-heap      the naive path: layouts looked up and buffers malloc'd on every call\n\
         luajit-ffi      (LuaJIT build) the same call through LuaJIT's own FFI, as raylib-lua makes it\n\
         jit             (LuaJIT build) lunaray's jit mode: a wrapper the JIT compiles, where the\n\
         \x20               function has one (`lunaray.mode{marshal = \"jit\"}`), else planned\n\
         allocs/call     heap allocations per call (planned should be 0)\n\
         field get/set's static is a plain Lua table field plus an empty C call\n\
         op rows         the operator standing for the call in the row above it, against that call's\n\
         \x20               static binding; operators bypass call plans, so all their columns run one path\n",
    );
    out
}
