---@meta lunaray
-- The `lunaray` table: what the runtime tells a script about itself, its helpers, and the
-- callbacks a game may define on it. Written by `lunaray stubs`; do not edit.

---The runtime: facts about this run, helpers with no raylib name, and the callbacks a game
---may define (`function lunaray.update(dt) ... end`); every callback is optional.
---@class lunaray
---@field version string lunaray's version (`"0.1.0"`)
---@field backend "windowed"|"headless" the raylib backend this run uses
---@field lua string the Lua running the game: `"Lua 5.4"`, or LuaJIT's own version
---@field library string the path of the libraylib that was loaded
---@field uncapped boolean true under `--uncapped` (SetTargetFPS is ignored)
---@field cookie any the value the previous run handed to `lunaray.restart(value)`, or nil
---@field conf? fun(t: lunaray.Conf) Called once before the window opens (from conf.lua or main.lua), with the settings to change.
---@field load? fun(arg: string[], cookie: any) Called once after the window opened, with the game's arguments and `lunaray.cookie`.
---@field update? fun(dt: number) Called every frame with the seconds since the last one.
---@field draw? fun() Called every frame to draw it, between BeginDrawing and EndDrawing.
---@field keypressed? fun(key: integer) A key went down (`rl.KEY_*`).
---@field keyreleased? fun(key: integer) A key went up (`rl.KEY_*`).
---@field textinput? fun(text: string, codepoint: integer) A character was typed: its UTF-8 text and its Unicode codepoint.
---@field mousepressed? fun(x: number, y: number, button: integer) A mouse button went down (`rl.MOUSE_BUTTON_*`).
---@field mousereleased? fun(x: number, y: number, button: integer) A mouse button went up.
---@field mousemoved? fun(x: number, y: number, dx: number, dy: number) The mouse moved by (dx, dy) to (x, y).
---@field wheelmoved? fun(dx: number, dy: number) The mouse wheel moved.
---@field resize? fun(w: integer, h: integer) The window was resized to w x h.
---@field filedropped? fun(paths: string[]) Files were dropped on the window.
---@field focus? fun(f: boolean) The window gained (true) or lost (false) the focus.
---@field quit? fun(): boolean? The window is closing; return true to keep running (ignored after `--frames N`).
---@field run? fun() The main loop; define it to replace the runtime's own.
---@field reload? fun(modules: string[]) Under `--watch`: these modules (`require` names) were swapped into the running game.
lunaray = {}

---The settings `lunaray.conf(t)` gets, with their defaults (docs/callbacks.md).
---@class lunaray.Conf
---@field title string window title (`"lunaray"`)
---@field width integer window width (800)
---@field height integer window height (450)
---@field fps integer|false SetTargetFPS (60); 0 or false: as fast as possible
---@field vsync boolean FLAG_VSYNC_HINT
---@field resizable boolean FLAG_WINDOW_RESIZABLE
---@field msaa boolean FLAG_MSAA_4X_HINT
---@field highdpi boolean FLAG_WINDOW_HIGHDPI
---@field fullscreen boolean FLAG_FULLSCREEN_MODE
---@field borderless boolean FLAG_BORDERLESS_WINDOWED_MODE
---@field undecorated boolean FLAG_WINDOW_UNDECORATED
---@field always_run boolean FLAG_WINDOW_ALWAYS_RUN
---@field flags integer other ConfigFlags, added to these
---@field background Color|false cleared before lunaray.draw (RAYWHITE); false: no clear
---@field exit_key integer|false SetExitKey (rl.KEY_ESCAPE); false or 0: none
---@field icon string? an image file for SetWindowIcon
---@field fixed_dt number? seconds: lunaray.update(fixed_dt) at this fixed rate

---Starts the game again from the beginning, in a fresh Lua state and window; `value` (nil,
---booleans, numbers, strings and tables of them) is the next run's `lunaray.cookie`.
---@param value? any
function lunaray.restart(value) end

---The bytes behind a pointer raylib returned (like LuaJIT's `ffi.string`): up to the first
---NUL, or exactly `len` bytes.
---@param ptr rl.Pointer
---@param len? integer
---@return string
function lunaray.string(ptr, len) end

---@class lunaray.Stats
---@field frames integer frames presented so far
---@field fps number frames per second (smoothed)
---@field frame_ms number milliseconds per frame (smoothed)
---@field script_ms number of which the script and its calls into C
---@field rest_ms number of which the rest (raylib's presenting, waiting)
---@field ffi_calls integer calls into C in the last frame
---@field ffi_calls_smooth number calls into C per frame (smoothed)
---@field ffi_calls_total integer calls into C since the start
---@field ffi_ns_per_call number sampled nanoseconds per call into C
---@field arena_bytes integer frame-arena bytes used in the last frame
---@field arena_peak integer the most frame-arena bytes one frame used
---@field arena_held integer bytes the frame arena holds from the system now
---@field memory_bytes integer bytes the Lua state uses now (what --memory-limit bounds)

---Frame and call statistics.
---@return lunaray.Stats
function lunaray.stats() end

---Shows or hides the overlay (FPS, frame split, calls per frame, ns per call, arena, modes)
---and its keys; returns whether it is on.
---@param on? boolean
---@return boolean
function lunaray.overlay(on) end

---The overlay's load factor (changed with its Alt++ and Alt+- keys), for scenes that scale their work.
---@return number
function lunaray.scale() end

---@class lunaray.Modes
---@field marshal? "planned"|"naive" call plans, or the naive per-call path
---@field arena? "frame"|"heap" call temporaries from the frame arena, or the heap
---@field direct? boolean direct invokers (true) or libffi for every call

---Switches the given call paths live and returns the current ones.
---@param modes? lunaray.Modes
---@return lunaray.Modes
function lunaray.mode(modes) end

-- raylib functions the runtime supplies itself (scripts/boot.lua): C variadics and a C
-- callback, done in Lua.

---Formats like C's printf, with Lua's string.format (no format string reaches C).
---@param fmt string
---@param ... any
---@return string
function rl.TextFormat(fmt, ...) end

---Logs a message at `level` (`rl.LOG_*`) through raylib's log, formatted with string.format.
---@param level integer
---@param fmt string
---@param ... any
function rl.TraceLog(level, fmt, ...) end

---Takes raylib's log in Lua: `fn(level, text)` for every message (nil: back to stderr). An
---error inside `fn` is reported once and the log goes back to stderr.
---@param fn? fun(level: integer, text: string)
function rl.SetTraceLogCallback(fn) end

-- Easing functions (scripts/easings.lua), as raylib's reasings.h names them: t the time since
-- the start, b the start value, c the change, d the duration; each returns the value at t.

---Penner's LinearNone easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseLinearNone(t, b, c, d) end

---Penner's LinearIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseLinearIn(t, b, c, d) end

---Penner's LinearOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseLinearOut(t, b, c, d) end

---Penner's LinearInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseLinearInOut(t, b, c, d) end

---Penner's SineIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseSineIn(t, b, c, d) end

---Penner's SineOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseSineOut(t, b, c, d) end

---Penner's SineInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseSineInOut(t, b, c, d) end

---Penner's CircIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseCircIn(t, b, c, d) end

---Penner's CircOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseCircOut(t, b, c, d) end

---Penner's CircInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseCircInOut(t, b, c, d) end

---Penner's CubicIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseCubicIn(t, b, c, d) end

---Penner's CubicOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseCubicOut(t, b, c, d) end

---Penner's CubicInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseCubicInOut(t, b, c, d) end

---Penner's QuadIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseQuadIn(t, b, c, d) end

---Penner's QuadOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseQuadOut(t, b, c, d) end

---Penner's QuadInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseQuadInOut(t, b, c, d) end

---Penner's ExpoIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseExpoIn(t, b, c, d) end

---Penner's ExpoOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseExpoOut(t, b, c, d) end

---Penner's ExpoInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseExpoInOut(t, b, c, d) end

---Penner's BackIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseBackIn(t, b, c, d) end

---Penner's BackOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseBackOut(t, b, c, d) end

---Penner's BackInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseBackInOut(t, b, c, d) end

---Penner's BounceOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseBounceOut(t, b, c, d) end

---Penner's BounceIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseBounceIn(t, b, c, d) end

---Penner's BounceInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseBounceInOut(t, b, c, d) end

---Penner's ElasticIn easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseElasticIn(t, b, c, d) end

---Penner's ElasticOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseElasticOut(t, b, c, d) end

---Penner's ElasticInOut easing: the value at time t of a change c from b over d.
---@param t number
---@param b number
---@param c number
---@param d number
---@return number
function rl.EaseElasticInOut(t, b, c, d) end
